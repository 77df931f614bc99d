//! The real `silta` binary, driven as a user or a script would.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const PASS: &str = "correct horse battery staple";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("vault.silta")
    }

    fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    /// `silta ARGS` with the vault, the passphrase in the environment and cheap-but-legal KDF.
    fn run_with(&self, args: &[&str], stdin: Option<&str>, pass: &str) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_silta"));
        cmd.args(args)
            .env("SILTA_VAULT", self.vault())
            .env("SILTA_PASSPHRASE", pass)
            .env_remove("SILTA_USER")
            .env_remove("SILTA_NEW_PASSPHRASE")
            .env_remove("SILTA_RECOVERY_KEY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        child.wait_with_output().unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, None, PASS)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "silta {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Adds the "Assistance System" recipient with the age key `public`.
    fn add_desk(&self, public: &str) {
        self.ok(&[
            "recipient",
            "add",
            "Assistance System",
            "--age-recipient",
            public,
            "--kind",
            "assistance-system",
        ]);
    }

    /// Confirms the desk's fingerprint, as read out by phone (computed here by `silta fingerprint`).
    fn confirm_desk(&self, public: &str) {
        let fingerprint = self.ok(&["fingerprint", public]);
        self.ok(&[
            "recipient",
            "confirm",
            "Assistance System",
            "--fingerprint",
            fingerprint.trim(),
        ]);
    }

    fn init(&self) -> String {
        let pw = self.file("new-pass", PASS.as_bytes());
        self.ok(&[
            "vault",
            "init",
            "--user",
            "Kaisa",
            "--new-passphrase-file",
            pw.to_str().unwrap(),
            "--kdf-memory-mib",
            "19",
            "--kdf-passes",
            "2",
            "--json",
        ])
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn init_prints_a_recovery_key_once_and_info_needs_no_passphrase() {
    let env = Env::new();
    let created = json(&env.init());
    let key = created["recovery_key"].as_str().unwrap();
    assert_eq!(key.split('-').count(), 11);
    let info = json(
        &String::from_utf8(
            env.run_with(&["vault", "info", "--json"], None, "not needed")
                .stdout,
        )
        .unwrap(),
    );
    assert_eq!(info["users"][0]["name"], "Kaisa");
    assert_eq!(info["users"][0]["kdf"]["memory_kib"], 19 * 1024);
    assert_eq!(info["has_recovery_key"], true);
    // The key appears nowhere on disk.
    for entry in std::fs::read_dir(env.dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()));
    }
}

#[test]
fn a_human_init_says_the_key_is_shown_once() {
    let env = Env::new();
    let pw = env.file("p", PASS.as_bytes());
    let out = env.ok(&[
        "vault",
        "init",
        "--user",
        "Kaisa",
        "--new-passphrase-file",
        pw.to_str().unwrap(),
        "--kdf-memory-mib",
        "19",
        "--kdf-passes",
        "2",
    ]);
    assert!(out.contains("shown only this once"), "{out}");
}

#[test]
fn weak_key_derivation_settings_are_refused() {
    let env = Env::new();
    let pw = env.file("p", PASS.as_bytes());
    let out = env.run(&[
        "vault",
        "init",
        "--user",
        "Kaisa",
        "--new-passphrase-file",
        pw.to_str().unwrap(),
        "--kdf-memory-mib",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("between 19 MiB"), "{}", stderr(&out));
    assert!(!env.vault().exists());
}

#[test]
fn cases_are_opened_listed_searched_shown_edited_and_have_history() {
    let env = Env::new();
    env.init();
    let id = env.ok(&[
        "case",
        "new",
        "--name",
        "Aino Mäkinen",
        "--alias",
        "Angel",
        "--citizenship",
        "fi",
        "--birth-date",
        "1990-04-30",
    ]);
    let id = id.trim();
    assert_eq!(id.len(), 36, "prints the new id: {id}");
    env.ok(&[
        "case",
        "new",
        "--name",
        "Ingrid Åström",
        "--citizenship",
        "SE",
    ]);

    let list = json(&env.ok(&["case", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(
        list[0]["number"],
        "2026-0002".replace("2026", &chrono_year())
    );

    let hits = json(&env.ok(&["case", "search", "makinen", "--json"]));
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert_eq!(hits[0]["id"], id);
    assert_eq!(
        json(&env.ok(&["case", "search", "astrom", "--json"]))[0]["name"],
        "Ingrid Åström"
    );
    assert_eq!(
        json(&env.ok(&["--json", "case", "search", "angel"]))[0]["id"],
        id
    );

    let shown = json(&env.ok(&["case", "show", id, "--json"]));
    assert_eq!(shown["person"]["record"]["citizenships"][0], "FI");
    let mut edit = serde_json::json!({
        "person": shown["person"]["record"],
        "details": shown["case"]["record"]["details"],
    });
    edit["details"]["status"] = "FollowUp".into();
    edit["details"]["exploitation_types"] = serde_json::json!(["ForcedLabour"]);
    let out = env.run_with(
        &["case", "edit", id, "--json", "-"],
        Some(&edit.to_string()),
        PASS,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let history = json(&env.ok(&["case", "history", id, "--json"]));
    assert_eq!(history["case"].as_array().unwrap().len(), 2);
    assert_eq!(history["case"][0]["record"]["details"]["status"], "Active");
    assert_eq!(
        history["case"][1]["record"]["details"]["status"],
        "FollowUp"
    );
    assert_eq!(history["case"][1]["saved_by"], "Kaisa");

    let number = shown["case"]["record"]["number"]
        .as_str()
        .unwrap()
        .to_string();
    let by_number = env.ok(&["case", "show", &number]);
    assert!(
        by_number.contains("Aino Mäkinen") && by_number.contains("FollowUp"),
        "{by_number}"
    );
}

fn chrono_year() -> String {
    chrono::Local::now().format("%Y").to_string()
}

#[test]
fn a_whole_record_can_be_given_as_json() {
    let env = Env::new();
    env.init();
    let record = r#"{"person": {"names": [{"name": "Chidi Okafor", "kind": "legal"},
        {"name": "Lucky", "kind": "used_during_exploitation"}], "citizenships": ["NG"],
        "birth": {"estimated_year": 2001}, "age_uncertain": true}}"#;
    let file = env.file("case.json", record.as_bytes());
    let id = env.ok(&["case", "new", "--json", file.to_str().unwrap()]);
    let shown = json(&env.ok(&["case", "show", id.trim(), "--json"]));
    assert_eq!(shown["person"]["record"]["names"][1]["name"], "Lucky");
    assert_eq!(
        shown["case"]["record"]["details"]["urgent"], true,
        "age uncertain: urgent"
    );

    let bad = env.run_with(
        &["case", "new", "--json", "-"],
        Some(r#"{"person": {"names": [], "nickname": 1}}"#),
        PASS,
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("nickname"), "{}", stderr(&bad));
}

/// GDPR Art. 15(4): an access export of a case with an exploiter waits for a review, and what
/// the review withholds is in no file it writes.
#[test]
fn an_access_export_is_reviewed_first_and_leaves_out_what_is_withheld() {
    let env = Env::new();
    env.init();
    let record = r#"{"person": {"names": [{"name": "Ioana Popescu", "kind": "legal"}]},
        "details": {"status": "Active", "caseworker": "K", "opened": "2026-11-01",
        "exploiters": [{"name": "CANARY-BOSS", "phones": ["+358 50 111"], "vehicles": [],
        "addresses": [], "websites": [], "note": ""}]}}"#;
    let file = env.file("case.json", record.as_bytes());
    let case = env.ok(&["case", "new", "--json", file.to_str().unwrap()]);
    let case = case.trim();
    let out = env.dir.path().join("export");
    let unreviewed = env.run(&[
        "case",
        "export-subject",
        case,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(unreviewed.status.code(), Some(1));
    assert!(
        stderr(&unreviewed).contains("subject-review"),
        "{}",
        stderr(&unreviewed)
    );
    assert!(!out.exists());
    let listed = env.ok(&["case", "subject-review", case]);
    assert!(
        listed.contains("exploiter:1") && listed.contains("CANARY-BOSS"),
        "{listed}"
    );
    let review = env.ok(&["case", "subject-review", case, "--json"]);
    assert_eq!(json(&review)["choices"]["exploiter:1"], "safety");
    let review = env.file("review.json", review.as_bytes());
    env.ok(&[
        "case",
        "export-subject",
        case,
        "--out",
        out.to_str().unwrap(),
        "--language",
        "sv",
        "--review",
        review.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(out.join("subject.html")).unwrap();
    let json_file = std::fs::read_to_string(out.join("subject.json")).unwrap();
    assert!(html.contains("Ioana Popescu") && html.contains("Uppgifter som sparats om dig"));
    for text in [&html, &json_file] {
        assert!(!text.contains("CANARY-BOSS") && !text.contains("+358 50 111"));
    }
    assert!(html.contains("Uppgifter om en förövare (1)"));
}

/// The rule: the period's kind follows the residence status (a reflection period for someone
/// without a right of residence, ulkomaalaislaki 52 b §; a recovery period otherwise,
/// vastaanottolaki 34 a §), its dates come from the decision, and the reminder follows them.
#[test]
fn a_period_is_recorded_from_its_decision_and_its_kind_follows_the_residence_status() {
    let env = Env::new();
    env.init();
    let record = r#"{"person": {"names": [{"name": "Ama Mensah"}], "citizenships": ["GH"],
        "residence_status": {"kind": "no_permit"}}}"#;
    let file = env.file("case.json", record.as_bytes());
    let case = env.ok(&["case", "new", "--json", file.to_str().unwrap()]);
    let case = case.trim();
    let short = env.run(&[
        "case",
        "period",
        case,
        "--start",
        "2026-12-01",
        "--end",
        "2026-12-20",
    ]);
    assert_eq!(short.status.code(), Some(1));
    assert!(
        stderr(&short).contains("at least 30 days"),
        "{}",
        stderr(&short)
    );
    let done = env.ok(&[
        "case",
        "period",
        case,
        "--start",
        "2026-12-01",
        "--end",
        "2027-03-01",
    ]);
    assert!(
        done.contains(
            "Reflection period 2026-12-01 to 2027-03-01 recorded; reminder on 2027-02-22"
        ),
        "{done}"
    );

    let unknown = env.ok(&["case", "new", "--name", "Status Unknown"]);
    let refused = env.run(&[
        "case",
        "period",
        unknown.trim(),
        "--start",
        "2026-12-01",
        "--end",
        "2027-01-01",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--kind"), "{}", stderr(&refused));
    env.ok(&[
        "case",
        "period",
        unknown.trim(),
        "--start",
        "2026-12-01",
        "--end",
        "2027-01-01",
        "--kind",
        "recovery",
    ]);
}

#[test]
fn attachments_round_trip_and_never_overwrite() {
    let env = Env::new();
    env.init();
    let case = env.ok(&["case", "new", "--name", "Aino"]);
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let src = env.file("statement.pdf", &content);
    let id = env.ok(&["attach", "add", case.trim(), src.to_str().unwrap()]);
    let list = json(&env.ok(&["attach", "list", case.trim(), "--json"]));
    assert_eq!(list[0]["record"]["name"], "statement.pdf");
    assert_eq!(list[0]["record"]["media_type"], "application/pdf");
    assert_eq!(list[0]["record"]["size"], 3_000_000);
    let out = env.dir.path().join("copy.pdf");
    env.ok(&["attach", "get", id.trim(), out.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), content);
    let again = env.run(&["attach", "get", id.trim(), out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));
}

#[test]
fn user_errors_exit_1_with_one_line_and_usage_errors_exit_2() {
    let env = Env::new();
    let missing = env.run(&["case", "list"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("vault init"),
        "{}",
        stderr(&missing)
    );

    env.init();
    let wrong = env.run_with(&["case", "list"], None, "not the passphrase");
    assert_eq!(wrong.status.code(), Some(1));
    let message = stderr(&wrong);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("wrong passphrase"));

    let not_found = env.run(&["case", "show", "2020-0001"]);
    assert_eq!(not_found.status.code(), Some(1));
    assert!(stderr(&not_found).contains("not found"));
    let bad_country = env.run(&["case", "new", "--name", "X", "--citizenship", "XX"]);
    assert_eq!(bad_country.status.code(), Some(1));
    assert!(stderr(&bad_country).contains("ISO 3166"));

    let usage = env.run(&["case", "frobnicate"]);
    assert_eq!(usage.status.code(), Some(2));
    for out in [&missing, &wrong, &not_found, &bad_country, &usage] {
        assert!(!stderr(out).contains("panicked") && !stderr(out).contains("backtrace"));
    }

    let not_a_vault = env.file("notes.txt", &[b'x'; 4096]);
    let out = Command::new(env!("CARGO_BIN_EXE_silta"))
        .args(["vault", "info", "--vault", not_a_vault.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a Silta vault"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_age_question_urgency_and_an_unaccompanied_childs_consent_from_the_command_line() {
    let env = Env::new();
    env.init();
    let maria = env.ok(&["case", "new", "--name", "Maria Popescu"]);
    let shown = env.ok(&["case", "show", maria.trim()]);
    assert!(shown.contains("Age:          not recorded"), "{shown}");
    assert!(!shown.contains("URGENT"), "{shown}");
    let refused = env.run(&[
        "consent",
        "add",
        maria.trim(),
        "--recipient",
        "Assistance System",
        "--purpose",
        "referral",
        "--fields",
        "identity",
        "--information",
        "fi",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("answer whether they could be under 18"),
        "{}",
        stderr(&refused)
    );

    let ana = env.ok(&[
        "case",
        "new",
        "--name",
        "Ana",
        "--could-be-minor",
        "dont-know",
    ]);
    assert!(
        env.ok(&["case", "show", ana.trim()])
            .contains("URGENT: The person may be under 18.")
    );
    let no_reason = env.run(&["case", "urgency", ana.trim(), "not-urgent"]);
    assert_eq!(no_reason.status.code(), Some(1));
    assert!(
        stderr(&no_reason).contains("--reason"),
        "{}",
        stderr(&no_reason)
    );
    let cleared = env.ok(&[
        "case",
        "urgency",
        ana.trim(),
        "not-urgent",
        "--reason",
        "Safe with her aunt tonight.",
    ]);
    assert!(!cleared.contains("URGENT"), "{cleared}");
    assert!(
        cleared.contains("Urgency set by a caseworker: Safe with her aunt tonight."),
        "{cleared}"
    );
    let again = env.ok(&["case", "urgency", ana.trim(), "from-age"]);
    assert!(
        again.contains("URGENT: The person may be under 18."),
        "{again}"
    );

    // Ana has no guardian in Finland: her own consent and views carry a referral to the
    // Assistance System while a representative is requested, and nothing else.
    let (_desk_key, public) = {
        let key = env.dir.path().join("desk.key");
        let public = env.ok(&["keygen", "--out", path(&key)]);
        (key, public)
    };
    env.add_desk(public.trim());
    let own = |purpose: &str, recipient: &str| {
        env.run(&[
            "consent",
            "add",
            ana.trim(),
            "--recipient",
            recipient,
            "--purpose",
            purpose,
            "--fields",
            "identity,needs",
            "--information",
            "fi",
            "--no-representative",
            "no-guardian-in-finland",
            "--representative-requested",
            "--child-views",
            "I want to go to school.",
        ])
    };
    assert!(own("referral", "Assistance System").status.success());
    let police = own("police-report", "Police");
    assert_eq!(police.status.code(), Some(1));
    assert!(
        stderr(&police).contains("carries only a referral to the Assistance System"),
        "{}",
        stderr(&police)
    );
}

#[test]
fn a_withdrawn_storage_or_support_consent_shows_in_the_case_and_the_retention_review() {
    let env = Env::new();
    env.init();
    let case = env.ok(&[
        "case",
        "new",
        "--name",
        "Aino",
        "--birth-date",
        "1990-01-02",
    ]);
    for (purpose, reason) in [
        ("storage", "Wants her data erased."),
        ("support", "Has moved abroad."),
    ] {
        let id = env.ok(&["consent", "add", case.trim(), "--purpose", purpose]);
        env.ok(&["consent", "withdraw", id.trim(), "--reason", reason]);
    }
    let shown = env.ok(&["case", "show", case.trim()]);
    assert!(
        shown.contains("Support ended at the person's wish on")
            && shown.contains("Has moved abroad."),
        "{shown}"
    );
    assert!(shown.contains("Consent to storage withdrawn on"), "{shown}");
    env.ok(&["retention", "set", "--years", "5"]);
    let due = env.ok(&["retention", "due"]);
    assert!(due.contains("Consent to storage withdrawn"), "{due}");
    assert!(due.contains("Wants her data erased."), "{due}");
    let due = json(&env.ok(&["retention", "due", "--json"]));
    assert_eq!(
        due["storage_withdrawn"][0]["withdrawn"]["reason"],
        "Wants her data erased."
    );
}

#[test]
fn staff_passphrases_and_recovery_from_the_command_line() {
    let env = Env::new();
    let key = json(&env.init())["recovery_key"]
        .as_str()
        .unwrap()
        .to_string();
    let case = env.ok(&["case", "new", "--name", "Aino"]);
    let anna_pass = env.file("anna", b"anna has her own words");
    env.ok(&[
        "vault",
        "add-user",
        "Anna",
        "--new-passphrase-file",
        anna_pass.to_str().unwrap(),
        "--kdf-memory-mib",
        "19",
        "--kdf-passes",
        "2",
    ]);

    // Two staff now: say who you are.
    let ambiguous = env.run(&["case", "list"]);
    assert_eq!(ambiguous.status.code(), Some(1));
    assert!(
        stderr(&ambiguous).contains("Anna, Kaisa"),
        "{}",
        stderr(&ambiguous)
    );
    let as_anna = env.run_with(
        &["case", "list", "--user", "Anna"],
        None,
        "anna has her own words",
    );
    assert!(as_anna.status.success());

    let new_pass = env.file("new", b"kaisa changed hers");
    env.ok(&[
        "vault",
        "passwd",
        "--user",
        "Kaisa",
        "--new-passphrase-file",
        new_pass.to_str().unwrap(),
        "--kdf-memory-mib",
        "19",
        "--kdf-passes",
        "2",
    ]);
    assert_eq!(
        env.run(&["case", "list", "--user", "Kaisa"]).status.code(),
        Some(1),
        "old passphrase retired"
    );

    // Kaisa forgets hers: the recovery key sets a new one and is itself replaced.
    let key_file = env.file("key", key.as_bytes());
    let after = env.file("after", b"kaisa after recovery");
    let recovered = json(&env.ok(&[
        "vault",
        "recover",
        "--user",
        "Kaisa",
        "--recovery-key-file",
        key_file.to_str().unwrap(),
        "--new-passphrase-file",
        after.to_str().unwrap(),
        "--kdf-memory-mib",
        "19",
        "--kdf-passes",
        "2",
        "--json",
    ]));
    assert_ne!(recovered["recovery_key"], key.as_str());
    let shown = env.run_with(
        &["case", "show", case.trim(), "--user", "Kaisa"],
        None,
        "kaisa after recovery",
    );
    assert!(shown.status.success(), "{}", stderr(&shown));
    let reused = env.run(&[
        "vault",
        "recover",
        "--user",
        "Kaisa",
        "--recovery-key-file",
        key_file.to_str().unwrap(),
    ]);
    assert_eq!(reused.status.code(), Some(1));

    let typo = env.file(
        "typo",
        key.replacen(&key[..1], if &key[..1] == "A" { "B" } else { "A" }, 1)
            .as_bytes(),
    );
    let out = env.run(&[
        "vault",
        "recover",
        "--user",
        "Kaisa",
        "--recovery-key-file",
        typo.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("mistyped"), "{}", stderr(&out));

    // The recovery key given back to the organisation's safe was seen: a new one replaces it.
    let made = env.run_with(
        &["vault", "new-recovery-key", "--user", "Kaisa", "--json"],
        None,
        "kaisa after recovery",
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let fresh = json(&String::from_utf8_lossy(&made.stdout));
    let replaced = recovered["recovery_key"].as_str().unwrap();
    assert_ne!(fresh["recovery_key"].as_str().unwrap(), replaced);
    let seen = env.file("seen", replaced.as_bytes());
    let stale = env.run(&[
        "vault",
        "recover",
        "--user",
        "Kaisa",
        "--recovery-key-file",
        seen.to_str().unwrap(),
    ]);
    assert_eq!(
        stale.status.code(),
        Some(1),
        "the replaced key opens nothing"
    );

    let removed = env.run_with(
        &["vault", "remove-user", "Anna", "--user", "Kaisa"],
        None,
        "kaisa after recovery",
    );
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert!(
        String::from_utf8_lossy(&removed.stdout).contains("The vault's key was changed"),
        "{}",
        String::from_utf8_lossy(&removed.stdout)
    );
    let gone = env.run_with(
        &["case", "list", "--user", "Anna"],
        None,
        "anna has her own words",
    );
    assert_eq!(gone.status.code(), Some(1));
    assert!(
        stderr(&gone).contains("no staff member called \"Anna\""),
        "{}",
        stderr(&gone)
    );
}

#[test]
fn demo_fills_the_vault_with_marked_cases() {
    let env = Env::new();
    env.init();
    env.ok(&["demo", "--cases", "12"]);
    let list = json(&env.ok(&["case", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 12);
    assert!(list.as_array().unwrap().iter().all(|c| c["demo"] == true));
    assert!(env.ok(&["case", "list"]).contains("DEMO"));
}

/// docs/training: `silta demo --scenario NAME` adds that scenario's starting case and nothing
/// else; a name that is not a scenario is refused, naming the ones there are.
#[test]
fn demo_scenario_adds_its_starting_case() {
    let env = Env::new();
    env.init();
    assert!(
        env.ok(&["demo", "--scenario", "unaccompanied-minor"])
            .contains("docs/training/scenarios/unaccompanied-minor.md")
    );
    let list = json(&env.ok(&["case", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["demo"], true);
    assert!(env.ok(&["case", "list"]).contains("Nguyễn Văn Nam"));
    let out = env.run(&["demo", "--scenario", "brothel"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("forced-marriage"));
    let out = env.run(&["demo", "--scenario", "construction", "--cases", "3"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--scenario and --cases are one or the other"
    );
}

/// Runs a program other than silta (the real `age` tools), failing the test if it fails.
fn tool(program: &str, args: &[&str]) -> Output {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (Debian package age): {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", stderr(&out));
    out
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_referral_goes_from_consent_to_a_package_the_real_age_tool_decrypts_and_back() {
    let sender = Env::new();
    sender.init();
    sender.ok(&["org", "rename", "Pro-tukipiste"]);
    let dir = sender.dir.path();

    // A desk key made by the standard tool; its public key comes from age-keygen -y.
    let key = dir.join("desk.key");
    tool("age-keygen", &["-o", path(&key)]);
    let public = String::from_utf8(tool("age-keygen", &["-y", path(&key)]).stdout).unwrap();
    let public = public.trim();
    sender.add_desk(public);
    let unconfirmed = sender.run(&["recipient", "list"]);
    assert!(String::from_utf8_lossy(&unconfirmed.stdout).contains("NOT CONFIRMED"));
    sender.confirm_desk(public);

    let case = sender.ok(&[
        "case",
        "new",
        "--name",
        "Aino Mäkinen",
        "--birth-date",
        "1990-01-02",
    ]);
    let case = case.trim();
    let out = dir.join("referral.age");
    let refused = sender.run(&[
        "referral",
        "create",
        case,
        "--to",
        "Assistance System",
        "--mode",
        "referral",
        "--out",
        path(&out),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("no consent in force"),
        "{}",
        stderr(&refused)
    );
    assert!(!out.exists());

    sender.ok(&[
        "consent",
        "add",
        case,
        "--recipient",
        "Assistance System",
        "--purpose",
        "referral",
        "--fields",
        "identity,needs",
        "--information",
        "fi",
    ]);
    let preview = sender.ok(&[
        "referral",
        "preview",
        case,
        "--to",
        "Assistance System",
        "--mode",
        "referral",
        "--language",
        "fi",
    ]);
    assert!(
        preview.contains("Esitys/hakemus ihmiskaupan uhrien auttamisjärjestelmään"),
        "{preview}"
    );
    assert!(preview.contains("Aino Mäkinen"));
    // The number the Assistance System calls back on, set once for every package.
    sender.ok(&["org", "contact", "--phone", "020 123 4567"]);
    sender.ok(&["org", "contact", "--mine", "--email", "aino@pro.example"]);
    assert!(
        sender
            .ok(&["org", "contact"])
            .contains("phone: 020 123 4567")
    );
    assert!(
        sender
            .ok(&["org", "contact", "--mine"])
            .contains("e-mail: aino@pro.example")
    );
    let preview = sender.ok(&[
        "referral",
        "preview",
        case,
        "--to",
        "Assistance System",
        "--mode",
        "referral",
        "--language",
        "fi",
    ]);
    assert!(
        preview.contains("Organisaation puhelin: 020 123 4567"),
        "{preview}"
    );
    assert!(
        preview.contains("Työntekijän sähköposti: aino@pro.example"),
        "{preview}"
    );
    // No interview, so no account: the Assistance System needs it, so the caseworker says why.
    let incomplete = sender.run(&[
        "referral",
        "create",
        case,
        "--to",
        "Assistance System",
        "--mode",
        "referral",
        "--out",
        path(&out),
    ]);
    assert_eq!(incomplete.status.code(), Some(1));
    assert!(
        stderr(&incomplete).contains("account"),
        "{}",
        stderr(&incomplete)
    );
    assert!(!out.exists());
    sender.ok(&[
        "referral",
        "create",
        case,
        "--to",
        "Assistance System",
        "--mode",
        "referral",
        "--missing-reason",
        "Tavattiin tänään ensimmäisen kerran; kertomus tulee puhelimitse.",
        "--checked-for-others",
        "--out",
        path(&out),
    ]);

    // The standard age tool decrypts it to the ZIP.
    let zip = dir.join("referral.zip");
    tool(
        "age",
        &["-d", "-i", path(&key), "-o", path(&zip), path(&out)],
    );
    assert_eq!(&std::fs::read(&zip).unwrap()[..2], b"PK");
    // And a file the standard tool encrypted to the desk opens with Silta.
    let again = dir.join("again.age");
    tool("age", &["-r", public, "-o", path(&again), path(&zip)]);
    let opened = dir.join("opened");
    let text = sender.ok(&[
        "referral",
        "open",
        path(&again),
        "--identity",
        path(&key),
        "--out",
        path(&opened),
    ]);
    assert!(
        text.contains("every hash and the signature check out"),
        "{text}"
    );
    assert!(text.contains("UNKNOWN sender"), "{text}");
    let data = json(&std::fs::read_to_string(opened.join("referral.json")).unwrap());
    assert_eq!(data["identity"]["names"][0]["name"], "Aino Mäkinen");

    // With the sender's card trusted, the signer is known.
    let card = dir.join("card.json");
    sender.ok(&["org", "identity", "--out", path(&card)]);
    let text = sender.ok(&[
        "referral",
        "open",
        path(&out),
        "--identity",
        path(&key),
        "--trust",
        path(&card),
    ]);
    assert!(text.contains("known sender"), "{text}");

    // The wrong key, and a damaged file, are refused with a clear line.
    let other = dir.join("other.key");
    sender.ok(&["keygen", "--out", path(&other)]);
    let wrong = sender.run(&["referral", "open", path(&out), "--identity", path(&other)]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("not addressed to this key"),
        "{}",
        stderr(&wrong)
    );
    let mut bytes = std::fs::read(&out).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x80;
    let damaged = sender.file("damaged.age", &bytes);
    let bad = sender.run(&["referral", "open", path(&damaged), "--identity", path(&key)]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("not a valid Silta referral"),
        "{}",
        stderr(&bad)
    );

    let log = json(&sender.ok(&["disclosures", case, "--json"]));
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(
        log[0]["field_groups"],
        serde_json::json!(["identity", "needs"])
    );
}

#[test]
fn import_and_acknowledgement_round_trip_between_two_vaults() {
    let sender = Env::new();
    sender.init();
    sender.ok(&["org", "rename", "Pro-tukipiste"]);
    let desk = Env::new();
    desk.init();
    desk.ok(&["org", "rename", "Assistance System"]);
    let key = desk.dir.path().join("desk.key");
    let public = desk.ok(&["keygen", "--out", path(&key)]);
    sender.add_desk(public.trim());
    sender.confirm_desk(public.trim());
    let case = sender.ok(&[
        "case",
        "new",
        "--name",
        "Oksana",
        "--birth-date",
        "1990-01-02",
    ]);
    sender.ok(&[
        "consent",
        "add",
        case.trim(),
        "--recipient",
        "Assistance System",
        "--purpose",
        "referral",
        "--fields",
        "identity",
        "--information",
        "sv",
    ]);
    let package = sender.dir.path().join("p.age");
    sender.ok(&[
        "referral",
        "create",
        case.trim(),
        "--to",
        "Assistance System",
        "--mode",
        "referral",
        "--missing-reason",
        "The account follows by phone.",
        "--checked-for-others",
        "--out",
        path(&package),
    ]);

    // The desk has not been given the sender's card: importing needs the caseworker to say so.
    let refused = desk.run(&[
        "referral",
        "import",
        path(&package),
        "--identity",
        path(&key),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("a sender this vault does not know (fingerprint"),
        "{}",
        stderr(&refused)
    );
    assert!(!desk.ok(&["case", "list"]).contains("Oksana"));
    let imported = desk.ok(&[
        "referral",
        "import",
        path(&package),
        "--identity",
        path(&key),
        "--from-unknown-sender",
    ]);
    assert!(imported.starts_with("imported as case"), "{imported}");
    assert!(desk.ok(&["case", "search", "oksana"]).contains("Oksana"));
    let ack = desk.dir.path().join("ack.age");
    desk.ok(&[
        "referral",
        "ack",
        path(&package),
        "--identity",
        path(&key),
        "--decision",
        "declined",
        "--out",
        path(&ack),
    ]);

    let answer = sender.ok(&["referral", "receive-ack", path(&ack)]);
    assert!(answer.contains("answered declined"), "{answer}");
    // Only an acceptance starts a period, so only it asks for the period's dates.
    assert!(!answer.contains("silta case period"), "{answer}");
    let log = json(&sender.ok(&["disclosures", case.trim(), "--json"]));
    assert_eq!(log[0]["acknowledgement"]["decision"], "declined");

    // Reconsidered and accepted: the answer asks for the period's dates, naming the case.
    let accepted = desk.dir.path().join("accepted.age");
    desk.ok(&[
        "referral",
        "ack",
        path(&package),
        "--identity",
        path(&key),
        "--decision",
        "accepted",
        "--out",
        path(&accepted),
    ]);
    let answer = sender.ok(&["referral", "receive-ack", path(&accepted)]);
    let number =
        json(&sender.ok(&["case", "show", case.trim(), "--json"]))["case"]["record"]["number"]
            .as_str()
            .unwrap()
            .to_owned();
    assert!(
        answer.contains(&format!(
            "record its dates: silta case period {number} --start"
        )),
        "{answer}"
    );
}

#[test]
fn the_audit_log_lists_what_was_done_and_verify_names_a_broken_entry() {
    let env = Env::new();
    env.init();
    let case = env.ok(&["case", "new", "--name", "CANARY-CLI-AUDIT"]);
    env.ok(&["case", "show", case.trim()]);
    let entries = json(&env.ok(&["audit", "list", "--case", case.trim(), "--json"]));
    let actions: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"created") && actions.contains(&"case_opened"),
        "{actions:?}"
    );
    assert!(
        !env.ok(&["audit", "list", "--json"])
            .contains("CANARY-CLI-AUDIT")
    );
    let ok = env.ok(&["audit", "verify"]);
    assert!(ok.starts_with("audit log intact"), "{ok}");

    let conn = rusqlite::Connection::open(env.vault()).unwrap();
    conn.execute(
        "DELETE FROM records WHERE rowid = (SELECT rowid FROM records WHERE kind = 'audit' ORDER BY rowid LIMIT 1 OFFSET 2)",
        [],
    )
    .unwrap();
    drop(conn);
    let broken = env.run(&["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).contains("entry 3 is missing"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn retention_erasure_backup_subject_export_and_statistics_from_the_command_line() {
    let env = Env::new();
    env.init();
    let dir = env.dir.path();
    let case = env.ok(&[
        "case",
        "new",
        "--name",
        "CANARY-CLI-ERASE",
        "--citizenship",
        "RO",
    ]);
    let case = case.trim();
    let due = env.run(&["retention", "due"]);
    assert_eq!(due.status.code(), Some(1), "no period set yet");
    env.ok(&["retention", "set", "--years", "5"]);
    assert!(env.ok(&["retention", "due"]).contains("No case is past"));

    let backup = dir.join("backup.silta");
    assert!(
        env.ok(&["vault", "backup", path(&backup)])
            .contains("checked")
    );

    let export = dir.join("subject");
    env.ok(&[
        "case",
        "export-subject",
        case,
        "--out",
        path(&export),
        "--language",
        "en",
    ]);
    assert!(
        std::fs::read_to_string(export.join("subject.html"))
            .unwrap()
            .contains("CANARY-CLI-ERASE")
    );

    let year = chrono_year();
    let refused = env.run(&["stats", "--year", &year, "--min-cell", "1"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("--below-ctdc"),
        "{}",
        stderr(&refused)
    );
    let everything = [
        "stats",
        "--year",
        &year,
        "--json",
        "--min-cell",
        "1",
        "--below-ctdc",
    ];
    let stats = json(&env.ok(&everything));
    assert_eq!(stats["total"]["n"], 1);
    let suppressed = json(&env.ok(&["stats", "--year", &year, "--json"]));
    assert_eq!(
        suppressed["total"]["state"], "fewer_than_k",
        "one person is below 11"
    );
    let fi = env.ok(&["stats", "--year", &year, "--language", "fi"]);
    assert!(
        fi.contains(&format!("Henkilöitä vuonna {year}: alle 11")),
        "{fi}"
    );

    let dry = env.run(&["case", "erase", case]);
    assert_eq!(dry.status.code(), Some(1));
    assert!(stderr(&dry).contains("--yes"), "{}", stderr(&dry));
    env.ok(&["case", "erase", case, "--yes"]);
    assert!(!env.ok(&["case", "list"]).contains("CANARY-CLI-ERASE"));
    assert_eq!(
        json(&env.ok(&everything))["total"]["n"],
        1,
        "the anonymised row stays"
    );
    std::fs::remove_dir_all(&export).unwrap();
    let found = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path() != backup && e.path().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .unwrap()
                .windows(16)
                .any(|w| w == b"CANARY-CLI-ERASE")
        })
        .count();
    assert_eq!(found, 0);

    // The backup still holds the case; restoring it does not bring it back.
    let restored = env.ok(&["vault", "restore", path(&backup)]);
    assert!(restored.contains("erased again"), "{restored}");
    assert!(!env.ok(&["case", "list"]).contains("CANARY-CLI-ERASE"));
    env.ok(&["audit", "verify"]);
}

/// The rollback attack, from the command line: a withdrawal deleted from the file with SQLite
/// alone. Every command that unlocks warns, and `audit verify` names the consent and exits 1.
#[test]
fn a_withdrawal_deleted_from_the_file_is_named_by_every_unlock_and_by_audit_verify() {
    let env = Env::new();
    env.init();
    let case = env.ok(&[
        "case",
        "new",
        "--name",
        "Aino Mäkinen",
        "--birth-date",
        "1990-01-02",
    ]);
    let consent = env.ok(&["consent", "add", case.trim(), "--purpose", "support"]);
    env.ok(&[
        "consent",
        "withdraw",
        consent.trim(),
        "--reason",
        "Said so on the phone.",
    ]);
    let conn = rusqlite::Connection::open(env.vault()).unwrap();
    conn.execute(
        "DELETE FROM records WHERE kind = 'consent' AND version = 2",
        [],
    )
    .unwrap();
    drop(conn);

    let listed = env.run(&["consent", "list", case.trim()]);
    assert!(listed.status.success());
    assert!(
        stderr(&listed).contains("warning: the audit log is broken")
            && stderr(&listed).contains(consent.trim()),
        "{}",
        stderr(&listed)
    );
    for args in [&["audit", "verify"][..], &["audit", "verify", "--full"]] {
        let verify = env.run(args);
        assert_eq!(verify.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&verify).contains("rolled back"),
            "{}",
            stderr(&verify)
        );
    }
}

/// `silta case list | head -1`: the reader goes away after one line; silta ends quietly.
#[test]
fn printing_into_a_closed_pipe_ends_quietly() {
    let env = Env::new();
    env.init();
    env.ok(&["demo", "--cases", "30"]);
    for args in [&["case", "list"][..], &["audit", "list"], &["--help"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_silta"))
            .args(args)
            .env("SILTA_VAULT", env.vault())
            .env("SILTA_PASSPHRASE", PASS)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(
            !err.contains("internal error") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

#[test]
fn a_damaged_record_is_named_and_every_other_case_still_listed() {
    let env = Env::new();
    env.init();
    env.ok(&["case", "new", "--name", "Aino Virtanen"]);
    let bert = env.ok(&["case", "new", "--name", "Bert Berg"]);
    let id = bert.trim().replace('-', "");
    rusqlite::Connection::open(env.vault())
        .unwrap()
        .execute(
            &format!("UPDATE records SET sealed = 'not a ciphertext' WHERE id = x'{id}'"),
            [],
        )
        .unwrap();
    let out = env.run(&["case", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("Aino Virtanen") && !listed.contains("Bert"),
        "{listed}"
    );
    assert!(
        stderr(&out).contains(&format!("the case record {}", bert.trim())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_checkpoint_kept_elsewhere_finds_the_vault_put_back_to_an_older_copy() {
    let env = Env::new();
    env.init();
    env.ok(&["org", "rename", "Pro-tukipiste"]);
    env.ok(&["case", "new", "--name", "Aino Virtanen"]);
    let older = env.dir.path().join("older.silta");
    std::fs::copy(env.vault(), &older).unwrap();
    env.ok(&["case", "new", "--name", "Bert Berg"]);
    let checkpoint = env.dir.path().join("checkpoint.json");
    env.ok(&["audit", "checkpoint", "--out", path(&checkpoint)]);
    let agrees = env.ok(&["audit", "verify", "--witness", path(&checkpoint)]);
    assert!(agrees.contains("agree"), "{agrees}");

    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", env.vault().display()));
    }
    std::fs::copy(&older, env.vault()).unwrap();
    env.ok(&["audit", "verify"]);
    let out = env.run(&["audit", "verify", "--witness", path(&checkpoint)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("was cut back"), "{}", stderr(&out));
}

#[test]
fn information_texts_are_listed_shown_checked_and_recorded_with_a_consent() {
    let env = Env::new();
    env.init();
    let listed = env.ok(&["information", "list"]);
    for line in [
        "English (en)\tversion 2026-1\tshipped",
        "Finnish (fi)\tversion 2026-1",
        "Swedish (sv)\tversion 2026-1",
    ] {
        assert!(listed.contains(line), "{listed}");
    }
    let shown = env.ok(&["information", "show", "sv", "--purpose", "police-report"]);
    assert!(shown.starts_with("Innan du bestämmer dig"), "{shown}");
    assert!(shown.contains("Polisanmälan") && shown.contains("Dina rättigheter"));
    assert!(!shown.contains("Hjälpsystemet för offer"), "{shown}");

    // A translator checks a file, and the organisation adds it without a rebuild.
    let english = env.ok(&["information", "show", "en"]);
    assert!(english.contains("Joutseno"));
    let shipped_en = include_str!("../../core/information/en.ftl");
    let romanian = shipped_en.replace("title = Before you decide", "title = Înainte să decideți");
    let file = env.file("ro.ftl", romanian.as_bytes());
    let checked = env.ok(&["information", "check", path(&file)]);
    assert!(
        checked.contains("complete information text in ro, version 2026-1"),
        "{checked}"
    );
    let broken = env.file(
        "uk.ftl",
        shipped_en.replace("rights =", "rights = {").as_bytes(),
    );
    let refused = env.run(&["information", "check", path(&broken)]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("line "), "{}", stderr(&refused));
    let folder = env.dir.path().join("information");
    std::fs::create_dir(&folder).unwrap();
    std::fs::rename(&file, folder.join("ro.ftl")).unwrap();
    std::fs::rename(&broken, folder.join("uk.ftl")).unwrap();
    let listed = env.run(&["information", "list"]);
    let out = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(
        out.contains("Romanian (ro)\tversion 2026-1\tthe organisation's own"),
        "{out}"
    );
    assert!(
        stderr(&listed).contains("uk.ftl was not used"),
        "{}",
        stderr(&listed)
    );

    let case = env.ok(&[
        "case",
        "new",
        "--name",
        "Ioana Popa",
        "--birth-date",
        "1990-03-04",
    ]);
    let add = |extra: &[&str]| {
        let mut args = vec![
            "consent",
            "add",
            case.trim(),
            "--recipient",
            "Assistance System",
            "--purpose",
            "referral",
            "--fields",
            "identity",
        ];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    let uninformed = add(&[]);
    assert_eq!(uninformed.status.code(), Some(1));
    assert!(
        stderr(&uninformed).contains("has not been shown the information text"),
        "{}",
        stderr(&uninformed)
    );
    // Tigrinya has no text: the interpreter reads the English one out and is named.
    let no_interpreter = env.run(&[
        "consent",
        "add",
        case.trim(),
        "--recipient",
        "Assistance System",
        "--purpose",
        "referral",
        "--information",
        "en",
        "--read-out-in",
        "ti",
    ]);
    assert_eq!(
        no_interpreter.status.code(),
        Some(2),
        "clap asks for --interpreter"
    );
    assert!(add(&["--information", "ro"]).status.success());
    assert!(
        add(&[
            "--information",
            "en",
            "--read-out-in",
            "ti",
            "--interpreter",
            "Tesfay G."
        ])
        .status
        .success()
    );
    let consents = env.ok(&["--json", "consent", "list", case.trim()]);
    let listed = json(&consents);
    let text = listed.to_string();
    assert!(text.contains("\"read_out_in\":\"ti\""), "{text}");
    assert!(text.contains("\"language\":\"ro\""), "{text}");
    let digest = hex_sha256(romanian.as_bytes());
    assert!(
        text.contains(&digest),
        "the Romanian file's SHA-256 is recorded: {text}"
    );
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn a_child_welfare_notification_is_recorded_and_sent_without_consent_from_the_command_line() {
    let env = Env::new();
    env.init();
    env.ok(&["org", "rename", "Pro-tukipiste"]);
    let case = env.ok(&[
        "case",
        "new",
        "--name",
        "Amina Yusuf",
        "--birth-date",
        "2011-02-03",
    ]);
    let case = case.trim();
    let due = env.ok(&["notification", "list", case]);
    assert!(
        due.contains(
            "Still to make: Child welfare notification. The child may have been trafficked"
        ),
        "{due}"
    );
    let adult = env.ok(&[
        "case",
        "new",
        "--name",
        "Ioana Popa",
        "--birth-date",
        "1990-03-04",
    ]);
    let refused = env.run(&[
        "notification",
        "add",
        adult.trim(),
        "--kind",
        "child-welfare",
        "--authority",
        "X",
        "--told",
        "Y",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("concerns a child"),
        "{}",
        stderr(&refused)
    );
    let police_without_ground = env.run(&[
        "notification",
        "add",
        case,
        "--kind",
        "police",
        "--authority",
        "Helsingin poliisilaitos",
        "--told",
        "Y",
    ]);
    assert_eq!(police_without_ground.status.code(), Some(1));

    let id = env.ok(&[
        "notification",
        "add",
        case,
        "--kind",
        "child-welfare",
        "--authority",
        "Helsingin sosiaalipäivystys",
        "--told",
        "She was brought to Finland alone and made to work without pay.",
    ]);
    let listed = env.ok(&["notification", "list", case]);
    assert!(listed.contains("Child welfare notification"), "{listed}");
    assert!(
        listed.contains("to Helsingin sosiaalipäivystys, made by Kaisa"),
        "{listed}"
    );
    assert!(
        listed.contains("Child Welfare Act (417/2007), section 25(1)"),
        "{listed}"
    );
    assert!(!listed.contains("Still to make"), "{listed}");

    let key = env.dir.path().join("welfare.key");
    let public = env.ok(&["keygen", "--out", path(&key)]);
    let public = public.trim();
    env.ok(&[
        "recipient",
        "add",
        "Helsinki child welfare",
        "--age-recipient",
        public,
        "--kind",
        "child-welfare",
    ]);
    let fingerprint = env.ok(&["fingerprint", public]);
    env.ok(&[
        "recipient",
        "confirm",
        "Helsinki child welfare",
        "--fingerprint",
        fingerprint.trim(),
    ]);
    let out = env.dir.path().join("notification.age");
    env.ok(&[
        "referral",
        "create",
        case,
        "--to",
        "Helsinki child welfare",
        "--mode",
        "notification",
        "--notification",
        id.trim(),
        "--language",
        "fi",
        "--checked-for-others",
        "--out",
        path(&out),
    ]);
    let opened = env.dir.path().join("opened");
    env.ok(&[
        "referral",
        "open",
        path(&out),
        "--identity",
        path(&key),
        "--out",
        path(&opened),
    ]);
    let html = std::fs::read_to_string(opened.join("referral.html")).unwrap();
    assert!(html.contains("<h1>Lastensuojeluilmoitus</h1>"), "{html}");
    assert!(
        html.contains("Lastensuojelulaki (417/2007) 25 § 1 mom."),
        "{html}"
    );
    let sent = env.ok(&["disclosures", case]);
    assert!(
        sent.contains("without consent, under Child Welfare Act (417/2007), section 25(1)"),
        "{sent}"
    );
}

#[test]
fn sync_is_off_until_a_server_is_set_and_its_password_is_never_shown() {
    let env = Env::new();
    env.init();
    assert!(
        env.ok(&["sync", "show"])
            .contains("makes no network connection")
    );
    let refused = env.run(&["sync", "push"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("no sync server is configured"));
    let plain = env.run(&[
        "sync",
        "set-server",
        "--url",
        "http://sync.example.org",
        "--database",
        "team",
        "--sync-user",
        "laptop-1",
        "--password-file",
        env.file("pw", b"SECRET-sync-pw\n").to_str().unwrap(),
    ]);
    assert!(stderr(&plain).contains("must start with https://"));
    // A port on this computer where nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    env.ok(&[
        "sync",
        "set-server",
        "--url",
        &url,
        "--database",
        "team",
        "--sync-user",
        "laptop-1",
        "--password-file",
        env.file("pw", b"SECRET-sync-pw\n").to_str().unwrap(),
    ]);
    let shown = env.ok(&["sync", "show", "--json"]);
    assert_eq!(json(&shown)["value"]["user"], "laptop-1");
    assert!(!shown.contains("SECRET"), "{shown}");
    let down = env.run(&["sync", "push"]);
    assert!(!down.status.success());
    assert!(
        stderr(&down).contains("could not be reached"),
        "{}",
        stderr(&down)
    );
    assert!(!stderr(&down).contains("SECRET"));
    assert_eq!(env.ok(&["sync", "conflicts"]).trim(), "no conflicts");
    let which = env.run(&[
        "sync",
        "settle",
        "0192d7a0-0000-7000-8000-000000000000",
        "--keep",
        "mine",
    ]);
    assert!(stderr(&which).contains("keep `here`"), "{}", stderr(&which));
    let unknown = env.run(&[
        "sync",
        "settle",
        "0192d7a0-0000-7000-8000-000000000000",
        "--keep",
        "here",
    ]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("not found"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_new_laptop_joins_with_an_enrolment_only_its_device_key_opens() {
    let env = Env::new();
    env.init();
    let pw = env.file("pw", b"laptop one\n");
    env.ok(&[
        "sync",
        "set-server",
        "--url",
        "https://sync.example.org",
        "--database",
        "team",
        "--sync-user",
        "laptop-1",
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    let key_file = env.dir.path().join("device.key");
    let made = env.ok(&["sync", "device-key", "--out", key_file.to_str().unwrap()]);
    let public = made
        .lines()
        .find_map(|l| l.strip_prefix("device key: "))
        .unwrap()
        .to_string();
    let fingerprint = made
        .lines()
        .find_map(|l| l.strip_prefix("fingerprint to read out: "))
        .unwrap()
        .to_string();
    let out = env.dir.path().join("enrolment.age");
    let second_pw = env.file("pw2", b"laptop two\n");
    let wrong = env.run(&[
        "sync",
        "enrol",
        "--device-key",
        &public,
        "--fingerprint",
        "0000 0000 0000 0000 0000 0000 0000 0000",
        "--sync-user",
        "laptop-2",
        "--password-file",
        second_pw.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!wrong.status.success());
    assert!(
        !out.exists(),
        "nothing made for a fingerprint that does not match"
    );
    env.ok(&[
        "sync",
        "enrol",
        "--device-key",
        &public,
        "--fingerprint",
        &fingerprint,
        "--sync-user",
        "laptop-2",
        "--password-file",
        second_pw.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let second = env.dir.path().join("laptop-2.silta");
    let new_pw = env.file("np", b"another horse battery staple\n");
    let joined = Command::new(env!("CARGO_BIN_EXE_silta"))
        .args([
            "--user",
            "Mikko",
            "sync",
            "join",
            "--enrolment",
            out.to_str().unwrap(),
            "--identity",
            key_file.to_str().unwrap(),
            "--new-passphrase-file",
            new_pw.to_str().unwrap(),
            "--kdf-memory-mib",
            "19",
            "--kdf-passes",
            "2",
        ])
        .env("SILTA_VAULT", &second)
        .output()
        .unwrap();
    assert!(joined.status.success(), "{}", stderr(&joined));
    let shown = Command::new(env!("CARGO_BIN_EXE_silta"))
        .args(["--user", "Mikko", "sync", "show"])
        .env("SILTA_VAULT", &second)
        .env("SILTA_PASSPHRASE", "another horse battery staple")
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(shown.contains("as laptop-2"), "{shown}");

    // The team's list: both laptops, the new one with the fingerprint read out.
    let team = env.ok(&["sync", "team"]);
    assert!(
        team.contains("laptop-1: the team's first laptop") && team.contains("(this laptop)"),
        "{team}"
    );
    assert!(
        team.contains(&format!("laptop-2: series B, device key {fingerprint}")),
        "{team}"
    );
    let admin_pw = env.file("admin", b"admin pass\n");
    let remove = |who: &str| {
        env.run(&[
            "sync",
            "remove",
            who,
            "--admin-user",
            "admin",
            "--admin-password-file",
            admin_pw.to_str().unwrap(),
        ])
    };
    assert!(stderr(&remove("laptop-1")).contains("cannot remove itself"));
    assert!(stderr(&remove("laptop-9")).contains("no laptop of the team logs in as"));
    // The server cannot be reached (a port on this computer where nothing listens): nothing is
    // removed, and the key stays as it was.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    env.ok(&[
        "sync",
        "set-server",
        "--url",
        &format!("http://127.0.0.1:{port}"),
        "--database",
        "team",
        "--sync-user",
        "laptop-1",
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    let unreachable = remove("laptop-2");
    assert!(!unreachable.status.success());
    assert!(
        stderr(&unreachable).contains("could not be reached"),
        "{}",
        stderr(&unreachable)
    );
    assert!(!env.ok(&["sync", "team"]).contains("removed"));
    assert!(!env.ok(&["audit", "list"]).contains("removed from the team"));
}
