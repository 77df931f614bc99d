//! The vault: one SQLite file whose records are sealed under a random vault key, and the key slots
//! that let each staff member (and the recovery key) unwrap that key. An unlocked `Vault` holds the
//! keys; dropping it (`lock`) zeroizes them.

mod attachments;
mod envelope;
mod epochs;
mod keys;
pub(crate) mod ledger;
mod records;
mod recovery;
pub(crate) mod replica;
mod slot;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension};
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

    /// Fixed keys of two epochs: the fuzzer mutates sealed bytes made with them (the seed corpus,
    /// sealed under the second, so both envelope formats are a byte apart).
    fn cipher() -> [Aes256Gcm; 2] {
        [
            Aes256Gcm::new(&[7u8; 32].into()),
            Aes256Gcm::new(&[8u8; 32].into()),
        ]
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
pub(crate) use records::{Bound, sealed_hash};

/// The key epoch a sealed record or chunk names, without opening it; `None` if malformed.
pub(crate) fn sealed_epoch(sealed: &[u8]) -> Option<u32> {
    envelope::epoch_of(sealed)
}
pub use records::{Damaged, Record, Saved, Stored};
pub use recovery::RecoveryKey;
use slot::Opened;
pub use slot::{KdfParams, Passphrase, Slot, SlotKind};

use crate::anchor::{Anchor, AnchorStore};
use crate::audit;
use crate::error::{Error, Result};
use crate::ids::{RecordId, SlotId, VaultId};
use crate::store::{self, Mode};
pub(crate) use keys::SecretKey;
use keys::{Chain, Keys};
use ledger::SlotRow;

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
    /// Other devices' chains received in the current transaction, as far as received (team
    /// sync), not yet in the head.
    pub(crate) pending_devices:
        std::cell::RefCell<std::collections::BTreeMap<uuid::Uuid, audit::Checkpoint>>,
    /// What the check at unlock found.
    audit: audit::AuditReport,
    /// The file holds data of a later key epoch than the key in hand: the key changed after
    /// this slot's grant was written (its owner was removed, or an older grant was put back), or
    /// the file was altered. Writing on under the older key would hand what is written to
    /// whoever the change shut out, so every write is refused; reading goes on.
    read_only: bool,
    /// Where this computer remembers the vault outside the file (`anchor`), if it was unlocked
    /// through it, and why it is not kept there, if it could not be.
    anchor: Option<Arc<dyn AnchorStore>>,
    anchor_missing: std::cell::RefCell<Option<String>>,
    /// A wrong passphrase was counted while unlocked (`anchor::confirm_passphrase`): saves keep
    /// that count, and only then read the store for it (most saves need not).
    counted_while_open: std::cell::Cell<bool>,
    /// The file's log does not hold the head this computer last saw: what is wrong. The
    /// remembered head is then left as it was, so that the next unlock says it again.
    rolled_back: Option<String>,
    /// Wrong passphrases the file counted when this unlock read it.
    failed_in_file: u32,
    /// What this unlock found that the log itself cannot show (`outside_the_log`).
    outside: Vec<String>,
    /// This device, in a team that syncs (`sync`): `None` for the first device of a team (and
    /// every vault made on its own), whose log keeps the entry ids it always had. Read from the
    /// log's head when first needed.
    device: std::cell::OnceCell<Option<uuid::Uuid>>,
    /// This laptop's signing key (`signer`), once read.
    signer: std::cell::RefCell<Option<crate::sync::signing::DeviceSigner>>,
    /// The key epoch claimed on the team's server for the key change about to be made
    /// (`sync::team::claim_next_epoch`), taken by it.
    pub(crate) claimed: Option<u32>,
    /// Unit tests of team sync change a team's key with no server to claim the epoch on
    /// (`sync::team::claim_next_epoch`; the tests against a real server claim it).
    #[cfg(test)]
    pub(crate) unclaimed_key_changes: bool,
}

/// A check of the file as an unlock finds it, before the unlock writes: what is wrong, if
/// anything.
pub(crate) type Check<'a> = Option<&'a dyn Fn(&Vault) -> Result<Option<String>>>;

/// The keys a device joining a team is given (`Vault::team_keys`); zeroized when dropped.
pub struct TeamKeys {
    pub(crate) vault: VaultId,
    pub(crate) epochs: Vec<zeroize::Zeroizing<[u8; keys::KEY_LEN]>>,
}

/// What changing the vault's key did beyond it.
#[derive(Default)]
pub struct KeyChange {
    /// Staff whose slots were from before key epochs (Silta before format 4, and they have not
    /// unlocked since): they could not be given the new key and must be added again.
    pub must_be_added_again: Vec<String>,
    /// The recovery slot was from before key epochs, so it was replaced: this new recovery key
    /// is shown once.
    pub new_recovery_key: Option<RecoveryKey>,
    /// Whether the old slots and grants have left the vault's files; false when another Silta
    /// has the vault open (`Error::CheckpointBlocked` says what to do).
    pub gone_from_files: bool,
    /// The case-number series of the team's other laptops the new key was sent to (team sync).
    pub sent_to: Vec<char>,
}

/// Where a new key epoch's key comes from.
enum Next<'a> {
    /// Made here; `also` is written with the change, and the team's laptops are sent the key.
    Own(&'a dyn Fn(&Vault) -> Result<()>),
    /// Sent by another laptop of the team; `also` is written with it.
    Adopted(SecretKey, &'a dyn Fn(&Vault) -> Result<()>),
}

/// What `vault info` shows; readable without unlocking.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
        Vault::make(
            path,
            user,
            passphrase,
            kdf,
            VaultId::new(),
            Chain::new(SecretKey::generate()),
            None,
        )
    }

    /// The team's keys, for an enrolment package (`sync::enrolment`): the vault id and the key
    /// of every epoch, first to current. Whoever holds them can read everything of the team.
    pub(crate) fn team_keys(&self) -> TeamKeys {
        TeamKeys {
            vault: self.id,
            epochs: self
                .keys
                .chain()
                .iter()
                .map(|k| zeroize::Zeroizing::new(*k.expose()))
                .collect(),
        }
    }

    /// A vault file for a device joining a team (docs/sync.md, "Joining"): the team's vault id
    /// and keys, a chain of its own under `device`, one staff member and a recovery key of its
    /// own. It holds nothing else until it syncs.
    pub(crate) fn join(
        path: &Path,
        user: &str,
        passphrase: &Passphrase,
        kdf: KdfParams,
        team: &TeamKeys,
        device: (uuid::Uuid, char),
        signer: crate::sync::signing::DeviceSigner,
    ) -> Result<(Vault, RecoveryKey)> {
        let mut keys = team.epochs.iter().map(|k| SecretKey::from_bytes(k.clone()));
        let first = keys
            .next()
            .ok_or_else(|| Error::invalid("an enrolment without keys"))?;
        let chain = Chain::from_parts(first, keys.collect());
        Vault::make(
            path,
            user,
            passphrase,
            kdf,
            team.vault,
            chain,
            Some((device, signer)),
        )
    }

    /// A new vault file with one staff member and a recovery key: a team's first device (a
    /// new vault id and key), or a device joining one (`device`: its id and case-number series).
    fn make(
        path: &Path,
        user: &str,
        passphrase: &Passphrase,
        kdf: KdfParams,
        id: VaultId,
        chain: Chain,
        joining: Option<((uuid::Uuid, char), crate::sync::signing::DeviceSigner)>,
    ) -> Result<(Vault, RecoveryKey)> {
        let user = staff_name(user)?;
        passphrase.check_new()?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)?;
        }
        let conn = store::connect(path, Mode::Create)?;
        let recovery_secret = SecretKey::generate();
        let vault = Vault::new(conn, path, id, user.clone(), chain);
        // A joining laptop signs its chain from its first entry on: the team's list says so.
        let device = joining.map(|(device, signer)| {
            vault.set_signer(signer);
            device
        });
        let _ = vault.device.set(device.map(|(d, _)| d));
        let created = vault
            .conn
            .execute(
                "INSERT INTO vault_meta (name, value) VALUES ('vault_id', ?1)",
                [id.uuid().as_bytes().as_slice()],
            )
            .map_err(Error::from)
            .and_then(|_| match device {
                None => audit::genesis(&vault),
                Some((d, series)) => vault
                    .conn
                    .execute(
                        "INSERT INTO vault_meta (name, value) VALUES ('device', ?1)",
                        [d.as_bytes().as_slice()],
                    )
                    .map_err(Error::from)
                    .and_then(|_| vault.write_links())
                    .and_then(|()| audit::genesis_of_device(&vault, d, series)),
            })
            .and_then(|()| vault.put_passphrase_slot(&user, passphrase, kdf))
            .and_then(|()| {
                vault.write(|v| {
                    v.put_recovery_slot(&recovery_secret)?;
                    v.log_setting(None, "recovery key made")
                })
            });
        if let Err(e) = created {
            // A half-made vault would only confuse: remove it, so the user can simply retry.
            drop(vault);
            remove_vault_files(path);
            return Err(e);
        }
        Ok((vault, RecoveryKey::encode(&recovery_secret)))
    }

    /// The links of every epoch after the first (a joining device makes its own: links are not
    /// shared, each device's file holds them as its own key changes wrote them).
    fn write_links(&self) -> Result<()> {
        let chain = self.keys.chain();
        for epoch in 1..=chain.epoch() {
            let (Some(key), Some(previous)) = (chain.get(epoch), chain.get(epoch - 1)) else {
                continue;
            };
            let link = epochs::link(self.id, epoch, key, previous)?;
            epochs::insert_link(&self.conn, epoch, &link)?;
        }
        Ok(())
    }

    /// The staff members of a vault, for an unlock screen; needs no key.
    pub fn users(path: &Path) -> Result<Vec<String>> {
        let conn = store::connect(path, Mode::Inspect)?;
        read_users(&conn)
    }

    /// Unlocks with a staff member's passphrase. `user` may be left out when there is only one.
    pub fn unlock(path: &Path, user: Option<&str>, passphrase: &Passphrase) -> Result<Vault> {
        Vault::unlock_checked(path, user, passphrase, None)
    }

    /// `unlock`, with `check` run on the file as found, before this unlock writes to it (the
    /// anchor's head, `anchor::unlock`): what it finds is reported.
    pub(crate) fn unlock_checked(
        path: &Path,
        user: Option<&str>,
        passphrase: &Passphrase,
        check: Check<'_>,
    ) -> Result<Vault> {
        let conn = store::connect(path, Mode::Open)?;
        let id = read_vault_id(&conn, path)?;
        let user = match user {
            Some(u) => staff_name(u)?,
            None => match read_users(&conn)?.as_slice() {
                [only] => only.clone(),
                many => return Err(Error::UserRequired(many.to_vec())),
            },
        };
        let row = read_slot(&conn, Some(&user))?.ok_or_else(|| Error::UnknownUser(user.clone()))?;
        let slot = Slot::parse(&row.slot)?;
        let opened = counting_failures(&conn, slot.unwrap_with_passphrase(id, row.id, passphrase))?;
        Vault::entered(
            conn,
            path,
            id,
            user,
            (row, slot, opened),
            "passphrase",
            check,
        )
    }

    /// Unlocks with the recovery key, acting as `user` (who then sets a new passphrase).
    pub fn recover(path: &Path, user: &str, key: &RecoveryKey) -> Result<Vault> {
        Vault::recover_checked(path, user, key, None)
    }

    /// `recover`, with `check` as in `unlock_checked`.
    pub(crate) fn recover_checked(
        path: &Path,
        user: &str,
        key: &RecoveryKey,
        check: Check<'_>,
    ) -> Result<Vault> {
        let conn = store::connect(path, Mode::Open)?;
        let id = read_vault_id(&conn, path)?;
        let row = read_slot(&conn, None)?.ok_or(Error::WrongRecoveryKey)?;
        let slot = Slot::parse(&row.slot)?;
        let opened =
            counting_failures(&conn, slot.unwrap_with_recovery(id, row.id, &key.secret()?))?;
        let user = staff_name(user)?;
        Vault::entered(
            conn,
            path,
            id,
            user,
            (row, slot, opened),
            "recovery key",
            check,
        )
    }

    /// From an opened slot to an unlocked vault: the slot's grant gives the current epoch's key,
    /// the links the keys before it, and the chain must lead back to the epoch the slot last saw.
    /// Then the vault is checked (`opened`), and the slot renewed if it has not seen the current
    /// epoch, or (from before format 4) wraps a key rather than an identity.
    fn entered(
        conn: Connection,
        path: &Path,
        id: VaultId,
        user: String,
        (row, slot, opened): (SlotRow, Slot, Opened),
        how: &str,
        check: Check<'_>,
    ) -> Result<Vault> {
        let latest = epochs::latest(&conn)?;
        let (chain, renew) = match opened {
            // A slot from before key epochs opens the first epoch's key. Such slots are dropped
            // when the key changes; one left behind (or put back) is outdated if there are later
            // epochs, which the read-only check in `opened` finds.
            Opened::FirstKey { key, kek } => (
                Chain::new(key),
                Some((age::x25519::Identity::generate(), kek)),
            ),
            Opened::Identity {
                identity,
                seen,
                kek,
            } => {
                let access = row.access.as_deref().ok_or(Error::AccessOutdated)?;
                let forged = || {
                    Error::Integrity {
                    what: "the access grant of this key slot (it does not lead back to the key this slot last opened)".into(),
                }
                };
                let (epoch, key) =
                    epochs::open_grant(id, row.id, &identity, access).ok_or_else(|| {
                        Error::Integrity {
                            what: "the access grant of this key slot".into(),
                        }
                    })?;
                // Every link there but one does not open under the grant's key: most likely the
                // grant is of someone's own making (a link missing is named as such).
                let chain = match epochs::walk(&conn, id, epoch, key) {
                    Err(Error::Integrity { .. }) if epochs::links_present(&conn, epoch)? => {
                        return Err(forged());
                    }
                    chain => chain?,
                };
                // Only someone without the key of the epoch this slot last saw writes a grant
                // that does not lead back to it: a grant of their own making.
                if !epochs::leads_back(id, &chain, &seen) {
                    return Err(forged());
                }
                let renew = (seen.epoch != epoch && latest <= epoch).then_some((identity, kek));
                (chain, renew)
            }
        };
        let mut vault = Vault::new(conn, path, id, user, chain);
        vault.read_only = latest > vault.keys.epoch();
        let vault = vault.opened(how, check)?;
        if let Some((identity, kek)) = renew.filter(|_| !vault.read_only) {
            vault.renew_slot(row, &slot, &kek, &identity)?;
        }
        Ok(vault)
    }

    /// Rewrites the slot this vault was unlocked with to remember the current epoch (and, for a
    /// slot from before format 4, to wrap an identity with a grant of its own). A broken log
    /// may refuse the write; the slot then stays as it was, which still opens.
    fn renew_slot(
        &self,
        row: SlotRow,
        slot: &Slot,
        kek: &[u8; keys::KEY_LEN],
        identity: &age::x25519::Identity,
    ) -> Result<()> {
        let renewed = slot.renewed(self.id, row.id, kek, identity, self.seen())?;
        let access = self.grant(row.id, &identity.to_public())?;
        let new = SlotRow {
            slot: renewed.to_bytes(),
            access: Some(access),
            ..row
        };
        let written = self.write(|v| {
            v.delete_slots("id = ?1", [new.id.uuid().as_bytes().as_slice()])?;
            v.insert_slot(&new)?;
            let whose = new.user.as_deref().unwrap_or("the recovery key");
            v.log_setting(
                Some(new.id),
                &format!("access of {whose} renewed at key epoch {}", v.keys.epoch()),
            )
        });
        match written {
            Err(_) if !self.audit.is_intact() => Ok(()),
            other => other,
        }
    }

    fn new(conn: Connection, path: &Path, id: VaultId, user: String, chain: Chain) -> Vault {
        Vault {
            conn,
            path: path.to_path_buf(),
            id,
            user,
            keys: Keys::new(id, chain),
            pending: std::cell::Cell::default(),
            pending_number: std::cell::Cell::default(),
            pending_devices: std::cell::RefCell::default(),
            audit: audit::AuditReport::default(),
            read_only: false,
            anchor: None,
            anchor_missing: std::cell::RefCell::default(),
            counted_while_open: std::cell::Cell::new(false),
            rolled_back: None,
            failed_in_file: 0,
            outside: Vec::new(),
            device: std::cell::OnceCell::new(),
            signer: std::cell::RefCell::default(),
            claimed: None,
            #[cfg(test)]
            unclaimed_key_changes: false,
        }
    }

    /// The key this laptop signs its entries with (`sync::signing`), if it has a device key:
    /// kept once read, and read again at every entry while there is none (another process on
    /// this file, the app or the command line, may make one at any time) and after a write that
    /// failed (which may have made one that did not land).
    pub(crate) fn signer(&self) -> Result<Option<crate::sync::signing::DeviceSigner>> {
        if let Some(known) = self.signer.borrow().as_ref() {
            return Ok(Some(known.clone()));
        }
        let found = crate::sync::team::own_signer(self)?;
        self.signer.borrow_mut().clone_from(&found);
        Ok(found)
    }

    /// Signs this laptop's entries with `key` from now on (its device key, just made or kept).
    pub(crate) fn set_signer(&self, key: crate::sync::signing::DeviceSigner) {
        *self.signer.borrow_mut() = Some(key);
    }

    /// This device's id in its team (`device`).
    pub(crate) fn device(&self) -> Result<Option<uuid::Uuid>> {
        if let Some(d) = self.device.get() {
            return Ok(*d);
        }
        let device = audit::device_of(self)?;
        Ok(*self.device.get_or_init(|| device))
    }

    /// After the key is unwrapped: a log from before format 3 is upgraded, the log and the rows
    /// are checked, and the unlock is logged. A broken log does not lock the caseworker out: the
    /// vault opens, and `audit_report` says what is wrong, for the app's banner and the CLI.
    fn opened(mut self, how: &str, check: Check<'_>) -> Result<Vault> {
        let restored = store::restore_schema(&self.conn)?;
        // A head sealed under a later epoch than the key in hand: the key changed since this
        // slot's grant was written. (An older head put back is the ledger's to find: its tallies
        // and chain no longer match.)
        if self.head_epoch()?.is_some_and(|e| e > self.keys.epoch()) {
            self.read_only = true;
        }
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
        // With the log broken, the head may be an older one put back (with the links and an old
        // grant) over rows sealed under a later key: those rows say the key has changed.
        if !self.audit.is_intact() && self.newest_epoch_in_rows()? > self.keys.epoch() {
            self.read_only = true;
        }
        if self.read_only {
            let why = format!(
                "the file holds data sealed under a later key than yours (key epoch {} is yours): the vault's key was changed after your access was last renewed, or the file was altered; nothing can be written with this key",
                self.keys.epoch()
            );
            self.audit = match self.audit.broken.take() {
                Some(more) => audit::AuditReport::broken(0, format!("{why}; and {more}"), 0),
                None => audit::AuditReport::broken(0, why, 0),
            };
        }
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
        if let Some(why) = check.map(|c| c(&self)).transpose()?.flatten() {
            self.note_rolled_back(why);
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
    fn log_unlock(&mut self, how: &str, verified: Option<audit::Checkpoint>) -> Result<()> {
        let counted: Option<i64> = self
            .conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM vault_meta WHERE name = 'failed_unlocks'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        // Silta only ever counts up from 1; anything else was written by hand, to hide tries.
        let failed = match counted {
            Some(n) if n < 0 => {
                self.report(format!(
                    "the count of wrong passphrases in the vault file was altered (it read {n})"
                ));
                0
            }
            n => n.unwrap_or(0),
        };
        self.failed_in_file = u32::try_from(failed).unwrap_or(u32::MAX);
        self.write(|v| {
            if counted.is_some() {
                v.conn
                    .execute("DELETE FROM vault_meta WHERE name = 'failed_unlocks'", [])?;
            }
            if failed > 0 {
                let mut e = audit::Event::new(audit::Action::FailedUnlocks);
                e.detail = Some(failed.to_string());
                audit::log(v, e)?;
            }
            let mut e = audit::Event::new(audit::Action::Unlock);
            e.detail = Some(how.to_string());
            audit::append(v, audit::head(v)?, e, verified)
        })
    }

    /// Adds a problem to what the check at unlock found, for the banner and the CLI.
    fn report(&mut self, why: String) {
        self.audit = match self.audit.broken.take() {
            Some(more) => audit::AuditReport::broken(0, format!("{why}; and {more}"), 0),
            None => audit::AuditReport::broken(0, why, 0),
        };
    }

    /// Wrong passphrases the file counted when this unlock read it.
    pub(crate) fn failed_unlocks_in_file(&self) -> u32 {
        self.failed_in_file
    }

    /// This computer counted `missing` more wrong passphrases than the file did: the file's
    /// count was deleted (it has no key to seal it), or they were tried on another copy. They
    /// are logged, and reported.
    pub(crate) fn note_failed_unlocks_missing(&mut self, missing: u32) {
        let logged = self.write(|v| {
            let mut e = audit::Event::new(audit::Action::FailedUnlocks);
            e.detail = Some(missing.to_string());
            audit::log(v, e)
        });
        // A log that does not take the entry is broken, which the report already says.
        drop(logged);
        let why = format!(
            "{missing} wrong passphrases were tried on this computer since the last unlock that the vault file does not count: its count was deleted, or they were tried on another copy of the vault"
        );
        self.report(why.clone());
        self.outside.push(why);
    }

    /// The file's log does not hold the head this computer last saw (`anchor::unlock`).
    pub(crate) fn note_rolled_back(&mut self, why: String) {
        self.report(why.clone());
        self.outside.push(why.clone());
        self.rolled_back = Some(why);
    }

    /// What this unlock found by comparing the file with what this computer remembers (the
    /// file older than last seen, wrong passphrases missing from its count): a check of the
    /// log alone (`audit::verify`) cannot see these.
    pub fn outside_the_log(&self) -> &[String] {
        &self.outside
    }

    /// What is wrong, when the file's log does not hold the head this computer last saw.
    pub fn rolled_back(&self) -> Option<&str> {
        self.rolled_back.as_deref()
    }

    /// From now on every write is remembered in `store`; `missing` says why it could not be.
    pub(crate) fn anchor_with(&mut self, store: Arc<dyn AnchorStore>, missing: Option<String>) {
        self.anchor = Some(store);
        self.anchor_missing.replace(missing);
    }

    /// Why this computer does not remember the vault outside its file, when it does not: a
    /// whole file put back to an older copy then goes unseen here.
    pub fn anchor_missing(&self) -> Option<String> {
        match &self.anchor {
            None => Some("the vault was not opened through this computer's key store".into()),
            Some(_) => self.anchor_missing.borrow().clone(),
        }
    }

    /// Marks that a wrong passphrase was counted in the store while the vault is open.
    pub(crate) fn note_counted_while_open(&self) {
        self.counted_while_open.set(true);
    }

    /// Remembers the head as it is now, unless the file was found older than remembered and
    /// no one has accepted that yet. A store that cannot be reached is noted, never an error:
    /// what was written is written.
    fn save_anchor(&self) {
        let (Some(store), None) = (&self.anchor, &self.rolled_back) else {
            return;
        };
        let Ok(head) = audit::checkpoint(self) else {
            return;
        };
        // Wrong passphrases are counted while the vault is open too (asked again in Settings,
        // `anchor::confirm_passphrase`): a save keeps that count and its wait, or saving
        // anything (opening a case logs it) would give the guesser a fresh start.
        let kept = if self.counted_while_open.get() {
            store
                .load(self.anchor_key())
                .ok()
                .flatten()
                .unwrap_or_default()
        } else {
            Anchor::default()
        };
        let anchor = Anchor {
            failed: kept.failed,
            wait_until: kept.wait_until,
            ..Anchor::seen_now(head)
        };
        if let Err(why) = store.save(self.anchor_key(), &anchor) {
            self.anchor_missing.replace(Some(why));
        }
    }

    /// After `rolled_back`, once someone found out why: the file as it is becomes what this
    /// computer remembers.
    pub(crate) fn accept_rollback(&mut self) -> Result<Option<String>> {
        let Some(why) = self.rolled_back.take() else {
            return Ok(None);
        };
        self.save_anchor();
        self.outside.retain(|w| *w != why);
        // What the unlock reported is checked again without it.
        self.audit = audit::report(self, false, &[])?;
        Ok(Some(why))
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

    /// The vault's id, read without a key.
    pub fn id_at(path: &Path) -> Result<VaultId> {
        let conn = store::connect(path, Mode::Inspect)?;
        read_vault_id(&conn, path)
    }

    /// What this computer remembers the file by (`anchor::AnchorKey`), read without a key: its
    /// vault id, and the device id a laptop that joined a team keeps beside it. Checked against
    /// the sealed log at unlock.
    pub fn anchor_key_at(path: &Path) -> Result<crate::anchor::AnchorKey> {
        let conn = store::connect(path, Mode::Inspect)?;
        let device: Option<Vec<u8>> = conn
            .query_row(
                "SELECT value FROM vault_meta WHERE name = 'device'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(crate::anchor::AnchorKey {
            vault: read_vault_id(&conn, path)?,
            device: device.and_then(|d| uuid::Uuid::from_slice(&d).ok()),
        })
    }

    /// What this computer remembers this vault by: its id, and its device id in a team.
    pub(crate) fn anchor_key(&self) -> crate::anchor::AnchorKey {
        crate::anchor::AnchorKey {
            vault: self.id,
            device: self.device().ok().flatten(),
        }
    }

    /// What the file shows without any key: its id, format, staff and how many records it holds.
    pub fn info(path: &Path) -> Result<VaultInfo> {
        let conn = store::connect(path, Mode::Inspect)?;
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
            has_recovery_key: count("SELECT count(*) FROM key_slots WHERE user IS NULL")? > 0,
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

    /// Whether `passphrase` is the unlocked staff member's own. Asked again before their
    /// passphrase is changed, so that someone at a laptop left unlocked cannot change it; a wrong
    /// one is counted like a failed unlock.
    pub fn check_passphrase(&self, passphrase: &Passphrase) -> Result<()> {
        let row = read_slot(&self.conn, Some(&self.user))?
            .ok_or_else(|| Error::UnknownUser(self.user.clone()))?;
        let slot = Slot::parse(&row.slot)?;
        counting_failures(
            &self.conn,
            slot.unwrap_with_passphrase(self.id, row.id, passphrase),
        )
        .map(|_| ())
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

    /// Removes a staff member, and changes the vault's key (a new key epoch): what is written
    /// from now on opens only for those who remain, even to someone who kept the removed slot or
    /// an old copy of the file. The last staff member cannot be removed.
    pub fn remove_user(&mut self, name: &str) -> Result<KeyChange> {
        let name = staff_name(name)?;
        if read_slot(&self.conn, Some(&name))?.is_none() {
            return Err(Error::UnknownUser(name));
        }
        if read_users(&self.conn)?.len() <= 1 {
            return Err(Error::LastUser(name));
        }
        self.new_epoch(Some(&name), None, &format!("staff member {name} removed"))
    }

    /// Changes the vault's key with no one leaving: after a laptop or a copy of the file went
    /// missing, or once every colleague has unlocked after an upgrade to format 4, so that staff
    /// removed (or recovery keys replaced) before key epochs existed are shut out too.
    pub fn change_key(&mut self) -> Result<KeyChange> {
        self.new_epoch(None, None, "key changed")
    }

    /// Replaces the recovery key (after it was used, or if it may have been seen), and changes
    /// the vault's key: the old recovery key opens nothing written from now on, even in a copy
    /// of the file that still has its slot.
    pub fn replace_recovery_key(&mut self) -> Result<(RecoveryKey, KeyChange)> {
        let secret = SecretKey::generate();
        let change = self.new_epoch(None, Some(&secret), "recovery key replaced")?;
        Ok((RecoveryKey::encode(&secret), change))
    }

    /// Starts a new key epoch: a new random key, linked back to the current one; every remaining
    /// slot gets a grant to it (encrypted to its owner's identity, so no passphrase is needed);
    /// `removing`'s slot, and the recovery slot when `recovery` replaces it, are deleted. Slots
    /// from before format 4 wrap the old key itself and cannot be given a grant: they are dropped
    /// and named, and a dropped recovery slot is replaced with a new recovery key.
    fn new_epoch(
        &mut self,
        removing: Option<&str>,
        recovery: Option<&SecretKey>,
        why: &str,
    ) -> Result<KeyChange> {
        self.next_epoch(removing, recovery, why, Next::Own(&|_| Ok(())))
    }

    /// Changes the key of a team's vault, as `change_key` does, with `also` written in the same
    /// transaction (a laptop marked removed from the team, `sync::team::remove`).
    pub(crate) fn change_key_for_team(
        &mut self,
        why: &str,
        also: &dyn Fn(&Vault) -> Result<()>,
    ) -> Result<KeyChange> {
        self.next_epoch(None, None, why, Next::Own(also))
    }

    /// Takes the key of the team's next epoch, sent by the laptop that changed it (`sync::team`):
    /// this file's slots get grants to it as for a key change of its own; `also` is written in
    /// the same transaction.
    pub(crate) fn adopt_epoch(
        &mut self,
        (epoch, key): (u32, SecretKey),
        why: &str,
        also: &dyn Fn(&Vault) -> Result<()>,
    ) -> Result<()> {
        if epoch != self.keys.epoch() + 1 {
            return Err(Error::invalid(format!(
                "key epoch {epoch} does not follow this file's {}",
                self.keys.epoch()
            )));
        }
        // A slot from before key epochs would be dropped, and a recovery key made here, shown to
        // no one: such a file is brought up to date first (`change_key`).
        for row in read_slots(&self.conn)? {
            if Slot::parse(&row.slot)?.recipient().is_none() {
                return Err(Error::invalid(
                    "this file has access from before key epochs, which cannot be given the team's new key: every staff member of this laptop unlocks it once (their access is then renewed), and then it syncs again",
                ));
            }
        }
        self.next_epoch(None, None, why, Next::Adopted(key, also))
            .map(|_| ())
    }

    fn next_epoch(
        &mut self,
        removing: Option<&str>,
        recovery: Option<&SecretKey>,
        why: &str,
        next: Next<'_>,
    ) -> Result<KeyChange> {
        if let Some(broken) = &self.audit.broken {
            // Grants go to the identities the slots name; with a log that does not match the
            // file, a slot may have been swapped in by someone without a key.
            return Err(Error::AuditBroken(broken.clone()));
        }
        if let Some(broken) = audit::check(self)?.broken {
            return Err(Error::AuditBroken(broken));
        }
        #[cfg(test)]
        let claim = matches!(next, Next::Own(_)) && !self.unclaimed_key_changes;
        #[cfg(not(test))]
        let claim = matches!(next, Next::Own(_));
        if claim && self.claimed.take() != Some(self.keys.epoch() + 1) {
            // May take another laptop's key first: the epoch below is the one claimed.
            crate::sync::team::claim_next_epoch(self, &std::collections::HashSet::new())?;
        }
        self.claimed = None;
        let mut chain = self.keys.chain().copy();
        let epoch = self.keys.epoch() + 1;
        let (key, also) = match next {
            Next::Own(also) => (SecretKey::generate(), (also, true)),
            Next::Adopted(key, also) => (key, (also, false)),
        };
        let (also, send) = also;
        chain.push(key);
        let link = epochs::link(self.id, epoch, chain.current(), self.keys.current())?;
        let previous = std::mem::replace(&mut self.keys, Keys::new(self.id, chain));
        let made_recovery = SecretKey::generate();
        let changed = self.write(|v| {
            epochs::insert_link(&v.conn, epoch, &link)?;
            let mut change = KeyChange::default();
            let mut recovery_gone = recovery.is_some();
            for row in read_slots(&v.conn)? {
                let slot = Slot::parse(&row.slot)?;
                let leaving = match row.user.as_deref() {
                    Some(user) => removing == Some(user),
                    None => recovery.is_some(),
                };
                if leaving {
                    v.delete_slots("id = ?1", [row.id.uuid().as_bytes().as_slice()])?;
                    continue;
                }
                let Some(recipient) = slot.recipient() else {
                    v.delete_slots("id = ?1", [row.id.uuid().as_bytes().as_slice()])?;
                    match &row.user {
                        Some(user) => change.must_be_added_again.push(user.clone()),
                        None => recovery_gone = true,
                    }
                    continue;
                };
                let access = v.grant(row.id, &recipient)?;
                v.delete_slots("id = ?1", [row.id.uuid().as_bytes().as_slice()])?;
                v.insert_slot(&SlotRow {
                    access: Some(access),
                    ..row
                })?;
            }
            if recovery_gone {
                let secret = recovery.unwrap_or(&made_recovery);
                v.put_recovery_slot(secret)?;
                if recovery.is_none() {
                    change.new_recovery_key = Some(RecoveryKey::encode(&made_recovery));
                }
            }
            crate::sync::team::reseal_own_secrets(v)?;
            also(v)?;
            if send {
                // The team's other laptops get the new key too (sealed so that they can open it
                // with the one before): `sync::team`.
                change.sent_to = crate::sync::team::send_epoch(v)?;
            }
            let dropped = match change.must_be_added_again.as_slice() {
                [] => String::new(),
                names => format!(
                    "; access from before key epochs dropped: {}",
                    names.join(", ")
                ),
            };
            v.log_setting(
                None,
                &format!("{why}; vault key changed to key epoch {epoch}{dropped}"),
            )?;
            Ok(change)
        });
        match changed {
            Ok(mut change) => {
                // The old grants and slots must not linger in the WAL. The change is made by now,
                // and may carry a recovery key shown only once: a blocked checkpoint is reported
                // with it, not instead of it.
                change.gone_from_files = match self.checkpoint() {
                    Ok(()) => true,
                    Err(Error::CheckpointBlocked) => false,
                    Err(e) => return Err(e),
                };
                Ok(change)
            }
            Err(e) => {
                self.keys = previous;
                Err(e)
            }
        }
    }

    /// What the slot of someone unlocking now remembers: the current epoch.
    fn seen(&self) -> slot::Seen {
        epochs::seen(self.id, self.keys.chain())
    }

    /// A grant of the current epoch's key to the owner of `slot`.
    fn grant(&self, slot: SlotId, to: &age::x25519::Recipient) -> Result<Vec<u8>> {
        epochs::grant(self.id, slot, to, self.keys.epoch(), self.keys.current())
    }

    /// A team grant of the current epoch's key to the team's device `device`, whose device key
    /// is `to` (`sync::team`).
    pub(crate) fn team_grant(
        &self,
        device: Option<uuid::Uuid>,
        to: &age::x25519::Recipient,
    ) -> Result<Vec<u8>> {
        epochs::team_grant(self.id, device, to, self.keys.epoch(), self.keys.current())
    }

    /// The key a team grant to this file's device at `epoch` holds, if it opens with `identity`.
    pub(crate) fn open_team_grant(
        &self,
        epoch: u32,
        identity: &age::x25519::Identity,
        bytes: &[u8],
    ) -> Result<Option<SecretKey>> {
        Ok(epochs::open_team_grant(
            self.id,
            self.device()?,
            epoch,
            identity,
            bytes,
        ))
    }

    /// The number of the current key epoch.
    pub(crate) fn epoch(&self) -> u32 {
        self.keys.epoch()
    }

    fn put_passphrase_slot(
        &self,
        name: &str,
        passphrase: &Passphrase,
        kdf: KdfParams,
    ) -> Result<()> {
        let slot_id = SlotId::new();
        let identity = age::x25519::Identity::generate();
        let slot = Slot::for_passphrase(self.id, slot_id, passphrase, kdf, &identity, self.seen())?;
        let row = SlotRow {
            id: slot_id,
            user: Some(name.to_string()),
            slot: slot.to_bytes(),
            access: Some(self.grant(slot_id, &identity.to_public())?),
        };
        self.write(|v| {
            v.delete_slots("user = ?1", [name])?;
            v.insert_slot(&row)?;
            v.log_setting(Some(slot_id), &format!("passphrase of {name} set"))
        })?;
        // The old slot's bytes must not linger in the WAL once the passphrase has changed.
        self.checkpoint()
    }

    /// Writes the recovery slot (in the caller's transaction: the caller logs and checkpoints).
    fn put_recovery_slot(&self, secret: &SecretKey) -> Result<()> {
        let slot_id = SlotId::new();
        let identity = age::x25519::Identity::generate();
        let slot = Slot::for_recovery(self.id, slot_id, secret, &identity, self.seen())?;
        let row = SlotRow {
            id: slot_id,
            user: None,
            slot: slot.to_bytes(),
            access: Some(self.grant(slot_id, &identity.to_public())?),
        };
        self.delete_slots("user IS NULL", [])?;
        self.insert_slot(&row)
    }

    /// Runs `f` as one transaction: every write in it lands, or (on any error) none does. Every
    /// row it writes or deletes must be taken into the ledger by an audit entry before it commits.
    pub fn write<T>(&self, f: impl FnOnce(&Vault) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(Error::AccessOutdated);
        }
        let before = (self.pending.get(), self.pending_number.get());
        let outermost = self.conn.is_autocommit();
        let result = store::write(&self.conn, || {
            let value = f(self)?;
            if outermost
                && (self.pending.get() != ledger::Tallies::default()
                    || self.pending_number.get().is_some()
                    || !self.pending_devices.borrow().is_empty())
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
            if outermost {
                self.pending_devices.borrow_mut().clear();
                *self.signer.borrow_mut() = None;
            }
        } else if outermost {
            self.save_anchor();
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
        self.open_copy(path).map(|(_, records)| records)
    }

    /// `check_copy`, keeping the copy open (with this vault's keys) for `restore_copy`.
    fn open_copy(&self, path: &Path) -> Result<(Vault, u64)> {
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
        let copy = Vault::new(conn, path, id, self.user.clone(), self.keys.chain().copy());
        let records = copy.check_all_records()?;
        for a in copy.list::<crate::model::Attachment>(None)? {
            copy.read_attachment(a.id, &mut std::io::sink())?;
        }
        if let Some(why) = audit::verify(&copy)?.broken {
            return Err(Error::AuditBroken(why));
        }
        Ok((copy, records))
    }

    /// The first half of a restore: `backup`, checked (`check_copy`), copied beside this vault,
    /// and open for what must be applied to it before it replaces anything (the erasures made
    /// since, `retention::restore`). The copy takes this vault's key slots and key epochs, so a
    /// backup from before a key change brings back no one who was removed and no key that was
    /// replaced. Returns the copy and how many record versions the backup held.
    pub fn restore_copy(&self, backup: &Path) -> Result<(Vault, u64)> {
        let (checked, records) = self.open_copy(backup)?;
        drop(checked);
        let folder = self
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let temp = folder.join(format!(".restore-{}.silta", uuid::Uuid::new_v4().simple()));
        crate::private_files::create_file(&temp)?;
        let made = std::fs::copy(backup, &temp)
            .map_err(Error::io("copy", backup))
            .and_then(|_| self.open_copy(&temp))
            .and_then(|(copy, _)| {
                let slots = read_slots(&self.conn)?;
                let links: Vec<(u32, Vec<u8>)> = {
                    let mut stmt = self.conn.prepare("SELECT epoch, link FROM key_epochs")?;
                    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<_>>()?
                };
                copy.write(|c| {
                    c.delete_slots("1 = 1", [])?;
                    for slot in &slots {
                        c.insert_slot(slot)?;
                    }
                    c.conn.execute("DELETE FROM key_epochs", [])?;
                    for (epoch, link) in &links {
                        epochs::insert_link(&c.conn, *epoch, link)?;
                    }
                    c.log_setting(
                        None,
                        "restored from a backup: the key slots and key epochs of the vault it replaces carried over",
                    )
                })?;
                Ok(copy)
            });
        match made {
            Ok(copy) => Ok((copy, records)),
            Err(e) => {
                remove_vault_files(&temp);
                Err(e)
            }
        }
    }

    /// The second half of a restore: `copy` (from `restore_copy`) replaces this vault's file.
    /// The vault is closed: unlock it again afterwards.
    pub fn replace_with(self, copy: Vault) -> Result<()> {
        copy.checkpoint()?;
        // The restored log is older than what this computer remembers, on purpose: its head
        // becomes the one remembered once it is in place.
        let head = audit::checkpoint(&copy)?;
        let (anchor, id) = (self.anchor.clone(), self.anchor_key());
        let temp = copy.path.clone();
        drop(copy);
        std::fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .map_err(Error::io("write", &temp))?;
        self.checkpoint()?;
        let path = self.path.clone();
        drop(self);
        remove_vault_files(&path);
        std::fs::rename(&temp, &path).map_err(Error::io("write", &path))?;
        if let Some(store) = anchor {
            let remembered = Anchor::seen_now(head);
            let _ = store.save(id, &remembered);
        }
        Ok(())
    }

    /// Gives up a restore: the copy is closed and removed; this vault is untouched.
    pub fn discard_copy(copy: Vault) {
        let temp = copy.path.clone();
        drop(copy);
        remove_vault_files(&temp);
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

/// What an attacker holding a slot's secret can do with a copy of the file, for tests: open the
/// slot and its grant, and try every record version under the keys they give, with none of the
/// checks an unlock makes.
#[cfg(any(test, feature = "test-support"))]
pub mod testing {
    use super::*;
    use envelope::RecordPlace;

    pub enum Secret<'a> {
        Passphrase(&'a str, &'a Passphrase),
        Recovery(&'a RecoveryKey),
    }

    /// The (kind, id, version) of every record version in the file that `secret`'s slot opens.
    pub fn readable_with(
        path: &Path,
        secret: Secret<'_>,
    ) -> Result<Vec<(String, uuid::Uuid, i64)>> {
        let conn = store::connect(path, Mode::Open)?;
        let vault = read_vault_id(&conn, path)?;
        let (row, opened) = match secret {
            Secret::Passphrase(user, p) => {
                let row = read_slot(&conn, Some(user))?.ok_or(Error::UnknownUser(user.into()))?;
                let opened = Slot::parse(&row.slot)?.unwrap_with_passphrase(vault, row.id, p)?;
                (row, opened)
            }
            Secret::Recovery(key) => {
                let row = read_slot(&conn, None)?.ok_or(Error::WrongRecoveryKey)?;
                let opened =
                    Slot::parse(&row.slot)?.unwrap_with_recovery(vault, row.id, &key.secret()?)?;
                (row, opened)
            }
        };
        let chain = match opened {
            Opened::FirstKey { key, .. } => Chain::new(key),
            Opened::Identity { identity, .. } => {
                let access = row.access.as_deref().ok_or(Error::AccessOutdated)?;
                let (epoch, key) = epochs::open_grant(vault, row.id, &identity, access)
                    .ok_or(Error::AccessOutdated)?;
                epochs::walk(&conn, vault, epoch, key)?
            }
        };
        let keys = Keys::new(vault, chain);
        let mut stmt = conn.prepare("SELECT kind, id, version, case_id, sealed FROM records")?;
        let mut rows = stmt.query([])?;
        let mut readable = Vec::new();
        while let Some(r) = rows.next()? {
            let (kind, id, version): (String, Vec<u8>, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let case: Option<Vec<u8>> = r.get(3)?;
            let sealed: Vec<u8> = r.get(4)?;
            let uuid = |b: &[u8]| uuid::Uuid::from_slice(b).unwrap_or_default();
            let place = RecordPlace {
                vault: vault.uuid(),
                kind: &kind,
                id: uuid(&id),
                version: version.unsigned_abs(),
                case: case.as_deref().map(uuid),
            };
            if envelope::open_record(&keys.records, &place, &sealed).is_some() {
                readable.push((kind, uuid(&id), version));
            }
        }
        Ok(readable)
    }

    /// How a member of a team forges a claim on the team's next key epoch.
    pub enum ForgedClaim<'a> {
        /// Naming the laptop of that file, signed with the member's own key.
        InTheNameOf(&'a Vault),
        /// By a laptop of keys made up for it, on no list.
        OffTheList,
        /// Naming the laptop of that file, unsigned.
        Unsigned(&'a Vault),
        /// Naming the laptop of that file, with its own signature on its claim on the key
        /// change before (which the server still holds).
        Replayed(&'a Vault),
        /// By the laptop of these keys, which the member made up (`listed_with_other_keys`).
        MadeUp(&'a age::x25519::Identity),
    }

    /// A member lists a laptop at the id keys it made up give, but with other keys, as only a
    /// modified Silta could (an enrolment lists a laptop with the keys its id is made from):
    /// the id is on the team's list, yet no listing of it is genuine, and it is sent no key.
    /// Returns the made-up keys.
    pub fn listed_with_other_keys(member: &Vault) -> Result<age::x25519::Identity> {
        use crate::sync::signing::PublicDeviceKey;
        let made_up = age::x25519::Identity::generate();
        let other = PublicDeviceKey::of(&age::x25519::Identity::generate())?;
        crate::sync::team::insert_listing(
            member,
            &crate::sync::team::TeamDevice {
                device: Some(PublicDeviceKey::of(&made_up)?.device()),
                series: Some('X'),
                key: other.age.to_string(),
                signing: Some(other.signing_hex()),
                login: "made-up".into(),
                removed_after: None,
            },
        )?;
        Ok(made_up)
    }

    /// A claim on the team's next key epoch that `member` seals (it holds the key) and no laptop
    /// of the team signed: its document id and its sealed body, as the server holds it (in base64
    /// under `s`).
    pub fn forged_claim(member: &Vault, how: ForgedClaim<'_>) -> Result<(String, Vec<u8>)> {
        use crate::sync::signing::{DeviceSigner, PublicDeviceKey, claim_signature_by};
        let vault = member.id.uuid();
        let epoch = member.epoch() + 1;
        let signer_of = |v: &Vault| {
            v.signer()?.ok_or_else(|| Error::Integrity {
                what: "a laptop's device key".into(),
            })
        };
        let by_keys = |keys: &age::x25519::Identity| -> Result<(Option<uuid::Uuid>, String)> {
            let device = Some(PublicDeviceKey::of(keys)?.device());
            let signer = DeviceSigner::of(keys)?;
            Ok((device, claim_signature_by(&signer, vault, device, epoch)))
        };
        let (device, signature) = match how {
            ForgedClaim::InTheNameOf(laptop) => {
                let device = laptop.device()?;
                let own = signer_of(member)?;
                (device, claim_signature_by(&own, vault, device, epoch))
            }
            ForgedClaim::OffTheList => by_keys(&age::x25519::Identity::generate())?,
            ForgedClaim::MadeUp(keys) => by_keys(keys)?,
            ForgedClaim::Unsigned(laptop) => (laptop.device()?, String::new()),
            ForgedClaim::Replayed(laptop) => {
                let device = laptop.device()?;
                let its = signer_of(laptop)?;
                (device, claim_signature_by(&its, vault, device, epoch - 1))
            }
        };
        member.claim_document(device, &signature)
    }

    /// Adds a slot as Silta before format 4 wrote it (wrapping the first epoch's key itself).
    pub fn add_slot_from_before_key_epochs(
        vault: &Vault,
        name: &str,
        passphrase: &Passphrase,
    ) -> Result<()> {
        let id = SlotId::new();
        let first = vault.keys.chain().first();
        let slot =
            Slot::wrapping_first_key(vault.id, id, passphrase, KdfParams::CHEAP_FOR_TESTS, first)?;
        vault.write(|v| {
            v.insert_slot(&SlotRow {
                id,
                user: Some(name.into()),
                slot: slot.to_bytes(),
                access: None,
            })?;
            v.log_setting(Some(id), "slot from before key epochs added")
        })
    }
}

/// Creates the vault's folder (and missing parents) readable by the owner only.
fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    crate::private_files::owner_only(&mut builder);
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
        return Err(Error::InvalidInput(crate::error::Invalid::StaffName));
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
fn read_slot(conn: &Connection, user: Option<&str>) -> Result<Option<SlotRow>> {
    // A grant larger than any Silta writes is not read into memory: it reads as no grant.
    const COLUMNS: &str = "SELECT id, user, slot,
        CASE WHEN length(access) <= 4096 THEN access END FROM key_slots";
    const _: () = assert!(epochs::GRANT_LIMIT == 4096);
    let row = match user {
        Some(u) => conn
            .query_row(
                &format!("{COLUMNS} WHERE user = ?1"),
                [u],
                SlotRow::from_sql,
            )
            .optional()?,
        None => conn
            .query_row(
                &format!("{COLUMNS} WHERE user IS NULL"),
                [],
                SlotRow::from_sql,
            )
            .optional()?,
    };
    row.transpose()
}

/// Every key slot.
fn read_slots(conn: &Connection) -> Result<Vec<SlotRow>> {
    let mut stmt = conn.prepare("SELECT id, user, slot, access FROM key_slots")?;
    let rows = stmt
        .query_map([], SlotRow::from_sql)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().collect()
}

/// `opened`, having counted it first if it is a wrong passphrase or recovery key.
fn counting_failures(conn: &rusqlite::Connection, opened: Result<Opened>) -> Result<Opened> {
    if let Err(Error::WrongPassphrase | Error::WrongRecoveryKey) = opened {
        count_failed_unlock(conn);
    }
    opened
}

/// Counts a wrong passphrase (or recovery key), in the clear (there is no key to seal it with); the next unlock logs
/// the count in the audit chain. Failing to count must not hide the real error, so it is ignored.
fn count_failed_unlock(conn: &rusqlite::Connection) {
    let _ = conn.execute(
        "INSERT INTO vault_meta (name, value) VALUES ('failed_unlocks', 1)
         ON CONFLICT (name) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    );
}
