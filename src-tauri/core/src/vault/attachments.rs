//! Attachments: streamed into the vault in sealed chunks of 1 MiB and streamed back out, so a
//! 500 MB file needs a few MiB of memory either way. The chunk count and SHA-256 live in the
//! (sealed) attachment record; each chunk's index and last-chunk flag are bound into its ciphertext,
//! so chunks cannot be reordered, dropped or cut off at the end unnoticed.

use std::io::{Read, Write};
use std::path::Path;

use rusqlite::params;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::Vault;
use super::envelope::{self, ChunkPlace};
use super::records::Stored;
use crate::error::{Error, Result};
use crate::ids::{AttachmentId, CaseId, RecordId};
use crate::model::Attachment;

pub const CHUNK_SIZE: usize = 1 << 20;

/// The largest attachment the app shows in its window; larger ones are saved out instead.
pub const VIEW_LIMIT: u64 = 64 << 20;

/// A media type from the file name's extension, for showing the file; the content is not trusted.
pub fn media_type_for(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pdf") => "application/pdf",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("heic") => "image/heic",
        Some("txt") => "text/plain",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("mp3") => "audio/mpeg",
        Some("m4a") => "audio/mp4",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Reads until `buf` is full or the source ends; returns how many bytes were read.
fn fill(source: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

impl Vault {
    /// Whether `sealed` opens as chunk `index` of attachment `attachment` of `chunks` chunks
    /// (team sync checks a received chunk before keeping it).
    pub(crate) fn chunk_opens(
        &self,
        attachment: uuid::Uuid,
        index: u32,
        chunks: u32,
        sealed: &[u8],
    ) -> bool {
        let place = ChunkPlace {
            vault: self.id.uuid(),
            attachment,
            index,
            last: index + 1 == chunks,
        };
        envelope::open_chunk(&self.keys.attachments, &place, sealed).is_some()
    }

    /// Streams `source` into the vault as an attachment of `case`. All of it lands or none of it.
    /// `source_name` is used only in error messages (for example the path being read).
    pub fn add_attachment(
        &self,
        case: CaseId,
        mut details: Attachment,
        mut source: impl Read,
        source_name: &str,
    ) -> Result<Stored<Attachment>> {
        details.validate()?;
        let id = AttachmentId::new();
        let read_err = |source| Error::Io {
            action: "read",
            path: source_name.into(),
            source,
        };
        self.write(|_| {
            let mut hasher = Sha256::new();
            let mut size: u64 = 0;
            let mut current = Zeroizing::new(vec![0u8; CHUNK_SIZE]);
            let mut next = Zeroizing::new(vec![0u8; CHUNK_SIZE]);
            let mut current_len = fill(&mut source, &mut current).map_err(read_err)?;
            let mut index: u32 = 0;
            let mut stmt = self.conn.prepare_cached(
                "INSERT INTO attachment_chunks (attachment, idx, sealed) VALUES (?1, ?2, ?3)",
            )?;
            loop {
                // Reading one chunk ahead tells whether the current one is the last.
                let next_len = if current_len == CHUNK_SIZE {
                    fill(&mut source, &mut next).map_err(read_err)?
                } else {
                    0
                };
                let last = next_len == 0;
                let data = &current[..current_len];
                hasher.update(data);
                size += current_len as u64;
                let place = ChunkPlace {
                    vault: self.id.uuid(),
                    attachment: id.uuid(),
                    index,
                    last,
                };
                let sealed = envelope::seal_chunk(&self.keys.attachments, &place, data)?;
                stmt.execute(params![id.uuid().as_bytes().as_slice(), index, sealed])?;
                self.note_chunk(id.uuid(), index, true);
                if last {
                    break;
                }
                std::mem::swap(&mut current, &mut next);
                current_len = next_len;
                index = index.checked_add(1).ok_or_else(|| {
                    Error::invalid("the file is too large to attach (over 4 PiB)")
                })?;
            }
            details.size = size;
            details.sha256 = hex::encode(hasher.finalize());
            details.chunks = index + 1;
            self.insert_with_id(id, Some(case), &details)
        })
    }

    /// Encrypts the file at `path` into the vault as an attachment of `case`, streamed. The media
    /// type is guessed from the name unless given.
    pub fn import_file(
        &self,
        case: CaseId,
        path: &Path,
        media_type: Option<&str>,
        description: &str,
    ) -> Result<Stored<Attachment>> {
        self.get::<crate::model::Case>(case)?;
        let file = std::fs::File::open(path).map_err(Error::io("open", path))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "attachment".into());
        let mut details = Attachment::new(&name, media_type.unwrap_or(media_type_for(path)));
        details.description = description.to_string();
        self.add_attachment(
            case,
            details,
            std::io::BufReader::new(file),
            &path.to_string_lossy(),
        )
    }

    /// An attachment's whole content in memory, for showing it; refused above `VIEW_LIMIT`.
    pub fn attachment_bytes(&self, id: AttachmentId) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        let meta = self.get::<Attachment>(id)?;
        if meta.record.size > VIEW_LIMIT {
            return Err(Error::invalid(format!(
                "{} is too large to show here ({} MB); save a copy instead",
                meta.record.name,
                meta.record.size >> 20
            )));
        }
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(meta.record.size as usize));
        self.read_attachment(id, &mut *out)?;
        Ok(out)
    }

    /// Streams an attachment's content to `out`, checking every chunk and, at the end, the SHA-256.
    /// On an integrity error some bytes may already be in `out`: write to a temporary place and keep
    /// it only on success (the CLI does).
    pub fn read_attachment(&self, id: AttachmentId, out: &mut impl Write) -> Result<u64> {
        let meta = self.get::<Attachment>(id)?;
        let damaged = |what: String| Error::Integrity {
            what: format!("attachment {id} ({what})"),
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT sealed FROM attachment_chunks WHERE attachment = ?1 AND idx = ?2",
        )?;
        let mut hasher = Sha256::new();
        let mut written: u64 = 0;
        for index in 0..meta.record.chunks {
            let sealed: Vec<u8> = stmt
                .query_row(params![id.uuid().as_bytes().as_slice(), index], |r| {
                    r.get(0)
                })
                .map_err(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => {
                        damaged(format!("chunk {index} is missing"))
                    }
                    e => e.into(),
                })?;
            let place = ChunkPlace {
                vault: self.id.uuid(),
                attachment: id.uuid(),
                index,
                last: index + 1 == meta.record.chunks,
            };
            let data = envelope::open_chunk(&self.keys.attachments, &place, &sealed)
                .ok_or_else(|| damaged(format!("chunk {index}")))?;
            hasher.update(&data);
            out.write_all(&data)
                .map_err(Error::io("write", "the output"))?;
            written += data.len() as u64;
        }
        if written != meta.record.size || hex::encode(hasher.finalize()) != meta.record.sha256 {
            return Err(damaged("its checksum does not match".into()));
        }
        out.flush().map_err(Error::io("write", "the output"))?;
        Ok(written)
    }

    /// Removes an attachment: its chunks and its record with all versions.
    pub fn delete_attachment(&self, id: AttachmentId) -> Result<()> {
        self.write(|v| {
            v.delete_chunks(id.uuid())?;
            v.delete::<Attachment>(id)
        })
    }
}
