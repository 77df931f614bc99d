//! The starting cases of the training scenarios in docs/training: one invented person each, with
//! what a caseworker would know at the first meeting and nothing more (no interview, consent or
//! referral: the trainee makes those). Every case is flagged `demo` and says so in a note.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};
use crate::ids::CaseId;
use crate::model::codes::Gender;
use crate::model::{
    Birth, CaseDetails, LanguageSkill, NameKind, Note, Person, PersonName, Proficiency,
    ResidenceKind, ResidenceStatus,
};
use crate::vault::Vault;

/// The scenarios, by the name `silta demo --scenario` takes and docs/training/scenarios/ uses.
pub const SCENARIOS: &[&str] = &[
    "construction",
    "sexual-exploitation",
    "unaccompanied-minor",
    "forced-marriage",
];

struct Start {
    names: &'static [(&'static str, NameKind)],
    /// Age in years today; the year only when the person's age is uncertain.
    age: i32,
    age_uncertain: bool,
    gender: Gender,
    citizenship: &'static str,
    languages: &'static [(&'static str, Proficiency)],
    residence: ResidenceKind,
    residence_details: &'static str,
    municipality: Option<&'static str>,
}

fn start(name: &str) -> Option<Start> {
    use Proficiency::{Basic, Fluent, MotherTongue};
    Some(match name {
        "construction" => Start {
            names: &[("Oleksandr Melnyk", NameKind::Legal)],
            age: 42,
            age_uncertain: false,
            gender: Gender::Masculine,
            citizenship: "UA",
            languages: &[("uk", MotherTongue), ("ru", Fluent), ("en", Basic)],
            residence: ResidenceKind::ResidencePermit,
            residence_details: "Work-based residence permit tied to one employer",
            municipality: Some("Vantaa"),
        },
        "sexual-exploitation" => Start {
            names: &[("Blessing Osagie", NameKind::Legal)],
            age: 23,
            age_uncertain: false,
            gender: Gender::Feminine,
            citizenship: "NG",
            languages: &[("bin", MotherTongue), ("en", Fluent)],
            residence: ResidenceKind::NoPermit,
            residence_details: "Came from Italy; the Italian permit has expired",
            municipality: None,
        },
        // Vietnamese names are written family name first.
        "unaccompanied-minor" => Start {
            names: &[("Nguyễn Văn Nam", NameKind::Legal)],
            age: 16,
            age_uncertain: true,
            gender: Gender::Masculine,
            citizenship: "VN",
            languages: &[("vi", MotherTongue)],
            residence: ResidenceKind::Unknown,
            residence_details: "",
            municipality: None,
        },
        "forced-marriage" => Start {
            names: &[
                ("Noor Hassan", NameKind::Legal),
                ("نور حسن", NameKind::Alias),
            ],
            age: 19,
            age_uncertain: false,
            gender: Gender::Feminine,
            citizenship: "IQ",
            languages: &[("ar", MotherTongue)],
            residence: ResidenceKind::ResidencePermit,
            residence_details: "Family-based residence permit as a spouse",
            municipality: Some("Espoo"),
        },
        _ => return None,
    })
}

/// Adds the starting case of the scenario `name` to `vault`.
pub fn load(vault: &Vault, name: &str, today: NaiveDate) -> Result<CaseId> {
    let s = start(name).ok_or_else(|| {
        Error::invalid(format!(
            "there is no training scenario {name:?}; use one of: {}",
            SCENARIOS.join(", ")
        ))
    })?;
    let born = today.year() - s.age;
    let person = Person {
        names: s
            .names
            .iter()
            .map(|&(name, kind)| PersonName {
                name: name.to_string(),
                kind,
            })
            .collect(),
        birth: Some(if s.age_uncertain {
            Birth::EstimatedYear(born)
        } else {
            // Born earlier in the year, so the age holds all year round.
            Birth::Date(NaiveDate::from_ymd_opt(born, 1, 15).unwrap_or(today))
        }),
        age_uncertain: s.age_uncertain,
        gender: Some(s.gender),
        citizenships: vec![s.citizenship.parse()?],
        languages: s
            .languages
            .iter()
            .map(|&(code, proficiency)| {
                Ok(LanguageSkill {
                    language: code.parse()?,
                    proficiency,
                    dialect: String::new(),
                })
            })
            .collect::<Result<_>>()?,
        interpreter_needed: true,
        residence_status: Some(ResidenceStatus {
            kind: s.residence,
            details: s.residence_details.to_string(),
        }),
        municipality: s.municipality.map(str::to_string),
        ..Person::default()
    };
    let case = crate::demo::open_case(
        vault,
        person,
        CaseDetails::new("Demo caseworker", today),
        today,
    )?;
    let text = format!("Training scenario \"{name}\": see docs/training/scenarios/{name}.md.");
    vault.insert(Some(case), &Note { text })?;
    Ok(case)
}

/// Adds every scenario's starting case.
pub fn load_all(vault: &Vault, today: NaiveDate) -> Result<Vec<CaseId>> {
    SCENARIOS.iter().map(|n| load(vault, n, today)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_named_has_a_starting_case_and_no_other_does() {
        for name in SCENARIOS {
            assert!(start(name).is_some(), "{name}");
        }
        assert!(start("sexual_exploitation").is_none());
    }
}
