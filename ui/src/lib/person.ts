// Builds a Person record from the new-case form; Rust validates it (names, ISO country codes).
import type { Person } from './bindings/Person';
import type { PersonName } from './bindings/PersonName';

export function newPerson(names: PersonName[], birthDate: string, ageUncertain: boolean, citizenship: string): Person {
  return {
    names,
    birth: birthDate ? { date: birthDate } : null,
    age_uncertain: ageUncertain,
    gender: null,
    citizenships: citizenship.trim() ? [citizenship.trim().toUpperCase()] : [],
    languages: [],
    interpreter_needed: false,
    safe_contact: null,
    migri_client_number: null,
    residence_status: null,
    counsel: null,
    children_in_finland: [],
  };
}
