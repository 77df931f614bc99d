//! The audit log: who did what, when, to which record (ids only, never content). Entries are
//! sealed like records and chained: each carries the HMAC of the one before it, under a key
//! derived from the vault key, and a sealed head names the last one. An entry edited, removed,
//! reordered or cut from the end breaks the chain, and `verify` names where.
//!
//! Records created, changed and deleted are logged by the vault itself, in the same transaction
//! as the write; other actions (unlock, opening a case or an attachment, exports) by their callers.

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ids::{AuditId, CaseId, RecordId};
use crate::vault::{Record, Stored, Vault};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Unlock,
    /// Wrong passphrases since the last unlock (counted while locked, logged at the next unlock).
    FailedUnlocks,
    CaseOpened,
    Created,
    Changed,
    Deleted,
    AttachmentOpened,
    Export,
    Referral,
    Erasure,
    SettingsChanged,
}

/// One entry. `detail` is never a record's content: a record kind, a count, a recipient's name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub user: String,
    pub action: Action,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub target: Option<Uuid>,
    #[serde(default)]
    pub case: Option<CaseId>,
    #[serde(default)]
    pub detail: Option<String>,
    /// HMAC of the previous entry (hex); empty for the first.
    pub prev: String,
}

impl Record for Entry {
    const KIND: &'static str = "audit";
    type Id = AuditId;
}

/// The last entry's number and HMAC, so that entries cut from the end are missed.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Head {
    seq: u64,
    mac: String,
}

impl Record for Head {
    const KIND: &'static str = "audit_head";
    type Id = AuditId;
}

/// Kinds whose writes are not logged: the log itself and bookkeeping.
pub(crate) fn is_silent(kind: &str) -> bool {
    matches!(kind, "audit" | "audit_head" | "case_counter")
}

fn mac(key: &[u8; 32], entry: &Entry) -> Result<String> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .map_err(|_| Error::invalid("the audit key has the wrong length"))?;
    m.update(b"silta/audit/v1");
    m.update(
        &serde_json::to_vec(entry)
            .map_err(|e| Error::invalid(format!("cannot encode an audit entry: {e}")))?,
    );
    Ok(hex::encode(m.finalize().into_bytes()))
}

/// What is being logged.
pub struct Event<'a> {
    pub action: Action,
    pub kind: Option<&'a str>,
    pub target: Option<Uuid>,
    pub case: Option<CaseId>,
    pub detail: Option<String>,
}

impl Event<'_> {
    pub fn new(action: Action) -> Event<'static> {
        Event {
            action,
            kind: None,
            target: None,
            case: None,
            detail: None,
        }
    }
}

/// Appends an entry, in one transaction with whatever write is under way.
pub fn log(vault: &Vault, event: Event<'_>) -> Result<()> {
    vault.write(|v| {
        let head = v.list::<Head>(None)?.into_iter().next();
        let entry = Entry {
            seq: head.as_ref().map_or(1, |h| h.record.seq + 1),
            at: Utc::now(),
            user: v.user().to_string(),
            action: event.action,
            kind: event.kind.map(str::to_string),
            target: event.target,
            case: event.case,
            detail: event.detail,
            prev: head
                .as_ref()
                .map(|h| h.record.mac.clone())
                .unwrap_or_default(),
        };
        let next = Head {
            seq: entry.seq,
            mac: mac(v.audit_key(), &entry)?,
        };
        v.insert(None, &entry)?;
        match head {
            Some(current) => v.rewrite(&current, &next),
            None => v.insert(None, &next).map(|_| ()),
        }
    })
}

pub fn log_case_opened(vault: &Vault, case: CaseId) -> Result<()> {
    log(
        vault,
        Event {
            action: Action::CaseOpened,
            kind: Some("case"),
            target: Some(case.uuid()),
            case: Some(case),
            detail: None,
        },
    )
}

pub fn log_attachment_opened(vault: &Vault, id: crate::ids::AttachmentId) -> Result<()> {
    let case = vault.get::<crate::model::Attachment>(id)?.case;
    log(
        vault,
        Event {
            action: Action::AttachmentOpened,
            kind: Some("attachment"),
            target: Some(id.uuid()),
            case,
            detail: None,
        },
    )
}

/// Logs that `record` was created, changed or deleted.
pub(crate) fn log_write<R: Record>(
    vault: &Vault,
    action: Action,
    id: R::Id,
    case: Option<CaseId>,
) -> Result<()> {
    if is_silent(R::KIND) {
        return Ok(());
    }
    log(
        vault,
        Event {
            action,
            kind: Some(R::KIND),
            target: Some(id.uuid()),
            case,
            detail: None,
        },
    )
}

/// The chain's head at a moment: referral packages carry it, signed with the whole manifest, so
/// that a recipient holds proof of how long the log was and how it ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub seq: u64,
    /// The HMAC of entry `seq` (hex).
    pub mac: String,
}

pub fn checkpoint(vault: &Vault) -> Result<Option<Checkpoint>> {
    Ok(vault
        .list::<Head>(None)?
        .into_iter()
        .next()
        .map(|h| Checkpoint {
            seq: h.record.seq,
            mac: h.record.mac,
        }))
}

/// The result of checking the chain.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditReport {
    pub entries: u64,
    /// The first problem found, naming the entry; `None` when the chain is intact.
    pub broken: Option<String>,
}

/// Checks every entry, its place in the chain, and the head.
pub fn verify(vault: &Vault) -> Result<AuditReport> {
    let mut entries = Vec::new();
    for (id, entry) in vault.list_each::<Entry>()? {
        match entry {
            Ok(e) => entries.push(e),
            Err(_) => {
                return Ok(AuditReport {
                    entries: 0,
                    broken: Some(format!(
                        "audit record {id} was altered: it fails its integrity check"
                    )),
                });
            }
        }
    }
    entries.sort_by_key(|e| e.record.seq);
    let count = entries.len() as u64;
    let broken = |why: String| {
        Ok(AuditReport {
            entries: count,
            broken: Some(why),
        })
    };
    let key = vault.audit_key();
    let mut prev = String::new();
    for (i, e) in entries.iter().enumerate() {
        let expected = i as u64 + 1;
        if e.record.seq != expected {
            return broken(format!(
                "entry {expected} is missing (the next one is {}): entries were removed or reordered",
                e.record.seq
            ));
        }
        if e.record.prev != prev {
            return broken(format!(
                "entry {expected} does not follow entry {}: the log was edited or reordered there",
                expected - 1
            ));
        }
        prev = mac(key, &e.record)?;
    }
    let head = vault.list::<Head>(None)?.into_iter().next();
    match head {
        Some(h) if h.record.seq != count => broken(format!(
            "the log ends at entry {count} but its head says {}: entries were cut from the end",
            h.record.seq
        )),
        Some(h) if h.record.mac != prev => broken(format!("entry {count}, the last, was altered")),
        None if count > 0 => broken("the log's head is missing".into()),
        _ => Ok(AuditReport {
            entries: count,
            broken: None,
        }),
    }
}

/// Entries, oldest first, optionally only those of a case or since a day.
pub fn list(vault: &Vault, case: Option<CaseId>, since: Option<NaiveDate>) -> Result<Vec<Entry>> {
    let mut all: Vec<Entry> = vault
        .list::<Entry>(None)?
        .into_iter()
        .map(|s: Stored<Entry>| s.record)
        .filter(|e| case.is_none_or(|c| e.case == Some(c)))
        .filter(|e| since.is_none_or(|d| e.at.date_naive() >= d))
        .collect();
    all.sort_by_key(|e| e.seq);
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{KdfParams, Passphrase};

    /// Someone holding the vault key can re-seal an entry so that it decrypts; the chain still
    /// shows where it was changed.
    #[test]
    fn an_entry_rewritten_with_the_key_breaks_the_chain_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let (vault, _) = Vault::create(
            &dir.path().join("v.silta"),
            "Kaisa",
            &Passphrase::new("correct horse battery"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
        for _ in 0..3 {
            log(&vault, Event::new(Action::Export)).unwrap();
        }
        let mut entries = vault.list::<Entry>(None).unwrap();
        entries.sort_by_key(|e| e.record.seq);
        let second = &entries[1];
        let mut forged = second.record.clone();
        forged.user = "Mallory".into();
        vault.update(second, &forged).unwrap();
        let broken = verify(&vault).unwrap().broken.unwrap();
        assert!(
            broken.contains("entry 3 does not follow entry 2"),
            "{broken}"
        );
    }
}
