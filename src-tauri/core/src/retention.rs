//! How long cases are kept, and erasing them. The organisation sets its own period (the law asks
//! it to; Silta does not pretend to know it); a case under legal hold is never due. Erasure removes
//! the case and everything under it from the file so that it cannot be recovered from it, keeping
//! only the audit trace and an anonymised statistics row, and lists whom to tell (GDPR Art. 19).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Action, Event};
use crate::cases::{self, CaseView};
use crate::disclosures;
use crate::error::{Error, Result};
use crate::ids::{CaseId, CounterId, PackageId, RecordId};
use crate::model::{Case, CaseNumber};
use crate::org;
use crate::recipients;
use crate::referral::package::PackageWriter;
use crate::single::Setting;
use crate::stats::{self, StatsRow};
use crate::vault::{Record, Vault};

/// The vault's retention period: cases are due for erasure this many years after closing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RetentionPolicy {
    pub years_after_closing: u32,
}

impl Record for RetentionPolicy {
    const KIND: &'static str = "retention_policy";
    type Id = CounterId;
}

pub fn policy(vault: &Vault) -> Result<Option<RetentionPolicy>> {
    Ok(Setting::<RetentionPolicy>::of(vault, None)?
        .in_force
        .map(|p| p.record))
}

pub fn set_policy(vault: &Vault, years_after_closing: u32) -> Result<RetentionPolicy> {
    if !(1..=100).contains(&years_after_closing) {
        return Err(Error::InvalidInput(crate::error::Invalid::RetentionYears));
    }
    let policy = RetentionPolicy {
        years_after_closing,
    };
    vault.write(|v| {
        Setting::set(v, &policy)?;
        let mut e = Event::new(Action::SettingsChanged);
        e.detail = Some(format!(
            "retention: {years_after_closing} years after closing"
        ));
        audit::log(v, e)
    })?;
    Ok(policy)
}

/// Puts a case under legal hold (or lifts it): a held case is never due for erasure.
pub fn set_legal_hold(vault: &Vault, case: CaseId, hold: bool) -> Result<()> {
    vault.write(|v| {
        let current = v.get::<Case>(case)?;
        if current.record.details.legal_hold != hold {
            let mut updated = current.record.clone();
            updated.details.legal_hold = hold;
            v.update(&current, &updated)?;
        }
        Ok(())
    })
}

/// A closed case past its retention date.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DueCase {
    pub id: CaseId,
    pub number: CaseNumber,
    pub closed: NaiveDate,
    pub due: NaiveDate,
}

/// The years the due list goes by: the period in force or, while two laptops' periods wait to be
/// chosen between (a conflict on it, or saved twice by an older Silta: `single`), the longest of
/// them. An erasure cannot be undone, and until someone chooses, the organisation has not
/// decided which period it keeps: so no case is listed as due that a period still to be chosen
/// would keep. (Where a rule is unclear, Silta takes what protects the person; the shorter
/// period, GDPR Art. 5(1)(e)'s storage limitation, applies once it is chosen.)
fn years_for_due(vault: &Vault, policy: Option<&RetentionPolicy>) -> Result<Option<u32>> {
    let mut years = policy.map(|p| p.years_after_closing);
    for view in crate::sync::conflict_views_of::<RetentionPolicy>(vault)? {
        if let crate::sync::Sides::RetentionPolicy(sides) = view.sides {
            years = sides
                .iter()
                .map(|s| s.record.years_after_closing)
                .chain(years)
                .max();
        }
    }
    Ok(years)
}

/// Closed cases whose retention period has run out by `today`, not under legal hold, oldest first.
pub fn due(vault: &Vault, today: NaiveDate) -> Result<Vec<DueCase>> {
    let Some(years) = years_for_due(vault, policy(vault)?.as_ref())? else {
        return Err(Error::invalid(
            "no retention period is set: the organisation decides it (silta retention set --years N)",
        ));
    };
    due_by(vault, years, today)
}

fn due_by(vault: &Vault, years: u32, today: NaiveDate) -> Result<Vec<DueCase>> {
    let mut out: Vec<DueCase> = vault
        .list::<Case>(None)?
        .into_iter()
        .filter(|c| !c.record.details.legal_hold)
        .filter_map(|c| {
            let closed = c.record.details.closed?;
            // Saturating: a period no Silta sets (another laptop's, unchecked) is never due.
            let due = closed.checked_add_months(Months::new(years.saturating_mul(12)))?;
            (due <= today).then_some(DueCase {
                id: c.id,
                number: c.record.number,
                closed,
                due,
            })
        })
        .collect();
    out.sort_by_key(|d| d.due);
    Ok(out)
}

/// The retention period and the cases past it (none while no period is set).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Overview {
    pub policy: Option<RetentionPolicy>,
    /// While another laptop's longer period waits to be chosen or not, the years `due` goes by.
    pub undecided_years: Option<u32>,
    pub due: Vec<DueCase>,
    /// Cases whose person withdrew their consent to storage: to review for erasure now,
    /// whatever the period (GDPR art. 17(1)(b)), unless a legal duty keeps the data.
    pub storage_withdrawn: Vec<StorageWithdrawn>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StorageWithdrawn {
    pub id: CaseId,
    pub number: CaseNumber,
    pub withdrawn: crate::consents::Ended,
}

pub fn overview(vault: &Vault, today: NaiveDate) -> Result<Overview> {
    let policy = policy(vault)?;
    let years = years_for_due(vault, policy.as_ref())?;
    let due = match years {
        Some(years) => due_by(vault, years, today)?,
        None => Vec::new(),
    };
    let undecided_years =
        years.filter(|years| policy.as_ref().map(|p| p.years_after_closing) != Some(*years));
    let withdrawn = crate::consents::ended_by_case(vault, crate::model::Purpose::Storage, today)?;
    let storage_withdrawn = cases::overviews(vault)?
        .into_iter()
        .filter_map(|o| {
            withdrawn.get(&o.id).map(|w| StorageWithdrawn {
                id: o.id,
                number: o.number,
                withdrawn: w.clone(),
            })
        })
        .collect();
    Ok(Overview {
        policy,
        undecided_years,
        due,
        storage_withdrawn,
    })
}

/// Who received a case's data, and which packages: those to tell after a correction or erasure.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Informed {
    pub recipient: String,
    pub packages: Vec<PackageId>,
    pub last_sent: chrono::DateTime<chrono::Utc>,
}

pub fn recipients_of(vault: &Vault, case: CaseId) -> Result<Vec<Informed>> {
    let mut by: BTreeMap<String, Informed> = BTreeMap::new();
    for d in disclosures::of_case(vault, case)? {
        let entry = by.entry(d.record.recipient.clone()).or_insert(Informed {
            recipient: d.record.recipient.clone(),
            packages: Vec::new(),
            last_sent: d.record.sent_at,
        });
        entry.packages.push(d.record.package);
        entry.last_sent = entry.last_sent.max(d.record.sent_at);
    }
    Ok(by.into_values().collect())
}

/// What kind of notice goes to earlier recipients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Erasure,
    Correction,
}

#[derive(Serialize)]
struct NoticeManifest<'a> {
    format: &'static str,
    version: u32,
    kind: NoticeKind,
    /// The packages whose data is erased or corrected.
    packages: &'a [PackageId],
    date: NaiveDate,
    sender: org::SenderCard,
    files: BTreeMap<String, String>,
}

/// Writes one signed notice per earlier recipient into `dir`, encrypted to that recipient (same
/// container as a package, docs/referral-format.md). Returns the files written.
pub fn write_notices(
    vault: &Vault,
    case: CaseId,
    kind: NoticeKind,
    dir: &Path,
    today: NaiveDate,
) -> Result<Vec<String>> {
    let keys = org::keys(vault)?;
    let sender = keys.card()?;
    let mut written = Vec::new();
    for informed in recipients_of(vault, case)? {
        let recipient = recipients::find(vault, &informed.recipient)?;
        let name: String = informed
            .recipient
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let out = dir.join(format!("{}-notice-{name}.age", serde_plain(kind)));
        let writer = PackageWriter::create(
            &out,
            &[org::parse_age_recipient(&recipient.record.age_recipient)?],
        )?;
        writer.finish(
            &NoticeManifest {
                format: "silta-notice",
                version: 1,
                kind,
                packages: &informed.packages,
                date: today,
                sender: sender.clone(),
                files: BTreeMap::new(),
            },
            &keys,
        )?;
        written.push(out.display().to_string());
    }
    Ok(written)
}

fn serde_plain(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Erasure => "erasure",
        NoticeKind::Correction => "correction",
    }
}

/// What erasing a case removed and left.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Erased {
    pub number: CaseNumber,
    pub records: usize,
    /// Those who received its data earlier and should be told (see `write_notices`).
    pub informed: Vec<Informed>,
    /// Whether the erased ciphertexts have left the vault's files. False when another Silta had
    /// the vault open and kept them there (`Error::CheckpointBlocked` says what to do); the
    /// erasure itself is saved either way.
    pub gone_from_files: bool,
}

/// Erases a case and everything under it. A case under legal hold is refused. The freed pages are
/// zeroed (`secure_delete`) and the WAL is emptied, so nothing of it stays in the vault's files.
pub fn erase(vault: &Vault, case: CaseId, today: NaiveDate) -> Result<Erased> {
    erase_case(vault, case, today, Hold::Respected)
}

/// Whether a legal hold stops an erasure: it does, except when an erasure made in the vault is
/// applied again to a restored backup (the hold in the backup was lifted before that erasure).
#[derive(PartialEq)]
enum Hold {
    Respected,
    AlreadyLifted,
}

fn erase_case(vault: &Vault, case: CaseId, today: NaiveDate, hold: Hold) -> Result<Erased> {
    let view: CaseView = cases::view(vault, case, today)?;
    if hold == Hold::Respected && view.case.record.details.legal_hold {
        return Err(Error::InvalidInput(crate::error::Invalid::UnderLegalHold {
            number: view.case.record.number.to_string(),
        }));
    }
    let informed = recipients_of(vault, case)?;
    let row: StatsRow = stats::row(vault, &view)?;
    let attachments: Vec<_> = view.attachments.iter().map(|a| a.id).collect();
    let number = view.case.record.number;
    let records = vault.write(|v| {
        // The team's server holds the case too (team sync): its documents go at the next sync.
        crate::sync::note_erasure(v, case, &attachments)?;
        let removed = v.purge_case(case, &attachments)?;
        if !view.case.record.details.demo {
            v.insert(None, &row)?;
        }
        audit::log(
            v,
            Event {
                action: Action::Erasure,
                kind: Some(Case::KIND),
                target: Some(case.uuid()),
                version: None,
                sealed: None,
                case: Some(case),
                detail: Some(format!("case {number}")),
            },
        )?;
        Ok(removed)
    })?;
    let gone_from_files = match vault.checkpoint() {
        Ok(()) => true,
        Err(Error::CheckpointBlocked) => false,
        Err(e) => return Err(e),
    };
    Ok(Erased {
        number,
        records,
        informed,
        gone_from_files,
    })
}

/// What a restore did.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Restored {
    /// Record versions in the backup.
    pub records: u64,
    /// Cases in the backup that had been erased since it was made, erased again before it
    /// replaced the vault.
    pub kept_erased: Vec<CaseNumber>,
}

/// Whether a restore may go ahead over a vault whose audit log is broken.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BrokenLog {
    Refuse,
    /// The user said to go ahead: the erasures the log still shows are applied again; those it
    /// lost cannot be, and the user was told so.
    RestoreAnyway,
}

/// Replaces the vault with `backup` (checked in full first), applying to it first every erasure
/// the vault's audit log shows: a case erased after the backup was made stays erased, and no
/// ciphertext of it is in the restored file (GDPR Art. 17: erasure must not be undone by a
/// restore). The restored file keeps the vault's key slots and key epochs. Over a vault whose log
/// is broken, the erasures made since cannot all be known: refused unless `broken_log` says to go
/// ahead. The vault is closed: unlock it again afterwards.
pub fn restore(
    vault: Vault,
    backup: &Path,
    today: NaiveDate,
    broken_log: BrokenLog,
) -> Result<Restored> {
    let broken = match vault.audit_report().broken.clone() {
        Some(why) => Some(why),
        None => audit::check(&vault)?.broken,
    };
    if let (Some(why), BrokenLog::Refuse) = (&broken, broken_log) {
        return Err(Error::ErasuresUnknown(why.clone()));
    }
    let erased: Vec<CaseId> = audit::list(&vault, None, None)
        .or_else(|e| {
            if broken.is_some() {
                Ok(Vec::new())
            } else {
                Err(e)
            }
        })?
        .into_iter()
        .filter(|e| e.action == Action::Erasure)
        .filter_map(|e| e.case)
        .collect();
    let (copy, records) = vault.restore_copy(backup)?;
    let mut kept_erased = Vec::new();
    for case in erased {
        let applied = match copy.get::<Case>(case) {
            Ok(_) => erase_case(&copy, case, today, Hold::AlreadyLifted).map(Some),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        };
        match applied {
            Ok(Some(erased)) => kept_erased.push(erased.number),
            Ok(None) => {}
            Err(e) => {
                Vault::discard_copy(copy);
                return Err(e);
            }
        }
    }
    vault.replace_with(copy)?;
    Ok(Restored {
        records,
        kept_erased,
    })
}
