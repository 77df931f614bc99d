//! Checkpoints kept elsewhere (docs/threat-model.md, "Someone with a passphrase"): a signed
//! checkpoint of the log, made now and kept away from this computer, later finds the whole file
//! rolled back to an older copy and history rewritten by someone with a key.

mod common;

use common::*;
use silta_core::vault::Vault;
use silta_core::witness;

/// Checkpoints are signed with the organisation's key, which needs the organisation's name.
fn named_vault() -> (Fixture, Vault) {
    let (f, vault) = new_vault();
    silta_core::org::rename(&vault, "Pro-tukipiste").unwrap();
    (f, vault)
}

fn copy_of(vault: &Vault, to: &std::path::Path) {
    vault.checkpoint().unwrap();
    std::fs::copy(vault.path(), to).unwrap();
}

#[test]
fn a_checkpoint_agrees_with_the_log_it_was_made_of_and_with_its_later_growth() {
    let (_f, vault) = named_vault();
    open_case(&vault, "Aino");
    let file = witness::make(&vault).unwrap();
    open_case(&vault, "Bert");
    assert_eq!(witness::check(&vault, &file).unwrap(), None);
}

/// The attack the file alone cannot show: every row put back as it was in an older copy.
#[test]
fn the_whole_file_put_back_to_an_older_copy_is_found_by_a_checkpoint_made_since() {
    let (f, vault) = named_vault();
    open_case(&vault, "Aino");
    let older = f.dir.path().join("older.silta");
    copy_of(&vault, &older);
    open_case(&vault, "Bert");
    let file = witness::make(&vault).unwrap();
    vault.lock();
    std::fs::copy(&older, &f.path).unwrap();
    let vault = unlock(&f.path);
    assert!(
        vault.audit_report().is_intact(),
        "the file alone shows nothing"
    );
    let why = witness::check(&vault, &file).unwrap().unwrap();
    assert!(why.contains("was cut back"), "{why}");
}

/// Someone with a passphrase writes another history from an older copy (as re-sealing the log
/// would): the entry the checkpoint saw is there, but not as it saw it.
#[test]
fn history_rewritten_by_a_key_holder_is_found_by_a_checkpoint_made_before() {
    let (f, vault) = named_vault();
    let fork = f.dir.path().join("fork.silta");
    copy_of(&vault, &fork);
    open_case(&vault, "What happened");
    let file = witness::make(&vault).unwrap();
    vault.lock();
    std::fs::copy(&fork, &f.path).unwrap();
    let rewritten = unlock(&f.path);
    for i in 0..5 {
        open_case(&rewritten, &format!("Another story {i}"));
    }
    assert!(
        silta_core::audit::verify(&rewritten)
            .unwrap()
            .broken
            .is_none()
    );
    let why = witness::check(&rewritten, &file).unwrap().unwrap();
    assert!(why.contains("was rewritten"), "{why}");
}

#[test]
fn a_checkpoint_altered_or_of_another_vault_is_refused() {
    let (_f, vault) = named_vault();
    let file = witness::make(&vault).unwrap();
    let text = String::from_utf8(file.clone()).unwrap();
    // The payload's hex, one digit changed: the signature no longer holds.
    let at = text.find("\"payload\": \"").unwrap() + 40;
    let mut altered = text.into_bytes();
    altered[at] = if altered[at] == b'0' { b'1' } else { b'0' };
    assert!(witness::check(&vault, &altered).is_err());
    let (_g, other) = named_vault();
    let err = witness::check(&other, &file).err().unwrap();
    assert!(err.to_string().contains("another vault"), "{err}");
    assert!(witness::check(&vault, b"{}").is_err());
    assert!(witness::check(&vault, &vec![b' '; 70_000]).is_err());
}

/// What a receiving desk hands back is read as a regular file of bounded size only: a manifest
/// that is a link to an endless device is refused, not read.
#[cfg(unix)]
#[test]
fn a_handed_back_manifest_that_is_not_a_file_is_refused() {
    let (f, vault) = named_vault();
    let folder = f.dir.path().join("handed-back");
    std::fs::create_dir(&folder).unwrap();
    std::os::unix::fs::symlink("/dev/zero", folder.join("manifest.json")).unwrap();
    std::fs::write(folder.join("manifest.sig"), "00").unwrap();
    let err = witness::check_path(&vault, &folder).unwrap_err();
    assert!(err.to_string().contains("not a file"), "{err}");
}

/// The entry a checkpoint saw deleted from the middle of the log (later entries still there):
/// named as missing, not mistaken for another.
#[test]
fn the_entry_a_checkpoint_saw_deleted_is_named_missing() {
    let (f, vault) = named_vault();
    open_case(&vault, "Aino");
    // The checkpoint sees the head as it is before the checkpoint's own entry is logged.
    let seen = silta_core::audit::checkpoint(&vault).unwrap().unwrap().seq;
    let file = witness::make(&vault).unwrap();
    open_case(&vault, "Bert");
    vault.lock();
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    // An entry's id begins with its number (docs/vault-format.md, section 8).
    let deleted = conn
        .execute(
            "DELETE FROM records WHERE rowid = (SELECT rowid FROM records WHERE kind = 'audit'
             ORDER BY substr(id, 1, 6) LIMIT 1 OFFSET ?1)",
            [i64::try_from(seen).unwrap() - 1],
        )
        .unwrap();
    assert_eq!(deleted, 1);
    drop(conn);
    let vault = unlock(&f.path);
    let why = witness::check(&vault, &file).unwrap().unwrap();
    assert!(why.contains(&format!("entry {seen} is missing")), "{why}");
}

/// A checkpoint file is read only up to its size limit: one byte over is refused for its size,
/// one exactly at it is read (and here is not a checkpoint).
#[test]
fn a_checkpoint_file_is_read_up_to_its_limit_and_no_further() {
    let (f, vault) = named_vault();
    let at = f.dir.path().join("at-limit.json");
    std::fs::write(&at, vec![b' '; 64 * 1024]).unwrap();
    let err = witness::check_path(&vault, &at).unwrap_err().to_string();
    assert!(err.contains("not a usable audit checkpoint"), "{err}");
    let over = f.dir.path().join("over-limit.json");
    std::fs::write(&over, vec![b' '; 64 * 1024 + 1]).unwrap();
    let err = witness::check_path(&vault, &over).unwrap_err().to_string();
    assert!(err.contains("not a file of a size"), "{err}");
}
