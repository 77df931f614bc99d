//! The vault as a user meets it: unlocking, staff and recovery, records and their history,
//! attachments, and what happens when the file is tampered with.

mod common;

use chrono::NaiveDate;
use common::*;
use rusqlite::Connection;
use silta_core::Error;
use silta_core::cases;
use silta_core::ids::RecordId;
use silta_core::model::codes::{CaseStatus, ExploitationType};
use silta_core::model::{Attachment, Note, Task};
use silta_core::vault::{KdfParams, Passphrase, RecoveryKey, Vault};

#[test]
fn a_wrong_passphrase_is_refused_plainly() {
    let (f, vault) = new_vault();
    vault.lock();
    let err = Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new("wrong"))
        .err()
        .unwrap();
    assert!(matches!(err, Error::WrongPassphrase));
    assert!(err.to_string().contains("wrong passphrase"));
}

#[test]
fn every_staff_slot_and_the_recovery_key_unlock_the_same_records() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino Mäkinen");
    vault
        .add_user(
            "Anna",
            &Passphrase::new("anna's own words"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
    vault.lock();

    let anna = Vault::unlock(&f.path, Some("Anna"), &Passphrase::new("anna's own words")).unwrap();
    assert_eq!(
        cases::view(&anna, case.case.id, today())
            .unwrap()
            .person
            .record,
        person("Aino Mäkinen")
    );
    anna.lock();

    let kaisa = unlock(&f.path);
    assert_eq!(
        cases::view(&kaisa, case.case.id, today())
            .unwrap()
            .case
            .version,
        1
    );
    kaisa.lock();

    let recovered = Vault::recover(&f.path, "Kaisa", &f.recovery).unwrap();
    assert_eq!(
        cases::view(&recovered, case.case.id, today())
            .unwrap()
            .case
            .id,
        case.case.id
    );
}

#[test]
fn with_several_staff_the_user_must_be_named() {
    let (f, vault) = new_vault();
    vault
        .add_user(
            "Anna",
            &Passphrase::new("anna's own words"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
    vault.lock();
    assert!(matches!(
        Vault::unlock(&f.path, None, &Passphrase::new(PASS)),
        Err(Error::UserRequired(users)) if users == ["Anna", "Kaisa"]
    ));
    assert!(matches!(
        Vault::unlock(&f.path, Some("Nobody"), &Passphrase::new(PASS)),
        Err(Error::UnknownUser(_))
    ));
}

#[test]
fn a_passphrase_change_keeps_the_data_and_retires_the_old_passphrase() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let before = std::fs::metadata(&f.path).unwrap().len();
    vault
        .set_passphrase(
            "Kaisa",
            &Passphrase::new("a brand new phrase"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
    vault.lock();
    assert!(matches!(
        Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new(PASS)),
        Err(Error::WrongPassphrase)
    ));
    let v = Vault::unlock(
        &f.path,
        Some("Kaisa"),
        &Passphrase::new("a brand new phrase"),
    )
    .unwrap();
    let view = cases::view(&v, case.case.id, today()).unwrap();
    assert_eq!(view.person.record, person("Aino"));
    // The records were not rewritten: still version 1, and the file did not grow by a re-encryption.
    assert_eq!(view.case.version, 1);
    assert!(std::fs::metadata(&f.path).unwrap().len() <= before + 8192);
}

#[test]
fn recovery_sets_a_new_passphrase_and_a_replaced_recovery_key_retires_the_old_one() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    let mut v = Vault::recover(&f.path, "Kaisa", &f.recovery).unwrap();
    v.set_passphrase(
        "Kaisa",
        &Passphrase::new("remembered now"),
        KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    let fresh = v.replace_recovery_key().unwrap();
    v.lock();
    assert!(matches!(
        Vault::recover(&f.path, "Kaisa", &f.recovery),
        Err(Error::WrongRecoveryKey)
    ));
    let again = RecoveryKey::parse(fresh.0.as_str()).unwrap();
    assert!(Vault::recover(&f.path, "Kaisa", &again).is_ok());
    let v = Vault::unlock(&f.path, Some("Kaisa"), &Passphrase::new("remembered now")).unwrap();
    assert_eq!(cases::overviews(&v).unwrap().len(), 1);
}

#[test]
fn the_recovery_key_of_another_vault_does_not_open_this_one() {
    let (f, _v) = new_vault();
    let (other, _w) = new_vault();
    assert!(matches!(
        Vault::recover(&f.path, "Kaisa", &other.recovery),
        Err(Error::WrongRecoveryKey)
    ));
}

#[test]
fn staff_can_be_removed_but_not_the_last_one() {
    let (f, mut vault) = new_vault();
    vault
        .add_user(
            "Anna",
            &Passphrase::new("anna's own words"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
    assert!(matches!(
        vault.add_user("Anna", &Passphrase::new("x"), KdfParams::CHEAP_FOR_TESTS),
        Err(Error::UserExists(_))
    ));
    vault.remove_user("Anna").unwrap();
    assert!(matches!(
        vault.remove_user("Kaisa"),
        Err(Error::LastUser(_))
    ));
    vault.lock();
    assert_eq!(Vault::users(&f.path).unwrap(), ["Kaisa"]);
}

#[test]
fn production_key_derivation_is_argon2id_64_mib_3_passes_and_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.silta");
    let (v, _) = Vault::create(&path, "Kaisa", &Passphrase::new(PASS), KdfParams::DEFAULT).unwrap();
    v.lock();
    let info = Vault::info(&path).unwrap();
    assert_eq!(info.users[0].kdf.memory_kib(), 64 * 1024);
    assert_eq!(info.users[0].kdf.passes(), 3);
    assert!(Vault::unlock(&path, None, &Passphrase::new(PASS)).is_ok());
}

#[test]
fn creating_over_an_existing_vault_is_refused_and_changes_nothing() {
    let (f, vault) = new_vault();
    open_case(&vault, "Aino");
    vault.lock();
    assert!(matches!(
        Vault::create(
            &f.path,
            "Other",
            &Passphrase::new(PASS),
            KdfParams::CHEAP_FOR_TESTS
        ),
        Err(Error::VaultExists(_))
    ));
    assert_eq!(cases::overviews(&unlock(&f.path)).unwrap().len(), 1);
}

#[test]
fn edits_keep_every_earlier_version_as_history() {
    let (_f, vault) = new_vault();
    let view = open_case(&vault, "Aino");
    let mut details = view.case.record.details.clone();
    details.exploitation_types = vec![ExploitationType::ForcedLabour];
    let mut p = view.person.record.clone();
    p.names[0].name = "Aino Mäkinen".into();
    cases::edit(
        &vault,
        view.case.id,
        cases::CaseInput {
            person: p.clone(),
            details: Some(details.clone()),
        },
        today(),
    )
    .unwrap();
    details.status = CaseStatus::FollowUp;
    cases::edit(
        &vault,
        view.case.id,
        cases::CaseInput {
            person: p,
            details: Some(details),
        },
        today(),
    )
    .unwrap();
    let history = cases::history(&vault, view.case.id).unwrap();
    assert_eq!(history.case.len(), 3);
    assert_eq!(
        history.person.len(),
        2,
        "an unchanged person is not saved again"
    );
    assert_eq!(history.case[0].record.details.exploitation_types, []);
    assert_eq!(history.case[2].record.details.status, CaseStatus::FollowUp);
    assert_eq!(history.person[0].record.names[0].name, "Aino");
    assert!(history.case.iter().all(|c| c.saved_by == "Kaisa"));
}

#[test]
fn closing_a_case_dates_it_today_and_reopening_clears_the_date() {
    let (_f, vault) = new_vault();
    let view = open_case(&vault, "Aino");
    let edit = |status| {
        let mut details = view.case.record.details.clone();
        details.status = status;
        let input = cases::CaseInput {
            person: view.person.record.clone(),
            details: Some(details),
        };
        cases::edit(&vault, view.case.id, input, today()).unwrap()
    };
    let closed = edit(CaseStatus::Closed);
    assert_eq!(closed.case.record.details.closed, Some(today()));
    let reopened = edit(CaseStatus::Active);
    assert_eq!(reopened.case.record.details.closed, None);
}

#[test]
fn case_numbers_run_per_year() {
    let (_f, vault) = new_vault();
    let a = open_case(&vault, "A");
    let b = open_case(&vault, "B");
    let mut details =
        silta_core::model::CaseDetails::new("Kaisa", NaiveDate::from_ymd_opt(2027, 1, 2).unwrap());
    details.urgent = false;
    let c = cases::open_case(
        &vault,
        cases::CaseInput {
            person: person("C"),
            details: Some(details),
        },
        today(),
    )
    .unwrap();
    assert_eq!(a.case.record.number.to_string(), "2026-0001");
    assert_eq!(b.case.record.number.to_string(), "2026-0002");
    assert_eq!(c.case.record.number.to_string(), "2027-0001");
    assert_eq!(cases::resolve(&vault, "2026-0002").unwrap(), b.case.id);
}

#[test]
fn a_child_or_a_person_of_uncertain_age_makes_the_case_urgent() {
    let (_f, vault) = new_vault();
    let mut adult = person("Adult");
    adult.birth = Some(silta_core::model::Birth::Date(
        NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
    ));
    let view = cases::open_case(
        &vault,
        cases::CaseInput {
            person: adult.clone(),
            details: None,
        },
        today(),
    )
    .unwrap();
    assert!(!view.case.record.details.urgent);
    adult.age_uncertain = true;
    let view = cases::open_case(
        &vault,
        cases::CaseInput {
            person: adult,
            details: None,
        },
        today(),
    )
    .unwrap();
    assert!(view.case.record.details.urgent);
}

#[test]
fn a_concurrent_edit_is_a_conflict_not_a_lost_update() {
    let (_f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let note = vault
        .insert(
            Some(case.case.id),
            &Note {
                text: "first".into(),
            },
        )
        .unwrap();
    vault
        .update(
            &note,
            &Note {
                text: "second".into(),
            },
        )
        .unwrap();
    let stale = vault.update(
        &note,
        &Note {
            text: "from a stale copy".into(),
        },
    );
    assert!(matches!(stale, Err(Error::Conflict { .. })));
    assert_eq!(vault.get::<Note>(note.id).unwrap().record.text, "second");
}

fn raw(path: &std::path::Path) -> Connection {
    Connection::open(path).unwrap()
}

fn sealed_of(conn: &Connection, id: uuid::Uuid, version: u32) -> Vec<u8> {
    conn.query_row(
        "SELECT sealed FROM records WHERE id = ?1 AND version = ?2",
        rusqlite::params![id.as_bytes().as_slice(), version],
        |r| r.get(0),
    )
    .unwrap()
}

fn set_sealed(conn: &Connection, id: uuid::Uuid, version: u32, sealed: &[u8]) {
    conn.execute(
        "UPDATE records SET sealed = ?3 WHERE id = ?1 AND version = ?2",
        rusqlite::params![id.as_bytes().as_slice(), version, sealed],
    )
    .unwrap();
}

fn assert_integrity_error_naming<T: std::fmt::Debug>(
    result: silta_core::Result<T>,
    id: impl std::fmt::Display,
) {
    match result {
        Err(Error::Integrity { what }) => assert!(what.contains(&id.to_string()), "{what}"),
        other => panic!("expected an integrity error naming {id}, got {other:?}"),
    }
}

#[test]
fn a_long_list_comes_back_whole_in_order_and_names_a_damaged_record() {
    // Enough records that listing reads them in batches and opens them on several threads.
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let mut ids = vault
        .write(|v| {
            (0..10_000)
                .map(|i| {
                    v.insert(
                        Some(case.case.id),
                        &Note {
                            text: format!("note {i}"),
                        },
                    )
                    .map(|n| (n.id.uuid(), i))
                })
                .collect::<silta_core::Result<Vec<_>>>()
        })
        .unwrap();
    ids.sort();
    let notes = vault.list::<Note>(Some(case.case.id)).unwrap();
    let listed: Vec<(uuid::Uuid, String)> = notes
        .iter()
        .map(|n| (n.id.uuid(), n.record.text.clone()))
        .collect();
    let expected: Vec<(uuid::Uuid, String)> = ids
        .iter()
        .map(|(id, i)| (*id, format!("note {i}")))
        .collect();
    assert_eq!(listed, expected);

    let victim = ids[9_000].0;
    let conn = raw(&f.path);
    let mut sealed = sealed_of(&conn, victim, 1);
    sealed[20] ^= 0x01;
    set_sealed(&conn, victim, 1, &sealed);
    assert_integrity_error_naming(vault.list::<Note>(Some(case.case.id)), victim);
}

#[test]
fn a_flipped_byte_is_an_integrity_error_naming_the_record() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let note = vault
        .insert(
            Some(case.case.id),
            &Note {
                text: "private".into(),
            },
        )
        .unwrap();
    let conn = raw(&f.path);
    let mut sealed = sealed_of(&conn, note.id.uuid(), 1);
    let middle = sealed.len() / 2;
    sealed[middle] ^= 0x01;
    set_sealed(&conn, note.id.uuid(), 1, &sealed);
    assert_integrity_error_naming(vault.get::<Note>(note.id), note.id);
}

#[test]
fn swapped_ciphertexts_are_integrity_errors() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let a = vault
        .insert(Some(case.case.id), &Note { text: "a".into() })
        .unwrap();
    let b = vault
        .insert(Some(case.case.id), &Note { text: "b".into() })
        .unwrap();
    let conn = raw(&f.path);
    let (sa, sb) = (
        sealed_of(&conn, a.id.uuid(), 1),
        sealed_of(&conn, b.id.uuid(), 1),
    );
    set_sealed(&conn, a.id.uuid(), 1, &sb);
    set_sealed(&conn, b.id.uuid(), 1, &sa);
    assert_integrity_error_naming(vault.get::<Note>(a.id), a.id);
    assert_integrity_error_naming(vault.get::<Note>(b.id), b.id);
}

#[test]
fn a_record_rolled_back_to_an_older_version_is_an_integrity_error() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let v1 = vault
        .insert(
            Some(case.case.id),
            &Note {
                text: "consent given".into(),
            },
        )
        .unwrap();
    vault
        .update(
            &v1,
            &Note {
                text: "consent withdrawn".into(),
            },
        )
        .unwrap();
    let conn = raw(&f.path);
    let old = sealed_of(&conn, v1.id.uuid(), 1);
    set_sealed(&conn, v1.id.uuid(), 2, &old);
    assert_integrity_error_naming(vault.get::<Note>(v1.id), v1.id);
}

#[test]
fn a_record_moved_to_another_case_is_an_integrity_error() {
    let (f, vault) = new_vault();
    let a = open_case(&vault, "A");
    let b = open_case(&vault, "B");
    let note = vault
        .insert(
            Some(a.case.id),
            &Note {
                text: "about A".into(),
            },
        )
        .unwrap();
    raw(&f.path)
        .execute(
            "UPDATE records SET case_id = ?1 WHERE id = ?2",
            rusqlite::params![
                b.case.id.uuid().as_bytes().as_slice(),
                note.id.uuid().as_bytes().as_slice()
            ],
        )
        .unwrap();
    assert_integrity_error_naming(vault.list::<Note>(Some(b.case.id)), note.id);
}

#[test]
fn a_record_copied_into_another_vault_is_an_integrity_error() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let note = vault
        .insert(
            Some(case.case.id),
            &Note {
                text: "secret".into(),
            },
        )
        .unwrap();
    let (g, other) = new_vault();
    // Even with the same vault key the vault id is bound in; here the keys differ as well.
    let src = raw(&f.path);
    let sealed = sealed_of(&src, note.id.uuid(), 1);
    raw(&g.path)
        .execute(
            "INSERT INTO records (id, version, kind, case_id, sealed) VALUES (?1, 1, 'note', ?2, ?3)",
            rusqlite::params![
                note.id.uuid().as_bytes().as_slice(),
                case.case.id.uuid().as_bytes().as_slice(),
                sealed
            ],
        )
        .unwrap();
    assert_integrity_error_naming(other.get::<Note>(note.id), note.id);
}

#[test]
fn an_attachment_round_trips_and_its_chunks_cannot_be_dropped_or_reordered() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let content: Vec<u8> = (0..(2 * silta_core::vault::CHUNK_SIZE + 123))
        .map(|i| (i % 251) as u8)
        .collect();
    let stored = vault
        .add_attachment(
            case.case.id,
            Attachment::new("statement.pdf", "application/pdf"),
            content.as_slice(),
            "test",
        )
        .unwrap();
    assert_eq!(stored.record.chunks, 3);
    assert_eq!(stored.record.size, content.len() as u64);
    let mut out = Vec::new();
    vault.read_attachment(stored.id, &mut out).unwrap();
    assert_eq!(out, content);

    let conn = raw(&f.path);
    let id = stored.id.uuid();
    // Swap chunks 0 and 1.
    conn.execute_batch(&format!(
        "UPDATE attachment_chunks SET idx = 99 WHERE attachment = x'{0}' AND idx = 0;
         UPDATE attachment_chunks SET idx = 0 WHERE attachment = x'{0}' AND idx = 1;
         UPDATE attachment_chunks SET idx = 1 WHERE attachment = x'{0}' AND idx = 99;",
        hex(id)
    ))
    .unwrap();
    assert!(matches!(
        vault.read_attachment(stored.id, &mut Vec::new()),
        Err(Error::Integrity { .. })
    ));
    // Put them back, then cut off the last chunk.
    conn.execute_batch(&format!(
        "UPDATE attachment_chunks SET idx = 99 WHERE attachment = x'{0}' AND idx = 0;
         UPDATE attachment_chunks SET idx = 0 WHERE attachment = x'{0}' AND idx = 1;
         UPDATE attachment_chunks SET idx = 1 WHERE attachment = x'{0}' AND idx = 99;",
        hex(id)
    ))
    .unwrap();
    vault.read_attachment(stored.id, &mut Vec::new()).unwrap();
    conn.execute(
        &format!(
            "DELETE FROM attachment_chunks WHERE attachment = x'{}' AND idx = 2",
            hex(id)
        ),
        [],
    )
    .unwrap();
    let err = vault
        .read_attachment(stored.id, &mut Vec::new())
        .unwrap_err();
    assert!(err.to_string().contains(&stored.id.to_string()), "{err}");
}

#[test]
fn an_empty_attachment_is_fine() {
    let (_f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let stored = vault
        .add_attachment(
            case.case.id,
            Attachment::new("empty.txt", "text/plain"),
            &b""[..],
            "test",
        )
        .unwrap();
    let mut out = Vec::new();
    assert_eq!(vault.read_attachment(stored.id, &mut out).unwrap(), 0);
    vault.delete_attachment(stored.id).unwrap();
    assert!(matches!(
        vault.get::<Attachment>(stored.id),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn a_failing_source_adds_no_attachment() {
    struct Failing(usize);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("unplugged"));
            }
            let n = buf.len().min(self.0);
            self.0 -= n;
            Ok(n)
        }
    }
    let (_f, vault) = new_vault();
    let case = open_case(&vault, "Aino");
    let err = vault
        .add_attachment(
            case.case.id,
            Attachment::new("x", "y"),
            Failing(3 << 20),
            "the USB stick",
        )
        .unwrap_err();
    assert!(err.to_string().contains("the USB stick"), "{err}");
    assert!(
        vault
            .list::<Attachment>(Some(case.case.id))
            .unwrap()
            .is_empty()
    );
    assert_eq!(vault.info_chunks(), 0);
}

trait ChunkCount {
    fn info_chunks(&self) -> u64;
}

impl ChunkCount for Vault {
    fn info_chunks(&self) -> u64 {
        Vault::info(self.path()).unwrap().attachment_chunks
    }
}

#[test]
fn tasks_know_when_they_are_overdue() {
    let t = Task {
        title: "Reflection period ends".into(),
        due: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        done: None,
        reminder: silta_core::model::Reminder::ReflectionPeriodEnds,
        assignee: None,
    };
    assert!(t.is_overdue_on(today()));
    assert!(
        !Task {
            done: Some(today()),
            ..t
        }
        .is_overdue_on(today())
    );
}

fn hex(id: uuid::Uuid) -> String {
    id.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// One record altered or damaged in the file must not lock the caseworker out: the vault opens,
/// the damaged record is named, every other case works, and `audit verify` reports it.
#[test]
fn one_damaged_record_does_not_lock_the_caseworker_out() {
    let (f, vault) = new_vault();
    let aino = open_case(&vault, "Aino");
    let bert = open_case(&vault, "Bert");
    let dora = open_case(&vault, "Dora");
    vault.lock();
    let conn = Connection::open(&f.path).unwrap();
    // One bit flipped inside the ciphertext (setting a byte to a constant would leave it as it
    // was once in 256 runs).
    let person_id = bert.person.id.uuid().as_bytes().to_vec();
    let mut sealed: Vec<u8> = conn
        .query_row(
            "SELECT sealed FROM records WHERE id = ?1",
            [&person_id],
            |r| r.get(0),
        )
        .unwrap();
    sealed[40] ^= 0x01;
    conn.execute(
        "UPDATE records SET sealed = ?1 WHERE id = ?2",
        rusqlite::params![sealed, person_id],
    )
    .unwrap();
    // A ciphertext replaced by text: damaged the same way, not a listing that fails.
    conn.execute(
        "UPDATE records SET sealed = 'not a ciphertext' WHERE id = ?1",
        [dora.case.id.uuid().as_bytes().as_slice()],
    )
    .unwrap();

    let mut session = silta_core::session::Session::new(
        f.dir.path(),
        KdfParams::CHEAP_FOR_TESTS,
        std::sync::Arc::new(silta_core::anchor::Nowhere),
    );
    session
        .unlock(Some("Kaisa"), &Passphrase::new(PASS))
        .expect("the vault opens");
    let status = session.status().unwrap();
    assert_eq!(status.damaged.len(), 2, "{:?}", status.damaged);
    assert_eq!(status.damaged[0].kind, "person");
    assert_eq!(status.damaged[0].id, bert.person.id.uuid());
    assert_eq!(status.damaged[0].case, Some(bert.case.id.uuid()));
    assert_eq!(status.damaged[1].kind, "case");
    assert_eq!(status.damaged[1].id, dora.case.id.uuid());
    let listed: Vec<String> = session
        .search("", 10)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(listed, ["Aino"]);
    assert_eq!(
        session
            .case(aino.case.id, today())
            .unwrap()
            .person
            .record
            .names[0]
            .name,
        "Aino"
    );
    let err = session.case(bert.case.id, today()).err().unwrap();
    assert!(
        err.to_string().contains(&bert.person.id.to_string()),
        "{err}"
    );
    session
        .new_case(
            cases::CaseInput {
                person: person("Cecilia"),
                details: None,
            },
            today(),
        )
        .unwrap();
    assert_eq!(session.search("", 10).unwrap().len(), 2);
    let report = silta_core::audit::verify(session.vault().unwrap()).unwrap();
    let why = report.broken.unwrap();
    assert!(why.contains(&bert.person.id.to_string()), "{why}");
}

/// A person deleted from the file outright (not only damaged) leaves its case out and named,
/// beside a case whose person is damaged: the list still opens.
#[test]
fn a_case_whose_person_was_deleted_is_named_and_the_list_still_opens() {
    let (f, vault) = new_vault();
    let kept = open_case(&vault, "Aino");
    let damaged = open_case(&vault, "Bert");
    let deleted = open_case(&vault, "Cecilia");
    drop(vault);
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute(
        "UPDATE records SET sealed = x'00' WHERE id = ?1",
        [damaged.person.id.uuid().as_bytes().as_slice()],
    )
    .unwrap();
    conn.execute(
        "DELETE FROM records WHERE id = ?1",
        [deleted.person.id.uuid().as_bytes().as_slice()],
    )
    .unwrap();
    drop(conn);
    let vault = unlock(&f.path);
    let listing = silta_core::cases::listing(&vault).unwrap();
    let names: Vec<&str> = listing.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Aino"]);
    assert_eq!(listing.cases[0].id, kept.case.id);
    let named: Vec<(Option<uuid::Uuid>, u32)> = listing
        .damaged
        .iter()
        .map(|d| (d.case, d.version))
        .collect();
    assert!(
        named.contains(&(Some(damaged.case.id.uuid()), 1)),
        "{named:?}"
    );
    assert!(
        named.contains(&(Some(deleted.case.id.uuid()), 0)),
        "{named:?}"
    );
    assert_eq!(named.len(), 2, "each case named once: {named:?}");
}
