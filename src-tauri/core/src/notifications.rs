//! Recording the notifications the Child Welfare Act requires without consent, and reminding the
//! caseworker of them on a child's case (the rules are in `model::notification`).

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::ids::CaseId;
use crate::model::codes::{ExploitationType, MethodOfControl};
use crate::model::{
    AgeKnown, Answer, Case, CaseDetails, Indicator, Interview, Notification, NotificationKind,
    Person,
};
use crate::vault::{Stored, Vault};

/// A notification the caseworker has not recorded on a child's case, and why it is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NotificationDue {
    pub kind: NotificationKind,
    pub because: DueBecause,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueBecause {
    /// A child who may have been trafficked: their need for child welfare is to be assessed.
    ChildMayBeTrafficked,
    /// The case records sexual exploitation, sexual abuse or violence.
    SexualAbuseOrViolence,
}

/// Whether the case records signs of a sexual offence or violence against the person: a
/// confirmed sexual-exploitation type, sexual or physical abuse as a method of control, or a
/// "yes" in any interview to violence, to selling sex under someone's control (for a child,
/// sexual exploitation is itself a sexual offence: rikoslaki ch. 20, 6-8 c §), or to a marriage
/// of a child or one the person is exploited in (a child's marriage gives reason to suspect a
/// sexual offence; asking protects the child).
pub fn sexual_abuse_or_violence(details: &CaseDetails, interviews: &[Stored<Interview>]) -> bool {
    let coded = details
        .exploitation_types
        .contains(&ExploitationType::SexualExploitation)
        || details.methods_of_control.iter().any(|m| {
            matches!(
                m,
                MethodOfControl::SexualAbuse | MethodOfControl::PhysicalAbuse
            )
        });
    // An answer given to an earlier wording whose "yes" could mean the opposite counts whether
    // it was yes or no: asking about the notification protects the child.
    let answered = interviews
        .iter()
        .flat_map(|i| i.record.answers.iter().map(|a| (i.record.question_set, a)))
        .any(|(set, a)| {
            (a.answer == Answer::Yes
                || (a.answer == Answer::No && crate::indicators::earlier_wording(set, a.indicator)))
                && matches!(
                    a.indicator,
                    Indicator::PhysicalAndSexualViolence
                        | Indicator::PhysicalViolence
                        | Indicator::SexualViolence
                        | Indicator::ExploitedInMarriage
                        | Indicator::MarriedAsChild
                        | Indicator::SexualServicesUnderControl
                        | Indicator::EarningsFromSexTaken
                        | Indicator::AdvertisedByOthers
                )
        });
    coded || answered
}

/// The notifications a child's case still lacks. A child who may have been trafficked is a child
/// whose development may be endangered, so the child welfare notification is asked on every
/// child's case (25 § 1 mom.; the issue asked it only with signs of abuse, and asking always
/// protects the child); the police notification where the case records signs of a sexual
/// offence or violence (25 § 3 mom.). An adult's case, or one whose age is not recorded, asks
/// nothing here (the age question comes first).
pub fn due(
    person: &Person,
    details: &CaseDetails,
    interviews: &[Stored<Interview>],
    made: &[Stored<Notification>],
    today: NaiveDate,
) -> Vec<NotificationDue> {
    if !person.treated_as_child(today) {
        return Vec::new();
    }
    let has = |kind: NotificationKind| made.iter().any(|n| n.record.kind == kind);
    let mut due = Vec::new();
    if !has(NotificationKind::ChildWelfare) {
        due.push(NotificationDue {
            kind: NotificationKind::ChildWelfare,
            because: DueBecause::ChildMayBeTrafficked,
        });
    }
    if !has(NotificationKind::Police) && sexual_abuse_or_violence(details, interviews) {
        due.push(NotificationDue {
            kind: NotificationKind::Police,
            because: DueBecause::SexualAbuseOrViolence,
        });
    }
    due
}

/// Records a notification made about the child of `case`. The duty is about a child: for an
/// adult, disclosure needs their consent, so it is refused.
pub fn add(
    vault: &Vault,
    case: CaseId,
    notification: &Notification,
    today: NaiveDate,
) -> Result<Stored<Notification>> {
    let mut notification = notification.clone();
    notification.recorded_by = vault.user().to_string();
    notification.validate()?;
    if notification.date > today {
        return Err(Error::InvalidInput(
            crate::error::Invalid::NotificationInFuture,
        ));
    }
    vault.write(|v| {
        let c = v.get::<Case>(case)?;
        let person = v.get::<Person>(c.record.person)?;
        check_child(&person.record, today)?;
        v.insert(Some(case), &notification)
    })
}

/// The Child Welfare Act's duties concern a child; anyone of uncertain age is treated as one.
pub fn check_child(person: &Person, today: NaiveDate) -> Result<()> {
    match person.age_known(today) {
        AgeKnown::NotRecorded => Err(Error::AgeNotRecorded),
        AgeKnown::Adult => Err(Error::NotAChild),
        AgeKnown::Child { .. } | AgeKnown::PossiblyChild => Ok(()),
    }
}
