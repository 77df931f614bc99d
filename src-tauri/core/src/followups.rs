//! What happens after the interview: support given, tasks with due dates (the reflection and
//! recovery periods among them), notes; and the list of tasks due soon across all cases.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::cases;
use crate::error::{Error, Result};
use crate::ids::{CaseId, TaskId};
use crate::model::{Case, Note, Reminder, SupportAction, Task};
use crate::vault::{Stored, Vault};

/// The reflection period and the recovery period are each at least 30 days.
pub const MINIMUM_PERIOD_DAYS: u64 = 30;

/// A task due soon (or overdue), with the case it belongs to.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DueTask {
    pub case: CaseId,
    pub case_number: String,
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub task: TaskId,
    pub title: String,
    pub due: NaiveDate,
    pub reminder: Reminder,
    pub overdue: bool,
}

fn case_exists(vault: &Vault, case: CaseId) -> Result<()> {
    vault.get::<Case>(case).map(|_| ())
}

pub fn add_task(vault: &Vault, case: CaseId, task: &Task) -> Result<Stored<Task>> {
    task.validate()?;
    case_exists(vault, case)?;
    vault.insert(Some(case), task)
}

/// Marks a task done on `day` (a new version; the open task stays in its history).
pub fn complete_task(vault: &Vault, id: TaskId, day: NaiveDate) -> Result<Stored<Task>> {
    vault.write(|v| {
        let current = v.get::<Task>(id)?;
        if current.record.done.is_some() {
            return Ok(current);
        }
        let mut done = current.record.clone();
        done.done = Some(day);
        v.update(&current, &done)
    })
}

/// A reminder for the end of the reflection or recovery period that starts on `start`: due when
/// the minimum period is over, for the caseworker to check in and plan what comes next.
pub fn period_reminder(kind: Reminder, start: NaiveDate, title: &str) -> Result<Task> {
    if kind == Reminder::General {
        return Err(Error::invalid(
            "choose the reflection or the recovery period",
        ));
    }
    let due = start
        .checked_add_days(Days::new(MINIMUM_PERIOD_DAYS))
        .ok_or_else(|| Error::invalid("that date is out of range"))?;
    Ok(Task {
        title: title.to_string(),
        due,
        done: None,
        reminder: kind,
        assignee: None,
    })
}

pub fn add_support_action(
    vault: &Vault,
    case: CaseId,
    action: &SupportAction,
) -> Result<Stored<SupportAction>> {
    action.validate()?;
    case_exists(vault, case)?;
    vault.insert(Some(case), action)
}

pub fn add_note(vault: &Vault, case: CaseId, note: &Note) -> Result<Stored<Note>> {
    note.validate()?;
    case_exists(vault, case)?;
    vault.insert(Some(case), note)
}

/// Open tasks due within `days` of `today`, or already overdue, across every case, soonest first.
pub fn due_soon(vault: &Vault, today: NaiveDate, days: u64) -> Result<Vec<DueTask>> {
    let horizon = today
        .checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX);
    let overviews = cases::overviews(vault)?;
    let mut out: Vec<DueTask> = vault
        .list::<Task>(None)?
        .into_iter()
        .filter(|t| t.record.done.is_none() && t.record.due <= horizon)
        .filter_map(|t| {
            let case = t.case?;
            let o = overviews.iter().find(|o| o.id == case)?;
            Some(DueTask {
                case,
                case_number: o.number.to_string(),
                name: o.name.clone(),
                task: t.id,
                overdue: t.record.is_overdue_on(today),
                title: t.record.title,
                due: t.record.due,
                reminder: t.record.reminder,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| a.case_number.cmp(&b.case_number))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_reminders_fall_due_after_the_thirty_day_minimum() {
        let start = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let t =
            period_reminder(Reminder::ReflectionPeriodEnds, start, "Reflection period").unwrap();
        assert_eq!(t.due, NaiveDate::from_ymd_opt(2026, 12, 28).unwrap());
        assert_eq!(t.reminder, Reminder::ReflectionPeriodEnds);
        assert!(period_reminder(Reminder::General, start, "x").is_err());
    }
}
