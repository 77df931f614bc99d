//! Create and update one case with full durability: Silta, beside plaintext SQLite and SQLCipher
//! doing the same row writes, all three on SQLCipher's SQLite build in the same run. Each line gives
//! the median of 50 rounds and its ratio to plaintext SQLite.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rusqlite::Connection;
use silta_core::cases::{self, CaseInput};
use silta_core::model::{CaseDetails, NameKind, Person, PersonName};
use silta_core::vault::{KdfParams, Passphrase, Vault};

const ROUNDS: usize = 50;
const PASS: &str = "benchmark passphrase";

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A table in WAL mode with synchronous=FULL, as Silta's vault is; `key` makes it SQLCipher's.
fn table(path: &std::path::Path, key: Option<&str>) -> Connection {
    let conn = Connection::open(path).unwrap();
    if let Some(key) = key {
        conn.pragma_update(None, "key", key).unwrap();
    }
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE plain (id INTEGER PRIMARY KEY, json TEXT NOT NULL);",
    )
    .unwrap();
    conn
}

/// The rows Silta writes for a new case (case and person), then the case changed: one durable
/// commit each, as Silta makes them.
fn same_rows(conn: &Connection, json: &str) -> Duration {
    let t = Instant::now();
    for _ in 0..2 {
        conn.execute("INSERT INTO plain (json) VALUES (?1)", [json])
            .unwrap();
    }
    conn.execute(
        "UPDATE plain SET json = ?1 WHERE id = last_insert_rowid()",
        [json],
    )
    .unwrap();
    t.elapsed()
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = Vault::create(
        &dir.path().join("v.silta"),
        "Bench",
        &Passphrase::new(PASS),
        KdfParams::MINIMUM,
    )
    .unwrap();
    let plain = table(&dir.path().join("plain.sqlite"), None);
    let opened = Instant::now();
    let cipher = table(&dir.path().join("cipher.sqlite"), Some(PASS));
    let cipher_open = opened.elapsed();
    let version: String = cipher
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .unwrap();

    let person = Person {
        names: vec![PersonName {
            name: "Aino Mäkinen".into(),
            kind: NameKind::Legal,
        }],
        ..Person::default()
    };
    let (mut ours, mut base, mut sqlcipher) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let view = cases::open_case(
            &vault,
            CaseInput {
                person: person.clone(),
                details: Some(CaseDetails::new("Bench", today)),
            },
            today,
        )
        .unwrap();
        cases::edit(
            &vault,
            view.case.id,
            CaseInput {
                person: person.clone(),
                details: Some(CaseDetails {
                    urgent: true,
                    ..view.case.record.details.clone()
                }),
            },
            today,
        )
        .unwrap();
        ours.push(t.elapsed());
        let json = serde_json::to_string(&view.case.record).unwrap();
        base.push(same_rows(&plain, &json));
        sqlcipher.push(same_rows(&cipher, &json));
    }
    let base = median(base);
    println!("create + update one case, durable (median of {ROUNDS}; SQLCipher {version})\n");
    for (what, d) in [
        ("plaintext SQLite, synchronous=FULL (baseline)", base),
        ("SQLCipher, same rows, synchronous=FULL", median(sqlcipher)),
        ("Silta", median(ours)),
    ] {
        println!(
            "{what:<48} {:>8.3} ms   ratio to plaintext {:>5.2}",
            ms(d),
            ms(d) / ms(base)
        );
    }
    println!(
        "\n(SQLCipher's key derivation at open, PBKDF2, timed apart: {:.0} ms)",
        ms(cipher_open)
    );
}
