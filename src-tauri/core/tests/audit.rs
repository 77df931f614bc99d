//! The audit log: every write and unlock is an entry, entries carry ids and never content, and
//! any entry edited, removed, reordered or cut from the end breaks the chain where it happened.

mod common;

use common::*;
use silta_core::audit::{self, Action};
use silta_core::ids::RecordId;
use silta_core::vault::{Passphrase, Vault};
use silta_core::{Error, consents};

fn raw(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// The rowids of the audit entries, in the order they were written.
fn audit_rows(conn: &rusqlite::Connection) -> Vec<i64> {
    let mut stmt = conn
        .prepare("SELECT rowid FROM records WHERE kind = 'audit' ORDER BY rowid")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<i64>>>()
        .unwrap()
}

#[test]
fn writes_and_unlocks_are_logged_with_ids_and_never_content() {
    let (f, vault) = new_vault();
    let view = open_case(&vault, "CANARY-AUDIT Aino");
    drop(vault);
    let wrong = Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new("not it"));
    assert!(matches!(wrong, Err(Error::WrongPassphrase)));
    let vault = unlock(&f.path);

    let entries = audit::list(&vault, None, None).unwrap();
    let actions: Vec<(Action, Option<&str>)> = entries
        .iter()
        .map(|e| (e.action, e.kind.as_deref()))
        .collect();
    assert!(
        actions.contains(&(Action::Created, Some("case"))),
        "{actions:?}"
    );
    assert!(
        actions.contains(&(Action::Created, Some("person"))),
        "{actions:?}"
    );
    let failed = entries
        .iter()
        .find(|e| e.action == Action::FailedUnlocks)
        .unwrap();
    assert_eq!(failed.detail.as_deref(), Some("1"));
    assert_eq!(entries.last().unwrap().action, Action::Unlock);
    assert!(entries.iter().all(|e| e.user == "Kaisa"));
    let case_entries = audit::list(&vault, Some(view.case.id), None).unwrap();
    assert!(
        case_entries
            .iter()
            .any(|e| e.target == Some(view.person.id.uuid()))
    );
    let json = serde_json::to_string(&entries).unwrap();
    assert!(
        !json.contains("CANARY-AUDIT"),
        "audit entries must hold no record content"
    );

    let report = audit::verify(&vault).unwrap();
    assert_eq!(report.broken, None);
    assert_eq!(report.entries, entries.len() as u64);
}

/// A vault with some history, and a raw connection to the same file.
fn logged() -> (Fixture, Vault, rusqlite::Connection) {
    let (f, vault) = new_vault();
    let view = open_adult_case(&vault, "Aino");
    let mut c = consent_for(None, silta_core::model::Purpose::Support, &[]);
    consents::add(&vault, view.case.id, &c, today()).unwrap();
    c.purpose = silta_core::model::Purpose::Storage;
    consents::add(&vault, view.case.id, &c, today()).unwrap();
    let conn = raw(&f.path);
    (f, vault, conn)
}

fn broken(vault: &Vault) -> String {
    audit::verify(vault)
        .unwrap()
        .broken
        .expect("the chain should be broken")
}

#[test]
fn an_altered_entry_is_named() {
    let (_f, vault, conn) = logged();
    let rows = audit_rows(&conn);
    let mut sealed: Vec<u8> = conn
        .query_row(
            "SELECT sealed FROM records WHERE rowid = ?1",
            [rows[2]],
            |r| r.get(0),
        )
        .unwrap();
    sealed[20] ^= 0x01;
    conn.execute(
        "UPDATE records SET sealed = ?1 WHERE rowid = ?2",
        rusqlite::params![sealed, rows[2]],
    )
    .unwrap();
    assert!(broken(&vault).contains("altered"), "{}", broken(&vault));
}

#[test]
fn a_removed_entry_is_found_missing() {
    let (_f, vault, conn) = logged();
    let rows = audit_rows(&conn);
    conn.execute("DELETE FROM records WHERE rowid = ?1", [rows[3]])
        .unwrap();
    assert!(
        broken(&vault).contains("entry 4 is missing"),
        "{}",
        broken(&vault)
    );
}

#[test]
fn entries_cut_from_the_end_are_missed() {
    let (_f, vault, conn) = logged();
    let rows = audit_rows(&conn);
    conn.execute(
        "DELETE FROM records WHERE rowid = ?1",
        [rows[rows.len() - 1]],
    )
    .unwrap();
    assert!(
        broken(&vault).contains("cut from the end"),
        "{}",
        broken(&vault)
    );
}

#[test]
fn swapped_entries_are_detected() {
    let (_f, vault, conn) = logged();
    let rows = audit_rows(&conn);
    let sealed = |rowid: i64| -> Vec<u8> {
        conn.query_row(
            "SELECT sealed FROM records WHERE rowid = ?1",
            [rowid],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (a, b) = (sealed(rows[1]), sealed(rows[2]));
    conn.execute(
        "UPDATE records SET sealed = ?1 WHERE rowid = ?2",
        rusqlite::params![b, rows[1]],
    )
    .unwrap();
    conn.execute(
        "UPDATE records SET sealed = ?1 WHERE rowid = ?2",
        rusqlite::params![a, rows[2]],
    )
    .unwrap();
    assert!(broken(&vault).contains("altered"), "{}", broken(&vault));
}
