//! Where passphrases and the recovery key come from: a file, an environment variable, or the
//! terminal. They are held in zeroizing types and never echoed.

use std::path::Path;

use silta_core::vault::{KdfParams, Passphrase, RecoveryKey};
use silta_core::{Error, Result};
use zeroize::Zeroizing;

use crate::args::NewSecret;

fn first_line(path: &Path) -> Result<Zeroizing<String>> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|source| Error::Io {
        action: "read the secret from",
        path: path.to_path_buf(),
        source,
    })?);
    Ok(Zeroizing::new(
        text.lines().next().unwrap_or_default().to_string(),
    ))
}

fn prompt(label: &str) -> Result<Zeroizing<String>> {
    rpassword::prompt_password(label)
        .map(Zeroizing::new)
        .map_err(|_| {
            Error::InvalidInput(
                "no terminal to ask for a passphrase on: use --passphrase-file FILE or SILTA_PASSPHRASE"
                    .into(),
            )
        })
}

/// The passphrase that unlocks the vault.
pub fn passphrase(file: Option<&Path>, user: Option<&str>) -> Result<Passphrase> {
    let text = match (file, std::env::var("SILTA_PASSPHRASE")) {
        (Some(f), _) => first_line(f)?,
        (None, Ok(v)) => Zeroizing::new(v),
        (None, Err(_)) => prompt(&match user {
            Some(u) => format!("Passphrase for {u}: "),
            None => "Passphrase: ".to_string(),
        })?,
    };
    Ok(Passphrase::new(&text))
}

/// A new passphrase: from --new-passphrase-file, SILTA_NEW_PASSPHRASE, or asked twice.
pub fn new_passphrase(secret: &NewSecret, whose: &str) -> Result<Passphrase> {
    let text = match (
        &secret.new_passphrase_file,
        std::env::var("SILTA_NEW_PASSPHRASE"),
    ) {
        (Some(f), _) => first_line(f)?,
        (None, Ok(v)) => Zeroizing::new(v),
        (None, Err(_)) => {
            let first = prompt(&format!("New passphrase for {whose}: "))?;
            let again = prompt("Once more: ")?;
            if *first != *again {
                return Err(Error::InvalidInput(
                    "the two passphrases differ: nothing was changed; try again".into(),
                ));
            }
            first
        }
    };
    let pass = Passphrase::new(&text);
    pass.check_new()?;
    Ok(pass)
}

pub fn kdf(secret: &NewSecret) -> Result<KdfParams> {
    let d = KdfParams::DEFAULT;
    KdfParams::new(
        secret
            .kdf_memory_mib
            .map_or(d.memory_kib(), |m| m.saturating_mul(1024)),
        secret.kdf_passes.unwrap_or(d.passes()),
        d.lanes(),
    )
}

pub fn recovery_key(file: Option<&Path>) -> Result<RecoveryKey> {
    let text = match (file, std::env::var("SILTA_RECOVERY_KEY")) {
        (Some(f), _) => first_line(f)?,
        (None, Ok(v)) => Zeroizing::new(v),
        (None, Err(_)) => prompt("Recovery key: ")?,
    };
    RecoveryKey::parse(&text)
}

/// The sync user's password: from --password-file, SILTA_SYNC_PASSWORD, or asked.
pub fn sync_password(file: Option<&Path>) -> Result<Zeroizing<String>> {
    match (file, std::env::var("SILTA_SYNC_PASSWORD")) {
        (Some(f), _) => first_line(f),
        (None, Ok(v)) => Ok(Zeroizing::new(v)),
        (None, Err(_)) => prompt("Sync password: "),
    }
}

/// The server administrator's password, to delete a removed laptop's user: from
/// --admin-password-file, SILTA_SYNC_ADMIN_PASSWORD, or asked.
pub fn admin_password(file: Option<&Path>) -> Result<Zeroizing<String>> {
    match (file, std::env::var("SILTA_SYNC_ADMIN_PASSWORD")) {
        (Some(f), _) => first_line(f),
        (None, Ok(v)) => Ok(Zeroizing::new(v)),
        (None, Err(_)) => prompt("The server administrator's password: "),
    }
}

/// A new laptop's sync password, for its enrolment: from --password-file,
/// SILTA_NEW_SYNC_PASSWORD, or asked (never this laptop's own SILTA_SYNC_PASSWORD).
pub fn new_sync_password(file: Option<&Path>) -> Result<Zeroizing<String>> {
    match (file, std::env::var("SILTA_NEW_SYNC_PASSWORD")) {
        (Some(f), _) => first_line(f),
        (None, Ok(v)) => Ok(Zeroizing::new(v)),
        (None, Err(_)) => prompt("The new laptop's sync password: "),
    }
}
