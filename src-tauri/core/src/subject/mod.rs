//! The person's right of access (GDPR Art. 15): what is held about them, for them to read in
//! their language, and who received it, after a review of what concerns others (`review`).

mod document;
mod review;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::audit::{self, Action, Event};
use crate::cases::{self, CaseHistory, CaseView};
use crate::disclosures::{self, Disclosure};
use crate::error::{Error, Result};
use crate::ids::{CaseId, RecordId};
use crate::private_files;
use crate::referral::data::FormLanguage;
use crate::vault::Vault;

pub use review::{Choice, Decisions, ItemCategory, Review, ReviewItem, Withheld};

#[derive(Serialize)]
struct SubjectExport<'a> {
    format: &'static str,
    version: u32,
    exported: NaiveDate,
    language: FormLanguage,
    case: &'a CaseView,
    history: &'a CaseHistory,
    disclosures: &'a [Disclosure],
    /// What was left out, by kind and place ("exploiter:1"), with the reason; empty when the
    /// caseworker chose to say only that something was left out (`left_out`).
    withheld: &'a [Withheld],
    left_out: bool,
}

fn sent(vault: &Vault, case: CaseId) -> Result<Vec<Disclosure>> {
    Ok(disclosures::of_case(vault, case)?
        .into_iter()
        .map(|d| d.record)
        .collect())
}

/// What the caseworker decides before an export of `case`.
pub fn review(vault: &Vault, case: CaseId, today: NaiveDate) -> Result<Review> {
    let view = cases::view(vault, case, today)?;
    Ok(review::items(&view, &sent(vault, case)?))
}

/// Writes what is held about the person of `case` into `out` (a folder that must not exist):
/// `subject.html` to read in `language`, `subject.json` with every record and its history, and
/// `attachments/`, leaving out what `decisions` withhold. The folder appears only when complete;
/// the decisions are audited.
pub fn export(
    vault: &Vault,
    case: CaseId,
    out: &Path,
    language: FormLanguage,
    decisions: &Decisions,
    today: NaiveDate,
) -> Result<()> {
    if out.exists() {
        return Err(Error::invalid(format!(
            "{} already exists: give a new folder",
            out.display()
        )));
    }
    let mut view = cases::view(vault, case, today)?;
    let mut history = cases::history(vault, case)?;
    let mut sent = sent(vault, case)?;
    let choices = review::items(&view, &sent).decide(decisions)?;
    let withheld = review::apply(&choices, &mut view, &mut history, &mut sent);
    let organisation = crate::org::keys(vault)?.name().to_string();
    let contact = crate::referrers::ours(vault)?.organisation;
    let listed: &[Withheld] = if decisions.list_withheld {
        &withheld
    } else {
        &[]
    };
    let html = document::html(&document::Parts {
        view: &view,
        sent: &sent,
        withheld: &withheld,
        list_withheld: decisions.list_withheld,
        organisation: &organisation,
        contact: &contact,
        language,
        today,
    })?;
    let json = serde_json::to_value(SubjectExport {
        format: "silta-subject-export",
        version: 2,
        exported: today,
        language,
        case: &view,
        history: &history,
        disclosures: &sent,
        withheld: listed,
        left_out: !withheld.is_empty(),
    })
    .map_err(|e| Error::invalid(format!("cannot write the export: {e}")))?;
    review::check_nothing_left(&withheld, &json)?;
    let json = serde_json::to_vec_pretty(&json)
        .map_err(|e| Error::invalid(format!("cannot write the export: {e}")))?;

    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let partial = parent.join(format!(".silta-export-{}", uuid::Uuid::now_v7().simple()));
    let decided = if withheld.is_empty() {
        "nothing withheld".to_string()
    } else {
        format!(
            "withheld{}: {}",
            if decisions.list_withheld {
                ""
            } else {
                " (not listed in the copy)"
            },
            withheld
                .iter()
                .map(|w| format!("{} ({})", w.item, serde_plain(w.reason)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let result = (|| {
        private_files::create_dir(&partial)?;
        private_files::create_dir(&partial.join("attachments"))?;
        private_files::write_file(&partial.join("subject.json"), &json)?;
        private_files::write_file(&partial.join("subject.html"), html.as_bytes())?;
        for a in &view.attachments {
            let target = partial.join("attachments").join(a.id.to_string());
            let mut file = private_files::create_file(&target)?;
            vault.read_attachment(a.id, &mut file)?;
            file.sync_all().map_err(Error::io("write", &target))?;
        }
        // Logged before the folder appears: an export the log cannot record is not made.
        audit::log(
            vault,
            Event {
                action: Action::Export,
                kind: Some("case"),
                target: Some(case.uuid()),
                version: None,
                sealed: None,
                case: Some(case),
                detail: Some(format!(
                    "subject access export in {}; {} items reviewed; {decided}",
                    language.code(),
                    choices.len()
                )),
            },
        )?;
        std::fs::rename(&partial, out).map_err(Error::io("write", out))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    result
}

/// A choice as its JSON name ("rights_of_others").
fn serde_plain(c: Choice) -> String {
    match serde_json::to_value(c) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
