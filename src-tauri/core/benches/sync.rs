//! `cargo bench -p silta-core --bench sync`: team sync beside Apache CouchDB's own replication
//! of the same documents between two databases on the same server (the engine's cost), and
//! their ratio. A vault of 10,000 demo cases (SILTA_BENCH_SYNC_CASES changes it) is pushed by
//! its first laptop and taken whole by a laptop that has just joined; then 100 records change on
//! the first, which sends them, and the second takes them. Needs PouchDB Server (`npm ci` in
//! tests/sync). Numbers go to docs/performance.md.

#[path = "../tests/common/couch.rs"]
mod couch;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use silta_core::model::Note;
use silta_core::sync::{self, SyncServer};
use silta_core::vault::{KdfParams, Passphrase, Vault};

const PASS: &str = "benchmark passphrase";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn report(what: &str, ours: Duration, baseline_name: &str, baseline: Duration) {
    println!(
        "{what:<44} {:>10.0} ms   {baseline_name:<36} {:>10.0} ms   ratio {:>6.2}",
        ours.as_secs_f64() * 1e3,
        baseline.as_secs_f64() * 1e3,
        ours.as_secs_f64() / baseline.as_secs_f64().max(1e-9)
    );
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed())
}

/// CouchDB replicating the team's database into `copy` on the same server, as its own
/// replicator does between two servers: the engine's cost of moving these documents.
fn replicate(server: &couch::Server) -> Duration {
    let ((status, body), took) = timed(|| {
        server.admin(
            "POST",
            "_replicate",
            r#"{"source":"team","target":"copy","create_target":true}"#,
        )
    });
    assert_eq!(status, 200, "{body}");
    took
}

fn main() {
    let cases: usize = std::env::var("SILTA_BENCH_SYNC_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let server = couch::Server::start();
    let (first, _) = Vault::create(
        &dir.path().join("first.silta"),
        "Kaisa",
        &Passphrase::new(PASS),
        KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    let ids = silta_core::demo::fill(&first, cases, 7, today()).unwrap();
    sync::configure(
        &first,
        SyncServer {
            url: server.url(),
            database: "team".into(),
            user: "laptop-1".into(),
            password: "sync password".into(),
        },
    )
    .unwrap();

    let (pushed, push) = timed(|| sync::push(&first).unwrap());
    let copy = replicate(&server);
    println!("{cases} cases: {} documents", pushed.sent);
    report(
        "first push",
        push,
        "CouchDB replication, same documents",
        copy,
    );

    let device = age::x25519::Identity::generate();
    let recipient = sync::signing::PublicDeviceKey::of(&device).unwrap();
    let enrolment = dir.path().join("enrolment.age");
    sync::enrolment::enrol_to_file(
        &first,
        &recipient.to_string(),
        &recipient.fingerprint(),
        SyncServer {
            url: server.url(),
            database: "team".into(),
            user: "laptop-2".into(),
            password: "second".into(),
        },
        &enrolment,
    )
    .unwrap();
    let mut second = sync::enrolment::join(
        &dir.path().join("second.silta"),
        "Mikko",
        &Passphrase::new(PASS),
        KdfParams::CHEAP_FOR_TESTS,
        &enrolment,
        &device,
    )
    .unwrap()
    .vault;
    let (pulled, pull) = timed(|| sync::pull(&mut second).unwrap());
    assert_eq!(pulled.waiting + pulled.refused, 0, "{pulled:?}");
    report(
        "first sync of a new laptop (pull)",
        pull,
        "CouchDB replication, same documents",
        copy,
    );
    report(
        "push + pull",
        push + pull,
        "CouchDB replication, same documents",
        copy,
    );

    // 100 records change on the first laptop: each case's note, in the first 100 cases.
    for case in ids.iter().take(100) {
        let note = first.list::<Note>(Some(*case)).unwrap().remove(0);
        first
            .update(
                &note,
                &Note {
                    text: "changed for the benchmark".into(),
                },
            )
            .unwrap();
    }
    let (pushed, push) = timed(|| sync::push(&first).unwrap());
    let copy = replicate(&server);
    println!("100 records changed: {} documents", pushed.sent);
    report(
        "incremental push",
        push,
        "CouchDB replication, the new documents",
        copy,
    );
    let (pulled, pull) = timed(|| sync::pull(&mut second).unwrap());
    assert_eq!(pulled.waiting + pulled.refused, 0, "{pulled:?}");
    report(
        "incremental pull",
        pull,
        "CouchDB replication, the new documents",
        copy,
    );
    report(
        "incremental push + pull",
        push + pull,
        "CouchDB replication, the new documents",
        copy,
    );
}
