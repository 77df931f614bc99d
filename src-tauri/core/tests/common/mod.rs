//! Shared fixtures: a vault in a temporary folder, with cheap key derivation.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use silta_core::cases::{self, CaseInput, CaseView};
use silta_core::model::codes::*;
use silta_core::model::*;
use silta_core::vault::{KdfParams, Passphrase, RecoveryKey, Vault};

pub const PASS: &str = "correct horse battery staple";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub recovery: RecoveryKey,
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

pub fn new_vault() -> (Fixture, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.silta");
    let (vault, recovery) = Vault::create(
        &path,
        "Kaisa",
        &Passphrase::new(PASS),
        KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    (
        Fixture {
            dir,
            path,
            recovery,
        },
        vault,
    )
}

pub fn unlock(path: &Path) -> Vault {
    Vault::unlock(path, Some("Kaisa"), &Passphrase::new(PASS)).unwrap()
}

pub fn person(name: &str) -> Person {
    Person {
        names: vec![PersonName {
            name: name.into(),
            kind: NameKind::Legal,
        }],
        ..Person::default()
    }
}

pub fn open_case(vault: &Vault, name: &str) -> CaseView {
    cases::open_case(
        vault,
        CaseInput {
            person: person(name),
            details: None,
        },
        today(),
    )
    .unwrap()
}

/// A consent given today by the person, for `purpose` to `recipient` (if any), covering `groups`.
pub fn consent_for(recipient: Option<&str>, purpose: Purpose, groups: &[FieldGroup]) -> Consent {
    Consent {
        purpose,
        recipient: recipient.map(str::to_string),
        field_groups: groups.to_vec(),
        // The shipped Finnish text, as the consent form records it once the person has read it.
        information: Some(
            silta_core::information::Library::load(None)
                .render(&"fi".parse().unwrap(), purpose, None)
                .unwrap()
                .shown,
        ),
        interpreter: None,
        given_by: GivenBy::Person,
        representative: None,
        guardian_suspected: false,
        no_representative: None,
        child_views: None,
        signed_form: None,
        date: today(),
        expires: None,
        withdrawn: None,
        recorded_by: String::new(),
    }
}

/// A case for an adult born in 1990, to whom the child rules do not apply.
pub fn open_adult_case(vault: &Vault, name: &str) -> CaseView {
    open_case_of(
        vault,
        Person {
            birth: Some(Birth::Date(NaiveDate::from_ymd_opt(1990, 5, 1).unwrap())),
            ..person(name)
        },
    )
}

/// A case for `person`, with no details yet.
pub fn open_case_of(vault: &Vault, person: Person) -> CaseView {
    cases::open_case(
        vault,
        CaseInput {
            person,
            details: None,
        },
        today(),
    )
    .unwrap()
}

/// Every file in `dir` (recursively) that contains `needle`.
pub fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle) {
                found.push(path);
            }
        }
    }
    found
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A person with every field filled, each text starting with `t`.
pub fn full_person(t: &str) -> Person {
    Person {
        names: vec![
            PersonName {
                name: format!("{t} legal"),
                kind: NameKind::Legal,
            },
            PersonName {
                name: format!("{t} alias"),
                kind: NameKind::Alias,
            },
            PersonName {
                name: format!("{t} street"),
                kind: NameKind::UsedDuringExploitation,
            },
        ],
        birth: Some(Birth::Date(d(2009, 3, 4))),
        age_uncertain: true,
        could_be_minor: Some(CouldBeMinor::DontKnow),
        gender: Some(Gender::Feminine),
        citizenships: vec!["RO".parse().unwrap(), "MD".parse().unwrap()],
        languages: vec![LanguageSkill {
            language: "ro".parse().unwrap(),
            proficiency: Proficiency::MotherTongue,
            dialect: format!("{t} Moldovan"),
        }],
        interpreter_needed: true,
        safe_contact: Some(SafeContact {
            method: ContactMethod::Phone,
            details: format!("{t} +358401234567"),
            safe_to_call: Some(false),
            safe_to_write: Some(true),
            note: format!("{t} only mornings"),
        }),
        migri_client_number: Some(format!("{t}-UMA")),
        residence_status: Some(ResidenceStatus {
            kind: ResidenceKind::AsylumSeeker,
            details: format!("{t} applied"),
        }),
        counsel: Some(Counsel {
            name: format!("{t} lawyer"),
            contact: format!("{t} office"),
        }),
        children_in_finland: vec![Child {
            name: format!("{t} child"),
            birth_date: Some(d(2020, 1, 1)),
        }],
        municipality: Some(format!("{t} Vantaa")),
    }
}

/// Case details with every field filled, each text starting with `t`.
pub fn full_details(t: &str) -> CaseDetails {
    CaseDetails {
        status: CaseStatus::Active,
        trafficking_status: Some(TraffickingStatus::PossibleVictimOfTrafficking),
        status_decided_by: Some(StatusDecisionMaker::NGO),
        exploitation_types: vec![
            ExploitationType::ForcedLabour,
            ExploitationType::SexualExploitation,
            ExploitationType::Other,
        ],
        exploitation_other: Some(format!("{t} forced criminality")),
        forced_criminality: true,
        sex_exploitation_types: vec![SexExploitationType::Prostitution],
        forced_labour_industry: Some(ForcedLabourIndustry::I_AccommodationAndFoodServiceActivities),
        methods_of_control: vec![MethodOfControl::DebtBondage],
        recruitment: vec![MethodOfRecruitment::ThroughOnlineSocialNetworks],
        relationship_to_trafficker: Some(RelationshipToTrafficker::Acquainted),
        events: vec![TraffickingEvent {
            kind: TraffickingEventType::Exploitation,
            city: Some(format!("{t} city")),
            country: Some("FI".parse().unwrap()),
            date: Some(d(2026, 5, 1)),
            description: format!("{t} flat above the shop"),
        }],
        caseworker: format!("{t} worker"),
        opened: d(2026, 11, 1),
        closed: None,
        // In danger (below), which a "not urgent" does not outweigh (`cases::urgency`).
        urgent: true,
        urgency_override: Some(UrgencyOverride {
            urgent: false,
            reason: format!("{t} safe with family tonight"),
        }),
        demo: false,
        needs: ImmediateNeeds {
            danger: true,
            note: format!("{t} needs"),
            ..ImmediateNeeds::default()
        },
        police: PoliceStatus {
            reported: true,
            unit: Some(format!("{t} unit")),
            case_number: Some(format!("{t} police number")),
        },
        health: format!("{t} health"),
        exploiters: vec![Exploiter {
            name: format!("{t} exploiter"),
            phones: vec![format!("{t} phone")],
            vehicles: vec![format!("{t} car")],
            addresses: vec![format!("{t} address")],
            websites: vec![format!("{t} site")],
            note: format!("{t} exploiter note"),
        }],
        referred_by: None,
        legal_hold: false,
    }
}

/// A screening interview with every text starting with `t`.
pub fn interview(t: &str) -> Interview {
    Interview {
        stage: InterviewStage::Screening,
        language: "ro".parse().unwrap(),
        interpreter: Some(format!("{t} interpreter")),
        answers: vec![IndicatorAnswer {
            indicator: Indicator::DebtBondage,
            answer: Answer::Yes,
            source: Source::SelfReported,
            context: format!("{t} owes 5000"),
        }],
        narrative: format!("{t} in her own words"),
        observations: format!("{t} observed bruises"),
        status: InterviewStatus::Draft,
        opening_given: true,
        open_answers: vec![OpenAnswer {
            question: OpenQuestion::Situation,
            text: format!("{t} cleaned offices at night"),
        }],
        explore: vec![IndicatorGroup::DomesticServitude],
        question_set: silta_core::indicators::QUESTION_SET,
    }
}
