//! Printing: text for people, `--json` for scripts. Data goes to stdout, nothing else does.

use serde::Serialize;
use silta_core::cases::{CaseHistory, CaseOverview, CaseView};
use silta_core::disclosures::Disclosure;
use silta_core::model::{AgeKnown, Attachment, Birth, FieldGroup};
use silta_core::org::SenderCard;
use silta_core::recipients::Recipient;
use silta_core::referral::desk::Opened;
use silta_core::referral::{Preview, group_name};
use silta_core::vault::{KeyChange, RecoveryKey, Stored, Vault, VaultInfo};
use silta_core::words::{FormLanguage, Words};
use silta_core::{Error, Result};

use crate::args::Global;

fn json(value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::InvalidInput(format!("cannot print JSON: {e}").into()))?;
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

/// After the vault's key changed: what was done, the staff who must be added again, and a new
/// recovery key if the old one could not be carried over (shown once).
pub fn key_change(g: &Global, v: &Vault, message: &str, change: &KeyChange) -> Result<()> {
    if g.json_output() {
        return json(&serde_json::json!({
            "ok": true,
            "message": message,
            "must_be_added_again": change.must_be_added_again,
            "gone_from_files": change.gone_from_files,
            "recovery_key": change.new_recovery_key.as_ref().map(RecoveryKey::as_str),
        }));
    }
    println!("{message}");
    println!(
        "The vault's key was changed: what is written from now on opens only for those who remain."
    );
    if !change.must_be_added_again.is_empty() {
        println!(
            "These staff members had not unlocked since Silta began changing keys, so they could not be given the new key; add them again (silta vault add-user): {}",
            change.must_be_added_again.join(", ")
        );
    }
    match &change.new_recovery_key {
        Some(key) => recovery_key(g, v, key),
        None => Ok(()),
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
    if let Some(because) = view.urgency {
        println!("URGENT: {}", because.label(FormLanguage::En));
    }
    if let Some(o) = &d.urgency_override {
        println!("Urgency set by a caseworker: {}", o.reason);
    }
    if let Some(e) = &view.support_ended {
        println!(
            "Support ended at the person's wish on {}: {} (no reminders)",
            e.date, e.reason
        );
    }
    if let Some(e) = &view.storage_withdrawn {
        println!(
            "Consent to storage withdrawn on {}: {} (review for erasure: silta retention due)",
            e.date, e.reason
        );
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
    match view.age {
        AgeKnown::PossiblyChild => {
            println!("Age:          possibly a child (the child rules apply)")
        }
        AgeKnown::NotRecorded => println!(
            "Age:          not recorded (add a birth date, or answer whether they could be under 18)"
        ),
        AgeKnown::Adult | AgeKnown::Child { .. } => {}
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

/// A serde enum's name as it is written (`accepted`, `police-report`…).
/// A language by its English name, with the code after it for scripts ("Tigrinya (ti)").
pub fn language_name(code: &silta_core::model::LanguageCode) -> String {
    match silta_core::words::language(code, silta_core::words::FormLanguage::En) {
        Some(name) => format!("{name} ({})", code.as_str()),
        None => code.as_str().to_string(),
    }
}

pub fn word(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn groups(list: &[FieldGroup]) -> String {
    list.iter().map(group_name).collect::<Vec<_>>().join(", ")
}

pub fn card(g: &Global, card: &SenderCard) -> Result<()> {
    if g.json_output() {
        return json(card);
    }
    println!("Organisation: {}", card.name);
    println!("Signing key:  {}", card.signing_key);
    println!("Replies to:   {}", card.age_recipient);
    println!("Fingerprint:  {}", card.fingerprint);
    Ok(())
}

pub fn recipients(g: &Global, list: &[Stored<Recipient>]) -> Result<()> {
    if g.json_output() {
        return json(&list.iter().map(|r| &r.record).collect::<Vec<_>>());
    }
    if list.is_empty() {
        println!(
            "No recipients. Add one with `silta recipient add NAME --age-recipient age1… --kind …`."
        );
    }
    for r in list {
        let r = &r.record;
        println!(
            "{}  ({}, {})  {}",
            r.name,
            word(&r.kind),
            r.organisation_type,
            match &r.confirmed {
                Some(c) => format!("confirmed by {} on {}", c.by, c.on),
                None => "NOT CONFIRMED: phone them and compare the fingerprint".into(),
            }
        );
        println!(
            "  fingerprint {}{}",
            r.fingerprint,
            if r.card.is_some() {
                "  (sender card on file)"
            } else {
                ""
            }
        );
    }
    Ok(())
}

pub fn consents(g: &Global, view: &CaseView) -> Result<()> {
    if g.json_output() {
        return json(&view.consents);
    }
    if view.consents.is_empty() {
        println!("No consents recorded.");
    }
    for c in &view.consents {
        let r = &c.record;
        println!(
            "{}  {}  {}  {}  from {}{}",
            c.id,
            word(&r.purpose),
            r.recipient.as_deref().unwrap_or("-"),
            view.consent_states.get(&c.id).map(word).unwrap_or_default(),
            r.date,
            r.expires.map(|e| format!(" until {e}")).unwrap_or_default()
        );
        if !r.field_groups.is_empty() {
            println!("  field groups: {}", groups(&r.field_groups));
        }
        if let Some(i) = &r.information {
            let read_out = match &i.read_out_in {
                Some(l) => format!(
                    ", interpreted into {} by {}",
                    language_name(l),
                    r.interpreter.as_deref().unwrap_or("-")
                ),
                None => String::new(),
            };
            println!(
                "  information shown: the {} text, version {}{read_out}",
                language_name(&i.language),
                i.version
            );
        }
    }
    Ok(())
}

pub fn preview(g: &Global, preview: &Preview) -> Result<()> {
    if g.json_output() {
        return json(preview);
    }
    println!(
        "To: {} ({}), fingerprint {}{}",
        preview.recipient.name,
        word(&preview.recipient.kind),
        preview.recipient.fingerprint,
        if preview.recipient.confirmed.is_some() {
            ""
        } else {
            "  NOT CONFIRMED"
        }
    );
    println!("Mode: {}", word(&preview.data.mode));
    println!("Field groups: {}", groups(&preview.data.field_groups));
    println!();
    print!("{}", preview.text);
    Ok(())
}

pub fn opened(g: &Global, opened: &Opened) -> Result<()> {
    if g.json_output() {
        return json(opened);
    }
    let m = &opened.manifest;
    let s = &opened.signer;
    println!(
        "Referral package {} — every hash and the signature check out.",
        m.package
    );
    println!(
        "Signed by:    {} ({}), fingerprint {}",
        s.card.name,
        if s.known {
            "known sender"
        } else {
            "UNKNOWN sender: compare the fingerprint with them by phone"
        },
        s.card.fingerprint
    );
    println!("Sent:         {}", m.created.format("%Y-%m-%d %H:%M UTC"));
    println!("Mode:         {}", word(&m.mode));
    println!("Field groups: {}", groups(&m.field_groups));
    if opened.data.urgent {
        println!("URGENT: the person is a child or of uncertain age; phone the sender");
    }
    if let Some(i) = &opened.data.identity {
        let names: Vec<&str> = i.names.iter().map(|n| n.name.as_str()).collect();
        println!("Person:       {}", names.join(", "));
    }
    println!("Attachments:  {}", opened.data.attachments.len());
    if let Some(dir) = &opened.written_to {
        println!("Written to:   {dir} (referral.html is the printable form)");
    }
    Ok(())
}

pub fn disclosures(g: &Global, list: &[Stored<Disclosure>]) -> Result<()> {
    if g.json_output() {
        return json(&list.iter().map(|d| &d.record).collect::<Vec<_>>());
    }
    if list.is_empty() {
        println!("Nothing has been sent from this case.");
    }
    for d in list {
        let r = &d.record;
        println!(
            "{}  {}  to {}  package {}",
            r.sent_at.format("%Y-%m-%d %H:%M"),
            word(&r.mode),
            r.recipient,
            r.package
        );
        println!("  field groups: {}", groups(&r.field_groups));
        let consents: Vec<String> = r.consents.iter().map(|c| c.to_string()).collect();
        match r.legal_basis {
            Some(basis) => println!(
                "  without consent, under {}",
                silta_core::words::Words::label(basis, silta_core::words::FormLanguage::En)
            ),
            None => println!(
                "  consents: {}",
                if consents.is_empty() {
                    "none (anonymous)".into()
                } else {
                    consents.join(", ")
                }
            ),
        }
        println!("  file {}  SHA-256 {}", r.file_name, r.file_sha256);
        match &r.acknowledgement {
            Some(a) => println!("  answered {} on {}", word(&a.decision), a.decided_on),
            None => println!("  no answer yet"),
        }
    }
    Ok(())
}

pub fn audit(g: &Global, entries: &[silta_core::audit::Entry]) -> Result<()> {
    if g.json_output() {
        return json(&entries);
    }
    if entries.is_empty() {
        println!("No entries.");
    }
    for e in entries {
        println!(
            "{:>6}  {}  {:<20}  {:<18}  {}{}{}",
            e.seq,
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.user,
            word(&e.action),
            e.kind.as_deref().unwrap_or(""),
            e.target.map(|t| format!(" {t}")).unwrap_or_default(),
            e.detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default(),
        );
    }
    Ok(())
}

pub fn informed(g: &Global, list: &[silta_core::retention::Informed]) -> Result<()> {
    if g.json_output() {
        return json(&list);
    }
    if list.is_empty() {
        println!("No one outside received this case's data.");
    }
    for i in list {
        println!(
            "{}  last sent {}  ({} packages)",
            i.recipient,
            i.last_sent.format("%Y-%m-%d"),
            i.packages.len()
        );
    }
    Ok(())
}

pub fn due(
    g: &Global,
    list: &[silta_core::retention::DueCase],
    withdrawn: &[silta_core::retention::StorageWithdrawn],
) -> Result<()> {
    if g.json_output() {
        return json(&serde_json::json!({ "due": list, "storage_withdrawn": withdrawn }));
    }
    if list.is_empty() {
        println!("No case is past its retention date.");
    }
    for d in list {
        println!(
            "{}  closed {}  due since {}  ({})",
            d.number, d.closed, d.due, d.id
        );
    }
    if !withdrawn.is_empty() {
        println!(
            "\nConsent to storage withdrawn: review now, and erase unless a legal duty keeps the data:"
        );
    }
    for w in withdrawn {
        println!(
            "{}  withdrawn {}: {}  ({})",
            w.number, w.withdrawn.date, w.withdrawn.reason, w.id
        );
    }
    Ok(())
}

pub fn subject_review(g: &Global, review: &silta_core::subject::Review) -> Result<()> {
    if g.json_output() {
        return json(&review.defaults());
    }
    if review.items.is_empty() {
        println!("nothing to review: the export holds only the person's own records");
        return Ok(());
    }
    for i in &review.items {
        let about = match i.date {
            Some(date) => format!("{date} {}", i.about),
            None => i.about.clone(),
        };
        println!(
            "{:<18} {:<44} {}",
            i.item,
            about,
            i.default.label(FormLanguage::En)
        );
    }
    Ok(())
}

pub fn stats(
    g: &Global,
    report: &silta_core::stats::StatsReport,
    lang: FormLanguage,
) -> Result<()> {
    use silta_core::stats::Count;
    if g.json_output() {
        return json(report);
    }
    let k = report.min_cell;
    let show = |c: Count| match c {
        Count::Shown(n) => n.to_string(),
        Count::FewerThanK => lang.pick([
            format!("alle {k}"),
            format!("färre än {k}"),
            format!("fewer than {k}"),
        ]),
        Count::Hidden => lang.pick(["piilotettu", "dold", "hidden"]).to_string(),
    };
    // On standard output, so a report saved to a file says it too.
    if report.demo {
        println!(
            "{}",
            lang.pick([
                "Huom.: tässä holvissa on vain harjoitusasiakkuuksia: keksittyjä henkilöitä koulutusta varten.",
                "Obs! Valvet innehåller bara övningsärenden: påhittade personer för utbildning.",
                "Note: this vault holds only demo cases: invented people, for training.",
            ])
        );
    }
    if report.below_ctdc {
        println!(
            "{}",
            lang.pick([
                "VAROITUS: vähimmäismäärä on alle 11: vain organisaation sisäiseen käyttöön, ei julkaistavaksi.",
                "VARNING: minimigränsen är lägre än 11: endast inom organisationen, får aldrig publiceras.",
                "WARNING: the minimum is below 11: for inside the organisation only, never to publish.",
            ])
        );
    }
    if report.no_data {
        println!(
            "{}",
            lang.pick([
                format!("Ei tietoja vuodelta {}", report.year),
                format!("Inga uppgifter för år {}", report.year),
                format!("No data for {}", report.year),
            ])
        );
        return Ok(());
    }
    println!(
        "{} {}: {}",
        lang.pick(["Henkilöitä vuonna", "Personer år", "People in"]),
        report.year,
        show(report.total)
    );
    for d in &report.dimensions {
        println!();
        println!("{}", d.title);
        for c in &d.cells {
            println!("  {:<44} {:>12}", c.label, show(c.count));
        }
    }
    Ok(())
}
