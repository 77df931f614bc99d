//! An attachment's details. Its content lives in sealed chunks (see `vault::attachments`).

use serde::{Deserialize, Serialize};

use super::check_text;
use crate::error::Result;
use crate::ids::AttachmentId;
use crate::vault::Record;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The file name as it was added (shown, never used as a path).
    pub name: String,
    pub media_type: String,
    #[serde(default)]
    pub description: String,
    /// Set by the vault when the content is stored.
    #[serde(default)]
    pub size: u64,
    /// Lower-case hex SHA-256 of the content; set by the vault.
    #[serde(default)]
    pub sha256: String,
    /// Number of sealed chunks; set by the vault.
    #[serde(default)]
    pub chunks: u32,
}

impl Record for Attachment {
    const KIND: &'static str = "attachment";
    type Id = AttachmentId;
}

impl Attachment {
    pub fn new(name: &str, media_type: &str) -> Attachment {
        Attachment {
            name: name.to_string(),
            media_type: media_type.to_string(),
            description: String::new(),
            size: 0,
            sha256: String::new(),
            chunks: 0,
        }
    }

    pub fn validate(&self) -> Result<()> {
        check_text("file name", &self.name, 255)?;
        check_text("media type", &self.media_type, 255)
    }
}
