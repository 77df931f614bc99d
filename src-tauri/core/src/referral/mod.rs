//! Referral packages: what leaves the machine, and only what the person agreed to.
//!
//! [`preview`] shows exactly what a package would hold; [`create`] writes it (age-encrypted,
//! signed) and logs the disclosure. The receiving desk's side is in [`desk`]. The format is in
//! docs/referral-format.md.

pub mod data;
pub mod desk;
pub(crate) mod form;
mod gate;
pub mod package;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::{self, CaseView};
use crate::disclosures::Disclosure;
use crate::error::{Error, Result};
use crate::ids::{CaseId, ConsentId, NotificationId, PackageId, RecordId};
use crate::model::FieldGroup;
use crate::org::{self, SenderCard};
use crate::recipients::{self, Recipient};
use crate::referrers;
use crate::vault::{Stored, Vault};
use data::{ConsentPart, FormLanguage, ReferralData};
pub use form::{FormRow, FormSection, FormView};
pub use gate::{Offer, group_name, parse_groups};
use package::PackageWriter;

pub const FORMAT: &str = "silta-referral";
pub const FORMAT_VERSION: u32 = 1;
pub const DATA_FILE: &str = "referral.json";
pub const FORM_FILE: &str = "referral.html";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Anonymous: nothing that identifies the person; needs no consent.
    Consultation,
    /// To the Assistance System (or another organisation), under a referral consent.
    Referral,
    /// To the police, under a police-report consent.
    Report,
    /// A notification the Child Welfare Act requires, without consent: to child welfare or the
    /// police, carrying only who the child is, how to reach them safely and
    /// the concern (`model::notification`).
    Notification,
}

impl std::str::FromStr for Mode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "consultation" => Ok(Mode::Consultation),
            "referral" => Ok(Mode::Referral),
            "report" => Ok(Mode::Report),
            "notification" => Ok(Mode::Notification),
            _ => Err(Error::invalid(format!(
                "{s:?} is not a mode; use consultation, referral, report or notification"
            ))),
        }
    }
}

/// What the caseworker asks to send.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Request {
    pub case: CaseId,
    pub recipient: String,
    pub mode: Mode,
    /// Without it: every group the consents allow, except attachments and (for the police) health.
    #[serde(default)]
    pub fields: Option<Vec<FieldGroup>>,
    /// The caseworker read the free text and confirms it names no one (consultations only).
    #[serde(default)]
    pub names_no_one: bool,
    /// The form's language; without it, the person's interview language if fi, sv or en.
    #[serde(default)]
    pub language: Option<FormLanguage>,
    /// Why a referral goes without the person's account or needs (shown on the form).
    #[serde(default)]
    pub missing_reason: Option<String>,
    /// The caseworker read the account, observations and exploiters' details going out and
    /// confirms they name no other possible victim, and no place, employer or date beyond what
    /// the consent covers. Needed whenever a referral or report carries any of them.
    #[serde(default)]
    pub checked_for_others: bool,
    /// The notification record a package in mode `notification` carries.
    #[serde(default)]
    pub notification: Option<NotificationId>,
}

/// Exactly what a package would hold, before anything is written.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Preview {
    pub recipient: Recipient,
    pub data: ReferralData,
    /// The same data as readable text, in the form's language.
    pub text: String,
    /// The same again as the form's sections, for the app to lay out like the printed form.
    pub form: FormView,
    /// What the Assistance System needs and this referral lacks; it goes only with a reason.
    pub missing: Vec<FieldGroup>,
    /// The package carries a contact whose safety the person has not been asked about: it
    /// does not go until both answers are recorded.
    pub contact_safety_unknown: bool,
    /// The package carries free text or exploiters' details: the caseworker confirms they name
    /// no one else before it goes (`Request::checked_for_others`).
    pub check_for_others: bool,
}

/// The package's table of contents, signed by the sender.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always "silta-referral".
    pub format: String,
    pub version: u32,
    pub package: PackageId,
    pub created: DateTime<Utc>,
    pub sender: SenderCard,
    pub recipient: ManifestRecipient,
    pub mode: Mode,
    pub field_groups: Vec<FieldGroup>,
    pub consents: Vec<ConsentId>,
    pub language: FormLanguage,
    /// SHA-256 (hex) of every other file in the package, by its path.
    pub files: BTreeMap<String, String>,
    /// The sender's audit chain head when the package was made.
    pub audit_checkpoint: Option<crate::audit::Checkpoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ManifestRecipient {
    pub name: String,
    pub age_recipient: String,
    pub fingerprint: String,
}

struct Prepared {
    view: CaseView,
    recipient: Stored<Recipient>,
    data: ReferralData,
    keys: org::OrgKeys,
    sender: SenderCard,
}

fn prepare(
    vault: &Vault,
    request: &Request,
    today: NaiveDate,
    ui: FormLanguage,
) -> Result<Prepared> {
    let view = cases::view(vault, request.case, today)?;
    let recipient = recipients::find(vault, &request.recipient)?;
    let (chosen, notification) = if request.mode == Mode::Notification {
        let (chosen, notification) = gate::statutory(
            &view,
            &recipient.record,
            request.notification,
            request.fields.as_deref(),
            today,
        )?;
        (chosen, Some(notification))
    } else {
        let chosen = gate::choose(
            &view,
            &recipient.record,
            request.mode,
            request.fields.as_deref(),
            request.names_no_one,
            today,
        )?;
        (chosen, None)
    };
    let language = request.language.unwrap_or_else(|| {
        let latest = view
            .interviews
            .iter()
            .rev()
            .map(|i| &i.record.language)
            .next();
        FormLanguage::for_interview(latest, ui)
    });
    let keys = org::keys(vault)?;
    let sender = keys.card()?;
    let consents: Vec<ConsentPart> = chosen.consents.iter().map(ConsentPart::from).collect();
    let contacts = referrers::ours(vault)?;
    let data = data::build(
        &view,
        data::Chosen {
            mode: request.mode,
            groups: &chosen.groups,
            consents: &consents,
            notification: notification.as_ref(),
        },
        data::Referrer {
            organisation: sender.name.clone(),
            caseworker: Some(vault.user().to_string()),
            date: today,
            organisation_contact: Some(contacts.organisation).filter(|c| !c.is_empty()),
            caseworker_contact: Some(contacts.mine).filter(|c| !c.is_empty()),
        },
        language,
        request.missing_reason.clone(),
    )?;
    Ok(Prepared {
        view,
        recipient,
        data,
        keys,
        sender,
    })
}

/// The field groups the wizard offers for a package of `case` to `recipient` in `mode`.
pub fn offer(
    vault: &Vault,
    case: CaseId,
    recipient: &str,
    mode: Mode,
    today: NaiveDate,
) -> Result<Offer> {
    let view = cases::view(vault, case, today)?;
    let recipient = recipients::find(vault, recipient)?;
    gate::offer(&view, &recipient.record, mode, today)
}

/// What a package for `request` would contain, checked against consent. `ui` is the language
/// to fall back on when the person's interview language is not one the form has.
pub fn preview(
    vault: &Vault,
    request: &Request,
    today: NaiveDate,
    ui: FormLanguage,
) -> Result<Preview> {
    let p = prepare(vault, request, today, ui)?;
    Ok(Preview {
        text: form::text(&p.data),
        form: form::view(&p.data),
        missing: p.data.missing(),
        contact_safety_unknown: contact_safety_unknown(&p.data),
        check_for_others: check_for_others(&p.data),
        recipient: p.recipient.record,
        data: p.data,
    })
}

/// Writes the package for `request` to `out` and logs the disclosure. The recipient's fingerprint
/// must have been confirmed. If logging fails, the file is removed: nothing leaves unlogged.
pub fn create(
    vault: &Vault,
    request: &Request,
    out: &Path,
    today: NaiveDate,
    ui: FormLanguage,
) -> Result<Stored<Disclosure>> {
    // A consent withdrawn and then rolled back in the file would read as in force: nothing
    // leaves while the log and the file disagree.
    if let Some(why) = crate::audit::check(vault)?.broken {
        return Err(Error::AuditBroken(why));
    }
    // A file put back to an older copy may carry an old referrer number or a withdrawn consent's
    // older version; nothing leaves until someone has looked and accepted it.
    if let Some(how) = vault.rolled_back() {
        return Err(Error::AuditBroken(format!(
            "{how}; check the audit log and accept it before sending anything"
        )));
    }
    let p = prepare(vault, request, today, ui)?;
    if contact_safety_unknown(&p.data) {
        return Err(Error::ContactSafetyUnknown);
    }
    if check_for_others(&p.data) && !request.checked_for_others {
        return Err(Error::OthersNotChecked);
    }
    let missing = p.data.missing();
    if !missing.is_empty() && p.data.missing_reason.is_none() {
        return Err(Error::ReferralIncomplete(
            missing
                .iter()
                .map(group_name)
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    let recipient = &p.recipient.record;
    if recipient.confirmed.is_none() {
        return Err(Error::RecipientUnconfirmed(recipient.name.clone()));
    }
    let (keys, sender) = (&p.keys, p.sender.clone());
    let package = PackageId::new();
    let json = serde_json::to_vec_pretty(&p.data)
        .map_err(|e| Error::invalid(format!("cannot write the referral data: {e}")))?;
    let mut writer =
        PackageWriter::create(out, &[org::parse_age_recipient(&recipient.age_recipient)?])?;
    writer.add(DATA_FILE, &json)?;
    writer.add(
        FORM_FILE,
        form::html(&p.data, &package.to_string()).as_bytes(),
    )?;
    for a in &p.data.attachments {
        let digest = writer.add_streamed(&a.file, |w| {
            vault.read_attachment(a.id, &mut WriteRef(w)).map(|_| ())
        })?;
        if digest != a.sha256 {
            return Err(Error::Integrity {
                what: format!("attachment {}", a.id),
            });
        }
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        package,
        created: Utc::now(),
        sender,
        recipient: ManifestRecipient {
            name: recipient.name.clone(),
            age_recipient: recipient.age_recipient.clone(),
            fingerprint: recipient.fingerprint.clone(),
        },
        mode: request.mode,
        field_groups: p.data.field_groups.clone(),
        consents: p.data.consents.iter().map(|c| c.id).collect(),
        language: p.data.language,
        files: writer.files().clone(),
        audit_checkpoint: crate::audit::checkpoint(vault)?,
    };
    let written = writer.finish(&manifest, keys)?;
    let disclosure = Disclosure {
        package,
        recipient: recipient.name.clone(),
        recipient_fingerprint: recipient.fingerprint.clone(),
        mode: request.mode,
        field_groups: manifest.field_groups.clone(),
        consents: manifest.consents.clone(),
        sent_at: manifest.created,
        file_name: out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        file_sha256: written.file_sha256,
        manifest_sha256: written.manifest_sha256,
        acknowledgement: None,
        checked_for_others: check_for_others(&p.data),
        legal_basis: p.data.notification.as_ref().map(|n| n.legal_basis),
        notification: p.data.notification.as_ref().map(|n| n.id),
    };
    vault
        .write(|v| {
            let logged = v.insert(Some(p.view.case.id), &disclosure)?;
            crate::audit::log(
                v,
                crate::audit::Event {
                    action: crate::audit::Action::Referral,
                    kind: Some("package"),
                    target: Some(package.uuid()),
                    version: None,
                    sealed: None,
                    case: Some(p.view.case.id),
                    detail: Some(recipient.name.clone()),
                },
            )?;
            Ok(logged)
        })
        .inspect_err(|_| {
            let _ = std::fs::remove_file(out);
        })
}

/// `&mut dyn Write` as a sized `Write`, for functions generic over their writer.
/// The official form asks first "is it safe to call or write here?"; a package carrying the
/// person's contact waits until both are answered (the Assistance System contacts the person
/// after a referral).
fn contact_safety_unknown(data: &ReferralData) -> bool {
    matches!(&data.contact, Some(Some(c)) if c.safe_to_call.is_none() || c.safe_to_write.is_none())
}

/// The account, the observations, the exploiters' details, health, the needs' note, the reason
/// for what is missing, a child's views and attachments are the parts that can name other possible victims,
/// places, employers and dates the person's consent does not cover; names of
/// other possible victims never go into a narrative (../shared/domain.md). A consultation has its
/// own, stricter check (it names no one at all).
fn check_for_others(data: &ReferralData) -> bool {
    data.mode != Mode::Consultation
        && (data.account.is_some()
            || data.observations.is_some()
            || data.exploiters.is_some()
            || data.health.is_some()
            || data.missing_reason.is_some()
            || data.notification.is_some()
            || !data.attachments.is_empty()
            || data
                .consents
                .iter()
                .any(|c| c.consent.child_views.is_some())
            || data
                .needs
                .as_ref()
                .is_some_and(|n| !n.note.trim().is_empty()))
}

struct WriteRef<'a>(&'a mut dyn std::io::Write);

impl std::io::Write for WriteRef<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
