//! How a receiver reaches whoever sent a package: a phone number and an e-mail address for the
//! organisation and for each staff member, set once and printed in every package's referrer
//! section. The Assistance System phones the referrer about every referral (the official form
//! asks for the referrer's contact details), so a form without a number says so.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::ReferrerContactId;
use crate::model::check_text;
use crate::single::Setting;
use crate::vault::{Record, Vault};

/// A phone number and an e-mail address; either may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactCard {
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

impl ContactCard {
    pub fn is_empty(&self) -> bool {
        self.phone.trim().is_empty() && self.email.trim().is_empty()
    }

    fn check(&self) -> Result<()> {
        let phone = self.phone.trim();
        if !phone.is_empty() {
            check_text("phone number", phone, 40)?;
            if !phone.chars().any(|c| c.is_ascii_digit()) {
                return Err(Error::InvalidInput(
                    crate::error::Invalid::NotAPhoneNumber {
                        phone: phone.to_string(),
                    },
                ));
            }
        }
        let email = self.email.trim();
        if !email.is_empty() {
            check_text("e-mail address", email, 200)?;
            if !email.contains('@') || email.contains(char::is_whitespace) {
                return Err(Error::InvalidInput(crate::error::Invalid::NotAnEmail {
                    email: email.to_string(),
                }));
            }
        }
        Ok(())
    }
}

/// Whose contact: the organisation's, or one staff member's (by their user name in the vault).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who<'a> {
    Organisation,
    Staff(&'a str),
}

/// The sealed record: one per organisation and staff member who set theirs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferrerContact {
    /// The staff member's user name; absent for the organisation.
    #[serde(default)]
    pub(crate) staff: Option<String>,
    pub(crate) card: ContactCard,
}

impl Record for ReferrerContact {
    const KIND: &'static str = "referrer_contact";
    type Id = ReferrerContactId;
}

fn owner(who: Who<'_>) -> Option<String> {
    match who {
        Who::Organisation => None,
        Who::Staff(user) => Some(user.to_string()),
    }
}

/// Sets the organisation's or a staff member's contact, replacing what was set before.
pub fn set(vault: &Vault, who: Who<'_>, card: &ContactCard) -> Result<()> {
    card.check()?;
    let record = ReferrerContact {
        staff: owner(who),
        card: ContactCard {
            phone: card.phone.trim().to_string(),
            email: card.email.trim().to_string(),
        },
    };
    vault.write(|v| Setting::set(v, &record).map(|_| ()))
}

/// The organisation's or a staff member's contact; empty when none was set.
pub fn get(vault: &Vault, who: Who<'_>) -> Result<ContactCard> {
    Ok(
        Setting::<ReferrerContact>::of(vault, owner(who).as_deref())?
            .in_force
            .map(|c| c.record.card)
            .unwrap_or_default(),
    )
}

/// The organisation's contact and that of the staff member who unlocked the vault.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Contacts {
    pub organisation: ContactCard,
    pub mine: ContactCard,
}

/// Both from one listing: every package made reads them.
pub fn ours(vault: &Vault) -> Result<Contacts> {
    let card = |s: Setting<ReferrerContact>| s.in_force.map(|c| c.record.card).unwrap_or_default();
    let [organisation, mine] = Setting::of_each(vault, [None, Some(vault.user())])?;
    Ok(Contacts {
        organisation: card(organisation),
        mine: card(mine),
    })
}
