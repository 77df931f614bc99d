//! The organisation's identity: its name, an Ed25519 key that signs every package it sends, and an
//! age X25519 identity that receives acknowledgements. Both secrets live sealed in the vault; the
//! public half travels as a sender card.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result};
use crate::ids::OrganisationId;
use crate::model::check_text;
use crate::single::Setting;
use crate::vault::{Record, Vault};

/// The sealed record holding the organisation's secrets.
#[derive(Clone, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Organisation {
    name: String,
    /// Ed25519 secret key, hex.
    signing_key: String,
    /// `AGE-SECRET-KEY-1…`
    age_identity: String,
}

impl Record for Organisation {
    const KIND: &'static str = "organisation";
    type Id = OrganisationId;
}

impl Organisation {
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The fingerprint of its keys, as its sender card shows it (named or not; none only if the
    /// keys do not read): two sides of a conflict with different ones are different keys, not
    /// only different names.
    pub(crate) fn fingerprint(&self) -> Option<String> {
        let keys = OrgKeys { org: self.clone() };
        Some(
            SenderCard::new(
                "",
                &keys.signing_key().ok()?.verifying_key(),
                &keys.age_identity().ok()?.to_public(),
            )
            .fingerprint,
        )
    }
}

/// What an organisation hands to others so they can check its signatures and write to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SenderCard {
    /// Always "silta-sender-card".
    pub format: String,
    pub version: u32,
    pub name: String,
    /// Ed25519 public key, 64 hex digits.
    pub signing_key: String,
    /// Where replies (acknowledgements) are encrypted to: an age X25519 recipient.
    pub age_recipient: String,
    /// `fingerprint(signing_key, age_recipient)`, to compare by phone.
    pub fingerprint: String,
}

const CARD_FORMAT: &str = "silta-sender-card";

/// A short code over public keys for two people to read to each other: the first 128 bits of
/// SHA-256 over a label and the keys, as 8 groups of 4 hex digits.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(b"silta-fingerprint-v1");
    for part in parts {
        hash.update([0u8]);
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    digest[..16]
        .chunks(2)
        .map(hex::encode_upper)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fingerprint of a bare age recipient (a receiving desk without a sender card).
pub fn age_fingerprint(recipient: &age::x25519::Recipient) -> String {
    fingerprint(&[&recipient.to_string()])
}

impl SenderCard {
    fn new(name: &str, signing: &VerifyingKey, age: &age::x25519::Recipient) -> SenderCard {
        let signing_key = hex::encode(signing.as_bytes());
        let age_recipient = age.to_string();
        SenderCard {
            format: CARD_FORMAT.into(),
            version: 1,
            name: name.to_string(),
            fingerprint: fingerprint(&[&signing_key, &age_recipient]),
            signing_key,
            age_recipient,
        }
    }

    /// Reads a card, checking that its keys parse and its fingerprint is theirs.
    pub fn parse(json: &[u8]) -> Result<SenderCard> {
        let card: SenderCard = serde_json::from_slice(json)
            .map_err(|e| Error::invalid(format!("not a Silta sender card: {e}")))?;
        card.check()?;
        Ok(card)
    }

    /// Checks a card already read (for example inside a manifest): format, keys, fingerprint.
    pub fn check(&self) -> Result<()> {
        let card = self;
        if card.format != CARD_FORMAT || card.version != 1 {
            return Err(Error::invalid(format!(
                "not a Silta sender card of version 1 (format {:?}, version {})",
                card.format, card.version
            )));
        }
        check_text("organisation name", &card.name, 200)?;
        card.verifying_key()?;
        card.age_recipient()?;
        if card.fingerprint != fingerprint(&[&card.signing_key, &card.age_recipient]) {
            return Err(Error::invalid(
                "the sender card's fingerprint does not match its keys: it was altered",
            ));
        }
        Ok(())
    }

    pub fn verifying_key(&self) -> Result<VerifyingKey> {
        let bytes: [u8; 32] = hex::decode(&self.signing_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                Error::invalid("the sender card's signing key is not 32 bytes of hex")
            })?;
        VerifyingKey::from_bytes(&bytes)
            .map_err(|_| Error::invalid("the sender card's signing key is not an Ed25519 key"))
    }

    pub fn age_recipient(&self) -> Result<age::x25519::Recipient> {
        parse_age_recipient(&self.age_recipient)
    }

    /// Checks `signature` (64 bytes, hex) over `message` with this card's key.
    pub fn verify(&self, message: &[u8], signature_hex: &[u8]) -> Result<()> {
        let bytes: [u8; 64] = std::str::from_utf8(signature_hex)
            .ok()
            .and_then(|s| hex::decode(s.trim()).ok())
            .and_then(|b| b.try_into().ok())
            .ok_or(Error::BadSignature)?;
        self.verifying_key()?
            .verify_strict(message, &Signature::from_bytes(&bytes))
            .map_err(|_| Error::BadSignature)
    }
}

pub fn parse_age_recipient(text: &str) -> Result<age::x25519::Recipient> {
    age::x25519::Recipient::from_str(text.trim()).map_err(|_| {
        Error::InvalidInput(crate::error::Invalid::NotAnAgeKey {
            key: text.trim().to_string(),
        })
    })
}

/// The organisation's keys, unsealed for one operation.
pub struct OrgKeys {
    org: Organisation,
}

impl OrgKeys {
    pub fn name(&self) -> &str {
        &self.org.name
    }

    fn signing_key(&self) -> Result<SigningKey> {
        let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(&self.org.signing_key, bytes.as_mut_slice()).map_err(|_| {
            Error::Integrity {
                what: "the organisation's signing key".into(),
            }
        })?;
        Ok(SigningKey::from_bytes(&bytes))
    }

    pub fn age_identity(&self) -> Result<age::x25519::Identity> {
        age::x25519::Identity::from_str(&self.org.age_identity).map_err(|_| Error::Integrity {
            what: "the organisation's age identity".into(),
        })
    }

    /// Hex of the Ed25519 signature over `message`.
    pub fn sign(&self, message: &[u8]) -> Result<String> {
        use ed25519_dalek::Signer;
        Ok(hex::encode(self.signing_key()?.sign(message).to_bytes()))
    }

    /// The sender card; an organisation without a name cannot send.
    pub fn card(&self) -> Result<SenderCard> {
        if self.org.name.trim().is_empty() {
            return Err(Error::OrganisationUnnamed);
        }
        Ok(SenderCard::new(
            &self.org.name,
            &self.signing_key()?.verifying_key(),
            &self.age_identity()?.to_public(),
        ))
    }
}

#[cfg(any(test, feature = "fuzzing"))]
impl OrgKeys {
    /// Fresh keys that live in no vault, for tests of what is signed with them.
    #[doc(hidden)]
    pub fn for_tests(name: &str) -> OrgKeys {
        OrgKeys {
            org: generate(name),
        }
    }
}

#[cfg(test)]
impl Organisation {
    /// Fresh keys, for tests of how a vault holds them.
    pub(crate) fn generate(name: &str) -> Organisation {
        generate(name)
    }
}

fn generate(name: &str) -> Organisation {
    let signing = SigningKey::generate(&mut rand::rngs::OsRng);
    let age_identity = age::x25519::Identity::generate();
    Organisation {
        name: name.trim().to_string(),
        signing_key: hex::encode(signing.to_bytes()),
        age_identity: age_identity.to_string().expose_secret().to_string(),
    }
}

/// Gives the vault its organisation keys, named `name` (which may be empty until known). Vaults
/// made before the keys existed get them the first time they are needed.
pub fn keys(vault: &Vault) -> Result<OrgKeys> {
    match existing(vault)? {
        Some(keys) => Ok(keys),
        None => set_up(vault, ""),
    }
}

/// The organisation's keys, if the vault holds them.
fn existing(vault: &Vault) -> Result<Option<OrgKeys>> {
    Ok(Setting::<Organisation>::of(vault, None)?
        .in_force
        .map(|current| OrgKeys {
            org: current.record.clone(),
        }))
}

/// Creates the organisation's keys at vault creation.
pub fn set_up(vault: &Vault, name: &str) -> Result<OrgKeys> {
    if !name.trim().is_empty() {
        check_text("organisation name", name, 200)?;
    }
    vault.write(|v| {
        if let Some(keys) = existing(v)? {
            return Ok(keys);
        }
        // A laptop that joined a team (it has a device id) takes the organisation at its first
        // sync: keys made on it before that would sign its packages with keys no recipient
        // knows, and, at the id the team's organisation has, could take that one's place on
        // every laptop.
        if v.device()?.is_some() {
            return Err(Error::OrganisationNotTaken);
        }
        let org = generate(name);
        v.insert_single(None, &org)?;
        Ok(OrgKeys { org })
    })
}

/// Renames the organisation; the keys stay.
pub fn rename(vault: &Vault, name: &str) -> Result<SenderCard> {
    check_text("organisation name", name, 200)?;
    keys(vault)?;
    vault.write(|v| {
        let current = Setting::<Organisation>::of(v, None)?
            .changing(v)?
            .ok_or(Error::OrganisationUnnamed)?;
        let mut org = current.record.clone();
        org.name = name.trim().to_string();
        v.update(&current, &org)?;
        OrgKeys { org }.card()
    })
}

/// The organisation's name and, once it has one, its sender card.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrgStatus {
    pub name: String,
    pub card: Option<SenderCard>,
}

pub fn status(vault: &Vault) -> Result<OrgStatus> {
    let keys = match existing(vault)? {
        Some(keys) => keys,
        // A laptop that joined has none to show until its first sync (`set_up`).
        None if vault.device()?.is_some() => {
            return Ok(OrgStatus {
                name: String::new(),
                card: None,
            });
        }
        None => set_up(vault, "")?,
    };
    Ok(OrgStatus {
        name: keys.name().to_string(),
        card: keys.card().ok(),
    })
}

/// The organisation's sender card, to hand to those it sends to.
pub fn identity(vault: &Vault) -> Result<SenderCard> {
    keys(vault)?.card()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_eight_groups_of_four_hex_digits_and_differ_per_key() {
        let a = fingerprint(&["age1one"]);
        let b = fingerprint(&["age1two"]);
        assert_eq!(a.len(), 39, "{a}");
        assert_eq!(a.split(' ').count(), 8);
        assert_ne!(a, b);
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }

    #[test]
    fn a_card_whose_key_was_swapped_is_refused() {
        let org = OrgKeys {
            org: generate("Pro-tukipiste"),
        };
        let card = org.card().unwrap();
        let json = serde_json::to_vec(&card).unwrap();
        assert_eq!(SenderCard::parse(&json).unwrap(), card);
        let other = OrgKeys {
            org: generate("Mallory"),
        }
        .card()
        .unwrap();
        let forged = SenderCard {
            signing_key: other.signing_key,
            ..card.clone()
        };
        let err = SenderCard::parse(&serde_json::to_vec(&forged).unwrap()).unwrap_err();
        assert!(err.to_string().contains("altered"), "{err}");
    }

    #[test]
    fn signatures_verify_only_over_the_signed_bytes() {
        let org = OrgKeys {
            org: generate("Pro-tukipiste"),
        };
        let card = org.card().unwrap();
        let sig = org.sign(b"manifest").unwrap();
        card.verify(b"manifest", sig.as_bytes()).unwrap();
        assert!(matches!(
            card.verify(b"manifest!", sig.as_bytes()),
            Err(Error::BadSignature)
        ));
        assert!(matches!(
            card.verify(b"manifest", b"00"),
            Err(Error::BadSignature)
        ));
    }
}
