//! The few calls of CouchDB's documented HTTP API that team sync uses, over `ureq` (the only
//! network connection Silta makes): `GET`/`PUT /{db}`, `POST /{db}/_revs_diff` and
//! `POST /{db}/_bulk_docs` with `new_edits: false`, the calls CouchDB's own replicator makes
//! (docs.couchdb.org, "Replication Protocol"). Apache CouchDB and PouchDB Server both speak it.

use std::collections::HashSet;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use super::SyncServer;
use crate::error::{Error, Result};
use crate::vault::replica::Document;

/// No answer of the server is read beyond this: a hostile or broken server cannot make the
/// laptop hold more (a batch of documents is far smaller).
const ANSWER_LIMIT: u64 = 64 * 1024 * 1024;

/// Documents listed per request of the changes feed.
const PAGE: usize = 1000;

/// A document the changes feed lists, with its leaf revisions.
pub(crate) type Listed = (String, Vec<String>);

/// More documents than a team's database holds (10,000 cases are about 200,000): a listing
/// longer than this is refused, not held in memory.
const MAX_DOCUMENTS: usize = 5_000_000;

/// A request that takes longer fails; sync is tried again from where it stopped.
const TIMEOUT: Duration = Duration::from_secs(120);

pub(crate) struct Couch {
    agent: ureq::Agent,
    /// The database's URL, without a trailing slash.
    db: String,
    /// Where the server is, for messages: scheme, host and port, never the credentials.
    host: String,
    authorization: String,
}

impl Couch {
    pub(crate) fn connect(server: &SyncServer) -> Result<Couch> {
        let base = server.url.trim_end_matches('/');
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            // Only the server configured: no proxy from the environment, no redirect elsewhere.
            .proxy(None)
            .max_redirects(0)
            .https_only(!super::is_loopback(&server.url))
            .build()
            .new_agent();
        Ok(Couch {
            agent,
            db: format!("{base}/{}", server.database),
            host: base.to_string(),
            authorization: format!(
                "Basic {}",
                BASE64.encode(format!("{}:{}", server.user, server.password))
            ),
        })
    }

    /// GETs `path` under the database, or POSTs `body` (JSON) there; the status and the
    /// answer's JSON (`null` when empty).
    fn call(&self, path: &str, body: Option<&Value>) -> Result<(u16, Value)> {
        self.call_with(path, &[], body)
    }

    /// `call` with query parameters (percent-encoded by ureq).
    fn call_with(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<(u16, Value)> {
        let (status, answer) = self.call_raw(path, query, body)?;
        if status == 401 || status == 403 {
            return Err(Error::SyncServer(format!(
                "at {} refused the sync user's name or password ({status})",
                self.host
            )));
        }
        Ok((status, answer))
    }

    /// `call_with`, where a refusal (401, 403) is an answer like any other.
    fn call_raw(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<(u16, Value)> {
        let url = if path.is_empty() {
            self.db.clone()
        } else {
            format!("{}/{path}", self.db)
        };
        let unreachable = |e: ureq::Error| {
            Error::SyncServer(format!("at {} could not be reached ({e})", self.host))
        };
        let mut response = match body {
            None => self
                .agent
                .get(&url)
                .query_pairs(query.iter().copied())
                .header("Authorization", &self.authorization)
                .header("Accept", "application/json")
                .call(),
            Some(body) => {
                let bytes = serde_json::to_vec(body)
                    .map_err(|e| Error::invalid(format!("cannot encode a request: {e}")))?;
                self.agent
                    .post(&url)
                    .query_pairs(query.iter().copied())
                    .header("Authorization", &self.authorization)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .send(&bytes[..])
            }
        }
        .map_err(unreachable)?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(ANSWER_LIMIT)
            .read_to_vec()
            .map_err(unreachable)?;
        let answer = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|_| {
                Error::SyncServer(format!(
                    "at {} answered {status} with something other than CouchDB's JSON",
                    self.host
                ))
            })?
        };
        Ok((status, answer))
    }

    fn unexpected(&self, what: &str, status: u16, answer: &Value) -> Error {
        // The server's words are shown, but not its control characters, and not at length.
        let reason: String = answer
            .get("reason")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        Error::SyncServer(format!(
            "at {} answered {status} to {what}{}",
            self.host,
            if reason.is_empty() {
                String::new()
            } else {
                format!(" ({reason})")
            }
        ))
    }

    /// Checks that the team's database is there. It is never made here: the administrator
    /// makes it (docs/sync.md, section 6), so that a mistyped name or a server reset does not
    /// quietly start an empty team and upload everything into it.
    pub(crate) fn ensure_database(&self) -> Result<()> {
        match self.call("", None)? {
            (200, _) => Ok(()),
            (404, _) => Err(Error::SyncServer(format!(
                "at {} has no database of that name: check the name, or ask the administrator to make it",
                self.host
            ))),
            (status, answer) => Err(self.unexpected("opening the database", status, &answer)),
        }
    }

    /// Of `docs` (id, revision), the ids whose revision the server does not hold.
    pub(crate) fn missing(&self, docs: &[(&str, &str)]) -> Result<HashSet<String>> {
        let mut request = serde_json::Map::new();
        for (id, rev) in docs {
            request.insert((*id).to_string(), json!([rev]));
        }
        match self.call("_revs_diff", Some(&Value::Object(request)))? {
            (200, Value::Object(answer)) => Ok(answer
                .into_iter()
                .filter(|(_, v)| v.get("missing").is_some_and(|m| m.is_array()))
                .map(|(id, _)| id)
                .collect()),
            (status, answer) => Err(self.unexpected("asking what it lacks", status, &answer)),
        }
    }

    /// Stores `docs` as they are, with their own revisions (`new_edits: false`): a revision the
    /// server holds is left alone, and another revision of a document it holds becomes a
    /// conflict, kept beside it.
    pub(crate) fn upload(&self, docs: &[Document]) -> Result<()> {
        let docs: Vec<Value> = docs
            .iter()
            .map(|d| json!({"_id": d.id, "_rev": d.rev, "s": BASE64.encode(&d.body)}))
            .collect();
        match self.call(
            "_bulk_docs",
            Some(&json!({"new_edits": false, "docs": docs})),
        )? {
            (201 | 202, Value::Array(results)) => {
                match results.iter().find(|r| r.get("error").is_some()) {
                    None => Ok(()),
                    Some(failed) => Err(self.unexpected("storing documents", 201, failed)),
                }
            }
            (status, answer) => Err(self.unexpected("storing documents", status, &answer)),
        }
    }

    /// Stores document `id` holding `body` only if the server holds no document of that id
    /// (`over`: `None`) or holds it at revision `over`: an ordinary edit (`_bulk_docs` without
    /// `new_edits: false`), which CouchDB refuses as a conflict when the document is there at
    /// any other revision. Whether it was stored.
    pub(crate) fn store_if(&self, id: &str, over: Option<&str>, body: &[u8]) -> Result<bool> {
        let mut doc = json!({"_id": id, "s": BASE64.encode(body)});
        if let Some(rev) = over {
            doc["_rev"] = json!(rev);
        }
        let (status, answer) = self.call("_bulk_docs", Some(&json!({ "docs": [doc] })))?;
        let result = match (&status, &answer) {
            (201 | 202, Value::Array(results)) => results.first(),
            _ => None,
        };
        match result {
            Some(r) if r.get("error").and_then(Value::as_str) == Some("conflict") => Ok(false),
            Some(r) if r.get("error").is_none() && r.get("rev").is_some() => Ok(true),
            _ => Err(self.unexpected("storing a claim on the team's next key", status, &answer)),
        }
    }

    /// Every document changed on the server after `since` ("0": all of them) with its leaf
    /// revisions (conflicting ones too), from `_changes?style=all_docs`, a page at a time, and
    /// the feed's position after them. Deleted documents are left out.
    pub(crate) fn listing(&self, since: &str) -> Result<(Vec<Listed>, String)> {
        let mut out = Vec::new();
        let mut since = since.to_string();
        let limit = PAGE.to_string();
        loop {
            let (status, answer) = self.call_with(
                "_changes",
                &[("style", "all_docs"), ("limit", &limit), ("since", &since)],
                None,
            )?;
            let Some(Value::Array(results)) = answer.get("results") else {
                return Err(self.unexpected("listing its documents", status, &answer));
            };
            for r in results {
                let Some(id) = r.get("id").and_then(Value::as_str) else {
                    continue;
                };
                if r.get("deleted").and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                let revs = r
                    .get("changes")
                    .and_then(Value::as_array)
                    .map(|c| {
                        c.iter()
                            .filter_map(|x| x.get("rev").and_then(Value::as_str))
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                out.push((id.to_string(), revs));
            }
            let next = match answer.get("last_seq") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => return Err(self.unexpected("listing its documents", status, &answer)),
            };
            if results.len() < PAGE {
                return Ok((out, next));
            }
            // A feed that does not move on, or lists more than any team holds, is not followed.
            if next == since || out.len() > MAX_DOCUMENTS {
                return Err(self.unexpected("listing its documents", status, &Value::Null));
            }
            since = next;
        }
    }

    /// The sealed bodies of revisions `revs` of document `id`, each asked for by name
    /// (`open_revs`), so that both sides of a conflict arrive. A body that is not base64 is left
    /// out (the caller counts what it could not use).
    pub(crate) fn fetch(&self, id: &str, revs: &[&str]) -> Result<Vec<(String, Vec<u8>)>> {
        let list = serde_json::to_string(revs)
            .map_err(|e| Error::invalid(format!("cannot encode a request: {e}")))?;
        if !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(Vec::new());
        }
        let (status, answer) = self.call_with(id, &[("open_revs", &list)], None)?;
        let Value::Array(found) = answer else {
            return Err(self.unexpected("sending a document", status, &answer));
        };
        let mut out = Vec::new();
        for f in found {
            let Some(doc) = f.get("ok") else { continue };
            let (Some(rev), Some(body)) = (
                doc.get("_rev").and_then(Value::as_str),
                doc.get("s").and_then(Value::as_str),
            ) else {
                continue;
            };
            // Only the revisions asked for, each once.
            if !revs.contains(&rev) || out.iter().any(|(r, _)| r == rev) {
                continue;
            }
            if let Ok(bytes) = BASE64.decode(body) {
                out.push((rev.to_string(), bytes));
            }
        }
        Ok(out)
    }

    /// Document `id`'s winning revision and the sealed bodies of every leaf of it, the winner
    /// and its conflicts (`?conflicts=true`, then `open_revs`), or `None` if there is no such
    /// document. A body that does not read as one is left out; the revision is there all the
    /// same, so that a caller can store over whatever the server holds.
    pub(crate) fn leaves(&self, id: &str) -> Result<Option<(String, Vec<Vec<u8>>)>> {
        if !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let (status, answer) = self.call_with(id, &[("conflicts", "true")], None)?;
        if status == 404 {
            return Ok(None);
        }
        let Some(rev) = answer.get("_rev").and_then(Value::as_str) else {
            return Err(self.unexpected("sending a claim", status, &answer));
        };
        let mut bodies: Vec<Vec<u8>> = answer
            .get("s")
            .and_then(Value::as_str)
            .and_then(|s| BASE64.decode(s).ok())
            .into_iter()
            .collect();
        let conflicts: Vec<&str> = answer
            .get("_conflicts")
            .and_then(Value::as_array)
            .map(|c| c.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if !conflicts.is_empty() {
            bodies.extend(self.fetch(id, &conflicts)?.into_iter().map(|(_, b)| b));
        }
        Ok(Some((rev.to_string(), bodies)))
    }

    /// The current (winning) revisions of `ids` with their bodies, in one request
    /// (`POST _all_docs` with `include_docs`). Conflicting revisions are fetched with `fetch`.
    pub(crate) fn fetch_current(&self, ids: &[&str]) -> Result<Vec<(String, String, Vec<u8>)>> {
        let (status, answer) = self.call_with(
            "_all_docs",
            &[("include_docs", "true")],
            Some(&json!({ "keys": ids })),
        )?;
        let Some(Value::Array(rows)) = answer.get("rows") else {
            return Err(self.unexpected("sending documents", status, &answer));
        };
        let mut out = Vec::new();
        for row in rows {
            let Some(doc) = row.get("doc") else { continue };
            let (Some(id), Some(rev), Some(body)) = (
                doc.get("_id").and_then(Value::as_str),
                doc.get("_rev").and_then(Value::as_str),
                doc.get("s").and_then(Value::as_str),
            ) else {
                continue;
            };
            if let Ok(bytes) = BASE64.decode(body) {
                out.push((id.to_string(), rev.to_string(), bytes));
            }
        }
        Ok(out)
    }

    /// Deletes every revision of `ids` and purges them (`_purge`, Apache CouchDB), or, where the
    /// server has no purge (PouchDB Server), compacts the database so that the deleted bodies
    /// go. Returns how many documents were there. Purging and compacting need the database's
    /// admin rights (docs/sync.md, section 6); without them the documents are deleted and the
    /// administrator's compaction takes their bodies.
    pub(crate) fn remove(&self, ids: &[String]) -> Result<usize> {
        let mut found = 0;
        for batch in ids.chunks(super::BATCH) {
            let mut deletions = Vec::new();
            for id in batch
                .iter()
                .filter(|id| id.bytes().all(|b| b.is_ascii_hexdigit()))
            {
                let (status, answer) = self.call_with(id, &[("open_revs", "all")], None)?;
                let Value::Array(leaves) = answer else {
                    if status == 404 {
                        continue;
                    }
                    return Err(self.unexpected("listing a document's revisions", status, &answer));
                };
                let revs: Vec<&str> = leaves
                    .iter()
                    .filter_map(|l| l.get("ok"))
                    .filter(|d| d.get("_deleted").and_then(Value::as_bool) != Some(true))
                    .filter_map(|d| d.get("_rev").and_then(Value::as_str))
                    .collect();
                if !revs.is_empty() {
                    found += 1;
                }
                deletions.extend(
                    revs.into_iter()
                        .map(|rev| json!({"_id": id, "_rev": rev, "_deleted": true})),
                );
            }
            if deletions.is_empty() {
                continue;
            }
            let (status, answer) = self.call("_bulk_docs", Some(&json!({ "docs": deletions })))?;
            let Value::Array(results) = &answer else {
                return Err(self.unexpected("deleting documents", status, &answer));
            };
            let mut purge = serde_json::Map::new();
            for r in results {
                if let (Some(id), Some(rev)) = (
                    r.get("id").and_then(Value::as_str),
                    r.get("rev").and_then(Value::as_str),
                ) {
                    let revs = purge.entry(id.to_string()).or_insert_with(|| json!([]));
                    if let Value::Array(list) = revs {
                        list.push(json!(rev));
                    }
                }
            }
            self.purge_or_compact(Value::Object(purge))?;
        }
        Ok(found)
    }

    /// Deletes the server user `login` (CouchDB's `_users` database, as its administrator: the
    /// login this `Couch` was made with), so that it can no longer log in. A user already gone
    /// is no error.
    pub(crate) fn delete_user(&self, login: &str) -> Result<()> {
        let Some(rev) = self.user_rev(login)? else {
            return Ok(());
        };
        let mut deleted = self
            .agent
            .delete(&self.user_url(login))
            .query("rev", &rev)
            .header("Authorization", &self.authorization)
            .header("Accept", "application/json")
            .call()
            .map_err(|e| self.unreachable(e))?;
        match deleted.status().as_u16() {
            200 | 202 | 404 => Ok(()),
            status @ (401 | 403) => Err(self.admin_refused(status)),
            status => Err(self.unexpected("deleting the user", status, &json_of(&mut deleted))),
        }
    }

    fn user_url(&self, login: &str) -> String {
        format!("{}/_users/org.couchdb.user:{login}", self.host)
    }

    fn unreachable(&self, e: ureq::Error) -> Error {
        Error::SyncServer(format!("at {} could not be reached ({e})", self.host))
    }

    fn admin_refused(&self, status: u16) -> Error {
        Error::SyncServer(format!(
            "at {} refused the administrator's name or password ({status})",
            self.host
        ))
    }

    /// The revision of server user `login`'s document, `None` if there is no such user: asked
    /// with the administrator's name and password, which it thereby checks.
    pub(crate) fn user_rev(&self, login: &str) -> Result<Option<String>> {
        // Only names that need no escaping in an address; any other is the administrator's to
        // delete by hand.
        if !is_user_name(login) {
            return Err(Error::InvalidInput(
                format!(
                    "the server user {login:?} has characters Silta does not put in an address: ask the administrator to delete it on the server"
                )
                .into(),
            ));
        }
        let mut found = self
            .agent
            .get(&self.user_url(login))
            .header("Authorization", &self.authorization)
            .header("Accept", "application/json")
            .call()
            .map_err(|e| self.unreachable(e))?;
        let status = found.status().as_u16();
        let answer = json_of(&mut found);
        match status {
            404 => Ok(None),
            401 | 403 => Err(self.admin_refused(status)),
            200 => answer
                .get("_rev")
                .and_then(Value::as_str)
                .map(|rev| Some(rev.to_string()))
                .ok_or_else(|| self.unexpected("looking up the user", status, &answer)),
            _ => Err(self.unexpected("looking up the user", status, &answer)),
        }
    }

    /// A login without the database's admin rights may neither purge nor compact: the
    /// documents are deleted all the same, and the administrator's compaction takes the rest.
    fn purge_or_compact(&self, purge: Value) -> Result<()> {
        match self.call_raw("_purge", &[], Some(&purge))? {
            (200..=202 | 401 | 403, _) => Ok(()),
            _ => match self.call_raw("_compact", &[], Some(&json!({})))? {
                (200..=202 | 401 | 403, _) => Ok(()),
                (status, answer) => {
                    Err(self.unexpected("compacting the database", status, &answer))
                }
            },
        }
    }
}

/// An answer's JSON, as far as it is JSON within the limit (`null` otherwise): for the words of
/// an error, and the one field a lookup needs.
fn json_of(response: &mut ureq::http::Response<ureq::Body>) -> Value {
    response
        .body_mut()
        .with_config()
        .limit(ANSWER_LIMIT)
        .read_to_vec()
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null)
}

/// A server user name Silta puts in an address (and so makes, enrols and deletes).
pub(crate) fn is_user_name(login: &str) -> bool {
    !login.is_empty()
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c))
}
