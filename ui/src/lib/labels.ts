// Translated labels for codes that come from Rust. Each map is a Record over the generated type,
// so a code added in Rust fails the type check until it has a text here.
import type { Action } from './bindings/Action';
import type { Answer } from './bindings/Answer';
import type { Choice } from './bindings/Choice';
import type { CaseStatus } from './bindings/CaseStatus';
import type { ConsentState } from './bindings/ConsentState';
import type { ExploitationType } from './bindings/ExploitationType';
import type { FieldGroup } from './bindings/FieldGroup';
import type { Indicator } from './bindings/Indicator';
import type { IndicatorGroup } from './bindings/IndicatorGroup';
import type { ItemCategory } from './bindings/ItemCategory';
import type { MethodOfControl } from './bindings/MethodOfControl';
import type { OpenQuestion } from './bindings/OpenQuestion';
import type { Decision } from './bindings/Decision';
import type { Mode } from './bindings/Mode';
import type { Purpose } from './bindings/Purpose';
import type { RecipientKind } from './bindings/RecipientKind';
import type { UrgentBecause } from './bindings/UrgentBecause';
import type { RecordRef } from './bindings/RecordRef';
import type { Source } from './bindings/Source';
import type { SupportKind } from './bindings/SupportKind';
import type { MessageKey } from './i18n/en';

export const URGENT_TEXT: Record<UrgentBecause, MessageKey> = {
  in_danger: 'urgentBecause.in_danger',
  child: 'urgentBecause.child',
  possibly_child: 'urgentBecause.possibly_child',
  marked_by_caseworker: 'urgentBecause.marked_by_caseworker',
};

export const STATUS_TEXT: Record<CaseStatus, MessageKey> = {
  Active: 'status.Active',
  FollowUp: 'status.FollowUp',
  Closed: 'status.Closed',
  ClosedReferred: 'status.ClosedReferred',
};

export const GROUP_TEXT: Record<IndicatorGroup, MessageKey> = {
  forced_labour: 'group.forced_labour',
  sexual_exploitation: 'group.sexual_exploitation',
  forced_begging: 'group.forced_begging',
  forced_crime: 'group.forced_crime',
  domestic_servitude: 'group.domestic_servitude',
  forced_marriage: 'group.forced_marriage',
  children: 'group.children',
};

export const ANSWER_TEXT: Record<Answer, MessageKey> = {
  yes: 'answer.yes',
  no: 'answer.no',
  unclear: 'answer.unclear',
  declined: 'answer.declined',
  not_discussed: 'answer.not_discussed',
};

export const SOURCE_TEXT: Record<Source, MessageKey> = {
  self_reported: 'source.self_reported',
  observed: 'source.observed',
};

/** [title, gentle example question] */
export const INDICATOR_TEXT: Record<Indicator, [MessageKey, MessageKey]> = {
  abuse_of_vulnerability: ['indicator.abuse_of_vulnerability', 'question.abuse_of_vulnerability'],
  deception: ['indicator.deception', 'question.deception'],
  restriction_of_movement: ['indicator.restriction_of_movement', 'question.restriction_of_movement'],
  isolation: ['indicator.isolation', 'question.isolation'],
  did_not_know_whereabouts: ['indicator.did_not_know_whereabouts', 'question.did_not_know_whereabouts'],
  physical_violence: ['indicator.physical_violence', 'question.physical_violence'],
  sexual_violence: ['indicator.sexual_violence', 'question.sexual_violence'],
  threats_of_violence: ['indicator.threats_of_violence', 'question.threats_of_violence'],
  threats_against_family: ['indicator.threats_against_family', 'question.threats_against_family'],
  threats_with_authorities: ['indicator.threats_with_authorities', 'question.threats_with_authorities'],
  physical_and_sexual_violence: ['indicator.physical_and_sexual_violence', 'question.physical_and_sexual_violence'],
  intimidation_and_threats: ['indicator.intimidation_and_threats', 'question.intimidation_and_threats'],
  retention_of_identity_documents: ['indicator.retention_of_identity_documents', 'question.retention_of_identity_documents'],
  withholding_of_wages: ['indicator.withholding_of_wages', 'question.withholding_of_wages'],
  debt_bondage: ['indicator.debt_bondage', 'question.debt_bondage'],
  abusive_working_and_living_conditions: ['indicator.abusive_working_and_living_conditions', 'question.abusive_working_and_living_conditions'],
  excessive_overtime: ['indicator.excessive_overtime', 'question.excessive_overtime'],
  sexual_services_under_control: ['indicator.sexual_services_under_control', 'question.sexual_services_under_control'],
  earnings_from_sex_taken: ['indicator.earnings_from_sex_taken', 'question.earnings_from_sex_taken'],
  advertised_by_others: ['indicator.advertised_by_others', 'question.advertised_by_others'],
  begging_under_control: ['indicator.begging_under_control', 'question.begging_under_control'],
  begging_earnings_taken: ['indicator.begging_earnings_taken', 'question.begging_earnings_taken'],
  crimes_under_coercion: ['indicator.crimes_under_coercion', 'question.crimes_under_coercion'],
  crime_earnings_taken: ['indicator.crime_earnings_taken', 'question.crime_earnings_taken'],
  domestic_work_without_freedom: ['indicator.domestic_work_without_freedom', 'question.domestic_work_without_freedom'],
  domestic_work_without_pay: ['indicator.domestic_work_without_pay', 'question.domestic_work_without_pay'],
  marriage_without_consent: ['indicator.marriage_without_consent', 'question.marriage_without_consent'],
  married_as_child: ['indicator.married_as_child', 'question.married_as_child'],
  marriage_for_payment: ['indicator.marriage_for_payment', 'question.marriage_for_payment'],
  cannot_leave_marriage: ['indicator.cannot_leave_marriage', 'question.cannot_leave_marriage'],
  exploited_in_marriage: ['indicator.exploited_in_marriage', 'question.exploited_in_marriage'],
  child_without_carer: ['indicator.child_without_carer', 'question.child_without_carer'],
  child_kept_from_school: ['indicator.child_kept_from_school', 'question.child_kept_from_school'],
  child_work_unsuitable: ['indicator.child_work_unsuitable', 'question.child_work_unsuitable'],
  child_travelled_with_strangers: ['indicator.child_travelled_with_strangers', 'question.child_travelled_with_strangers'],
};

export const OPEN_QUESTION_TEXT: Record<OpenQuestion, MessageKey> = {
  situation: 'open.situation',
  journey: 'open.journey',
  now: 'open.now',
};

export const EXPLOITATION_TEXT: Record<ExploitationType, MessageKey> = {
  ForcedLabour: 'exploitation.ForcedLabour',
  SexualExploitation: 'exploitation.SexualExploitation',
  ChildLabour: 'exploitation.ChildLabour',
  ForcedMarriage: 'exploitation.ForcedMarriage',
  Servitude: 'exploitation.Servitude',
  ForcedMilitaryByNonStateActors: 'exploitation.ForcedMilitaryByNonStateActors',
  OrganRemoval: 'exploitation.OrganRemoval',
  ForcedBegging: 'exploitation.ForcedBegging',
  ForcedAdoption: 'exploitation.ForcedAdoption',
  Surrogacy: 'exploitation.Surrogacy',
  Other: 'exploitation.Other',
};

/** The immediate needs a case records (`ImmediateNeeds`), danger first. */
export const NEED_TEXT = {
  danger: 'needs.danger',
  accommodation: 'needs.accommodation',
  health_care: 'needs.health_care',
  money: 'needs.money',
} as const satisfies Record<string, MessageKey>;

export const CONTROL_TEXT: Record<MethodOfControl, MessageKey> = {
  PhysicalThreats: 'control.PhysicalThreats',
  ThreatsLawEnforcement: 'control.ThreatsLawEnforcement',
  ThreatensChildrenFamily: 'control.ThreatensChildrenFamily',
  DebtBondage: 'control.DebtBondage',
  FalsePromises: 'control.FalsePromises',
  PhysicalAbuse: 'control.PhysicalAbuse',
  SexualAbuse: 'control.SexualAbuse',
  TakesEarnings: 'control.TakesEarnings',
  RestrictsFinancialAccess: 'control.RestrictsFinancialAccess',
  RestrictsMedicalCare: 'control.RestrictsMedicalCare',
  WithholdsNecessities: 'control.WithholdsNecessities',
  PsychologicalAbuse: 'control.PsychologicalAbuse',
  PsychoactiveSubstance: 'control.PsychoactiveSubstance',
  ExcessiveWorkingHours: 'control.ExcessiveWorkingHours',
  WithholdsDocuments: 'control.WithholdsDocuments',
  RestrictsMovement: 'control.RestrictsMovement',
  UsesChildren: 'control.UsesChildren',
  Other: 'control.Other',
};

export const PURPOSE_TEXT: Record<Purpose, MessageKey> = {
  support: 'purpose.support',
  storage: 'purpose.storage',
  referral: 'purpose.referral',
  police_report: 'purpose.police_report',
  other: 'purpose.other',
};

/** The field groups a consent can name (attachments are chosen one by one, elsewhere). */
export type NamedFieldGroup = Exclude<FieldGroup, { attachment: string }>;

export const FIELD_TEXT: Record<NamedFieldGroup, MessageKey> = {
  identity: 'field.identity',
  contact: 'field.contact',
  status: 'field.status',
  languages: 'field.languages',
  children: 'field.children',
  account: 'field.account',
  observations: 'field.observations',
  indicators: 'field.indicators',
  needs: 'field.needs',
  police_status: 'field.police_status',
  health: 'field.health',
  exploiters: 'field.exploiters',
};

export const SUPPORT_TEXT: Record<SupportKind, MessageKey> = {
  accommodation: 'supportKind.accommodation',
  health_care: 'supportKind.health_care',
  legal_aid: 'supportKind.legal_aid',
  interpretation: 'supportKind.interpretation',
  psychological_support: 'supportKind.psychological_support',
  financial_help: 'supportKind.financial_help',
  safe_return: 'supportKind.safe_return',
  other: 'supportKind.other',
};

/** Withdrawn consents are described with their date, by the consent list itself. */
export const CONSENT_STATE_TEXT: Record<ConsentState, MessageKey> = {
  in_force: 'consent.valid',
  not_yet_given: 'consent.notYet',
  expired: 'consent.expired',
  withdrawn: 'consent.withdrawnUndated',
};

export const RECORD_TEXT: Record<RecordRef['kind'], MessageKey> = {
  interview: 'record.interview',
  consent: 'record.consent',
  support_action: 'record.support_action',
  task: 'record.task',
  note: 'record.note',
  attachment: 'record.attachment',
};

export const RECIPIENT_KIND_TEXT: Record<RecipientKind, MessageKey> = {
  'assistance-system': 'recipients.kindAssistance',
  police: 'recipients.kindPolice',
  'child-welfare': 'recipients.kindChildWelfare',
  other: 'recipients.kindOther',
};

export const MODE_TEXT: Record<Mode, MessageKey> = {
  referral: 'referral.modeReferral',
  report: 'referral.modeReport',
  consultation: 'referral.modeConsultation',
  notification: 'referral.modeNotification',
};

export const DECISION_TEXT: Record<Decision, MessageKey> = {
  accepted: 'referral.accepted',
  declined: 'referral.declined',
};

export const ACTION_TEXT: Record<Action, MessageKey> = {
  vault_created: 'audit.vault_created',
  format_upgraded: 'audit.format_upgraded',
  unlock: 'audit.unlock',
  failed_unlocks: 'audit.failed_unlocks',
  case_opened: 'audit.case_opened',
  created: 'audit.created',
  changed: 'audit.changed',
  deleted: 'audit.deleted',
  attachment_opened: 'audit.attachment_opened',
  export: 'audit.export',
  referral: 'audit.referral',
  erasure: 'audit.erasure',
  settings_changed: 'audit.settings_changed',
  received: 'audit.received',
  settled: 'audit.settled',
};

/** The kinds of record the audit log names (vault::Record::KIND), in words. */
export const LOGGED_KIND_TEXT = {
  ...RECORD_TEXT,
  person: 'record.person',
  case: 'record.case',
  notification: 'record.notification',
  disclosure: 'record.disclosure',
  recipient: 'record.recipient',
  organisation: 'record.organisation',
  referrer_contact: 'record.referrer_contact',
  retention_policy: 'record.retention_policy',
} as const satisfies Record<string, MessageKey>;
export type LoggedKind = keyof typeof LOGGED_KIND_TEXT;

/** What an item of an access export's review is. */
export const ITEM_TEXT: Record<ItemCategory, MessageKey> = {
  exploiter: 'subjectItem.exploiter',
  child: 'subjectItem.child',
  counsel: 'subjectItem.counsel',
  representative: 'subjectItem.representative',
  referred_by: 'subjectItem.referred_by',
  account: 'subjectItem.account',
  observations: 'subjectItem.observations',
  note: 'subjectItem.note',
  consent: 'subjectItem.consent',
  notification: 'subjectItem.notification',
  recipient: 'subjectItem.recipient',
  document: 'subjectItem.document',
};

/** Released, or withheld for one of the reasons the law allows (in the order offered). */
export const CHOICE_TEXT: Record<Choice, MessageKey> = {
  release: 'subjectChoice.release',
  rights_of_others: 'subjectChoice.rights_of_others',
  safety: 'subjectChoice.safety',
  ongoing_investigation: 'subjectChoice.ongoing_investigation',
};
