//! The person a case is about: who they are, how to reach them safely, their legal situation.
//! Field groups follow the official Finnish referral form (see ../shared/domain.md).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::codes::Gender;
use super::{CountryCode, LanguageCode, check_count, check_text, check_text_opt};
use crate::error::{Error, Result};
use crate::ids::PersonId;
use crate::vault::Record;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// At least one name; the first is shown in lists.
    pub names: Vec<PersonName>,
    #[serde(default)]
    pub birth: Option<Birth>,
    /// The caseworker doubts the recorded birth date or year: treated as possibly a child until
    /// a date is confirmed (child rules apply; the case is urgent).
    #[serde(default)]
    pub age_uncertain: bool,
    /// Asked when no birth date or year is recorded: "could this person be under 18?".
    #[serde(default)]
    pub could_be_minor: Option<CouldBeMinor>,
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub citizenships: Vec<CountryCode>,
    #[serde(default)]
    pub languages: Vec<LanguageSkill>,
    #[serde(default)]
    pub interpreter_needed: bool,
    #[serde(default)]
    pub safe_contact: Option<SafeContact>,
    /// Migri client number (UMA), if any.
    #[serde(default)]
    pub migri_client_number: Option<String>,
    #[serde(default)]
    pub residence_status: Option<ResidenceStatus>,
    #[serde(default)]
    pub counsel: Option<Counsel>,
    #[serde(default)]
    pub children_in_finland: Vec<Child>,
    /// Municipality of residence (kotikunta / hemkommun, as in kotikuntalaki 201/1994): it
    /// decides who arranges the help. For a victim with one, their municipality does; without
    /// one, Joutseno reception centre (vastaanottolaki 746/2011 as explained in Kuntaliitto's
    /// circular 7/2016). The official referral form asks for it.
    #[serde(default)]
    pub municipality: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    pub name: String,
    #[serde(default)]
    pub kind: NameKind,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The name on documents, or the one the person gives as theirs.
    #[default]
    Legal,
    Preferred,
    Alias,
    /// The name used during exploitation (for example in advertisements).
    UsedDuringExploitation,
}

/// A birth date when known, otherwise an estimated year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Birth {
    Date(NaiveDate),
    EstimatedYear(i32),
}

/// The caseworker's answer to "could this person be under 18?" when no birth date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CouldBeMinor {
    Yes,
    No,
    DontKnow,
}

/// What the app knows of a person's age on a day, from what the caseworker recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AgeKnown {
    Adult,
    /// Under 18 by a birth date nobody doubts.
    Child {
        age: u32,
    },
    /// Possibly under 18: the date is doubted, an estimated year reaches under 18, or the
    /// caseworker answered "yes" or "don't know" to "could this person be under 18?".
    PossiblyChild,
    /// No birth date or year, and the question not answered yet.
    NotRecorded,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LanguageSkill {
    pub language: LanguageCode,
    pub proficiency: Proficiency,
    /// The dialect, where it matters for finding an interpreter (the official referral form
    /// asks for mother tongue and dialect).
    #[serde(default)]
    pub dialect: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Proficiency {
    MotherTongue,
    Fluent,
    Good,
    Basic,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SafeContact {
    pub method: ContactMethod,
    #[serde(default)]
    pub details: String,
    /// "Is it safe to call here?" `None` until the person has been asked: a call the trafficker
    /// overhears can put them in danger, so a referral does not go until this is answered.
    #[serde(default)]
    pub safe_to_call: Option<bool>,
    /// "Is it safe to write (text, e-mail, letter) here?" `None` until asked.
    #[serde(default)]
    pub safe_to_write: Option<bool>,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactMethod {
    Phone,
    Email,
    ThroughCaseworker,
    InPerson,
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResidenceStatus {
    pub kind: ResidenceKind,
    #[serde(default)]
    pub details: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResidenceKind {
    FinnishCitizen,
    EuRegistered,
    ResidencePermit,
    ResidencePermitApplied,
    AsylumSeeker,
    TemporaryProtection,
    NoPermit,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Counsel {
    pub name: String,
    #[serde(default)]
    pub contact: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub name: String,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
}

impl Record for Person {
    const KIND: &'static str = "person";
    type Id = PersonId;
}

impl Person {
    pub fn validate(&self) -> Result<()> {
        if self.names.is_empty() {
            return Err(Error::invalid(
                "a person needs at least one name or alias (a nickname is fine)",
            ));
        }
        for n in &self.names {
            check_text("name", &n.name, 200)?;
        }
        if let Some(Birth::EstimatedYear(y)) = self.birth {
            if !(1900..=2100).contains(&y) {
                return Err(Error::invalid(format!("{y} is not a plausible birth year")));
            }
        }
        check_text_opt(
            "Migri client number",
            self.migri_client_number.as_deref(),
            40,
        )?;
        // Bounded like the app's form: one record stays small enough to list, seal and send.
        check_count("names", self.names.len(), 20)?;
        check_count("citizenships", self.citizenships.len(), 10)?;
        check_count("languages", self.languages.len(), 20)?;
        check_count("children", self.children_in_finland.len(), 30)?;
        for c in &self.children_in_finland {
            check_text("child's name", &c.name, 200)?;
        }
        if let Some(c) = &self.counsel {
            check_text("counsel's name", &c.name, 200)?;
            check_text_opt("counsel's contact", Some(&c.contact), 200)?;
        }
        if let Some(c) = &self.safe_contact {
            check_text_opt("contact details", Some(&c.details), 200)?;
            check_text_opt("note on the contact", Some(&c.note), 1000)?;
        }
        if let Some(r) = &self.residence_status {
            check_text_opt("residence details", Some(&r.details), 500)?;
        }
        check_text_opt("municipality", self.municipality.as_deref(), 100)?;
        // Any ISO 639 code is taken, named or not: refusing one the name tables lack would lock
        // an older record, or a received one, out of every edit, and push a Dari speaker to "fa"
        // (Persian, another interpreter). The form prints an unnamed code as such.
        for skill in &self.languages {
            if !skill.dialect.is_empty() {
                check_text("dialect", &skill.dialect, 100)?;
            }
        }
        Ok(())
    }

    /// The name shown in lists: the first legal or preferred name, else the first of any kind.
    pub fn display_name(&self) -> &str {
        self.names
            .iter()
            .find(|n| matches!(n.kind, NameKind::Legal | NameKind::Preferred))
            .or(self.names.first())
            .map_or("", |n| n.name.as_str())
    }

    /// A birth date that cannot be: after `today`, or before 1900 (a mistyped year). The form
    /// checks the same before saving; this is the last word.
    pub fn check_birth(&self, today: NaiveDate) -> Result<()> {
        match self.birth {
            Some(Birth::Date(date)) if date > today => {
                Err(Error::InvalidInput(crate::error::Invalid::BornInFuture {
                    date,
                }))
            }
            Some(Birth::Date(date)) if date.year() < 1900 => {
                Err(Error::InvalidInput(crate::error::Invalid::BornTooEarly {
                    date,
                }))
            }
            _ => self
                .children_in_finland
                .iter()
                .try_for_each(|c| match c.birth_date {
                    Some(date) if date > today => {
                        Err(Error::InvalidInput(crate::error::Invalid::BornInFuture {
                            date,
                        }))
                    }
                    Some(date) if date.year() < 1900 => {
                        Err(Error::InvalidInput(crate::error::Invalid::BornTooEarly {
                            date,
                        }))
                    }
                    _ => Ok(()),
                }),
        }
    }

    /// Age in whole years on `today`, from the birth date or (roughly) the estimated year.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        match self.birth? {
            Birth::Date(d) => today.years_since(d),
            Birth::EstimatedYear(y) => u32::try_from(today.year() - y).ok(),
        }
    }

    /// What is known of the age on `today`. A person who may be a child is presumed one until
    /// shown otherwise (Directive 2011/36/EU, art. 13(2): "where the age of a person subject to
    /// trafficking … is uncertain and there are reasons to believe that the person is a child,
    /// that person is presumed to be a child"). An estimated year is possibly a child when the
    /// youngest age it allows is under 18: "born about 2008" may be 17 in 2026.
    pub fn age_known(&self, today: NaiveDate) -> AgeKnown {
        if self.age_uncertain {
            return AgeKnown::PossiblyChild;
        }
        match self.birth {
            Some(Birth::Date(d)) => match today.years_since(d) {
                Some(age) if age >= 18 => AgeKnown::Adult,
                age => AgeKnown::Child {
                    age: age.unwrap_or(0),
                },
            },
            Some(Birth::EstimatedYear(y)) => {
                if today.year() - y - 1 < 18 {
                    AgeKnown::PossiblyChild
                } else {
                    AgeKnown::Adult
                }
            }
            None => match self.could_be_minor {
                Some(CouldBeMinor::No) => AgeKnown::Adult,
                Some(CouldBeMinor::Yes | CouldBeMinor::DontKnow) => AgeKnown::PossiblyChild,
                None => AgeKnown::NotRecorded,
            },
        }
    }

    /// Whether the child rules apply: under 18, or possibly so.
    pub fn treated_as_child(&self, today: NaiveDate) -> bool {
        matches!(
            self.age_known(today),
            AgeKnown::Child { .. } | AgeKnown::PossiblyChild
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Person {
        Person {
            names: vec![PersonName {
                name: name.into(),
                kind: NameKind::Legal,
            }],
            ..Person::default()
        }
    }

    #[test]
    fn what_the_edit_form_sends_of_a_person_is_bounded() {
        named("Aino").validate().unwrap();
        let long = "x".repeat(201);
        let too_many = |n: usize| -> Person {
            Person {
                names: (0..n)
                    .map(|i| PersonName {
                        name: format!("Name {i}"),
                        kind: NameKind::Alias,
                    })
                    .collect(),
                ..named("Aino")
            }
        };
        too_many(20).validate().unwrap();
        let bad = [
            too_many(21),
            Person {
                citizenships: vec!["FI".parse().unwrap(); 11],
                ..named("Aino")
            },
            Person {
                languages: vec![
                    LanguageSkill {
                        language: "fi".parse().unwrap(),
                        proficiency: Proficiency::Good,
                        dialect: String::new(),
                    };
                    21
                ],
                ..named("Aino")
            },
            Person {
                children_in_finland: vec![
                    Child {
                        name: "Mila".into(),
                        birth_date: None,
                    };
                    31
                ],
                ..named("Aino")
            },
            Person {
                counsel: Some(Counsel {
                    name: "Leena".into(),
                    contact: long.clone(),
                }),
                ..named("Aino")
            },
            Person {
                safe_contact: Some(SafeContact {
                    method: ContactMethod::Phone,
                    details: "+358 40 \u{202E}4321".into(),
                    safe_to_call: None,
                    safe_to_write: None,
                    note: String::new(),
                }),
                ..named("Aino")
            },
            Person {
                safe_contact: Some(SafeContact {
                    method: ContactMethod::Phone,
                    details: String::new(),
                    safe_to_call: None,
                    safe_to_write: None,
                    note: "x".repeat(1001),
                }),
                ..named("Aino")
            },
            Person {
                residence_status: Some(ResidenceStatus {
                    kind: ResidenceKind::NoPermit,
                    details: "x".repeat(501),
                }),
                ..named("Aino")
            },
        ];
        for (n, person) in bad.iter().enumerate() {
            assert!(person.validate().is_err(), "case {n} was taken");
        }
    }

    #[test]
    fn a_childs_birth_date_in_the_future_or_before_1900_is_refused_with_the_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let with_child = |date| Person {
            children_in_finland: vec![Child {
                name: "Mila".into(),
                birth_date: Some(date),
            }],
            ..named("Aino")
        };
        with_child(today).check_birth(today).unwrap();
        with_child(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap())
            .check_birth(today)
            .unwrap();
        let tomorrow = today.succ_opt().unwrap();
        assert!(matches!(
            with_child(tomorrow).check_birth(today),
            Err(Error::InvalidInput(crate::error::Invalid::BornInFuture { date })) if date == tomorrow
        ));
        let early = NaiveDate::from_ymd_opt(1899, 12, 31).unwrap();
        assert!(matches!(
            with_child(early).check_birth(today),
            Err(Error::InvalidInput(crate::error::Invalid::BornTooEarly { date })) if date == early
        ));
    }

    #[test]
    fn a_person_without_a_name_is_refused() {
        assert!(Person::default().validate().is_err());
        assert!(named("Ana").validate().is_ok());
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn a_birth_date_in_the_future_or_before_1900_is_refused() {
        let born = |y, m, d| {
            let mut p = named("Ana");
            p.birth = Some(Birth::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap()));
            p.check_birth(today())
        };
        assert!(born(2026, 11, 28).is_ok());
        assert!(born(2026, 11, 29).is_err());
        assert!(born(2031, 1, 1).is_err());
        assert!(born(1900, 1, 1).is_ok());
        assert!(born(1899, 12, 31).is_err());
        assert!(named("Ana").check_birth(today()).is_ok());
    }

    #[test]
    fn a_birth_date_decides_unless_the_caseworker_doubts_it() {
        let mut p = named("Ana");
        p.birth = Some(Birth::Date(NaiveDate::from_ymd_opt(2010, 1, 1).unwrap()));
        assert_eq!(p.age_on(today()), Some(16));
        assert_eq!(p.age_known(today()), AgeKnown::Child { age: 16 });
        assert!(p.treated_as_child(today()));
        // The eighteenth birthday is the day the child rules end.
        p.birth = Some(Birth::Date(NaiveDate::from_ymd_opt(2008, 11, 28).unwrap()));
        assert_eq!(p.age_known(today()), AgeKnown::Adult);
        p.birth = Some(Birth::Date(NaiveDate::from_ymd_opt(2008, 11, 29).unwrap()));
        assert_eq!(p.age_known(today()), AgeKnown::Child { age: 17 });
        p.birth = Some(Birth::Date(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()));
        assert!(!p.treated_as_child(today()));
        p.age_uncertain = true;
        assert_eq!(p.age_known(today()), AgeKnown::PossiblyChild);
        assert!(p.treated_as_child(today()));
    }

    #[test]
    fn an_estimated_year_that_reaches_under_18_is_possibly_a_child() {
        let mut p = named("Ana");
        // In 2026, "born about 2008" is 17 or 18.
        p.birth = Some(Birth::EstimatedYear(2008));
        assert_eq!(p.age_known(today()), AgeKnown::PossiblyChild);
        assert!(p.treated_as_child(today()));
        // "About 2007" is 18 or 19.
        p.birth = Some(Birth::EstimatedYear(2007));
        assert_eq!(p.age_known(today()), AgeKnown::Adult);
        assert!(!p.treated_as_child(today()));
    }

    #[test]
    fn without_a_birth_date_the_caseworkers_answer_decides_and_no_answer_is_not_a_child() {
        let mut p = named("Maria");
        assert_eq!(p.age_known(today()), AgeKnown::NotRecorded);
        assert!(!p.treated_as_child(today()));
        p.could_be_minor = Some(CouldBeMinor::No);
        assert_eq!(p.age_known(today()), AgeKnown::Adult);
        p.could_be_minor = Some(CouldBeMinor::DontKnow);
        assert_eq!(p.age_known(today()), AgeKnown::PossiblyChild);
        p.could_be_minor = Some(CouldBeMinor::Yes);
        assert!(p.treated_as_child(today()));
        // A recorded date answers the question itself.
        p.birth = Some(Birth::Date(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()));
        assert_eq!(p.age_known(today()), AgeKnown::Adult);
    }
}
