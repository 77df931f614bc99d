//! Recording and withdrawing consent, with the rules for children. The rules are data (one
//! `ConsentRules` per country) so another country's can be added beside Finland's.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::ids::{CaseId, ConsentId};
use crate::information::Topic;
use crate::model::{
    AgeKnown, Attachment, Case, Consent, GivenBy, Person, Purpose, RepresentativeRole, Withdrawal,
};
use crate::recipients::{self, RecipientKind};
use crate::vault::{Stored, Vault};

/// Who may consent for whom.
#[derive(Clone, Copy, Debug)]
pub struct ConsentRules {
    /// From this age a child's own consent is needed (with a guardian or representative signing).
    pub own_consent_from: u32,
}

/// Finland: a child of 15 to 17 consents, and a guardian or legal representative signs; a younger
/// child is heard and the guardian or representative decides; anyone of uncertain age is treated
/// as a child; a guardian who is a suspect is replaced by an appointed representative.
pub const FINLAND: ConsentRules = ConsentRules {
    own_consent_from: 15,
};

impl ConsentRules {
    /// Whether `consent` may be recorded for `person` on `today`, to a recipient of `recipient`
    /// kind (None when the recipient is not on the vault's list, or there is none).
    pub fn check(
        &self,
        person: &Person,
        consent: &Consent,
        today: NaiveDate,
        recipient: Option<RecipientKind>,
    ) -> Result<()> {
        Self::informed(consent)?;
        // Who may consent depends on the age: asked now rather than guessed either way.
        if person.age_known(today) == AgeKnown::NotRecorded {
            return Err(Error::AgeNotRecorded);
        }
        if !person.treated_as_child(today) {
            if consent.no_representative.is_some() {
                return Err(Error::AdultConsentsThemself);
            }
            return match consent.given_by {
                GivenBy::Person => Ok(()),
                GivenBy::Representative => Err(Error::AdultConsentsThemself),
            };
        }
        let Some(rep) = &consent.representative else {
            return Self::without_representative(consent, recipient);
        };
        if consent.guardian_suspected && rep.role == RepresentativeRole::Guardian {
            return Err(Error::GuardianSuspected);
        }
        let age_known = !person.age_uncertain;
        let old_enough = person
            .age_on(today)
            .is_some_and(|a| a >= self.own_consent_from);
        if age_known && old_enough && consent.given_by != GivenBy::Person {
            return Err(Error::ChildMustConsent);
        }
        Ok(())
    }
}

/// Whether the text shown for `shown` had every section a consent of `needed` needs.
fn covers(shown: Purpose, needed: Purpose) -> bool {
    let had = Topic::for_purpose(shown);
    Topic::for_purpose(needed).iter().all(|t| had.contains(t))
}

impl ConsentRules {
    /// A consent to disclose is valid only when informed (GDPR art. 4(11) and 7); before a
    /// referral the person must be told what the Assistance System offers (its guidance for
    /// referrers, ihmiskauppa.fi "Asiakkaaksi auttamisjärjestelmään"). So a disclosure consent
    /// names the information text shown. The issue asks this of referrals and police reports;
    /// any other disclosure is asked it too, since the person is owed the same account of how
    /// their data is kept and what their rights are. A text an interpreter interpreted, into a
    /// language Silta has no text for, names that interpreter.
    fn informed(consent: &Consent) -> Result<()> {
        let discloses = matches!(
            consent.purpose,
            Purpose::Referral | Purpose::PoliceReport | Purpose::Other
        );
        let interpreter = consent
            .interpreter
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty());
        match &consent.information {
            None if discloses => Err(Error::InformationNotShown),
            // A text shown before a storage consent says nothing of the Assistance System: the
            // text shown must have had every section this consent's purpose needs.
            Some(i) if i.shown_for.is_some_and(|p| !covers(p, consent.purpose)) => {
                Err(Error::InformationNotShown)
            }
            Some(i) if i.read_out_in.is_some() && !interpreter => {
                Err(Error::InterpreterNotRecorded)
            }
            _ => Ok(()),
        }
    }

    /// A child without a guardian in Finland (or whose guardian is suspected) usually gets a
    /// representative only after reaching the Assistance System (Kuntaliitto circular 7/2016;
    /// vastaanottolaki 746/2011 on representatives for minors without a guardian). Waiting for
    /// one would leave the child without help, so the child's own consent, with their views
    /// recorded, carries a referral to the Assistance System while a representative is
    /// requested; every other disclosure waits for the representative.
    fn without_representative(consent: &Consent, recipient: Option<RecipientKind>) -> Result<()> {
        let Some(none) = consent.no_representative else {
            return Err(Error::RepresentativeRequired);
        };
        let views = consent
            .child_views
            .as_deref()
            .is_some_and(|v| !v.trim().is_empty());
        if none.representative_requested
            && views
            && consent.given_by == GivenBy::Person
            && consent.purpose == Purpose::Referral
            && recipient == Some(RecipientKind::AssistanceSystem)
        {
            Ok(())
        } else {
            Err(Error::ChildWithoutRepresentative)
        }
    }
}

/// A consent of one purpose that was withdrawn, with none of that purpose in force since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ended {
    pub date: NaiveDate,
    pub reason: String,
}

/// Whether the person withdrew their `purpose` consent (storage: the data is to be reviewed
/// for erasure, GDPR art. 17(1)(b); support: the support ended at their wish, and reminders
/// stop), as of `today`: the latest withdrawal, unless a consent of that purpose is in force.
/// Derived from the consent records, so it cannot disagree with them.
pub fn ended(consents: &[Stored<Consent>], purpose: Purpose, today: NaiveDate) -> Option<Ended> {
    let of = || consents.iter().filter(move |c| c.record.purpose == purpose);
    if of().any(|c| c.record.is_valid_on(today)) {
        return None;
    }
    of().filter_map(|c| c.record.withdrawn.as_ref())
        .max_by_key(|w| w.date)
        .map(|w| Ended {
            date: w.date,
            reason: w.note.clone(),
        })
}

/// `ended` for every case of the vault that has one.
pub fn ended_by_case(
    vault: &Vault,
    purpose: Purpose,
    today: NaiveDate,
) -> Result<BTreeMap<CaseId, Ended>> {
    let mut by_case: BTreeMap<CaseId, Vec<Stored<Consent>>> = BTreeMap::new();
    for c in vault.list::<Consent>(None)? {
        if let Some(case) = c.case {
            by_case.entry(case).or_default().push(c);
        }
    }
    Ok(by_case
        .into_iter()
        .filter_map(|(case, list)| ended(&list, purpose, today).map(|e| (case, e)))
        .collect())
}

/// Records a consent for a case, checking it against the person as they are recorded now. The
/// staff member who records it is the one who unlocked the vault, whatever the input says.
pub fn add(
    vault: &Vault,
    case: CaseId,
    consent: &Consent,
    today: NaiveDate,
) -> Result<Stored<Consent>> {
    let mut consent = consent.clone();
    consent.recorded_by = vault.user().to_string();
    consent.withdrawn = None;
    consent.validate()?;
    vault.write(|v| {
        let c = v.get::<Case>(case)?;
        let person = v.get::<Person>(c.record.person)?;
        if let Some(form) = consent.signed_form {
            let attached = v.get::<Attachment>(form)?;
            if attached.case != Some(case) {
                return Err(Error::invalid(
                    "the signed consent form must be an attachment of the same case",
                ));
            }
        }
        let kind = match &consent.recipient {
            Some(name) => recipients::find(v, name).ok().map(|r| r.record.kind),
            None => None,
        };
        FINLAND.check(&person.record, &consent, today, kind)?;
        v.insert(Some(case), &consent)
    })
}

/// `add`, for a consent recorded as the person is shown the text: the information it names must
/// be a text on offer in `texts` now, word for word (its version and SHA-256), so a consent cannot
/// claim a text, version or wording the person was not shown.
pub fn add_shown(
    vault: &Vault,
    texts: &crate::information::Library,
    case: CaseId,
    consent: &Consent,
    today: NaiveDate,
) -> Result<Stored<Consent>> {
    if let Some(shown) = &consent.information {
        texts.confirm(shown)?;
    }
    add(vault, case, consent, today)
}

/// Withdraws a consent from `date` on, with the reason. The consent stays on record, marked
/// withdrawn.
pub fn withdraw(
    vault: &Vault,
    id: ConsentId,
    date: NaiveDate,
    note: &str,
) -> Result<Stored<Consent>> {
    vault.write(|v| {
        let current = v.get::<Consent>(id)?;
        if current.record.withdrawn.is_some() {
            return Ok(current);
        }
        if date < current.record.date {
            return Err(Error::InvalidInput(
                crate::error::Invalid::WithdrawnBeforeGiven,
            ));
        }
        // What the person said, or why, is part of the record of what was allowed when.
        crate::model::check_text("reason for the withdrawal", note, 1000)?;
        let mut updated = current.record.clone();
        updated.withdrawn = Some(Withdrawal {
            date,
            recorded_by: v.user().to_string(),
            note: note.to_string(),
        });
        v.update(&current, &updated)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Birth, InformationShown, NameKind, NoGuardianReason, NoRepresentative, PersonName,
        Representative,
    };

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn person_born(year: i32) -> Person {
        Person {
            names: vec![PersonName {
                name: "A".into(),
                kind: NameKind::Legal,
            }],
            birth: Some(Birth::Date(NaiveDate::from_ymd_opt(year, 1, 1).unwrap())),
            ..Person::default()
        }
    }

    fn shown() -> InformationShown {
        InformationShown {
            version: "2026-1".into(),
            language: "fi".parse().unwrap(),
            digest: Some("ab".repeat(32)),
            read_out_in: None,
            // Each test sets the purpose it needs; the rule comparing them has its own test.
            shown_for: None,
        }
    }

    fn consent(given_by: GivenBy, rep: Option<RepresentativeRole>) -> Consent {
        Consent {
            purpose: Purpose::Referral,
            recipient: Some("Assistance System".into()),
            field_groups: vec![],
            information: Some(shown()),
            interpreter: None,
            given_by,
            representative: rep.map(|role| Representative {
                name: "Guardian".into(),
                role,
            }),
            guardian_suspected: false,
            no_representative: None,
            child_views: None,
            signed_form: None,
            date: today(),
            expires: None,
            withdrawn: None,
            recorded_by: "Kaisa".into(),
        }
    }

    #[test]
    fn a_sixteen_year_old_consents_and_a_guardian_signs() {
        let p = person_born(2010);
        let check = |c: &Consent| FINLAND.check(&p, c, today(), None);
        assert!(matches!(
            check(&consent(GivenBy::Person, None)),
            Err(Error::RepresentativeRequired)
        ));
        assert!(matches!(
            check(&consent(
                GivenBy::Representative,
                Some(RepresentativeRole::Guardian)
            )),
            Err(Error::ChildMustConsent)
        ));
        assert!(
            check(&consent(
                GivenBy::Person,
                Some(RepresentativeRole::Guardian)
            ))
            .is_ok()
        );
    }

    #[test]
    fn for_a_younger_child_the_guardian_or_representative_decides() {
        let p = person_born(2015);
        assert!(
            FINLAND
                .check(
                    &p,
                    &consent(GivenBy::Representative, Some(RepresentativeRole::Guardian)),
                    today(),
                    None
                )
                .is_ok()
        );
        assert!(matches!(
            FINLAND.check(&p, &consent(GivenBy::Person, None), today(), None),
            Err(Error::RepresentativeRequired)
        ));
    }

    #[test]
    fn uncertain_age_follows_the_child_rules() {
        let mut p = person_born(1990);
        p.age_uncertain = true;
        assert!(matches!(
            FINLAND.check(&p, &consent(GivenBy::Person, None), today(), None),
            Err(Error::RepresentativeRequired)
        ));
    }

    #[test]
    fn a_suspected_guardian_cannot_sign() {
        let p = person_born(2010);
        let mut c = consent(GivenBy::Person, Some(RepresentativeRole::Guardian));
        c.guardian_suspected = true;
        assert!(matches!(
            FINLAND.check(&p, &c, today(), None),
            Err(Error::GuardianSuspected)
        ));
        c.representative = Some(Representative {
            name: "Appointed".into(),
            role: RepresentativeRole::LegalRepresentative,
        });
        assert!(FINLAND.check(&p, &c, today(), None).is_ok());
    }

    #[test]
    fn without_a_birth_date_the_age_question_is_answered_before_any_consent() {
        let mut maria = person_born(1990);
        maria.birth = None;
        let own = consent(GivenBy::Person, None);
        assert!(matches!(
            FINLAND.check(&maria, &own, today(), None),
            Err(Error::AgeNotRecorded)
        ));
        // "Could she be under 18?" "No": an adult, who consents herself.
        maria.could_be_minor = Some(crate::model::CouldBeMinor::No);
        assert!(FINLAND.check(&maria, &own, today(), None).is_ok());
        maria.could_be_minor = Some(crate::model::CouldBeMinor::DontKnow);
        assert!(matches!(
            FINLAND.check(&maria, &own, today(), None),
            Err(Error::RepresentativeRequired)
        ));
    }

    #[test]
    fn an_estimated_birth_year_that_may_be_under_18_follows_the_child_rules() {
        let mut p = person_born(1990);
        p.birth = Some(Birth::EstimatedYear(2008));
        assert!(matches!(
            FINLAND.check(&p, &consent(GivenBy::Person, None), today(), None),
            Err(Error::RepresentativeRequired)
        ));
    }

    fn unaccompanied(p: Purpose) -> Consent {
        Consent {
            purpose: p,
            no_representative: Some(NoRepresentative {
                reason: NoGuardianReason::NoGuardianInFinland,
                representative_requested: true,
            }),
            child_views: Some("I want help. I do not want my uncle told.".into()),
            ..consent(GivenBy::Person, None)
        }
    }

    #[test]
    fn an_unaccompanied_child_is_referred_to_the_assistance_system_on_their_own_consent_and_views()
    {
        let p = person_born(2012);
        let c = unaccompanied(Purpose::Referral);
        assert!(
            FINLAND
                .check(&p, &c, today(), Some(RecipientKind::AssistanceSystem))
                .is_ok()
        );
        // A guardian suspected of involvement, and no representative yet: the same path.
        let mut suspected = c.clone();
        suspected.no_representative = Some(NoRepresentative {
            reason: NoGuardianReason::GuardianSuspected,
            representative_requested: true,
        });
        assert!(
            FINLAND
                .check(
                    &p,
                    &suspected,
                    today(),
                    Some(RecipientKind::AssistanceSystem)
                )
                .is_ok()
        );
    }

    #[test]
    fn without_a_representative_nothing_but_that_referral_goes() {
        let p = person_born(2012);
        let refused = |c: &Consent, kind: Option<RecipientKind>| {
            matches!(
                FINLAND.check(&p, c, today(), kind),
                Err(Error::ChildWithoutRepresentative)
            )
        };
        let to_desk = Some(RecipientKind::AssistanceSystem);
        assert!(refused(
            &unaccompanied(Purpose::PoliceReport),
            Some(RecipientKind::Police)
        ));
        assert!(refused(
            &unaccompanied(Purpose::Referral),
            Some(RecipientKind::Other)
        ));
        assert!(refused(&unaccompanied(Purpose::Referral), None));
        assert!(refused(&unaccompanied(Purpose::Storage), to_desk));
        let mut no_views = unaccompanied(Purpose::Referral);
        no_views.child_views = Some("  ".into());
        assert!(refused(&no_views, to_desk));
        no_views.child_views = None;
        assert!(refused(&no_views, to_desk));
        let mut not_requested = unaccompanied(Purpose::Referral);
        not_requested.no_representative = Some(NoRepresentative {
            reason: NoGuardianReason::NoGuardianInFinland,
            representative_requested: false,
        });
        assert!(refused(&not_requested, to_desk));
        let mut decided_for = unaccompanied(Purpose::Referral);
        decided_for.given_by = GivenBy::Representative;
        assert!(refused(&decided_for, to_desk));
    }

    #[test]
    fn an_adult_is_never_on_the_unaccompanied_childs_path() {
        let p = person_born(1990);
        assert!(matches!(
            FINLAND.check(
                &p,
                &unaccompanied(Purpose::Referral),
                today(),
                Some(RecipientKind::AssistanceSystem)
            ),
            Err(Error::AdultConsentsThemself)
        ));
    }

    #[test]
    fn an_adult_consents_for_themself() {
        let p = person_born(1990);
        assert!(
            FINLAND
                .check(&p, &consent(GivenBy::Person, None), today(), None)
                .is_ok()
        );
        assert!(matches!(
            FINLAND.check(
                &p,
                &consent(GivenBy::Representative, Some(RepresentativeRole::Guardian)),
                today(),
                None
            ),
            Err(Error::AdultConsentsThemself)
        ));
    }

    #[test]
    fn a_consent_to_disclose_needs_the_information_text_shown() {
        let p = person_born(1990);
        for purpose in [Purpose::Referral, Purpose::PoliceReport, Purpose::Other] {
            let uninformed = Consent {
                purpose,
                information: None,
                ..consent(GivenBy::Person, None)
            };
            assert!(matches!(
                FINLAND.check(&p, &uninformed, today(), None),
                Err(Error::InformationNotShown)
            ));
            let informed = Consent {
                purpose,
                ..consent(GivenBy::Person, None)
            };
            assert!(FINLAND.check(&p, &informed, today(), None).is_ok());
        }
    }

    #[test]
    fn the_text_shown_is_the_one_for_the_consents_purpose() {
        let p = person_born(1990);
        let for_storage = InformationShown {
            shown_for: Some(Purpose::Storage),
            ..shown()
        };
        let c = Consent {
            information: Some(for_storage),
            ..consent(GivenBy::Person, None)
        };
        assert!(matches!(
            FINLAND.check(&p, &c, today(), None),
            Err(Error::InformationNotShown)
        ));
        let for_referral = InformationShown {
            shown_for: Some(Purpose::Referral),
            ..shown()
        };
        let c = Consent {
            information: Some(for_referral),
            ..consent(GivenBy::Person, None)
        };
        assert!(FINLAND.check(&p, &c, today(), None).is_ok());
        // Support, storage and other disclosures need the same sections; a referral's text has
        // them too, but a police report's lacks the Assistance System.
        for (shown_for, purpose, ok) in [
            (Purpose::Support, Purpose::Storage, true),
            (Purpose::Referral, Purpose::Other, true),
            (Purpose::PoliceReport, Purpose::Referral, false),
            (Purpose::Referral, Purpose::PoliceReport, false),
        ] {
            let c = Consent {
                purpose,
                information: Some(InformationShown {
                    shown_for: Some(shown_for),
                    ..shown()
                }),
                ..consent(GivenBy::Person, None)
            };
            assert_eq!(
                FINLAND.check(&p, &c, today(), None).is_ok(),
                ok,
                "{shown_for:?} for {purpose:?}"
            );
        }
        // Recorded before texts shipped: no purpose to compare.
        let older = InformationShown {
            shown_for: None,
            digest: None,
            ..shown()
        };
        let c = Consent {
            information: Some(older),
            ..consent(GivenBy::Person, None)
        };
        assert!(FINLAND.check(&p, &c, today(), None).is_ok());
    }

    #[test]
    fn support_and_storage_consents_need_no_information_text() {
        let p = person_born(1990);
        for purpose in [Purpose::Support, Purpose::Storage] {
            let c = Consent {
                purpose,
                recipient: None,
                information: None,
                ..consent(GivenBy::Person, None)
            };
            assert!(FINLAND.check(&p, &c, today(), None).is_ok());
        }
    }

    #[test]
    fn a_text_read_out_in_another_language_names_the_interpreter() {
        let p = person_born(1990);
        let read_out = InformationShown {
            read_out_in: Some("ti".parse().unwrap()),
            ..shown()
        };
        for interpreter in [None, Some("  ".to_string())] {
            let c = Consent {
                information: Some(read_out.clone()),
                interpreter,
                ..consent(GivenBy::Person, None)
            };
            assert!(matches!(
                FINLAND.check(&p, &c, today(), None),
                Err(Error::InterpreterNotRecorded)
            ));
        }
        let c = Consent {
            information: Some(read_out),
            interpreter: Some("Tesfay Gebre".into()),
            ..consent(GivenBy::Person, None)
        };
        assert!(FINLAND.check(&p, &c, today(), None).is_ok());
        // Shown on the screen in the person's own language, no interpreter is needed.
        assert!(
            FINLAND
                .check(&p, &consent(GivenBy::Person, None), today(), None)
                .is_ok()
        );
    }
}
