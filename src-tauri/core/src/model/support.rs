//! Support given to the person: accommodation, health care, legal aid and the rest.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check_text_opt;
use super::codes::SupportPlanType;
use crate::error::Result;
use crate::ids::SupportActionId;
use crate::vault::Record;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SupportAction {
    pub kind: SupportKind,
    /// The HTCDS support-plan type it belongs to, for statistics.
    #[serde(default)]
    pub plan_type: Option<SupportPlanType>,
    pub date: NaiveDate,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    Accommodation,
    HealthCare,
    LegalAid,
    Interpretation,
    PsychologicalSupport,
    FinancialHelp,
    SafeReturn,
    Other,
}

impl Record for SupportAction {
    const KIND: &'static str = "support_action";
    type Id = SupportActionId;
}

impl SupportAction {
    pub fn validate(&self) -> Result<()> {
        check_text_opt("provider", self.provider.as_deref(), 200)
    }
}
