//! Tasks and follow-ups with due dates, including the reflection and recovery periods.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check_text;
use crate::error::Result;
use crate::ids::TaskId;
use crate::vault::Record;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub title: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub done: Option<NaiveDate>,
    #[serde(default)]
    pub reminder: Reminder,
    #[serde(default)]
    pub assignee: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reminder {
    #[default]
    General,
    /// The reflection period (at least 30 days, at most 6 months).
    ReflectionPeriodEnds,
    /// The recovery period (at least 30 days).
    RecoveryPeriodEnds,
}

impl Record for Task {
    const KIND: &'static str = "task";
    type Id = TaskId;
}

impl Task {
    pub fn validate(&self) -> Result<()> {
        check_text("task title", &self.title, 500)
    }

    pub fn is_overdue_on(&self, day: NaiveDate) -> bool {
        self.done.is_none() && self.due < day
    }
}
