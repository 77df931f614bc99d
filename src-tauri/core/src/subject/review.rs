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
    Observations,
    Note,
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
    /// What it is, for the caseworker only: it is never written into the export.
    pub about: String,
    pub default: Choice,
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
}

/// An item withheld, as the export lists it: what kind of thing, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Withheld {
    pub item: String,
    pub category: ItemCategory,
    pub reason: Choice,
}

fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let mut out: String = line.chars().take(80).collect();
    if line.chars().count() > 80 || text.trim().lines().count() > 1 {
        out.push('…');
    }
    out
}

/// The items of the case in `view`, in the order the export shows them.
pub fn items(view: &CaseView, sent: &[Disclosure]) -> Review {
    let mut items = Vec::new();
    let mut add = |item: String, category, about: String, default| {
        items.push(ReviewItem {
            item,
            category,
            about,
            default,
        })
    };
    let details = &view.case.record.details;
    let person = &view.person.record;
    for (i, x) in details.exploiters.iter().enumerate() {
        let mut about = x.name.clone();
        if !x.phones.is_empty() {
            about = format!("{about} ({})", x.phones.join(", "));
        }
        add(
            format!("exploiter:{}", i + 1),
            ItemCategory::Exploiter,
            about,
            Choice::Safety,
        );
    }
    for (i, c) in person.children_in_finland.iter().enumerate() {
        add(
            format!("child:{}", i + 1),
            ItemCategory::Child,
            c.name.clone(),
            Choice::RightsOfOthers,
        );
    }
    if let Some(c) = &person.counsel {
        add(
            "counsel".into(),
            ItemCategory::Counsel,
            c.name.clone(),
            Choice::RightsOfOthers,
        );
    }
    for (i, c) in view
        .consents
        .iter()
        .filter_map(|c| c.record.representative.as_ref())
        .enumerate()
    {
        add(
            format!("representative:{}", i + 1),
            ItemCategory::Representative,
            c.name.clone(),
            Choice::RightsOfOthers,
        );
    }
    if let Some(r) = &details.referred_by {
        add(
            "referred-by".into(),
            ItemCategory::ReferredBy,
            r.organisation.clone(),
            Choice::RightsOfOthers,
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
            short(&interview.record.observations),
            Choice::Release,
        );
    }
    for (i, n) in view.notes.iter().enumerate() {
        add(
            format!("note:{}", i + 1),
            ItemCategory::Note,
            short(&n.record.text),
            Choice::Release,
        );
    }
    for (i, d) in sent.iter().enumerate() {
        add(
            format!("recipient:{}", i + 1),
            ItemCategory::Recipient,
            format!("{} ({})", d.recipient, d.sent_at.format("%Y-%m-%d")),
            Choice::Release,
        );
    }
    for (i, a) in view.attachments.iter().enumerate() {
        add(
            format!("document:{}", i + 1),
            ItemCategory::Document,
            a.record.name.clone(),
            Choice::Release,
        );
    }
    let mut hash = Sha256::new();
    for i in &items {
        hash.update(format!("{}\u{0}{}\u{0}", i.item, i.about).as_bytes());
    }
    Review {
        items,
        digest: hex::encode(hash.finalize()),
    }
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
        }
    }

    /// Each item's choice, once every item has one and the case is as it was reviewed.
    pub fn decide(&self, decisions: &Decisions) -> Result<BTreeMap<String, Choice>> {
        if decisions.reviewed != self.digest {
            return Err(Error::invalid(
                "the case changed after its review (an item was added, removed or edited): review it again",
            ));
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
    sent.retain(|_| {
        n += 1;
        !out(format!("recipient:{n}"))
    });
    let mut n = 0;
    view.attachments.retain(|_| {
        n += 1;
        !out(format!("document:{n}"))
    });
    // The timeline points at every record, the withheld ones too; the export does not need it.
    view.timeline.clear();

    let released = &view.case.record.details;
    for version in &mut history.case {
        let d = &mut version.record.details;
        d.exploiters.retain(|x| released.exploiters.contains(x));
        if released.referred_by.is_none() {
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
