//! Team sync against a real CouchDB-compatible server: PouchDB Server 4.2 (tests/sync, installed
//! by `npm ci` there), started on 127.0.0.1 by each test with a data folder of its own. The
//! tests are ignored by a plain `cargo test` (they need Node and that install); `scripts/test`
//! runs them with `--ignored`.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use silta_core::model::Note;
use silta_core::sync::{self, SyncServer};
use silta_core::vault::Vault;

/// A PouchDB Server of the test's own, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    data: tempfile::TempDir,
}

fn server_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/sync/node_modules/pouchdb-server/bin/pouchdb-server")
}

impl Server {
    fn start() -> Server {
        let data = tempfile::tempdir().unwrap();
        Server::start_in(data)
    }

    fn start_in(data: tempfile::TempDir) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Server::start_at(data, port)
    }

    fn start_at(data: tempfile::TempDir, port: u16) -> Server {
        let bin = server_bin();
        assert!(
            bin.exists(),
            "no PouchDB Server at {}: run `npm ci` in tests/sync",
            bin.display()
        );
        let child = Command::new("node")
            .arg(&bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--dir"])
            .arg(data.path())
            // Its config.json and log.txt go there too (and are searched for plaintext with it).
            .current_dir(data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { child, port, data };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server.set_up();
        server
    }

    /// What an administrator does once (docs/sync.md): a server admin, the device's user, and the
    /// team's database with that user as its only member. Done again after a restart, it
    /// changes nothing.
    fn set_up(&self) {
        let admin = |method: &str, path: &str, body: &str| {
            let url = format!("{}/{path}", self.url());
            let auth = "Basic YWRtaW46YWRtaW4gcGFzcw=="; // admin:admin pass
            let request = ureq::http::Request::builder()
                .method(method)
                .uri(&url)
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .body(body.to_string())
                .unwrap();
            let agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .new_agent();
            agent.run(request).unwrap().status().as_u16()
        };
        // The first call makes the admin (an "admin party" server accepts it without a login).
        let unauthenticated = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        unauthenticated
            .put(&format!("{}/_config/admins/admin", self.url()))
            .send("\"admin pass\"")
            .unwrap();
        for (user, password) in [("laptop-1", "sync password"), ("laptop-2", "second")] {
            admin(
                "PUT",
                &format!("_users/org.couchdb.user:{user}"),
                &format!(r#"{{"name":"{user}","password":"{password}","roles":[],"type":"user"}}"#),
            );
        }
        admin("PUT", "team", "");
        let status = admin(
            "PUT",
            "team/_security",
            r#"{"admins":{"names":[],"roles":[]},"members":{"names":["laptop-1","laptop-2"],"roles":[]}}"#,
        );
        assert_eq!(status, 200, "the team database's members");
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the server and gives back its data folder.
    fn stop(mut self) -> (tempfile::TempDir, u16) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let port = self.port;
        // The child is reaped: nothing of it is left for Drop to stop.
        let data = std::mem::replace(&mut self.data, tempfile::tempdir().unwrap());
        (data, port)
    }

    /// Every byte of every file the server wrote.
    fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    out.push((path, bytes));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.data.path(), &mut out);
        out
    }

    /// What the server answers its admin.
    fn get(&self, path: &str) -> serde_json::Value {
        let body = ureq::get(&format!("{}/{path}", self.url()))
            .header("Authorization", "Basic YWRtaW46YWRtaW4gcGFzcw==")
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn settings(server: &Server) -> SyncServer {
    SyncServer {
        url: server.url(),
        database: "team".into(),
        user: "laptop-1".into(),
        password: "sync password".into(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn vault_with_a_case() -> (Fixture, Vault) {
    let (f, vault) = new_vault();
    let view = open_case(&vault, "SYNC-CANARY Person");
    vault
        .insert(
            Some(view.case.id),
            &Note {
                text: "SYNC-CANARY note".into(),
            },
        )
        .unwrap();
    vault
        .add_attachment(
            view.case.id,
            silta_core::model::Attachment::new("statement.txt", "text/plain"),
            &b"SYNC-CANARY statement"[..],
            "t",
        )
        .unwrap();
    (f, vault)
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn the_server_holds_only_opaque_ids_and_ciphertext() {
    let server = Server::start();
    let (_f, vault) = vault_with_a_case();
    sync::configure(&vault, settings(&server)).unwrap();
    let pushed = sync::push(&vault).unwrap();
    assert!(pushed.sent > 5, "{pushed:?}");
    assert_eq!(pushed.held, 0);

    let all = server.get("team/_all_docs?include_docs=true");
    let rows = all["rows"].as_array().unwrap();
    assert_eq!(rows.len(), pushed.sent);
    for row in rows {
        let doc = &row["doc"];
        let id = doc["_id"].as_str().unwrap();
        assert_eq!(id.len(), 32, "an opaque id: {id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        let fields: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(fields, ["_id", "_rev", "s"], "nothing but the ciphertext");
    }
    assert!(!all.to_string().contains("SYNC-CANARY"));
    // Nor anywhere in the server's own files: no kind, case, name or content in the clear.
    drop(vault);
    for (path, bytes) in server.files() {
        for told in [&b"SYNC-CANARY"[..], b"\"person\"", b"sync password"] {
            assert!(
                !contains(&bytes, told),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(told)
            );
        }
    }
}

#[test]
#[ignore = "needs PouchDB Server (npm ci in tests/sync); scripts/test runs it"]
fn a_second_push_sends_only_what_changed_and_a_cut_off_push_is_finished_by_the_next() {
    let server = Server::start();
    let (_f, vault) = vault_with_a_case();
    sync::configure(&vault, settings(&server)).unwrap();
    let first = sync::push(&vault).unwrap();
    let view = open_case(&vault, "Another Person");
    vault
        .insert(
            Some(view.case.id),
            &Note {
                text: "written offline".into(),
            },
        )
        .unwrap();
    let second = sync::push(&vault).unwrap();
    assert!(second.sent > 0 && second.sent < first.sent, "{second:?}");
    assert!(second.held >= first.sent, "{second:?}");
    let third = sync::push(&vault).unwrap();
    assert_eq!(third.sent, 0, "nothing new: {third:?}");

    // The server stops mid-way and starts again on the same data: the next push finishes.
    vault
        .insert(
            Some(view.case.id),
            &Note {
                text: "while the server was down".into(),
            },
        )
        .unwrap();
    let (data, port) = server.stop();
    let err = sync::push(&vault).unwrap_err();
    assert!(err.to_string().contains("could not be reached"), "{err}");
    let server = Server::start_at(data, port);
    let after = sync::push(&vault).unwrap();
    assert!(after.sent > 0, "{after:?}");
    let count = server.get("team")["doc_count"].as_u64().unwrap();
    assert_eq!(count as usize, after.sent + after.held);
}

#[test]
fn only_https_leaves_this_computer_and_the_settings_are_checked() {
    let (_f, vault) = new_vault();
    let with = |url: &str, database: &str, user: &str| {
        sync::configure(
            &vault,
            SyncServer {
                url: url.into(),
                database: database.into(),
                user: user.into(),
                password: "p".into(),
            },
        )
    };
    for (url, database, user) in [
        ("http://sync.example.org", "team", "u"),
        ("ftp://sync.example.org", "team", "u"),
        ("https://u:p@sync.example.org", "team", "u"),
        ("https://sync.example.org?x=1", "team", "u"),
        ("not an address", "team", "u"),
        ("https://sync.example.org", "Team", "u"),
        ("https://sync.example.org", "_users", "u"),
        ("https://sync.example.org", "team", ""),
        ("https://sync.example.org", "team", "a:b"),
    ] {
        assert!(
            with(url, database, user).is_err(),
            "{url} {database} {user}"
        );
    }
    assert!(sync::server(&vault).unwrap().is_none(), "nothing was kept");
    with("https://sync.example.org:6984", "team-helsinki", "laptop-1").unwrap();
    with("http://127.0.0.1:5984", "team", "laptop-1").unwrap();
    assert_eq!(
        sync::server(&vault).unwrap().unwrap().url,
        "http://127.0.0.1:5984"
    );
}

#[test]
fn without_a_server_nothing_is_sent() {
    let (_f, vault) = new_vault();
    let err = sync::push(&vault).unwrap_err();
    assert!(err.to_string().contains("no sync server"), "{err}");
}
