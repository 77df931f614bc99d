//! A case: one person's path through support, with its HTCDS classification.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::{
    CaseStatus, ExploitationType, ForcedLabourIndustry, MethodOfControl, MethodOfRecruitment,
    RelationshipToTrafficker, SexExploitationType, StatusDecisionMaker, TraffickingEventType,
    TraffickingStatus,
};
use super::{CountryCode, check_count, check_text, check_text_opt};
use crate::error::{Error, Result};
use crate::ids::{CaseId, PackageId, PersonId};
use crate::vault::Record;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Human-readable and given by the vault (for example 2026-0042); never edited.
    pub number: CaseNumber,
    pub person: PersonId,
    pub details: CaseDetails,
}

/// A caseworker marking a case urgent, or clearing the urgency a child's age gives it, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UrgencyOverride {
    pub urgent: bool,
    pub reason: String,
}

/// Why a case is urgent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum UrgentBecause {
    /// The caseworker ticked "in danger now" among the immediate needs.
    InDanger,
    Child,
    PossiblyChild,
    MarkedByCaseworker,
}

/// Everything about a case a caseworker edits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseDetails {
    pub status: CaseStatus,
    #[serde(default)]
    pub trafficking_status: Option<TraffickingStatus>,
    #[serde(default)]
    pub status_decided_by: Option<StatusDecisionMaker>,
    #[serde(default)]
    pub exploitation_types: Vec<ExploitationType>,
    /// What `Other` means here, for example "forced criminality".
    #[serde(default)]
    pub exploitation_other: Option<String>,
    /// `Other` is forced criminality (HTCDS has no code for it; CTDC counts it as forced labour
    /// in illicit activities).
    #[serde(default)]
    pub forced_criminality: bool,
    #[serde(default)]
    pub sex_exploitation_types: Vec<SexExploitationType>,
    #[serde(default)]
    pub forced_labour_industry: Option<ForcedLabourIndustry>,
    #[serde(default)]
    pub methods_of_control: Vec<MethodOfControl>,
    #[serde(default)]
    pub recruitment: Vec<MethodOfRecruitment>,
    #[serde(default)]
    pub relationship_to_trafficker: Option<RelationshipToTrafficker>,
    #[serde(default)]
    pub events: Vec<TraffickingEvent>,
    pub caseworker: String,
    pub opened: NaiveDate,
    #[serde(default)]
    pub closed: Option<NaiveDate>,
    /// Whether the case is urgent, as of its last save: recomputed from the person's age and
    /// `urgency_override` on every save (`cases::urgency`), kept here for the case list.
    #[serde(default)]
    pub urgent: bool,
    /// The caseworker's own word on urgency, with the reason, over what the age makes of it.
    #[serde(default)]
    pub urgency_override: Option<UrgencyOverride>,
    /// Synthetic training data made by `silta demo`; never counted in statistics.
    #[serde(default)]
    pub demo: bool,
    #[serde(default)]
    pub needs: ImmediateNeeds,
    #[serde(default)]
    pub police: PoliceStatus,
    /// Health notes; a field group of its own, never sent to the police by default.
    #[serde(default)]
    pub health: String,
    /// What is known of the exploiters, for a police report.
    #[serde(default)]
    pub exploiters: Vec<Exploiter>,
    /// Set when the case came in as a referral from another organisation.
    #[serde(default)]
    pub referred_by: Option<ReferralSource>,
    /// Kept past its retention date (for example for court proceedings); never due for erasure.
    #[serde(default)]
    pub legal_hold: bool,
}

/// What the person needs at once; the referral form asks for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ImmediateNeeds {
    #[serde(default)]
    pub danger: bool,
    #[serde(default)]
    pub accommodation: bool,
    #[serde(default)]
    pub health_care: bool,
    #[serde(default)]
    pub money: bool,
    #[serde(default)]
    pub note: String,
}

/// Whether the police already know; unit and case number only if the person agrees to share them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PoliceStatus {
    #[serde(default)]
    pub reported: bool,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub case_number: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Exploiter {
    pub name: String,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub vehicles: Vec<String>,
    #[serde(default)]
    pub addresses: Vec<String>,
    #[serde(default)]
    pub websites: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// Where a case received as a referral came from, as its verified package said.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferralSource {
    pub organisation: String,
    /// The sender's key fingerprint, and whether it was a known sender when imported.
    pub fingerprint: String,
    pub known_sender: bool,
    pub package: PackageId,
    pub sent: chrono::DateTime<chrono::Utc>,
    pub received: NaiveDate,
    /// How to call the referrer back: the caseworker's phone and e-mail if the package gave
    /// them, else the organisation's. Absent in older records and when none was given.
    #[serde(default)]
    pub callback: Option<crate::referrers::ContactCard>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TraffickingEvent {
    pub kind: TraffickingEventType,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country: Option<CountryCode>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub description: String,
}

impl Record for Case {
    const KIND: &'static str = "case";
    type Id = CaseId;
}

impl CaseDetails {
    /// A new, active case opened today by `caseworker`.
    pub fn new(caseworker: &str, opened: NaiveDate) -> CaseDetails {
        CaseDetails {
            status: CaseStatus::Active,
            trafficking_status: None,
            status_decided_by: None,
            exploitation_types: Vec::new(),
            exploitation_other: None,
            forced_criminality: false,
            sex_exploitation_types: Vec::new(),
            forced_labour_industry: None,
            methods_of_control: Vec::new(),
            recruitment: Vec::new(),
            relationship_to_trafficker: None,
            events: Vec::new(),
            caseworker: caseworker.to_string(),
            opened,
            closed: None,
            urgent: false,
            urgency_override: None,
            demo: false,
            needs: ImmediateNeeds::default(),
            police: PoliceStatus::default(),
            health: String::new(),
            exploiters: Vec::new(),
            referred_by: None,
            legal_hold: false,
        }
    }

    /// HTCDS's fields that only describe another (vic_TraffickingStatusDecisionMakingOrg,
    /// vic_TypeOfSexExploitation, vic_ForcedLabourIndustry) come only with it, and no code is
    /// recorded twice: otherwise the statistics would count what the case does not say.
    fn check_htcds(&self) -> Result<()> {
        if self.status_decided_by.is_some() && self.trafficking_status.is_none() {
            return Err(Error::invalid(
                "who decided the status is recorded only with the status",
            ));
        }
        let has = |t| self.exploitation_types.contains(&t);
        if !self.sex_exploitation_types.is_empty() && !has(ExploitationType::SexualExploitation) {
            return Err(Error::invalid(
                "a form of sexual exploitation is recorded only with sexual exploitation",
            ));
        }
        if self.forced_labour_industry.is_some() && !has(ExploitationType::ForcedLabour) {
            return Err(Error::invalid(
                "the industry is recorded only with forced labour",
            ));
        }
        if self.forced_criminality && !has(ExploitationType::Other) {
            return Err(Error::invalid(
                "forced criminality is recorded as the form of exploitation \"other\"",
            ));
        }
        fn once<T: Ord>(what: &str, codes: &[T]) -> Result<()> {
            let distinct: std::collections::BTreeSet<&T> = codes.iter().collect();
            if distinct.len() == codes.len() {
                Ok(())
            } else {
                Err(Error::invalid(format!("{what} is recorded twice")))
            }
        }
        once("a form of exploitation", &self.exploitation_types)?;
        once("a method of control", &self.methods_of_control)?;
        once("a way of recruitment", &self.recruitment)?;
        once(
            "a form of sexual exploitation",
            &self.sex_exploitation_types,
        )
    }

    /// The dates of places and the closing date are not in the future (they record what
    /// happened; a closing date years ahead would keep the case from ever being due for erasure).
    pub fn check_dates(&self, today: NaiveDate) -> Result<()> {
        let mut dates = self.events.iter().filter_map(|e| e.date).chain(self.closed);
        match dates.find(|d| *d > today) {
            Some(date) => Err(Error::InvalidInput(crate::error::Invalid::DateInFuture {
                date,
            })),
            None => Ok(()),
        }
    }

    /// These details with what Silta keeps itself taken from `owner` (the stored case, or a new
    /// one): where a received case came from, the training mark, the legal hold (set with its own
    /// audit entry, `retention::set_legal_hold`) and the day it opened. A form, or a window that
    /// was tampered with, sets none of them.
    pub fn owned_as(self, owner: &CaseDetails) -> CaseDetails {
        CaseDetails {
            referred_by: owner.referred_by.clone(),
            demo: owner.demo,
            legal_hold: owner.legal_hold,
            opened: owner.opened,
            ..self
        }
    }

    /// Closing a case without a date closes it today; reopening it clears the date.
    pub fn date_closing(&mut self, today: NaiveDate) {
        let closed = matches!(self.status, CaseStatus::Closed | CaseStatus::ClosedReferred);
        if !closed {
            self.closed = None;
        } else if self.closed.is_none() {
            self.closed = Some(today);
        }
    }

    pub fn validate(&self) -> Result<()> {
        check_text("caseworker", &self.caseworker, 200)?;
        check_text_opt("police unit", self.police.unit.as_deref(), 200)?;
        check_text_opt(
            "police case number",
            self.police.case_number.as_deref(),
            100,
        )?;
        // The app's form takes free text in each of these: bounded like every other field, so
        // that a record stays small enough to seal and send.
        check_count("exploiters", self.exploiters.len(), 50)?;
        for e in &self.exploiters {
            check_text("exploiter's name", &e.name, 200)?;
            for list in [&e.phones, &e.vehicles, &e.addresses, &e.websites] {
                check_count("details of one kind for an exploiter", list.len(), 50)?;
                for item in list {
                    check_text_opt("exploiter's detail", Some(item), 500)?;
                }
            }
            check_text_opt("note on an exploiter", Some(&e.note), 5000)?;
        }
        check_text_opt("note on the needs", Some(&self.needs.note), 2000)?;
        check_text_opt("health notes", Some(&self.health), 20_000)?;
        check_count("places", self.events.len(), 100)?;
        for event in &self.events {
            check_text_opt("place", event.city.as_deref(), 100)?;
            check_text_opt("description of a place", Some(&event.description), 5000)?;
        }
        self.check_htcds()?;
        if let Some(o) = &self.urgency_override {
            check_text("reason for the urgency", &o.reason, 500)?;
        }
        check_text_opt(
            "exploitation detail",
            self.exploitation_other.as_deref(),
            500,
        )?;
        if let Some(closed) = self.closed {
            if closed < self.opened {
                return Err(Error::InvalidInput(
                    crate::error::Invalid::ClosesBeforeOpened,
                ));
            }
        }
        if matches!(self.status, CaseStatus::Closed | CaseStatus::ClosedReferred)
            != self.closed.is_some()
        {
            return Err(Error::invalid(
                "a closed case needs a closing date, and only a closed case has one",
            ));
        }
        Ok(())
    }
}

/// `YYYY-NNNN`: the year the case was opened and a running number within that year; on a laptop
/// that joined a team, `YYYY-S-NNNN` with the laptop's series letter (B to Z), so that laptops
/// numbering cases offline never hand out one number twice (docs/sync.md, section 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct CaseNumber {
    pub year: i32,
    pub serial: u32,
    pub series: Option<char>,
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.series {
            Some(s) => write!(f, "{}-{s}-{:04}", self.year, self.serial),
            None => write!(f, "{}-{:04}", self.year, self.serial),
        }
    }
}

impl FromStr for CaseNumber {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid(format!("{s:?} is not a case number like 2026-0042"));
        let mut parts = s.trim().split('-');
        let (year, series, serial) = match (parts.next(), parts.next(), parts.next(), parts.next())
        {
            (Some(y), Some(n), None, None) => (y, None, n),
            (Some(y), Some(letter), Some(n), None) => {
                let mut chars = letter.chars();
                match (chars.next(), chars.next()) {
                    (Some(c @ 'B'..='Z'), None) => (y, Some(c), n),
                    _ => return Err(bad()),
                }
            }
            _ => return Err(bad()),
        };
        if year.len() != 4 || serial.len() < 4 || !serial.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        Ok(CaseNumber {
            year: year.parse().map_err(|_| bad())?,
            serial: serial.parse().map_err(|_| bad())?,
            series,
        })
    }
}

impl Serialize for CaseNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CaseNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_print_with_four_digits_and_parse_back() {
        let n = CaseNumber {
            year: 2026,
            serial: 42,
            series: None,
        };
        assert_eq!(n.to_string(), "2026-0042");
        assert_eq!("2026-0042".parse::<CaseNumber>().unwrap(), n);
        assert_eq!("2026-12345".parse::<CaseNumber>().unwrap().serial, 12345);
        assert!("26-1".parse::<CaseNumber>().is_err());
        let b = CaseNumber {
            series: Some('B'),
            ..n
        };
        assert_eq!(b.to_string(), "2026-B-0042");
        assert_eq!("2026-B-0042".parse::<CaseNumber>().unwrap(), b);
        for wrong in [
            "2026-A-0042",
            "2026-b-0042",
            "2026-BB-0042",
            "2026-B-42",
            "2026-B-00x2",
        ] {
            assert!(wrong.parse::<CaseNumber>().is_err(), "{wrong}");
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn what_the_case_form_takes_is_bounded_and_an_exploiter_needs_a_name() {
        let ok = CaseDetails {
            exploiters: vec![Exploiter {
                name: "Viktor".into(),
                phones: vec!["+358 40 999 8888".into()],
                ..Exploiter::default()
            }],
            health: "Needs a dentist.\nAsthma.".into(),
            ..CaseDetails::new("Kaisa", today())
        };
        ok.validate().unwrap();
        let long = "x".repeat(501);
        let bad = [
            CaseDetails {
                exploiters: vec![Exploiter::default()],
                ..ok.clone()
            },
            CaseDetails {
                exploiters: vec![
                    Exploiter {
                        name: "Viktor".into(),
                        ..Exploiter::default()
                    };
                    51
                ],
                ..ok.clone()
            },
            CaseDetails {
                events: vec![
                    TraffickingEvent {
                        kind: TraffickingEventType::Transit,
                        city: None,
                        country: None,
                        date: None,
                        description: String::new(),
                    };
                    101
                ],
                ..ok.clone()
            },
            CaseDetails {
                exploiters: vec![Exploiter {
                    name: "Viktor".into(),
                    websites: vec![long.clone()],
                    ..Exploiter::default()
                }],
                ..ok.clone()
            },
            CaseDetails {
                exploiters: vec![Exploiter {
                    name: "Viktor".into(),
                    note: "x".repeat(5001),
                    ..Exploiter::default()
                }],
                ..ok.clone()
            },
            CaseDetails {
                needs: ImmediateNeeds {
                    note: "x".repeat(2001),
                    ..ImmediateNeeds::default()
                },
                ..ok.clone()
            },
            CaseDetails {
                health: "x".repeat(20_001),
                ..ok.clone()
            },
            CaseDetails {
                events: vec![TraffickingEvent {
                    kind: TraffickingEventType::Recruitment,
                    city: Some(long.clone()),
                    country: None,
                    date: None,
                    description: String::new(),
                }],
                ..ok.clone()
            },
            CaseDetails {
                events: vec![TraffickingEvent {
                    kind: TraffickingEventType::Transit,
                    city: None,
                    country: None,
                    date: None,
                    description: "x".repeat(5001),
                }],
                ..ok.clone()
            },
        ];
        for (n, details) in bad.iter().enumerate() {
            assert!(
                matches!(details.validate(), Err(Error::InvalidInput(_))),
                "case {n} was taken"
            );
        }
    }

    #[test]
    fn htcds_fields_that_describe_another_come_only_with_it_and_no_code_twice() {
        let base = CaseDetails::new("Kaisa", today());
        let bad = [
            CaseDetails {
                status_decided_by: Some(StatusDecisionMaker::Police),
                ..base.clone()
            },
            CaseDetails {
                sex_exploitation_types: vec![SexExploitationType::Prostitution],
                exploitation_types: vec![ExploitationType::ForcedLabour],
                ..base.clone()
            },
            CaseDetails {
                forced_labour_industry: Some(ForcedLabourIndustry::F_Construction),
                exploitation_types: vec![ExploitationType::SexualExploitation],
                ..base.clone()
            },
            CaseDetails {
                exploitation_types: vec![ExploitationType::ForcedLabour; 2],
                ..base.clone()
            },
            CaseDetails {
                methods_of_control: vec![MethodOfControl::DebtBondage; 2],
                ..base.clone()
            },
            CaseDetails {
                recruitment: vec![MethodOfRecruitment::AtWork; 2],
                ..base.clone()
            },
            CaseDetails {
                exploitation_types: vec![ExploitationType::SexualExploitation],
                sex_exploitation_types: vec![SexExploitationType::Pornography; 2],
                ..base.clone()
            },
        ];
        for (n, details) in bad.iter().enumerate() {
            assert!(details.validate().is_err(), "case {n} was taken");
        }
        CaseDetails {
            trafficking_status: Some(TraffickingStatus::PossibleVictimOfTrafficking),
            status_decided_by: Some(StatusDecisionMaker::Police),
            exploitation_types: vec![
                ExploitationType::ForcedLabour,
                ExploitationType::SexualExploitation,
            ],
            sex_exploitation_types: vec![SexExploitationType::Prostitution],
            forced_labour_industry: Some(ForcedLabourIndustry::F_Construction),
            ..base
        }
        .validate()
        .unwrap();
    }

    #[test]
    fn a_place_or_a_closing_dated_in_the_future_is_refused_with_its_date() {
        let tomorrow = today().succ_opt().unwrap();
        let place = |date| CaseDetails {
            events: vec![TraffickingEvent {
                kind: TraffickingEventType::Exploitation,
                city: Some("Vantaa".into()),
                country: None,
                date: Some(date),
                description: String::new(),
            }],
            ..CaseDetails::new("Kaisa", today())
        };
        place(today()).check_dates(today()).unwrap();
        let closed_ahead = CaseDetails {
            status: CaseStatus::Closed,
            closed: Some(NaiveDate::from_ymd_opt(2099, 1, 1).unwrap()),
            ..CaseDetails::new("Kaisa", today())
        };
        assert!(matches!(
            closed_ahead.check_dates(today()),
            Err(Error::InvalidInput(
                crate::error::Invalid::DateInFuture { .. }
            ))
        ));
        assert!(matches!(
            place(tomorrow).check_dates(today()),
            Err(Error::InvalidInput(crate::error::Invalid::DateInFuture { date })) if date == tomorrow
        ));
    }
}
