//! Typed identifiers. Every record has a UUID v7 (time-ordered, so lists sort by creation), wrapped
//! in a type that says what it names: a `CaseId` cannot be passed where a `NoteId` is wanted.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Error;

/// What every record id can do; lets the store handle ids of any kind.
pub trait RecordId: Copy + Eq + fmt::Display + FromStr<Err = Error> {
    fn new() -> Self;
    fn from_uuid(uuid: Uuid) -> Self;
    fn uuid(&self) -> Uuid;
}

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        record_id!($(#[$doc])* $name, $what, Uuid::now_v7());
    };
    ($(#[$doc:meta])* $name:ident, $what:literal, $make:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub struct $name(Uuid);

        impl RecordId for $name {
            fn new() -> Self {
                Self($make)
            }
            fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| Error::invalid(format!("{s:?} is not a valid {} id", $what)))
            }
        }
    };
}

record_id!(CaseId, "case");
record_id!(PersonId, "person");
record_id!(InterviewId, "interview");
record_id!(ConsentId, "consent");
record_id!(SupportActionId, "support action");
record_id!(TaskId, "task");
record_id!(NoteId, "note");
record_id!(NotificationId, "notification");
record_id!(AttachmentId, "attachment");
record_id!(
    /// The organisation's own record: its name and keys (one per vault).
    OrganisationId,
    "organisation"
);
record_id!(RecipientId, "recipient");
record_id!(
    /// The anonymised statistics row kept for an erased case. Random, not time-ordered: its id
    /// must not tell when the case was erased.
    StatsRowId,
    "statistics row",
    Uuid::new_v4()
);
record_id!(
    /// An entry of the audit log, or its head. Entries live at ids derived from their number
    /// (`vault::ledger`), the head at a random one: neither dates anything.
    AuditId,
    "audit entry",
    Uuid::new_v4()
);
record_id!(
    /// One package sent, in the case's disclosure log.
    DisclosureId,
    "disclosure"
);
record_id!(
    /// A referral package; the receiver's acknowledgement names it.
    PackageId,
    "package"
);
record_id!(
    /// The case-number counter of vaults before format 3 (now kept in the audit head).
    CounterId,
    "counter"
);
record_id!(
    /// The vault's own id; bound into every ciphertext so nothing can be moved between vaults.
    VaultId,
    "vault"
);
record_id!(
    /// A key slot (one per staff member, plus the recovery slot).
    SlotId,
    "key slot"
);
record_id!(
    /// How the organisation or one staff member can be phoned or written to.
    ReferrerContactId,
    "referrer contact"
);
record_id!(
    /// A conflict team sync found (`sync::SyncConflict`).
    ConflictId,
    "sync conflict"
);
record_id!(
    /// A laptop on the team's list (`sync::team::TeamDevice`).
    TeamDeviceId,
    "team laptop"
);
record_id!(
    /// A new key epoch's key sent to one laptop of the team (`sync::team::TeamGrant`).
    TeamGrantId,
    "team key grant",
    Uuid::new_v4()
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_and_print_the_same() {
        let id = CaseId::new();
        assert_eq!(id.to_string().parse::<CaseId>().unwrap(), id);
    }

    #[test]
    fn a_bad_id_names_its_kind() {
        let err = "nonsense".parse::<NoteId>().unwrap_err();
        assert!(err.to_string().contains("note id"), "{err}");
    }
}
