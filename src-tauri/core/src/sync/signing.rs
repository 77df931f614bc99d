//! Each laptop of a team signs the entries of its own chain (docs/sync.md, section 5, "Who
//! wrote it"). The vault's key is the team's: with it alone, any member could write an entry in
//! another laptop's name (a record changed, a removal, a key sent), and a laptop removed from the
//! team could go on doing so with a login of someone else's under the key it kept. An Ed25519
//! signature by the laptop's own key, which never leaves it, shows which laptop wrote an entry.
//!
//! The signing key comes from the device key (the age identity a laptop joins with) by HKDF, so
//! that one secret is kept and one key read out: the device key text a laptop shows is its age
//! recipient and its signing key's public half, and the fingerprint read out by phone covers
//! both. A laptop that joins gets a device id made from its signing key, so that the id itself
//! names the key: a signature carries its public key, and counts for a laptop only when that key
//! makes the laptop's id. No list a member could rewrite decides whose key is whose. The team's
//! first laptop, whose id is the nil UUID, is named by the enrolment a laptop joined with
//! (`TeamRoster`).

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::team::TeamGrant;
use crate::audit::Entry;
use crate::error::{Error, Invalid, Result};
use crate::ids::{CounterId, RecordId};
use crate::vault::replica::Claim;
use crate::vault::{Record, Vault};

/// The record kind of the first laptop's signing key as an enrolment named it (never shared).
pub(crate) const ROSTER_KIND: &str = "team_roster";

/// A laptop's signing key, from its device key: HKDF-SHA256 over the identity's text
/// (`AGE-SECRET-KEY-1…`), no salt, info `silta/device-signing/v1`.
pub(crate) fn signing_key(identity: &age::x25519::Identity) -> Result<SigningKey> {
    let secret = identity.to_string();
    let hk = Hkdf::<Sha256>::new(None, secret.expose_secret().as_bytes());
    let mut seed = Zeroizing::new([0u8; 32]);
    hk.expand(b"silta/device-signing/v1", seed.as_mut_slice())
        .map_err(|_| Error::invalid("cannot derive the signing key"))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// This laptop's signing key and the age key its grants go to: what its signatures carry.
#[derive(Clone)]
pub(crate) struct DeviceSigner {
    key: SigningKey,
    age: age::x25519::Recipient,
}

impl DeviceSigner {
    pub(crate) fn of(identity: &age::x25519::Identity) -> Result<DeviceSigner> {
        Ok(DeviceSigner {
            key: signing_key(identity)?,
            age: identity.to_public(),
        })
    }
}

/// The device id of a laptop that joins with the signing key `key` and the age key `age`: the
/// first 16 bytes of SHA-256 over `silta/device-id/v1`, the signing key (32 bytes) and the age
/// key's text, as a UUID of version 8 (RFC 9562, custom). Both halves: a listing that names
/// another age key for the laptop is not its listing, so no key is ever sent to it there.
pub(crate) fn device_id(key: &VerifyingKey, age: &age::x25519::Recipient) -> Uuid {
    let mut h = Sha256::new();
    h.update(b"silta/device-id/v1");
    h.update(key.as_bytes());
    h.update(age.to_string().as_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// A laptop's public device key, as it shows it and a member types it in: `age1…+` and 64 hex
/// digits of its Ed25519 signing key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicDeviceKey {
    pub(crate) age: age::x25519::Recipient,
    pub(crate) signing: VerifyingKey,
}

impl PublicDeviceKey {
    /// The public device key of `identity`.
    pub fn of(identity: &age::x25519::Identity) -> Result<PublicDeviceKey> {
        Ok(PublicDeviceKey {
            age: identity.to_public(),
            signing: signing_key(identity)?.verifying_key(),
        })
    }

    /// What is read out by phone, so that the member knows the key is the laptop's: both halves.
    pub fn fingerprint(&self) -> String {
        crate::org::fingerprint(&["silta-device", &self.age.to_string(), &self.signing_hex()])
    }

    pub(crate) fn signing_hex(&self) -> String {
        hex::encode(self.signing.as_bytes())
    }

    /// The device id the laptop gets when it joins.
    pub(crate) fn device(&self) -> Uuid {
        device_id(&self.signing, &self.age)
    }
}

impl fmt::Display for PublicDeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}+{}", self.age, self.signing_hex())
    }
}

impl FromStr for PublicDeviceKey {
    type Err = Error;

    fn from_str(text: &str) -> Result<PublicDeviceKey> {
        let text = text.trim();
        let not_one = || Error::InvalidInput(Invalid::NotADeviceKey);
        let Some((age, signing)) = text.split_once('+') else {
            return Err(if age::x25519::Recipient::from_str(text).is_ok() {
                Error::InvalidInput(Invalid::DeviceKeyFromOlderSilta)
            } else {
                not_one()
            });
        };
        Ok(PublicDeviceKey {
            age: age::x25519::Recipient::from_str(age).map_err(|_| not_one())?,
            signing: verifying_key(signing).ok_or_else(not_one)?,
        })
    }
}

fn verifying_key(hex_text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_text).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// What is signed of an entry: a label, the vault id, and the entry's JSON without its signature
/// (its `prev` ties it to the whole chain before it).
fn message(vault: Uuid, entry: &Entry) -> Result<Vec<u8>> {
    let unsigned = Entry {
        signature: None,
        ..entry.clone()
    };
    let mut message = b"silta/entry-signature/v1\0".to_vec();
    message.extend_from_slice(vault.as_bytes());
    message.extend_from_slice(
        &serde_json::to_vec(&unsigned)
            .map_err(|e| Error::invalid(format!("cannot encode an audit entry: {e}")))?,
    );
    Ok(message)
}

/// What is signed of a key sent to a laptop (`team::TeamGrant`): a label, the vault id, the
/// sending laptop (the nil UUID for the first), and the grant's JSON without its signature. A
/// grant is sealed under the epoch before it, and the entry that wrote it under the new one,
/// which the laptop it is for cannot open yet: so it carries a signature of its own.
fn grant_message(vault: Uuid, from: Option<Uuid>, grant: &TeamGrant) -> Result<Vec<u8>> {
    let unsigned = TeamGrant {
        signature: None,
        ..grant.clone()
    };
    let mut message = b"silta/grant-signature/v1\0".to_vec();
    message.extend_from_slice(vault.as_bytes());
    message.extend_from_slice(from.unwrap_or_default().as_bytes());
    message.extend_from_slice(
        &serde_json::to_vec(&unsigned)
            .map_err(|e| Error::invalid(format!("cannot encode a key grant: {e}")))?,
    );
    Ok(message)
}

/// What is signed of a claim on key epoch `epoch` (docs/sync.md, "Changing the team's key"): a
/// label, the vault id, the claiming laptop (the nil UUID for the first) and the epoch (4 bytes,
/// big-endian). Any member can seal a claim, as it holds the key it is sealed under: only the
/// signature shows which laptop made it, so that no member can block the team's key changes in
/// another laptop's name (its own claim goes when it is removed).
fn claim_message(vault: Uuid, device: Option<Uuid>, epoch: u32) -> Vec<u8> {
    let mut message = b"silta/claim-signature/v1\0".to_vec();
    message.extend_from_slice(vault.as_bytes());
    message.extend_from_slice(device.unwrap_or_default().as_bytes());
    message.extend_from_slice(&epoch.to_be_bytes());
    message
}

/// This laptop's signature on its claim on key epoch `epoch` (a laptop with no device key makes
/// no claim: it is in no team).
pub(crate) fn sign_claim(v: &Vault, epoch: u32) -> Result<String> {
    let signer = v.signer()?.ok_or_else(|| Error::Integrity {
        what: "this laptop's device key".into(),
    })?;
    Ok(signature(
        &signer,
        &claim_message(v.id().uuid(), v.device()?, epoch),
    ))
}

/// A signature on a claim on `epoch` naming `device`, by `signer` whoever it names: what a
/// member forging a claim can make, for tests.
#[cfg(any(test, feature = "test-support"))]
pub(crate) fn claim_signature_by(
    signer: &DeviceSigner,
    vault: Uuid,
    device: Option<Uuid>,
    epoch: u32,
) -> String {
    signature(signer, &claim_message(vault, device, epoch))
}

/// `entry` signed by this laptop, if it signs (a laptop on a team's list).
pub(crate) fn sign(v: &Vault, entry: &mut Entry) -> Result<()> {
    if let Some(signer) = v.signer()? {
        entry.signature = Some(signature(&signer, &message(v.id().uuid(), entry)?));
    }
    Ok(())
}

/// `grant` signed by this laptop, if it signs.
pub(crate) fn sign_grant(v: &Vault, grant: &mut TeamGrant) -> Result<()> {
    if let Some(signer) = v.signer()? {
        grant.signature = Some(signature(
            &signer,
            &grant_message(v.id().uuid(), v.device()?, grant)?,
        ));
    }
    Ok(())
}

/// A signature as an entry or a grant carries it: the signing key (64 hex digits), `.`, the age
/// key (`age1…`), `.`, and the Ed25519 signature (128 hex digits). The two keys make the
/// laptop's device id.
fn signature(signer: &DeviceSigner, message: &[u8]) -> String {
    use ed25519_dalek::Signer as _;
    format!(
        "{}.{}.{}",
        hex::encode(signer.key.verifying_key().as_bytes()),
        signer.age,
        hex::encode(signer.key.sign(message).to_bytes())
    )
}

/// The keys and signature a signature text holds.
fn read_signature(text: &str) -> Option<(VerifyingKey, age::x25519::Recipient, Signature)> {
    let mut parts = text.split('.');
    let (key, age, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes: [u8; 64] = hex::decode(signature).ok()?.try_into().ok()?;
    let read = (
        verifying_key(key)?,
        age::x25519::Recipient::from_str(age).ok()?,
        Signature::from_bytes(&bytes),
    );
    // Only as Silta writes it: the same signature in capitals would be another entry with the
    // same signed content, beside the real one at its place.
    let canonical = format!(
        "{}.{}.{}",
        hex::encode(read.0.as_bytes()),
        read.1,
        hex::encode(read.2.to_bytes())
    );
    (canonical == text).then_some(read)
}

/// Whether `entry` is signed by this laptop itself: one of its own entries, as another copy of
/// its file wrote it.
pub(crate) fn signed_by_this_laptop(v: &Vault, entry: &Entry) -> Result<bool> {
    let Some(own) = v.signer()? else {
        return Ok(false);
    };
    let key = own.key.verifying_key();
    Ok(entry
        .signature
        .as_deref()
        .and_then(read_signature)
        .is_some_and(|(by, age, sig)| {
            by == key
                && age == own.age
                && message(v.id().uuid(), entry).is_ok_and(|m| by.verify_strict(&m, &sig).is_ok())
        }))
}

/// What a check of an entry or a grant found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Check {
    Good,
    /// An entry the first laptop wrote before the team began, unsigned: taken only as part of a
    /// run that links to its first signed entry (`prev`), which commits to all of them.
    Early,
    /// Its laptop is on no list this file holds yet: it waits for the listing.
    Unknown,
    Forged,
}

/// The first laptop's key, as the enrolment this laptop joined with named it.
#[derive(Debug)]
enum First {
    /// Signed from entry `from` on; the entry before has HMAC `before`.
    Key {
        key: Box<VerifyingKey>,
        from: u64,
        before: String,
    },
    /// Nothing of the first laptop is taken: this is the first laptop (its own entries come
    /// from nowhere else), or the file's roster is missing or does not read.
    Nothing,
}

/// How this file checks who wrote what it takes.
#[derive(Debug)]
pub(crate) struct Signers {
    first: First,
    /// The laptops on the team's list: only their chains are taken (a laptop removed cannot
    /// make itself a new one).
    listed: HashSet<Uuid>,
}

impl Signers {
    /// Whether `entry` is signed by the laptop whose chain it is in.
    pub(crate) fn check(&self, vault: Uuid, entry: &Entry) -> Check {
        self.verify(
            entry.device,
            Some(entry.seq),
            entry.signature.as_deref(),
            || message(vault, entry),
        )
    }

    /// Whether `grant`, written by the laptop `from`, is signed by it.
    pub(crate) fn check_grant(&self, vault: Uuid, from: Option<Uuid>, grant: &TeamGrant) -> Check {
        self.verify(from, None, grant.signature.as_deref(), || {
            grant_message(vault, from, grant)
        })
    }

    /// Whether `claim` is signed by the laptop it names.
    pub(crate) fn check_claim(&self, vault: Uuid, claim: &Claim) -> Check {
        self.verify(claim.device, None, Some(&claim.signature), || {
            Ok(claim_message(vault, claim.device, claim.epoch))
        })
    }

    /// The first signed entry of the first laptop, and the HMAC of the one before, if this file
    /// names its key.
    pub(crate) fn first_signed(&self) -> Option<(u64, &str)> {
        match &self.first {
            First::Key { from, before, .. } => Some((*from, before.as_str())),
            First::Nothing => None,
        }
    }

    /// `signature` over `message` by `device`; `seq`, the entry's number in its chain (a grant,
    /// written only by a laptop on the list, has none and is always signed).
    fn verify(
        &self,
        device: Option<Uuid>,
        seq: Option<u64>,
        signature: Option<&str>,
        message: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Check {
        let signed_by = |key: Option<&VerifyingKey>| {
            let good = signature
                .and_then(read_signature)
                .is_some_and(|(by, age, sig)| {
                    key.is_none_or(|k| *k == by)
                        && device.is_none_or(|d| device_id(&by, &age) == d)
                        && message().is_ok_and(|m| by.verify_strict(&m, &sig).is_ok())
                });
            if good { Check::Good } else { Check::Forged }
        };
        match device {
            // The first laptop is `None`: the nil UUID named is no laptop's.
            Some(d) if d.is_nil() => Check::Forged,
            None => match &self.first {
                First::Nothing => Check::Forged,
                First::Key { from, .. } if seq.is_some_and(|s| s < *from) => Check::Early,
                First::Key { key, .. } => signed_by(Some(key.as_ref())),
            },
            Some(d) if !self.listed.contains(&d) => Check::Unknown,
            // Only an id made from keys (`device_id`) names a signer; one listed with any other
            // (a random one, as laptops had before Silta signed) is no laptop's.
            Some(_) => signed_by(None),
        }
    }
}

/// The first laptop's signing key, the first entry it signs, and the HMAC of the entry before
/// it (empty if none), which names the run of entries it wrote before the team began.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Signs {
    /// Ed25519, 64 hex digits.
    pub key: String,
    /// Its age key (`age1…`): what keys are sent to it, whatever the team's list says.
    pub age: String,
    pub from: u64,
    pub before: String,
}

/// The first laptop's signing key as the enrolment this laptop joined with named it: how it
/// checks the first laptop's entries (whose id, nil, names no key). Its own, never shared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamRoster {
    pub first: Signs,
}

impl Record for TeamRoster {
    const KIND: &'static str = ROSTER_KIND;
    type Id = CounterId;
}

/// How this file checks who wrote what it takes.
pub(crate) fn signers(v: &Vault) -> Result<Signers> {
    let rosters = v.list::<TeamRoster>(None)?;
    let first = match rosters.as_slice() {
        [one] => match verifying_key(&one.record.first.key) {
            Some(key) => First::Key {
                key: Box::new(key),
                from: one.record.first.from,
                before: one.record.first.before.clone(),
            },
            None => First::Nothing,
        },
        _ => First::Nothing,
    };
    let listed = v
        .list::<super::team::TeamDevice>(None)?
        .into_iter()
        .filter_map(|d| d.record.device)
        .collect();
    Ok(Signers { first, listed })
}

/// The first laptop's age key as this laptop's enrolment named it, if it joined.
pub(crate) fn first_age(v: &Vault) -> Result<Option<age::x25519::Recipient>> {
    Ok(v.list::<TeamRoster>(None)?
        .into_iter()
        .next()
        .and_then(|r| age::x25519::Recipient::from_str(&r.record.first.age).ok()))
}

/// The first laptop's key for an enrolment this laptop makes: its own, if it is the first, or
/// the one its own enrolment named. A laptop that knows neither (one with no device key yet, or
/// that joined before Silta signed) enrols no one: the new laptop could check none of the first
/// laptop's entries.
pub(crate) fn first_for_enrolment(v: &Vault) -> Result<Signs> {
    let first = if v.device()?.is_none() {
        super::team::own_signs(v)?
    } else {
        v.list::<TeamRoster>(None)?
            .into_iter()
            .next()
            .map(|r| r.record.first.clone())
    };
    first.ok_or_else(|| {
        Error::InvalidInput(
            "this laptop joined the team before Silta signed what laptops write, and cannot enrol another: have a member enrol this laptop again, or enrol the new one from another laptop"
                .to_string()
                .into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::receive;
    use super::super::team::TeamDevice;
    use super::super::team::tests::{joined, team};
    use super::*;
    use crate::audit::{Action, Checkpoint};
    use crate::vault::replica::Incoming;

    /// Everything `from` shares, as `to` receives it from the server (a pull fetches only
    /// what the file does not hold).
    fn sent(from: &Vault, to: &Vault) -> Vec<(String, String, Incoming)> {
        let held: std::collections::HashSet<(String, String)> = to
            .shared_rows()
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.rev))
            .collect();
        from.shared_rows()
            .unwrap()
            .iter()
            .filter(|s| !held.contains(&(s.id.clone(), s.rev.clone())))
            .map(|s| {
                let d = from.document(s).unwrap();
                let row = to.open_incoming(&d.id, &d.rev, &d.body).unwrap();
                (d.id, d.rev, row)
            })
            .collect()
    }

    fn entries(v: &Vault) -> Vec<Entry> {
        let mut out: Vec<Entry> = v
            .list::<Entry>(None)
            .unwrap()
            .into_iter()
            .map(|s| s.record.clone())
            .collect();
        out.sort_by_key(|e| e.seq);
        out
    }

    #[test]
    fn a_device_key_is_read_whole_and_one_from_before_signing_is_named_as_such() {
        let identity = age::x25519::Identity::generate();
        let key = PublicDeviceKey::of(&identity).unwrap();
        let text = key.to_string();
        assert!(text.starts_with("age1") && text.contains('+'), "{text}");
        assert_eq!(
            PublicDeviceKey::from_str(&format!("  {text}\n")).unwrap(),
            key
        );
        // The signing half is in the fingerprint read out: another laptop's signing key with
        // this age key reads out differently.
        let other = PublicDeviceKey {
            signing: PublicDeviceKey::of(&age::x25519::Identity::generate())
                .unwrap()
                .signing,
            ..key.clone()
        };
        assert_ne!(other.fingerprint(), key.fingerprint());
        let older = PublicDeviceKey::from_str(&identity.to_public().to_string()).unwrap_err();
        assert!(older.to_string().contains("older Silta"), "{older}");
        let cut = PublicDeviceKey::from_str(&text[..text.len() - 2]).unwrap_err();
        assert!(cut.to_string().contains("copy the whole key"), "{cut}");
        assert!(PublicDeviceKey::from_str("age1+00").is_err());
    }

    #[test]
    fn an_entry_counts_only_signed_by_the_laptop_whose_chain_it_is_in() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let vault = a.id().uuid();
        let signers = signers(&a).unwrap();
        // The joined laptop signs from its first entry on, and its id names its key.
        let from_b = entries(&b);
        assert!(from_b.iter().all(|e| e.signature.is_some()));
        for e in &from_b {
            assert_eq!(signers.check(vault, e), Check::Good, "{}", e.seq);
        }
        let changed = Entry {
            detail: Some("something else".into()),
            ..from_b[0].clone()
        };
        assert_eq!(signers.check(vault, &changed), Check::Forged);
        let unsigned = Entry {
            signature: None,
            ..from_b[0].clone()
        };
        assert_eq!(signers.check(vault, &unsigned), Check::Forged);
        // Signed by laptop 1 in laptop 2's name.
        let mut posing = unsigned.clone();
        sign(&a, &mut posing).unwrap();
        assert!(posing.signature.is_some());
        assert_eq!(signers.check(vault, &posing), Check::Forged);
        // Another team's signature of the same entry.
        assert_eq!(signers.check(Uuid::new_v4(), &from_b[0]), Check::Forged);
        // The nil id is no laptop's.
        let nil = Entry {
            device: Some(Uuid::nil()),
            ..from_b[0].clone()
        };
        assert_eq!(signers.check(vault, &nil), Check::Forged);
        // A laptop on no list.
        let stranger = Entry {
            device: Some(Uuid::new_v4()),
            ..from_b[0].clone()
        };
        assert_eq!(signers.check(vault, &stranger), Check::Unknown);
        // The first laptop, as laptop 2 checks it with the key its enrolment named: what it
        // wrote before the team began is early (taken only as a run that links to its first
        // signed entry), what it wrote from then on only signed with that key.
        let on_b = super::signers(&b).unwrap();
        let (from, _) = on_b.first_signed().unwrap();
        let from_a = entries(&a);
        assert!(from_a.iter().any(|e| e.seq >= from) && from_a.iter().any(|e| e.seq < from));
        for e in &from_a {
            let stripped = Entry {
                signature: None,
                ..e.clone()
            };
            let (real, bare) = if e.seq < from {
                (Check::Early, Check::Early)
            } else {
                (Check::Good, Check::Forged)
            };
            assert_eq!(on_b.check(vault, e), real, "{}", e.seq);
            assert_eq!(on_b.check(vault, &stripped), bare, "{}", e.seq);
        }
        let mut posing = Entry {
            signature: None,
            ..from_a.last().unwrap().clone()
        };
        sign(&b, &mut posing).unwrap();
        assert_eq!(on_b.check(vault, &posing), Check::Forged);
    }

    fn listing_of(v: &Vault, device: Option<Uuid>) -> Vec<crate::vault::Stored<TeamDevice>> {
        v.list::<TeamDevice>(None)
            .unwrap()
            .into_iter()
            .filter(|d| d.record.device == device)
            .collect()
    }

    #[test]
    fn a_listing_counts_as_first_written_and_no_member_rewrites_hides_or_moves_one() {
        let dir = tempfile::tempdir().unwrap();
        let (mut a, b) = team(dir.path());
        let mut c = joined(&a, dir.path(), "c");
        let vault = a.id().uuid();
        receive::take(&c, sent(&a, &c)).unwrap();
        let of_b = listing_of(&c, b.device().unwrap());
        assert_eq!(of_b.len(), 1, "laptop 3 takes laptop 2's listing");
        let of_b = of_b[0].clone();
        // Laptop 1, a member gone bad, lists laptop 2 with keys of its own: in a new version,
        // in a listing at an id of its own choosing, and in one marking it removed there.
        let other = age::x25519::Identity::generate();
        let other_key = PublicDeviceKey::of(&other).unwrap();
        let posing = TeamDevice {
            key: other_key.age.to_string(),
            signing: Some(other_key.signing_hex()),
            ..of_b.record.clone()
        };
        let on_a = a.get::<TeamDevice>(of_b.id).unwrap();
        a.update(&on_a, &posing).unwrap();
        a.insert(None, &posing).unwrap();
        a.insert(
            None,
            &TeamDevice {
                removed_after: Some(0),
                ..of_b.record.clone()
            },
        )
        .unwrap();
        // A new version at the id its own entry makes, as if that entry had created it.
        let next = crate::audit::next_seq(&crate::audit::head(&a).unwrap());
        a.update(
            &crate::vault::Saved {
                id: crate::ids::TeamDeviceId::from_uuid(a.tagger().listing_id(None, next)),
                version: 4,
                ..on_a.clone()
            },
            &posing,
        )
        .unwrap();
        // And deletes laptop 2's listing.
        a.delete::<TeamDevice>(of_b.id).unwrap();
        let taken = receive::take(&c, sent(&a, &c)).unwrap();
        assert!(taken.entries > 0, "{taken:?}");
        // Those entries are taken, and what they wrote is not, and laptop 3's log check agrees.
        let report = crate::audit::verify(&c).unwrap();
        assert_eq!((report.broken, report.more), (None, 0));
        // Laptop 3 holds laptop 2's listing as it was first written, and no other.
        assert_eq!(
            listing_of(&c, b.device().unwrap())
                .iter()
                .map(|d| (d.id, d.version, d.record.clone()))
                .collect::<Vec<_>>(),
            [(of_b.id, 1, of_b.record.clone())]
        );
        assert!(
            super::super::team::devices(&c)
                .unwrap()
                .iter()
                .all(|d| !d.removed),
            "a listing at an id its entry does not name marks no one removed"
        );
        // So laptop 2's entries count, signed with its own key only, and a key change sends
        // it its key at its own age key.
        let on_c = signers(&c).unwrap();
        let first = entries(&b)[0].clone();
        assert_eq!(on_c.check(vault, &first), Check::Good);
        let mut forged = Entry {
            signature: None,
            ..first
        };
        forged.signature = Some(signature(
            &DeviceSigner::of(&other).unwrap(),
            &message(vault, &forged).unwrap(),
        ));
        assert_eq!(on_c.check(vault, &forged), Check::Forged);
        let change = c.change_key().unwrap();
        assert!(change.sent_to.contains(&'B'), "{:?}", change.sent_to);
        // On laptop 1 itself, the member's own rewritten listing sends laptop 2 nothing
        // rather than sending its key to the member.
        let change = a.change_key().unwrap();
        assert!(!change.sent_to.contains(&'B'), "{:?}", change.sent_to);
        // An entry deleting a listing is not followed, nor one naming the listing's id as
        // another kind's.
        let mut decided = crate::audit::Decided::default();
        decided.note(&Entry {
            action: Action::Deleted,
            kind: Some(super::super::team::DEVICE_KIND.into()),
            target: Some(of_b.id.uuid()),
            ..entries(&b)[0].clone()
        });
        assert!(!decided.covers(super::super::team::DEVICE_KIND, of_b.id.uuid(), None));
        decided.note(&Entry {
            action: Action::Deleted,
            kind: Some(crate::model::Note::KIND.into()),
            target: Some(of_b.id.uuid()),
            ..entries(&b)[0].clone()
        });
        assert!(!decided.covers(super::super::team::DEVICE_KIND, of_b.id.uuid(), None));
        assert!(decided.covers(crate::model::Note::KIND, of_b.id.uuid(), None));
    }

    #[test]
    fn a_removal_is_a_listing_of_its_own_that_no_later_version_undoes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let c = joined(&a, dir.path(), "c");
        let of_b = listing_of(&a, b.device().unwrap())[0].clone();
        super::super::team::insert_listing(
            &a,
            &TeamDevice {
                removed_after: Some(0),
                ..of_b.record.clone()
            },
        )
        .unwrap();
        let removal = listing_of(&a, b.device().unwrap())
            .into_iter()
            .find(|d| d.record.removed_after.is_some())
            .unwrap();
        // The same member, or another, then writes the removal again unmarked, and (once the
        // server has both) deletes it.
        a.update(
            &removal,
            &TeamDevice {
                removed_after: None,
                ..removal.record.clone()
            },
        )
        .unwrap();
        let before = sent(&a, &c);
        a.delete::<TeamDevice>(removal.id).unwrap();
        let mut docs = sent(&a, &c);
        docs.extend(before);
        receive::take(&c, docs).unwrap();
        let on_c = super::super::team::devices(&c).unwrap();
        assert!(
            on_c.iter()
                .any(|d| d.series == Some('B') && d.removed && !d.this_laptop),
            "{on_c:?}"
        );
        assert_eq!(
            on_c.iter().filter(|d| d.series == Some('B')).count(),
            1,
            "one laptop, shown once"
        );
        assert_eq!(
            super::super::team::chain_ends(&c)
                .unwrap()
                .get(&b.device().unwrap().unwrap()),
            Some(&0)
        );
    }

    #[test]
    fn two_copies_of_one_laptops_file_written_on_are_neither_taken_past_where_they_part() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        receive::take(&b, sent(&a, &b)).unwrap();
        let note = |v: &Vault, text: &str| {
            v.insert(None, &crate::model::Note { text: text.into() })
                .unwrap();
        };
        note(&b, "before the copy");
        let taken = receive::take(&a, sent(&b, &a)).unwrap();
        assert_eq!((taken.waiting, taken.forged), (0, 0), "{taken:?}");
        // Laptop 2's file is copied (a backup put back on another computer), and both copies
        // are written on.
        let path = dir.path().join("b-copy.silta");
        b.backup(&path).unwrap();
        let copy = Vault::unlock(
            &path,
            Some("Mikko"),
            &crate::vault::Passphrase::new("another horse battery staple"),
        )
        .unwrap();
        note(&b, "on the laptop");
        note(&copy, "on the copy");
        let mut both = sent(&b, &a);
        both.extend(sent(&copy, &a));
        let taken = receive::take(&a, both).unwrap();
        assert_eq!(taken.entries, 0, "{taken:?}");
        assert!(taken.waiting > 0, "{taken:?}");
        let texts: Vec<String> = a
            .list::<crate::model::Note>(None)
            .unwrap()
            .into_iter()
            .map(|n| n.record.text.clone())
            .collect();
        assert_eq!(texts, ["before the copy"]);
        // Either copy alone is taken.
        let taken = receive::take(&a, sent(&b, &a)).unwrap();
        assert!(taken.entries > 0, "{taken:?}");
        // Each copy sees the other's entries as its own laptop's, written elsewhere.
        assert!(receive::own_elsewhere(&copy, &sent(&b, &copy)).unwrap() > 0);
        assert!(receive::own_elsewhere(&b, &sent(&copy, &b)).unwrap() > 0);
    }

    #[test]
    fn an_entry_sealed_again_is_the_same_entry_not_a_second_copy_of_its_laptop() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let c = joined(&a, dir.path(), "c");
        receive::take(&c, sent(&a, &c)).unwrap();
        b.insert(
            None,
            &crate::model::Note {
                text: "on laptop 2".into(),
            },
        )
        .unwrap();
        // Laptop 1, holding the team's keys, seals each of laptop 2's entries again: the same
        // entry, other bytes, beside the real one on the server.
        let real = sent(&b, &c);
        let again: Vec<(String, String, Incoming)> = real
            .iter()
            .filter_map(|(doc, _, row)| match row {
                Incoming::Record(r) if r.kind == Entry::KIND => {
                    let (e, _, _) = c.open_received::<Entry>(r)?;
                    let resealed = a.sealed_for_tests::<Entry>(r.id, &e, e.seq).ok()?;
                    assert_ne!(resealed.sealed, r.sealed);
                    Some((doc.clone(), "1-other".into(), Incoming::Record(resealed)))
                }
                _ => None,
            })
            .collect();
        assert!(!again.is_empty());
        // And each of them once more, elsewhere (at another id): first in what the server
        // offers, so that it would stand in for the real one if place did not count.
        let elsewhere: Vec<(String, String, Incoming)> = real
            .iter()
            .filter_map(|(doc, _, row)| match row {
                Incoming::Record(r) if r.kind == Entry::KIND => {
                    let (e, _, _) = c.open_received::<Entry>(r)?;
                    let moved = a
                        .sealed_for_tests::<Entry>(Uuid::new_v4(), &e, e.seq)
                        .ok()?;
                    Some((doc.clone(), "1-moved".into(), Incoming::Record(moved)))
                }
                _ => None,
            })
            .collect();
        let moved = elsewhere.len();
        // Laptop 2 does not take them for another copy of its file, in their place or out of it.
        assert_eq!(receive::own_elsewhere(&b, &again).unwrap(), 0);
        assert_eq!(receive::own_elsewhere(&b, &elsewhere).unwrap(), 0);
        // Laptop 3 takes laptop 2's chain as one, and refuses what is out of its place.
        let mut all = elsewhere;
        all.extend(again);
        all.extend(real);
        let taken = receive::take(&c, all).unwrap();
        assert!(taken.entries > 0, "{taken:?}");
        assert_eq!((taken.waiting, taken.forged), (0, moved), "{taken:?}");
        // A signature written otherwise than Silta writes it (in capitals) is not laptop 2's.
        let last = entries(&b).pop().unwrap();
        let shouted = Entry {
            signature: last.signature.as_deref().map(str::to_uppercase),
            ..last.clone()
        };
        let on_c = signers(&c).unwrap();
        assert_eq!(on_c.check(c.id().uuid(), &last), Check::Good);
        assert_eq!(on_c.check(c.id().uuid(), &shouted), Check::Forged);
    }

    #[test]
    fn a_laptop_listed_with_an_id_made_from_no_keys_is_no_laptops() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let mut c = joined(&a, dir.path(), "c");
        let vault = a.id().uuid();
        let of_b = listing_of(&a, b.device().unwrap())[0].clone();
        // Laptop 1 lists a laptop with a random id, as laptops had before Silta signed, with
        // its own age key: whoever holds the team's keys could write its chain unsigned.
        let random = Uuid::new_v4();
        super::super::team::insert_listing(
            &a,
            &TeamDevice {
                device: Some(random),
                signing: None,
                series: Some('Y'),
                ..of_b.record.clone()
            },
        )
        .unwrap();
        receive::take(&c, sent(&a, &c)).unwrap();
        assert_eq!(listing_of(&c, Some(random)).len(), 1);
        let on_c = signers(&c).unwrap();
        let mut unsigned = Entry {
            device: Some(random),
            signature: None,
            ..entries(&b)[0].clone()
        };
        assert_eq!(on_c.check(vault, &unsigned), Check::Forged);
        sign(&a, &mut unsigned).unwrap();
        assert_eq!(on_c.check(vault, &unsigned), Check::Forged);
        let change = c.change_key().unwrap();
        assert!(!change.sent_to.contains(&'Y'), "{:?}", change.sent_to);
        assert!(change.sent_to.contains(&'B'), "{:?}", change.sent_to);
    }

    #[test]
    fn an_entry_a_member_writes_in_another_laptops_chain_is_not_taken() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let c = joined(&a, dir.path(), "c");
        // Laptop 3 takes laptop 1's chain as far as it goes: the run from before the team
        // began, then what it signed.
        let taken = receive::take(&c, sent(&a, &c)).unwrap();
        assert_eq!(taken.forged, 0, "{taken:?}");
        let at: Checkpoint = crate::audit::received(&c).unwrap()[&Uuid::nil()].clone();
        assert_eq!(at.seq, entries(&a).last().unwrap().seq);
        // Laptop 2 writes the next entry of laptop 1's chain: a deletion, unsigned, then signed
        // with its own key.
        let mut forged = Entry {
            seq: at.seq + 1,
            at: chrono::Utc::now(),
            user: "Kaisa".into(),
            action: Action::Deleted,
            kind: Some(crate::model::Note::KIND.into()),
            target: Some(Uuid::new_v4()),
            version: None,
            sealed: None,
            case: None,
            detail: None,
            device: None,
            prev: at.mac.clone(),
            signature: None,
        };
        let id = b.tagger().device_entry_id(None, forged.seq);
        for signed in [false, true] {
            if signed {
                sign(&b, &mut forged).unwrap();
            }
            let row = b.sealed_for_tests(id, &forged, forged.seq).unwrap();
            let taken = receive::take(
                &c,
                vec![(String::new(), String::new(), Incoming::Record(row))],
            )
            .unwrap();
            assert_eq!(
                (taken.entries, taken.forged),
                (0, 1),
                "signed by laptop 2: {signed}"
            );
            assert_eq!(crate::audit::received(&c).unwrap()[&Uuid::nil()], at);
        }
        // What laptop 1 itself writes next is taken.
        crate::audit::log(&a, crate::audit::Event::new(Action::Export)).unwrap();
        let taken = receive::take(&c, sent(&a, &c)).unwrap();
        assert_eq!((taken.entries, taken.forged), (1, 0), "{taken:?}");
    }

    #[test]
    fn the_first_laptops_entries_from_before_the_team_are_taken_only_as_the_run_the_enrolment_names()
     {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let c = joined(&a, dir.path(), "c");
        let (from, _) = signers(&c).unwrap().first_signed().unwrap();
        assert!(from > 2);
        // Laptop 2 puts a second entry 2 of laptop 1's beside the real one on the server: an
        // erasure, unsigned as entries from before the team are, following entry 1.
        let real: Vec<Entry> = entries(&a);
        let mut forged = real[1].clone();
        forged.action = Action::Erasure;
        forged.detail = Some("forged".into());
        let row = b
            .sealed_for_tests(b.tagger().device_entry_id(None, 2), &forged, 2)
            .unwrap();
        let mut docs = sent(&a, &c);
        docs.push((String::new(), String::new(), Incoming::Record(row)));
        let taken = receive::take(&c, docs).unwrap();
        // Laptop 3 takes laptop 1's whole chain, with the real entry 2: the one the run to the
        // entry its enrolment named leads through.
        assert_eq!(
            crate::audit::received(&c).unwrap()[&Uuid::nil()].seq,
            real.last().unwrap().seq
        );
        assert!(taken.entries >= real.len(), "{taken:?}");
        assert!(
            entries(&c)
                .iter()
                .all(|e| e.detail.as_deref() != Some("forged"))
        );
        // Before laptop 1 has sent anything it signed, the run is taken alone.
        let d = joined(&a, dir.path(), "d");
        let early: Vec<_> = sent(&a, &d)
            .into_iter()
            .filter(|(_, _, r)| match r {
                Incoming::Record(r) => d
                    .open_received::<Entry>(r)
                    .is_none_or(|(e, _, _)| e.seq < from),
                Incoming::Chunk { .. } => true,
            })
            .collect();
        let taken = receive::take(&d, early).unwrap();
        assert_eq!(taken.entries as u64, from - 1, "{taken:?}");
    }

    #[test]
    fn a_record_the_first_laptop_deleted_before_the_team_began_holds_nothing_back() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _) = Vault::create(
            &dir.path().join("a.silta"),
            "Kaisa",
            &crate::vault::Passphrase::new("correct horse battery"),
            crate::vault::KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
        let note = a
            .insert(
                None,
                &crate::model::Note {
                    text: "made and deleted before the team".into(),
                },
            )
            .unwrap();
        a.delete::<crate::model::Note>(note.id).unwrap();
        let c = joined(&a, dir.path(), "c");
        let taken = receive::take(&c, sent(&a, &c)).unwrap();
        assert_eq!((taken.waiting, taken.forged), (0, 0), "{taken:?}");
        assert_eq!(
            crate::audit::received(&c).unwrap()[&Uuid::nil()].seq,
            entries(&a).last().unwrap().seq
        );
    }

    #[test]
    fn a_laptop_joins_only_with_an_enrolment_that_names_its_own_signing_key() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _) = team(dir.path());
        let device = age::x25519::Identity::generate();
        // The age half of this laptop's key with another's signing half: the fingerprint read
        // out would differ, and were it read out so, the laptop refuses the enrolment.
        let key = PublicDeviceKey {
            signing: PublicDeviceKey::of(&age::x25519::Identity::generate())
                .unwrap()
                .signing,
            ..PublicDeviceKey::of(&device).unwrap()
        };
        let mut server = super::super::team::tests::server();
        server.user = "laptop-3".into();
        let package =
            super::super::enrolment::enrol(&a, &key.to_string(), &key.fingerprint(), server)
                .unwrap();
        let file = dir.path().join("c.age");
        std::fs::write(&file, package).unwrap();
        let Err(err) = super::super::enrolment::join(
            &dir.path().join("c.silta"),
            "Aino",
            &crate::vault::Passphrase::new("a third horse battery staple"),
            crate::vault::KdfParams::CHEAP_FOR_TESTS,
            &file,
            &device,
        ) else {
            panic!("joined with another laptop's signing key");
        };
        assert!(err.to_string().contains("signing key"), "{err}");
        assert!(!dir.path().join("c.silta").exists());
    }
}
