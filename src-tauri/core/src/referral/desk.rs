//! The receiving desk: its age key, opening and checking a package, importing it as a case, and
//! the signed yes-or-no acknowledgement that goes back to the sender.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::data::{DATA_FORMAT, DATA_VERSION, ReferralData};
use super::package::{PackageReader, PackageWriter};
use super::{DATA_FILE, FORMAT, FORMAT_VERSION, Manifest};
use crate::cases::{self, CaseInput, CaseView};
use crate::disclosures::{self, Acknowledgement, Decision, Disclosure};
use crate::error::{Error, Result};
use crate::ids::{CaseId, PackageId};
use crate::model::{
    Attachment, Case, CaseDetails, CaseNumber, CouldBeMinor, Interview, InterviewStage,
    InterviewStatus, NameKind, Note, OpenAnswer, Person, PersonName, ReferralSource,
};
use crate::org::{self, SenderCard};
use crate::private_files;
use crate::recipients;
use crate::vault::Vault;

const ACK_FORMAT: &str = "silta-referral-ack";

/// Makes a receiving desk's age identity at `out` (the format `age-keygen` writes, readable by
/// `age -d -i`), returning its public recipient and fingerprint.
pub fn keygen(out: &Path) -> Result<(String, String)> {
    let identity = age::x25519::Identity::generate();
    let public = identity.to_public();
    let text = format!(
        "# created: {}\n# public key: {public}\n{}\n",
        Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        identity.to_string().expose_secret()
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(out).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::invalid(format!(
                "{} already exists: a key is never overwritten",
                out.display()
            ))
        } else {
            Error::io("create", out)(e)
        }
    })?;
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(Error::io("write", out))?;
    Ok((public.to_string(), org::age_fingerprint(&public)))
}

/// Reads an age identity file (ours or `age-keygen`'s): the first `AGE-SECRET-KEY-1` line.
pub fn load_identity(path: &Path) -> Result<age::x25519::Identity> {
    let text =
        zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(Error::io("read", path))?);
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .and_then(|l| age::x25519::Identity::from_str(l).ok())
        .ok_or_else(|| {
            Error::invalid(format!(
                "{} holds no age identity (a line starting AGE-SECRET-KEY-1)",
                path.display()
            ))
        })
}

/// Who signed a package.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Signer {
    pub card: SenderCard,
    /// The card is one this desk already knows (a recipient entry with this sender card).
    pub known: bool,
}

/// A package that decrypted and passed every check.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Opened {
    pub manifest: Manifest,
    pub signer: Signer,
    pub data: ReferralData,
    /// The data as readable text, in the package's language.
    pub text: String,
    /// The same as the form's sections, for the app to lay out like the printed form.
    pub form: super::FormView,
    /// Where the contents were written, if asked.
    pub written_to: Option<String>,
}

fn parse_manifest(bytes: &[u8]) -> Result<(SenderCard, BTreeMap<String, String>)> {
    let m: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| Error::BadPackage(format!("its manifest is not valid: {e}")))?;
    if m.format != FORMAT {
        return Err(Error::BadPackage(format!(
            "it is a {:?}, not a referral",
            m.format
        )));
    }
    if m.version != FORMAT_VERSION {
        return Err(Error::BadPackage(format!(
            "it is version {} of the format; this Silta reads version {FORMAT_VERSION}: update Silta",
            m.version
        )));
    }
    m.sender
        .check()
        .map_err(|e| Error::BadPackage(format!("its sender card is not valid: {e}")))?;
    Ok((m.sender, m.files))
}

struct Checked {
    reader: PackageReader,
    manifest: Manifest,
    signer: Signer,
    data: ReferralData,
}

fn check(path: &Path, identity: &age::x25519::Identity, known: &[SenderCard]) -> Result<Checked> {
    let (mut reader, card) = PackageReader::open(path, identity, parse_manifest)?;
    let manifest: Manifest = serde_json::from_slice(&reader.manifest_bytes)
        .map_err(|e| Error::BadPackage(format!("its manifest is not valid: {e}")))?;
    let me = identity.to_public().to_string();
    if manifest.recipient.age_recipient != me {
        return Err(Error::BadPackage(format!(
            "it says it is for {} ({}), not for this key",
            manifest.recipient.name, manifest.recipient.fingerprint
        )));
    }
    let data: ReferralData = serde_json::from_slice(&reader.read_small(DATA_FILE)?)
        .map_err(|e| Error::BadPackage(format!("{DATA_FILE} is not valid: {e}")))?;
    // The referrer named in the data is the organisation whose key signed it: a sender cannot
    // print another organisation's name (and its own number) for the receiver to call back.
    if data.format != DATA_FORMAT
        || !(1..=DATA_VERSION).contains(&data.version)
        || data.referrer.organisation != card.name
        || data.mode != manifest.mode
        || data.field_groups != manifest.field_groups
    {
        return Err(Error::BadPackage(format!(
            "{DATA_FILE} does not agree with the manifest"
        )));
    }
    for a in &data.attachments {
        if a.file != format!("attachments/{}", a.id) || !manifest.files.contains_key(&a.file) {
            return Err(Error::BadPackage(format!(
                "attachment {} is not in the package",
                a.id
            )));
        }
    }
    let signer = Signer {
        known: known.contains(&card),
        card,
    };
    Ok(Checked {
        reader,
        manifest,
        signer,
        data,
    })
}

/// Decrypts and checks the package at `path`; with `out`, writes its contents there (a folder
/// that must not exist yet). Everything is checked before the folder appears.
pub fn open(
    path: &Path,
    identity: &age::x25519::Identity,
    known: &[SenderCard],
    out: Option<&Path>,
) -> Result<Opened> {
    let mut c = check(path, identity, known)?;
    let written_to = match out {
        None => {
            // Every file is read and hashed even when nothing is written.
            let names: Vec<String> = c.manifest.files.keys().cloned().collect();
            for name in names {
                c.reader.copy(&name, &mut std::io::sink())?;
            }
            None
        }
        Some(out) => {
            extract(&mut c, out)?;
            Some(out.display().to_string())
        }
    };
    Ok(Opened {
        manifest: c.manifest,
        signer: c.signer,
        text: super::form::text(&c.data),
        form: super::form::view(&c.data),
        data: c.data,
        written_to,
    })
}

fn extract(c: &mut Checked, out: &Path) -> Result<()> {
    if out.exists() {
        return Err(Error::invalid(format!(
            "{} already exists: give a new folder to write the referral into",
            out.display()
        )));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let partial = parent.join(format!(".silta-open-{}", uuid::Uuid::now_v7().simple()));
    let result = (|| {
        private_files::create_dir(&partial)?;
        private_files::create_dir(&partial.join("attachments"))?;
        private_files::write_file(
            &partial.join(super::package::MANIFEST),
            &c.reader.manifest_bytes,
        )?;
        private_files::write_file(
            &partial.join(super::package::SIGNATURE),
            &c.reader.signature,
        )?;
        let names: Vec<String> = c.manifest.files.keys().cloned().collect();
        for name in names {
            let target = partial.join(&name);
            if name == super::FORM_FILE {
                // The sender's printable form is checked against its hash but not written: a
                // hostile sender's could carry script, or say "may be called" where the data says
                // no. The desk prints its own, from the data it checked.
                c.reader.copy(&name, &mut std::io::sink())?;
                let ours = super::form::html(&c.data, &c.manifest.package.to_string());
                private_files::write_file(&target, ours.as_bytes())?;
                continue;
            }
            let mut file = private_files::create_file(&target)?;
            c.reader.copy(&name, &mut file)?;
            file.sync_all().map_err(Error::io("write", &target))?;
        }
        std::fs::rename(&partial, out).map_err(Error::io("write", out))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    result
}

/// The sender cards this vault knows: those given with its recipients.
pub fn known_senders(vault: &Vault) -> Result<Vec<SenderCard>> {
    Ok(recipients::list(vault)?
        .into_iter()
        .filter_map(|r| r.record.card)
        .collect())
}

/// Whether the caseworker accepts a package from a sender this vault does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    /// Only a sender whose card the vault holds (a recipient with their sender card).
    MustBeKnown,
    /// Any sender: the caseworker compared the fingerprint by phone, or accepts the risk.
    UnknownAccepted,
}

/// Brings a checked package into `vault` as a new case: the person as referred, the account and
/// indicators as a finished interview, attachments streamed in (each checked against its hash
/// before the import commits), and where it came from. A package from a sender the vault does not
/// know is refused unless `sender` accepts it: anyone can sign a package, and an import writes
/// to the vault whatever the package holds.
pub fn import(
    vault: &Vault,
    path: &Path,
    identity: &age::x25519::Identity,
    today: NaiveDate,
    sender: Sender,
) -> Result<CaseView> {
    let known = known_senders(vault)?;
    let mut c = check(path, identity, &known)?;
    if !c.signer.known && sender == Sender::MustBeKnown {
        return Err(Error::UnknownSender {
            name: c.signer.card.name.clone(),
            fingerprint: c.signer.card.fingerprint.clone(),
        });
    }
    let d = &c.data;
    let mut person = Person::default();
    if let Some(i) = &d.identity {
        person.names = i.names.clone();
        person.birth = i.birth;
        person.age_uncertain = i.age_uncertain;
        person.gender = i.gender;
        person.citizenships = i.citizenships.clone();
    } else {
        person.names = vec![PersonName {
            name: format!("Anonymous {}", c.manifest.package),
            kind: NameKind::Alias,
        }];
        person.age_uncertain = d.age_group != super::data::AgeGroup::Adult;
    }
    // The sender's answer to "could this person be under 18?" travels as the age group.
    if person.birth.is_none() {
        person.could_be_minor = Some(match d.age_group {
            super::data::AgeGroup::Adult => CouldBeMinor::No,
            super::data::AgeGroup::Child => CouldBeMinor::Yes,
            super::data::AgeGroup::Uncertain => CouldBeMinor::DontKnow,
        });
    }
    if let Some(Some(contact)) = &d.contact {
        person.safe_contact = Some(contact.clone());
    }
    if let Some(s) = &d.status {
        person.residence_status = s.residence_status.clone();
        person.municipality = s.municipality.clone();
        person.migri_client_number = s.migri_client_number.clone();
        person.counsel = s.counsel.clone();
    }
    if let Some(l) = &d.languages {
        person.languages = l.languages.clone();
        person.interpreter_needed = l.interpreter_needed;
    }
    if let Some(children) = &d.children {
        person.children_in_finland = children.clone();
    }
    let mut details = CaseDetails::new(vault.user(), today);
    details.urgent = d.urgent;
    if let Some(i) = &d.indicators {
        details.exploitation_types = i.exploitation_types.clone();
        details.methods_of_control = i.methods_of_control.clone();
    }
    if let Some(n) = &d.needs {
        details.needs = n.clone();
    }
    if let Some(p) = &d.police_status {
        details.police = p.clone();
    }
    if let Some(h) = &d.health {
        details.health = h.clone();
    }
    if let Some(e) = &d.exploiters {
        details.exploiters = e.exploiters.clone();
        details.events = e.events.clone();
    }
    details.referred_by = Some(ReferralSource {
        organisation: c.signer.card.name.clone(),
        fingerprint: c.signer.card.fingerprint.clone(),
        known_sender: c.signer.known,
        package: c.manifest.package,
        sent: c.manifest.created,
        received: today,
        callback: d
            .referrer
            .caseworker_contact
            .clone()
            .or_else(|| d.referrer.organisation_contact.clone()),
    });
    let account = d.account.clone().unwrap_or_default();
    let observations = d.observations.clone().unwrap_or_default();
    let join = |items: &[super::data::Statement]| {
        items
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let first = account.first().or(observations.first());
    // An answer given to an earlier wording whose "yes" could mean the opposite (flagged by the
    // sender, or any reworded question in a package older than version 5) goes into an interview
    // of that question set, so the desk does not take it at face value either.
    let (earlier, current): (Vec<_>, Vec<_>) = d
        .indicators
        .iter()
        .flat_map(|i| &i.answers)
        .map(|a| {
            let earlier = given_to_earlier_wording(d.version, a);
            let answer = crate::model::IndicatorAnswer {
                indicator: a.indicator,
                answer: a.answer,
                source: a.source,
                context: String::new(),
            };
            (earlier, answer)
        })
        .partition(|(earlier, _)| *earlier);
    let answers = |list: Vec<(bool, crate::model::IndicatorAnswer)>| -> Vec<_> {
        list.into_iter().map(|(_, a)| a).collect()
    };
    // One answer to each open question: a screening's and an extended interview's, one after
    // the other.
    let mut open_answers: Vec<OpenAnswer> = Vec::new();
    for a in account.iter().flat_map(|s| &s.open_answers) {
        match open_answers.iter_mut().find(|o| o.question == a.question) {
            Some(o) => o.text = format!("{}\n\n{}", o.text, a.text),
            None => open_answers.push(a.clone()),
        }
    }
    let interview = Interview {
        stage: first.map_or(InterviewStage::Screening, |s| s.stage),
        language: first
            .and_then(|s| s.language.clone())
            .map_or_else(|| "und".parse(), Ok)?,
        interpreter: first.and_then(|s| s.interpreter.clone()),
        answers: answers(current),
        narrative: join(&account),
        observations: join(&observations),
        status: InterviewStatus::Final,
        opening_given: false,
        open_answers,
        explore: Vec::new(),
        question_set: crate::indicators::QUESTION_SET,
    };
    let earlier_interview = (!earlier.is_empty()).then(|| Interview {
        answers: answers(earlier),
        narrative: String::new(),
        observations: String::new(),
        open_answers: Vec::new(),
        question_set: 1,
        ..interview.clone()
    });
    let has_interview = !interview.answers.is_empty()
        || !interview.open_answers.is_empty()
        || !interview.narrative.is_empty()
        || !interview.observations.is_empty();
    let attachments = c.data.attachments.clone();
    // The referrer's reason for a missing account or needs is kept as a note, in their words.
    let reason = c.data.missing_reason.clone().map(|why| Note {
        text: format!("{}: {why}", c.signer.card.name),
    });
    let case = vault.write(|v| {
        let view = cases::open_case(
            v,
            CaseInput {
                person,
                details: Some(details),
            },
            today,
        )?;
        if has_interview {
            interview.validate()?;
            v.insert(Some(view.case.id), &interview)?;
        }
        if let Some(earlier) = &earlier_interview {
            earlier.validate()?;
            v.insert(Some(view.case.id), earlier)?;
        }
        if let Some(note) = &reason {
            note.validate()?;
            v.insert(Some(view.case.id), note)?;
        }
        for a in &attachments {
            let mut meta = Attachment::new(&a.name, &a.media_type);
            meta.description = a.description.clone();
            c.reader.stream(&a.file, |bytes| {
                v.add_attachment(view.case.id, meta, bytes, &a.file)
            })?;
        }
        Ok(view.case.id)
    })?;
    cases::view(vault, case, today)
}

/// The acknowledgement's manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AckManifest {
    format: String,
    version: u32,
    package: PackageId,
    /// SHA-256 of the package's plaintext manifest: proves the package was decrypted.
    manifest_sha256: String,
    decision: Decision,
    decided_on: NaiveDate,
    receiver: SenderCard,
    files: BTreeMap<String, String>,
}

fn parse_ack(bytes: &[u8]) -> Result<(SenderCard, BTreeMap<String, String>)> {
    let m: AckManifest = serde_json::from_slice(bytes)
        .map_err(|e| Error::BadPackage(format!("it is not an acknowledgement: {e}")))?;
    if m.format != ACK_FORMAT || m.version != 1 {
        return Err(Error::BadPackage(format!(
            "it is a {:?} of version {}, not an acknowledgement Silta reads",
            m.format, m.version
        )));
    }
    m.receiver
        .check()
        .map_err(|e| Error::BadPackage(format!("its signer's card is not valid: {e}")))?;
    Ok((m.receiver, m.files))
}

/// Answers a checked package with `decision`: signed with this vault's organisation key and
/// encrypted to the sender.
pub fn acknowledge(
    vault: &Vault,
    path: &Path,
    identity: &age::x25519::Identity,
    decision: Decision,
    out: &Path,
    today: NaiveDate,
) -> Result<PackageId> {
    let known = known_senders(vault)?;
    let c = check(path, identity, &known)?;
    let keys = org::keys(vault)?;
    let manifest = AckManifest {
        format: ACK_FORMAT.into(),
        version: 1,
        package: c.manifest.package,
        manifest_sha256: hex::encode(Sha256::digest(&c.reader.manifest_bytes)),
        decision,
        decided_on: today,
        receiver: keys.card()?,
        files: BTreeMap::new(),
    };
    let writer = PackageWriter::create(out, &[c.signer.card.age_recipient()?])?;
    writer.finish(&manifest, &keys)?;
    Ok(c.manifest.package)
}

/// An acknowledgement recorded: the case it answers and the disclosure as it now stands.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Answered {
    pub case: CaseId,
    pub number: CaseNumber,
    pub disclosure: Disclosure,
}

impl Answered {
    /// An acceptance is where a reflection or recovery period starts: its decision gives the
    /// dates, which the caseworker is asked to record (`followups::period_reminder`).
    pub fn asks_for_period(&self) -> bool {
        self.disclosure
            .acknowledgement
            .as_ref()
            .is_some_and(|a| a.decision == Decision::Accepted)
    }
}

/// Records an acknowledgement in the disclosure log of the case it answers.
pub fn receive_ack(vault: &Vault, path: &Path, today: NaiveDate) -> Result<Answered> {
    let keys = org::keys(vault)?;
    let identity = keys.age_identity()?;
    let (reader, signer) = PackageReader::open(path, &identity, parse_ack)?;
    let ack: AckManifest = serde_json::from_slice(&reader.manifest_bytes)
        .map_err(|e| Error::BadPackage(format!("it is not an acknowledgement: {e}")))?;
    vault.write(|v| {
        let sent = disclosures::all(v)?
            .into_iter()
            .find(|d| d.record.package == ack.package)
            .ok_or_else(|| Error::NotFound {
                kind: "disclosure of package",
                id: ack.package.to_string(),
            })?;
        if sent.record.manifest_sha256 != ack.manifest_sha256 {
            return Err(Error::BadPackage(
                "it answers a package with other contents than the one sent".into(),
            ));
        }
        let known_signer = recipients::find(v, &sent.record.recipient)
            .ok()
            .and_then(|r| r.record.card)
            .is_some_and(|card| card == signer);
        let mut updated = sent.record.clone();
        updated.acknowledgement = Some(Acknowledgement {
            decision: ack.decision,
            decided_on: ack.decided_on,
            received_on: today,
            signer_fingerprint: signer.fingerprint.clone(),
            known_signer,
        });
        let stored = v.update(&sent, &updated)?;
        let case = stored.case.ok_or_else(|| Error::NotFound {
            kind: "case of package",
            id: ack.package.to_string(),
        })?;
        Ok(Answered {
            case,
            number: v.get::<Case>(case)?.record.number,
            disclosure: stored.record,
        })
    })
}

/// Whether an answer in a package of `data_version` was given to an earlier wording whose "yes"
/// could mean the opposite: marked so by its sender, or any answer to a reworded question in a
/// package from before version 5, which could not say which wording it answered.
fn given_to_earlier_wording(data_version: u32, a: &super::data::CodedAnswer) -> bool {
    a.earlier_wording || (data_version < 5 && crate::indicators::earlier_wording(1, a.indicator))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answer, Indicator, Source};

    fn coded(indicator: Indicator, earlier_wording: bool) -> super::super::data::CodedAnswer {
        super::super::data::CodedAnswer {
            indicator,
            answer: Answer::Yes,
            source: Source::SelfReported,
            earlier_wording,
        }
    }

    #[test]
    fn answers_to_reworded_questions_in_packages_before_version_5_are_not_taken_at_face_value() {
        assert!(given_to_earlier_wording(
            4,
            &coded(Indicator::Deception, false)
        ));
        assert!(!given_to_earlier_wording(
            5,
            &coded(Indicator::Deception, false)
        ));
        assert!(given_to_earlier_wording(
            5,
            &coded(Indicator::Deception, true)
        ));
        assert!(!given_to_earlier_wording(
            4,
            &coded(Indicator::DebtBondage, false)
        ));
        assert!(!given_to_earlier_wording(
            6,
            &coded(Indicator::Deception, false)
        ));
    }
}
