//! Sealed, versioned records. Each write adds a version; earlier versions stay (encrypted) so a
//! record's history can be shown. What is saved inside the ciphertext: who saved it, when, and the
//! record itself as JSON.

use aes_gcm::Aes256Gcm;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Vault;
use super::envelope::{self, RecordPlace};
use crate::audit;
use crate::error::{Error, Result};
use crate::ids::{CaseId, RecordId};

/// A type that is stored as a sealed record.
pub trait Record: Serialize + DeserializeOwned + Clone + Send {
    /// The plaintext `kind` column; also bound into the ciphertext.
    const KIND: &'static str;
    type Id: RecordId + Serialize + Send;
}

/// One version of a record, with who saved it and when. (Generic over the id type as well, so that
/// its TypeScript form can be generated; use it as `Stored<R>`.)
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Saved<R, I> {
    pub id: I,
    pub version: u32,
    pub case: Option<CaseId>,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
    pub record: R,
}

/// A saved version of the record type `R`, with `R`'s own id type.
pub type Stored<R> = Saved<R, <R as Record>::Id>;

#[derive(Serialize)]
struct PayloadOut<'a, R: ?Sized> {
    saved_at: DateTime<Utc>,
    saved_by: &'a str,
    /// The audit entry that logs this write (vault format 3 on; see `audit`).
    seq: u64,
    /// The device whose chain that entry is in (team sync); absent for the first device.
    #[serde(skip_serializing_if = "Option::is_none")]
    device: Option<Uuid>,
    record: &'a R,
}

#[derive(Deserialize)]
struct PayloadIn<R> {
    saved_at: DateTime<Utc>,
    saved_by: String,
    /// Absent in records written before vault format 3.
    #[serde(default, rename = "seq")]
    _seq: Option<u64>,
    record: R,
}

/// Every record version but the log's own rows (its entries and head).
const NOT_THE_LOG: &str = "kind NOT IN ('audit', 'audit_head')";

/// One row of `records`, as read for checking or re-sealing every version.
struct Version {
    kind: String,
    id: Uuid,
    version: u32,
    case: Option<Uuid>,
    sealed: Vec<u8>,
}

/// A row of `SELECT id, version, kind, case_id, sealed FROM records`.
fn version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Version> {
    Ok(Version {
        id: uuid_column(r.get(0)?)?,
        version: r.get(1)?,
        kind: r.get(2)?,
        case: r
            .get::<_, Option<Vec<u8>>>(3)?
            .map(uuid_column)
            .transpose()?,
        sealed: sealed_column(r.get_ref(4)?),
    })
}

/// A ciphertext of another type (text put in by hand) is a record version that does not open,
/// reported as such, not a read that fails.
fn sealed_column(v: rusqlite::types::ValueRef<'_>) -> Vec<u8> {
    v.as_blob().map(<[u8]>::to_vec).unwrap_or_default()
}

impl Version {
    fn place(&self, vault: Uuid) -> RecordPlace<'_> {
        RecordPlace {
            vault,
            kind: &self.kind,
            id: self.id,
            version: self.version.into(),
            case: self.case,
        }
    }

    fn damaged(&self) -> Error {
        Error::Integrity {
            what: format!("{} {} version {}", self.kind, self.id, self.version),
        }
    }
}

/// A record version as `audit::verify` checks it against the entry that wrote it.
pub(crate) struct Bound {
    pub kind: String,
    pub id: Uuid,
    pub version: u32,
    pub case: Option<Uuid>,
    /// The entry it binds; `None` when written before vault format 3.
    pub seq: Option<u64>,
    /// The device whose chain holds that entry; `None` for the first device of a team.
    pub device: Option<Uuid>,
    pub sealed: String,
}

/// Only the entry a record version binds, for checking it against the log.
#[derive(Deserialize)]
struct Binding {
    #[serde(default)]
    seq: Option<u64>,
    #[serde(default)]
    device: Option<Uuid>,
}

struct Row {
    id: Uuid,
    version: u32,
    case: Option<Uuid>,
    sealed: Vec<u8>,
}

/// A record version that does not open: altered or damaged in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Damaged {
    /// The record's kind, as the file names it.
    pub kind: String,
    pub id: Uuid,
    pub version: u32,
    /// The case it belongs to, as the file says (unauthenticated: the record could not be read).
    pub case: Option<Uuid>,
}

/// What an audit entry names a record version's ciphertext by: lower-case hex of its SHA-256.
pub(crate) fn sealed_hash(sealed: &[u8]) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(sealed))
}

fn uuid_column(bytes: Vec<u8>) -> rusqlite::Result<Uuid> {
    Uuid::from_slice(&bytes).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    })
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: uuid_column(r.get(0)?)?,
        version: r.get(1)?,
        case: r
            .get::<_, Option<Vec<u8>>>(2)?
            .map(uuid_column)
            .transpose()?,
        // A ciphertext of another type (text put in by hand) is a record that does not open, not
        // a listing that fails.
        sealed: r
            .get_ref(3)?
            .as_blob()
            .map(<[u8]>::to_vec)
            .unwrap_or_default(),
    })
}

impl Vault {
    /// Saves a new record (version 1) under `case` (or at the top level for a case itself).
    pub fn insert<R: Record>(&self, case: Option<CaseId>, record: &R) -> Result<Stored<R>> {
        self.insert_with_id(R::Id::new(), case, record)
    }

    /// Saves the one record of its kind a vault holds (for `owner`, where there is one per staff
    /// member), at the id every laptop of its team gives it (`Tagger::single_record_id`).
    pub(crate) fn insert_single<R: Record>(
        &self,
        owner: Option<&str>,
        record: &R,
    ) -> Result<Stored<R>> {
        let id = self.tagger().single_record_id(R::KIND, owner);
        self.insert_with_id(R::Id::from_uuid(id), None, record)
    }

    pub(crate) fn insert_with_id<R: Record>(
        &self,
        id: R::Id,
        case: Option<CaseId>,
        record: &R,
    ) -> Result<Stored<R>> {
        self.put(id, 1, case, record)
    }

    /// Saves a new version of `current`. If someone else saved a version meanwhile, this is a
    /// `Conflict` and nothing is written.
    pub fn update<R: Record>(&self, current: &Stored<R>, record: &R) -> Result<Stored<R>> {
        let next = current.version.checked_add(1).ok_or(Error::Conflict {
            kind: R::KIND,
            id: current.id.to_string(),
        })?;
        self.put(current.id, next, current.case, record)
    }

    /// Saves a new record (version 1) sealed under key epoch `epoch` rather than the current
    /// one: a team grant of a new epoch's key, which the laptops it is for open with the key
    /// before it (`sync::team`).
    pub(crate) fn insert_under_epoch<R: Record>(
        &self,
        epoch: u32,
        case: Option<CaseId>,
        record: &R,
    ) -> Result<Stored<R>> {
        self.put_in(R::Id::new(), 1, case, record, Some(epoch))
    }

    fn put<R: Record>(
        &self,
        id: R::Id,
        version: u32,
        case: Option<CaseId>,
        record: &R,
    ) -> Result<Stored<R>> {
        self.put_in(id, version, case, record, None)
    }

    fn put_in<R: Record>(
        &self,
        id: R::Id,
        version: u32,
        case: Option<CaseId>,
        record: &R,
        epoch: Option<u32>,
    ) -> Result<Stored<R>> {
        self.write(|v| {
            let head = audit::head(v)?;
            let (stored, sealed) =
                v.put_unlogged_in(id, version, case, record, audit::next_seq(&head), epoch)?;
            let action = if version == 1 {
                audit::Action::Created
            } else {
                audit::Action::Changed
            };
            audit::append(
                v,
                head,
                audit::Event {
                    action,
                    kind: Some(R::KIND),
                    target: Some(id.uuid()),
                    version: Some(version),
                    sealed: Some(sealed),
                    case,
                    detail: None,
                },
                None,
            )?;
            Ok(stored)
        })
    }

    /// Writes one record version, binding `seq`, the entry that will log it, and notes the row
    /// for the ledger. The caller appends that entry in the same transaction, naming the SHA-256
    /// of the sealed bytes returned (lower-case hex).
    pub(crate) fn put_unlogged<R: Record>(
        &self,
        id: R::Id,
        version: u32,
        case: Option<CaseId>,
        record: &R,
        seq: u64,
    ) -> Result<(Stored<R>, String)> {
        self.put_unlogged_in(id, version, case, record, seq, None)
    }

    fn put_unlogged_in<R: Record>(
        &self,
        id: R::Id,
        version: u32,
        case: Option<CaseId>,
        record: &R,
        seq: u64,
        epoch: Option<u32>,
    ) -> Result<(Stored<R>, String)> {
        let (saved_at, sealed) = self
            .put_row(
                R::KIND,
                id.uuid(),
                version,
                case.map(|c| c.uuid()),
                record,
                (seq, epoch),
            )?
            .ok_or_else(|| Error::Conflict {
                kind: R::KIND,
                id: id.to_string(),
            })?;
        let stored = Stored {
            id,
            version,
            case,
            saved_at,
            saved_by: self.user.clone(),
            record: record.clone(),
        };
        Ok((stored, sealed))
    }

    /// `put_unlogged` for a record of any kind, binding entry `seq`, sealed under key epoch
    /// `epoch` (`None`: the current one): when it was saved, and the SHA-256 of its sealed
    /// bytes for the entry; `None`, with nothing written, when the file holds that version.
    fn put_row(
        &self,
        kind: &str,
        id: Uuid,
        version: u32,
        case: Option<Uuid>,
        record: &impl Serialize,
        (seq, epoch): (u64, Option<u32>),
    ) -> Result<Option<(DateTime<Utc>, String)>> {
        let saved_at = Utc::now();
        let place = RecordPlace {
            vault: self.id.uuid(),
            kind,
            id,
            version: version.into(),
            case,
        };
        let sealed = self.seal(&place, saved_at, (seq, epoch), record)?;
        let inserted = self.conn.prepare_cached(
            "INSERT INTO records (id, version, kind, case_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id, version) DO NOTHING",
        )?.execute(
            params![
                id.as_bytes().as_slice(),
                version,
                kind,
                case.as_ref().map(|c| c.as_bytes().as_slice()),
                &sealed
            ],
        )?;
        if inserted == 0 {
            return Ok(None);
        }
        self.note_record(&place, true);
        Ok(Some((saved_at, sealed_hash(&sealed))))
    }

    /// A record version as this laptop would seal it, as another laptop receives it, written
    /// nowhere: what a member holding the team's key could put on the server by hand.
    #[cfg(test)]
    pub(crate) fn sealed_for_tests<R: Record>(
        &self,
        id: Uuid,
        record: &R,
        seq: u64,
    ) -> Result<super::replica::Received> {
        let place = RecordPlace {
            vault: self.id.uuid(),
            kind: R::KIND,
            id,
            version: 1,
            case: None,
        };
        Ok(super::replica::Received {
            kind: R::KIND.to_string(),
            id,
            version: 1,
            case: None,
            sealed: self.seal(&place, Utc::now(), (seq, None), record)?,
        })
    }

    /// The envelope of one record version, with who saved it and when inside.
    fn seal(
        &self,
        place: &RecordPlace<'_>,
        saved_at: DateTime<Utc>,
        (seq, epoch): (u64, Option<u32>),
        record: &impl Serialize,
    ) -> Result<Vec<u8>> {
        let json = zeroize::Zeroizing::new(
            serde_json::to_vec(&PayloadOut {
                saved_at,
                saved_by: &self.user,
                seq,
                device: self.device()?,
                record,
            })
            .map_err(|e| Error::invalid(format!("cannot encode the {}: {e}", place.kind)))?,
        );
        let ciphers = match epoch {
            None => &self.keys.records[..],
            Some(e) => usize::try_from(e)
                .ok()
                .and_then(|e| self.keys.records.get(..=e))
                .ok_or_else(|| Error::invalid(format!("no key of key epoch {e}")))?,
        };
        envelope::seal_record(ciphers, place, &json)
    }

    /// The latest version of a record.
    pub fn get<R: Record>(&self, id: R::Id) -> Result<Stored<R>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, version, case_id, sealed FROM records
                 WHERE id = ?1 AND kind = ?2 ORDER BY version DESC LIMIT 1",
                params![id.uuid().as_bytes().as_slice(), R::KIND],
                read_row,
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Error::NotFound {
                    kind: R::KIND,
                    id: id.to_string(),
                },
                e => e.into(),
            })?;
        self.open_row(row)
    }

    /// Every version of a record, oldest first.
    pub fn history<R: Record>(&self, id: R::Id) -> Result<Vec<Stored<R>>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, version, case_id, sealed FROM records
             WHERE id = ?1 AND kind = ?2 ORDER BY version",
        )?;
        let rows = stmt
            .query_map(params![id.uuid().as_bytes().as_slice(), R::KIND], read_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if rows.is_empty() {
            return Err(Error::NotFound {
                kind: R::KIND,
                id: id.to_string(),
            });
        }
        rows.into_iter().map(|row| self.open_row(row)).collect()
    }

    /// The latest version of every record of a kind, under one case or (with `None`) in the vault,
    /// oldest first.
    pub fn list<R: Record>(&self, case: Option<CaseId>) -> Result<Vec<Stored<R>>> {
        self.list_map(case, |stored| stored)
    }

    /// Like `list`, with each record turned into what the caller keeps of it as soon as it is
    /// opened, so that a large vault's full records (and ciphertexts) are never all in memory.
    /// A record that does not open is an error naming it.
    pub fn list_map<R: Record, T: Send>(
        &self,
        case: Option<CaseId>,
        keep: impl Fn(Stored<R>) -> T + Sync,
    ) -> Result<Vec<T>> {
        let (kept, damaged) = self.list_readable(case, keep)?;
        match damaged.into_iter().next() {
            Some(d) => Err(Error::Integrity {
                what: format!("{} {} version {}", d.kind, d.id, d.version),
            }),
            None => Ok(kept),
        }
    }

    /// Like `list_map`, but a record that does not open is set aside and named instead of
    /// failing the whole listing: for listings where leaving one out hides nothing that decides
    /// anything (the names of the case list), so that one damaged record does not lock the
    /// caseworker out. Never for consents: a damaged withdrawal left out would read as consent.
    pub fn list_readable<R: Record, T: Send>(
        &self,
        case: Option<CaseId>,
        keep: impl Fn(Stored<R>) -> T + Sync,
    ) -> Result<(Vec<T>, Vec<Damaged>)> {
        /// Rows read from SQLite before they are opened, in parallel, and dropped.
        const BATCH: usize = 8192;
        // Both read in the order of the index (kind, case_id, id, version) without sorting rows,
        // and the result is put in id order below, once only ids and what is kept are left.
        //
        // SQLite compiles a statement with GROUP BY or ORDER BY again each time a parameter is
        // bound to it (the plan may depend on the value), which cost a durable write a third of
        // its time in the small listings every write makes (the audit head, the case page). So
        // the vault-wide listing, where SQLite takes the other columns from the row holding
        // max(version), names its kind in the SQL and binds nothing; one case's listing binds
        // the case and finds each latest version without GROUP BY.
        debug_assert!(R::KIND.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        let case_bytes = case.map(|c| c.uuid());
        let mut stmt;
        let mut rows = match &case_bytes {
            None => {
                stmt = self.conn.prepare_cached(&format!(
                    "SELECT id, max(version), case_id, sealed FROM records
                     WHERE kind = '{}' GROUP BY case_id, id",
                    R::KIND
                ))?;
                stmt.query([])?
            }
            Some(c) => {
                stmt = self.conn.prepare_cached(
                    "SELECT id, version, case_id, sealed FROM records r
                     WHERE kind = ?1 AND case_id = ?2 AND NOT EXISTS (
                         SELECT 1 FROM records n WHERE n.kind = r.kind
                         AND n.case_id = r.case_id AND n.id = r.id AND n.version > r.version)",
                )?;
                stmt.query(params![R::KIND, c.as_bytes().as_slice()])?
            }
        };
        let keep = |stored: Stored<R>| (stored.id.uuid(), keep(stored));
        let mut out = Vec::new();
        let mut damaged = Vec::new();
        // Not preallocated: most lists (the audit head on every write, one case's records) are a
        // handful of rows.
        let mut batch = Vec::new();
        let mut open = |batch: &[Row]| -> Result<()> {
            for (row, opened) in batch.iter().zip(self.open_rows(batch, &keep)?) {
                match opened {
                    Some(kept) => out.push(kept),
                    None => damaged.push(Damaged {
                        kind: R::KIND.to_string(),
                        id: row.id,
                        version: row.version,
                        case: row.case,
                    }),
                }
            }
            Ok(())
        };
        while let Some(row) = rows.next()? {
            batch.push(read_row(row)?);
            if batch.len() == BATCH {
                open(&batch)?;
                batch.clear();
            }
        }
        open(&batch)?;
        out.sort_unstable_by_key(|(id, _)| *id);
        Ok((out.into_iter().map(|(_, kept)| kept).collect(), damaged))
    }

    /// Removes a record and all its history. The freed pages are zeroed (`secure_delete`).
    pub fn delete<R: Record>(&self, id: R::Id) -> Result<()> {
        self.write(|v| {
            let n = v.delete_rows(
                "id = ?1 AND kind = ?2",
                params![id.uuid().as_bytes().as_slice(), R::KIND],
            )?;
            if n == 0 {
                return Err(Error::NotFound {
                    kind: R::KIND,
                    id: id.to_string(),
                });
            }
            audit::log(
                v,
                audit::Event {
                    action: audit::Action::Deleted,
                    kind: Some(R::KIND),
                    target: Some(id.uuid()),
                    version: None,
                    sealed: None,
                    case: None,
                    detail: None,
                },
            )
        })
    }

    /// A record version received from another device (team sync), opened as `R`, with the entry
    /// it binds (its number and device); `None` if it does not open as one.
    pub(crate) fn open_received<R: Record>(
        &self,
        r: &super::replica::Received,
    ) -> Option<(R, Option<u64>, Option<Uuid>)> {
        if r.kind != R::KIND {
            return None;
        }
        let json = self.open_payload(r)?;
        let payload: PayloadIn<R> = serde_json::from_slice(&json).ok()?;
        let binding: Binding = serde_json::from_slice(&json).ok()?;
        Some((payload.record, binding.seq, binding.device))
    }

    /// A record version another device wrote, opened as `R` with who saved it and when, to be
    /// shown beside this file's own; `None` if it does not open as one.
    pub(crate) fn open_received_stored<R: Record>(
        &self,
        r: &super::replica::Received,
    ) -> Option<Stored<R>> {
        if r.kind != R::KIND {
            return None;
        }
        let payload: PayloadIn<R> = serde_json::from_slice(&self.open_payload(r)?).ok()?;
        Some(Stored {
            id: R::Id::from_uuid(r.id),
            version: r.version,
            case: r.case.map(CaseId::from_uuid),
            saved_at: payload.saved_at,
            saved_by: payload.saved_by,
            record: payload.record,
        })
    }

    /// The record a version of any kind holds, as JSON: settling a conflict copies one side into
    /// a new version, and which kind it is is known only from the conflict.
    pub(crate) fn open_untyped(&self, r: &super::replica::Received) -> Option<serde_json::Value> {
        let payload: PayloadIn<serde_json::Value> =
            serde_json::from_slice(&self.open_payload(r)?).ok()?;
        Some(payload.record)
    }

    /// Who saved a record version of any kind, and when.
    pub(crate) fn open_written(
        &self,
        r: &super::replica::Received,
    ) -> Option<(DateTime<Utc>, String)> {
        let payload: PayloadIn<serde::de::IgnoredAny> =
            serde_json::from_slice(&self.open_payload(r)?).ok()?;
        Some((payload.saved_at, payload.saved_by))
    }

    /// The latest version of record `id` of `kind`, as the file holds it.
    pub(crate) fn latest_row(&self, kind: &str, id: Uuid) -> Result<super::replica::Received> {
        let row = self
            .conn
            .query_row(
                "SELECT id, version, case_id, sealed FROM records
                 WHERE id = ?1 AND kind = ?2 ORDER BY version DESC LIMIT 1",
                params![id.as_bytes().as_slice(), kind],
                read_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "record",
                id: id.to_string(),
            })?;
        Ok(super::replica::Received {
            kind: kind.to_string(),
            id: row.id,
            version: row.version,
            case: row.case,
            sealed: row.sealed,
        })
    }

    /// Writes `record` as version `version` of record `id` of `kind`, logged as a settlement
    /// (`audit::Action::Settled`) naming the sides it settles by their ciphertexts' hashes: the
    /// version every device takes in place of a conflict's sides.
    pub(crate) fn put_settled(
        &self,
        kind: &str,
        id: Uuid,
        version: u32,
        case: Option<Uuid>,
        record: &serde_json::Value,
        sides: &[String],
    ) -> Result<()> {
        self.write(|v| {
            let head = audit::head(v)?;
            let (_, sealed) = v
                .put_row(
                    kind,
                    id,
                    version,
                    case,
                    record,
                    (audit::next_seq(&head), None),
                )?
                .ok_or_else(|| Error::Conflict {
                    kind: "record",
                    id: id.to_string(),
                })?;
            audit::append(
                v,
                head,
                audit::Event {
                    action: audit::Action::Settled,
                    kind: Some(kind),
                    target: Some(id),
                    version: Some(version),
                    sealed: Some(sealed),
                    case: case.map(CaseId::from_uuid),
                    detail: Some(format!("{} {}", audit::SETTLES, sides.join(" "))),
                },
                None,
            )?;
            Ok(())
        })
    }

    /// The entry a received record version of any kind binds (its number and device).
    pub(crate) fn binding_of(&self, r: &super::replica::Received) -> Option<(u64, Option<Uuid>)> {
        let json = self.open_payload(r)?;
        let binding: Binding = serde_json::from_slice(&json).ok()?;
        Some((binding.seq?, binding.device))
    }

    /// The payload JSON of a record version, if it opens at that place.
    fn open_payload(&self, r: &super::replica::Received) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        let place = RecordPlace {
            vault: self.id.uuid(),
            kind: &r.kind,
            id: r.id,
            version: r.version.into(),
            case: r.case,
        };
        envelope::open_record(&self.keys.records, &place, &r.sealed)
    }

    /// Deletes every version of record `id` of `kind` (another device deleted it: team sync),
    /// noting each row for the ledger.
    pub(crate) fn delete_record_rows(&self, kind: &str, id: Uuid) -> Result<usize> {
        self.delete_rows(
            "id = ?1 AND kind = ?2",
            params![id.as_bytes().as_slice(), kind],
        )
    }

    /// Deletes the record rows `filter` selects, noting each for the ledger; returns how many.
    fn delete_rows(&self, filter: &str, args: impl rusqlite::Params) -> Result<usize> {
        let mut stmt = self.conn.prepare(&format!(
            "DELETE FROM records WHERE {filter} RETURNING kind, id, version, case_id"
        ))?;
        let gone = stmt
            .query_map(args, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    uuid_column(r.get(1)?)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, Option<Vec<u8>>>(3)?
                        .map(uuid_column)
                        .transpose()?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (kind, id, version, case) in &gone {
            self.note_record(
                &RecordPlace {
                    vault: self.id.uuid(),
                    kind,
                    id: *id,
                    version: (*version).into(),
                    case: *case,
                },
                false,
            );
        }
        Ok(gone.len())
    }

    /// Removes every row of a kind without noting them: only for the upgrade to format 3, which
    /// counts the rows afresh afterwards.
    pub(crate) fn remove_rows_of_kind(&self, kind: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM records WHERE kind = ?1", [kind])?;
        Ok(())
    }

    /// Removes a case, every record under it (all versions) and the chunks of `attachments`.
    /// Returns how many record versions went. The caller logs the erasure.
    pub(crate) fn purge_case(
        &self,
        case: CaseId,
        attachments: &[crate::ids::AttachmentId],
    ) -> Result<usize> {
        self.write(|v| {
            for a in attachments {
                v.delete_chunks(a.uuid())?;
            }
            let case_bytes = case.uuid();
            let under = v.delete_rows("case_id = ?1", params![case_bytes.as_bytes().as_slice()])?;
            let own = v.delete_rows(
                "id = ?1 AND kind = 'case'",
                params![case_bytes.as_bytes().as_slice()],
            )?;
            Ok(under + own)
        })
    }

    /// Opens every version of every record, of any kind; the first that fails is named.
    pub(crate) fn check_all_records(&self) -> Result<u64> {
        let mut count = 0;
        self.each_version("1", |v| {
            envelope::open_record(&self.keys.records, &v.place(self.id.uuid()), &v.sealed)
                .ok_or_else(|| v.damaged())?;
            count += 1;
            Ok(())
        })?;
        Ok(count)
    }

    /// Every record version but the log's own rows, opened, with the entry it binds (`None` when
    /// written before format 3) and the hash of its ciphertext. A version that fails to open is
    /// an `Integrity` error naming it, in its place: the others are still checked.
    pub(crate) fn bound_entries(&self) -> Result<Vec<Result<Bound>>> {
        let mut out = Vec::new();
        self.each_version(NOT_THE_LOG, |v| {
            let binding =
                envelope::open_record(&self.keys.records, &v.place(self.id.uuid()), &v.sealed)
                    .and_then(|json| serde_json::from_slice::<Binding>(&json).ok());
            out.push(match binding {
                Some(binding) => Ok(Bound {
                    sealed: sealed_hash(&v.sealed),
                    seq: binding.seq,
                    device: binding.device,
                    kind: v.kind,
                    id: v.id,
                    version: v.version,
                    case: v.case,
                }),
                None => Err(v.damaged()),
            });
            Ok(())
        })?;
        Ok(out)
    }

    /// Re-seals every record version (but the log's own rows) to bind entry `seq`: the upgrade to
    /// format 3 binds the records written before it to its own entry. A version that does not
    /// open is left as it is, for `audit verify` to name. Rows are read one at a time by rowid
    /// (listed first): a table must not change under a statement still reading it.
    pub(crate) fn bind_all_records(&self, seq: u64) -> Result<()> {
        let rowids: Vec<i64> = self
            .conn
            .prepare(&format!("SELECT rowid FROM records WHERE {NOT_THE_LOG}"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut read = self
            .conn
            .prepare("SELECT id, version, kind, case_id, sealed FROM records WHERE rowid = ?1")?;
        let mut write = self
            .conn
            .prepare("UPDATE records SET sealed = ?2 WHERE rowid = ?1")?;
        for rowid in rowids {
            let v = read.query_row([rowid], version_row)?;
            let place = v.place(self.id.uuid());
            let Some(mut payload) = envelope::open_record(&self.keys.records, &place, &v.sealed)
                .and_then(|json| {
                    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&json).ok()
                })
            else {
                continue;
            };
            payload.insert("seq".into(), seq.into());
            let json = zeroize::Zeroizing::new(
                serde_json::to_vec(&payload)
                    .map_err(|e| Error::invalid(format!("cannot encode the {}: {e}", v.kind)))?,
            );
            write.execute(params![
                rowid,
                envelope::seal_record(&self.keys.records, &place, &json)?
            ])?;
        }
        Ok(())
    }

    /// Calls `f` with every record version that `filter` (SQL) selects, ciphertext and all.
    fn each_version(&self, filter: &str, mut f: impl FnMut(Version) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, version, kind, case_id, sealed FROM records WHERE {filter}"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(version_row(r)?)?;
        }
        Ok(())
    }

    /// Every record of a kind (latest versions), each opened on its own so that one damaged
    /// record is reported by its id instead of failing the whole list.
    pub(crate) fn list_each<R: Record>(&self) -> Result<Vec<(Uuid, Result<Stored<R>>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, max(version), case_id, sealed FROM records WHERE kind = ?1 GROUP BY id ORDER BY id",
        )?;
        let rows = stmt
            .query_map(params![R::KIND], read_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .map(|row| (row.id, self.open_row(row)))
            .collect())
    }

    /// Rewrites the audit head in place, keeping its version: the one row that is, because it
    /// holds the ledger that vouches for every other row (an older head put back no longer
    /// matches them), and one row rewritten costs a fraction of a new version written and the old
    /// one deleted, on a path every write takes. The caller must have read `current` inside the
    /// same write transaction, which keeps other writers out.
    pub(crate) fn rewrite<R: Record>(
        &self,
        current: &Stored<R>,
        record: &R,
        seq: u64,
    ) -> Result<()> {
        let place = RecordPlace {
            vault: self.id.uuid(),
            kind: R::KIND,
            id: current.id.uuid(),
            version: current.version.into(),
            case: current.case.map(|c| c.uuid()),
        };
        let sealed = self.seal(&place, Utc::now(), (seq, None), record)?;
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE records SET sealed = ?4 WHERE id = ?1 AND kind = ?2 AND version = ?3",
            )?
            .execute(params![
                current.id.uuid().as_bytes().as_slice(),
                R::KIND,
                current.version,
                sealed
            ])?;
        if changed != 1 {
            return Err(Error::Conflict {
                kind: R::KIND,
                id: current.id.to_string(),
            });
        }
        Ok(())
    }

    fn open_row<R: Record>(&self, row: Row) -> Result<Stored<R>> {
        open_row(&self.keys.records, self.id.uuid(), &row)
    }

    /// Opens rows and keeps what `keep` makes of each, split over the machine's cores when there
    /// are enough rows: building a large vault's index is mostly decrypting and parsing, which
    /// splits cleanly.
    fn open_rows<R: Record, T: Send>(
        &self,
        rows: &[Row],
        keep: &(impl Fn(Stored<R>) -> T + Sync),
    ) -> Result<Vec<Option<T>>> {
        const AT_LEAST_PER_THREAD: usize = 2048;
        // Asking the system for its cores reads cgroup files under /proc on Linux, which cost a
        // case page's handful of small lists more than decrypting them: ask only when splitting
        // is possible at all.
        let threads = if rows.len() < 2 * AT_LEAST_PER_THREAD {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, std::num::NonZero::get)
                .min(rows.len() / AT_LEAST_PER_THREAD)
        };
        let (cipher, vault) = (&self.keys.records, self.id.uuid());
        let open = move |part: &[Row]| -> Result<Vec<Option<T>>> {
            Ok(part
                .iter()
                .map(|row| open_row(cipher, vault, row).ok().map(keep))
                .collect())
        };
        if threads == 1 {
            return open(rows);
        }
        std::thread::scope(|scope| {
            let parts: Vec<_> = rows
                .chunks(rows.len().div_ceil(threads))
                .map(|part| scope.spawn(move || open(part)))
                .collect();
            let mut out = Vec::with_capacity(rows.len());
            for part in parts {
                out.extend(
                    part.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?,
                );
            }
            Ok(out)
        })
    }
}

fn open_row<R: Record>(cipher: &[Aes256Gcm], vault: Uuid, row: &Row) -> Result<Stored<R>> {
    let what = || Error::Integrity {
        what: format!("{} {} version {}", R::KIND, row.id, row.version),
    };
    let place = RecordPlace {
        vault,
        kind: R::KIND,
        id: row.id,
        version: row.version.into(),
        case: row.case,
    };
    let json = envelope::open_record(cipher, &place, &row.sealed).ok_or_else(what)?;
    let payload: PayloadIn<R> = serde_json::from_slice(&json).map_err(|_| what())?;
    Ok(Stored {
        id: R::Id::from_uuid(row.id),
        version: row.version,
        case: row.case.map(CaseId::from_uuid),
        saved_at: payload.saved_at,
        saved_by: payload.saved_by,
        record: payload.record,
    })
}
