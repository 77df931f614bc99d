"""Checks published statistics from the outside, sharing no code with Silta: a CTDC table
(`silta stats --csv`) and the counts (`silta stats --json`) of the same year.

Written from docs/statistics.md and the CTDC data codebook v6 only. Fails (exit 1) if any row of
the table is shared by fewer than K rows over every column (k-anonymity, CTDC's k = 11), if a
column or value is not CTDC's, or if a published count is below K, or a count withheld could be
worked out from the others and the total.

usage: check_stats.py TABLE.csv COUNTS.json K
"""
import csv
import json
import re
import sys
from collections import Counter

# The CTDC Global Dataset's variables (codebook v6 and the k-anonymised dataset's column list).
CTDC_VARIABLES = {
    "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "majorityStatusAtExploit",
    "majorityEntry", "citizenship", "CountryOfExploitation", "RecruiterRelationship", "isAbduction",
    *("meansOfControl" + m for m in [
        "DebtBondage", "TakesEarnings", "RestrictsFinancialAccess", "Threats", "PsychologicalAbuse",
        "PhysicalAbuse", "SexualAbuse", "FalsePromises", "PsychoactiveSubstances", "RestrictsMovement",
        "RestrictsMedicalCare", "ExcessiveWorkingHours", "UsesChildren", "ThreatOfLawEnforcement",
        "WithholdsNecessities", "WithholdsDocuments", "Other", "NotSpecified"]),
    *("is" + f for f in [
        "ForcedLabour", "SexualExploit", "OtherExploit", "SexAndLabour", "ForcedMarriage", "ForcedMilitary",
        "OrganRemoval", "SlaveryAndPractices"]),
    *("typeOfLabour" + t for t in [
        "Agriculture", "Aquafarming", "Begging", "Construction", "DomesticWork", "Hospitality",
        "IllicitActivities", "Manufacturing", "MiningOrDrilling", "Peddling", "Transportation", "Other",
        "NotSpecified"]),
    *("typeOfSex" + t for t in ["Prostitution", "Pornography", "RemoteInteractiveServices",
                                "PrivateSexualServices"]),
}
MISSING = "-99"
BANDS = {"0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"}
CODINGS = {
    "gender": {"Female", "Male", "Transgender/NonConforming"},
    "ageBroad": BANDS,
    "majorityStatus": {"Adult", "Minor"},
    "Datasource": {"Case Management", "Synthetic (Silta training vault)"},
}
# Tables in which every person is counted exactly once, so that their counts add up to the total.
ADDITIVE = {"gender", "age_band", "citizenship", "referral"}


def fail(message):
    print(f"statistics check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check_table(path, k):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    for name in header:
        if name not in CTDC_VARIABLES:
            fail(f"{name} is not a CTDC variable")
    for row in body:
        if len(row) != len(header):
            fail(f"a row of {len(row)} values under {len(header)} columns")
        for name, value in zip(header, row):
            if value == MISSING:
                continue
            if name in CODINGS and value not in CODINGS[name]:
                fail(f"{name} = {value!r} is not CTDC's coding")
            if name in ("citizenship", "CountryOfExploitation") and not re.fullmatch(r"[A-Z]{2}", value):
                fail(f"{name} = {value!r} is not an ISO 3166 code")
            if name == "yearOfRegistration" and not re.fullmatch(r"\d{4}", value):
                fail(f"year {value!r}")
            if name.startswith(("meansOfControl", "is", "typeOf")) and value not in ("0", "1"):
                fail(f"{name} = {value!r} is not 0 or 1")
    groups = Counter(tuple(r) for r in body)
    smallest = min(groups.values(), default=k)
    if smallest < k:
        row = min(groups, key=groups.get)
        fail(f"a row shared by only {smallest} (k = {k}): {dict(zip(header, row))}")
    generalised = sum(1 for r in body for v in r if v == MISSING)
    return len(body), len(groups), generalised


def check_counts(path, k):
    report = json.load(open(path, encoding="utf-8"))
    if report["min_cell"] != k:
        fail(f"counts made with a minimum of {report['min_cell']}, not {k}")
    total = report["total"]
    checked = 0
    for table in report["dimensions"]:
        shown = [c["count"]["n"] for c in table["cells"] if c["count"]["state"] == "shown"]
        withheld = [c for c in table["cells"] if c["count"]["state"] != "shown"]
        for n in shown:
            if n < k:
                fail(f"{table['dimension']}: a count of {n} published")
        for c in table["cells"]:
            if c["count"]["state"] not in ("shown", "fewer_than_k", "hidden"):
                fail(f"{c['key']}: {c['count']}")
            if re.search(r"[a-z]+_[a-z]+|--", c["label"]):
                fail(f"{c['key']}: the label {c['label']!r} is a code, not words")
        if table["dimension"] in ADDITIVE and total["state"] == "shown" and len(shown) > 0:
            # "fewer than K" is 0..K-1 and "hidden" at least K: what the withheld counts hold
            # together must leave each its whole range, or one is narrowed or pinned.
            held = total["n"] - sum(shown)
            hidden = sum(1 for c in withheld if c["count"]["state"] == "hidden")
            if len(withheld) == 1:
                fail(f"{table['dimension']}: one count withheld, so it is the total less the others ({held})")
            if withheld and held < k * (hidden + 1) - 1:
                fail(f"{table['dimension']}: the counts withheld ({hidden} hidden) hold {held} together, "
                     f"so one of them can be narrowed")
            fewer = len(withheld) - hidden
            if withheld and hidden == 0 and held > (fewer - 1) * (k - 1):
                fail(f"{table['dimension']}: {fewer} counts below {k} hold {held} together, "
                     f"so each is at least {held - (fewer - 1) * (k - 1)}")
        checked += len(table["cells"])
    return checked


if __name__ == "__main__":
    table, counts, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rows, groups, generalised = check_table(table, k)
    cells = check_counts(counts, k)
    print(f"independent statistics check: {rows} rows in {groups} groups of at least {k} "
          f"({generalised} values generalised), {cells} counts protected")
