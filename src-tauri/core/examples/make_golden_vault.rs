//! Writes the golden vault of the current format version to tests/data/golden/ (run once per new
//! format version, then commit the file; tests/golden.rs opens every one of them forever after):
//!
//!     cargo run -p silta-core --features test-support --example make_golden_vault

use chrono::NaiveDate;
use silta_core::cases::{self, CaseInput};
use silta_core::model::{Attachment, Birth, NameKind, Note, Person, PersonName};
use silta_core::vault::{KdfParams, Passphrase, Vault};

fn main() -> silta_core::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden");
    let path = dir.join(format!("format-{}.silta", silta_core::FORMAT_VERSION));
    let (mut vault, recovery) = Vault::create(
        &path,
        "Golden",
        &Passphrase::new("golden passphrase"),
        KdfParams::CHEAP_FOR_TESTS,
    )?;
    let view = cases::open_case(
        &vault,
        CaseInput {
            person: Person {
                names: vec![PersonName {
                    name: "Åsa Mäkinen".into(),
                    kind: NameKind::Legal,
                }],
                birth: Some(Birth::Date(
                    NaiveDate::from_ymd_opt(1990, 2, 3).unwrap_or_default(),
                )),
                citizenships: vec!["SE".parse()?],
                ..Person::default()
            },
            details: None,
        },
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default(),
    )?;
    let note = vault.insert(
        Some(view.case.id),
        &Note {
            text: "first version".into(),
        },
    )?;
    // A key change (format 4) between the versions: the file holds records of two key epochs.
    vault.add_user(
        "Leaver",
        &Passphrase::new("leaver's passphrase"),
        KdfParams::CHEAP_FOR_TESTS,
    )?;
    vault.remove_user("Leaver")?;
    vault.update(
        &note,
        &Note {
            text: "second version".into(),
        },
    )?;
    vault.add_attachment(
        view.case.id,
        Attachment::new("hello.txt", "text/plain"),
        &b"hello, golden"[..],
        "inline",
    )?;
    vault.checkpoint()?;
    std::fs::write(
        dir.join(format!(
            "format-{}.recovery-key",
            silta_core::FORMAT_VERSION
        )),
        recovery.as_str(),
    )
    .map_err(|e| silta_core::Error::InvalidInput(e.to_string().into()))?;
    println!("{}", path.display());
    Ok(())
}
