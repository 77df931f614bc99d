//! Leaving rotates the key (docs/threat-model.md, "A removed colleague or an old recovery key"):
//! removing a staff member or replacing the recovery key starts a new key epoch, and whatever a
//! departed key holder kept (their slot, an old copy of the file, the old recovery key) opens
//! nothing written after. Each attack is made as the attacker would make it: with the file,
//! SQLite, and what they once legitimately had.

mod common;

use common::*;
use silta_core::Error;
use silta_core::model::Note;
use silta_core::vault::testing::{self, Secret};
use silta_core::vault::{KdfParams, Passphrase, RecoveryKey, Slot, Vault};

const CAROL: &str = "carol's old passphrase";
const ANNA: &str = "anna's own passphrase";

fn raw(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

type SlotRowBytes = (Vec<u8>, Option<String>, Vec<u8>, Option<Vec<u8>>);

/// A key slot row as the file holds it: id, user, slot, access grant.
fn slot_row(path: &std::path::Path, user: Option<&str>) -> SlotRowBytes {
    let conn = raw(path);
    let sql = "SELECT id, user, slot, access FROM key_slots WHERE user IS ?1";
    conn.query_row(sql, [user], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
}

/// Puts a slot row back, replacing whatever that staff member (or the recovery key) has now.
fn splice(path: &std::path::Path, row: &SlotRowBytes) {
    let conn = raw(path);
    conn.execute("DELETE FROM key_slots WHERE user IS ?1", [&row.1])
        .unwrap();
    conn.execute(
        "INSERT INTO key_slots (id, user, slot, access) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![row.0, row.1, row.2, row.3],
    )
    .unwrap();
}

/// Opens, reads, says why in the banner, and refuses every write: the key in hand is older than
/// the file's. (Refusing the unlock would let one row put in by anyone lock everyone out.)
fn read_only(vault: Result<Vault, Error>) -> Vault {
    let vault = vault.expect("an outdated key still opens the vault for reading");
    let why = vault.audit_report().broken.clone().unwrap_or_default();
    assert!(why.contains("sealed under a later key"), "{why}");
    let Err(err) = silta_core::cases::open_case(
        &vault,
        silta_core::cases::CaseInput {
            person: person("Written with an old key"),
            details: None,
        },
        today(),
    ) else {
        panic!("a write under an outdated key was taken");
    };
    assert!(matches!(err, Error::AccessOutdated), "{err}");
    vault
}

/// What anyone can do with Kaisa's public recipient, which her slot shows: put in a grant of a
/// key of their own making (`0x42` repeated) for `epoch`.
fn forge_grant(path: &std::path::Path, epoch: u32) {
    let (id, _, slot, _) = slot_row(path, Some("Kaisa"));
    let recipient = Slot::parse(&slot).unwrap().recipient().unwrap();
    let conn = raw(path);
    let vault_id: Vec<u8> = conn
        .query_row(
            "SELECT value FROM vault_meta WHERE name = 'vault_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut plain = b"silta/access/v1".to_vec();
    plain.extend_from_slice(&vault_id);
    plain.extend_from_slice(&id);
    plain.extend_from_slice(&epoch.to_be_bytes());
    plain.extend_from_slice(&[0x42; 32]);
    let forged = age::encrypt(&recipient, &plain).unwrap();
    conn.execute(
        "UPDATE key_slots SET access = ?1 WHERE user = 'Kaisa'",
        [&forged],
    )
    .unwrap();
}

fn add(vault: &Vault, name: &str, pass: &str) {
    vault
        .add_user(name, &Passphrase::new(pass), KdfParams::CHEAP_FOR_TESTS)
        .unwrap();
}

/// The key epoch each version of the given kind was sealed under, from its envelope (section 9).
fn epochs_of(path: &std::path::Path, kind: &str) -> Vec<u8> {
    let conn = raw(path);
    let mut stmt = conn
        .prepare("SELECT sealed FROM records WHERE kind = ?1 ORDER BY id, version")
        .unwrap();
    stmt.query_map([kind], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|s| {
            let s = s.unwrap();
            if s[0] == 1 { 0 } else { s[4] }
        })
        .collect()
}

/// Carol works in the vault; her colleague Kaisa removes her; Kaisa then opens a new case.
/// Returns the fixture, Kaisa's vault, Carol's slot row from before, and the new case's name.
fn carol_removed() -> (Fixture, Vault, SlotRowBytes) {
    let (f, mut vault) = new_vault();
    open_case(&vault, "Written before");
    add(&vault, "Carol", CAROL);
    vault.checkpoint().unwrap();
    let carols = slot_row(&f.path, Some("Carol"));
    let change = vault.remove_user("Carol").unwrap();
    assert!(change.must_be_added_again.is_empty());
    assert!(change.new_recovery_key.is_none());
    open_case(&vault, "Written after");
    vault.checkpoint().unwrap();
    (f, vault, carols)
}

#[test]
fn an_old_key_slot_spliced_into_a_later_copy_opens_nothing_written_after_the_change() {
    let (f, vault, carols) = carol_removed();
    let written: Vec<_> =
        testing::readable_with(&f.path, Secret::Passphrase("Kaisa", &Passphrase::new(PASS)))
            .unwrap();
    vault.lock();
    splice(&f.path, &carols);

    // Through Silta: she can write nothing, and reads only what was there when she left.
    let carol = read_only(Vault::unlock(
        &f.path,
        Some("Carol"),
        &Passphrase::new(CAROL),
    ));
    let listing = silta_core::cases::listing(&carol).unwrap();
    let names: Vec<_> = listing.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Written before"]);
    assert!(!listing.damaged.is_empty(), "what she cannot open is named");
    carol.lock();
    // By hand, with every check skipped: her slot and grant give her the old key only, which
    // opens what was there when she left, and nothing after.
    let hers = testing::readable_with(
        &f.path,
        Secret::Passphrase("Carol", &Passphrase::new(CAROL)),
    )
    .unwrap();
    assert!(!hers.is_empty(), "what she once could read she still can");
    let after: Vec<_> = written.iter().filter(|r| !hers.contains(r)).collect();
    assert!(
        after.iter().any(|(kind, ..)| kind == "person"),
        "the person of the case opened after she left is closed to her: {after:?}"
    );
    assert!(after.iter().any(|(kind, ..)| kind == "case"));
    let conn = raw(&f.path);
    let newer: i64 = conn
        .query_row(
            "SELECT count(*) FROM records WHERE substr(sealed, 1, 1) = x'02'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        written.len() - hers.len(),
        newer as usize,
        "every version sealed after the change, and only those, is closed to her"
    );
}

#[test]
fn an_old_recovery_key_opens_nothing_written_after_it_was_replaced() {
    let (f, mut vault) = new_vault();
    open_case(&vault, "Written before");
    vault.checkpoint().unwrap();
    let old_slot = slot_row(&f.path, None);
    let (new_key, change) = vault.replace_recovery_key().unwrap();
    assert!(change.must_be_added_again.is_empty());
    open_case(&vault, "Written after");
    vault.lock();

    assert!(matches!(
        Vault::recover(&f.path, "Kaisa", &f.recovery),
        Err(Error::WrongRecoveryKey)
    ));
    let new_key = RecoveryKey::parse(new_key.as_str()).unwrap();
    let all = testing::readable_with(&f.path, Secret::Recovery(&new_key)).unwrap();
    splice(&f.path, &old_slot);
    read_only(Vault::recover(&f.path, "Kaisa", &f.recovery)).lock();
    let old = testing::readable_with(&f.path, Secret::Recovery(&f.recovery)).unwrap();
    assert!(!old.is_empty());
    assert!(old.len() < all.len());
    assert!(
        all.iter()
            .filter(|r| !old.contains(r))
            .any(|(kind, ..)| kind == "person")
    );
}

#[test]
fn those_who_remain_read_every_epoch_and_write_under_the_new_key() {
    let (f, mut vault) = new_vault();
    add(&vault, "Anna", ANNA);
    let before = open_case(&vault, "Written before");
    vault
        .insert(Some(before.case.id), &Note { text: "a".into() })
        .unwrap();
    add(&vault, "Carol", CAROL);
    vault.remove_user("Carol").unwrap();
    vault.lock();

    let anna = Vault::unlock(&f.path, Some("Anna"), &Passphrase::new(ANNA)).unwrap();
    assert!(anna.audit_report().is_intact(), "{:?}", anna.audit_report());
    assert_eq!(silta_core::cases::overviews(&anna).unwrap().len(), 1);
    anna.insert(Some(before.case.id), &Note { text: "b".into() })
        .unwrap();
    assert_eq!(epochs_of(&f.path, "note"), [0, 1]);
    assert_eq!(silta_core::audit::verify(&anna).unwrap().broken, None);
    anna.lock();
    // Anna's slot now remembers the new epoch; she unlocks again as before.
    let slot = Slot::parse(&slot_row(&f.path, Some("Anna")).2).unwrap();
    assert!(slot.recipient().is_some());
    Vault::unlock(&f.path, Some("Anna"), &Passphrase::new(ANNA)).unwrap();
    let kaisa = unlock(&f.path);
    assert_eq!(silta_core::cases::overviews(&kaisa).unwrap().len(), 1);
}

/// Anyone can encrypt to a staff member's public recipient, which the slot shows. A grant of a
/// key of the attacker's own making must not be taken: new writes would be sealed under it.
#[test]
fn a_grant_made_by_someone_without_a_key_is_refused() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    for epoch in [0u32, 1] {
        forge_grant(&f.path, epoch);
        let err = Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new(PASS))
            .err()
            .unwrap_or_else(|| panic!("a forged grant of epoch {epoch} was taken"));
        assert!(matches!(err, Error::Integrity { .. }), "{err}");
    }
}

/// After a key change, a member who has not unlocked since still remembers the old epoch; a
/// grant of a made-up key for the new epoch cannot open the real link back to the old key, and
/// is named as a grant that does not lead back (not as a damaged link).
#[test]
fn a_grant_of_a_made_up_key_for_a_later_epoch_is_named_as_such() {
    let (f, mut vault) = new_vault();
    add(&vault, "Carol", CAROL);
    vault.remove_user("Carol").unwrap();
    vault.lock();
    forge_grant(&f.path, 1);
    let err = Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new(PASS))
        .err()
        .unwrap();
    assert!(err.to_string().contains("does not lead back"), "{err}");
}

#[test]
fn a_grant_from_before_the_key_change_put_back_is_refused() {
    let (f, mut vault) = new_vault();
    vault.checkpoint().unwrap();
    let kaisas = slot_row(&f.path, Some("Kaisa"));
    add(&vault, "Carol", CAROL);
    vault.remove_user("Carol").unwrap();
    vault.lock();
    // Kaisa has not unlocked since: her slot still remembers epoch 0, and her old grant (to the
    // key Carol knew) is put back. Writing on under that key would hand it all to Carol.
    splice(&f.path, &kaisas);
    read_only(Vault::unlock(
        &f.path,
        Some("Kaisa"),
        &Passphrase::new(PASS),
    ))
    .lock();
    // With the link to the new epoch deleted as well, the grant looks current; the head, sealed
    // under the new key, still says the key has changed.
    raw(&f.path).execute("DELETE FROM key_epochs", []).unwrap();
    read_only(Vault::unlock(
        &f.path,
        Some("Kaisa"),
        &Passphrase::new(PASS),
    ))
    .lock();
}

/// The removed colleague, with her old copy and SQL alone, puts back a member's old slot and
/// grant, the old head, deletes the link and the entries since: the log is broken, and the rows
/// sealed under the new key still say the key has changed. Nothing may be written under the old
/// key she knows.
#[test]
fn an_old_grant_head_and_log_put_back_over_newer_rows_allow_no_write_under_the_old_key() {
    let (f, mut vault) = new_vault();
    add(&vault, "Anna", ANNA);
    vault.checkpoint().unwrap();
    let old_copy = f.dir.path().join("carols-copy.silta");
    std::fs::copy(&f.path, &old_copy).unwrap();
    add(&vault, "Carol", CAROL);
    vault.remove_user("Carol").unwrap();
    open_case(&vault, "Written after");
    vault.lock();

    let old = raw(&old_copy);
    let head: (Vec<u8>, Vec<u8>) = old
        .query_row(
            "SELECT id, sealed FROM records WHERE kind = 'audit_head'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let old_entries: i64 = old
        .query_row(
            "SELECT count(*) FROM records WHERE kind = 'audit'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(old);
    splice(&f.path, &slot_row(&old_copy, Some("Anna")));
    let conn = raw(&f.path);
    conn.execute_batch("DELETE FROM key_epochs; DELETE FROM records WHERE kind = 'audit_head';")
        .unwrap();
    conn.execute(
        "INSERT INTO records (id, version, kind, case_id, sealed) VALUES (?1, 1, 'audit_head', NULL, ?2)",
        rusqlite::params![head.0, head.1],
    )
    .unwrap();
    // Entry ids begin with their number (48 bits): those after the old head's go.
    conn.execute(
        "DELETE FROM records WHERE kind = 'audit' AND substr(id, 1, 6) > ?1",
        [&(old_entries as u64).to_be_bytes()[2..]],
    )
    .unwrap();
    read_only(Vault::unlock(&f.path, Some("Anna"), &Passphrase::new(ANNA))).lock();
}

/// One row put in by anyone (a link or a head naming a later epoch) must not lock everyone out:
/// the vault opens to read, says why, and refuses writes.
#[test]
fn a_junk_link_or_head_naming_a_later_epoch_leaves_the_vault_readable() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    raw(&f.path)
        .execute("INSERT INTO key_epochs VALUES (2, x'00')", [])
        .unwrap();
    let v = read_only(Vault::unlock(
        &f.path,
        Some("Kaisa"),
        &Passphrase::new(PASS),
    ));
    assert_eq!(silta_core::cases::overviews(&v).unwrap().len(), 1);
    v.lock();
    raw(&f.path)
        .execute_batch(
            "DELETE FROM key_epochs;
             INSERT INTO records (id, version, kind, case_id, sealed)
             VALUES (randomblob(16), 1, 'audit_head', NULL, x'02ffffffff00');",
        )
        .unwrap();
    let v = read_only(Vault::unlock(
        &f.path,
        Some("Kaisa"),
        &Passphrase::new(PASS),
    ));
    assert_eq!(silta_core::cases::overviews(&v).unwrap().len(), 1);
}

#[test]
fn an_oversized_grant_is_not_read() {
    let (f, vault) = new_vault();
    vault.lock();
    raw(&f.path)
        .execute(
            "UPDATE key_slots SET access = zeroblob(5000) WHERE user = 'Kaisa'",
            [],
        )
        .unwrap();
    assert!(matches!(
        Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new(PASS)),
        Err(Error::AccessOutdated)
    ));
}

/// The recovery key a key change makes is shown once: another Silta holding the vault open must
/// not turn the change into an error that loses it.
#[test]
fn a_key_change_blocked_from_leaving_the_files_still_returns_its_new_recovery_key() {
    let src =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden/format-3.silta");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.silta");
    std::fs::copy(&src, &path).unwrap();
    let mut vault =
        Vault::unlock(&path, Some("Golden"), &Passphrase::new("golden passphrase")).unwrap();
    add(&vault, "Carol", CAROL);
    let reader = raw(&path);
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM records;")
        .unwrap();
    let change = vault.remove_user("Carol").unwrap();
    assert!(!change.gone_from_files);
    let key = change.new_recovery_key.expect("shown once, even so");
    drop(reader);
    vault.lock();
    let key = RecoveryKey::parse(key.as_str()).unwrap();
    assert!(Vault::recover(&path, "Golden", &key).is_ok());
}

/// Staff removed before format 4 kept the first key, which stays in use until the key changes:
/// `change_key` shuts them out with no one leaving.
#[test]
fn a_key_change_with_no_one_leaving_shuts_out_the_first_key() {
    let (f, mut vault) = new_vault();
    open_case(&vault, "Written before");
    testing::add_slot_from_before_key_epochs(
        &vault,
        "Gone long ago",
        &Passphrase::new("old words"),
    )
    .unwrap();
    vault.checkpoint().unwrap();
    let theirs = slot_row(&f.path, Some("Gone long ago"));
    let change = vault.change_key().unwrap();
    assert_eq!(change.must_be_added_again, ["Gone long ago"]);
    assert!(change.gone_from_files);
    open_case(&vault, "Written after");
    vault.lock();
    splice(&f.path, &theirs);
    read_only(Vault::unlock(
        &f.path,
        Some("Gone long ago"),
        &Passphrase::new("old words"),
    ))
    .lock();
    let all = testing::readable_with(&f.path, Secret::Passphrase("Kaisa", &Passphrase::new(PASS)))
        .unwrap();
    let theirs = testing::readable_with(
        &f.path,
        Secret::Passphrase("Gone long ago", &Passphrase::new("old words")),
    )
    .unwrap();
    assert!(theirs.len() < all.len());
    assert!(Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new(PASS)).is_ok());
}

#[test]
fn a_head_from_before_the_key_change_put_back_is_reported() {
    let (f, mut vault) = new_vault();
    vault.checkpoint().unwrap();
    let conn = raw(&f.path);
    let head: (Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT id, sealed FROM records WHERE kind = 'audit_head'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    add(&vault, "Carol", CAROL);
    vault.remove_user("Carol").unwrap();
    vault.lock();
    conn.execute(
        "UPDATE records SET sealed = ?2 WHERE id = ?1",
        rusqlite::params![head.0, head.1],
    )
    .unwrap();
    let vault = unlock(&f.path);
    let why = vault.audit_report().broken.clone().unwrap();
    assert!(why.contains("older head was put back"), "{why}");
}

#[test]
fn a_link_to_an_earlier_key_deleted_is_damage_named_as_such() {
    let (f, mut vault) = new_vault();
    add(&vault, "Carol", CAROL);
    vault.remove_user("Carol").unwrap();
    vault.lock();
    raw(&f.path).execute("DELETE FROM key_epochs", []).unwrap();
    let err = Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new(PASS))
        .err()
        .unwrap();
    assert!(matches!(err, Error::Integrity { .. }), "{err}");
    assert!(err.to_string().contains("key epoch 0"), "{err}");
}

/// Slots written by Silta before format 4 wrap the first key itself and cannot be handed a new
/// one: their owners get a grant when they next unlock; if the key changes first, their slots are
/// dropped and they are named, and a recovery slot of that kind is replaced by a new recovery key.
#[test]
fn slots_from_before_key_epochs_are_renewed_at_unlock_or_named_and_dropped_at_a_key_change() {
    let (f, vault) = new_vault();
    testing::add_slot_from_before_key_epochs(&vault, "Old timer", &Passphrase::new("old words"))
        .unwrap();
    testing::add_slot_from_before_key_epochs(&vault, "Renewed", &Passphrase::new("renew me"))
        .unwrap();
    vault.lock();
    let renewed = Vault::unlock(&f.path, Some("Renewed"), &Passphrase::new("renew me")).unwrap();
    assert!(renewed.audit_report().is_intact());
    renewed.lock();
    assert!(
        Slot::parse(&slot_row(&f.path, Some("Renewed")).2)
            .unwrap()
            .recipient()
            .is_some(),
        "an unlock gives an old slot an identity and a grant"
    );
    let mut vault = unlock(&f.path);
    add(&vault, "Carol", CAROL);
    let change = vault.remove_user("Carol").unwrap();
    assert_eq!(change.must_be_added_again, ["Old timer"]);
    assert!(change.new_recovery_key.is_none());
    vault.lock();
    assert!(Vault::unlock(&f.path, Some("Renewed"), &Passphrase::new("renew me")).is_ok());
    assert!(matches!(
        Vault::unlock(&f.path, Some("Old timer"), &Passphrase::new("old words")),
        Err(Error::UnknownUser(_))
    ));
}

#[test]
fn a_recovery_slot_from_before_key_epochs_is_replaced_at_a_key_change() {
    let src =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden/format-3.silta");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.silta");
    std::fs::copy(&src, &path).unwrap();
    let old_key =
        RecoveryKey::parse(&std::fs::read_to_string(src.with_extension("recovery-key")).unwrap())
            .unwrap();
    let mut vault =
        Vault::unlock(&path, Some("Golden"), &Passphrase::new("golden passphrase")).unwrap();
    add(&vault, "Carol", CAROL);
    let change = vault.remove_user("Carol").unwrap();
    let new_key = change
        .new_recovery_key
        .expect("a new recovery key, shown once");
    vault.lock();
    assert!(matches!(
        Vault::recover(&path, "Golden", &old_key),
        Err(Error::WrongRecoveryKey)
    ));
    let new_key = RecoveryKey::parse(new_key.as_str()).unwrap();
    let vault = Vault::recover(&path, "Golden", &new_key).unwrap();
    assert!(
        vault.audit_report().is_intact(),
        "{:?}",
        vault.audit_report()
    );
    assert_eq!(silta_core::cases::overviews(&vault).unwrap().len(), 1);
}

#[test]
fn a_key_change_is_refused_while_the_log_is_broken() {
    let (f, vault) = new_vault();
    add(&vault, "Carol", CAROL);
    open_case(&vault, "Aino");
    vault.lock();
    raw(&f.path)
        .execute("DELETE FROM records WHERE kind = 'person'", [])
        .unwrap();
    let mut vault = unlock(&f.path);
    assert!(!vault.audit_report().is_intact());
    assert!(matches!(
        vault.remove_user("Carol"),
        Err(Error::AuditBroken(_))
    ));
}

#[test]
fn a_recovery_with_a_broken_log_sets_the_passphrase_and_keeps_the_old_recovery_key() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    raw(&f.path)
        .execute("DELETE FROM records WHERE kind = 'person'", [])
        .unwrap();
    let store = std::sync::Arc::new(silta_core::anchor::Remembered::new(
        silta_core::anchor::Nowhere,
    ));
    let new = Passphrase::new("a passphrase after the loss");
    let (vault, new_key, change) = silta_core::anchor::recover_with_new_passphrase(
        store.clone(),
        &f.path,
        "Kaisa",
        &f.recovery,
        &new,
        KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    // The key could not change, so no new recovery key: the old one must still open the vault,
    // and the log says so for good.
    assert_eq!(
        new_key.err(),
        Some(silta_core::anchor::RecoveryKeyKept::AuditBroken)
    );
    // Nothing changed, so nothing old lingers in the files to warn about.
    assert!(change.gone_from_files && change.must_be_added_again.is_empty());
    let logged = silta_core::audit::list(&vault, None, None).unwrap();
    assert!(logged.iter().any(|e| {
        e.detail
            .as_deref()
            .is_some_and(|d| d.contains("NOT replaced"))
    }));
    vault.lock();
    Vault::unlock(&f.path, None, &new).unwrap().lock();
    Vault::recover(&f.path, "Kaisa", &f.recovery).unwrap();
}
