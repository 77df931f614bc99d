//! What the app makes of a person's age: the child rules and the urgent flag follow what the
//! caseworker recorded, are recomputed on every save, and the caseworker's override (with its
//! reason) is kept in the case's history.

mod common;

use common::*;
use silta_core::cases::{self, CaseInput};
use silta_core::model::{AgeKnown, Birth, CouldBeMinor, UrgencyOverride, UrgentBecause};
use silta_core::{Error, consents};

fn save(vault: &silta_core::vault::Vault, view: &cases::CaseView) -> cases::CaseView {
    cases::edit(
        vault,
        view.case.id,
        CaseInput {
            person: view.person.record.clone(),
            details: Some(view.case.record.details.clone()),
        },
        today(),
    )
    .unwrap()
}

fn listed_urgent(vault: &silta_core::vault::Vault, view: &cases::CaseView) -> bool {
    cases::overviews(vault)
        .unwrap()
        .into_iter()
        .find(|o| o.id == view.case.id)
        .unwrap()
        .urgent
}

#[test]
fn a_person_entered_without_a_birth_date_is_not_an_urgent_child_until_someone_says_so() {
    let (_f, vault) = new_vault();
    let maria = open_case(&vault, "Maria Popescu");
    assert_eq!(maria.age, AgeKnown::NotRecorded);
    assert!(!maria.child);
    assert_eq!(maria.urgency, None);
    assert!(!listed_urgent(&vault, &maria));
    // Her own consent waits for the question, instead of asking for a guardian.
    let err = consents::add(
        &vault,
        maria.case.id,
        &consent_for(
            Some("Assistance System"),
            silta_core::model::Purpose::Referral,
            &[],
        ),
        today(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::AgeNotRecorded), "{err:?}");
}

#[test]
fn could_be_under_18_makes_the_case_urgent_and_a_confirmed_adult_birth_date_ends_it() {
    let (_f, vault) = new_vault();
    let mut maria = open_case(&vault, "Maria Popescu");
    maria.person.record.could_be_minor = Some(CouldBeMinor::DontKnow);
    let maria = save(&vault, &maria);
    assert_eq!(maria.age, AgeKnown::PossiblyChild);
    assert_eq!(maria.urgency, Some(UrgentBecause::PossiblyChild));
    assert!(listed_urgent(&vault, &maria));

    let mut maria = maria;
    maria.person.record.birth = Some(Birth::Date(d(1990, 3, 1)));
    let maria = save(&vault, &maria);
    assert_eq!(maria.age, AgeKnown::Adult);
    assert_eq!(maria.urgency, None, "recomputed on the save");
    assert!(!listed_urgent(&vault, &maria));
}

#[test]
fn an_estimated_year_that_may_be_under_18_makes_the_case_urgent() {
    let (_f, vault) = new_vault();
    let mut p = person("Oksana");
    p.birth = Some(Birth::EstimatedYear(
        today().format("%Y").to_string().parse::<i32>().unwrap() - 18,
    ));
    let view = cases::open_case(
        &vault,
        CaseInput {
            person: p,
            details: None,
        },
        today(),
    )
    .unwrap();
    assert_eq!(view.urgency, Some(UrgentBecause::PossiblyChild));
    assert!(view.child);
}

#[test]
fn the_caseworker_clears_a_childs_urgency_or_marks_an_adults_with_a_reason_kept_in_history() {
    let (_f, vault) = new_vault();
    let mut child = open_case(&vault, "Oksana");
    child.person.record.birth = Some(Birth::Date(d(2010, 6, 1)));
    let mut child = save(&vault, &child);
    assert_eq!(child.urgency, Some(UrgentBecause::Child));

    child.case.record.details.urgency_override = Some(UrgencyOverride {
        urgent: false,
        reason: " ".into(),
    });
    let refused = cases::edit(
        &vault,
        child.case.id,
        CaseInput {
            person: child.person.record.clone(),
            details: Some(child.case.record.details.clone()),
        },
        today(),
    )
    .unwrap_err();
    assert!(
        matches!(refused, Error::InvalidInput(_)),
        "no reason, no change"
    );

    child.case.record.details.urgency_override = Some(UrgencyOverride {
        urgent: false,
        reason: "Placed with her mother today; the police know.".into(),
    });
    let child = save(&vault, &child);
    assert_eq!(child.urgency, None);
    assert!(child.child, "the child rules still apply");
    assert!(!listed_urgent(&vault, &child));
    let history = cases::history(&vault, child.case.id).unwrap();
    assert!(
        history.case.iter().any(|v| v
            .record
            .details
            .urgency_override
            .as_ref()
            .is_some_and(|o| o.reason.starts_with("Placed"))),
        "the reason is in the case's versions"
    );

    let mut adult = open_adult_case(&vault, "Ion");
    assert_eq!(adult.urgency, None);
    adult.case.record.details.urgency_override = Some(UrgencyOverride {
        urgent: true,
        reason: "Sleeping rough tonight.".into(),
    });
    let adult = save(&vault, &adult);
    assert_eq!(adult.urgency, Some(UrgentBecause::MarkedByCaseworker));
    assert!(listed_urgent(&vault, &adult));
}

/// The official referral form asks about immediate danger first, and the Assistance System asks
/// to be phoned then: "in danger now" makes an adult's case urgent, before their age does.
#[test]
fn a_person_in_immediate_danger_makes_the_case_urgent_whatever_their_age() {
    let (_f, vault) = new_vault();
    let mut adult = open_case(&vault, "Leila");
    adult.person.record.birth = Some(Birth::Date(d(1990, 5, 5)));
    let mut adult = save(&vault, &adult);
    assert_eq!(adult.urgency, None);

    adult.case.record.details.needs.danger = true;
    let mut adult = save(&vault, &adult);
    assert_eq!(adult.urgency, Some(UrgentBecause::InDanger));
    assert!(listed_urgent(&vault, &adult));

    // A child in danger: the danger is the reason given.
    adult.person.record.birth = Some(Birth::Date(d(2012, 1, 1)));
    let mut child = save(&vault, &adult);
    assert_eq!(child.urgency, Some(UrgentBecause::InDanger));

    // A "not urgent" does not outweigh the danger; unticking the danger does.
    child.case.record.details.urgency_override = Some(UrgencyOverride {
        urgent: false,
        reason: "Moved to a shelter tonight; the police know.".into(),
    });
    let mut child = save(&vault, &child);
    assert_eq!(child.urgency, Some(UrgentBecause::InDanger));
    child.case.record.details.needs.danger = false;
    assert_eq!(save(&vault, &child).urgency, None);
}
