//! The records a vault holds one of (one per staff member, for a contact): the organisation, its
//! retention period, a contact for referrals. Each is written at the id every laptop of its team
//! gives it (`Tagger::single_record_id`), so that two laptops that each set it before they sync
//! write two versions of one record: a conflict, shown side by side.
//!
//! A team whose laptops set one before single ids (docs/vault-format.md, "Single-record ids"),
//! or a laptop of it not yet updated, may hold others at random ids. Every laptop reads the one at
//! the single id, or without one the one with the lowest id, as Silta did before, so all read
//! the same; each other one is shown beside it as a conflict ("saved twice"), and nothing changes
//! the setting until one side is kept. The side kept is written at the single id and the other
//! deleted, on every laptop that takes it: what is read is what a caseworker chose, never one
//! picked by id without a word, and a side not kept does not come back.

use crate::error::{Error, Result};
use crate::ids::{ConflictId, RecordId};
use crate::org::Organisation;
use crate::referrers::ReferrerContact;
use crate::retention::RetentionPolicy;
use crate::sync::Keep;
use crate::vault::{Record, Stored, Vault};

/// A record there is one of per owner.
pub(crate) trait Single: Record + Clone {
    /// The staff member it is one per, if any.
    fn owner(&self) -> Option<&str> {
        None
    }
}

impl Single for Organisation {}

impl Single for RetentionPolicy {}

impl Single for ReferrerContact {
    fn owner(&self) -> Option<&str> {
        self.staff.as_deref()
    }
}

/// One setting's records in this file.
pub(crate) struct Setting<R: Record> {
    /// The one read.
    pub(crate) in_force: Option<Stored<R>>,
    /// The others, saved before single ids on other laptops, until one side is kept.
    pub(crate) twice: Vec<Stored<R>>,
}

impl<R: Single> Setting<R> {
    /// The setting of `R` for `owner`.
    pub(crate) fn of(v: &Vault, owner: Option<&str>) -> Result<Setting<R>> {
        let [setting] = Self::of_each(v, [owner])?;
        Ok(setting)
    }

    /// The settings of `R` for each of `owners`, from one listing.
    pub(crate) fn of_each<const N: usize>(
        v: &Vault,
        owners: [Option<&str>; N],
    ) -> Result<[Setting<R>; N]> {
        let all = v.list::<R>(None)?;
        Ok(owners.map(|owner| {
            let mine = all
                .iter()
                .filter(|r| r.case.is_none() && r.record.owner() == owner)
                .cloned()
                .collect();
            Self::from_records(v, owner, mine)
        }))
    }

    /// Every setting of `R`, one per owner.
    fn all(v: &Vault) -> Result<Vec<Setting<R>>> {
        let mut by_owner: std::collections::BTreeMap<Option<String>, Vec<Stored<R>>> =
            Default::default();
        // One under a case is no setting (no Silta writes one there): an erasure would take it.
        for r in v.list::<R>(None)?.into_iter().filter(|r| r.case.is_none()) {
            by_owner
                .entry(r.record.owner().map(str::to_string))
                .or_default()
                .push(r);
        }
        Ok(by_owner
            .into_iter()
            .map(|(owner, records)| Self::from_records(v, owner.as_deref(), records))
            .collect())
    }

    fn from_records(v: &Vault, owner: Option<&str>, mut records: Vec<Stored<R>>) -> Setting<R> {
        let single = v.tagger().single_record_id(R::KIND, owner);
        records.sort_by_key(|r| (r.id.uuid() != single, r.id.uuid()));
        let mut records = records.into_iter();
        Setting {
            in_force: records.next(),
            twice: records.collect(),
        }
    }

    /// The version a change is made on (none: the first is written at the single id). Refused
    /// while another laptop's side waits to be kept or not, whether saved twice or a conflict
    /// on the record: a change made meanwhile would take the place of the side shown.
    pub(crate) fn changing(self, v: &Vault) -> Result<Option<Stored<R>>> {
        if !self.twice.is_empty() {
            return Err(Error::SettingInConflict);
        }
        if let Some(current) = &self.in_force {
            crate::sync::unless_unsettled(v, current.id.uuid())?;
        }
        Ok(self.in_force)
    }

    /// Sets it to `record`: a new version of the one in force, or the first at the single id.
    pub(crate) fn set(v: &Vault, record: &R) -> Result<Stored<R>> {
        match Self::of(v, record.owner())?.changing(v)? {
            Some(current) => v.update(&current, record),
            None => v.insert_single(record.owner(), record),
        }
    }
}

/// A setting saved twice, as a conflict shows it: the one in force, and one other. The conflict
/// is named by the other's record id (no conflict record is stored: the two records are it).
pub(crate) struct Twice<R: Record> {
    pub(crate) id: ConflictId,
    pub(crate) sides: [Stored<R>; 2],
}

/// Every setting of `R` saved twice, one conflict per side beside the one in force.
pub(crate) fn twice<R: Single>(v: &Vault) -> Result<Vec<Twice<R>>> {
    let mut found = Vec::new();
    for setting in Setting::<R>::all(v)? {
        let Some(in_force) = setting.in_force else {
            continue;
        };
        for other in setting.twice {
            found.push(Twice {
                id: ConflictId::from_uuid(other.id.uuid()),
                sides: [in_force.clone(), other],
            });
        }
    }
    Ok(found)
}

/// Keeps one side of setting `id` saved twice, if it names one: the side kept is the one in
/// force from then on, at the single id (a new version of it there, or its first), and the other
/// side is deleted, as is the one in force at a random id once carried to the single id; the
/// deletions reach every laptop. Other sides saved twice beside it stay, each to be compared
/// with what is kept. `None`: `id` is no setting saved twice.
pub(crate) fn keep(v: &Vault, id: ConflictId, keep: Keep) -> Result<Option<()>> {
    fn of<R: Single>(v: &Vault, id: ConflictId, keep: Keep) -> Result<Option<()>> {
        let Some(found) = twice::<R>(v)?.into_iter().find(|t| t.id == id) else {
            return Ok(None);
        };
        let [in_force, other] = found.sides;
        let kept = match keep {
            Keep::Here => in_force.record.clone(),
            Keep::Other => other.record.clone(),
        };
        let single = v.tagger().single_record_id(R::KIND, kept.owner());
        // Another laptop's version of either side still to be chosen is chosen first: deleting
        // a side would leave that conflict on nothing, and a side written over would take the
        // place of the one it compares.
        crate::sync::unless_unsettled(v, in_force.id.uuid())?;
        crate::sync::unless_unsettled(v, other.id.uuid())?;
        v.write(|v| {
            if in_force.id.uuid() == single {
                if keep == Keep::Other {
                    v.update(&in_force, &kept)?;
                }
            } else {
                v.insert_single(kept.owner(), &kept)?;
                v.delete::<R>(in_force.id)?;
            }
            v.delete::<R>(other.id)
        })?;
        Ok(Some(()))
    }
    Ok(match of::<Organisation>(v, id, keep)? {
        Some(done) => Some(done),
        None => match of::<RetentionPolicy>(v, id, keep)? {
            Some(done) => Some(done),
            None => of::<ReferrerContact>(v, id, keep)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::ids::{CaseId, CounterId};
    use crate::referrers::{self, ContactCard, Who};
    use crate::retention;
    use crate::sync::{ConflictView, Sides, conflict_views, settle};
    use crate::vault::{KdfParams, Passphrase};

    fn vault(dir: &tempfile::TempDir) -> Vault {
        Vault::create(
            &dir.path().join("v.silta"),
            "Kaisa",
            &Passphrase::new("correct horse battery"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap()
        .0
    }

    /// What a laptop of a team from before single ids wrote: the setting at a random id.
    fn saved_before_single_ids<R: Single>(v: &Vault, record: &R) -> Stored<R> {
        v.write(|v| v.insert(None, record)).unwrap()
    }

    /// Retention periods as laptops of a team from before single ids saved them, lowest id first.
    fn periods_saved_before_single_ids(v: &Vault, years: &[u32]) -> Vec<Stored<RetentionPolicy>> {
        let mut saved: Vec<Stored<RetentionPolicy>> = years
            .iter()
            .map(|&years_after_closing| {
                saved_before_single_ids(
                    v,
                    &RetentionPolicy {
                        years_after_closing,
                    },
                )
            })
            .collect();
        saved.sort_by_key(|r| r.id.uuid());
        saved
    }

    fn years(view: &ConflictView) -> Vec<u32> {
        match &view.sides {
            Sides::RetentionPolicy(sides) => {
                sides.iter().map(|s| s.record.years_after_closing).collect()
            }
            other => panic!("not a retention period: {other:?}"),
        }
    }

    fn policy(v: &Vault) -> u32 {
        retention::policy(v).unwrap().unwrap().years_after_closing
    }

    fn gone<R: Record>(v: &Vault, r: &Stored<R>) -> bool {
        matches!(v.get::<R>(r.id), Err(Error::NotFound { .. }))
    }

    #[test]
    fn a_setting_saved_twice_before_single_ids_is_shown_beside_the_one_in_force_and_changed_only_once_each_side_is_kept_or_not()
     {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir);
        let saved = periods_saved_before_single_ids(&v, &[2, 5, 10]);
        let [lowest, second, third] = [0, 1, 2].map(|i| saved[i].record.years_after_closing);
        // Read as every laptop read it before: the lowest id.
        assert_eq!(policy(&v), lowest);
        let views = conflict_views(&v).unwrap();
        assert_eq!(views.len(), 2, "one beside the one in force per other side");
        for (view, other) in views.iter().zip(&saved[1..]) {
            assert!(view.saved_twice);
            assert_eq!(view.kind, RetentionPolicy::KIND);
            assert_eq!(
                years(view),
                [lowest, other.record.years_after_closing],
                "the one in force first"
            );
        }
        assert!(matches!(
            retention::set_policy(&v, 7),
            Err(Error::SettingInConflict)
        ));
        // The caseworker keeps the third laptop's side: it is the setting, at the single id, and
        // the two it was compared with are deleted; the second is still to be compared with it.
        settle(&v, views[1].id, Keep::Other).unwrap();
        assert_eq!(policy(&v), third);
        assert!(gone(&v, &saved[0]) && gone(&v, &saved[2]) && !gone(&v, &saved[1]));
        let views = conflict_views(&v).unwrap();
        assert_eq!(views.len(), 1);
        assert_eq!(years(&views[0]), [third, second]);
        assert!(matches!(
            retention::set_policy(&v, 7),
            Err(Error::SettingInConflict)
        ));
        settle(&v, views[0].id, Keep::Here).unwrap();
        assert_eq!(policy(&v), third);
        assert!(gone(&v, &saved[1]));
        assert!(conflict_views(&v).unwrap().is_empty());
        // Changed from then on at the single id, which every laptop reads.
        retention::set_policy(&v, 7).unwrap();
        let single = v.tagger().single_record_id(RetentionPolicy::KIND, None);
        let now = v
            .get::<RetentionPolicy>(CounterId::from_uuid(single))
            .unwrap();
        assert_eq!((now.version, now.record.years_after_closing), (2, 7));
        assert_eq!(policy(&v), 7);
        // An id that names no conflict and no setting saved twice is not found.
        assert!(matches!(
            settle(&v, ConflictId::from_uuid(single), Keep::Here),
            Err(Error::NotFound { .. })
        ));
    }

    #[test]
    fn a_setting_an_older_laptop_saved_beside_the_one_at_the_single_id_is_shown_and_the_one_under_a_case_is_none()
     {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir);
        retention::set_policy(&v, 6).unwrap();
        // A laptop not yet updated changed the one it read: the lowest id, its own.
        let older = saved_before_single_ids(
            &v,
            &RetentionPolicy {
                years_after_closing: 3,
            },
        );
        v.write(|v| {
            v.insert(
                Some(CaseId::new()),
                &RetentionPolicy {
                    years_after_closing: 1,
                },
            )
        })
        .unwrap();
        assert_eq!(policy(&v), 6, "the single id's, whatever the ids");
        let views = conflict_views(&v).unwrap();
        assert_eq!(views.len(), 1, "not the one under a case: {views:?}");
        assert_eq!(years(&views[0]), [6, 3]);
        settle(&v, views[0].id, Keep::Other).unwrap();
        assert_eq!(policy(&v), 3);
        assert!(gone(&v, &older));
        let single = v.tagger().single_record_id(RetentionPolicy::KIND, None);
        assert_eq!(
            v.get::<RetentionPolicy>(CounterId::from_uuid(single))
                .unwrap()
                .version,
            2
        );
        assert!(conflict_views(&v).unwrap().is_empty());
    }

    #[test]
    fn an_organisation_saved_twice_before_single_ids_signs_with_the_keys_in_force_until_the_caseworker_keeps_one()
     {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir);
        let mut orgs: Vec<Stored<Organisation>> = ["Pro-tukipiste", "Pro-tukipiste ry"]
            .map(|name| saved_before_single_ids(&v, &Organisation::generate(name)))
            .into();
        orgs.sort_by_key(|r| r.id.uuid());
        let card = |v: &Vault| crate::org::keys(v).unwrap().card().unwrap();
        assert_eq!(card(&v).name, orgs[0].record.name());
        let views = conflict_views(&v).unwrap();
        assert_eq!(views.len(), 1);
        let Sides::Organisation(sides) = &views[0].sides else {
            panic!("{:?}", views[0].sides);
        };
        assert_eq!(
            sides.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            [orgs[0].record.name(), orgs[1].record.name()]
        );
        assert_eq!(sides[0].fingerprint.as_ref(), Some(&card(&v).fingerprint));
        assert_ne!(sides[0].fingerprint, sides[1].fingerprint);
        assert!(matches!(
            crate::org::rename(&v, "Pro-tukipiste"),
            Err(Error::SettingInConflict)
        ));
        settle(&v, views[0].id, Keep::Here).unwrap();
        assert_eq!(card(&v).fingerprint, sides[0].fingerprint.clone().unwrap());
        assert!(gone(&v, &orgs[0]) && gone(&v, &orgs[1]));
        assert!(conflict_views(&v).unwrap().is_empty());
        assert_eq!(
            crate::org::rename(&v, "Uusi nimi").unwrap().name,
            "Uusi nimi"
        );
        assert_eq!(card(&v).fingerprint, sides[0].fingerprint.clone().unwrap());
    }

    #[test]
    fn a_contact_saved_twice_is_shown_for_its_owner_only_and_the_side_kept_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir);
        let contact = |staff: Option<&str>, phone: &str| ReferrerContact {
            staff: staff.map(str::to_string),
            card: ContactCard {
                phone: phone.into(),
                email: String::new(),
            },
        };
        let mut ours: Vec<Stored<ReferrerContact>> = ["040 111 1111", "040 222 2222"]
            .map(|phone| saved_before_single_ids(&v, &contact(None, phone)))
            .into();
        ours.sort_by_key(|r| r.id.uuid());
        saved_before_single_ids(&v, &contact(Some("Kaisa"), "050 333 3333"));
        let read = |v: &Vault| referrers::ours(v).unwrap();
        assert_eq!(read(&v).organisation, ours[0].record.card);
        assert_eq!(read(&v).mine.phone, "050 333 3333");
        let views = conflict_views(&v).unwrap();
        assert_eq!(views.len(), 1, "Kaisa's own was saved once");
        let Sides::ReferrerContact(sides) = &views[0].sides else {
            panic!("{:?}", views[0].sides);
        };
        assert_eq!(
            sides
                .iter()
                .map(|s| (s.staff.clone(), s.card.clone()))
                .collect::<Vec<_>>(),
            [
                (None, ours[0].record.card.clone()),
                (None, ours[1].record.card.clone())
            ]
        );
        assert!(matches!(
            referrers::set(&v, Who::Organisation, &ContactCard::default()),
            Err(Error::SettingInConflict)
        ));
        referrers::set(
            &v,
            Who::Staff("Kaisa"),
            &ContactCard {
                phone: "050 444 4444".into(),
                email: String::new(),
            },
        )
        .unwrap();
        settle(&v, views[0].id, Keep::Other).unwrap();
        assert_eq!(read(&v).organisation, ours[1].record.card);
        assert_eq!(read(&v).mine.phone, "050 444 4444");
        assert!(conflict_views(&v).unwrap().is_empty());
    }

    /// A case opened six years before `today` and closed three years before it.
    fn closed_three_years_ago(v: &Vault, today: chrono::NaiveDate) {
        use crate::cases::{self, CaseInput};
        use crate::model::codes::CaseStatus;
        use crate::model::{CaseDetails, NameKind, Person, PersonName};
        use chrono::Days;
        let view = cases::open_case(
            v,
            CaseInput {
                person: Person {
                    names: vec![PersonName {
                        name: "Aino".into(),
                        kind: NameKind::Legal,
                    }],
                    ..Person::default()
                },
                details: Some(CaseDetails::new("Kaisa", today - Days::new(6 * 365))),
            },
            today,
        )
        .unwrap();
        let mut details = view.case.record.details.clone();
        details.status = CaseStatus::Closed;
        // Closed three years ago: due after a period of 2 years, not of 5.
        details.closed = Some(today - Days::new(3 * 365));
        cases::edit(
            v,
            view.case.id,
            CaseInput {
                person: view.person.record.clone(),
                details: Some(details),
            },
            today,
        )
        .unwrap();
    }

    #[test]
    fn while_two_retention_periods_wait_to_be_chosen_between_cases_are_due_by_the_longer() {
        use chrono::NaiveDate;
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir);
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        closed_three_years_ago(&v, today);
        let saved = periods_saved_before_single_ids(&v, &[2, 5]);
        let overview = retention::overview(&v, today).unwrap();
        assert!(
            overview.due.is_empty(),
            "not due while 5 years may be chosen"
        );
        assert!(retention::due(&v, today).unwrap().is_empty());
        // The one in force may be either; the overview names the longer when it is not.
        let in_force = saved[0].record.years_after_closing;
        assert_eq!(
            overview.undecided_years,
            (in_force != 5).then_some(5),
            "in force: {in_force}"
        );
        // Two years chosen: the case is due, and nothing is undecided.
        let two = conflict_views(&v).unwrap()[0].id;
        let keep = if in_force == 2 {
            Keep::Here
        } else {
            Keep::Other
        };
        settle(&v, two, keep).unwrap();
        let overview = retention::overview(&v, today).unwrap();
        assert_eq!(overview.due.len(), 1);
        assert_eq!(overview.undecided_years, None);
        assert_eq!(retention::due(&v, today).unwrap().len(), 1);
    }

    #[test]
    fn a_side_with_another_laptops_version_still_to_choose_is_not_kept_until_that_is_chosen() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir);
        periods_saved_before_single_ids(&v, &[2, 5]);
        let found = twice::<RetentionPolicy>(&v).unwrap().remove(0);
        let [in_force, other] = &found.sides;
        // What a pull keeps of another laptop's version of a record (its sides are not read here).
        let waiting_on = |record: &Stored<RetentionPolicy>| {
            let conflict = crate::sync::SyncConflict {
                doc: "d".into(),
                rev: "1-a".into(),
                kind: RetentionPolicy::KIND.into(),
                record: record.id.uuid(),
                version: 1,
                device: None,
                sealed: String::new(),
            };
            v.write(|v| v.insert(None, &conflict)).unwrap().id
        };
        for side in [other, in_force] {
            let conflict = waiting_on(side);
            assert!(matches!(
                keep(&v, found.id, Keep::Other),
                Err(Error::SettingInConflict)
            ));
            assert!(!gone(&v, in_force) && !gone(&v, other), "nothing deleted");
            v.delete::<crate::sync::SyncConflict>(conflict).unwrap();
        }
        assert_eq!(keep(&v, found.id, Keep::Other).unwrap(), Some(()));
        assert!(gone(&v, in_force) && gone(&v, other));
    }

    #[test]
    fn a_retention_period_no_silta_sets_makes_no_case_due() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        closed_three_years_ago(&v, today);
        // Another laptop's, unchecked: twelve times it is past what a u32 holds.
        let absurd = u32::MAX / 12 + 1;
        periods_saved_before_single_ids(&v, &[2, absurd]);
        let overview = retention::overview(&v, today).unwrap();
        assert!(overview.due.is_empty());
        // Said, as the years the list goes by, whichever side is in force.
        assert_eq!(
            overview
                .undecided_years
                .or(overview.policy.map(|p| p.years_after_closing)),
            Some(absurd)
        );
    }
}
