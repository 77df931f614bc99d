//! Joining a team (docs/sync.md, section 5): the new laptop makes a device key (an age X25519
//! identity) and its fingerprint is read out by phone to a member, whose Silta makes an
//! enrolment package encrypted to that key alone: the team's vault id and keys, the device id
//! it gives the newcomer, and the newcomer's own server login. The newcomer's vault file is made
//! from it, with its own staff member, passphrase and recovery key, and fills up at its first
//! sync.

use std::io::{Read, Write};
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::SyncServer;
use crate::error::{Error, Invalid, Result};
use crate::ids::{RecordId, VaultId};
use crate::org;
use crate::vault::{KdfParams, Passphrase, RecoveryKey, TeamKeys, Vault};

const FORMAT: &str = "silta-enrolment";

/// Packages over this are not read: a real one is under 2 KiB.
const LIMIT: u64 = 64 * 1024;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Package {
    format: String,
    version: u32,
    vault: Uuid,
    /// The key of every epoch, first to current, hex.
    epochs: Vec<String>,
    device: Uuid,
    /// The letter the new device puts in its case numbers (`CaseNumber`).
    series: char,
    server: SyncServer,
    /// The team's first laptop's signing key (`signing::TeamRoster`).
    first: super::signing::Signs,
}

/// The version of enrolments this Silta makes and reads (2: device ids made from signing keys,
/// and the first laptop's key; 3: the first laptop's key always, and in the team fingerprint).
const VERSION: u32 = 3;

/// What the member and the new laptop read to each other once the laptop has joined, so that
/// the laptop knows whose team it joined: an age file to a public device key can be written by
/// anyone, and only this shows it came from the team (the vault id, the server, and the first
/// laptop's keys, which decide whose entries the new laptop takes as the first laptop's).
fn fingerprint(vault: Uuid, server: &SyncServer, first: &super::signing::Signs) -> String {
    org::fingerprint(&[
        "silta-team",
        &vault.to_string(),
        &server.url,
        &server.database,
        &first.key,
        &first.age,
        &first.from.to_string(),
        &first.before,
    ])
}

/// The team fingerprint as a member's laptop shows it, for `server` (the new laptop's login to
/// the team's server and database).
pub fn team_fingerprint(vault: &Vault, server: &SyncServer) -> Result<String> {
    Ok(fingerprint(
        vault.id().uuid(),
        server,
        &super::signing::first_for_enrolment(vault)?,
    ))
}

/// Makes the enrolment package for the device whose key is `recipient`, once its fingerprint,
/// read out by phone, is `confirmed`. `server` is the login the administrator made for it.
pub fn enrol(
    vault: &Vault,
    recipient: &str,
    confirmed: &str,
    server: SyncServer,
) -> Result<Vec<u8>> {
    let mut made = Vec::new();
    enrol_into(vault, recipient, confirmed, server, |package| {
        made = package.to_vec();
        Ok(())
    })?;
    Ok(made)
}

/// Makes the enrolment and hands it to `deliver`; the new laptop is put on the team's list,
/// and the enrolment logged, only with it delivered (a file that could not be written lists
/// no laptop that will never join).
fn enrol_into(
    vault: &Vault,
    recipient: &str,
    confirmed: &str,
    server: SyncServer,
    deliver: impl FnOnce(&[u8]) -> Result<()>,
) -> Result<()> {
    let key = super::signing::PublicDeviceKey::from_str(recipient)?;
    let normal = |f: &str| {
        f.chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>()
            .to_uppercase()
    };
    if normal(confirmed) != normal(&key.fingerprint()) {
        return Err(Error::DeviceFingerprintMismatch);
    }
    server.check()?;
    // The first laptop's history is what every laptop that joins takes first, whole.
    if vault.device()?.is_none() && crate::audit::upgraded(vault)? {
        return Err(Error::InvalidInput(Invalid::OlderVaultCannotStartTeam));
    }
    let series = crate::audit::free_series(vault)?.ok_or_else(|| {
        Error::InvalidInput(
            "the team has used every case-number series (B to Z): no more laptops can join"
                .to_string()
                .into(),
        )
    })?;
    // The id names the key: no list decides whose key is whose (`signing`). A key used before
    // would give the new laptop the id, and the history, of another.
    let device = key.device();
    if super::team::is_listed(vault, device)? {
        return Err(Error::InvalidInput(Invalid::DeviceKeyAlreadyListed));
    }
    let team = vault.team_keys();
    vault.write(|v| {
        // On the team's list, this laptop and the new one: later keys are sent to the laptops
        // on it (`team`), and their entries checked with the signing keys it names.
        let own = super::server(v)?.map(|s| s.user).unwrap_or_default();
        super::team::list_self(v, &own)?;
        super::team::list_enrolled(v, series, &key, &server.user)?;
        let package = Package {
            format: FORMAT.into(),
            version: VERSION,
            vault: team.vault.uuid(),
            epochs: team
                .epochs
                .iter()
                .map(|k| hex::encode(k.as_slice()))
                .collect(),
            device,
            series,
            server: server.clone(),
            first: super::signing::first_for_enrolment(v)?,
        };
        let out = seal_to(&key.age, &package)?;
        crate::audit::log(v, {
            let mut e = crate::audit::Event::new(crate::audit::Action::Export);
            e.detail = Some(format!(
                "enrolment of device {} ({}), {} {}",
                package.device,
                package.server.user,
                crate::audit::SERIES,
                package.series
            ));
            e
        })?;
        deliver(&out)
    })
}

/// `package` as an age file to the new laptop's device key alone.
fn seal_to(key: &age::x25519::Recipient, package: &Package) -> Result<Vec<u8>> {
    let json = Zeroizing::new(
        serde_json::to_vec(package)
            .map_err(|e| Error::invalid(format!("cannot encode an enrolment: {e}")))?,
    );
    let encryptor = age::Encryptor::with_recipients(std::iter::once(key as &dyn age::Recipient))
        .map_err(|e| Error::invalid(format!("cannot encrypt to the device key: {e}")))?;
    let mut out = Vec::new();
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| Error::invalid(format!("cannot encrypt the enrolment: {e}")))?;
    writer
        .write_all(&json)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|e| Error::invalid(format!("cannot encrypt the enrolment: {e}")))?;
    Ok(out)
}

/// `enrol`, written to the new file `out` (owner-only; never over another file).
pub fn enrol_to_file(
    vault: &Vault,
    recipient: &str,
    confirmed: &str,
    server: SyncServer,
    out: &Path,
) -> Result<()> {
    let written = std::cell::Cell::new(false);
    let made = enrol_into(vault, recipient, confirmed, server, |package| {
        crate::private_files::write_file(out, package)?;
        written.set(true);
        Ok(())
    });
    if made.is_err() && written.get() {
        // Written, but the log entry did not land: the file goes too, so that what opens the
        // team's data exists only with its record.
        let _ = std::fs::remove_file(out);
    }
    made
}

/// `enrol_to_file` for a laptop that logs in to this laptop's server and database as `login`
/// with `password` (the user the administrator made for it): the team fingerprint the new laptop
/// will show once joined, to compare by phone.
pub fn enrol_laptop(
    vault: &Vault,
    recipient: &str,
    confirmed: &str,
    (login, password): (&str, &str),
    out: &Path,
) -> Result<String> {
    let own = super::server(vault)?.ok_or_else(|| {
        Error::InvalidInput(
            "set this laptop's sync server first: the new laptop syncs with the same one"
                .to_string()
                .into(),
        )
    })?;
    let server = SyncServer {
        user: login.trim().to_string(),
        password: password.to_string(),
        ..own
    };
    enrol_to_file(vault, recipient, confirmed, server.clone(), out)?;
    // Once enrolled: the first laptop makes its device key at its first enrolment.
    let fingerprint = team_fingerprint(vault, &server)?;
    // The new laptop takes the first laptop's entries from before the team only whole, up to
    // the one its enrolment names: they go to the server now if it can be reached (else at
    // this laptop's next sync; the enrolment is made either way).
    let _ = super::push(vault);
    Ok(fingerprint)
}

/// A vault made by joining, its recovery key (shown once), and the team fingerprint to read back
/// to the member who made the enrolment.
pub struct Joined {
    pub vault: Vault,
    pub recovery: RecoveryKey,
    pub team_fingerprint: String,
}

/// Makes this device's vault at `path` from an enrolment package opened with its device key,
/// and deletes the package.
pub fn join(
    path: &Path,
    user: &str,
    passphrase: &Passphrase,
    kdf: KdfParams,
    package: &Path,
    identity: &age::x25519::Identity,
) -> Result<Joined> {
    let bad = |why: &str| Error::EnrolmentUnusable(format!("it {why}"));
    let file = std::fs::File::open(package).map_err(Error::io("read", package))?;
    let decryptor = age::Decryptor::new(std::io::BufReader::new(file.take(LIMIT)))
        .map_err(|_| bad("is not an age file"))?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|_| bad("was made for another device key"))?;
    let mut json = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut json)
        .map_err(|_| bad("is damaged or truncated"))?;
    let p: Package = serde_json::from_slice(&json).map_err(|_| bad("is not one Silta reads"))?;
    if p.format != FORMAT {
        return Err(bad("is not one Silta reads"));
    }
    if p.version != VERSION {
        return Err(Error::EnrolmentOtherVersion { version: p.version });
    }
    // The nil id is the team's first device (`audit::Chains`): no other device may take it.
    if p.device.is_nil() {
        return Err(bad("names no device"));
    }
    if !('B'..='Z').contains(&p.series) {
        return Err(bad("names no case-number series"));
    }
    let epochs = p
        .epochs
        .iter()
        .map(|h| {
            let mut key = Zeroizing::new([0u8; 32]);
            hex::decode_to_slice(h, key.as_mut_slice())
                .map(|()| key)
                .map_err(|_| bad("holds a damaged key"))
        })
        .collect::<Result<Vec<_>>>()?;
    let team = TeamKeys {
        vault: VaultId::from_uuid(p.vault),
        epochs,
    };
    let fingerprint = fingerprint(p.vault, &p.server, &p.first);
    let signer = super::signing::DeviceSigner::of(identity)?;
    // This laptop's id names its signing key, as the member typed it: its entries count only
    // signed with it.
    if p.device != super::signing::PublicDeviceKey::of(identity)?.device() {
        return Err(bad("does not name this laptop's signing key"));
    }
    let (vault, recovery) = Vault::join(
        path,
        user,
        passphrase,
        kdf,
        &team,
        (p.device, p.series),
        signer,
    )?;
    super::configure(&vault, p.server)?;
    super::team::keep_device_key(&vault, identity)?;
    vault.insert(None, &super::signing::TeamRoster { first: p.first })?;
    // The package opens the team's data to whoever also holds the device key: once used, it
    // goes. (The device key file is the user's to delete; it is needed for nothing more.)
    let _ = std::fs::remove_file(package);
    Ok(Joined {
        vault,
        recovery,
        team_fingerprint: fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{KdfParams, Passphrase};

    #[test]
    fn an_enrolment_from_another_version_of_silta_says_to_update_not_to_make_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let (member, _) = Vault::create(
            &dir.path().join("member.silta"),
            "Kaisa",
            &Passphrase::new("correct horse battery"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
        let device = age::x25519::Identity::generate();
        let key = super::super::signing::PublicDeviceKey::of(&device).unwrap();
        let server = SyncServer {
            url: "https://sync.example.org".into(),
            database: "team".into(),
            user: "laptop-2".into(),
            password: "pw".into(),
        };
        let package = enrol(&member, &key.to_string(), &key.fingerprint(), server).unwrap();
        // The same enrolment, as a Silta with the next version of the format would write it.
        let mut json = Vec::new();
        age::Decryptor::new(&package[..])
            .unwrap()
            .decrypt(std::iter::once(&device as &dyn age::Identity))
            .unwrap()
            .read_to_end(&mut json)
            .unwrap();
        let mut newer: serde_json::Value = serde_json::from_slice(&json).unwrap();
        newer["version"] = (VERSION + 1).into();
        let file = dir.path().join("enrolment.age");
        std::fs::write(
            &file,
            age::encrypt(&device.to_public(), &serde_json::to_vec(&newer).unwrap()).unwrap(),
        )
        .unwrap();
        let vault = dir.path().join("joined.silta");
        let joined = join(
            &vault,
            "Mikko",
            &Passphrase::new("another horse battery"),
            KdfParams::CHEAP_FOR_TESTS,
            &file,
            &device,
        );
        assert!(
            matches!(joined, Err(Error::EnrolmentOtherVersion { version }) if version == VERSION + 1),
            "{:?}",
            joined.err()
        );
        assert!(!vault.exists(), "nothing made");
    }
}
