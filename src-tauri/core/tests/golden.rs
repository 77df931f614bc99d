//! Every vault format version ever written still opens and reads exactly as it did
//! (files made by examples/make_golden_vault.rs and committed).

use silta_core::cases;
use silta_core::model::{Attachment, Note};
use silta_core::vault::{Passphrase, RecoveryKey, Vault};

fn golden(version: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    // Opened from a copy: opening may migrate the file, and the committed one must stay as it was.
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/data/golden/format-{version}.silta"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.silta");
    std::fs::copy(&src, &path).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    (dir, path)
}

/// Every table and index, as SQLite stores their definitions.
fn schema(path: &std::path::Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn fresh_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.silta");
    Vault::create(
        &path,
        "New",
        &Passphrase::new("a new passphrase"),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    (dir, path)
}

/// Every golden file holds the same vault: one case with a note in two versions and an attachment.
fn opens_and_reads_the_same(version: u32) {
    let (_dir, path) = golden(version);
    let vault =
        Vault::unlock(&path, Some("Golden"), &Passphrase::new("golden passphrase")).unwrap();
    assert!(
        vault.audit_report().is_intact(),
        "format {version}: {:?}",
        vault.audit_report()
    );
    let report = silta_core::audit::verify(&vault).unwrap();
    assert_eq!(report.broken, None, "format {version}");
    let all = cases::overviews(&vault).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, "Åsa Mäkinen");
    assert_eq!(all[0].number.to_string(), "2026-0001");
    let view = cases::view(
        &vault,
        all[0].id,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    )
    .unwrap();
    let note = &view.notes[0];
    assert_eq!(note.record.text, "second version");
    assert_eq!(
        vault.history::<Note>(note.id).unwrap()[0].record.text,
        "first version"
    );
    let attachment = vault.list::<Attachment>(Some(all[0].id)).unwrap().remove(0);
    let mut content = Vec::new();
    vault.read_attachment(attachment.id, &mut content).unwrap();
    assert_eq!(content, b"hello, golden");
    assert_eq!(
        Vault::info(&path).unwrap().format_version,
        silta_core::FORMAT_VERSION,
        "format {version} is migrated to the current format on open"
    );
    assert_eq!(
        schema(&path),
        schema(&fresh_vault().1),
        "format {version}, migrated, has the schema of a new vault"
    );
    // The case counter carries over (before format 3 it was a record of its own).
    let next = cases::open_case(
        &vault,
        cases::CaseInput {
            person: silta_core::model::Person {
                names: vec![silta_core::model::PersonName {
                    name: "Next".into(),
                    kind: silta_core::model::NameKind::Legal,
                }],
                ..Default::default()
            },
            details: None,
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
    )
    .unwrap();
    assert_eq!(next.case.record.number.to_string(), "2026-0002");
    assert_eq!(silta_core::audit::verify(&vault).unwrap().broken, None);
    vault.lock();

    let key_file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/data/golden/format-{version}.recovery-key"));
    let key = RecoveryKey::parse(&std::fs::read_to_string(key_file).unwrap()).unwrap();
    assert!(Vault::recover(&path, "Golden", &key).is_ok());
}

#[test]
fn format_1_opens_with_its_passphrase_and_recovery_key_and_reads_the_same() {
    opens_and_reads_the_same(1);
}

#[test]
fn format_2_opens_with_its_passphrase_and_recovery_key_and_reads_the_same() {
    opens_and_reads_the_same(2);
}

#[test]
fn format_3_opens_with_its_passphrase_and_recovery_key_and_reads_the_same() {
    opens_and_reads_the_same(3);
}

#[test]
fn format_4_opens_with_its_passphrase_and_recovery_key_and_reads_the_same() {
    opens_and_reads_the_same(4);
}

/// `vault info` and the list of staff need no passphrase, and so write nothing: an older file is
/// shown as it is, not upgraded by being looked at.
#[test]
fn looking_at_a_vault_without_a_key_writes_nothing() {
    for version in 1..=3 {
        let (dir, path) = golden(version);
        let before = std::fs::read(&path).unwrap();
        assert_eq!(Vault::info(&path).unwrap().format_version, version);
        assert_eq!(Vault::users(&path).unwrap(), ["Golden"]);
        Vault::id_at(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), before, "format {version}");
        // SQLite's shared-memory index of a WAL file may be made for reading; the log stays empty.
        let wal = dir.path().join("vault.silta-wal");
        assert!(
            std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0,
            "nothing logged to write"
        );
    }
}

#[test]
fn every_golden_file_has_a_test_and_the_current_format_has_a_golden_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden");
    let mut versions: Vec<u32> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_prefix("format-")?
                .strip_suffix(".silta")?
                .parse()
                .ok()
        })
        .collect();
    versions.sort();
    assert_eq!(
        versions,
        (1..=silta_core::FORMAT_VERSION).collect::<Vec<_>>()
    );
}

/// A vault upgraded from format 2 whose log is then wiped, together with a version of a record
/// from before the upgrade, must not pass for a vault made before the log existed.
#[test]
fn an_upgraded_vault_whose_log_is_wiped_is_broken_not_started_afresh() {
    let (_dir, path) = golden(2);
    Vault::unlock(&path, Some("Golden"), &Passphrase::new("golden passphrase"))
        .unwrap()
        .lock();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DELETE FROM records WHERE kind IN ('audit', 'audit_head');
         DELETE FROM records WHERE kind = 'note' AND version = 2;",
    )
    .unwrap();
    drop(conn);
    let vault =
        Vault::unlock(&path, Some("Golden"), &Passphrase::new("golden passphrase")).unwrap();
    let why = vault.audit_report().broken.clone().unwrap();
    assert!(why.contains("head is missing"), "{why}");
}

/// A vault made before format 3 keeps its oldest entries at ids of their own and its oldest
/// records bound to the upgrade, which a laptop joining its team could not check: it does not
/// start a team (docs/sync.md, "Known limits now"), and the refusal writes nothing.
#[test]
fn a_vault_made_before_format_3_does_not_start_a_team_and_says_why() {
    for version in [1, 2] {
        let (_dir, path) = golden(version);
        let vault =
            Vault::unlock(&path, Some("Golden"), &Passphrase::new("golden passphrase")).unwrap();
        let before = silta_core::audit::verify(&vault).unwrap().entries;
        let device = age::x25519::Identity::generate();
        let key = silta_core::sync::signing::PublicDeviceKey::of(&device).unwrap();
        let err = silta_core::sync::enrolment::enrol(
            &vault,
            &key.to_string(),
            &key.fingerprint(),
            silta_core::sync::SyncServer {
                url: "https://sync.example.org".into(),
                database: "team".into(),
                user: "laptop-2".into(),
                password: "pw".into(),
            },
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                silta_core::Error::InvalidInput(silta_core::Invalid::OlderVaultCannotStartTeam)
            ),
            "format {version}: {err}"
        );
        assert_eq!(silta_core::audit::verify(&vault).unwrap().entries, before);
        assert!(silta_core::sync::team::devices(&vault).unwrap().is_empty());
    }
}
