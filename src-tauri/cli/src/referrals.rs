//! The subcommands of what leaves the machine: the organisation's card, recipients, consent,
//! referral packages, the receiving desk, and the disclosure log.

use std::path::Path;

use silta_core::cases;
use silta_core::disclosures;
use silta_core::model::{
    Consent, GivenBy, NoGuardianReason, NoRepresentative, Notification, NotificationKind,
    PoliceGround, Purpose, Representative, RepresentativeRole,
};
use silta_core::org::{self, SenderCard};
use silta_core::recipients::{self, KeySource};
use silta_core::referral::data::FormLanguage;
use silta_core::referral::{self, Request, desk};
use silta_core::referrers::{self, Who};
use silta_core::words::Words;
use silta_core::{Error, Result, consents, notifications};

use crate::args::{
    AddConsent, ConsentCommand, Global, NotificationCommand, OrgCommand, RecipientCommand,
    ReferralCommand, Send,
};
use crate::commands::{parse_date, today, unlock};
use crate::output;

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })
}

/// Writes a small file that must not exist yet.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |source| Error::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::create_new(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::InvalidInput(
                format!(
                    "{} already exists: choose another name (nothing is overwritten)",
                    path.display()
                )
                .into(),
            )
        } else {
            io(e)
        }
    })?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(io)
}

pub fn org(g: &Global, command: OrgCommand) -> Result<()> {
    let v = unlock(g)?;
    match command {
        OrgCommand::Identity { out } => {
            let card = org::identity(&v)?;
            match out {
                Some(path) => {
                    let json = serde_json::to_vec_pretty(&card)
                        .map_err(|e| Error::InvalidInput(e.to_string().into()))?;
                    write_new(&path, &json)?;
                    output::done(
                        g,
                        &format!(
                            "sender card of {} written to {} (fingerprint {})",
                            card.name,
                            path.display(),
                            card.fingerprint
                        ),
                        &card,
                    )
                }
                None => output::card(g, &card),
            }
        }
        OrgCommand::Rename { name } => {
            let card = org::rename(&v, &name)?;
            output::done(g, &format!("the organisation is now {}", card.name), &card)
        }
        OrgCommand::Contact { mine, phone, email } => {
            let who = if mine {
                Who::Staff(v.user())
            } else {
                Who::Organisation
            };
            let mut card = referrers::get(&v, who)?;
            if phone.is_none() && email.is_none() {
                return output::done(
                    g,
                    &format!(
                        "phone: {}\ne-mail: {}",
                        or_unset(&card.phone),
                        or_unset(&card.email)
                    ),
                    &card,
                );
            }
            if let Some(p) = phone {
                card.phone = p;
            }
            if let Some(e) = email {
                card.email = e;
            }
            referrers::set(&v, who, &card)?;
            output::done(g, "contact saved; every package now carries it", &card)
        }
    }
}

fn or_unset(value: &str) -> &str {
    if value.trim().is_empty() {
        "not set"
    } else {
        value
    }
}

pub fn recipient(g: &Global, command: RecipientCommand) -> Result<()> {
    let v = unlock(g)?;
    match command {
        RecipientCommand::Add {
            name,
            age_recipient,
            card,
            kind,
            org_type,
        } => {
            let card_bytes = card.as_deref().map(read).transpose()?;
            let key = match (&age_recipient, &card_bytes) {
                (_, Some(bytes)) => KeySource::Card(bytes),
                (Some(r), None) => KeySource::AgeRecipient(r),
                (None, None) => {
                    return Err(Error::InvalidInput(
                        "give their key with --age-recipient age1… or --card FILE".into(),
                    ));
                }
            };
            let org_type = org_type.as_deref().map(str::parse).transpose()?;
            let r = recipients::add(&v, &name, kind.parse()?, org_type, key)?;
            output::done(
                g,
                &format!(
                    "{} added. Before the first send, phone them and compare this fingerprint:\n  {}\nthen run: silta recipient confirm {:?} --fingerprint \"{}\"",
                    r.record.name, r.record.fingerprint, r.record.name, r.record.fingerprint
                ),
                &r.record,
            )
        }
        RecipientCommand::Confirm { name, fingerprint } => {
            let r = recipients::confirm(&v, &name, &fingerprint, today())?;
            output::done(g, &format!("{}'s key confirmed", r.record.name), &r.record)
        }
        RecipientCommand::List => output::recipients(g, &recipients::list(&v)?),
        RecipientCommand::Remove { name } => {
            recipients::remove(&v, &name)?;
            output::done(g, &format!("{name} removed"), &name)
        }
    }
}

pub(crate) fn purpose(text: &str) -> Result<Purpose> {
    serde_json::from_value(serde_json::Value::String(text.trim().replace('-', "_"))).map_err(|_| {
        Error::InvalidInput(
            format!(
                "{text:?} is not a purpose; use referral, police-report, support, storage or other"
            )
            .into(),
        )
    })
}

pub fn consent(g: &Global, command: ConsentCommand) -> Result<()> {
    let v = unlock(g)?;
    match command {
        ConsentCommand::Add(add) => {
            let AddConsent {
                case,
                recipient,
                purpose: purpose_text,
                fields,
                date,
                expires,
                information,
                read_out_in,
                interpreter,
                by_representative,
                representative,
                legal_representative,
                guardian_suspected,
                no_representative,
                representative_requested,
                child_views,
                signed_form,
            } = *add;
            let id = cases::resolve(&v, &case)?;
            let no_representative = no_representative
                .map(|reason| {
                    Ok::<_, Error>(NoRepresentative {
                        reason: match reason.trim() {
                            "no-guardian-in-finland" => NoGuardianReason::NoGuardianInFinland,
                            "guardian-suspected" => NoGuardianReason::GuardianSuspected,
                            other => {
                                return Err(Error::InvalidInput(format!(
                                    "{other:?}: say no-guardian-in-finland or guardian-suspected"
                                ).into()));
                            }
                        },
                        representative_requested,
                    })
                })
                .transpose()?;
            let information = information
                .map(|language| {
                    let library = crate::information::library(g)?;
                    let mut shown = library
                        .render(&language.parse()?, purpose(&purpose_text)?, None)?
                        .shown;
                    shown.read_out_in = read_out_in.map(|l| l.parse()).transpose()?;
                    Ok::<_, Error>(shown)
                })
                .transpose()?;
            let consent = Consent {
                purpose: purpose(&purpose_text)?,
                recipient,
                field_groups: referral::parse_groups(&fields)?,
                information,
                interpreter,
                given_by: if by_representative {
                    GivenBy::Representative
                } else {
                    GivenBy::Person
                },
                representative: representative.map(|name| Representative {
                    name,
                    role: if legal_representative {
                        RepresentativeRole::LegalRepresentative
                    } else {
                        RepresentativeRole::Guardian
                    },
                }),
                guardian_suspected,
                no_representative,
                child_views,
                signed_form: signed_form.as_deref().map(str::parse).transpose()?,
                date: date
                    .as_deref()
                    .map(parse_date)
                    .transpose()?
                    .unwrap_or(today()),
                expires: expires.as_deref().map(parse_date).transpose()?,
                withdrawn: None,
                recorded_by: String::new(),
            };
            let stored = consents::add(&v, id, &consent, today())?;
            if g.json_output() {
                output::done(g, "consent recorded", &stored.id)
            } else {
                println!("{}", stored.id);
                Ok(())
            }
        }
        ConsentCommand::Withdraw { consent, reason } => {
            let stored = consents::withdraw(&v, consent.parse()?, today(), &reason)?;
            output::done(g, "consent withdrawn; it stays on record", &stored.id)
        }
        ConsentCommand::List { case } => {
            let id = cases::resolve(&v, &case)?;
            output::consents(g, &cases::view(&v, id, today())?)
        }
    }
}

fn request(v: &silta_core::vault::Vault, send: &Send) -> Result<Request> {
    Ok(Request {
        case: cases::resolve(v, &send.case)?,
        recipient: send.to.clone(),
        mode: send.mode.parse()?,
        fields: send
            .fields
            .as_deref()
            .map(referral::parse_groups)
            .transpose()?,
        names_no_one: send.names_no_one,
        language: send.language.as_deref().map(str::parse).transpose()?,
        missing_reason: send.missing_reason.clone(),
        checked_for_others: send.checked_for_others,
        notification: send.notification.as_deref().map(str::parse).transpose()?,
    })
}

fn identity(path: &Path) -> Result<age::x25519::Identity> {
    desk::load_identity(path)
}

pub fn referral(g: &Global, command: ReferralCommand) -> Result<()> {
    match command {
        ReferralCommand::Preview { send } => {
            let v = unlock(g)?;
            let preview = referral::preview(&v, &request(&v, &send)?, today(), FormLanguage::En)?;
            output::preview(g, &preview)
        }
        ReferralCommand::Create { send, out } => {
            let v = unlock(g)?;
            let sent = referral::create(&v, &request(&v, &send)?, &out, today(), FormLanguage::En)?;
            output::done(
                g,
                &format!(
                    "package {} for {} written to {} and logged (SHA-256 {})",
                    sent.record.package,
                    sent.record.recipient,
                    out.display(),
                    sent.record.file_sha256
                ),
                &sent.record,
            )
        }
        ReferralCommand::Open {
            file,
            identity: key,
            out,
            trust,
        } => {
            let known = trust
                .iter()
                .map(|p| SenderCard::parse(&read(p)?))
                .collect::<Result<Vec<_>>>()?;
            let opened = desk::open(&file, &identity(&key)?, &known, out.as_deref())?;
            output::opened(g, &opened)
        }
        ReferralCommand::Import {
            file,
            identity: key,
            from_unknown_sender,
        } => {
            let v = unlock(g)?;
            let sender = if from_unknown_sender {
                desk::Sender::UnknownAccepted
            } else {
                desk::Sender::MustBeKnown
            };
            let view = desk::import(&v, &file, &identity(&key)?, today(), sender)?;
            output::done(
                g,
                &format!(
                    "imported as case {} ({})",
                    view.case.record.number, view.case.id
                ),
                &view.case.id,
            )
        }
        ReferralCommand::Ack {
            file,
            identity: key,
            decision,
            out,
        } => {
            let v = unlock(g)?;
            let package = desk::acknowledge(
                &v,
                &file,
                &identity(&key)?,
                decision.parse()?,
                &out,
                today(),
            )?;
            output::done(
                g,
                &format!(
                    "acknowledgement of package {package} written to {}",
                    out.display()
                ),
                &package,
            )
        }
        ReferralCommand::ReceiveAck { file } => {
            let v = unlock(g)?;
            let d = desk::receive_ack(&v, &file, today())?;
            let ack = d.disclosure.acknowledgement.as_ref();
            output::done(
                g,
                &format!(
                    "{} answered {} for package {}{}{}",
                    d.disclosure.recipient,
                    ack.map(|a| output::word(&a.decision)).unwrap_or_default(),
                    d.disclosure.package,
                    if ack.is_some_and(|a| a.known_signer) {
                        ""
                    } else {
                        " (signed by a key not on their card: check with them)"
                    },
                    if d.asks_for_period() {
                        format!(
                            "\nWhen the decision gives a reflection or recovery period, record its dates: silta case period {} --start YYYY-MM-DD --end YYYY-MM-DD",
                            d.number
                        )
                    } else {
                        String::new()
                    }
                ),
                &d.disclosure,
            )
        }
    }
}

pub fn disclosures(g: &Global, case: &str) -> Result<()> {
    let v = unlock(g)?;
    let id = cases::resolve(&v, case)?;
    output::disclosures(g, &disclosures::of_case(&v, id)?)
}

pub fn keygen(g: &Global, out: &Path) -> Result<()> {
    let (recipient, fingerprint) = desk::keygen(out)?;
    if g.json_output() {
        return output::done(
            g,
            "key written",
            &serde_json::json!({ "age_recipient": recipient, "fingerprint": fingerprint }),
        );
    }
    eprintln!(
        "Key written to {}. Keep it secret; give senders the public key below.",
        out.display()
    );
    println!("{recipient}");
    eprintln!("Fingerprint to read to senders by phone: {fingerprint}");
    Ok(())
}

pub fn fingerprint(g: &Global, key: &str) -> Result<()> {
    let fp = if key.trim().starts_with("age1") {
        org::age_fingerprint(&org::parse_age_recipient(key)?)
    } else {
        SenderCard::parse(&read(Path::new(key))?)?.fingerprint
    };
    if g.json_output() {
        output::done(g, &fp, &fp)
    } else {
        println!("{fp}");
        Ok(())
    }
}

pub fn notification(g: &Global, command: NotificationCommand) -> Result<()> {
    let v = unlock(g)?;
    match command {
        NotificationCommand::Add {
            case,
            kind,
            ground,
            authority,
            made_by,
            told,
            date,
        } => {
            let id = cases::resolve(&v, &case)?;
            let notification = Notification {
                kind: match kind.trim() {
                    "child-welfare" => NotificationKind::ChildWelfare,
                    "police" => NotificationKind::Police,
                    other => {
                        return Err(Error::InvalidInput(
                            format!("{other:?}: say child-welfare or police").into(),
                        ));
                    }
                },
                ground: ground
                    .map(|text| match text.trim() {
                        "sexual-offence" => Ok(PoliceGround::SexualOffence),
                        "life-or-health" => Ok(PoliceGround::LifeOrHealth),
                        other => Err(Error::InvalidInput(
                            format!("{other:?}: say sexual-offence or life-or-health").into(),
                        )),
                    })
                    .transpose()?,
                date: date
                    .as_deref()
                    .map(parse_date)
                    .transpose()?
                    .unwrap_or_else(today),
                authority,
                made_by: made_by.unwrap_or_else(|| v.user().to_string()),
                what_was_told: told,
                recorded_by: String::new(),
            };
            let stored = notifications::add(&v, id, &notification, today())?;
            if g.json_output() {
                output::done(g, "notification recorded", &stored.id)
            } else {
                println!("{}", stored.id);
                Ok(())
            }
        }
        NotificationCommand::List { case } => {
            let id = cases::resolve(&v, &case)?;
            let view = cases::view(&v, id, today())?;
            if g.json_output() {
                return output::done(
                    g,
                    "",
                    &serde_json::json!({
                        "notifications": view.notifications,
                        "due": view.notifications_due,
                    }),
                );
            }
            let en = FormLanguage::En;
            for n in &view.notifications {
                let r = &n.record;
                println!(
                    "{}  {}  {}  to {}, made by {}",
                    n.id,
                    r.kind.label(en),
                    r.date,
                    r.authority,
                    r.made_by
                );
                if let Some(ground) = r.ground {
                    println!("  {}", ground.label(en));
                }
                println!("  legal basis: {}", r.legal_basis().label(en));
                println!("  told: {}", r.what_was_told);
            }
            for due in &view.notifications_due {
                println!(
                    "Still to make: {}. {}",
                    due.kind.label(en),
                    due.because.label(en)
                );
            }
            Ok(())
        }
    }
}
