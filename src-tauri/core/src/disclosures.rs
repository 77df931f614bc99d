//! The disclosure log of a case: every package that left the machine, to whom, when, under which
//! consents, with which field groups, and what the receiver answered.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::ids::{CaseId, ConsentId, DisclosureId, NotificationId, PackageId};
use crate::model::{FieldGroup, LegalBasis};
use crate::referral::Mode;
use crate::vault::{Record, Stored, Vault};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    pub package: PackageId,
    pub recipient: String,
    pub recipient_fingerprint: String,
    pub mode: Mode,
    pub field_groups: Vec<FieldGroup>,
    pub consents: Vec<ConsentId>,
    pub sent_at: DateTime<Utc>,
    /// The package file's name when it was written, and the SHA-256 of its (encrypted) bytes.
    pub file_name: String,
    pub file_sha256: String,
    /// SHA-256 of the plaintext manifest: only someone who decrypted the package knows it, so an
    /// acknowledgement quoting it comes from the recipient.
    pub manifest_sha256: String,
    #[serde(default)]
    pub acknowledgement: Option<Acknowledgement>,
    /// The caseworker confirmed that the free text and exploiters' details sent name no other
    /// possible victim, and no place, employer or date beyond what the consent covers. False
    /// for a package without them (and in records written before the check existed).
    #[serde(default)]
    pub checked_for_others: bool,
    /// For a package sent without consent: the provision it was sent under, and the
    /// notification record it carries.
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    #[serde(default)]
    pub notification: Option<NotificationId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accepted,
    Declined,
}

impl std::str::FromStr for Decision {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "accepted" => Ok(Decision::Accepted),
            "declined" => Ok(Decision::Declined),
            _ => Err(crate::Error::invalid(format!(
                "{s:?} is not a decision; use accepted or declined"
            ))),
        }
    }
}

/// The receiver's answer: only yes or no, as the Assistance System gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    pub decision: Decision,
    pub decided_on: NaiveDate,
    pub received_on: NaiveDate,
    /// The fingerprint of the key that signed it, and whether it is the recipient's known card.
    pub signer_fingerprint: String,
    pub known_signer: bool,
}

impl Record for Disclosure {
    const KIND: &'static str = "disclosure";
    type Id = DisclosureId;
}

/// The disclosures of one case, oldest first.
pub fn of_case(vault: &Vault, case: CaseId) -> Result<Vec<Stored<Disclosure>>> {
    vault.list(Some(case))
}

/// Every disclosure in the vault.
pub fn all(vault: &Vault) -> Result<Vec<Stored<Disclosure>>> {
    vault.list(None)
}
