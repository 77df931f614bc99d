//! Team sync (docs/sync.md): the vaults of a team's laptops share their rows through a CouchDB
//! server the organisation runs, each row one immutable, encrypted document with an opaque id.
//! Off until a server is configured; then the only network connection Silta makes, and only
//! when asked to sync.

mod conflict;
mod couch;
pub mod enrolment;
mod receive;
pub mod signing;
pub mod team;

pub use conflict::{
    ConflictView, ContactSide, Keep, OrganisationName, Sides, SyncConflict, Written,
    conflict_views, conflicts, settle,
};
pub(crate) use conflict::{conflict_views_of, conflicts_of, unless_unsettled};

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::CounterId;
use crate::vault::{Record, Vault};

/// The record kind of the server settings; it never leaves this device (`replica`).
pub(crate) const SERVER_KIND: &str = "sync_server";
/// The record kind of a conflict this device found; its own to settle, never shared.
pub(crate) const CONFLICT_KIND: &str = "sync_conflict";
/// The record kind of the documents of an erased case still to take off the server.
pub(crate) const PURGE_KIND: &str = "sync_purge";
/// The record kind of how far this device has read the server's changes.
pub(crate) const POSITION_KIND: &str = "sync_position";

/// How far this device has read the changes feed of the server it names (`url database`): the
/// next pull asks only for what changed since. Kept only after a pull that left nothing waiting
/// or refused, so that nothing read is skipped for good; another server starts from the
/// beginning. This device's own, never shared.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SyncPosition {
    pub server: String,
    pub since: String,
}

impl Record for SyncPosition {
    const KIND: &'static str = POSITION_KIND;
    type Id = CounterId;
}

/// Documents of a case erased on this device, to delete (and purge) on the server at the next
/// push: they hold only ciphertext, but an erasure leaves nothing of the case anywhere.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SyncPurge {
    pub docs: Vec<String>,
}

impl Record for SyncPurge {
    const KIND: &'static str = PURGE_KIND;
    type Id = crate::ids::ConflictId;
}

/// Notes, in the erasure's own write, the documents of `case` to take off the server, when
/// this device syncs. The right to erasure covers every copy the controller keeps (GDPR Art.
/// 17(1); Art. 5(1)(e), storage limitation), and the server's ciphertext is such a copy.
pub(crate) fn note_erasure(
    v: &Vault,
    case: crate::ids::CaseId,
    attachments: &[crate::ids::AttachmentId],
) -> Result<()> {
    if server(v)?.is_none() {
        return Ok(());
    }
    use crate::ids::RecordId;
    let attachments: Vec<uuid::Uuid> = attachments.iter().map(|a| a.uuid()).collect();
    let docs = v.case_documents(case.uuid(), &attachments)?;
    v.insert(None, &SyncPurge { docs })?;
    Ok(())
}

/// Documents asked about, and sent, per request: CouchDB's replicator sends batches of this
/// order too, and a batch of attachment chunks stays under CouchDB's 8 MB request limit
/// (`max_http_request_size` is larger, `max_document_size` is 8 MB).
const BATCH: usize = 500;
const BATCH_BYTES: usize = 6 * 1024 * 1024;

/// The server this device syncs with, and how it logs in: sealed in the vault like every record,
/// never shared with the team (each device has a user of its own, which a removal deletes).
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SyncServer {
    /// `https://host[:port]`, or `http://` to this computer only (127.0.0.1, ::1, localhost).
    pub url: String,
    /// The team's database on it.
    pub database: String,
    pub user: String,
    pub password: String,
}

impl Record for SyncServer {
    const KIND: &'static str = SERVER_KIND;
    type Id = CounterId;
}

impl std::fmt::Debug for SyncServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncServer")
            .field("url", &self.url)
            .field("database", &self.database)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Whether `url` points at this computer, the only place plain HTTP may go (a test server, or a
/// tunnel an administrator set up).
pub(crate) fn is_loopback(url: &str) -> bool {
    url.parse::<ureq::http::Uri>().is_ok_and(|uri| {
        matches!(
            uri.host(),
            Some("127.0.0.1" | "localhost" | "[::1]" | "::1")
        )
    })
}

impl SyncServer {
    /// The rules a server's settings must meet before anything is sent to it.
    fn check(&self) -> Result<()> {
        let uri = self.url.parse::<ureq::http::Uri>().map_err(|_| {
            Error::InvalidInput(
                format!("{:?} is not a web address (https://host:port)", self.url).into(),
            )
        })?;
        let plain_here = uri.scheme_str() == Some("http") && is_loopback(&self.url);
        if uri.scheme_str() != Some("https") && !plain_here {
            return Err(Error::InvalidInput(
                "the sync server's address must start with https:// (plain http only to this computer, 127.0.0.1)"
                    .to_string()
                    .into(),
            ));
        }
        if uri.host().is_none() || uri.query().is_some() || self.url.contains('@') {
            return Err(Error::InvalidInput(
                "the sync server's address is the scheme, host and port only (the user name and password are set apart)"
                    .to_string()
                    .into(),
            ));
        }
        // CouchDB's rule for database names.
        let mut chars = self.database.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-".contains(c))
            && self.database.len() <= 238;
        if !valid {
            return Err(Error::InvalidInput(
                format!(
                    "{:?} is not a CouchDB database name: lower-case letters, digits and _$()+- only, starting with a letter",
                    self.database
                )
                .into(),
            ));
        }
        if self.user.is_empty() || self.user.contains(':') {
            return Err(Error::InvalidInput(
                "the sync user's name must be given, without a colon"
                    .to_string()
                    .into(),
            ));
        }
        Ok(())
    }
}

/// Sets (or replaces) the server this device syncs with. Nothing is sent until a sync.
pub fn configure(vault: &Vault, server: SyncServer) -> Result<()> {
    server.check()?;
    vault.write(|v| {
        // Set again, the server is read and offered to from the start: it may have been
        // restored from a backup that lacks what was sent since.
        for p in v.list::<SyncPosition>(None)? {
            v.delete::<SyncPosition>(p.id)?;
        }
        v.forget_push_marks()?;
        match v.list::<SyncServer>(None)?.into_iter().next() {
            Some(current) => v.update(&current, &server).map(|_| ()),
            None => v.insert(None, &server).map(|_| ()),
        }
    })
}

/// The server as the app shows it: never its password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServerView {
    pub url: String,
    pub database: String,
    pub user: String,
}

/// The server this device syncs with, as the app shows it.
pub fn view(vault: &Vault) -> Result<Option<ServerView>> {
    Ok(server(vault)?.map(|s| ServerView {
        url: s.url,
        database: s.database,
        user: s.user,
    }))
}

/// The server this device syncs with, if one is configured.
pub fn server(vault: &Vault) -> Result<Option<SyncServer>> {
    Ok(vault
        .list::<SyncServer>(None)?
        .into_iter()
        .next()
        .map(|s| s.record))
}

/// What a push did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Pushed {
    /// Documents the server did not hold, now sent.
    pub sent: usize,
    /// Documents it held already.
    pub held: usize,
    /// Documents of erased cases deleted and purged there.
    pub removed: usize,
}

/// Offers the server every row this device shares, and sends the ones it lacks. Sending the same
/// rows again changes nothing, so a push cut off (the connection dropped, the server restarted)
/// is finished by the next one.
pub fn push(vault: &Vault) -> Result<Pushed> {
    let settings = configured(vault)?;
    let couch = couch::Couch::connect(&settings)?;
    couch.ensure_database()?;
    if holds_own_next_entry(vault, &couch)? {
        return Err(Error::OlderCopyOfThisLaptop);
    }
    let mut pushed = Pushed::default();
    for purge in vault.list::<SyncPurge>(None)? {
        pushed.removed += couch.remove(&purge.record.docs)?;
        vault.delete::<SyncPurge>(purge.id)?;
    }
    let server = format!("{} {}", settings.url, settings.database);
    let after = vault.push_marks(&server)?;
    let (rows, marks) = vault.shared_rows_after(&after)?;
    for batch in rows.chunks(BATCH) {
        let offered: Vec<(&str, &str)> = batch
            .iter()
            .map(|r| (r.id.as_str(), r.rev.as_str()))
            .collect();
        let missing = couch.missing(&offered)?;
        let sending: Vec<_> = batch.iter().filter(|r| missing.contains(&r.id)).collect();
        pushed.held += batch.len() - sending.len();
        let mut docs = Vec::new();
        let mut bytes = 0;
        for row in sending {
            let doc = vault.document(row)?;
            bytes += doc.body.len();
            docs.push(doc);
            if bytes >= BATCH_BYTES {
                couch.upload(&docs)?;
                pushed.sent += docs.len();
                docs.clear();
                bytes = 0;
            }
        }
        if !docs.is_empty() {
            couch.upload(&docs)?;
            pushed.sent += docs.len();
        }
    }
    // Everything offered is on the server: the next push starts after it.
    if marks != after {
        vault.keep_push_marks(&server, &marks)?;
    }
    Ok(pushed)
}

/// What a pull did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Pulled {
    /// Rows of other devices taken into the vault (record versions and attachment chunks).
    pub received: usize,
    /// Entries of other devices' audit logs taken.
    pub entries: usize,
    /// Versions another device wrote otherwise than this one: kept, for the caseworker to merge.
    pub conflicts: usize,
    /// Documents that cannot be taken yet (what they depend on has not arrived).
    pub waiting: usize,
    /// Documents that are not this team's, or were altered, and entries not signed by the
    /// laptop whose chain they are in: never taken.
    pub refused: usize,
    /// Documents the server listed as changed since the last pull that left nothing behind.
    pub listed: usize,
    /// New keys of the team taken (another laptop changed the vault's key: `team`).
    pub keys_taken: usize,
    /// Documents a laptop removed from the team wrote after its removal: never taken.
    pub from_removed: usize,
    /// Two different keys for this key epoch were sent to this laptop: neither was taken, and
    /// what is sealed under them waits (`sync` reports it as `Error::TeamKeysDiffer`).
    pub keys_differ: Option<u32>,
}

/// Whether the server holds the entry this laptop would write next, signed by it: then this file
/// is an older copy of the laptop's (restored or copied), and what it sends would be a second
/// history at the same places (one request; a pull finds any other such entry).
fn holds_own_next_entry(vault: &Vault, couch: &couch::Couch) -> Result<bool> {
    let next = crate::audit::next_seq(&crate::audit::head(vault)?);
    let own = vault.device()?;
    let doc = vault.own_entry_doc(next)?;
    for (id, rev, body) in couch.fetch_current(&[&doc])? {
        // Only that document, holding that entry at its place (a server answering with an
        // older one of this laptop's proves nothing).
        if id != doc {
            continue;
        }
        let Some(crate::vault::replica::Incoming::Record(row)) =
            vault.open_incoming(&id, &rev, &body)
        else {
            continue;
        };
        if row.version != 1 || row.id != vault.tagger().device_entry_id(own, next) {
            continue;
        }
        if let Some((entry, _, _)) = vault.open_received::<crate::audit::Entry>(&row) {
            if entry.device == own
                && entry.seq == next
                && signing::signed_by_this_laptop(vault, &entry)?
            {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Takes from the server what other devices wrote (docs/sync.md, section 4). A pull cut off
/// takes nothing; the next one starts again. The team's next key, when another laptop changed
/// it, is taken first (`team`), and what it opens then read again.
pub fn pull(vault: &mut Vault) -> Result<Pulled> {
    // Each key taken is the next epoch's, sent by a member: a server cannot make this loop on.
    let mut keys_taken = 0;
    loop {
        match pull_once(vault)? {
            Some(mut pulled) => {
                pulled.keys_taken = keys_taken;
                return Ok(pulled);
            }
            None => keys_taken += 1,
        }
    }
}

/// A pull; `None` when it took the team's next key instead, and must be done again.
fn pull_once(vault: &mut Vault) -> Result<Option<Pulled>> {
    let settings = configured(vault)?;
    let couch = couch::Couch::connect(&settings)?;
    couch.ensure_database()?;
    let server = format!("{} {}", settings.url, settings.database);
    let position = vault.list::<SyncPosition>(None)?.into_iter().next();
    let since = position
        .as_ref()
        .filter(|p| p.record.server == server)
        .map_or_else(|| "0".to_string(), |p| p.record.since.clone());
    let (listing, last) = couch.listing(&since)?;
    let mut known: HashSet<(String, String)> = vault
        .shared_rows()?
        .into_iter()
        .map(|s| (s.id, s.rev))
        .collect();
    for c in conflicts(vault)? {
        known.insert((c.record.doc, c.record.rev));
    }
    let mut pulled = Pulled::default();
    let mut docs = Vec::new();
    let mut open = |id: &str, rev: &str, body: &[u8], pulled: &mut Pulled| match vault
        .open_incoming(id, rev, body)
    {
        Some(row) => docs.push((id.to_string(), rev.to_string(), row)),
        // A laptop's claim on a key epoch holds nothing to take (`team::claim_next_epoch`).
        None if vault.open_claim(id, body).is_some() => {}
        None => pulled.refused += 1,
    };
    pulled.listed = listing.len();
    let mut listed = HashSet::new();
    let wanted: Vec<(String, Vec<String>)> = listing
        .into_iter()
        .filter(|(id, _)| listed.insert(id.clone()))
        .map(|(id, revs)| {
            let mut revs: Vec<String> = revs
                .into_iter()
                .filter(|r| !known.contains(&(id.clone(), r.clone())))
                .collect();
            let mut seen = HashSet::new();
            revs.retain(|r| seen.insert(r.clone()));
            (id, revs)
        })
        .filter(|(_, revs): &(String, Vec<String>)| !revs.is_empty())
        .collect();
    for batch in wanted.chunks(BATCH) {
        let ids: Vec<&str> = batch.iter().map(|(id, _)| id.as_str()).collect();
        let mut rest: Vec<(&str, Vec<&str>)> = batch
            .iter()
            .map(|(id, revs)| (id.as_str(), revs.iter().map(String::as_str).collect()))
            .collect();
        for (id, rev, body) in couch.fetch_current(&ids)? {
            if let Some((_, revs)) = rest.iter_mut().find(|(i, _)| *i == id) {
                if let Some(at) = revs.iter().position(|r| *r == rev) {
                    revs.remove(at);
                    open(&id, &rev, &body, &mut pulled);
                }
            }
        }
        // The other sides of conflicts, by name.
        for (id, revs) in rest.into_iter().filter(|(_, r)| !r.is_empty()) {
            for (rev, body) in couch.fetch(id, &revs)? {
                open(id, &rev, &body, &mut pulled);
            }
        }
    }
    // A file behind its own laptop's history takes nothing, not even a key.
    if receive::own_elsewhere(vault, &docs)? > 0 {
        return Err(Error::OlderCopyOfThisLaptop);
    }
    match team::take_grant(vault, &docs)? {
        team::NextKey::Taken => return Ok(None),
        team::NextKey::Differ(epoch) => pulled.keys_differ = Some(epoch),
        team::NextKey::None => {}
    }
    let taken = receive::take(vault, docs)?;
    pulled.received = taken.rows;
    pulled.entries = taken.entries;
    pulled.conflicts = taken.conflicts;
    pulled.waiting = taken.waiting;
    pulled.from_removed = taken.cut_off;
    pulled.refused += taken.forged;
    if pulled.waiting + pulled.refused == 0 && last != since {
        let at = SyncPosition {
            server,
            since: last,
        };
        match position {
            Some(p) => vault.update(&p, &at).map(|_| ())?,
            None => vault.insert(None, &at).map(|_| ())?,
        }
    }
    Ok(Some(pulled))
}

/// What a sync did: first what was taken, then what was sent (this device's log of taking it
/// among it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Synced {
    pub pulled: Pulled,
    pub pushed: Pushed,
}

/// A pull then a push. Two different keys of the team for one epoch are reported as an error
/// after both, so that this laptop still takes and sends what it can meanwhile.
pub fn sync(vault: &mut Vault) -> Result<Synced> {
    let pulled = pull(vault)?;
    let pushed = push(vault)?;
    if let Some(epoch) = pulled.keys_differ {
        return Err(Error::TeamKeysDiffer(epoch));
    }
    Ok(Synced { pulled, pushed })
}

fn configured(vault: &Vault) -> Result<SyncServer> {
    // A log found broken at unlock may be a file someone edited (the server's address rolled
    // back to one of theirs, say): nothing is sent or taken until it is looked into.
    if let Some(why) = &vault.audit_report().broken {
        return Err(Error::AuditBroken(why.clone()));
    }
    server(vault)?.ok_or_else(|| {
        Error::InvalidInput(
            "no sync server is configured: set one with `silta sync set-server`"
                .to_string()
                .into(),
        )
    })
}
