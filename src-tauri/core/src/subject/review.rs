//! The review before an access export: every item that concerns someone else (an exploiter, a
//! child, counsel, a representative, the organisation that referred the case) or that the
//! organisation wrote itself (observations, notes), every recipient of the person's data and every
//! document, each released or withheld for a reason the caseworker chooses.
//!
//! GDPR Art. 15(4): the copy "shall not adversely affect the rights and freedoms of others"; the
//! Data Protection Act (tietosuojalaki 1050/2018) 34 § lets access be restricted where it would
//! seriously endanger someone's health or rights, or the prevention or investigation of crime. Traffickers are known to
//! make victims ask for their files, so what is written about the exploiters starts withheld for
//! safety, and other people's details for their rights; the person's own records and the list of
//! recipients (Art. 15(1)(c)) start released. The caseworker decides each one.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cases::{CaseHistory, CaseView};
use crate::disclosures::Disclosure;
use crate::error::{Error, Result};

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ItemCategory {
    Exploiter,
    Child,
    Counsel,
    Representative,
    ReferredBy,
    Account,
    Observations,
    Note,
    Consent,
    Notification,
    Recipient,
    Document,
}

/// What is done with an item: released, or withheld for one of the reasons the law allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Release,
    /// GDPR Art. 15(4).
    RightsOfOthers,
    /// Tietosuojalaki 34 § 1 mom. 2 kohta: serious danger to the person's or someone else's
    /// health or rights.
    Safety,
    /// Tietosuojalaki 34 § 1 mom. 1 kohta: the prevention or investigation of crime.
    OngoingInvestigation,
}

/// One item to decide.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewItem {
    /// "exploiter:1", "note:2": by place, so the id says nothing of when it was written.
    pub item: String,
    pub category: ItemCategory,
    /// When it was given, made or sent, for the app to write as its language writes dates.
    pub date: Option<NaiveDate>,
    /// What it is, for the caseworker only: it is never written into the export.
    pub about: String,
    pub default: Choice,
    /// Names, numbers and addresses that tell who or what it is: when it is withheld, none of
    /// them may be left anywhere in the export.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub needles: Vec<String>,
}

/// The items of a case, and a digest of them: decisions made on other items (the case changed
/// since) are refused.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Review {
    pub items: Vec<ReviewItem>,
    pub digest: String,
}

/// The caseworker's decisions, as `silta case export-subject --review FILE` reads them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    /// The review's digest.
    pub reviewed: String,
    pub choices: BTreeMap<String, Choice>,
    /// List in the copy each item withheld, by kind and reason (GDPR Art. 12(4)). Where even
    /// that would tell someone dangerous what the person said (that exploiters were named), the
    /// copy says only that some information was left out and that the person may ask the Data
    /// Protection Ombudsman to look at it (tietosuojalaki 34 § 3 mom.).
    #[serde(default = "yes")]
    pub list_withheld: bool,
}

fn yes() -> bool {
    true
}

/// An item withheld, as the export lists it: what kind of thing, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Withheld {
    pub item: String,
    pub category: ItemCategory,
    pub reason: Choice,
    #[serde(skip)]
    pub needles: Vec<String>,
}

/// Text as compared: lower case, every run of white space one space.
fn folded(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Text with phone numbers as compared: the spaces, dashes, dots and brackets between digits
/// (and a plus before them) taken out, the rest as it was.
fn squeezed(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit_after = |from: usize| {
        chars[from..]
            .iter()
            .find(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '/'))
            .is_some_and(char::is_ascii_digit)
    };
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = out.chars().next_back().is_some_and(|p| p.is_ascii_digit()) && digit_after(i);
        let separator = matches!(c, ' ' | '-' | '(' | ')' | '.' | '/');
        if (separator && between) || (c == '+' && digit_after(i + 1)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether `needle` is in `text` as a whole word, at any place (not inside a longer word: "Ana"
/// is not in "Banana").
fn has_word(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    (0..text.len())
        .filter(|&at| text.is_char_boundary(at) && text[at..].starts_with(needle))
        .any(|at| {
            let before = text[..at].chars().next_back();
            let after = text[at + needle.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
}

/// Every string value in a JSON document (not its keys).
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Refuses an export in which anything that tells a withheld item (a name, a phone number, an
/// address) is still to be found among the values of `json` (everything the copy shows is there;
/// the page adds only fixed wording): repeated in an account, a note, a task or another record,
/// it would be given away. Compared in lower case with white space folded, phone numbers without
/// their spaces and dashes.
pub fn check_nothing_left(withheld: &[Withheld], json: &serde_json::Value) -> Result<()> {
    let mut values = Vec::new();
    strings(json, &mut values);
    let text = folded(&values.join("\n"));
    let numbers = squeezed(&text);
    for w in withheld {
        for needle in &w.needles {
            let found = has_word(&text, &folded(needle))
                || (needle.chars().filter(char::is_ascii_digit).count() >= 6
                    && has_word(&numbers, &squeezed(&folded(needle))));
            if found {
                return Err(Error::InvalidInput(
                    crate::error::Invalid::WithheldElsewhere {
                        text: needle.clone(),
                    },
                ));
            }
        }
    }
    Ok(())
}

fn short(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let mut out: String = line.chars().take(80).collect();
    if line.chars().count() > 80 || text.trim().lines().count() > 1 {
        out.push('…');
    }
    out
}

/// The items of the case in `view`, in the order the export shows them.
pub fn items(view: &CaseView, sent: &[Disclosure]) -> Review {
    let mut items = Vec::new();
    // What the digest binds: every item's whole content, its record's id and version, and the
    // case. The ids are random, so a review file left on a disk confirms no guess of a name.
    let mut bound = Sha256::new();
    bound.update(view.case.id.to_string().as_bytes());
    let mut add = |item: String,
                   category,
                   date: Option<NaiveDate>,
                   about: String,
                   default,
                   needles: Vec<String>,
                   content: String| {
        bound.update(format!("\u{0}{item}\u{0}{content}").as_bytes());
        items.push(ReviewItem {
            item,
            category,
            date,
            about,
            default,
            needles: needles
                .into_iter()
                .map(|n| n.trim().to_string())
                .filter(|n| n.chars().count() >= 2)
                .collect(),
        })
    };
    let details = &view.case.record.details;
    let person = &view.person.record;
    let version = format!("{}:{}", view.case.version, view.person.version);
    for (i, x) in details.exploiters.iter().enumerate() {
        let mut about = x.name.clone();
        if !x.phones.is_empty() {
            about = format!("{about} ({})", x.phones.join(", "));
        }
        let mut needles = vec![x.name.clone()];
        needles.extend(x.phones.iter().cloned());
        needles.extend(x.vehicles.iter().cloned());
        needles.extend(x.addresses.iter().cloned());
        needles.extend(x.websites.iter().cloned());
        add(
            format!("exploiter:{}", i + 1),
            ItemCategory::Exploiter,
            None,
            about,
            Choice::Safety,
            needles,
            format!("{version}{}", json(x)),
        );
    }
    for (i, c) in person.children_in_finland.iter().enumerate() {
        add(
            format!("child:{}", i + 1),
            ItemCategory::Child,
            None,
            c.name.clone(),
            Choice::RightsOfOthers,
            vec![c.name.clone()],
            format!("{version}{}", json(c)),
        );
    }
    if let Some(c) = &person.counsel {
        add(
            "counsel".into(),
            ItemCategory::Counsel,
            None,
            c.name.clone(),
            Choice::RightsOfOthers,
            vec![c.name.clone(), c.contact.clone()],
            format!("{version}{}", json(c)),
        );
    }
    for (i, (c, r)) in view
        .consents
        .iter()
        .filter_map(|c| c.record.representative.as_ref().map(|r| (c, r)))
        .enumerate()
    {
        add(
            format!("representative:{}", i + 1),
            ItemCategory::Representative,
            None,
            r.name.clone(),
            Choice::RightsOfOthers,
            vec![r.name.clone()],
            format!("{}:{}{}", c.id, c.version, json(r)),
        );
    }
    if let Some(r) = &details.referred_by {
        let mut needles = vec![r.organisation.clone()];
        if let Some(card) = &r.callback {
            needles.extend([card.phone.clone(), card.email.clone()]);
        }
        add(
            "referred-by".into(),
            ItemCategory::ReferredBy,
            None,
            r.organisation.clone(),
            Choice::RightsOfOthers,
            needles,
            format!("{version}{}", json(r)),
        );
    }
    let told = |i: &crate::model::Interview| {
        !i.narrative.trim().is_empty()
            || i.open_answers.iter().any(|a| !a.text.trim().is_empty())
            || i.answers.iter().any(|a| !a.context.trim().is_empty())
    };
    for (i, interview) in view
        .interviews
        .iter()
        .filter(|i| told(&i.record))
        .enumerate()
    {
        let r = &interview.record;
        add(
            format!("account:{}", i + 1),
            ItemCategory::Account,
            None,
            short(&r.narrative),
            Choice::Release,
            Vec::new(),
            format!("{}:{}{}", interview.id, interview.version, json(r)),
        );
    }
    for (i, interview) in view
        .interviews
        .iter()
        .filter(|i| !i.record.observations.trim().is_empty())
        .enumerate()
    {
        add(
            format!("observations:{}", i + 1),
            ItemCategory::Observations,
            None,
            short(&interview.record.observations),
            Choice::Release,
            Vec::new(),
            format!(
                "{}:{}{}",
                interview.id,
                interview.version,
                json(&interview.record)
            ),
        );
    }
    for (i, n) in view.notes.iter().enumerate() {
        add(
            format!("note:{}", i + 1),
            ItemCategory::Note,
            None,
            short(&n.record.text),
            Choice::Release,
            Vec::new(),
            format!("{}:{}{}", n.id, n.version, json(&n.record)),
        );
    }
    // A consent that records a suspicion of the guardian starts withheld: a child's guardian
    // may be the one asking for the copy. So do the scanned form it points at and the packages
    // sent under it.
    let suspected: Vec<_> = view
        .consents
        .iter()
        .filter(|c| suspects(&c.record))
        .collect();
    let suspected_forms: Vec<_> = suspected
        .iter()
        .filter_map(|c| c.record.signed_form)
        .collect();
    let suspected_ids: Vec<_> = suspected.iter().map(|c| c.id).collect();
    for (i, c) in view.consents.iter().enumerate() {
        let r = &c.record;
        add(
            format!("consent:{}", i + 1),
            ItemCategory::Consent,
            Some(r.date),
            r.recipient.clone().unwrap_or_default(),
            if suspects(r) {
                Choice::Safety
            } else {
                Choice::Release
            },
            Vec::new(),
            format!("{}:{}{}", c.id, c.version, json(r)),
        );
    }
    for (i, n) in view.notifications.iter().enumerate() {
        let r = &n.record;
        add(
            format!("notification:{}", i + 1),
            ItemCategory::Notification,
            Some(r.date),
            r.authority.clone(),
            // Made to an authority about a child in danger, often about the family.
            Choice::Safety,
            Vec::new(),
            format!("{}:{}{}", n.id, n.version, json(r)),
        );
    }
    for (i, d) in sent.iter().enumerate() {
        // A package that carried a notification, or went under a consent that suspects the
        // guardian, tells what they do.
        let telling = d.notification.is_some()
            || d.legal_basis.is_some()
            || d.consents.iter().any(|c| suspected_ids.contains(c));
        add(
            format!("recipient:{}", i + 1),
            ItemCategory::Recipient,
            Some(d.sent_at.date_naive()),
            d.recipient.clone(),
            if telling {
                Choice::Safety
            } else {
                Choice::Release
            },
            vec![d.recipient.clone()],
            json(d),
        );
    }
    for (i, a) in view.attachments.iter().enumerate() {
        add(
            format!("document:{}", i + 1),
            ItemCategory::Document,
            None,
            a.record.name.clone(),
            if suspected_forms.contains(&a.id) {
                Choice::Safety
            } else {
                Choice::Release
            },
            vec![a.record.name.clone()],
            format!("{}:{}{}", a.id, a.version, json(&a.record)),
        );
    }
    Review {
        items,
        digest: hex::encode(bound.finalize()),
    }
}

/// Whether a consent records that the guardian is suspected (as the form warns:
/// `referral::form`).
fn suspects(c: &crate::model::Consent) -> bool {
    c.guardian_suspected
        || c.no_representative
            .is_some_and(|n| n.reason == crate::model::NoGuardianReason::GuardianSuspected)
}

/// A record's whole content, for the digest.
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Review {
    /// The defaults, for a caseworker to change (`silta case subject-review --json`).
    pub fn defaults(&self) -> Decisions {
        Decisions {
            reviewed: self.digest.clone(),
            choices: self
                .items
                .iter()
                .map(|i| (i.item.clone(), i.default))
                .collect(),
            list_withheld: true,
        }
    }

    /// Each item's choice, once every item has one and the case is as it was reviewed.
    pub fn decide(&self, decisions: &Decisions) -> Result<BTreeMap<String, Choice>> {
        if decisions.reviewed != self.digest {
            return Err(Error::InvalidInput(crate::error::Invalid::ReviewOutdated));
        }
        let mut out = BTreeMap::new();
        for i in &self.items {
            let choice = decisions.choices.get(&i.item).ok_or_else(|| {
                Error::invalid(format!(
                    "{} is not decided: release it or withhold it (rights_of_others, safety, ongoing_investigation)",
                    i.item
                ))
            })?;
            out.insert(i.item.clone(), *choice);
        }
        if let Some(extra) = decisions.choices.keys().find(|k| !out.contains_key(*k)) {
            return Err(Error::invalid(format!(
                "{extra} is not an item of this case: review it again"
            )));
        }
        Ok(out)
    }
}

/// Applies `choices` (from `Review::decide`) to the case, its history and its recipients, so that
/// nothing withheld is left in them; returns what was withheld.
///
/// Earlier versions keep only what the current one releases: an exploiter, a child or counsel
/// in an earlier version is kept only if the same one is released now, so an edit (a phone
/// number changed since) cannot bring a withheld one back.
pub fn apply(
    choices: &BTreeMap<String, Choice>,
    view: &mut CaseView,
    history: &mut CaseHistory,
    sent: &mut Vec<Disclosure>,
) -> Vec<Withheld> {
    let review = items(view, sent);
    let withheld: Vec<Withheld> = review
        .items
        .iter()
        .filter_map(|i| {
            match choices.get(&i.item) {
                Some(Choice::Release) => None,
                Some(reason) => Some(*reason),
                // Never reached through `Review::decide`; withheld rather than guessed.
                None => Some(Choice::RightsOfOthers),
            }
            .map(|reason| Withheld {
                item: i.item.clone(),
                category: i.category,
                reason,
                needles: i.needles.clone(),
            })
        })
        .collect();
    let out = |item: String| withheld.iter().any(|w| w.item == item);

    let details = &mut view.case.record.details;
    let mut n = 0;
    details.exploiters.retain(|_| {
        n += 1;
        !out(format!("exploiter:{n}"))
    });
    if out("referred-by".into()) {
        details.referred_by = None;
    }
    let person = &mut view.person.record;
    let mut n = 0;
    person.children_in_finland.retain(|_| {
        n += 1;
        !out(format!("child:{n}"))
    });
    if out("counsel".into()) {
        person.counsel = None;
    }
    let mut n = 0;
    for c in &mut view.consents {
        if let Some(r) = &mut c.record.representative {
            n += 1;
            if out(format!("representative:{n}")) {
                r.name = String::new();
            }
        }
        if c.record
            .representative
            .as_ref()
            .is_some_and(|r| r.name.is_empty())
        {
            // The role alone ("guardian") would say whose name was left out.
            c.record.representative = None;
        }
    }
    let mut n = 0;
    for i in &mut view.interviews {
        let r = &mut i.record;
        let told = !r.narrative.trim().is_empty()
            || r.open_answers.iter().any(|a| !a.text.trim().is_empty())
            || r.answers.iter().any(|a| !a.context.trim().is_empty());
        if told {
            n += 1;
            if out(format!("account:{n}")) {
                r.narrative = String::new();
                r.open_answers.clear();
                for a in &mut r.answers {
                    a.context = String::new();
                }
            }
        }
    }
    let mut n = 0;
    for i in &mut view.interviews {
        if !i.record.observations.trim().is_empty() {
            n += 1;
            if out(format!("observations:{n}")) {
                i.record.observations = String::new();
            }
        }
    }
    let mut n = 0;
    view.notes.retain(|_| {
        n += 1;
        !out(format!("note:{n}"))
    });
    let mut n = 0;
    let mut gone = Vec::new();
    view.consents.retain(|c| {
        n += 1;
        let keep = !out(format!("consent:{n}"));
        if !keep {
            gone.push(c.id);
        }
        keep
    });
    view.consent_states.retain(|id, _| !gone.contains(id));
    let mut n = 0;
    view.notifications.retain(|_| {
        n += 1;
        !out(format!("notification:{n}"))
    });
    // Which notifications are due says what the child's situation is thought to be.
    view.notifications_due.clear();
    let mut n = 0;
    sent.retain(|_| {
        n += 1;
        !out(format!("recipient:{n}"))
    });
    // What the packages released point at, when it was withheld, goes from them.
    let documents: Vec<_> = view.attachments.iter().map(|a| a.id).collect();
    let mut n = 0;
    view.attachments.retain(|_| {
        n += 1;
        !out(format!("document:{n}"))
    });
    let kept: Vec<_> = view.attachments.iter().map(|a| a.id).collect();
    let consents: Vec<_> = view.consents.iter().map(|c| c.id).collect();
    for d in sent.iter_mut() {
        d.consents.retain(|c| consents.contains(c));
        d.field_groups.retain(|g| match g {
            crate::model::FieldGroup::Attachment(id) => {
                kept.contains(id) || !documents.contains(id)
            }
            _ => true,
        });
    }
    // The timeline points at every record, the withheld ones too; the export does not need it.
    view.timeline.clear();

    let released = &view.case.record.details;
    for version in &mut history.case {
        let d = &mut version.record.details;
        d.exploiters.retain(|x| released.exploiters.contains(x));
        if d.referred_by != released.referred_by {
            d.referred_by = None;
        }
    }
    let person = &view.person.record;
    for version in &mut history.person {
        let p = &mut version.record;
        p.children_in_finland
            .retain(|c| person.children_in_finland.contains(c));
        if p.counsel != person.counsel {
            p.counsel = None;
        }
    }
    withheld
}
