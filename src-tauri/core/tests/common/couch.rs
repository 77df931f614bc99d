//! A PouchDB Server (tests/sync, installed by `npm ci` there) on 127.0.0.1 with a data folder of
//! its own, set up as docs/sync.md tells an administrator: for the sync tests and the sync
//! benchmark.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `admin:admin pass`, the server admin `set_up` makes.
const ADMIN: &str = "Basic YWRtaW46YWRtaW4gcGFzcw==";

/// A PouchDB Server of the test's own, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    data: tempfile::TempDir,
}

fn server_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/sync/node_modules/pouchdb-server/bin/pouchdb-server")
}

impl Server {
    pub fn start() -> Server {
        let data = tempfile::tempdir().unwrap();
        Server::start_in(data)
    }

    pub fn start_in(data: tempfile::TempDir) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Server::start_at(data, port)
    }

    pub fn start_at(data: tempfile::TempDir, port: u16) -> Server {
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

    /// What an administrator does once (docs/sync.md): a server admin, the devices' users, and
    /// the team's database with those users as its only members (and its admins, so that a
    /// laptop that erases a case can purge its documents). Done again after a restart, it
    /// changes nothing.
    fn set_up(&self) {
        let admin = |method: &str, path: &str, body: &str| self.admin(method, path, body).0;
        // The first call makes the admin (an "admin party" server accepts it without a login).
        let unauthenticated = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        // A server that has just begun to listen may still drop the first connection.
        let mut tries = 0;
        while let Err(e) = unauthenticated
            .put(&format!("{}/_config/admins/admin", self.url()))
            .send("\"admin pass\"")
        {
            tries += 1;
            assert!(tries < 50, "PouchDB Server does not answer: {e}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        for (user, password) in [
            ("laptop-1", "sync password"),
            ("laptop-2", "second"),
            ("laptop-3", "second"),
        ] {
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
            r#"{"admins":{"names":["laptop-1","laptop-2","laptop-3"],"roles":[]},"members":{"names":["laptop-1","laptop-2","laptop-3"],"roles":[]}}"#,
        );
        assert_eq!(status, 200, "the team database's members");
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the server and gives back its data folder.
    pub fn stop(mut self) -> (tempfile::TempDir, u16) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let port = self.port;
        // The child is reaped: nothing of it is left for Drop to stop.
        let data = std::mem::replace(&mut self.data, tempfile::tempdir().unwrap());
        (data, port)
    }

    /// Every byte of every file the server wrote.
    pub fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
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

    /// A request made as the server's admin: its status and body.
    pub fn admin(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}/{path}", self.url()))
            .header("Authorization", ADMIN)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .unwrap();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        let mut answer = agent.run(request).unwrap();
        let status = answer.status().as_u16();
        (
            status,
            answer.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    /// What the server answers its admin.
    pub fn get(&self, path: &str) -> serde_json::Value {
        let body = ureq::get(&format!("{}/{path}", self.url()))
            .header("Authorization", ADMIN)
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
