//! Recording, expiring and withdrawing consent, as the case page shows it.

mod common;

use chrono::Days;
use common::*;
use silta_core::model::{Consent, ConsentState, FieldGroup, Purpose};
use silta_core::{Error, cases, consents};

fn referral_consent() -> Consent {
    Consent {
        expires: Some(today() + Days::new(30)),
        ..consent_for(
            Some("Assistance System"),
            Purpose::Referral,
            &[FieldGroup::Identity, FieldGroup::Account],
        )
    }
}

#[test]
fn a_consent_is_in_force_until_it_expires_or_is_withdrawn() {
    let (_f, vault) = new_vault();
    let case = open_adult_case(&vault, "Aino").case.id;
    let c = consents::add(&vault, case, &referral_consent(), today()).unwrap();
    assert_eq!(
        c.record.recorded_by, "Kaisa",
        "the unlocking user records it"
    );

    let state = |day| cases::view(&vault, case, day).unwrap().consent_states[&c.id];
    assert_eq!(state(today()), ConsentState::InForce);
    assert_eq!(state(today() + Days::new(30)), ConsentState::InForce);
    assert_eq!(state(today() + Days::new(31)), ConsentState::Expired);
    assert_eq!(state(today() - Days::new(1)), ConsentState::NotYetGiven);

    consents::withdraw(&vault, c.id, today(), "asked by phone").unwrap();
    assert_eq!(state(today()), ConsentState::Withdrawn);
    let view = cases::view(&vault, case, today()).unwrap();
    assert_eq!(
        view.consents.len(),
        1,
        "a withdrawn consent stays on record"
    );
    let again = consents::withdraw(&vault, c.id, today(), "").unwrap();
    assert_eq!(again.version, 2, "withdrawing twice changes nothing");
    let early = consents::add(&vault, case, &referral_consent(), today()).unwrap();
    let err = consents::withdraw(&vault, early.id, today() - Days::new(1), "asked").unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.to_string().contains("before it was given")),
        "{err:?}"
    );
}

#[test]
fn a_withdrawal_needs_its_reason() {
    let (_f, vault) = new_vault();
    let case = open_adult_case(&vault, "Aino").case.id;
    let c = consents::add(&vault, case, &referral_consent(), today()).unwrap();
    let err = consents::withdraw(&vault, c.id, today(), "  ").unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.to_string().contains("reason")),
        "{err:?}"
    );
    let state = cases::view(&vault, case, today()).unwrap().consent_states[&c.id];
    assert_eq!(state, ConsentState::InForce, "nothing changed");
}

#[test]
fn a_signed_consent_form_is_linked_only_from_its_own_case() {
    let (_f, vault) = new_vault();
    let aino = open_adult_case(&vault, "Aino").case.id;
    let ion = open_adult_case(&vault, "Ion").case.id;
    let scan = vault
        .add_attachment(
            aino,
            silta_core::model::Attachment::new("consent-signed.pdf", "application/pdf"),
            &b"%PDF signed"[..],
            "scanned",
        )
        .unwrap();
    let signed = Consent {
        signed_form: Some(scan.id),
        ..referral_consent()
    };
    let c = consents::add(&vault, aino, &signed, today()).unwrap();
    assert_eq!(c.record.signed_form, Some(scan.id));
    let err = consents::add(&vault, ion, &signed, today()).unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.to_string().contains("same case")),
        "{err:?}"
    );
    let missing = Consent {
        signed_form: Some(<silta_core::ids::AttachmentId as silta_core::ids::RecordId>::new()),
        ..referral_consent()
    };
    assert!(matches!(
        consents::add(&vault, aino, &missing, today()).unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[test]
fn withdrawing_support_ends_it_at_the_persons_wish_and_stops_its_reminders() {
    let (_f, vault) = new_vault();
    let case = open_adult_case(&vault, "Aino").case.id;
    let support = consents::add(
        &vault,
        case,
        &consent_for(None, Purpose::Support, &[]),
        today(),
    )
    .unwrap();
    vault
        .insert(
            Some(case),
            &silta_core::model::Task {
                title: "Call about the flat".into(),
                due: today() + Days::new(3),
                done: None,
                reminder: silta_core::model::Reminder::General,
                assignee: None,
            },
        )
        .unwrap();
    let due = || {
        silta_core::followups::due_soon(&vault, today(), 14)
            .unwrap()
            .len()
    };
    assert_eq!(due(), 1);
    assert_eq!(
        cases::view(&vault, case, today()).unwrap().support_ended,
        None
    );

    consents::withdraw(&vault, support.id, today(), "She has a job and a flat now.").unwrap();
    let view = cases::view(&vault, case, today()).unwrap();
    let ended = view.support_ended.expect("support ended at her wish");
    assert_eq!(ended.reason, "She has a job and a flat now.");
    assert_eq!(due(), 0, "no reminders after the person ended support");

    // She comes back: a new consent to support, and the reminders with it.
    consents::add(
        &vault,
        case,
        &consent_for(None, Purpose::Support, &[]),
        today(),
    )
    .unwrap();
    assert_eq!(
        cases::view(&vault, case, today()).unwrap().support_ended,
        None
    );
    assert_eq!(due(), 1);
}

#[test]
fn withdrawing_storage_puts_the_case_on_the_retention_review_list_with_the_reason() {
    let (_f, vault) = new_vault();
    let case = open_adult_case(&vault, "Aino").case.id;
    let other = open_adult_case(&vault, "Ion").case.id;
    for c in [case, other] {
        consents::add(
            &vault,
            c,
            &consent_for(None, Purpose::Storage, &[]),
            today(),
        )
        .unwrap();
    }
    let storage = cases::view(&vault, case, today()).unwrap().consents[0].id;
    assert!(
        silta_core::retention::overview(&vault, today())
            .unwrap()
            .storage_withdrawn
            .is_empty()
    );
    consents::withdraw(&vault, storage, today(), "Wants her data erased.").unwrap();
    let review = silta_core::retention::overview(&vault, today())
        .unwrap()
        .storage_withdrawn;
    assert_eq!(review.len(), 1);
    assert_eq!(review[0].id, case);
    assert_eq!(review[0].withdrawn.reason, "Wants her data erased.");
}

/// GDPR art. 4(11) and 7 (an informed consent): recorded as shown, a consent may name only a text
/// on offer now, word for word; another version or wording is refused and nothing is saved.
#[test]
fn a_consent_names_only_the_text_on_offer_word_for_word() {
    use silta_core::information::Library;
    let (_f, vault) = new_vault();
    let view = open_adult_case(&vault, "Ioana Popa");
    let texts = Library::load(None);
    let shown = referral_consent();
    consents::add_shown(&vault, &texts, view.case.id, &shown, today()).unwrap();
    for tamper in [
        |c: &mut Consent| c.information.as_mut().unwrap().version = "2025-1".into(),
        |c: &mut Consent| c.information.as_mut().unwrap().digest = Some("00".repeat(32)),
        |c: &mut Consent| c.information.as_mut().unwrap().language = "ro".parse().unwrap(),
    ] {
        let mut claimed = referral_consent();
        tamper(&mut claimed);
        assert!(consents::add_shown(&vault, &texts, view.case.id, &claimed, today()).is_err());
    }
    let listed = cases::view(&vault, view.case.id, today()).unwrap();
    assert_eq!(listed.consents.len(), 1);
}
