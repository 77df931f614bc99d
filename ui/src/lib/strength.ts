// Passphrase strength feedback for the first-run screen. A rough guide to nudge towards several
// words, not a guarantee: the real protection is Argon2id's cost per guess.
export type Strength = 'tooShort' | 'weak' | 'fair' | 'strong';

export function strength(passphrase: string): Strength {
  const chars = [...passphrase];
  if (chars.length < 8) return 'tooShort';
  const words = passphrase.trim().split(/\s+/).filter((w) => w.length >= 2).length;
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}\s]/u].filter((r) => r.test(passphrase)).length;
  const distinct = new Set(chars.map((c) => c.toLowerCase())).size;
  if (distinct < 5) return 'weak';
  if ((words >= 4 && chars.length >= 20) || (chars.length >= 16 && classes >= 3)) return 'strong';
  if (words >= 3 || (chars.length >= 12 && classes >= 2)) return 'fair';
  return 'weak';
}
