//! The one error type of silta-core.
//!
//! Every variant says what is wrong and what the user can do about it. Each has a stable `code`
//! that crosses IPC as `{code, message}` so the front end can show a translated text without ever
//! matching on the English message.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("wrong passphrase: check the keyboard layout and Caps Lock, and try again")]
    WrongPassphrase,

    #[error("the recovery key does not open this vault: check that it belongs to this vault")]
    WrongRecoveryKey,

    #[error("the recovery key is mistyped ({0}): compare it group by group with the printed key")]
    MistypedRecoveryKey(&'static str),

    #[error("no staff member called {0:?} in this vault: `silta vault info` lists them")]
    UnknownUser(String),

    #[error("this vault has several staff members ({}): say which one you are", .0.join(", "))]
    UserRequired(Vec<String>),

    #[error("a staff member called {0:?} already exists in this vault: choose another name")]
    UserExists(String),

    #[error("{0:?} is the last staff member: add another before removing this one")]
    LastUser(String),

    #[error("no vault at {}: create one with `silta vault init`", .0.display())]
    NoVault(PathBuf),

    #[error("a vault already exists at {}: choose another path or open it", .0.display())]
    VaultExists(PathBuf),

    #[error("{} is not a Silta vault (or is damaged beyond reading): check the path", .0.display())]
    NotAVault(PathBuf),

    #[error(
        "this vault was written by a newer Silta (format {found}; this one reads up to {supported}): update Silta"
    )]
    NewerFormat { found: u32, supported: u32 },

    #[error(
        "{what} failed its integrity check: the vault file was altered or damaged; restore it from a backup"
    )]
    Integrity { what: String },

    #[error("{kind} {id} not found: check the id (`silta case list` shows cases)")]
    NotFound { kind: &'static str, id: String },

    #[error(
        "{kind} {id} was changed by someone else meanwhile: reload it and make the change again"
    )]
    Conflict { kind: &'static str, id: String },

    #[error("invalid input: {0}")]
    InvalidInput(Invalid),

    #[error(
        "the person's age is not recorded: record their birth date, or answer whether they could be under 18, before recording a consent (the rules for children depend on it)"
    )]
    AgeNotRecorded,

    #[error(
        "the person has not been shown the information text: show it in their language (or have an interpreter interpret it) before recording a consent to disclose"
    )]
    InformationNotShown,

    #[error(
        "the Child Welfare Act's duty to notify concerns a child, and the person is an adult: anything about them leaves only with their consent"
    )]
    NotAChild,

    #[error("an interpreter interpreted the information text: record the interpreter's name")]
    InterpreterNotRecorded,

    #[error(
        "the person is a child (or of uncertain age): a guardian or legal representative must sign the consent"
    )]
    RepresentativeRequired,

    #[error(
        "without a guardian or representative, a child's own consent carries only a referral to the Assistance System: given by the child, with their views recorded, while a representative is requested; anything else waits for the representative"
    )]
    ChildWithoutRepresentative,

    #[error(
        "the person is 15 to 17: they must consent themselves, with a guardian or representative signing too"
    )]
    ChildMustConsent,

    #[error(
        "the guardian is suspected of involvement: an appointed legal representative must act instead"
    )]
    GuardianSuspected,

    #[error("an adult consents for themself: record the consent as given by the person")]
    AdultConsentsThemself,

    #[error("too many wrong passphrases: wait {seconds} seconds and try again")]
    TooManyAttempts { seconds: u64 },

    #[error("the vault is locked: unlock it first")]
    Locked,

    #[error(
        "the vault is in use by another Silta and stayed busy: close the other one and try again"
    )]
    Busy,

    #[error("the disk is full: nothing was saved; free some space and try again")]
    DiskFull,

    #[error(
        "the vault file or its folder is read-only: nothing was saved; check their permissions"
    )]
    ReadOnly,

    #[error(
        "the change is saved, but another Silta has this vault open, so what was deleted is still in the vault's files: close the other Silta; it leaves the files when the last one closes"
    )]
    CheckpointBlocked,

    #[error(
        "the vault's key was changed after your access to it was last renewed (or the vault file was altered), so nothing can be saved with your passphrase; you can still read what was there before: ask a colleague to add you again"
    )]
    AccessOutdated,

    #[error(
        "the audit log of this vault is broken ({0}), so the cases erased since the backup was made cannot all be known, and restoring could bring them back: restore only if you accept that, and erase them again"
    )]
    ErasuresUnknown(String),

    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("the vault database failed: {0}; nothing was saved")]
    Database(String),

    #[error(
        "a consent to send to {0} was written differently on two laptops of the team: settle it under Settings, Team sync, before anything is sent"
    )]
    ConsentUnsettled(String),

    #[error(
        "no consent in force covers sending {groups} to {recipient} ({purpose}): record the person's consent first, or send an anonymous consultation"
    )]
    ConsentMissing {
        recipient: String,
        purpose: &'static str,
        groups: String,
    },

    #[error(
        "the key fingerprint of {0} is not confirmed: phone them, compare the fingerprint, then confirm it"
    )]
    RecipientUnconfirmed(String),

    /// The official form asks first whether the person may be called or written to: a wrong
    /// call can endanger them, so a package with their contact waits for the answer.
    #[error(
        "it is not recorded whether the person may safely be called and written to: ask them, record both answers, then send"
    )]
    ContactSafetyUnknown,

    /// The Assistance System needs to know what happened and what help is needed (its guidance
    /// for referrers, ihmiskauppa.fi "Asiakkaaksi auttamisjärjestelmään").
    #[error(
        "a referral to the Assistance System needs the person's account and their immediate needs ({0} missing): include them, or record why they are missing"
    )]
    ReferralIncomplete(String),

    /// Free text can name other possible victims, places, employers and dates the consent does
    /// not cover (names of other victims never go into a narrative).
    #[error(
        "the package carries free text (the account, observations, exploiters' details, health, a note, the reason something is missing, a child's views, or attachments): read it and confirm it names no other possible victim, and no place, employer or date the consent does not cover"
    )]
    OthersNotChecked,

    #[error(
        "the fingerprint does not match {0}'s key: do not send anything; check the key with them again"
    )]
    FingerprintMismatch(String),

    #[error(
        "the fingerprint does not match the new laptop's device key: no enrolment was made; ask the new laptop's user to read its fingerprint to you again"
    )]
    DeviceFingerprintMismatch,

    #[error(
        "this enrolment file cannot be used here ({0}); nothing was made; if Silta was closed after the device key was made, that key is gone: make a new one, read its fingerprint to the member again and ask for a new enrolment file"
    )]
    EnrolmentUnusable(String),

    #[error(
        "this enrolment file is of version {version}, made by another version of Silta than this laptop's: update Silta so that the member's laptop and this one are the same, then ask for a new enrolment file"
    )]
    EnrolmentOtherVersion { version: u32 },

    #[error("the organisation has no name yet: set it with `silta org rename NAME`")]
    OrganisationUnnamed,

    #[error(
        "this laptop has not taken its team's organisation yet: sync first (`silta sync now`), so that it signs with the team's keys, not keys of its own"
    )]
    OrganisationNotTaken,

    #[error(
        "two laptops saved this setting differently and one of them is still to be kept: settle that first (`silta sync conflicts`), then change it"
    )]
    SettingInConflict,

    #[error(
        "this file is not addressed to this key: open it with the identity it was sent to, or ask the sender to send it to your key"
    )]
    NotForYou,

    #[error(
        "this is not a valid Silta referral ({0}): it is damaged, truncated or altered; nothing was written; ask the sender to send it again"
    )]
    BadPackage(String),

    #[error(
        "the signature does not match the referral's contents: it was altered after it was signed; do not rely on it and ask the sender"
    )]
    BadSignature,

    #[error(
        "the audit log is broken: {0}. Someone may have altered the vault file; keep a copy of it as it is and tell whoever is responsible for data protection"
    )]
    AuditBroken(String),

    #[error(
        "the package is signed by \"{name}\", a sender this vault does not know (fingerprint {fingerprint}): compare the fingerprint with the sender by phone, at a number you already know, and then confirm the import"
    )]
    UnknownSender { name: String, fingerprint: String },

    /// Team sync: the server could not be reached, refused the login, or answered what CouchDB
    /// does not. Nothing in the vault changes on such an error (docs/sync.md).
    #[error(
        "the sync server {0}: nothing in the vault changed; check the server's address, the network and the sync user's password, and try again"
    )]
    SyncServer(String),

    /// Team sync: two grants of one key epoch to this laptop hold different keys: two laptops
    /// changed the key at once, or one of them is not the team's (a removed member's, say).
    /// Neither is taken.
    #[error(
        "two different keys for the team's key epoch {0} were sent to this laptop: two laptops changed the vault's key at the same time, or one of the keys is not the team's; neither was taken, and this laptop takes nothing written under them; tell whoever runs the team's sync"
    )]
    TeamKeysDiffer(u32),

    /// Team sync: the server holds entries this laptop signed that its file does not: the file
    /// is an older copy of the laptop's vault (restored from a backup, or copied). Syncing it
    /// would split the laptop's history, which the other laptops could not tell apart.
    #[error(
        "sync has stopped for this vault file: the team's server holds entries that another copy of this file sent and this file lacks (it was restored from a backup, or the same file was used on two computers); it no longer sends or takes in anything, and what is saved in it stays here; ask whoever runs the team's sync to enrol this computer again as a new laptop, then enter again what is only in this file"
    )]
    OlderCopyOfThisLaptop,

    /// Team sync: a key change on a laptop of a team is claimed on the team's server first, so
    /// that two laptops never make two keys of one epoch; the server could not be asked.
    #[error(
        "this laptop is in a team, whose key changes on all its laptops at once, through the team's server; the server {0}: nothing changed; connect to the network and try again"
    )]
    TeamKeyChangeNeedsServer(String),

    /// Team sync: another laptop has claimed the team's next key epoch, and its key has not
    /// reached this laptop.
    #[error(
        "another laptop of the team ({0}) has begun changing the team's key, and its new key has not reached this laptop yet: nothing changed here; sync that laptop, then sync this one, and try again"
    )]
    TeamKeyBeingChanged(String),
}

/// The kinds of error, as the front end sees them (snake_case in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ErrorCode {
    WrongPassphrase,
    WrongRecoveryKey,
    MistypedRecoveryKey,
    UnknownUser,
    UserRequired,
    UserExists,
    LastUser,
    NoVault,
    VaultExists,
    NotAVault,
    NewerFormat,
    Integrity,
    NotFound,
    Conflict,
    InvalidInput,
    AgeNotRecorded,
    InformationNotShown,
    NotAChild,
    InterpreterNotRecorded,
    RepresentativeRequired,
    ChildWithoutRepresentative,
    ChildMustConsent,
    GuardianSuspected,
    AdultConsentsThemself,
    TooManyAttempts,
    Locked,
    Busy,
    DiskFull,
    ReadOnly,
    CheckpointBlocked,
    AccessOutdated,
    ErasuresUnknown,
    Io,
    Database,
    ConsentMissing,
    ConsentUnsettled,
    RecipientUnconfirmed,
    ContactSafetyUnknown,
    ReferralIncomplete,
    OthersNotChecked,
    FingerprintMismatch,
    DeviceFingerprintMismatch,
    EnrolmentUnusable,
    EnrolmentOtherVersion,
    OrganisationUnnamed,
    OrganisationNotTaken,
    SettingInConflict,
    NotForYou,
    BadPackage,
    BadSignature,
    AuditBroken,
    UnknownSender,
    SyncServer,
    TeamKeysDiffer,
    OlderCopyOfThisLaptop,
    TeamKeyChangeNeedsServer,
    TeamKeyBeingChanged,
}

/// What is wrong with what someone typed. The rules a person can break at the keyboard are
/// variants of their own, so the window can say them in the person's language (`ErrorJson::rule`);
/// anything else is `Other`, whose English is for the CLI and never reaches the window.
#[derive(Debug, Clone, PartialEq, serde::Serialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Invalid {
    #[error("{0}")]
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    #[cfg_attr(feature = "schema", schemars(skip))]
    Other(String),
    #[error("a passphrase needs at least 8 characters; several words are easier to remember")]
    PassphraseTooShort,
    #[error("you cannot remove yourself: a colleague can")]
    RemovingYourself,
    #[error("the demo vault's passphrase and staff stay as they are: it is for training")]
    NotInDemo,
    #[error("a staff name must be one line of 1 to 100 characters")]
    StaffName,
    #[error("the birth date {date} is in the future: check the year")]
    BornInFuture { date: chrono::NaiveDate },
    #[error("the birth date {date} is before 1900: check the year")]
    BornTooEarly { date: chrono::NaiveDate },
    #[error(
        "a reflection or recovery period lasts at least {days} days: from {start} it ends on {shortest} or later; check the decision's dates"
    )]
    PeriodTooShort {
        days: u64,
        start: chrono::NaiveDate,
        shortest: chrono::NaiveDate,
    },
    #[error(
        "a reflection period lasts at most {months} months: from {start} it ends on {longest} at the latest; check the decision's dates"
    )]
    ReflectionTooLong {
        months: u32,
        start: chrono::NaiveDate,
        longest: chrono::NaiveDate,
    },
    #[error("choose the reflection or the recovery period")]
    PeriodKindMissing,
    #[error("a consent cannot expire before it was given")]
    ConsentExpiresBeforeGiven,
    #[error("a consent cannot be withdrawn before it was given")]
    WithdrawnBeforeGiven,
    #[error("a consent to disclose must name its recipient")]
    ConsentRecipientMissing,
    #[error("consent given by a representative must name the guardian or representative")]
    RepresentativeUnnamed,
    #[error("a notification is recorded once made: its date cannot be in the future")]
    NotificationInFuture,
    #[error("a case cannot close before it opened")]
    ClosesBeforeOpened,
    #[error("the date {date} is in the future: check the year")]
    DateInFuture { date: chrono::NaiveDate },
    #[error("a recipient called {name:?} already exists: remove it first to change its key")]
    RecipientExists { name: String },
    #[error("{key:?} is not an age public key (it starts with age1)")]
    NotAnAgeKey { key: String },
    #[error(
        "this is not a whole device key (age1…, a + and 64 hex digits): copy the whole key again from the message you were sent"
    )]
    NotADeviceKey,
    #[error(
        "this device key has no + and no 64 hex digits after it: copy the whole key again from the message you were sent; if it really ends there, an older Silta made it: ask the new laptop's user to update Silta, make a new device key and read its fingerprint to you again"
    )]
    DeviceKeyFromOlderSilta,
    #[error(
        "this vault was made by a Silta older than vault format 3, and a team cannot yet start from it: the other laptops could not check its oldest history; start the team from a laptop whose vault was made by this Silta"
    )]
    OlderVaultCannotStartTeam,
    #[error(
        "this device key is on the team's list already (a laptop that joined, or was removed, with it): the new laptop makes a new device key and reads its fingerprint to you again"
    )]
    DeviceKeyAlreadyListed,
    #[error("{phone:?} is not a phone number: it has no digits")]
    NotAPhoneNumber { phone: String },
    #[error("{email:?} is not an e-mail address")]
    NotAnEmail { email: String },
    #[error("case {number} is under legal hold: lift the hold before erasing it")]
    UnderLegalHold { number: String },
    #[error("give the retention period in whole years, 1 to 100")]
    RetentionYears,
    #[error(
        "the case changed after its review (a record was added, removed or edited): review it again"
    )]
    ReviewOutdated,
    #[error(
        "{text:?} is withheld, but it is also in what would be released (an account, a note, a task or another record): withhold that too, or edit it"
    )]
    WithheldElsewhere { text: String },
    #[error(
        "joining can no longer be undone: that is possible only on the screen shown right after joining, before anything is done in the vault; ask the server administrator what to do with this vault"
    )]
    JoinedVaultInUse,
    #[error("a file named {file} already exists: wait a second and try again")]
    SetAsideNameTaken { file: String },
}

impl From<String> for Invalid {
    fn from(message: String) -> Invalid {
        Invalid::Other(message)
    }
}

impl From<&str> for Invalid {
    fn from(message: &str) -> Invalid {
        Invalid::Other(message.to_string())
    }
}

/// An error as it crosses IPC.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorJson {
    pub code: ErrorCode,
    /// English, for the CLI and logs; the window shows the code's (or the rule's) own words.
    pub message: String,
    /// The rule broken, with what the window needs to say it; absent for anything else.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub rule: Option<Invalid>,
}

impl Error {
    /// A stable identifier for the kind of error; the front end maps it to translated text.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::WrongRecoveryKey => ErrorCode::WrongRecoveryKey,
            Error::MistypedRecoveryKey(_) => ErrorCode::MistypedRecoveryKey,
            Error::UnknownUser(_) => ErrorCode::UnknownUser,
            Error::UserRequired(_) => ErrorCode::UserRequired,
            Error::UserExists(_) => ErrorCode::UserExists,
            Error::LastUser(_) => ErrorCode::LastUser,
            Error::NoVault(_) => ErrorCode::NoVault,
            Error::VaultExists(_) => ErrorCode::VaultExists,
            Error::NotAVault(_) => ErrorCode::NotAVault,
            Error::NewerFormat { .. } => ErrorCode::NewerFormat,
            Error::Integrity { .. } => ErrorCode::Integrity,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::AgeNotRecorded => ErrorCode::AgeNotRecorded,
            Error::InformationNotShown => ErrorCode::InformationNotShown,
            Error::NotAChild => ErrorCode::NotAChild,
            Error::InterpreterNotRecorded => ErrorCode::InterpreterNotRecorded,
            Error::RepresentativeRequired => ErrorCode::RepresentativeRequired,
            Error::ChildWithoutRepresentative => ErrorCode::ChildWithoutRepresentative,
            Error::ChildMustConsent => ErrorCode::ChildMustConsent,
            Error::GuardianSuspected => ErrorCode::GuardianSuspected,
            Error::AdultConsentsThemself => ErrorCode::AdultConsentsThemself,
            Error::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            Error::Locked => ErrorCode::Locked,
            Error::Busy => ErrorCode::Busy,
            Error::DiskFull => ErrorCode::DiskFull,
            Error::ReadOnly => ErrorCode::ReadOnly,
            Error::CheckpointBlocked => ErrorCode::CheckpointBlocked,
            Error::AccessOutdated => ErrorCode::AccessOutdated,
            Error::ErasuresUnknown(_) => ErrorCode::ErasuresUnknown,
            Error::Io { .. } => ErrorCode::Io,
            Error::Database(_) => ErrorCode::Database,
            Error::ConsentMissing { .. } => ErrorCode::ConsentMissing,
            Error::ConsentUnsettled(_) => ErrorCode::ConsentUnsettled,
            Error::RecipientUnconfirmed(_) => ErrorCode::RecipientUnconfirmed,
            Error::ContactSafetyUnknown => ErrorCode::ContactSafetyUnknown,
            Error::ReferralIncomplete(_) => ErrorCode::ReferralIncomplete,
            Error::OthersNotChecked => ErrorCode::OthersNotChecked,
            Error::FingerprintMismatch(_) => ErrorCode::FingerprintMismatch,
            Error::DeviceFingerprintMismatch => ErrorCode::DeviceFingerprintMismatch,
            Error::EnrolmentUnusable(_) => ErrorCode::EnrolmentUnusable,
            Error::EnrolmentOtherVersion { .. } => ErrorCode::EnrolmentOtherVersion,
            Error::OrganisationUnnamed => ErrorCode::OrganisationUnnamed,
            Error::OrganisationNotTaken => ErrorCode::OrganisationNotTaken,
            Error::SettingInConflict => ErrorCode::SettingInConflict,
            Error::NotForYou => ErrorCode::NotForYou,
            Error::BadPackage(_) => ErrorCode::BadPackage,
            Error::BadSignature => ErrorCode::BadSignature,
            Error::AuditBroken(_) => ErrorCode::AuditBroken,
            Error::UnknownSender { .. } => ErrorCode::UnknownSender,
            Error::SyncServer(_) => ErrorCode::SyncServer,
            Error::TeamKeysDiffer(_) => ErrorCode::TeamKeysDiffer,
            Error::OlderCopyOfThisLaptop => ErrorCode::OlderCopyOfThisLaptop,
            Error::TeamKeyChangeNeedsServer(_) => ErrorCode::TeamKeyChangeNeedsServer,
            Error::TeamKeyBeingChanged(_) => ErrorCode::TeamKeyBeingChanged,
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::InvalidInput(Invalid::Other(message.into()))
    }
}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ErrorJson {
            code: self.code(),
            message: self.to_string(),
            rule: match self {
                Error::InvalidInput(Invalid::Other(_)) => None,
                Error::InvalidInput(rule) => Some(rule.clone()),
                _ => None,
            },
        }
        .serialize(serializer)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                Error::ReadOnly
            }
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::Integrity {
                what: "the vault database".into(),
            },
            _ => Error::Database(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_ipc_as_code_and_message() {
        let json = serde_json::to_value(Error::WrongPassphrase).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "wrong_passphrase",
                "message": "wrong passphrase: check the keyboard layout and Caps Lock, and try again"
            })
        );
    }

    #[test]
    fn a_broken_rule_crosses_ipc_with_what_the_window_needs_to_say_it() {
        let e = Error::InvalidInput(Invalid::RecipientExists {
            name: "Poliisi".into(),
        });
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "invalid_input");
        assert_eq!(
            json["rule"],
            serde_json::json!({"rule": "recipient_exists", "name": "Poliisi"})
        );
        let other = serde_json::to_value(Error::invalid("something internal")).unwrap();
        assert!(other.get("rule").is_none());
    }

    #[test]
    fn integrity_error_names_the_record() {
        let e = Error::Integrity {
            what: "case 0192 version 3".into(),
        };
        assert!(e.to_string().contains("case 0192 version 3"));
        assert_eq!(e.code(), ErrorCode::Integrity);
    }
}
