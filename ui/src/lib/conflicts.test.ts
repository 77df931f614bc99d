import { beforeEach, describe, expect, it } from 'vitest';
import type { ConflictView } from './bindings/ConflictView';
import type { Person } from './bindings/Person';
import { differingFields, keysDiffer, sideTitle, sidesOf } from './conflicts';
import { current } from './i18n/locale.svelte';
import { EMPTY_PERSON } from './person';

const person = (changes: Partial<Person>): Person =>
  ({ ...EMPTY_PERSON, names: [{ name: 'Aino Mäkinen', kind: 'given' }], municipality: 'Turku', ...changes }) as Person;

const conflict = (here: Person, other: Person): ConflictView =>
  ({
    id: 'c1',
    kind: 'person',
    case: 'k1',
    case_number: '2026-0001',
    sides: {
      kind: 'person',
      sides: [here, other].map((record, i) => ({ id: 'p1', version: 2, case: 'k1', saved_at: '2026-11-29T10:00:00Z', saved_by: i ? 'Mikko' : 'Kaisa', record })),
    },
  }) as unknown as ConflictView;

describe('a conflict between laptops', () => {
  beforeEach(() => {
    current.locale = 'en';
  });

  it('names in words the fields two sides of a person hold differently, and only those', () => {
    const differs = differingFields(conflict(person({}), person({ migri_client_number: '1234-567', municipality: 'Tampere' })));
    expect(differs).toEqual(["Migri's client number", 'municipality of residence']);
    expect(differingFields(conflict(person({}), person({})))).toEqual([]);
  });

  it('says them in Finnish and Swedish too', () => {
    const c = conflict(person({}), person({ interpreter_needed: true }));
    current.locale = 'fi';
    expect(differingFields(c)).toEqual(['tulkin tarve']);
    current.locale = 'sv';
    expect(differingFields(c)).toEqual(['behov av tolk']);
  });

  // What a referral goes out on, and the organisation's own words, are compared in words too.
  const settings = (kind: string, sides: unknown[]): ConflictView =>
    ({
      id: 'c2',
      kind,
      case: null,
      case_number: null,
      sides: { kind, sides: sides.map((s, i) => ({ saved_at: '2026-11-29T10:00:00Z', saved_by: i ? 'Mikko' : 'Kaisa', ...(s as object) })) },
    }) as unknown as ConflictView;

  it("shows both sides of the organisation's name, a recipient, a contact and the retention in words", () => {
    const texts = (c: ConflictView) => sidesOf(c).map((s) => s.text);
    expect(texts(settings('organisation', [{ name: 'Pro-tukipiste ry', fingerprint: 'AB12 CD34' }, { name: 'Pro-tukipiste Helsinki', fingerprint: null }]))).toEqual([
      'Pro-tukipiste ry · key fingerprint AB12 CD34',
      'Pro-tukipiste Helsinki',
    ]);
    const org = (a: string, b: string) => settings('organisation', [{ name: 'Pro', fingerprint: a }, { name: 'Pro ry', fingerprint: b }]);
    expect(keysDiffer(org('AB12', 'AB12'))).toBe(false);
    expect(keysDiffer(org('AB12', 'EF56'))).toBe(true);
    const recipient = (confirmed: unknown) => ({
      id: 'r1',
      version: 2,
      case: null,
      record: { name: 'Auttamisjärjestelmä', kind: 'assistance-system', organisation_type: 'central_government_organisation', age_recipient: 'age1x', card: null, fingerprint: 'AB12 CD34', confirmed },
    });
    const [confirmed, unconfirmed] = texts(settings('recipient', [recipient({ by: 'Kaisa', on: '2026-11-28' }), recipient(null)]));
    expect(confirmed).toMatch(/^Auttamisjärjestelmä · .+ · key fingerprint AB12 CD34 · confirmed by Kaisa on /);
    expect(unconfirmed).toMatch(/· not confirmed: nothing can be sent yet$/);
    expect(
      texts(
        settings('referrer_contact', [
          { staff: null, card: { phone: '040 100 2001', email: '' } },
          { staff: 'Mikko', card: { phone: '', email: 'mikko@example.org' } },
        ]),
      ),
    ).toEqual(["The organisation's contact details · 040 100 2001", "Mikko's contact details · mikko@example.org"]);
    const years = settings('retention_policy', [6, 7].map((n) => ({ id: 'p', version: 2, case: null, record: { years_after_closing: n } })));
    expect(texts(years)).toEqual(['Closed cases kept after closing (years): 6', 'Closed cases kept after closing (years): 7']);
    current.locale = 'fi';
    expect(texts(years)[0]).toBe('Suljettujen asiakkuuksien säilytysaika sulkemisen jälkeen (vuotta): 6');
    current.locale = 'sv';
    expect(texts(years)[0]).toBe('Avslutade ärenden bevaras efter avslut (år): 6');
  });

  // A setting two laptops of an older Silta saved separately: the left side is not this laptop's
  // but the one every laptop uses.
  it('heads the sides of a setting saved twice as the one in use and the other', () => {
    const years = settings('retention_policy', [6, 7].map((n) => ({ id: 'p', version: 1, case: null, record: { years_after_closing: n } })));
    expect([0, 1].map((i) => sideTitle(years, i))).toEqual(['On this laptop', 'From another laptop']);
    const twice = { ...years, saved_twice: true };
    expect([0, 1].map((i) => sideTitle(twice, i))).toEqual(['In use now', 'The other version (not in use)']);
    current.locale = 'fi';
    expect([0, 1].map((i) => sideTitle(twice, i))).toEqual(['Käytössä nyt', 'Toinen versio (ei käytössä)']);
    current.locale = 'sv';
    expect([0, 1].map((i) => sideTitle(twice, i))).toEqual(['Används nu', 'Den andra versionen (används inte)']);
  });
});
