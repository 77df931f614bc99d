//! Anonymised statistics: counts that identify no one (`report`), and the CTDC Global Dataset's
//! one-row-per-person table for the national rapporteur (`ctdc`), one calendar year of
//! registration at a time. Both keep every published combination shared by at least K people,
//! K = 11 as CTDC's (codebook v6, section 1). Demo cases
//! count only in a vault that holds nothing else (the training vault: there they are the data);
//! erased cases count through the row kept when they were erased.

mod ctdc;
mod report;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cases::CaseView;
use crate::disclosures::{self, Decision};
use crate::error::{Error, Result};
use crate::ids::StatsRowId;
use crate::model::codes::{
    ExploitationType, ForcedLabourIndustry, Gender, MethodOfControl, SexExploitationType,
    TraffickingEventType,
};
use crate::model::{Birth, Case, CountryCode, Person};
use crate::vault::{Record, Vault};

pub use ctdc::{COLUMNS, csv};
pub use report::{
    AgeBand, Cell, Count, Dimension, DimensionReport, StatsReport, StatsValue, report,
};

/// CTDC's k: "queries to the global dataset cannot return fewer than 10 results" (CTDC data
/// codebook v6, November 2017, section 1).
pub const CTDC_K: u64 = 11;

/// The smallest group published: CTDC's 11, or lower only when asked for by name
/// (`MinCell::new(k, true)`), for a look inside the organisation, never for publication. Never
/// higher: outputs of one year at two minimums can be compared to single someone out (a table at
/// 12 that generalises a row the table at 11 kept tells what the twelfth person is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MinCell(u64);

impl MinCell {
    pub const CTDC: MinCell = MinCell(CTDC_K);

    /// `k` people at least: 11, or below only with `below_ctdc`.
    pub fn new(k: u64, below_ctdc: bool) -> Result<MinCell> {
        if k == 0 {
            return Err(Error::invalid("the minimum cell is at least 1".to_string()));
        }
        if k > CTDC_K {
            return Err(Error::invalid(format!(
                "the minimum cell is CTDC's {CTDC_K}: outputs of one year at different minimums \
                 can be compared to single someone out"
            )));
        }
        if k < CTDC_K && !below_ctdc {
            return Err(Error::invalid(format!(
                "a minimum cell of {k} is below CTDC's {CTDC_K}: counts that small can identify \
                 people; give --below-ctdc to see them inside the organisation, and never publish them"
            )));
        }
        Ok(MinCell(k))
    }

    pub fn get(self) -> u64 {
        self.0
    }

    /// Below CTDC's 11: the output is for inside the organisation only.
    pub fn below_ctdc(self) -> bool {
        self.0 < CTDC_K
    }
}

/// One person, as the statistics see them: no name, no date, no place finer than a country.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatsRow {
    pub year: i32,
    pub gender: Option<Gender>,
    /// The age band's CTDC name ("0--8"; "0-8" in rows kept before version 2), or None when the
    /// age is unknown.
    pub age_band: Option<String>,
    pub minor: Option<bool>,
    pub citizenship: Option<String>,
    pub exploitation_types: Vec<ExploitationType>,
    /// Forced criminality, recorded as exploitation type `Other` (HTCDS has no code for it).
    #[serde(default)]
    pub forced_criminality: bool,
    #[serde(default)]
    pub sex_exploitation_types: Vec<SexExploitationType>,
    #[serde(default)]
    pub forced_labour_industry: Option<ForcedLabourIndustry>,
    /// The country of the first exploitation event recorded.
    #[serde(default)]
    pub country_of_exploitation: Option<CountryCode>,
    pub methods_of_control: Vec<MethodOfControl>,
    /// Referred to the Assistance System (rows kept before version 2 counted police reports too).
    pub referred: bool,
    pub outcome: Option<Decision>,
}

impl Record for StatsRow {
    const KIND: &'static str = "stats_row";
    type Id = StatsRowId;
}

impl StatsRow {
    /// The age band, read from the CTDC name or the one rows kept before version 2 used.
    fn band(&self) -> Option<AgeBand> {
        self.age_band.as_deref().and_then(AgeBand::parse)
    }
}

fn age_at(person: &Person, day: NaiveDate) -> Option<u32> {
    match person.birth? {
        Birth::Date(d) => day.years_since(d),
        Birth::EstimatedYear(y) => u32::try_from(day.year() - y).ok(),
    }
}

/// The fingerprints of the Assistance System's recipients: a referral counts only when it went
/// there (a police report, or a referral to another organisation, is not admission to it).
fn assistance_system(vault: &Vault) -> Result<BTreeSet<String>> {
    Ok(crate::recipients::list(vault)?
        .into_iter()
        .filter(|r| r.record.kind == crate::recipients::RecipientKind::AssistanceSystem)
        .map(|r| r.record.fingerprint)
        .collect())
}

fn row_of(
    case: &Case,
    person: &Person,
    sent: &[disclosures::Disclosure],
    assistance: &BTreeSet<String>,
) -> StatsRow {
    let d = &case.details;
    let age = if person.age_uncertain {
        None
    } else {
        age_at(person, d.opened)
    };
    let referrals: Vec<_> = sent
        .iter()
        .filter(|s| {
            s.mode == crate::referral::Mode::Referral
                && assistance.contains(&s.recipient_fingerprint)
        })
        .collect();
    StatsRow {
        year: d.opened.year(),
        gender: person.gender,
        age_band: age.map(|a| AgeBand::of(a).ctdc().to_string()),
        minor: age.map(|a| a < 18),
        citizenship: person.citizenships.first().map(|c| c.as_str().to_string()),
        exploitation_types: d.exploitation_types.clone(),
        forced_criminality: d.forced_criminality
            && d.exploitation_types.contains(&ExploitationType::Other),
        sex_exploitation_types: d.sex_exploitation_types.clone(),
        forced_labour_industry: d.forced_labour_industry,
        country_of_exploitation: d
            .events
            .iter()
            .filter(|e| e.kind == TraffickingEventType::Exploitation)
            .find_map(|e| e.country.clone()),
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
    Ok(row_of(
        &view.case.record,
        &view.person.record,
        &sent,
        &assistance_system(vault)?,
    ))
}

/// The people counted, and whether they are the training vault's invented ones.
#[derive(Debug)]
pub struct Rows {
    pub rows: Vec<StatsRow>,
    /// Demo cases, counted because the vault holds nothing else: every output says so.
    pub demo: bool,
}

/// Every person counted: live cases that are not demo data and the rows of erased cases, or, in
/// a vault with neither, its demo cases.
pub fn rows(vault: &Vault) -> Result<Rows> {
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
    let assistance = assistance_system(vault)?;
    let (mut real, mut demo) = (Vec::new(), Vec::new());
    for c in vault.list::<Case>(None)? {
        if let Some(person) = people.get(&c.record.person) {
            let row = row_of(
                &c.record,
                person,
                sent.get(&c.id).map(Vec::as_slice).unwrap_or_default(),
                &assistance,
            );
            if c.record.details.demo {
                demo.push(row);
            } else {
                real.push(row);
            }
        }
    }
    real.extend(vault.list::<StatsRow>(None)?.into_iter().map(|r| r.record));
    Ok(if real.is_empty() && !demo.is_empty() {
        Rows {
            rows: demo,
            demo: true,
        }
    } else {
        Rows {
            rows: real,
            demo: false,
        }
    })
}
