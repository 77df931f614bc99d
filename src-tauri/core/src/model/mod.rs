//! The records a caseworker keeps. Each is a plain serde type; the vault seals and versions it.

mod attachment;
mod case;
pub mod codes;
mod consent;
mod interview;
mod note;
mod notification;
mod person;
mod support;
mod task;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use attachment::Attachment;
pub use case::{
    Case, CaseDetails, CaseNumber, Exploiter, ImmediateNeeds, PoliceStatus, ReferralSource,
    TraffickingEvent, UrgencyOverride, UrgentBecause,
};
pub use consent::{
    Consent, ConsentState, FieldGroup, GivenBy, InformationShown, NoGuardianReason,
    NoRepresentative, Purpose, Representative, RepresentativeRole, Withdrawal,
};
pub use interview::{
    Answer, Indicator, IndicatorAnswer, IndicatorGroup, Interview, InterviewStage, InterviewStatus,
    OpenAnswer, OpenQuestion, Source,
};
pub use note::Note;
pub use notification::{LegalBasis, Notification, NotificationKind, PoliceGround};
pub use person::{
    AgeKnown, Birth, Child, ContactMethod, CouldBeMinor, Counsel, LanguageSkill, NameKind, Person,
    PersonName, Proficiency, ResidenceKind, ResidenceStatus, SafeContact,
};
pub use support::{SupportAction, SupportKind};
pub use task::{Reminder, Task};

use crate::error::{Error, Result};

/// An ISO 3166-1 alpha-2 country code, checked against the standard's list.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct CountryCode(String);

impl CountryCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The English short name, for search ("thailand" finds TH).
    pub fn english_name(&self) -> &'static str {
        rust_iso3166::from_alpha2(&self.0).map_or("", |c| c.name)
    }
}

impl FromStr for CountryCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let code = s.trim().to_ascii_uppercase();
        match rust_iso3166::from_alpha2(&code) {
            Some(_) => Ok(CountryCode(code)),
            None => Err(Error::invalid(format!(
                "{s:?} is not an ISO 3166 country code (two letters, like FI, RO or NG)"
            ))),
        }
    }
}

impl TryFrom<String> for CountryCode {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A language as an ISO 639 code (two or three lower-case letters: fi, sv, en, ro, tha).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for LanguageCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let code = s.trim().to_ascii_lowercase();
        if (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(LanguageCode(code))
        } else {
            Err(Error::invalid(format!(
                "{s:?} is not an ISO 639 language code (like fi, sv, en or ro)"
            )))
        }
    }
}

impl TryFrom<String> for LanguageCode {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<LanguageCode> for String {
    fn from(c: LanguageCode) -> String {
        c.0
    }
}

impl fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A required short text: not blank, not too long, no control characters but line breaks.
pub(crate) fn check_text(field: &str, value: &str, max_chars: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(format!("the {field} is empty")));
    }
    check_text_opt(field, Some(value), max_chars)
}

/// At most `max` entries in a list a form fills in (names, exploiters, places).
pub(crate) fn check_count(what: &str, count: usize, max: usize) -> Result<()> {
    if count > max {
        return Err(Error::invalid(format!(
            "at most {max} {what} are recorded; this has {count}"
        )));
    }
    Ok(())
}

pub(crate) fn check_text_opt(field: &str, value: Option<&str>, max_chars: usize) -> Result<()> {
    let Some(value) = value else { return Ok(()) };
    if value.chars().count() > max_chars {
        return Err(Error::invalid(format!(
            "the {field} is longer than {max_chars} characters"
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Error::invalid(format!(
            "the {field} contains control characters"
        )));
    }
    // Bidirectional overrides and isolates make text display in another order than it is
    // stored: a phone number that shows as one number and dials as another.
    if value
        .chars()
        .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(Error::invalid(format!(
            "the {field} contains characters that reverse how text is shown"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_show_in_another_order_than_it_is_stored_is_refused() {
        assert!(check_text("phone number", "040 123\u{202E}4567", 40).is_err());
        assert!(check_text("phone number", "\u{2067}040 123 4567", 40).is_err());
        assert!(check_text("name", "Aino Mäkinen", 40).is_ok());
    }

    #[test]
    fn country_codes_are_checked_against_iso_3166() {
        assert_eq!("fi".parse::<CountryCode>().unwrap().as_str(), "FI");
        assert_eq!(
            "NG".parse::<CountryCode>().unwrap().english_name(),
            "Nigeria"
        );
        assert!("XX".parse::<CountryCode>().is_err());
        assert!(serde_json::from_str::<CountryCode>("\"QQ\"").is_err());
    }

    #[test]
    fn language_codes_are_two_or_three_letters() {
        assert!("fi".parse::<LanguageCode>().is_ok());
        assert!("tha".parse::<LanguageCode>().is_ok());
        assert!("finnish".parse::<LanguageCode>().is_err());
    }
}
