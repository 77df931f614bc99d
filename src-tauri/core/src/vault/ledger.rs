//! The ledger's tallies: which rows the vault holds, in a form the sealed audit head can vouch for.
//!
//! Rows are deleted and inserted by anyone who can write the file; the ciphertexts alone cannot
//! tell that a newer version of a consent was deleted (its older version then reads as current)
//! or that an erased case was put back from an old copy. So every table's rows are tallied: a
//! count and the XOR of one keyed tag per row, HMAC-SHA256 under the ledger key of what names the
//! row. This is MSet-XOR-Hash (Clarke, Devadas, van Dijk, Gassend and Suh, "Incremental Multiset
//! Hash Functions and Their Application to Memory Integrity Checking", ASIACRYPT 2003) over sets:
//! each write updates it by one XOR, and without the key no other set of rows has the same tally.
//! The audit head (`audit.rs`) carries the tallies; unlock and `audit verify` recount the rows.
//! See docs/vault-format.md, section 8.

use hmac::{Hmac, Mac};
use rusqlite::params;
use sha2::Sha256;
use uuid::Uuid;

use super::Vault;
use super::envelope::RecordPlace;
use crate::error::{Error, Result};
use crate::ids::{RecordId, SlotId};

const CHUNK_PREFIX: &[u8] = b"silta/ledger/chunk/v1";
const SLOT_PREFIX: &[u8] = b"silta/ledger/slot/v1";
const SLOT_WITH_ACCESS_PREFIX: &[u8] = b"silta/ledger/slot/v2";
const ENTRY_ID_PREFIX: &[u8] = b"silta/ledger/entry-id/v1";
const DEVICE_ENTRY_ID_PREFIX: &[u8] = b"silta/ledger/entry-id/v2";
const LISTING_ID_PREFIX: &[u8] = b"silta/ledger/listing-id/v1";
const SINGLE_ID_PREFIX: &[u8] = b"silta/ledger/single-record-id/v1";

/// The head is the ledger's root: it holds the tallies, so it is not counted in them.
pub(crate) const HEAD_KIND: &str = "audit_head";

/// One table's rows: how many, and the XOR of their tags. Adding and removing a row are the same
/// XOR, so a transaction's changes are a `Tally` too, and one is folded into another.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub rows: u64,
    pub digest: [u8; 32],
}

impl Tally {
    fn toggle(&mut self, tag: &[u8; 32], inserted: bool) {
        self.rows = if inserted {
            self.rows.wrapping_add(1)
        } else {
            self.rows.wrapping_sub(1)
        };
        for (d, t) in self.digest.iter_mut().zip(tag) {
            *d ^= t;
        }
    }

    pub(crate) fn fold(self, change: Tally) -> Tally {
        let mut digest = self.digest;
        for (d, c) in digest.iter_mut().zip(change.digest) {
            *d ^= c;
        }
        Tally {
            rows: self.rows.wrapping_add(change.rows),
            digest,
        }
    }
}

/// The three tables whose rows matter: records (all but the head), attachment chunks, key slots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tallies {
    pub records: Tally,
    pub chunks: Tally,
    pub slots: Tally,
}

impl Tallies {
    pub(crate) fn fold(self, change: Tallies) -> Tallies {
        Tallies {
            records: self.records.fold(change.records),
            chunks: self.chunks.fold(change.chunks),
            slots: self.slots.fold(change.slots),
        }
    }
}

/// HMAC-SHA256 under the ledger key, keyed once and cloned per tag.
pub(crate) struct Tagger(Hmac<Sha256>);

impl Tagger {
    pub(crate) fn new(key: &[u8; 32]) -> Tagger {
        // HMAC pads a key shorter than SHA-256's 64-byte block with zeros (RFC 2104), so this is
        // HMAC under the 32-byte key itself, through the constructor that cannot fail.
        let mut block = zeroize::Zeroizing::new([0u8; 64]);
        block[..32].copy_from_slice(key);
        Tagger(<Hmac<Sha256> as hmac::digest::KeyInit>::new(
            &(*block).into(),
        ))
    }

    pub(crate) fn tag(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut m = self.0.clone();
        for p in parts {
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }

    /// A record row is named by its envelope's associated data: vault, kind, id, version, case.
    pub(crate) fn record(&self, place: &RecordPlace<'_>) -> [u8; 32] {
        self.tag(&[&place.aad()])
    }

    pub(crate) fn chunk(&self, attachment: Uuid, index: u32) -> [u8; 32] {
        self.tag(&[CHUNK_PREFIX, attachment.as_bytes(), &index.to_be_bytes()])
    }

    /// A slot is named with the hash of its bytes and of its access grant (format 4), and its
    /// staff member, so that a slot or grant altered, put back from an older copy, or swapped to
    /// another name, is noticed at the next unlock. A slot from before format 4 has no grant and
    /// keeps the tag it had.
    pub(crate) fn slot(
        &self,
        id: Uuid,
        user: Option<&str>,
        bytes: &[u8],
        access: Option<&[u8]>,
    ) -> [u8; 32] {
        let hash: [u8; 32] = <Sha256 as sha2::Digest>::digest(bytes).into();
        let (flag, name): (&[u8], &[u8]) = match user {
            None => (&[0], &[]),
            Some(u) => (&[1], u.as_bytes()),
        };
        match access {
            None => self.tag(&[SLOT_PREFIX, id.as_bytes(), &hash, flag, name]),
            Some(a) => {
                let access: [u8; 32] = <Sha256 as sha2::Digest>::digest(a).into();
                self.tag(&[
                    SLOT_WITH_ACCESS_PREFIX,
                    id.as_bytes(),
                    &hash,
                    &access,
                    flag,
                    name,
                ])
            }
        }
    }

    /// Audit entry `seq` lives at this id: found without a scan, and its id tells nothing of when
    /// it was written. A UUID version 8 (RFC 9562's custom layout): the number in the first 48
    /// bits, so that each entry goes at the end of the indexes as the one before it did (a random
    /// id cost each durable write two more pages), then bits of the tag.
    pub(crate) fn entry_id(&self, seq: u64) -> Uuid {
        self.entry_id_from(seq, self.tag(&[ENTRY_ID_PREFIX, &seq.to_be_bytes()]))
    }

    /// Entry `seq` of the chain of `device` (team sync: each device writes its own chain; the
    /// first device of a team, `None`, keeps the ids it had before).
    pub(crate) fn device_entry_id(&self, device: Option<Uuid>, seq: u64) -> Uuid {
        match device {
            None => self.entry_id(seq),
            Some(d) => self.entry_id_from(
                seq,
                self.tag(&[DEVICE_ENTRY_ID_PREFIX, d.as_bytes(), &seq.to_be_bytes()]),
            ),
        }
    }

    /// A listing of the team's laptops (`sync::team`) written by entry `seq` of `device`'s
    /// chain has this id: no other laptop's entry can write one at it first, so that a removal
    /// (a listing of its own) is never put beside another as a conflict and hidden.
    pub(crate) fn listing_id(&self, device: Option<Uuid>, seq: u64) -> Uuid {
        let tag = self.tag(&[
            LISTING_ID_PREFIX,
            device.unwrap_or_default().as_bytes(),
            &seq.to_be_bytes(),
        ]);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&tag[..16]);
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    }

    /// The id of the one record of `kind` a vault holds (for `owner`, where there is one per
    /// staff member): the organisation, its retention period, a contact for referrals. Every
    /// laptop of a team makes the same id, so two that each write the record before they sync
    /// write two versions of one record, a conflict shown side by side, not two records of
    /// which one would be used without a word.
    pub(crate) fn single_record_id(&self, kind: &str, owner: Option<&str>) -> Uuid {
        let (has_owner, owner) = match owner {
            Some(name) => (&[1u8], name.as_bytes()),
            None => (&[0u8], &[][..]),
        };
        let tag = self.tag(&[SINGLE_ID_PREFIX, kind.as_bytes(), &[0], has_owner, owner]);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&tag[..16]);
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    }

    fn entry_id_from(&self, seq: u64, tag: [u8; 32]) -> Uuid {
        let mut bytes = [0u8; 16];
        bytes[..6].copy_from_slice(&seq.to_be_bytes()[2..]);
        bytes[6..].copy_from_slice(&tag[..10]);
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    }
}

impl Vault {
    pub(crate) fn tagger(&self) -> Tagger {
        Tagger::new(self.keys.ledger.expose())
    }

    /// Notes a record row written or deleted in the current transaction.
    pub(crate) fn note_record(&self, place: &RecordPlace<'_>, inserted: bool) {
        if place.kind == HEAD_KIND {
            return;
        }
        let tag = self.tagger().record(place);
        let mut pending = self.pending.get();
        pending.records.toggle(&tag, inserted);
        self.pending.set(pending);
    }

    pub(crate) fn note_chunk(&self, attachment: Uuid, index: u32, inserted: bool) {
        let tag = self.tagger().chunk(attachment, index);
        let mut pending = self.pending.get();
        pending.chunks.toggle(&tag, inserted);
        self.pending.set(pending);
    }

    pub(crate) fn note_slot(&self, row: &SlotRow, inserted: bool) {
        let tag = self.tagger().slot(
            row.id.uuid(),
            row.user.as_deref(),
            &row.slot,
            row.access.as_deref(),
        );
        let mut pending = self.pending.get();
        pending.slots.toggle(&tag, inserted);
        self.pending.set(pending);
    }

    /// The changes noted since the head last took them; the head folds them in.
    pub(crate) fn take_pending(&self) -> Tallies {
        self.pending.replace(Tallies::default())
    }

    /// Deletes the chunks of an attachment, noting each.
    pub(crate) fn delete_chunks(&self, attachment: Uuid) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM attachment_chunks WHERE attachment = ?1 RETURNING idx")?;
        let gone = stmt
            .query_map([attachment.as_bytes().as_slice()], |r| r.get::<_, u32>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for index in gone {
            self.note_chunk(attachment, index, false);
        }
        Ok(())
    }

    /// Deletes the key slot rows `filter` selects, noting each.
    pub(crate) fn delete_slots(&self, filter: &str, args: impl rusqlite::Params) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "DELETE FROM key_slots WHERE {filter} RETURNING id, user, slot, access"
        ))?;
        let gone = stmt
            .query_map(args, SlotRow::from_sql)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for row in gone {
            self.note_slot(&row?, false);
        }
        Ok(())
    }

    /// Writes a key slot row, noting it.
    pub(crate) fn insert_slot(&self, row: &SlotRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO key_slots (id, user, slot, access) VALUES (?1, ?2, ?3, ?4)",
            params![
                row.id.uuid().as_bytes().as_slice(),
                row.user,
                row.slot,
                row.access
            ],
        )?;
        self.note_slot(row, true);
        Ok(())
    }

    /// The newest key epoch an audit head in the file is sealed under, read from its envelope
    /// without opening it; `None` if there is none (a malformed head is the check's to report).
    pub(crate) fn head_epoch(&self) -> Result<Option<u32>> {
        let mut stmt = self
            .conn
            .prepare("SELECT sealed FROM records WHERE kind = ?1")?;
        let mut rows = stmt.query([HEAD_KIND])?;
        let mut newest = None;
        while let Some(r) = rows.next()? {
            let sealed = r.get_ref(0)?.as_blob().unwrap_or_default();
            newest = newest.max(super::envelope::epoch_of(sealed));
        }
        Ok(newest)
    }

    /// The newest key epoch any record or attachment chunk names in its envelope (0 if none).
    /// Reads the start of every ciphertext: only run when the log is already found broken.
    pub(crate) fn newest_epoch_in_rows(&self) -> Result<u32> {
        let mut stmt = self.conn.prepare(
            "SELECT substr(sealed, 1, 5) FROM records
             UNION SELECT substr(sealed, 1, 5) FROM attachment_chunks",
        )?;
        let mut rows = stmt.query([])?;
        let mut newest = 0;
        while let Some(r) = rows.next()? {
            let start = r.get_ref(0)?.as_blob().unwrap_or_default();
            newest = newest.max(super::envelope::epoch_of(start).unwrap_or(0));
        }
        Ok(newest)
    }

    /// Counts and tags every row in the file as it is now. Reads only the columns that name rows
    /// (records from their index), never a ciphertext, so it is quick even for a large vault.
    pub(crate) fn tally_rows(&self) -> Result<Tallies> {
        let tagger = self.tagger();
        let vault = self.id.uuid();
        let mut tallies = Tallies::default();
        let mut stmt = self.conn.prepare(
            "SELECT kind, id, version, case_id FROM records INDEXED BY records_by_kind_case
             WHERE kind <> ?1",
        )?;
        let mut rows = stmt.query([HEAD_KIND])?;
        let bad = |what: &str| Error::Integrity {
            what: format!("a row of the {what} table"),
        };
        let blob = |v: rusqlite::types::ValueRef<'_>, what: &str| -> Result<Uuid> {
            v.as_blob()
                .ok()
                .and_then(|b| Uuid::from_slice(b).ok())
                .ok_or_else(|| bad(what))
        };
        while let Some(r) = rows.next()? {
            let kind = r.get_ref(0)?.as_str().map_err(|_| bad("records"))?;
            let id = blob(r.get_ref(1)?, "records")?;
            let version: i64 = r.get(2)?;
            let case = match r.get_ref(3)? {
                rusqlite::types::ValueRef::Null => None,
                c => Some(blob(c, "records")?),
            };
            let place = RecordPlace {
                vault,
                kind,
                id,
                version: u64::try_from(version).map_err(|_| bad("records"))?,
                case,
            };
            tallies.records.toggle(&tagger.record(&place), true);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT attachment, idx FROM attachment_chunks")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let attachment = blob(r.get_ref(0)?, "attachment chunks")?;
            let index: u32 = r.get(1)?;
            tallies
                .chunks
                .toggle(&tagger.chunk(attachment, index), true);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, user, slot, access FROM key_slots")?;
        let mut rows = stmt.query(params![])?;
        while let Some(r) = rows.next()? {
            let id = blob(r.get_ref(0)?, "key slots")?;
            let user: Option<String> = r.get(1)?;
            let bytes = r.get_ref(2)?.as_blob().map_err(|_| bad("key slots"))?;
            let access = match r.get_ref(3)? {
                rusqlite::types::ValueRef::Null => None,
                a => Some(a.as_blob().map_err(|_| bad("key slots"))?),
            };
            tallies
                .slots
                .toggle(&tagger.slot(id, user.as_deref(), bytes, access), true);
        }
        Ok(tallies)
    }
}

/// One row of `key_slots`: a slot, whose staff member it is (none: the recovery slot), and the
/// access grant to the current key epoch (none in a slot from before format 4).
pub(crate) struct SlotRow {
    pub id: SlotId,
    pub user: Option<String>,
    pub slot: Vec<u8>,
    pub access: Option<Vec<u8>>,
}

impl SlotRow {
    /// Reads `id, user, slot, access`; a malformed id is damage, reported as such.
    pub(crate) fn from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<SlotRow>> {
        let id: Vec<u8> = r.get(0)?;
        let (user, slot, access) = (r.get(1)?, r.get(2)?, r.get(3)?);
        Ok(Uuid::from_slice(&id)
            .map_err(|_| Error::Integrity {
                what: "a key slot's id".into(),
            })
            .map(|id| SlotRow {
                id: SlotId::from_uuid(id),
                user,
                slot,
                access,
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagger() -> Tagger {
        Tagger::new(&[9u8; 32])
    }

    #[test]
    fn the_one_record_of_a_kind_has_one_id_per_vault_kind_and_owner() {
        let t = tagger();
        let id = |kind, owner| t.single_record_id(kind, owner);
        assert_eq!(
            id("retention_policy", None),
            tagger().single_record_id("retention_policy", None)
        );
        let all = [
            id("retention_policy", None),
            id("organisation", None),
            id("referrer_contact", None),
            id("referrer_contact", Some("")),
            id("referrer_contact", Some("Kaisa")),
            id("referrer_contact", Some("Mikko")),
            Tagger::new(&[8u8; 32]).single_record_id("retention_policy", None),
        ];
        let distinct: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(distinct.len(), all.len(), "{all:?}");
    }

    #[test]
    fn a_row_added_and_removed_again_leaves_the_tally_as_it_was() {
        let t = tagger();
        let mut tally = Tally::default();
        tally.toggle(&t.chunk(Uuid::nil(), 0), true);
        let one = tally;
        tally.toggle(&t.chunk(Uuid::nil(), 1), true);
        tally.toggle(&t.chunk(Uuid::nil(), 1), false);
        assert_eq!(tally, one);
        assert_eq!(one.rows, 1);
        assert_ne!(one.digest, [0u8; 32]);
    }

    #[test]
    fn folding_a_transactions_changes_equals_making_them_one_by_one() {
        let t = tagger();
        let mut base = Tally::default();
        base.toggle(&t.chunk(Uuid::nil(), 0), true);
        let mut change = Tally::default();
        change.toggle(&t.chunk(Uuid::nil(), 0), false);
        change.toggle(&t.chunk(Uuid::max(), 3), true);
        let mut direct = Tally::default();
        direct.toggle(&t.chunk(Uuid::max(), 3), true);
        assert_eq!(base.fold(change), direct);
    }

    #[test]
    fn a_slot_under_another_name_has_another_tag() {
        let t = tagger();
        let id = Uuid::max();
        assert_ne!(
            t.slot(id, Some("Kaisa"), b"s", None),
            t.slot(id, Some("Mikko"), b"s", None)
        );
        assert_ne!(
            t.slot(id, Some(""), b"s", None),
            t.slot(id, None, b"s", None)
        );
        assert_ne!(
            t.slot(id, None, b"s", None),
            t.slot(id, None, b"t", None),
            "the slot's bytes count"
        );
        assert_ne!(
            t.slot(id, Some("Kaisa"), b"s", Some(b"grant 1")),
            t.slot(id, Some("Kaisa"), b"s", Some(b"grant 2")),
            "the access grant counts"
        );
        assert_ne!(
            t.slot(id, Some("Kaisa"), b"s", Some(b"")),
            t.slot(id, Some("Kaisa"), b"s", None),
            "a grant removed is seen"
        );
    }

    #[test]
    fn entry_ids_differ_by_sequence_number_and_by_key_and_sort_by_number() {
        assert_ne!(tagger().entry_id(1), tagger().entry_id(2));
        assert_eq!(tagger().entry_id(7), tagger().entry_id(7));
        assert_ne!(Tagger::new(&[1u8; 32]).entry_id(1), tagger().entry_id(1));
        let ids: Vec<Uuid> = [1, 2, 255, 256, 65_536, 1 << 40]
            .iter()
            .map(|&n| tagger().entry_id(n))
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        assert!(ids.iter().all(|id| id.get_version_num() == 8));
    }
}
