//! The words a person reads for a value: every code Silta stores (HTCDS names, our own enums,
//! ISO country and language codes) in Finnish, Swedish and English. A form, a preview, an access
//! export or a screen shows these, never the code. The app gets the same words through the
//! generated `ui/src/lib/bindings/words.ts`, so each text is written once, here.

mod cldr;
mod labels;
mod names;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::LanguageCode;

pub use labels::{Words, every_word};
pub use names::{Named, Names, country, language, names};

/// The languages Silta speaks: its screens, and the forms and previews it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum FormLanguage {
    Fi,
    Sv,
    En,
}

impl FormLanguage {
    pub const ALL: [FormLanguage; 3] = [FormLanguage::Fi, FormLanguage::Sv, FormLanguage::En];

    /// The person's interview language if the form has it, otherwise `fallback`.
    pub fn for_interview(language: Option<&LanguageCode>, fallback: FormLanguage) -> Self {
        match language.map(LanguageCode::as_str) {
            Some("fi") => FormLanguage::Fi,
            Some("sv") => FormLanguage::Sv,
            Some("en") => FormLanguage::En,
            _ => fallback,
        }
    }

    /// "fi", "sv" or "en".
    pub fn code(self) -> &'static str {
        match self {
            FormLanguage::Fi => "fi",
            FormLanguage::Sv => "sv",
            FormLanguage::En => "en",
        }
    }

    /// Picks this language's text from a (Finnish, Swedish, English) triple.
    pub fn pick<T>(self, [fi, sv, en]: [T; 3]) -> T {
        match self {
            FormLanguage::Fi => fi,
            FormLanguage::Sv => sv,
            FormLanguage::En => en,
        }
    }
}

impl std::str::FromStr for FormLanguage {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fi" => Ok(FormLanguage::Fi),
            "sv" => Ok(FormLanguage::Sv),
            "en" => Ok(FormLanguage::En),
            _ => Err(Error::invalid(format!(
                "{s:?}: the form comes in fi, sv or en"
            ))),
        }
    }
}
