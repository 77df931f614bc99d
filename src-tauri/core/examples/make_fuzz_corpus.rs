//! Writes the fuzz targets' seed corpus (fuzz/corpus/<target>/): a real key slot, a sealed record,
//! a sealed chunk and a whole referral package, so the fuzzer starts from valid input and mutates
//! its way into the parsers. Run: cargo run -p silta-core --example make_fuzz_corpus --features fuzzing,test-support

use std::path::Path;
use std::str::FromStr;

use silta_core::org::OrgKeys;
use silta_core::referral::package::{FUZZ_IDENTITY, PackageWriter};
use silta_core::vault::fuzzing;
use silta_core::vault::{KdfParams, Passphrase, Vault};

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("v.silta");
    Vault::create(
        &path,
        "Fuzz",
        &Passphrase::new("fuzz passphrase"),
        KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let slot: Vec<u8> = conn
        .query_row(
            "SELECT slot FROM key_slots WHERE user IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    write("slot", "passphrase-slot", &slot);
    let recovery: Vec<u8> = conn
        .query_row("SELECT slot FROM key_slots WHERE user IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    write("slot", "recovery-slot", &recovery);

    write(
        "record",
        "note",
        &fuzzing::seal_record(
            br#"{"saved_at":"2026-11-28T00:00:00Z","saved_by":"Fuzz","record":{"text":"hello"}}"#,
        ),
    );
    write("chunk", "chunk", &fuzzing::seal_chunk(b"attachment bytes"));

    let identity = age::x25519::Identity::from_str(FUZZ_IDENTITY).unwrap();
    let keys = OrgKeys::for_tests("Fuzz org");
    let out = tmp.path().join("p.age");
    let mut w = PackageWriter::create(&out, &[identity.to_public()]).unwrap();
    w.add("referral.json", br#"{"format":"silta-referral-data"}"#)
        .unwrap();
    w.add("referral.html", b"<!DOCTYPE html><p>form</p>")
        .unwrap();
    let manifest = serde_json::json!({ "sender": keys.card().unwrap(), "files": w.files() });
    w.finish(&manifest, &keys).unwrap();
    write("package", "package", &std::fs::read(&out).unwrap());
    println!("seed corpus written to fuzz/corpus/");
}
