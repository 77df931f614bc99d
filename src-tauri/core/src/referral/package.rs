//! The container shared by referral packages and acknowledgements: an age file (X25519
//! recipients) whose plaintext is a ZIP holding `manifest.json`, `manifest.sig` (Ed25519 over the
//! manifest's exact bytes) and the files the manifest lists with their SHA-256.
//!
//! Reading trusts nothing: names, sizes, compression and count of entries are checked before any
//! byte is used, every file is hashed against the manifest, and no entry outside the manifest is
//! accepted.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use crate::error::{Error, Result};
use crate::org::{OrgKeys, SenderCard};

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";
/// The manifest, signature and JSON files are small; anything larger is not ours. Only files this
/// small may be compressed: a compressed entry could otherwise unpack a few bytes of the package
/// into gigabytes at the desk (Silta stores attachments as they are).
pub(crate) const SMALL_LIMIT: u64 = 16 << 20;
/// One attachment (Silta imports files up to this size).
const FILE_LIMIT: u64 = 4 << 30;
/// Every file of a package together.
const PACKAGE_LIMIT: u64 = 8 << 30;
const MAX_ENTRIES: usize = 1_004;

/// Reads from `inner`, hashing and counting what passes through.
struct HashingReader<R> {
    inner: R,
    hash: Sha256,
    read: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// Writes `w` and hashes what passes through.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Hands what is written to the thread that writes the package.
struct Handover(std::sync::mpsc::SyncSender<Vec<u8>>);

impl Write for Handover {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the package writer stopped"))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn zip_error(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(e) => read_error(e),
        other => Error::BadPackage(format!("the archive inside is invalid: {other}")),
    }
}

/// An I/O error while reading the decrypted stream means the age layer found damage.
fn read_error(e: io::Error) -> Error {
    Error::BadPackage(format!("the file is truncated or was altered ({e})"))
}

/// Builds a package file: files are added one by one, then `finish` writes the signed manifest.
pub struct PackageWriter {
    zip: zip::ZipWriter<
        zip::write::StreamWriter<age::stream::StreamWriter<Hashing<BufWriter<File>>>>,
    >,
    files: BTreeMap<String, String>,
    temp: Partial,
    out: PathBuf,
}

/// A file being written; removed unless it was moved into place.
struct Partial(PathBuf);

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// What `finish` wrote: the hashes of the encrypted file and of the plaintext manifest.
pub struct Finished {
    pub file_sha256: String,
    pub manifest_sha256: String,
}

fn options(compress: bool) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(if compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        })
        .unix_permissions(0o600)
        .large_file(!compress)
}

impl PackageWriter {
    /// Starts writing to a temporary file beside `out`; nothing appears at `out` until `finish`.
    pub fn create(out: &Path, recipients: &[age::x25519::Recipient]) -> Result<PackageWriter> {
        let dir = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out
            .file_name()
            .ok_or_else(|| Error::invalid(format!("{} is not a file name", out.display())))?;
        let temp = dir.join(format!(
            ".{}.{}.partial",
            name.to_string_lossy(),
            uuid::Uuid::now_v7().simple()
        ));
        let file = File::create_new(&temp).map_err(Error::io("create", &temp))?;
        let encryptor =
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| Error::invalid(format!("cannot encrypt to these recipients: {e}")))?;
        let sink = Hashing {
            inner: BufWriter::new(file),
            hash: Sha256::new(),
        };
        let age_writer = encryptor
            .wrap_output(sink)
            .map_err(Error::io("write", &temp))?;
        Ok(PackageWriter {
            zip: zip::ZipWriter::new_stream(age_writer),
            files: BTreeMap::new(),
            temp: Partial(temp),
            out: out.to_path_buf(),
        })
    }

    fn write_error(&self) -> impl Fn(io::Error) -> Error + '_ {
        move |e| Error::io("write", &self.temp.0)(e)
    }

    fn start(&mut self, name: &str, compress: bool) -> Result<()> {
        self.zip
            .start_file(name, options(compress))
            .map_err(|e| match e {
                zip::result::ZipError::Io(e) => self.write_error()(e),
                other => Error::invalid(other.to_string()),
            })
    }

    /// Adds a small file, compressed.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.start(name, true)?;
        self.zip.write_all(bytes).map_err(self.write_error())?;
        self.files
            .insert(name.to_string(), hex::encode(Sha256::digest(bytes)));
        Ok(())
    }

    /// Adds a file streamed by `fill` (an attachment), stored as it is. Returns its SHA-256.
    ///
    /// `fill` (reading and decrypting from the vault) runs here while another thread hashes,
    /// archives, encrypts and writes what it gives: the two halves take about as long as each
    /// other, and overlapped a large attachment is packaged in little more than the time of one.
    pub fn add_streamed(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<String> {
        self.start(name, false)?;
        let zip = &mut self.zip;
        let (filled, written) = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
            let writer = scope.spawn(move || -> io::Result<String> {
                let mut hash = Sha256::new();
                for block in receive {
                    zip.write_all(&block)?;
                    hash.update(&block);
                }
                Ok(hex::encode(hash.finalize()))
            });
            let filled = fill(&mut Handover(send));
            let written = writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (filled, written)
        });
        // When the writer fails (a full disk), `fill` fails too, only because the handover
        // closed: the writer's error is the one that says what happened.
        let digest = written.map_err(self.write_error())?;
        filled?;
        self.files.insert(name.to_string(), digest.clone());
        Ok(digest)
    }

    /// The SHA-256 of each file added so far, by name.
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// Writes the manifest and its signature, closes the encryption, and moves the file into
    /// place. Returns the SHA-256 of the encrypted file.
    pub fn finish(mut self, manifest: &impl Serialize, keys: &OrgKeys) -> Result<Finished> {
        let bytes = serde_json::to_vec_pretty(manifest)
            .map_err(|e| Error::invalid(format!("cannot write the manifest: {e}")))?;
        let signature = keys.sign(&bytes)?;
        self.start(MANIFEST, true)?;
        self.zip.write_all(&bytes).map_err(self.write_error())?;
        self.start(SIGNATURE, false)?;
        self.zip
            .write_all(signature.as_bytes())
            .map_err(self.write_error())?;
        let manifest_sha256 = hex::encode(Sha256::digest(&bytes));
        let mut partial = self.temp;
        let temp = partial.0.clone();
        let age_writer = self.zip.finish().map_err(zip_error)?.into_inner();
        let mut sink = age_writer.finish().map_err(Error::io("write", &temp))?;
        sink.flush().map_err(Error::io("write", &temp))?;
        let digest = hex::encode(sink.hash.finalize_reset());
        let file = sink
            .inner
            .into_inner()
            .map_err(|e| Error::io("write", &temp)(e.into_error()))?;
        file.sync_all().map_err(Error::io("write", &temp))?;
        drop(file);
        if self.out.exists() {
            return Err(Error::invalid(format!(
                "{} already exists: choose another name",
                self.out.display()
            )));
        }
        std::fs::rename(&temp, &self.out).map_err(Error::io("write", &self.out))?;
        partial.0 = PathBuf::new();
        Ok(Finished {
            file_sha256: digest,
            manifest_sha256,
        })
    }
}

/// A decrypted package whose manifest signature and entry list have been checked. Files are
/// read (and hashed) on demand.
pub struct PackageReader {
    zip: zip::ZipArchive<age::stream::StreamReader<BufReader<File>>>,
    pub manifest_bytes: Vec<u8>,
    pub signature: Vec<u8>,
    /// The hashes the manifest lists, by file name.
    files: BTreeMap<String, String>,
}

/// Only names Silta writes: letters, digits, dot, dash and underscore, in at most one folder.
fn valid_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    parts.len() <= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('.')
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        })
}

fn open_age(
    path: &Path,
    identity: &age::x25519::Identity,
) -> Result<age::stream::StreamReader<BufReader<File>>> {
    let file = File::open(path).map_err(Error::io("open", path))?;
    let decryptor = age::Decryptor::new(BufReader::new(file)).map_err(|e| match e {
        age::DecryptError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            Error::BadPackage("the file is empty or cut short".into())
        }
        other => Error::BadPackage(format!("it is not an age-encrypted file ({other})")),
    })?;
    decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => Error::NotForYou,
            other => Error::BadPackage(format!("it cannot be decrypted ({other})")),
        })
}

impl PackageReader {
    /// Decrypts `path` with `identity`, checks the entries and the manifest's signature against
    /// the card that `card_of` finds in the manifest.
    pub fn open(
        path: &Path,
        identity: &age::x25519::Identity,
        card_of: impl FnOnce(&[u8]) -> Result<(SenderCard, BTreeMap<String, String>)>,
    ) -> Result<(PackageReader, SenderCard)> {
        let reader = open_age(path, identity)?;
        let mut zip = zip::ZipArchive::new(reader).map_err(zip_error)?;
        if zip.len() > MAX_ENTRIES {
            return Err(Error::BadPackage(format!(
                "it holds {} entries, more than a package can",
                zip.len()
            )));
        }
        let mut names = Vec::new();
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(zip_error)?;
            let name = entry.name().map_err(zip_error)?.to_string();
            if !valid_name(&name) || entry.is_dir() {
                return Err(Error::BadPackage(format!(
                    "it holds an entry named {name:?}"
                )));
            }
            match entry.compression() {
                CompressionMethod::Stored => {}
                CompressionMethod::Deflated if entry.size() <= SMALL_LIMIT => {}
                CompressionMethod::Deflated => {
                    return Err(Error::BadPackage(format!(
                        "{name} is a large file compressed, which Silta does not write"
                    )));
                }
                _ => {
                    return Err(Error::BadPackage(format!(
                        "{name} is compressed in a way Silta does not write"
                    )));
                }
            }
            total = total.saturating_add(entry.size());
            if entry.size() > FILE_LIMIT || total > PACKAGE_LIMIT {
                return Err(Error::BadPackage(format!(
                    "it is larger than Silta allows ({} GiB a file, {} GiB in all)",
                    FILE_LIMIT >> 30,
                    PACKAGE_LIMIT >> 30
                )));
            }
            if names.contains(&name) {
                return Err(Error::BadPackage(format!("{name} appears twice")));
            }
            names.push(name);
        }
        let manifest_bytes = read_limited(&mut zip, MANIFEST, SMALL_LIMIT)?;
        let signature = read_limited(&mut zip, SIGNATURE, 1024)?;
        let (card, files) = card_of(&manifest_bytes)?;
        card.verify(&manifest_bytes, &signature)?;
        let mut expected: Vec<&str> = files.keys().map(String::as_str).collect();
        expected.extend([MANIFEST, SIGNATURE]);
        expected.sort_unstable();
        names.sort_unstable();
        if names != expected {
            return Err(Error::BadPackage(
                "its files are not those its manifest lists".into(),
            ));
        }
        Ok((
            PackageReader {
                zip,
                manifest_bytes,
                signature,
                files,
            },
            card,
        ))
    }

    /// A small file, checked against its hash.
    pub fn read_small(&mut self, name: &str) -> Result<Vec<u8>> {
        let bytes = read_limited(&mut self.zip, name, SMALL_LIMIT)?;
        self.check(name, &Sha256::digest(&bytes))?;
        Ok(bytes)
    }

    /// Copies a file into `out`, then checks its hash: a caller must discard what it wrote if
    /// this fails.
    pub fn copy(&mut self, name: &str, out: &mut dyn Write) -> Result<u64> {
        self.stream(name, |r| io::copy(r, out).map_err(read_error))
    }

    /// Gives `use_it` the file as it is read (at most its limit: a compressed file that unpacks
    /// to more than it declared ends there), then checks the hash of all of it. A caller that
    /// writes what it reads must undo the writing if this fails: importing into the vault does it
    /// in the transaction that the failure rolls back, so nothing unchecked is ever kept.
    pub fn stream<T>(
        &mut self,
        name: &str,
        use_it: impl FnOnce(&mut dyn Read) -> Result<T>,
    ) -> Result<T> {
        let too_large = || Error::BadPackage(format!("{name} is larger than Silta allows"));
        let expected = self.files.get(name).cloned();
        let entry = self.zip.by_name(name).map_err(zip_error)?;
        let limit = match entry.compression() {
            CompressionMethod::Stored => FILE_LIMIT,
            _ => SMALL_LIMIT,
        };
        if entry.size() > limit {
            return Err(too_large());
        }
        let mut reading = HashingReader {
            inner: entry.take(limit + 1),
            hash: Sha256::new(),
            read: 0,
        };
        let value = use_it(&mut reading)?;
        // Whatever the user of the bytes left unread still counts towards the hash.
        io::copy(&mut reading, &mut io::sink()).map_err(read_error)?;
        if reading.read > limit {
            return Err(too_large());
        }
        if expected != Some(hex::encode(reading.hash.finalize())) {
            return Err(mismatch(name));
        }
        Ok(value)
    }

    fn check(&self, name: &str, digest: &[u8]) -> Result<()> {
        match self.files.get(name) {
            Some(expected) if *expected == hex::encode(digest) => Ok(()),
            _ => Err(mismatch(name)),
        }
    }
}

fn mismatch(name: &str) -> Error {
    Error::BadPackage(format!("{name} does not match the hash its manifest gives"))
}

fn read_limited<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>> {
    let entry = zip.by_name(name).map_err(|e| match e {
        zip::result::ZipError::FileNotFound => Error::BadPackage(format!("{name} is missing")),
        other => zip_error(other),
    })?;
    if entry.size() > limit {
        return Err(Error::BadPackage(format!("{name} is too large")));
    }
    let mut bytes = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limit {
        return Err(Error::BadPackage(format!("{name} is too large")));
    }
    Ok(bytes)
}

/// The fuzz target's entry point: a package file's bytes, opened with a fixed test identity and
/// every file read. Bad input must be an error, never a panic.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn fuzz_open(bytes: &[u8]) {
    use std::str::FromStr;
    let Ok(identity) = age::x25519::Identity::from_str(FUZZ_IDENTITY) else {
        return;
    };
    let Ok(dir) = tempfile_dir() else { return };
    let path = dir.join("p.age");
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let parse = |m: &[u8]| -> Result<(SenderCard, BTreeMap<String, String>)> {
        #[derive(serde::Deserialize)]
        struct M {
            sender: SenderCard,
            files: BTreeMap<String, String>,
        }
        let m: M = serde_json::from_slice(m).map_err(|e| Error::BadPackage(e.to_string()))?;
        Ok((m.sender, m.files))
    };
    if let Ok((mut r, _)) = PackageReader::open(&path, &identity, parse) {
        let names: Vec<String> = r.files.keys().cloned().collect();
        for name in names {
            let _ = r.copy(&name, &mut io::sink());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A test key for fuzzing only: the seed corpus is encrypted to it. Not a secret.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub const FUZZ_IDENTITY: &str =
    "AGE-SECRET-KEY-1J08DDNJY3KKX8FGU0HW6YPZTHJCS52KUP4NLR5KE5GJJK6TJ0JQQ0Y3WGU";

#[cfg(feature = "fuzzing")]
fn tempfile_dir() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("silta-fuzz-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir)?;
    Ok(dir)
}

/// SHA-256 of a whole file, hex.
pub fn file_sha256(path: &Path) -> Result<String> {
    let mut file = File::open(path).map_err(Error::io("open", path))?;
    let mut hash = Sha256::new();
    io::copy(&mut file, &mut hash).map_err(Error::io("read", path))?;
    Ok(hex::encode(hash.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_in_at_most_one_folder_are_accepted() {
        for good in ["manifest.json", "attachments/0192-abc", "referral.html"] {
            assert!(valid_name(good), "{good}");
        }
        for bad in [
            "../etc/passwd",
            "/abs",
            "a/b/c",
            "attachments/../x",
            ".hidden",
            "a\\b",
            "",
            "attachments/",
            "nul\0",
        ] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }

    /// A small package with a manifest that carries the sender card and the file hashes.
    fn package(dir: &Path, to: &age::x25519::Recipient) -> PathBuf {
        let keys = OrgKeys::for_tests("Pro-tukipiste");
        let out = dir.join("p.age");
        let mut w = PackageWriter::create(&out, std::slice::from_ref(to)).unwrap();
        w.add("referral.json", br#"{"hello":"desk"}"#).unwrap();
        w.add_streamed("attachments/a", |sink| {
            sink.write_all(&[7u8; 3000])
                .map_err(Error::io("write", "test"))
        })
        .unwrap();
        let manifest = serde_json::json!({ "sender": keys.card().unwrap(), "files": w.files() });
        w.finish(&manifest, &keys).unwrap();
        out
    }

    fn card_and_files(bytes: &[u8]) -> Result<(SenderCard, BTreeMap<String, String>)> {
        #[derive(serde::Deserialize)]
        struct M {
            sender: SenderCard,
            files: BTreeMap<String, String>,
        }
        let m: M = serde_json::from_slice(bytes).map_err(|e| Error::BadPackage(e.to_string()))?;
        Ok((m.sender, m.files))
    }

    /// Opens a package and reads every file, as the desk does.
    fn read_all(path: &Path, id: &age::x25519::Identity) -> Result<()> {
        let (mut r, _) = PackageReader::open(path, id, card_and_files)?;
        let names: Vec<String> = r.files.keys().cloned().collect();
        for name in names {
            r.copy(&name, &mut io::sink())?;
        }
        Ok(())
    }

    #[test]
    fn a_byte_added_at_either_end_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let id = age::x25519::Identity::generate();
        let path = package(dir.path(), &id.to_public());
        let good = std::fs::read(&path).unwrap();
        for bad in [
            [good.as_slice(), b"x"].concat(),
            [b"x".as_slice(), &good].concat(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            assert!(read_all(&path, &id).is_err());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn a_damaged_package_is_an_error_never_a_panic(at in proptest::num::usize::ANY, x in 1..=255u8, how in 0..3u8) {
            let dir = tempfile::tempdir().unwrap();
            let id = age::x25519::Identity::generate();
            let path = package(dir.path(), &id.to_public());
            read_all(&path, &id).unwrap();
            let mut bytes = std::fs::read(&path).unwrap();
            let i = at % bytes.len();
            match how {
                0 => bytes[i] ^= x,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, x),
            }
            std::fs::write(&path, &bytes).unwrap();
            proptest::prop_assert!(read_all(&path, &id).is_err());
        }
    }
}
