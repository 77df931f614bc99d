//! The Child Welfare Act's notifications (lastensuojelulaki 417/2007, 25 §): recorded without
//! consent for a child, asked for on a child's case, refused for an adult.

mod common;

use chrono::Datelike;
use common::*;
use silta_core::Error;
use silta_core::cases::{self, CaseView};
use silta_core::interviews;
use silta_core::model::codes::{ExploitationType, MethodOfControl};
use silta_core::model::*;
use silta_core::notifications::{self, DueBecause, NotificationDue};
use silta_core::vault::Vault;

fn case_born(
    vault: &Vault,
    name: &str,
    birth: Option<Birth>,
    could_be_minor: Option<CouldBeMinor>,
) -> CaseView {
    open_case_of(
        vault,
        Person {
            birth,
            could_be_minor,
            ..person(name)
        },
    )
}

fn child_case(vault: &Vault) -> CaseView {
    case_born(vault, "Amina Yusuf", Some(Birth::Date(d(2011, 2, 3))), None)
}

fn notification(kind: NotificationKind) -> Notification {
    Notification {
        kind,
        ground: (kind == NotificationKind::Police).then_some(PoliceGround::SexualOffence),
        date: today(),
        authority: "Helsingin sosiaalipäivystys".into(),
        made_by: "Kaisa".into(),
        what_was_told: "A 15-year-old was made to sell sex in Helsinki.".into(),
        recorded_by: String::new(),
    }
}

fn due(vault: &Vault, view: &CaseView) -> Vec<NotificationDue> {
    cases::view(vault, view.case.id, today())
        .unwrap()
        .notifications_due
}

const CHILD_WELFARE: NotificationDue = NotificationDue {
    kind: NotificationKind::ChildWelfare,
    because: DueBecause::ChildMayBeTrafficked,
};
const POLICE: NotificationDue = NotificationDue {
    kind: NotificationKind::Police,
    because: DueBecause::SexualAbuseOrViolence,
};

/// 25 § 1 mom.: every child's case asks for a child welfare notification; 3 mom.: with signs of
/// a sexual offence or violence, for one to the police too. Each stops asking once recorded.
#[test]
fn a_childs_case_asks_for_child_welfare_and_with_signs_of_sexual_abuse_for_the_police_too() {
    let (_f, vault) = new_vault();
    let view = child_case(&vault);
    assert_eq!(due(&vault, &view), [CHILD_WELFARE]);
    interviews::confirm_codes(
        &vault,
        view.case.id,
        &[ExploitationType::SexualExploitation],
        &[],
    )
    .unwrap();
    assert_eq!(due(&vault, &view), [CHILD_WELFARE, POLICE]);
    notifications::add(
        &vault,
        view.case.id,
        &notification(NotificationKind::ChildWelfare),
        today(),
    )
    .unwrap();
    assert_eq!(due(&vault, &view), [POLICE]);
    notifications::add(
        &vault,
        view.case.id,
        &notification(NotificationKind::Police),
        today(),
    )
    .unwrap();
    assert!(due(&vault, &view).is_empty());
    let shown = cases::view(&vault, view.case.id, today()).unwrap();
    assert_eq!(shown.notifications.len(), 2);
    assert_eq!(shown.notifications[0].record.recorded_by, "Kaisa");
}

/// Each sign of violence or a sexual offence asks for the police notification on its own.
#[test]
fn each_sign_of_sexual_abuse_or_violence_asks_for_the_police() {
    let (_f, vault) = new_vault();
    type Sign = Box<dyn Fn(&Vault, &CaseView)>;
    let signs: Vec<Sign> = vec![
        Box::new(|v, c| {
            interviews::confirm_codes(v, c.case.id, &[], &[MethodOfControl::SexualAbuse]).unwrap();
        }),
        Box::new(|v, c| {
            interviews::confirm_codes(v, c.case.id, &[], &[MethodOfControl::PhysicalAbuse])
                .unwrap();
        }),
        Box::new(|v, c| answered(v, c, Indicator::PhysicalAndSexualViolence, Answer::Yes)),
        Box::new(|v, c| answered(v, c, Indicator::PhysicalViolence, Answer::Yes)),
        Box::new(|v, c| answered(v, c, Indicator::SexualViolence, Answer::Yes)),
        Box::new(|v, c| answered(v, c, Indicator::ExploitedInMarriage, Answer::Yes)),
        Box::new(|v, c| answered(v, c, Indicator::MarriedAsChild, Answer::Yes)),
        Box::new(|v, c| answered(v, c, Indicator::SexualServicesUnderControl, Answer::Yes)),
        Box::new(|v, c| answered(v, c, Indicator::EarningsFromSexTaken, Answer::Yes)),
        Box::new(|v, c| answered(v, c, Indicator::AdvertisedByOthers, Answer::Yes)),
    ];
    for sign in signs {
        let view = child_case(&vault);
        sign(&vault, &view);
        assert_eq!(due(&vault, &view), [CHILD_WELFARE, POLICE]);
    }
    // Neither another indicator, nor a "no" or "unclear" to violence, is such a sign.
    for (indicator, answer) in [
        (Indicator::DebtBondage, Answer::Yes),
        (Indicator::PhysicalAndSexualViolence, Answer::No),
        (Indicator::PhysicalAndSexualViolence, Answer::Unclear),
        (Indicator::SexualViolence, Answer::Declined),
        (Indicator::ThreatsOfViolence, Answer::Yes),
    ] {
        let view = child_case(&vault);
        answered(&vault, &view, indicator, answer);
        interviews::confirm_codes(
            &vault,
            view.case.id,
            &[ExploitationType::ForcedLabour],
            &[MethodOfControl::DebtBondage],
        )
        .unwrap();
        assert_eq!(due(&vault, &view), [CHILD_WELFARE]);
    }
}

/// Question set 1 asked "Could you keep the money you earned, or did someone take it?": a "no"
/// there may mean the money was taken, so it asks for the police notification as a "yes" does;
/// under today's wording ("Did someone take…?") a "no" does not.
#[test]
fn a_no_to_an_earlier_reversed_wording_still_asks_for_the_police() {
    let (_f, vault) = new_vault();
    let old = child_case(&vault);
    answered_in(&vault, &old, 1, Indicator::EarningsFromSexTaken, Answer::No);
    assert_eq!(due(&vault, &old), [CHILD_WELFARE, POLICE]);
    let new = child_case(&vault);
    answered(&vault, &new, Indicator::EarningsFromSexTaken, Answer::No);
    assert_eq!(due(&vault, &new), [CHILD_WELFARE]);
    let unchanged = child_case(&vault);
    answered_in(
        &vault,
        &unchanged,
        1,
        Indicator::SexualServicesUnderControl,
        Answer::No,
    );
    assert_eq!(due(&vault, &unchanged), [CHILD_WELFARE]);
}

fn answered(vault: &Vault, view: &CaseView, indicator: Indicator, answer: Answer) {
    answered_in(
        vault,
        view,
        silta_core::indicators::QUESTION_SET,
        indicator,
        answer,
    );
}

fn answered_in(
    vault: &Vault,
    view: &CaseView,
    question_set: u32,
    indicator: Indicator,
    answer: Answer,
) {
    let mut i = interview("Zxqv");
    i.question_set = question_set;
    i.answers = vec![IndicatorAnswer {
        indicator,
        answer,
        source: Source::SelfReported,
        context: String::new(),
    }];
    vault.insert(Some(view.case.id), &i).unwrap();
}

/// The duty concerns a child: an adult's case asks nothing and refuses a notification; a case
/// whose age is not recorded asks the age first; a possible child counts as a child.
#[test]
fn an_adult_is_not_notified_about_and_a_possible_child_is() {
    let (_f, vault) = new_vault();
    let adult = case_born(&vault, "Ioana Popa", Some(Birth::Date(d(1990, 3, 4))), None);
    interviews::confirm_codes(
        &vault,
        adult.case.id,
        &[ExploitationType::SexualExploitation],
        &[],
    )
    .unwrap();
    assert!(due(&vault, &adult).is_empty());
    assert!(matches!(
        notifications::add(
            &vault,
            adult.case.id,
            &notification(NotificationKind::ChildWelfare),
            today()
        ),
        Err(Error::NotAChild)
    ));
    let unknown = case_born(&vault, "Maria Popescu", None, None);
    assert!(due(&vault, &unknown).is_empty());
    assert!(matches!(
        notifications::add(
            &vault,
            unknown.case.id,
            &notification(NotificationKind::ChildWelfare),
            today()
        ),
        Err(Error::AgeNotRecorded)
    ));
    let possibly = case_born(&vault, "Lena", None, Some(CouldBeMinor::DontKnow));
    assert_eq!(due(&vault, &possibly), [CHILD_WELFARE]);
    notifications::add(
        &vault,
        possibly.case.id,
        &notification(NotificationKind::ChildWelfare),
        today(),
    )
    .unwrap();
    let estimated = case_born(
        &vault,
        "Aziz",
        Some(Birth::EstimatedYear(today().year() - 18)),
        None,
    );
    assert_eq!(due(&vault, &estimated), [CHILD_WELFARE]);
}

#[test]
fn a_notification_is_recorded_once_made_never_dated_ahead() {
    let (_f, vault) = new_vault();
    let view = child_case(&vault);
    let ahead = Notification {
        date: today().succ_opt().unwrap(),
        ..notification(NotificationKind::ChildWelfare)
    };
    assert!(notifications::add(&vault, view.case.id, &ahead, today()).is_err());
    let police_without_ground = Notification {
        ground: None,
        ..notification(NotificationKind::Police)
    };
    assert!(notifications::add(&vault, view.case.id, &police_without_ground, today()).is_err());
    assert!(
        cases::view(&vault, view.case.id, today())
            .unwrap()
            .notifications
            .is_empty()
    );
}
