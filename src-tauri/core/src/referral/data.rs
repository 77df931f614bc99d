//! `referral.json`: what a package says about the person, one optional part per field group, so
//! a part that was not consented to is absent, not empty. Codes are HTCDS names.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Mode;
use crate::cases::CaseView;
use crate::error::{Error, Result};
use crate::ids::{AttachmentId, ConsentId, NotificationId};
use crate::model::codes::{ExploitationType, Gender, MethodOfControl};
use crate::model::{
    AgeKnown, Answer, Birth, Child, Consent, Counsel, CountryCode, Exploiter, FieldGroup,
    ImmediateNeeds, Indicator, InterviewStage, InterviewStatus, LanguageCode, LanguageSkill,
    LegalBasis, Notification, NotificationKind, OpenAnswer, PersonName, PoliceGround, PoliceStatus,
    ResidenceStatus, SafeContact, Source, TraffickingEvent,
};
use crate::referrers::ContactCard;
use crate::vault::Stored;

pub const DATA_FORMAT: &str = "silta-referral-data";
/// 2 added the municipality, each language's dialect, "not yet asked" for contact safety and
/// the reason the account or needs are missing; 3 a consent's `no_representative`,
/// `child_views` and `signed_form`; 4 the information text's `digest` and `read_out_in`, and
/// the mode `notification` with its `notification` part; 5 the answers to open questions, the
/// answer "declined", an answer's `earlier_wording` and the indicators of question set 2. A
/// reader takes 1 to 5; a package that uses nothing of 5 is written as 4, so a desk not yet
/// updated still opens it.
pub const DATA_VERSION: u32 = 5;

/// The indicators a version 4 reader knows.
fn known_to_version_4(i: Indicator) -> bool {
    use Indicator as I;
    matches!(
        i,
        I::AbuseOfVulnerability
            | I::Deception
            | I::RestrictionOfMovement
            | I::Isolation
            | I::PhysicalAndSexualViolence
            | I::IntimidationAndThreats
            | I::RetentionOfIdentityDocuments
            | I::WithholdingOfWages
            | I::DebtBondage
            | I::AbusiveWorkingAndLivingConditions
            | I::ExcessiveOvertime
            | I::SexualServicesUnderControl
            | I::EarningsFromSexTaken
            | I::AdvertisedByOthers
            | I::BeggingUnderControl
            | I::BeggingEarningsTaken
            | I::CrimesUnderCoercion
            | I::CrimeEarningsTaken
            | I::DomesticWorkWithoutFreedom
            | I::DomesticWorkWithoutPay
    )
}

impl ReferralData {
    /// The lowest data version that holds everything in this package.
    pub fn version_needed(&self) -> u32 {
        let open_answers = self
            .account
            .iter()
            .flatten()
            .any(|s| !s.open_answers.is_empty());
        // Any answer to a reworded question needs 5, under today's wording (a version 4 reader
        // would take it as given to the earlier one) or the earlier (`earlier_wording`).
        let answers = self.indicators.iter().flat_map(|i| &i.answers).any(|a| {
            a.answer == Answer::Declined
                || crate::indicators::reworded(a.indicator)
                || !known_to_version_4(a.indicator)
        });
        if open_answers || answers { 5 } else { 4 }
    }
}

pub use crate::words::FormLanguage;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferralData {
    /// Always "silta-referral-data".
    pub format: String,
    pub version: u32,
    pub mode: Mode,
    pub language: FormLanguage,
    pub referrer: Referrer,
    /// Children and people of uncertain age are always urgent: phone the receiver as well.
    pub urgent: bool,
    pub age_group: AgeGroup,
    pub field_groups: Vec<FieldGroup>,
    /// The sender's case number; left out of a consultation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Option<SafeContact>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusPart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<LanguagesPart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Child>>,
    /// The person's own account, from each finished interview, in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Vec<Statement>>,
    /// The caseworker's own observations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observations: Option<Vec<Statement>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators: Option<IndicatorsPart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<ImmediateNeeds>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub police_status: Option<PoliceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exploiters: Option<ExploitersPart>,
    #[serde(default)]
    pub attachments: Vec<AttachmentPart>,
    /// The consents this package is sent under; empty for a consultation.
    #[serde(default)]
    pub consents: Vec<ConsentPart>,
    /// Why the account or the needs are not in a referral, in the caseworker's words; version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_reason: Option<String>,
    /// A notification the Child Welfare Act requires, sent without consent; version 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<NotificationPart>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationPart {
    pub id: NotificationId,
    pub kind: NotificationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground: Option<PoliceGround>,
    pub legal_basis: LegalBasis,
    /// The day the notification was made (by phone or in writing) and who made it.
    pub date: NaiveDate,
    pub made_by: String,
    /// The concern, as told.
    pub concern: String,
}

impl ReferralData {
    /// Keeps the reason only when something is missing: otherwise it is text nobody asked for.
    fn with_reason(self, reason: Option<String>) -> ReferralData {
        let missing_reason = reason.filter(|_| !self.missing().is_empty());
        ReferralData {
            missing_reason,
            ..self
        }
    }

    /// What the Assistance System needs and this referral lacks: the person's account (a
    /// finished interview's narrative) and their immediate needs. Empty for a consultation or a
    /// police report, which the rule does not cover.
    pub fn missing(&self) -> Vec<FieldGroup> {
        if self.mode != Mode::Referral {
            return Vec::new();
        }
        let mut missing = Vec::new();
        if self.account.as_ref().is_none_or(Vec::is_empty) {
            missing.push(FieldGroup::Account);
        }
        if self.needs.is_none() {
            missing.push(FieldGroup::Needs);
        }
        missing
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Referrer {
    pub organisation: String,
    /// Left out of a consultation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caseworker: Option<String>,
    pub date: NaiveDate,
    /// How to reach the organisation, when set; version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_contact: Option<ContactCard>,
    /// How to reach the caseworker, when set; left out of a consultation; version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caseworker_contact: Option<ContactCard>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    Adult,
    Child,
    /// Possibly a child (`AgeKnown::PossiblyChild`), or the age was never recorded: treated as
    /// a child.
    Uncertain,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub names: Vec<PersonName>,
    pub birth: Option<Birth>,
    pub age_uncertain: bool,
    pub gender: Option<Gender>,
    pub citizenships: Vec<CountryCode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusPart {
    pub residence_status: Option<ResidenceStatus>,
    /// Municipality of residence (kotikunta); version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    pub migri_client_number: Option<String>,
    pub counsel: Option<Counsel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LanguagesPart {
    pub languages: Vec<LanguageSkill>,
    pub interpreter_needed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub stage: InterviewStage,
    /// Interview language and interpreter; left out of a consultation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<String>,
    /// The person's answers to the screening's open questions (format version 5 on), before
    /// their account; only in the account, never in the observations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_answers: Vec<OpenAnswer>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorsPart {
    /// Answers without their free-text context, which could name someone.
    pub answers: Vec<CodedAnswer>,
    pub exploitation_types: Vec<ExploitationType>,
    pub methods_of_control: Vec<MethodOfControl>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CodedAnswer {
    pub indicator: Indicator,
    pub answer: Answer,
    pub source: Source,
    /// Given to an earlier wording of the question whose "yes" could mean the opposite
    /// (`crate::indicators::earlier_wording`): the form says so, and the desk does not take it at
    /// face value. Version 5; absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub earlier_wording: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExploitersPart {
    pub exploiters: Vec<Exploiter>,
    /// Dates, places and acts.
    pub events: Vec<TraffickingEvent>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttachmentPart {
    pub id: AttachmentId,
    /// Its path inside the package: `attachments/<id>`.
    pub file: String,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsentPart {
    pub id: ConsentId,
    pub consent: Consent,
}

impl From<&crate::vault::Stored<Consent>> for ConsentPart {
    fn from(c: &crate::vault::Stored<Consent>) -> ConsentPart {
        ConsentPart {
            id: c.id,
            consent: c.record.clone(),
        }
    }
}

/// What the gate let through for one package: the mode, the groups, and the consents or the
/// notification record it goes under.
pub struct Chosen<'a> {
    pub mode: Mode,
    pub groups: &'a [FieldGroup],
    pub consents: &'a [ConsentPart],
    pub notification: Option<&'a Stored<Notification>>,
}

/// The data for the chosen groups of the case in `view`, sent by `referrer` (whose caseworker is
/// left out of a consultation).
pub fn build(
    view: &CaseView,
    chosen: Chosen<'_>,
    referrer: Referrer,
    language: FormLanguage,
    missing_reason: Option<String>,
) -> Result<ReferralData> {
    let Chosen {
        mode,
        groups,
        consents,
        notification,
    } = chosen;
    let missing_reason = missing_reason.filter(|r| !r.trim().is_empty());
    if let Some(r) = &missing_reason {
        // Free text outside every field group: it goes only where the rule asks for it, or it
        // would carry what no consent covers (an anonymous consultation, a police report).
        if mode != Mode::Referral {
            return Err(Error::invalid(
                "a reason for a missing account or needs goes only with a referral to the Assistance System; leave it out",
            ));
        }
        crate::model::check_text("reason the account or needs are missing", r, 2000)?;
    }
    let today = referrer.date;
    let person = &view.person.record;
    let has = |g: FieldGroup| groups.contains(&g);
    let anonymous = mode == Mode::Consultation;
    let finished = view
        .interviews
        .iter()
        .filter(|i| i.record.status == InterviewStatus::Final);
    let statements = |text: fn(&crate::model::Interview) -> &str,
                      open: &dyn Fn(&crate::model::Interview) -> Vec<OpenAnswer>|
     -> Vec<Statement> {
        finished
            .clone()
            .map(|i| (i, open(&i.record)))
            .filter(|(i, open)| !text(&i.record).trim().is_empty() || !open.is_empty())
            .map(|(i, open_answers)| Statement {
                stage: i.record.stage,
                language: (!anonymous).then(|| i.record.language.clone()),
                interpreter: if anonymous {
                    None
                } else {
                    i.record.interpreter.clone()
                },
                open_answers,
                text: text(&i.record).to_string(),
            })
            .collect()
    };
    let details = &view.case.record.details;
    let mut attachments = Vec::new();
    for g in groups {
        if let FieldGroup::Attachment(id) = g {
            let a = view
                .attachments
                .iter()
                .find(|a| a.id == *id)
                .ok_or_else(|| Error::NotFound {
                    kind: "attachment",
                    id: id.to_string(),
                })?;
            attachments.push(AttachmentPart {
                id: *id,
                file: format!("attachments/{id}"),
                name: a.record.name.clone(),
                media_type: a.record.media_type.clone(),
                size: a.record.size,
                sha256: a.record.sha256.clone(),
                description: a.record.description.clone(),
            });
        }
    }
    let age_group = match person.age_known(today) {
        AgeKnown::Adult => AgeGroup::Adult,
        AgeKnown::Child { .. } => AgeGroup::Child,
        AgeKnown::PossiblyChild | AgeKnown::NotRecorded => AgeGroup::Uncertain,
    };
    let mut data = ReferralData {
        format: DATA_FORMAT.into(),
        version: DATA_VERSION,
        mode,
        language,
        referrer: Referrer {
            caseworker: referrer.caseworker.filter(|_| !anonymous),
            caseworker_contact: referrer.caseworker_contact.filter(|_| !anonymous),
            ..referrer
        },
        urgent: view.urgency.is_some(),
        age_group,
        field_groups: groups.to_vec(),
        case_number: (!anonymous).then(|| view.case.record.number.to_string()),
        identity: has(FieldGroup::Identity).then(|| Identity {
            names: person.names.clone(),
            birth: person.birth,
            age_uncertain: person.age_uncertain,
            gender: person.gender,
            citizenships: person.citizenships.clone(),
        }),
        contact: has(FieldGroup::Contact).then(|| person.safe_contact.clone()),
        status: has(FieldGroup::Status).then(|| StatusPart {
            residence_status: person.residence_status.clone(),
            municipality: person.municipality.clone(),
            migri_client_number: person.migri_client_number.clone(),
            counsel: person.counsel.clone(),
        }),
        languages: has(FieldGroup::Languages).then(|| LanguagesPart {
            languages: person.languages.clone(),
            interpreter_needed: person.interpreter_needed,
        }),
        children: has(FieldGroup::Children).then(|| person.children_in_finland.clone()),
        account: has(FieldGroup::Account).then(|| {
            statements(
                |i| &i.narrative,
                // Not in a consultation: "how did you come here, who arranged it" invites the names
                // and places an anonymous consultation must not carry.
                &|i: &crate::model::Interview| {
                    i.open_answers
                        .iter()
                        .filter(|a| !a.text.trim().is_empty() && !anonymous)
                        .cloned()
                        .collect()
                },
            )
        }),
        observations: has(FieldGroup::Observations)
            .then(|| statements(|i| &i.observations, &|_| Vec::new())),
        indicators: has(FieldGroup::Indicators).then(|| IndicatorsPart {
            answers: finished
                .clone()
                .flat_map(|i| i.record.answers.iter().map(|a| (i.record.question_set, a)))
                .map(|(set, a)| CodedAnswer {
                    indicator: a.indicator,
                    answer: a.answer,
                    source: a.source,
                    earlier_wording: crate::indicators::earlier_wording(set, a.indicator),
                })
                .collect(),
            exploitation_types: details.exploitation_types.clone(),
            methods_of_control: details.methods_of_control.clone(),
        }),
        needs: has(FieldGroup::Needs).then(|| {
            let mut needs = details.needs.clone();
            if anonymous {
                needs.note.clear();
            }
            needs
        }),
        police_status: has(FieldGroup::PoliceStatus).then(|| details.police.clone()),
        health: has(FieldGroup::Health).then(|| details.health.clone()),
        exploiters: has(FieldGroup::Exploiters).then(|| ExploitersPart {
            exploiters: details.exploiters.clone(),
            events: details.events.clone(),
        }),
        attachments,
        consents: consents.to_vec(),
        missing_reason: None,
        notification: notification.map(|n| NotificationPart {
            id: n.id,
            kind: n.record.kind,
            ground: n.record.ground,
            legal_basis: n.record.legal_basis(),
            date: n.record.date,
            made_by: n.record.made_by.clone(),
            concern: n.record.what_was_told.clone(),
        }),
    }
    .with_reason(missing_reason);
    data.version = data.version_needed();
    Ok(data)
}
