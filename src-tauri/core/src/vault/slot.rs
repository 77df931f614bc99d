//! Key slots: each holds a staff member's (or the recovery key's) own X25519 identity, wrapped
//! (AES-256-GCM) under a key that only one secret opens: a passphrase (through Argon2id) or the
//! recovery key. The identity opens the slot's access grant to the current key epoch (`epochs`).
//! Changing a passphrase rewraps the identity; records are never re-encrypted. A slot of format 1
//! (before key epochs) wraps the first epoch's key itself. The byte layout is in
//! docs/vault-format.md.

use aes_gcm::aead::Aead;
use age::secrecy::ExposeSecret;
use argon2::{Algorithm, Argon2, Params, Version};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use super::keys::{self, KEY_LEN, NONCE_LEN, SecretKey, TAG_LEN};
use crate::error::{Error, Result};
use crate::ids::{RecordId, SlotId, VaultId};

const MAGIC: &[u8; 4] = b"SLTK";
/// Format 1 wraps the first epoch's key; format 2 wraps the member's identity.
const WRAPS_KEY: u8 = 1;
const WRAPS_IDENTITY: u8 = 2;
const KIND_PASSPHRASE: u8 = 1;
const KIND_RECOVERY: u8 = 2;
const KDF_NONE: u8 = 0;
const KDF_ARGON2ID: u8 = 1;
const SALT_LEN: usize = 32;
const AAD_PREFIX: &[u8] = b"silta/slot/v1";
/// An age X25519 identity as text: "AGE-SECRET-KEY-1" and 58 Bech32 characters.
const IDENTITY_LEN: usize = 74;
/// An age X25519 recipient as text: "age1" and 58 Bech32 characters.
const RECIPIENT_LEN: usize = 62;
/// The epoch last seen (u32) and its check value, then the identity.
const SEEN_LEN: usize = 4 + KEY_LEN;

/// Argon2id cost. Stored in each slot, so raising the default later takes effect for a staff
/// member at their next passphrase change without touching anyone else's slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KdfParams {
    memory_kib: u32,
    passes: u32,
    lanes: u32,
}

impl KdfParams {
    /// RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes.
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        passes: 3,
        lanes: 4,
    };

    /// The floor (OWASP's minimum for Argon2id: 19 MiB, 2 passes). Weaker settings are refused.
    pub const MINIMUM: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        passes: 2,
        lanes: 1,
    };

    /// The ceiling a slot may ask for, near what Silta writes (64 MiB, 3 passes by default): a
    /// tampered slot must not hold the unlock for minutes or ask for gigabytes. A slot beyond it
    /// is damaged, not a wrong passphrase.
    const MAXIMUM: KdfParams = KdfParams {
        memory_kib: 1024 * 1024,
        passes: 10,
        lanes: 16,
    };

    pub fn new(memory_kib: u32, passes: u32, lanes: u32) -> Result<Self> {
        let p = KdfParams {
            memory_kib,
            passes,
            lanes,
        };
        if !p.within(Self::MINIMUM, Self::MAXIMUM) {
            return Err(Error::invalid(format!(
                "key derivation settings must be between {} MiB / {} passes and {} MiB / {} passes",
                Self::MINIMUM.memory_kib / 1024,
                Self::MINIMUM.passes,
                Self::MAXIMUM.memory_kib / 1024,
                Self::MAXIMUM.passes
            )));
        }
        Ok(p)
    }

    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    pub fn passes(&self) -> u32 {
        self.passes
    }

    pub fn lanes(&self) -> u32 {
        self.lanes
    }

    fn within(&self, lo: KdfParams, hi: KdfParams) -> bool {
        (lo.memory_kib..=hi.memory_kib).contains(&self.memory_kib)
            && (lo.passes..=hi.passes).contains(&self.passes)
            && (lo.lanes..=hi.lanes).contains(&self.lanes)
            && self.memory_kib >= 8 * self.lanes
    }

    /// Test suites may go below the floor to stay fast; production code cannot reach this.
    #[cfg(any(test, feature = "test-support"))]
    pub const CHEAP_FOR_TESTS: KdfParams = KdfParams {
        memory_kib: 64,
        passes: 1,
        lanes: 1,
    };
}

// The floor for new slots, checked when the crate is built.
const _: () = assert!(KdfParams::DEFAULT.memory_kib >= 64 * 1024 && KdfParams::DEFAULT.passes >= 3);

/// A passphrase; normalised to Unicode NFC so that "ä" typed on any keyboard derives the same key.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: &str) -> Self {
        Self(Zeroizing::new(text.nfc().collect()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A new passphrase must have at least 8 characters; the app adds strength feedback on top.
    pub fn check_new(&self) -> Result<()> {
        if self.0.chars().count() < 8 {
            return Err(Error::InvalidInput(
                crate::error::Invalid::PassphraseTooShort,
            ));
        }
        Ok(())
    }

    fn derive(&self, params: KdfParams, salt: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>> {
        let argon_params = Params::new(
            params.memory_kib,
            params.passes,
            params.lanes,
            Some(KEY_LEN),
        )
        .map_err(|e| Error::invalid(format!("key derivation settings: {e}")))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(self.0.as_bytes(), salt, out.as_mut())
            .map_err(|e| Error::invalid(format!("key derivation: {e}")))?;
        Ok(out)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    Passphrase(KdfParams),
    Recovery,
}

/// The last key epoch a slot's owner saw, as the slot remembers it: its number and its check
/// value (`keys::epoch_check`). A grant is taken only if the chain of links from its key leads
/// back to this epoch's key, so no one who lacks an epoch key can hand a member a key of their
/// own making.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Seen {
    pub epoch: u32,
    pub check: [u8; KEY_LEN],
}

/// What a slot opens to.
pub(crate) enum Opened {
    /// A slot of format 1: the first epoch's key itself, and the key that unwrapped it.
    FirstKey {
        key: SecretKey,
        kek: Zeroizing<[u8; KEY_LEN]>,
    },
    /// A slot of format 2: the owner's identity, the epoch they last saw, and the key that
    /// unwrapped them (kept for the moment of unlocking, to renew the slot without a second
    /// Argon2 run).
    Identity {
        identity: age::x25519::Identity,
        seen: Seen,
        kek: Zeroizing<[u8; KEY_LEN]>,
    },
}

/// A parsed slot: its header (kind, KDF settings, salt, recipient) and what it wraps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub kind: SlotKind,
    salt: Vec<u8>,
    /// The owner's age recipient (format 2), to which access grants are encrypted.
    recipient: Option<String>,
    nonce: [u8; NONCE_LEN],
    wrapped: Vec<u8>,
}

impl Slot {
    /// Wraps a member's identity under a passphrase.
    pub(crate) fn for_passphrase(
        vault: VaultId,
        slot: SlotId,
        passphrase: &Passphrase,
        params: KdfParams,
        identity: &age::x25519::Identity,
        seen: Seen,
    ) -> Result<Slot> {
        if passphrase.is_empty() {
            return Err(Error::invalid("the passphrase is empty"));
        }
        let salt = keys::random_bytes::<SALT_LEN>().to_vec();
        let kek = passphrase.derive(params, &salt)?;
        let kind = SlotKind::Passphrase(params);
        Self::wrap(vault, slot, kind, salt, &kek, identity, seen)
    }

    /// Wraps the recovery identity under the (already random, full-strength) recovery key.
    pub(crate) fn for_recovery(
        vault: VaultId,
        slot: SlotId,
        recovery_key: &SecretKey,
        identity: &age::x25519::Identity,
        seen: Seen,
    ) -> Result<Slot> {
        let kek = recovery_key.expose();
        Self::wrap(
            vault,
            slot,
            SlotKind::Recovery,
            Vec::new(),
            kek,
            identity,
            seen,
        )
    }

    /// The same slot (kind, settings, salt, secret) remembering a later epoch, or (from a slot of
    /// format 1) wrapping a new identity. `kek` is what unwrapped it at this unlock.
    pub(crate) fn renewed(
        &self,
        vault: VaultId,
        slot: SlotId,
        kek: &[u8; KEY_LEN],
        identity: &age::x25519::Identity,
        seen: Seen,
    ) -> Result<Slot> {
        Self::wrap(
            vault,
            slot,
            self.kind,
            self.salt.clone(),
            kek,
            identity,
            seen,
        )
    }

    fn wrap(
        vault: VaultId,
        slot: SlotId,
        kind: SlotKind,
        salt: Vec<u8>,
        kek: &[u8; KEY_LEN],
        identity: &age::x25519::Identity,
        seen: Seen,
    ) -> Result<Slot> {
        let mut s = Slot {
            kind,
            salt,
            recipient: Some(identity.to_public().to_string()),
            nonce: keys::random_bytes(),
            wrapped: Vec::new(),
        };
        let secret = identity.to_string();
        let mut plain = Zeroizing::new(Vec::with_capacity(SEEN_LEN + IDENTITY_LEN));
        plain.extend_from_slice(&seen.epoch.to_be_bytes());
        plain.extend_from_slice(&seen.check);
        plain.extend_from_slice(secret.expose_secret().as_bytes());
        let aad = s.aad(vault, slot);
        s.wrapped = keys::wrapping_cipher(kek)
            .encrypt(
                (&s.nonce).into(),
                aes_gcm::aead::Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .map_err(|_| Error::invalid("cannot wrap the key"))?;
        Ok(s)
    }

    /// A slot of format 1 (before key epochs), wrapping the first epoch's key itself: what a
    /// vault made by an older Silta holds, for tests of what happens to it.
    #[cfg(any(test, feature = "test-support"))]
    pub(crate) fn wrapping_first_key(
        vault: VaultId,
        slot: SlotId,
        passphrase: &Passphrase,
        params: KdfParams,
        key: &SecretKey,
    ) -> Result<Slot> {
        let salt = keys::random_bytes::<SALT_LEN>().to_vec();
        let kek = passphrase.derive(params, &salt)?;
        let mut s = Slot {
            kind: SlotKind::Passphrase(params),
            salt,
            recipient: None,
            nonce: keys::random_bytes(),
            wrapped: Vec::new(),
        };
        let aad = s.aad(vault, slot);
        s.wrapped = keys::wrapping_cipher(&kek)
            .encrypt(
                (&s.nonce).into(),
                aes_gcm::aead::Payload {
                    msg: key.expose(),
                    aad: &aad,
                },
            )
            .map_err(|_| Error::invalid("cannot wrap the key"))?;
        Ok(s)
    }

    /// The owner's age recipient; `None` for a slot of format 1.
    pub fn recipient(&self) -> Option<age::x25519::Recipient> {
        self.recipient.as_deref()?.parse().ok()
    }

    pub(crate) fn unwrap_with_passphrase(
        &self,
        vault: VaultId,
        slot: SlotId,
        passphrase: &Passphrase,
    ) -> Result<Opened> {
        let SlotKind::Passphrase(params) = self.kind else {
            return Err(Error::WrongPassphrase);
        };
        let kek = passphrase.derive(params, &self.salt)?;
        self.unwrap_with(vault, slot, kek)
            .ok_or(Error::WrongPassphrase)
    }

    pub(crate) fn unwrap_with_recovery(
        &self,
        vault: VaultId,
        slot: SlotId,
        recovery_key: &SecretKey,
    ) -> Result<Opened> {
        let kek = Zeroizing::new(*recovery_key.expose());
        self.unwrap_with(vault, slot, kek)
            .ok_or(Error::WrongRecoveryKey)
    }

    fn unwrap_with(
        &self,
        vault: VaultId,
        slot: SlotId,
        kek: Zeroizing<[u8; KEY_LEN]>,
    ) -> Option<Opened> {
        let aad = self.aad(vault, slot);
        let plain = keys::wrapping_cipher(&kek)
            .decrypt(
                (&self.nonce).into(),
                aes_gcm::aead::Payload {
                    msg: &self.wrapped,
                    aad: &aad,
                },
            )
            .ok()
            .map(Zeroizing::new)?;
        if self.recipient.is_none() {
            let key: [u8; KEY_LEN] = plain.as_slice().try_into().ok()?;
            return Some(Opened::FirstKey {
                key: SecretKey::from_bytes(Zeroizing::new(key)),
                kek,
            });
        }
        let (epoch, rest) = plain.split_first_chunk::<4>()?;
        let (check, secret) = rest.split_first_chunk::<KEY_LEN>()?;
        let identity: age::x25519::Identity = std::str::from_utf8(secret).ok()?.parse().ok()?;
        // The identity must be the one the header names, or grants would go to another key.
        if identity.to_public().to_string() != *self.recipient.as_deref()? {
            return None;
        }
        Some(Opened::Identity {
            identity,
            seen: Seen {
                epoch: u32::from_be_bytes(*epoch),
                check: *check,
            },
            kek,
        })
    }

    fn header(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(84 + self.salt.len());
        h.extend_from_slice(MAGIC);
        h.push(match self.recipient {
            None => WRAPS_KEY,
            Some(_) => WRAPS_IDENTITY,
        });
        match self.kind {
            SlotKind::Passphrase(p) => {
                h.push(KIND_PASSPHRASE);
                h.push(KDF_ARGON2ID);
                h.extend_from_slice(&p.memory_kib.to_be_bytes());
                h.extend_from_slice(&p.passes.to_be_bytes());
                h.extend_from_slice(&p.lanes.to_be_bytes());
                h.push(self.salt.len() as u8);
                h.extend_from_slice(&self.salt);
            }
            SlotKind::Recovery => {
                h.push(KIND_RECOVERY);
                h.push(KDF_NONE);
            }
        }
        if let Some(r) = &self.recipient {
            h.extend_from_slice(r.as_bytes());
        }
        h
    }

    /// Binds the slot to its vault, its own id and its header: a slot copied to another vault or
    /// row, or with its KDF settings lowered or its recipient swapped, no longer opens.
    fn aad(&self, vault: VaultId, slot: SlotId) -> Vec<u8> {
        let mut aad = AAD_PREFIX.to_vec();
        aad.extend_from_slice(vault.uuid().as_bytes());
        aad.extend_from_slice(slot.uuid().as_bytes());
        aad.extend_from_slice(&self.header());
        aad
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.header();
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.wrapped);
        out
    }

    /// Parses a stored slot. Malformed input is an error, never a panic.
    pub fn parse(bytes: &[u8]) -> Result<Slot> {
        let bad = || Error::Integrity {
            what: "a key slot".into(),
        };
        let (magic, rest) = bytes.split_at_checked(4).ok_or_else(bad)?;
        if magic != MAGIC {
            return Err(bad());
        }
        let (&[format, kind, kdf], rest) = rest.split_first_chunk::<3>().ok_or_else(bad)?;
        let wrapped_len = match format {
            WRAPS_KEY => KEY_LEN + TAG_LEN,
            WRAPS_IDENTITY => SEEN_LEN + IDENTITY_LEN + TAG_LEN,
            _ => return Err(bad()),
        };
        let (kind, salt, rest) = match (kind, kdf) {
            (KIND_PASSPHRASE, KDF_ARGON2ID) => {
                let (m, rest) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
                let (t, rest) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
                let (p, rest) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
                let (&salt_len, rest) = rest.split_first().ok_or_else(bad)?;
                let (salt, rest) = rest.split_at_checked(salt_len as usize).ok_or_else(bad)?;
                let params = KdfParams {
                    memory_kib: u32::from_be_bytes(*m),
                    passes: u32::from_be_bytes(*t),
                    lanes: u32::from_be_bytes(*p),
                };
                let floor = KdfParams {
                    memory_kib: 8,
                    passes: 1,
                    lanes: 1,
                };
                if !params.within(floor, KdfParams::MAXIMUM) || !(16..=64).contains(&salt.len()) {
                    return Err(bad());
                }
                (SlotKind::Passphrase(params), salt.to_vec(), rest)
            }
            (KIND_RECOVERY, KDF_NONE) => (SlotKind::Recovery, Vec::new(), rest),
            _ => return Err(bad()),
        };
        let (recipient, rest) = match format {
            WRAPS_KEY => (None, rest),
            _ => {
                let (text, rest) = rest.split_at_checked(RECIPIENT_LEN).ok_or_else(bad)?;
                let text = std::str::from_utf8(text).map_err(|_| bad())?;
                text.parse::<age::x25519::Recipient>().map_err(|_| bad())?;
                (Some(text.to_string()), rest)
            }
        };
        let (nonce, wrapped) = rest.split_first_chunk::<NONCE_LEN>().ok_or_else(bad)?;
        if wrapped.len() != wrapped_len {
            return Err(bad());
        }
        Ok(Slot {
            kind,
            salt,
            recipient,
            nonce: *nonce,
            wrapped: wrapped.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEEN: Seen = Seen {
        epoch: 3,
        check: [5; KEY_LEN],
    };

    fn fixture() -> (VaultId, SlotId, age::x25519::Identity, Slot) {
        let vault = VaultId::new();
        let id = SlotId::new();
        let identity = age::x25519::Identity::generate();
        let slot = Slot::for_passphrase(
            vault,
            id,
            &Passphrase::new("correct horse"),
            KdfParams::CHEAP_FOR_TESTS,
            &identity,
            SEEN,
        )
        .unwrap();
        (vault, id, identity, slot)
    }

    #[test]
    fn the_right_passphrase_unwraps_the_identity_and_the_epoch_last_seen() {
        let (vault, id, identity, slot) = fixture();
        let parsed = Slot::parse(&slot.to_bytes()).unwrap();
        assert_eq!(parsed, slot);
        let Ok(Opened::Identity {
            identity: got,
            seen,
            ..
        }) = parsed.unwrap_with_passphrase(vault, id, &Passphrase::new("correct horse"))
        else {
            panic!("the slot did not open to an identity");
        };
        assert_eq!(
            got.to_string().expose_secret(),
            identity.to_string().expose_secret()
        );
        assert_eq!(seen, SEEN);
        assert_eq!(
            parsed.recipient().unwrap().to_string(),
            identity.to_public().to_string()
        );
    }

    #[test]
    fn a_slot_whose_recipient_was_swapped_does_not_open() {
        let (vault, id, _, slot) = fixture();
        let mut bytes = slot.to_bytes();
        let other = age::x25519::Identity::generate().to_public().to_string();
        let at = bytes.len() - NONCE_LEN - (SEEN_LEN + IDENTITY_LEN + TAG_LEN) - RECIPIENT_LEN;
        bytes[at..at + RECIPIENT_LEN].copy_from_slice(other.as_bytes());
        let swapped = Slot::parse(&bytes).unwrap();
        assert_eq!(swapped.recipient().unwrap().to_string(), other);
        assert!(matches!(
            swapped.unwrap_with_passphrase(vault, id, &Passphrase::new("correct horse")),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn a_wrong_passphrase_is_said_plainly() {
        let (vault, id, _, slot) = fixture();
        let err = slot
            .unwrap_with_passphrase(vault, id, &Passphrase::new("wrong horse"))
            .err()
            .unwrap();
        assert!(matches!(err, Error::WrongPassphrase));
    }

    #[test]
    fn nfc_and_nfd_spellings_of_a_passphrase_are_the_same() {
        let vault = VaultId::new();
        let id = SlotId::new();
        let composed = "s\u{e4}hk\u{f6}";
        let decomposed = "sa\u{308}hko\u{308}";
        let slot = Slot::for_passphrase(
            vault,
            id,
            &Passphrase::new(composed),
            KdfParams::CHEAP_FOR_TESTS,
            &age::x25519::Identity::generate(),
            SEEN,
        )
        .unwrap();
        assert!(
            slot.unwrap_with_passphrase(vault, id, &Passphrase::new(decomposed))
                .is_ok()
        );
    }

    #[test]
    fn a_slot_moved_to_another_vault_or_row_does_not_open() {
        let (vault, id, _, slot) = fixture();
        let pass = Passphrase::new("correct horse");
        assert!(
            slot.unwrap_with_passphrase(VaultId::new(), id, &pass)
                .is_err()
        );
        assert!(
            slot.unwrap_with_passphrase(vault, SlotId::new(), &pass)
                .is_err()
        );
    }

    #[test]
    fn lowered_kdf_settings_in_a_tampered_slot_do_not_open() {
        let (vault, id, _, slot) = fixture();
        let mut bytes = slot.to_bytes();
        // passes (bytes 11..15) from 1 to 2: still a valid-looking slot, but the header is bound.
        bytes[14] = 2;
        let parsed = Slot::parse(&bytes).unwrap();
        assert!(
            parsed
                .unwrap_with_passphrase(vault, id, &Passphrase::new("correct horse"))
                .is_err()
        );
    }

    #[test]
    fn every_truncation_or_extension_of_a_slot_is_rejected() {
        let (_, _, _, slot) = fixture();
        let bytes = slot.to_bytes();
        for len in 0..bytes.len() {
            assert!(Slot::parse(&bytes[..len]).is_err(), "length {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Slot::parse(&longer).is_err());
    }

    #[test]
    fn absurd_kdf_settings_are_refused_before_any_allocation() {
        let (_, _, _, slot) = fixture();
        let mut bytes = slot.to_bytes();
        bytes[7..11].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(Slot::parse(&bytes).is_err());
    }

    #[test]
    fn a_slot_asking_more_than_the_ceiling_is_damaged_not_a_wrong_passphrase() {
        let (_, _, _, slot) = fixture();
        for (at, value) in [(7, 1024 * 1024 + 1), (11, 11)] {
            let mut bytes = slot.to_bytes();
            bytes[at..at + 4].copy_from_slice(&u32::to_be_bytes(value));
            let err = Slot::parse(&bytes).unwrap_err();
            assert!(matches!(err, Error::Integrity { .. }), "{err}");
            assert!(err.to_string().contains("altered or damaged"), "{err}");
        }
        assert!(
            KdfParams::new(1024 * 1024, 10, 4).is_ok(),
            "the ceiling itself is allowed"
        );
        assert!(KdfParams::new(1024 * 1024 + 1, 3, 4).is_err());
        assert!(KdfParams::new(64 * 1024, 11, 4).is_err());
    }

    #[test]
    fn settings_below_the_floor_are_refused() {
        assert!(KdfParams::new(64 * 1024, 3, 4).is_ok());
        assert!(KdfParams::new(19 * 1024, 2, 1).is_ok());
        assert!(KdfParams::new(1024, 1, 1).is_err(), "below the floor");
    }
}
