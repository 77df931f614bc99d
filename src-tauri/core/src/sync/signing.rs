//! Each laptop of a team signs the entries of its own chain (docs/sync.md, section 5, "Who
//! wrote it"). The vault's key is the team's: with it alone, any member could write an entry in
//! another laptop's name (a record changed, a removal, a key sent), and a laptop removed from the
//! team could go on doing so with a login of someone else's under the key it kept. An Ed25519
//! signature by the laptop's own key, which never leaves it, shows which laptop wrote an entry;
//! another laptop takes an entry only when it checks against the key the team's list names for
//! the laptop whose chain it is in.
//!
//! The signing key comes from the device key (the age identity a laptop joins with) by HKDF, so
//! that one secret is kept and one key read out: the device key text a laptop shows is its age
//! recipient and its signing key's public half, and the fingerprint read out by phone covers both.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::team::TeamGrant;
use crate::audit::Entry;
use crate::error::{Error, Invalid, Result};
use crate::ids::{CounterId, RecordId};
use crate::vault::{Record, Vault};

/// The record kind of the signing keys an enrolment named (never shared).
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

/// `entry` signed by this laptop, if it signs (a laptop on a team's list).
pub(crate) fn sign(v: &Vault, entry: &mut Entry) -> Result<()> {
    if let Some(key) = v.signer()? {
        entry.signature = Some(signature(&key, &message(v.id().uuid(), entry)?));
    }
    Ok(())
}

/// `grant` signed by this laptop, if it signs.
pub(crate) fn sign_grant(v: &Vault, grant: &mut TeamGrant) -> Result<()> {
    if let Some(key) = v.signer()? {
        grant.signature = Some(signature(
            &key,
            &grant_message(v.id().uuid(), v.device()?, grant)?,
        ));
    }
    Ok(())
}

fn signature(key: &SigningKey, message: &[u8]) -> String {
    use ed25519_dalek::Signer as _;
    hex::encode(key.sign(message).to_bytes())
}

/// How the entries of one laptop are checked, as the team's list (and the enrolment's roster)
/// names its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Signer {
    /// Signed from entry `from` on (the team's first laptop wrote its entries before the team
    /// began unsigned).
    Key { key: VerifyingKey, from: u64 },
    /// Listed by a Silta from before signing (every listing of it says so): taken unsigned.
    Unsigned,
    /// Listed with two different keys: one listing is not the team's, and nothing of it is taken.
    Differ,
}

/// What a check of an entry found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Check {
    Good,
    /// Its laptop is on no list this file holds yet: it waits for the listing.
    Unknown,
    Forged,
}

/// The signing key of every laptop this file lists, by device (the first as the nil UUID).
#[derive(Debug, Default)]
pub(crate) struct Signers {
    by_device: HashMap<Uuid, Signer>,
    /// A team from before signing: the file lists no laptop with a key, and entries are taken
    /// unsigned as then.
    unsigned_team: bool,
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

    /// `signature` over `message` by `device`'s key; `seq`, the entry's number in its chain
    /// (a grant, written only by a laptop on the list, has none and is always signed).
    fn verify(
        &self,
        device: Option<Uuid>,
        seq: Option<u64>,
        signature: Option<&str>,
        message: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Check {
        if self.unsigned_team {
            return Check::Good;
        }
        match self.by_device.get(&device.unwrap_or_default()) {
            None => Check::Unknown,
            Some(Signer::Differ) => Check::Forged,
            Some(Signer::Unsigned) => Check::Good,
            Some(Signer::Key { from, .. }) if seq.is_some_and(|seq| seq < *from) => Check::Good,
            Some(Signer::Key { key, .. }) => {
                let good = (|| {
                    let bytes: [u8; 64] = hex::decode(signature?).ok()?.try_into().ok()?;
                    key.verify_strict(&message().ok()?, &Signature::from_bytes(&bytes))
                        .ok()
                })();
                if good.is_some() {
                    Check::Good
                } else {
                    Check::Forged
                }
            }
        }
    }

    fn add(&mut self, device: Option<Uuid>, signer: Signer) {
        let at = self.by_device.entry(device.unwrap_or_default());
        match at {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(signer);
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let merged = match (e.get(), &signer) {
                    (Signer::Key { key: a, from: f }, Signer::Key { key: b, from: g })
                        if a == b =>
                    {
                        // Two listings of one key: the stricter start holds.
                        Signer::Key {
                            key: *a,
                            from: (*f).min(*g),
                        }
                    }
                    (Signer::Unsigned, Signer::Unsigned) => Signer::Unsigned,
                    _ => Signer::Differ,
                };
                e.insert(merged);
            }
        }
    }
}

/// A laptop's signing key as a listing or a roster names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Signs {
    pub device: Option<Uuid>,
    /// Ed25519, 64 hex digits.
    pub key: String,
    /// The first entry of its chain it signs.
    pub from: u64,
}

/// The signing keys the enrolment this laptop joined with named (the team's list as the member
/// who made it had it): how this laptop checks the first entries it takes, before any listing
/// has reached it in a chain it can check. Its own, never shared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamRoster {
    pub signers: Vec<Signs>,
}

impl Record for TeamRoster {
    const KIND: &'static str = ROSTER_KIND;
    type Id = CounterId;
}

/// The signing keys this file knows: the team's list and the enrolment's roster.
pub(crate) fn signers(v: &Vault) -> Result<Signers> {
    let mut out = Signers::default();
    let listed = v.list::<super::team::TeamDevice>(None)?;
    let rostered: Vec<Signs> = v
        .list::<TeamRoster>(None)?
        .into_iter()
        .flat_map(|r| r.record.signers.clone())
        .collect();
    for d in &listed {
        let signer = match &d.record.signing {
            None => Signer::Unsigned,
            Some(key) => match verifying_key(key) {
                Some(key) => Signer::Key {
                    key,
                    from: d.record.signs_from,
                },
                None => Signer::Differ,
            },
        };
        out.add(d.record.device, signer);
    }
    for s in &rostered {
        out.add(
            s.device,
            match verifying_key(&s.key) {
                Some(key) => Signer::Key { key, from: s.from },
                None => Signer::Differ,
            },
        );
    }
    out.unsigned_team = rostered.is_empty() && listed.iter().all(|d| d.record.signing.is_none());
    Ok(out)
}

/// The roster an enrolment carries: every laptop this file lists with a key.
pub(crate) fn roster(v: &Vault) -> Result<Vec<Signs>> {
    let mut out: Vec<Signs> = v
        .list::<super::team::TeamDevice>(None)?
        .into_iter()
        .filter_map(|d| {
            d.record.signing.clone().map(|key| Signs {
                device: d.record.device,
                key,
                from: d.record.signs_from,
            })
        })
        .collect();
    for s in v.list::<TeamRoster>(None)? {
        out.extend(s.record.signers.iter().cloned());
    }
    out.sort_by(|a, b| (a.device, &a.key, a.from).cmp(&(b.device, &b.key, b.from)));
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::receive;
    use super::super::team::tests::{joined, team};
    use super::*;
    use crate::audit::{Action, Checkpoint};
    use crate::vault::replica::Incoming;

    /// Everything `from` shares, as `to` receives it from the server.
    fn sent(from: &Vault, to: &Vault) -> Vec<(String, String, Incoming)> {
        from.shared_rows()
            .unwrap()
            .iter()
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
        assert!(cut.to_string().contains("copy it whole"), "{cut}");
        assert!(PublicDeviceKey::from_str("age1+00").is_err());
    }

    #[test]
    fn an_entry_counts_only_signed_by_the_laptop_whose_chain_it_is_in() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let vault = a.id().uuid();
        let signers = signers(&a).unwrap();
        // The joined laptop signs from its first entry on.
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
        // The first laptop: what it wrote before the team began is taken unsigned, what it
        // wrote from its listing on only signed.
        let listed = a.list::<super::super::team::TeamDevice>(None).unwrap();
        let first = listed.iter().find(|d| d.record.device.is_none()).unwrap();
        let from_a = entries(&a);
        for e in &from_a {
            let stripped = Entry {
                signature: None,
                ..e.clone()
            };
            let expected = if e.seq < first.record.signs_from {
                Check::Good
            } else {
                Check::Forged
            };
            assert_eq!(signers.check(vault, &stripped), expected, "{}", e.seq);
            assert_eq!(signers.check(vault, e), Check::Good, "{}", e.seq);
        }
        assert!(from_a.iter().any(|e| e.seq >= first.record.signs_from));
        // A laptop on no list yet.
        let stranger = Entry {
            device: Some(Uuid::new_v4()),
            ..from_b[0].clone()
        };
        assert_eq!(signers.check(vault, &stranger), Check::Unknown);
    }

    #[test]
    fn a_laptop_listed_with_two_keys_has_nothing_taken_and_a_team_from_before_signing_everything() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let vault = a.id().uuid();
        let listed = a.list::<super::super::team::TeamDevice>(None).unwrap();
        let of_b = listed
            .iter()
            .find(|d| d.record.device == b.device().unwrap())
            .unwrap();
        let first = &entries(&b)[0];
        // A member lists laptop 2 again with a key of its own: nothing of laptop 2 counts.
        let other = PublicDeviceKey::of(&age::x25519::Identity::generate()).unwrap();
        a.insert(
            None,
            &super::super::team::TeamDevice {
                signing: Some(other.signing_hex()),
                ..of_b.record.clone()
            },
        )
        .unwrap();
        assert_eq!(signers(&a).unwrap().check(vault, first), Check::Forged);
        // Nor does a listing without a key beside one with it.
        let (a2, b2) = team(&dir.path().join("2"));
        let of_b2 = a2
            .list::<super::super::team::TeamDevice>(None)
            .unwrap()
            .into_iter()
            .find(|d| d.record.device == b2.device().unwrap())
            .unwrap();
        a2.insert(
            None,
            &super::super::team::TeamDevice {
                signing: None,
                ..of_b2.record.clone()
            },
        )
        .unwrap();
        let unsigned = Entry {
            signature: None,
            ..entries(&b2)[0].clone()
        };
        assert_eq!(
            signers(&a2).unwrap().check(a2.id().uuid(), &unsigned),
            Check::Forged
        );
        // A list every laptop of which was listed before Silta signed: taken unsigned, as then.
        for d in a2.list::<super::super::team::TeamDevice>(None).unwrap() {
            a2.update(
                &d,
                &super::super::team::TeamDevice {
                    signing: None,
                    ..d.record.clone()
                },
            )
            .unwrap();
        }
        assert_eq!(
            signers(&a2).unwrap().check(a2.id().uuid(), &unsigned),
            Check::Good
        );
    }

    #[test]
    fn an_entry_a_member_writes_in_another_laptops_chain_is_not_taken() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let c = joined(&a, dir.path(), "c");
        // Laptop 3 takes laptop 1's chain as far as it goes.
        let taken = receive::take(&c, sent(&a, &c)).unwrap();
        assert!(taken.entries > 0 && taken.forged == 0, "{taken:?}");
        let at: Checkpoint = crate::audit::received(&c).unwrap()[&Uuid::nil()].clone();
        // Laptop 2 writes the next entry of laptop 1's chain: a deletion of laptop 3's listing,
        // unsigned, then signed with its own key.
        let mut forged = Entry {
            seq: at.seq + 1,
            at: chrono::Utc::now(),
            user: "Kaisa".into(),
            action: Action::Deleted,
            kind: Some(super::super::team::DEVICE_KIND.into()),
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
