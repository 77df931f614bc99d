//! Notifications the law requires without anyone's consent: the Child Welfare Act (lastensuojelulaki
//! 417/2007) 25 § obliges, among others, social and health care staff, the police, teachers and
//! the staff of organisations providing social services to notify child welfare (since 2023 the
//! wellbeing services county's, in Helsinki the city's), notwithstanding confidentiality, when a child may need it (1 mom.), and to notify the
//! police too when they have reason to suspect a sexual offence against the child (rikoslaki
//! 39/1889, ch. 20) or an offence against the child's life or health punishable by at least two
//! years' imprisonment (3 mom.). The record says what was told, to whom, when and by whom.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check_text;
use crate::error::{Error, Result};
use crate::ids::NotificationId;
use crate::vault::Record;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Notification {
    pub kind: NotificationKind,
    /// For a notification to the police: what is suspected (25 § 3 mom.).
    #[serde(default)]
    pub ground: Option<PoliceGround>,
    pub date: NaiveDate,
    /// The receiving authority: child welfare (the wellbeing services county's), or the police department.
    pub authority: String,
    /// Who made the notification (often the one recording it; a colleague's name otherwise).
    pub made_by: String,
    /// What was told: the concern, in the words used.
    pub what_was_told: String,
    /// The staff member who recorded it.
    pub recorded_by: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Lastensuojeluilmoitus: to child welfare (the wellbeing services county's) (25 § 1 mom.).
    ChildWelfare,
    /// To the police (25 § 3 mom.).
    Police,
}

/// Why the police are notified: the two grounds of 25 § 3 mom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PoliceGround {
    /// A sexual offence against the child (rikoslaki ch. 20).
    SexualOffence,
    /// An offence against the child's life or health punishable by at least two years.
    LifeOrHealth,
}

/// The provision a disclosure without consent rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// Lastensuojelulaki 417/2007, 25 § 1 mom.
    ChildWelfareAct25,
    /// Lastensuojelulaki 417/2007, 25 § 3 mom.
    ChildWelfareAct25Police,
}

impl NotificationKind {
    pub fn legal_basis(self) -> LegalBasis {
        match self {
            NotificationKind::ChildWelfare => LegalBasis::ChildWelfareAct25,
            NotificationKind::Police => LegalBasis::ChildWelfareAct25Police,
        }
    }
}

impl Record for Notification {
    const KIND: &'static str = "notification";
    type Id = NotificationId;
}

impl Notification {
    pub fn legal_basis(&self) -> LegalBasis {
        self.kind.legal_basis()
    }

    pub fn validate(&self) -> Result<()> {
        check_text("receiving authority", &self.authority, 200)?;
        check_text("who made the notification", &self.made_by, 200)?;
        check_text("what was told", &self.what_was_told, 4000)?;
        check_text("recorded by", &self.recorded_by, 200)?;
        match (self.kind, self.ground) {
            (NotificationKind::Police, None) => Err(Error::invalid(
                "a notification to the police under 25 § 3 mom. says what is suspected: a sexual offence against the child, or an offence against the child's life or health",
            )),
            (NotificationKind::ChildWelfare, Some(_)) => Err(Error::invalid(
                "a child welfare notification has no police ground; record the police notification on its own",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notification(kind: NotificationKind, ground: Option<PoliceGround>) -> Notification {
        Notification {
            kind,
            ground,
            date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            authority: "Helsingin sosiaalipäivystys".into(),
            made_by: "Kaisa".into(),
            what_was_told: "A 15-year-old was made to sell sex.".into(),
            recorded_by: "Kaisa".into(),
        }
    }

    #[test]
    fn a_police_notification_names_its_ground_and_a_child_welfare_one_none() {
        use NotificationKind::*;
        assert!(notification(Police, None).validate().is_err());
        assert!(
            notification(Police, Some(PoliceGround::SexualOffence))
                .validate()
                .is_ok()
        );
        assert!(
            notification(ChildWelfare, Some(PoliceGround::LifeOrHealth))
                .validate()
                .is_err()
        );
        assert!(notification(ChildWelfare, None).validate().is_ok());
    }

    #[test]
    fn each_kind_rests_on_its_own_subsection() {
        assert_eq!(
            NotificationKind::ChildWelfare.legal_basis(),
            LegalBasis::ChildWelfareAct25
        );
        assert_eq!(
            NotificationKind::Police.legal_basis(),
            LegalBasis::ChildWelfareAct25Police
        );
    }

    #[test]
    fn authority_who_and_what_are_required() {
        for blank in [
            |n: &mut Notification| n.authority = " ".into(),
            |n: &mut Notification| n.made_by = String::new(),
            |n: &mut Notification| n.what_was_told = "\n".into(),
        ] {
            let mut n = notification(NotificationKind::ChildWelfare, None);
            blank(&mut n);
            assert!(n.validate().is_err());
        }
    }
}
