//! The person's right of access (GDPR Art. 15): everything held about them, readable, with the
//! list of whoever received their data and when.

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

#[derive(Serialize)]
struct SubjectExport<'a> {
    format: &'static str,
    version: u32,
    exported: NaiveDate,
    case: &'a CaseView,
    history: &'a CaseHistory,
    disclosures: &'a [Disclosure],
}

struct Headings {
    title: &'static str,
    intro: &'static str,
    person: &'static str,
    records: &'static str,
    disclosures: &'static str,
    none: &'static str,
}

fn headings(language: FormLanguage) -> Headings {
    match language {
        FormLanguage::Fi => Headings {
            title: "Sinusta tallennetut tiedot",
            intro: "Tämä on kaikki, mitä sinusta on tallennettu, ja kenelle tietojasi on luovutettu (EU:n tietosuoja-asetus, 15 artikla). Koneluettava versio on tiedostossa subject.json.",
            person: "Henkilötiedot ja asia",
            records: "Kirjaukset",
            disclosures: "Kenelle tietojasi on luovutettu",
            none: "ei kenellekään",
        },
        FormLanguage::Sv => Headings {
            title: "Uppgifter som sparats om dig",
            intro: "Detta är allt som sparats om dig, och till vem dina uppgifter har lämnats ut (EU:s dataskyddsförordning, artikel 15). En maskinläsbar version finns i subject.json.",
            person: "Personuppgifter och ärende",
            records: "Anteckningar",
            disclosures: "Till vem dina uppgifter har lämnats ut",
            none: "till ingen",
        },
        FormLanguage::En => Headings {
            title: "The information held about you",
            intro: "This is everything held about you, and to whom your information was disclosed (EU General Data Protection Regulation, Article 15). A machine-readable copy is in subject.json.",
            person: "Personal details and case",
            records: "Records",
            disclosures: "To whom your information was disclosed",
            none: "to no one",
        },
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Pretty JSON of `value` as a readable block.
fn block(value: &impl Serialize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    format!("<pre>{}</pre>\n", escape(&text))
}

fn html(view: &CaseView, sent: &[Disclosure], language: FormLanguage) -> String {
    let h = headings(language);
    let mut body = format!(
        "<h1>{}</h1>\n<p>{}</p>\n<h2>{}</h2>\n",
        escape(h.title),
        escape(h.intro),
        escape(h.person)
    );
    body.push_str(&block(&view.person.record));
    body.push_str(&block(&view.case.record));
    body.push_str(&format!("<h2>{}</h2>\n", escape(h.records)));
    body.push_str(&block(&view.interviews));
    body.push_str(&block(&view.consents));
    body.push_str(&block(&view.support_actions));
    body.push_str(&block(&view.tasks));
    body.push_str(&block(&view.notes));
    body.push_str(&block(&view.attachments));
    body.push_str(&format!("<h2>{}</h2>\n<ul>\n", escape(h.disclosures)));
    if sent.is_empty() {
        body.push_str(&format!("<li>{}</li>\n", escape(h.none)));
    }
    for d in sent {
        body.push_str(&format!(
            "<li>{} — {} ({})</li>\n",
            escape(&d.sent_at.format("%Y-%m-%d %H:%M UTC").to_string()),
            escape(&d.recipient),
            escape(
                &d.field_groups
                    .iter()
                    .map(crate::referral::group_name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        ));
    }
    body.push_str("</ul>\n");
    let lang = match language {
        FormLanguage::Fi => "fi",
        FormLanguage::Sv => "sv",
        FormLanguage::En => "en",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>body {{ font-family: sans-serif; max-width: 50rem; margin: 2rem auto; }} \
         pre {{ white-space: pre-wrap; background: #f4f4f4; padding: 0.5rem; }}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(h.title)
    )
}

/// Writes everything held about the person of `case` into `out` (a folder that must not exist):
/// `subject.html` to read, `subject.json` with every record and its history, and `attachments/`.
/// The folder appears only when complete.
pub fn export(
    vault: &Vault,
    case: CaseId,
    out: &Path,
    language: FormLanguage,
    today: NaiveDate,
) -> Result<()> {
    if out.exists() {
        return Err(Error::invalid(format!(
            "{} already exists: give a new folder",
            out.display()
        )));
    }
    let view = cases::view(vault, case, today)?;
    let history = cases::history(vault, case)?;
    let sent: Vec<Disclosure> = disclosures::of_case(vault, case)?
        .into_iter()
        .map(|d| d.record)
        .collect();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let partial = parent.join(format!(".silta-export-{}", uuid::Uuid::now_v7().simple()));
    let result = (|| {
        private_files::create_dir(&partial)?;
        private_files::create_dir(&partial.join("attachments"))?;
        let json = serde_json::to_vec_pretty(&SubjectExport {
            format: "silta-subject-export",
            version: 1,
            exported: today,
            case: &view,
            history: &history,
            disclosures: &sent,
        })
        .map_err(|e| Error::invalid(format!("cannot write the export: {e}")))?;
        private_files::write_file(&partial.join("subject.json"), &json)?;
        private_files::write_file(
            &partial.join("subject.html"),
            html(&view, &sent, language).as_bytes(),
        )?;
        for a in &view.attachments {
            let target = partial.join("attachments").join(a.id.to_string());
            let mut file = private_files::create_file(&target)?;
            vault.read_attachment(a.id, &mut file)?;
            file.sync_all().map_err(Error::io("write", &target))?;
        }
        std::fs::rename(&partial, out).map_err(Error::io("write", out))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    result?;
    audit::log(
        vault,
        Event {
            action: Action::Export,
            kind: Some("case"),
            target: Some(case.uuid()),
            version: None,
            sealed: None,
            case: Some(case),
            detail: Some("subject access export".into()),
        },
    )
}
