//! The key hierarchy: one random vault key, and from it (HKDF-SHA256) one subkey per purpose.
//! Passphrases never encrypt data directly; they only unwrap the vault key (see `slot`).

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload, rand_core::RngCore};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::ids::{RecordId, VaultId};

pub(crate) const KEY_LEN: usize = 32;
pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;

/// Fills a buffer from the operating system's random source.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// 256 bits from the OS random source; zeroized when dropped.
pub(crate) struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl SecretKey {
    pub(crate) fn generate() -> Self {
        Self(Zeroizing::new(random_bytes()))
    }

    pub(crate) fn from_bytes(bytes: Zeroizing<[u8; KEY_LEN]>) -> Self {
        Self(bytes)
    }

    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.expose().into())
    }
}

/// AES-256-GCM with a fresh random nonce: returns `nonce || ciphertext || tag`.
pub(crate) fn seal(cipher: &Aes256Gcm, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let nonce: [u8; NONCE_LEN] = random_bytes();
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| Error::invalid("a record is too large to encrypt (over 64 GiB)"))?;
    let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// The inverse of `seal`; `None` when the input is malformed or fails authentication.
pub(crate) fn open(cipher: &Aes256Gcm, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (nonce, ciphertext) = sealed.split_at_checked(NONCE_LEN)?;
    if ciphertext.len() < TAG_LEN {
        return None;
    }
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// The key of every epoch, from the first to the current one: never empty, by construction.
pub(crate) struct Chain {
    first: SecretKey,
    later: Vec<SecretKey>,
}

impl Chain {
    /// A vault whose key never changed.
    pub(crate) fn new(first: SecretKey) -> Chain {
        Chain {
            first,
            later: Vec::new(),
        }
    }

    /// The first epoch's key, then those of every later epoch in order.
    pub(crate) fn from_parts(first: SecretKey, later: Vec<SecretKey>) -> Chain {
        Chain { first, later }
    }

    /// The next epoch's key becomes the current one.
    pub(crate) fn push(&mut self, key: SecretKey) {
        self.later.push(key);
    }

    pub(crate) fn first(&self) -> &SecretKey {
        &self.first
    }

    /// The number of the current epoch.
    pub(crate) fn epoch(&self) -> u32 {
        // There are never more than a few epochs (one per removal or recovery-key change), and
        // grants name epochs as u32.
        u32::try_from(self.later.len()).unwrap_or(u32::MAX)
    }

    pub(crate) fn current(&self) -> &SecretKey {
        self.later.last().unwrap_or(&self.first)
    }

    /// The key of `epoch`, if the chain reaches it.
    pub(crate) fn get(&self, epoch: u32) -> Option<&SecretKey> {
        match epoch {
            0 => Some(&self.first),
            e => self.later.get(e as usize - 1),
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &SecretKey> {
        std::iter::once(&self.first).chain(&self.later)
    }

    /// A copy, for a copy of the vault opened with the same keys.
    pub(crate) fn copy(&self) -> Chain {
        let copy = |k: &SecretKey| SecretKey::from_bytes(Zeroizing::new(*k.expose()));
        Chain {
            first: copy(&self.first),
            later: self.later.iter().map(copy).collect(),
        }
    }
}

/// The keys of an unlocked vault, held only while it is unlocked. Dropping this (on lock)
/// zeroizes every key and AES round key.
///
/// The vault key changes when someone loses access (a key epoch, see `epochs`): the chain holds
/// the key of every epoch, the last one current. New data is sealed under the current epoch; older data
/// stays readable under the key it was sealed with.
pub(crate) struct Keys {
    chain: Chain,
    /// The record and attachment ciphers of every epoch, by epoch number.
    pub(crate) records: Vec<Aes256Gcm>,
    pub(crate) attachments: Vec<Aes256Gcm>,
    /// The HMAC key of the audit chain. It stays the first epoch's: it only ever authenticates
    /// data that is itself sealed under the current key (section 9 of docs/vault-format.md).
    pub(crate) audit: SecretKey,
    /// The HMAC key of the ledger's row tallies and audit entry ids (`ledger`); the first epoch's.
    pub(crate) ledger: SecretKey,
    /// The ciphers of team sync's documents, by epoch (`replica`).
    pub(crate) sync: Vec<Aes256Gcm>,
    /// The HMAC key of sync documents' ids and revisions: the first epoch's, so that one row has
    /// one document on every device, whichever epoch each device is in.
    pub(crate) sync_ids: SecretKey,
}

impl Keys {
    pub(crate) fn new(vault_id: VaultId, chain: Chain) -> Self {
        let first = chain.first();
        let audit = derive(first, vault_id, b"silta/v1/audit");
        let ledger = derive(first, vault_id, b"silta/v1/ledger");
        let records = chain
            .iter()
            .map(|k| derive(k, vault_id, b"silta/v1/records").cipher())
            .collect();
        let attachments = chain
            .iter()
            .map(|k| derive(k, vault_id, b"silta/v1/attachments").cipher())
            .collect();
        let sync = chain
            .iter()
            .map(|k| derive(k, vault_id, b"silta/v1/sync").cipher())
            .collect();
        let sync_ids = derive(first, vault_id, b"silta/v1/sync-id");
        Self {
            chain,
            records,
            attachments,
            audit,
            ledger,
            sync,
            sync_ids,
        }
    }

    /// The number of the current epoch.
    pub(crate) fn epoch(&self) -> u32 {
        self.chain.epoch()
    }

    /// The current epoch's key: what new access grants hand out.
    pub(crate) fn current(&self) -> &SecretKey {
        self.chain.current()
    }

    /// The keys of every epoch.
    pub(crate) fn chain(&self) -> &Chain {
        &self.chain
    }
}

/// The cipher that seals an epoch's link to the key before it (`epochs`).
pub(crate) fn link_cipher(vault_id: VaultId, key: &SecretKey) -> Aes256Gcm {
    derive(key, vault_id, b"silta/v1/epoch-link").cipher()
}

/// The HMAC key that names the claim on the epoch after `key`'s (docs/sync.md, "Changing the
/// team's key"): only a holder of that epoch's key can name the claim, so a laptop removed
/// before it cannot put one in the team's way.
pub(crate) fn claim_ids(vault_id: VaultId, key: &SecretKey) -> SecretKey {
    derive(key, vault_id, b"silta/v1/sync-claim")
}

/// What a staff member's slot remembers of the last epoch they saw: a hash-like value of its key
/// (HKDF, so it tells nothing of the key) that a forged successor key cannot match.
pub(crate) fn epoch_check(vault_id: VaultId, key: &SecretKey) -> [u8; KEY_LEN] {
    *derive(key, vault_id, b"silta/v1/epoch-check").expose()
}

/// HKDF-SHA256 with the vault id as salt, so the same key in two vaults gives unrelated subkeys.
fn derive(key: &SecretKey, vault_id: VaultId, info: &[u8]) -> SecretKey {
    let hk = Hkdf::<Sha256>::new(Some(vault_id.uuid().as_bytes()), key.expose());
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    // Expanding 32 bytes from SHA-256 is always within HKDF's limit of 255 * 32.
    let _ = hk.expand(info, out.as_mut());
    SecretKey(out)
}

/// A cipher for a key that is used once, to wrap or unwrap the vault key.
pub(crate) fn wrapping_cipher(key: &[u8; KEY_LEN]) -> Aes256Gcm {
    Aes256Gcm::new(key.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_only_with_the_same_associated_data() {
        let key = SecretKey::generate();
        let c = key.cipher();
        let sealed = seal(&c, b"aad", b"secret").unwrap();
        assert_eq!(open(&c, b"aad", &sealed).unwrap().as_slice(), b"secret");
        assert!(open(&c, b"other", &sealed).is_none());
    }

    #[test]
    fn every_seal_uses_a_fresh_nonce() {
        let c = SecretKey::generate().cipher();
        assert_ne!(
            seal(&c, b"", b"same").unwrap(),
            seal(&c, b"", b"same").unwrap()
        );
    }

    #[test]
    fn short_or_empty_input_is_rejected_not_a_panic() {
        let c = SecretKey::generate().cipher();
        for len in 0..(NONCE_LEN + TAG_LEN) {
            assert!(open(&c, b"", &vec![0u8; len]).is_none());
        }
    }

    #[test]
    fn subkeys_differ_by_purpose_and_by_vault() {
        let key = SecretKey::from_bytes(Zeroizing::new([7u8; KEY_LEN]));
        let v1 = VaultId::new();
        let v2 = VaultId::new();
        let a = derive(&key, v1, b"a");
        assert_ne!(a.expose(), derive(&key, v1, b"b").expose());
        assert_ne!(a.expose(), derive(&key, v2, b"a").expose());
        assert_eq!(a.expose(), derive(&key, v1, b"a").expose());
    }
}
