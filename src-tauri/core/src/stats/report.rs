//! The aggregate counts: one table per dimension, every value listed (a value left out would say
//! that it is zero), each count published only where it cannot single anyone out.
//!
//! The rules, each tested under its own name in `tests/stats.rs`:
//! - primary suppression: a count below K is shown as "fewer than K" (CTDC codebook v6, s. 1);
//! - one calendar year at a time: reports of different years share no one, so subtracting one
//!   from another (a longer period less a shorter one, "differencing") tells nothing;
//! - secondary suppression: in every table the counts not shown are never alone, and hold
//!   together at least K - 1 more than the K each "hidden" one is known to hold, so none can be
//!   worked out or narrowed from the others and the total; a count hidden for this is "hidden",
//!   never a false "fewer than K";
//! - minors are not counted apart from the age bands (their sum), and countries below K are
//!   counted together as "other countries" rather than named.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{MinCell, StatsRow};
use crate::disclosures::Decision;
use crate::model::CountryCode;
use crate::model::codes::{ExploitationType, Gender, MethodOfControl};
use crate::words::{FormLanguage, Words, country};

/// A count as published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", content = "n", rename_all = "snake_case")]
pub enum Count {
    Shown(u64),
    /// Below the minimum cell (primary suppression), zero included.
    FewerThanK,
    /// At least the minimum, withheld so that another count cannot be worked out.
    Hidden,
}

/// The age bands of CTDC's `ageBroad`, named as CTDC names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum AgeBand {
    #[serde(rename = "0--8")]
    Upto8,
    #[serde(rename = "9--17")]
    From9To17,
    #[serde(rename = "18--20")]
    From18To20,
    #[serde(rename = "21--23")]
    From21To23,
    #[serde(rename = "24--26")]
    From24To26,
    #[serde(rename = "27--29")]
    From27To29,
    #[serde(rename = "30--38")]
    From30To38,
    #[serde(rename = "39--47")]
    From39To47,
    #[serde(rename = "48+")]
    From48,
}

impl AgeBand {
    /// Youngest first.
    pub const ALL: [AgeBand; 9] = [
        AgeBand::Upto8,
        AgeBand::From9To17,
        AgeBand::From18To20,
        AgeBand::From21To23,
        AgeBand::From24To26,
        AgeBand::From27To29,
        AgeBand::From30To38,
        AgeBand::From39To47,
        AgeBand::From48,
    ];

    const LOWEST: [u32; 9] = [0, 9, 18, 21, 24, 27, 30, 39, 48];
    const CTDC: [&'static str; 9] = [
        "0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+",
    ];

    pub fn of(age: u32) -> AgeBand {
        let i = Self::LOWEST.iter().rposition(|&lo| age >= lo).unwrap_or(0);
        Self::ALL[i]
    }

    /// CTDC's name: "0--8".
    pub fn ctdc(self) -> &'static str {
        Self::CTDC[self as usize]
    }

    /// From CTDC's name, or the "0-8" of rows kept before version 2.
    pub fn parse(s: &str) -> Option<AgeBand> {
        Self::ALL
            .into_iter()
            .find(|b| b.ctdc() == s || b.ctdc().replace("--", "-") == s)
    }
}

/// What a table counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Gender,
    AgeBand,
    Citizenship,
    ExploitationType,
    MethodOfControl,
    Referral,
}

/// Values of the tables that are not codes of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatsValue {
    NotRecorded,
    OtherCountries,
    TransOrNonBinary,
    NotReferred,
    ReferredAccepted,
    ReferredDeclined,
    ReferredNoAnswer,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Cell {
    /// Stable, for scripts: "gender.Feminine", "year.2025", "country.FI", "ageBand.0--8".
    pub key: String,
    /// In the report's language.
    pub label: String,
    pub count: Count,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DimensionReport {
    pub dimension: Dimension,
    pub title: String,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatsReport {
    /// The year of registration counted.
    pub year: i32,
    pub min_cell: u64,
    /// The minimum is below CTDC's 11: for inside the organisation only.
    pub below_ctdc: bool,
    /// The training vault's invented people.
    pub demo: bool,
    pub total: Count,
    /// No one at all in the year.
    pub no_data: bool,
    /// Empty when the total is below the minimum: every count would be.
    pub dimensions: Vec<DimensionReport>,
}

/// One value's count.
struct Tally {
    key: String,
    label: String,
    n: u64,
}

impl Tally {
    fn new((key, label): (String, String)) -> Self {
        Tally { key, label, n: 0 }
    }
}

/// Primary suppression (none with a minimum of 1: everything is asked for).
fn primary(n: u64, k: u64) -> Count {
    if n < k && k > 1 {
        Count::FewerThanK
    } else {
        Count::Shown(n)
    }
}

/// Secondary suppression. A reader knows that a count "fewer than K" is 0 to K - 1 and that a
/// "hidden" one is at least K (it passed the first rule), and, where a table adds up to the total,
/// what the counts not shown hold together. So those counts must be at least two, and hold at
/// least K - 1 more than the K each hidden one is known to hold: then no count not shown can be
/// narrowed below its own bounds (two "fewer than" counts holding 3 together would each be at
/// most 3; a hidden count beside a zero, holding exactly 11, would be exactly 11). Hides, each
/// time, the smallest count still shown that is enough, or else the largest.
fn protect(cells: &mut [Cell], sizes: &[u64], k: u64) {
    if k <= 1 {
        return;
    }
    loop {
        let withheld: Vec<usize> = (0..cells.len())
            .filter(|&i| !matches!(cells[i].count, Count::Shown(_)))
            .collect();
        let held: u64 = withheld.iter().map(|&i| sizes[i]).sum();
        let hidden = withheld
            .iter()
            .filter(|&&i| cells[i].count == Count::Hidden)
            .count() as u64;
        let needed = |hidden: u64| k * (hidden + 1) - 1;
        // Nor from above: "fewer than" counts alone, holding more than all but one of them can,
        // each hold at least the rest (10 and 10 holding 20 are each exactly 10). A hidden count
        // has no upper bound, so beside one this cannot happen.
        let pinned_from_above =
            hidden == 0 && held > (withheld.len() as u64).saturating_sub(1) * (k - 1);
        if withheld.is_empty()
            || (withheld.len() >= 2 && held >= needed(hidden) && !pinned_from_above)
        {
            return;
        }
        let shown = || (0..cells.len()).filter(|&i| matches!(cells[i].count, Count::Shown(_)));
        let enough = shown()
            .filter(|&i| held + sizes[i] >= needed(hidden + 1))
            .min_by_key(|&i| (sizes[i], i));
        match enough.or_else(|| shown().max_by_key(|&i| (sizes[i], std::cmp::Reverse(i)))) {
            Some(i) => cells[i].count = Count::Hidden,
            None => return,
        }
    }
}

fn table(dimension: Dimension, tallies: Vec<Tally>, k: u64, lang: FormLanguage) -> DimensionReport {
    let sizes: Vec<u64> = tallies.iter().map(|t| t.n).collect();
    let mut cells: Vec<Cell> = tallies
        .into_iter()
        .map(|t| Cell {
            count: primary(t.n, k),
            key: t.key,
            label: t.label,
        })
        .collect();
    protect(&mut cells, &sizes, k);
    DimensionReport {
        dimension,
        title: dimension.label(lang).to_string(),
        cells,
    }
}

/// Tallies `rows` into the listed (key, label) values: each row into every value whose index
/// `of` gives, or into the last value ("not recorded") when none.
fn tally(
    rows: &[&StatsRow],
    values: Vec<(String, String)>,
    of: impl Fn(&StatsRow) -> Vec<usize>,
) -> Vec<Tally> {
    let mut tallies: Vec<Tally> = values.into_iter().map(Tally::new).collect();
    let last = tallies.len().saturating_sub(1);
    for r in rows {
        let mut at = of(r);
        if at.is_empty() {
            at.push(last);
        }
        for i in at {
            if let Some(t) = tallies.get_mut(i) {
                t.n += 1;
            }
        }
    }
    tallies
}

fn keyed<W: Words>(w: W, lang: FormLanguage) -> (String, String) {
    (w.key(), w.label(lang).to_string())
}

/// The values of a code list, then "not recorded".
fn listed<W: Words>(all: &[W], lang: FormLanguage) -> Vec<(String, String)> {
    all.iter()
        .map(|&w| keyed(w, lang))
        .chain([keyed(StatsValue::NotRecorded, lang)])
        .collect()
}

/// Where each of `found` is in `all`.
fn positions<W: PartialEq>(all: &[W], found: &[W]) -> Vec<usize> {
    (0..all.len())
        .filter(|&i| found.contains(&all[i]))
        .collect()
}

fn gender(g: Option<Gender>) -> Vec<usize> {
    vec![match g {
        Some(Gender::Feminine) => 0,
        Some(Gender::Masculine) => 1,
        Some(
            Gender::TransgenderFeminine | Gender::TransgenderMasculine | Gender::NonConforming,
        ) => 2,
        None | Some(Gender::NonSpecifiedUnknown) => 3,
    }]
}

const OUTCOMES: [StatsValue; 4] = [
    StatsValue::NotReferred,
    StatsValue::ReferredAccepted,
    StatsValue::ReferredDeclined,
    StatsValue::ReferredNoAnswer,
];

fn referral(r: &StatsRow) -> Vec<usize> {
    vec![match (r.referred, r.outcome) {
        (false, _) => 0,
        (true, Some(Decision::Accepted)) => 1,
        (true, Some(Decision::Declined)) => 2,
        (true, None) => 3,
    }]
}

/// Counts by each dimension of the people registered in `year`, every count protected as the
/// module says, labelled in `lang`.
pub fn report(
    rows: &[StatsRow],
    demo: bool,
    year: i32,
    min_cell: MinCell,
    lang: FormLanguage,
) -> StatsReport {
    let k = min_cell.get();
    let rows: Vec<&StatsRow> = rows.iter().filter(|r| r.year == year).collect();
    let mut out = StatsReport {
        year,
        min_cell: k,
        below_ctdc: min_cell.below_ctdc(),
        demo,
        total: primary(rows.len() as u64, k),
        no_data: rows.is_empty(),
        dimensions: Vec::new(),
    };
    if out.total == Count::FewerThanK {
        return out;
    }
    let genders = vec![
        keyed(Gender::Feminine, lang),
        keyed(Gender::Masculine, lang),
        keyed(StatsValue::TransOrNonBinary, lang),
        keyed(StatsValue::NotRecorded, lang),
    ];
    out.dimensions.push(table(
        Dimension::Gender,
        tally(&rows, genders, |r| gender(r.gender)),
        k,
        lang,
    ));
    out.dimensions.push(table(
        Dimension::AgeBand,
        tally(&rows, listed(&AgeBand::ALL, lang), |r| {
            r.band()
                .and_then(|b| AgeBand::ALL.iter().position(|&a| a == b))
                .into_iter()
                .collect()
        }),
        k,
        lang,
    ));
    out.dimensions.push(citizenship(&rows, k, lang));
    out.dimensions.push(table(
        Dimension::ExploitationType,
        tally(&rows, listed(ExploitationType::ALL, lang), |r| {
            positions(ExploitationType::ALL, &r.exploitation_types)
        }),
        k,
        lang,
    ));
    out.dimensions.push(table(
        Dimension::MethodOfControl,
        tally(&rows, listed(MethodOfControl::ALL, lang), |r| {
            positions(MethodOfControl::ALL, &r.methods_of_control)
        }),
        k,
        lang,
    ));
    out.dimensions.push(table(
        Dimension::Referral,
        tally(
            &rows,
            OUTCOMES.iter().map(|&v| keyed(v, lang)).collect(),
            referral,
        ),
        k,
        lang,
    ));
    out
}

/// Countries named only where their count could be shown; the rest together as "other
/// countries", so a country's name never says that someone from it was met.
fn citizenship(rows: &[&StatsRow], k: u64, lang: FormLanguage) -> DimensionReport {
    let mut by_country: BTreeMap<CountryCode, u64> = BTreeMap::new();
    let mut other = Tally::new(keyed(StatsValue::OtherCountries, lang));
    let mut unknown = Tally::new(keyed(StatsValue::NotRecorded, lang));
    for r in rows {
        match r.citizenship.as_deref().map(str::parse::<CountryCode>) {
            Some(Ok(c)) => *by_country.entry(c).or_default() += 1,
            _ => unknown.n += 1,
        }
    }
    let mut named: Vec<Tally> = Vec::new();
    for (c, n) in by_country {
        if n >= k {
            named.push(Tally {
                key: format!("country.{}", c.as_str()),
                label: country(&c, lang).to_string(),
                n,
            });
        } else {
            other.n += n;
        }
    }
    // In the order of their codes, the same in every language: sorted by count, a hidden country's
    // place would bracket its count; sorted by name, the languages would hide different ones.
    named.push(other);
    named.push(unknown);
    table(Dimension::Citizenship, named, k, lang)
}
