//! Key epochs: the vault key changes when someone loses access (a staff member removed, the
//! recovery key replaced), so that a key they kept, or a slot of theirs put back from an old copy
//! of the file, opens nothing written after. Each slot holds an access grant to the current
//! epoch's key, an age file encrypted to the slot owner's identity; each later epoch links back to
//! the key of the one before it (sealed under its own key), so the current key opens all history.
//! The layouts are in docs/vault-format.md, section 9.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::keys::{self, Chain, KEY_LEN, SecretKey};
use super::slot::Seen;
use crate::error::{Error, Result};
use crate::ids::{RecordId, SlotId, VaultId};

const GRANT_PREFIX: &[u8] = b"silta/access/v1";
const LINK_PREFIX: &[u8] = b"silta/epoch-link/v1";
const TEAM_GRANT_PREFIX: &[u8] = b"silta/team-epoch/v1";
/// A grant Silta writes is under 500 bytes (age pads its header by a random amount); a larger
/// one is not read from the file (`read_slot`).
pub(crate) const GRANT_LIMIT: usize = 4096;

fn grant_plaintext(vault: VaultId, slot: SlotId, epoch: u32) -> Zeroizing<Vec<u8>> {
    let mut plain = Zeroizing::new(Vec::with_capacity(GRANT_PREFIX.len() + 36 + KEY_LEN));
    plain.extend_from_slice(GRANT_PREFIX);
    plain.extend_from_slice(vault.uuid().as_bytes());
    plain.extend_from_slice(slot.uuid().as_bytes());
    plain.extend_from_slice(&epoch.to_be_bytes());
    plain
}

/// An access grant: the key of `epoch`, for the owner of `slot` only.
pub(crate) fn grant(
    vault: VaultId,
    slot: SlotId,
    to: &age::x25519::Recipient,
    epoch: u32,
    key: &SecretKey,
) -> Result<Vec<u8>> {
    let mut plain = grant_plaintext(vault, slot, epoch);
    plain.extend_from_slice(key.expose());
    age::encrypt(to, &plain).map_err(|e| Error::invalid(format!("cannot grant access: {e}")))
}

/// The epoch and key a grant holds; `None` if it is not a grant of this slot in this vault, or
/// not for this identity.
pub(crate) fn open_grant(
    vault: VaultId,
    slot: SlotId,
    identity: &age::x25519::Identity,
    bytes: &[u8],
) -> Option<(u32, SecretKey)> {
    let plain = Zeroizing::new(age::decrypt(identity, bytes).ok()?);
    let head = GRANT_PREFIX.len() + 32;
    let (epoch, key) = plain.get(head..)?.split_first_chunk::<4>()?;
    let epoch = u32::from_be_bytes(*epoch);
    if plain[..head + 4] != *grant_plaintext(vault, slot, epoch) {
        return None;
    }
    let key: [u8; KEY_LEN] = key.try_into().ok()?;
    Some((epoch, SecretKey::from_bytes(Zeroizing::new(key))))
}

fn team_grant_plaintext(vault: VaultId, device: Option<Uuid>, epoch: u32) -> Zeroizing<Vec<u8>> {
    let mut plain = Zeroizing::new(Vec::with_capacity(TEAM_GRANT_PREFIX.len() + 36 + KEY_LEN));
    plain.extend_from_slice(TEAM_GRANT_PREFIX);
    plain.extend_from_slice(vault.uuid().as_bytes());
    plain.extend_from_slice(device.unwrap_or_default().as_bytes());
    plain.extend_from_slice(&epoch.to_be_bytes());
    plain
}

/// A team grant (docs/sync.md, "Removing a laptop"): the key of `epoch`, for the team's device
/// `device` (`None`: the first) only, encrypted to its device key.
pub(crate) fn team_grant(
    vault: VaultId,
    device: Option<Uuid>,
    to: &age::x25519::Recipient,
    epoch: u32,
    key: &SecretKey,
) -> Result<Vec<u8>> {
    let mut plain = team_grant_plaintext(vault, device, epoch);
    plain.extend_from_slice(key.expose());
    age::encrypt(to, &plain).map_err(|e| Error::invalid(format!("cannot send the key: {e}")))
}

/// The key a team grant holds, if it is one of this vault's for `device` at `epoch`, and opens
/// with `identity`.
pub(crate) fn open_team_grant(
    vault: VaultId,
    device: Option<Uuid>,
    epoch: u32,
    identity: &age::x25519::Identity,
    bytes: &[u8],
) -> Option<SecretKey> {
    if bytes.len() > GRANT_LIMIT {
        return None;
    }
    let plain = Zeroizing::new(age::decrypt(identity, bytes).ok()?);
    let expected = team_grant_plaintext(vault, device, epoch);
    let (head, key) = plain.split_at_checked(expected.len())?;
    if head != expected.as_slice() {
        return None;
    }
    let key: [u8; KEY_LEN] = key.try_into().ok()?;
    Some(SecretKey::from_bytes(Zeroizing::new(key)))
}

fn link_aad(vault: VaultId, epoch: u32) -> Vec<u8> {
    let mut aad = LINK_PREFIX.to_vec();
    aad.extend_from_slice(vault.uuid().as_bytes());
    aad.extend_from_slice(&epoch.to_be_bytes());
    aad
}

/// The link of `epoch`: the key of the epoch before it, sealed under `epoch`'s own key.
pub(crate) fn link(
    vault: VaultId,
    epoch: u32,
    key: &SecretKey,
    previous: &SecretKey,
) -> Result<Vec<u8>> {
    keys::seal(
        &keys::link_cipher(vault, key),
        &link_aad(vault, epoch),
        previous.expose(),
    )
}

/// The keys of `epoch` and every epoch before it, through the links, each opened in turn. A link
/// missing or damaged is damage to the file, naming the epoch whose key is lost.
pub(crate) fn walk(conn: &Connection, vault: VaultId, epoch: u32, key: SecretKey) -> Result<Chain> {
    // From the newest key down; each link opens under the key of the epoch after it.
    let mut down = vec![key];
    for e in (1..=epoch).rev() {
        let damaged = || Error::Integrity {
            what: format!("the key of key epoch {}", e - 1),
        };
        let link: Vec<u8> = conn
            .query_row("SELECT link FROM key_epochs WHERE epoch = ?1", [e], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(damaged)?;
        let newer = down.last().ok_or_else(damaged)?;
        let older = keys::open(&keys::link_cipher(vault, newer), &link_aad(vault, e), &link)
            .ok_or_else(damaged)?;
        let older: [u8; KEY_LEN] = older.as_slice().try_into().map_err(|_| damaged())?;
        down.push(SecretKey::from_bytes(Zeroizing::new(older)));
    }
    let first = down.pop().ok_or_else(|| Error::Integrity {
        what: "the key epochs".into(),
    })?;
    down.reverse();
    Ok(Chain::from_parts(first, down))
}

/// The newest epoch the file has a link for (0: the key never changed).
pub(crate) fn latest(conn: &Connection) -> Result<u32> {
    let latest: Option<i64> =
        conn.query_row("SELECT max(epoch) FROM key_epochs", [], |r| r.get(0))?;
    u32::try_from(latest.unwrap_or(0)).map_err(|_| Error::Integrity {
        what: "the key epochs".into(),
    })
}

/// Whether the links of epochs 1 to `epoch` are all in the file.
pub(crate) fn links_present(conn: &Connection, epoch: u32) -> Result<bool> {
    let present: u32 = conn.query_row(
        "SELECT count(*) FROM key_epochs WHERE epoch BETWEEN 1 AND ?1",
        [epoch],
        |r| r.get(0),
    )?;
    Ok(present == epoch)
}

/// Writes the link of a new epoch.
pub(crate) fn insert_link(conn: &Connection, epoch: u32, link: &[u8]) -> Result<()> {
    conn.execute(
        "INSERT INTO key_epochs (epoch, link) VALUES (?1, ?2)",
        params![epoch, link],
    )?;
    Ok(())
}

/// What a slot remembers of `chain`'s current epoch.
pub(crate) fn seen(vault: VaultId, chain: &Chain) -> Seen {
    Seen {
        epoch: chain.epoch(),
        check: keys::epoch_check(vault, chain.current()),
    }
}

/// Whether `chain` leads back to the epoch a slot last saw: its key there has the check value the
/// slot remembers. A grant that fails this was not written by anyone who held that key.
pub(crate) fn leads_back(vault: VaultId, chain: &Chain, seen: &Seen) -> bool {
    chain
        .get(seen.epoch)
        .is_some_and(|k| keys::epoch_check(vault, k) == seen.check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_opens_for_its_own_slot_and_identity_only() {
        let vault = VaultId::new();
        let slot = SlotId::new();
        let me = age::x25519::Identity::generate();
        let key = SecretKey::generate();
        let g = grant(vault, slot, &me.to_public(), 4, &key).unwrap();
        let (epoch, got) = open_grant(vault, slot, &me, &g).unwrap();
        assert_eq!((epoch, got.expose()), (4, key.expose()));
        assert!(open_grant(vault, SlotId::new(), &me, &g).is_none());
        assert!(open_grant(VaultId::new(), slot, &me, &g).is_none());
        let other = age::x25519::Identity::generate();
        assert!(open_grant(vault, slot, &other, &g).is_none());
    }

    #[test]
    fn a_team_grant_opens_for_its_own_device_epoch_and_key_only() {
        let vault = VaultId::new();
        let device = Some(Uuid::new_v4());
        let me = age::x25519::Identity::generate();
        let key = SecretKey::generate();
        let g = team_grant(vault, device, &me.to_public(), 3, &key).unwrap();
        let got = open_team_grant(vault, device, 3, &me, &g).unwrap();
        assert_eq!(got.expose(), key.expose());
        assert!(
            open_team_grant(vault, None, 3, &me, &g).is_none(),
            "another device"
        );
        assert!(
            open_team_grant(vault, device, 2, &me, &g).is_none(),
            "another epoch"
        );
        assert!(open_team_grant(VaultId::new(), device, 3, &me, &g).is_none());
        let other = age::x25519::Identity::generate();
        assert!(open_team_grant(vault, device, 3, &other, &g).is_none());
        // A staff member's grant is not a team grant, nor the other way round.
        let slot = grant(vault, SlotId::new(), &me.to_public(), 3, &key).unwrap();
        assert!(open_team_grant(vault, device, 3, &me, &slot).is_none());
    }

    #[test]
    fn a_chain_leads_back_only_to_the_key_it_was_made_from() {
        let vault = VaultId::new();
        let mut chain = Chain::new(SecretKey::generate());
        let seen_first = seen(vault, &chain);
        chain.push(SecretKey::generate());
        assert_eq!(seen_first.epoch, 0);
        assert!(leads_back(vault, &chain, &seen_first));
        let forged = Chain::from_parts(SecretKey::generate(), vec![SecretKey::generate()]);
        assert!(!leads_back(vault, &forged, &seen_first));
        let later = Seen {
            epoch: 2,
            ..seen_first
        };
        assert!(
            !leads_back(vault, &chain, &later),
            "an epoch not in the chain"
        );
    }
}
