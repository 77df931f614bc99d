//! What this computer remembers of a vault outside its file: the last audit head it saw, and the
//! wrong passphrases tried since the last unlock. A whole vault file put back to an older copy is
//! consistent in itself, so nothing in the file can show it (docs/threat-model.md, "rollback of
//! the whole file"); the head kept here, in the operating system's key store, can. The wrong
//! passphrases are counted here too, because their count in the file has no key to seal it and
//! can be deleted: kept here, deleting it is seen, and the slow-down after them survives a
//! restart of the app. The format of what is kept is in docs/vault-format.md, section 11.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Checkpoint};
use crate::error::{Error, Result};
use crate::ids::VaultId;
use crate::vault::{Check, KdfParams, KeyChange, Passphrase, RecoveryKey, Vault};

/// Wrong passphrases allowed before each further attempt must wait.
const FREE_ATTEMPTS: u32 = 3;
/// The wait doubles with every further failure, up to this.
const MAX_WAIT: Duration = Duration::from_secs(60);
/// The name under which Silta's entries sit in the key store.
const SERVICE: &str = "fi.silta.app";
const FORMAT: &str = "silta-anchor";

/// What this computer keeps of one vault.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// The audit head of the last unlock or write on this computer, and when it was seen.
    pub head: Option<Checkpoint>,
    pub seen: Option<DateTime<Utc>>,
    /// Wrong passphrases tried on this computer since the last unlock.
    pub failed: u32,
    /// No unlock is tried before this moment.
    pub wait_until: Option<DateTime<Utc>>,
}

impl Anchor {
    /// `head` seen now, with no wrong passphrase counted since and no wait due.
    pub(crate) fn seen_now(head: Option<Checkpoint>) -> Anchor {
        Anchor {
            head,
            seen: Some(Utc::now()),
            ..Anchor::default()
        }
    }
}

/// Which vault file an anchor is for: its vault id, and, for a laptop that joined a team, its
/// device id. The laptops of a team share the vault id, and two of their files used under one
/// login (a shared desk computer) must not be taken for older copies of each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AnchorKey {
    pub vault: VaultId,
    pub device: Option<uuid::Uuid>,
}

impl From<VaultId> for AnchorKey {
    fn from(vault: VaultId) -> AnchorKey {
        AnchorKey {
            vault,
            device: None,
        }
    }
}

impl std::fmt::Display for AnchorKey {
    /// The key store's account name; a team's first laptop keeps the one vaults had before.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.device {
            None => write!(f, "vault {}", self.vault),
            Some(device) => write!(f, "vault {} device {device}", self.vault),
        }
    }
}

/// Where anchors are kept. `Err` carries why the store could not be used, for the notice that
/// says the file's rollback is not watched on this computer.
pub trait AnchorStore: Send + Sync {
    fn load(&self, vault: AnchorKey) -> std::result::Result<Option<Anchor>, String>;
    fn save(&self, vault: AnchorKey, anchor: &Anchor) -> std::result::Result<(), String>;
}

/// The operating system's key store: the login keychain (macOS), the Credential Manager
/// (Windows), the Secret Service (GNOME Keyring, KWallet) on Linux. Its entries live with the
/// user's login, not with the vault file, and need no vault key to read.
#[derive(Default)]
pub struct OsKeyStore {
    /// Vaults whose entry is there but not one Silta can read: it is left as it is, never
    /// overwritten, so that whatever was done to it can still be looked at.
    unreadable: Mutex<std::collections::HashSet<AnchorKey>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kept {
    format: String,
    version: u32,
    #[serde(flatten)]
    anchor: Anchor,
}

impl OsKeyStore {
    fn entry(vault: AnchorKey) -> std::result::Result<keyring::Entry, String> {
        keyring::Entry::new(SERVICE, &vault.to_string()).map_err(|e| e.to_string())
    }
}

impl AnchorStore for OsKeyStore {
    fn load(&self, vault: AnchorKey) -> std::result::Result<Option<Anchor>, String> {
        let text = match Self::entry(vault)?.get_password() {
            Ok(text) => text,
            Err(keyring::Error::NoEntry) => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        match serde_json::from_str::<Kept>(&text) {
            Ok(kept) if kept.format == FORMAT && kept.version == 1 => Ok(Some(kept.anchor)),
            _ => {
                self.unreadable
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(vault);
                Err("the key store's entry for this vault is not one this Silta can read".into())
            }
        }
    }

    fn save(&self, vault: AnchorKey, anchor: &Anchor) -> std::result::Result<(), String> {
        if self
            .unreadable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&vault)
        {
            return Err(
                "the key store's entry for this vault is not one this Silta can read: left as it is".into(),
            );
        }
        let text = serde_json::to_string(&Kept {
            format: FORMAT.into(),
            version: 1,
            anchor: anchor.clone(),
        })
        .map_err(|e| e.to_string())?;
        Self::entry(vault)?
            .set_password(&text)
            .map_err(|e| e.to_string())
    }
}

/// Anchors kept in memory only: for as long as the process runs.
#[derive(Default)]
pub struct InMemory(Mutex<HashMap<AnchorKey, Anchor>>);

impl InMemory {
    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<AnchorKey, Anchor>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl AnchorStore for InMemory {
    fn load(&self, vault: AnchorKey) -> std::result::Result<Option<Anchor>, String> {
        Ok(self.kept().get(&vault).cloned())
    }

    fn save(&self, vault: AnchorKey, anchor: &Anchor) -> std::result::Result<(), String> {
        self.kept().insert(vault, anchor.clone());
        Ok(())
    }
}

/// Anchors kept in memory, in front of another store that may not be there: the slow-down then
/// still holds for as long as the app runs, and the file is watched from one unlock to the next.
/// Whether the store behind was reached is still said (`Err`).
pub struct Remembered<S> {
    behind: S,
    memory: InMemory,
}

impl<S: AnchorStore> Remembered<S> {
    pub fn new(behind: S) -> Remembered<S> {
        Remembered {
            behind,
            memory: InMemory::default(),
        }
    }
}

impl<S: AnchorStore> AnchorStore for Remembered<S> {
    fn load(&self, vault: AnchorKey) -> std::result::Result<Option<Anchor>, String> {
        match self.behind.load(vault) {
            // An entry cleared in the key store from outside (same account, another program),
            // or an older one put back, must not wipe what this run of the app counted: the
            // higher count stands. One written since (the CLI's own unlock) is the newer word.
            Ok(kept) => Ok(match (kept, self.memory.load(vault)?) {
                (None, remembered) => remembered,
                (Some(k), Some(m)) if m.failed > k.failed && k.seen <= m.seen => Some(Anchor {
                    failed: m.failed,
                    wait_until: m.wait_until,
                    ..k
                }),
                (kept, _) => kept,
            }),
            Err(why) => match self.memory.load(vault)? {
                Some(anchor) => Ok(Some(anchor)),
                None => Err(why),
            },
        }
    }

    fn save(&self, vault: AnchorKey, anchor: &Anchor) -> std::result::Result<(), String> {
        self.memory.save(vault, anchor)?;
        self.behind.save(vault, anchor)
    }
}

/// A store that keeps nothing: for a vault no one should be warned about (the training vault).
pub struct Nowhere;

impl AnchorStore for Nowhere {
    fn load(&self, _: AnchorKey) -> std::result::Result<Option<Anchor>, String> {
        Err("not kept for this vault".into())
    }

    fn save(&self, _: AnchorKey, _: &Anchor) -> std::result::Result<(), String> {
        Err("not kept for this vault".into())
    }
}

/// How long to wait after `failed` wrong passphrases before the next attempt.
fn wait_after(failed: u32) -> Duration {
    if failed < FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let doublings = (failed - FREE_ATTEMPTS).min(6);
    (Duration::from_secs(1) * 2u32.pow(doublings)).min(MAX_WAIT)
}

/// The unlocked staff member's passphrase asked again (before a change of who may open the
/// vault), under the same slow-down as an unlock: someone at a laptop left unlocked gets no more
/// guesses here than at the lock screen, and the count is shared with it.
pub fn confirm_passphrase(
    store: &dyn AnchorStore,
    vault: &Vault,
    passphrase: &crate::vault::Passphrase,
) -> Result<()> {
    let id = vault.anchor_key();
    let mut anchor = store.load(id).ok().flatten().unwrap_or_default();
    let now = Utc::now();
    if let Some(wait) = still_waiting(&anchor, now) {
        return Err(wait);
    }
    match vault.check_passphrase(passphrase) {
        Ok(()) => {
            if anchor.failed > 0 {
                anchor.failed = 0;
                anchor.wait_until = None;
                let _ = store.save(id, &anchor);
            }
            Ok(())
        }
        Err(e @ Error::WrongPassphrase) => {
            count_wrong(&mut anchor, now);
            vault.note_counted_while_open();
            let _ = store.save(id, &anchor);
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// The wait still due, as the error an attempt made now gets. Never longer than the longest
/// wait, whatever the clock or the key store says: a clock set back must not lock anyone out.
fn still_waiting(anchor: &Anchor, now: DateTime<Utc>) -> Option<Error> {
    anchor.wait_until.filter(|u| *u > now).map(|until| {
        let left = (until - now).to_std().unwrap_or(MAX_WAIT).min(MAX_WAIT);
        Error::TooManyAttempts {
            seconds: left.as_secs().max(1),
        }
    })
}

/// One more wrong passphrase or recovery key, and the wait it brings.
fn count_wrong(anchor: &mut Anchor, now: DateTime<Utc>) {
    anchor.failed = anchor.failed.saturating_add(1);
    let wait = wait_after(anchor.failed);
    anchor.wait_until = (!wait.is_zero()).then(|| now + wait);
}

/// Unlocks with a passphrase, checked against what this computer remembers: no attempt while
/// the slow-down lasts, a wrong passphrase counted here as well as in the file, and at unlock the
/// file's log must still hold the head last seen here (`Vault::anchor_report` says what is
/// wrong otherwise).
pub fn unlock(
    store: std::sync::Arc<dyn AnchorStore>,
    path: &Path,
    user: Option<&str>,
    passphrase: &Passphrase,
) -> Result<Vault> {
    entered(store, path, |p, check| {
        Vault::unlock_checked(p, user, passphrase, check)
    })
}

/// As `unlock`, with the recovery key.
pub fn recover(
    store: std::sync::Arc<dyn AnchorStore>,
    path: &Path,
    user: &str,
    key: &RecoveryKey,
) -> Result<Vault> {
    entered(store, path, |p, check| {
        Vault::recover_checked(p, user, key, check)
    })
}

/// Why a recovery left the recovery key that was typed in valid (no new one is shown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RecoveryKeyKept {
    /// The audit log is broken: the vault's key cannot change until it has been looked into.
    AuditBroken,
    /// A laptop of a team: its key changes through the team's server, which could not be
    /// reached, or where another laptop's key change is on its way (`sync::team`).
    TeamServer,
}

/// A forgotten passphrase, mended: unlocks with the recovery key as `user`, sets their new
/// passphrase, and replaces the recovery key, changing the vault's key, because the one typed in
/// has now been seen: the old key opens nothing written from now on. The new recovery key is
/// shown once. The app and `silta vault recover` both come here.
///
/// With a broken audit log the vault's key cannot change (`Vault::change_key` says why), but that
/// must not keep the person out of their work: the new passphrase is set, and the old recovery
/// key stays (no new one, `Err` says why) until the log has been looked into. So too on a laptop
/// of a team away from the team's server: the key changes there once it can be reached.
pub fn recover_with_new_passphrase(
    store: std::sync::Arc<dyn AnchorStore>,
    path: &Path,
    user: &str,
    key: &RecoveryKey,
    passphrase: &Passphrase,
    kdf: KdfParams,
) -> Result<(
    Vault,
    std::result::Result<RecoveryKey, RecoveryKeyKept>,
    KeyChange,
)> {
    // Checked before the key is used, so a weak passphrase changes nothing.
    passphrase.check_new()?;
    let mut vault = recover(store, path, user, key)?;
    vault.set_passphrase(user, passphrase, kdf)?;
    match vault.replace_recovery_key() {
        Ok((new_key, change)) => Ok((vault, Ok(new_key), change)),
        Err(
            e @ (Error::AuditBroken(_)
            | Error::TeamKeyChangeNeedsServer(_)
            | Error::TeamKeyBeingChanged(_)
            | Error::TeamKeysDiffer(_)),
        ) => {
            let (kept, why) = match e {
                Error::AuditBroken(why) => (
                    RecoveryKeyKept::AuditBroken,
                    format!("the audit log is broken ({why})"),
                ),
                e => (RecoveryKeyKept::TeamServer, e.to_string()),
            };
            // Kept in the log for good, so that a recovery key left valid this way (a broken log
            // can be provoked without a key) is seen by whoever reads the log later.
            let mut e = audit::Event::new(audit::Action::SettingsChanged);
            e.detail = Some(format!(
                "recovery key used by {user} and NOT replaced: {why}"
            ));
            audit::log(&vault, e)?;
            Ok((
                vault,
                Err(kept),
                KeyChange {
                    gone_from_files: true,
                    ..KeyChange::default()
                },
            ))
        }
        Err(e) => Err(e),
    }
}

/// Creates a vault, remembered on this computer from its first entry on.
pub fn create(
    store: std::sync::Arc<dyn AnchorStore>,
    path: &Path,
    user: &str,
    passphrase: &Passphrase,
    kdf: KdfParams,
) -> Result<(Vault, RecoveryKey)> {
    let (vault, key) = Vault::create(path, user, passphrase, kdf)?;
    Ok((remember_new(store, vault)?, key))
}

/// A vault just made (created, or joined to a team), remembered in `store` as it is now.
pub fn remember_new(store: std::sync::Arc<dyn AnchorStore>, mut vault: Vault) -> Result<Vault> {
    let anchor = Anchor::seen_now(audit::checkpoint(&vault)?);
    let saved = store.save(vault.anchor_key(), &anchor).err();
    vault.anchor_with(store, saved);
    Ok(vault)
}

fn entered(
    store: std::sync::Arc<dyn AnchorStore>,
    path: &Path,
    open: impl FnOnce(&Path, Check<'_>) -> Result<Vault>,
) -> Result<Vault> {
    let id = Vault::anchor_key_at(path)?;
    let kept = store.load(id);
    let mut anchor = kept.clone().ok().flatten().unwrap_or_default();
    let now = Utc::now();
    if let Some(wait) = still_waiting(&anchor, now) {
        return Err(wait);
    }
    let remembered = anchor.head.clone().filter(|_| kept.is_ok());
    let check = |v: &Vault| {
        // The device id the anchor was looked up by is plain text in the file: one changed to
        // another laptop's (or taken away) would look up an anchor that does not watch this
        // file. It must be the one the file's sealed log names (a head that does not open is
        // reported by the unlock itself).
        if v.device().is_ok_and(|device| device != id.device) {
            return Ok(Some(
                "the file names another laptop of its team than its own log does: someone changed it, so this computer cannot tell whether it is an older copy"
                    .to_string(),
            ));
        }
        match &remembered {
            Some(head) => against(v, head, anchor.seen),
            None => Ok(None),
        }
    };
    match open(path, Some(&check)) {
        Ok(mut vault) => {
            let counted = vault.failed_unlocks_in_file();
            if anchor.failed > counted {
                let missing = anchor.failed - counted;
                vault.note_failed_unlocks_missing(missing);
            }
            // A head that does not open is reported by the unlock; the one remembered stays.
            if let (None, Ok(head)) = (vault.rolled_back(), audit::checkpoint(&vault)) {
                anchor.head = head;
                anchor.seen = Some(now);
            }
            anchor.failed = 0;
            anchor.wait_until = None;
            let saved = store.save(id, &anchor);
            vault.anchor_with(store, kept.and(saved).err());
            Ok(vault)
        }
        Err(e @ (Error::WrongPassphrase | Error::WrongRecoveryKey)) => {
            count_wrong(&mut anchor, now);
            // Not remembered is no reason to hide the wrong passphrase.
            let _ = store.save(id, &anchor);
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// The file's log beside the head this computer last saw: `None` when it still holds it.
fn against(
    vault: &Vault,
    head: &Checkpoint,
    seen: Option<DateTime<Utc>>,
) -> Result<Option<String>> {
    let by = match seen {
        Some(at) => format!(
            "this computer, at its last use of the vault ({}),",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        None => "this computer, at its last use of the vault,".to_string(),
    };
    Ok(audit::against_checkpoint(vault, head, &by)?
        .map(|why| format!("{why}; once whoever is responsible has found out why (a backup put back on purpose, say), `silta audit accept-rollback` makes this computer remember the file as it is")))
}

/// After the log was found older than this computer last saw it, and someone with a passphrase
/// found out why: the head of the file as it is now becomes the one remembered, and the log
/// says so.
pub fn accept(vault: &mut Vault) -> Result<()> {
    let Some(why) = vault.rolled_back().map(str::to_string) else {
        return Err(Error::invalid(
            "the vault is not older than this computer last saw it: there is nothing to accept",
        ));
    };
    let mut e = audit::Event::new(audit::Action::SettingsChanged);
    e.detail = Some(format!(
        "accepted that the vault file is not the one this computer last saw: {why}"
    ));
    audit::log(vault, e)?;
    vault.accept_rollback()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RecordId;

    #[test]
    fn three_wrong_passphrases_are_free_then_the_wait_doubles_up_to_a_minute() {
        assert_eq!(wait_after(2), Duration::ZERO);
        assert_eq!(wait_after(3), Duration::from_secs(1));
        assert_eq!(wait_after(4), Duration::from_secs(2));
        assert_eq!(wait_after(8), Duration::from_secs(32));
        assert_eq!(wait_after(9), Duration::from_secs(60));
        assert_eq!(wait_after(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn remembered_anchors_hold_while_the_store_behind_is_missing() {
        let store = Remembered::new(Nowhere);
        let id: AnchorKey = VaultId::new().into();
        assert!(
            store.load(id).is_err(),
            "nothing kept yet, and nowhere to keep it"
        );
        let anchor = Anchor {
            failed: 2,
            ..Anchor::default()
        };
        assert!(
            store.save(id, &anchor).is_err(),
            "says it was not kept behind"
        );
        assert_eq!(store.load(id), Ok(Some(anchor)));
    }

    /// A key store whose entries someone can clear from outside the app.
    #[derive(Default)]
    struct Clearable(InMemory);

    impl AnchorStore for &Clearable {
        fn load(&self, vault: AnchorKey) -> std::result::Result<Option<Anchor>, String> {
            self.0.load(vault)
        }
        fn save(&self, vault: AnchorKey, anchor: &Anchor) -> std::result::Result<(), String> {
            self.0.save(vault, anchor)
        }
    }

    #[test]
    fn a_count_cleared_in_the_key_store_from_outside_stands_while_the_app_runs() {
        let behind = Clearable::default();
        let store = Remembered::new(&behind);
        let id: AnchorKey = VaultId::new().into();
        let at = Utc::now();
        let counted = Anchor {
            seen: Some(at),
            failed: 4,
            wait_until: Some(at + chrono::Duration::seconds(30)),
            ..Anchor::default()
        };
        store.save(id, &counted).unwrap();
        behind.0.kept().clear();
        assert_eq!(store.load(id), Ok(Some(counted.clone())));
        // An older entry put back (count 0): the higher count stands, the rest is the store's.
        let older = Anchor {
            seen: Some(at - chrono::Duration::hours(1)),
            ..Anchor::default()
        };
        behind.0.save(id, &older).unwrap();
        let loaded = store.load(id).unwrap().unwrap();
        assert_eq!(loaded.failed, 4);
        assert_eq!(loaded.wait_until, counted.wait_until);
        assert_eq!(loaded.seen, older.seen);
        // The same count behind: the store's own wait stands (nothing of this run is lost).
        let same = Anchor {
            wait_until: None,
            ..counted.clone()
        };
        behind.0.save(id, &same).unwrap();
        assert_eq!(store.load(id).unwrap().unwrap().wait_until, None);
        // A higher count behind (guesses at the CLI) stands as it is.
        let more = Anchor {
            failed: 6,
            ..counted.clone()
        };
        behind.0.save(id, &more).unwrap();
        assert_eq!(store.load(id).unwrap().unwrap().failed, 6);
        // An unlock since, elsewhere (the CLI), reset it: that newer word is taken.
        let unlocked = Anchor {
            seen: Some(at + chrono::Duration::seconds(5)),
            ..Anchor::default()
        };
        behind.0.save(id, &unlocked).unwrap();
        assert_eq!(store.load(id), Ok(Some(unlocked)));
    }
}
