//! Free-text notes on a case.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::NoteId;
use crate::vault::Record;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub text: String,
}

impl Record for Note {
    const KIND: &'static str = "note";
    type Id = NoteId;
}

impl Note {
    pub fn validate(&self) -> Result<()> {
        if self.text.trim().is_empty() {
            return Err(Error::invalid("a note cannot be empty"));
        }
        Ok(())
    }
}
