//! A 100 MB attachment goes in and comes out with bounded memory: the `silta` process's peak
//! resident memory stays far below the file's size. (Alone in this file: it reads the peak of all
//! child processes of the test binary.)

#![cfg(target_os = "linux")]

use std::io::Write;
use std::process::Command;

const PASS: &str = "correct horse battery staple";
const SIZE: usize = 100 * 1024 * 1024;
const LIMIT_KIB: i64 = 48 * 1024;

fn peak_child_rss_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss
}

fn silta(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_silta"))
        .args(args)
        .env("SILTA_VAULT", dir.join("vault.silta"))
        .env("SILTA_PASSPHRASE", PASS)
        .env("SILTA_NEW_PASSPHRASE", PASS)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_100_mb_attachment_round_trips_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    silta(
        dir.path(),
        &[
            "vault",
            "init",
            "--user",
            "Kaisa",
            "--kdf-memory-mib",
            "19",
            "--kdf-passes",
            "2",
        ],
    );
    let case = silta(dir.path(), &["case", "new", "--name", "Aino"]);
    let src = dir.path().join("video.mp4");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&src).unwrap());
        let block: Vec<u8> = (0..1024 * 1024u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
            .collect();
        for i in 0..SIZE / block.len() {
            f.write_all(&block[i % 7..]).unwrap();
            f.write_all(&block[..i % 7]).unwrap();
        }
    }
    let baseline = peak_child_rss_kib();
    let id = silta(
        dir.path(),
        &["attach", "add", case.trim(), src.to_str().unwrap()],
    );
    let out = dir.path().join("back.mp4");
    silta(
        dir.path(),
        &["attach", "get", id.trim(), out.to_str().unwrap()],
    );
    let peak = peak_child_rss_kib();
    assert!(
        peak < LIMIT_KIB,
        "peak resident memory {peak} KiB for a {} MiB file (limit {LIMIT_KIB} KiB; before: {baseline} KiB)",
        SIZE >> 20
    );
    let (a, b) = (std::fs::read(&src).unwrap(), std::fs::read(&out).unwrap());
    assert_eq!(a.len(), SIZE);
    assert!(a == b, "the content came back different");
}
