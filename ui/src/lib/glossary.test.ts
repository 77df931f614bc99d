// docs/glossary.md names, for each domain term, the word Silta uses in Finnish, Swedish and
// English and the words it does not use. This fails when any text of the app, or an information
// text a person reads before consenting, uses a word from the "Not used" column.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs, LOCALES, type Locale } from './i18n/translate';

const root = join(import.meta.dirname, '..', '..', '..');

/** The words the glossary says not to use, per language. */
export function notUsed(markdown: string): Record<Locale, string[]> {
  const out: Record<Locale, string[]> = { fi: [], sv: [], en: [] };
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | English | Suomi | Svenska | Not used | Source |
    if (cells.length < 7 || cells[1] === 'English' || cells[1].startsWith('---')) continue;
    for (const part of cells[4].split(';')) {
      const [lang, words] = part.split(':').map((s) => s?.trim());
      if (!words || !(LOCALES as readonly string[]).includes(lang)) continue;
      out[lang as Locale].push(...words.split(',').map((w) => w.trim()).filter((w) => w !== ''));
    }
  }
  return out;
}

/** The words of `text` found in `words`, whole words only, in any case. */
export function uses(text: string, words: string[]): string[] {
  return words.filter((w) => new RegExp(`(?<!\\p{L})${w}(?!\\p{L})`, 'iu').test(text));
}

const glossary = notUsed(readFileSync(join(root, 'docs', 'glossary.md'), 'utf8'));

describe('one word for each thing (docs/glossary.md)', () => {
  it('the glossary lists words not to use in Finnish and Swedish', () => {
    expect(glossary.fi).toContain('tunnuslause');
    expect(glossary.sv).toContain('remiss');
  });

  it.each(LOCALES)('no text of the app in %s uses a word the glossary does not use', (locale) => {
    const found = Object.entries(catalogs[locale]).flatMap(([key, text]) =>
      uses(text, glossary[locale]).map((w) => `${key}: "${w}" in ${text}`),
    );
    expect(found).toEqual([]);
  });

  it.each(LOCALES)('no information text in %s uses a word the glossary does not use', (locale) => {
    const text = readFileSync(join(root, 'src-tauri', 'core', 'information', `${locale}.ftl`), 'utf8');
    expect(uses(text, glossary[locale])).toEqual([]);
  });

  // The training material teaches the same words the app uses.
  const training = join(root, 'docs', 'training');
  const trainingFiles = readdirSync(training, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
  it.each(trainingFiles)('the training file %s uses no word the glossary does not use', (file) => {
    const locale: Locale = file.endsWith('.fi.md') ? 'fi' : file.endsWith('.sv.md') ? 'sv' : 'en';
    expect(uses(readFileSync(join(training, file), 'utf8'), glossary[locale])).toEqual([]);
  });

  it('finds a word in any case and inflection listed, but not inside another word', () => {
    expect(uses('Öppna en Remiss', ['remiss'])).toEqual(['remiss']);
    expect(uses('klaga hos dataombudsmannen', ['ombud'])).toEqual([]);
    expect(uses('Vääriä tunnuslauseita', ['tunnuslauseita'])).toEqual(['tunnuslauseita']);
  });
});
