//! The byte envelopes around every ciphertext in the vault: records and attachment chunks.
//! Associated data binds each ciphertext to where it belongs (vault, kind, id, version, case;
//! attachment, chunk index, last-chunk flag), so a ciphertext moved anywhere else fails to open.
//! Layouts are specified in docs/vault-format.md.

use aes_gcm::Aes256Gcm;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::keys;

/// Envelope format 1 is sealed under the first key epoch's key; format 2 names its epoch
/// (a u32) after the format byte. Both formats serve records and chunks alike.
const FIRST_EPOCH: u8 = 1;
const NAMED_EPOCH: u8 = 2;
const RECORD_AAD_PREFIX: &[u8] = b"silta/record/v1";
const CHUNK_AAD_PREFIX: &[u8] = b"silta/chunk/v1";
const DOCUMENT_AAD_PREFIX: &[u8] = b"silta/sync/v1";

/// Record plaintexts are padded to a multiple of this, so the file shows sizes only coarsely.
const PAD_TO: usize = 256;

/// Where a record version lives; all of it is bound into the ciphertext.
pub(crate) struct RecordPlace<'a> {
    pub vault: Uuid,
    pub kind: &'a str,
    pub id: Uuid,
    pub version: u64,
    pub case: Option<Uuid>,
}

impl RecordPlace<'_> {
    pub(crate) fn aad(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(RECORD_AAD_PREFIX.len() + 60 + self.kind.len());
        aad.extend_from_slice(RECORD_AAD_PREFIX);
        aad.extend_from_slice(self.vault.as_bytes());
        aad.push(self.kind.len() as u8);
        aad.extend_from_slice(self.kind.as_bytes());
        aad.extend_from_slice(self.id.as_bytes());
        aad.extend_from_slice(&self.version.to_be_bytes());
        match self.case {
            Some(case) => {
                aad.push(1);
                aad.extend_from_slice(case.as_bytes());
            }
            None => aad.push(0),
        }
        aad
    }
}

/// `format [|| epoch] || nonce || AES-256-GCM(len_be32 || json || zero padding)`, under the
/// current (last) epoch's cipher of `ciphers`.
pub(crate) fn seal_record(
    ciphers: &[Aes256Gcm],
    place: &RecordPlace<'_>,
    json: &[u8],
) -> crate::Result<Vec<u8>> {
    let len = u32::try_from(json.len())
        .map_err(|_| crate::Error::invalid("a record is larger than 4 GiB"))?;
    let padded_len = padded_len(json.len());
    let mut plain = Zeroizing::new(Vec::with_capacity(padded_len));
    plain.extend_from_slice(&len.to_be_bytes());
    plain.extend_from_slice(json);
    plain.resize(padded_len, 0);
    seal(ciphers, &place.aad(), &plain)
}

/// The length of a record's plaintext holding `json_len` bytes of JSON.
fn padded_len(json_len: usize) -> usize {
    (4 + json_len).div_ceil(PAD_TO) * PAD_TO
}

/// A team sync document's body (docs/sync.md): padded like a record, so that the server sees
/// its size only in steps of 256 bytes, and bound to the vault and the document's id, so a body
/// copied under another id, or into another team's database, does not open.
pub(crate) fn seal_document(
    ciphers: &[Aes256Gcm],
    vault: Uuid,
    doc_id: &str,
    body: &[u8],
) -> crate::Result<Vec<u8>> {
    let len = u32::try_from(body.len())
        .map_err(|_| crate::Error::invalid("a document is larger than 4 GiB"))?;
    let mut plain = Zeroizing::new(Vec::with_capacity(padded_len(body.len())));
    plain.extend_from_slice(&len.to_be_bytes());
    plain.extend_from_slice(body);
    plain.resize(padded_len(body.len()), 0);
    seal(ciphers, &document_aad(vault, doc_id), &plain)
}

pub(crate) fn open_document(
    ciphers: &[Aes256Gcm],
    vault: Uuid,
    doc_id: &str,
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let plain = open(ciphers, &document_aad(vault, doc_id), sealed)?;
    let (len, rest) = plain.split_first_chunk::<4>()?;
    let len = u32::from_be_bytes(*len) as usize;
    let (body, padding) = rest.split_at_checked(len)?;
    if plain.len() != padded_len(len) || padding.iter().any(|&b| b != 0) {
        return None;
    }
    Some(Zeroizing::new(body.to_vec()))
}

fn document_aad(vault: Uuid, doc_id: &str) -> Vec<u8> {
    let mut aad = DOCUMENT_AAD_PREFIX.to_vec();
    aad.extend_from_slice(vault.as_bytes());
    aad.extend_from_slice(doc_id.as_bytes());
    aad
}

/// The record's JSON, or `None` if the envelope is malformed, misplaced, tampered with, or sealed
/// under an epoch none of `ciphers` belongs to.
pub(crate) fn open_record(
    ciphers: &[Aes256Gcm],
    place: &RecordPlace<'_>,
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let plain = open(ciphers, &place.aad(), sealed)?;
    let (len, body) = plain.split_first_chunk::<4>()?;
    let len = u32::from_be_bytes(*len) as usize;
    let (json, padding) = body.split_at_checked(len)?;
    // One spelling of each record: padded with zeros to the next multiple of 256 bytes and no
    // further, as `seal_record` writes it (docs/vault-format.md, section 4).
    if plain.len() != padded_len(len) || padding.iter().any(|&b| b != 0) {
        return None;
    }
    Some(Zeroizing::new(json.to_vec()))
}

/// Where an attachment chunk lives.
pub(crate) struct ChunkPlace {
    pub vault: Uuid,
    pub attachment: Uuid,
    pub index: u32,
    pub last: bool,
}

impl ChunkPlace {
    fn aad(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(CHUNK_AAD_PREFIX.len() + 37);
        aad.extend_from_slice(CHUNK_AAD_PREFIX);
        aad.extend_from_slice(self.vault.as_bytes());
        aad.extend_from_slice(self.attachment.as_bytes());
        aad.extend_from_slice(&self.index.to_be_bytes());
        aad.push(u8::from(self.last));
        aad
    }
}

/// `format [|| epoch] || nonce || AES-256-GCM(chunk bytes)`.
pub(crate) fn seal_chunk(
    ciphers: &[Aes256Gcm],
    place: &ChunkPlace,
    data: &[u8],
) -> crate::Result<Vec<u8>> {
    seal(ciphers, &place.aad(), data)
}

pub(crate) fn open_chunk(
    ciphers: &[Aes256Gcm],
    place: &ChunkPlace,
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    open(ciphers, &place.aad(), sealed)
}

/// The key epoch a sealed record or chunk names, without opening it; `None` if malformed.
pub(crate) fn epoch_of(sealed: &[u8]) -> Option<u32> {
    split(sealed).map(|(epoch, _)| epoch)
}

/// The epoch and the `nonce || ciphertext` after it. A format-2 envelope naming epoch 0 is not
/// one Silta writes: refused, so each ciphertext has exactly one spelling.
fn split(sealed: &[u8]) -> Option<(u32, &[u8])> {
    match sealed.split_first()? {
        (&FIRST_EPOCH, body) => Some((0, body)),
        (&NAMED_EPOCH, rest) => {
            let (epoch, body) = rest.split_first_chunk::<4>()?;
            Some((u32::from_be_bytes(*epoch), body)).filter(|(e, _)| *e > 0)
        }
        _ => None,
    }
}

/// Seals under the last of `ciphers`, naming its epoch unless it is the first (whose envelopes
/// are the same as before epochs existed, so an unrotated vault reads as format 3 did).
fn seal(ciphers: &[Aes256Gcm], aad: &[u8], plain: &[u8]) -> crate::Result<Vec<u8>> {
    let Some((cipher, earlier)) = ciphers.split_last() else {
        return Err(crate::Error::invalid("no key to seal with"));
    };
    let mut out = match u32::try_from(earlier.len()) {
        Ok(0) => vec![FIRST_EPOCH],
        Ok(epoch) => {
            let mut out = vec![NAMED_EPOCH];
            out.extend_from_slice(&epoch.to_be_bytes());
            out
        }
        Err(_) => return Err(crate::Error::invalid("too many key epochs")),
    };
    out.extend_from_slice(&keys::seal(cipher, aad, plain)?);
    Ok(out)
}

fn open(ciphers: &[Aes256Gcm], aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (epoch, body) = split(sealed)?;
    keys::open(ciphers.get(epoch as usize)?, aad, body)
}

#[cfg(test)]
mod tests {
    use aes_gcm::KeyInit;

    use super::*;

    fn cipher() -> [Aes256Gcm; 1] {
        [Aes256Gcm::new(&keys::random_bytes::<32>().into())]
    }

    fn place(version: u64) -> RecordPlace<'static> {
        RecordPlace {
            vault: Uuid::nil(),
            kind: "note",
            id: Uuid::max(),
            version,
            case: None,
        }
    }

    #[test]
    fn a_record_round_trips_and_is_padded() {
        let c = cipher();
        let sealed = seal_record(&c, &place(1), b"{\"a\":1}").unwrap();
        assert_eq!(sealed.len(), 1 + 12 + 256 + 16);
        assert_eq!(
            open_record(&c, &place(1), &sealed).unwrap().as_slice(),
            b"{\"a\":1}"
        );
    }

    #[test]
    fn a_record_padded_short_long_or_not_with_zeros_does_not_open() {
        let c = cipher();
        let json = b"{\"a\":1}";
        let with = |total: usize, fill: u8| {
            let mut plain = (json.len() as u32).to_be_bytes().to_vec();
            plain.extend_from_slice(json);
            plain.resize(total, fill);
            seal(&c, &place(1).aad(), &plain).unwrap()
        };
        assert!(open_record(&c, &place(1), &with(256, 0)).is_some());
        assert!(open_record(&c, &place(1), &with(200, 0)).is_none(), "short");
        assert!(
            open_record(&c, &place(1), &with(512, 0)).is_none(),
            "a block too many"
        );
        assert!(
            open_record(&c, &place(1), &with(256, 7)).is_none(),
            "not zeros"
        );
    }

    #[test]
    fn a_record_does_not_open_at_another_version_or_place() {
        let c = cipher();
        let sealed = seal_record(&c, &place(2), b"{}").unwrap();
        assert!(open_record(&c, &place(1), &sealed).is_none());
        let other_kind = RecordPlace {
            kind: "case",
            ..place(2)
        };
        assert!(open_record(&c, &other_kind, &sealed).is_none());
        let under_a_case = RecordPlace {
            case: Some(Uuid::nil()),
            ..place(2)
        };
        assert!(open_record(&c, &under_a_case, &sealed).is_none());
    }

    #[test]
    fn every_flipped_bit_is_rejected() {
        let c = cipher();
        let sealed = seal_record(&c, &place(1), b"{}").unwrap();
        for i in 0..sealed.len() * 8 {
            let mut bad = sealed.clone();
            bad[i / 8] ^= 1 << (i % 8);
            assert!(open_record(&c, &place(1), &bad).is_none(), "bit {i}");
        }
    }

    #[test]
    fn a_chunk_is_bound_to_its_index_and_last_flag() {
        let c = cipher();
        let p = ChunkPlace {
            vault: Uuid::nil(),
            attachment: Uuid::max(),
            index: 3,
            last: false,
        };
        let sealed = seal_chunk(&c, &p, b"data").unwrap();
        assert_eq!(open_chunk(&c, &p, &sealed).unwrap().as_slice(), b"data");
        let as_last = ChunkPlace { last: true, ..p };
        assert!(open_chunk(&c, &as_last, &sealed).is_none());
        let moved = ChunkPlace {
            index: 4,
            last: false,
            ..as_last
        };
        assert!(open_chunk(&c, &moved, &sealed).is_none());
    }

    #[test]
    fn a_later_epoch_is_named_and_opens_only_with_its_own_key() {
        let [first] = cipher();
        let [second] = cipher();
        let both = [first.clone(), second];
        let sealed = seal_record(&both, &place(1), b"{}").unwrap();
        assert_eq!(&sealed[..5], &[2, 0, 0, 0, 1]);
        assert_eq!(epoch_of(&sealed), Some(1));
        assert!(open_record(&both, &place(1), &sealed).is_some());
        assert!(open_record(std::slice::from_ref(&first), &place(1), &sealed).is_none());
        // Relabelled as the first epoch, the same ciphertext does not open under its key.
        let mut relabelled = vec![1];
        relabelled.extend_from_slice(&sealed[5..]);
        assert!(open_record(&both, &place(1), &relabelled).is_none());
        let first_only = seal_record(&[first], &place(1), b"{}").unwrap();
        assert_eq!(
            first_only[0], 1,
            "the first epoch writes the envelope of format 3"
        );
        let mut named_zero = vec![2, 0, 0, 0, 0];
        named_zero.extend_from_slice(&first_only[1..]);
        assert_eq!(epoch_of(&named_zero), None, "epoch 0 has one spelling only");
        assert!(open_record(&both, &place(1), &named_zero).is_none());
    }

    /// A byte flipped, dropped or added anywhere: an error, never a panic or other plaintext.
    #[derive(Clone, Debug)]
    enum Damage {
        Flip(usize, u8),
        Drop(usize),
        Add(usize, u8),
    }

    fn damage() -> impl proptest::strategy::Strategy<Value = Damage> {
        use proptest::prelude::*;
        prop_oneof![
            (any::<usize>(), 1..=255u8).prop_map(|(i, x)| Damage::Flip(i, x)),
            any::<usize>().prop_map(Damage::Drop),
            (any::<usize>(), any::<u8>()).prop_map(|(i, x)| Damage::Add(i, x)),
        ]
    }

    fn apply(sealed: &[u8], d: &Damage) -> Vec<u8> {
        let mut bad = sealed.to_vec();
        match *d {
            Damage::Flip(i, x) => bad[i % sealed.len()] ^= x,
            Damage::Drop(i) => {
                bad.remove(i % sealed.len());
            }
            Damage::Add(i, x) => bad.insert(i % (sealed.len() + 1), x),
        }
        bad
    }

    proptest::proptest! {
        #[test]
        fn damaged_records_never_open(plain in proptest::collection::vec(proptest::num::u8::ANY, 0..600), d in damage()) {
            let c = cipher();
            let sealed = seal_record(&c, &place(1), &plain).unwrap();
            let opened = open_record(&c, &place(1), &sealed).unwrap();
            proptest::prop_assert_eq!(opened.as_slice(), plain.as_slice());
            proptest::prop_assert!(open_record(&c, &place(1), &apply(&sealed, &d)).is_none());
        }

        #[test]
        fn damaged_chunks_never_open(data in proptest::collection::vec(proptest::num::u8::ANY, 0..2000), d in damage(), index in 0u32..1000, last: bool) {
            let c = cipher();
            let p = ChunkPlace { vault: Uuid::nil(), attachment: Uuid::max(), index, last };
            let sealed = seal_chunk(&c, &p, &data).unwrap();
            let opened = open_chunk(&c, &p, &sealed).unwrap();
            proptest::prop_assert_eq!(opened.as_slice(), data.as_slice());
            proptest::prop_assert!(open_chunk(&c, &p, &apply(&sealed, &d)).is_none());
        }
    }
}
