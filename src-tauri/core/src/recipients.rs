//! Who packages can be sent to: the Assistance System's desk, police units, other organisations.
//! Each has an age public key and a fingerprint the caseworker confirms by phone before the first
//! send; a sender card received from them also lets their signatures be recognised.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::RecipientId;
use crate::model::check_text;
use crate::model::codes::OrganisationType;
use crate::org::{self, SenderCard};
use crate::vault::{Record, Stored, Vault};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RecipientKind {
    AssistanceSystem,
    Police,
    /// Child welfare (lastensuojelu), which receives child welfare notifications: since 2023 the
    /// wellbeing services county's (hyvinvointialue), in Helsinki the city's.
    ChildWelfare,
    Other,
}

impl std::str::FromStr for RecipientKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "assistance-system" => Ok(RecipientKind::AssistanceSystem),
            "police" => Ok(RecipientKind::Police),
            "child-welfare" => Ok(RecipientKind::ChildWelfare),
            "other" => Ok(RecipientKind::Other),
            _ => Err(Error::invalid(format!(
                "{s:?} is not a kind of recipient; use assistance-system, police, child-welfare or other"
            ))),
        }
    }
}

impl RecipientKind {
    /// The HTCDS organisation type a recipient of this kind has unless told otherwise.
    pub fn default_type(self) -> OrganisationType {
        match self {
            RecipientKind::AssistanceSystem => OrganisationType::CentralGovernmentOrganisation,
            RecipientKind::Police => OrganisationType::LawEnforcement,
            RecipientKind::ChildWelfare => OrganisationType::LocalGovernmentOrganisation,
            RecipientKind::Other => OrganisationType::NGO,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub name: String,
    pub kind: RecipientKind,
    pub organisation_type: OrganisationType,
    pub age_recipient: String,
    /// Their sender card, if they gave one: their signatures are then recognised.
    #[serde(default)]
    pub card: Option<SenderCard>,
    /// Over the card's keys if there is a card, otherwise over the age key.
    pub fingerprint: String,
    #[serde(default)]
    pub confirmed: Option<Confirmation>,
}

/// Who compared the fingerprint with the recipient (by phone), and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    pub by: String,
    pub on: NaiveDate,
}

impl Record for Recipient {
    const KIND: &'static str = "recipient";
    type Id = RecipientId;
}

/// Where the recipient's key comes from: a bare age key, or their sender card.
pub enum KeySource<'a> {
    AgeRecipient(&'a str),
    Card(&'a [u8]),
}

/// Names match ignoring case and surrounding space, so a consent's "assistance system" finds the
/// recipient "Assistance System".
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

pub fn add(
    vault: &Vault,
    name: &str,
    kind: RecipientKind,
    organisation_type: Option<OrganisationType>,
    key: KeySource<'_>,
) -> Result<Stored<Recipient>> {
    check_text("recipient's name", name, 200)?;
    let (age_recipient, card, fingerprint) = match key {
        KeySource::AgeRecipient(text) => {
            let r = org::parse_age_recipient(text)?;
            (r.to_string(), None, org::age_fingerprint(&r))
        }
        KeySource::Card(json) => {
            let card = SenderCard::parse(json)?;
            (
                card.age_recipient.clone(),
                Some(card.clone()),
                card.fingerprint,
            )
        }
    };
    let recipient = Recipient {
        name: name.trim().to_string(),
        kind,
        organisation_type: organisation_type.unwrap_or(kind.default_type()),
        age_recipient,
        card,
        fingerprint,
        confirmed: None,
    };
    vault.write(|v| {
        if list(v)?.iter().any(|r| same_name(&r.record.name, name)) {
            return Err(Error::InvalidInput(
                crate::error::Invalid::RecipientExists {
                    name: name.trim().to_string(),
                },
            ));
        }
        v.insert(None, &recipient)
    })
}

/// Every recipient, by name.
pub fn list(vault: &Vault) -> Result<Vec<Stored<Recipient>>> {
    let mut all = vault.list::<Recipient>(None)?;
    all.sort_by_key(|r| r.record.name.to_lowercase());
    Ok(all)
}

pub fn find(vault: &Vault, name: &str) -> Result<Stored<Recipient>> {
    list(vault)?
        .into_iter()
        .find(|r| same_name(&r.record.name, name))
        .ok_or_else(|| Error::NotFound {
            kind: "recipient",
            id: name.trim().to_string(),
        })
}

/// Records that `fingerprint` was read out by the recipient and matches their key.
pub fn confirm(
    vault: &Vault,
    name: &str,
    fingerprint: &str,
    today: NaiveDate,
) -> Result<Stored<Recipient>> {
    let normalise = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_uppercase()
    };
    vault.write(|v| {
        let current = find(v, name)?;
        if normalise(fingerprint) != normalise(&current.record.fingerprint) {
            return Err(Error::FingerprintMismatch(current.record.name.clone()));
        }
        let mut updated = current.record.clone();
        updated.confirmed = Some(Confirmation {
            by: v.user().to_string(),
            on: today,
        });
        v.update(&current, &updated)
    })
}

pub fn remove(vault: &Vault, name: &str) -> Result<()> {
    vault.write(|v| {
        let current = find(v, name)?;
        v.delete::<Recipient>(current.id)
    })
}

/// The recipient whose sender card has this fingerprint, if any: a known sender.
pub fn known_sender(vault: &Vault, card: &SenderCard) -> Result<Option<Stored<Recipient>>> {
    Ok(list(vault)?
        .into_iter()
        .find(|r| r.record.card.as_ref() == Some(card)))
}
