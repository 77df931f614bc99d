//! The statistics' rules, each under its own name: what is published identifies no one (CTDC
//! codebook v6, section 1: k = 11), reads true, and is in CTDC's terms.

mod common;

use std::collections::BTreeMap;

use common::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use silta_core::cases::{self, CaseInput};
use silta_core::model::codes::{
    ExploitationType as E, ForcedLabourIndustry, Gender, MethodOfControl as M,
};
use silta_core::model::*;
use silta_core::stats::{self, Count, Dimension, MinCell, StatsReport, StatsRow};
use silta_core::words::FormLanguage;

fn person_row(year: i32, gender: Gender, age: Option<u32>, citizenship: &str) -> StatsRow {
    StatsRow {
        year,
        gender: Some(gender),
        age_band: age.map(|a| stats::AgeBand::of(a).ctdc().to_string()),
        minor: age.map(|a| a < 18),
        citizenship: Some(citizenship.to_string()),
        exploitation_types: vec![E::ForcedLabour],
        forced_criminality: false,
        sex_exploitation_types: Vec::new(),
        forced_labour_industry: None,
        country_of_exploitation: Some("FI".parse().unwrap()),
        methods_of_control: vec![M::DebtBondage],
        referred: false,
        outcome: None,
    }
}

fn many(n: usize, row: StatsRow) -> Vec<StatsRow> {
    vec![row; n]
}

fn table(report: &StatsReport, d: Dimension) -> Vec<(String, Count)> {
    report
        .dimensions
        .iter()
        .find(|t| t.dimension == d)
        .unwrap()
        .cells
        .iter()
        .map(|c| (c.key.clone(), c.count))
        .collect()
}

fn count(report: &StatsReport, d: Dimension, key: &str) -> Count {
    table(report, d)
        .into_iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("{key} is not listed"))
        .1
}

fn en(rows: &[StatsRow], k: MinCell) -> StatsReport {
    stats::report(rows, false, 2025, k, FormLanguage::En)
}

#[test]
fn the_default_minimum_is_ctdcs_11_and_a_lower_one_must_be_asked_for() {
    assert_eq!(stats::CTDC_K, 11);
    assert_eq!(MinCell::CTDC.get(), 11);
    assert!(MinCell::new(11, false).is_ok());
    let refused = MinCell::new(10, false).unwrap_err().to_string();
    assert!(refused.contains("below CTDC's 11"), "{refused}");
    let asked = MinCell::new(5, true).unwrap();
    assert!(asked.below_ctdc());
    let higher = MinCell::new(12, false).unwrap_err().to_string();
    assert!(
        higher.contains("different minimums"),
        "a table at 12 beside one at 11 would single out the twelfth: {higher}"
    );
    assert!(MinCell::new(0, true).is_err());
    let report = en(
        &many(30, person_row(2025, Gender::Feminine, Some(30), "RO")),
        asked,
    );
    assert!(
        report.below_ctdc,
        "the report says it is not for publication"
    );
    let everything = en(
        &many(3, person_row(2025, Gender::Feminine, Some(30), "RO")),
        MinCell::new(1, true).unwrap(),
    );
    assert_eq!(
        table(&everything, Dimension::Gender),
        [
            ("gender.Feminine".to_string(), Count::Shown(3)),
            ("gender.Masculine".to_string(), Count::Shown(0)),
            (
                "statsValue.trans_or_non_binary".to_string(),
                Count::Shown(0)
            ),
            ("statsValue.not_recorded".to_string(), Count::Shown(0)),
        ],
        "a minimum of 1 hides nothing"
    );
}

#[test]
fn a_count_below_the_minimum_reads_fewer_than_k_and_zero_is_no_different() {
    let mut rows = many(20, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(many(3, person_row(2025, Gender::Masculine, Some(30), "RO")));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(
        count(&report, Dimension::Gender, "gender.Masculine"),
        Count::FewerThanK
    );
    // No one trans or non-binary: the same words as for three, so a zero tells nothing.
    assert_eq!(
        count(&report, Dimension::Gender, "statsValue.trans_or_non_binary"),
        Count::FewerThanK
    );
}

#[test]
fn a_count_hidden_so_another_cannot_be_worked_out_reads_hidden_never_fewer_than_k() {
    // 20 women and 30 men: 3 more of unknown gender would be the total less the two.
    let mut rows = many(20, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(many(
        30,
        person_row(2025, Gender::Masculine, Some(30), "RO"),
    ));
    let mut unknown = person_row(2025, Gender::Feminine, Some(30), "RO");
    unknown.gender = None;
    rows.extend(many(3, unknown));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(report.total, Count::Shown(53));
    assert_eq!(
        table(&report, Dimension::Gender),
        [
            ("gender.Feminine".to_string(), Count::Hidden),
            ("gender.Masculine".to_string(), Count::Shown(30)),
            (
                "statsValue.trans_or_non_binary".to_string(),
                Count::FewerThanK
            ),
            ("statsValue.not_recorded".to_string(), Count::FewerThanK),
        ],
        "the 20 women are hidden, not called fewer than 11"
    );
}

/// The counts not shown in a table: how many, how many of them "hidden", and what they hold
/// together.
fn withheld(report: &StatsReport, rows: &[StatsRow], d: Dimension) -> (usize, u64, u64) {
    let cells = table(report, d);
    let shown: u64 = cells
        .iter()
        .filter_map(|(_, c)| match c {
            Count::Shown(n) => Some(*n),
            _ => None,
        })
        .sum();
    let not_shown = cells
        .iter()
        .filter(|(_, c)| !matches!(c, Count::Shown(_)))
        .count();
    let hidden = cells.iter().filter(|(_, c)| *c == Count::Hidden).count() as u64;
    let total = rows.iter().filter(|r| r.year == report.year).count() as u64;
    (not_shown, hidden, total.saturating_sub(shown))
}

fn random_rows(rng: &mut StdRng, n: usize) -> Vec<StatsRow> {
    let genders = [
        Gender::Feminine,
        Gender::Feminine,
        Gender::Masculine,
        Gender::NonConforming,
    ];
    let countries = ["RO", "NG", "VN", "TH", "UA", "MN", "FI"];
    (0..n)
        .map(|_| {
            let mut r = person_row(
                2025,
                genders[rng.gen_range(0..genders.len())],
                rng.gen_bool(0.9).then(|| rng.gen_range(5..60)),
                countries[rng.gen_range(0..countries.len())],
            );
            r.exploitation_types = vec![E::ALL[rng.gen_range(0..E::ALL.len())]];
            r.methods_of_control = (0..rng.gen_range(0..3))
                .map(|_| M::ALL[rng.gen_range(0..M::ALL.len())])
                .collect();
            r.methods_of_control.sort();
            r.methods_of_control.dedup();
            r.referred = rng.gen_bool(0.5);
            r
        })
        .collect()
}

/// A "fewer than 11" count is 0 to 10 and a "hidden" one at least 11: what the counts not shown
/// hold together must leave each of them its whole range, or one is narrowed (two "fewer than"
/// holding 3 are each at most 3; a hidden one beside a zero holding 11 is exactly 11).
#[test]
fn counts_not_shown_are_never_alone_and_cannot_be_narrowed_from_the_total() {
    let mut rng = StdRng::seed_from_u64(14);
    for n in [11, 25, 60, 150, 400] {
        let rows = random_rows(&mut rng, n);
        let report = en(&rows, MinCell::CTDC);
        // Every person is in exactly one cell of these tables, so they add up to the total.
        for d in [
            Dimension::Gender,
            Dimension::AgeBand,
            Dimension::Citizenship,
            Dimension::ExploitationType,
            Dimension::Referral,
        ] {
            let cells = table(&report, d).len();
            let (not_shown, hidden, held) = withheld(&report, &rows, d);
            assert!(
                not_shown == 0
                    || not_shown == cells
                    || (not_shown >= 2 && held >= 11 * (hidden + 1) - 1),
                "{n} people, {d:?}: {not_shown} withheld ({hidden} hidden) holding {held}: {:?}",
                table(&report, d)
            );
        }
        for t in &report.dimensions {
            for c in &t.cells {
                if let Count::Shown(n) = c.count {
                    assert!(n >= 11, "{}: {n}", c.key);
                }
            }
        }
    }
}

#[test]
fn fewer_than_counts_holding_too_much_together_are_not_pinned_from_above() {
    // 30 women, 25 men and 10 and 10 of the others: the two small ones hold 20, and each is at
    // most 10, so each would be exactly 10.
    let mut rows = many(30, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(many(
        25,
        person_row(2025, Gender::Masculine, Some(30), "RO"),
    ));
    rows.extend(many(
        10,
        person_row(2025, Gender::NonConforming, Some(30), "RO"),
    ));
    let mut unknown = person_row(2025, Gender::Feminine, Some(30), "RO");
    unknown.gender = None;
    rows.extend(many(10, unknown));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(
        table(&report, Dimension::Gender),
        [
            ("gender.Feminine".to_string(), Count::Shown(30)),
            ("gender.Masculine".to_string(), Count::Hidden),
            (
                "statsValue.trans_or_non_binary".to_string(),
                Count::FewerThanK
            ),
            ("statsValue.not_recorded".to_string(), Count::FewerThanK),
        ]
    );
}

#[test]
fn fewer_than_counts_holding_k_minus_1_together_are_enough_and_nothing_more_is_hidden() {
    // 5 and 5 holding 10: each could be anything from 0 to 10, so the 30 and 25 stay shown.
    let mut rows = many(30, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(many(
        25,
        person_row(2025, Gender::Masculine, Some(30), "RO"),
    ));
    rows.extend(many(
        5,
        person_row(2025, Gender::NonConforming, Some(30), "RO"),
    ));
    let mut unknown = person_row(2025, Gender::Feminine, Some(30), "RO");
    unknown.gender = None;
    rows.extend(many(5, unknown));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(
        table(&report, Dimension::Gender),
        [
            ("gender.Feminine".to_string(), Count::Shown(30)),
            ("gender.Masculine".to_string(), Count::Shown(25)),
            (
                "statsValue.trans_or_non_binary".to_string(),
                Count::FewerThanK
            ),
            ("statsValue.not_recorded".to_string(), Count::FewerThanK),
        ]
    );
    // 10 and a zero holding 10 are enough too: the 30 and the 11 stay shown.
    let mut rows = many(30, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(many(
        11,
        person_row(2025, Gender::Masculine, Some(30), "RO"),
    ));
    rows.extend(many(
        10,
        person_row(2025, Gender::NonConforming, Some(30), "RO"),
    ));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(
        table(&report, Dimension::Gender)[0],
        ("gender.Feminine".to_string(), Count::Shown(30)),
        "{:?}",
        table(&report, Dimension::Gender)
    );
}

#[test]
fn the_count_hidden_beside_small_ones_is_the_smallest_that_is_enough() {
    // 5 of one small value and none of another hold 5: a count of at least 16 more is needed,
    // so the 30 is hidden and the 12, which would not be enough, stays shown.
    let mut rows = many(30, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(many(
        12,
        person_row(2025, Gender::Masculine, Some(30), "RO"),
    ));
    rows.extend(many(
        5,
        person_row(2025, Gender::NonConforming, Some(30), "RO"),
    ));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(
        table(&report, Dimension::Gender),
        [
            ("gender.Feminine".to_string(), Count::Hidden),
            ("gender.Masculine".to_string(), Count::Shown(12)),
            (
                "statsValue.trans_or_non_binary".to_string(),
                Count::FewerThanK
            ),
            ("statsValue.not_recorded".to_string(), Count::FewerThanK),
        ]
    );
}

fn referred(n: usize, outcome: Option<silta_core::disclosures::Decision>) -> Vec<StatsRow> {
    let mut r = person_row(2025, Gender::Feminine, Some(30), "RO");
    r.referred = true;
    r.outcome = outcome;
    many(n, r)
}

#[test]
fn three_fewer_than_counts_are_pinned_only_when_they_hold_more_than_two_of_them_can() {
    use silta_core::disclosures::Decision::{Accepted, Declined};
    // 5, 5 and 5 holding 15: any could be 0 to 10; nothing more is hidden.
    let mut rows = many(40, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(referred(5, Some(Accepted)));
    rows.extend(referred(5, Some(Declined)));
    rows.extend(referred(5, None));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(
        count(&report, Dimension::Referral, "statsValue.not_referred"),
        Count::Shown(40)
    );
    // 10, 10 and 2 holding 22: each is at least 2, so the 40 is hidden beside them.
    let mut rows = many(40, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(referred(10, Some(Accepted)));
    rows.extend(referred(10, Some(Declined)));
    rows.extend(referred(2, None));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(
        count(&report, Dimension::Referral, "statsValue.not_referred"),
        Count::Hidden
    );
}

#[test]
fn a_hidden_count_beside_a_zero_is_not_pinned_by_the_total() {
    // The sample that showed it: a country hidden beside an empty "not recorded", the two
    // holding exactly 11, made the country exactly 11 and the other 0.
    let mut rows = many(30, person_row(2025, Gender::Feminine, Some(30), "TH"));
    rows.extend(many(11, person_row(2025, Gender::Feminine, Some(30), "UZ")));
    rows.extend(many(14, person_row(2025, Gender::Feminine, Some(30), "NG")));
    let report = en(&rows, MinCell::CTDC);
    let (not_shown, hidden, held) = withheld(&report, &rows, Dimension::Citizenship);
    assert!(not_shown >= 2);
    assert!(
        held >= 11 * (hidden + 1) - 1,
        "{:?}",
        table(&report, Dimension::Citizenship)
    );
}

#[test]
fn every_value_is_listed_so_a_missing_one_tells_nothing() {
    let report = en(
        &many(15, person_row(2025, Gender::Feminine, Some(30), "RO")),
        MinCell::CTDC,
    );
    assert_eq!(table(&report, Dimension::Gender).len(), 4);
    assert_eq!(table(&report, Dimension::AgeBand).len(), 10);
    assert_eq!(
        table(&report, Dimension::ExploitationType).len(),
        E::ALL.len() + 1
    );
    assert_eq!(
        table(&report, Dimension::MethodOfControl).len(),
        M::ALL.len() + 1
    );
    assert_eq!(table(&report, Dimension::Referral).len(), 4);
}

#[test]
fn age_bands_are_in_numeric_order_and_minors_are_not_counted_apart_from_them() {
    let mut rows = many(12, person_row(2025, Gender::Feminine, Some(16), "RO"));
    rows.extend(many(12, person_row(2025, Gender::Feminine, Some(35), "RO")));
    let report = en(&rows, MinCell::CTDC);
    let bands: Vec<String> = table(&report, Dimension::AgeBand)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        bands,
        [
            "ageBand.0--8",
            "ageBand.9--17",
            "ageBand.18--20",
            "ageBand.21--23",
            "ageBand.24--26",
            "ageBand.27--29",
            "ageBand.30--38",
            "ageBand.39--47",
            "ageBand.48+",
            "statsValue.not_recorded"
        ]
    );
    // The minors are the sum of two bands: a table of their own would give one band away.
    let tables: Vec<Dimension> = report.dimensions.iter().map(|t| t.dimension).collect();
    assert_eq!(
        tables,
        [
            Dimension::Gender,
            Dimension::AgeBand,
            Dimension::Citizenship,
            Dimension::ExploitationType,
            Dimension::MethodOfControl,
            Dimension::Referral
        ]
    );
}

#[test]
fn countries_below_the_minimum_are_counted_together_not_named() {
    let mut rows = many(30, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.extend(many(12, person_row(2025, Gender::Feminine, Some(30), "NG")));
    rows.extend(many(1, person_row(2025, Gender::Feminine, Some(30), "MN")));
    rows.extend(many(10, person_row(2025, Gender::Feminine, Some(30), "VN")));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(
        table(&report, Dimension::Citizenship),
        [
            ("country.NG".to_string(), Count::Shown(12)),
            ("country.RO".to_string(), Count::Hidden),
            ("statsValue.other_countries".to_string(), Count::Shown(11)),
            ("statsValue.not_recorded".to_string(), Count::FewerThanK),
        ],
        "Mongolia and Vietnam are not named but counted together; countries in the order of \
         their codes; Romania is hidden beside the empty 'not recorded', which it leaves its \
         whole range"
    );
}

#[test]
fn a_year_with_fewer_than_k_people_shows_no_counts_and_an_empty_year_says_no_data() {
    let rows = many(8, person_row(2025, Gender::Feminine, Some(30), "RO"));
    let report = en(&rows, MinCell::CTDC);
    assert_eq!(report.total, Count::FewerThanK);
    assert!(report.dimensions.is_empty());
    assert!(!report.no_data);
    let empty = stats::report(&rows, false, 2019, MinCell::CTDC, FormLanguage::Fi);
    assert!(empty.no_data);
}

#[test]
fn labels_are_words_in_the_reports_language() {
    let rows = many(30, person_row(2025, Gender::Feminine, Some(30), "RO"));
    let fi = stats::report(&rows, false, 2025, MinCell::CTDC, FormLanguage::Fi);
    let sv = stats::report(&rows, false, 2025, MinCell::CTDC, FormLanguage::Sv);
    let label = |r: &StatsReport, d: Dimension, i: usize| {
        r.dimensions
            .iter()
            .find(|t| t.dimension == d)
            .unwrap()
            .cells[i]
            .label
            .clone()
    };
    assert_eq!(label(&fi, Dimension::Gender, 0), "Nainen");
    assert_eq!(label(&sv, Dimension::Gender, 0), "Kvinna");
    assert_eq!(label(&fi, Dimension::Citizenship, 0), "Romania");
    assert_eq!(label(&sv, Dimension::AgeBand, 6), "30–38 år");
    assert_eq!(
        label(&fi, Dimension::Referral, 0),
        "Ei ohjattu eikä ilmoitettu"
    );
    assert_eq!(fi.dimensions[0].title, "Sukupuoli");
    for r in [&fi, &sv] {
        for t in &r.dimensions {
            for c in &t.cells {
                assert!(
                    !c.label.contains('_') && !c.label.contains("--"),
                    "{}: {}",
                    c.key,
                    c.label
                );
            }
        }
    }
}

fn csv_rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn header(csv: &str) -> Vec<&str> {
    csv.lines().next().unwrap().split(',').collect()
}

#[test]
fn every_csv_row_is_shared_by_at_least_k_people_over_every_column() {
    let mut rng = StdRng::seed_from_u64(11);
    for n in [5, 30, 120, 500] {
        let rows = random_rows(&mut rng, n);
        let csv = stats::csv(&rows, false, 2025, MinCell::CTDC);
        let mut groups: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for r in csv_rows(&csv) {
            assert_eq!(r.len(), stats::COLUMNS.len());
            *groups.entry(r).or_default() += 1;
        }
        for (row, size) in &groups {
            assert!(*size >= 11, "{n} people: a row shared by {size}: {row:?}");
        }
    }
}

#[test]
fn a_row_unlike_k_minus_1_others_is_generalised_until_it_is_not_or_left_out() {
    // Ten Romanians and a Nigerian otherwise alike: the citizenship goes, all eleven stay.
    let mut rows = many(10, person_row(2025, Gender::Feminine, Some(30), "RO"));
    rows.push(person_row(2025, Gender::Feminine, Some(30), "NG"));
    // Twenty more alike, and one of them with organ removal besides: no column of hers alone
    // makes her like the others, so she is left out, as CTDC redacts such cases.
    rows.extend(many(
        20,
        person_row(2025, Gender::Masculine, Some(40), "UA"),
    ));
    let mut organ = person_row(2025, Gender::Masculine, Some(40), "UA");
    organ.exploitation_types.push(E::OrganRemoval);
    rows.push(organ);
    let csv = stats::csv(&rows, false, 2025, MinCell::CTDC);
    let h = header(&csv);
    let col = |name: &str| h.iter().position(|c| *c == name).unwrap();
    let table = csv_rows(&csv);
    assert_eq!(table.len(), 31, "everyone but the one with organ removal");
    assert!(table.iter().all(|r| r[col("isOrganRemoval")] == "0"));
    let women: Vec<_> = table
        .iter()
        .filter(|r| r[col("gender")] == "Female")
        .collect();
    assert_eq!(women.len(), 11);
    assert!(women.iter().all(|r| r[col("citizenship")] == "-99"));
    assert!(
        women.iter().all(|r| r[col("ageBroad")] == "30--38"),
        "the rest is kept"
    );
    assert_eq!(
        table
            .iter()
            .filter(|r| r[col("citizenship")] == "UA")
            .count(),
        20,
        "the twenty who share everything keep it all"
    );
}

#[test]
fn the_csv_uses_ctdcs_names_and_codings() {
    let mut rows = many(12, person_row(2025, Gender::Feminine, Some(5), "RO"));
    rows.extend(many(
        12,
        person_row(2025, Gender::Masculine, Some(48), "NG"),
    ));
    let csv = stats::csv(&rows, false, 2025, MinCell::CTDC);
    let h = header(&csv);
    for name in [
        "yearOfRegistration",
        "Datasource",
        "ageBroad",
        "majorityStatus",
        "isForcedLabour",
        "isSexualExploit",
        "isOtherExploit",
        "isForcedMarriage",
        "isOrganRemoval",
        "meansOfControlThreats",
        "meansOfControlThreatOfLawEnforcement",
        "meansOfControlPsychoactiveSubstances",
        "meansOfControlNotSpecified",
        "typeOfLabourBegging",
        "typeOfLabourIllicitActivities",
    ] {
        assert!(h.contains(&name), "{name} missing from {h:?}");
    }
    for old in [
        "typeOfExploit",
        "PhysicalThreats",
        "ThreatsLawEnforcement",
        "referred",
    ] {
        assert!(!csv.contains(old), "{old} is not CTDC's");
    }
    let col = |name: &str| h.iter().position(|c| *c == name).unwrap();
    let table = csv_rows(&csv);
    let girl = table.iter().find(|r| r[col("gender")] == "Female").unwrap();
    assert_eq!(girl[col("ageBroad")], "0--8");
    assert_eq!(girl[col("majorityStatus")], "Minor");
    assert_eq!(girl[col("Datasource")], "Case Management");
    assert_eq!(girl[col("typeOfLabourNotSpecified")], "1");
    let man = table.iter().find(|r| r[col("gender")] == "Male").unwrap();
    assert_eq!(man[col("ageBroad")], "48+");
    assert_eq!(man[col("majorityStatus")], "Adult");
    assert_eq!(man[col("meansOfControlDebtBondage")], "1");
    assert_eq!(man[col("meansOfControlNotSpecified")], "0");
}

#[test]
fn forced_begging_and_criminality_go_to_ctdcs_kinds_of_forced_labour() {
    let mut begging = person_row(2025, Gender::Feminine, Some(30), "RO");
    begging.exploitation_types = vec![E::ForcedBegging];
    let mut crime = person_row(2025, Gender::Masculine, Some(30), "VN");
    crime.exploitation_types = vec![E::Other];
    crime.forced_criminality = true;
    crime.methods_of_control = Vec::new();
    let mut adoption = person_row(2025, Gender::Masculine, Some(30), "VN");
    adoption.exploitation_types = vec![E::ForcedAdoption];
    adoption.forced_labour_industry = Some(ForcedLabourIndustry::F_Construction);
    let mut rows = many(11, begging);
    rows.extend(many(11, crime));
    rows.extend(many(11, adoption));
    let csv = stats::csv(&rows, false, 2025, MinCell::CTDC);
    let h = header(&csv);
    let col = |name: &str| h.iter().position(|c| *c == name).unwrap();
    let table = csv_rows(&csv);
    let ro = table
        .iter()
        .find(|r| r[col("citizenship")] == "RO")
        .unwrap();
    assert_eq!(ro[col("isForcedLabour")], "1");
    assert_eq!(ro[col("typeOfLabourBegging")], "1");
    assert_eq!(ro[col("isOtherExploit")], "0");
    let vn: Vec<_> = table
        .iter()
        .filter(|r| r[col("citizenship")] == "VN")
        .collect();
    let crime = vn.iter().find(|r| r[col("isForcedLabour")] == "1").unwrap();
    assert_eq!(crime[col("typeOfLabourIllicitActivities")], "1");
    assert_eq!(crime[col("isOtherExploit")], "0");
    assert_eq!(crime[col("meansOfControlNotSpecified")], "1");
    let adoption = vn.iter().find(|r| r[col("isOtherExploit")] == "1").unwrap();
    assert_eq!(
        adoption[col("typeOfLabourConstruction")],
        "0",
        "kinds of labour only with forced labour"
    );
}

fn open(vault: &silta_core::vault::Vault, citizenship: &str, demo: bool) {
    let mut details = CaseDetails::new("Kaisa", d(2025, 3, 1));
    details.demo = demo;
    details.exploitation_types = vec![E::ForcedLabour];
    cases::open_case(
        vault,
        CaseInput {
            person: Person {
                names: vec![PersonName {
                    name: "X".into(),
                    kind: NameKind::Legal,
                }],
                birth: Some(Birth::Date(d(1990, 6, 1))),
                gender: Some(Gender::Feminine),
                citizenships: vec![citizenship.parse().unwrap()],
                ..Person::default()
            },
            details: Some(details),
        },
        today(),
    )
    .unwrap();
}

#[test]
fn demo_cases_count_only_in_a_vault_of_nothing_else_and_say_so() {
    let (_f, vault) = new_vault();
    for _ in 0..12 {
        open(&vault, "RO", true);
    }
    let only_demo = stats::rows(&vault).unwrap();
    assert!(only_demo.demo);
    assert_eq!(only_demo.rows.len(), 12);
    let csv = stats::csv(&only_demo.rows, true, 2025, MinCell::CTDC);
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| l.contains("Synthetic (Silta training vault)"))
    );
    let report = stats::report(&only_demo.rows, true, 2025, MinCell::CTDC, FormLanguage::Fi);
    assert!(report.demo);

    open(&vault, "NG", false);
    let real = stats::rows(&vault).unwrap();
    assert!(!real.demo);
    assert_eq!(
        real.rows.len(),
        1,
        "beside a real case the demo cases never count"
    );
    assert_eq!(real.rows[0].citizenship.as_deref(), Some("NG"));
}

#[test]
fn a_row_kept_before_version_2_reads_its_age_band() {
    let mut old = person_row(2024, Gender::Feminine, None, "RO");
    old.age_band = Some("9-17".into());
    let mut rows = many(13, old);
    rows.extend(many(25, person_row(2024, Gender::Feminine, Some(35), "RO")));
    let report = stats::report(&rows, false, 2024, MinCell::CTDC, FormLanguage::En);
    assert_eq!(
        count(&report, Dimension::AgeBand, "ageBand.9--17"),
        Count::Shown(13)
    );
    let csv = stats::csv(&rows, false, 2024, MinCell::CTDC);
    assert_eq!(csv.matches(",9--17,").count(), 13, "{csv}");
}
