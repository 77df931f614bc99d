//! Support, tasks and notes under a case, and the list of what is due soon across cases.

mod common;

use chrono::{Days, NaiveDate};
use common::*;
use silta_core::Error;
use silta_core::followups;
use silta_core::ids::RecordId;
use silta_core::model::{Note, Reminder, SupportAction, SupportKind, Task};

fn task(title: &str, due: NaiveDate) -> Task {
    Task {
        title: title.into(),
        due,
        done: None,
        reminder: Reminder::General,
        assignee: None,
    }
}

#[test]
fn due_soon_lists_open_tasks_within_the_horizon_soonest_first_across_cases() {
    let (_f, vault) = new_vault();
    let aino = open_case(&vault, "Aino").case.id;
    let oksana = open_case(&vault, "Oksana").case.id;
    let today = today();
    followups::add_task(&vault, aino, &task("later", today + Days::new(40))).unwrap();
    followups::add_task(&vault, aino, &task("this week", today + Days::new(3))).unwrap();
    let overdue =
        followups::add_task(&vault, oksana, &task("overdue", today - Days::new(1))).unwrap();
    let done = followups::add_task(&vault, oksana, &task("done already", today)).unwrap();
    followups::complete_task(&vault, done.id, today).unwrap();

    let due = followups::due_soon(&vault, today, 14).unwrap();
    let titles: Vec<&str> = due.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["overdue", "this week"]);
    assert!(due[0].overdue && !due[1].overdue);
    assert_eq!(due[0].case, oksana);
    assert_eq!(due[0].name, "Oksana");
    assert_eq!(due[0].task, overdue.id);
    // Completing keeps the open version in the task's history.
    assert_eq!(vault.history::<Task>(done.id).unwrap().len(), 2);
}

#[test]
fn support_and_notes_belong_to_an_existing_case() {
    let (_f, vault) = new_vault();
    let case = open_case(&vault, "Aino").case.id;
    let action = SupportAction {
        kind: SupportKind::Accommodation,
        plan_type: None,
        date: today(),
        provider: Some("Shelter".into()),
        description: String::new(),
    };
    followups::add_support_action(&vault, case, &action).unwrap();
    followups::add_note(
        &vault,
        case,
        &Note {
            text: "called back".into(),
        },
    )
    .unwrap();
    assert!(matches!(
        followups::add_note(&vault, case, &Note { text: "   ".into() }),
        Err(Error::InvalidInput(_))
    ));
    let ghost = silta_core::ids::CaseId::new();
    assert!(matches!(
        followups::add_support_action(&vault, ghost, &action),
        Err(Error::NotFound { .. })
    ));
    let view = silta_core::cases::view(&vault, case, today()).unwrap();
    assert_eq!((view.support_actions.len(), view.notes.len()), (1, 1));
}

#[test]
fn the_timeline_puts_a_cases_records_in_date_order_and_each_keeps_its_versions() {
    use silta_core::timeline::{self, RecordHistory, RecordRef};
    let (_f, vault) = new_vault();
    let case = open_case(&vault, "Aino").case.id;
    let other = open_case(&vault, "Oksana").case.id;
    let today = today();
    let later = followups::add_task(&vault, case, &task("later", today + Days::new(30))).unwrap();
    let action = SupportAction {
        kind: SupportKind::Accommodation,
        plan_type: None,
        date: today - Days::new(2),
        provider: None,
        description: String::new(),
    };
    let action = followups::add_support_action(&vault, case, &action).unwrap();
    let note = followups::add_note(
        &vault,
        case,
        &Note {
            text: "Met at the shelter".into(),
        },
    )
    .unwrap();
    followups::complete_task(&vault, later.id, today).unwrap();

    let view = silta_core::cases::view(&vault, case, today).unwrap();
    let order: Vec<RecordRef> = view.timeline.iter().map(|e| e.record).collect();
    assert_eq!(
        order,
        [
            RecordRef::Task(later.id),
            RecordRef::Note(note.id),
            RecordRef::SupportAction(action.id)
        ]
    );
    assert_eq!(view.timeline[0].version, 2);

    let RecordHistory::Task(versions) =
        timeline::history(&vault, case, RecordRef::Task(later.id)).unwrap()
    else {
        panic!("a task's history should be a task's");
    };
    let done: Vec<_> = versions.iter().map(|v| v.record.done).collect();
    assert_eq!(done, [None, Some(today)]);
    // A record is looked up only under its own case.
    let err = timeline::history(&vault, other, RecordRef::Task(later.id)).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}
