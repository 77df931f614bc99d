//! Team sync against a real CouchDB-compatible server: PouchDB Server 4.2 (tests/sync, installed
//! by `npm ci` there), started on 127.0.0.1 by each test with a data folder of its own. The
//! tests are ignored by a plain `cargo test` (they need Node and that install); `scripts/test`
//! runs them with `--ignored`.

mod common;
#[path = "common/couch.rs"]
mod couch;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use common::*;
use couch::Server;
use silta_core::model::Note;
use silta_core::sync::{self, SyncServer};
use silta_core::vault::Vault;

fn settings(server: &Server) -> SyncServer {
    SyncServer {
        url: server.url(),
        database: "team".into(),
        user: "laptop-1".into(),
        password: "sync password".into(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn vault_with_a_case() -> (Fixture, Vault) {
    let (f, vault) = new_vault();
    let view = open_case(&vault, "SYNC-CANARY Person");
    vault
        .insert(
            Some(view.case.id),
            &Note {
                text: "SYNC-CANARY note".into(),
            },
        )
        .unwrap();
    vault
        .add_attachment(
            view.case.id,
            silta_core::model::Attachment::new("statement.txt", "text/plain"),
            &b"SYNC-CANARY statement"[..],
            "t",
        )
        .unwrap();
    (f, vault)
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn the_server_holds_only_opaque_ids_and_ciphertext() {
    let server = Server::start();
    let (_f, vault) = vault_with_a_case();
    sync::configure(&vault, settings(&server)).unwrap();
    let pushed = sync::push(&vault).unwrap();
    assert!(pushed.sent > 5, "{pushed:?}");
    assert_eq!(pushed.held, 0);

    let all = server.get("team/_all_docs?include_docs=true");
    let rows = all["rows"].as_array().unwrap();
    assert_eq!(rows.len(), pushed.sent);
    for row in rows {
        let doc = &row["doc"];
        let id = doc["_id"].as_str().unwrap();
        assert_eq!(id.len(), 32, "an opaque id: {id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        let fields: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(fields, ["_id", "_rev", "s"], "nothing but the ciphertext");
    }
    assert!(!all.to_string().contains("SYNC-CANARY"));
    // Nor anywhere in the server's own files: no kind, case, name or content in the clear.
    drop(vault);
    for (path, bytes) in server.files() {
        for told in [&b"SYNC-CANARY"[..], b"\"person\"", b"sync password"] {
            assert!(
                !contains(&bytes, told),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(told)
            );
        }
    }
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_second_push_sends_only_what_changed_and_a_cut_off_push_is_finished_by_the_next() {
    let server = Server::start();
    let (_f, vault) = vault_with_a_case();
    sync::configure(&vault, settings(&server)).unwrap();
    let first = sync::push(&vault).unwrap();
    let view = open_case(&vault, "Another Person");
    vault
        .insert(
            Some(view.case.id),
            &Note {
                text: "written offline".into(),
            },
        )
        .unwrap();
    let second = sync::push(&vault).unwrap();
    assert!(second.sent > 0 && second.sent < first.sent, "{second:?}");
    // Only what was written since the last push is offered (the server is not asked again
    // about the rest).
    assert_eq!(second.held, 0, "{second:?}");
    let third = sync::push(&vault).unwrap();
    assert_eq!(third.sent, 0, "nothing new: {third:?}");

    // The server stops mid-way and starts again on the same data: the next push finishes.
    vault
        .insert(
            Some(view.case.id),
            &Note {
                text: "while the server was down".into(),
            },
        )
        .unwrap();
    let (data, port) = server.stop();
    let err = sync::push(&vault).unwrap_err();
    assert!(err.to_string().contains("could not be reached"), "{err}");
    let server = Server::start_at(data, port);
    let after = sync::push(&vault).unwrap();
    assert!(after.sent > 0, "{after:?}");
    let count = server.get("team")["doc_count"].as_u64().unwrap();
    assert_eq!(
        count as usize,
        first.sent + second.sent + after.sent,
        "every row on the server, each sent once: {after:?}"
    );
}

#[test]
fn only_https_leaves_this_computer_and_the_settings_are_checked() {
    let (_f, vault) = new_vault();
    let with = |url: &str, database: &str, user: &str| {
        sync::configure(
            &vault,
            SyncServer {
                url: url.into(),
                database: database.into(),
                user: user.into(),
                password: "p".into(),
            },
        )
    };
    for (url, database, user) in [
        ("http://sync.example.org", "team", "u"),
        ("ftp://sync.example.org", "team", "u"),
        ("https://u:p@sync.example.org", "team", "u"),
        ("https://sync.example.org?x=1", "team", "u"),
        ("not an address", "team", "u"),
        ("https://sync.example.org", "Team", "u"),
        ("https://sync.example.org", "_users", "u"),
        ("https://sync.example.org", "team", ""),
        ("https://sync.example.org", "team", "a:b"),
    ] {
        assert!(
            with(url, database, user).is_err(),
            "{url} {database} {user}"
        );
    }
    assert!(sync::server(&vault).unwrap().is_none(), "nothing was kept");
    with("https://sync.example.org:6984", "team-helsinki", "laptop-1").unwrap();
    with("http://127.0.0.1:5984", "team", "laptop-1").unwrap();
    assert_eq!(
        sync::server(&vault).unwrap().unwrap().url,
        "http://127.0.0.1:5984"
    );
}

#[test]
fn without_a_server_nothing_is_sent() {
    let (_f, vault) = new_vault();
    let err = sync::push(&vault).unwrap_err();
    assert!(err.to_string().contains("no sync server"), "{err}");
}

/// Laptop 2 joins the team of `a`: its device key's fingerprint read out, the enrolment made
/// on `a`, its own vault made from it (its own staff member and passphrase).
fn join_second(a: &Vault, dir: &Path, server: &Server) -> Vault {
    let device = age::x25519::Identity::generate();
    let recipient = sync::signing::PublicDeviceKey::of(&device).unwrap();
    let read_out = recipient.fingerprint();
    let mut login = settings(server);
    login.user = "laptop-2".into();
    login.password = "second".into();
    let package = sync::enrolment::enrol(a, &recipient.to_string(), &read_out, login).unwrap();
    // The first laptop's entries up to the enrolment reach the server (as `enrol_laptop` sends
    // them): the new laptop takes its history from before the team only whole.
    sync::push(a).unwrap();
    let file = dir.join("enrolment.age");
    std::fs::write(&file, package).unwrap();
    let joined = sync::enrolment::join(
        &dir.join("laptop-2.silta"),
        "Mikko",
        &silta_core::vault::Passphrase::new("another horse battery staple"),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
        &file,
        &device,
    )
    .unwrap();
    assert!(!file.exists(), "the enrolment goes once used");
    assert_eq!(
        joined.team_fingerprint,
        sync::enrolment::team_fingerprint(a, &settings(server)).unwrap(),
        "what the new laptop reads back is what the member sees"
    );
    joined.vault
}

fn intact(v: &Vault) {
    let report = silta_core::audit::verify(v).unwrap();
    assert!(report.broken.is_none(), "{:?}", report.broken);
}

fn notes(v: &Vault, case: silta_core::ids::CaseId) -> Vec<String> {
    let mut n: Vec<String> = v
        .list::<Note>(Some(case))
        .unwrap()
        .into_iter()
        .map(|n| n.record.text)
        .collect();
    n.sort();
    n
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn two_laptops_edit_offline_and_each_gets_the_others_work_with_both_logs_intact() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    let case = open_case(&a, "Aino Mäkinen").case.id;
    a.insert(
        Some(case),
        &Note {
            text: "from laptop 1".into(),
        },
    )
    .unwrap();
    sync::push(&a).unwrap();

    let mut b = join_second(&a, f.dir.path(), &server);
    let first = sync::sync(&mut b).unwrap();
    assert_eq!(
        first.pulled.received, 5,
        "case, person, note, and the team's list (laptop 1 and 2): {first:?}"
    );
    assert_eq!(first.pulled.refused, 0);
    assert_eq!(first.pulled.waiting, 0, "{first:?}");
    let on_b = silta_core::cases::view(&b, case, today()).unwrap();
    assert_eq!(on_b.person.record.names[0].name, "Aino Mäkinen");
    intact(&b);

    // Both offline: each writes a note.
    a.insert(
        Some(case),
        &Note {
            text: "laptop 1, offline".into(),
        },
    )
    .unwrap();
    b.insert(
        Some(case),
        &Note {
            text: "laptop 2, offline".into(),
        },
    )
    .unwrap();
    sync::sync(&mut a).unwrap();
    sync::sync(&mut b).unwrap();
    sync::sync(&mut a).unwrap();
    let all = [
        "from laptop 1".to_string(),
        "laptop 1, offline".into(),
        "laptop 2, offline".into(),
    ];
    assert_eq!(notes(&a, case), all);
    assert_eq!(notes(&b, case), all);
    intact(&a);
    intact(&b);
    // Each log holds the other device's chain, checked link by link.
    let entries = silta_core::audit::list(&a, None, None).unwrap();
    assert!(entries.iter().any(|e| e.user == "Mikko"));
    // Opened again, each laptop's unlock finds its file as its log says.
    let path = b.path().to_path_buf();
    b.lock();
    let b = Vault::unlock(
        &path,
        Some("Mikko"),
        &silta_core::vault::Passphrase::new("another horse battery staple"),
    )
    .unwrap();
    assert!(b.audit_report().is_intact(), "{:?}", b.audit_report());
    let path = a.path().to_path_buf();
    a.lock();
    assert!(unlock(&path).audit_report().is_intact());
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_pull_reads_only_what_changed_since_the_last_one_that_left_nothing_behind() {
    let server = Server::start();
    let (f, a) = vault_with_a_case();
    sync::configure(&a, settings(&server)).unwrap();
    sync::push(&a).unwrap();
    let mut b = join_second(&a, f.dir.path(), &server);
    let first = sync::pull(&mut b).unwrap();
    assert!(first.listed > 10, "{first:?}");
    assert_eq!(
        sync::pull(&mut b).unwrap().listed,
        0,
        "nothing changed since"
    );
    let case = a.list::<silta_core::model::Case>(None).unwrap()[0].id;
    a.insert(
        Some(case),
        &Note {
            text: "one more".into(),
        },
    )
    .unwrap();
    sync::push(&a).unwrap();
    let next = sync::pull(&mut b).unwrap();
    assert_eq!(
        (next.listed, next.received, next.entries),
        (2, 1, 1),
        "the note and its entry (what the enrolment wrote went when it was made): {next:?}"
    );
    assert!(notes(&b, case).contains(&"one more".to_string()));
    intact(&b);
    // Another server (or database) is read from its beginning.
    let mut elsewhere = settings(&server);
    elsewhere.user = "laptop-2".into();
    elsewhere.password = "second".into();
    elsewhere.database = "copy".into();
    server.admin(
        "POST",
        "_replicate",
        r#"{"source":"team","target":"copy","create_target":true}"#,
    );
    server.admin(
        "PUT",
        "copy/_security",
        r#"{"admins":{"names":[],"roles":[]},"members":{"names":["laptop-1","laptop-2"],"roles":[]}}"#,
    );
    sync::configure(&b, elsewhere).unwrap();
    assert!(sync::pull(&mut b).unwrap().listed > 10);
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn the_same_record_edited_on_two_laptops_is_a_conflict_with_both_versions_kept() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    let case = open_case(&a, "Aino Mäkinen").case.id;
    let note = a
        .insert(
            Some(case),
            &Note {
                text: "first words".into(),
            },
        )
        .unwrap();
    sync::push(&a).unwrap();
    let mut b = join_second(&a, f.dir.path(), &server);
    sync::sync(&mut b).unwrap();

    a.update(
        &note,
        &Note {
            text: "as laptop 1 put it".into(),
        },
    )
    .unwrap();
    let on_b = b.get::<Note>(note.id).unwrap();
    b.update(
        &on_b,
        &Note {
            text: "as laptop 2 put it".into(),
        },
    )
    .unwrap();
    sync::sync(&mut a).unwrap();
    let on_b_sync = sync::sync(&mut b).unwrap();
    assert_eq!(on_b_sync.pulled.conflicts, 1, "{on_b_sync:?}");
    let on_a_sync = sync::sync(&mut a).unwrap();
    assert_eq!(on_a_sync.pulled.conflicts, 1, "{on_a_sync:?}");
    // Neither version is lost: each laptop keeps its own as current and the other beside it.
    assert_eq!(
        a.get::<Note>(note.id).unwrap().record.text,
        "as laptop 1 put it"
    );
    assert_eq!(
        b.get::<Note>(note.id).unwrap().record.text,
        "as laptop 2 put it"
    );
    for v in [&a, &b] {
        let conflicts = sync::conflicts(v).unwrap();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].record.record.to_string(), note.id.to_string());
        assert_eq!(conflicts[0].record.version, 2);
        intact(v);
    }
    // The server itself keeps both revisions of the one document.
    let listing = server.get("team/_changes?style=all_docs");
    let two = listing["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["changes"].as_array().unwrap().len() == 2)
        .count();
    assert_eq!(two, 1, "{listing}");
}

/// Laptop 1 set to the server, with a case holding a note "first words", sent.
fn a_note_on_the_server(
    a: &Vault,
    server: &Server,
) -> (silta_core::ids::CaseId, silta_core::vault::Stored<Note>) {
    sync::configure(a, settings(server)).unwrap();
    let case = open_case(a, "Aino Mäkinen").case.id;
    let note = a
        .insert(
            Some(case),
            &Note {
                text: "first words".into(),
            },
        )
        .unwrap();
    sync::push(a).unwrap();
    (case, note)
}

/// Laptops 2 and 3 join through laptop 1 and take what is on the server.
fn two_more_laptops(a: &Vault, f: &Fixture, server: &Server) -> (Vault, Vault) {
    let mut b = join_through(a, f.dir.path(), server, "laptop-2", "Mikko");
    let mut c = join_through(a, f.dir.path(), server, "laptop-2", "Sanna");
    sync::sync(&mut b).unwrap();
    sync::sync(&mut c).unwrap();
    (b, c)
}

/// A new version of the note on one laptop.
fn rewrite(v: &Vault, note: silta_core::ids::NoteId, text: &str) {
    let current = v.get::<Note>(note).unwrap();
    v.update(&current, &Note { text: text.into() }).unwrap();
}

/// Two laptops, each with its own version 2 of one note: a conflict on both.
fn conflict_on_a_note(
    server: &Server,
    f: &Fixture,
    a: &mut Vault,
) -> (Vault, silta_core::ids::CaseId, silta_core::ids::NoteId) {
    let (case, note) = a_note_on_the_server(a, server);
    let mut b = join_second(a, f.dir.path(), server);
    sync::sync(&mut b).unwrap();
    for (v, text) in [(&*a, "as laptop 1 put it"), (&b, "as laptop 2 put it")] {
        rewrite(v, note.id, text);
    }
    sync::sync(a).unwrap();
    sync::sync(&mut b).unwrap();
    sync::sync(a).unwrap();
    (b, case, note.id)
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn the_organisations_name_recipients_contacts_and_retention_written_differently_are_shown_to_compare()
 {
    use silta_core::recipients::{self, KeySource, RecipientKind};
    use silta_core::referrers::{self, ContactCard, Who};
    let server = Server::start();
    let (f, mut a) = new_vault();
    silta_core::org::set_up(&a, "Pro-tukipiste").unwrap();
    let desk = age::x25519::Identity::generate().to_public().to_string();
    let recipient = recipients::add(
        &a,
        "Auttamisjärjestelmä",
        RecipientKind::AssistanceSystem,
        None,
        KeySource::AgeRecipient(&desk),
    )
    .unwrap();
    let card = |phone: &str| ContactCard {
        phone: phone.into(),
        email: String::new(),
    };
    sync::configure(&a, settings(&server)).unwrap();
    let mut b = join_second(&a, f.dir.path(), &server);
    // Until its first sync, the laptop that joined makes no organisation keys of its own (they
    // would sign with keys no recipient knows, or take the team's place); it says to sync.
    let before = silta_core::org::status(&b).unwrap();
    assert_eq!((before.name.as_str(), before.card.is_none()), ("", true));
    assert!(matches!(
        silta_core::org::rename(&b, "Pro-tukipiste"),
        Err(silta_core::Error::OrganisationNotTaken)
    ));
    assert!(matches!(
        silta_core::org::identity(&b),
        Err(silta_core::Error::OrganisationNotTaken)
    ));
    sync::sync(&mut b).unwrap();
    assert_eq!(
        silta_core::org::identity(&b).unwrap(),
        silta_core::org::identity(&a).unwrap(),
        "the team's organisation, taken"
    );
    // Both laptops, offline, change the name and confirm the desk's key, and set the
    // organisation's phone number and the retention period for the first time: each is one
    // record the two laptops wrote differently, not two records of which one would count.
    for (v, name, phone, years) in [
        (&a, "Pro-tukipiste ry", "040 100 2001", 6),
        (&b, "Pro-tukipiste Helsinki", "040 100 2002", 7),
    ] {
        silta_core::org::rename(v, name).unwrap();
        recipients::confirm(
            v,
            "Auttamisjärjestelmä",
            &recipient.record.fingerprint,
            today(),
        )
        .unwrap();
        referrers::set(v, Who::Organisation, &card(phone)).unwrap();
        silta_core::retention::set_policy(v, years).unwrap();
    }
    sync::sync(&mut a).unwrap();
    sync::sync(&mut b).unwrap();
    sync::sync(&mut a).unwrap();
    let views = sync::conflict_views(&a).unwrap();
    let mut seen: Vec<&str> = views.iter().map(|c| c.kind.as_str()).collect();
    seen.sort_unstable();
    assert_eq!(
        seen,
        [
            "organisation",
            "recipient",
            "referrer_contact",
            "retention_policy"
        ]
    );
    for view in &views {
        // This laptop's side, then the other's, each in what a caseworker compares.
        match &view.sides {
            sync::Sides::Organisation(sides) => {
                let names: Vec<&str> = sides.iter().map(|s| s.name.as_str()).collect();
                assert_eq!(names, ["Pro-tukipiste ry", "Pro-tukipiste Helsinki"]);
                let card = silta_core::org::identity(&a).unwrap();
                assert_eq!(sides[0].fingerprint.as_ref(), Some(&card.fingerprint));
                assert_eq!(sides[0].fingerprint, sides[1].fingerprint, "the same keys");
                assert_eq!(sides[1].saved_by, "Mikko");
            }
            sync::Sides::Recipient(sides) => {
                let by: Vec<&str> = sides
                    .iter()
                    .map(|s| s.record.confirmed.as_ref().unwrap().by.as_str())
                    .collect();
                assert_eq!(by, ["Kaisa", "Mikko"]);
                assert_eq!(sides[0].record.fingerprint, recipient.record.fingerprint);
            }
            sync::Sides::ReferrerContact(sides) => {
                let phones: Vec<(Option<&str>, &str)> = sides
                    .iter()
                    .map(|s| (s.staff.as_deref(), s.card.phone.as_str()))
                    .collect();
                assert_eq!(phones, [(None, "040 100 2001"), (None, "040 100 2002")]);
            }
            sync::Sides::RetentionPolicy(sides) => {
                let years: Vec<u32> = sides.iter().map(|s| s.record.years_after_closing).collect();
                assert_eq!(years, [6, 7]);
            }
            other => panic!("{other:?}"),
        }
    }
    // While a side waits to be kept, neither is changed again: the side shown would not be the
    // one the conflict was about.
    for refused in [
        silta_core::org::rename(&a, "Pro-tukipiste Turku").map(|_| ()),
        silta_core::retention::set_policy(&a, 8).map(|_| ()),
        referrers::set(&a, Who::Organisation, &card("040 100 2003")),
    ] {
        assert!(
            matches!(refused, Err(silta_core::Error::SettingInConflict)),
            "{refused:?}"
        );
    }
    // The organisation's keys never leave the file with its name.
    let shown = serde_json::to_string(&views).unwrap();
    assert!(!shown.contains("AGE-SECRET-KEY"), "{shown}");
    assert!(!shown.contains("signing_key"), "{shown}");
    // Keeping the other laptop's name makes it the organisation's name here.
    let named = views.iter().find(|c| c.kind == "organisation").unwrap();
    sync::settle(&a, named.id, sync::Keep::Other).unwrap();
    assert_eq!(
        silta_core::org::status(&a).unwrap().name,
        "Pro-tukipiste Helsinki"
    );
    silta_core::org::rename(&a, "Pro-tukipiste Turku").unwrap();
    intact(&a);
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_conflict_shown_side_by_side_and_settled_on_one_laptop_is_settled_on_the_other() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    let (mut b, case, note) = conflict_on_a_note(&server, &f, &mut a);
    let views = sync::conflict_views(&a).unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].case, Some(case));
    let sync::Sides::Note(sides) = &views[0].sides else {
        panic!("{:?}", views[0].sides)
    };
    let texts: Vec<&str> = sides.iter().map(|s| s.record.text.as_str()).collect();
    assert_eq!(
        texts,
        ["as laptop 1 put it", "as laptop 2 put it"],
        "here, then the other"
    );
    assert_eq!(sides[1].saved_by, "Mikko", "who wrote the other side");
    assert_eq!(
        silta_core::cases::view(&a, case, today())
            .unwrap()
            .unsettled,
        [silta_core::ids::RecordId::uuid(&note)],
        "the case says it has a record to settle"
    );

    // Laptop 1's caseworker keeps laptop 2's words: a new version, everywhere.
    sync::settle(&a, views[0].id, sync::Keep::Other).unwrap();
    let settled = a.get::<Note>(note).unwrap();
    assert_eq!(
        (settled.record.text.as_str(), settled.version),
        ("as laptop 2 put it", 3)
    );
    assert!(sync::conflicts(&a).unwrap().is_empty());
    assert!(
        silta_core::cases::view(&a, case, today())
            .unwrap()
            .unsettled
            .is_empty()
    );
    intact(&a);
    let entries = silta_core::audit::list(&a, None, None).unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == silta_core::audit::Action::Settled && e.version == Some(3))
    );

    sync::sync(&mut a).unwrap();
    let on_b = sync::sync(&mut b).unwrap();
    assert_eq!(
        (on_b.pulled.conflicts, on_b.pulled.waiting),
        (0, 0),
        "{on_b:?}"
    );
    assert_eq!(
        b.get::<Note>(note).unwrap().record.text,
        "as laptop 2 put it"
    );
    assert!(sync::conflicts(&b).unwrap().is_empty(), "settled there too");
    intact(&b);
    // The server still offers the side not kept; it is neither waiting nor a conflict again.
    for v in [&mut a, &mut b] {
        let again = sync::sync(v).unwrap();
        assert_eq!(
            (
                again.pulled.conflicts,
                again.pulled.waiting,
                again.pulled.refused
            ),
            (0, 0, 0),
            "{again:?}"
        );
        assert!(sync::conflicts(v).unwrap().is_empty());
        intact(v);
    }
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_side_that_reaches_a_third_laptop_after_the_settlement_is_no_conflict_there() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    let (_, note) = a_note_on_the_server(&a, &server);
    let (mut b, mut c) = two_more_laptops(&a, &f, &server);
    for (v, text) in [(&a, "as laptop 1 put it"), (&b, "as laptop 2 put it")] {
        rewrite(v, note.id, text);
    }
    // Laptop 3 takes laptop 1's version; laptop 1 then sees laptop 2's, and settles.
    sync::sync(&mut a).unwrap();
    sync::sync(&mut c).unwrap();
    sync::sync(&mut b).unwrap();
    sync::sync(&mut a).unwrap();
    let conflict = sync::conflicts(&a).unwrap().remove(0);
    sync::settle(&a, conflict.id, sync::Keep::Here).unwrap();
    sync::sync(&mut a).unwrap();
    // Laptop 3 now gets laptop 2's version 2 and laptop 1's settlement in one pull.
    let on_c = sync::sync(&mut c).unwrap();
    assert_eq!(
        (on_c.pulled.conflicts, on_c.pulled.waiting),
        (0, 0),
        "{on_c:?}"
    );
    assert!(sync::conflicts(&c).unwrap().is_empty());
    assert_eq!(
        c.get::<Note>(note.id).unwrap().record.text,
        "as laptop 1 put it"
    );
    intact(&c);
    sync::sync(&mut b).unwrap();
    assert!(sync::conflicts(&b).unwrap().is_empty());
    assert_eq!(
        b.get::<Note>(note.id).unwrap().record.text,
        "as laptop 1 put it"
    );
    intact(&b);
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_settlement_settles_only_the_sides_compared_and_a_third_laptops_edit_still_reaches_the_others()
{
    let server = Server::start();
    let (f, mut a) = new_vault();
    let (_, note) = a_note_on_the_server(&a, &server);
    let (mut b, mut c) = two_more_laptops(&a, &f, &server);
    // All three write version 2, offline; laptop 1 sees laptop 2's and settles before laptop
    // 3 has synced.
    for (v, text) in [(&a, "laptop 1"), (&b, "laptop 2"), (&c, "laptop 3")] {
        rewrite(v, note.id, text);
    }
    sync::sync(&mut a).unwrap();
    sync::sync(&mut b).unwrap();
    sync::sync(&mut a).unwrap();
    let conflict = sync::conflicts(&a).unwrap().remove(0);
    sync::settle(&a, conflict.id, sync::Keep::Here).unwrap();
    sync::sync(&mut a).unwrap();
    sync::sync(&mut c).unwrap();
    // Laptop 3's version was never compared: it reaches laptop 1 as a conflict, not lost.
    let on_a = sync::sync(&mut a).unwrap();
    assert_eq!(on_a.pulled.conflicts, 1, "{on_a:?}");
    let views = sync::conflict_views(&a).unwrap();
    let sync::Sides::Note(sides) = &views[0].sides else {
        panic!("{:?}", views[0].sides)
    };
    assert_eq!(sides[1].record.text, "laptop 3");
    for v in [&a, &b, &c] {
        intact(v);
    }
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_note_changed_offline_after_another_laptop_deleted_it_stays_deleted() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    let case = open_case(&a, "Aino Mäkinen").case.id;
    let note = a
        .insert(
            Some(case),
            &Note {
                text: "to delete".into(),
            },
        )
        .unwrap();
    sync::push(&a).unwrap();
    let mut b = join_second(&a, f.dir.path(), &server);
    sync::sync(&mut b).unwrap();
    a.delete::<Note>(note.id).unwrap();
    sync::push(&a).unwrap();
    let on_b = b.get::<Note>(note.id).unwrap();
    b.update(
        &on_b,
        &Note {
            text: "DELETED-NOTE changed offline".into(),
        },
    )
    .unwrap();
    sync::push(&b).unwrap();
    let on_a = sync::pull(&mut a).unwrap();
    assert_eq!(on_a.waiting, 0, "{on_a:?}");
    assert!(notes(&a, case).is_empty(), "not brought back");
    intact(&a);
    sync::sync(&mut b).unwrap();
    assert!(notes(&b, case).is_empty(), "deleted there too");
    intact(&b);
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn what_one_laptop_deletes_or_erases_is_gone_from_the_other() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    let case = open_case(&a, "Aino Mäkinen").case.id;
    let kept = open_case(&a, "Kept Person").case.id;
    let note = a
        .insert(
            Some(kept),
            &Note {
                text: "to delete".into(),
            },
        )
        .unwrap();
    sync::push(&a).unwrap();
    let mut b = join_second(&a, f.dir.path(), &server);
    sync::sync(&mut b).unwrap();
    assert_eq!(notes(&b, kept), ["to delete"]);

    a.delete::<Note>(note.id).unwrap();
    silta_core::retention::erase(&a, case, today()).unwrap();
    sync::sync(&mut a).unwrap();
    sync::sync(&mut b).unwrap();
    assert!(notes(&b, kept).is_empty());
    assert!(
        silta_core::cases::view(&b, case, today()).is_err(),
        "erased there too"
    );
    assert!(silta_core::cases::view(&b, kept, today()).is_ok());
    intact(&a);
    intact(&b);
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_document_not_of_this_team_or_altered_is_never_taken() {
    let server = Server::start();
    let (f, a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    open_case(&a, "Aino Mäkinen");
    sync::push(&a).unwrap();
    let mut b = join_second(&a, f.dir.path(), &server);
    // Someone with the server's admin password (not the team's key) writes documents: one of
    // another team, one a copy of a real body under another id.
    let (_g, other) = new_vault();
    let mut elsewhere = settings(&server);
    elsewhere.database = "team".into();
    sync::configure(&other, elsewhere).unwrap();
    sync::push(&other).unwrap();
    let pulled = sync::pull(&mut b).unwrap();
    assert!(pulled.refused > 0, "{pulled:?}");
    assert_eq!(
        b.list::<silta_core::model::Case>(None).unwrap().len(),
        1,
        "only laptop 1's case"
    );
    intact(&b);
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn another_devices_entries_deleted_from_the_file_without_the_key_are_noticed() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    open_case(&a, "Aino Mäkinen");
    sync::push(&a).unwrap();
    let mut b = join_second(&a, f.dir.path(), &server);
    sync::sync(&mut b).unwrap();
    let before: i64 = rows(&a);
    sync::pull(&mut a).unwrap();
    intact(&a);
    // Someone with only the file deletes laptop 2's entries that laptop 1 took (every audit row
    // the pull added but laptop 1's own last one).
    let path = a.path().to_path_buf();
    a.lock();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let deleted = conn
        .execute(
            "DELETE FROM records WHERE kind = 'audit' AND rowid > ?1
               AND rowid < (SELECT max(rowid) FROM records WHERE kind = 'audit')",
            [before],
        )
        .unwrap();
    assert!(deleted > 0);
    drop(conn);
    let a = unlock(&path);
    assert!(!a.audit_report().is_intact());
}

/// The highest rowid of the records table.
fn rows(v: &Vault) -> i64 {
    let conn = rusqlite::Connection::open(v.path()).unwrap();
    conn.query_row("SELECT max(rowid) FROM records", [], |r| r.get(0))
        .unwrap()
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_note_written_offline_to_a_case_erased_meanwhile_does_not_bring_it_back() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    let case = open_case(&a, "Aino Mäkinen").case.id;
    sync::push(&a).unwrap();
    let mut b = join_second(&a, f.dir.path(), &server);
    sync::sync(&mut b).unwrap();

    // Laptop 1 erases the case; laptop 2, offline, writes a note to it and sends it before it
    // has heard of the erasure.
    silta_core::retention::erase(&a, case, today()).unwrap();
    sync::push(&a).unwrap();
    b.insert(
        Some(case),
        &Note {
            text: "ERASED-CASE note".into(),
        },
    )
    .unwrap();
    sync::push(&b).unwrap();

    let on_a = sync::pull(&mut a).unwrap();
    assert_eq!(on_a.waiting, 0, "{on_a:?}");
    assert!(
        a.list::<Note>(None).unwrap().is_empty(),
        "nothing of the case"
    );
    intact(&a);
    sync::sync(&mut b).unwrap();
    assert!(b.list::<Note>(None).unwrap().is_empty(), "erased there too");
    assert!(silta_core::cases::view(&b, case, today()).is_err());
    intact(&b);
    let path = a.path().to_path_buf();
    a.lock();
    assert!(unlock(&path).audit_report().is_intact());
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn an_erased_case_leaves_no_document_on_the_server() {
    let server = Server::start();
    let (_f, a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    let case = open_case(&a, "Aino Mäkinen").case.id;
    a.add_attachment(
        case,
        silta_core::model::Attachment::new("statement.txt", "text/plain"),
        &b"statement"[..],
        "t",
    )
    .unwrap();
    let kept = open_case(&a, "Kept Person").case.id;
    sync::push(&a).unwrap();
    let before = server.get("team/_all_docs?include_docs=true");
    let bodies: Vec<String> = before["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["doc"]["s"].as_str().unwrap()[..60].to_string())
        .collect();

    silta_core::retention::erase(&a, case, today()).unwrap();
    let pushed = sync::push(&a).unwrap();
    // The case, its person and its attachment (its record and its one chunk).
    assert_eq!(pushed.removed, 4, "{pushed:?}");
    let after = server.get("team/_all_docs?include_docs=true");
    let left: Vec<String> = after["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["doc"]["s"].as_str().unwrap()[..60].to_string())
        .collect();
    let gone: Vec<&String> = bodies.iter().filter(|b| !left.contains(b)).collect();
    assert_eq!(gone.len(), 4, "the case's four documents, and only those");
    assert!(silta_core::cases::view(&a, kept, today()).is_ok());
    // Nor in the server's own files once its storage has compacted too. (Apache CouchDB's
    // compaction rewrites the database file; PouchDB Server's LevelDB keeps what was deleted
    // until LevelDB compacts its levels, which this asks of it while the server is stopped.)
    let (data, port) = server.stop();
    let compacted = Command::new("node")
        .arg("-e")
        .arg(
            "const l = require('leveldown')(process.argv[1]);\
             l.open(e => { if (e) throw e; l.compactRange(Buffer.alloc(0), Buffer.alloc(64, 255),\
             e => { if (e) throw e; l.close(() => {}); }); });",
        )
        .arg(data.path().join("team"))
        .env(
            "NODE_PATH",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/sync/node_modules"),
        )
        .status()
        .unwrap();
    assert!(compacted.success());
    let server = Server::start_at(data, port);
    for (path, bytes) in server.files() {
        for body in &gone {
            assert!(
                !contains(&bytes, body.as_bytes()),
                "{} still holds an erased document",
                path.display()
            );
        }
    }
    assert!(sync::server(&a).unwrap().is_some());
    intact(&a);
}

/// A laptop that joins through `member`, with a user of its own on the server.
fn join_through(member: &Vault, dir: &Path, server: &Server, user: &str, name: &str) -> Vault {
    let device = age::x25519::Identity::generate();
    let recipient = sync::signing::PublicDeviceKey::of(&device).unwrap();
    let mut login = settings(server);
    login.user = user.into();
    login.password = "second".into();
    let file = dir.join(format!("{name}.age"));
    sync::enrolment::enrol_to_file(
        member,
        &recipient.to_string(),
        &recipient.fingerprint(),
        login,
        &file,
    )
    .unwrap();
    sync::enrolment::join(
        &dir.join(format!("{name}.silta")),
        name,
        &silta_core::vault::Passphrase::new("another horse battery staple"),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
        &file,
        &device,
    )
    .unwrap()
    .vault
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn three_laptops_open_cases_offline_and_no_number_is_handed_out_twice() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    sync::configure(&a, settings(&server)).unwrap();
    open_case(&a, "First Person");
    sync::push(&a).unwrap();
    let mut b = join_through(&a, f.dir.path(), &server, "laptop-2", "Mikko");
    sync::sync(&mut b).unwrap();
    // The third laptop's enrolment is made on the second.
    let mut c = join_through(&b, f.dir.path(), &server, "laptop-2", "Sanna");
    sync::sync(&mut c).unwrap();
    // All three offline, each opens a case.
    for (v, name) in [
        (&a, "Opened on A"),
        (&b, "Opened on B"),
        (&c, "Opened on C"),
    ] {
        open_case(v, name);
    }
    for _ in 0..2 {
        for v in [&mut a, &mut b, &mut c] {
            sync::sync(v).unwrap();
        }
    }
    for v in [&a, &b, &c] {
        let mut numbers: Vec<String> = v
            .list::<silta_core::model::Case>(None)
            .unwrap()
            .into_iter()
            .map(|c| c.record.number.to_string())
            .collect();
        numbers.sort();
        let year = chrono::Datelike::year(&today());
        assert_eq!(
            numbers,
            [
                format!("{year}-0001"),
                format!("{year}-0002"),
                format!("{year}-B-0001"),
                format!("{year}-C-0001"),
            ]
        );
        intact(v);
    }
}

/// Forwards connections to `to`, but cuts each after `budget` bytes from the client: a
/// connection that drops mid-upload.
fn cutting_proxy(to: u16, budget: usize) -> u16 {
    use std::io::{Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            let Ok(mut upstream) = std::net::TcpStream::connect(("127.0.0.1", to)) else {
                return;
            };
            let mut back_client = client.try_clone().unwrap();
            let mut back_upstream = upstream.try_clone().unwrap();
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut back_upstream, &mut back_client);
            });
            let mut sent = 0;
            let mut buf = [0u8; 8192];
            while let Ok(n) = client.read(&mut buf) {
                if n == 0 || sent + n > budget {
                    break;
                }
                if upstream.write_all(&buf[..n]).is_err() {
                    break;
                }
                sent += n;
            }
            let _ = upstream.shutdown(std::net::Shutdown::Both);
            let _ = client.shutdown(std::net::Shutdown::Both);
        }
    });
    port
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_connection_dropped_mid_upload_leaves_nothing_half_sent() {
    let server = Server::start();
    let (f, a) = new_vault();
    let case = open_case(&a, "Aino Mäkinen").case.id;
    let content: Vec<u8> = (0..3 * 1024 * 1024 + 17)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    a.add_attachment(
        case,
        silta_core::model::Attachment::new("scan.bin", "application/octet-stream"),
        &content[..],
        "t",
    )
    .unwrap();
    // Through a connection that drops after 2 MiB: the upload of the chunks is cut.
    let mut cut = settings(&server);
    cut.url = format!(
        "http://127.0.0.1:{}",
        cutting_proxy(server.port, 2 * 1024 * 1024)
    );
    sync::configure(&a, cut).unwrap();
    assert!(sync::push(&a).is_err());
    // What the server holds is whole documents only: another laptop takes them all or waits.
    sync::configure(&a, settings(&server)).unwrap();
    let done = sync::push(&a).unwrap();
    assert!(done.sent > 0, "{done:?}");
    let mut b = join_second(&a, f.dir.path(), &server);
    let pulled = sync::sync(&mut b).unwrap();
    assert_eq!(pulled.pulled.refused, 0, "{pulled:?}");
    assert_eq!(pulled.pulled.waiting, 0, "{pulled:?}");
    let on_b = silta_core::cases::view(&b, case, today()).unwrap();
    let mut out = Vec::new();
    b.read_attachment(on_b.attachments[0].id, &mut out).unwrap();
    assert_eq!(out, content, "the attachment arrives whole");
    intact(&b);
}

/// Every byte of the files of the vault at `path` (its WAL too).
fn vault_files(path: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        if let Ok(bytes) = std::fs::read(&p) {
            all.extend(bytes);
        }
    }
    all
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_laptop_put_back_from_a_backup_sends_nothing_and_the_team_keeps_one_history() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    let (case, _) = a_note_on_the_server(&a, &server);
    let mut b = join_second(&a, f.dir.path(), &server);
    sync::sync(&mut b).unwrap();
    let backup = f.dir.path().join("laptop-2-backup.silta");
    b.backup(&backup).unwrap();
    b.insert(
        Some(case),
        &Note {
            text: "written after the backup".into(),
        },
    )
    .unwrap();
    sync::sync(&mut b).unwrap();
    // The backup, opened on another computer (or put back after a disk failed), and written on.
    let mut copy = Vault::unlock(
        &backup,
        Some("Mikko"),
        &silta_core::vault::Passphrase::new("another horse battery staple"),
    )
    .unwrap();
    copy.insert(
        Some(case),
        &Note {
            text: "written on the copy".into(),
        },
    )
    .unwrap();
    // Its push finds its own next entry on the server, and its sync (a pull first) its own
    // later entries: it sends nothing and takes nothing, and says why.
    for result in [
        sync::push(&copy).map(|_| ()),
        sync::sync(&mut copy).map(|_| ()),
    ] {
        assert!(
            matches!(result, Err(silta_core::Error::OlderCopyOfThisLaptop)),
            "{result:?}"
        );
    }
    assert_eq!(notes(&copy, case), ["first words", "written on the copy"]);
    // The team goes on with the laptop's one history.
    let on_a = sync::sync(&mut a).unwrap().pulled;
    assert_eq!((on_a.waiting, on_a.refused), (0, 0), "{on_a:?}");
    assert_eq!(notes(&a, case), ["first words", "written after the backup"]);
    b.insert(
        Some(case),
        &Note {
            text: "and after that".into(),
        },
    )
    .unwrap();
    sync::sync(&mut b).unwrap();
    sync::sync(&mut a).unwrap();
    let mut on_a = notes(&a, case);
    on_a.sort();
    assert_eq!(
        on_a,
        ["and after that", "first words", "written after the backup"]
    );
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_laptop_removed_from_the_team_takes_nothing_written_after_even_with_a_login() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    let (case, _) = a_note_on_the_server(&a, &server);
    let mut b = join_through(&a, f.dir.path(), &server, "laptop-2", "Mikko");
    let mut d = join_through(&a, f.dir.path(), &server, "laptop-3", "Sanna");
    sync::sync(&mut b).unwrap();
    sync::sync(&mut d).unwrap();
    assert_eq!(notes(&d, case), ["first words"]);
    let team = sync::team::devices(&a).unwrap();
    assert_eq!(
        team.iter()
            .map(|t| (t.login.as_str(), t.series, t.this_laptop))
            .collect::<Vec<_>>(),
        [
            ("laptop-1", None, true),
            ("laptop-2", Some('B'), false),
            ("laptop-3", Some('C'), false)
        ]
    );

    let removed = sync::team::remove(
        &mut a,
        "laptop-3",
        &sync::team::ServerAdmin {
            user: "admin".into(),
            password: "admin pass".into(),
        },
    )
    .unwrap();
    assert_eq!(removed.sent_to, ['B'], "the new key goes to laptop 2 only");
    assert!(removed.pushed);
    let err = sync::sync(&mut d).unwrap_err();
    assert!(
        err.to_string().contains("refused the sync user"),
        "its server user is gone: {err}"
    );

    // Written after, on the laptop that removed it and on one that takes the new key.
    a.insert(
        Some(case),
        &Note {
            text: "AFTER-REMOVAL written on laptop 1".into(),
        },
    )
    .unwrap();
    sync::sync(&mut a).unwrap();
    let on_b = sync::sync(&mut b).unwrap();
    assert_eq!(on_b.pulled.keys_taken, 1, "{on_b:?}");
    assert_eq!(
        (on_b.pulled.waiting, on_b.pulled.refused),
        (0, 0),
        "{on_b:?}"
    );
    assert!(notes(&b, case).contains(&"AFTER-REMOVAL written on laptop 1".to_string()));
    b.insert(
        Some(case),
        &Note {
            text: "AFTER-REMOVAL written on laptop 2".into(),
        },
    )
    .unwrap();
    sync::sync(&mut b).unwrap();
    sync::sync(&mut a).unwrap();
    assert!(notes(&a, case).contains(&"AFTER-REMOVAL written on laptop 2".to_string()));
    intact(&a);
    intact(&b);

    // The removed laptop, with a login that still works (a member's, leaked), takes nothing
    // written after: it cannot open it.
    sync::configure(&d, settings(&server)).unwrap();
    let on_d = sync::sync(&mut d).unwrap();
    assert_eq!(on_d.pulled.keys_taken, 0);
    assert!(on_d.pulled.refused > 0, "{on_d:?}");
    assert_eq!(notes(&d, case), ["first words"]);
    let files = vault_files(&f.dir.path().join("Sanna.silta"));
    assert!(!files.is_empty());
    assert!(!contains(&files, b"AFTER-REMOVAL"));
    assert!(
        sync::team::devices(&b)
            .unwrap()
            .iter()
            .any(|t| t.login == "laptop-3" && t.removed),
        "the team's list says it was removed"
    );
    // It cannot cut another laptop off by marking it removed, as the first thing it writes
    // after its removal: a mark counts only when an entry the team takes names it.
    let laptop2 = d
        .list::<sync::team::TeamDevice>(None)
        .unwrap()
        .into_iter()
        .find(|t| t.record.login == "laptop-2")
        .unwrap();
    d.update(
        &laptop2,
        &sync::team::TeamDevice {
            removed_after: Some(0),
            ..laptop2.record.clone()
        },
    )
    .unwrap();
    sync::push(&d).unwrap();
    b.insert(
        Some(case),
        &Note {
            text: "laptop 2 still in the team".into(),
        },
    )
    .unwrap();
    sync::sync(&mut b).unwrap();
    let on_a = sync::sync(&mut a).unwrap().pulled;
    assert!(
        notes(&a, case).contains(&"laptop 2 still in the team".to_string()),
        "{on_a:?}"
    );
    // Nor does the team take what it writes after (under the old key it still holds, a
    // consent or a recipient's key would otherwise reach every laptop).
    d.insert(
        Some(case),
        &Note {
            text: "written on the removed laptop".into(),
        },
    )
    .unwrap();
    sync::push(&d).unwrap();
    for v in [&mut a, &mut b] {
        let pulled = sync::sync(v).unwrap().pulled;
        assert!(
            pulled.from_removed >= 2,
            "the note and its entry: {pulled:?}"
        );
        assert_eq!((pulled.received, pulled.waiting), (0, 0), "{pulled:?}");
        assert!(!notes(v, case).contains(&"written on the removed laptop".to_string()));
        intact(v);
    }
    // Nor does it change the team's key: the next epoch is claimed already, by the laptop that
    // removed it, whose key it is never sent. (A grant it writes all the same is refused: the
    // unit tests of `sync::team`.)
    let Err(err) = d.change_key() else {
        panic!("the key changed");
    };
    assert!(
        matches!(&err, silta_core::Error::TeamKeyBeingChanged(by) if by == "laptop-1"),
        "{err}"
    );
    for v in [&mut a, &mut b] {
        let pulled = sync::sync(v).unwrap().pulled;
        assert_eq!((pulled.keys_taken, pulled.refused), (0, 0), "{pulled:?}");
    }
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_key_change_on_one_laptop_reaches_the_others_and_a_second_waits_for_it_on_the_server() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    let (case, _) = a_note_on_the_server(&a, &server);
    let (mut b, mut c) = two_more_laptops(&a, &f, &server);
    sync::sync(&mut a).unwrap();
    // Laptop 1 changes the vault's key (a staff member of its own left, say): the others take it.
    let change = a.change_key().unwrap();
    assert_eq!(change.sent_to, ['B', 'C']);
    a.insert(
        Some(case),
        &Note {
            text: "under the new key".into(),
        },
    )
    .unwrap();
    sync::sync(&mut a).unwrap();
    for v in [&mut b, &mut c] {
        let pulled = sync::sync(v).unwrap().pulled;
        assert_eq!((pulled.keys_taken, pulled.refused), (1, 0), "{pulled:?}");
        assert!(notes(v, case).contains(&"under the new key".to_string()));
    }
    // Laptops 1 and 3 change it again between syncs. The epoch is laptop 1's, claimed on the
    // server first: laptop 3 is told whose key it waits for, and changes nothing.
    a.change_key().unwrap();
    let Err(err) = c.change_key() else {
        panic!("the key changed");
    };
    assert!(
        matches!(&err, silta_core::Error::TeamKeyBeingChanged(by) if by == "laptop-1"),
        "{err}"
    );
    // Once laptop 1 has synced, laptop 3 takes its key and changes the key after it.
    sync::sync(&mut a).unwrap();
    let change = c.change_key().unwrap();
    assert_eq!(change.sent_to, ['A', 'B']);
    c.insert(
        Some(case),
        &Note {
            text: "under laptop 3's key".into(),
        },
    )
    .unwrap();
    sync::sync(&mut c).unwrap();
    for (v, keys) in [(&mut a, 1), (&mut b, 2)] {
        let pulled = sync::sync(v).unwrap().pulled;
        assert_eq!((pulled.keys_taken, pulled.refused), (keys, 0), "{pulled:?}");
        assert!(notes(v, case).contains(&"under laptop 3's key".to_string()));
        intact(v);
    }
    // Without the server no laptop of the team changes the key, and says why.
    let (data, port) = server.stop();
    let Err(err) = b.change_key() else {
        panic!("the key changed");
    };
    assert!(
        matches!(err, silta_core::Error::TeamKeyChangeNeedsServer(_)),
        "{err}"
    );
    let server = Server::start_at(data, port);
    assert_eq!(sync::sync(&mut b).unwrap().pulled.keys_taken, 0);
    // A server that lost a claim (put back from a backup, say) lets two laptops make one epoch:
    // the laptop that gets both keys takes neither, and says so.
    let before = server.get("team/_changes")["last_seq"].clone();
    a.change_key().unwrap();
    let claimed = server.get(&format!("team/_changes?since={before}"));
    let [claim] = claimed["results"].as_array().unwrap().as_slice() else {
        panic!("one claim and nothing else: {claimed}");
    };
    let (status, _) = server.admin(
        "DELETE",
        &format!(
            "team/{}?rev={}",
            claim["id"].as_str().unwrap(),
            claim["changes"][0]["rev"].as_str().unwrap()
        ),
        "",
    );
    assert_eq!(status, 200);
    c.change_key().unwrap();
    sync::push(&a).unwrap();
    sync::push(&c).unwrap();
    let err = sync::sync(&mut b).unwrap_err();
    assert!(matches!(err, silta_core::Error::TeamKeysDiffer(4)), "{err}");
    assert_eq!(notes(&b, case).len(), 3, "laptop 2 keeps what it had");
    intact(&b);
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_forgotten_passphrase_on_a_team_laptop_away_from_the_server_is_mended_and_the_key_changes_later()
 {
    let server = Server::start();
    let (f, a) = new_vault();
    a_note_on_the_server(&a, &server);
    let _b = join_through(&a, f.dir.path(), &server, "laptop-2", "Mikko");
    a.lock();
    let (data, port) = server.stop();
    // Away from the server the key cannot change, which must not keep the caseworker out: the
    // new passphrase is set, and the old recovery key still holds until the laptop syncs.
    let store = std::sync::Arc::new(silta_core::anchor::Remembered::new(
        silta_core::anchor::Nowhere,
    ));
    let new = silta_core::vault::Passphrase::new("a passphrase after the loss");
    let (mut a, new_key, _) = silta_core::anchor::recover_with_new_passphrase(
        store,
        &f.path,
        "Kaisa",
        &f.recovery,
        &new,
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    assert_eq!(
        new_key.err(),
        Some(silta_core::anchor::RecoveryKeyKept::TeamServer)
    );
    assert!(
        silta_core::audit::list(&a, None, None)
            .unwrap()
            .iter()
            .any(|e| e
                .detail
                .as_deref()
                .is_some_and(|d| d.contains("NOT replaced")))
    );
    // Back in reach of the server, it is replaced.
    let _server = Server::start_at(data, port);
    let Ok((_, change)) = a.replace_recovery_key() else {
        panic!("the recovery key was not replaced");
    };
    assert_eq!(change.sent_to, ['B']);
    a.lock();
    Vault::unlock(&f.path, None, &new).unwrap().lock();
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_key_change_this_laptop_claimed_and_did_not_make_is_made_at_the_next_try() {
    let server = Server::start();
    let (f, a) = new_vault();
    a_note_on_the_server(&a, &server);
    let mut b = join_through(&a, f.dir.path(), &server, "laptop-2", "Mikko");
    sync::sync(&mut b).unwrap();
    a.lock();
    // The claim is on the server, and the change it was for never reached this file (here: it
    // was made in a copy of the file, thrown away unsent).
    let copy = f.dir.path().join("copy.silta");
    std::fs::copy(&f.path, &copy).unwrap();
    let Ok(_) = unlock(&copy).change_key() else {
        panic!("the copy did not change its key");
    };
    let mut a = unlock(&f.path);
    let Ok(change) = a.change_key() else {
        panic!("the laptop's own claim kept it from changing the key");
    };
    assert_eq!(change.sent_to, ['B']);
    sync::sync(&mut a).unwrap();
    assert_eq!(sync::sync(&mut b).unwrap().pulled.keys_taken, 1);
    // The same on a laptop that joined (whose claims the others check by its listing).
    let b_path = f.dir.path().join("Mikko.silta");
    let mikko = || silta_core::vault::Passphrase::new("another horse battery staple");
    b.lock();
    let copy = f.dir.path().join("copy-2.silta");
    std::fs::copy(&b_path, &copy).unwrap();
    let Ok(_) = Vault::unlock(&copy, Some("Mikko"), &mikko())
        .unwrap()
        .change_key()
    else {
        panic!("the copy of laptop 2 did not change its key");
    };
    let mut b = Vault::unlock(&b_path, Some("Mikko"), &mikko()).unwrap();
    let Ok(change) = b.change_key() else {
        panic!("laptop 2's own claim kept it from changing the key");
    };
    assert_eq!(change.sent_to, ['A']);
    sync::sync(&mut b).unwrap();
    assert_eq!(sync::sync(&mut a).unwrap().pulled.keys_taken, 1);
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_claim_no_laptop_of_the_team_signed_holds_up_no_key_change() {
    use base64::Engine as _;
    use silta_core::vault::testing::{ForgedClaim, forged_claim};
    let server = Server::start();
    let (f, mut a) = new_vault();
    let (case, _) = a_note_on_the_server(&a, &server);
    let mut b = join_through(&a, f.dir.path(), &server, "laptop-2", "Mikko");
    let mut d = join_through(&a, f.dir.path(), &server, "laptop-3", "Sanna");
    for v in [&mut a, &mut b, &mut d] {
        sync::sync(v).unwrap();
    }
    let put = |id: &str, doc: &str| {
        let (status, answer) = server.admin("PUT", &format!("team/{id}"), doc);
        assert_eq!(status, 201, "{answer}");
    };
    let sealed = |body: Vec<u8>| {
        serde_json::json!({ "s": base64::engine::general_purpose::STANDARD.encode(body) })
            .to_string()
    };
    // Laptop 3's member holds the team's key, so it can put a claim on the next key change at
    // its place: in laptop 2's name, unsigned in the first laptop's, or no claim at all. None
    // is a laptop's, and each is taken over by the next key change, whoever makes it.
    let (id, body) = forged_claim(&d, ForgedClaim::InTheNameOf(&b)).unwrap();
    put(&id, &sealed(body));
    let Ok(change) = a.change_key() else {
        panic!("a claim signed by laptop 3 in laptop 2's name held up the key change");
    };
    assert_eq!(change.sent_to, ['B', 'C']);
    sync::push(&a).unwrap();
    assert_eq!(sync::sync(&mut d).unwrap().pulled.keys_taken, 1);
    let (id, body) = forged_claim(&d, ForgedClaim::Unsigned(&a)).unwrap();
    put(&id, &sealed(body));
    let Ok(_) = b.change_key() else {
        panic!("an unsigned claim in the first laptop's name held up the key change");
    };
    sync::push(&b).unwrap();
    assert_eq!(sync::sync(&mut d).unwrap().pulled.keys_taken, 1);
    sync::sync(&mut a).unwrap();
    for doc in [
        sealed(b"not a claim".to_vec()),
        r#"{"s":"not base64!"}"#.into(),
        r#"{"x":1}"#.into(),
    ] {
        let (id, _) = forged_claim(&d, ForgedClaim::InTheNameOf(&d)).unwrap();
        put(&id, &doc);
        let Ok(_) = a.change_key() else {
            panic!("a document that is no claim held up the key change: {doc}");
        };
        sync::push(&a).unwrap();
        assert_eq!(sync::sync(&mut d).unwrap().pulled.keys_taken, 1);
    }
    // Laptop 2's own signature on its claim on an earlier key change counts for that change
    // only: put on the next one's claim, it is taken over.
    let (id, body) = forged_claim(&d, ForgedClaim::Replayed(&b)).unwrap();
    put(&id, &sealed(body));
    let Ok(_) = a.change_key() else {
        panic!("a signature made for an earlier key change held up this one");
    };
    sync::push(&a).unwrap();
    assert_eq!(sync::sync(&mut d).unwrap().pulled.keys_taken, 1);
    // Two laptops that find the same forged claim both take it over at the revision they read:
    // the server keeps one, and the other laptop waits for that one's key.
    sync::sync(&mut b).unwrap();
    let (id, body) = forged_claim(&d, ForgedClaim::InTheNameOf(&b)).unwrap();
    put(&id, &sealed(body));
    let Ok(_) = a.change_key() else {
        panic!("the forged claim held up the first key change");
    };
    let Err(err) = b.change_key() else {
        panic!("two laptops made one key epoch");
    };
    assert!(
        matches!(&err, silta_core::Error::TeamKeyBeingChanged(by) if by == "laptop-1"),
        "{err}"
    );
    // Laptop 2 takes every key in turn, and reads what was written after.
    a.insert(
        Some(case),
        &Note {
            text: "after seven key changes".into(),
        },
    )
    .unwrap();
    sync::sync(&mut a).unwrap();
    let pulled = sync::sync(&mut b).unwrap().pulled;
    assert_eq!((pulled.keys_taken, pulled.refused), (1, 0), "{pulled:?}");
    assert!(notes(&b, case).contains(&"after seven key changes".to_string()));
    // One whose id the team's list holds, but only in a listing with other keys than those its
    // id is made from (a modified Silta can write that; no enrolment does), is no laptop of the
    // team: taken over.
    let made_up = silta_core::vault::testing::listed_with_other_keys(&d).unwrap();
    sync::sync(&mut d).unwrap();
    sync::sync(&mut a).unwrap();
    let (id, body) = forged_claim(&d, ForgedClaim::MadeUp(&made_up)).unwrap();
    put(&id, &sealed(body));
    let Ok(_) = a.change_key() else {
        panic!("a claim by a laptop listed only with other keys held up the key change");
    };
    sync::push(&a).unwrap();
    // A claim signed by a laptop on no list might be a laptop that joined and whose listing
    // has not reached this one: it is waited for (the administrator can delete it).
    sync::sync(&mut d).unwrap();
    let (id, body) = forged_claim(&d, ForgedClaim::OffTheList).unwrap();
    put(&id, &sealed(body));
    let Err(err) = a.change_key() else {
        panic!("a claim by a laptop this one cannot check yet was taken over");
    };
    assert!(
        matches!(&err, silta_core::Error::TeamKeyBeingChanged(by) if by == "not on this laptop's list"),
        "{err}"
    );
    // Laptop 3's own claim, signed by it, is a claim all the same, on any branch the server
    // holds: one laptop 3 added beside it does not hide it.
    let rev = server.get(&format!("team/{id}"))["_rev"].clone();
    let (status, _) = server.admin(
        "DELETE",
        &format!("team/{id}?rev={}", rev.as_str().unwrap()),
        "",
    );
    assert_eq!(status, 200);
    let Ok(_) = d.change_key() else {
        panic!("laptop 3 did not change its key");
    };
    let branch = serde_json::json!({
        "new_edits": false,
        "docs": [{ "_id": id, "_rev": "9-0123456789abcdef0123456789abcdef", "s": "AA==" }],
    });
    let (status, answer) = server.admin("POST", "team/_bulk_docs", &branch.to_string());
    assert_eq!(status, 201, "{answer}");
    let Err(err) = b.change_key() else {
        panic!("the key changed past laptop 3's claim");
    };
    assert!(
        matches!(&err, silta_core::Error::TeamKeyBeingChanged(by) if by == "laptop-3"),
        "{err}"
    );
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_laptop_that_claimed_the_next_key_change_is_removed_all_the_same() {
    let server = Server::start();
    let (f, mut a) = new_vault();
    let (case, _) = a_note_on_the_server(&a, &server);
    let mut b = join_through(&a, f.dir.path(), &server, "laptop-2", "Mikko");
    let mut d = join_through(&a, f.dir.path(), &server, "laptop-3", "Sanna");
    sync::sync(&mut a).unwrap();
    sync::sync(&mut b).unwrap();
    // Laptop 3 claims the next key epoch and never sends its key (lost, or on purpose): the
    // others' key changes wait for it, but its own removal does not.
    let Ok(_) = d.change_key() else {
        panic!("laptop 3 did not change its key");
    };
    let Err(err) = b.change_key() else {
        panic!("the key changed");
    };
    assert!(
        matches!(&err, silta_core::Error::TeamKeyBeingChanged(by) if by == "laptop-3"),
        "{err}"
    );
    // A removal that fails (a mistyped administrator's password) changes nothing, and leaves
    // no way past laptop 3's claim for a key change that is no removal of it.
    let mistyped = sync::team::ServerAdmin {
        user: "admin".into(),
        password: "admin pas".into(),
    };
    assert!(sync::team::remove(&mut a, "laptop-3", &mistyped).is_err());
    let Err(err) = a.change_key() else {
        panic!("the key changed past laptop 3's claim");
    };
    assert!(
        matches!(&err, silta_core::Error::TeamKeyBeingChanged(by) if by == "laptop-3"),
        "{err}"
    );
    let admin = sync::team::ServerAdmin {
        user: "admin".into(),
        password: "admin pass".into(),
    };
    let removed = sync::team::remove(&mut a, "laptop-3", &admin).unwrap();
    assert_eq!(removed.sent_to, ['B']);
    a.insert(
        Some(case),
        &Note {
            text: "after laptop 3 left".into(),
        },
    )
    .unwrap();
    sync::sync(&mut a).unwrap();
    let pulled = sync::sync(&mut b).unwrap().pulled;
    assert_eq!((pulled.keys_taken, pulled.refused), (1, 0), "{pulled:?}");
    assert!(notes(&b, case).contains(&"after laptop 3 left".to_string()));
    // And the key changes on after it.
    let Ok(_) = b.change_key() else {
        panic!("laptop 2 could not change the key after the removal");
    };
}
