//! One function per subcommand: parse, call silta-core, print.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Local, NaiveDate};
use silta_core::anchor;
use silta_core::cases::{self, CaseInput};
use silta_core::followups;
use silta_core::ids::AttachmentId;
use silta_core::model::{
    Attachment, Birth, CaseDetails, CouldBeMinor, NameKind, Person, PersonName, Reminder,
    UrgencyOverride,
};
use silta_core::retention::{self, NoticeKind};
use silta_core::search::SearchIndex;
use silta_core::vault::{Vault, VaultInfo};
use silta_core::{Error, Result};

use crate::args::{
    AttachCommand, AuditCommand, CaseCommand, Cli, Command, Global, RetentionCommand, VaultCommand,
};
use crate::{output, referrals, secrets};

pub fn run(cli: Cli) -> Result<()> {
    let g = &cli.global;
    if g.json_input().is_some()
        && !matches!(
            cli.command,
            Command::Case(CaseCommand::New { .. } | CaseCommand::Edit { .. })
        )
    {
        return Err(Error::InvalidInput(
            "--json takes a file only with `case new` and `case edit`; elsewhere write just --json"
                .into(),
        ));
    }
    match cli.command {
        Command::Vault(c) => vault(g, c),
        Command::Case(c) => case(g, c),
        Command::Attach(c) => attach(g, c),
        Command::Org(c) => referrals::org(g, c),
        Command::Recipient(c) => referrals::recipient(g, c),
        Command::Consent(c) => referrals::consent(g, c),
        Command::Referral(c) => referrals::referral(g, c),
        Command::Disclosures { case } => referrals::disclosures(g, &case),
        Command::Audit(c) => audit(g, c),
        Command::Retention(c) => retention(g, c),
        Command::Information(c) => crate::information::run(g, c),
        Command::Sync(c) => crate::sync::run(g, c),
        Command::Notification(c) => referrals::notification(g, c),
        Command::Stats {
            year,
            csv,
            min_cell,
            below_ctdc,
            language,
        } => stats(
            g,
            year.unwrap_or_else(|| chrono::Datelike::year(&today()) - 1),
            csv,
            silta_core::stats::MinCell::new(min_cell, below_ctdc)?,
            language.parse()?,
        ),
        Command::Keygen { out } => referrals::keygen(g, &out),
        Command::Fingerprint { key } => referrals::fingerprint(g, &key),
        Command::Demo {
            scenario: Some(name),
            ..
        } => {
            let v = unlock(g)?;
            let id = silta_core::scenarios::load(&v, &name, today())?;
            output::done(
                g,
                &format!("training scenario {name} added: see docs/training/scenarios/{name}.md"),
                &id,
            )
        }
        Command::Demo {
            scenario: None,
            cases,
            seed,
        } => {
            let v = unlock(g)?;
            let ids = silta_core::demo::fill(&v, cases, seed, today())?;
            output::done(g, &format!("{} demo cases added", ids.len()), &ids)
        }
    }
}

fn parse_could_be_minor(text: &str) -> Result<CouldBeMinor> {
    match text.trim() {
        "yes" => Ok(CouldBeMinor::Yes),
        "no" => Ok(CouldBeMinor::No),
        "dont-know" => Ok(CouldBeMinor::DontKnow),
        other => Err(Error::InvalidInput(
            format!("{other:?}: could the person be under 18? Say yes, no or dont-know").into(),
        )),
    }
}

pub(crate) fn today() -> NaiveDate {
    Local::now().date_naive()
}

pub(crate) fn vault_path(g: &Global) -> Result<PathBuf> {
    if let Some(p) = &g.vault {
        return Ok(p.clone());
    }
    // The folder the app uses (Tauri's app_data_dir: the data folder and the app's identifier):
    // %APPDATA%\fi.silta.app on Windows, ~/Library/Application Support/fi.silta.app on macOS,
    // ~/.local/share/fi.silta.app on Linux.
    directories::BaseDirs::new()
        .map(|d| d.data_dir().join("fi.silta.app").join("vault.silta"))
        .ok_or_else(|| {
            Error::InvalidInput("no home folder found: give the vault with --vault PATH".into())
        })
}

/// Where this computer remembers each vault outside its file: the operating system's key store.
fn key_store() -> Arc<dyn anchor::AnchorStore> {
    Arc::new(anchor::OsKeyStore::default())
}

pub(crate) fn unlock(g: &Global) -> Result<Vault> {
    let path = vault_path(g)?;
    // Say "no vault" before asking for a passphrase that could not help.
    let users = Vault::users(&path)?;
    let user = match (&g.user, users.as_slice()) {
        (Some(u), _) => u.clone(),
        (None, [only]) => only.clone(),
        (None, _) => return Err(Error::UserRequired(users)),
    };
    let pass = secrets::passphrase(g.passphrase_file.as_deref(), Some(&user))?;
    let vault = anchor::unlock(key_store(), &path, Some(&user), &pass)?;
    // Every command that unlocks says so, as the app's banner does; the work itself goes on.
    if let Some(why) = &vault.audit_report().broken {
        eprintln!("silta: warning: {}", Error::AuditBroken(why.clone()));
    }
    Ok(vault)
}

fn vault(g: &Global, command: VaultCommand) -> Result<()> {
    let path = vault_path(g)?;
    match command {
        VaultCommand::Init {
            org,
            retention_years,
            secret,
        } => {
            let user = g.user.as_deref().ok_or_else(|| {
                Error::InvalidInput("say who you are: silta vault init --user NAME".into())
            })?;
            let kdf = secrets::kdf(&secret)?;
            let pass = secrets::new_passphrase(&secret, user)?;
            let (v, key) = anchor::create(key_store(), &path, user, &pass, kdf)?;
            silta_core::org::set_up(&v, org.as_deref().unwrap_or(""))?;
            match retention_years {
                Some(years) => {
                    retention::set_policy(&v, years)?;
                }
                None => eprintln!(
                    "No retention period yet: decide how long closed cases are kept and run `silta retention set --years N`."
                ),
            }
            output::recovery_key(g, &v, &key)
        }
        VaultCommand::Info => {
            let info: VaultInfo = Vault::info(&path)?;
            output::vault_info(g, &info)
        }
        VaultCommand::Backup { out } => {
            let v = unlock(g)?;
            let records = v.backup(&out)?;
            output::done(
                g,
                &format!(
                    "backup written to {} and checked ({records} record versions)",
                    out.display()
                ),
                &out,
            )
        }
        VaultCommand::Restore {
            backup,
            despite_broken_log,
        } => {
            let v = unlock(g)?;
            let broken_log = if despite_broken_log {
                retention::BrokenLog::RestoreAnyway
            } else {
                retention::BrokenLog::Refuse
            };
            let restored = retention::restore(v, &backup, today(), broken_log)?;
            let kept = match restored.kept_erased.as_slice() {
                [] => String::new(),
                numbers => format!(
                    "; erased again, as they had been since the backup: {}",
                    numbers
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            output::done(
                g,
                &format!(
                    "vault restored from {} ({} record versions, every one checked){kept}",
                    backup.display(),
                    restored.records
                ),
                &restored.kept_erased,
            )
        }
        VaultCommand::Passwd { secret } => {
            let v = unlock(g)?;
            let kdf = secrets::kdf(&secret)?;
            let pass = secrets::new_passphrase(&secret, v.user())?;
            v.set_passphrase(v.user(), &pass, kdf)?;
            output::done(g, &format!("passphrase of {} changed", v.user()), &v.user())
        }
        VaultCommand::AddUser { name, secret } => {
            let v = unlock(g)?;
            let kdf = secrets::kdf(&secret)?;
            let pass = secrets::new_passphrase(&secret, &name)?;
            v.add_user(&name, &pass, kdf)?;
            output::done(g, &format!("{name} can now unlock the vault"), &name)
        }
        VaultCommand::RemoveUser { name } => {
            let mut v = unlock(g)?;
            let change = v.remove_user(&name)?;
            output::key_change(
                g,
                &v,
                &format!("{name} can no longer unlock the vault"),
                &change,
            )
        }
        VaultCommand::ChangeKey => {
            let mut v = unlock(g)?;
            let change = v.change_key()?;
            output::key_change(g, &v, "The vault has a new key.", &change)
        }
        VaultCommand::NewRecoveryKey => {
            let mut v = unlock(g)?;
            let (key, change) = v.replace_recovery_key()?;
            if !g.json_output() && !change.must_be_added_again.is_empty() {
                output::key_change(g, &v, "recovery key replaced", &change)?;
            }
            output::recovery_key(g, &v, &key)
        }
        VaultCommand::Recover {
            recovery_key_file,
            secret,
        } => {
            let user = g.user.as_deref().ok_or_else(|| {
                Error::InvalidInput(
                    "say whose passphrase to set: silta vault recover --user NAME".into(),
                )
            })?;
            let key = secrets::recovery_key(recovery_key_file.as_deref())?;
            let kdf = secrets::kdf(&secret)?;
            let pass = secrets::new_passphrase(&secret, user)?;
            let (v, new_key, change) =
                anchor::recover_with_new_passphrase(key_store(), &path, user, &key, &pass, kdf)?;
            if !change.gone_from_files {
                eprintln!("silta: warning: {}", Error::CheckpointBlocked);
            }
            if !g.json_output() && !change.must_be_added_again.is_empty() {
                output::key_change(g, &v, "recovery key replaced", &change)?;
            }
            let why = match new_key {
                Ok(new_key) => return output::recovery_key(g, &v, &new_key),
                Err(anchor::RecoveryKeyKept::AuditBroken) => {
                    "the audit log is broken (silta audit verify), so the vault's key cannot change. Keep the old recovery key safe; once the log has been looked into, recover again with it to have it replaced"
                }
                Err(anchor::RecoveryKeyKept::TeamServer) => {
                    "this laptop is in a team, whose key changes through the team's server, and the server could not be reached (or another laptop's key change has not arrived yet). Keep the old recovery key safe; once this laptop syncs, replace it (silta vault new-recovery-key)"
                }
            };
            output::done(
                g,
                &format!("passphrase of {user} set; the recovery key was NOT replaced: {why}"),
                &user,
            )
        }
    }
}

/// The case list; each record it had to leave out is named on stderr (the rest works).
fn listed(v: &Vault) -> Result<Vec<silta_core::cases::CaseOverview>> {
    let listing = cases::listing(v)?;
    for d in &listing.damaged {
        eprintln!(
            "silta: warning: the {} record {} (version {}) does not open: it was altered or damaged, so its case is not listed; restore the vault from a backup (silta vault restore)",
            d.kind, d.id, d.version
        );
    }
    Ok(listing.cases)
}

fn read_decisions(path: &std::path::Path) -> Result<silta_core::subject::Decisions> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| {
        Error::InvalidInput(format!(
            "{} is not a review ({e}): make one with `silta case subject-review CASE --json`; each choice is release, rights_of_others, safety or ongoing_investigation",
            path.display()
        ).into())
    })
}

fn read_json_input(source: &str) -> Result<CaseInput> {
    let mut text = String::new();
    if source == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| Error::Io {
                action: "read",
                path: "standard input".into(),
                source,
            })?;
    } else {
        text = std::fs::read_to_string(source).map_err(|e| Error::Io {
            action: "read",
            path: source.into(),
            source: e,
        })?;
    }
    serde_json::from_str(&text).map_err(|e| {
        Error::InvalidInput(
            format!(
                "the JSON record is not right ({e}): it needs \"person\" and may have \"details\""
            )
            .into(),
        )
    })
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::InvalidInput(format!("{text:?} is not a date like 1999-04-30").into()))
}

fn case(g: &Global, command: CaseCommand) -> Result<()> {
    let v = unlock(g)?;
    match command {
        CaseCommand::New {
            name,
            alias,
            birth_date,
            citizenship,
            could_be_minor,
        } => {
            let input = match (g.json_input(), name) {
                (Some(source), None)
                    if alias.is_empty()
                        && birth_date.is_none()
                        && citizenship.is_empty()
                        && could_be_minor.is_none() =>
                {
                    read_json_input(source)?
                }
                (Some(_), _) => {
                    return Err(Error::InvalidInput(
                        "give the person either with --json FILE or with --name and the rest, not both".into(),
                    ));
                }
                (None, None) => {
                    return Err(Error::InvalidInput(
                        "give the person's name with --name NAME (or the whole record with --json FILE)".into(),
                    ));
                }
                (None, Some(name)) => {
                    let mut names = vec![PersonName {
                        name,
                        kind: NameKind::Legal,
                    }];
                    names.extend(alias.into_iter().map(|name| PersonName {
                        name,
                        kind: NameKind::Alias,
                    }));
                    CaseInput {
                        person: Person {
                            names,
                            birth: birth_date
                                .as_deref()
                                .map(parse_date)
                                .transpose()?
                                .map(Birth::Date),
                            citizenships: citizenship
                                .iter()
                                .map(|c| c.parse())
                                .collect::<Result<_>>()?,
                            could_be_minor: could_be_minor
                                .as_deref()
                                .map(parse_could_be_minor)
                                .transpose()?,
                            ..Person::default()
                        },
                        details: None,
                    }
                }
            };
            let view = cases::open_new(&v, input, today())?;
            println!("{}", view.case.id);
            Ok(())
        }
        CaseCommand::List => output::overviews(g, &listed(&v)?),
        CaseCommand::Show { case } => {
            let id = cases::resolve(&v, &case)?;
            let view = cases::view(&v, id, today())?;
            silta_core::audit::log_case_opened(&v, id)?;
            output::case_view(g, &view)
        }
        CaseCommand::Search { query, limit } => {
            let index = SearchIndex::build(listed(&v)?);
            let hits: Vec<_> = index.search(&query, limit).into_iter().cloned().collect();
            output::overviews(g, &hits)
        }
        CaseCommand::Edit { case } => {
            let source = g.json_input().ok_or_else(|| {
                Error::InvalidInput(
                    "give the edited record with --json FILE (or --json - for standard input)"
                        .into(),
                )
            })?;
            let id = cases::resolve(&v, &case)?;
            let view = cases::edit(&v, id, read_json_input(source)?, today())?;
            output::done(
                g,
                &format!(
                    "case {} saved (case version {}, person version {})",
                    view.case.record.number, view.case.version, view.person.version
                ),
                &view.case.id,
            )
        }
        CaseCommand::History { case } => {
            let id = cases::resolve(&v, &case)?;
            output::history(g, &cases::history(&v, id)?)
        }
        CaseCommand::Erase { case, yes, notices } => {
            let id = cases::resolve(&v, &case)?;
            let informed = retention::recipients_of(&v, id)?;
            if !yes {
                output::informed(g, &informed)?;
                return Err(Error::InvalidInput(format!(
                    "nothing erased: run again with --yes to erase case {case} beyond recovery{}",
                    if informed.is_empty() {
                        ""
                    } else {
                        " (and --notices DIR to write a notice for each recipient above)"
                    }
                ).into()));
            }
            if let Some(dir) = notices {
                for file in retention::write_notices(&v, id, NoticeKind::Erasure, &dir, today())? {
                    eprintln!("notice written: {file}");
                }
            }
            let erased = retention::erase(&v, id, today())?;
            if !erased.gone_from_files {
                eprintln!("silta: warning: {}", Error::CheckpointBlocked);
            }
            output::done(
                g,
                &format!(
                    "case {} erased ({} record versions); the audit trace and an anonymised statistics row remain",
                    erased.number, erased.records
                ),
                &erased,
            )
        }
        CaseCommand::Recipients { case, notices } => {
            let id = cases::resolve(&v, &case)?;
            if let Some(dir) = notices {
                for file in retention::write_notices(&v, id, NoticeKind::Correction, &dir, today())?
                {
                    eprintln!("notice written: {file}");
                }
            }
            output::informed(g, &retention::recipients_of(&v, id)?)
        }
        CaseCommand::Hold { case, off } => {
            let id = cases::resolve(&v, &case)?;
            retention::set_legal_hold(&v, id, !off)?;
            output::done(
                g,
                if off {
                    "legal hold lifted"
                } else {
                    "case under legal hold: never due for erasure"
                },
                &id,
            )
        }
        CaseCommand::SubjectReview { case } => {
            let id = cases::resolve(&v, &case)?;
            output::subject_review(g, &silta_core::subject::review(&v, id, today())?)
        }
        CaseCommand::ExportSubject {
            case,
            out,
            language,
            review,
        } => {
            let id = cases::resolve(&v, &case)?;
            let decisions = match review {
                Some(path) => read_decisions(&path)?,
                None => {
                    let review = silta_core::subject::review(&v, id, today())?;
                    if !review.items.is_empty() {
                        return Err(Error::InvalidInput(format!(
                            "{} items concern other people or were written by the organisation: decide each \
                             (silta case subject-review {case} --json > review.json, edit it, then --review review.json)",
                            review.items.len()
                        ).into()));
                    }
                    review.defaults()
                }
            };
            silta_core::subject::export(&v, id, &out, language.parse()?, &decisions, today())?;
            output::done(
                g,
                &format!(
                    "everything held about the person written to {} (subject.html, subject.json)",
                    out.display()
                ),
                &out,
            )
        }
        CaseCommand::Urgency { case, set, reason } => {
            let id = cases::resolve(&v, &case)?;
            let view = cases::view(&v, id, today())?;
            let reason = || {
                reason.clone().ok_or_else(|| {
                    Error::InvalidInput("say why with --reason (kept in the case's history)".into())
                })
            };
            let urgency_override = match set.trim() {
                "urgent" => Some(UrgencyOverride {
                    urgent: true,
                    reason: reason()?,
                }),
                "not-urgent" => Some(UrgencyOverride {
                    urgent: false,
                    reason: reason()?,
                }),
                "from-age" => None,
                other => {
                    return Err(Error::InvalidInput(
                        format!("{other:?}: say urgent, not-urgent or from-age").into(),
                    ));
                }
            };
            let input = CaseInput {
                details: Some(CaseDetails {
                    urgency_override,
                    ..view.case.record.details
                }),
                person: view.person.record,
            };
            output::case_view(g, &cases::edit(&v, id, input, today())?)
        }
        CaseCommand::Period {
            case,
            start,
            end,
            kind,
        } => {
            let id = cases::resolve(&v, &case)?;
            let view = cases::view(&v, id, today())?;
            let kind = match kind.as_deref().map(str::trim) {
                Some("reflection") => Reminder::ReflectionPeriodEnds,
                Some("recovery") => Reminder::RecoveryPeriodEnds,
                Some(other) => {
                    return Err(Error::InvalidInput(format!(
                        "{other:?}: the period is reflection or recovery"
                    ).into()));
                }
                None => followups::period_kind(&view.person.record).ok_or_else(|| {
                    Error::InvalidInput(
                        "the person's residence status does not say which period applies: give --kind reflection or --kind recovery as the decision says".into(),
                    )
                })?,
            };
            let (start, end) = (parse_date(&start)?, parse_date(&end)?);
            let what = match kind {
                Reminder::ReflectionPeriodEnds => "Reflection period",
                _ => "Recovery period",
            };
            let task = followups::period_reminder(
                kind,
                start,
                end,
                &format!("{what} ends on {end}: plan what follows"),
            )?;
            let stored = followups::add_task(&v, id, &task)?;
            output::done(
                g,
                &format!(
                    "{what} {start} to {end} recorded; reminder on {}",
                    stored.record.due
                ),
                &stored.id,
            )
        }
    }
}

fn attach(g: &Global, command: AttachCommand) -> Result<()> {
    let v = unlock(g)?;
    match command {
        AttachCommand::Add {
            case,
            file,
            media_type,
            description,
        } => {
            let id = cases::resolve(&v, &case)?;
            let stored = v.import_file(id, &file, media_type.as_deref(), &description)?;
            println!("{}", stored.id);
            Ok(())
        }
        AttachCommand::List { case } => {
            let id = cases::resolve(&v, &case)?;
            v.get::<silta_core::model::Case>(id)?;
            output::attachments(g, &v.list::<Attachment>(Some(id))?)
        }
        AttachCommand::Get { attachment, out } => {
            let id: AttachmentId = attachment.parse()?;
            if out.exists() {
                return Err(Error::InvalidInput(
                    format!(
                        "{} already exists: choose another name (nothing is overwritten)",
                        out.display()
                    )
                    .into(),
                ));
            }
            let folder = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            // Written beside OUT and renamed only once every chunk and the checksum are verified,
            // so a damaged attachment never leaves a half-file that looks whole.
            let mut temp = tempfile::NamedTempFile::new_in(&folder).map_err(|e| Error::Io {
                action: "write in",
                path: folder.clone(),
                source: e,
            })?;
            let size = v.read_attachment(id, &mut std::io::BufWriter::new(temp.as_file_mut()))?;
            silta_core::audit::log_attachment_opened(&v, id)?;
            temp.as_file().sync_all().map_err(|e| Error::Io {
                action: "write",
                path: out.clone(),
                source: e,
            })?;
            temp.persist_noclobber(&out).map_err(|e| Error::Io {
                action: "write",
                path: out.clone(),
                source: e.error,
            })?;
            output::done(
                g,
                &format!("{size} bytes written to {}", out.display()),
                &out,
            )
        }
    }
}

fn audit(g: &Global, command: AuditCommand) -> Result<()> {
    let mut v = unlock(g)?;
    match command {
        AuditCommand::AcceptRollback => {
            anchor::accept(&mut v)?;
            output::done(
                g,
                "this computer now remembers the vault file as it is; the log says who accepted it",
                &v.id(),
            )
        }
        AuditCommand::List { case, since } => {
            let case = case.as_deref().map(|c| cases::resolve(&v, c)).transpose()?;
            let since = since.as_deref().map(parse_date).transpose()?;
            output::audit(g, &silta_core::audit::list(&v, case, since)?)
        }
        AuditCommand::Checkpoint { out } => {
            let bytes = silta_core::witness::make(&v)?;
            crate::referrals::write_new(&out, &bytes)?;
            output::done(
                g,
                &format!(
                    "signed checkpoint of the audit log written to {}: keep it away from this computer",
                    out.display()
                ),
                &out,
            )
        }
        AuditCommand::Verify { full, witness } => {
            let report = silta_core::audit::report(&v, full, &witness)?;
            match report.broken {
                Some(why) if report.more > 0 => Err(Error::AuditBroken(format!(
                    "{why} (and {} more problems)",
                    report.more
                ))),
                Some(why) => Err(Error::AuditBroken(why)),
                None => output::done(
                    g,
                    &format!(
                        "audit log intact: {} entries; chain, head and every row of the file check out{}{}{}",
                        report.entries,
                        if full { " (checked whole)" } else { "" },
                        match witness.len() {
                            0 => String::new(),
                            n => format!("; {n} checkpoint(s) kept elsewhere agree"),
                        },
                        match v.anchor_missing() {
                            None =>
                                "; the file is not older than this computer last saw it".to_string(),
                            Some(why) => format!(
                                "; not checked against this computer's memory of the vault ({why}), so a whole file put back to an older copy would not be seen here"
                            ),
                        }
                    ),
                    &report,
                ),
            }
        }
    }
}

fn retention(g: &Global, command: RetentionCommand) -> Result<()> {
    let v = unlock(g)?;
    match command {
        RetentionCommand::Set { years } => {
            let policy = retention::set_policy(&v, years)?;
            output::done(
                g,
                &format!("closed cases are due for erasure {years} years after closing"),
                &policy,
            )
        }
        RetentionCommand::Due => {
            let due = retention::due(&v, today())?;
            let withdrawn = retention::overview(&v, today())?.storage_withdrawn;
            output::due(g, &due, &withdrawn)
        }
    }
}

fn stats(
    g: &Global,
    year: i32,
    csv: Option<PathBuf>,
    min_cell: silta_core::stats::MinCell,
    language: silta_core::words::FormLanguage,
) -> Result<()> {
    let v = unlock(g)?;
    let rows = silta_core::stats::rows(&v)?;
    if let Some(path) = csv {
        if min_cell.below_ctdc() {
            eprintln!(
                "warning: a minimum cell of {} is below CTDC's {}: for inside the organisation only, never publish this",
                min_cell.get(),
                silta_core::stats::CTDC_K
            );
        }
        if rows.demo {
            eprintln!(
                "note: this vault holds only demo cases: these are invented people, for training"
            );
        }
        let text = silta_core::stats::csv(&rows.rows, rows.demo, year, min_cell);
        std::fs::write(&path, text).map_err(|source| Error::Io {
            action: "write",
            path: path.clone(),
            source,
        })?;
        return output::done(
            g,
            &format!("anonymised table written to {}", path.display()),
            &path,
        );
    }
    output::stats(
        g,
        &silta_core::stats::report(&rows.rows, rows.demo, year, min_cell, language),
        language,
    )
}
