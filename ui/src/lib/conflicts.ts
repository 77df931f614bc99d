// The two sides of a conflict between laptops, each as one line of words with who saved it and
// when, so that the caseworker compares them before keeping one.
import type { Case } from './bindings/Case';
import type { ConflictView } from './bindings/ConflictView';
import type { Person } from './bindings/Person';
import { date, t } from './i18n/locale.svelte';
import { CONTROL_TEXT, EXPLOITATION_TEXT, LOGGED_KIND_TEXT, STATUS_TEXT, type LoggedKind } from './labels';
import { summary } from './summary';
import type { AnyRecord } from './timeline';

export interface Side {
  saved_at: string;
  saved_by: string;
  /** What it says, in words; empty for kinds shown only where they are used. */
  text: string;
}

function caseText(c: Case): string {
  const d = c.details;
  return [
    t(STATUS_TEXT[d.status]),
    d.exploitation_types.map((e) => t(EXPLOITATION_TEXT[e])).join(', '),
    d.methods_of_control.map((m) => t(CONTROL_TEXT[m])).join(', '),
    d.caseworker,
    d.closed ? date(d.closed) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function personText(p: Person): string {
  const birth = p.birth ? ('date' in p.birth ? date(p.birth.date) : String(p.birth.estimated_year)) : '';
  return [p.names.map((n) => n.name).join(', '), birth, p.municipality ?? ''].filter(Boolean).join(' · ');
}

/** This laptop's side first, then the other laptop's. */
export function sidesOf(c: ConflictView): Side[] {
  const s = c.sides;
  switch (s.kind) {
    case 'case':
      return s.sides.map((v) => ({ ...v, text: caseText(v.record) }));
    case 'person':
      return s.sides.map((v) => ({ ...v, text: personText(v.record) }));
    case 'consent':
      // When and by whom it was given, and until when, decide a consent as much as its purpose.
      return s.sides.map((v) => ({
        ...v,
        text: [
          summary({ kind: 'consent', id: v.id, record: v.record }, undefined, true),
          `${t('consent.date')}: ${date(v.record.date)}`,
          v.record.expires ? t('conflicts.validUntil', { date: date(v.record.expires) }) : '',
          `${t('consent.givenBy')}: ${t(v.record.given_by === 'person' ? 'consent.givenByPerson' : 'consent.givenByRepresentative')}`,
        ]
          .filter(Boolean)
          .join(' · '),
      }));
    case 'other':
      return s.sides.map((v) => ({ ...v, text: '' }));
    default:
      return s.sides.map((v: { id: string; saved_at: string; saved_by: string; record: unknown }) => ({
        saved_at: v.saved_at,
        saved_by: v.saved_by,
        text: summary({ kind: s.kind, id: v.id, record: v.record } as AnyRecord, undefined, true),
      }));
  }
}

/** What kind of record it is, in words (a kind the log has no word for is not shared). */
export function kindOf(c: ConflictView): string {
  const known = (k: string): k is LoggedKind => k in LOGGED_KIND_TEXT;
  return known(c.kind) ? t(LOGGED_KIND_TEXT[c.kind]) : t('conflicts.title');
}
