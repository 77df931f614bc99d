//! Shared fixtures: a vault in a temporary folder, with cheap key derivation.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use silta_core::cases::{self, CaseInput, CaseView};
use silta_core::model::{Birth, NameKind, Person, PersonName};
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

/// A case for an adult born in 1990, to whom the child rules do not apply.
pub fn open_adult_case(vault: &Vault, name: &str) -> CaseView {
    let person = Person {
        birth: Some(Birth::Date(NaiveDate::from_ymd_opt(1990, 5, 1).unwrap())),
        ..person(name)
    };
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
