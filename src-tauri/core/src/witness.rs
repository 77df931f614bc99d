//! Signed checkpoints of the audit log that leave the machine, and checking the log against them
//! later. Anyone with a passphrase holds the vault key and can rewrite the log consistently
//! (docs/threat-model.md); a checkpoint kept elsewhere (by a supervisor, the board, a lawyer) still
//! says how long the log was and how it ended at that moment, so history rewritten before it, or
//! the log cut back behind it, no longer matches. The file format is in docs/vault-format.md,
//! section 10.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Checkpoint};
use crate::error::{Error, Result};
use crate::ids::VaultId;
use crate::org::{self, SenderCard};
use crate::referral::package::{MANIFEST, SIGNATURE};
use crate::vault::Vault;

const FORMAT: &str = "silta-audit-checkpoint";
const SIGNED_PREFIX: &[u8] = b"silta/audit-checkpoint/v1";
/// A checkpoint file Silta writes is about 1 KiB; a larger one is not read.
const FILE_LIMIT: usize = 64 * 1024;

/// The file: the payload's exact bytes and a signature over them, so that no one has to
/// re-serialise JSON to check it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    /// Lower-case hex of the payload's JSON.
    payload: String,
    /// Ed25519 over `SIGNED_PREFIX || payload bytes`, hex, by the organisation's signing key.
    signature: String,
}

/// What a checkpoint says.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    pub vault: VaultId,
    pub made: DateTime<Utc>,
    pub made_by: String,
    pub checkpoint: Checkpoint,
    /// The organisation whose key signed it.
    pub organisation: SenderCard,
}

/// A signed checkpoint of the log as it is now, to be kept away from this computer. Refused
/// while the log does not match the file: a checkpoint of a broken log would vouch for it.
pub fn make(vault: &Vault) -> Result<Vec<u8>> {
    if let Some(why) = audit::check(vault)?.broken {
        return Err(Error::AuditBroken(why));
    }
    let checkpoint = audit::checkpoint(vault)?
        .ok_or_else(|| Error::AuditBroken("the log has no head".into()))?;
    let keys = org::keys(vault)?;
    let payload = serde_json::to_vec(&Payload {
        vault: vault.id(),
        made: Utc::now(),
        made_by: vault.user().to_string(),
        checkpoint,
        organisation: keys.card()?,
    })
    .map_err(|e| Error::invalid(format!("cannot write the checkpoint: {e}")))?;
    let mut signed = SIGNED_PREFIX.to_vec();
    signed.extend_from_slice(&payload);
    let file = File {
        format: FORMAT.into(),
        version: 1,
        payload: hex::encode(&payload),
        signature: keys.sign(&signed)?,
    };
    let mut e = audit::Event::new(audit::Action::Export);
    e.detail = Some("audit checkpoint".into());
    audit::log(vault, e)?;
    serde_json::to_vec_pretty(&file)
        .map_err(|e| Error::invalid(format!("cannot write the checkpoint: {e}")))
}

/// Reads a checkpoint file: its signature must hold, by this vault's organisation, for this
/// vault. Returns what it says.
pub fn read(vault: &Vault, bytes: &[u8]) -> Result<Payload> {
    let bad = |why: &str| Error::invalid(format!("not a usable audit checkpoint: {why}"));
    if bytes.len() > FILE_LIMIT {
        return Err(bad("the file is far larger than any checkpoint"));
    }
    let file: File = serde_json::from_slice(bytes).map_err(|_| bad("it is not one"))?;
    if file.format != FORMAT || file.version != 1 {
        return Err(bad("it is not one of version 1"));
    }
    let payload = hex::decode(&file.payload).map_err(|_| bad("its payload is not hex"))?;
    let parsed: Payload =
        serde_json::from_slice(&payload).map_err(|_| bad("its payload is not one"))?;
    parsed.organisation.check()?;
    let mut signed = SIGNED_PREFIX.to_vec();
    signed.extend_from_slice(&payload);
    parsed
        .organisation
        .verify(&signed, file.signature.as_bytes())?;
    if parsed.vault != vault.id() {
        return Err(bad("it is of another vault"));
    }
    if parsed.organisation.signing_key != org::keys(vault)?.card()?.signing_key {
        return Err(bad("it was not signed by this vault's organisation"));
    }
    Ok(parsed)
}

/// Checks the log against what `path` holds: a checkpoint file (`make`), or a referral package's
/// `manifest.json` with its `manifest.sig` beside it, or the folder holding both (as
/// `silta referral open --out DIR` writes them at the receiving desk). `None` when the log still
/// holds what it saw; otherwise what is wrong, naming the file.
pub fn check_path(vault: &Vault, path: &Path) -> Result<Option<String>> {
    // Handed back from outside: only a regular file is opened (a device or a pipe could give
    // bytes without end, or none ever), and no more than `limit` bytes are read from it.
    let read = |p: &Path, limit: u64| -> Result<Vec<u8>> {
        use std::io::Read;
        let too_large = || {
            Error::invalid(format!(
                "{} is not a checkpoint or a manifest: not a file of a size Silta writes",
                p.display()
            ))
        };
        if !std::fs::metadata(p)
            .map_err(Error::io("read", p))?
            .is_file()
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        std::fs::File::open(p)
            .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
            .map_err(Error::io("read", p))?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(bytes)
    };
    let manifest_limit = crate::referral::package::SMALL_LIMIT;
    let (manifest, signature) = if path.is_dir() {
        (path.join(MANIFEST), path.join(SIGNATURE))
    } else if path.file_name().is_some_and(|n| n == MANIFEST) {
        (path.to_path_buf(), path.with_file_name(SIGNATURE))
    } else {
        let problem = check(vault, &read(path, FILE_LIMIT as u64)?)?;
        return Ok(problem.map(|why| format!("{why} ({})", path.display())));
    };
    if !signature.exists() {
        return Err(Error::invalid(format!(
            "{} is not beside the manifest: hand back both files the receiving desk has",
            signature.display()
        )));
    }
    let problem = check_package(
        vault,
        &read(&manifest, manifest_limit)?,
        &read(&signature, 1024)?,
    )?;
    Ok(problem.map(|why| format!("{why} ({})", manifest.display())))
}

/// Checks the log against the checkpoint a referral package carries: its `manifest.json` and
/// `manifest.sig` as the receiving desk has them (`silta referral open --out DIR` writes both),
/// handed back. The manifest must be signed by this vault's organisation. `None` when the log
/// still holds, unchanged, the entry the package's checkpoint saw; otherwise what is wrong.
/// (`check_path` has read both, bounded.)
fn check_package(vault: &Vault, manifest: &[u8], signature: &[u8]) -> Result<Option<String>> {
    let bad = |why: &str| Error::invalid(format!("not a usable referral manifest: {why}"));
    let parsed: crate::referral::Manifest =
        serde_json::from_slice(manifest).map_err(|_| bad("it is not one"))?;
    if parsed.format != "silta-referral" || parsed.version != 1 {
        return Err(bad("it is not one of version 1"));
    }
    parsed.sender.check()?;
    parsed.sender.verify(manifest, signature)?;
    if parsed.sender.signing_key != org::keys(vault)?.card()?.signing_key {
        return Err(bad("it was not sent by this vault's organisation"));
    }
    let seen = parsed
        .audit_checkpoint
        .ok_or_else(|| bad("it carries no checkpoint of the log"))?;
    let by = format!(
        "the referral package {} sent {}",
        parsed.package,
        parsed.created.format("%Y-%m-%d %H:%M UTC")
    );
    audit::against_checkpoint(vault, &seen, &by)
}

/// Checks the log against a checkpoint file: `None` when the log still holds, unchanged, the
/// entry the checkpoint saw; otherwise what is wrong.
pub fn check(vault: &Vault, bytes: &[u8]) -> Result<Option<String>> {
    let payload = read(vault, bytes)?;
    let by = format!(
        "the checkpoint made {}",
        payload.made.format("%Y-%m-%d %H:%M UTC")
    );
    audit::against_checkpoint(vault, &payload.checkpoint, &by)
}
