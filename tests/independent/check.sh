#!/usr/bin/env bash
# Reads vaults with the independent Python reader (read_vault.py, written only from
# docs/vault-format.md): the committed golden vault, and a fresh vault made by the current `silta`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/target/independent-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q -r "$here/requirements.txt"
py="$venv/bin/python"

golden="$root/src-tauri/core/tests/data/golden"
for format in "$golden"/format-*.silta; do
  n="$(basename "$format" .silta)"
  "$py" "$here/read_vault.py" "$format" Golden "golden passphrase" --schema "$root/docs/vault-records.schema.json" > "$root/target/golden-$n-by-python.json"
  "$py" "$here/read_vault.py" "$format" --recovery-key "$(cat "$golden/$n.recovery-key")" > /dev/null
  "$py" - "$root/target/golden-$n-by-python.json" "$n" <<'PY'
import base64, json, sys
records = json.load(open(sys.argv[1]))
people = [r for r in records if r["kind"] == "person"]
assert people[0]["record"]["names"][0]["name"] == "Åsa Mäkinen", people
notes = [r["record"]["text"] for r in records if r["kind"] == "note"]
assert notes == ["first version", "second version"], notes
att = [r for r in records if r["kind"] == "attachment"][0]
assert base64.b64decode(att["content_base64"]) == b"hello, golden"
print(f"independent reader: golden vault {sys.argv[2]} read in full")
PY
done

cargo build -q -p silta-cli
silta="$root/target/debug/silta"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export SILTA_VAULT="$tmp/vault.silta" SILTA_PASSPHRASE="an independent check" SILTA_NEW_PASSPHRASE="an independent check"
"$silta" vault init --user "Åke Öhman" --kdf-memory-mib 19 --kdf-passes 2 > /dev/null
case_id="$("$silta" case new --name "Blessing Okafor" --citizenship NG)"
head -c 2500000 /dev/urandom > "$tmp/photo.jpg"
"$silta" attach add "$case_id" "$tmp/photo.jpg" > /dev/null
# A colleague added and removed: the vault's key changes, so the file holds two key epochs.
"$silta" vault add-user "Leaver" > /dev/null
"$silta" vault remove-user "Leaver" --user "Åke Öhman" > /dev/null
"$silta" demo --cases 5 > /dev/null
"$silta" vault info --json > "$tmp/info.json"
"$py" "$here/read_vault.py" "$tmp/vault.silta" "Åke Öhman" "an independent check" > "$tmp/read.json"
"$py" - "$tmp/read.json" "$tmp/info.json" "$tmp/photo.jpg" <<'PY'
import base64, json, sys
records, info = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(records) == info["records"], (len(records), info["records"])
names = {n["name"] for r in records if r["kind"] == "person" for n in r["record"]["names"]}
assert "Blessing Okafor" in names, names
photo = [r for r in records if r["kind"] == "attachment"][0]
assert base64.b64decode(photo["content_base64"]) == open(sys.argv[3], "rb").read()
assert photo["record"]["chunks"] == 3
print(f"independent reader: a fresh vault read in full ({len(records)} records)")
PY

# Referral packages, read with docs/referral-format.md only: every field group filled and sent,
# and an anonymous consultation; both validated against docs/referral.schema.json.
cat > "$tmp/case.json" <<'JSON'
{"person": {"names": [{"name": "Ioana Popescu", "kind": "legal"}, {"name": "Lia", "kind": "used_during_exploitation"}],
  "birth": {"date": "1994-05-06"}, "age_uncertain": false, "gender": "Feminine", "citizenships": ["RO"],
  "languages": [{"language": "ro", "proficiency": "mother_tongue"}], "interpreter_needed": true,
  "safe_contact": {"method": "phone", "details": "+358 40 000 0000", "safe_to_call": false, "safe_to_write": true, "note": "texts only"},
  "migri_client_number": "1234567", "residence_status": {"kind": "asylum_seeker", "details": "applied 2026-10"},
  "counsel": {"name": "Lawyer Laine", "contact": "office"}, "children_in_finland": [{"name": "Ana", "birth_date": "2019-02-03"}]},
 "details": {"status": "Active", "caseworker": "Åke Öhman", "opened": "2026-11-01",
  "exploitation_types": ["ForcedLabour"], "methods_of_control": ["DebtBondage"],
  "events": [{"kind": "Exploitation", "city": "Turku", "country": "FI", "date": "2026-05-01", "description": "restaurant kitchen"}],
  "needs": {"danger": true, "accommodation": true, "health_care": false, "money": true, "note": "needs a safe place tonight"},
  "police": {"reported": false}, "health": "back pain",
  "exploiters": [{"name": "Boss B.", "phones": ["+358 50 111"], "vehicles": ["ABC-123"], "addresses": ["Kitchen st 1"], "websites": [], "note": ""}]}}
JSON
full_case="$("$silta" case new --json "$tmp/case.json")"
"$silta" org rename "Pro-tukipiste" > /dev/null
desk_public="$("$silta" keygen --out "$tmp/desk.key" 2>/dev/null)"
"$silta" recipient add "Assistance System" --age-recipient "$desk_public" --kind assistance-system > /dev/null
"$silta" recipient confirm "Assistance System" --fingerprint "$("$silta" fingerprint "$desk_public")" > /dev/null
att_id="$("$silta" attach add "$full_case" "$tmp/photo.jpg")"
all_groups="identity,contact,status,languages,children,account,observations,indicators,needs,police-status,health,exploiters,attachment:$att_id"
"$silta" consent add "$full_case" --recipient "Assistance System" --purpose referral --fields "$all_groups" \
  --information en --read-out-in ro --interpreter "Tulkki T." > /dev/null
"$silta" referral create "$full_case" --to "Assistance System" --mode referral --fields "$all_groups" \
  --missing-reason "No interview yet; the account follows by phone." --checked-for-others \
  --out "$tmp/full.age" > /dev/null
"$silta" referral create "$full_case" --to "Assistance System" --mode consultation --out "$tmp/consultation.age" > /dev/null
# A notification the Child Welfare Act requires, sent without consent to a child welfare recipient.
child_case="$("$silta" case new --name "Amina Yusuf" --birth-date 2011-02-03)"
notification_id="$("$silta" notification add "$child_case" --kind child-welfare \
  --authority "Helsingin sosiaalipäivystys" --told "She came alone and works without pay.")"
welfare_public="$("$silta" keygen --out "$tmp/welfare.key" 2>/dev/null)"
"$silta" recipient add "Child welfare" --age-recipient "$welfare_public" --kind child-welfare > /dev/null
"$silta" recipient confirm "Child welfare" --fingerprint "$("$silta" fingerprint "$welfare_public")" > /dev/null
"$silta" referral create "$child_case" --to "Child welfare" --mode notification \
  --notification "$notification_id" --checked-for-others --out "$tmp/notification.age" > /dev/null
"$py" "$here/read_package.py" "$tmp/notification.age" "$tmp/welfare.key" "$root/docs/referral.schema.json" > "$tmp/notification.json"
"$py" "$here/read_package.py" "$tmp/full.age" "$tmp/desk.key" "$root/docs/referral.schema.json" > "$tmp/full.json"
"$py" "$here/read_package.py" "$tmp/consultation.age" "$tmp/desk.key" "$root/docs/referral.schema.json" > "$tmp/consultation.json"
"$py" - "$tmp/full.json" "$tmp/consultation.json" "$tmp/notification.json" <<'PY'
import json, sys
full, consultation = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n = json.load(open(sys.argv[3]))["data"]
assert n["mode"] == "notification" and n["consents"] == [] and n["field_groups"] == ["identity", "contact"]
assert n["notification"]["legal_basis"] == "child_welfare_act25" and "account" not in n
d = full["data"]
assert d["consents"][0]["consent"]["information"]["read_out_in"] == "ro"
assert len(d["consents"][0]["consent"]["information"]["digest"]) == 64
assert d["identity"]["names"][0]["name"] == "Ioana Popescu" and d["exploiters"]["exploiters"][0]["name"] == "Boss B."
assert len(d["attachments"]) == 1 and d["consents"][0]["consent"]["interpreter"] == "Tulkki T."
text = json.dumps(consultation, ensure_ascii=False)
for value in ["Ioana", "Popescu", "Lia", "1994-05-06", "+358", "1234567", "Laine", "Ana", "Boss", "Turku", "Öhman"]:
    assert value not in text, value
print("independent reader: a full referral, a consultation and a notification checked and schema-valid")
PY

# Every record kind a vault holds today, each version validated against docs/vault-records.schema.json
# (the golden vaults above hold the case counter of formats 1 and 2).
"$silta" retention set --years 5 > /dev/null
erased_case="$("$silta" case new --name "To Be Erased")"
"$silta" case erase "$erased_case" --yes > /dev/null
"$py" "$here/read_vault.py" "$tmp/vault.silta" "Åke Öhman" "an independent check" \
  --schema "$root/docs/vault-records.schema.json" 2> "$tmp/kinds.txt" > /dev/null
"$py" - "$tmp/kinds.txt" <<'PY'
import sys
line = open(sys.argv[1]).read().strip().splitlines()[-1]
kinds = set(line.split("kinds: ")[1].split(", "))
every = {"case", "person", "interview", "consent", "support_action", "task", "note", "notification", "attachment",
         "retention_policy", "stats_row", "organisation", "recipient", "disclosure", "audit", "audit_head"}
assert every <= kinds, f"missing from the vault: {every - kinds}"
print(f"independent reader: every record of {len(kinds)} kinds valid against docs/vault-records.schema.json")
PY

# Published statistics, checked from the outside: a training vault built with rare people (a
# non-binary person, organ removal, a Mongolian citizen among the common ones), each year's CTDC
# table and counts at CTDC's k = 11.
stats_vault="$tmp/stats.silta"
SILTA_VAULT="$stats_vault" "$silta" vault init --user "Trainer" --kdf-memory-mib 19 --kdf-passes 2 > /dev/null
SILTA_VAULT="$stats_vault" "$silta" demo --cases 400 > /dev/null
this_year="$(date +%Y)"
for year in $((this_year - 3)) $((this_year - 2)) $((this_year - 1)) "$this_year"; do
  SILTA_VAULT="$stats_vault" "$silta" stats --year "$year" --csv "$tmp/ctdc-$year.csv" > /dev/null 2>&1
  SILTA_VAULT="$stats_vault" "$silta" stats --year "$year" --json > "$tmp/counts-$year.json" 2> /dev/null
  "$py" "$here/check_stats.py" "$tmp/ctdc-$year.csv" "$tmp/counts-$year.json" 11
done
# The check fails on a table that is not k-anonymous: a row of its own added by hand.
cp "$tmp/ctdc-$((this_year - 1)).csv" "$tmp/broken.csv"
tail -n 1 "$tmp/broken.csv" | sed 's/,0,/,1,/' >> "$tmp/broken.csv"
if "$py" "$here/check_stats.py" "$tmp/broken.csv" "$tmp/counts-$((this_year - 1)).json" 11 2> /dev/null; then
  echo "the statistics check passed a table with a unique row" >&2
  exit 1
fi
echo "independent statistics check: a table with a unique row is refused"
