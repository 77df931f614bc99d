//! Consent: to support, to storage, and to each disclosure (per recipient, purpose and field group)
//! separately. Withdrawal is recorded, never a deletion, so the record shows what was allowed when.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{LanguageCode, check_text, check_text_opt};
use crate::error::{Error, Result};
use crate::ids::{AttachmentId, ConsentId};
use crate::vault::Record;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub purpose: Purpose,
    /// Who may receive the data (a recipient's name); empty for support and storage consent.
    #[serde(default)]
    pub recipient: Option<String>,
    #[serde(default)]
    pub field_groups: Vec<FieldGroup>,
    /// Which version of the information text was shown, and in which language.
    #[serde(default)]
    pub information: Option<InformationShown>,
    #[serde(default)]
    pub interpreter: Option<String>,
    pub given_by: GivenBy,
    /// Required for a child: the guardian or legal representative who signed or decided.
    #[serde(default)]
    pub representative: Option<Representative>,
    /// The guardian is suspected of involvement: an appointed representative must act instead.
    #[serde(default)]
    pub guardian_suspected: bool,
    /// A child with no guardian or representative who can act yet: why, and that one is being
    /// requested (`consents::FINLAND` allows only a referral to the Assistance System then).
    #[serde(default)]
    pub no_representative: Option<NoRepresentative>,
    /// The child's own views on the disclosure, in their words, beside the decision of whoever
    /// signs (any age: a minor who understands has a say, THL's guidance on minors' data).
    #[serde(default)]
    pub child_views: Option<String>,
    /// The scanned consent form the person (or their representative) signed, an attachment of
    /// the same case.
    #[serde(default)]
    pub signed_form: Option<AttachmentId>,
    pub date: NaiveDate,
    #[serde(default)]
    pub expires: Option<NaiveDate>,
    #[serde(default)]
    pub withdrawn: Option<Withdrawal>,
    /// The staff member who recorded it.
    pub recorded_by: String,
}

/// Whether a consent allows anything on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    InForce,
    /// Dated after the day asked about.
    NotYetGiven,
    Expired,
    Withdrawn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Support,
    Storage,
    Referral,
    PoliceReport,
    Other,
}

/// The parts of a case a disclosure may contain; each is consented to on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldGroup {
    Identity,
    Contact,
    Status,
    Languages,
    Children,
    Account,
    Observations,
    Indicators,
    Needs,
    PoliceStatus,
    Health,
    Exploiters,
    Attachment(AttachmentId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InformationShown {
    pub version: String,
    /// The language of the text shown (or, when interpreted, of the text the interpreter worked from).
    pub language: LanguageCode,
    /// SHA-256 of the text's file, hex: which wording exactly, should the file change later.
    /// Absent on consents recorded before Silta shipped texts.
    #[serde(default)]
    pub digest: Option<String>,
    /// For a person whose language has no text: the language the interpreter interpreted it into
    /// (the consent's `interpreter` names them).
    #[serde(default)]
    pub read_out_in: Option<LanguageCode>,
    /// The purpose the text was shown for: its sections follow it (what the Assistance System
    /// offers before a referral, what a police report means before one). Absent on consents
    /// recorded before Silta shipped texts.
    #[serde(default)]
    pub shown_for: Option<Purpose>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GivenBy {
    /// The person themself (an adult, or a child of 15-17 together with a representative).
    Person,
    /// A guardian or representative decided (a child under 15, heard by age and maturity).
    Representative,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Representative {
    pub name: String,
    pub role: RepresentativeRole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RepresentativeRole {
    Guardian,
    /// Appointed, for example when the guardian is a suspect.
    LegalRepresentative,
}

/// Why no guardian or representative signs a child's consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoGuardianReason {
    /// An unaccompanied child: no guardian in Finland.
    NoGuardianInFinland,
    /// The guardian is suspected of involvement, and no representative is appointed yet.
    GuardianSuspected,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NoRepresentative {
    pub reason: NoGuardianReason,
    /// The caseworker confirms that a representative is being requested for the child.
    pub representative_requested: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub date: NaiveDate,
    pub recorded_by: String,
    #[serde(default)]
    pub note: String,
}

impl Record for Consent {
    const KIND: &'static str = "consent";
    type Id = ConsentId;
}

impl Consent {
    pub fn validate(&self) -> Result<()> {
        check_text("recorded by", &self.recorded_by, 200)?;
        check_text_opt("recipient", self.recipient.as_deref(), 200)?;
        check_text_opt("interpreter", self.interpreter.as_deref(), 200)?;
        if let Some(r) = &self.representative {
            check_text("representative's name", &r.name, 200)?;
        }
        check_text_opt("child's views", self.child_views.as_deref(), 4000)?;
        if self.representative.is_some() && self.no_representative.is_some() {
            return Err(Error::invalid(
                "a consent either names the guardian or representative who signs, or says why there is none, not both",
            ));
        }
        if self.given_by == GivenBy::Representative && self.representative.is_none() {
            return Err(Error::InvalidInput(
                crate::error::Invalid::RepresentativeUnnamed,
            ));
        }
        if self.expires.is_some_and(|e| e < self.date) {
            return Err(Error::InvalidInput(
                crate::error::Invalid::ConsentExpiresBeforeGiven,
            ));
        }
        if matches!(self.purpose, Purpose::Referral | Purpose::PoliceReport)
            && self.recipient.is_none()
        {
            return Err(Error::InvalidInput(
                crate::error::Invalid::ConsentRecipientMissing,
            ));
        }
        Ok(())
    }

    /// In force on `day`: given, not expired, not withdrawn.
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.state_on(day) == ConsentState::InForce
    }

    pub fn state_on(&self, day: NaiveDate) -> ConsentState {
        if self.withdrawn.as_ref().is_some_and(|w| w.date <= day) {
            ConsentState::Withdrawn
        } else if self.expires.is_some_and(|e| e < day) {
            ConsentState::Expired
        } else if day < self.date {
            ConsentState::NotYetGiven
        } else {
            ConsentState::InForce
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given() -> Consent {
        Consent {
            purpose: Purpose::Referral,
            recipient: Some("Assistance System".into()),
            field_groups: vec![FieldGroup::Identity],
            information: None,
            interpreter: None,
            given_by: GivenBy::Person,
            representative: None,
            guardian_suspected: false,
            no_representative: None,
            child_views: None,
            signed_form: None,
            date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            expires: None,
            withdrawn: None,
            recorded_by: "Kaisa".into(),
        }
    }

    #[test]
    fn a_consent_names_who_signs_or_why_no_one_can_never_both() {
        assert!(given().validate().is_ok());
        let signer = Representative {
            name: "Maria".into(),
            role: RepresentativeRole::Guardian,
        };
        let why_not = NoRepresentative {
            reason: NoGuardianReason::NoGuardianInFinland,
            representative_requested: true,
        };
        let signed = Consent {
            representative: Some(signer.clone()),
            ..given()
        };
        assert!(signed.validate().is_ok());
        let unsigned = Consent {
            no_representative: Some(why_not),
            ..given()
        };
        assert!(unsigned.validate().is_ok());
        let both = Consent {
            representative: Some(signer),
            no_representative: Some(why_not),
            ..given()
        };
        assert!(both.validate().is_err());
    }

    #[test]
    fn a_consent_decided_by_a_representative_names_them() {
        let c = Consent {
            given_by: GivenBy::Representative,
            ..given()
        };
        assert!(c.validate().is_err());
    }

    #[test]
    fn a_consent_to_disclose_names_its_recipient_and_cannot_expire_before_it_was_given() {
        for purpose in [Purpose::Referral, Purpose::PoliceReport] {
            let c = Consent {
                purpose,
                recipient: None,
                ..given()
            };
            assert!(c.validate().is_err(), "{purpose:?}");
        }
        let support = Consent {
            purpose: Purpose::Support,
            recipient: None,
            ..given()
        };
        assert!(support.validate().is_ok());
        let backwards = Consent {
            expires: NaiveDate::from_ymd_opt(2026, 11, 29),
            ..given()
        };
        assert!(backwards.validate().is_err());
        let same_day = Consent {
            expires: NaiveDate::from_ymd_opt(2026, 11, 30),
            ..given()
        };
        assert!(same_day.validate().is_ok());
    }

    #[test]
    fn a_childs_views_too_long_for_the_record_are_refused() {
        let c = Consent {
            child_views: Some("x".repeat(4001)),
            ..given()
        };
        assert!(c.validate().is_err());
        let blank_recorder = Consent {
            recorded_by: " ".into(),
            ..given()
        };
        assert!(blank_recorder.validate().is_err());
    }
}
