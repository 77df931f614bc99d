//! The vault: one SQLite file whose records are sealed under a random vault key, and the key slots
//! that let each staff member (and the recovery key) unwrap that key. An unlocked `Vault` holds the
//! keys; dropping it (`lock`) zeroizes them.

mod attachments;
mod envelope;
mod keys;
pub(crate) mod ledger;
mod records;
mod recovery;
mod slot;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub use attachments::{CHUNK_SIZE, VIEW_LIMIT, media_type_for};

/// Entry points for the fuzz targets in `fuzz/`: every parser that reads bytes from outside the
/// process. Each must return an error for bad input, never panic.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    use aes_gcm::{Aes256Gcm, KeyInit};
    use uuid::Uuid;

    use super::envelope::{self, ChunkPlace, RecordPlace};

    /// A fixed key: the fuzzer mutates sealed bytes made with it (the seed corpus).
    fn cipher() -> Aes256Gcm {
        Aes256Gcm::new(&[7u8; 32].into())
    }

    fn place() -> RecordPlace<'static> {
        RecordPlace {
            vault: Uuid::nil(),
            kind: "note",
            id: Uuid::max(),
            version: 1,
            case: None,
        }
    }

    fn chunk_place() -> ChunkPlace {
        ChunkPlace {
            vault: Uuid::nil(),
            attachment: Uuid::max(),
            index: 0,
            last: true,
        }
    }

    pub fn slot(bytes: &[u8]) {
        let _ = super::Slot::parse(bytes);
    }

    pub fn record(bytes: &[u8]) {
        let _ = envelope::open_record(&cipher(), &place(), bytes);
    }

    pub fn chunk(bytes: &[u8]) {
        let _ = envelope::open_chunk(&cipher(), &chunk_place(), bytes);
    }

    /// Sealed bytes for the seed corpus.
    pub fn seal_record(plain: &[u8]) -> Vec<u8> {
        envelope::seal_record(&cipher(), &place(), plain).unwrap_or_default()
    }

    pub fn seal_chunk(data: &[u8]) -> Vec<u8> {
        envelope::seal_chunk(&cipher(), &chunk_place(), data).unwrap_or_default()
    }
}
pub(crate) use records::Bound;
pub use records::{Record, Saved, Stored};
pub use recovery::RecoveryKey;
pub use slot::{KdfParams, Passphrase, Slot, SlotKind};

use crate::audit;
use crate::error::{Error, Result};
use crate::ids::{RecordId, SlotId, VaultId};
use crate::store::{self, Mode};
use keys::{Keys, SecretKey};

/// An unlocked vault.
pub struct Vault {
    conn: Connection,
    path: PathBuf,
    id: VaultId,
    user: String,
    keys: Keys,
    /// Rows written and deleted in the current transaction and not yet in the ledger's head.
    pending: std::cell::Cell<ledger::Tallies>,
    /// A case number handed out in the current transaction and not yet in the head.
    pub(crate) pending_number: std::cell::Cell<Option<(i32, u32)>>,
    /// What the check at unlock found.
    audit: audit::AuditReport,
}

/// What `vault info` shows; readable without unlocking.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VaultInfo {
    pub path: PathBuf,
    pub vault_id: VaultId,
    pub format_version: u32,
    pub users: Vec<UserInfo>,
    pub has_recovery_key: bool,
    pub records: u64,
    pub attachment_chunks: u64,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserInfo {
    pub name: String,
    pub kdf: KdfParams,
}

impl Vault {
    /// Creates a new vault file with one staff member and a recovery key (returned to be shown once).
    pub fn create(
        path: &Path,
        user: &str,
        passphrase: &Passphrase,
        kdf: KdfParams,
    ) -> Result<(Vault, RecoveryKey)> {
        let user = staff_name(user)?;
        passphrase.check_new()?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)?;
        }
        let conn = store::connect(path, Mode::Create)?;
        let id = VaultId::new();
        let recovery_secret = SecretKey::generate();
        let vault = Vault::new(conn, path, id, user.clone(), SecretKey::generate());
        let created = vault
            .conn
            .execute(
                "INSERT INTO vault_meta (name, value) VALUES ('vault_id', ?1)",
                [id.uuid().as_bytes().as_slice()],
            )
            .map_err(Error::from)
            .and_then(|_| audit::genesis(&vault))
            .and_then(|()| vault.put_passphrase_slot(&user, passphrase, kdf))
            .and_then(|()| vault.put_recovery_slot(&recovery_secret));
        if let Err(e) = created {
            // A half-made vault would only confuse: remove it, so the user can simply retry.
            drop(vault);
            remove_vault_files(path);
            return Err(e);
        }
        Ok((vault, RecoveryKey::encode(&recovery_secret)))
    }

    /// The staff members of a vault, for an unlock screen; needs no key.
    pub fn users(path: &Path) -> Result<Vec<String>> {
        let conn = store::connect(path, Mode::Open)?;
        read_users(&conn)
    }

    /// Unlocks with a staff member's passphrase. `user` may be left out when there is only one.
    pub fn unlock(path: &Path, user: Option<&str>, passphrase: &Passphrase) -> Result<Vault> {
        let conn = store::connect(path, Mode::Open)?;
        let id = read_vault_id(&conn, path)?;
        let user = match user {
            Some(u) => staff_name(u)?,
            None => match read_users(&conn)?.as_slice() {
                [only] => only.clone(),
                many => return Err(Error::UserRequired(many.to_vec())),
            },
        };
        let (slot_id, slot) =
            read_slot(&conn, Some(&user))?.ok_or_else(|| Error::UnknownUser(user.clone()))?;
        let vault_key = match slot.unwrap_with_passphrase(id, slot_id, passphrase) {
            Ok(key) => key,
            Err(Error::WrongPassphrase) => {
                count_failed_unlock(&conn);
                return Err(Error::WrongPassphrase);
            }
            Err(e) => return Err(e),
        };
        Vault::new(conn, path, id, user, vault_key).opened("passphrase")
    }

    /// Unlocks with the recovery key, acting as `user` (who then sets a new passphrase).
    pub fn recover(path: &Path, user: &str, key: &RecoveryKey) -> Result<Vault> {
        let conn = store::connect(path, Mode::Open)?;
        let id = read_vault_id(&conn, path)?;
        let (slot_id, slot) = read_slot(&conn, None)?.ok_or(Error::WrongRecoveryKey)?;
        let vault_key = slot.unwrap_with_recovery(id, slot_id, &key.secret()?)?;
        Vault::new(conn, path, id, staff_name(user)?, vault_key).opened("recovery key")
    }

    fn new(conn: Connection, path: &Path, id: VaultId, user: String, key: SecretKey) -> Vault {
        Vault {
            conn,
            path: path.to_path_buf(),
            id,
            user,
            keys: Keys::new(id, key),
            pending: std::cell::Cell::default(),
            pending_number: std::cell::Cell::default(),
            audit: audit::AuditReport::default(),
        }
    }

    /// After the key is unwrapped: a log from before format 3 is upgraded, the log and the rows
    /// are checked, and the unlock is logged. A broken log does not lock the caseworker out: the
    /// vault opens, and `audit_report` says what is wrong, for the app's banner and the CLI.
    fn opened(mut self, how: &str) -> Result<Vault> {
        let restored = store::restore_schema(&self.conn)?;
        self.audit = match audit::upgrade(&self).and_then(|()| audit::check(&self)) {
            Ok(report) => report,
            // The file could not be read or written at all: nothing to report on.
            Err(e @ (Error::Busy | Error::DiskFull | Error::ReadOnly | Error::Io { .. })) => {
                return Err(e);
            }
            // Anything else the file does to the check (a damaged head, rows of the wrong type)
            // is itself what the check is for: reported, never a vault that will not open.
            Err(Error::AuditBroken(why)) => audit::AuditReport::broken(0, why, 0),
            Err(e) => audit::AuditReport::broken(0, e.to_string(), 0),
        };
        let mut how = how.to_string();
        if !restored.is_empty() {
            let what = format!(
                "the vault file's structure was changed outside Silta ({}); Silta put it back",
                restored.join(", ")
            );
            how = format!("{how}; {what}");
            self.audit = match self.audit.broken.take() {
                Some(why) => audit::AuditReport::broken(0, format!("{what}; and {why}"), 0),
                None => audit::AuditReport::broken(0, what, 0),
            };
        }
        match self.log_unlock(&how, self.audit.intact.clone()) {
            Ok(()) => Ok(self),
            // A broken log may not take the entry (no head, or an older one put back); the
            // report already says so, and the caseworker can still read.
            Err(_) if !self.audit.is_intact() => Ok(self),
            Err(e) => Err(e),
        }
    }

    /// What the check at unlock found: whether the log and the rows of the file agree.
    pub fn audit_report(&self) -> &audit::AuditReport {
        &self.audit
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Logs this unlock, and the wrong passphrases counted since the last one. `verified` is the
    /// head the check found intact: later checks start from it.
    fn log_unlock(&self, how: &str, verified: Option<audit::Checkpoint>) -> Result<()> {
        let failed: i64 = self
            .conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM vault_meta WHERE name = 'failed_unlocks'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(0);
        self.write(|v| {
            if failed > 0 {
                let mut e = audit::Event::new(audit::Action::FailedUnlocks);
                e.detail = Some(failed.to_string());
                audit::log(v, e)?;
                v.conn
                    .execute("DELETE FROM vault_meta WHERE name = 'failed_unlocks'", [])?;
            }
            let mut e = audit::Event::new(audit::Action::Unlock);
            e.detail = Some(how.to_string());
            audit::append(v, audit::head(v)?, e, verified)
        })
    }

    /// The HMAC key of the audit chain.
    pub(crate) fn audit_key(&self) -> &[u8; 32] {
        self.keys.audit.expose()
    }

    /// Logs a change of key slots, naming the slot written (if any).
    fn log_setting(&self, slot: Option<SlotId>, what: &str) -> Result<()> {
        let mut e = audit::Event::new(audit::Action::SettingsChanged);
        if let Some(slot) = slot {
            e.kind = Some("key_slot");
            e.target = Some(slot.uuid());
            e.version = Some(1);
        }
        e.detail = Some(what.to_string());
        audit::log(self, e)
    }

    /// Locks the vault: the keys are zeroized and the file is closed.
    pub fn lock(self) {
        drop(self);
    }

    pub fn id(&self) -> VaultId {
        self.id
    }

    /// The staff member this vault was unlocked as; recorded with every change.
    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the file shows without any key: its id, format, staff and how many records it holds.
    pub fn info(path: &Path) -> Result<VaultInfo> {
        let conn = store::connect(path, Mode::Open)?;
        let mut stmt =
            conn.prepare("SELECT user, slot FROM key_slots WHERE user IS NOT NULL ORDER BY user")?;
        let users = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?
            .map(|row| {
                let (name, bytes) = row?;
                match Slot::parse(&bytes)?.kind {
                    SlotKind::Passphrase(kdf) => Ok(UserInfo { name, kdf }),
                    SlotKind::Recovery => Err(Error::Integrity {
                        what: format!("the key slot of {name}"),
                    }),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
            Ok(n.unsigned_abs())
        };
        Ok(VaultInfo {
            path: path.to_path_buf(),
            vault_id: read_vault_id(&conn, path)?,
            format_version: store::format_version(&conn)?,
            users,
            has_recovery_key: read_slot(&conn, None)?.is_some(),
            records: count("SELECT count(*) FROM records")?,
            attachment_chunks: count("SELECT count(*) FROM attachment_chunks")?,
        })
    }

    /// Adds a staff member with their own passphrase. The records are not touched.
    pub fn add_user(&self, name: &str, passphrase: &Passphrase, kdf: KdfParams) -> Result<()> {
        let name = staff_name(name)?;
        if read_slot(&self.conn, Some(&name))?.is_some() {
            return Err(Error::UserExists(name));
        }
        self.put_passphrase_slot(&name, passphrase, kdf)
    }

    /// Sets a staff member's passphrase, adding them if they have no slot yet (after a recovery).
    /// Only their slot is rewritten; the records are not touched.
    pub fn set_passphrase(
        &self,
        name: &str,
        passphrase: &Passphrase,
        kdf: KdfParams,
    ) -> Result<()> {
        self.put_passphrase_slot(&staff_name(name)?, passphrase, kdf)
    }

    /// Removes a staff member's slot. The last staff member cannot be removed.
    pub fn remove_user(&self, name: &str) -> Result<()> {
        let name = staff_name(name)?;
        self.write(|v| {
            if read_slot(&v.conn, Some(&name))?.is_none() {
                return Err(Error::UnknownUser(name.clone()));
            }
            if read_users(&v.conn)?.len() <= 1 {
                return Err(Error::LastUser(name.clone()));
            }
            v.delete_slots("user = ?1", [&name])?;
            v.log_setting(None, &format!("staff member {name} removed"))
        })?;
        self.checkpoint()
    }

    /// Replaces the recovery key (after it was used, or if it may have been seen). The old one stops
    /// working at once.
    pub fn replace_recovery_key(&self) -> Result<RecoveryKey> {
        let secret = SecretKey::generate();
        self.put_recovery_slot(&secret)?;
        Ok(RecoveryKey::encode(&secret))
    }

    fn put_passphrase_slot(
        &self,
        name: &str,
        passphrase: &Passphrase,
        kdf: KdfParams,
    ) -> Result<()> {
        let slot_id = SlotId::new();
        let slot = Slot::for_passphrase(self.id, slot_id, &self.keys.vault_key, passphrase, kdf)?;
        self.write(|v| {
            v.delete_slots("user = ?1", [name])?;
            let bytes = slot.to_bytes();
            v.conn.execute(
                "INSERT INTO key_slots (id, user, slot) VALUES (?1, ?2, ?3)",
                params![slot_id.uuid().as_bytes().as_slice(), name, &bytes],
            )?;
            v.note_slot(slot_id, Some(name), &bytes, true);
            v.log_setting(Some(slot_id), &format!("passphrase of {name} set"))
        })?;
        // The old slot's bytes must not linger in the WAL once the passphrase has changed.
        self.checkpoint()
    }

    fn put_recovery_slot(&self, secret: &SecretKey) -> Result<()> {
        let slot_id = SlotId::new();
        let slot = Slot::for_recovery(self.id, slot_id, &self.keys.vault_key, secret)?;
        self.write(|v| {
            v.delete_slots("user IS NULL", [])?;
            let bytes = slot.to_bytes();
            v.conn.execute(
                "INSERT INTO key_slots (id, user, slot) VALUES (?1, NULL, ?2)",
                params![slot_id.uuid().as_bytes().as_slice(), &bytes],
            )?;
            v.note_slot(slot_id, None, &bytes, true);
            v.log_setting(Some(slot_id), "recovery key replaced")
        })?;
        self.checkpoint()
    }

    /// Runs `f` as one transaction: every write in it lands, or (on any error) none does. Every
    /// row it writes or deletes must be taken into the ledger by an audit entry before it commits.
    pub fn write<T>(&self, f: impl FnOnce(&Vault) -> Result<T>) -> Result<T> {
        let before = (self.pending.get(), self.pending_number.get());
        let outermost = self.conn.is_autocommit();
        let result = store::write(&self.conn, || {
            let value = f(self)?;
            if outermost
                && (self.pending.get() != ledger::Tallies::default()
                    || self.pending_number.get().is_some())
            {
                return Err(Error::AuditBroken(
                    "a write was about to land that no audit entry names; nothing was saved".into(),
                ));
            }
            Ok(value)
        });
        if result.is_err() {
            self.pending.set(before.0);
            self.pending_number.set(before.1);
        }
        result
    }

    /// Writes a consistent copy of the vault to `out` while it is in use (SQLite's VACUUM INTO),
    /// then checks the copy opens in full. The copy is encrypted exactly as the vault is, and
    /// opens with the same passphrases and recovery key as the vault had when it was made.
    pub fn backup(&self, out: &Path) -> Result<u64> {
        if out.exists() {
            return Err(Error::invalid(format!(
                "{} already exists: a backup never overwrites a file",
                out.display()
            )));
        }
        let target = out
            .to_str()
            .ok_or_else(|| Error::invalid("the backup's path must be valid UTF-8"))?;
        // SQLite writes into an empty file that exists: made first, owner-only, as the vault is.
        crate::private_files::create_file(out)?;
        self.conn.execute("VACUUM INTO ?1", [target])?;
        match self.check_copy(out) {
            Ok(records) => {
                let mut e = audit::Event::new(audit::Action::Export);
                e.detail = Some("backup".into());
                audit::log(self, e)?;
                Ok(records)
            }
            Err(e) => {
                remove_vault_files(out);
                Err(e)
            }
        }
    }

    /// Checks the vault file at `path` with this vault's key: it is this vault, SQLite finds it
    /// sound, every record and attachment chunk decrypts, and its audit chain is intact. Returns
    /// how many record versions it holds.
    pub fn check_copy(&self, path: &Path) -> Result<u64> {
        let conn = store::connect(path, Mode::Open)?;
        let id = read_vault_id(&conn, path)?;
        if id != self.id {
            return Err(Error::invalid(format!(
                "{} is a backup of another vault",
                path.display()
            )));
        }
        let sound: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if sound != "ok" {
            return Err(Error::Integrity {
                what: format!("the backup {} ({sound})", path.display()),
            });
        }
        let copy = Vault::new(
            conn,
            path,
            id,
            self.user.clone(),
            SecretKey::from_bytes(zeroize::Zeroizing::new(*self.keys.vault_key.expose())),
        );
        let records = copy.check_all_records()?;
        for a in copy.list::<crate::model::Attachment>(None)? {
            copy.read_attachment(a.id, &mut std::io::sink())?;
        }
        if let Some(why) = audit::verify(&copy)?.broken {
            return Err(Error::AuditBroken(why));
        }
        Ok(records)
    }

    /// Replaces this vault's file with `backup` once `check_copy` has passed; nothing is changed if
    /// it fails. The vault is closed: unlock it again afterwards.
    pub fn restore(self, backup: &Path) -> Result<u64> {
        let records = self.check_copy(backup)?;
        let path = self.path.clone();
        let folder = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let temp = folder.join(format!(".restore-{}.silta", uuid::Uuid::new_v4().simple()));
        std::fs::copy(backup, &temp).map_err(Error::io("copy", backup))?;
        std::fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .map_err(Error::io("write", &temp))?;
        self.checkpoint()?;
        drop(self);
        remove_vault_files(&path);
        std::fs::rename(&temp, &path).map_err(Error::io("write", &path))?;
        Ok(records)
    }

    /// Caps the database file at its current size plus `pages` pages, so that tests can fill the
    /// "disk" (SQLite then answers SQLITE_FULL, as on a full disk).
    #[cfg(any(test, feature = "test-support"))]
    pub fn limit_growth_for_tests(&self, pages: u32) -> Result<()> {
        let count: u32 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        self.conn
            .pragma_update(None, "max_page_count", count + pages)?;
        Ok(())
    }

    /// Copies the WAL into the main file and empties it, so that deleted or replaced bytes (which
    /// `secure_delete` zeroes) leave both files. Another process reading the vault holds older
    /// pages in place: SQLite retries while it waits (for two seconds here, not the ten a write
    /// waits), and if it still cannot finish that is `CheckpointBlocked` (the change is saved).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(2))?;
        // The first column is 1 when a reader kept the checkpoint from finishing.
        let blocked = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            });
        self.conn.busy_timeout(store::BUSY_TIMEOUT)?;
        match blocked? {
            0 => Ok(()),
            _ => Err(Error::CheckpointBlocked),
        }
    }
}

/// Creates the vault's folder (and missing parents) readable by the owner only.
fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(Error::io("create the folder", dir))
}

fn remove_vault_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Staff names are shown in lists and stored with every change: one trimmed line, not empty.
fn staff_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "a staff name must be one line of 1 to 100 characters",
        ));
    }
    Ok(name.to_string())
}

fn read_vault_id(conn: &Connection, path: &Path) -> Result<VaultId> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT value FROM vault_meta WHERE name = 'vault_id'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let uuid = bytes
        .and_then(|b| uuid::Uuid::from_slice(&b).ok())
        .ok_or_else(|| Error::NotAVault(path.to_path_buf()))?;
    Ok(VaultId::from_uuid(uuid))
}

fn read_users(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT user FROM key_slots WHERE user IS NOT NULL ORDER BY user")?;
    let users = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(users)
}

/// A staff member's slot, or the recovery slot when `user` is `None`.
fn read_slot(conn: &Connection, user: Option<&str>) -> Result<Option<(SlotId, Slot)>> {
    let row: Option<(Vec<u8>, Vec<u8>)> = match user {
        Some(u) => conn
            .query_row("SELECT id, slot FROM key_slots WHERE user = ?1", [u], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?,
        None => conn
            .query_row(
                "SELECT id, slot FROM key_slots WHERE user IS NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
    };
    let Some((id, bytes)) = row else {
        return Ok(None);
    };
    let id = uuid::Uuid::from_slice(&id).map_err(|_| Error::Integrity {
        what: "a key slot's id".into(),
    })?;
    Ok(Some((SlotId::from_uuid(id), Slot::parse(&bytes)?)))
}

/// Counts a wrong passphrase, in the clear (there is no key to seal it with); the next unlock logs
/// the count in the audit chain. Failing to count must not hide the real error, so it is ignored.
fn count_failed_unlock(conn: &rusqlite::Connection) {
    let _ = conn.execute(
        "INSERT INTO vault_meta (name, value) VALUES ('failed_unlocks', 1)
         ON CONFLICT (name) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    );
}
