//! The SQLite file underneath the vault: connection settings, schema and its migrations.
//! Only ids, kinds, versions and ciphertexts are stored here; see docs/vault-format.md.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// The vault format this build writes. Older files are migrated on open; newer ones are refused.
pub const FORMAT_VERSION: u32 = 4;

/// How long a write waits for another Silta's write to finish before it gives up.
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// "SILT": marks the SQLite file as a Silta vault (`PRAGMA application_id`).
const APPLICATION_ID: i64 = 0x5349_4C54;

/// `MIGRATIONS[n]` takes a vault from format `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first format.
    "CREATE TABLE vault_meta (
         name  TEXT PRIMARY KEY,
         value BLOB NOT NULL
     );
     CREATE TABLE key_slots (
         id   BLOB PRIMARY KEY CHECK (length(id) = 16),
         user TEXT UNIQUE,
         slot BLOB NOT NULL
     );
     CREATE TABLE records (
         id      BLOB NOT NULL CHECK (length(id) = 16),
         version INTEGER NOT NULL CHECK (version >= 1),
         kind    TEXT NOT NULL,
         case_id BLOB CHECK (case_id IS NULL OR length(case_id) = 16),
         sealed  BLOB NOT NULL,
         PRIMARY KEY (id, version)
     );
     CREATE INDEX records_by_kind ON records (kind, case_id);
     CREATE TABLE attachment_chunks (
         attachment BLOB NOT NULL CHECK (length(attachment) = 16),
         idx        INTEGER NOT NULL CHECK (idx >= 0),
         sealed     BLOB NOT NULL,
         PRIMARY KEY (attachment, idx)
     );",
    // 1 -> 2: the latest versions of a kind's records (in the vault, or under one case) straight
    // from an index. Before, listing a kind sorted all its rows, ciphertexts and all, in a
    // temporary b-tree: most of the time to unlock a vault of 100,000 cases. One index serves
    // both listings, as the old one did, so writes keep one secondary index to update.
    // Nothing encrypted changes.
    "DROP INDEX records_by_kind;
     CREATE INDEX records_by_kind_case ON records (kind, case_id, id, version);",
    // 2 -> 3: the audit head carries the ledger of every row, and the case counter moves into it.
    // The schema does not change; that needs the vault key, so the first unlock does it
    // (`audit::upgrade`).
    "",
    // 3 -> 4: key epochs (docs/vault-format.md, section 9). Each key slot gains its access grant
    // to the current epoch's key, and each epoch after the first the link that opens the key of
    // the one before it. A slot from before keeps opening the first epoch's key until its owner
    // next unlocks (which gives it a grant) or the key changes (which drops it).
    "ALTER TABLE key_slots ADD COLUMN access BLOB;
     CREATE TABLE key_epochs (
         epoch INTEGER PRIMARY KEY CHECK (epoch >= 1),
         link  BLOB NOT NULL
     );",
];

pub(crate) enum Mode {
    Create,
    Open,
    /// Read without a key: what `vault info` and the list of staff show. Nothing is migrated,
    /// so an older file is shown as it is and not changed by being looked at. (Opened for
    /// writing all the same: SQLite would give the -wal and -shm files it makes for a reader
    /// the read-only permissions of a read-only open, which would outlast it.)
    Inspect,
}

/// Opens (or creates) the vault's SQLite file with the settings every write depends on.
pub(crate) fn connect(path: &Path, mode: Mode) -> Result<Connection> {
    match mode {
        Mode::Create => create_private_file(path)?,
        Mode::Open | Mode::Inspect if !path.exists() => {
            return Err(Error::NoVault(path.to_path_buf()));
        }
        Mode::Open | Mode::Inspect if path.is_dir() => {
            return Err(Error::NotAVault(path.to_path_buf()));
        }
        Mode::Open | Mode::Inspect => writable(path)?,
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| not_a_vault(e, path))?;
    // Wait for another writer (the app and the CLI on one vault) rather than fail at once.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| not_a_vault(e, path))?;
    match mode {
        Mode::Open | Mode::Inspect if app_id != APPLICATION_ID => {
            return Err(Error::NotAVault(path.to_path_buf()));
        }
        Mode::Create => conn.pragma_update(None, "application_id", APPLICATION_ID)?,
        Mode::Open | Mode::Inspect => {}
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Sorts and temporary indexes stay in memory: no temp file is ever written.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // One vault-wide listing per record kind is kept compiled, beside the statements of a write.
    conn.set_prepared_statement_cache_capacity(64);
    if !matches!(mode, Mode::Inspect) {
        migrate(&conn)?;
    }
    Ok(conn)
}

/// Creates the empty vault file, readable by its owner only (SQLite gives its -wal and -shm files
/// the same permissions). Fails if anything is already there, so no vault is ever overwritten.
fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Error::VaultExists(path.to_path_buf()))
        }
        Err(e) => Err(Error::io("create", path)(e)),
    }
}

/// SQLite opens a file it cannot write read-only without a word, and then makes its -wal and -shm
/// files with the same read-only permissions, which stay behind and keep the vault read-only after
/// the user has mended the file's own. So a vault (and any -wal or -shm beside it) that cannot be
/// written is refused before SQLite touches anything.
fn writable(path: &Path) -> Result<()> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    for file in [path.to_path_buf(), wal.into(), shm.into()] {
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&file)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && file != path => {}
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(Error::ReadOnly);
            }
            Err(e) => return Err(Error::io("open", &file)(e)),
        }
    }
    Ok(())
}

fn not_a_vault(e: rusqlite::Error, path: &Path) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotAVault(path.to_path_buf()),
        _ => e.into(),
    }
}

pub(crate) fn format_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

fn migrate(conn: &Connection) -> Result<()> {
    let found = format_version(conn)?;
    if found > FORMAT_VERSION {
        return Err(Error::NewerFormat {
            found,
            supported: FORMAT_VERSION,
        });
    }
    if found == FORMAT_VERSION {
        return Ok(());
    }
    // Under the write lock, reading the version again: another Silta may have migrated the file
    // while this one waited.
    write(conn, || {
        let found = format_version(conn)?;
        for (from, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            conn.execute_batch(sql)?;
            conn.pragma_update(None, "user_version", from as u32 + 1)?;
        }
        Ok(())
    })
}

/// The objects of the current schema, as SQLite stores them: (type, name, SQL).
fn expected_schema() -> Result<Vec<(String, String, Option<String>)>> {
    let fresh = Connection::open_in_memory()?;
    for sql in MIGRATIONS {
        fresh.execute_batch(sql)?;
    }
    schema(&fresh)
}

fn schema(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Puts the file's structure back as Silta made it, and says what was not. Anyone who can write
/// the file can add an index that SQLite then prefers (and that can hide rows from a listing), a
/// trigger that blocks chosen writes or copies what erasure deletes, or a table that keeps such
/// copies; none of that is sealed. So every object Silta did not make is dropped (the space it
/// held is zeroed, `secure_delete`), and an index or table of Silta's that is missing or changed
/// is made again.
pub(crate) fn restore_schema(conn: &Connection) -> Result<Vec<String>> {
    let expected = expected_schema()?;
    let found = schema(conn)?;
    let mut changed = Vec::new();
    write(conn, || {
        for (kind, name, sql) in &found {
            // SQLite's own objects (the implicit indexes of primary keys) come with their table.
            if name.starts_with("sqlite_") || expected.iter().any(|e| e.1 == *name && e.2 == *sql) {
                continue;
            }
            if expected.iter().all(|e| e.1 != *name) {
                changed.push(format!("{kind} {name} added"));
            } else if kind == "table" {
                // Silta's own table, its definition edited in place: dropping it would take the
                // vault's rows with it. It is kept and reported.
                changed.push(format!("table {name} redefined (kept, with its rows)"));
                continue;
            } else {
                changed.push(format!("{kind} {name} changed"));
            }
            conn.execute_batch(&format!("DROP {kind} IF EXISTS {}", quoted(name)))?;
        }
        let now = schema(conn)?;
        for (kind, name, sql) in &expected {
            if let Some(sql) = sql.as_deref().filter(|_| now.iter().all(|n| n.1 != *name)) {
                if !changed
                    .iter()
                    .any(|c| c.ends_with(&format!("{name} changed")))
                {
                    changed.push(format!("{kind} {name} removed"));
                }
                conn.execute_batch(sql)?;
            }
        }
        Ok(())
    })?;
    Ok(changed)
}

/// Runs `f` as one transaction: all of it lands, or (on any error) none of it. The outermost call
/// uses `BEGIN IMMEDIATE`, which takes the write lock up front so two writers queue instead of
/// deadlocking; a nested call becomes a savepoint, so operations compose.
pub(crate) fn write<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let (begin, commit, rollback) = if conn.is_autocommit() {
        ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
    } else {
        (
            "SAVEPOINT silta_write",
            "RELEASE silta_write",
            "ROLLBACK TO silta_write; RELEASE silta_write",
        )
    };
    conn.execute_batch(begin)?;
    match f().and_then(|value| {
        conn.execute_batch(commit)
            .map(|()| value)
            .map_err(Error::from)
    }) {
        Ok(value) => Ok(value),
        Err(e) => {
            // The original error is what the user needs; a failed rollback adds nothing to it.
            let _ = conn.execute_batch(rollback);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_has_wal_full_sync_and_secure_delete() {
        let dir = tempfile::tempdir().unwrap();
        let conn = connect(&dir.path().join("v.silta"), Mode::Create).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        let secure: i64 = conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), sync, secure, fk), ("wal", 2, 1, 1));
        assert_eq!(format_version(&conn).unwrap(), FORMAT_VERSION);
    }

    #[cfg(unix)]
    #[test]
    fn the_vault_and_its_wal_are_readable_by_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.silta");
        let conn = connect(&path, Mode::Create).unwrap();
        conn.execute("INSERT INTO vault_meta VALUES ('x', x'00')", [])
            .unwrap();
        for name in ["v.silta", "v.silta-wal", "v.silta-shm"] {
            let mode = std::fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }

    #[test]
    fn a_newer_format_is_refused_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.silta");
        let conn = connect(&path, Mode::Create).unwrap();
        conn.pragma_update(None, "user_version", FORMAT_VERSION + 1)
            .unwrap();
        drop(conn);
        let err = connect(&path, Mode::Open).unwrap_err();
        assert!(matches!(err, Error::NewerFormat { found, .. } if found == FORMAT_VERSION + 1));
        assert!(err.to_string().contains("update Silta"));
    }

    #[test]
    fn other_files_are_not_vaults() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(
            &text,
            "just some text, long enough to not be an empty database file at all",
        )
        .unwrap();
        assert!(matches!(
            connect(&text, Mode::Open),
            Err(Error::NotAVault(_))
        ));
        let other_db = dir.path().join("other.sqlite");
        Connection::open(&other_db)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        assert!(matches!(
            connect(&other_db, Mode::Open),
            Err(Error::NotAVault(_))
        ));
        assert!(matches!(
            connect(&dir.path().join("missing"), Mode::Open),
            Err(Error::NoVault(_))
        ));
    }

    #[test]
    fn objects_added_to_the_file_are_dropped_and_missing_ones_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let conn = connect(&dir.path().join("v.silta"), Mode::Create).unwrap();
        assert!(
            restore_schema(&conn).unwrap().is_empty(),
            "a new vault is as made"
        );
        conn.execute_batch(
            "CREATE INDEX sneaky ON records (kind, case_id, id, version, sealed);
             CREATE TABLE copies (x);
             CREATE TRIGGER keep BEFORE DELETE ON records BEGIN INSERT INTO copies VALUES (old.sealed); END;
             DROP INDEX records_by_kind_case;",
        )
        .unwrap();
        let mut changed = restore_schema(&conn).unwrap();
        changed.sort();
        assert_eq!(
            changed,
            [
                "index records_by_kind_case removed",
                "index sneaky added",
                "table copies added",
                "trigger keep added"
            ]
        );
        let names: Vec<(String, String, Option<String>)> = schema(&conn).unwrap();
        assert_eq!(names, expected_schema().unwrap());
    }

    /// Someone rewrites the stored definition of `records` (SQLite's `writable_schema`): the
    /// table must not be dropped to be made again, which would take every record with it.
    #[test]
    fn a_table_of_silta_redefined_in_the_file_is_reported_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.silta");
        let conn = connect(&path, Mode::Create).unwrap();
        conn.execute(
            "INSERT INTO records VALUES (randomblob(16), 1, 'note', NULL, x'01')",
            [],
        )
        .unwrap();
        conn.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = replace(sql, 'sealed  BLOB NOT NULL', 'sealed  BLOB')
             WHERE name = 'records';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
        drop(conn);
        let conn = connect(&path, Mode::Open).unwrap();
        let changed = restore_schema(&conn).unwrap();
        assert_eq!(changed, ["table records redefined (kept, with its rows)"]);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let conn = connect(&dir.path().join("v.silta"), Mode::Create).unwrap();
        let result: Result<()> = write(&conn, || {
            conn.execute("INSERT INTO vault_meta VALUES ('x', x'00')", [])?;
            Err(Error::DiskFull)
        });
        assert!(result.is_err());
        let nested: Result<()> = write(&conn, || {
            conn.execute("INSERT INTO vault_meta VALUES ('kept', x'00')", [])?;
            let inner: Result<()> = write(&conn, || {
                conn.execute("INSERT INTO vault_meta VALUES ('dropped', x'00')", [])?;
                Err(Error::DiskFull)
            });
            assert!(inner.is_err());
            Ok(())
        });
        assert!(nested.is_ok());
        let names: Vec<String> = conn
            .prepare("SELECT name FROM vault_meta")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(names, ["kept"]);
        conn.execute("DELETE FROM vault_meta", []).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM vault_meta", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
