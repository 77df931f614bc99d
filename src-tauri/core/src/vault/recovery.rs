//! The recovery key: 256 random bits shown once at vault creation, written for humans as Crockford
//! base32 (no I, L, O or U; case and those look-alikes forgiven) in groups of five, with a 16-bit
//! checksum so that a mistyped character is caught before any decryption is tried.

use zeroize::{Zeroize, Zeroizing};

use super::keys::{KEY_LEN, SecretKey};
use crate::error::{Error, Result};

const CHECKSUM_LEN: usize = 2;
const GROUP: usize = 5;
const CHARS: usize = ((KEY_LEN + CHECKSUM_LEN) * 8).div_ceil(5);

/// The printable form of a recovery key. Zeroized when dropped; shown to the user exactly once.
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    pub(crate) fn encode(key: &SecretKey) -> RecoveryKey {
        let mut plain = Self::encode_raw(key.expose());
        let mut grouped = String::with_capacity(plain.len() + plain.len() / GROUP);
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % GROUP == 0 {
                grouped.push('-');
            }
            grouped.push(c);
        }
        plain.zeroize();
        RecoveryKey(Zeroizing::new(grouped))
    }

    /// Reads a recovery key as typed: spaces, dashes and case do not matter.
    pub fn parse(text: &str) -> Result<RecoveryKey> {
        let compact: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect(),
        );
        if compact.chars().count() != CHARS {
            return Err(Error::MistypedRecoveryKey(
                "it should have 55 letters and digits",
            ));
        }
        if compact.contains(['u', 'U']) {
            return Err(Error::MistypedRecoveryKey("it never contains the letter U"));
        }
        let key = RecoveryKey(Zeroizing::new(text.trim().to_string()));
        key.secret()?;
        Ok(key)
    }

    /// The key as printed: eleven groups of five characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn secret(&self) -> Result<SecretKey> {
        let normalised: Zeroizing<String> = Zeroizing::new(
            self.0
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| match c.to_ascii_uppercase() {
                    'O' => '0',
                    'I' | 'L' => '1',
                    c => c,
                })
                .collect(),
        );
        let bytes = Zeroizing::new(
            base32::decode(base32::Alphabet::Crockford, &normalised).ok_or(
                Error::MistypedRecoveryKey("it contains a character that is not used"),
            )?,
        );
        let (key, _) = bytes
            .split_first_chunk::<KEY_LEN>()
            .ok_or(Error::MistypedRecoveryKey("it is too short"))?;
        // Re-encoding checks the checksum and the final character's padding bits in one go.
        if *Self::encode_raw(key) != *normalised {
            return Err(Error::MistypedRecoveryKey("a character is wrong"));
        }
        Ok(SecretKey::from_bytes(Zeroizing::new(*key)))
    }

    fn encode_raw(key: &[u8; KEY_LEN]) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(KEY_LEN + CHECKSUM_LEN));
        bytes.extend_from_slice(key);
        bytes.extend_from_slice(&checksum(key));
        Zeroizing::new(base32::encode(base32::Alphabet::Crockford, &bytes))
    }
}

/// CRC-16/CCITT over the key, appended big-endian: a CRC of degree 16 detects every burst error
/// of up to 16 bits, and one mistyped or two swapped base32 characters are bursts of at most 10.
fn checksum(key: &[u8; KEY_LEN]) -> [u8; CHECKSUM_LEN] {
    crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740)
        .checksum(key)
        .to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_key_reads_back_as_printed_and_forgivingly() {
        let secret = SecretKey::generate();
        let key = RecoveryKey::encode(&secret);
        assert_eq!(key.as_str().split('-').count(), 11);
        assert!(key.as_str().split('-').all(|g| g.len() == 5));
        let sloppy = key
            .as_str()
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o");
        let parsed = RecoveryKey::parse(&sloppy).unwrap();
        assert_eq!(parsed.secret().unwrap().expose(), secret.expose());
    }

    #[test]
    fn every_single_character_typo_is_caught() {
        let key = RecoveryKey::encode(&SecretKey::generate());
        let text = key.as_str().to_string();
        let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        for (i, original) in text.char_indices().filter(|(_, c)| *c != '-') {
            for replacement in alphabet.chars().filter(|c| *c != original) {
                let mut typo = text.clone();
                typo.replace_range(i..i + 1, &replacement.to_string());
                assert!(
                    matches!(
                        RecoveryKey::parse(&typo),
                        Err(Error::MistypedRecoveryKey(_))
                    ),
                    "typo at {i} ({original} -> {replacement}) slipped through"
                );
            }
        }
    }

    #[test]
    fn swapped_neighbours_are_caught() {
        let key = RecoveryKey::encode(&SecretKey::generate());
        let compact: Vec<char> = key.as_str().chars().filter(|c| *c != '-').collect();
        for i in 0..compact.len() - 1 {
            if compact[i] == compact[i + 1] {
                continue;
            }
            let mut swapped = compact.clone();
            swapped.swap(i, i + 1);
            let text: String = swapped.into_iter().collect();
            assert!(
                RecoveryKey::parse(&text).is_err(),
                "swap at {i} slipped through"
            );
        }
    }

    #[test]
    fn wrong_length_and_stray_letters_are_mistypes() {
        assert!(matches!(
            RecoveryKey::parse("ABCDE-FGHJK"),
            Err(Error::MistypedRecoveryKey(_))
        ));
        let key = RecoveryKey::encode(&SecretKey::generate());
        let with_u = format!("U{}", &key.as_str()[1..]);
        assert!(matches!(
            RecoveryKey::parse(&with_u),
            Err(Error::MistypedRecoveryKey(_))
        ));
    }
}
