import { describe, expect, it } from 'vitest';
import type { Person } from './bindings/Person';
import { EMPTY_PERSON, extrasOf, formOf, withAll, withForm } from './person';

const recorded: Person = {
  ...EMPTY_PERSON,
  names: [
    { name: 'Oksana Petrenko', kind: 'legal' },
    { name: 'Ksenia', kind: 'used_during_exploitation' },
    { name: 'Oksi', kind: 'alias' },
  ],
  birth: { date: '1999-03-02' },
  citizenships: ['UA', 'PL'],
  languages: [{ language: 'uk', proficiency: 'mother_tongue', dialect: '' }],
  interpreter_needed: true,
};

describe('person form', () => {
  it('makes a new person from the new-case form', () => {
    const p = withForm(EMPTY_PERSON, { ...formOf(EMPTY_PERSON), name: ' Aino ', ageUncertain: true, citizenship: 'fi' });
    expect(p.names).toEqual([{ name: 'Aino', kind: 'legal' }]);
    expect(p.birth).toBeNull();
    expect(p.age_uncertain).toBe(true);
    expect(p.citizenships).toEqual(['FI']);
  });

  it('records the right of residence, which decides between a recovery and a reflection period, and the Migri number', () => {
    const p = withForm(EMPTY_PERSON, { ...formOf(EMPTY_PERSON), name: 'Ana', residence: 'no_permit', residenceDetails: ' expired 2025 ', migriNumber: ' 12345678 ' });
    expect(p.residence_status).toEqual({ kind: 'no_permit', details: 'expired 2025' });
    expect(p.migri_client_number).toBe('12345678');
    expect(formOf(p).residence).toBe('no_permit');
    const cleared = withForm(p, { ...formOf(p), residence: '', migriNumber: '' });
    expect(cleared.residence_status).toBeNull();
    expect(cleared.migri_client_number).toBeNull();
  });

  it('records gender as the person describes themself, and none when not recorded', () => {
    const p = withForm(EMPTY_PERSON, { ...formOf(EMPTY_PERSON), name: 'Ana', gender: 'NonConforming' });
    expect(p.gender).toBe('NonConforming');
    expect(formOf(p).gender).toBe('NonConforming');
    expect(withForm(p, { ...formOf(p), gender: '' }).gender).toBeNull();
  });

  it("records the answer to 'could this person be under 18?', and no answer as none", () => {
    const unsure = withForm(EMPTY_PERSON, { ...formOf(EMPTY_PERSON), name: 'Maria', couldBeMinor: 'dont_know' });
    expect(unsure.could_be_minor).toBe('dont_know');
    expect(formOf(unsure).couldBeMinor).toBe('dont_know');
    expect(withForm(unsure, { ...formOf(unsure), couldBeMinor: '' }).could_be_minor).toBeNull();
  });

  it('shows the first name, alias, birth date and citizenship of a recorded person', () => {
    expect(formOf(recorded)).toMatchObject({ name: 'Oksana Petrenko', alias: 'Oksi', birthDate: '1999-03-02', ageUncertain: false, citizenship: 'UA' });
  });

  it('keeps what the form does not show when the shown fields are edited', () => {
    const edited = withForm(recorded, { ...formOf(recorded), name: 'Oksana Petrenko-Virtanen', alias: '', citizenship: 'FI' });
    expect(edited.names).toEqual([
      { name: 'Oksana Petrenko-Virtanen', kind: 'legal' },
      { name: 'Ksenia', kind: 'used_during_exploitation' },
    ]);
    expect(edited.citizenships).toEqual(['FI', 'PL']);
    expect(edited.languages).toEqual(recorded.languages);
    expect(edited.interpreter_needed).toBe(true);
    expect(withForm(recorded, formOf(recorded))).toEqual(recorded);
  });

  it('records a contact with both safety answers, and "not asked yet" as not asked', () => {
    const form = { ...formOf(recorded), contactMethod: 'phone' as const, contactDetails: ' +358 40 1 ', safeToCall: 'no' as const };
    expect(withForm(recorded, form).safe_contact).toEqual({
      method: 'phone',
      details: '+358 40 1',
      safe_to_call: false,
      safe_to_write: null,
      note: '',
    });
    const answered = withForm(recorded, { ...form, safeToWrite: 'yes' });
    expect(formOf(answered)).toMatchObject({ safeToCall: 'no', safeToWrite: 'yes' });
    expect(withForm(answered, { ...formOf(answered), contactMethod: '' }).safe_contact).toBeNull();
  });

  it('keeps the first language with its dialect, and the municipality of residence', () => {
    const edited = withForm(recorded, { ...formOf(recorded), language: 'RO', dialect: ' Moldovan ', municipality: ' Vantaa ' });
    // The form shows the first language; changing it replaces that one.
    expect(edited.languages).toEqual([{ language: 'ro', proficiency: 'mother_tongue', dialect: 'Moldovan' }]);
    expect(edited.municipality).toBe('Vantaa');
    expect(withForm(edited, { ...formOf(edited), municipality: '' }).municipality).toBeNull();
  });
});

describe('the rest of the person, in the edit form', () => {
  const more: Person = {
    ...recorded,
    counsel: { name: 'Leena Laine', contact: '040 111 2222' },
    children_in_finland: [{ name: 'Mila', birth_date: '2019-06-01' }],
    languages: [...recorded.languages, { language: 'ru', proficiency: 'good', dialect: '' }],
  };

  it('an unchanged form changes nothing, the order of the names included', () => {
    expect(withAll(more, formOf(more), extrasOf(more))).toEqual(more);
  });

  it('the other names, citizenships and languages are edited without touching the first ones', () => {
    const extras = extrasOf(more);
    expect(extras.names).toEqual([{ name: 'Ksenia', kind: 'used_during_exploitation' }]);
    extras.names.push({ name: ' Sasha ', kind: 'preferred' });
    extras.citizenships = ['pl', 'UA', ''];
    extras.languages = [{ language: 'RU', proficiency: 'fluent', dialect: ' ' }];
    const p = withAll(more, formOf(more), extras);
    expect(p.names.map((n) => n.name)).toEqual(['Oksana Petrenko', 'Ksenia', 'Oksi', 'Sasha']);
    expect(p.citizenships).toEqual(['UA', 'PL']);
    expect(p.languages).toEqual([
      { language: 'uk', proficiency: 'mother_tongue', dialect: '' },
      { language: 'ru', proficiency: 'fluent', dialect: '' },
    ]);
  });

  it('a first language and another one, added together to a person with none, are both kept in that order', () => {
    const form = { ...formOf(EMPTY_PERSON), name: 'Ana', language: 'uk' };
    const p = withAll(EMPTY_PERSON, form, { ...extrasOf(EMPTY_PERSON), languages: [{ language: 'ru', proficiency: 'fluent', dialect: '' }] });
    expect(p.languages).toEqual([
      { language: 'uk', proficiency: 'mother_tongue', dialect: '' },
      { language: 'ru', proficiency: 'fluent', dialect: '' },
    ]);
  });

  it('emptying the first citizenship keeps the others typed', () => {
    const p = withAll(more, { ...formOf(more), citizenship: '' }, extrasOf(more));
    expect(p.citizenships).toEqual(['PL']);
  });

  it('counsel without a name, and a child without a name, are not recorded', () => {
    const p = withAll(more, formOf(more), { ...extrasOf(more), counselName: ' ', counselContact: '040', children: [{ name: '', birthDate: '2020-01-01' }] });
    expect(p.counsel).toBeNull();
    expect(p.children_in_finland).toEqual([]);
  });

  it('a child with no known birth date is recorded without one', () => {
    const p = withAll(EMPTY_PERSON, { ...formOf(EMPTY_PERSON), name: 'Ana' }, { ...extrasOf(EMPTY_PERSON), children: [{ name: ' Mila ', birthDate: '' }] });
    expect(p.children_in_finland).toEqual([{ name: 'Mila', birth_date: null }]);
  });
});
