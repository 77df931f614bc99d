//! `cargo bench -p silta-core`: each figure beside a baseline measured in the same run on the same
//! data, and their ratio. Sizes: 1,000 and 10,000 cases; set SILTA_BENCH_CASES=100000 for the
//! large organisation (building that vault takes a while). Numbers go to docs/performance.md.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use silta_core::cases::{self, CaseInput};
use silta_core::model::{Attachment, CaseDetails, NameKind, Person, PersonName};
use silta_core::search::SearchIndex;
use silta_core::vault::{KdfParams, Passphrase, Vault};

const PASS: &str = "benchmark passphrase";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn report(what: &str, ours: Duration, baseline_name: &str, baseline: Duration) {
    println!(
        "{what:<46} {:>10.3} ms   {baseline_name:<34} {:>10.3} ms   ratio {:>6.2}",
        ours.as_secs_f64() * 1e3,
        baseline.as_secs_f64() * 1e3,
        ours.as_secs_f64() / baseline.as_secs_f64().max(1e-9)
    );
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn percentile(mut xs: Vec<Duration>, p: f64) -> Duration {
    xs.sort();
    xs[((xs.len() as f64 - 1.0) * p).round() as usize]
}

/// A plaintext SQLite table holding the same overviews as JSON: what reading them costs without
/// encryption.
fn plaintext_copy(dir: &Path, vault: &Vault) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(dir.join("plain.sqlite")).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE IF NOT EXISTS plain (id INTEGER PRIMARY KEY, json TEXT NOT NULL);",
    )
    .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    for c in cases::overviews(vault).unwrap() {
        let json = serde_json::to_string(&c).unwrap();
        // Twice: a case and its person are two records in the vault.
        tx.execute("INSERT INTO plain (json) VALUES (?1)", [&json])
            .unwrap();
        tx.execute("INSERT INTO plain (json) VALUES (?1)", [&json])
            .unwrap();
    }
    tx.commit().unwrap();
    conn
}

fn read_plain(conn: &rusqlite::Connection) -> usize {
    let mut stmt = conn.prepare("SELECT json FROM plain").unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|j| serde_json::from_str::<serde_json::Value>(&j.unwrap()).unwrap())
        .filter(serde_json::Value::is_object)
        .count()
}

fn unlock_and_index(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.silta");
    let (vault, _) =
        Vault::create(&path, "Bench", &Passphrase::new(PASS), KdfParams::DEFAULT).unwrap();
    silta_core::demo::fill(&vault, n, 1, today()).unwrap();
    let plain = plaintext_copy(dir.path(), &vault);
    drop(vault);

    let start = Instant::now();
    let vault = Vault::unlock(&path, None, &Passphrase::new(PASS)).unwrap();
    let first = start.elapsed();
    // Every later unlock checks the chain only from where the one before stopped.
    drop(vault);
    let start = Instant::now();
    let vault = Vault::unlock(&path, None, &Passphrase::new(PASS)).unwrap();
    let again = start.elapsed();
    let start = Instant::now();
    let overviews = cases::overviews(&vault).unwrap();
    let read = start.elapsed();
    let index = SearchIndex::build(overviews);
    let build = start.elapsed();
    let start = Instant::now();
    let rows = read_plain(&plain);
    let baseline = start.elapsed();
    assert_eq!(rows, 2 * n);
    println!(
        "unlock of {n} cases: Argon2id (64 MiB, 3 passes), the file's structure, the ledger check and the unlock's entry:\n  \
         first after filling (the whole chain checked once) {:.0} ms; every later unlock {:.0} ms",
        first.as_secs_f64() * 1e3,
        again.as_secs_f64() * 1e3
    );
    // The check every unlock makes (rows recounted, the chain from the last entry checked whole)
    // beside the full check, which replays the whole log against every record version.
    let start = Instant::now();
    assert!(silta_core::audit::check(&vault).unwrap().is_intact());
    let quick = start.elapsed();
    let start = Instant::now();
    assert!(silta_core::audit::verify(&vault).unwrap().is_intact());
    let full = start.elapsed();
    report(
        &format!("ledger check at unlock, {n} cases"),
        quick,
        "full check (the whole log replayed)",
        full,
    );
    report(
        &format!("index {n} cases (decrypt + build)"),
        build,
        "plaintext SQLite read",
        baseline,
    );
    println!(
        "  of which reading and decrypting {:.0} ms, building the word index {:.0} ms",
        read.as_secs_f64() * 1e3,
        (build - read).as_secs_f64() * 1e3
    );

    // Search as you type: every prefix of a few names, as keystrokes.
    let names: Vec<String> = cases::overviews(&vault)
        .unwrap()
        .into_iter()
        .take(20)
        .map(|c| c.name.to_lowercase())
        .collect();
    let lower: Vec<String> = cases::overviews(&vault)
        .unwrap()
        .into_iter()
        .map(|c| c.name.to_lowercase())
        .collect();
    let mut ours = Vec::new();
    let mut naive = Vec::new();
    for name in &names {
        for end in 1..=name.chars().count() {
            let q: String = name.chars().take(end).collect();
            let t = Instant::now();
            std::hint::black_box(index.search(&q, 50));
            ours.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(lower.iter().filter(|n| n.contains(&q)).take(50).count());
            naive.push(t.elapsed());
        }
    }
    report(
        &format!("keystroke over {n} cases, median"),
        median(ours.clone()),
        "substring scan, median",
        median(naive.clone()),
    );
    report(
        &format!("keystroke over {n} cases, 99th percentile"),
        percentile(ours, 0.99),
        "substring scan, 99th percentile",
        percentile(naive, 0.99),
    );
}

fn durable_write() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = Vault::create(
        &dir.path().join("v.silta"),
        "Bench",
        &Passphrase::new(PASS),
        KdfParams::MINIMUM,
    )
    .unwrap();
    let plain = rusqlite::Connection::open(dir.path().join("plain.sqlite")).unwrap();
    plain
        .execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE plain (id INTEGER PRIMARY KEY, json TEXT);")
        .unwrap();
    let person = Person {
        names: vec![PersonName {
            name: "Aino Mäkinen".into(),
            kind: NameKind::Legal,
        }],
        ..Person::default()
    };
    let mut ours = Vec::new();
    let mut base = Vec::new();
    for _ in 0..50 {
        let input = CaseInput {
            person: person.clone(),
            details: Some(CaseDetails::new("Bench", today())),
        };
        let t = Instant::now();
        let view = cases::open_case(&vault, input.clone(), today()).unwrap();
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
            today(),
        )
        .unwrap();
        ours.push(t.elapsed());
        let json = serde_json::to_string(&view.case.record).unwrap();
        let t = Instant::now();
        for _ in 0..2 {
            plain
                .execute("INSERT INTO plain (json) VALUES (?1)", [&json])
                .unwrap();
        }
        plain
            .execute(
                "UPDATE plain SET json = ?1 WHERE id = last_insert_rowid()",
                [&json],
            )
            .unwrap();
        base.push(t.elapsed());
    }
    report(
        "create + update one case, durable (median)",
        median(ours),
        "plaintext SQLite, synchronous=FULL",
        median(base),
    );
}

fn package_100mb() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = Vault::create(
        &dir.path().join("v.silta"),
        "Bench",
        &Passphrase::new(PASS),
        KdfParams::MINIMUM,
    )
    .unwrap();
    silta_core::org::set_up(&vault, "Bench org").unwrap();
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let r = silta_core::recipients::add(
        &vault,
        "Desk",
        silta_core::recipients::RecipientKind::AssistanceSystem,
        None,
        silta_core::recipients::KeySource::AgeRecipient(&recipient),
    )
    .unwrap();
    silta_core::recipients::confirm(&vault, "Desk", &r.record.fingerprint, today()).unwrap();
    let mut person = Person {
        names: vec![PersonName {
            name: "A".into(),
            kind: NameKind::Legal,
        }],
        ..Person::default()
    };
    person.birth = Some(silta_core::model::Birth::Date(
        NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
    ));
    let view = cases::open_case(
        &vault,
        CaseInput {
            person,
            details: None,
        },
        today(),
    )
    .unwrap();
    let bytes: Vec<u8> = (0..100u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let source = dir.path().join("video.bin");
    std::fs::write(&source, &bytes).unwrap();
    let a = vault
        .add_attachment(
            view.case.id,
            Attachment::new("video.bin", "application/octet-stream"),
            bytes.as_slice(),
            "bench",
        )
        .unwrap();
    let groups = vec![silta_core::model::FieldGroup::Attachment(a.id)];
    let consent = silta_core::model::Consent {
        purpose: silta_core::model::Purpose::Referral,
        recipient: Some("Desk".into()),
        field_groups: groups.clone(),
        information: Some(
            silta_core::information::Library::load(None)
                .render(
                    &"fi".parse().unwrap(),
                    silta_core::model::Purpose::Referral,
                    None,
                )
                .unwrap()
                .shown,
        ),
        interpreter: None,
        given_by: silta_core::model::GivenBy::Person,
        representative: None,
        guardian_suspected: false,
        no_representative: None,
        child_views: None,
        signed_form: None,
        date: today(),
        expires: None,
        withdrawn: None,
        recorded_by: String::new(),
    };
    silta_core::consents::add(&vault, view.case.id, &consent, today()).unwrap();
    let request = silta_core::referral::Request {
        case: view.case.id,
        recipient: "Desk".into(),
        mode: silta_core::referral::Mode::Referral,
        fields: Some(groups),
        names_no_one: false,
        language: None,
        missing_reason: Some("Measuring packaging.".into()),
        checked_for_others: true,
        notification: None,
    };
    let t = Instant::now();
    silta_core::referral::create(
        &vault,
        &request,
        &dir.path().join("p.age"),
        today(),
        silta_core::referral::data::FormLanguage::En,
    )
    .unwrap();
    let ours = t.elapsed();
    let t = Instant::now();
    let out = dir.path().join("by-age.age");
    let status = std::process::Command::new("age")
        .args(["-r", &recipient, "-o"])
        .arg(&out)
        .arg(&source)
        .status();
    let baseline = t.elapsed();
    // Silta makes the package durable before it logs the disclosure; the age CLI leaves its file
    // to the page cache. The same fsync on age's file, timed, makes the second baseline.
    std::fs::File::open(&out).unwrap().sync_all().unwrap();
    let durable = t.elapsed();
    match status {
        Ok(s) if s.success() => {
            report(
                "referral package, 100 MB attachment",
                ours,
                "age CLI encrypting the same bytes",
                baseline,
            );
            report(
                "referral package, 100 MB attachment",
                ours,
                "the same, then fsync of its file",
                durable,
            );
        }
        _ => println!(
            "referral package, 100 MB attachment: {:.0} ms (the age CLI is not installed: no baseline)",
            ours.as_secs_f64() * 1e3
        ),
    }
}

fn peak_rss_mib() -> f64 {
    // SAFETY: getrusage only fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

fn main() {
    // `cargo bench` passes --bench; any other argument names the parts to run (index, durable,
    // package), so one figure can be measured again several times without the others.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let run = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    let big: usize = std::env::var("SILTA_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    println!(
        "silta benchmarks (each line: ours, then a baseline in the same run, then ours/baseline)\n"
    );
    if run("index") {
        for n in [1_000, 10_000].into_iter().chain((big > 0).then_some(big)) {
            unlock_and_index(n);
        }
    }
    if run("durable") {
        durable_write();
    }
    if run("package") {
        package_100mb();
    }
    println!(
        "\npeak resident memory of this benchmark process: {:.0} MiB",
        peak_rss_mib()
    );
}
