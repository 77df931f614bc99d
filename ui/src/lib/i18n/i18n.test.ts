import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORDS } from '../bindings/words';
import { en } from './en';
import { catalogs, formatDate, formatDateTime, formatNumber, LOCALES, translate } from './translate';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' || name === 'bindings' ? [] : sources(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const keys = Object.keys(en);
// A literal 'prefix.name' whose prefix is one of the catalogue's is a use of a message key.
const prefixes = new Set(keys.map((k) => k.split('.')[0]));
const used = new Set(
  sources(join(import.meta.dirname, '..', '..'))
    .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'([a-zA-Z]+\.[a-zA-Z_]+)'/g)].map((m) => m[1]))
    .filter((k) => prefixes.has(k.split('.')[0])),
);

describe('translations', () => {
  it.each(LOCALES)('%s has exactly the English keys, none empty', (locale) => {
    const catalog = catalogs[locale];
    expect(Object.keys(catalog).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(catalog[key as keyof typeof en].trim(), key).not.toBe('');
  });

  it.each(LOCALES)('%s keeps every {placeholder} of the English text', (locale) => {
    for (const key of keys) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(catalogs[locale][key as keyof typeof en]), `${locale} ${key}`).toEqual(names(en[key as keyof typeof en]));
    }
  });

  it('every key the code uses exists', () => {
    for (const key of used) expect(keys, key).toContain(key);
  });

  // The words for codes come from Rust (bindings/words.ts), which also prints them on forms; the
  // app need not show every one of them.
  it('every key of the app itself is used somewhere', () => {
    expect(keys.filter((k) => !(k in WORDS.en) && !used.has(k))).toEqual([]);
  });

  it('fills in parameters', () => {
    expect(translate('fi', 'recovery.group', { n: 3 })).toBe('Ryhmä 3');
    expect(translate('sv', 'case.bornAbout', { year: 2001 })).toBe('cirka 2001');
  });

  it('formats numbers the way each language writes them', () => {
    expect(formatNumber('fi', 12345)).toBe('12\u00a0345');
    expect(formatNumber('en', 12345)).toBe('12,345');
  });

  it('formats dates the way each language writes them', () => {
    expect(formatDate('fi', '2026-11-28')).toBe('28.11.2026');
    expect(formatDate('en', '2026-11-28')).toBe('28 Nov 2026');
    expect(formatDate('sv', '2026-11-28')).toBe('28.11.2026');
    expect(formatDate('sv', '2026-03-05')).toBe('5.3.2026');
  });

  it('writes a moment in Finnish and Swedish with the time after a full stop, as in Finland', () => {
    const local = new Date(2026, 10, 28, 9, 5).toISOString();
    expect(formatDateTime('fi', local)).toBe('28.11.2026 9.05');
    expect(formatDateTime('sv', local)).toBe('28.11.2026 9.05');
  });
});
