import { beforeEach, describe, expect, it } from 'vitest';
import type { ConflictView } from './bindings/ConflictView';
import type { Person } from './bindings/Person';
import { differingFields } from './conflicts';
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
});
