//! Case-level operations: open a numbered case with its person, show a case whole with everything
//! under it, edit it, and list case overviews.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::{CaseId, ConsentId, PersonId, RecordId};
use crate::model::codes::{CaseStatus, ExploitationType};
use crate::model::{
    AgeKnown, Attachment, Case, CaseDetails, CaseNumber, Consent, ConsentState, Interview, Note,
    Notification, Person, Purpose, SupportAction, Task, UrgentBecause,
};
use crate::timeline::{self, TimelineEntry};
use crate::vault::{Damaged, Record, Stored, Vault};

/// What a caseworker gives to open or edit a case. Other keys are ignored, so the output of
/// `case show --json` can be edited and fed back.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseInput {
    pub person: Person,
    /// Left out when opening a case: an active case, opened today by the current user.
    #[serde(default)]
    pub details: Option<CaseDetails>,
}

/// A case with everything recorded under it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseView {
    /// The child rules apply today: under 18, or possibly so.
    pub child: bool,
    /// What is known of the person's age today.
    pub age: AgeKnown,
    /// Why the case is urgent today, if it is.
    pub urgency: Option<UrgentBecause>,
    /// The person withdrew their consent to support: it ended at their wish; reminders stop.
    pub support_ended: Option<crate::consents::Ended>,
    /// The person withdrew their consent to storage: the case waits for review on the
    /// retention screen.
    pub storage_withdrawn: Option<crate::consents::Ended>,
    /// The period the person can be given, from their residence status; none when it does not
    /// say (`followups::period_kind`).
    pub period_kind: Option<crate::model::Reminder>,
    pub case: Stored<Case>,
    pub person: Stored<Person>,
    pub interviews: Vec<Stored<Interview>>,
    pub consents: Vec<Stored<Consent>>,
    pub support_actions: Vec<Stored<SupportAction>>,
    pub tasks: Vec<Stored<Task>>,
    pub notes: Vec<Stored<Note>>,
    pub attachments: Vec<Stored<Attachment>>,
    /// Notifications made under the Child Welfare Act, without consent.
    pub notifications: Vec<Stored<Notification>>,
    /// The notifications a child's case still lacks (`notifications::due`).
    pub notifications_due: Vec<crate::notifications::NotificationDue>,
    /// Each consent's state today (in force, expired, withdrawn...).
    pub consent_states: BTreeMap<ConsentId, ConsentState>,
    /// Everything above but the case and person, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Records of the case (the case itself among them) that two laptops of the team wrote
    /// differently, not settled yet (team sync).
    #[cfg_attr(feature = "ts", ts(type = "Array<string>"))]
    pub unsettled: Vec<uuid::Uuid>,
}

/// Every version of a case's own record and of its person.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseHistory {
    pub case: Vec<Stored<Case>>,
    pub person: Vec<Stored<Person>>,
}

/// What a case list shows, and what search indexes.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseOverview {
    pub id: CaseId,
    pub number: CaseNumber,
    pub name: String,
    pub other_names: Vec<String>,
    pub citizenships: Vec<String>,
    pub status: CaseStatus,
    pub exploitation_types: Vec<ExploitationType>,
    pub caseworker: String,
    pub opened: NaiveDate,
    pub urgent: bool,
    pub demo: bool,
}

fn next_number(vault: &Vault, year: i32) -> Result<CaseNumber> {
    Ok(CaseNumber {
        year,
        serial: crate::audit::next_case_number(vault, year)?,
        series: crate::audit::series_of(vault)?,
    })
}

/// Why a case is urgent on `today`, if it is. A person in immediate danger is urgent first (the
/// official referral form asks about immediate danger before anything else, and the Assistance
/// System asks referrers to phone then). A child's case is urgent, and so is the case of
/// anyone presumed a child (Directive 2011/36/EU, art. 13(2) and 14: a child victim's assistance
/// and protection come without delay; the Assistance System asks referrers to phone about a
/// child at once). The caseworker's override, with its reason, has the last word on age; not on
/// danger: a "not urgent" set earlier must not quietly outweigh a danger ticked since (the
/// caseworker unticks the danger when it has passed).
pub fn urgency(person: &Person, details: &CaseDetails, today: NaiveDate) -> Option<UrgentBecause> {
    match &details.urgency_override {
        Some(o) if o.urgent => Some(UrgentBecause::MarkedByCaseworker),
        _ if details.needs.danger => Some(UrgentBecause::InDanger),
        Some(_) => None,
        None => match person.age_known(today) {
            AgeKnown::Child { .. } => Some(UrgentBecause::Child),
            AgeKnown::PossiblyChild => Some(UrgentBecause::PossiblyChild),
            AgeKnown::Adult | AgeKnown::NotRecorded => None,
        },
    }
}

/// A case a caseworker opens (the app's form, `silta case new`): what Silta owns is not taken
/// from the input, which a tampered window could fill in: it came from no other organisation, is
/// no training case, has no legal hold (that has its own logged path) and opens today.
pub fn open_new(vault: &Vault, mut input: CaseInput, today: NaiveDate) -> Result<CaseView> {
    let fresh = CaseDetails::new(vault.user(), today);
    input.details = input.details.map(|d| d.owned_as(&fresh));
    open_case(vault, input, today)
}

/// Opens a new case for `input.person`, numbered in the year it opens; urgent as `urgency` says.
/// The details are taken as given: for the desk's import and the training data, which set where
/// a case came from and the training mark (`open_new` is the caseworker's way in).
pub fn open_case(vault: &Vault, input: CaseInput, today: NaiveDate) -> Result<CaseView> {
    input.person.validate()?;
    input.person.check_birth(today)?;
    let mut details = input
        .details
        .unwrap_or_else(|| CaseDetails::new(vault.user(), today));
    details.validate()?;
    details.urgent = urgency(&input.person, &details, today).is_some();
    let id = vault.write(|v| {
        let number = next_number(v, details.opened.year())?;
        let id = CaseId::new();
        let person = v.insert(Some(id), &input.person)?;
        let case = Case {
            number,
            person: person.id,
            details: details.clone(),
        };
        v.insert_with_id(id, None, &case)?;
        Ok(id)
    })?;
    view(vault, id, today)
}

/// A case and everything under it, as of `today`.
pub fn view(vault: &Vault, id: CaseId, today: NaiveDate) -> Result<CaseView> {
    let case = vault.get::<Case>(id)?;
    let person = vault.get::<Person>(case.record.person)?;
    let consents: Vec<Stored<Consent>> = vault.list(Some(id))?;
    let interviews: Vec<Stored<Interview>> = vault.list(Some(id))?;
    let notifications: Vec<Stored<Notification>> = vault.list(Some(id))?;
    let mut view = CaseView {
        notifications_due: crate::notifications::due(
            &person.record,
            &case.record.details,
            &interviews,
            &notifications,
            today,
        ),
        notifications,
        child: person.record.treated_as_child(today),
        age: person.record.age_known(today),
        urgency: urgency(&person.record, &case.record.details, today),
        support_ended: crate::consents::ended(&consents, Purpose::Support, today),
        storage_withdrawn: crate::consents::ended(&consents, Purpose::Storage, today),
        period_kind: crate::followups::period_kind(&person.record),
        interviews,
        consent_states: consents
            .iter()
            .map(|c| (c.id, c.record.state_on(today)))
            .collect(),
        consents,
        support_actions: vault.list(Some(id))?,
        tasks: vault.list(Some(id))?,
        notes: vault.list(Some(id))?,
        attachments: vault.list(Some(id))?,
        timeline: Vec::new(),
        unsettled: crate::sync::conflicts_of(vault, id)?,
        case,
        person,
    };
    view.timeline = timeline::of_case(&view);
    Ok(view)
}

/// Saves what changed: a new version of the person and/or the case details; nothing if neither.
pub fn edit(vault: &Vault, id: CaseId, input: CaseInput, today: NaiveDate) -> Result<CaseView> {
    input.person.validate()?;
    input.person.check_birth(today)?;
    let mut details = input
        .details
        .ok_or_else(|| Error::invalid("the case's details are missing"))?;
    details.date_closing(today);
    details.check_dates(today)?;
    vault.write(|v| {
        let case = v.get::<Case>(id)?;
        let person = v.get::<Person>(case.record.person)?;
        let mut details = details.clone().owned_as(&case.record.details);
        details.validate()?;
        if person.record != input.person {
            v.update(&person, &input.person)?;
        }
        details.urgent = urgency(&input.person, &details, today).is_some();
        if case.record.details != details {
            let updated = Case {
                details,
                ..case.record.clone()
            };
            v.update(&case, &updated)?;
        }
        Ok(())
    })?;
    view(vault, id, today)
}

pub fn history(vault: &Vault, id: CaseId) -> Result<CaseHistory> {
    let case = vault.history::<Case>(id)?;
    let person_id: PersonId =
        case.last()
            .map(|c| c.record.person)
            .ok_or_else(|| Error::NotFound {
                kind: Case::KIND,
                id: id.to_string(),
            })?;
    Ok(CaseHistory {
        person: vault.history::<Person>(person_id)?,
        case,
    })
}

/// Every case the vault can show, newest first: two decryptions per case, nothing else read. A
/// case whose case or person record is damaged is
/// left out of the list and named in `damaged`, so that one damaged record does not lock the
/// caseworker out of every other case (the case itself stays unreadable: its page names the
/// damaged record).
pub fn listing(vault: &Vault) -> Result<Listing> {
    // Only what an overview shows is kept of each record as it is opened: at 100,000 cases the
    // full records would take several times the memory of the index built from them.
    let (people, mut damaged) =
        vault.list_readable(None, |p: Stored<Person>| (p.id, Names::of(&p.record)))?;
    let mut people: HashMap<PersonId, Names> = people.into_iter().collect();
    let (cases, damaged_cases) = vault.list_readable(None, |c: Stored<Case>| {
        (
            c.record.person,
            overview_with(c.id, &c.record, Names::default()),
        )
    })?;
    damaged.extend(damaged_cases);
    let mut out = Vec::with_capacity(cases.len());
    for (person, mut overview) in cases {
        match people.remove(&person) {
            Some(names) => {
                overview.name = names.name;
                overview.other_names = names.other_names;
                overview.citizenships = names.citizenships;
                out.push(overview);
            }
            // The person is damaged (named above, under this case) or missing altogether
            // (deleted from the file: version 0 says no version of it is there). Either way the
            // case is left out and named, and everything else works.
            None => {
                if !damaged.iter().any(|d| d.case == Some(overview.id.uuid())) {
                    damaged.push(crate::vault::Damaged {
                        kind: <Person as crate::vault::Record>::KIND.to_string(),
                        id: person.uuid(),
                        version: 0,
                        case: Some(overview.id.uuid()),
                    });
                }
            }
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.number));
    Ok(Listing {
        cases: out,
        damaged,
    })
}

/// The case list, and the records it had to leave out.
pub struct Listing {
    pub cases: Vec<CaseOverview>,
    pub damaged: Vec<Damaged>,
}

/// Every case the vault can show, newest first (`listing` without the damaged records).
pub fn overviews(vault: &Vault) -> Result<Vec<CaseOverview>> {
    Ok(listing(vault)?.cases)
}

/// Finds a case by its id or its number (2026-0042).
pub fn resolve(vault: &Vault, text: &str) -> Result<CaseId> {
    if let Ok(id) = text.parse::<CaseId>() {
        return Ok(id);
    }
    let number: CaseNumber = text.parse().map_err(|_| {
        Error::invalid(format!(
            "{text:?} is neither a case id nor a case number like 2026-0042"
        ))
    })?;
    overviews(vault)?
        .into_iter()
        .find(|c| c.number == number)
        .map(|c| c.id)
        .ok_or_else(|| Error::NotFound {
            kind: Case::KIND,
            id: text.to_string(),
        })
}

pub fn overview(id: CaseId, case: &Case, person: &Person) -> CaseOverview {
    overview_with(id, case, Names::of(person))
}

/// What an overview shows of the person.
#[derive(Default)]
struct Names {
    name: String,
    other_names: Vec<String>,
    citizenships: Vec<String>,
}

impl Names {
    fn of(person: &Person) -> Names {
        let name = person.display_name().to_string();
        Names {
            other_names: person
                .names
                .iter()
                .map(|n| n.name.clone())
                .filter(|n| *n != name)
                .collect(),
            name,
            citizenships: person.citizenships.iter().map(|c| c.to_string()).collect(),
        }
    }
}

fn overview_with(id: CaseId, case: &Case, names: Names) -> CaseOverview {
    CaseOverview {
        id,
        number: case.number,
        name: names.name,
        other_names: names.other_names,
        citizenships: names.citizenships,
        status: case.details.status,
        exploitation_types: case.details.exploitation_types.clone(),
        caseworker: case.details.caseworker.clone(),
        opened: case.details.opened,
        urgent: case.details.urgent,
        demo: case.details.demo,
    }
}
