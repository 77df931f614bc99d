// The two sides of a conflict between laptops, each as one line of words with who saved it and
// when, so that the caseworker compares them before keeping one.
import type { Case } from './bindings/Case';
import type { ConflictView } from './bindings/ConflictView';
import type { Person } from './bindings/Person';
import type { MessageKey } from './i18n/en';
import { date, t } from './i18n/locale.svelte';
import { CONTROL_TEXT, EXPLOITATION_TEXT, LOGGED_KIND_TEXT, RECIPIENT_KIND_TEXT, STATUS_TEXT, type LoggedKind } from './labels';
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
    case 'organisation':
      return s.sides.map((v) => ({ ...v, text: [v.name, v.fingerprint ? t('conflicts.fingerprint', { fingerprint: v.fingerprint }) : ''].filter(Boolean).join(' · ') }));
    case 'recipient':
      // Whose key it is and who compared its fingerprint by phone: what a referral is sent on.
      return s.sides.map((v) => ({
        ...v,
        text: [
          v.record.name,
          t(RECIPIENT_KIND_TEXT[v.record.kind]),
          t('conflicts.fingerprint', { fingerprint: v.record.fingerprint }),
          v.record.confirmed ? t('recipients.confirmedBy', { user: v.record.confirmed.by, date: date(v.record.confirmed.on) }) : t('recipients.unconfirmed'),
        ].join(' · '),
      }));
    case 'referrer_contact':
      return s.sides.map((v) => ({
        ...v,
        text: [v.staff ? t('conflicts.contactOf', { name: v.staff }) : t('conflicts.orgContact'), v.card.phone, v.card.email].filter(Boolean).join(' · '),
      }));
    case 'retention_policy':
      return s.sides.map((v) => ({ ...v, text: t('conflicts.retention', { n: v.record.years_after_closing }) }));
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

// The fields of a person or a case a caseworker can tell apart, each with its words.
const FIELD_TEXT: Record<string, MessageKey> = {
  names: 'conflictField.names',
  birth: 'conflictField.birth',
  age_uncertain: 'conflictField.age_uncertain',
  could_be_minor: 'conflictField.could_be_minor',
  gender: 'conflictField.gender',
  citizenships: 'conflictField.citizenships',
  languages: 'conflictField.languages',
  interpreter_needed: 'conflictField.interpreter_needed',
  safe_contact: 'conflictField.safe_contact',
  migri_client_number: 'conflictField.migri_client_number',
  residence_status: 'conflictField.residence_status',
  counsel: 'conflictField.counsel',
  children_in_finland: 'conflictField.children_in_finland',
  municipality: 'conflictField.municipality',
  status: 'conflictField.status',
  trafficking_status: 'conflictField.trafficking_status',
  status_decided_by: 'conflictField.status_decided_by',
  exploitation_types: 'conflictField.exploitation_types',
  exploitation_other: 'conflictField.exploitation_other',
  forced_criminality: 'conflictField.forced_criminality',
  sex_exploitation_types: 'conflictField.sex_exploitation_types',
  forced_labour_industry: 'conflictField.forced_labour_industry',
  methods_of_control: 'conflictField.methods_of_control',
  recruitment: 'conflictField.recruitment',
  relationship_to_trafficker: 'conflictField.relationship_to_trafficker',
  events: 'conflictField.events',
  caseworker: 'conflictField.caseworker',
  opened: 'conflictField.opened',
  closed: 'conflictField.closed',
  urgent: 'conflictField.urgent',
  urgency_override: 'conflictField.urgency_override',
  needs: 'conflictField.needs',
  police: 'conflictField.police',
  health: 'conflictField.health',
  exploiters: 'conflictField.exploiters',
  referred_by: 'conflictField.referred_by',
  legal_hold: 'conflictField.legal_hold',
  demo: 'conflictField.demo',
};

/**
 * The fields a person's or a case's two sides hold differently, in words, so that two sides whose
 * main details look alike (a Migri number, the needs) are not kept blind. Empty for other kinds.
 */
export function differingFields(c: ConflictView): string[] {
  const s = c.sides;
  if (s.kind !== 'person' && s.kind !== 'case') return [];
  const [here, other] = s.sides.map((v) => (s.kind === 'case' ? (v.record as Case).details : v.record) as unknown as Record<string, unknown>);
  if (!here || !other) return [];
  return [...new Set([...Object.keys(here), ...Object.keys(other)])]
    .filter((k) => JSON.stringify(here[k] ?? null) !== JSON.stringify(other[k] ?? null))
    .map((k) => t(FIELD_TEXT[k] ?? 'conflictField.other'));
}

/** Whether the two sides of the organisation are different keys, not only different names. */
export function keysDiffer(c: ConflictView): boolean {
  const s = c.sides;
  return s.kind === 'organisation' && s.sides.length === 2 && s.sides[0].fingerprint !== s.sides[1].fingerprint;
}

/**
 * Each side's heading: this laptop's and the other's; for a setting saved twice by laptops of an
 * older Silta, the one every laptop uses now and the other.
 */
export function sideTitle(c: ConflictView, side: number): string {
  if (c.saved_twice) return t(side === 0 ? 'conflicts.inUse' : 'conflicts.alsoSaved');
  return t(side === 0 ? 'conflicts.here' : 'conflicts.other');
}

/** What kind of record it is, in words (a kind the log has no word for is not shared). */
export function kindOf(c: ConflictView): string {
  const known = (k: string): k is LoggedKind => k in LOGGED_KIND_TEXT;
  return known(c.kind) ? t(LOGGED_KIND_TEXT[c.kind]) : t('conflicts.title');
}
