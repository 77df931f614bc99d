//! What a device takes from the server (docs/sync.md, section 4). Nothing is taken on the
//! server's word: a document must open under the team's key at its own id and revision; another
//! device's entries are taken only in their chain's order, each following the last one taken;
//! a record version only when an entry taken names it, with the hash of its ciphertext; a chunk
//! only of an attachment the file holds. What cannot be taken yet waits for the next sync.
//! What is taken lands in one transaction with this device's own entry logging it.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use super::SyncConflict;
use crate::audit::{self, Action, Checkpoint, Entry, Event};
use crate::error::Result;
use crate::ids::{AttachmentId, CaseId, RecordId};
use crate::vault::replica::{Incoming, Received};
use crate::vault::{Record, Vault};

/// What taking a batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Taken {
    pub rows: usize,
    pub entries: usize,
    pub conflicts: usize,
    pub waiting: usize,
    /// Entries, and the rows they name, of laptops removed from the team, after their removal.
    pub cut_off: usize,
    /// Entries not signed by the laptop whose chain they are in (`signing`): written by someone
    /// else with the team's key.
    pub forged: usize,
}

/// A record version received, and the entry (device, number) it binds.
struct Version {
    row: Received,
    doc: String,
    rev: String,
    device: Option<Uuid>,
    seq: u64,
}

/// How many entries in `docs` this laptop signed, at their own place in its chain, that its
/// file does not hold: another copy of the file (one put back from a backup, or used on a
/// second computer) wrote them. An entry the file holds, sealed again by someone who holds the
/// team's keys, is not one; nor is one at another place, which no copy of this laptop wrote.
pub(crate) fn own_elsewhere(v: &Vault, docs: &[(String, String, Incoming)]) -> Result<usize> {
    let own = v.device()?;
    let tagger = v.tagger();
    let mut found = 0;
    for (_, _, row) in docs {
        let Incoming::Record(r) = row else {
            continue;
        };
        // Only this laptop signs its entries (so the entry is in its name), and each has one
        // place; what the file holds there, if anything, is what it wrote.
        let Some((entry, _, _)) = v.open_received::<Entry>(r) else {
            continue;
        };
        if r.id != tagger.device_entry_id(own, entry.seq)
            || !super::signing::signed_by_this_laptop(v, &entry)?
        {
            continue;
        }
        let held = v
            .get::<Entry>(crate::ids::AuditId::from_uuid(r.id))
            .ok()
            .map(|s| s.record);
        if held.as_ref() != Some(&entry) {
            found += 1;
        }
    }
    Ok(found)
}

/// Takes what `docs` (document id, revision, opened row) allow, in one transaction.
pub(crate) fn take(v: &Vault, docs: Vec<(String, String, Incoming)>) -> Result<Taken> {
    let own = v.device()?;
    let mut taken = Taken::default();
    // Other devices' entries, by device (the first device as the nil UUID) and number: every
    // one the server holds at that place (a forged one beside the real one, as a conflict).
    let mut entries: BTreeMap<Uuid, BTreeMap<u64, Vec<(Received, Entry)>>> = BTreeMap::new();
    let mut versions = Vec::new();
    let mut chunks = Vec::new();
    for (doc, rev, row) in docs {
        match row {
            Incoming::Record(r) if r.kind == Entry::KIND => {
                let Some((entry, _, _)) = v.open_received::<Entry>(&r) else {
                    taken.waiting += 1;
                    continue;
                };
                if entry.device == own {
                    // This laptop's own (`own_elsewhere` looks for any it did not write here).
                    continue;
                }
                // The first laptop is named by no id: the nil one is no laptop's. And an entry
                // is only at its own place (its id, version 1, under no case): a copy elsewhere
                // would stand in for the real one, or go with a case's erasure.
                if entry.device.is_some_and(|d| d.is_nil())
                    || r.id != v.tagger().device_entry_id(entry.device, entry.seq)
                    || r.version != 1
                    || r.case.is_some()
                {
                    taken.forged += 1;
                    continue;
                }
                let at = entries
                    .entry(entry.device.unwrap_or_default())
                    .or_default()
                    .entry(entry.seq)
                    .or_default();
                // One entry twice (the same document, or the entry sealed again by someone who
                // holds the team's keys) is one entry, not two copies of a laptop's.
                if !at.iter().any(|(_, held)| *held == entry) {
                    at.push((r, entry));
                }
            }
            Incoming::Record(r) => match v.binding_of(&r) {
                Some((_, Some(d))) if d.is_nil() => taken.forged += 1,
                Some((seq, device)) if device != own => versions.push(Version {
                    device,
                    seq,
                    doc,
                    rev,
                    row: r,
                }),
                Some(_) => {}
                None => taken.waiting += 1,
            },
            Incoming::Chunk {
                attachment,
                index,
                sealed,
            } => chunks.push((attachment, index, sealed)),
        }
    }
    // What any device deleted or erased, as far as this file and this batch tell: never taken
    // again (a write that crossed a deletion offline, or a server holding back the deletion's
    // device for a sync, must not bring it back).
    let mut gone = audit::decided(v)?;
    let vault = v.id().uuid();
    let signers = super::signing::signers(v)?;
    let signed = |e: &Entry, signers: &super::signing::Signers| {
        signers.check(vault, e) == super::signing::Check::Good
    };
    for e in entries
        .values()
        .flat_map(BTreeMap::values)
        .flatten()
        .map(|(_, e)| e)
        .filter(|e| signed(e, &signers))
    {
        gone.note(e);
    }
    let checkpoints = audit::received(v)?;
    // And what the first laptop deleted before the team began, in the run of its unsigned
    // entries this pull may take (a record it made and deleted then is in no file: its entry
    // must not wait for it).
    if let (Some(first), Some(chain)) = (signers.first_signed(), entries.get(&Uuid::nil())) {
        let at = checkpoints
            .get(&Uuid::nil())
            .cloned()
            .unwrap_or(Checkpoint {
                seq: 0,
                mac: String::new(),
            });
        for (seq, i) in early_run(v, chain, &at, first)? {
            if let Some((_, e)) = chain.get(&seq).and_then(|c| c.get(i)) {
                gone.note(e);
            }
        }
    }
    // Chains of laptops removed from the team end at their removal: as the file says, and as
    // removals this pull takes say (versions whose entry comes in this batch, in a chain that
    // reaches it from where this file has taken it, and names them by their ciphertext).
    // What the file already says is final; a chain it says ended vouches for nothing after.
    let settled = super::team::chain_ends(v)?;
    let tagger = v.tagger();
    let mut marks: Vec<&Received> = Vec::new();
    // Each chain as it will be taken (one entry at each place from where this file is, each
    // following the last, signed), worked out once per pull.
    let mut runs: HashMap<Uuid, BTreeMap<u64, &Entry>> = HashMap::new();
    for x in versions
        .iter()
        .filter(|x| x.row.kind == super::team::DEVICE_KIND)
    {
        let device = x.device.unwrap_or_default();
        if settled.get(&device).is_some_and(|end| x.seq > *end) {
            continue;
        }
        let Some(chain) = entries.get(&device) else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(place) = runs.entry(device) {
            let at = checkpoints.get(&device).cloned().unwrap_or(Checkpoint {
                seq: 0,
                mac: String::new(),
            });
            let early = match signers.first_signed() {
                Some(first) if device.is_nil() => early_run(v, chain, &at, first)?,
                _ => HashMap::new(),
            };
            let named = (!device.is_nil()).then_some(device);
            place.insert(run_of(v, chain, named, at, &early, |e| {
                signed(e, &signers)
            })?);
        }
        let wrote = runs.get(&device).and_then(|run| run.get(&x.seq));
        if wrote.is_some_and(|e| {
            e.target == Some(x.row.id)
                && e.version == Some(x.row.version)
                && e.sealed.as_deref() == Some(crate::vault::sealed_hash(&x.row.sealed).as_str())
                && super::team::takes_listing(&tagger, e)
        }) {
            marks.push(&x.row);
        }
    }
    // The file's removals are read once, for both.
    let ends = super::team::with_marks(v, super::team::with_learnt(v, settled.clone())?, &marks);
    let cut = |device: &Uuid, seq: u64| ends.get(device).is_some_and(|end| seq > *end);
    // Cut off for good only by what the file says: a cut that rests on a removal taken in this
    // pull waits (the pull is read again), so that a mark that turns out not to be taken skips
    // nothing for good.
    let cut_for_good = |device: &Uuid, seq: u64| settled.get(device).is_some_and(|end| seq > *end);
    // Versions by the entry that wrote them.
    let mut by_entry: HashMap<(Uuid, u64), Vec<Version>> = HashMap::new();
    for x in versions {
        by_entry
            .entry((x.device.unwrap_or_default(), x.seq))
            .or_default()
            .push(x);
    }
    v.write(|v| {
        let mut received = audit::received(v)?;
        let mut applied: Vec<Entry> = Vec::new();
        // Chains are read again while a pass takes a listing: a laptop listed in one chain is
        // checked in the next pass (a team's newest laptop, in the pull that brings its listing
        // too). Nothing else a pass takes lets another chain move on.
        let mut signers = signers;
        let mut listed_more = true;
        while listed_more {
            listed_more = false;
            for (device, chain) in &mut entries {
                let mut at = received.get(device).cloned().unwrap_or(Checkpoint {
                    seq: 0,
                    mac: String::new(),
                });
                let named = (!device.is_nil()).then_some(*device);
                let early = match signers.first_signed() {
                    Some(first) if named.is_none() => early_run(v, chain, &at, first)?,
                    _ => HashMap::new(),
                };
                loop {
                    let next = at.seq + 1;
                    if cut(device, next) {
                        break;
                    }
                    // The one the server holds there that follows the last taken, in its
                    // place, signed by its laptop. Two that do are two copies of one laptop's
                    // file, each written on (one restored from a backup): which is the laptop's
                    // cannot be told, so neither is taken and its chain waits, the same on
                    // every laptop.
                    let [found] = following(
                        &tagger,
                        named,
                        chain.get(&next).map_or(&[], Vec::as_slice),
                        &at.mac,
                        early.get(&next).copied(),
                        |e| signed(e, &signers),
                    )[..] else {
                        break;
                    };
                    // The rows it names must be here, or come now, or it waits.
                    let mut rows = by_entry.remove(&(*device, next)).unwrap_or_default();
                    let Some(ready) = ready(v, &chain[&next][found].1, &mut rows, &gone)? else {
                        by_entry.insert((*device, next), rows);
                        break;
                    };
                    let Some((row, entry)) = chain.remove(&next).map(|mut c| c.swap_remove(found))
                    else {
                        break;
                    };
                    for x in rows
                        .into_iter()
                        .filter(|x| ready.contains(&(x.doc.clone(), x.rev.clone())))
                    {
                        take_version(v, x, &gone, &mut taken)?;
                    }
                    v.insert_received(&row)?;
                    // What it settled is settled for the chains taken after it, in this pull too
                    // (and what it deleted, if it was not checked before: the first laptop's
                    // entries from before the team).
                    gone.note_settled(&entry);
                    gone.note(&entry);
                    at = Checkpoint {
                        seq: entry.seq,
                        mac: audit::mac_of(v, &entry)?,
                    };
                    taken.entries += 1;
                    listed_more |= entry.kind.as_deref() == Some(super::team::DEVICE_KIND);
                    applied.push(entry);
                }
                if at.seq > 0 && received.get(device) != Some(&at) {
                    received.insert(*device, at.clone());
                    v.pending_devices.borrow_mut().insert(*device, at);
                }
            }
            if listed_more {
                signers = super::signing::signers(v)?;
            }
        }
        for (device, chain) in &entries {
            let done = received.get(device).map_or(0, |at| at.seq);
            // Numbers taken before: other sides of them the server still holds wait for nothing.
            for (seq, at) in chain.range(done + 1..) {
                if cut_for_good(device, *seq) {
                    taken.cut_off += at.len();
                } else if at
                    .iter()
                    .all(|(_, e)| signers.check(vault, e) == super::signing::Check::Forged)
                {
                    taken.forged += at.len();
                } else {
                    taken.waiting += at.len();
                }
            }
        }
        // A version whose entry was taken before has been dealt with then (taken, kept as a
        // conflict, or left as deleted); one the server still offers (the other side of a
        // conflict since settled) is not waiting for anything.
        for ((device, seq), rows) in &by_entry {
            if cut_for_good(device, *seq) {
                taken.cut_off += rows.len();
            } else if received.get(device).is_none_or(|at| *seq > at.seq) {
                taken.waiting += rows.len();
            }
        }
        for (attachment, index, sealed) in chunks {
            // A chunk of an attachment the file holds, at an index it has, that opens there (so
            // a chunk forged or put at another place is never kept in place of the real one).
            let Ok(record) = v.get::<crate::model::Attachment>(AttachmentId::from_uuid(attachment))
            else {
                taken.waiting += 1;
                continue;
            };
            let fits = index < record.record.chunks
                && v.chunk_opens(attachment, index, record.record.chunks, &sealed);
            if fits && !v.has_chunk(attachment, index)? {
                v.insert_received_chunk(attachment, index, &sealed)?;
                taken.rows += 1;
            }
        }
        // What the other devices deleted, erased or settled goes here too, after what they
        // wrote.
        for e in &applied {
            apply_decided(v, e)?;
        }
        if taken.entries + taken.rows + taken.conflicts > 0 {
            let mut event = Event::new(Action::Received);
            event.detail = Some(format!(
                "{} rows and {} entries of other devices, {} conflicts",
                taken.rows, taken.entries, taken.conflicts
            ));
            audit::log(v, event)?;
        }
        Ok(())
    })?;
    Ok(taken)
}

/// Which of `candidates`, the entries the server holds at one place of `named`'s chain, follow
/// the entry whose HMAC is `mac`: at their own id, in that laptop's name, signed by it (or the
/// one of the first laptop's early run there, `early`).
fn following(
    tagger: &crate::vault::ledger::Tagger,
    named: Option<Uuid>,
    candidates: &[(Received, Entry)],
    mac: &str,
    early: Option<usize>,
    signed: impl Fn(&Entry) -> bool,
) -> Vec<usize> {
    candidates
        .iter()
        .enumerate()
        .filter(|(i, (row, entry))| {
            row.id == tagger.device_entry_id(named, entry.seq)
                && entry.prev == mac
                && entry.device == named
                && (signed(entry) || early == Some(*i))
        })
        .map(|(i, _)| i)
        .collect()
}

/// `named`'s chain from `at` as it would be taken, by number: as long as exactly one entry
/// follows at each place.
fn run_of<'c>(
    v: &Vault,
    chain: &'c BTreeMap<u64, Vec<(Received, Entry)>>,
    named: Option<Uuid>,
    at: Checkpoint,
    early: &HashMap<u64, usize>,
    signed: impl Fn(&Entry) -> bool,
) -> Result<BTreeMap<u64, &'c Entry>> {
    let tagger = v.tagger();
    let mut mac = at.mac;
    let mut run = BTreeMap::new();
    let mut seq = at.seq + 1;
    while let Some(candidates) = chain.get(&seq) {
        let [one] = following(
            &tagger,
            named,
            candidates,
            &mac,
            early.get(&seq).copied(),
            &signed,
        )[..] else {
            break;
        };
        let entry = &candidates[one].1;
        mac = audit::mac_of(v, entry)?;
        run.insert(seq, entry);
        seq += 1;
    }
    Ok(run)
}

/// The first laptop's entries from before the team began (unsigned, numbers below `from`) that
/// may be taken, by number and which of the candidates there: only the run from the one after
/// `at` up to the entry whose HMAC the enrolment named (`before`), each the one whose HMAC the
/// next names as `prev`. So a run of someone else's making is never taken (an HMAC under the
/// team's audit key, which every member holds, is still SHA-256: no other entry makes the same
/// one).
fn early_run(
    v: &Vault,
    chain: &BTreeMap<u64, Vec<(Received, Entry)>>,
    at: &Checkpoint,
    (from, before): (u64, &str),
) -> Result<HashMap<u64, usize>> {
    let mut run = HashMap::new();
    if at.seq + 1 >= from {
        return Ok(run);
    }
    let mut prev = before.to_string();
    for seq in (at.seq + 1..from).rev() {
        let mut found = None;
        for (i, (_, e)) in chain.get(&seq).into_iter().flatten().enumerate() {
            if audit::mac_of(v, e)? == prev {
                found = Some((i, e.prev.clone()));
                break;
            }
        }
        let Some((i, before)) = found else {
            return Ok(HashMap::new());
        };
        run.insert(seq, i);
        prev = before;
    }
    Ok(if prev == at.mac { run } else { HashMap::new() })
}

/// Whether the rows `entry` names are in the file or among `rows`: the ids of the documents to
/// take with it, or `None` when one is missing (the entry then waits).
fn ready(
    v: &Vault,
    entry: &Entry,
    rows: &mut [Version],
    gone: &audit::Decided,
) -> Result<Option<Vec<(String, String)>>> {
    let (
        Action::Created | Action::Changed | Action::Settled,
        Some(kind),
        Some(target),
        Some(version),
    ) = (
        entry.action,
        entry.kind.as_deref(),
        entry.target,
        entry.version,
    )
    else {
        return Ok(Some(Vec::new()));
    };
    if !crate::vault::replica::is_shared(kind)
        || kind == Entry::KIND
        || gone.covers(kind, target, entry.case.map(|c| c.uuid()))
        || (kind == super::team::DEVICE_KIND && !super::team::takes_listing(&v.tagger(), entry))
    {
        return Ok(Some(Vec::new()));
    }
    let named = rows.iter().find(|x| {
        x.row.kind == kind
            && x.row.id == target
            && x.row.version == version
            && entry.sealed.as_deref() == Some(crate::vault::sealed_hash(&x.row.sealed).as_str())
    });
    match named {
        Some(x) => Ok(Some(vec![(x.doc.clone(), x.rev.clone())])),
        // Already here as that entry wrote it (taken before). Written otherwise here, the row
        // itself must come, to be kept beside as a conflict: until then the entry waits.
        None => {
            let here = v.sealed_version(target, version)?;
            let same = here.is_some_and(|h| {
                entry.sealed.as_deref() == Some(crate::vault::sealed_hash(&h).as_str())
            });
            Ok(same.then(Vec::new))
        }
    }
}

/// Puts a received version in the file, or beside it when the file holds that version as this
/// device wrote it otherwise (two devices edited offline): a conflict, both kept. A conflict some
/// device has settled already is not kept again.
fn take_version(v: &Vault, x: Version, gone: &audit::Decided, taken: &mut Taken) -> Result<()> {
    let r = &x.row;
    match v.sealed_version(r.id, r.version)? {
        None => {
            v.insert_received(r)?;
            taken.rows += 1;
        }
        Some(here) if here == r.sealed => {}
        Some(_) if gone.settles(r.id, &crate::vault::sealed_hash(&r.sealed)) => {}
        Some(_) => {
            v.insert(
                r.case.map(CaseId::from_uuid),
                &SyncConflict {
                    doc: x.doc,
                    rev: x.rev,
                    kind: r.kind.clone(),
                    record: r.id,
                    version: r.version,
                    device: x.device,
                    sealed: hex::encode(&r.sealed),
                },
            )?;
            taken.conflicts += 1;
        }
    }
    Ok(())
}

/// Another device deleted a record, erased a case or settled a conflict: so does this one.
fn apply_decided(v: &Vault, e: &Entry) -> Result<()> {
    match (e.action, e.target) {
        (Action::Settled, Some(record)) => {
            let sides: Vec<String> = audit::settled_sides(e)
                .into_iter()
                .map(|(_, sealed)| sealed)
                .collect();
            super::conflict::drop_conflicts(v, record, |c| sides.contains(&c.sealed_hash()))?;
        }
        // Only a record of the kind the entry names, and only of the kinds devices share: never
        // an audit entry, a head, this device's own settings, or the team's list (a removal
        // marks a laptop; it is never deleted).
        (Action::Deleted, Some(target)) => {
            let Some(kind) = e.kind.as_deref().filter(|k| {
                crate::vault::replica::is_shared(k)
                    && *k != Entry::KIND
                    && *k != super::team::DEVICE_KIND
            }) else {
                return Ok(());
            };
            if kind == crate::model::Attachment::KIND {
                v.delete_chunks(target)?;
            }
            v.delete_record_rows(kind, target)?;
            // Nothing is left to settle of a record deleted.
            super::conflict::drop_conflicts(v, target, |_| true)?;
        }
        (Action::Erasure, Some(case)) => {
            let attachments: Vec<AttachmentId> = v
                .list::<crate::model::Attachment>(Some(CaseId::from_uuid(case)))?
                .into_iter()
                .map(|a| a.id)
                .collect();
            v.purge_case(CaseId::from_uuid(case), &attachments)?;
        }
        _ => {}
    }
    Ok(())
}
