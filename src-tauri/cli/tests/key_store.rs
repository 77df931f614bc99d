//! The real operating system key store: a whole vault file put back to an older copy, seen by
//! the real `silta` through what the Secret Service remembers. It needs a Secret Service on the
//! session bus, so it is ignored by a plain `cargo test`; scripts/test runs it under
//! `dbus-run-session` with GNOME Keyring (`cargo test -p silta-cli --test key_store -- --ignored`).

use std::path::Path;
use std::process::{Command, Output};

const PASS: &str = "correct horse battery staple";

fn silta(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_silta"))
        .args(args)
        .env("SILTA_VAULT", dir.join("vault.silta"))
        .env("SILTA_PASSPHRASE", PASS)
        .env("SILTA_NEW_PASSPHRASE", PASS)
        .env("SILTA_USER", "Kaisa")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = silta(dir, args);
    assert!(
        out.status.success(),
        "silta {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[ignore = "needs a Secret Service on the session bus: scripts/test runs it under dbus-run-session"]
fn a_vault_file_put_back_to_an_older_copy_is_seen_through_the_real_key_store() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.silta");
    ok(
        dir.path(),
        &[
            "vault",
            "init",
            "--kdf-memory-mib",
            "19",
            "--kdf-passes",
            "2",
        ],
    );
    let verified = ok(dir.path(), &["audit", "verify"]);
    assert!(
        verified.contains("not older than this computer last saw it"),
        "the key store must be reachable here: {verified}"
    );
    let older = dir.path().join("older.silta");
    std::fs::copy(&vault, &older).unwrap();
    ok(dir.path(), &["audit", "verify"]);

    std::fs::copy(&older, &vault).unwrap();
    let out = silta(dir.path(), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(why.contains("put back to an older copy"), "{why}");

    ok(dir.path(), &["audit", "accept-rollback"]);
    ok(dir.path(), &["audit", "verify"]);

    // Wrong passphrases are counted in the key store as well: deleting the file's count of them
    // does not hide them.
    let wrong = Command::new(env!("CARGO_BIN_EXE_silta"))
        .args(["case", "list"])
        .env("SILTA_VAULT", &vault)
        .env("SILTA_PASSPHRASE", "a guess")
        .env("SILTA_USER", "Kaisa")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    let conn = rusqlite::Connection::open(&vault).unwrap();
    conn.execute("DELETE FROM vault_meta WHERE name = 'failed_unlocks'", [])
        .unwrap();
    drop(conn);
    let out = silta(dir.path(), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(why.contains("1 wrong passphrases"), "{why}");
}
