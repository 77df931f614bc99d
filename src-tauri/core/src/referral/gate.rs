//! Which field groups a package may carry: consent decides. A referral or police report carries
//! only groups covered by a consent in force, of this case, for this recipient and purpose; an
//! anonymous consultation carries nothing that identifies the person and needs no consent.

use chrono::NaiveDate;

use super::Mode;
use crate::cases::CaseView;
use crate::consents::FINLAND;
use crate::error::{Error, Result};
use crate::ids::{NotificationId, RecordId};
use crate::model::{Consent, FieldGroup, Notification, NotificationKind, Purpose};
use crate::recipients::{Recipient, RecipientKind, same_name};
use crate::vault::Stored;

/// What a consultation may contain. Free text only when the caseworker confirms it names no one.
const CONSULTATION: [FieldGroup; 4] = [
    FieldGroup::Indicators,
    FieldGroup::Needs,
    FieldGroup::Account,
    FieldGroup::Observations,
];

/// The groups a package will carry and the consents that allow them.
#[derive(Debug)]
pub struct Chosen {
    pub groups: Vec<FieldGroup>,
    pub consents: Vec<Stored<Consent>>,
}

pub fn group_name(group: &FieldGroup) -> String {
    match group {
        FieldGroup::Attachment(id) => format!("attachment:{id}"),
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v.as_str().map(|s| s.replace('_', "-")))
            .unwrap_or_default(),
    }
}

fn names(groups: &[FieldGroup]) -> String {
    groups.iter().map(group_name).collect::<Vec<_>>().join(", ")
}

/// What a notification without consent carries besides its concern: who the child is and how
/// to reach them safely, nothing more (lastensuojelulaki 25 §: the notifier tells what it knows
/// of the child's need; the issue: identity, contact safety and the concern only).
const NOTIFICATION: [FieldGroup; 2] = [FieldGroup::Identity, FieldGroup::Contact];

fn check_mode(mode: Mode, recipient: &Recipient) -> Result<()> {
    match (mode, recipient.kind) {
        (Mode::Report, RecipientKind::Police) => Ok(()),
        (Mode::Report, _) => Err(Error::invalid(format!(
            "a police report goes to a police recipient, and {} is not one",
            recipient.name
        ))),
        (Mode::Referral, RecipientKind::Police) => Err(Error::invalid(format!(
            "{} is the police: send a police report (mode report) under a police-report consent",
            recipient.name
        ))),
        _ => Ok(()),
    }
}

fn consultation(asked: Option<&[FieldGroup]>, names_no_one: bool) -> Result<Vec<FieldGroup>> {
    let free_text = |g: &FieldGroup| matches!(g, FieldGroup::Account | FieldGroup::Observations);
    let Some(asked) = asked else {
        return Ok(CONSULTATION
            .into_iter()
            .filter(|g| names_no_one || !free_text(g))
            .collect());
    };
    for g in asked {
        if !CONSULTATION.contains(g) {
            return Err(Error::invalid(format!(
                "an anonymous consultation cannot contain {}: it could identify the person",
                group_name(g)
            )));
        }
        if free_text(g) && !names_no_one {
            return Err(Error::invalid(format!(
                "{} is free text: read it and confirm that it names no one before it goes into a consultation",
                group_name(g)
            )));
        }
    }
    Ok(asked.to_vec())
}

/// Chooses the groups for a package of `view`'s case to `recipient`. Without `asked`, every group
/// the consents allow, except attachments (each is chosen by id) and, for the police, health.
pub fn choose(
    view: &CaseView,
    recipient: &Recipient,
    mode: Mode,
    asked: Option<&[FieldGroup]>,
    names_no_one: bool,
    today: NaiveDate,
) -> Result<Chosen> {
    check_mode(mode, recipient)?;
    let purpose = match mode {
        Mode::Consultation => {
            return Ok(Chosen {
                groups: consultation(asked, names_no_one)?,
                consents: Vec::new(),
            });
        }
        Mode::Notification => {
            return Err(Error::invalid(
                "a notification without consent is sent from its record: name the notification",
            ));
        }
        Mode::Referral => Purpose::Referral,
        Mode::Report => Purpose::PoliceReport,
    };
    let purpose_name = match purpose {
        Purpose::PoliceReport => "police report",
        _ => "referral",
    };
    // A consent two laptops wrote differently is not read as consent until a caseworker
    // settles it: one side may be the person's withdrawal, which binds from the moment it is
    // made (GDPR Art. 7(3)). Protects the person where the file's own side is the older word.
    let to_this_recipient = |c: &&Stored<Consent>| {
        c.record.purpose == purpose
            && c.record
                .recipient
                .as_deref()
                .is_some_and(|r| same_name(r, &recipient.name))
    };
    if view
        .consents
        .iter()
        .filter(to_this_recipient)
        .any(|c| view.unsettled.contains(&c.id.uuid()))
    {
        return Err(Error::ConsentUnsettled(recipient.name.clone()));
    }
    let covering: Vec<&Stored<Consent>> = view
        .consents
        .iter()
        .filter(to_this_recipient)
        .filter(|c| c.record.is_valid_on(today))
        .collect();
    // The child rules are checked again as the person is recorded today: a birth date corrected
    // since the consent was given can make a guardian's signature necessary.
    for c in &covering {
        FINLAND.check(&view.person.record, &c.record, today, Some(recipient.kind))?;
    }
    let allowed = |g: &FieldGroup| covering.iter().any(|c| c.record.field_groups.contains(g));
    let groups: Vec<FieldGroup> = match asked {
        Some(asked) => {
            let missing: Vec<FieldGroup> = asked.iter().filter(|g| !allowed(g)).cloned().collect();
            if !missing.is_empty() {
                return Err(Error::ConsentMissing {
                    recipient: recipient.name.clone(),
                    purpose: purpose_name,
                    groups: names(&missing),
                });
            }
            asked.to_vec()
        }
        None => {
            let mut all: Vec<FieldGroup> = Vec::new();
            for c in &covering {
                for g in &c.record.field_groups {
                    let skip = matches!(g, FieldGroup::Attachment(_))
                        || (mode == Mode::Report && *g == FieldGroup::Health);
                    if !skip && !all.contains(g) {
                        all.push(*g);
                    }
                }
            }
            all
        }
    };
    if groups.is_empty() {
        return Err(Error::ConsentMissing {
            recipient: recipient.name.clone(),
            purpose: purpose_name,
            groups: "anything".into(),
        });
    }
    let consents = covering
        .into_iter()
        .filter(|c| c.record.field_groups.iter().any(|g| groups.contains(g)))
        .cloned()
        .collect();
    Ok(Chosen { groups, consents })
}

/// The groups and the record of a notification the Child Welfare Act requires, sent without
/// consent: only about a child (anyone of uncertain age counts), only to the authority of its
/// kind (child welfare (the wellbeing services county's), or the police), and only identity and contact.
pub fn statutory(
    view: &CaseView,
    recipient: &Recipient,
    notification: Option<NotificationId>,
    asked: Option<&[FieldGroup]>,
    today: NaiveDate,
) -> Result<(Chosen, Stored<Notification>)> {
    crate::notifications::check_child(&view.person.record, today)?;
    let id = notification.ok_or_else(|| {
        Error::invalid("record the notification first, then send it: name the notification")
    })?;
    let record = view
        .notifications
        .iter()
        .find(|n| n.id == id)
        .ok_or_else(|| Error::NotFound {
            kind: "notification",
            id: id.to_string(),
        })?;
    let expected = match record.record.kind {
        NotificationKind::ChildWelfare => RecipientKind::ChildWelfare,
        NotificationKind::Police => RecipientKind::Police,
    };
    if recipient.kind != expected {
        return Err(Error::invalid(format!(
            "{} is not the authority this notification is for: a child welfare notification goes to a child welfare recipient, a police notification to the police",
            recipient.name
        )));
    }
    let groups = match asked {
        None => NOTIFICATION.to_vec(),
        Some(asked) => {
            if let Some(g) = asked.iter().find(|g| !NOTIFICATION.contains(g)) {
                return Err(Error::invalid(format!(
                    "a notification without consent carries only identity and contact, not {}: anything more needs the person's consent",
                    group_name(g)
                )));
            }
            asked.to_vec()
        }
    };
    Ok((
        Chosen {
            groups,
            consents: Vec::new(),
        },
        record.clone(),
    ))
}

/// What the wizard offers: every group a package to `recipient` in `mode` may hold, and those
/// ticked at first (the default `choose` takes).
#[derive(Debug, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Offer {
    pub allowed: Vec<FieldGroup>,
    pub preselected: Vec<FieldGroup>,
}

pub fn offer(
    view: &CaseView,
    recipient: &Recipient,
    mode: Mode,
    today: NaiveDate,
) -> Result<Offer> {
    if mode == Mode::Notification {
        return Ok(Offer {
            allowed: NOTIFICATION.to_vec(),
            preselected: NOTIFICATION.to_vec(),
        });
    }
    if mode == Mode::Consultation {
        check_mode(mode, recipient)?;
        return Ok(Offer {
            allowed: CONSULTATION.to_vec(),
            preselected: consultation(None, false)?,
        });
    }
    let preselected = choose(view, recipient, mode, None, false, today)?.groups;
    let mut allowed = preselected.clone();
    for c in &view.consents {
        let chosen = choose(
            view,
            recipient,
            mode,
            Some(&c.record.field_groups),
            false,
            today,
        );
        if let Ok(chosen) = chosen {
            for g in chosen.groups {
                if !allowed.contains(&g) {
                    allowed.push(g);
                }
            }
        }
    }
    Ok(Offer {
        allowed,
        preselected,
    })
}

impl std::str::FromStr for FieldGroup {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        if let Some(id) = s.strip_prefix("attachment:") {
            return Ok(FieldGroup::Attachment(id.parse()?));
        }
        serde_json::from_value(serde_json::Value::String(s.replace('-', "_"))).map_err(|_| {
            Error::invalid(format!(
                "{s:?} is not a field group; use identity, contact, status, languages, children, account, observations, indicators, needs, police-status, health, exploiters or attachment:ID"
            ))
        })
    }
}

/// Parses a comma-separated list of field groups.
pub fn parse_groups(text: &str) -> Result<Vec<FieldGroup>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(str::parse)
        .collect()
}
