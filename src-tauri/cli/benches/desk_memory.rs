//! `cargo bench -p silta-cli --bench desk_memory`: peak resident memory of the real `silta
//! referral open` and `silta referral import` on a package with a large attachment (256 MiB;
//! SILTA_BENCH_ATTACHMENT_MIB to change it), beside the standard `age` CLI decrypting the same
//! package in the same run. The receiving desk must stay under 150 MB whatever the package holds:
//! attachments are streamed through, never held whole.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use silta_core::cases::{self, CaseInput};
use silta_core::model::{
    Attachment, Birth, Consent, FieldGroup, GivenBy, NameKind, Person, PersonName, Purpose,
};
use silta_core::recipients::{self, KeySource, RecipientKind};
use silta_core::referral::data::FormLanguage;
use silta_core::referral::{self, Mode, Request, desk};
use silta_core::vault::{KdfParams, Passphrase, Vault};
use silta_core::{consents, org};

const PASS: &str = "benchmark passphrase";
const MAKE: &str = "SILTA_BENCH_MAKE_IN";
const DESK: &str = "Assistance System";

/// Runs `cmd` to its end; its peak resident memory in MiB, read by wait4.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also gives its resource usage"
)]
fn peak_mib(cmd: &mut Command) -> f64 {
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
    assert_eq!(rc, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the measured process failed: {cmd:?}"
    );
    usage.ru_maxrss as f64 / 1024.0
}

/// `mib` MiB of varied bytes, made as they are read: the attachment never sits in memory here.
struct Filler {
    left: u64,
    state: u64,
}

impl Read for Filler {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.left as usize);
        for b in &mut buf[..n] {
            self.state = self.state.wrapping_mul(6364136223846793005).wrapping_add(1);
            *b = (self.state >> 56) as u8;
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The sender's vault, a package to the desk with one large attachment, the desk's key and the
/// desk's vault, in `dir`. Run in a child process: Linux counts a parent's peak into the
/// processes it starts, so the measuring parent must stay small.
fn make_data(dir: &Path, mib: u64) -> silta_core::Result<()> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
    let (desk_public, _) = desk::keygen(&dir.join("desk.key"))?;
    let (sender, _) = Vault::create(
        &dir.join("sender.silta"),
        "Bench",
        &Passphrase::new(PASS),
        KdfParams::MINIMUM,
    )?;
    org::set_up(&sender, "Pro-tukipiste")?;
    let r = recipients::add(
        &sender,
        DESK,
        RecipientKind::AssistanceSystem,
        None,
        KeySource::AgeRecipient(&desk_public),
    )?;
    recipients::confirm(&sender, DESK, &r.record.fingerprint, today)?;
    let view = cases::open_case(
        &sender,
        CaseInput {
            person: Person {
                names: vec![PersonName {
                    name: "Aino Mäkinen".into(),
                    kind: NameKind::Legal,
                }],
                birth: Some(Birth::EstimatedYear(1990)),
                ..Person::default()
            },
            details: None,
        },
        today,
    )?;
    let attachment = sender.add_attachment(
        view.case.id,
        Attachment::new("recording.bin", "application/octet-stream"),
        Filler {
            left: mib << 20,
            state: 7,
        },
        "generated",
    )?;
    let groups = vec![FieldGroup::Identity, FieldGroup::Attachment(attachment.id)];
    consents::add(
        &sender,
        view.case.id,
        &Consent {
            purpose: Purpose::Referral,
            recipient: Some(DESK.into()),
            field_groups: groups.clone(),
            information: Some(
                silta_core::information::Library::load(None)
                    .render(&"fi".parse().unwrap(), Purpose::Referral, None)
                    .unwrap()
                    .shown,
            ),
            interpreter: None,
            given_by: GivenBy::Person,
            representative: None,
            guardian_suspected: false,
            no_representative: None,
            child_views: None,
            signed_form: None,
            date: today,
            expires: None,
            withdrawn: None,
            recorded_by: String::new(),
        },
        today,
    )?;
    referral::create(
        &sender,
        &Request {
            case: view.case.id,
            recipient: DESK.into(),
            mode: Mode::Referral,
            fields: Some(groups),
            names_no_one: false,
            language: None,
            missing_reason: Some("Measuring the desk's memory.".into()),
            checked_for_others: true,
            notification: None,
        },
        &dir.join("package.age"),
        today,
        FormLanguage::En,
    )?;
    // The desk's vault has the default key derivation, as a real one does: its 64 MiB count.
    Vault::create(
        &dir.join("desk.silta"),
        "Desk",
        &Passphrase::new(PASS),
        KdfParams::DEFAULT,
    )?;
    Ok(())
}

fn main() {
    let mib: u64 = std::env::var("SILTA_BENCH_ATTACHMENT_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    if let Some(dir) = std::env::var_os(MAKE) {
        return make_data(Path::new(&dir), mib).expect("make the benchmark's data");
    }
    let dir = tempfile::tempdir().unwrap();
    peak_mib(Command::new(std::env::current_exe().unwrap()).env(MAKE, dir.path()));
    let path = |name: &str| dir.path().join(name);
    let silta = |args: &[&Path]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_silta"));
        cmd.args(args)
            .env("SILTA_VAULT", path("desk.silta"))
            .env("SILTA_PASSPHRASE", PASS);
        cmd
    };
    let (package, key) = (path("package.age"), path("desk.key"));
    let age = peak_mib(Command::new("age").args([
        Path::new("-d"),
        Path::new("-i"),
        &key,
        Path::new("-o"),
        Path::new("/dev/null"),
        &package,
    ]));
    let open = peak_mib(&mut silta(&[
        Path::new("referral"),
        Path::new("open"),
        &package,
        Path::new("--identity"),
        &key,
    ]));
    let import = peak_mib(&mut silta(&[
        Path::new("referral"),
        Path::new("import"),
        &package,
        Path::new("--identity"),
        &key,
        Path::new("--from-unknown-sender"),
    ]));
    for (what, ours) in [("referral open", open), ("referral import", import)] {
        println!(
            "{:<58} {:>7.1} MiB   {:<34} {:>6.1} MiB   ratio {:>5.2}   target < 150 MB",
            format!("peak memory, `silta {what}`, {mib} MiB attachment"),
            ours,
            "age -d of the same package",
            age,
            ours / age
        );
    }
}
