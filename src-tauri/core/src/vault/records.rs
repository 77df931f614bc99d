//! Sealed, versioned records. Each write adds a version; earlier versions stay (encrypted) so a
//! record's history can be shown. What is saved inside the ciphertext: who saved it, when, and the
//! record itself as JSON.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Vault;
use super::envelope::{self, RecordPlace};
use crate::audit;
use crate::error::{Error, Result};
use crate::ids::{CaseId, RecordId};

/// A type that is stored as a sealed record.
pub trait Record: Serialize + DeserializeOwned + Clone {
    /// The plaintext `kind` column; also bound into the ciphertext.
    const KIND: &'static str;
    type Id: RecordId + Serialize;
}

/// One version of a record, with who saved it and when. (Generic over the id type as well, so that
/// its TypeScript form can be generated; use it as `Stored<R>`.)
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
struct PayloadOut<'a, R> {
    saved_at: DateTime<Utc>,
    saved_by: &'a str,
    record: &'a R,
}

#[derive(Deserialize)]
struct PayloadIn<R> {
    saved_at: DateTime<Utc>,
    saved_by: String,
    record: R,
}

struct Row {
    id: Uuid,
    version: u32,
    case: Option<Uuid>,
    sealed: Vec<u8>,
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
        sealed: r.get(3)?,
    })
}

impl Vault {
    /// Saves a new record (version 1) under `case` (or at the top level for a case itself).
    pub fn insert<R: Record>(&self, case: Option<CaseId>, record: &R) -> Result<Stored<R>> {
        self.insert_with_id(R::Id::new(), case, record)
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

    fn put<R: Record>(
        &self,
        id: R::Id,
        version: u32,
        case: Option<CaseId>,
        record: &R,
    ) -> Result<Stored<R>> {
        self.write(|v| {
            let stored = v.put_unlogged(id, version, case, record)?;
            let action = if version == 1 {
                audit::Action::Created
            } else {
                audit::Action::Changed
            };
            audit::log_write::<R>(v, action, id, case)?;
            Ok(stored)
        })
    }

    fn put_unlogged<R: Record>(
        &self,
        id: R::Id,
        version: u32,
        case: Option<CaseId>,
        record: &R,
    ) -> Result<Stored<R>> {
        let saved_at = Utc::now();
        let json = zeroize::Zeroizing::new(
            serde_json::to_vec(&PayloadOut {
                saved_at,
                saved_by: &self.user,
                record,
            })
            .map_err(|e| Error::invalid(format!("cannot encode the {}: {e}", R::KIND)))?,
        );
        let case_uuid = case.map(|c| c.uuid());
        let place = RecordPlace {
            vault: self.id.uuid(),
            kind: R::KIND,
            id: id.uuid(),
            version: version.into(),
            case: case_uuid,
        };
        let sealed = envelope::seal_record(&self.keys.records, &place, &json)?;
        let inserted = self.conn.execute(
            "INSERT INTO records (id, version, kind, case_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id, version) DO NOTHING",
            params![
                id.uuid().as_bytes().as_slice(),
                version,
                R::KIND,
                case_uuid.as_ref().map(|c| c.as_bytes().as_slice()),
                sealed
            ],
        )?;
        if inserted == 0 {
            return Err(Error::Conflict {
                kind: R::KIND,
                id: id.to_string(),
            });
        }
        Ok(Stored {
            id,
            version,
            case,
            saved_at,
            saved_by: self.user.clone(),
            record: record.clone(),
        })
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
        // SQLite takes the other columns from the row holding max(version).
        let sql_all = "SELECT id, max(version), case_id, sealed FROM records
                       WHERE kind = ?1 GROUP BY id ORDER BY id";
        let sql_case = "SELECT id, max(version), case_id, sealed FROM records
                        WHERE kind = ?1 AND case_id = ?2 GROUP BY id ORDER BY id";
        let rows = match case {
            None => self
                .conn
                .prepare_cached(sql_all)?
                .query_map([R::KIND], read_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            Some(c) => self
                .conn
                .prepare_cached(sql_case)?
                .query_map(params![R::KIND, c.uuid().as_bytes().as_slice()], read_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        rows.into_iter().map(|row| self.open_row(row)).collect()
    }

    /// Removes a record and all its history. The freed pages are zeroed (`secure_delete`).
    pub fn delete<R: Record>(&self, id: R::Id) -> Result<()> {
        self.write(|v| {
            let n = v.conn.execute(
                "DELETE FROM records WHERE id = ?1 AND kind = ?2",
                params![id.uuid().as_bytes().as_slice(), R::KIND],
            )?;
            if n == 0 {
                return Err(Error::NotFound {
                    kind: R::KIND,
                    id: id.to_string(),
                });
            }
            audit::log_write::<R>(v, audit::Action::Deleted, id, None)
        })
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
                v.conn.execute(
                    "DELETE FROM attachment_chunks WHERE attachment = ?1",
                    params![a.uuid().as_bytes().as_slice()],
                )?;
            }
            let case_bytes = case.uuid();
            let under = v.conn.execute(
                "DELETE FROM records WHERE case_id = ?1",
                params![case_bytes.as_bytes().as_slice()],
            )?;
            let own = v.conn.execute(
                "DELETE FROM records WHERE id = ?1 AND kind = 'case'",
                params![case_bytes.as_bytes().as_slice()],
            )?;
            Ok(under + own)
        })
    }

    /// Opens every version of every record, of any kind; the first that fails is named.
    pub(crate) fn check_all_records(&self) -> Result<u64> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, version, kind, case_id, sealed FROM records")?;
        let mut rows = stmt.query([])?;
        let mut count = 0;
        while let Some(r) = rows.next()? {
            let id = uuid_column(r.get(0)?)?;
            let version: u32 = r.get(1)?;
            let kind: String = r.get(2)?;
            let case = r
                .get::<_, Option<Vec<u8>>>(3)?
                .map(uuid_column)
                .transpose()?;
            let sealed: Vec<u8> = r.get(4)?;
            let place = RecordPlace {
                vault: self.id.uuid(),
                kind: &kind,
                id,
                version: version.into(),
                case,
            };
            envelope::open_record(&self.keys.records, &place, &sealed).ok_or_else(|| {
                Error::Integrity {
                    what: format!("{kind} {id} version {version}"),
                }
            })?;
            count += 1;
        }
        Ok(count)
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

    /// Drops every version of a record older than `current`; for bookkeeping records whose
    /// history means nothing (the case-number counter).
    pub(crate) fn forget_history<R: Record>(&self, current: &Stored<R>) -> Result<()> {
        self.conn.execute(
            "DELETE FROM records WHERE id = ?1 AND kind = ?2 AND version < ?3",
            params![
                current.id.uuid().as_bytes().as_slice(),
                R::KIND,
                current.version
            ],
        )?;
        Ok(())
    }

    fn open_row<R: Record>(&self, row: Row) -> Result<Stored<R>> {
        let what = || Error::Integrity {
            what: format!("{} {} version {}", R::KIND, row.id, row.version),
        };
        let place = RecordPlace {
            vault: self.id.uuid(),
            kind: R::KIND,
            id: row.id,
            version: row.version.into(),
            case: row.case,
        };
        let json =
            envelope::open_record(&self.keys.records, &place, &row.sealed).ok_or_else(what)?;
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
}
