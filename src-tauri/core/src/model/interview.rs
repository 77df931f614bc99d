//! An intake interview: a short screening first, an extended interview later. Indicators support
//! the caseworker's judgement; nothing here scores or decides.

use serde::{Deserialize, Serialize};

use super::{LanguageCode, check_text_opt};
use crate::error::Result;
use crate::ids::InterviewId;
use crate::vault::Record;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Interview {
    pub stage: InterviewStage,
    pub language: LanguageCode,
    #[serde(default)]
    pub interpreter: Option<String>,
    #[serde(default)]
    pub answers: Vec<IndicatorAnswer>,
    /// The person's own account, in their words.
    #[serde(default)]
    pub narrative: String,
    /// The caseworker's own observations, kept apart from the person's account.
    #[serde(default)]
    pub observations: String,
    pub status: InterviewStatus,
    /// The caseworker read or had interpreted the opening: that any question may be skipped and
    /// the interview stopped, what the interpreter does, and what stays confidential and what
    /// does not (the notification duties of lastensuojelulaki 25 § and rikoslaki 15:10).
    #[serde(default)]
    pub opening_given: bool,
    /// Answers to the open questions the screening starts with, in the person's words.
    #[serde(default)]
    pub open_answers: Vec<OpenAnswer>,
    /// The form-specific families the open part pointed to, or the caseworker opened: only their
    /// questions are asked, so no one is asked about selling sex or begging out of the blue.
    #[serde(default)]
    pub explore: Vec<IndicatorGroup>,
    /// The questions the answers were given to (`crate::indicators::QUESTION_SET`): 1 for
    /// interviews saved before the set of 2026-11, where some questions' natural "yes" meant the
    /// sign was absent, so their answers cannot be taken at face value.
    #[serde(default = "first_question_set")]
    pub question_set: u32,
}

fn first_question_set() -> u32 {
    1
}

/// The family an indicator belongs to, for grouping on screen and for choosing what to ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IndicatorGroup {
    /// The ILO's 11 indicators of forced labour, asked of everyone.
    ForcedLabour,
    SexualExploitation,
    ForcedBegging,
    ForcedCrime,
    DomesticServitude,
    ForcedMarriage,
    /// Asked when the person is or may be a child.
    Children,
}

/// The open questions a screening starts with (UNODC's and the Assistance System's advice: let
/// the person tell in their own words before anything specific is asked).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OpenQuestion {
    Situation,
    Journey,
    Now,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenAnswer {
    pub question: OpenQuestion,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InterviewStage {
    Screening,
    Extended,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InterviewStatus {
    Draft,
    Final,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorAnswer {
    pub indicator: Indicator,
    pub answer: Answer,
    pub source: Source,
    #[serde(default)]
    pub context: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Unclear,
    /// Asked, and the person did not want to answer: recorded apart from "not discussed".
    Declined,
    NotDiscussed,
}

/// Whether the person said it or the caseworker saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    SelfReported,
    Observed,
}

/// The ILO's 11 indicators of forced labour (violence and threats each asked as separate
/// questions, so each suggests one code), and indicators of sexual exploitation, forced begging,
/// forced criminality, domestic servitude, forced marriage and of a child's situation. Questions
/// and suggested codes come with the app (`crate::indicators`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    AbuseOfVulnerability,
    Deception,
    RestrictionOfMovement,
    Isolation,
    DidNotKnowWhereabouts,
    PhysicalViolence,
    SexualViolence,
    ThreatsOfViolence,
    ThreatsAgainstFamily,
    ThreatsWithAuthorities,
    /// Asked until 2026-11 as one question; kept so older interviews and packages read.
    PhysicalAndSexualViolence,
    /// Asked until 2026-11 as one question; kept so older interviews and packages read.
    IntimidationAndThreats,
    RetentionOfIdentityDocuments,
    WithholdingOfWages,
    DebtBondage,
    AbusiveWorkingAndLivingConditions,
    ExcessiveOvertime,
    SexualServicesUnderControl,
    EarningsFromSexTaken,
    AdvertisedByOthers,
    BeggingUnderControl,
    BeggingEarningsTaken,
    CrimesUnderCoercion,
    CrimeEarningsTaken,
    DomesticWorkWithoutFreedom,
    DomesticWorkWithoutPay,
    MarriageWithoutConsent,
    MarriedAsChild,
    MarriageForPayment,
    CannotLeaveMarriage,
    ExploitedInMarriage,
    ChildWithoutCarer,
    ChildKeptFromSchool,
    ChildWorkUnsuitable,
    ChildTravelledWithStrangers,
}

impl Record for Interview {
    const KIND: &'static str = "interview";
    type Id = InterviewId;
}

impl Interview {
    /// A draft with nothing asked yet.
    pub fn new(stage: InterviewStage, language: LanguageCode, interpreter: Option<String>) -> Self {
        Interview {
            stage,
            language,
            interpreter,
            answers: Vec::new(),
            narrative: String::new(),
            observations: String::new(),
            status: InterviewStatus::Draft,
            opening_given: false,
            open_answers: Vec::new(),
            explore: Vec::new(),
            question_set: crate::indicators::QUESTION_SET,
        }
    }

    pub fn validate(&self) -> Result<()> {
        check_text_opt("interpreter", self.interpreter.as_deref(), 200)?;
        for (i, a) in self.open_answers.iter().enumerate() {
            check_text_opt("answer to an open question", Some(&a.text), 20_000)?;
            if self.open_answers[..i]
                .iter()
                .any(|b| b.question == a.question)
            {
                return Err(crate::error::Error::invalid(
                    "an open question is answered twice; keep one answer to each",
                ));
            }
        }
        Ok(())
    }
}
