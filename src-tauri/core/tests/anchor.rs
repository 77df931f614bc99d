//! What this computer remembers of a vault outside its file: a whole file put back to an older
//! copy, a count of wrong passphrases deleted from the file, and the slow-down after them. The
//! store here is kept in memory; `cli/tests/key_store.rs` runs
//! the same attack against the real Secret Service.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use silta_core::Error;
use silta_core::anchor::{self, AnchorStore, InMemory, Nowhere};
use silta_core::audit::{self, Action};
use silta_core::retention::{self, BrokenLog};
use silta_core::vault::{Passphrase, Vault};

fn store() -> Arc<dyn AnchorStore> {
    Arc::new(InMemory::default())
}

fn anchored(store: &Arc<dyn AnchorStore>, path: &Path) -> Vault {
    anchor::unlock(store.clone(), path, Some("Kaisa"), &Passphrase::new(PASS)).unwrap()
}

/// Changes the vault file with SQL alone, as anyone holding it can.
fn edit_file(path: &Path, sql: &str) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute(sql, [])
        .unwrap();
}

/// `n` wrong passphrases tried through this computer's anchor.
fn guess_wrong(store: &Arc<dyn AnchorStore>, path: &Path, n: usize) {
    for _ in 0..n {
        let wrong = anchor::unlock(
            store.clone(),
            path,
            Some("Kaisa"),
            &Passphrase::new("guessed"),
        );
        assert!(matches!(wrong, Err(Error::WrongPassphrase)));
    }
}

/// The counts of wrong passphrases the log holds, oldest first.
fn failed_unlocks_logged(vault: &Vault) -> Vec<String> {
    audit::list(vault, None, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == Action::FailedUnlocks)
        .filter_map(|e| e.detail)
        .collect()
}

/// The file as it is now, WAL included, copied aside; `put_back` puts it in place again.
fn copy_aside(path: &Path, vault: &Vault) -> std::path::PathBuf {
    vault.checkpoint().unwrap();
    let aside = path.with_extension("aside");
    std::fs::copy(path, &aside).unwrap();
    aside
}

fn put_back(aside: &Path, path: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(aside, path).unwrap();
}

#[test]
fn a_whole_file_put_back_to_an_older_copy_is_reported_at_unlock() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    let vault = anchored(&store, &f.path);
    let aside = copy_aside(&f.path, &vault);
    let consent_case = open_case(&vault, "Written after the copy");
    drop(vault);
    put_back(&aside, &f.path);

    // The copy is whole and consistent: without the anchor nothing is wrong with it.
    assert!(unlock(&f.path).audit_report().is_intact());
    put_back(&aside, &f.path);
    let vault = anchored(&store, &f.path);
    let why = vault
        .audit_report()
        .broken
        .clone()
        .expect("the rollback is seen");
    assert!(
        why.contains("put back to an older copy") && why.contains("this computer"),
        "{why}"
    );
    assert_eq!(vault.rolled_back(), Some(why.as_str()));
    assert!(
        vault
            .get::<silta_core::model::Case>(consent_case.case.id)
            .is_err(),
        "the file really is the older one"
    );
    // Writing on does not make it go away: the next unlock says it again.
    open_case(&vault, "Written on the older copy");
    drop(vault);
    let vault = anchored(&store, &f.path);
    assert!(vault.rolled_back().is_some(), "still reported");
}

#[test]
fn a_copy_that_was_worked_on_elsewhere_meanwhile_is_reported() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    let vault = anchored(&store, &f.path);
    let aside = copy_aside(&f.path, &vault);
    open_case(&vault, "Here");
    drop(vault);
    // The copy, worked on with no anchor (another computer), then put back here.
    let elsewhere = unlock(&aside);
    open_case(&elsewhere, "There");
    open_case(&elsewhere, "And there");
    elsewhere.checkpoint().unwrap();
    drop(elsewhere);
    put_back(&aside, &f.path);
    let vault = anchored(&store, &f.path);
    let why = vault.rolled_back().expect("the fork is seen").to_string();
    assert!(why.contains("worked on elsewhere"), "{why}");
}

#[test]
fn the_anchor_follows_every_write_not_only_the_unlock() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    let vault = anchored(&store, &f.path);
    open_case(&vault, "First");
    let aside = copy_aside(&f.path, &vault);
    // Written after the copy, in the same unlock: a copy from before it is older.
    open_case(&vault, "Second");
    drop(vault);
    put_back(&aside, &f.path);
    assert!(anchored(&store, &f.path).rolled_back().is_some());
}

#[test]
fn a_vault_new_to_this_computer_opens_quietly_and_is_remembered_from_then_on() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    let vault = anchored(&store, &f.path);
    assert!(vault.audit_report().is_intact());
    assert_eq!(vault.anchor_missing(), None);
    let kept = store.load(vault.id().into()).unwrap().expect("remembered");
    assert_eq!(kept.head, audit::checkpoint(&vault).unwrap());
}

#[test]
fn a_vault_opened_where_nothing_can_be_remembered_says_so() {
    let (f, vault) = new_vault();
    drop(vault);
    let vault = anchor::unlock(
        Arc::new(Nowhere),
        &f.path,
        Some("Kaisa"),
        &Passphrase::new(PASS),
    )
    .unwrap();
    assert!(vault.audit_report().is_intact());
    assert!(vault.anchor_missing().is_some());
    assert!(unlock(&f.path).anchor_missing().is_some());
}

#[test]
fn accepting_a_rollback_is_logged_and_the_next_unlock_is_quiet() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    let vault = anchored(&store, &f.path);
    let aside = copy_aside(&f.path, &vault);
    open_case(&vault, "Lost with the rollback");
    drop(vault);
    put_back(&aside, &f.path);
    let mut vault = anchored(&store, &f.path);
    assert!(vault.rolled_back().is_some());
    anchor::accept(&mut vault).unwrap();
    let accepted = audit::list(&vault, None, None)
        .unwrap()
        .into_iter()
        .rev()
        .find(|e| e.action == Action::SettingsChanged)
        .expect("logged");
    assert!(accepted.detail.unwrap().contains("accepted"));
    drop(vault);
    let mut vault = anchored(&store, &f.path);
    assert!(vault.audit_report().is_intact());
    assert!(
        anchor::accept(&mut vault).is_err(),
        "nothing to accept on an intact vault"
    );
}

#[test]
fn a_restore_puts_back_an_older_file_on_purpose_and_is_not_a_rollback() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    let vault = anchored(&store, &f.path);
    open_case(&vault, "In the backup");
    let backup = f.dir.path().join("backup.silta");
    vault.backup(&backup).unwrap();
    open_case(&vault, "After the backup");
    retention::restore(vault, &backup, today(), BrokenLog::Refuse).unwrap();
    let vault = anchored(&store, &f.path);
    assert!(
        vault.audit_report().is_intact(),
        "{:?}",
        vault.audit_report().broken
    );
}

#[test]
fn wrong_passphrases_whose_count_was_deleted_from_the_file_are_logged_and_reported() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    drop(anchored(&store, &f.path));
    guess_wrong(&store, &f.path, 2);
    // The count in the file has no key to seal it: anyone can delete it.
    edit_file(
        &f.path,
        "DELETE FROM vault_meta WHERE name = 'failed_unlocks'",
    );
    let vault = anchored(&store, &f.path);
    let why = vault.audit_report().broken.clone().expect("reported");
    assert!(why.contains("2 wrong passphrases"), "{why}");
    assert_eq!(failed_unlocks_logged(&vault), ["2"]);
}

#[test]
fn wrong_passphrases_counted_in_both_places_are_logged_once_and_not_reported() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    drop(anchored(&store, &f.path));
    guess_wrong(&store, &f.path, 1);
    let vault = anchored(&store, &f.path);
    assert!(vault.audit_report().is_intact());
    assert_eq!(failed_unlocks_logged(&vault), ["1"]);
}

#[test]
fn the_slow_down_holds_for_the_recovery_key_too() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    let (_, other) = Vault::create(
        &f.dir.path().join("other.silta"),
        "Kaisa",
        &Passphrase::new(PASS),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    for _ in 0..3 {
        assert!(anchor::recover(store.clone(), &f.path, "Kaisa", &other).is_err());
    }
    assert!(matches!(
        anchor::recover(store.clone(), &f.path, "Kaisa", &f.recovery),
        Err(Error::TooManyAttempts { .. })
    ));
}

/// A head row damaged by hand (or of the wrong type) must not keep the vault shut: it opens,
/// says what is wrong, and the head remembered here stays as it was.
#[test]
fn a_damaged_head_is_reported_and_the_vault_still_opens() {
    for damage in [
        "UPDATE records SET sealed = x'00' WHERE kind = 'audit_head'",
        "UPDATE records SET case_id = randomblob(16) WHERE kind = 'audit_head'",
        "UPDATE records SET sealed = 'text' WHERE kind = 'audit_head'",
    ] {
        let (f, vault) = new_vault();
        drop(vault);
        let store = store();
        let vault = anchored(&store, &f.path);
        open_case(&vault, "Aino");
        let id = vault.id();
        drop(vault);
        let remembered = store.load(id.into()).unwrap().unwrap();
        edit_file(&f.path, damage);
        let vault = anchored(&store, &f.path);
        assert!(!vault.audit_report().is_intact(), "{damage}");
        assert_eq!(
            store.load(id.into()).unwrap().unwrap().head,
            remembered.head,
            "{damage}"
        );
    }
}

/// Silta counts wrong passphrases up from one; a count made negative by hand would swallow the
/// tries this computer counted.
#[test]
fn a_count_of_wrong_passphrases_altered_by_hand_is_reported() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    drop(anchored(&store, &f.path));
    guess_wrong(&store, &f.path, 1);
    edit_file(
        &f.path,
        "UPDATE vault_meta SET value = -1000000 WHERE name = 'failed_unlocks'",
    );
    let vault = anchored(&store, &f.path);
    let why = vault.audit_report().broken.clone().expect("reported");
    assert!(why.contains("altered"), "{why}");
    assert!(why.contains("1 wrong passphrases"), "{why}");
}

/// A wrong recovery key is counted in the file as well as here: the next unlock logs it and
/// accuses no one of deleting the count.
#[test]
fn a_wrong_recovery_key_is_counted_in_the_file_too() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    drop(anchored(&store, &f.path));
    let (_, other) = Vault::create(
        &f.dir.path().join("other.silta"),
        "Kaisa",
        &Passphrase::new(PASS),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    assert!(matches!(
        anchor::recover(store.clone(), &f.path, "Kaisa", &other),
        Err(Error::WrongRecoveryKey)
    ));
    let vault = anchored(&store, &f.path);
    assert!(
        vault.audit_report().is_intact(),
        "{:?}",
        vault.audit_report().broken
    );
    assert_eq!(failed_unlocks_logged(&vault), ["1"]);
}

/// A clock set back (or a key store entry edited) must not lock anyone out for longer than the
/// longest wait.
#[test]
fn the_wait_is_never_longer_than_a_minute() {
    let (f, vault) = new_vault();
    let id = vault.id();
    drop(vault);
    let store = store();
    let far = anchor::Anchor {
        failed: 9,
        wait_until: Some(chrono::Utc::now() + chrono::Duration::days(30)),
        ..anchor::Anchor::default()
    };
    store.save(id.into(), &far).unwrap();
    match anchor::unlock(
        store.clone(),
        &f.path,
        Some("Kaisa"),
        &Passphrase::new(PASS),
    ) {
        Err(Error::TooManyAttempts { seconds }) => assert!(seconds <= 60, "{seconds}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
}

/// The app's way: the banner says the file is older, and accepting it (logged) clears it, now
/// and at the next unlock.
#[test]
fn the_app_accepts_an_older_file_once_and_the_warning_goes() {
    use silta_core::session::{Session, Setup};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.silta");
    let store = store();
    let mut session = Session::new(
        dir.path(),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
        store,
    );
    let pass = Passphrase::new(PASS);
    let setup = Setup {
        organisation: "Pro-tukipiste".into(),
        retention_years: 5,
    };
    session.create("Kaisa", &pass, &setup).unwrap();
    session.lock();
    let aside = dir.path().join("aside.silta");
    std::fs::copy(&path, &aside).unwrap();
    session.unlock(None, &pass).unwrap();
    session.lock();
    put_back(&aside, &path);
    session.unlock(None, &pass).unwrap();
    let status = session.status().unwrap();
    assert!(status.rolled_back);
    assert!(status.audit_broken.unwrap().contains("older copy"));
    session.accept_rollback().unwrap();
    let status = session.status().unwrap();
    assert!(!status.rolled_back);
    assert_eq!(status.audit_broken, None);
    session.lock();
    session.unlock(None, &pass).unwrap();
    assert_eq!(session.status().unwrap().audit_broken, None);
}

/// A vault made on this computer is remembered from its first entry: a copy of it from before
/// the first unlock put back is already older.
#[test]
fn a_vault_made_here_is_remembered_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.silta");
    let store = store();
    let (vault, _) = anchor::create(
        store.clone(),
        &path,
        "Kaisa",
        &Passphrase::new(PASS),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    let kept = store
        .load(vault.id().into())
        .unwrap()
        .expect("remembered at creation");
    assert_eq!(kept.head, audit::checkpoint(&vault).unwrap());
    assert!(kept.seen.is_some());
    assert_eq!(vault.anchor_missing(), None);
}

/// The count in the file lowered rather than deleted: what this computer counted beyond it is
/// logged and reported, no more.
#[test]
fn a_lowered_count_of_wrong_passphrases_is_made_up_from_this_computers() {
    let (f, vault) = new_vault();
    drop(vault);
    let store = store();
    drop(anchored(&store, &f.path));
    guess_wrong(&store, &f.path, 2);
    edit_file(
        &f.path,
        "UPDATE vault_meta SET value = 1 WHERE name = 'failed_unlocks'",
    );
    let vault = anchored(&store, &f.path);
    let why = vault.audit_report().broken.clone().expect("reported");
    assert!(why.starts_with("1 wrong passphrases"), "{why}");
    assert_eq!(failed_unlocks_logged(&vault), ["1", "1"]);
}

/// What is checked on request gathers every finding: the log, what the unlock found against
/// this computer's memory, and each witness; the first is named, the rest counted.
#[test]
fn a_check_on_request_counts_every_finding() {
    let (f, vault) = new_vault();
    silta_core::org::rename(&vault, "Pro-tukipiste").unwrap();
    drop(vault);
    let store = store();
    let vault = anchored(&store, &f.path);
    let aside = copy_aside(&f.path, &vault);
    open_case(&vault, "Written after the copy");
    let checkpoint = f.dir.path().join("checkpoint.json");
    std::fs::write(&checkpoint, silta_core::witness::make(&vault).unwrap()).unwrap();
    drop(vault);
    put_back(&aside, &f.path);
    let vault = anchored(&store, &f.path);
    let report = audit::report(&vault, false, std::slice::from_ref(&checkpoint)).unwrap();
    assert!(report.broken.unwrap().contains("this computer"));
    assert_eq!(report.more, 1, "the checkpoint disagrees too");
    let fresh = unlock(&f.path);
    assert!(audit::report(&fresh, true, &[]).unwrap().is_intact());
    assert_eq!(audit::report(&fresh, false, &[checkpoint]).unwrap().more, 0);
}

/// Two laptops' files of one team (they share the vault id) used under one login, as on a
/// shared desk computer: each is remembered apart.
fn team_of_two(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (first, _) = silta_core::vault::Vault::create(
        &dir.join("first.silta"),
        "Kaisa",
        &Passphrase::new(PASS),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    let device = age::x25519::Identity::generate();
    let recipient = silta_core::sync::signing::PublicDeviceKey::of(&device).unwrap();
    let file = dir.join("enrolment.age");
    silta_core::sync::enrolment::enrol_to_file(
        &first,
        &recipient.to_string(),
        &recipient.fingerprint(),
        silta_core::sync::SyncServer {
            url: "http://127.0.0.1:5984".into(),
            database: "team".into(),
            user: "laptop-2".into(),
            password: "second".into(),
        },
        &file,
    )
    .unwrap();
    let second = dir.join("second.silta");
    silta_core::sync::enrolment::join(
        &second,
        "Kaisa",
        &Passphrase::new(PASS),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
        &file,
        &device,
    )
    .unwrap();
    (first.path().to_path_buf(), second)
}

#[test]
fn two_laptops_of_one_team_under_one_login_are_remembered_apart() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = team_of_two(dir.path());
    let store = store();
    for _ in 0..2 {
        for path in [&first, &second] {
            let vault = anchored(&store, path);
            assert!(
                vault.audit_report().is_intact(),
                "{:?}",
                vault.audit_report()
            );
            open_case(&vault, "Written on one laptop");
        }
    }
}

#[test]
fn a_joined_laptops_device_id_changed_in_the_file_is_reported_at_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = team_of_two(dir.path());
    let store = store();
    drop(anchored(&store, &first));
    drop(anchored(&store, &second));
    // Taken away, the second laptop's file would be looked up as the first's.
    edit_file(&second, "DELETE FROM vault_meta WHERE name = 'device'");
    let vault = anchored(&store, &second);
    let why = vault.rolled_back().expect("reported");
    assert!(why.contains("names another laptop of its team"), "{why}");
}
