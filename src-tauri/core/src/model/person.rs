//! The person a case is about: who they are, how to reach them safely, their legal situation.
//! Field groups follow the official Finnish referral form (see ../shared/domain.md).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::codes::Gender;
use super::{CountryCode, LanguageCode, check_text, check_text_opt};
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
    /// Treated as a child until shown otherwise (child rules apply; referrals are urgent).
    #[serde(default)]
    pub age_uncertain: bool,
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
        for c in &self.children_in_finland {
            check_text("child's name", &c.name, 200)?;
        }
        if let Some(c) = &self.counsel {
            check_text("counsel's name", &c.name, 200)?;
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

    /// Age in whole years on `today`, from the birth date or (roughly) the estimated year.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        match self.birth? {
            Birth::Date(d) => today.years_since(d),
            Birth::EstimatedYear(y) => u32::try_from(today.year() - y).ok(),
        }
    }

    /// Whether the child rules apply: under 18, or age unknown or uncertain.
    pub fn treated_as_child(&self, today: NaiveDate) -> bool {
        self.age_uncertain || self.age_on(today).is_none_or(|age| age < 18)
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
    fn a_person_without_a_name_is_refused() {
        assert!(Person::default().validate().is_err());
        assert!(named("Ana").validate().is_ok());
    }

    #[test]
    fn unknown_or_uncertain_age_means_child_rules() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut p = named("Ana");
        assert!(p.treated_as_child(today), "no birth date");
        p.birth = Some(Birth::Date(NaiveDate::from_ymd_opt(2010, 1, 1).unwrap()));
        assert_eq!(p.age_on(today), Some(16));
        assert!(p.treated_as_child(today));
        p.birth = Some(Birth::Date(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()));
        assert!(!p.treated_as_child(today));
        p.age_uncertain = true;
        assert!(p.treated_as_child(today));
    }
}
