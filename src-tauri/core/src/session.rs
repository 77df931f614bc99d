//! A working session of the desktop app: the unlocked vault, its in-memory search index, the
//! slow-down after failed unlocks, and the idle time after which everything is dropped again.
//! The app's commands are thin calls into this; it knows nothing of windows or IPC.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::Serialize;

use crate::anchor::{self, AnchorStore};
use crate::audit;
use crate::cases::{self, CaseInput, CaseOverview, CaseView};
use crate::demo;
use crate::error::{Error, Result};
use crate::ids::CaseId;
use crate::search::SearchIndex;
use crate::vault::{Damaged, KdfParams, KeyChange, Passphrase, RecoveryKey, Vault};

/// What the app shows before anything is unlocked.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Status {
    /// The training vault of invented people is open instead of the real one.
    pub demo: bool,
    pub vault_exists: bool,
    pub users: Vec<String>,
    pub unlocked: bool,
    pub user: Option<String>,
    /// Checked at unlock: what is wrong with the audit log, if anything.
    pub audit_broken: Option<String>,
    /// Records that do not open (altered or damaged): their cases are left out of the list, and
    /// everything else works.
    pub damaged: Vec<Damaged>,
    /// The vault file is older than this computer last saw it (`anchor`): the banner offers
    /// to accept it once someone has found out why.
    pub rolled_back: bool,
    /// Whether this computer remembers the vault outside its file (the operating system's key
    /// store), so that a whole file put back to an older copy is seen at unlock.
    pub anchor_kept: bool,
}

/// The audit log as the window shows it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditLog {
    pub entries: Vec<audit::Entry>,
    /// The number of each case the entries name; an erased case has none.
    pub case_numbers: std::collections::BTreeMap<CaseId, crate::model::CaseNumber>,
}

/// What a recovery gives back.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Recovered {
    /// The new recovery key, shown once; none when the vault's key could not change, so the
    /// old recovery key still holds (`kept` says why).
    pub recovery_key: Option<String>,
    /// Why the old recovery key still holds, when it does.
    pub kept: Option<anchor::RecoveryKeyKept>,
    pub change: KeyChanged,
}

/// What a change of the vault's key did beyond it, for the window to say.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyChanged {
    /// Staff whose access was from before key epochs: they must be added again.
    pub must_be_added_again: Vec<String>,
    /// A new recovery key (the old one could not be kept), shown once.
    pub new_recovery_key: Option<String>,
    /// False when another Silta has the vault open, so the old slots are still in its files.
    pub gone_from_files: bool,
}

impl From<KeyChange> for KeyChanged {
    fn from(change: KeyChange) -> KeyChanged {
        KeyChanged {
            must_be_added_again: change.must_be_added_again,
            new_recovery_key: change
                .new_recovery_key
                .as_ref()
                .map(|k| k.as_str().to_string()),
            gone_from_files: change.gone_from_files,
        }
    }
}

/// What the first run asks besides the staff member and the passphrase.
#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Setup {
    /// Shown to those who receive the organisation's referrals.
    pub organisation: String,
    /// Closed cases are due for erasure this many years after closing; no default pretends to
    /// be the law.
    pub retention_years: u32,
}

struct Unlocked {
    vault: Vault,
    index: SearchIndex,
    audit: audit::AuditReport,
    damaged: Vec<Damaged>,
}

impl Unlocked {
    /// Builds the search index of the case list again, and notes what it had to leave out.
    fn reindex(&mut self) -> Result<()> {
        let listing = cases::listing(&self.vault)?;
        self.index = SearchIndex::build(listing.cases);
        self.damaged = listing.damaged;
        Ok(())
    }
}

/// How many invented people the training vault holds: about a hundred a year over four years,
/// enough that its statistics show counts at CTDC's minimum of 11 beside suppressed ones.
const DEMO_CASES: usize = 400;

pub struct Session {
    vault_path: PathBuf,
    demo_path: PathBuf,
    demo: bool,
    kdf: KdfParams,
    unlocked: Option<Unlocked>,
    anchors: Arc<dyn AnchorStore>,
    last_activity: Instant,
    idle_limit: Duration,
    /// The device key of this laptop while it waits to join a team (`make_device_key`): held
    /// in memory only, never written; if the app closes first, the laptop makes another.
    joining: Option<age::x25519::Identity>,
    /// The vault was made by joining a team in this session and nothing was done in it since,
    /// not even a lock: the only time it may be set aside (`set_aside_joined`), before it holds
    /// anyone's work.
    just_joined: bool,
}

/// A laptop's device key, as it is read out and sent to the member who enrols it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceKeyView {
    /// `age1…+` and the signing key (`sync::signing::PublicDeviceKey`): not secret; the member
    /// pastes it.
    pub key: String,
    /// What is read out by phone, so that the member knows the key is this laptop's.
    pub fingerprint: String,
}

/// What joining a team gives: the recovery key, shown once, and the team fingerprint to read
/// back to the member who made the enrolment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JoinedView {
    pub recovery_key: String,
    pub team_fingerprint: String,
}

impl Session {
    /// A session over the vault in `data_dir` (and, for training, the demo vault beside it),
    /// remembered outside the file in `anchors` (`anchor::OsKeyStore` in the app).
    pub fn new(data_dir: &Path, kdf: KdfParams, anchors: Arc<dyn AnchorStore>) -> Session {
        Session {
            vault_path: data_dir.join("vault.silta"),
            demo_path: data_dir.join("demo.silta"),
            demo: false,
            kdf,
            unlocked: None,
            anchors,
            last_activity: Instant::now(),
            idle_limit: Duration::from_secs(5 * 60),
            joining: None,
            just_joined: false,
        }
    }

    /// Makes this laptop's device key, to join a team instead of creating a vault (docs/sync.md,
    /// section 5): kept in memory until `join_team`.
    pub fn make_device_key(&mut self) -> Result<DeviceKeyView> {
        if self.demo || self.path().exists() {
            return Err(Error::invalid(
                "this laptop has a vault already: a laptop joins a team only before its vault is made",
            ));
        }
        let identity = age::x25519::Identity::generate();
        let key = crate::sync::signing::PublicDeviceKey::of(&identity)?;
        self.joining = Some(identity);
        Ok(DeviceKeyView {
            key: key.to_string(),
            fingerprint: key.fingerprint(),
        })
    }

    /// Makes this laptop's vault from the enrolment at `package`, opened with the device key
    /// `make_device_key` made, and unlocks it as `user`.
    pub fn join_team(
        &mut self,
        user: &str,
        passphrase: &Passphrase,
        package: &Path,
    ) -> Result<JoinedView> {
        let identity = self.joining.as_ref().ok_or_else(|| {
            Error::invalid(
                "make this laptop's device key first, and have a member make its enrolment with it",
            )
        })?;
        if self.demo || self.path().exists() {
            return Err(Error::invalid(
                "this laptop has a vault already: a laptop joins a team only before its vault is made",
            ));
        }
        let joined = crate::sync::enrolment::join(
            self.path(),
            user,
            passphrase,
            self.kdf,
            package,
            identity,
        )?;
        self.joining = None;
        let vault = anchor::remember_new(self.anchors.clone(), joined.vault)?;
        self.open(vault)?;
        self.just_joined = true;
        Ok(JoinedView {
            recovery_key: joined.recovery.as_str().to_string(),
            team_fingerprint: joined.team_fingerprint,
        })
    }

    /// Sets aside the vault this laptop has just joined, when the team fingerprint read back
    /// differs from the one the member's Silta shows: the enrolment was not the member's, and
    /// whatever this laptop wrote would go to a stranger's team (docs/sync.md, section 5). The
    /// file is renamed, not deleted, so that the administrator can look at it and nothing is
    /// lost if the fingerprint was misheard; the laptop is back at its first start. Only right
    /// after joining, before anything is done in the vault or it is locked: later it may hold
    /// the caseworker's work.
    pub fn set_aside_joined(&mut self) -> Result<PathBuf> {
        if !self.just_joined || self.unlocked.is_none() {
            return Err(Error::InvalidInput(crate::error::Invalid::JoinedVaultInUse));
        }
        let at = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        let aside = self
            .vault_path
            .with_file_name(format!("not-our-team-{at}.silta"));
        // SQLite's own files beside the vault go with it: left behind, they would be taken for
        // those of the next vault made here.
        let beside = |path: &Path, suffix: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        };
        let moves = ["", "-wal", "-shm"]
            .map(|suffix| (beside(&self.vault_path, suffix), beside(&aside, suffix)));
        if let Some((_, taken)) = moves.iter().find(|(_, to)| to.exists()) {
            return Err(Error::InvalidInput(
                crate::error::Invalid::SetAsideNameTaken {
                    file: taken.display().to_string(),
                },
            ));
        }
        // Closed first, so that SQLite has written its log back into the file.
        self.lock();
        let mut moved = Vec::new();
        for (from, to) in moves.into_iter().filter(|(from, _)| from.exists()) {
            if let Err(source) = std::fs::rename(&from, &to) {
                // Put back what went, so that the vault stays whole where it was.
                for (from, to) in moved.iter().rev() {
                    let _ = std::fs::rename(to, from);
                }
                return Err(Error::Io {
                    action: "rename",
                    path: from,
                    source,
                });
            }
            moved.push((from, to));
        }
        Ok(aside)
    }

    fn path(&self) -> &Path {
        if self.demo {
            &self.demo_path
        } else {
            &self.vault_path
        }
    }

    /// The folder of the organisation's information texts: beside the vault file.
    pub fn information_folder(&self) -> PathBuf {
        crate::information::Library::folder_beside(&self.vault_path)
    }

    /// The information texts on offer: shipped, and the organisation's own.
    pub fn information(&self) -> crate::information::Library {
        crate::information::Library::load(Some(&self.information_folder()))
    }

    pub fn status(&self) -> Result<Status> {
        let vault_exists = self.path().exists();
        Ok(Status {
            demo: self.demo,
            vault_exists,
            users: if vault_exists {
                Vault::users(self.path())?
            } else {
                Vec::new()
            },
            unlocked: self.unlocked.is_some(),
            user: self.unlocked.as_ref().map(|u| u.vault.user().to_string()),
            audit_broken: self.unlocked.as_ref().and_then(|u| u.audit.broken.clone()),
            damaged: self
                .unlocked
                .as_ref()
                .map(|u| u.damaged.clone())
                .unwrap_or_default(),
            rolled_back: self
                .unlocked
                .as_ref()
                .is_some_and(|u| u.vault.rolled_back().is_some()),
            anchor_kept: self
                .unlocked
                .as_ref()
                .is_some_and(|u| self.demo || u.vault.anchor_missing().is_none()),
        })
    }

    /// Creates the vault and unlocks it; returns the recovery key to be shown once.
    pub fn create(
        &mut self,
        user: &str,
        passphrase: &Passphrase,
        setup: &Setup,
    ) -> Result<RecoveryKey> {
        crate::model::check_text("organisation's name", &setup.organisation, 200)?;
        if !(1..=100).contains(&setup.retention_years) {
            return Err(Error::invalid(
                "say how many years closed cases are kept (1 to 100): your organisation decides",
            ));
        }
        let (vault, key) = anchor::create(
            self.anchors.clone(),
            self.path(),
            user,
            passphrase,
            self.kdf,
        )?;
        crate::org::set_up(&vault, &setup.organisation)?;
        crate::retention::set_policy(&vault, setup.retention_years)?;
        self.open(vault)?;
        Ok(key)
    }

    /// Unlocks; after a few failures each further attempt must wait longer
    /// (`Error::TooManyAttempts`), also after the app is started again (`anchor::unlock`).
    pub fn unlock(&mut self, user: Option<&str>, passphrase: &Passphrase) -> Result<()> {
        let vault = anchor::unlock(self.anchors.clone(), self.path(), user, passphrase)?;
        self.open(vault)
    }

    /// A forgotten passphrase, from the lock screen: the recovery key opens the vault as
    /// `user`, who sets a new passphrase; the recovery key is replaced and the new one returned,
    /// to be shown once (`anchor::recover_with_new_passphrase`).
    pub fn recover(
        &mut self,
        user: &str,
        key: &RecoveryKey,
        passphrase: &Passphrase,
    ) -> Result<Recovered> {
        let (vault, new_key, change) = anchor::recover_with_new_passphrase(
            self.anchors.clone(),
            self.path(),
            user,
            key,
            passphrase,
            self.kdf,
        )?;
        self.open(vault)?;
        Ok(Recovered {
            recovery_key: new_key.as_ref().ok().map(|k| k.as_str().to_string()),
            kept: new_key.err(),
            change: KeyChanged::from(change),
        })
    }

    /// The vault, for a change of who may open it: the unlocked staff member's passphrase is
    /// asked again, so that someone at a laptop left unlocked cannot change it, add themself or
    /// remove others. The training vault's one public passphrase is not changed.
    fn reauthenticated(&mut self, current: &Passphrase) -> Result<&mut Vault> {
        if self.demo {
            return Err(Error::InvalidInput(crate::error::Invalid::NotInDemo));
        }
        let anchors = self.anchors.clone();
        let vault = &mut self.unlocked()?.vault;
        anchor::confirm_passphrase(anchors.as_ref(), vault, current)?;
        Ok(vault)
    }

    /// Changes the unlocked staff member's own passphrase; their current one is asked again.
    pub fn change_passphrase(&mut self, current: &Passphrase, new: &Passphrase) -> Result<()> {
        new.check_new()?;
        let kdf = self.kdf;
        let vault = self.reauthenticated(current)?;
        vault.set_passphrase(vault.user(), new, kdf)
    }

    /// Adds a colleague, who types their own passphrase on this laptop; the staff member who
    /// adds them confirms with their own (`current`).
    pub fn add_colleague(
        &mut self,
        current: &Passphrase,
        name: &str,
        passphrase: &Passphrase,
    ) -> Result<()> {
        passphrase.check_new()?;
        let kdf = self.kdf;
        self.reauthenticated(current)?
            .add_user(name, passphrase, kdf)
    }

    /// Removes a colleague: the vault's key changes, so what is written from now on does not
    /// open for them, even from a copy of the file (`Vault::remove_user`). The staff member who
    /// removes them confirms with their own passphrase (`current`).
    pub fn remove_colleague(&mut self, current: &Passphrase, name: &str) -> Result<KeyChanged> {
        let vault = self.reauthenticated(current)?;
        if name == vault.user() {
            // Removing oneself would lock the person at the keyboard out of the vault they are
            // in; a colleague removes them instead.
            return Err(Error::InvalidInput(crate::error::Invalid::RemovingYourself));
        }
        Ok(KeyChanged::from(vault.remove_user(name)?))
    }

    /// A new recovery key, shown once, in place of one that was seen, lost or kept by someone
    /// who left: the vault's key changes, so the old recovery key opens nothing written from now
    /// on (`Vault::replace_recovery_key`). The staff member confirms with their own passphrase.
    pub fn replace_recovery_key(&mut self, current: &Passphrase) -> Result<Recovered> {
        let (key, change) = self.reauthenticated(current)?.replace_recovery_key()?;
        Ok(Recovered {
            recovery_key: Some(key.as_str().to_string()),
            kept: None,
            change: KeyChanged::from(change),
        })
    }

    fn open(&mut self, vault: Vault) -> Result<()> {
        let listing = cases::listing(&vault)?;
        // A broken log does not stop the work, but the window says so loudly.
        let audit = vault.audit_report().clone();
        self.unlocked = Some(Unlocked {
            vault,
            index: SearchIndex::build(listing.cases),
            audit,
            damaged: listing.damaged,
        });
        self.last_activity = Instant::now();
        Ok(())
    }

    /// Locks the real vault and opens the training vault of invented people instead, making and
    /// filling it the first time. Its passphrase is public: it never holds real data.
    pub fn open_demo(&mut self, today: NaiveDate) -> Result<()> {
        self.lock();
        self.demo = true;
        let pass = Passphrase::new(demo::DEMO_PASSPHRASE);
        let vault = if self.demo_path.exists() {
            Vault::unlock(&self.demo_path, None, &pass)?
        } else {
            let (vault, _) = Vault::create(&self.demo_path, "Demo", &pass, KdfParams::MINIMUM)?;
            crate::scenarios::load_all(&vault, today)?;
            demo::fill(&vault, DEMO_CASES, 1, today)?;
            vault
        };
        self.open(vault)
    }

    /// Locks the training vault and goes back to the real one (locked).
    pub fn leave_demo(&mut self) {
        self.lock();
        self.demo = false;
    }

    /// Drops the keys and the index at once.
    pub fn lock(&mut self) {
        self.unlocked = None;
        self.just_joined = false;
    }

    pub fn is_unlocked(&self) -> bool {
        self.unlocked.is_some()
    }

    pub fn set_idle_limit(&mut self, limit: Duration) -> Result<()> {
        if limit < Duration::from_secs(30) || limit > Duration::from_secs(8 * 3600) {
            return Err(Error::invalid(
                "the automatic lock must come after 30 seconds to 8 hours",
            ));
        }
        self.idle_limit = limit;
        Ok(())
    }

    /// Locks if nothing happened for longer than the idle limit; true if it locked now.
    pub fn lock_if_idle(&mut self, now: Instant) -> bool {
        if self.unlocked.is_some() && now.duration_since(self.last_activity) >= self.idle_limit {
            self.lock();
            return true;
        }
        false
    }

    /// The user did something: the idle clock starts again.
    pub fn touch(&mut self) {
        self.last_activity = Instant::now();
    }

    fn unlocked(&mut self) -> Result<&mut Unlocked> {
        self.last_activity = Instant::now();
        // Anything done in the vault after joining (the joining screens themselves use none of
        // it) ends the time it may be set aside: it may hold someone's work from then on.
        self.just_joined = false;
        self.unlocked.as_mut().ok_or(Error::Locked)
    }

    pub fn search(&mut self, query: &str, limit: usize) -> Result<Vec<CaseOverview>> {
        let u = self.unlocked()?;
        Ok(u.index.search(query, limit).into_iter().cloned().collect())
    }

    pub fn new_case(&mut self, input: CaseInput, today: NaiveDate) -> Result<CaseView> {
        let u = self.unlocked()?;
        let view = cases::open_new(&u.vault, input, today)?;
        u.reindex()?;
        Ok(view)
    }

    /// Saves a new version of the person and/or case details, and re-indexes the names.
    pub fn edit_case(
        &mut self,
        id: CaseId,
        input: CaseInput,
        today: NaiveDate,
    ) -> Result<CaseView> {
        let u = self.unlocked()?;
        let view = cases::edit(&u.vault, id, input, today)?;
        u.reindex()?;
        Ok(view)
    }

    pub fn case(&mut self, id: CaseId, today: NaiveDate) -> Result<CaseView> {
        let u = self.unlocked()?;
        cases::view(&u.vault, id, today)
    }

    /// The audit log, oldest first (optionally from `since` on), with the number of every case
    /// it names that is still in the vault, so the window can say "case 2026-0042", not an id.
    pub fn audit_log(&mut self, since: Option<NaiveDate>) -> Result<AuditLog> {
        let u = self.unlocked()?;
        let entries = audit::list(&u.vault, None, since)?;
        let case_numbers = entries
            .iter()
            .filter_map(|e| e.case)
            .filter_map(|id| u.index.get(id).map(|c| (id, c.number)))
            .collect();
        Ok(AuditLog {
            entries,
            case_numbers,
        })
    }

    /// The unlocked vault, for operations that need nothing else of the session.
    /// The vault file was found older than this computer last saw it, and someone found out
    /// why: it is remembered as it is now, and the log says who accepted it.
    pub fn accept_rollback(&mut self) -> Result<()> {
        let u = self.unlocked()?;
        anchor::accept(&mut u.vault)?;
        u.audit = u.vault.audit_report().clone();
        Ok(())
    }

    pub fn vault(&mut self) -> Result<&Vault> {
        Ok(&self.unlocked()?.vault)
    }

    /// Team sync (`sync::sync`); the case list then shows what other laptops wrote (cases they
    /// opened, erased or changed).
    pub fn sync(&mut self) -> Result<crate::sync::Synced> {
        let u = self.unlocked()?;
        let synced = crate::sync::sync(&mut u.vault);
        // Whatever was taken before an error (two different keys reported after the push) is
        // in the file: the list shows it either way, and the sync's own error comes first.
        let listed = u.reindex();
        let synced = synced?;
        listed?;
        Ok(synced)
    }

    /// Sets the team sync server (`sync::configure`), confirmed with the staff member's own
    /// passphrase, as for adding a laptop: whoever sets it decides where every sealed record
    /// goes at the next sync, and someone at a laptop left unlocked could point it at theirs.
    pub fn set_sync_server(
        &mut self,
        current: &Passphrase,
        server: crate::sync::SyncServer,
    ) -> Result<Option<crate::sync::ServerView>> {
        let vault = self.reauthenticated(current)?;
        crate::sync::configure(vault, server)?;
        crate::sync::view(vault)
    }

    /// Adds a laptop to the team (`sync::enrolment::enrol_laptop`); the staff member confirms
    /// with their own passphrase, as for a colleague: whoever holds the enrolment reads the team.
    pub fn enrol_laptop(
        &mut self,
        current: &Passphrase,
        (device_key, fingerprint): (&str, &str),
        (login, password): (&str, &str),
        out: &Path,
    ) -> Result<String> {
        let vault = self.reauthenticated(current)?;
        crate::sync::enrolment::enrol_laptop(vault, device_key, fingerprint, (login, password), out)
    }

    /// Removes a laptop from the team (`sync::team::remove`: `login`, its server user or its
    /// fingerprint), confirmed with the staff member's own passphrase; the case list then shows
    /// what the removal's pull took.
    pub fn remove_team_laptop(
        &mut self,
        current: &Passphrase,
        login: &str,
        admin: &crate::sync::team::ServerAdmin,
    ) -> Result<crate::sync::team::Removed> {
        let vault = self.reauthenticated(current)?;
        let removed = crate::sync::team::remove(vault, login, admin)?;
        self.unlocked()?.reindex()?;
        Ok(removed)
    }

    /// Rebuilds the search index after a case's own record changed.
    pub fn case_changed(&mut self) -> Result<()> {
        let u = self.unlocked()?;
        u.reindex()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Invalid;

    fn setup() -> Setup {
        Setup {
            organisation: "Pro-tukipiste".into(),
            retention_years: 5,
        }
    }

    fn session() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(anchor::Remembered::new(anchor::Nowhere));
        let s = Session::new(dir.path(), KdfParams::CHEAP_FOR_TESTS, store);
        (dir, s)
    }

    /// A vault on another laptop, whose member enrols this one.
    fn member_of_a_team() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let (member, _) = Vault::create(
            &dir.path().join("member.silta"),
            "Kaisa",
            &Passphrase::new("correct horse battery"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
        (dir, member)
    }

    fn example_server() -> crate::sync::SyncServer {
        crate::sync::SyncServer {
            url: "https://sync.example.org".into(),
            database: "team".into(),
            user: "laptop-1".into(),
            password: "pw".into(),
        }
    }

    #[test]
    fn the_sync_server_is_set_only_with_the_passphrase_and_never_in_the_training_vault() {
        let (_dir, mut s) = session();
        let mine = Passphrase::new("right passphrase");
        s.create("Kaisa", &mine, &setup()).unwrap();
        let wrong = s.set_sync_server(&Passphrase::new("wrong passphrase"), example_server());
        assert!(matches!(wrong, Err(Error::WrongPassphrase)), "{wrong:?}");
        assert!(crate::sync::view(s.vault().unwrap()).unwrap().is_none());
        let set = s.set_sync_server(&mine, example_server()).unwrap().unwrap();
        assert_eq!(
            (set.url.as_str(), set.user.as_str()),
            ("https://sync.example.org", "laptop-1")
        );
        // Pointed elsewhere on a wrong passphrase, it stays where it was.
        let mut elsewhere = example_server();
        elsewhere.url = "https://attacker.example.com".into();
        assert!(
            s.set_sync_server(&Passphrase::new("wrong passphrase"), elsewhere.clone())
                .is_err()
        );
        let kept = crate::sync::view(s.vault().unwrap()).unwrap().unwrap();
        assert_eq!(kept.url, "https://sync.example.org");
        s.open_demo(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap())
            .unwrap();
        let demo = s.set_sync_server(&Passphrase::new(crate::demo::DEMO_PASSPHRASE), elsewhere);
        assert!(
            matches!(demo, Err(Error::InvalidInput(Invalid::NotInDemo))),
            "{demo:?}"
        );
    }

    #[test]
    fn a_laptop_is_added_to_the_team_only_with_the_passphrase_and_the_file_written() {
        let (dir, mut s) = session();
        let mine = Passphrase::new("right passphrase");
        s.create("Kaisa", &mine, &setup()).unwrap();
        s.set_sync_server(&mine, example_server()).unwrap();
        let key =
            crate::sync::signing::PublicDeviceKey::of(&age::x25519::Identity::generate()).unwrap();
        let print = key.fingerprint();
        let key = key.to_string();
        let out = dir.path().join("enrolment.age");
        let laptops = |s: &mut Session| {
            crate::sync::team::devices(s.vault().unwrap())
                .unwrap()
                .len()
        };
        let wrong = s.enrol_laptop(
            &Passphrase::new("wrong passphrase"),
            (&key, &print),
            ("laptop-2", "pw2"),
            &out,
        );
        assert!(matches!(wrong, Err(Error::WrongPassphrase)), "{wrong:?}");
        assert!(!out.exists());
        // A file already there is never overwritten, and then no laptop is listed.
        std::fs::write(&out, b"someone's file").unwrap();
        assert!(
            s.enrol_laptop(&mine, (&key, &print), ("laptop-2", "pw2"), &out)
                .is_err()
        );
        assert_eq!(laptops(&mut s), 0);
        assert_eq!(std::fs::read(&out).unwrap(), b"someone's file");
        std::fs::remove_file(&out).unwrap();
        s.enrol_laptop(&mine, (&key, &print), ("laptop-2", "pw2"), &out)
            .unwrap();
        assert!(out.exists());
        assert_eq!(laptops(&mut s), 2, "this laptop and the new one");
    }

    #[test]
    fn a_vault_joined_from_someone_elses_enrolment_is_set_aside_whole_and_the_laptop_starts_again()
    {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(anchor::InMemory::default());
        let mut s = Session::new(dir.path(), KdfParams::CHEAP_FOR_TESTS, store);
        let new = Passphrase::new("another horse battery staple");
        let (_member_dir, member) = member_of_a_team();
        let join = |s: &mut Session| {
            let key = s.make_device_key().unwrap();
            let package = dir.path().join("enrolment.age");
            crate::sync::enrolment::enrol_to_file(
                &member,
                &key.key,
                &key.fingerprint,
                example_server(),
                &package,
            )
            .unwrap();
            s.join_team("Mikko", &new, &package).unwrap();
        };
        // Refused as not just joined (not because a file of that name is there already).
        let refused = |s: &mut Session| {
            assert!(matches!(
                s.set_aside_joined(),
                Err(Error::InvalidInput(crate::error::Invalid::JoinedVaultInUse))
            ));
        };
        refused(&mut s);
        join(&mut s);
        // A file already at the name it would take (another set aside the same second) is
        // said in words, and nothing moves: the vault stays open where it was.
        let now = chrono::Utc::now();
        let taken: Vec<PathBuf> = (0..5)
            .map(|s| {
                let at = now + chrono::Duration::seconds(s);
                dir.path()
                    .join(format!("not-our-team-{}.silta", at.format("%Y%m%dT%H%M%S")))
            })
            .collect();
        for file in &taken {
            std::fs::write(file, b"another").unwrap();
        }
        assert!(matches!(
            s.set_aside_joined(),
            Err(Error::InvalidInput(
                crate::error::Invalid::SetAsideNameTaken { .. }
            ))
        ));
        assert!(s.is_unlocked());
        for file in &taken {
            assert_eq!(std::fs::read(file).unwrap(), b"another");
            std::fs::remove_file(file).unwrap();
        }
        let aside = s.set_aside_joined().unwrap();
        assert!(!s.is_unlocked());
        assert!(!s.status().unwrap().vault_exists, "back at the first start");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n.starts_with("vault.silta")),
            "nothing of it left where the next vault goes: {names:?}"
        );
        // Kept whole, for the administrator: it opens, as the vault it was.
        let kept = Vault::unlock(&aside, Some("Mikko"), &new).unwrap();
        assert_eq!(kept.id(), member.id());
        drop(kept);
        // The laptop joins again; a vault it has locked since, or done anything in, is never
        // set aside.
        join(&mut s);
        s.lock();
        s.unlock(Some("Mikko"), &new).unwrap();
        refused(&mut s);
        s.lock();
        for file in ["vault.silta", "vault.silta-wal", "vault.silta-shm"] {
            let _ = std::fs::remove_file(dir.path().join(file));
        }
        join(&mut s);
        s.search("Aino", 10).unwrap();
        refused(&mut s);
        assert!(s.status().unwrap().vault_exists);
    }

    #[test]
    fn an_enrolment_is_made_only_on_the_fingerprint_read_out_and_opens_only_for_the_laptop_it_is_for()
     {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(anchor::InMemory::default());
        let mut s = Session::new(dir.path(), KdfParams::CHEAP_FOR_TESTS, store.clone());
        let (_member_dir, member) = member_of_a_team();
        let key = s.make_device_key().unwrap();
        let package = dir.path().join("enrolment.age");
        let misread = "0000 0000 0000 0000 0000 0000 0000 0000";
        assert!(matches!(
            crate::sync::enrolment::enrol_to_file(
                &member,
                &key.key,
                misread,
                example_server(),
                &package
            ),
            Err(Error::DeviceFingerprintMismatch)
        ));
        assert!(!package.exists(), "no enrolment made");
        // One made for another laptop (or for a key lost when Silta was closed) says so.
        let elsewhere = tempfile::tempdir().unwrap();
        let mut other = Session::new(elsewhere.path(), KdfParams::CHEAP_FOR_TESTS, store);
        let other_key = other.make_device_key().unwrap();
        crate::sync::enrolment::enrol_to_file(
            &member,
            &other_key.key,
            &other_key.fingerprint,
            example_server(),
            &package,
        )
        .unwrap();
        let new = Passphrase::new("another horse battery staple");
        assert!(matches!(
            s.join_team("Mikko", &new, &package),
            Err(Error::EnrolmentUnusable(_))
        ));
        assert!(!s.status().unwrap().vault_exists, "nothing made");
    }

    #[test]
    fn a_laptop_joins_a_team_with_a_device_key_held_in_memory_until_then() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(anchor::InMemory::default());
        let mut s = Session::new(dir.path(), KdfParams::CHEAP_FOR_TESTS, store);
        let package = dir.path().join("enrolment.age");
        let new = Passphrase::new("another horse battery staple");
        let err = s.join_team("Mikko", &new, &package).unwrap_err();
        assert!(err.to_string().contains("device key first"), "{err}");
        let key = s.make_device_key().unwrap();
        let (_member_dir, member) = member_of_a_team();
        let server = crate::sync::SyncServer {
            url: "https://sync.example.org".into(),
            database: "team".into(),
            user: "laptop-2".into(),
            password: "pw".into(),
        };
        crate::sync::enrolment::enrol_to_file(
            &member,
            &key.key,
            &key.fingerprint,
            server.clone(),
            &package,
        )
        .unwrap();
        let joined = s.join_team("Mikko", &new, &package).unwrap();
        assert_eq!(
            joined.team_fingerprint,
            crate::sync::enrolment::team_fingerprint(&member, &server).unwrap()
        );
        assert!(!joined.recovery_key.is_empty());
        let status = s.status().unwrap();
        assert!(status.unlocked && status.anchor_kept, "{status:?}");
        assert_eq!(s.vault().unwrap().id(), member.id(), "the team's vault");
        assert!(!package.exists(), "the enrolment goes once used");
        assert!(
            s.make_device_key().is_err(),
            "a laptop with a vault joins no team"
        );
    }

    #[test]
    fn repeated_wrong_passphrases_slow_down_even_after_a_restart() {
        let (d, mut s) = session();
        s.create("Kaisa", &Passphrase::new("right passphrase"), &setup())
            .unwrap();
        s.lock();
        for _ in 0..3 {
            assert!(matches!(
                s.unlock(None, &Passphrase::new("wrong one")),
                Err(Error::WrongPassphrase)
            ));
        }
        // Even the right passphrase must wait now, and so it must in an app started again.
        assert!(matches!(
            s.unlock(None, &Passphrase::new("right passphrase")),
            Err(Error::TooManyAttempts { .. })
        ));
        let mut restarted = Session::new(d.path(), KdfParams::CHEAP_FOR_TESTS, s.anchors.clone());
        assert!(matches!(
            restarted.unlock(None, &Passphrase::new("right passphrase")),
            Err(Error::TooManyAttempts { .. })
        ));
        let id = Vault::anchor_key_at(&d.path().join("vault.silta")).unwrap();
        let mut kept = s.anchors.load(id).unwrap().unwrap();
        assert_eq!(kept.failed, 3);
        kept.wait_until = None;
        s.anchors.save(id, &kept).ok();
        restarted
            .unlock(None, &Passphrase::new("right passphrase"))
            .unwrap();
        assert_eq!(s.anchors.load(id).unwrap().unwrap().failed, 0);
    }

    #[test]
    fn a_new_recovery_key_is_made_on_the_own_passphrase_and_the_old_one_no_longer_opens() {
        let (_d, mut s) = session();
        let old = s
            .create("Kaisa", &Passphrase::new("right passphrase"), &setup())
            .unwrap();
        assert!(matches!(
            s.replace_recovery_key(&Passphrase::new("a guess")),
            Err(Error::WrongPassphrase)
        ));
        let made = s
            .replace_recovery_key(&Passphrase::new("right passphrase"))
            .unwrap();
        let new = RecoveryKey::parse(made.recovery_key.as_deref().unwrap()).unwrap();
        assert_ne!(new.as_str(), old.as_str());
        s.lock();
        assert!(matches!(
            s.recover("Kaisa", &old, &Passphrase::new("taken over by the old key")),
            Err(Error::WrongRecoveryKey)
        ));
        s.recover("Kaisa", &new, &Passphrase::new("mended with the new key"))
            .unwrap();
    }

    #[test]
    fn the_passphrase_asked_again_in_settings_slows_down_like_the_lock_screen() {
        let (_d, mut s) = session();
        s.create("Kaisa", &Passphrase::new("right passphrase"), &setup())
            .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        for n in 0..3 {
            assert!(matches!(
                s.change_passphrase(
                    &Passphrase::new("a guess"),
                    &Passphrase::new("taken over now")
                ),
                Err(Error::WrongPassphrase)
            ));
            // Saving in between (a case opened) gives no fresh start.
            s.new_case(
                CaseInput {
                    person: crate::model::Person {
                        names: vec![crate::model::PersonName {
                            name: format!("Person {n}"),
                            kind: crate::model::NameKind::Legal,
                        }],
                        ..crate::model::Person::default()
                    },
                    details: None,
                },
                today,
            )
            .unwrap();
        }
        // The right one must wait too, and the lock screen counts the same guesses.
        assert!(matches!(
            s.add_colleague(
                &Passphrase::new("right passphrase"),
                "Mikko",
                &Passphrase::new("mikko's passphrase")
            ),
            Err(Error::TooManyAttempts { .. })
        ));
        s.lock();
        assert!(matches!(
            s.unlock(None, &Passphrase::new("right passphrase")),
            Err(Error::TooManyAttempts { .. })
        ));
    }

    #[test]
    fn a_forgotten_passphrase_is_mended_with_the_recovery_key_which_is_then_replaced() {
        let (_d, mut s) = session();
        let key = s
            .create("Kaisa", &Passphrase::new("forgotten passphrase"), &setup())
            .unwrap();
        s.lock();
        let weak = s.recover("Kaisa", &key, &Passphrase::new("short"));
        assert!(matches!(weak, Err(Error::InvalidInput(_))));
        assert!(!s.is_unlocked());
        let recovered = s
            .recover("Kaisa", &key, &Passphrase::new("new passphrase"))
            .unwrap();
        assert!(s.is_unlocked());
        let new_key = recovered.recovery_key.unwrap();
        assert_ne!(new_key, key.as_str());
        s.lock();
        assert!(matches!(
            s.unlock(None, &Passphrase::new("forgotten passphrase")),
            Err(Error::WrongPassphrase)
        ));
        s.unlock(None, &Passphrase::new("new passphrase")).unwrap();
        s.lock();
        // The key that was typed in has been seen: it opens nothing any more.
        assert!(matches!(
            s.recover("Kaisa", &key, &Passphrase::new("third passphrase")),
            Err(Error::WrongRecoveryKey)
        ));
        let new_key = RecoveryKey::parse(&new_key).unwrap();
        s.recover("Kaisa", &new_key, &Passphrase::new("third passphrase"))
            .unwrap();
    }

    #[test]
    fn changing_ones_passphrase_asks_for_the_current_one() {
        let (_d, mut s) = session();
        s.create("Kaisa", &Passphrase::new("old passphrase"), &setup())
            .unwrap();
        let new = Passphrase::new("new passphrase");
        assert!(matches!(
            s.change_passphrase(&Passphrase::new("a guess at it"), &new),
            Err(Error::WrongPassphrase)
        ));
        assert!(matches!(
            s.change_passphrase(
                &Passphrase::new("old passphrase"),
                &Passphrase::new("short")
            ),
            Err(Error::InvalidInput(_))
        ));
        s.change_passphrase(&Passphrase::new("old passphrase"), &new)
            .unwrap();
        s.lock();
        assert!(s.unlock(None, &Passphrase::new("old passphrase")).is_err());
        s.unlock(None, &new).unwrap();
    }

    #[test]
    fn a_colleague_added_in_the_app_unlocks_with_their_own_passphrase_until_removed() {
        let (_d, mut s) = session();
        let kaisa = Passphrase::new("kaisa's passphrase");
        s.create("Kaisa", &kaisa, &setup()).unwrap();
        assert!(matches!(
            s.add_colleague(&kaisa, "Mikko", &Passphrase::new("short")),
            Err(Error::InvalidInput(_))
        ));
        // Someone at the unlocked laptop, without Kaisa's passphrase, can add no one.
        assert!(matches!(
            s.add_colleague(
                &Passphrase::new("a guess at it"),
                "Intruder",
                &Passphrase::new("intruder's passphrase")
            ),
            Err(Error::WrongPassphrase)
        ));
        s.add_colleague(&kaisa, "Mikko", &Passphrase::new("mikko's passphrase"))
            .unwrap();
        assert!(matches!(
            s.add_colleague(&kaisa, "Mikko", &Passphrase::new("another passphrase")),
            Err(Error::UserExists(_))
        ));
        assert!(matches!(
            s.remove_colleague(&kaisa, "Kaisa"),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            s.remove_colleague(&Passphrase::new("a guess at it"), "Mikko"),
            Err(Error::WrongPassphrase)
        ));
        s.lock();
        s.unlock(Some("Mikko"), &Passphrase::new("mikko's passphrase"))
            .unwrap();
        s.lock();
        s.unlock(Some("Kaisa"), &Passphrase::new("kaisa's passphrase"))
            .unwrap();
        let change = s.remove_colleague(&kaisa, "Mikko").unwrap();
        assert!(change.must_be_added_again.is_empty());
        assert_eq!(s.status().unwrap().users, ["Kaisa"]);
        s.lock();
        assert!(matches!(
            s.unlock(Some("Mikko"), &Passphrase::new("mikko's passphrase")),
            Err(Error::UnknownUser(_))
        ));
    }

    #[test]
    fn the_demo_vaults_public_passphrase_and_staff_are_not_changed() {
        let (_d, mut s) = session();
        s.open_demo(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
            .unwrap();
        let demo = Passphrase::new(demo::DEMO_PASSPHRASE);
        let refused = |r: Result<()>| matches!(r, Err(Error::InvalidInput(Invalid::NotInDemo)));
        assert!(refused(
            s.change_passphrase(&demo, &Passphrase::new("a new passphrase"))
        ));
        assert!(refused(s.add_colleague(
            &demo,
            "Mikko",
            &Passphrase::new("mikko's passphrase")
        )));
    }

    #[test]
    fn the_audit_log_names_each_case_by_its_number() {
        let (_d, mut s) = session();
        s.create("Kaisa", &Passphrase::new("right passphrase"), &setup())
            .unwrap();
        let person = crate::model::Person {
            names: vec![crate::model::PersonName {
                name: "Aino Mäkinen".into(),
                kind: crate::model::NameKind::Legal,
            }],
            ..crate::model::Person::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let view = s
            .new_case(
                CaseInput {
                    person,
                    details: None,
                },
                today,
            )
            .unwrap();
        let log = s.audit_log(None).unwrap();
        assert!(log.entries.iter().any(|e| e.case == Some(view.case.id)));
        assert_eq!(
            log.case_numbers.get(&view.case.id),
            Some(&view.case.record.number)
        );
    }

    #[test]
    fn locking_drops_the_vault_and_the_index() {
        let (_d, mut s) = session();
        s.create("Kaisa", &Passphrase::new("right passphrase"), &setup())
            .unwrap();
        s.new_case(
            CaseInput {
                person: crate::model::Person {
                    names: vec![crate::model::PersonName {
                        name: "Aino Mäkinen".into(),
                        kind: crate::model::NameKind::Legal,
                    }],
                    ..Default::default()
                },
                details: None,
            },
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        )
        .unwrap();
        assert_eq!(s.search("makinen", 10).unwrap().len(), 1);
        s.lock();
        assert!(matches!(s.search("makinen", 10), Err(Error::Locked)));
        assert!(!s.status().unwrap().unlocked);
    }

    #[test]
    fn the_demo_vault_is_separate_and_labelled() {
        let (dir, mut s) = session();
        s.create("Kaisa", &Passphrase::new("right passphrase"), &setup())
            .unwrap();
        s.open_demo(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
            .unwrap();
        let status = s.status().unwrap();
        assert!(status.demo && status.unlocked);
        let all = s.search("", 1000).unwrap();
        // The invented cases and the training scenarios' starting cases.
        assert_eq!(all.len(), DEMO_CASES + crate::scenarios::SCENARIOS.len());
        assert!(all.iter().all(|c| c.demo));
        assert_eq!(s.search("melnyk", 5).unwrap().len(), 1);
        s.leave_demo();
        let status = s.status().unwrap();
        assert!(!status.demo && !status.unlocked);
        assert!(dir.path().join("demo.silta").exists() && dir.path().join("vault.silta").exists());
        s.unlock(None, &Passphrase::new("right passphrase"))
            .unwrap();
        assert!(
            s.search("", 100).unwrap().is_empty(),
            "the real vault has no demo cases"
        );
    }

    #[test]
    fn an_idle_session_locks_itself() {
        let (_d, mut s) = session();
        s.create("Kaisa", &Passphrase::new("right passphrase"), &setup())
            .unwrap();
        s.set_idle_limit(Duration::from_secs(60)).unwrap();
        assert!(!s.lock_if_idle(Instant::now()));
        assert!(s.lock_if_idle(Instant::now() + Duration::from_secs(61)));
        assert!(!s.is_unlocked());
        assert!(s.set_idle_limit(Duration::from_secs(1)).is_err());
    }

    #[test]
    fn the_first_run_names_the_organisation_and_its_retention_period() {
        let (dir, mut s) = session();
        let none = Setup {
            retention_years: 0,
            ..setup()
        };
        let Err(err) = s.create("Kaisa", &Passphrase::new("right passphrase"), &none) else {
            panic!("a vault without a retention period was made");
        };
        assert!(err.to_string().contains("years"), "{err}");
        assert!(
            !dir.path().join("vault.silta").exists(),
            "nothing is created"
        );
        s.create("Kaisa", &Passphrase::new("right passphrase"), &setup())
            .unwrap();
        let vault = s.vault().unwrap();
        assert_eq!(crate::org::identity(vault).unwrap().name, "Pro-tukipiste");
        assert_eq!(
            crate::retention::policy(vault)
                .unwrap()
                .unwrap()
                .years_after_closing,
            5
        );
    }
}
