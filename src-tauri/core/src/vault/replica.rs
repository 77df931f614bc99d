//! Team sync's view of the file (docs/sync.md): every row a device shares with its team, as one
//! immutable document for a CouchDB server. The server holds only an opaque id, a revision and
//! ciphertext: not the kind of a record, its case, its version or its staff member.
//!
//! A row's document id and revision are keyed hashes of what names the row and of its sealed
//! bytes, the same on every device: a row received from the server and offered again is one the
//! server already has (CouchDB ignores a revision it holds), and two devices that wrote the same
//! version of a record differently make two revisions of one document, a conflict CouchDB itself
//! keeps and reports.

use rusqlite::params;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::ledger::Tagger;
use super::{Vault, envelope};
use crate::error::{Error, Result};
use crate::ids::RecordId;

/// Rows a device keeps for itself: its own audit head (each device has its own), the server it
/// syncs with and its credentials (each device logs in as its own user), the conflicts it
/// found, its device key and the signing keys its enrolment named. (Key slots and key epoch links are not records: each device writes its own.)
const NOT_SHARED: &[&str] = &[
    "audit_head",
    crate::sync::SERVER_KIND,
    crate::sync::CONFLICT_KIND,
    crate::sync::PURGE_KIND,
    crate::sync::POSITION_KIND,
    crate::sync::team::DEVICE_KEY_KIND,
    crate::sync::team::CUT_KIND,
    crate::sync::signing::ROSTER_KIND,
];

/// Whether records of `kind` go to the team: what another device's log says of any other kind
/// (its own server settings, say) is not looked for in this file.
pub(crate) fn is_shared(kind: &str) -> bool {
    !NOT_SHARED.contains(&kind)
}

/// What a document holds, after its class byte (docs/sync.md, "Documents").
const RECORD: u8 = 1;
const CHUNK: u8 = 2;
/// A laptop's claim on the team's next key epoch, made before it changes the key (docs/sync.md,
/// "Changing the team's key"): not a row of anyone's file.
const CLAIM: u8 = 3;

/// A key epoch claimed by a laptop of the team, as its claim document holds it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Claim {
    /// The laptop (`None`: the team's first).
    pub device: Option<Uuid>,
    pub epoch: u32,
    /// The laptop's signature (`sync::signing::sign_claim`), as its entries carry one.
    pub signature: String,
}

/// What names a record version's document: its class, id and version.
fn record_key(id: &[u8], version: u64) -> Vec<u8> {
    let mut key = vec![RECORD];
    key.extend_from_slice(id);
    key.extend_from_slice(&version.to_be_bytes());
    key
}

/// A row of the file, as the server will hold it.
pub(crate) struct Document {
    pub id: String,
    pub rev: String,
    /// The sealed body (`envelope::seal_document`).
    pub body: Vec<u8>,
}

/// Where a shared row is in the file, and the document it becomes.
pub(crate) struct Shared {
    pub id: String,
    pub rev: String,
    row: RowRef,
}

enum RowRef {
    Record(i64),
    Chunk(i64),
}

/// A record version as a document from the server holds it: where it belongs, and its sealed
/// bytes as the file would hold them.
pub(crate) struct Received {
    pub kind: String,
    pub id: Uuid,
    pub version: u32,
    pub case: Option<Uuid>,
    pub sealed: Vec<u8>,
}

/// A row as a document from the server holds it, opened (`Vault::open_incoming`). Its `sealed`
/// bytes are still the vault's ciphertext: they open, and are checked, as the file's own do.
pub(crate) enum Incoming {
    Record(Received),
    Chunk {
        attachment: Uuid,
        index: u32,
        sealed: Vec<u8>,
    },
}

/// The last row of each table a push offered: where it was in the file (SQLite's rowid) and a
/// hash of what it held. SQLite gives a new row the highest rowid plus one, so every row written
/// since has a higher one, unless the last row itself went (a rowid is then used again): so a
/// mark counts only while the row at it still holds what it held.
///
/// Kept in `vault_meta` (`sync_pushed`), outside the log: a push that wrote an entry of its own
/// would leave one more row to send at every push. It holds no content (rowids, hashes of
/// ciphertext, and a keyed hash of the server), and a mark altered by hand only makes a push
/// offer everything, or skip rows until the server is set again.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marks {
    pub records: Option<Mark>,
    pub chunks: Option<Mark>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    pub rowid: i64,
    /// SHA-256 (hex) of what names the row and its sealed bytes.
    pub hash: String,
}

/// What `vault_meta`'s `sync_pushed` holds (JSON).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PushedTo {
    /// A keyed hash of the server's `url database`, so that the file names no server in clear.
    server: String,
    after: Marks,
}

fn mark_of(rowid: i64, key: &[u8], sealed: &[u8]) -> Mark {
    let mut h = Sha256::new();
    h.update(key);
    h.update(sealed);
    Mark {
        rowid,
        hash: hex::encode(h.finalize()),
    }
}

impl Vault {
    /// Every row this device shares, by document id and revision, without sealing anything yet
    /// (the server is asked which it lacks first).
    pub(crate) fn shared_rows(&self) -> Result<Vec<Shared>> {
        Ok(self.shared_rows_after(&Marks::default())?.0)
    }

    /// The rows this device shares written after `after` (all of them where a mark no longer
    /// holds), and the marks of the last rows now.
    pub(crate) fn shared_rows_after(&self, after: &Marks) -> Result<(Vec<Shared>, Marks)> {
        let mut out = Vec::new();
        let mut marks = Marks::default();
        let not_shared = NOT_SHARED
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let from = match &after.records {
            Some(m)
                if self.holds_mark(
                    m,
                    "SELECT id, version, sealed FROM records WHERE rowid = ?1",
                    |r| {
                        Ok((
                            record_key(&r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)? as u64),
                            r.get::<_, Vec<u8>>(2)?,
                        ))
                    },
                )? =>
            {
                m.rowid
            }
            _ => 0,
        };
        // The last row of the table, shared or not: it is where the next push starts. (Not the
        // log's head, the one row rewritten in place: its mark would not hold past one write.)
        marks.records = self.last_mark(&format!("SELECT rowid, id, version, sealed FROM records WHERE kind != '{}' ORDER BY rowid DESC LIMIT 1", super::ledger::HEAD_KIND), |r| {
            Ok((record_key(&r.get::<_, Vec<u8>>(1)?, r.get::<_, i64>(2)? as u64), r.get::<_, Vec<u8>>(3)?))
        })?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT rowid, id, version, sealed FROM records WHERE rowid > ?1 AND kind NOT IN ({not_shared})"
        ))?;
        let mut rows = stmt.query(params![from])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(1)?;
            let version = r.get::<_, i64>(2)? as u64;
            let sealed = r.get_ref(3)?.as_blob().unwrap_or_default();
            let key = record_key(&id, version);
            out.push(self.shared(&key, sealed, RowRef::Record(r.get(0)?)));
        }
        let chunk_key = |attachment: &[u8], index: u32| {
            let mut key = vec![CHUNK];
            key.extend_from_slice(attachment);
            key.extend_from_slice(&index.to_be_bytes());
            key
        };
        let from = match &after.chunks {
            Some(m)
                if self.holds_mark(
                    m,
                    "SELECT attachment, idx, sealed FROM attachment_chunks WHERE rowid = ?1",
                    |r| {
                        Ok((
                            chunk_key(&r.get::<_, Vec<u8>>(0)?, r.get(1)?),
                            r.get::<_, Vec<u8>>(2)?,
                        ))
                    },
                )? =>
            {
                m.rowid
            }
            _ => 0,
        };
        marks.chunks = self.last_mark("SELECT rowid, attachment, idx, sealed FROM attachment_chunks ORDER BY rowid DESC LIMIT 1", |r| {
            Ok((chunk_key(&r.get::<_, Vec<u8>>(1)?, r.get(2)?), r.get::<_, Vec<u8>>(3)?))
        })?;
        let mut stmt = self.conn.prepare(
            "SELECT rowid, attachment, idx, sealed FROM attachment_chunks WHERE rowid > ?1",
        )?;
        let mut rows = stmt.query(params![from])?;
        while let Some(r) = rows.next()? {
            let attachment: Vec<u8> = r.get(1)?;
            let index: u32 = r.get(2)?;
            let sealed = r.get_ref(3)?.as_blob().unwrap_or_default();
            let key = chunk_key(&attachment, index);
            out.push(self.shared(&key, sealed, RowRef::Chunk(r.get(0)?)));
        }
        Ok((out, marks))
    }

    /// Where the last push to `server` (`url database`) got to; none for another server.
    pub(crate) fn push_marks(&self, server: &str) -> Result<Marks> {
        use rusqlite::OptionalExtension;
        let kept: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT value FROM vault_meta WHERE name = 'sync_pushed'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(kept
            .and_then(|json| serde_json::from_slice::<PushedTo>(&json).ok())
            .filter(|p| p.server == self.server_tag(server))
            .map(|p| p.after)
            .unwrap_or_default())
    }

    /// Keeps where a push to `server` got to.
    pub(crate) fn keep_push_marks(&self, server: &str, after: &Marks) -> Result<()> {
        let json = serde_json::to_vec(&PushedTo {
            server: self.server_tag(server),
            after: after.clone(),
        })
        .map_err(|e| Error::invalid(format!("cannot encode the push position: {e}")))?;
        self.conn.execute(
            "INSERT INTO vault_meta (name, value) VALUES ('sync_pushed', ?1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![json],
        )?;
        Ok(())
    }

    /// Forgets where pushes got to: the next offers every row.
    pub(crate) fn forget_push_marks(&self) -> Result<()> {
        self.conn
            .execute("DELETE FROM vault_meta WHERE name = 'sync_pushed'", [])?;
        Ok(())
    }

    fn server_tag(&self, server: &str) -> String {
        hex::encode(&self.sync_tag(b"silta/sync/pushed-to/v1", server.as_bytes())[..16])
    }

    /// Whether the row at `mark` still holds what it held (`key` and sealed bytes from `read`).
    fn holds_mark(
        &self,
        mark: &Mark,
        sql: &str,
        read: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<(Vec<u8>, Vec<u8>)>,
    ) -> Result<bool> {
        use rusqlite::OptionalExtension;
        let row = self
            .conn
            .query_row(sql, params![mark.rowid], read)
            .optional()?;
        Ok(row.is_some_and(|(key, sealed)| mark_of(mark.rowid, &key, &sealed) == *mark))
    }

    /// The mark of the table's last row (`sql` reads rowid, then what `read` takes).
    fn last_mark(
        &self,
        sql: &str,
        read: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<(Vec<u8>, Vec<u8>)>,
    ) -> Result<Option<Mark>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(sql, [], |r| Ok((r.get::<_, i64>(0)?, read(r)?)))
            .optional()?
            .map(|(rowid, (key, sealed))| mark_of(rowid, &key, &sealed)))
    }

    fn shared(&self, key: &[u8], sealed: &[u8], row: RowRef) -> Shared {
        let (id, rev) = self.names(key, sealed);
        Shared { id, rev, row }
    }

    /// The document id of record `id`'s version `version`.
    fn record_doc_id(&self, id: &[u8], version: u64) -> String {
        self.doc_id(&record_key(id, version))
    }

    /// The document id this laptop's own audit entry `seq` has (or would have) on the server.
    pub(crate) fn own_entry_doc(&self, seq: u64) -> Result<String> {
        let id = self.tagger().device_entry_id(self.device()?, seq);
        Ok(self.record_doc_id(id.as_bytes(), 1))
    }

    /// The id of the document that claims key epoch `epoch`: a keyed hash like every other id,
    /// but under the key of the epoch before it, so that only a laptop holding that key can
    /// name it (`None` for a laptop that does not).
    fn claim_doc_id(&self, epoch: u32) -> Option<String> {
        let before = self.keys.chain().get(epoch.checked_sub(1)?)?;
        let ids = super::keys::claim_ids(self.id, before);
        let mut key = vec![CLAIM];
        key.extend_from_slice(&epoch.to_be_bytes());
        let tag = Tagger::new(ids.expose()).tag(&[b"silta/sync/doc-id/v1", &key]);
        Some(hex::encode(&tag[..16]))
    }

    /// A claim on the key epoch after the current one, by `device` with `signature`: its id and
    /// sealed body, under the current epoch, so that every laptop that can take the next key can
    /// read it.
    pub(crate) fn claim_document(
        &self,
        device: Option<Uuid>,
        signature: &str,
    ) -> Result<(String, Vec<u8>)> {
        let epoch = self.epoch() + 1;
        let id = self.claim_doc_id(epoch).ok_or_else(|| Error::Integrity {
            what: "the current key epoch".into(),
        })?;
        let mut body = vec![CLAIM];
        body.extend_from_slice(&epoch.to_be_bytes());
        body.extend_from_slice(device.unwrap_or_default().as_bytes());
        body.extend_from_slice(signature.as_bytes());
        let sealed = envelope::seal_document(&self.keys.sync, self.id.uuid(), &id, &body)?;
        Ok((id, sealed))
    }

    /// The claim a document holds, if it is one of this team's, sealed under the epoch before
    /// the one it claims and filed under that epoch's claim id. (Its revision is the server's
    /// own: a claim is stored as an ordinary edit.)
    pub(crate) fn open_claim(&self, id: &str, body: &[u8]) -> Option<Claim> {
        let plain = self.open_document(id, body)?;
        let (&class, rest) = plain.split_first()?;
        let (epoch, rest) = rest.split_first_chunk::<4>()?;
        let epoch = u32::from_be_bytes(*epoch);
        let (device, signature) = rest.split_first_chunk::<16>()?;
        let device = Uuid::from_bytes(*device);
        let signature = String::from_utf8(signature.to_vec()).ok()?;
        let placed = envelope::epoch_of(body) == epoch.checked_sub(1)
            && self.claim_doc_id(epoch).as_deref() == Some(id);
        (class == CLAIM && placed).then(|| Claim {
            device: (!device.is_nil()).then_some(device),
            epoch,
            signature,
        })
    }

    fn doc_id(&self, key: &[u8]) -> String {
        hex::encode(&self.sync_tag(b"silta/sync/doc-id/v1", key)[..16])
    }

    /// The documents of everything under `case` (its record, the records under it, the chunks
    /// of `attachments`): what an erasure must take off the server too.
    pub(crate) fn case_documents(&self, case: Uuid, attachments: &[Uuid]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, version FROM records WHERE case_id = ?1 OR (id = ?1 AND kind = 'case')",
        )?;
        let mut rows = stmt.query(params![case.as_bytes().as_slice()])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(0)?;
            let version = r.get::<_, i64>(1)? as u64;
            out.push(self.record_doc_id(&id, version));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT idx FROM attachment_chunks WHERE attachment = ?1")?;
        for a in attachments {
            let mut rows = stmt.query(params![a.as_bytes().as_slice()])?;
            while let Some(r) = rows.next()? {
                let index: u32 = r.get(0)?;
                let mut key = vec![CHUNK];
                key.extend_from_slice(a.as_bytes());
                key.extend_from_slice(&index.to_be_bytes());
                out.push(self.doc_id(&key));
            }
        }
        Ok(out)
    }

    /// The document id and revision of the row named `key` holding `sealed`.
    fn names(&self, key: &[u8], sealed: &[u8]) -> (String, String) {
        let id = self.doc_id(key);
        let mut named = key.to_vec();
        named.extend_from_slice(&Sha256::digest(sealed));
        let rev = format!(
            "1-{}",
            hex::encode(&self.sync_tag(b"silta/sync/rev/v1", &named)[..16])
        );
        (id, rev)
    }

    fn sync_tag(&self, label: &[u8], data: &[u8]) -> [u8; 32] {
        Tagger::new(self.keys.sync_ids.expose()).tag(&[label, data])
    }

    /// The document of a shared row: its class, what names it and its sealed bytes (already
    /// ciphertext under the vault's key, with its kind and case bound in), sealed once more under
    /// the sync key so that the server learns neither its kind nor its case.
    pub(crate) fn document(&self, shared: &Shared) -> Result<Document> {
        let mut body = Zeroizing::new(Vec::new());
        let row_epoch = match shared.row {
            RowRef::Record(rowid) => {
                let (id, version, kind, case, sealed): (
                    Vec<u8>,
                    i64,
                    String,
                    Option<Vec<u8>>,
                    Vec<u8>,
                ) = self.conn.query_row(
                    "SELECT id, version, kind, case_id, sealed FROM records WHERE rowid = ?1",
                    params![rowid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )?;
                body.push(RECORD);
                body.extend_from_slice(&id);
                body.extend_from_slice(&(version as u64).to_be_bytes());
                match case {
                    Some(case) => {
                        body.push(1);
                        body.extend_from_slice(&case);
                    }
                    None => body.push(0),
                }
                let kind_len = u8::try_from(kind.len())
                    .map_err(|_| Error::invalid("a record kind too long"))?;
                body.push(kind_len);
                body.extend_from_slice(kind.as_bytes());
                body.extend_from_slice(&sealed);
                envelope::epoch_of(&sealed)
            }
            RowRef::Chunk(rowid) => {
                let (attachment, index, sealed): (Vec<u8>, u32, Vec<u8>) = self.conn.query_row(
                    "SELECT attachment, idx, sealed FROM attachment_chunks WHERE rowid = ?1",
                    params![rowid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?;
                body.push(CHUNK);
                body.extend_from_slice(&attachment);
                body.extend_from_slice(&index.to_be_bytes());
                body.extend_from_slice(&sealed);
                envelope::epoch_of(&sealed)
            }
        };
        // Under the key epoch of the row it carries, so that the document opens for exactly
        // those who can open the row: a laptop removed from the team cannot even tell what a
        // later epoch's documents hold, and a laptop sent a new epoch's key finds the grant it
        // needs in a document it can open with the key before (`sync::team`).
        let ciphers = row_epoch
            .and_then(|e| usize::try_from(e).ok())
            .and_then(|e| self.keys.sync.get(..=e))
            .ok_or_else(|| Error::Integrity {
                what: "a row to be shared".into(),
            })?;
        Ok(Document {
            id: shared.id.clone(),
            rev: shared.rev.clone(),
            body: envelope::seal_document(ciphers, self.id.uuid(), &shared.id, &body)?,
        })
    }

    /// What a document from the server holds, if it is one of this team's and unaltered: its
    /// class byte and the rest. Anything else (another team's, a body moved to another id,
    /// damaged) is `None`.
    pub(crate) fn open_document(&self, id: &str, body: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        envelope::open_document(&self.keys.sync, self.id.uuid(), id, body)
    }
}

impl Vault {
    /// The row a document holds, if it is one of this team's, unaltered, and filed under the id
    /// and revision its row gives it (a body under another id does not open; a revision that
    /// does not match its row is someone's edit).
    pub(crate) fn open_incoming(&self, id: &str, rev: &str, body: &[u8]) -> Option<Incoming> {
        let plain = self.open_document(id, body)?;
        let (class, rest) = plain.split_first()?;
        let uuid = |b: &[u8]| Uuid::from_slice(b).ok();
        let (incoming, key_len) = match *class {
            RECORD => {
                let (record, rest) = rest.split_at_checked(16)?;
                let (version, rest) = rest.split_first_chunk::<8>()?;
                let (flag, rest) = rest.split_first()?;
                let (case, rest) = match flag {
                    0 => (None, rest),
                    1 => {
                        let (c, rest) = rest.split_at_checked(16)?;
                        (Some(uuid(c)?), rest)
                    }
                    _ => return None,
                };
                let (kind_len, rest) = rest.split_first()?;
                let (kind, sealed) = rest.split_at_checked(usize::from(*kind_len))?;
                let version = u32::try_from(u64::from_be_bytes(*version)).ok()?;
                (
                    Incoming::Record(Received {
                        kind: String::from_utf8(kind.to_vec()).ok()?,
                        id: uuid(record)?,
                        version,
                        case,
                        sealed: sealed.to_vec(),
                    }),
                    1 + 16 + 8,
                )
            }
            CHUNK => {
                let (attachment, rest) = rest.split_at_checked(16)?;
                let (index, sealed) = rest.split_first_chunk::<4>()?;
                (
                    Incoming::Chunk {
                        attachment: uuid(attachment)?,
                        index: u32::from_be_bytes(*index),
                        sealed: sealed.to_vec(),
                    },
                    1 + 16 + 4,
                )
            }
            _ => return None,
        };
        let sealed = match &incoming {
            Incoming::Record(Received { sealed, .. }) | Incoming::Chunk { sealed, .. } => sealed,
        };
        let key = plain.get(..key_len)?;
        let (expected_id, expected_rev) = self.names(key, sealed);
        (expected_id == id && expected_rev == rev).then_some(incoming)
    }

    /// The sealed bytes of record version (`id`, `version`) in the file, if it is there.
    pub(crate) fn sealed_version(&self, id: Uuid, version: u32) -> Result<Option<Vec<u8>>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT sealed FROM records WHERE id = ?1 AND version = ?2",
                params![id.as_bytes().as_slice(), version],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Whether the file holds attachment chunk (`attachment`, `index`).
    pub(crate) fn has_chunk(&self, attachment: Uuid, index: u32) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM attachment_chunks WHERE attachment = ?1 AND idx = ?2",
            params![attachment.as_bytes().as_slice(), index],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Puts a received record version into the file as it came, noting it for the ledger. The
    /// caller has checked it (`sync::receive`) and logs it in the same transaction.
    pub(crate) fn insert_received(&self, r: &Received) -> Result<()> {
        self.conn.execute(
            "INSERT INTO records (id, version, kind, case_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                r.id.as_bytes().as_slice(),
                r.version,
                r.kind,
                r.case.as_ref().map(|c| c.as_bytes().as_slice()),
                r.sealed
            ],
        )?;
        self.note_record(
            &envelope::RecordPlace {
                vault: self.id.uuid(),
                kind: &r.kind,
                id: r.id,
                version: u64::from(r.version),
                case: r.case,
            },
            true,
        );
        Ok(())
    }

    /// Puts a received attachment chunk into the file, as `insert_received` does a record.
    pub(crate) fn insert_received_chunk(
        &self,
        attachment: Uuid,
        index: u32,
        sealed: &[u8],
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO attachment_chunks (attachment, idx, sealed) VALUES (?1, ?2, ?3)",
            params![attachment.as_bytes().as_slice(), index, sealed],
        )?;
        self.note_chunk(attachment, index, true);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Note;
    use crate::vault::{KdfParams, Passphrase};

    fn vault(dir: &std::path::Path) -> Vault {
        Vault::create(
            &dir.join("v.silta"),
            "Kaisa",
            &Passphrase::new("correct horse battery"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap()
        .0
    }

    fn note_rows(v: &Vault) -> Vec<Shared> {
        v.shared_rows()
            .unwrap()
            .into_iter()
            .filter(|s| {
                let doc = v.document(s).unwrap();
                v.open_document(&s.id, &doc.body)
                    .is_some_and(|b| b.windows(4).any(|w| w == b"note"))
            })
            .collect()
    }

    #[test]
    fn a_document_opens_only_under_its_own_id_and_in_its_own_team() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(dir.path());
        v.insert(None, &Note { text: "x".into() }).unwrap();
        let rows = v.shared_rows().unwrap();
        let (a, b) = (v.document(&rows[0]).unwrap(), v.document(&rows[1]).unwrap());
        assert!(v.open_document(&a.id, &a.body).is_some());
        assert!(
            v.open_document(&b.id, &a.body).is_none(),
            "moved to another id"
        );
        let other = tempfile::tempdir().unwrap();
        assert!(
            vault(other.path()).open_document(&a.id, &a.body).is_none(),
            "another team's"
        );
        let mut flipped = a.body.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(v.open_document(&a.id, &flipped).is_none());
    }

    #[test]
    fn a_claim_opens_only_sealed_under_the_epoch_before_it_at_that_epochs_own_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(dir.path());
        v.insert(None, &Note { text: "x".into() }).unwrap();
        let (id, body) = v.claim_document(None, "signed").unwrap();
        let first = Claim {
            device: None,
            epoch: 1,
            signature: "signed".into(),
        };
        assert_eq!(v.open_claim(&id, &body), Some(first));
        let laptop = Uuid::new_v4();
        let (_, by_laptop) = v.claim_document(Some(laptop), "").unwrap();
        assert_eq!(v.open_claim(&id, &by_laptop).unwrap().device, Some(laptop));
        // Named under the team's own key: another team's claim on the same epoch is elsewhere.
        let other = tempfile::tempdir().unwrap();
        assert_ne!(
            vault(other.path())
                .claim_document(None, "signed")
                .unwrap()
                .0,
            id
        );
        // A claim cut short, without the whole of its laptop's id, is none.
        let mut short = vec![CLAIM];
        short.extend_from_slice(&1u32.to_be_bytes());
        short.extend_from_slice(&laptop.as_bytes()[..15]);
        let short = envelope::seal_document(&v.keys.sync, v.id.uuid(), &id, &short).unwrap();
        assert_eq!(v.open_claim(&id, &short), None);
        // A row's document is no claim, at its own id or at the claim's; a claim is no row.
        let row = v.document(&v.shared_rows().unwrap()[0]).unwrap();
        assert_eq!(v.open_claim(&row.id, &row.body), None);
        let moved = envelope::seal_document(
            &v.keys.sync,
            v.id.uuid(),
            &id,
            &v.open_document(&row.id, &row.body).unwrap(),
        )
        .unwrap();
        assert_eq!(v.open_claim(&id, &moved), None);
        assert!(v.open_incoming(&id, "1-0", &body).is_none());
        // A claim on epoch 2, sealed under epoch 1 as it should be but filed under epoch 1's
        // claim id, is none.
        v.change_key().unwrap();
        let (next, _) = v.claim_document(None, "signed").unwrap();
        assert_ne!(next, id);
        let mut misfiled = vec![CLAIM];
        misfiled.extend_from_slice(&2u32.to_be_bytes());
        misfiled.extend_from_slice(Uuid::nil().as_bytes());
        let misfiled = envelope::seal_document(&v.keys.sync, v.id.uuid(), &id, &misfiled).unwrap();
        assert_eq!(v.open_claim(&id, &misfiled), None);
        // A claim on epoch 1 sealed under epoch 1 itself (by a laptop that was sent its key,
        // say, and then removed) is none: only the key before names and fills it.
        let mut late = vec![CLAIM];
        late.extend_from_slice(&1u32.to_be_bytes());
        late.extend_from_slice(Uuid::nil().as_bytes());
        let late = envelope::seal_document(&v.keys.sync, v.id.uuid(), &id, &late).unwrap();
        assert_eq!(v.open_claim(&id, &late), None);
        // The claim made before the key changed still reads as it was.
        assert_eq!(v.open_claim(&id, &body).map(|c| c.epoch), Some(1));
    }

    #[test]
    fn one_row_is_one_document_and_each_version_another() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(dir.path());
        let first = v.insert(None, &Note { text: "a".into() }).unwrap();
        let before = note_rows(&v);
        assert_eq!(before.len(), 1);
        // Sealed again (a new nonce), the same row still names the same document and revision:
        // what a device received and offers back is what the server holds.
        let again = v.document(&before[0]).unwrap();
        assert_ne!(again.body, v.document(&before[0]).unwrap().body);
        v.update(&first, &Note { text: "b".into() }).unwrap();
        let after = note_rows(&v);
        assert_eq!(after.len(), 2);
        assert!(
            after
                .iter()
                .any(|s| s.id == before[0].id && s.rev == before[0].rev)
        );
        let new = after.iter().find(|s| s.id != before[0].id).unwrap();
        assert_ne!(new.rev, before[0].rev);
        // The audit head is this device's own and never shared.
        let shared = v.shared_rows().unwrap().len();
        let rows: i64 = v
            .conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
            .unwrap();
        assert_eq!(shared as i64, rows - 1);
    }

    #[test]
    fn a_push_offers_only_rows_written_after_the_last_and_everything_once_that_row_went() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(dir.path());
        v.insert(None, &Note { text: "a".into() }).unwrap();
        let (all, marks) = v.shared_rows_after(&Marks::default()).unwrap();
        assert_eq!(all.len(), v.shared_rows().unwrap().len());
        // Nothing written since: nothing to offer.
        let (none, same) = v.shared_rows_after(&marks).unwrap();
        assert!(none.is_empty());
        assert_eq!(same, marks);
        v.insert(None, &Note { text: "b".into() }).unwrap();
        let (new, after_second) = v.shared_rows_after(&marks).unwrap();
        let names = |rows: &[Shared]| -> Vec<(String, String)> {
            rows.iter().map(|s| (s.id.clone(), s.rev.clone())).collect()
        };
        // The note and the entry that wrote it.
        assert_eq!(new.len(), 2, "{:?}", names(&new));
        assert!(
            names(&new).iter().all(|n| !names(&all).contains(n)),
            "only what is new"
        );
        // The last row goes and SQLite gives its rowid to the next: the mark no longer holds,
        // and everything is offered again rather than the new row skipped.
        let last: i64 = v
            .conn
            .query_row(
                "SELECT max(rowid) FROM records WHERE kind != 'audit_head'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(after_second.records.as_ref().unwrap().rowid, last);
        v.conn
            .execute("DELETE FROM records WHERE rowid = ?1", params![last])
            .unwrap();
        v.conn
            .execute(
                "INSERT INTO records (rowid, id, version, kind, sealed) VALUES (?1, ?2, 1, 'note', x'00')",
                params![last, Uuid::new_v4().as_bytes().as_slice()],
            )
            .unwrap();
        let (again, _) = v.shared_rows_after(&after_second).unwrap();
        assert_eq!(again.len(), v.shared_rows().unwrap().len());
    }

    #[test]
    fn the_server_sees_sizes_only_in_steps_of_256_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(dir.path());
        for text in ["", "short", &"long ".repeat(100)] {
            v.insert(None, &Note { text: text.into() }).unwrap();
        }
        for row in v.shared_rows().unwrap() {
            let doc = v.document(&row).unwrap();
            // format byte, nonce, tag around a multiple of 256
            assert_eq!(
                (doc.body.len() - 1 - 12 - 16) % 256,
                0,
                "{}",
                doc.body.len()
            );
        }
    }
}
