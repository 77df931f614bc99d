//! What happens after the interview: support given, tasks with due dates (the reflection and
//! recovery periods among them), notes; and the list of tasks due soon across all cases.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use crate::cases;
use crate::error::{Error, Result};
use crate::ids::{CaseId, TaskId};
use crate::model::{
    Case, Consent, Note, Person, Purpose, Reminder, ResidenceKind, SupportAction, Task,
};
use crate::vault::{Stored, Vault};

/// The reflection period and the recovery period are each at least 30 days (ulkomaalaislaki
/// 301/2004 52 b §; vastaanottolaki 746/2011 34 a §).
pub const MINIMUM_PERIOD_DAYS: u64 = 30;
/// The reflection period is at most six months (ulkomaalaislaki 52 b §).
pub const REFLECTION_MAX_MONTHS: u32 = 6;

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

/// Which period the person can be given, from their recorded residence status: a recovery
/// period (toipumisaika, vastaanottolaki 746/2011 34 a §) for someone lawfully in Finland, a
/// reflection period (harkinta-aika, ulkomaalaislaki 301/2004 52 b §) for someone without a right
/// of residence (../shared/domain.md). An asylum seeker and someone under temporary protection
/// may stay while their matter is pending, so they are lawfully in Finland. `None` when the
/// status is unknown, not recorded or an application is pending: the decision itself says.
pub fn period_kind(person: &Person) -> Option<Reminder> {
    match person.residence_status.as_ref()?.kind {
        ResidenceKind::FinnishCitizen
        | ResidenceKind::EuRegistered
        | ResidenceKind::ResidencePermit
        | ResidenceKind::AsylumSeeker
        | ResidenceKind::TemporaryProtection => Some(Reminder::RecoveryPeriodEnds),
        ResidenceKind::NoPermit => Some(Reminder::ReflectionPeriodEnds),
        ResidenceKind::ResidencePermitApplied | ResidenceKind::Unknown => None,
    }
}

/// Days before a period ends that its reminder falls due: time to plan what comes next.
pub const PERIOD_NOTICE_DAYS: u64 = 7;

/// The reminder for a reflection or recovery period as its decision gives it, from `start` to
/// `end`: due a week before the end (never before the start), for the caseworker to check in and
/// plan what follows. Both periods are at least 30 days and the reflection period at most six
/// months (ulkomaalaislaki 52 b §); dates outside that are a mistyped decision.
pub fn period_reminder(
    kind: Reminder,
    start: NaiveDate,
    end: NaiveDate,
    title: &str,
) -> Result<Task> {
    if kind == Reminder::General {
        return Err(Error::InvalidInput(
            crate::error::Invalid::PeriodKindMissing,
        ));
    }
    // A decision names the first and the last day, both inside the period: 30 days from 28.11.
    // end on 27.12.
    let shortest = start
        .checked_add_days(Days::new(MINIMUM_PERIOD_DAYS - 1))
        .ok_or_else(|| Error::invalid("that date is out of range"))?;
    if end < shortest {
        return Err(Error::InvalidInput(crate::error::Invalid::PeriodTooShort {
            days: MINIMUM_PERIOD_DAYS,
            start,
            shortest,
        }));
    }
    if kind == Reminder::ReflectionPeriodEnds {
        let longest = start
            .checked_add_months(Months::new(REFLECTION_MAX_MONTHS))
            .and_then(|d| d.pred_opt())
            .ok_or_else(|| Error::invalid("that date is out of range"))?;
        if end > longest {
            return Err(Error::InvalidInput(
                crate::error::Invalid::ReflectionTooLong {
                    months: REFLECTION_MAX_MONTHS,
                    start,
                    longest,
                },
            ));
        }
    }
    let due = end
        .checked_sub_days(Days::new(PERIOD_NOTICE_DAYS))
        .map_or(start, |d| d.max(start));
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
    let open: Vec<Stored<Task>> = vault
        .list::<Task>(None)?
        .into_iter()
        .filter(|t| t.record.done.is_none() && t.record.due <= horizon)
        .collect();
    // Support the person ended: no more reminders about them. Asked only of the cases with a
    // task due, not of every consent in the vault.
    let mut support_ended: BTreeMap<CaseId, bool> = BTreeMap::new();
    for case in open.iter().filter_map(|t| t.case) {
        if let Entry::Vacant(slot) = support_ended.entry(case) {
            let consents = vault.list::<Consent>(Some(case))?;
            slot.insert(crate::consents::ended(&consents, Purpose::Support, today).is_some());
        }
    }
    let mut out: Vec<DueTask> = open
        .into_iter()
        .filter(|t| t.case.is_none_or(|c| support_ended.get(&c) != Some(&true)))
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

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn with_status(kind: Option<ResidenceKind>) -> Person {
        Person {
            residence_status: kind.map(|kind| crate::model::ResidenceStatus {
                kind,
                details: String::new(),
            }),
            ..Person::default()
        }
    }

    #[test]
    fn the_recovery_period_is_for_those_lawfully_in_finland_and_the_reflection_period_for_those_without_a_right_of_residence()
     {
        use ResidenceKind::*;
        for kind in [
            FinnishCitizen,
            EuRegistered,
            ResidencePermit,
            AsylumSeeker,
            TemporaryProtection,
        ] {
            assert_eq!(
                period_kind(&with_status(Some(kind))),
                Some(Reminder::RecoveryPeriodEnds),
                "{kind:?}"
            );
        }
        assert_eq!(
            period_kind(&with_status(Some(NoPermit))),
            Some(Reminder::ReflectionPeriodEnds)
        );
        for unclear in [Some(ResidencePermitApplied), Some(Unknown), None] {
            assert_eq!(period_kind(&with_status(unclear)), None, "{unclear:?}");
        }
    }

    #[test]
    fn a_period_reminder_follows_the_decisions_dates_and_falls_due_a_week_before_the_end() {
        let t = period_reminder(
            Reminder::RecoveryPeriodEnds,
            d(2026, 11, 28),
            d(2027, 2, 28),
            "ends",
        )
        .unwrap();
        assert_eq!(t.due, d(2027, 2, 21));
        assert_eq!(t.reminder, Reminder::RecoveryPeriodEnds);
        // The shortest period: due a week before its end, still after its start.
        let t = period_reminder(
            Reminder::ReflectionPeriodEnds,
            d(2026, 11, 28),
            d(2026, 12, 28),
            "ends",
        )
        .unwrap();
        assert_eq!(t.due, d(2026, 12, 21));
        assert!(period_reminder(Reminder::General, d(2026, 11, 28), d(2027, 1, 28), "x").is_err());
    }

    #[test]
    fn a_period_is_at_least_thirty_days_and_a_reflection_period_at_most_six_months() {
        let start = d(2026, 11, 28);
        // First and last day both count: 28.11.-26.12. is 29 days, 28.11.-27.12. is 30.
        for kind in [Reminder::RecoveryPeriodEnds, Reminder::ReflectionPeriodEnds] {
            assert!(period_reminder(kind, start, d(2026, 12, 26), "x").is_err());
            assert!(period_reminder(kind, start, d(2026, 12, 27), "x").is_ok());
        }
        assert!(
            period_reminder(Reminder::ReflectionPeriodEnds, start, d(2027, 5, 27), "x").is_ok()
        );
        assert!(
            period_reminder(Reminder::ReflectionPeriodEnds, start, d(2027, 5, 28), "x").is_err()
        );
        assert!(period_reminder(Reminder::RecoveryPeriodEnds, start, d(2027, 11, 28), "x").is_ok());
    }
}
