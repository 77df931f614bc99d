//! A case's records in one chronological line, and the saved versions of any one of them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cases::CaseView;
use crate::error::{Error, Result};
use crate::ids::{
    AttachmentId, CaseId, ConsentId, InterviewId, NoteId, RecordId, SupportActionId, TaskId,
};
use crate::model::{Attachment, Consent, Interview, Note, SupportAction, Task};
use crate::vault::{Record, Stored, Vault};

/// Names one record under a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RecordRef {
    Interview(InterviewId),
    Consent(ConsentId),
    SupportAction(SupportActionId),
    Task(TaskId),
    Note(NoteId),
    Attachment(AttachmentId),
}

/// One line of a case's timeline: which record, and the day it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineEntry {
    /// The record's own date where it has one (a support action's date, a task's due date, the day
    /// a consent was given); otherwise the day it was last saved.
    pub day: NaiveDate,
    pub record: RecordRef,
    pub version: u32,
    pub saved_by: String,
}

/// Every saved version of one record, oldest first.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "versions", rename_all = "snake_case")]
pub enum RecordHistory {
    Interview(Vec<Stored<Interview>>),
    Consent(Vec<Stored<Consent>>),
    SupportAction(Vec<Stored<SupportAction>>),
    Task(Vec<Stored<Task>>),
    Note(Vec<Stored<Note>>),
    Attachment(Vec<Stored<Attachment>>),
}

fn entries<R: Record>(
    records: &[Stored<R>],
    day: impl Fn(&Stored<R>) -> NaiveDate,
    to_ref: impl Fn(R::Id) -> RecordRef,
) -> impl Iterator<Item = TimelineEntry> {
    records.iter().map(move |s| TimelineEntry {
        day: day(s),
        record: to_ref(s.id),
        version: s.version,
        saved_by: s.saved_by.clone(),
    })
}

/// Interviews, consents, support actions, tasks, notes and attachments of a case, newest first.
/// Records of one day keep the order in which they were created.
pub fn of_case(view: &CaseView) -> Vec<TimelineEntry> {
    let saved_day = |at: chrono::DateTime<chrono::Utc>| at.date_naive();
    let mut line: Vec<TimelineEntry> = entries(
        &view.interviews,
        |s| saved_day(s.saved_at),
        RecordRef::Interview,
    )
    .chain(entries(
        &view.consents,
        |s| s.record.date,
        RecordRef::Consent,
    ))
    .chain(entries(
        &view.support_actions,
        |s| s.record.date,
        RecordRef::SupportAction,
    ))
    .chain(entries(&view.tasks, |s| s.record.due, RecordRef::Task))
    .chain(entries(
        &view.notes,
        |s| saved_day(s.saved_at),
        RecordRef::Note,
    ))
    .chain(entries(
        &view.attachments,
        |s| saved_day(s.saved_at),
        RecordRef::Attachment,
    ))
    .collect();
    // UUID v7 ids begin with their creation time, so they order records created on one day.
    line.sort_by(|a, b| {
        b.day
            .cmp(&a.day)
            .then_with(|| b.record.uuid().cmp(&a.record.uuid()))
    });
    line
}

impl RecordRef {
    fn uuid(&self) -> uuid::Uuid {
        match self {
            RecordRef::Interview(id) => id.uuid(),
            RecordRef::Consent(id) => id.uuid(),
            RecordRef::SupportAction(id) => id.uuid(),
            RecordRef::Task(id) => id.uuid(),
            RecordRef::Note(id) => id.uuid(),
            RecordRef::Attachment(id) => id.uuid(),
        }
    }
}

fn versions<R: Record>(vault: &Vault, case: CaseId, id: R::Id) -> Result<Vec<Stored<R>>> {
    let all = vault.history::<R>(id)?;
    if all.iter().any(|s| s.case != Some(case)) {
        return Err(Error::NotFound {
            kind: R::KIND,
            id: id.to_string(),
        });
    }
    Ok(all)
}

/// Every version of one record of `case`; a record of another case is not found.
pub fn history(vault: &Vault, case: CaseId, record: RecordRef) -> Result<RecordHistory> {
    Ok(match record {
        RecordRef::Interview(id) => RecordHistory::Interview(versions(vault, case, id)?),
        RecordRef::Consent(id) => RecordHistory::Consent(versions(vault, case, id)?),
        RecordRef::SupportAction(id) => RecordHistory::SupportAction(versions(vault, case, id)?),
        RecordRef::Task(id) => RecordHistory::Task(versions(vault, case, id)?),
        RecordRef::Note(id) => RecordHistory::Note(versions(vault, case, id)?),
        RecordRef::Attachment(id) => RecordHistory::Attachment(versions(vault, case, id)?),
    })
}
