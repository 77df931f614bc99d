//! The team's laptops and their keys (docs/sync.md, section 7, "Removing a laptop"). Each laptop
//! keeps a device key (an age X25519 identity) in its own file: the one it joined with, or, for
//! the team's first laptop, one made at its first enrolment. The team's list of laptops, shared,
//! names each one's public device key, its case-number series and its server login; a member
//! enrolling a laptop puts it on the list. A listing is never changed or deleted: each is taken
//! as its entry wrote it, at the id that entry names, and a removal is a listing of its own that
//! marks the laptop removed. So nothing a member writes later undoes a removal or takes a laptop
//! off the list.
//!
//! When a laptop changes the vault's key (removing a laptop from the team, or a key change of
//! its own), it sends the new key to every other laptop on the list still in the team: a grant
//! encrypted to that laptop's device key, in a record sealed under the key before, so that the
//! laptop can open it. A removed laptop gets none, and its server user is deleted. Each laptop
//! takes the next key at its next pull, before anything else, and its slots get grants to it.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::SyncServer;
use crate::audit::Entry;
use crate::error::{Error, Result};
use crate::ids::{CounterId, RecordId, TeamDeviceId, TeamGrantId};
use crate::vault::replica::Incoming;
use crate::vault::{Record, Stored, Vault};

/// The record kind of a laptop on the team's list (shared).
pub(crate) const DEVICE_KIND: &str = "team_device";
/// The record kind of a new key epoch's key sent to one laptop (shared).
pub(crate) const GRANT_KIND: &str = "team_grant";
/// The record kind of this laptop's own device key (never shared).
pub(crate) const DEVICE_KEY_KIND: &str = "device_key";
/// The record kind of a removal learnt from a grant (never shared).
pub(crate) const CUT_KIND: &str = "team_cut";

/// A laptop of the team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamDevice {
    /// Its device id; `None` for the team's first laptop.
    pub device: Option<Uuid>,
    /// The letter in its case numbers; `None` for the first laptop, whose numbers have none.
    pub series: Option<char>,
    /// Its device key (`age1…`): what later keys are sent to.
    pub key: String,
    /// Its signing key (Ed25519, 64 hex digits; `signing`), for its fingerprint. (What checks
    /// its entries is its id, made from this key, or for the first laptop the enrolment.)
    /// Absent in lists written before Silta signed entries.
    #[serde(default)]
    pub signing: Option<String>,
    /// The user it logs in to the server as.
    pub login: String,
    /// A removal (a listing of its own, beside the laptop's first): the last entry of its chain
    /// the team takes (0: none). It is sent no later key, its server user is deleted, and what it
    /// writes after is refused.
    pub removed_after: Option<u64>,
}

impl Record for TeamDevice {
    const KIND: &'static str = DEVICE_KIND;
    type Id = TeamDeviceId;
}

/// This laptop's device key, sealed in its file like every record and never shared.
#[derive(Clone, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceKey {
    /// `AGE-SECRET-KEY-1…`
    identity: String,
    /// The team's first laptop: the first entry it signed (what it wrote before the team began
    /// is unsigned). Absent on a laptop that joined, which signs from its first entry.
    #[serde(default)]
    signs_from: Option<u64>,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey").finish_non_exhaustive()
    }
}

impl Record for DeviceKey {
    const KIND: &'static str = DEVICE_KEY_KIND;
    type Id = CounterId;
}

/// A laptop removed from the team, as a grant carries it (`TeamGrant::removed`) and a laptop
/// that took the grant keeps it (`TeamCut`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Cut {
    pub device: Option<Uuid>,
    /// The last entry of its chain the team takes.
    pub after: u64,
}

/// A removal this laptop learnt from a grant of a key it took, before (or without) the removal
/// itself reaching it in the remover's chain: its own, never shared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamCut {
    pub cut: Cut,
}

impl Record for TeamCut {
    const KIND: &'static str = CUT_KIND;
    type Id = CounterId;
}

/// The key of key epoch `epoch`, for one laptop of the team (`vault::epochs::team_grant`), hex.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamGrant {
    pub device: Option<Uuid>,
    pub epoch: u32,
    pub grant: String,
    /// Every laptop removed from the team as the sender knows it: the laptop that takes the key
    /// refuses them too, even if the removal itself has not reached it yet.
    #[serde(default)]
    pub removed: Vec<Cut>,
    /// The sending laptop's signature (`signing`), hex.
    #[serde(default)]
    pub signature: Option<String>,
}

impl Record for TeamGrant {
    const KIND: &'static str = GRANT_KIND;
    type Id = TeamGrantId;
}

/// This laptop's device key, if it has one.
fn own_key(v: &Vault) -> Result<Option<age::x25519::Identity>> {
    let Some(stored) = v.list::<DeviceKey>(None)?.into_iter().next() else {
        return Ok(None);
    };
    age::x25519::Identity::from_str(&stored.record.identity)
        .map(Some)
        .map_err(|_| Error::Integrity {
            what: "this laptop's device key".into(),
        })
}

/// The key this laptop signs its entries with: from its device key, if it has one.
pub(crate) fn own_signer(v: &Vault) -> Result<Option<super::signing::DeviceSigner>> {
    own_key(v)?
        .map(|identity| super::signing::DeviceSigner::of(&identity))
        .transpose()
}

/// Keeps `identity` as this laptop's device key, and signs with it from now on: the key a laptop
/// joined with, or the first laptop's, which signs from the entry that keeps it.
pub(crate) fn keep_device_key(v: &Vault, identity: &age::x25519::Identity) -> Result<()> {
    use age::secrecy::ExposeSecret;
    v.set_signer(super::signing::DeviceSigner::of(identity)?);
    let signs_from = match v.device()? {
        None => Some(crate::audit::next_seq(&crate::audit::head(v)?)),
        Some(_) => None,
    };
    v.insert(
        None,
        &DeviceKey {
            identity: identity.to_string().expose_secret().to_string(),
            signs_from,
        },
    )
    .map(|_| ())
}

/// The first laptop's own signing key and the first entry it signed, for an enrolment: a device
/// key made before Silta signed gets its start now (what it wrote before is unsigned).
pub(crate) fn own_signs(v: &Vault) -> Result<Option<super::signing::Signs>> {
    let Some(stored) = v.list::<DeviceKey>(None)?.into_iter().next() else {
        return Ok(None);
    };
    let Some(identity) = own_key(v)? else {
        return Ok(None);
    };
    let public = super::signing::PublicDeviceKey::of(&identity)?;
    let from = match stored.record.signs_from {
        Some(from) => from,
        None => {
            let from = crate::audit::next_seq(&crate::audit::head(v)?);
            let mut started = stored.record.clone();
            started.signs_from = Some(from);
            v.update(&stored, &started)?;
            from
        }
    };
    // The entry before names the whole unsigned run (each entry's `prev` is the one before's).
    let before = match from.checked_sub(1).filter(|n| *n > 0) {
        None => String::new(),
        Some(n) => crate::audit::mac_of(
            v,
            &v.get::<crate::audit::Entry>(crate::ids::AuditId::from_uuid(
                v.tagger().device_entry_id(None, n),
            ))?
            .record,
        )?,
    };
    Ok(Some(super::signing::Signs {
        key: public.signing_hex(),
        age: public.age.to_string(),
        from,
        before,
    }))
}

/// The team's listings, each as its entry wrote it (this file never takes a later version).
fn list(v: &Vault) -> Result<Vec<Stored<TeamDevice>>> {
    v.list::<TeamDevice>(None)
}

/// Whether any listing names the laptop `device`.
pub(crate) fn is_listed(v: &Vault, device: Uuid) -> Result<bool> {
    Ok(list(v)?.iter().any(|d| d.record.device == Some(device)))
}

/// Puts `listing` on the team's list at the id its own entry names (`Tagger::listing_id`).
pub(crate) fn insert_listing(v: &Vault, listing: &TeamDevice) -> Result<()> {
    v.write(|v| {
        let seq = crate::audit::next_seq(&crate::audit::head(v)?);
        let id = TeamDeviceId::from_uuid(v.tagger().listing_id(v.device()?, seq));
        v.insert_with_id(id, None, listing).map(|_| ())
    })
}

/// Whether the row `entry` wrote of the team's list is taken: only a listing created, as
/// version 1, at the id that entry names (so a later version, a deletion, or a listing at an
/// id of another laptop's entry, is not: a member's, rewriting or hiding a listing; the entry
/// itself is taken, and what it wrote is not, here and in the replay of `audit::verify`).
pub(crate) fn takes_listing(tagger: &crate::vault::ledger::Tagger, entry: &Entry) -> bool {
    entry.kind.as_deref() == Some(DEVICE_KIND)
        && entry.action == crate::audit::Action::Created
        && entry.version == Some(1)
        && entry.target == Some(tagger.listing_id(entry.device, entry.seq))
}

/// Puts this laptop on the team's list, with a device key made now if it has none (the team's
/// first laptop, at its first enrolment), so that later keys can be sent to it.
pub(crate) fn list_self(v: &Vault, login: &str) -> Result<()> {
    let own = v.device()?;
    if list(v)?.iter().any(|d| d.record.device == own) {
        return Ok(());
    }
    let key = match own_key(v)? {
        Some(key) => key,
        None => {
            let key = age::x25519::Identity::generate();
            keep_device_key(v, &key)?;
            key
        }
    };
    let public = super::signing::PublicDeviceKey::of(&key)?;
    insert_listing(
        v,
        &TeamDevice {
            device: own,
            series: crate::audit::series_of(v)?,
            key: public.age.to_string(),
            signing: Some(public.signing_hex()),
            login: login.to_string(),
            removed_after: None,
        },
    )
}

/// Puts a laptop being enrolled on the team's list.
pub(crate) fn list_enrolled(
    v: &Vault,
    series: char,
    key: &super::signing::PublicDeviceKey,
    login: &str,
) -> Result<()> {
    insert_listing(
        v,
        &TeamDevice {
            device: Some(key.device()),
            series: Some(series),
            key: key.age.to_string(),
            signing: Some(key.signing_hex()),
            login: login.to_string(),
            removed_after: None,
        },
    )
}

/// Where the chains of laptops removed from the team end, as this file's list says, by device
/// (the first as the nil UUID): final.
pub(crate) fn chain_ends(v: &Vault) -> Result<std::collections::HashMap<Uuid, u64>> {
    let mut ends = std::collections::HashMap::new();
    for cut in marked(&list(v)?) {
        end_at(&mut ends, cut);
    }
    Ok(ends)
}

/// `ends` with the removals learnt from grants of keys this laptop took: what they cut waits
/// until the removal itself, in the remover's chain, reaches this laptop (a member's own key
/// change could otherwise name every other laptop removed).
pub(crate) fn with_learnt(
    v: &Vault,
    mut ends: std::collections::HashMap<Uuid, u64>,
) -> Result<std::collections::HashMap<Uuid, u64>> {
    for c in v.list::<TeamCut>(None)? {
        end_at(&mut ends, c.record.cut.clone());
    }
    Ok(ends)
}

/// `ends` with the removals `incoming` marks: listings this pull takes (the caller passes only
/// those whose entry it takes, so that a mark no entry vouches for cuts no one off).
pub(crate) fn with_marks(
    v: &Vault,
    mut ends: std::collections::HashMap<Uuid, u64>,
    incoming: &[&crate::vault::replica::Received],
) -> std::collections::HashMap<Uuid, u64> {
    for r in incoming {
        if let Some((d, _, _)) = v.open_received::<TeamDevice>(r) {
            if let Some(after) = d.removed_after {
                end_at(
                    &mut ends,
                    Cut {
                        device: d.device,
                        after,
                    },
                );
            }
        }
    }
    ends
}

/// A chain ends at the earliest removal of its laptop.
fn end_at(ends: &mut std::collections::HashMap<Uuid, u64>, cut: Cut) {
    let end = ends
        .entry(cut.device.unwrap_or_default())
        .or_insert(cut.after);
    *end = (*end).min(cut.after);
}

/// Sends the current key epoch's key to every other laptop still in the team, in the caller's
/// transaction (`Vault::change_key_for_team`): the series letters of those it went to (`'A'` for
/// the first laptop).
pub(crate) fn send_epoch(v: &Vault) -> Result<Vec<char>> {
    let own = v.device()?;
    let epoch = v.epoch();
    // In the order of their series letters (listings' ids tell nothing of order).
    let mut listed = list(v)?;
    listed.sort_by_key(|d| d.record.series);
    let known_cuts = cuts(v, &listed)?;
    let removed: std::collections::HashSet<Option<Uuid>> =
        known_cuts.iter().map(|c| c.device).collect();
    // Each laptop is sent the key once (one listed twice, by two members who enrolled before
    // they synced, has two records).
    let mut sent_to = std::collections::HashSet::new();
    let mut sent = Vec::new();
    let first_age = super::signing::first_age(v)?;
    for d in listed
        .into_iter()
        .filter(|d| d.record.device != own && !removed.contains(&d.record.device))
    {
        // Only to the age key that is the laptop's: the one its id is made from, or the first
        // laptop's as this laptop's enrolment named it. A listing naming another was not written
        // for it (a member's, sending its keys elsewhere); a key that does not parse was not
        // written by Silta. That laptop is skipped, not the key change (it cannot take the
        // key, and shows it by refusing what is sealed under it).
        let Some(to) = age_key_of(&d.record, first_age.as_ref()) else {
            continue;
        };
        if !sent_to.insert(d.record.device) {
            continue;
        }
        let mut grant = TeamGrant {
            device: d.record.device,
            epoch,
            grant: hex::encode(v.team_grant(d.record.device, &to)?),
            removed: known_cuts.clone(),
            signature: None,
        };
        super::signing::sign_grant(v, &mut grant)?;
        v.insert_under_epoch(epoch - 1, None, &grant)?;
        sent.push(d.record.series.unwrap_or('A'));
    }
    Ok(sent)
}

/// The age key keys are sent to for a listed laptop, if the listing is the laptop's own.
fn age_key_of(
    d: &TeamDevice,
    first: Option<&age::x25519::Recipient>,
) -> Option<age::x25519::Recipient> {
    match d.device {
        // The first laptop's, only at the age key the enrolment named.
        None => first.filter(|f| f.to_string() == d.key).cloned(),
        // An id made from no keys (the nil one, a random one) names no age key.
        Some(id) => {
            let key = super::signing::PublicDeviceKey::from_str(&format!(
                "{}+{}",
                d.key,
                d.signing.as_deref()?
            ))
            .ok()?;
            (key.device() == id).then_some(key.age)
        }
    }
}

/// What a pull found of the team's next key.
pub(crate) enum NextKey {
    None,
    /// Taken: everything sealed under it can be opened now, and the caller reads again.
    Taken,
    /// Two grants of that epoch hold different keys: neither is taken.
    Differ(u32),
}

/// Every removal this file knows of: from the team's list (any record of a laptop listed twice),
/// and from the grants of keys it took.
fn cuts(v: &Vault, listed: &[Stored<TeamDevice>]) -> Result<Vec<Cut>> {
    let mut out = marked(listed);
    out.extend(v.list::<TeamCut>(None)?.into_iter().map(|c| c.record.cut));
    Ok(out)
}

/// The removals the team's list marks.
fn marked(listed: &[Stored<TeamDevice>]) -> Vec<Cut> {
    listed
        .iter()
        .filter_map(|d| {
            d.record.removed_after.map(|after| Cut {
                device: d.record.device,
                after,
            })
        })
        .collect()
}

/// The laptops out of the team.
fn removed_devices(
    v: &Vault,
    listed: &[Stored<TeamDevice>],
) -> Result<std::collections::HashSet<Option<Uuid>>> {
    Ok(cuts(v, listed)?.into_iter().map(|c| c.device).collect())
}

/// Takes the next key epoch's key if `docs` hold a grant of it to this laptop. Only a grant
/// sealed under this laptop's current epoch counts: a laptop removed before it holds no key to
/// seal one with. And only signed by the laptop that wrote it (`signing`), one on the team's
/// list and not removed as the list says. Two grants of one epoch holding different keys are
/// refused, both: two laptops changed the key at once, or one of them is not the team's.
pub(crate) fn take_grant(v: &mut Vault, docs: &[(String, String, Incoming)]) -> Result<NextKey> {
    let Some(identity) = own_key(v)? else {
        return Ok(NextKey::None);
    };
    let own = v.device()?;
    let next = v.epoch() + 1;
    let signers = super::signing::signers(v)?;
    let ends = chain_ends(v)?;
    // Each grant with the laptop that wrote it.
    let mut keys = Vec::new();
    for (_, _, incoming) in docs {
        let Incoming::Record(r) = incoming else {
            continue;
        };
        if crate::vault::sealed_epoch(&r.sealed) != Some(v.epoch()) {
            continue;
        }
        let Some((grant, _, from)) = v.open_received::<TeamGrant>(r) else {
            continue;
        };
        if grant.device != own || grant.epoch != next {
            continue;
        }
        let signed =
            signers.check_grant(v.id().uuid(), from, &grant) == super::signing::Check::Good;
        // Removed as this file says: removed at an epoch before, so that any key it sends for
        // the next is sent after.
        if !signed || ends.contains_key(&from.unwrap_or_default()) {
            continue;
        }
        let Ok(bytes) = hex::decode(&grant.grant) else {
            continue;
        };
        if let Some(key) = v.open_team_grant(next, &identity, &bytes)? {
            keys.push((key, grant.removed));
        }
    }
    let Some((first, rest)) = keys.split_first() else {
        return Ok(NextKey::None);
    };
    if rest.iter().any(|(k, _)| k.expose() != first.0.expose()) {
        return Ok(NextKey::Differ(next));
    }
    let (key, removed) = keys.swap_remove(0);
    let listed = list(v)?;
    let known = cuts(v, &listed)?;
    let new: Vec<Cut> = removed.into_iter().filter(|c| !known.contains(c)).collect();
    v.adopt_epoch(
        (next, key),
        &format!("key epoch {next} taken from the team's key change"),
        &|v| {
            for cut in &new {
                v.insert(None, &TeamCut { cut: cut.clone() })?;
            }
            Ok(())
        },
    )?;
    Ok(NextKey::Taken)
}

/// Claims the team's next key epoch on the server, before this laptop makes it (docs/sync.md,
/// "Changing the team's key"): a document at an id made from the epoch, stored only if the
/// server holds none there (CouchDB's own conflict check). Two laptops changing the key between
/// syncs would otherwise make two keys of one epoch, and the team would split in two halves
/// that cannot read each other. So a key change on a laptop of a team needs the server: one
/// that finds the epoch claimed by another laptop takes that laptop's key first and claims the
/// next. A claim in the name of a laptop in `passing` (being removed now) is passed over: its
/// removal takes the epoch. So is one no laptop of the team signed: this laptop's takes its
/// place (one by a laptop it cannot check yet it waits for). A laptop not in a team claims nothing. On success the epoch is marked claimed
/// (`Vault::claimed`), for the key change that follows.
pub(crate) fn claim_next_epoch(
    v: &mut Vault,
    passing: &std::collections::HashSet<Option<Uuid>>,
) -> Result<()> {
    if own_key(v)?.is_none() {
        return Ok(());
    }
    let own = v.device()?;
    let needs_server = |e: Error| match e {
        Error::SyncServer(why) => Error::TeamKeyChangeNeedsServer(why),
        e => e,
    };
    // A round ends, or takes a key a member made and signed, or finds the claim gone or taken by
    // another laptop since it looked. The server cannot keep the first going; the others count,
    // so that a server answering so forever cannot either.
    let mut unsettled = 0;
    loop {
        let epoch = v.epoch() + 1;
        let settings = super::server(v)?
            .ok_or_else(|| Error::TeamKeyChangeNeedsServer("is not set on this laptop".into()))?;
        let couch = super::couch::Couch::connect(&settings).map_err(needs_server)?;
        couch.ensure_database().map_err(needs_server)?;
        let signature = super::signing::sign_claim(v, epoch)?;
        let (id, body) = v.claim_document(own, &signature)?;
        if couch.store_if(&id, None, &body).map_err(needs_server)? {
            v.claimed = Some(epoch);
            return Ok(());
        }
        // The laptop that claimed it may have made the key and sent it since, and the listing
        // of a laptop that joined since may be on its way: a pull takes both.
        let pulled = super::pull(v).map_err(needs_server)?;
        if let Some(differ) = pulled.keys_differ {
            return Err(Error::TeamKeysDiffer(differ));
        }
        if v.epoch() >= epoch {
            continue;
        }
        // Every branch counts: a member can add one to any document (`new_edits: false`, as
        // pushes do), and a claim that stands on any of them holds this laptop back.
        if let Some((rev, leaves)) = couch.leaves(&id).map_err(needs_server)? {
            for held in &leaves {
                match claimant(v, &id, held)? {
                    // Begun here and stopped before the key changed, or a leaving laptop's.
                    Claimant::Laptop(by) if by == own || passing.contains(&by) => {}
                    Claimant::Laptop(by) => {
                        let login = genuine(v)?
                            .into_iter()
                            .find(|d| d.record.device == by)
                            .map_or_else(
                                || "not on this laptop's list".to_string(),
                                |d| d.record.login,
                            );
                        return Err(Error::TeamKeyBeingChanged(login));
                    }
                    Claimant::Nobody => {}
                }
            }
            // This laptop's claim takes the place of what is there, at the revision read: if
            // another laptop's took it since, CouchDB refuses this one as a conflict.
            if couch
                .store_if(&id, Some(&rev), &body)
                .map_err(needs_server)?
            {
                v.claimed = Some(epoch);
                return Ok(());
            }
        }
        unsettled += 1;
        if unsettled == 3 {
            return Err(Error::TeamKeyChangeNeedsServer(
                "keeps answering that the team's next key change is claimed, and then holds no claim there (tell whoever runs the team's sync)".into(),
            ));
        }
    }
}

/// Whose a claim on the server is, as this file sees it.
enum Claimant {
    /// A laptop in the team, which signed it, or one this file cannot check yet (on no list
    /// it holds: its listing may be on its way; or the first laptop, on a laptop whose roster
    /// is missing). Another laptop waits for its key change rather than split the team.
    Laptop(Option<Uuid>),
    /// No laptop's: not a claim, or one not signed by the laptop it names, or by a removed
    /// laptop. Any member can seal such a thing (it holds the key), and it must not stop the
    /// team's key changes: the laptop it names could not be removed past it.
    Nobody,
}

fn claimant(v: &Vault, id: &str, body: &[u8]) -> Result<Claimant> {
    use super::signing::Check;
    let Some(claim) = v.open_claim(id, body) else {
        return Ok(Claimant::Nobody);
    };
    let signers = super::signing::signers(v)?;
    let check = signers.check_claim(v.id().uuid(), &claim);
    let unchecked = check == Check::Unknown
        || (claim.device.is_none() && v.device()?.is_some() && signers.first_signed().is_none());
    let removed = removed_devices(v, &list(v)?)?;
    let in_team = !removed.contains(&claim.device)
        && genuine(v)?.iter().any(|d| d.record.device == claim.device);
    Ok(if unchecked || (check == Check::Good && in_team) {
        Claimant::Laptop(claim.device)
    } else {
        Claimant::Nobody
    })
}

/// Seals this laptop's own secrets kept as records (its device key, its server login) again
/// under the current key epoch, the old versions deleted, in the caller's transaction (a key
/// change): a former member who gets hold of a copy of the file made later cannot open them
/// with the keys it kept.
pub(crate) fn reseal_own_secrets(v: &Vault) -> Result<()> {
    fn reseal<R: Record>(v: &Vault) -> Result<()> {
        for stored in v.list::<R>(None)? {
            v.delete::<R>(stored.id)?;
            v.insert_with_id(stored.id, None, &stored.record)?;
        }
        Ok(())
    }
    reseal::<DeviceKey>(v)?;
    reseal::<SyncServer>(v)
}

/// A laptop of the team, as the CLI lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TeamDeviceView {
    pub login: String,
    /// Its case-number series; `None` for the team's first laptop.
    pub series: Option<char>,
    /// Its device key's fingerprint, as read out when it joined.
    pub fingerprint: String,
    pub removed: bool,
    pub this_laptop: bool,
}

/// The team's laptops this file knows of, each once: as its first listing names it (a laptop
/// listed twice, by two members who enrolled it before they synced, and a removal, are listings
/// of the same laptop).
pub fn devices(v: &Vault) -> Result<Vec<TeamDeviceView>> {
    let own = v.device()?;
    // Removed as any listing of it, or a grant this laptop took, says; shown as its own
    // listings name it.
    let removed = removed_devices(v, &list(v)?)?;
    let mut listed = genuine(v)?;
    // In the order of their case-number series (the first laptop's, none, first); each as its
    // own listing names it rather than a removal.
    listed.sort_by_key(|d| (d.record.series, d.record.removed_after.is_some()));
    let mut seen = std::collections::HashSet::new();
    Ok(listed
        .into_iter()
        .filter(|d| seen.insert(d.record.device))
        .map(|d| TeamDeviceView {
            removed: removed.contains(&d.record.device),
            fingerprint: fingerprint_of(&d.record),
            this_laptop: d.record.device == own,
            login: d.record.login,
            series: d.record.series,
        })
        .collect())
}

/// A listed laptop's fingerprint, as read out when it joined (none, for a listing whose keys do
/// not read).
fn fingerprint_of(d: &TeamDevice) -> String {
    d.signing
        .as_ref()
        .and_then(|signing| {
            super::signing::PublicDeviceKey::from_str(&format!("{}+{signing}", d.key)).ok()
        })
        .map(|k| k.fingerprint())
        .unwrap_or_default()
}

/// The server's administrator, whose login deletes a removed laptop's user.
pub struct ServerAdmin {
    pub user: String,
    pub password: String,
}

/// What removing a laptop did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Removed {
    /// The server users of the laptops removed (one, or every laptop listed with it).
    pub login: String,
    /// The key epoch started: nothing written from now on opens for the removed laptop.
    pub epoch: u32,
    /// The series letters of the laptops sent the new key (`'A'`: the first laptop).
    pub sent_to: Vec<char>,
    /// Whether the old keys have left this file (see `KeyChange::gone_from_files`).
    pub gone_from_files: bool,
    /// Whether the new key reached the server at once; if not, it goes at the next sync.
    pub pushed: bool,
}

/// The team's listings that are their laptops' own: whose keys make their id, or, for the
/// first laptop, that name the age key its enrolment named (on the first laptop itself, its
/// own). A listing a member made up for a laptop, with keys not its own, lists no laptop.
fn genuine(v: &Vault) -> Result<Vec<Stored<TeamDevice>>> {
    // The first laptop's keys, both halves: its own here, or as the enrolment named them.
    let first = match v.device()? {
        None => own_key(v)?
            .map(|k| super::signing::PublicDeviceKey::of(&k))
            .transpose()?
            .map(|k| (k.age.clone(), k.signing_hex())),
        Some(_) => super::signing::first_age(v)?
            .zip(super::signing::first_for_enrolment(v).ok().map(|f| f.key)),
    };
    Ok(list(v)?
        .into_iter()
        .filter(|d| match d.record.device {
            None => first.as_ref().is_some_and(|(age, signing)| {
                d.record.key == age.to_string() && d.record.signing.as_deref() == Some(signing)
            }),
            Some(_) => age_key_of(&d.record, None).is_some(),
        })
        .collect())
}

/// The laptops `who` names, still in the team and not this one, one listing each: the laptop
/// whose fingerprint it is (the app removes by it), or every laptop listed as logging in as it
/// (they log in as that one server user, which is deleted). A laptop listed with that login and
/// another too is named only by its fingerprint: a member may have listed someone else's
/// laptop under its own login.
fn leaving(v: &Vault, who: &str) -> Result<Vec<Stored<TeamDevice>>> {
    let own = v.device()?;
    let removed = removed_devices(v, &list(v)?)?;
    let in_team: Vec<Stored<TeamDevice>> = genuine(v)?
        .into_iter()
        .filter(|d| !removed.contains(&d.record.device))
        .collect();
    let hex = |s: &str| {
        s.chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>()
            .to_uppercase()
    };
    // A fingerprint is 32 hex digits (a login of none would match an unreadable one's).
    let wanted = hex(who);
    let by_fingerprint: std::collections::HashSet<Option<Uuid>> = in_team
        .iter()
        .filter(|d| wanted.len() == 32 && hex(&fingerprint_of(&d.record)) == wanted)
        .map(|d| d.record.device)
        .collect();
    let named = if by_fingerprint.is_empty() {
        let by_login: std::collections::HashSet<Option<Uuid>> = in_team
            .iter()
            .filter(|d| d.record.login == who)
            .map(|d| d.record.device)
            .collect();
        if let Some(both) = in_team
            .iter()
            .find(|d| by_login.contains(&d.record.device) && d.record.login != who)
        {
            return Err(Error::InvalidInput(
                format!(
                    "the laptop whose fingerprint is {} is listed as logging in as both {who:?} and {:?}: remove it by its fingerprint (`silta sync team` lists them), after comparing it with the laptop itself",
                    fingerprint_of(&both.record),
                    both.record.login
                )
                .into(),
            ));
        }
        by_login
    } else {
        by_fingerprint
    };
    let mut seen = std::collections::HashSet::new();
    let leaving: Vec<Stored<TeamDevice>> = in_team
        .into_iter()
        .filter(|d| named.contains(&d.record.device) && seen.insert(d.record.device))
        .collect();
    if leaving.is_empty() {
        return Err(Error::InvalidInput(
            format!(
                "no laptop of the team logs in as {who:?} or has that fingerprint: `silta sync team` lists them (sync first, if it joined on another laptop)"
            )
            .into(),
        ));
    }
    if leaving.iter().any(|d| d.record.device == own) {
        return Err(Error::InvalidInput(
            "a laptop cannot remove itself from the team: another member removes it"
                .to_string()
                .into(),
        ));
    }
    Ok(leaving)
}

/// Removes the laptop `who` names (its server user, or its fingerprint: `leaving`) from the
/// team: its server user is deleted (with the administrator's login), and a new key epoch
/// starts whose key goes to every other laptop still in the team, so that nothing written from
/// now on opens for it, even with a login of someone else's or a copy of the server's files.
pub fn remove(v: &mut Vault, who: &str, admin: &ServerAdmin) -> Result<Removed> {
    let server = super::configured(v)?;
    // Asked before anything goes to the server, and again after the pull below.
    leaving(v, who)?;
    // What it wrote up to now, as far as the server has it, is taken first: its chain ends
    // where this laptop has taken it, and the others refuse the rest.
    super::pull(v)?;
    let leaving = leaving(v, who)?;
    let devices: std::collections::HashSet<Option<Uuid>> =
        leaving.iter().map(|d| d.record.device).collect();
    let admin = super::couch::Couch::connect(&SyncServer {
        user: admin.user.clone(),
        password: admin.password.clone(),
        ..server
    })?;
    // The administrator's name and password are tried before the claim: a claim takes the place
    // of a leaving laptop's on the server, and a removal that failed after it would leave this
    // laptop's there, which a later key change that removes no one would go on from.
    for login in logins_of(v, &devices)? {
        admin.user_rev(&login)?;
    }
    // The new epoch is claimed before any login goes: a removal that cannot change the key
    // changes nothing. (Its pull may take more of what the leaving laptops wrote.)
    claim_next_epoch(v, &devices)?;
    let removed = remove_claimed(v, &leaving, &devices, &admin);
    if removed.is_err() {
        v.claimed = None;
    }
    removed
}

/// The server users of the laptops `devices`: every user they are listed with, but one a
/// laptop staying in the team is listed with too (a member listing a laptop under others'
/// logins must not make its removal shut them out: that laptop is removed by its own login
/// then, with the others listed with it), and one that is no server user Silta could have made
/// (a member's listing, never a user).
fn logins_of(v: &Vault, devices: &std::collections::HashSet<Option<Uuid>>) -> Result<Vec<String>> {
    let removed = removed_devices(v, &list(v)?)?;
    let listed = genuine(v)?;
    let mut logins: Vec<String> = listed
        .iter()
        .filter(|d| devices.contains(&d.record.device))
        .map(|d| d.record.login.clone())
        .filter(|login| {
            super::couch::is_user_name(login)
                && !listed.iter().any(|d| {
                    d.record.login == *login
                        && !devices.contains(&d.record.device)
                        && !removed.contains(&d.record.device)
                })
        })
        .collect();
    logins.sort();
    logins.dedup();
    Ok(logins)
}

/// `remove`, once the new epoch is claimed.
fn remove_claimed(
    v: &mut Vault,
    leaving: &[Stored<TeamDevice>],
    devices: &std::collections::HashSet<Option<Uuid>>,
    admin: &super::couch::Couch,
) -> Result<Removed> {
    for login in &logins_of(v, devices)? {
        admin.delete_user(login)?;
    }
    // Each chain ends where this laptop has taken it to: what it wrote and this laptop has not
    // taken is refused too, as it cannot be told from what it writes after.
    let received = crate::audit::received(v)?;
    let marks: Vec<TeamDevice> = leaving
        .iter()
        .map(|d| TeamDevice {
            removed_after: Some(
                received
                    .get(&d.record.device.unwrap_or_default())
                    .map_or(0, |at| at.seq),
            ),
            ..d.record.clone()
        })
        .collect();
    let names = leaving
        .iter()
        .map(|d| d.record.login.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let change = v.change_key_for_team(&format!("laptop {names} removed from the team"), &|v| {
        marks.iter().try_for_each(|m| insert_listing(v, m))
    })?;
    // The new key goes out at once: the laptops left take it at their next pull. Were the
    // server gone now, the next sync sends it; the removal itself is done.
    let pushed = super::push(v).is_ok();
    Ok(Removed {
        login: names,
        epoch: v.epoch(),
        sent_to: change.sent_to,
        gone_from_files: change.gone_from_files,
        pushed,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::vault::{KdfParams, Passphrase};

    pub(crate) fn server() -> SyncServer {
        SyncServer {
            url: "https://sync.example.org".into(),
            database: "team".into(),
            user: "laptop-2".into(),
            password: "pw".into(),
        }
    }

    /// Laptop 1 and a laptop 2 that joined it, offline (no server is needed to join). Their key
    /// changes claim no epoch: there is no server here (tests/sync.rs claims them on one).
    pub(crate) fn team(dir: &std::path::Path) -> (Vault, Vault) {
        let (mut a, _) = Vault::create(
            &dir.join("a.silta"),
            "Kaisa",
            &Passphrase::new("correct horse battery"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
        a.unclaimed_key_changes = true;
        let b = joined(&a, dir, "b");
        (a, b)
    }

    /// A laptop `name` that joined `a`'s team, offline, logging in as `laptop-{name}`.
    pub(crate) fn joined(a: &Vault, dir: &std::path::Path, name: &str) -> Vault {
        let device = age::x25519::Identity::generate();
        let key = super::super::signing::PublicDeviceKey::of(&device).unwrap();
        let login = SyncServer {
            user: format!("laptop-{name}"),
            ..server()
        };
        let package =
            super::super::enrolment::enrol(a, &key.to_string(), &key.fingerprint(), login).unwrap();
        let file = dir.join(format!("{name}.age"));
        std::fs::write(&file, package).unwrap();
        let joined = super::super::enrolment::join(
            &dir.join(format!("{name}.silta")),
            "Mikko",
            &Passphrase::new("another horse battery staple"),
            KdfParams::CHEAP_FOR_TESTS,
            &file,
            &device,
        )
        .unwrap();
        let mut v = joined.vault;
        v.unclaimed_key_changes = true;
        v
    }

    fn sent(row: crate::vault::replica::Received) -> Vec<(String, String, Incoming)> {
        vec![(String::new(), String::new(), Incoming::Record(row))]
    }

    /// The grant rows laptop 1 holds, as another laptop receives them.
    fn grants(a: &Vault) -> Vec<(String, String, Incoming)> {
        a.list::<TeamGrant>(None)
            .unwrap()
            .into_iter()
            .flat_map(|g| sent(a.latest_row(GRANT_KIND, g.id.uuid()).unwrap()))
            .collect()
    }

    use crate::ids::RecordId;

    #[test]
    fn a_grant_counts_only_sealed_under_the_epoch_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mut a, mut b) = team(dir.path());
        a.change_key().unwrap();
        assert!(matches!(
            take_grant(&mut b, &grants(&a)).unwrap(),
            NextKey::Taken
        ));
        assert_eq!(b.epoch(), 1);
        // Its device key and server login are sealed again under the key it took, and only so:
        // a copy of its file made now does not give them to a laptop removed at epoch 1.
        let key = b.list::<DeviceKey>(None).unwrap()[0].id;
        let login = b.list::<SyncServer>(None).unwrap()[0].id;
        for (kind, id) in [
            (DEVICE_KEY_KIND, key.uuid()),
            (super::super::SERVER_KIND, login.uuid()),
        ] {
            let row = b.latest_row(kind, id).unwrap();
            assert_eq!(
                (row.version, crate::vault::sealed_epoch(&row.sealed)),
                (1, Some(1)),
                "{kind}"
            );
        }
        // The grant of epoch 2, as the team sends it (under epoch 1), and the same grant sealed
        // under epoch 0, which a laptop removed at epoch 1 could write: only the first counts.
        a.change_key().unwrap();
        let real = a
            .list::<TeamGrant>(None)
            .unwrap()
            .into_iter()
            .map(|g| a.latest_row(GRANT_KIND, g.id.uuid()).unwrap())
            .find(|r| crate::vault::sealed_epoch(&r.sealed) == Some(1))
            .unwrap();
        let granted = a
            .list::<TeamGrant>(None)
            .unwrap()
            .into_iter()
            .find(|g| g.record.epoch == 2)
            .unwrap();
        let forged = a.insert_under_epoch(0, None, &granted.record).unwrap();
        let forged = a.latest_row(GRANT_KIND, forged.id.uuid()).unwrap();
        assert!(matches!(
            take_grant(&mut b, &sent(forged)).unwrap(),
            NextKey::None
        ));
        assert_eq!(b.epoch(), 1);
        assert!(matches!(
            take_grant(&mut b, &sent(real)).unwrap(),
            NextKey::Taken
        ));
        assert_eq!(b.epoch(), 2);
    }

    #[test]
    fn a_laptop_that_takes_the_new_key_before_the_removal_itself_holds_back_the_removed_one_too() {
        let dir = tempfile::tempdir().unwrap();
        let (mut a, mut b) = team(dir.path());
        // A third laptop, then removed on laptop 1 (as `remove` marks it, without a server).
        let device = age::x25519::Identity::generate();
        let key = super::super::signing::PublicDeviceKey::of(&device).unwrap();
        super::super::enrolment::enrol(&a, &key.to_string(), &key.fingerprint(), server()).unwrap();
        let before = list(&a).unwrap();
        let third = before
            .iter()
            .find(|d| d.record.series == Some('C'))
            .unwrap()
            .clone();
        let marked = TeamDevice {
            removed_after: Some(0),
            ..third.record.clone()
        };
        let change = a
            .change_key_for_team("laptop removed", &|v| insert_listing(v, &marked))
            .unwrap();
        assert_eq!(change.sent_to, ['B']);
        // Laptop 2 has the team's list as it was before (the third laptop in it), takes the
        // grant, and not yet laptop 1's chain with the removal in it.
        for d in &before {
            b.insert(None, &d.record).unwrap();
        }
        assert!(matches!(
            take_grant(&mut b, &grants(&a)).unwrap(),
            NextKey::Taken
        ));
        // Held back until the removal itself arrives: a member's own key change cannot cut a
        // laptop off for good by naming it.
        assert!(chain_ends(&b).unwrap().is_empty());
        let ends = with_learnt(&b, chain_ends(&b).unwrap()).unwrap();
        assert_eq!(ends.get(&third.record.device.unwrap()), Some(&0));
        assert!(
            devices(&b)
                .unwrap()
                .iter()
                .any(|d| d.series == Some('C') && d.removed),
            "its list shows it removed"
        );
        // Its own key change sends the key to laptop 1 only.
        let change = b.change_key().unwrap();
        assert_eq!(change.sent_to, ['A']);
    }

    #[test]
    fn a_laptop_removed_is_sent_no_later_key_even_when_listed_twice() {
        let dir = tempfile::tempdir().unwrap();
        let (mut a, b) = team(dir.path());
        let listed = list(&a).unwrap();
        let laptop2 = listed
            .iter()
            .find(|d| d.record.device == b.device().unwrap())
            .unwrap()
            .clone();
        // Listed a second time (two members enrolled it before they synced), then removed once.
        insert_listing(&a, &laptop2.record).unwrap();
        insert_listing(
            &a,
            &TeamDevice {
                removed_after: Some(0),
                ..laptop2.record.clone()
            },
        )
        .unwrap();
        let change = a.change_key().unwrap();
        assert!(change.sent_to.is_empty(), "{:?}", change.sent_to);
        assert!(a.list::<TeamGrant>(None).unwrap().is_empty());
    }

    #[test]
    fn a_removal_names_laptops_by_their_own_listings_and_a_member_cannot_shield_one() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = team(dir.path());
        let c = joined(&a, dir.path(), "c");
        let of_b = list(&a)
            .unwrap()
            .into_iter()
            .find(|d| d.record.device == b.device().unwrap())
            .unwrap();
        let names = |v: &Vault, who: &str| {
            leaving(v, who).map(|l| {
                let mut d: Vec<Option<Uuid>> = l.iter().map(|d| d.record.device).collect();
                d.sort();
                d
            })
        };
        assert_eq!(names(&a, "laptop-b").unwrap(), [b.device().unwrap()]);
        // A member lists made-up keys under laptop 2's login: no laptop's, not shown, no
        // second laptop to remove.
        let made_up =
            super::super::signing::PublicDeviceKey::of(&age::x25519::Identity::generate()).unwrap();
        insert_listing(
            &a,
            &TeamDevice {
                signing: Some(made_up.signing_hex()),
                ..of_b.record.clone()
            },
        )
        .unwrap();
        assert_eq!(names(&a, "laptop-b").unwrap(), [b.device().unwrap()]);
        assert_eq!(
            devices(&a)
                .unwrap()
                .iter()
                .filter(|d| d.login == "laptop-b")
                .count(),
            1
        );
        // A laptop of its own making under that login is a laptop: removing the login removes
        // both, as both log in as that one user.
        insert_listing(
            &a,
            &TeamDevice {
                device: Some(made_up.device()),
                key: made_up.age.to_string(),
                signing: Some(made_up.signing_hex()),
                ..of_b.record.clone()
            },
        )
        .unwrap();
        let mut both = vec![b.device().unwrap(), Some(made_up.device())];
        both.sort();
        assert_eq!(names(&a, "laptop-b").unwrap(), both);
        // Laptop 3 listed under laptop 2's login as well: only its fingerprint names it, and
        // laptop 2's login no longer names laptop 3 with it.
        let of_c = list(&a)
            .unwrap()
            .into_iter()
            .find(|d| d.record.device == c.device().unwrap())
            .unwrap();
        insert_listing(
            &a,
            &TeamDevice {
                login: "laptop-b".into(),
                ..of_c.record.clone()
            },
        )
        .unwrap();
        let err = names(&a, "laptop-b").unwrap_err().to_string();
        assert!(err.contains("remove it by its fingerprint"), "{err}");
        assert_eq!(
            names(&a, &fingerprint_of(&of_c.record)).unwrap(),
            [c.device().unwrap()]
        );
        assert!(names(&a, "laptop-9").is_err());
        // Never this laptop.
        let own = list(&a)
            .unwrap()
            .into_iter()
            .find(|d| d.record.device.is_none())
            .unwrap();
        // A listing of the first laptop's age key without its signing key is not its: not
        // shown, and a login with no hex digits in it is no fingerprint of it.
        insert_listing(
            &a,
            &TeamDevice {
                signing: None,
                login: "jussi".into(),
                ..own.record.clone()
            },
        )
        .unwrap();
        let firsts = devices(&a).unwrap();
        assert_eq!(
            firsts.iter().filter(|d| d.series.is_none()).count(),
            1,
            "{firsts:?}"
        );
        assert!(
            names(&a, "jussi")
                .unwrap_err()
                .to_string()
                .contains("no laptop")
        );
        let err = names(&a, &fingerprint_of(&own.record))
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot remove itself"), "{err}");
    }

    #[test]
    fn a_device_key_on_the_list_already_enrols_no_second_laptop() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _b) = team(dir.path());
        let device = age::x25519::Identity::generate();
        let key = super::super::signing::PublicDeviceKey::of(&device).unwrap();
        let enrol =
            || super::super::enrolment::enrol(&a, &key.to_string(), &key.fingerprint(), server());
        enrol().unwrap();
        assert!(matches!(
            enrol(),
            Err(Error::InvalidInput(
                crate::error::Invalid::DeviceKeyAlreadyListed
            ))
        ));
    }

    #[test]
    fn a_key_counts_only_signed_by_the_laptop_that_sent_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mut a, mut b) = team(dir.path());
        let mut c = joined(&a, dir.path(), "c");
        let listed = list(&a).unwrap();
        let of = |device: Option<Uuid>| listed.iter().find(|d| d.record.device == device).unwrap();
        let (of_b, of_c) = (
            of(b.device().unwrap()).clone(),
            of(c.device().unwrap()).clone(),
        );
        // Laptop 1 removes laptop 3 (as `remove` marks it, without a server): laptop 2 is sent
        // the new key, with the removal.
        a.change_key_for_team("laptop removed", &|v| {
            insert_listing(
                v,
                &TeamDevice {
                    removed_after: Some(0),
                    ..of_c.record.clone()
                },
            )
        })
        .unwrap();
        let real: Vec<_> = grants(&a);
        // Laptop 3, with the key it kept and a login of someone else's, sends laptop 2 a key of
        // its own for the same epoch, signed with its own key.
        c.change_key().unwrap();
        let mut forged = TeamGrant {
            device: of_b.record.device,
            epoch: 1,
            grant: hex::encode(
                c.team_grant(
                    of_b.record.device,
                    &age::x25519::Recipient::from_str(&of_b.record.key).unwrap(),
                )
                .unwrap(),
            ),
            removed: Vec::new(),
            signature: None,
        };
        super::super::signing::sign_grant(&c, &mut forged).unwrap();
        // In laptop 1's name, it does not check.
        let vault = a.id().uuid();
        let on_b = super::super::signing::signers(&b).unwrap();
        assert_eq!(
            super::super::signing::signers(&a).unwrap().check_grant(
                vault,
                c.device().unwrap(),
                &forged
            ),
            super::super::signing::Check::Good
        );
        assert_eq!(
            on_b.check_grant(vault, None, &forged),
            super::super::signing::Check::Forged
        );
        // Nor with anything in it changed: the laptop it is for, the epoch, the key, the
        // removals it carries.
        let on_a = super::super::signing::signers(&a).unwrap();
        for changed in [
            TeamGrant {
                device: None,
                ..forged.clone()
            },
            TeamGrant {
                epoch: 2,
                ..forged.clone()
            },
            TeamGrant {
                grant: "00".into(),
                ..forged.clone()
            },
            TeamGrant {
                removed: vec![Cut {
                    device: None,
                    after: 0,
                }],
                ..forged.clone()
            },
        ] {
            assert_eq!(
                on_a.check_grant(vault, c.device().unwrap(), &changed),
                super::super::signing::Check::Forged,
                "{changed:?}"
            );
        }
        let forged = c.insert_under_epoch(0, None, &forged).unwrap();
        let forged = sent(c.latest_row(GRANT_KIND, forged.id.uuid()).unwrap());
        // Laptop 1's grant without its signature does not count.
        let unsigned = a
            .list::<TeamGrant>(None)
            .unwrap()
            .into_iter()
            .map(|g| TeamGrant {
                signature: None,
                ..g.record.clone()
            })
            .next()
            .unwrap();
        let unsigned = a.insert_under_epoch(0, None, &unsigned).unwrap();
        let unsigned = sent(a.latest_row(GRANT_KIND, unsigned.id.uuid()).unwrap());
        assert!(matches!(
            take_grant(&mut b, &unsigned).unwrap(),
            NextKey::None
        ));
        // Laptop 2 has the list from before the removal. Beside laptop 1's own, it takes neither
        // (it does not know yet that laptop 3 was removed, and a grant saying so could be any
        // member's); laptop 1's alone, it takes.
        b.insert(None, &of_c.record).unwrap();
        let both: Vec<_> = forged.into_iter().chain(grants(&a)).collect();
        assert!(matches!(
            take_grant(&mut b, &both).unwrap(),
            NextKey::Differ(1)
        ));
        assert_eq!(b.epoch(), 0);
        assert!(matches!(take_grant(&mut b, &real).unwrap(), NextKey::Taken));
        assert_eq!(b.epoch(), 1);
        assert_eq!(
            b.team_keys().epochs[1].as_slice(),
            a.team_keys().epochs[1].as_slice()
        );
    }
}
