//! Conflicts (docs/sync.md, "Conflicts"): a version of a record that two devices wrote
//! differently, both offline. Neither is dropped: the file's own stays current, the other is kept
//! beside it, both are shown side by side, and the caseworker's choice is a new version that
//! settles the conflict on every device that takes it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ids::{CaseId, ConflictId, RecordId};
use crate::model::{Attachment, Case, Consent, Interview, Note, Person, SupportAction, Task};
use crate::org::Organisation;
use crate::recipients::Recipient;
use crate::referrers::{ContactCard, ReferrerContact};
use crate::retention::RetentionPolicy;
use crate::single;
use crate::vault::replica::Received;
use crate::vault::{Record, Stored, Vault};

/// A version of a record that another device wrote otherwise than this one, both offline: kept
/// beside the file's own (which stays current) until the caseworker settles them. Under the
/// record's case, so that an erasure takes it too.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SyncConflict {
    /// The document and revision on the server.
    pub doc: String,
    pub rev: String,
    /// The record, its kind and the version both devices wrote.
    pub kind: String,
    pub record: Uuid,
    pub version: u32,
    /// The device that wrote the other one (absent: the team's first device).
    pub device: Option<Uuid>,
    /// Its ciphertext (hex), as the file would hold it.
    pub sealed: String,
}

impl Record for SyncConflict {
    const KIND: &'static str = super::CONFLICT_KIND;
    type Id = ConflictId;
}

impl SyncConflict {
    /// The other device's version, as the file would hold it.
    fn other(&self, case: Option<CaseId>) -> Result<Received> {
        Ok(Received {
            kind: self.kind.clone(),
            id: self.record,
            version: self.version,
            case: case.map(|c| c.uuid()),
            sealed: hex::decode(&self.sealed).map_err(|_| self.damaged())?,
        })
    }

    fn damaged(&self) -> Error {
        Error::Integrity {
            what: format!("{} {} version {}", self.kind, self.record, self.version),
        }
    }
}

/// The conflicts waiting to be settled.
pub fn conflicts(vault: &Vault) -> Result<Vec<Stored<SyncConflict>>> {
    vault.list::<SyncConflict>(None)
}

/// Refuses a new version of a setting (the organisation, the retention period, a contact for
/// referrals) while another laptop's version of it waits to be kept or not: the conflict shows
/// this file's newest version, so one saved meanwhile would take the place of the side the
/// conflict was about, and reach every laptop as the setting.
pub(crate) fn unless_unsettled(vault: &Vault, record: Uuid) -> Result<()> {
    let waiting = vault.list_map::<SyncConflict, _>(None, |c| c.record.record)?;
    if waiting.contains(&record) {
        return Err(Error::SettingInConflict);
    }
    Ok(())
}

/// The records of `case` with a conflict waiting to be settled.
pub(crate) fn conflicts_of(vault: &Vault, case: CaseId) -> Result<Vec<Uuid>> {
    let mut records: Vec<Uuid> =
        vault.list_map::<SyncConflict, _>(Some(case), |c| c.record.record)?;
    records.sort_unstable();
    records.dedup();
    Ok(records)
}

/// The two sides of a conflict: first this file's current version of the record, then the
/// other device's. Kinds the app shows have what a caseworker compares (the organisation's
/// name, not its keys); the rest who wrote each side and when.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "sides", rename_all = "snake_case")]
pub enum Sides {
    Case(Vec<Stored<Case>>),
    Person(Vec<Stored<Person>>),
    Interview(Vec<Stored<Interview>>),
    Consent(Vec<Stored<Consent>>),
    SupportAction(Vec<Stored<SupportAction>>),
    Task(Vec<Stored<Task>>),
    Note(Vec<Stored<Note>>),
    Attachment(Vec<Stored<Attachment>>),
    Organisation(Vec<OrganisationName>),
    Recipient(Vec<Stored<Recipient>>),
    ReferrerContact(Vec<ContactSide>),
    RetentionPolicy(Vec<Stored<RetentionPolicy>>),
    Other(Vec<Written>),
}

/// A side of a conflict on the organisation: its name and its sender card's fingerprint (two
/// laptops that each made the organisation's keys before they synced differ in it); the keys
/// stay sealed.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrganisationName {
    pub saved_at: chrono::DateTime<chrono::Utc>,
    pub saved_by: String,
    pub name: String,
    pub fingerprint: Option<String>,
}

/// A side of a conflict on a contact for referrals: the organisation's (`staff` absent) or
/// a staff member's.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactSide {
    pub saved_at: chrono::DateTime<chrono::Utc>,
    pub saved_by: String,
    pub staff: Option<String>,
    pub card: ContactCard,
}

/// Who wrote a side of a conflict the app does not show record by record, and when.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Written {
    pub saved_at: chrono::DateTime<chrono::Utc>,
    pub saved_by: String,
}

/// A conflict as the app shows it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictView {
    pub id: ConflictId,
    /// The record's kind, as the file names it (`Record::KIND`).
    pub kind: String,
    pub case: Option<CaseId>,
    /// The case's number, to find it by.
    pub case_number: Option<String>,
    pub sides: Sides,
    /// A setting saved twice before single-record ids (`single`): the first side is the one in
    /// force, not this laptop's.
    pub saved_twice: bool,
}

/// Every conflict waiting, with both its sides.
pub fn conflict_views(vault: &Vault) -> Result<Vec<ConflictView>> {
    views(vault, |_| true)
}

/// The conflicts waiting on records of kind `R` (settings saved twice included): those that
/// decide something, read without opening the others, so that one that does not open elsewhere
/// does not hide them.
pub(crate) fn conflict_views_of<R: Record>(vault: &Vault) -> Result<Vec<ConflictView>> {
    views(vault, |kind| kind == R::KIND)
}

fn views(vault: &Vault, of_kind: impl Fn(&str) -> bool) -> Result<Vec<ConflictView>> {
    conflicts(vault)?
        .into_iter()
        .filter(|c| of_kind(&c.record.kind))
        // A record deleted since (by a file from before deletions dropped its conflicts) has
        // nothing left to settle.
        .filter(|c| vault.latest_row(&c.record.kind, c.record.record).is_ok())
        .map(|c| {
            let case_number = match c.case {
                Some(case) => Some(vault.get::<Case>(case)?.record.number.to_string()),
                None => None,
            };
            Ok(ConflictView {
                id: c.id,
                kind: c.record.kind.clone(),
                case: c.case,
                case_number,
                sides: sides(vault, &c)?,
                saved_twice: false,
            })
        })
        .chain(saved_twice_views(vault, &of_kind)?.into_iter().map(Ok))
        .collect()
}

fn sides(v: &Vault, c: &Stored<SyncConflict>) -> Result<Sides> {
    fn both<R: Record>(v: &Vault, c: &Stored<SyncConflict>) -> Result<Vec<Stored<R>>> {
        let here = v.get::<R>(R::Id::from_uuid(c.record.record))?;
        let other = v
            .open_received_stored::<R>(&c.record.other(c.case)?)
            .ok_or_else(|| c.record.damaged())?;
        Ok(vec![here, other])
    }
    Ok(match c.record.kind.as_str() {
        Case::KIND => Sides::Case(both(v, c)?),
        Person::KIND => Sides::Person(both(v, c)?),
        Interview::KIND => Sides::Interview(both(v, c)?),
        Consent::KIND => Sides::Consent(both(v, c)?),
        SupportAction::KIND => Sides::SupportAction(both(v, c)?),
        Task::KIND => Sides::Task(both(v, c)?),
        Note::KIND => Sides::Note(both(v, c)?),
        Attachment::KIND => Sides::Attachment(both(v, c)?),
        Organisation::KIND => organisation_sides(both(v, c)?),
        Recipient::KIND => Sides::Recipient(both(v, c)?),
        ReferrerContact::KIND => contact_sides(both(v, c)?),
        RetentionPolicy::KIND => Sides::RetentionPolicy(both(v, c)?),
        _ => {
            let written = |r: &Received| {
                v.open_written(r)
                    .map(|(saved_at, saved_by)| Written { saved_at, saved_by })
                    .ok_or_else(|| c.record.damaged())
            };
            let here = v.latest_row(&c.record.kind, c.record.record)?;
            Sides::Other(vec![written(&here)?, written(&c.record.other(c.case)?)?])
        }
    })
}

fn organisation_sides(sides: impl IntoIterator<Item = Stored<Organisation>>) -> Sides {
    Sides::Organisation(
        sides
            .into_iter()
            .map(|s| OrganisationName {
                name: s.record.name().to_string(),
                fingerprint: s.record.fingerprint(),
                saved_at: s.saved_at,
                saved_by: s.saved_by.clone(),
            })
            .collect(),
    )
}

fn contact_sides(sides: impl IntoIterator<Item = Stored<ReferrerContact>>) -> Sides {
    Sides::ReferrerContact(
        sides
            .into_iter()
            .map(|s| ContactSide {
                saved_at: s.saved_at,
                saved_by: s.saved_by,
                staff: s.record.staff,
                card: s.record.card,
            })
            .collect(),
    )
}

/// The settings saved twice (`single`) of the kinds `of_kind` takes, as conflicts: the one in
/// force first. Kinds not taken are not listed (nor their records opened).
fn saved_twice_views(v: &Vault, of_kind: impl Fn(&str) -> bool) -> Result<Vec<ConflictView>> {
    fn of<R: single::Single>(
        v: &Vault,
        of_kind: &impl Fn(&str) -> bool,
    ) -> Result<Vec<single::Twice<R>>> {
        if of_kind(R::KIND) {
            single::twice::<R>(v)
        } else {
            Ok(Vec::new())
        }
    }
    let view = |id, kind: &str, sides| ConflictView {
        id,
        kind: kind.to_string(),
        case: None,
        case_number: None,
        sides,
        saved_twice: true,
    };
    let organisations = of::<Organisation>(v, &of_kind)?
        .into_iter()
        .map(|t| view(t.id, Organisation::KIND, organisation_sides(t.sides)));
    let retention = of::<RetentionPolicy>(v, &of_kind)?.into_iter().map(|t| {
        view(
            t.id,
            RetentionPolicy::KIND,
            Sides::RetentionPolicy(t.sides.into()),
        )
    });
    let contacts = of::<ReferrerContact>(v, &of_kind)?
        .into_iter()
        .map(|t| view(t.id, ReferrerContact::KIND, contact_sides(t.sides)));
    Ok(organisations.chain(retention).chain(contacts).collect())
}

/// Which side of a conflict the caseworker keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// This file's current version.
    Here,
    /// The other device's.
    Other,
}

impl std::str::FromStr for Keep {
    type Err = Error;

    fn from_str(s: &str) -> Result<Keep> {
        match s {
            "here" => Ok(Keep::Here),
            "other" => Ok(Keep::Other),
            _ => Err(Error::InvalidInput(
                format!(
                    "{s:?}: keep `here` (this laptop's version) or `other` (the other laptop's)"
                )
                .into(),
            )),
        }
    }
}

/// Settles the conflicts on a record: the side kept (this file's current version, or the side
/// conflict `id` holds) becomes a new version of the record, whose entry names every side it
/// settles (this file's versions the other devices hold as conflicts, and theirs this file
/// holds), so that every device that takes it settles those sides and no other version. A
/// withdrawal of consent on any side stays (`settled_consent`).
/// A setting saved twice (`single`) is settled by writing the side kept at its single id.
pub fn settle(vault: &Vault, id: ConflictId, keep: Keep) -> Result<()> {
    let c = match vault.get::<SyncConflict>(id) {
        Err(missing @ Error::NotFound { .. }) => {
            return single::keep(vault, id, keep)?.ok_or(missing);
        }
        found => found?,
    };
    let conflict = &c.record;
    let here = vault.latest_row(&conflict.kind, conflict.record)?;
    let on_record: Vec<Stored<SyncConflict>> = conflicts(vault)?
        .into_iter()
        .filter(|x| x.record.record == conflict.record)
        .collect();
    let open = |r: &Received| vault.open_untyped(r).ok_or_else(|| conflict.damaged());
    // Every side opened once: this file's current version (no conflict id), then each
    // conflict's other side.
    let mut sides = vec![crate::vault::sealed_hash(&here.sealed)];
    let mut opened = vec![(None, open(&here)?)];
    for x in &on_record {
        let other = x.record.other(x.case)?;
        sides.push(crate::vault::sealed_hash(&other.sealed));
        if let Some(mine) = vault.sealed_version(conflict.record, x.record.version)? {
            sides.push(crate::vault::sealed_hash(&mine));
        }
        opened.push((Some(x.id), open(&other)?));
    }
    sides.sort();
    sides.dedup();
    let wanted = match keep {
        Keep::Here => None,
        Keep::Other => Some(id),
    };
    let mut kept = opened
        .iter()
        .find(|(x, _)| *x == wanted)
        .map(|(_, v)| v.clone())
        .ok_or_else(|| conflict.damaged())?;
    if conflict.kind == Consent::KIND {
        let as_consent = |v: serde_json::Value| {
            serde_json::from_value::<Consent>(v).map_err(|_| conflict.damaged())
        };
        let all = opened
            .into_iter()
            .map(|(_, v)| as_consent(v))
            .collect::<Result<Vec<_>>>()?;
        let settled = settled_consent(as_consent(kept)?, &all);
        kept = serde_json::to_value(settled).map_err(|_| conflict.damaged())?;
    }
    let version = here
        .version
        .checked_add(1)
        .ok_or_else(|| conflict.damaged())?;
    vault.write(|v| {
        v.put_settled(
            &conflict.kind,
            conflict.record,
            version,
            here.case,
            &kept,
            &sides,
        )?;
        drop_conflicts(v, conflict.record, |_| true)
    })
}

/// The consent a settlement keeps: the side chosen, with the earliest withdrawal any side
/// recorded. The person may withdraw consent at any time, and withdrawing must be as easy as
/// giving it (GDPR Art. 7(3)): a withdrawal recorded on one laptop is a fact about the person,
/// not one laptop's wording, so choosing another laptop's text must not undo it, nor move it
/// later (a withdrawal dated ahead, kept over one dated today, would leave the consent in force
/// meanwhile).
fn settled_consent(mut kept: Consent, sides: &[Consent]) -> Consent {
    let earliest = sides
        .iter()
        .chain(std::iter::once(&kept))
        .filter_map(|c| c.withdrawn.as_ref())
        .min_by_key(|w| w.date)
        .cloned();
    if let Some(w) = earliest {
        if kept
            .withdrawn
            .as_ref()
            .is_none_or(|mine| w.date < mine.date)
        {
            kept.withdrawn = Some(w);
        }
    }
    kept
}

impl SyncConflict {
    /// The SHA-256 (hex) of the other side's ciphertext, as a settlement names it.
    pub(crate) fn sealed_hash(&self) -> String {
        hex::decode(&self.sealed)
            .map(|b| crate::vault::sealed_hash(&b))
            .unwrap_or_default()
    }
}

/// Drops this device's conflicts on `record` that `which` picks: a settlement (this device's,
/// or another's taken from the server) settled them, or the record was deleted.
pub(crate) fn drop_conflicts(
    v: &Vault,
    record: Uuid,
    which: impl Fn(&SyncConflict) -> bool,
) -> Result<()> {
    for c in conflicts(v)? {
        if c.record.record == record && which(&c.record) {
            v.delete::<SyncConflict>(c.id)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GivenBy, Purpose, Withdrawal};
    use chrono::{Datelike, NaiveDate};

    fn consent(withdrawn: Option<&str>, day: u32) -> Consent {
        Consent {
            purpose: Purpose::Referral,
            recipient: Some("Assistance System".into()),
            field_groups: Vec::new(),
            information: None,
            interpreter: None,
            given_by: GivenBy::Person,
            representative: None,
            guardian_suspected: false,
            no_representative: None,
            child_views: None,
            signed_form: None,
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            expires: None,
            withdrawn: withdrawn.map(|by| Withdrawal {
                date: NaiveDate::from_ymd_opt(2026, 11, day.max(1)).unwrap(),
                recorded_by: by.into(),
                note: String::new(),
            }),
            recorded_by: "Kaisa".into(),
        }
    }

    #[test]
    fn a_withdrawal_on_any_side_stays_in_the_settled_consent_at_its_earliest_date() {
        let kept = settled_consent(
            consent(None, 20),
            &[consent(None, 0), consent(Some("Mikko"), 20)],
        );
        assert_eq!(kept.withdrawn.unwrap().recorded_by, "Mikko");
        let kept = settled_consent(consent(Some("Kaisa"), 20), &[consent(Some("Mikko"), 20)]);
        assert_eq!(
            kept.withdrawn.unwrap().recorded_by,
            "Kaisa",
            "on one date, the side kept says by whom"
        );
        let kept = settled_consent(consent(Some("Kaisa"), 25), &[consent(Some("Mikko"), 20)]);
        let w = kept.withdrawn.unwrap();
        assert_eq!(
            (w.recorded_by.as_str(), w.date.day()),
            ("Mikko", 20),
            "a later date kept would leave the consent in force meanwhile"
        );
        let kept = settled_consent(consent(None, 0), &[consent(None, 0)]);
        assert!(kept.withdrawn.is_none(), "no withdrawal is made up");
    }
}
