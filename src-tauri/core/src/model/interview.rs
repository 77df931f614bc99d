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

/// The ILO's 11 indicators of forced labour, and indicators of sexual exploitation, forced begging,
/// forced criminality and domestic servitude. Questions and suggested codes come with the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    AbuseOfVulnerability,
    Deception,
    RestrictionOfMovement,
    Isolation,
    PhysicalAndSexualViolence,
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
}

impl Record for Interview {
    const KIND: &'static str = "interview";
    type Id = InterviewId;
}

impl Interview {
    pub fn validate(&self) -> Result<()> {
        check_text_opt("interpreter", self.interpreter.as_deref(), 200)
    }
}
