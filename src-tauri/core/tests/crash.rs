//! A writer killed with SIGKILL at a random moment leaves a vault that opens, passes SQLite's
//! integrity check, and holds every record whose write had returned before the kill.
//!
//! This binary is its own writer: run with `--writer PATH` it adds notes in a loop, printing each
//! id once `insert` has returned; without it, it drives the rounds.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use silta_core::cases::{self, CaseInput};
use silta_core::ids::NoteId;
use silta_core::model::{NameKind, Note, Person, PersonName};
use silta_core::vault::{KdfParams, Passphrase, Vault};

const PASS: &str = "crash test passphrase";
/// Issue 6 asks for at least 200 rounds; SILTA_CRASH_ROUNDS sets another number.
const ROUNDS: u32 = 200;

fn writer(path: &str) {
    let vault = Vault::unlock(path.as_ref(), None, &Passphrase::new(PASS)).expect("unlock");
    let case = cases::overviews(&vault).expect("cases")[0].id;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for i in 0.. {
        let note = Note {
            text: format!("note {i} ").repeat(1 + i % 50),
        };
        let stored = vault.insert(Some(case), &note).expect("insert");
        writeln!(out, "{}", stored.id).expect("stdout");
        out.flush().expect("flush");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--writer") {
        writer(&args[i + 1]);
        return;
    }
    // `cargo test -- --list` and filters: this binary has one test, named crash.
    if args.iter().any(|a| a == "--list") {
        println!("crash: test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.silta");
    let (vault, _) = Vault::create(
        &path,
        "Kaisa",
        &Passphrase::new(PASS),
        KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    cases::open_case(
        &vault,
        CaseInput {
            person: Person {
                names: vec![PersonName {
                    name: "Aino".into(),
                    kind: NameKind::Legal,
                }],
                ..Person::default()
            },
            details: None,
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    )
    .unwrap();
    vault.lock();

    let rounds: u32 = std::env::var("SILTA_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(ROUNDS);
    let me = std::env::current_exe().unwrap();
    let mut acknowledged: Vec<NoteId> = Vec::new();
    for round in 0..rounds {
        let before = acknowledged.len();
        let mut child = Command::new(&me)
            .arg("--writer")
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // A random moment, different every round and every run.
        let wait = rand::Rng::gen_range(&mut rand::thread_rng(), 20..220);
        let deadline = Instant::now() + Duration::from_millis(wait);
        while Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(5)) {
                acknowledged.push(line.parse().unwrap_or_else(|e| panic!("{line:?}: {e}")));
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        // Lines already printed were acknowledged before the kill.
        acknowledged.extend(rx.try_iter().map(|l| l.parse::<NoteId>().unwrap()));

        let conn = rusqlite::Connection::open(&path).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}: integrity check");
        drop(conn);
        // This round's writes now; every write once more at the end.
        let vault = Vault::unlock(&path, None, &Passphrase::new(PASS)).unwrap();
        for id in &acknowledged[before..] {
            if let Err(e) = vault.get::<Note>(*id) {
                panic!("round {round}: acknowledged note {id} lost: {e}");
            }
        }
    }
    let vault = Vault::unlock(&path, None, &Passphrase::new(PASS)).unwrap();
    for id in &acknowledged {
        if let Err(e) = vault.get::<Note>(*id) {
            panic!("acknowledged note {id} lost: {e}");
        }
    }
    let audit = silta_core::audit::verify(&vault).unwrap();
    assert_eq!(audit.broken, None, "the audit chain survives the crashes");
    assert!(
        acknowledged.len() > rounds as usize,
        "the writers wrote too little to test anything"
    );
    println!(
        "crash: {rounds} writers killed mid-write, {} acknowledged notes all present, audit chain intact",
        acknowledged.len()
    );
}
