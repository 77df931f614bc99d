//! Printing: text for people, `--json` for scripts. Data goes to stdout, nothing else does.

use serde::Serialize;
use silta_core::cases::{CaseHistory, CaseOverview, CaseView};
use silta_core::model::{Attachment, Birth};
use silta_core::vault::{RecoveryKey, Stored, Vault, VaultInfo};
use silta_core::{Error, Result};

use crate::args::Global;

fn json(value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::InvalidInput(format!("cannot print JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// A one-line confirmation, or the affected thing as JSON.
pub fn done(g: &Global, message: &str, value: &impl Serialize) -> Result<()> {
    if g.json_output() {
        json(&serde_json::json!({ "ok": true, "message": message, "value": value }))
    } else {
        println!("{message}");
        Ok(())
    }
}

pub fn recovery_key(g: &Global, v: &Vault, key: &RecoveryKey) -> Result<()> {
    if g.json_output() {
        return json(&serde_json::json!({
            "vault": v.path(),
            "vault_id": v.id(),
            "user": v.user(),
            "recovery_key": key.as_str(),
        }));
    }
    println!(
        "Vault ready at {} (staff member: {}).",
        v.path().display(),
        v.user()
    );
    println!();
    println!("Recovery key. It is shown only this once. Print it or write it down, and keep it");
    println!("locked away from the laptop: it opens the vault if every passphrase is lost.");
    println!();
    println!("    {}", key.as_str());
    println!();
    Ok(())
}

pub fn vault_info(g: &Global, info: &VaultInfo) -> Result<()> {
    if g.json_output() {
        return json(info);
    }
    println!("Vault:          {}", info.path.display());
    println!("Vault id:       {}", info.vault_id);
    println!("Format version: {}", info.format_version);
    println!(
        "Recovery key:   {}",
        if info.has_recovery_key { "set" } else { "none" }
    );
    println!("Records:        {} (with history)", info.records);
    println!("Attachment data: {} chunks", info.attachment_chunks);
    println!("Staff:");
    for u in &info.users {
        println!(
            "  {} (Argon2id {} MiB, {} passes)",
            u.name,
            u.kdf.memory_kib() / 1024,
            u.kdf.passes()
        );
    }
    Ok(())
}

pub fn overviews(g: &Global, cases: &[CaseOverview]) -> Result<()> {
    if g.json_output() {
        return json(&cases);
    }
    if cases.is_empty() {
        println!("No cases.");
        return Ok(());
    }
    for c in cases {
        let mut flags = Vec::new();
        if c.urgent {
            flags.push("URGENT");
        }
        if c.demo {
            flags.push("DEMO");
        }
        println!(
            "{}  {:<30}  {:<14}  {:<20}  {}  {}  {}",
            c.number,
            c.name,
            c.status.code(),
            c.caseworker,
            c.opened,
            c.id,
            flags.join(" ")
        );
    }
    Ok(())
}

pub fn case_view(g: &Global, view: &CaseView) -> Result<()> {
    if g.json_output() {
        return json(view);
    }
    let case = &view.case.record;
    let person = &view.person.record;
    let d = &case.details;
    println!("Case {}  ({})", case.number, view.case.id);
    if d.demo {
        println!("DEMO DATA: synthetic, not a real person");
    }
    if d.urgent {
        println!("URGENT");
    }
    println!("Status:       {}", d.status.code());
    println!("Caseworker:   {}", d.caseworker);
    println!("Opened:       {}", d.opened);
    if let Some(c) = d.closed {
        println!("Closed:       {c}");
    }
    println!();
    for n in &person.names {
        println!("Name:         {} ({:?})", n.name, n.kind);
    }
    match person.birth {
        Some(Birth::Date(date)) => println!("Born:         {date}"),
        Some(Birth::EstimatedYear(y)) => println!("Born:         about {y}"),
        None => {}
    }
    if person.age_uncertain {
        println!("Age uncertain: treated as a child");
    }
    if !person.citizenships.is_empty() {
        let list: Vec<&str> = person.citizenships.iter().map(|c| c.as_str()).collect();
        println!("Citizenship:  {}", list.join(", "));
    }
    if !d.exploitation_types.is_empty() {
        let list: Vec<&str> = d.exploitation_types.iter().map(|c| c.code()).collect();
        println!("Exploitation: {}", list.join(", "));
    }
    println!();
    println!(
        "{} interviews, {} consents, {} support actions, {} tasks, {} notes, {} attachments",
        view.interviews.len(),
        view.consents.len(),
        view.support_actions.len(),
        view.tasks.len(),
        view.notes.len(),
        view.attachments.len()
    );
    for t in view.tasks.iter().filter(|t| t.record.done.is_none()) {
        println!("  task due {}: {}", t.record.due, t.record.title);
    }
    for n in &view.notes {
        println!(
            "  note ({}, {}): {}",
            n.saved_by,
            n.saved_at.format("%Y-%m-%d"),
            n.record.text
        );
    }
    Ok(())
}

pub fn history(g: &Global, history: &CaseHistory) -> Result<()> {
    if g.json_output() {
        return json(history);
    }
    for c in &history.case {
        println!(
            "case   version {}  {}  by {}  status {}",
            c.version,
            c.saved_at.format("%Y-%m-%d %H:%M:%S"),
            c.saved_by,
            c.record.details.status.code()
        );
    }
    for p in &history.person {
        println!(
            "person version {}  {}  by {}  {}",
            p.version,
            p.saved_at.format("%Y-%m-%d %H:%M:%S"),
            p.saved_by,
            p.record.display_name()
        );
    }
    Ok(())
}

pub fn attachments(g: &Global, list: &[Stored<Attachment>]) -> Result<()> {
    if g.json_output() {
        return json(&list);
    }
    if list.is_empty() {
        println!("No attachments.");
    }
    for a in list {
        println!(
            "{}  {:<30}  {:>12} bytes  {}  sha256 {}",
            a.id, a.record.name, a.record.size, a.record.media_type, a.record.sha256
        );
    }
    Ok(())
}
