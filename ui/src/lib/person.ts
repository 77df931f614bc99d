// The person fields the new-case and edit forms show, and the Person record they make. Rust
// validates the result (names, ISO country codes); fields the form does not show are kept.
import type { ContactMethod } from './bindings/ContactMethod';
import type { CouldBeMinor } from './bindings/CouldBeMinor';
import type { Gender } from './bindings/Gender';
import type { ResidenceKind } from './bindings/ResidenceKind';
import type { Person } from './bindings/Person';
import type { PersonName } from './bindings/PersonName';
import type { LanguageSkill } from './bindings/LanguageSkill';

/** An answer to "may they be called / written to here?"; '' is not asked yet. */
export type Safety = 'yes' | 'no' | '';

export interface PersonForm {
  name: string;
  alias: string;
  birthDate: string;
  ageUncertain: boolean;
  /** "Could this person be under 18?", asked when there is no birth date; '' is not answered. */
  couldBeMinor: CouldBeMinor | '';
  citizenship: string;
  /** As the person describes themself; '' when not recorded (the statistics then say unknown). */
  gender: Gender | '';
  /** '' when no contact is recorded. */
  contactMethod: ContactMethod | '';
  contactDetails: string;
  safeToCall: Safety;
  safeToWrite: Safety;
  contactNote: string;
  /** The first language's ISO 639 code and dialect. */
  language: string;
  dialect: string;
  interpreterNeeded: boolean;
  municipality: string;
  /** The right of residence: it decides between a recovery and a reflection period. */
  residence: ResidenceKind | '';
  residenceDetails: string;
  /** Migri's client number, when the person has one. */
  migriNumber: string;
}

export const GENDERS: readonly Gender[] = ['Feminine', 'Masculine', 'TransgenderFeminine', 'TransgenderMasculine', 'NonConforming', 'NonSpecifiedUnknown'];

export const RESIDENCE_KINDS: readonly ResidenceKind[] = [
  'finnish_citizen',
  'eu_registered',
  'residence_permit',
  'residence_permit_applied',
  'asylum_seeker',
  'temporary_protection',
  'no_permit',
  'unknown',
];

export const CONTACT_METHODS: readonly ContactMethod[] = ['phone', 'email', 'through_caseworker', 'in_person', 'other'];

const safety = (b: boolean | null): Safety => (b === null ? '' : b ? 'yes' : 'no');
const answer = (s: Safety): boolean | null => (s === '' ? null : s === 'yes');

export const EMPTY_PERSON: Person = {
  names: [],
  birth: null,
  age_uncertain: false,
  could_be_minor: null,
  gender: null,
  citizenships: [],
  languages: [],
  interpreter_needed: false,
  safe_contact: null,
  migri_client_number: null,
  residence_status: null,
  counsel: null,
  children_in_finland: [],
  municipality: null,
};

/** The form's values for a recorded person: the first name, the first alias, the first citizenship. */
export function formOf(person: Person): PersonForm {
  const alias = person.names.slice(1).find((n) => n.kind === 'alias');
  return {
    name: person.names[0]?.name ?? '',
    alias: alias?.name ?? '',
    birthDate: person.birth && 'date' in person.birth ? person.birth.date : '',
    ageUncertain: person.age_uncertain,
    couldBeMinor: person.could_be_minor ?? '',
    citizenship: person.citizenships[0] ?? '',
    gender: person.gender ?? '',
    contactMethod: person.safe_contact?.method ?? '',
    contactDetails: person.safe_contact?.details ?? '',
    safeToCall: safety(person.safe_contact?.safe_to_call ?? null),
    safeToWrite: safety(person.safe_contact?.safe_to_write ?? null),
    contactNote: person.safe_contact?.note ?? '',
    language: person.languages[0]?.language ?? '',
    dialect: person.languages[0]?.dialect ?? '',
    interpreterNeeded: person.interpreter_needed,
    municipality: person.municipality ?? '',
    residence: person.residence_status?.kind ?? '',
    residenceDetails: person.residence_status?.details ?? '',
    migriNumber: person.migri_client_number ?? '',
  };
}

/** `person` with the form's values in place of the ones the form shows. */
export function withForm(person: Person, form: PersonForm): Person {
  const first: PersonName = { name: form.name.trim(), kind: person.names[0]?.kind ?? 'legal' };
  const rest = person.names.slice(1);
  const alias: PersonName[] = form.alias.trim() ? [{ name: form.alias.trim(), kind: 'alias' }] : [];
  // The alias stays where it was among the other names, so an unchanged form changes nothing.
  const aliasAt = rest.findIndex((n) => n.kind === 'alias');
  if (aliasAt >= 0) rest.splice(aliasAt, 1, ...alias);
  else rest.push(...alias);
  const citizenship = form.citizenship.trim().toUpperCase();
  const language = form.language.trim().toLowerCase();
  const estimated = person.birth && 'estimated_year' in person.birth ? person.birth : null;
  return {
    ...person,
    names: [first, ...rest],
    birth: form.birthDate ? { date: form.birthDate } : estimated,
    age_uncertain: form.ageUncertain,
    could_be_minor: form.couldBeMinor || null,
    gender: form.gender || null,
    citizenships: citizenship ? [citizenship, ...person.citizenships.slice(1).filter((c) => c !== citizenship)] : person.citizenships.slice(1),
    safe_contact: form.contactMethod
      ? {
          method: form.contactMethod,
          details: form.contactDetails.trim(),
          safe_to_call: answer(form.safeToCall),
          safe_to_write: answer(form.safeToWrite),
          note: form.contactNote.trim(),
        }
      : null,
    languages: language
      ? [
          { language, proficiency: person.languages[0]?.proficiency ?? 'mother_tongue', dialect: form.dialect.trim() },
          ...person.languages.slice(1).filter((l) => l.language !== language),
        ]
      : person.languages.slice(1),
    interpreter_needed: form.interpreterNeeded,
    municipality: form.municipality.trim() || null,
    residence_status: form.residence ? { kind: form.residence, details: form.residenceDetails.trim() } : null,
    migri_client_number: form.migriNumber.trim() || null,
  };
}

/**
 * What the edit form shows besides `PersonForm`: the names past the first name and the first
 * alias, the citizenships and languages past the first, counsel and children in Finland.
 */
export interface PersonExtras {
  names: PersonName[];
  citizenships: string[];
  languages: LanguageSkill[];
  counselName: string;
  counselContact: string;
  children: { name: string; birthDate: string }[];
}

/** The index among `names` of the alias `PersonForm` shows, if any. */
function shownAlias(names: readonly PersonName[]): number {
  const at = names.slice(1).findIndex((n) => n.kind === 'alias');
  return at < 0 ? -1 : at + 1;
}

export function extrasOf(person: Person): PersonExtras {
  const alias = shownAlias(person.names);
  return {
    names: person.names.filter((_, i) => i !== 0 && i !== alias).map((n) => ({ ...n })),
    citizenships: person.citizenships.slice(1),
    languages: person.languages.slice(1).map((l) => ({ ...l })),
    counselName: person.counsel?.name ?? '',
    counselContact: person.counsel?.contact ?? '',
    children: person.children_in_finland.map((c) => ({ name: c.name, birthDate: c.birth_date ?? '' })),
  };
}

/**
 * `person` with the edit form's values: `withForm`'s, then the extras. The other names take the
 * places the old ones had (so an unchanged form changes nothing); the other citizenships and
 * languages follow the form's first one (or stand alone when it is emptied: nothing typed is
 * dropped); an empty name or code is left out.
 */
export function withAll(person: Person, form: PersonForm, extras: PersonExtras): Person {
  const p = withForm(person, form);
  const alias = shownAlias(p.names);
  const others = extras.names.map((n) => ({ ...n, name: n.name.trim() })).filter((n) => n.name !== '');
  const names: PersonName[] = [];
  let next = 0;
  p.names.forEach((n, i) => {
    if (i === 0 || i === alias) names.push(n);
    else if (next < others.length) names.push(others[next++]);
  });
  names.push(...others.slice(next));
  const citizenships = [form.citizenship, ...extras.citizenships].map((c) => c.trim().toUpperCase()).filter((c) => c !== '');
  // withForm put the form's language first, with the proficiency it had.
  const first = form.language.trim() ? p.languages.slice(0, 1) : [];
  const languages = [...first];
  for (const l of extras.languages) {
    const language = l.language.trim().toLowerCase();
    if (language && !languages.some((x) => x.language === language)) languages.push({ ...l, language, dialect: l.dialect.trim() });
  }
  const counsel = extras.counselName.trim();
  return {
    ...p,
    names,
    citizenships: [...new Set(citizenships)],
    languages,
    counsel: counsel ? { name: counsel, contact: extras.counselContact.trim() } : null,
    children_in_finland: extras.children
      .filter((c) => c.name.trim() !== '')
      .map((c) => ({ name: c.name.trim(), birth_date: c.birthDate || null })),
  };
}
