//! `silta sync`: team sync through the organisation's CouchDB server.

use silta_core::Result;
use silta_core::sync::{self, SyncServer};

use crate::args::{Global, SyncCommand};
use crate::commands::unlock;
use crate::{output, secrets};

pub fn run(g: &Global, command: SyncCommand) -> Result<()> {
    let v = unlock(g)?;
    match command {
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
