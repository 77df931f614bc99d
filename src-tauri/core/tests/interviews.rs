//! The guided interview over time: drafts saved as typed, conflicts refused, finished interviews
//! kept as they were, and codes added to the case only when the caseworker confirms them.

mod common;

use common::*;
use silta_core::Error;
use silta_core::cases;
use silta_core::indicators;
use silta_core::interviews;
use silta_core::model::codes::{ExploitationType, MethodOfControl};
use silta_core::model::{
    Answer, Indicator, IndicatorAnswer, Interview, InterviewStage, InterviewStatus, OpenAnswer,
    OpenQuestion, Source,
};

fn answer(indicator: Indicator, answer: Answer) -> IndicatorAnswer {
    IndicatorAnswer {
        indicator,
        answer,
        source: Source::SelfReported,
        context: String::new(),
    }
}

#[test]
fn a_draft_is_saved_version_by_version_and_survives_a_reopen() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino").case.id;
    let started = interviews::start(
        &vault,
        case,
        InterviewStage::Screening,
        "ro".parse().unwrap(),
        Some("Elena".into()),
    )
    .unwrap();
    assert_eq!(started.record.status, InterviewStatus::Draft);
    let mut draft = started.record.clone();
    draft
        .answers
        .push(answer(Indicator::DebtBondage, Answer::Yes));
    let v2 = interviews::save(&vault, started.id, started.version, &draft).unwrap();
    draft.narrative = "They promised work in a restaurant.".into();
    let v3 = interviews::save(&vault, started.id, v2.version, &draft).unwrap();
    assert_eq!(v3.version, 3);
    // Saving the same text again adds no version.
    assert_eq!(
        interviews::save(&vault, started.id, v3.version, &draft)
            .unwrap()
            .version,
        3
    );
    vault.lock();

    let reopened = unlock(&f.path);
    let view = cases::view(&reopened, case, today()).unwrap();
    assert_eq!(view.interviews.len(), 1);
    assert_eq!(view.interviews[0].record, draft);
}

#[test]
fn a_stale_save_is_a_conflict_and_a_finished_interview_is_not_overwritten() {
    let (_f, vault) = new_vault();
    let case = open_case(&vault, "Aino").case.id;
    let started = interviews::start(
        &vault,
        case,
        InterviewStage::Extended,
        "fi".parse().unwrap(),
        None,
    )
    .unwrap();
    let mut draft = started.record.clone();
    draft.narrative = "first".into();
    let saved = interviews::save(&vault, started.id, 1, &draft).unwrap();
    draft.narrative = "from a window that missed the first save".into();
    assert!(matches!(
        interviews::save(&vault, started.id, 1, &draft),
        Err(Error::Conflict { .. })
    ));

    draft.narrative = "final words".into();
    draft.status = InterviewStatus::Final;
    let finished = interviews::save(&vault, started.id, saved.version, &draft).unwrap();
    let mut late = draft.clone();
    late.status = InterviewStatus::Draft;
    late.narrative = "a late autosave".into();
    assert!(matches!(
        interviews::save(&vault, started.id, finished.version, &late),
        Err(Error::Conflict { .. })
    ));
    assert_eq!(
        vault
            .get::<silta_core::model::Interview>(started.id)
            .unwrap()
            .record
            .narrative,
        "final words"
    );
}

#[test]
fn suggested_codes_reach_the_case_only_when_confirmed() {
    let (_f, vault) = new_vault();
    let case = open_case(&vault, "Aino").case.id;
    let suggestions = indicators::suggest(&Interview {
        answers: vec![answer(Indicator::SexualServicesUnderControl, Answer::Yes)],
        ..Interview::new(InterviewStage::Screening, "fi".parse().unwrap(), None)
    });
    assert_eq!(
        suggestions.exploitation_types[0].code,
        ExploitationType::SexualExploitation
    );
    assert!(
        cases::view(&vault, case, today())
            .unwrap()
            .case
            .record
            .details
            .exploitation_types
            .is_empty()
    );

    interviews::confirm_codes(
        &vault,
        case,
        &[ExploitationType::ForcedLabour],
        &[MethodOfControl::DebtBondage],
    )
    .unwrap();
    // Confirming again changes nothing and adds no version.
    let again =
        interviews::confirm_codes(&vault, case, &[ExploitationType::ForcedLabour], &[]).unwrap();
    assert_eq!(again.version, 2);
    let details = cases::view(&vault, case, today())
        .unwrap()
        .case
        .record
        .details;
    assert_eq!(details.exploitation_types, [ExploitationType::ForcedLabour]);
    assert_eq!(details.methods_of_control, [MethodOfControl::DebtBondage]);
}

#[test]
fn an_interview_needs_an_existing_case() {
    let (_f, vault) = new_vault();
    let ghost = <silta_core::ids::CaseId as silta_core::ids::RecordId>::new();
    assert!(matches!(
        interviews::start(
            &vault,
            ghost,
            InterviewStage::Screening,
            "fi".parse().unwrap(),
            None
        ),
        Err(Error::NotFound { .. })
    ));
}

/// One answer to each open question: a second answer to the same question is refused, not kept
/// where the screen would show only one of them.
#[test]
fn an_open_question_is_answered_once() {
    let (_f, vault) = new_vault();
    let case = open_case(&vault, "Aino").case.id;
    let started = interviews::start(
        &vault,
        case,
        InterviewStage::Screening,
        "fi".parse().unwrap(),
        None,
    )
    .unwrap();
    let mut twice = started.record.clone();
    twice.open_answers = vec![
        OpenAnswer {
            question: OpenQuestion::Now,
            text: "I need a place to sleep".into(),
        },
        OpenAnswer {
            question: OpenQuestion::Now,
            text: "and a doctor".into(),
        },
    ];
    let err = interviews::save(&vault, started.id, started.version, &twice).unwrap_err();
    assert!(matches!(err, silta_core::Error::InvalidInput(_)), "{err:?}");
    twice.open_answers.pop();
    interviews::save(&vault, started.id, started.version, &twice).unwrap();
}

/// An interview saved before question sets existed was asked set 1's questions: it reads as set
/// 1, so its "yes" to "Was the work… what you were promised?" suggests no code.
#[test]
fn an_interview_saved_before_question_sets_reads_as_the_first_set() {
    let old: Interview = serde_json::from_str(
        r#"{"stage":"screening","language":"fi","status":"final",
            "answers":[{"indicator":"deception","answer":"yes","source":"self_reported"}]}"#,
    )
    .unwrap();
    assert_eq!(old.question_set, 1);
    let s = indicators::suggest(&old);
    assert!(s.methods_of_control.is_empty());
    assert_eq!(s.earlier_wording, [Indicator::Deception]);
}
