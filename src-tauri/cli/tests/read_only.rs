//! A vault whose folder or file cannot be written: a clear error, nothing lost, and the vault opens
//! again once the permissions are back. Root ignores permissions, so when the tests run as root
//! (as CI does) the `silta` processes run as the unprivileged user `nobody` instead.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PASS: &str = "correct horse battery staple";
const NOBODY: u32 = 65534;

struct Env {
    dir: tempfile::TempDir,
    silta: PathBuf,
}

fn running_as_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() == 0 }
}

fn chown_to_nobody(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::chown(c.as_ptr(), NOBODY, NOBODY) }, 0);
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        // A copy of the binary inside the test's folder, so that `nobody` can run it whatever the
        // permissions of the build folder are.
        let silta = dir.path().join("silta");
        std::fs::copy(env!("CARGO_BIN_EXE_silta"), &silta).unwrap();
        chmod(&silta, 0o755);
        std::fs::create_dir(dir.path().join("vault")).unwrap();
        if running_as_root() {
            chmod(dir.path(), 0o755);
            chown_to_nobody(&dir.path().join("vault"));
        }
        Env { dir, silta }
    }

    fn folder(&self) -> PathBuf {
        self.dir.path().join("vault")
    }

    fn file(&self) -> PathBuf {
        self.folder().join("vault.silta")
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.silta);
        cmd.args(args)
            .env_clear()
            .env("HOME", self.folder())
            .env("SILTA_VAULT", self.file())
            .env("SILTA_PASSPHRASE", PASS)
            .env("SILTA_NEW_PASSPHRASE", PASS)
            .env("LANG", "C.UTF-8");
        if running_as_root() {
            cmd.uid(NOBODY).gid(NOBODY);
        }
        // While the other test copies its binary, a process it starts may briefly hold our copy
        // open for writing (inherited between fork and exec), and exec then fails with "text file
        // busy": that passes, so try again.
        for _ in 0..50 {
            match cmd.output() {
                Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                result => return result.unwrap(),
            }
        }
        panic!("{} stayed busy", self.silta.display());
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "silta {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A vault with two cases, closed cleanly (so no -wal or -shm file is left beside it).
    fn with_two_cases() -> Env {
        let env = Env::new();
        env.ok(&[
            "vault",
            "init",
            "--user",
            "Kaisa",
            "--kdf-memory-mib",
            "19",
            "--kdf-passes",
            "2",
        ]);
        env.ok(&["case", "new", "--name", "Aino Mäkinen"]);
        env.ok(&["case", "new", "--name", "Bilal Haddad"]);
        env
    }

    fn assert_refused_as_read_only(&self, args: &[&str]) {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "silta {args:?}: {stderr}");
        assert!(
            stderr.contains("read-only") && stderr.contains("permissions"),
            "silta {args:?} should name the read-only folder and what to do: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    /// Once writable again, the vault opens, is intact and holds exactly what it held before.
    fn assert_intact_with_two_cases(&self) {
        let list = self.ok(&["case", "list"]);
        assert!(
            list.contains("Aino Mäkinen") && list.contains("Bilal Haddad"),
            "{list}"
        );
        assert!(!list.contains("Carita"), "{list}");
        self.ok(&["audit", "verify"]);
    }
}

#[test]
fn a_read_only_folder_is_a_clear_error_and_loses_nothing() {
    let env = Env::with_two_cases();
    let before = std::fs::read(env.file()).unwrap();
    chmod(&env.folder(), 0o500);
    env.assert_refused_as_read_only(&["case", "new", "--name", "Carita"]);
    env.assert_refused_as_read_only(&["case", "list"]);
    assert_eq!(std::fs::read(env.file()).unwrap(), before);
    chmod(&env.folder(), 0o700);
    env.assert_intact_with_two_cases();
}

#[test]
fn a_read_only_vault_file_is_a_clear_error_and_loses_nothing() {
    let env = Env::with_two_cases();
    let before = std::fs::read(env.file()).unwrap();
    chmod(&env.file(), 0o400);
    env.assert_refused_as_read_only(&["case", "new", "--name", "Carita"]);
    assert_eq!(std::fs::read(env.file()).unwrap(), before);
    chmod(&env.file(), 0o600);
    env.assert_intact_with_two_cases();
}
