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
use zeroize::Zeroizing;

use super::ledger::Tagger;
use super::{Vault, envelope};
use crate::error::{Error, Result};
use crate::ids::RecordId;

/// Rows a device keeps for itself: its own audit head (each device has its own), and the server
/// it syncs with and its credentials (each device logs in as its own user).
const NOT_SHARED: &[&str] = &["audit_head", crate::sync::SERVER_KIND];

/// What a document holds, after its class byte (docs/sync.md, "Documents").
const RECORD: u8 = 1;
const CHUNK: u8 = 2;
const LINK: u8 = 3;

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
    Link(u32),
}

impl Vault {
    /// Every row this device shares, by document id and revision, without sealing anything yet
    /// (the server is asked which it lacks first).
    pub(crate) fn shared_rows(&self) -> Result<Vec<Shared>> {
        let mut out = Vec::new();
        let not_shared = NOT_SHARED
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT rowid, id, version, sealed FROM records WHERE kind NOT IN ({not_shared})"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(1)?;
            let version = r.get::<_, i64>(2)? as u64;
            let sealed = r.get_ref(3)?.as_blob().unwrap_or_default();
            let mut key = vec![RECORD];
            key.extend_from_slice(&id);
            key.extend_from_slice(&version.to_be_bytes());
            out.push(self.shared(&key, sealed, RowRef::Record(r.get(0)?)));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT rowid, attachment, idx, sealed FROM attachment_chunks")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let attachment: Vec<u8> = r.get(1)?;
            let index: u32 = r.get(2)?;
            let sealed = r.get_ref(3)?.as_blob().unwrap_or_default();
            let mut key = vec![CHUNK];
            key.extend_from_slice(&attachment);
            key.extend_from_slice(&index.to_be_bytes());
            out.push(self.shared(&key, sealed, RowRef::Chunk(r.get(0)?)));
        }
        let mut stmt = self.conn.prepare("SELECT epoch, link FROM key_epochs")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let epoch: u32 = r.get(0)?;
            let link = r.get_ref(1)?.as_blob().unwrap_or_default();
            let mut key = vec![LINK];
            key.extend_from_slice(&epoch.to_be_bytes());
            out.push(self.shared(&key, link, RowRef::Link(epoch)));
        }
        Ok(out)
    }

    fn shared(&self, key: &[u8], sealed: &[u8], row: RowRef) -> Shared {
        let id = hex::encode(&self.sync_tag(b"silta/sync/doc-id/v1", key)[..16]);
        let mut named = key.to_vec();
        named.extend_from_slice(&Sha256::digest(sealed));
        let rev = format!(
            "1-{}",
            hex::encode(&self.sync_tag(b"silta/sync/rev/v1", &named)[..16])
        );
        Shared { id, rev, row }
    }

    fn sync_tag(&self, label: &[u8], data: &[u8]) -> [u8; 32] {
        Tagger::new(self.keys.sync_ids.expose()).tag(&[label, data])
    }

    /// The document of a shared row: its class, what names it and its sealed bytes (already
    /// ciphertext under the vault's key, with its kind and case bound in), sealed once more under
    /// the sync key so that the server learns neither its kind nor its case.
    pub(crate) fn document(&self, shared: &Shared) -> Result<Document> {
        let mut body = Zeroizing::new(Vec::new());
        match shared.row {
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
            }
            RowRef::Link(epoch) => {
                let link: Vec<u8> = self.conn.query_row(
                    "SELECT link FROM key_epochs WHERE epoch = ?1",
                    params![epoch],
                    |r| r.get(0),
                )?;
                body.push(LINK);
                body.extend_from_slice(&epoch.to_be_bytes());
                body.extend_from_slice(&link);
            }
        }
        Ok(Document {
            id: shared.id.clone(),
            rev: shared.rev.clone(),
            body: envelope::seal_document(&self.keys.sync, self.id.uuid(), &shared.id, &body)?,
        })
    }

    /// (Only the tests open documents until pulling is built: `envelope::open_document`.)
    ///
    /// What a document from the server holds, if it is one of this team's and unaltered: its
    /// class byte and the rest. Anything else (another team's, a body moved to another id,
    /// damaged) is `None`.
    #[cfg(test)]
    pub(crate) fn open_document(&self, id: &str, body: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        envelope::open_document(&self.keys.sync, self.id.uuid(), id, body)
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
