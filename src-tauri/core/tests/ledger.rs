//! History that cannot be quietly rewritten: the attacks of docs/threat-model.md ("Rows deleted,
//! rolled back or put back"), each made with only the file and SQLite, as an attacker without a
//! key would make them. Each must be found at the next unlock or by `audit verify`, and named.

mod common;

use common::*;
use silta_core::audit::{self, Action};
use silta_core::model::{Attachment, Note};
use silta_core::vault::{KdfParams, Passphrase, Vault};
use silta_core::{Error, retention};

fn raw(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// A consistent copy of the vault file as it is now (what a thief's earlier copy would be).
fn copy_of(vault: &Vault, to: &std::path::Path) {
    vault.checkpoint().unwrap();
    std::fs::copy(vault.path(), to).unwrap();
}

fn broken_at_unlock(path: &std::path::Path) -> (Vault, String) {
    let vault = unlock(path);
    let why = vault
        .audit_report()
        .broken
        .clone()
        .expect("the next unlock should find the log broken");
    (vault, why)
}

#[test]
fn a_new_vault_logs_its_creation_first_and_checks_clean() {
    let (_f, vault) = new_vault();
    let entries = audit::list(&vault, None, None).unwrap();
    assert_eq!(entries[0].action, Action::VaultCreated);
    assert_eq!(entries[0].seq, 1);
    assert!(vault.audit_report().is_intact());
    let report = audit::verify(&vault).unwrap();
    assert_eq!(report.broken, None);
    assert_eq!(report.entries, entries.len() as u64);
}

#[test]
fn every_write_names_the_kind_id_and_version_it_wrote() {
    let (_f, vault) = new_vault();
    let view = open_case(&vault, "Aino");
    let note = vault
        .insert(Some(view.case.id), &Note { text: "a".into() })
        .unwrap();
    vault.update(&note, &Note { text: "b".into() }).unwrap();
    let entries = audit::list(&vault, None, None).unwrap();
    let changed = entries
        .iter()
        .find(|e| e.action == Action::Changed && e.kind.as_deref() == Some("note"))
        .unwrap();
    assert_eq!(
        changed.target,
        Some(silta_core::ids::RecordId::uuid(&note.id))
    );
    assert_eq!(changed.version, Some(2));
    assert_eq!(changed.sealed.as_ref().map(String::len), Some(64));
}

/// Entry ids are derived from their numbers and the head's is random: none is a time-ordered
/// UUID v7, which would show when each unlock, view or erasure happened.
#[test]
fn audit_rows_do_not_date_what_they_log() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    let conn = raw(&f.path);
    let mut stmt = conn
        .prepare("SELECT id FROM records WHERE kind IN ('audit', 'audit_head', 'stats_row')")
        .unwrap();
    let ids: Vec<uuid::Uuid> = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|b| uuid::Uuid::from_slice(&b.unwrap()).unwrap())
        .collect();
    assert!(ids.len() > 5);
    for id in ids {
        assert_ne!(id.get_version_num(), 7, "{id} is time-ordered");
    }
}

#[test]
fn a_wiped_log_is_broken_never_a_fresh_start() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    raw(&f.path)
        .execute(
            "DELETE FROM records WHERE kind IN ('audit', 'audit_head')",
            [],
        )
        .unwrap();
    let (vault, why) = broken_at_unlock(&f.path);
    assert!(why.contains("head is missing"), "{why}");
    // Work that would start a new log is refused with the reason, and nothing is written.
    let err = silta_core::cases::open_case(
        &vault,
        silta_core::cases::CaseInput {
            person: person("Bea"),
            details: None,
        },
        today(),
    )
    .map(|_| ())
    .unwrap_err();
    assert!(matches!(err, Error::AuditBroken(_)), "{err}");
    drop(vault);
    let (_, again) = broken_at_unlock(&f.path);
    assert_eq!(again, why, "still broken at the next unlock");
}

#[test]
fn entries_deleted_from_the_middle_are_found_at_unlock() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    let entries = audit::list(&vault, None, None).unwrap();
    assert!(entries.len() > 4);
    vault.lock();
    let conn = raw(&f.path);
    // Without the key the entries cannot be read; delete one row of the log at random.
    conn.execute(
        "DELETE FROM records WHERE rowid = (SELECT rowid FROM records WHERE kind = 'audit' LIMIT 1 OFFSET 2)",
        [],
    )
    .unwrap();
    drop(conn);
    let (_vault, why) = broken_at_unlock(&f.path);
    assert!(why.contains("is missing"), "{why}");
}

/// An older head (with its case counter) put back from an earlier copy, and the entries written
/// since deleted: the log verifies on its own, but the rows written since no longer match it.
#[test]
fn an_older_head_put_back_from_a_copy_is_found() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    let old = f.dir.path().join("old.silta");
    copy_of(&vault, &old);
    open_case(&vault, "Bea");
    vault.lock();

    let old_conn = raw(&old);
    let old_head: Vec<u8> = old_conn
        .query_row(
            "SELECT sealed FROM records WHERE kind = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let conn = raw(&f.path);
    conn.execute("ATTACH ?1 AS old", [old.to_str().unwrap()])
        .unwrap();
    conn.execute(
        "UPDATE records SET sealed = ?1 WHERE kind = 'audit_head'",
        [&old_head],
    )
    .unwrap();
    conn.execute(
        "DELETE FROM records WHERE kind = 'audit' AND id NOT IN (SELECT id FROM old.records WHERE kind = 'audit')",
        [],
    )
    .unwrap();
    drop(conn);

    let (_vault, why) = broken_at_unlock(&f.path);
    assert!(
        why.contains("no log entry wrote it") && why.contains("2026-0002"),
        "{why}"
    );
}

#[test]
fn a_record_deleted_whole_is_named() {
    let (f, vault) = new_vault();
    let view = open_case(&vault, "Aino");
    let note = vault
        .insert(Some(view.case.id), &Note { text: "x".into() })
        .unwrap();
    vault.lock();
    raw(&f.path)
        .execute("DELETE FROM records WHERE kind = 'note'", [])
        .unwrap();
    let (_vault, why) = broken_at_unlock(&f.path);
    assert!(
        why.contains(&format!("the note {} of case 2026-0001", note.id))
            && why.contains("is missing"),
        "{why}"
    );
}

#[test]
fn a_row_added_by_hand_is_named() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    raw(&f.path)
        .execute(
            "INSERT INTO records (id, version, kind, case_id, sealed) VALUES (randomblob(16), 1, 'note', NULL, x'01')",
            [],
        )
        .unwrap();
    let (_vault, why) = broken_at_unlock(&f.path);
    assert!(why.contains("no log entry wrote it"), "{why}");
}

/// Erasure survives an attacker with an older copy: the erased case's rows put back are named.
#[test]
fn an_erased_case_put_back_from_an_older_copy_is_named() {
    let (f, vault) = new_vault();
    let view = open_case(&vault, "Aino");
    let old = f.dir.path().join("old.silta");
    copy_of(&vault, &old);
    retention::erase(&vault, view.case.id, today()).unwrap();
    vault.lock();

    let conn = raw(&f.path);
    conn.execute("ATTACH ?1 AS old", [old.to_str().unwrap()])
        .unwrap();
    let case_bytes = silta_core::ids::RecordId::uuid(&view.case.id);
    let back = conn
        .execute(
            "INSERT INTO records SELECT * FROM old.records WHERE case_id = ?1 OR id = ?1",
            [case_bytes.as_bytes().as_slice()],
        )
        .unwrap();
    assert!(back >= 2);
    drop(conn);
    let (_vault, why) = broken_at_unlock(&f.path);
    assert!(
        why.contains("is in the file, but entry") && why.contains("put back"),
        "{why}"
    );
}

#[test]
fn a_key_slot_put_back_after_its_staff_member_was_removed_is_found() {
    let (f, mut vault) = new_vault();
    vault
        .add_user(
            "Mikko",
            &Passphrase::new("mikon salasana 1"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
    let old = f.dir.path().join("old.silta");
    copy_of(&vault, &old);
    vault.remove_user("Mikko").unwrap();
    vault.lock();
    let conn = raw(&f.path);
    conn.execute("ATTACH ?1 AS old", [old.to_str().unwrap()])
        .unwrap();
    conn.execute(
        "INSERT INTO key_slots SELECT * FROM old.key_slots WHERE user = 'Mikko'",
        [],
    )
    .unwrap();
    drop(conn);
    let (_vault, why) = broken_at_unlock(&f.path);
    assert!(why.contains("key slots"), "{why}");
}

#[test]
fn a_slot_moved_to_another_name_is_found() {
    let (f, vault) = new_vault();
    vault
        .add_user(
            "Mikko",
            &Passphrase::new("mikon salasana 1"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
    vault.lock();
    let conn = raw(&f.path);
    conn.execute("DELETE FROM key_slots WHERE user = 'Mikko'", [])
        .unwrap();
    conn.execute(
        "UPDATE key_slots SET user = 'Mikko' WHERE user = 'Kaisa'",
        [],
    )
    .unwrap();
    drop(conn);
    let vault = Vault::unlock(&f.path, Some("Mikko"), &Passphrase::new(PASS)).unwrap();
    let why = vault.audit_report().broken.clone().unwrap();
    assert!(why.contains("key slots"), "{why}");
}

/// A locked vault holding one case with a 3 MiB attachment (three chunks).
fn locked_with_a_three_chunk_attachment() -> Fixture {
    let (f, vault) = new_vault();
    let view = open_case(&vault, "Aino");
    vault
        .add_attachment(
            view.case.id,
            Attachment::new("a.bin", "application/octet-stream"),
            &vec![7u8; 3 << 20][..],
            "test",
        )
        .unwrap();
    vault.lock();
    f
}

#[test]
fn an_attachment_chunk_deleted_is_found_at_unlock() {
    let f = locked_with_a_three_chunk_attachment();
    raw(&f.path)
        .execute("DELETE FROM attachment_chunks WHERE idx = 1", [])
        .unwrap();
    let (_vault, why) = broken_at_unlock(&f.path);
    assert!(why.contains("attachment chunks are missing"), "{why}");
}

/// A chunk renumbered by hand keeps the count of chunks right: only its tag, over the attachment
/// and the chunk's number, tells.
#[test]
fn an_attachment_chunk_renumbered_is_found_at_unlock() {
    let f = locked_with_a_three_chunk_attachment();
    raw(&f.path)
        .execute("UPDATE attachment_chunks SET idx = 9 WHERE idx = 2", [])
        .unwrap();
    let (_vault, why) = broken_at_unlock(&f.path);
    assert!(why.contains("attachment chunks"), "{why}");
}

/// Two copies of one vault written on differently (a backup restored, say): the same version of a
/// note exists in both with other content, at the same place. Only the hash in the entry that
/// wrote it tells them apart; the full check finds it.
#[test]
fn a_version_swapped_in_from_a_diverged_copy_is_named_by_the_full_check() {
    let (f, vault) = new_vault();
    let view = open_case(&vault, "Aino");
    let note = vault
        .insert(Some(view.case.id), &Note { text: "v1".into() })
        .unwrap();
    vault.lock();
    let other = f.dir.path().join("other.silta");
    std::fs::copy(&f.path, &other).unwrap();
    for (path, text) in [(&f.path, "what was said"), (&other, "something else")] {
        let v = unlock(path);
        let current = v.get::<Note>(note.id).unwrap();
        v.update(&current, &Note { text: text.into() }).unwrap();
        v.checkpoint().unwrap();
    }
    let conn = raw(&f.path);
    conn.execute("ATTACH ?1 AS other", [other.to_str().unwrap()])
        .unwrap();
    let swapped = conn
        .execute(
            "UPDATE records SET sealed = (SELECT sealed FROM other.records o
                 WHERE o.id = records.id AND o.version = 2)
             WHERE kind = 'note' AND version = 2",
            [],
        )
        .unwrap();
    assert_eq!(swapped, 1);
    drop(conn);
    let vault = unlock(&f.path);
    assert_eq!(
        vault.get::<Note>(note.id).unwrap().record.text,
        "something else"
    );
    let why = audit::verify(&vault).unwrap().broken.unwrap();
    assert!(
        why.contains(&format!("the note {}", note.id)) && why.contains("another copy"),
        "{why}"
    );
}

/// The unlock check starts from the last entry checked whole, so it does not read the whole log
/// again; the full check still reads it all and finds an old entry altered.
#[test]
fn the_full_check_reads_every_entry_and_the_unlock_check_starts_where_the_last_ended() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    let vault = unlock(&f.path);
    assert!(vault.audit_report().is_intact());
    vault.lock();
    // Entry 2 was checked whole at the last unlock. Corrupt it: the quick check does not reopen
    // it (the row is still there), the full check does.
    let conn = raw(&f.path);
    let vault_probe = unlock(&f.path);
    let second = audit::list(&vault_probe, None, None).unwrap()[1].clone();
    drop(vault_probe);
    let mut sealed: Vec<u8> = conn
        .query_row(
            "SELECT sealed FROM records WHERE kind = 'audit' AND id = (SELECT id FROM records WHERE kind = 'audit' ORDER BY rowid LIMIT 1 OFFSET 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    sealed[30] ^= 1;
    conn.execute(
        "UPDATE records SET sealed = ?1 WHERE kind = 'audit' AND id = (SELECT id FROM records WHERE kind = 'audit' ORDER BY rowid LIMIT 1 OFFSET 1)",
        [&sealed],
    )
    .unwrap();
    drop(conn);
    let vault = unlock(&f.path);
    assert!(vault.audit_report().is_intact(), "seq {}", second.seq);
    let why = audit::verify(&vault).unwrap().broken.unwrap();
    assert!(why.contains("altered"), "{why}");
}

/// An index planted so that SQLite prefers it, made to hide a consent's withdrawal from listings
/// while the table (and the ledger) still hold it; a trigger that blocks withdrawals and keeps
/// copies of what erasure deletes. The unlock puts the file's structure back and says so.
#[test]
fn indexes_triggers_and_tables_added_to_the_file_are_removed_and_reported() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    raw(&f.path)
        .execute_batch(
            "CREATE INDEX records_by_kind_case_id ON records (kind, case_id, id, version, sealed);
             CREATE TABLE records_cache (sealed BLOB);
             CREATE TRIGGER keep BEFORE DELETE ON records BEGIN
                 INSERT INTO records_cache VALUES (old.sealed); END;",
        )
        .unwrap();
    let (vault, why) = broken_at_unlock(&f.path);
    assert!(
        why.contains("structure was changed outside Silta")
            && why.contains("index records_by_kind_case_id added")
            && why.contains("trigger keep added")
            && why.contains("table records_cache added"),
        "{why}"
    );
    drop(vault);
    let conn = raw(&f.path);
    let objects: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name IN ('records_by_kind_case_id', 'records_cache', 'keep')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(objects, 0);
    let entries = audit::list(&unlock(&f.path), None, None).unwrap();
    assert!(
        entries.iter().any(|e| e
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("put it back"))),
        "the repair is in the log"
    );
}

/// Rows of the wrong type, a damaged head, an older head left in place with newer entries after
/// it: each is reported, and the vault still opens for reading.
#[test]
fn a_file_damaged_in_odd_ways_still_opens_and_says_what_is_wrong() {
    let damage = [
        "UPDATE records SET version = 4294967296 WHERE kind = 'note'",
        "UPDATE attachment_chunks SET idx = 4294967296",
        "UPDATE records SET case_id = 1234567890123456 WHERE kind = 'note'",
        "UPDATE records SET sealed = x'00' WHERE kind = 'audit_head'",
        "INSERT INTO records (id, version, kind, case_id, sealed) VALUES (randomblob(16), 1, 'audit_head', NULL, x'01')",
    ];
    for sql in damage {
        let (f, vault) = new_vault();
        let view = open_case(&vault, "Aino");
        vault
            .insert(Some(view.case.id), &Note { text: "x".into() })
            .unwrap();
        vault
            .add_attachment(
                view.case.id,
                Attachment::new("a.txt", "text/plain"),
                &b"a"[..],
                "test",
            )
            .unwrap();
        vault.lock();
        raw(&f.path).execute(sql, []).unwrap();
        let vault = Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new(PASS))
            .unwrap_or_else(|e| panic!("{sql}: the vault did not open: {e}"));
        assert!(!vault.audit_report().is_intact(), "{sql}");
    }
}

#[test]
fn an_older_head_put_back_over_newer_entries_does_not_lock_anyone_out() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    let old = f.dir.path().join("old.silta");
    copy_of(&vault, &old);
    vault.lock();
    unlock(&f.path).lock();
    let old_head: Vec<u8> = raw(&old)
        .query_row(
            "SELECT sealed FROM records WHERE kind = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    raw(&f.path)
        .execute(
            "UPDATE records SET sealed = ?1 WHERE kind = 'audit_head'",
            [&old_head],
        )
        .unwrap();
    let (vault, why) = broken_at_unlock(&f.path);
    assert!(!why.is_empty());
    // New work is refused with the reason, not with "changed by someone else".
    let err = silta_core::cases::open_case(
        &vault,
        silta_core::cases::CaseInput {
            person: person("Bea"),
            details: None,
        },
        today(),
    )
    .map(|_| ())
    .unwrap_err();
    assert!(matches!(err, Error::AuditBroken(_)), "{err}");
    assert!(
        Vault::recover(&f.path, "Kaisa", &f.recovery).is_ok(),
        "the recovery key opens it too"
    );
}
