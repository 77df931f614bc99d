//! Anonymised statistics: counts that identify no one, and a CTDC-style one-row-per-person table
//! for the national rapporteur. Every count below K people is suppressed (with a second cell
//! where one alone could be worked out from the total), and table rows whose combination of year,
//! gender, age band and citizenship is shared by fewer than K people are generalised until it is
//! not. Demo cases never count; erased cases count through the row kept when they were erased.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cases::CaseView;
use crate::disclosures::{self, Decision};
use crate::error::Result;
use crate::ids::StatsRowId;
use crate::model::codes::{ExploitationType, Gender, MethodOfControl};
use crate::model::{Birth, Case, Person};
use crate::vault::{Record, Vault};

/// The age bands of the national statistics.
const BANDS: [(u32, u32, &str); 9] = [
    (0, 8, "0-8"),
    (9, 17, "9-17"),
    (18, 20, "18-20"),
    (21, 23, "21-23"),
    (24, 26, "24-26"),
    (27, 29, "27-29"),
    (30, 38, "30-38"),
    (39, 47, "39-47"),
    (48, u32::MAX, "48+"),
];

/// One person, as the statistics see them: no name, no date, no place finer than a country.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatsRow {
    pub year: i32,
    pub gender: Option<Gender>,
    /// One of the bands, or None when the age is unknown.
    pub age_band: Option<String>,
    pub minor: Option<bool>,
    pub citizenship: Option<String>,
    pub exploitation_types: Vec<ExploitationType>,
    pub methods_of_control: Vec<MethodOfControl>,
    pub referred: bool,
    pub outcome: Option<Decision>,
}

impl Record for StatsRow {
    const KIND: &'static str = "stats_row";
    type Id = StatsRowId;
}

fn age_at(person: &Person, day: NaiveDate) -> Option<u32> {
    match person.birth? {
        Birth::Date(d) => day.years_since(d),
        Birth::EstimatedYear(y) => u32::try_from(day.year() - y).ok(),
    }
}

fn row_of(case: &Case, person: &Person, sent: &[disclosures::Disclosure]) -> StatsRow {
    let d = &case.details;
    let age = if person.age_uncertain {
        None
    } else {
        age_at(person, d.opened)
    };
    let referrals: Vec<_> = sent
        .iter()
        .filter(|s| {
            matches!(
                s.mode,
                crate::referral::Mode::Referral | crate::referral::Mode::Report
            )
        })
        .collect();
    StatsRow {
        year: d.opened.year(),
        gender: person.gender,
        age_band: age.and_then(|a| {
            BANDS
                .iter()
                .find(|(lo, hi, _)| (*lo..=*hi).contains(&a))
                .map(|b| b.2.to_string())
        }),
        minor: age.map(|a| a < 18),
        citizenship: person.citizenships.first().map(|c| c.as_str().to_string()),
        exploitation_types: d.exploitation_types.clone(),
        methods_of_control: d.methods_of_control.clone(),
        referred: !referrals.is_empty(),
        outcome: referrals
            .iter()
            .rev()
            .find_map(|s| s.acknowledgement.as_ref().map(|a| a.decision)),
    }
}

/// The statistics row of one case (kept when the case is erased).
pub fn row(vault: &Vault, view: &CaseView) -> Result<StatsRow> {
    let sent: Vec<_> = disclosures::of_case(vault, view.case.id)?
        .into_iter()
        .map(|d| d.record)
        .collect();
    Ok(row_of(&view.case.record, &view.person.record, &sent))
}

/// Every person counted: live cases that are not demo data, and the rows of erased cases.
pub fn rows(vault: &Vault) -> Result<Vec<StatsRow>> {
    let people: BTreeMap<_, _> = vault
        .list::<Person>(None)?
        .into_iter()
        .map(|p| (p.id, p.record))
        .collect();
    let mut sent: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for d in disclosures::all(vault)? {
        if let Some(case) = d.case {
            sent.entry(case).or_default().push(d.record);
        }
    }
    let mut out: Vec<StatsRow> = Vec::new();
    for c in vault.list::<Case>(None)? {
        if c.record.details.demo {
            continue;
        }
        if let Some(person) = people.get(&c.record.person) {
            out.push(row_of(
                &c.record,
                person,
                sent.get(&c.id).map(Vec::as_slice).unwrap_or_default(),
            ));
        }
    }
    out.extend(vault.list::<StatsRow>(None)?.into_iter().map(|r| r.record));
    Ok(out)
}

/// A count, or `None` where it is suppressed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cell {
    pub value: String,
    pub count: Option<u64>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StatsReport {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub min_cell: u64,
    /// Suppressed as well when below `min_cell`.
    pub total: Option<u64>,
    /// Dimension name → cells.
    pub dimensions: Vec<(String, Vec<Cell>)>,
}

fn suppress(counts: BTreeMap<String, u64>, k: u64) -> Vec<Cell> {
    let mut cells: Vec<Cell> = counts
        .into_iter()
        .map(|(value, n)| Cell {
            value,
            count: (n >= k).then_some(n),
        })
        .collect();
    // One suppressed cell could be worked out from the total and the rest: hide the next smallest.
    let hidden = cells.iter().filter(|c| c.count.is_none()).count();
    if hidden == 1 {
        if let Some(smallest) = cells
            .iter_mut()
            .filter(|c| c.count.is_some())
            .min_by_key(|c| c.count)
        {
            smallest.count = None;
        }
    }
    cells
}

fn within(row: &StatsRow, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    from.is_none_or(|f| row.year >= f.year()) && to.is_none_or(|t| row.year <= t.year())
}

/// Counts by each dimension, with cells below `k` suppressed. The period selects by year of
/// registration.
pub fn report(
    rows: &[StatsRow],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    k: u64,
) -> StatsReport {
    let rows: Vec<&StatsRow> = rows.iter().filter(|r| within(r, from, to)).collect();
    let mut dims: Vec<(String, Vec<Cell>)> = Vec::new();
    let mut count = |name: &str, values: &dyn Fn(&StatsRow) -> Vec<String>| {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for r in &rows {
            for v in values(r) {
                *counts.entry(v).or_default() += 1;
            }
        }
        dims.push((name.to_string(), suppress(counts, k)));
    };
    let unknown = || "unknown".to_string();
    count("year", &|r| vec![r.year.to_string()]);
    count("gender", &|r| {
        vec![r.gender.map(|g| g.to_string()).unwrap_or_else(unknown)]
    });
    count("age_band", &|r| {
        vec![r.age_band.clone().unwrap_or_else(unknown)]
    });
    count("minor", &|r| {
        vec![match r.minor {
            Some(true) => "minor".into(),
            Some(false) => "adult".into(),
            None => unknown(),
        }]
    });
    count("citizenship", &|r| {
        vec![r.citizenship.clone().unwrap_or_else(unknown)]
    });
    count("exploitation_type", &|r| {
        r.exploitation_types.iter().map(|c| c.to_string()).collect()
    });
    count("method_of_control", &|r| {
        r.methods_of_control.iter().map(|c| c.to_string()).collect()
    });
    count("referred", &|r| {
        vec![if r.referred { "yes" } else { "no" }.into()]
    });
    count("outcome", &|r| {
        r.outcome
            .map(|o| {
                vec![
                    if o == Decision::Accepted {
                        "accepted"
                    } else {
                        "declined"
                    }
                    .into(),
                ]
            })
            .unwrap_or_default()
    });
    let total = rows.len() as u64;
    StatsReport {
        from,
        to,
        min_cell: k,
        total: (total >= k).then_some(total),
        dimensions: dims,
    }
}

/// The CTDC-style table: one row per person, 0/1 columns per exploitation type and method of
/// control. Rows whose (year, gender, age band, citizenship) is shared by fewer than `k` people are
/// generalised (citizenship, then age band, then gender, then year blanked) and dropped if that is
/// not enough.
pub fn csv(rows: &[StatsRow], from: Option<NaiveDate>, to: Option<NaiveDate>, k: u64) -> String {
    let mut quasi: Vec<[String; 4]> = rows
        .iter()
        .filter(|r| within(r, from, to))
        .map(|r| {
            [
                r.year.to_string(),
                r.gender.map(|g| g.to_string()).unwrap_or_default(),
                r.age_band.clone().unwrap_or_default(),
                r.citizenship.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let kept: Vec<&StatsRow> = rows.iter().filter(|r| within(r, from, to)).collect();
    for column in (0..4).rev() {
        let mut groups: BTreeMap<[String; 4], u64> = BTreeMap::new();
        for q in &quasi {
            *groups.entry(q.clone()).or_default() += 1;
        }
        for q in quasi.iter_mut() {
            if groups[&*q] < k {
                q[column] = String::new();
            }
        }
    }
    let mut groups: BTreeMap<[String; 4], u64> = BTreeMap::new();
    for q in &quasi {
        *groups.entry(q.clone()).or_default() += 1;
    }
    let mut header = vec![
        "yearOfRegistration".to_string(),
        "gender".into(),
        "ageBroad".into(),
        "citizenship".into(),
        "majorityStatus".into(),
    ];
    header.extend(
        ExploitationType::ALL
            .iter()
            .map(|c| format!("typeOfExploit{c}")),
    );
    header.extend(
        MethodOfControl::ALL
            .iter()
            .map(|c| format!("meansOfControl{c}")),
    );
    header.extend(["referred".into(), "referralAccepted".into()]);
    let mut out = header.join(",") + "\n";
    for (q, r) in quasi.iter().zip(kept) {
        if groups[q] < k {
            continue;
        }
        let bit = |b: bool| if b { "1" } else { "0" }.to_string();
        let mut cells: Vec<String> = q.to_vec();
        // Majority status would undo a blanked age band.
        cells.push(if q[2].is_empty() {
            String::new()
        } else {
            match r.minor {
                Some(true) => "Minor".into(),
                Some(false) => "Adult".into(),
                None => String::new(),
            }
        });
        cells.extend(
            ExploitationType::ALL
                .iter()
                .map(|c| bit(r.exploitation_types.contains(c))),
        );
        cells.extend(
            MethodOfControl::ALL
                .iter()
                .map(|c| bit(r.methods_of_control.contains(c))),
        );
        cells.push(bit(r.referred));
        cells.push(match r.outcome {
            Some(Decision::Accepted) => "1".into(),
            Some(Decision::Declined) => "0".into(),
            None => String::new(),
        });
        out.push_str(&(cells.join(",") + "\n"));
    }
    out
}
