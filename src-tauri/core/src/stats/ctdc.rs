//! The CTDC Global Dataset's table: one row per person, in CTDC's own variable names and codings
//! (CTDC data codebook v6, November 2017, and the variable list of the k-anonymised Global
//! Dataset it describes), k-anonymised over every column as CTDC does (codebook v6, section 1).
//! docs/statistics.md maps each HTCDS value to its column.
//!
//! k-anonymity here is the strict one: every row of the file is identical, column for column, to
//! at least K - 1 others. Rows that are not get values generalised to "-99" (unknown), one column
//! at a time for all such rows at once, least telling first: the country of exploitation, the
//! citizenship, the kinds of labour and of sexual exploitation, the means of control (rarest
//! first), the age band (the majority status stays), the gender, the forms of exploitation
//! (rarest first), the majority status and the year. Rows still unlike K - 1 others are left out.
//! A generalised value cannot be told from an unknown one, so "-99" says nothing of which it is.

use std::collections::BTreeMap;

use super::{MinCell, StatsRow};
use crate::model::codes::{
    ExploitationType as E, ForcedLabourIndustry as I, Gender, MethodOfControl as M,
    SexExploitationType as S,
};

/// Unknown, or generalised away: the Global Dataset's missing value.
const MISSING: &str = "-99";

/// The Global Dataset's columns that Silta fills, in its order.
pub const COLUMNS: [&str; 48] = [
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfLabourAgriculture",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
];

const MEANS: std::ops::Range<usize> = 7..25;
const FORMS: std::ops::Range<usize> = 25..33;
const LABOUR: std::ops::Range<usize> = 33..44;
const SEX: std::ops::Range<usize> = 44..48;

/// HTCDS's method of control → the CTDC column. Threats to the person's children or family are
/// threats (CTDC has no column of its own for them).
fn means_column(m: M) -> &'static str {
    match m {
        M::DebtBondage => "meansOfControlDebtBondage",
        M::TakesEarnings => "meansOfControlTakesEarnings",
        M::RestrictsFinancialAccess => "meansOfControlRestrictsFinancialAccess",
        M::PhysicalThreats | M::ThreatensChildrenFamily => "meansOfControlThreats",
        M::PsychologicalAbuse => "meansOfControlPsychologicalAbuse",
        M::PhysicalAbuse => "meansOfControlPhysicalAbuse",
        M::SexualAbuse => "meansOfControlSexualAbuse",
        M::FalsePromises => "meansOfControlFalsePromises",
        M::PsychoactiveSubstance => "meansOfControlPsychoactiveSubstances",
        M::RestrictsMovement => "meansOfControlRestrictsMovement",
        M::RestrictsMedicalCare => "meansOfControlRestrictsMedicalCare",
        M::ExcessiveWorkingHours => "meansOfControlExcessiveWorkingHours",
        M::UsesChildren => "meansOfControlUsesChildren",
        M::ThreatsLawEnforcement => "meansOfControlThreatOfLawEnforcement",
        M::WithholdsNecessities => "meansOfControlWithholdsNecessities",
        M::WithholdsDocuments => "meansOfControlWithholdsDocuments",
        M::Other => "meansOfControlOther",
    }
}

/// HTCDS's form of exploitation → the CTDC columns it sets. Forced begging is forced labour of
/// the kind "begging"; child labour is counted as forced labour (the minor status tells it
/// apart); servitude is CTDC's "slavery and similar practices".
fn form_columns(e: E, forced_criminality: bool) -> &'static [&'static str] {
    match e {
        E::ForcedLabour | E::ChildLabour => &["isForcedLabour"],
        E::SexualExploitation => &["isSexualExploit"],
        E::ForcedMarriage => &["isForcedMarriage"],
        E::Servitude => &["isSlaveryAndPractices"],
        E::ForcedMilitaryByNonStateActors => &["isForcedMilitary"],
        E::OrganRemoval => &["isOrganRemoval"],
        E::ForcedBegging => &["isForcedLabour", "typeOfLabourBegging"],
        E::Other if forced_criminality => &["isForcedLabour", "typeOfLabourIllicitActivities"],
        E::ForcedAdoption | E::Surrogacy | E::Other => &["isOtherExploit"],
    }
}

/// The ISIC section of forced labour → CTDC's kind of labour.
fn labour_column(i: I) -> &'static str {
    match i {
        I::A_AgricultureForestryAndFishing => "typeOfLabourAgriculture",
        I::B_MiningAndQuarrying => "typeOfLabourMiningOrDrilling",
        I::C_Manufacturing => "typeOfLabourManufacturing",
        I::F_Construction => "typeOfLabourConstruction",
        I::H_TransportationAndStorage => "typeOfLabourTransportation",
        I::I_AccommodationAndFoodServiceActivities => "typeOfLabourHospitality",
        I::T_ActivitiesOfHouseholdsAsEmployers => "typeOfLabourDomesticWork",
        _ => "typeOfLabourOther",
    }
}

fn gender(g: Option<Gender>) -> &'static str {
    match g {
        Some(Gender::Feminine) => "Female",
        Some(Gender::Masculine) => "Male",
        Some(
            Gender::TransgenderFeminine | Gender::TransgenderMasculine | Gender::NonConforming,
        ) => "Transgender/NonConforming",
        None | Some(Gender::NonSpecifiedUnknown) => MISSING,
    }
}

fn set(row: &mut [String], name: &str) {
    if let Some(i) = COLUMNS.iter().position(|c| *c == name) {
        row[i] = "1".to_string();
    }
}

fn is_set(row: &[String], name: &str) -> bool {
    COLUMNS
        .iter()
        .position(|c| *c == name)
        .is_some_and(|i| row[i] == "1")
}

/// One person's row, before any generalisation.
fn values(r: &StatsRow, datasource: &str) -> Vec<String> {
    let mut v: Vec<String> = vec!["0".to_string(); COLUMNS.len()];
    let text = |s: Option<&str>| s.unwrap_or(MISSING).to_string();
    v[0] = r.year.to_string();
    v[1] = datasource.to_string();
    v[2] = gender(r.gender).to_string();
    v[3] = text(r.band().map(|b| b.ctdc()));
    v[4] = text(r.minor.map(|m| if m { "Minor" } else { "Adult" }));
    v[5] = text(r.citizenship.as_deref());
    v[6] = text(r.country_of_exploitation.as_ref().map(|c| c.as_str()));
    for &m in &r.methods_of_control {
        set(&mut v, means_column(m));
    }
    if r.methods_of_control.is_empty() {
        set(&mut v, "meansOfControlNotSpecified");
    }
    for &e in &r.exploitation_types {
        for c in form_columns(e, r.forced_criminality) {
            set(&mut v, c);
        }
    }
    // The kinds of labour and of sexual exploitation only with the form they are kinds of.
    let forced_labour = is_set(&v, "isForcedLabour");
    if let Some(i) = r.forced_labour_industry.filter(|_| forced_labour) {
        set(&mut v, labour_column(i));
    }
    if is_set(&v, "isSexualExploit") {
        for &s in &r.sex_exploitation_types {
            set(
                &mut v,
                match s {
                    S::Prostitution => "typeOfSexProstitution",
                    S::Pornography => "typeOfSexPornography",
                    S::RemoteInteractiveServices => "typeOfSexRemoteInteractiveServices",
                    S::PrivateSexualServices => "typeOfSexPrivateSexualServices",
                },
            );
        }
    }
    if forced_labour && LABOUR.clone().all(|i| v[i] == "0") {
        set(&mut v, "typeOfLabourNotSpecified");
    }
    if forced_labour && is_set(&v, "isSexualExploit") {
        set(&mut v, "isSexAndLabour");
    }
    v
}

/// Which columns go first when two would split the remaining rows equally: the least telling
/// first (country of exploitation, citizenship, the kinds of labour and sexual exploitation,
/// the means of control, the age band, the gender, the forms of exploitation, the majority
/// status; the year is the same in every row).
fn preference() -> Vec<usize> {
    let mut order = vec![6, 5];
    order.extend(SEX);
    order.extend(LABOUR);
    order.extend(MEANS);
    order.extend([3, 2]);
    order.extend(FORMS);
    order.push(4);
    order
}

/// Sweeney's Datafly heuristic (L. Sweeney, "Datafly: a system for providing anonymity in
/// medical data", 1997): while some rows are shared by fewer than `k`, generalise for those rows
/// the column in which they differ most, until they no longer differ anywhere.
fn generalise(table: &mut [Vec<String>], k: u64) {
    let order = preference();
    loop {
        let small: Vec<bool> = {
            let sizes = group_sizes(table);
            table.iter().map(|r| sizes[r.as_slice()] < k).collect()
        };
        let distinct = |c: usize| {
            table
                .iter()
                .zip(&small)
                .filter(|(_, s)| **s)
                .map(|(r, _)| r[c].as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        let best = order
            .iter()
            .enumerate()
            .map(|(rank, &c)| (distinct(c), std::cmp::Reverse(rank), c))
            .max();
        match best {
            Some((n, _, c)) if n > 1 => {
                for (r, small) in table.iter_mut().zip(&small) {
                    if *small {
                        r[c] = MISSING.to_string();
                    }
                }
            }
            _ => return,
        }
    }
}

fn group_sizes(rows: &[Vec<String>]) -> BTreeMap<&[String], u64> {
    let mut sizes: BTreeMap<&[String], u64> = BTreeMap::new();
    for r in rows {
        *sizes.entry(r.as_slice()).or_default() += 1;
    }
    sizes
}

/// The Global Dataset's table of the people registered in `year`, every row shared by at least
/// `min_cell` people. `demo` marks the training vault's invented people in `Datasource`, so a
/// file made from them cannot pass for real data.
pub fn csv(rows: &[StatsRow], demo: bool, year: i32, min_cell: MinCell) -> String {
    let k = min_cell.get();
    let datasource = match (demo, min_cell.below_ctdc()) {
        (true, _) => "Synthetic (Silta training vault)".to_string(),
        // Marked in every row, so a table made for inside the organisation cannot pass for one
        // to publish.
        (false, true) => format!("Case Management (k={k}: not for publication)"),
        (false, false) => "Case Management".to_string(),
    };
    let mut table: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| r.year == year)
        .map(|r| values(r, &datasource))
        .collect();
    generalise(&mut table, k);
    let kept: Vec<bool> = {
        let sizes = group_sizes(&table);
        table.iter().map(|r| sizes[r.as_slice()] >= k).collect()
    };
    let mut out = COLUMNS.join(",") + "\n";
    // Sorted, so the order of the rows says nothing of the order cases were opened in.
    let mut published: Vec<&Vec<String>> = table
        .iter()
        .zip(kept)
        .filter_map(|(r, keep)| keep.then_some(r))
        .collect();
    published.sort();
    for r in published {
        out.push_str(&(r.join(",") + "\n"));
    }
    out
}
