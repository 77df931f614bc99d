//! Retention, legal hold and erasure, and the statistics that outlive an erased case.

mod common;

use chrono::Days;
use common::*;
use silta_core::audit::{self, Action};
use silta_core::cases::{self, CaseInput};
use silta_core::ids::RecordId;
use silta_core::model::codes::CaseStatus;
use silta_core::model::*;
use silta_core::retention;
use silta_core::stats;
use silta_core::vault::{KdfParams, Passphrase, Vault};

fn close(vault: &Vault, view: &cases::CaseView, on: chrono::NaiveDate) {
    let mut details = view.case.record.details.clone();
    details.status = CaseStatus::Closed;
    details.closed = Some(on);
    cases::edit(
        vault,
        view.case.id,
        CaseInput {
            person: view.person.record.clone(),
            details: Some(details),
        },
        today(),
    )
    .unwrap();
}

#[test]
fn closed_cases_fall_due_after_the_organisations_period_unless_held() {
    let (_f, vault) = new_vault();
    assert!(
        retention::due(&vault, today()).is_err(),
        "no period, no pretending"
    );
    retention::set_policy(&vault, 2).unwrap();
    let opened_long_ago = |name: &str| {
        cases::open_case(
            &vault,
            CaseInput {
                person: common::person(name),
                details: Some(CaseDetails::new("Kaisa", today() - Days::new(5 * 365))),
            },
            today(),
        )
        .unwrap()
    };
    let old = opened_long_ago("Old");
    let held = opened_long_ago("Held");
    let recent = opened_long_ago("Recent");
    let _open = opened_long_ago("Open");
    close(&vault, &old, today() - Days::new(3 * 365));
    close(&vault, &held, today() - Days::new(3 * 365));
    close(&vault, &recent, today() - Days::new(30));
    retention::set_legal_hold(&vault, held.case.id, true).unwrap();
    let due: Vec<_> = retention::due(&vault, today())
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(due, [old.case.id]);
    let err = retention::erase(&vault, held.case.id, today()).unwrap_err();
    assert!(err.to_string().contains("legal hold"), "{err}");
}

/// The sealed bytes of every row the case has, as they sit in the database.
fn sealed_rows(f: &Fixture, case: silta_core::ids::CaseId) -> Vec<Vec<u8>> {
    use silta_core::ids::RecordId;
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let id = case.uuid();
    let mut stmt = conn
        .prepare("SELECT sealed FROM records WHERE case_id = ?1 OR id = ?1")
        .unwrap();
    let mut rows: Vec<Vec<u8>> = stmt
        .query_map([id.as_bytes().as_slice()], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut chunks = conn
        .prepare("SELECT sealed FROM attachment_chunks")
        .unwrap();
    rows.extend(
        chunks
            .query_map([], |r| r.get::<_, Vec<u8>>(0))
            .unwrap()
            .map(|r| r.unwrap()),
    );
    rows
}

#[test]
fn erasure_leaves_nothing_of_the_case_in_any_file_and_keeps_the_trace() {
    let (f, vault) = new_vault();
    let view = cases::open_case(
        &vault,
        CaseInput {
            person: full_person("CANARY-ERASE"),
            details: Some(full_details("CANARY-ERASE")),
        },
        today(),
    )
    .unwrap();
    let other = open_case(&vault, "Stays");
    vault
        .add_attachment(
            view.case.id,
            Attachment::new("a.txt", "text/plain"),
            &b"CANARY-ERASE file"[..],
            "t",
        )
        .unwrap();
    let before = sealed_rows(&f, view.case.id);
    assert!(before.len() >= 3);

    let erased = retention::erase(&vault, view.case.id, today()).unwrap();
    assert_eq!(erased.number, view.case.record.number);
    assert!(matches!(
        cases::view(&vault, view.case.id, today()),
        Err(silta_core::Error::NotFound { .. })
    ));
    assert!(cases::view(&vault, other.case.id, today()).is_ok());
    drop(vault);
    // Neither plaintext nor any of its ciphertexts is left in the folder: not in free pages, not in
    // the WAL.
    assert_eq!(
        files_containing(f.dir.path(), b"CANARY-ERASE"),
        Vec::<std::path::PathBuf>::new()
    );
    for sealed in &before {
        let probe = &sealed[sealed.len() - 32..];
        assert_eq!(
            files_containing(f.dir.path(), probe),
            Vec::<std::path::PathBuf>::new()
        );
    }

    let vault = unlock(&f.path);
    let trace: Vec<_> = audit::list(&vault, Some(view.case.id), None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == Action::Erasure)
        .collect();
    assert_eq!(trace.len(), 1);
    assert_eq!(
        trace[0].detail.as_deref(),
        Some(format!("case {}", view.case.record.number).as_str())
    );
    assert!(audit::verify(&vault).unwrap().broken.is_none());
    // The anonymised row stays for the statistics.
    let rows = stats::rows(&vault).unwrap();
    assert_eq!(rows.rows.len(), 2);
}

#[test]
fn a_backup_made_while_writing_restores_and_a_damaged_one_changes_nothing() {
    let (f, vault) = new_vault();
    open_case(&vault, "Before the backup");
    // Another connection keeps writing while the backup is taken.
    let writer = {
        let path = f.path.clone();
        std::thread::spawn(move || {
            let v = unlock(&path);
            for i in 0..20 {
                open_case(&v, &format!("Written meanwhile {i}"));
            }
        })
    };
    let backup = f.dir.path().join("backup.silta");
    let records = vault.backup(&backup).unwrap();
    writer.join().unwrap();
    assert!(records > 0);
    open_case(&vault, "After the backup");
    let after = cases::overviews(&vault).unwrap().len();
    assert!(vault.backup(&backup).is_err(), "a backup never overwrites");

    // A damaged backup is refused and the vault is as it was.
    let mut bytes = std::fs::read(&backup).unwrap();
    let n = bytes.len();
    bytes[n - 100] ^= 0xff;
    let damaged = f.dir.path().join("damaged.silta");
    std::fs::write(&damaged, &bytes).unwrap();
    let vault = {
        let err = vault.check_copy(&damaged).unwrap_err();
        assert!(
            matches!(
                err,
                silta_core::Error::Integrity { .. } | silta_core::Error::AuditBroken(_)
            ),
            "{err:?}"
        );
        vault
    };
    assert_eq!(cases::overviews(&vault).unwrap().len(), after);

    let restored =
        retention::restore(vault, &backup, today(), retention::BrokenLog::Refuse).unwrap();
    assert!(restored.records > 0);
    assert!(restored.kept_erased.is_empty());
    let vault = unlock(&f.path);
    let names: Vec<String> = cases::overviews(&vault)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(names.contains(&"Before the backup".to_string()));
    assert!(!names.contains(&"After the backup".to_string()));
    assert!(audit::verify(&vault).unwrap().broken.is_none());
}

/// Another process reading the vault keeps older pages in the files; the erasure is saved, and
/// says the erased data has not left the files yet. Once the reader is gone, it does.
#[test]
fn an_erasure_while_another_process_reads_the_vault_says_the_data_is_still_in_the_files() {
    let (f, vault) = new_vault();
    let view = open_case(&vault, "CANARY-ERASE-BLOCKED");
    vault.checkpoint().unwrap();
    let reader = rusqlite::Connection::open(&f.path).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .unwrap();
    let erased = retention::erase(&vault, view.case.id, today()).unwrap();
    assert!(!erased.gone_from_files);
    assert!(
        cases::overviews(&vault).unwrap().is_empty(),
        "erased all the same"
    );
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    vault.checkpoint().unwrap();
}

/// Every 32-byte window of each ciphertext of the case's records in `from`, looked for in the
/// files of `path`: none may be there.
fn ciphertexts_of_case(from: &std::path::Path, case: uuid::Uuid) -> Vec<Vec<u8>> {
    let conn = rusqlite::Connection::open(from).unwrap();
    let mut stmt = conn
        .prepare("SELECT sealed FROM records WHERE case_id = ?1 OR id = ?1")
        .unwrap();
    stmt.query_map([case.as_bytes().as_slice()], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|s| s.unwrap()[20..52].to_vec())
        .collect()
}

#[test]
fn erasure_survives_a_restore_and_no_ciphertext_of_the_case_is_in_the_restored_file() {
    let (f, vault) = new_vault();
    let kept = open_case(&vault, "Kept");
    let gone = open_case(&vault, "To be erased");
    let backup = f.dir.path().join("backup.silta");
    vault.backup(&backup).unwrap();
    let mut details = gone.case.record.details.clone();
    details.status = silta_core::model::codes::CaseStatus::Closed;
    details.closed = Some(today());
    cases::edit(
        &vault,
        gone.case.id,
        CaseInput {
            person: gone.person.record.clone(),
            details: Some(details),
        },
        today(),
    )
    .unwrap();
    retention::erase(&vault, gone.case.id, today()).unwrap();
    let restored =
        retention::restore(vault, &backup, today(), retention::BrokenLog::Refuse).unwrap();
    assert_eq!(restored.kept_erased, [gone.case.record.number]);
    let vault = unlock(&f.path);
    let names: Vec<String> = cases::overviews(&vault)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Kept"]);
    assert!(vault.get::<silta_core::model::Case>(kept.case.id).is_ok());
    assert!(audit::verify(&vault).unwrap().broken.is_none());
    vault.lock();
    let pieces = ciphertexts_of_case(&backup, gone.case.id.uuid());
    assert!(pieces.len() >= 2);
    for piece in pieces {
        assert!(
            files_containing(f.dir.path(), &piece)
                .iter()
                .all(|p| p == &backup),
            "a ciphertext of the erased case is in the restored vault"
        );
    }
}

#[test]
fn a_restore_over_a_broken_log_needs_the_user_to_say_so() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    let backup = f.dir.path().join("backup.silta");
    vault.backup(&backup).unwrap();
    open_case(&vault, "Bert");
    vault.lock();
    rusqlite::Connection::open(&f.path)
        .unwrap()
        .execute("DELETE FROM records WHERE kind = 'person'", [])
        .unwrap();
    let vault = unlock(&f.path);
    let err = retention::restore(vault, &backup, today(), retention::BrokenLog::Refuse)
        .err()
        .unwrap();
    assert!(
        matches!(err, silta_core::Error::ErasuresUnknown(_)),
        "{err}"
    );
    let vault = unlock(&f.path);
    retention::restore(vault, &backup, today(), retention::BrokenLog::RestoreAnyway).unwrap();
    let vault = unlock(&f.path);
    assert_eq!(cases::overviews(&vault).unwrap().len(), 1);
}

/// A backup made before a colleague was removed must not bring her back, or the key she knew.
#[test]
fn a_restore_keeps_the_key_slots_and_key_epochs_of_the_vault_it_replaces() {
    let (f, mut vault) = new_vault();
    vault
        .add_user(
            "Carol",
            &Passphrase::new("carol's words"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
    open_case(&vault, "Before");
    let backup = f.dir.path().join("backup.silta");
    vault.backup(&backup).unwrap();
    vault.remove_user("Carol").unwrap();
    retention::restore(vault, &backup, today(), retention::BrokenLog::Refuse).unwrap();
    assert!(matches!(
        Vault::unlock(&f.path, Some("Carol"), &Passphrase::new("carol's words")),
        Err(silta_core::Error::UnknownUser(_))
    ));
    let vault = unlock(&f.path);
    assert!(
        vault.audit_report().is_intact(),
        "{:?}",
        vault.audit_report()
    );
    open_case(&vault, "After the restore");
    assert_eq!(cases::overviews(&vault).unwrap().len(), 2);
    assert!(audit::verify(&vault).unwrap().broken.is_none());
}
