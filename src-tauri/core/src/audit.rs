//! The audit log and the ledger it heads: who did what, when, to which record (ids only, never
//! content), and which rows the vault file must therefore hold.
//!
//! Entries are sealed like records and chained: each carries the HMAC of the one before it, under
//! a key derived from the vault key. Entry `n` lives at an id derived from `n` under the ledger
//! key, so it is found without a scan and its id tells nothing of when it was written. The first
//! entry records the vault's creation: a log without it, or without a head, is broken, never
//! started afresh. Every write of a record names its kind, id and version, and the record binds
//! the number of the entry that wrote it.
//!
//! One sealed head names the last entry and carries the ledger: the tallies of every row in the
//! file (`vault::ledger`), the case numbers handed out, and how far the chain was last checked in
//! full. The head is the only row rewritten in place; an older head put back from an earlier copy
//! no longer matches the rows. Deleting, rolling back or putting back rows without the key is
//! therefore found at unlock (`check`: recount the rows, check the chain from the last verified
//! entry) and named by `verify`, which replays the whole log against the file.
//!
//! Records created, changed and deleted are logged by the vault itself, in the same transaction
//! as the write; other actions (unlock, opening a case or an attachment, exports) by their callers.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ids::{AuditId, CaseId, CounterId, RecordId};
use crate::vault::ledger::{Tallies, Tally};
use crate::vault::{Bound, Record, Stored, Vault};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The first entry of every log (vault format 3 on).
    VaultCreated,
    /// A vault written by an older Silta was upgraded; `detail` names the format.
    FormatUpgraded,
    Unlock,
    /// Wrong passphrases since the last unlock (counted while locked, logged at the next unlock).
    FailedUnlocks,
    CaseOpened,
    Created,
    Changed,
    Deleted,
    AttachmentOpened,
    Export,
    Referral,
    Erasure,
    SettingsChanged,
    /// Team sync: rows and other devices' entries received from the server (`detail` counts
    /// them); the head then records how far each device's chain was received.
    Received,
    /// Team sync: a new version of a record two devices had written differently, as the
    /// caseworker chose it; `detail` names the sides it settles (`SETTLES`), on every device that
    /// takes it.
    Settled,
}

/// One entry. `detail` is never a record's content: a record kind, a count, a recipient's name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub user: String,
    pub action: Action,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub target: Option<Uuid>,
    /// The version of `target` written (vault format 3 on). Left out when there is none, so that
    /// entries written before it keep exactly the JSON their MAC was made over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub version: Option<u32>,
    /// SHA-256 (hex) of the version's ciphertext as written (vault format 3 on): a version
    /// swapped in from another copy of the vault, where the same version was written otherwise,
    /// does not match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sealed: Option<String>,
    #[serde(default)]
    pub case: Option<CaseId>,
    #[serde(default)]
    pub detail: Option<String>,
    /// The device whose chain this entry is in (team sync: each device writes its own chain);
    /// absent for the first device of a team and every vault made on its own, so that their
    /// entries keep exactly the JSON their MAC was made over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string"))]
    pub device: Option<Uuid>,
    /// HMAC of the previous entry (hex); empty for the first.
    pub prev: String,
    /// The Ed25519 signature (hex) of the laptop whose chain it is in, over the entry without it
    /// (`sync::signing`), when that laptop is on a team's list; left out otherwise, so that
    /// entries written before keep exactly the JSON their MAC was made over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub signature: Option<String>,
}

impl Record for Entry {
    const KIND: &'static str = "audit";
    type Id = AuditId;
}

/// The last entry's number and HMAC, and the ledger of the rows the file holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Head {
    seq: u64,
    mac: String,
    /// This device, when it joined a team (`Entry::device`); absent for the first device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device: Option<Uuid>,
    /// The letter this device puts in its case numbers, when it joined a team (`CaseNumber`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    series: Option<char>,
    /// Absent in heads written before vault format 3; the first unlock by a newer Silta adds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ledger: Option<Ledger>,
}

impl Record for Head {
    const KIND: &'static str = crate::vault::ledger::HEAD_KIND;
    type Id = AuditId;
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Ledger {
    records: TallyJson,
    chunks: TallyJson,
    slots: TallyJson,
    /// The last case number handed out in each year. Kept in the head so that a counter from an
    /// older copy cannot be put back to hand out a number twice.
    case_numbers: BTreeMap<i32, u32>,
    /// The chain from entry 1 to here was checked whole (at an unlock or by `verify`); later
    /// checks start here.
    verified: Checkpoint,
    /// Entries up to here were written before format 3: at ids of their own, without versions.
    legacy: u64,
    /// The vault was made before format 3. Its records of then bind no entry, and (in vaults
    /// older than the log) no entry wrote them: the ledger vouches for them from the upgrade on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    upgraded: bool,
    /// Team sync: the last entry received of each other device's chain (the first device as
    /// the nil UUID). Their entries in the file must run exactly to there.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    devices: BTreeMap<Uuid, Checkpoint>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct TallyJson {
    rows: u64,
    /// Lower-case hex of the 32-byte XOR of the rows' tags.
    digest: String,
}

impl From<Tally> for TallyJson {
    fn from(t: Tally) -> Self {
        TallyJson {
            rows: t.rows,
            digest: hex::encode(t.digest),
        }
    }
}

impl TallyJson {
    fn tally(&self) -> Result<Tally> {
        let mut digest = [0u8; 32];
        hex::decode_to_slice(&self.digest, &mut digest).map_err(|_| Error::Integrity {
            what: "the audit log's head".into(),
        })?;
        Ok(Tally {
            rows: self.rows,
            digest,
        })
    }
}

impl Ledger {
    fn tallies(&self) -> Result<Tallies> {
        Ok(Tallies {
            records: self.records.tally()?,
            chunks: self.chunks.tally()?,
            slots: self.slots.tally()?,
        })
    }

    fn set_tallies(&mut self, t: Tallies) {
        self.records = t.records.into();
        self.chunks = t.chunks.into();
        self.slots = t.slots.into();
    }
}

/// The case-number counter of vaults before format 3, which the upgrade folds into the head.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct LegacyCounter {
    last: BTreeMap<i32, u32>,
}

impl Record for LegacyCounter {
    const KIND: &'static str = "case_counter";
    type Id = CounterId;
}

fn mac(key: &[u8; 32], entry: &Entry) -> Result<String> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .map_err(|_| Error::invalid("the audit key has the wrong length"))?;
    m.update(b"silta/audit/v1");
    m.update(
        &serde_json::to_vec(entry)
            .map_err(|e| Error::invalid(format!("cannot encode an audit entry: {e}")))?,
    );
    Ok(hex::encode(m.finalize().into_bytes()))
}

/// What is being logged.
pub struct Event<'a> {
    pub action: Action,
    pub kind: Option<&'a str>,
    pub target: Option<Uuid>,
    pub version: Option<u32>,
    /// SHA-256 of the ciphertext written; set by the vault for record writes.
    pub sealed: Option<String>,
    pub case: Option<CaseId>,
    pub detail: Option<String>,
}

impl Event<'_> {
    pub fn new(action: Action) -> Event<'static> {
        Event {
            action,
            kind: None,
            target: None,
            version: None,
            sealed: None,
            case: None,
            detail: None,
        }
    }
}

const NO_HEAD: &str = "the log's head is missing: the log was wiped or cut without the vault key";

/// The head, read inside the write that will replace it. A log without one is broken: it is
/// never started afresh.
pub(crate) fn head(v: &Vault) -> Result<Stored<Head>> {
    let mut heads = v.list::<Head>(None)?;
    match heads.len() {
        0 => Err(Error::AuditBroken(NO_HEAD.into())),
        1 => Ok(heads.remove(0)),
        n => Err(Error::AuditBroken(format!(
            "the log has {n} heads: one was put back from another copy of the vault"
        ))),
    }
}

/// Whether the vault was made before format 3 (its oldest entries and records are not where a
/// team's other laptops look for them: docs/sync.md, "Known limits now").
pub(crate) fn upgraded(v: &Vault) -> Result<bool> {
    Ok(head(v)?.record.ledger.is_some_and(|l| l.upgraded))
}

/// How far each other device's chain has been received (team sync), as the head records it.
pub(crate) fn received(v: &Vault) -> Result<BTreeMap<Uuid, Checkpoint>> {
    Ok(head(v)?
        .record
        .ledger
        .map(|l| l.devices)
        .unwrap_or_default())
}

/// Opens an entry of another device's chain, as received: the mac it makes, for the next
/// entry's `prev`.
pub(crate) fn mac_of(v: &Vault, entry: &Entry) -> Result<String> {
    mac(v.audit_key(), entry)
}

/// How entries name a device's case-number series (`CaseNumber`): "case number series B".
pub(crate) const SERIES: &str = "case number series";

/// This device's case-number series: `None` for the first device of a team.
pub(crate) fn series_of(v: &Vault) -> Result<Option<char>> {
    match head(v) {
        Ok(h) => Ok(h.record.series),
        Err(Error::AuditBroken(why)) if why == NO_HEAD => Ok(None),
        Err(e) => Err(e),
    }
}

/// The first series letter (B to Z) that no device this file knows of uses: its own, those the
/// other devices' chains say they joined with, and those this device handed out in enrolments.
/// (Two members enrolling laptops at the same time, before either syncs, could hand out one
/// letter twice; each enrolment is logged with its letter, for the members to see.)
pub(crate) fn free_series(v: &Vault) -> Result<Option<char>> {
    let mut used: HashSet<char> = series_of(v)?.into_iter().collect();
    for (_, entry) in v.list_each::<Entry>()? {
        let Ok(e) = entry else { continue };
        if let Some(letter) = e
            .record
            .detail
            .as_deref()
            .and_then(|d| d.split_once(SERIES))
            .and_then(|(_, rest)| rest.trim_start().chars().next())
        {
            used.insert(letter);
        }
    }
    Ok(('B'..='Z').find(|c| !used.contains(c)))
}

/// What the devices of a team decided for good: what they deleted and erased (team sync takes
/// nothing of it again), and the conflicts they settled (a version written on the other side of
/// one is not made a conflict again where it arrives late).
#[derive(Default)]
pub(crate) struct Decided {
    /// Records deleted, by kind and id: a deletion names the kind it deleted, and covers no
    /// record of another kind with that id (an entry naming one laptop's listing as a note must
    /// not hide the listing's later versions).
    records: HashSet<(String, Uuid)>,
    cases: HashSet<Uuid>,
    /// The versions settlements settled, by record and the SHA-256 of their ciphertext: only
    /// the sides a caseworker compared, never another version of the same number.
    settled: HashSet<(Uuid, String)>,
}

/// How a `settled` entry's detail names the sides it settles: this, then their ciphertexts'
/// SHA-256 (hex), separated by spaces.
pub(crate) const SETTLES: &str = "settles";

impl Decided {
    pub(crate) fn note(&mut self, e: &Entry) {
        match (e.action, e.target) {
            // The team's list is never deleted (a removal marks a laptop): an entry that says
            // so would hide the marks to come (`sync::team`).
            (Action::Deleted, Some(_))
                if e.kind.as_deref() == Some(crate::sync::team::DEVICE_KIND) => {}
            (Action::Deleted, Some(t)) => {
                if let Some(kind) = &e.kind {
                    self.records.insert((kind.clone(), t));
                }
            }
            (Action::Erasure, Some(t)) => {
                self.cases.insert(t);
            }
            _ => {}
        }
    }

    /// Notes the sides a settlement settled. Only for entries in the file or taken in this
    /// pull, and only of the kinds devices share: a settlement decides nothing else.
    pub(crate) fn note_settled(&mut self, e: &Entry) {
        for side in settled_sides(e) {
            self.settled.insert(side);
        }
    }

    /// Whether the version of record `id` sealed as `sealed` (its hash) is a side of a conflict
    /// some device settled.
    pub(crate) fn settles(&self, id: Uuid, sealed: &str) -> bool {
        self.settled.contains(&(id, sealed.to_string()))
    }

    /// Whether record `id` of `kind` (of case `case`) was deleted, or its case erased.
    pub(crate) fn covers(&self, kind: &str, id: Uuid, case: Option<Uuid>) -> bool {
        self.records.contains(&(kind.to_string(), id))
            || (kind == crate::model::Case::KIND && self.cases.contains(&id))
            || case.is_some_and(|c| self.cases.contains(&c))
    }
}

/// What every chain in the file deleted, erased or settled.
pub(crate) fn decided(v: &Vault) -> Result<Decided> {
    let mut r = Decided::default();
    for (_, entry) in v.list_each::<Entry>()? {
        if let Ok(e) = entry {
            r.note(&e.record);
            r.note_settled(&e.record);
        }
    }
    Ok(r)
}

/// The sides a `settled` entry settles (record, ciphertext hash); none for any other entry, or
/// one of a kind devices do not share.
pub(crate) fn settled_sides(e: &Entry) -> Vec<(Uuid, String)> {
    let shared = e
        .kind
        .as_deref()
        .is_some_and(|k| crate::vault::replica::is_shared(k) && k != Entry::KIND);
    match (e.action, e.target, e.detail.as_deref()) {
        (Action::Settled, Some(target), Some(detail)) if shared => detail
            .strip_prefix(SETTLES)
            .map(|hashes| {
                hashes
                    .split_whitespace()
                    .map(|h| (target, h.to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// This device's id in its team: `None` for the first device (and a vault with no head yet).
pub(crate) fn device_of(v: &Vault) -> Result<Option<Uuid>> {
    match head(v) {
        Ok(h) => Ok(h.record.device),
        Err(Error::AuditBroken(why)) if why == NO_HEAD => Ok(None),
        Err(e) => Err(e),
    }
}

/// The number the next entry will have; a record written now binds it.
pub(crate) fn next_seq(head: &Stored<Head>) -> u64 {
    head.record.seq + 1
}

/// Appends an entry after `head` and rewrites the head: the entry, the changes noted since the
/// last entry, and (at an unlock that found the log intact) how far it was checked.
pub(crate) fn append(
    v: &Vault,
    head: Stored<Head>,
    event: Event<'_>,
    verified: Option<Checkpoint>,
) -> Result<()> {
    let seq = next_seq(&head);
    let taken = |e: Error| match e {
        Error::Conflict { .. } => Error::AuditBroken(format!(
            "entry {seq} is already in the file, but the log's head ends before it: an older head was put back"
        )),
        e => e,
    };
    let mut entry = Entry {
        seq,
        at: Utc::now(),
        user: v.user().to_string(),
        action: event.action,
        kind: event.kind.map(str::to_string),
        target: event.target,
        version: event.version,
        sealed: event.sealed,
        case: event.case,
        detail: event.detail,
        device: head.record.device,
        prev: head.record.mac.clone(),
        signature: None,
    };
    crate::sync::signing::sign(v, &mut entry)?;
    v.put_unlogged(
        AuditId::from_uuid(v.tagger().device_entry_id(head.record.device, seq)),
        1,
        None,
        &entry,
        seq,
    )
    .map_err(taken)?;
    let mut next = head.record.clone();
    let ledger = next.ledger.as_mut().ok_or_else(|| {
        Error::AuditBroken("the log was written by an older Silta and is not upgraded".into())
    })?;
    ledger.set_tallies(ledger.tallies()?.fold(v.take_pending()));
    if let Some((year, serial)) = v.pending_number.take() {
        ledger.case_numbers.insert(year, serial);
    }
    ledger.devices.extend(v.pending_devices.take());
    if let Some(c) = verified {
        ledger.verified = c;
    }
    next.seq = seq;
    next.mac = mac(v.audit_key(), &entry)?;
    v.rewrite(&head, &next, seq)
}

/// Appends an entry, in one transaction with whatever write is under way.
pub fn log(vault: &Vault, event: Event<'_>) -> Result<()> {
    vault.write(|v| append(v, head(v)?, event, None))
}

/// The first entry and the head of a new vault's log.
pub(crate) fn genesis(v: &Vault) -> Result<()> {
    v.write(|v| {
        first_head(
            v,
            0,
            String::new(),
            BTreeMap::new(),
            false,
            Tallies::default(),
        )?;
        append(v, head(v)?, Event::new(Action::VaultCreated), None)
    })
}

/// The first entry and the head of the log of a device joining a team: its own chain, starting
/// at entry 1 at ids of its own (`Tagger::device_entry_id`).
pub(crate) fn genesis_of_device(v: &Vault, device: Uuid, series: char) -> Result<()> {
    v.write(|v| {
        let head = Head {
            seq: 0,
            mac: String::new(),
            device: Some(device),
            series: Some(series),
            ledger: Some(Ledger {
                records: Tally::default().into(),
                chunks: Tally::default().into(),
                slots: Tally::default().into(),
                case_numbers: BTreeMap::new(),
                verified: Checkpoint {
                    seq: 0,
                    mac: String::new(),
                },
                legacy: 0,
                upgraded: false,
                devices: BTreeMap::new(),
            }),
        };
        v.put_unlogged(AuditId::new(), 1, None, &head, 0)?;
        let mut e = Event::new(Action::VaultCreated);
        e.detail = Some(format!("joined the team ({SERIES} {series})"));
        append(v, self::head(v)?, e, None)
    })
}

/// Writes the first head of a ledger, over a log that ends at entry `seq` with `mac` (0 and
/// empty for a new vault), vouching for the rows `tallies` counts.
fn first_head(
    v: &Vault,
    seq: u64,
    mac: String,
    case_numbers: BTreeMap<i32, u32>,
    upgraded: bool,
    tallies: Tallies,
) -> Result<()> {
    let mut ledger = Ledger {
        records: Tally::default().into(),
        chunks: Tally::default().into(),
        slots: Tally::default().into(),
        case_numbers,
        verified: Checkpoint {
            seq,
            mac: mac.clone(),
        },
        legacy: seq,
        upgraded,
        devices: BTreeMap::new(),
    };
    ledger.set_tallies(tallies);
    let head = Head {
        seq,
        mac,
        device: None,
        series: None,
        ledger: Some(ledger),
    };
    v.put_unlogged(AuditId::new(), 1, None, &head, seq)?;
    Ok(())
}

/// Hands out the next case number of `year`, in the write that opens the case.
/// The number is taken into the head by the next entry of the same write (the case's own), so
/// handing it out costs no write of its own.
pub(crate) fn next_case_number(v: &Vault, year: i32) -> Result<u32> {
    let head = head(v)?;
    let ledger = head.record.ledger.as_ref().ok_or_else(|| {
        Error::AuditBroken("the log was written by an older Silta and is not upgraded".into())
    })?;
    let last = match v.pending_number.get() {
        Some((y, n)) if y == year => Some(n),
        _ => ledger.case_numbers.get(&year).copied(),
    };
    let serial = last
        .map_or(Some(1), |n| n.checked_add(1))
        .ok_or_else(|| Error::invalid(format!("no case numbers are left for {year}")))?;
    v.pending_number.set(Some((year, serial)));
    Ok(serial)
}

/// Upgrades a log written before vault format 3, once its chain has been checked: the head gets
/// the ledger of the rows the file holds now, and the case counter moves into it. Does nothing to
/// a log that has its ledger. A broken chain is not upgraded (`Error::AuditBroken`).
pub(crate) fn upgrade(v: &Vault) -> Result<()> {
    v.write(|v| {
        let heads = v.list::<Head>(None)?;
        if heads.iter().any(|h| h.record.ledger.is_some()) {
            return Ok(());
        }
        let entries = opened_entries(v)?.map_err(Error::AuditBroken)?;
        let bound = v.bound_entries()?;
        // Vaults made before the audit log existed have records but neither head nor entries;
        // any other log without a head was wiped, and is never started afresh.
        let legacy = match heads.as_slice() {
            [] if entries.is_empty() && !bound.is_empty() => Head {
                seq: 0,
                mac: String::new(),
                device: None,
                series: None,
                ledger: None,
            },
            [] => return Err(Error::AuditBroken(NO_HEAD.into())),
            [one] => one.record.clone(),
            many => {
                return Err(Error::AuditBroken(format!(
                    "the log has {} heads: one was put back from another copy of the vault",
                    many.len()
                )));
            }
        };
        if let Some(why) = chain_problem(v, &entries, Some(&legacy))? {
            return Err(Error::AuditBroken(why));
        }
        // A head from before format 3 (or none), put back from an old copy into a newer file or
        // left after a wipe, must not vouch for what was written since: those records name the
        // entries that wrote them.
        if bound.iter().any(|b| matches!(b, Ok(b) if b.seq.is_some())) {
            return Err(Error::AuditBroken(if heads.is_empty() {
                NO_HEAD.into()
            } else {
                "the log's head is older than records in the file: it was put back from an older copy of the vault".into()
            }));
        }
        let case_numbers = v
            .list::<LegacyCounter>(None)?
            .into_iter()
            .next()
            .map(|c| c.record.last)
            .unwrap_or_default();
        v.remove_rows_of_kind(LegacyCounter::KIND)?;
        v.remove_rows_of_kind(Head::KIND)?;
        // Every record of before binds the upgrade's own entry: then no record binds nothing,
        // and a file whose log is later wiped cannot pass for one made before the log existed.
        v.bind_all_records(legacy.seq + 1)?;
        first_head(v, legacy.seq, legacy.mac, case_numbers, true, v.tally_rows()?)?;
        let mut e = Event::new(Action::FormatUpgraded);
        e.detail = Some(format!("vault format {}", crate::FORMAT_VERSION));
        append(v, self::head(v)?, e, None)
    })
}

pub fn log_case_opened(vault: &Vault, case: CaseId) -> Result<()> {
    log(
        vault,
        Event {
            action: Action::CaseOpened,
            kind: Some("case"),
            target: Some(case.uuid()),
            version: None,
            sealed: None,
            case: Some(case),
            detail: None,
        },
    )
}

pub fn log_attachment_opened(vault: &Vault, id: crate::ids::AttachmentId) -> Result<()> {
    let case = vault.get::<crate::model::Attachment>(id)?.case;
    log(
        vault,
        Event {
            action: Action::AttachmentOpened,
            kind: Some("attachment"),
            target: Some(id.uuid()),
            version: None,
            sealed: None,
            case,
            detail: None,
        },
    )
}

/// The chain's head at a moment: referral packages carry it, signed with the whole manifest, so
/// that a recipient holds proof of how long the log was and how it ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub seq: u64,
    /// The HMAC of entry `seq` (hex).
    pub mac: String,
}

pub fn checkpoint(vault: &Vault) -> Result<Option<Checkpoint>> {
    Ok(vault
        .list::<Head>(None)?
        .into_iter()
        .next()
        .map(|h| Checkpoint {
            seq: h.record.seq,
            mac: h.record.mac,
        }))
}

/// Whether the log still holds, unchanged, entry `seen.seq` as `by` saw it (a checkpoint file
/// kept elsewhere, or this computer's anchor): `None` if so, otherwise what is wrong. When the
/// log holds it, only that entry and the head are opened, so the check costs the same however
/// long the log is; only an entry not at its own id (cut, or from before format 3) makes it look
/// through all of them.
pub(crate) fn against_checkpoint(v: &Vault, seen: &Checkpoint, by: &str) -> Result<Option<String>> {
    match seen_in_log(v, seen, by) {
        // Whatever the file does to the check (a damaged head or entry, a row of the wrong
        // type) is itself the answer; only a file that cannot be read at all is an error.
        Err(e @ (Error::Busy | Error::DiskFull | Error::ReadOnly | Error::Io { .. })) => Err(e),
        Err(e) => Ok(Some(e.to_string())),
        Ok(found) => Ok(found),
    }
}

fn seen_in_log(v: &Vault, seen: &Checkpoint, by: &str) -> Result<Option<String>> {
    let last = head(v)?.record.seq;
    let entry = match entry_at(v, seen.seq)? {
        Ok(entry) => entry,
        Err(why) => return Ok(Some(why)),
    };
    let Some(entry) = entry.filter(|_| seen.seq <= last) else {
        return Ok(Some(if last < seen.seq {
            format!(
                "the log ends at entry {last}, but {by} saw entry {}: the log was cut back, or the vault file put back to an older copy",
                seen.seq
            )
        } else {
            format!("entry {} is missing, which {by} saw", seen.seq)
        }));
    };
    if mac(v.audit_key(), &entry)? != seen.mac {
        return Ok(Some(format!(
            "entry {} is not what {by} saw: the log up to it was rewritten (that needs the vault key: someone with a passphrase did it), or the file is a copy that was worked on elsewhere meanwhile",
            seen.seq
        )));
    }
    Ok(None)
}

/// Entry `seq`, from its own id (entries from before format 3 are looked for among all).
fn entry_at(v: &Vault, seq: u64) -> Result<std::result::Result<Option<Entry>, String>> {
    // The id is bound into the entry's ciphertext: what opens there is what was written there
    // (a different `seq` inside would need the key, and then its mac differs from the one seen).
    let own = v.device()?;
    let id = AuditId::from_uuid(v.tagger().device_entry_id(own, seq));
    match v.get::<Entry>(id) {
        Ok(stored) => return Ok(Ok(Some(stored.record))),
        Err(Error::NotFound { .. }) => {}
        Err(Error::Integrity { .. }) => {
            return Ok(Err(format!(
                "audit record {id} was altered: it fails its integrity check"
            )));
        }
        Err(e) => return Err(e),
    }
    Ok(opened_entries(v)?.map(|entries| {
        entries
            .into_iter()
            .map(|(_, e)| e)
            .find(|e| e.seq == seq && e.device == own)
    }))
}

/// Everything checked on request: the log against the file (`check`, or `verify` when `full`),
/// what the unlock found by comparing the file with what this computer remembers
/// (`Vault::outside_the_log`), and each witness kept elsewhere (`witness::check_path`).
pub fn report(v: &Vault, full: bool, witnesses: &[std::path::PathBuf]) -> Result<AuditReport> {
    let mut report = if full { verify(v)? } else { check(v)? };
    let mut add = |why: String| match report.broken {
        None => report.broken = Some(why),
        Some(_) => report.more += 1,
    };
    for why in v.outside_the_log() {
        add(why.clone());
    }
    for path in witnesses {
        if let Some(why) = crate::witness::check_path(v, path)? {
            add(why);
        }
    }
    Ok(report)
}

/// The result of checking the log and the rows it vouches for.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditReport {
    pub entries: u64,
    /// The first problem found, naming what is wrong; `None` when the log and the file agree.
    pub broken: Option<String>,
    /// How many more problems were found after the first.
    pub more: u64,
    /// The head this check found intact; the unlock records it as checked.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub(crate) intact: Option<Checkpoint>,
}

impl AuditReport {
    pub(crate) fn broken(entries: u64, why: String, more: u64) -> AuditReport {
        AuditReport {
            entries,
            broken: Some(why),
            more,
            intact: None,
        }
    }

    /// Intact: no problem was found.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// What the tallies in the head say beside what the file holds, in words.
fn tally_problem(expected: Tallies, found: Tallies) -> Option<String> {
    let table = |what: &str, e: Tally, f: Tally| -> Option<String> {
        if e == f {
            return None;
        }
        Some(if f.rows < e.rows {
            format!(
                "{} {what} are missing from the file ({} expected, {} found): deleted without the vault key (deleting a newer version rolls a record back)",
                e.rows - f.rows,
                e.rows,
                f.rows
            )
        } else if f.rows > e.rows {
            format!(
                "{} {what} are in the file that no log entry wrote ({} expected, {} found): put back from an older copy or added without the vault key",
                f.rows - e.rows,
                e.rows,
                f.rows
            )
        } else {
            format!(
                "{what} were swapped for others without the vault key (the count is right, the rows are not)"
            )
        })
    };
    table("record versions", expected.records, found.records)
        .or_else(|| table("attachment chunks", expected.chunks, found.chunks))
        .or_else(|| {
            (expected.slots != found.slots).then(|| {
                "key slots were added, removed or renamed without the vault key".to_string()
            })
        })
}

/// The quick check made at every unlock: the rows recounted against the head's tallies, and the
/// chain from the last entry checked whole to the head. If it finds anything, `verify` names it.
pub fn check(v: &Vault) -> Result<AuditReport> {
    match quick_check(v)? {
        Some(intact) => Ok(AuditReport {
            entries: intact.seq,
            broken: None,
            more: 0,
            intact: Some(intact),
        }),
        None => verify(v),
    }
}

/// The head that was found intact, or `None` when something is wrong.
fn quick_check(v: &Vault) -> Result<Option<Checkpoint>> {
    let head = match head(v) {
        Ok(h) => h,
        Err(Error::AuditBroken(_) | Error::Integrity { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(ledger) = &head.record.ledger else {
        return Ok(None);
    };
    if tally_problem(ledger.tallies()?, v.tally_rows()?).is_some() {
        return Ok(None);
    }
    let tagger = v.tagger();
    let key = v.audit_key();
    let mut prev = ledger.verified.mac.clone();
    for seq in ledger.verified.seq + 1..=head.record.seq {
        let id = tagger.device_entry_id(head.record.device, seq);
        let entry = match v.get::<Entry>(AuditId::from_uuid(id)) {
            Ok(e) => e.record,
            Err(Error::NotFound { .. } | Error::Integrity { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        if entry.seq != seq || entry.prev != prev {
            return Ok(None);
        }
        prev = mac(key, &entry)?;
    }
    Ok((prev == head.record.mac).then_some(Checkpoint {
        seq: head.record.seq,
        mac: prev,
    }))
}

/// Every audit entry, opened, with the id of its row, in `seq` order; or the first that fails.
fn opened_entries(v: &Vault) -> Result<std::result::Result<Vec<(Uuid, Entry)>, String>> {
    let mut entries = Vec::new();
    for (id, entry) in v.list_each::<Entry>()? {
        match entry {
            Ok(e) => entries.push((id, e.record)),
            Err(_) => {
                return Ok(Err(format!(
                    "audit record {id} was altered: it fails its integrity check"
                )));
            }
        }
    }
    entries.sort_by_key(|(_, e)| e.seq);
    Ok(Ok(entries))
}

/// The entries of each device's chain (team sync), each in `seq` order: this device's own, and
/// every other device's, by device (the first device of a team as the nil UUID).
struct Chains {
    own: Vec<(Uuid, Entry)>,
    others: BTreeMap<Uuid, Vec<(Uuid, Entry)>>,
}

fn chains(entries: Vec<(Uuid, Entry)>, own: Option<Uuid>) -> Chains {
    let mut c = Chains {
        own: Vec::new(),
        others: BTreeMap::new(),
    };
    for (id, e) in entries {
        if e.device == own {
            c.own.push((id, e));
        } else {
            c.others
                .entry(e.device.unwrap_or_default())
                .or_default()
                .push((id, e));
        }
    }
    c
}

impl Chains {
    /// The chain of `device` (`None`: the first device of the team).
    fn of(&self, device: Option<Uuid>, own: Option<Uuid>) -> &[(Uuid, Entry)] {
        if device == own {
            &self.own
        } else {
            self.others
                .get(&device.unwrap_or_default())
                .map_or(&[], Vec::as_slice)
        }
    }

    /// Every entry, as the replay reads them: this device's own chain first, then each other
    /// device's (`replay` says why that order is enough).
    fn all(&self) -> Vec<&(Uuid, Entry)> {
        self.own
            .iter()
            .chain(self.others.values().flatten())
            .collect()
    }
}

/// Another device's chain as received (team sync): entries 1..N, each following the one before,
/// each at its id, ending exactly at the last entry this device logged receiving.
fn other_chain_problem(
    v: &Vault,
    device: Uuid,
    entries: &[(Uuid, Entry)],
    received: Option<&Checkpoint>,
) -> Result<Option<String>> {
    let key = v.audit_key();
    let tagger = v.tagger();
    let named = (!device.is_nil()).then_some(device);
    let mut prev = String::new();
    for (i, (id, e)) in entries.iter().enumerate() {
        let expected = i as u64 + 1;
        if e.seq != expected || e.prev != prev || *id != tagger.device_entry_id(named, e.seq) {
            return Ok(Some(format!(
                "entry {expected} of device {device} is missing, out of place or altered: the entries received from another device were edited"
            )));
        }
        prev = mac(key, e)?;
    }
    let count = entries.len() as u64;
    Ok(match received {
        None if count > 0 => Some(format!(
            "{count} entries of device {device} are in the file, but no sync logged receiving them: they were added without the vault key"
        )),
        Some(r) if r.seq != count || r.mac != prev => Some(format!(
            "the entries of device {device} end at {count}, but {} were received: entries were cut or put back",
            r.seq
        )),
        _ => None,
    })
}

/// The chain: entries 1..N with no gaps, each following the one before, each (from format 3 on)
/// at its own id, and the head naming the last.
fn chain_problem(
    v: &Vault,
    entries: &[(Uuid, Entry)],
    head: Option<&Head>,
) -> Result<Option<String>> {
    let key = v.audit_key();
    let tagger = v.tagger();
    let legacy = head
        .and_then(|h| h.ledger.as_ref())
        .map_or(u64::MAX, |l| l.legacy);
    let device = head.and_then(|h| h.device);
    let mut prev = String::new();
    for (i, (id, e)) in entries.iter().enumerate() {
        let expected = i as u64 + 1;
        if e.seq != expected {
            return Ok(Some(format!(
                "entry {expected} is missing (the next one is {}): entries were removed or reordered",
                e.seq
            )));
        }
        if e.prev != prev {
            return Ok(Some(format!(
                "entry {expected} does not follow entry {}: the log was edited or reordered there",
                expected - 1
            )));
        }
        if e.seq > legacy && *id != tagger.device_entry_id(device, e.seq) {
            return Ok(Some(format!(
                "entry {expected} is not where it belongs: it was copied from another place"
            )));
        }
        prev = mac(key, e)?;
    }
    let count = entries.len() as u64;
    Ok(match head {
        Some(h) if h.seq != count => Some(format!(
            "the log ends at entry {count} but its head says {}: entries were cut from the end, or an older head was put back",
            h.seq
        )),
        Some(h) if h.mac != prev => Some(format!("entry {count}, the last, was altered")),
        None if count > 0 => Some(NO_HEAD.into()),
        _ => None,
    })
}

/// What the log says a record should be: its latest version, its case, the entry that wrote it.
#[derive(Clone, Copy)]
struct Expected {
    case: Option<Uuid>,
    version: u32,
    seq: u64,
}

/// What the file must hold by the log: every record written and not deleted or erased since, at
/// the version last written; and, for the rest, the entry that removed them. Records are keyed by
/// the place of their kind in `kinds` (a vault has a handful) and their id.
struct Replay<'a> {
    kinds: Vec<&'a str>,
    live: HashMap<(usize, Uuid), Expected>,
    removed: HashMap<(usize, Uuid), u64>,
}

impl Replay<'_> {
    fn kind(&self, kind: &str) -> Option<usize> {
        self.kinds.iter().position(|k| *k == kind)
    }
}

/// Kinds the replay leaves to other checks: the log itself (the chain) and key slots (tallies).
fn replayed(kind: &str) -> bool {
    !matches!(kind, "audit" | "audit_head" | "key_slot")
}

/// This device's chain is replayed first, in order, as it always was; then each other device's
/// (team sync). Devices do not share a clock, so their entries are not interleaved; instead,
/// what another device wrote never brings back what anyone deleted or erased (ids are never
/// used again: a record written after its deletion was written before the deletion reached that
/// device), and a version is the highest any device wrote (two devices that wrote the same
/// version of a record offline hold a conflict, and the merge is a later version).
fn replay<'a>(chains: &'a Chains, tagger: &crate::vault::ledger::Tagger) -> Replay<'a> {
    let mut r = Replay {
        kinds: Vec::new(),
        live: HashMap::new(),
        removed: HashMap::new(),
    };
    let mut by_case: HashMap<Uuid, Vec<(usize, Uuid)>> = HashMap::new();
    let mut erased: HashMap<Uuid, u64> = HashMap::new();
    let own = chains.own.len();
    for (i, (_, e)) in chains.all().into_iter().enumerate() {
        let foreign = i >= own;
        let (Some(kind), Some(target)) = (e.kind.as_deref(), e.target) else {
            continue;
        };
        // What another device keeps for itself (its server login, its conflicts) is not here.
        if !replayed(kind) || (foreign && !crate::vault::replica::is_shared(kind)) {
            continue;
        }
        // Of another laptop's entries on the team's list, only a listing as first written
        // names a row here (`sync::team::takes_listing`).
        if foreign
            && kind == crate::sync::team::DEVICE_KIND
            && !crate::sync::team::takes_listing(tagger, e)
        {
            continue;
        }
        let k = r.kind(kind).unwrap_or_else(|| {
            r.kinds.push(kind);
            r.kinds.len() - 1
        });
        let key = (k, target);
        let case_erased = e.case.and_then(|c| erased.get(&c.uuid()).copied());
        if foreign
            && matches!(
                e.action,
                Action::Created | Action::Changed | Action::Settled
            )
        {
            if let Some(seq) = case_erased.filter(|_| !r.removed.contains_key(&key)) {
                r.live.remove(&key);
                r.removed.insert(key, seq);
            }
            if r.removed.contains_key(&key) {
                continue;
            }
        }
        match e.action {
            Action::Created => {
                let case = e.case.map(|c| c.uuid());
                let version = e.version.unwrap_or(1);
                let highest = r.live.get(&key).map_or(version, |x| x.version.max(version));
                r.live.insert(
                    key,
                    Expected {
                        case,
                        version: highest,
                        seq: e.seq,
                    },
                );
                r.removed.remove(&key);
                if let Some(c) = case {
                    by_case.entry(c).or_default().push(key);
                }
            }
            Action::Changed | Action::Settled => {
                let current = r.live.get(&key).map(|x| x.version);
                let next = current.map_or(1, |v| v.saturating_add(1));
                let version = e.version.unwrap_or(next);
                r.live.insert(
                    key,
                    Expected {
                        case: e.case.map(|c| c.uuid()),
                        version: current.map_or(version, |c| c.max(version)),
                        seq: e.seq,
                    },
                );
            }
            Action::Deleted => {
                r.live.remove(&key);
                r.removed.insert(key, e.seq);
            }
            Action::Erasure => {
                erased.insert(target, e.seq);
                let mut gone = by_case.remove(&target).unwrap_or_default();
                gone.extend(r.kind("case").map(|c| (c, target)));
                for g in gone {
                    if r.live.remove(&g).is_some() {
                        r.removed.insert(g, e.seq);
                    }
                }
            }
            _ => {}
        }
    }
    r
}

/// A record's versions as the file holds them.
struct Found {
    kind: String,
    id: Uuid,
    case: Option<Uuid>,
    count: u32,
    min: u32,
    max: u32,
}

fn found_records(v: &Vault) -> Result<Vec<Found>> {
    let mut stmt = v.conn().prepare(
        "SELECT kind, id, case_id, count(*), min(version), max(version) FROM records
         WHERE kind NOT IN ('audit', 'audit_head') GROUP BY kind, case_id, id",
    )?;
    let bad = || Error::Integrity {
        what: "a row of the records table".into(),
    };
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get::<_, Option<Vec<u8>>>(2)?,
            r.get::<_, u32>(3)?,
            r.get::<_, u32>(4)?,
            r.get::<_, u32>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, id, case, count, min, max) = row?;
        out.push(Found {
            kind,
            id: Uuid::from_slice(&id).map_err(|_| bad())?,
            case: case
                .map(|c| Uuid::from_slice(&c).map_err(|_| bad()))
                .transpose()?,
            count,
            min,
            max,
        });
    }
    Ok(out)
}

/// "the consent 0192… of case 2026-0003", or without the case when it cannot be read.
fn describe(v: &Vault, kind: &str, id: Uuid, case: Option<Uuid>) -> String {
    let number = |c: Uuid| {
        v.get::<crate::model::Case>(CaseId::from_uuid(c))
            .ok()
            .map(|c| c.record.number)
    };
    match (kind, case) {
        ("case", _) => match number(id) {
            Some(n) => format!("case {n} ({id})"),
            None => format!("the case {id}"),
        },
        (_, Some(c)) => match number(c) {
            Some(n) => format!("the {kind} {id} of case {n}"),
            None => format!("the {kind} {id}"),
        },
        (_, None) => format!("the {kind} {id}"),
    }
}

/// The log replayed against the rows in the file: each problem in words.
fn row_problems(v: &Vault, chains: &Chains, older: &HashSet<(&str, Uuid)>) -> Result<Vec<String>> {
    let mut replay = replay(chains, &v.tagger());
    let mut problems = Vec::new();
    for f in found_records(v)? {
        if !replayed(&f.kind) {
            continue;
        }
        let key = replay.kind(&f.kind).map(|k| (k, f.id));
        let what = || describe(v, &f.kind, f.id, f.case);
        let Some(expected) = key.and_then(|k| replay.live.remove(&k)) else {
            if older.contains(&(f.kind.as_str(), f.id)) {
                continue;
            }
            problems.push(match key.and_then(|k| replay.removed.get(&k)) {
                Some(seq) => format!(
                    "{} is in the file, but entry {seq} removed it: it was put back from an older copy",
                    what()
                ),
                None => format!(
                    "{} is in the file, but no log entry wrote it: it was added without the vault key",
                    what()
                ),
            });
            continue;
        };
        if f.max < expected.version {
            problems.push(format!(
                "{}: version {} (written at entry {}) is missing, so version {} reads as current: it was rolled back without the vault key",
                what(),
                expected.version,
                expected.seq,
                f.max
            ));
        } else if f.max > expected.version {
            problems.push(format!(
                "{}: version {} is in the file, but the log ends at version {}: it was added without the vault key",
                what(),
                f.max,
                expected.version
            ));
        } else if f.min != 1 || f.count != f.max {
            problems.push(format!(
                "{}: earlier versions are missing from its history",
                what()
            ));
        } else if f.case != expected.case {
            problems.push(format!("{}: it was moved to another case", what()));
        }
    }
    let mut missing: Vec<_> = replay.live.into_iter().collect();
    missing.sort_by_key(|(_, e)| e.seq);
    for ((kind, id), e) in missing {
        problems.push(format!(
            "{} (written at entry {}) is missing: it was deleted without the vault key",
            describe(v, replay.kinds[kind], id, e.case),
            e.seq
        ));
    }
    Ok(problems)
}

/// Each record version names the entry that wrote it, and that entry names it back with the hash
/// of its ciphertext. A version swapped in from another copy of the vault (where the same version
/// was written otherwise) fails here.
/// Entry `seq` is the upgrade to format 3.
fn upgrade_at(entries: &[(Uuid, Entry)], seq: u64) -> bool {
    seq.checked_sub(1)
        .and_then(|i| entries.get(usize::try_from(i).ok()?))
        .is_some_and(|(_, e)| e.action == Action::FormatUpgraded)
}

fn binding_problems(
    v: &Vault,
    chains: &Chains,
    own: Option<Uuid>,
    bound: &[Result<Bound>],
    upgrade_entry: Option<u64>,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for b in bound {
        let b = match b {
            Ok(b) => b,
            Err(e) => {
                problems.push(format!("{e}"));
                continue;
            }
        };
        if !replayed(&b.kind) {
            continue;
        }
        let what = || describe(v, &b.kind, b.id, b.case);
        let Some(seq) = b.seq else {
            problems.push(format!(
                "{} version {} names no log entry: it was put back from a copy older than this vault's format",
                what(),
                b.version
            ));
            continue;
        };
        if Some(seq) == upgrade_entry && b.device == own {
            continue;
        }
        let entries = chains.of(b.device, own);
        let names_it = seq
            .checked_sub(1)
            .and_then(|i| entries.get(usize::try_from(i).ok()?))
            .is_some_and(|(_, e)| {
                e.kind.as_deref() == Some(b.kind.as_str())
                    && e.target == Some(b.id)
                    && e.version == Some(b.version)
                    && e.sealed.as_deref() == Some(b.sealed.as_str())
            });
        if !names_it {
            problems.push(format!(
                "{} version {} is not what entry {seq} wrote: it was copied in from another copy of the vault",
                what(),
                b.version
            ));
        }
    }
    Ok(problems)
}

/// Checks the whole log and replays it against the file: every entry, its place in the chain,
/// the head, and every row the file holds. Names the first problem and counts the rest.
pub fn verify(v: &Vault) -> Result<AuditReport> {
    let head = match head(v) {
        Ok(h) => h.record,
        Err(Error::AuditBroken(why)) => return Ok(AuditReport::broken(0, why, 0)),
        Err(Error::Integrity { .. }) => {
            return Ok(AuditReport::broken(
                0,
                "the log's head was altered: it fails its integrity check".into(),
                0,
            ));
        }
        Err(e) => return Err(e),
    };
    let chains = match opened_entries(v)? {
        Ok(e) => chains(e, head.device),
        Err(why) => return Ok(AuditReport::broken(0, why, 0)),
    };
    let entries = &chains.own;
    let count = entries.len() as u64;
    if let Some(why) = chain_problem(v, entries, Some(&head))? {
        return Ok(AuditReport::broken(count, why, 0));
    }
    let Some(ledger) = &head.ledger else {
        // A copy written before format 3 (a backup being checked): the chain is all it has.
        return Ok(AuditReport {
            entries: count,
            broken: None,
            more: 0,
            intact: None,
        });
    };
    let bound = v.bound_entries()?;
    // Records from before an upgrade to format 3, which the log may not have written (vaults
    // older than it); they bind the upgrade's entry, and the tallies vouch for them.
    let upgrade_entry = ledger
        .upgraded
        .then(|| ledger.legacy + 1)
        .filter(|&u| upgrade_at(entries, u));
    let older: HashSet<(&str, Uuid)> = bound
        .iter()
        .filter_map(|b| b.as_ref().ok())
        .filter(|b| b.seq.is_some() && b.seq == upgrade_entry && b.device == head.device)
        .map(|b| (b.kind.as_str(), b.id))
        .collect();
    let mut problems = Vec::new();
    let mut devices: BTreeSet<Uuid> = chains.others.keys().copied().collect();
    devices.extend(ledger.devices.keys());
    for device in devices {
        let received = chains.others.get(&device).map_or(&[][..], Vec::as_slice);
        if let Some(why) = other_chain_problem(v, device, received, ledger.devices.get(&device))? {
            problems.push(why);
        }
    }
    problems.extend(row_problems(v, &chains, &older)?);
    problems.extend(binding_problems(
        v,
        &chains,
        head.device,
        &bound,
        upgrade_entry,
    )?);
    if problems.is_empty() {
        if let Some(why) = tally_problem(ledger.tallies()?, v.tally_rows()?) {
            problems.push(why);
        }
    }
    let mut problems = problems.into_iter();
    Ok(match problems.next() {
        Some(first) => AuditReport::broken(count, first, problems.len() as u64),
        None => AuditReport {
            entries: count,
            broken: None,
            more: 0,
            intact: Some(Checkpoint {
                seq: head.seq,
                mac: head.mac,
            }),
        },
    })
}

/// Entries, oldest first, optionally only those of a case or since a day.
pub fn list(vault: &Vault, case: Option<CaseId>, since: Option<NaiveDate>) -> Result<Vec<Entry>> {
    let mut all: Vec<Entry> = vault
        .list::<Entry>(None)?
        .into_iter()
        .map(|s: Stored<Entry>| s.record)
        .filter(|e| case.is_none_or(|c| e.case == Some(c)))
        .filter(|e| since.is_none_or(|d| e.at.date_naive() >= d))
        .collect();
    all.sort_by_key(|e| e.seq);
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{KdfParams, Passphrase};

    /// Someone holding the vault key can re-seal an entry so that it decrypts; the chain still
    /// shows where it was changed.
    #[test]
    fn an_entry_rewritten_with_the_key_breaks_the_chain_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let (vault, _) = Vault::create(
            &dir.path().join("v.silta"),
            "Kaisa",
            &Passphrase::new("correct horse battery"),
            KdfParams::CHEAP_FOR_TESTS,
        )
        .unwrap();
        for _ in 0..3 {
            log(&vault, Event::new(Action::Export)).unwrap();
        }
        let mut entries = vault.list::<Entry>(None).unwrap();
        entries.sort_by_key(|e| e.record.seq);
        let second = &entries[1];
        let mut forged = second.record.clone();
        forged.user = "Mallory".into();
        vault.update(second, &forged).unwrap();
        let broken = verify(&vault).unwrap().broken.unwrap();
        assert!(
            broken.contains("entry 3 does not follow entry 2"),
            "{broken}"
        );
    }
}
