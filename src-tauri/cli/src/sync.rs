//! `silta sync`: team sync through the organisation's CouchDB server.

use silta_core::Result;
use silta_core::sync::{self, SyncServer};

use crate::args::{Global, SyncCommand};
use crate::commands::unlock;
use crate::{output, secrets};

pub fn run(g: &Global, command: SyncCommand) -> Result<()> {
    match command {
        SyncCommand::DeviceKey { out } => {
            silta_core::referral::desk::keygen(&out)?;
            let key = sync::signing::PublicDeviceKey::of(
                &silta_core::referral::desk::load_identity(&out)?,
            )?;
            return output::done(
                g,
                &format!(
                    "device key written to {} (keep it on this laptop only)\ndevice key: {key}\nfingerprint to read out: {}",
                    out.display(),
                    key.fingerprint()
                ),
                &key.to_string(),
            );
        }
        SyncCommand::Join {
            enrolment,
            identity,
            secret,
        } => {
            let path = crate::commands::vault_path(g)?;
            let user = g.user.as_deref().ok_or_else(|| {
                silta_core::Error::InvalidInput(
                    "say who you are: silta sync join --user NAME …".into(),
                )
            })?;
            let kdf = secrets::kdf(&secret)?;
            let pass = secrets::new_passphrase(&secret, user)?;
            let identity = silta_core::referral::desk::load_identity(&identity)?;
            let joined = sync::enrolment::join(&path, user, &pass, kdf, &enrolment, &identity)?;
            eprintln!(
                "team fingerprint: {} (read it back to the member who made the enrolment; if it differs, delete this vault)",
                joined.team_fingerprint
            );
            return output::recovery_key(g, &joined.vault, &joined.recovery);
        }
        _ => {}
    }
    let mut v = unlock(g)?;
    match command {
        SyncCommand::DeviceKey { .. } | SyncCommand::Join { .. } => Ok(()),
        SyncCommand::SetServer {
            url,
            database,
            sync_user,
            password_file,
        } => {
            let password = secrets::sync_password(password_file.as_deref())?;
            sync::configure(
                &v,
                SyncServer {
                    url: url.clone(),
                    database,
                    user: sync_user,
                    password: password.to_string(),
                },
            )?;
            output::done(
                g,
                &format!("sync server set: {url} (nothing is sent until `silta sync push`)"),
                &url,
            )
        }
        SyncCommand::Show => match sync::server(&v)? {
            Some(s) => output::done(
                g,
                &format!("{} database {} as {}", s.url, s.database, s.user),
                &serde_json::json!({"url": s.url, "database": s.database, "user": s.user}),
            ),
            None => output::done(
                g,
                "no sync server set: this computer makes no network connection",
                &serde_json::Value::Null,
            ),
        },
        SyncCommand::Now => {
            let done = sync::sync(&mut v)?;
            output::done(
                g,
                &format!(
                    "{}taken: {} rows and {} log entries of other laptops ({} conflicts to merge, {} waiting, {} refused); sent: {} documents",
                    if done.pulled.keys_taken > 0 {
                        "the team's new key taken (a member changed it); "
                    } else {
                        ""
                    },
                    done.pulled.received,
                    done.pulled.entries,
                    done.pulled.conflicts,
                    done.pulled.waiting,
                    done.pulled.refused,
                    done.pushed.sent
                ),
                &done,
            )
        }
        SyncCommand::Conflicts => {
            let conflicts = sync::conflicts(&v)?;
            // Settings saved twice by laptops of an older Silta are conflicts too, with no
            // record of their own (`single`).
            let twice: Vec<_> = sync::conflict_views(&v)?
                .into_iter()
                .filter(|c| c.saved_twice)
                .collect();
            let list: Vec<_> = conflicts
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "id": c.id,
                        "kind": c.record.kind,
                        "record": c.record.record,
                        "version": c.record.version,
                        "case": c.case,
                    })
                })
                .chain(twice.iter().map(|c| {
                    serde_json::json!({
                        "id": c.id,
                        "kind": c.kind,
                        "saved_twice": true,
                    })
                }))
                .collect();
            output::done(
                g,
                &if list.is_empty() {
                    "no conflicts".to_string()
                } else {
                    conflicts
                        .iter()
                        .map(|c| {
                            format!(
                                "{}: {} {} version {}, written differently on another laptop",
                                c.id, c.record.kind, c.record.record, c.record.version
                            )
                        })
                        .chain(twice.iter().map(|c| {
                            format!(
                                "{}: {} saved twice by laptops of an older Silta; `here` is the one in use",
                                c.id, c.kind
                            )
                        }))
                        .collect::<Vec<_>>()
                        .join("\n")
                },
                &list,
            )
        }
        SyncCommand::Settle { conflict, keep } => {
            sync::settle(&v, conflict.parse()?, keep.parse()?)?;
            output::done(
                g,
                "kept; the other laptops take it at their next sync",
                &sync::conflicts(&v)?.len(),
            )
        }
        SyncCommand::Enrol {
            device_key,
            fingerprint,
            sync_user,
            password_file,
            out,
        } => {
            let password = secrets::new_sync_password(password_file.as_deref())?;
            let team = sync::enrolment::enrol_laptop(
                &v,
                &device_key,
                &fingerprint,
                (&sync_user, &password),
                &out,
            )?;
            output::done(
                g,
                &format!(
                    "enrolment written to {}: give it to the new laptop (only its device key opens it)\nteam fingerprint: {team} (the new laptop shows it after joining: compare by phone)",
                    out.display()
                ),
                &out,
            )
        }
        SyncCommand::Team => {
            let devices = sync::team::devices(&v)?;
            let text = if devices.is_empty() {
                "no laptops listed: the list starts when this laptop enrols one, or syncs with a team that has".to_string()
            } else {
                devices
                    .iter()
                    .map(|d| {
                        format!(
                            "{}: {}, device key {}{}{}",
                            d.login,
                            d.series.map_or_else(
                                || "the team's first laptop".to_string(),
                                |s| format!("series {s}")
                            ),
                            d.fingerprint,
                            if d.this_laptop { " (this laptop)" } else { "" },
                            if d.removed { ", removed" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            output::done(g, &text, &devices)
        }
        SyncCommand::Remove {
            sync_user,
            admin_user,
            admin_password_file,
        } => {
            let password = secrets::admin_password(admin_password_file.as_deref())?;
            let removed = sync::team::remove(
                &mut v,
                &sync_user,
                &sync::team::ServerAdmin {
                    user: admin_user,
                    password: password.to_string(),
                },
            )?;
            output::done(
                g,
                &format!(
                    "{} removed: its server user is deleted, and the vault's key changed (key epoch {}); nothing written from now on opens for the removed laptop. The new key {} to {} other laptop(s), which take it at their next sync",
                    removed.login,
                    removed.epoch,
                    if removed.pushed {
                        "went"
                    } else {
                        "could not be sent now (run `silta sync now` when the server can be reached); it goes"
                    },
                    removed.sent_to.len()
                ),
                &removed,
            )
        }
        SyncCommand::Push => {
            let pushed = sync::push(&v)?;
            output::done(
                g,
                &format!(
                    "{} documents sent; the server held {} already",
                    pushed.sent, pushed.held
                ),
                &pushed,
            )
        }
    }
}
