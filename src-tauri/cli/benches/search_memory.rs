//! `cargo bench -p silta-cli --bench search_memory`: peak resident memory and wall time of the real
//! `silta case search` on a vault of demo cases (10,000; SILTA_BENCH_CASES=100000 for the large
//! organisation), beside a baseline process in the same run: this benchmark re-run as a plain
//! program that reads the same people's overviews from an unencrypted SQLite table into memory and
//! scans them for the same word.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use silta_core::cases;
use silta_core::vault::{KdfParams, Passphrase, Vault};

const PASS: &str = "benchmark passphrase";
const QUERY: &str = "maki";
const BASELINE: &str = "SILTA_BENCH_BASELINE_DB";
const MAKE: &str = "SILTA_BENCH_MAKE_IN";

/// Runs `cmd` to its end; its wall time and peak resident memory in MiB, read by wait4.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also gives its resource usage"
)]
fn measure(cmd: &mut Command) -> (Duration, f64) {
    let start = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start the measured process");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: wait4 writes only into the status and rusage we pass; the child is ours and is
    // reaped here (dropping `child` afterwards does not wait for it again).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(rc, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the measured process failed: {cmd:?}"
    );
    (elapsed, usage.ru_maxrss as f64 / 1024.0)
}

/// The baseline process: every overview from the plaintext table into memory, then the scan.
fn baseline_child(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT json FROM plain").unwrap();
    let rows: Vec<serde_json::Value> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|j| serde_json::from_str(&j.unwrap()).unwrap())
        .collect();
    let hits = rows
        .iter()
        .filter(|r| r.to_string().to_lowercase().contains(QUERY))
        .take(20)
        .count();
    println!("{hits}");
}

/// Makes the vault and the plaintext table in `dir`. Run in a child process: Linux counts the
/// parent's peak memory into every process it starts, so the measuring parent must stay small.
fn make_data(dir: &Path, n: usize) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    // The default key derivation, as a user's vault has: its 64 MiB are part of the peak.
    let (vault, _) = Vault::create(
        &dir.join("v.silta"),
        "Bench",
        &Passphrase::new(PASS),
        KdfParams::DEFAULT,
    )
    .unwrap();
    silta_core::demo::fill(&vault, n, 1, today).unwrap();
    let conn = rusqlite::Connection::open(dir.join("plain.sqlite")).unwrap();
    conn.execute_batch("CREATE TABLE plain (id INTEGER PRIMARY KEY, json TEXT NOT NULL);")
        .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    for c in cases::overviews(&vault).unwrap() {
        tx.execute(
            "INSERT INTO plain (json) VALUES (?1)",
            [serde_json::to_string(&c).unwrap()],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

fn main() {
    let n: usize = std::env::var("SILTA_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    if let Some(db) = std::env::var_os(BASELINE) {
        return baseline_child(Path::new(&db));
    }
    if let Some(dir) = std::env::var_os(MAKE) {
        return make_data(Path::new(&dir), n);
    }
    let dir = tempfile::tempdir().unwrap();
    let (made, _) = measure(Command::new(std::env::current_exe().unwrap()).env(MAKE, dir.path()));
    println!(
        "made a vault of {n} demo cases in {:.0} s\n",
        made.as_secs_f64()
    );

    let (floor_time, floor_rss) =
        measure(Command::new(env!("CARGO_BIN_EXE_silta")).arg("--version"));
    let (ours_time, ours_rss) = measure(
        Command::new(env!("CARGO_BIN_EXE_silta"))
            .args(["case", "search", QUERY])
            .env("SILTA_VAULT", dir.path().join("v.silta"))
            .env("SILTA_PASSPHRASE", PASS),
    );
    let (base_time, base_rss) = measure(
        Command::new(std::env::current_exe().unwrap())
            .env(BASELINE, dir.path().join("plain.sqlite")),
    );
    println!(
        "{:<52} {:>8.1} MiB   {:<40} {:>8.1} MiB   ratio {:>5.2}",
        format!("peak memory, `silta case search` over {n} cases"),
        ours_rss,
        "plaintext SQLite read into memory",
        base_rss,
        ours_rss / base_rss
    );
    println!(
        "{:<52} {:>8.0} ms    {:<40} {:>8.0} ms    ratio {:>5.2}",
        "wall time, unlock (Argon2id 64 MiB) + index + search",
        ours_time.as_secs_f64() * 1e3,
        "the same plaintext read and scan",
        base_time.as_secs_f64() * 1e3,
        ours_time.as_secs_f64() / base_time.as_secs_f64()
    );
    println!(
        "(for scale: `silta --version` alone peaks at {floor_rss:.1} MiB in {:.0} ms)",
        floor_time.as_secs_f64() * 1e3
    );
}
