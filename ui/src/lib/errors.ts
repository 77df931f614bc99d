// Errors from Rust arrive as {code, message}; the user sees the translated text for the code.
import type { ErrorCode } from './bindings/ErrorCode';
import type { Invalid } from './bindings/Invalid';
import { isErrorJson } from './backend';
import type { MessageKey } from './i18n/en';

// Every code must have a text: this Record fails the type check when Rust adds a code.
const TEXT: Record<ErrorCode, MessageKey> = {
  wrong_passphrase: 'error.wrong_passphrase',
  wrong_recovery_key: 'error.wrong_recovery_key',
  mistyped_recovery_key: 'error.mistyped_recovery_key',
  unknown_user: 'error.unknown_user',
  user_required: 'error.user_required',
  user_exists: 'error.user_exists',
  last_user: 'error.last_user',
  no_vault: 'error.no_vault',
  vault_exists: 'error.vault_exists',
  not_a_vault: 'error.not_a_vault',
  newer_format: 'error.newer_format',
  integrity: 'error.integrity',
  not_found: 'error.not_found',
  conflict: 'error.conflict',
  invalid_input: 'error.invalid_input',
  age_not_recorded: 'error.age_not_recorded',
  information_not_shown: 'error.information_not_shown',
  not_a_child: 'error.not_a_child',
  interpreter_not_recorded: 'error.interpreter_not_recorded',
  child_without_representative: 'error.child_without_representative',
  representative_required: 'error.representative_required',
  child_must_consent: 'error.child_must_consent',
  guardian_suspected: 'error.guardian_suspected',
  adult_consents_themself: 'error.adult_consents_themself',
  too_many_attempts: 'error.too_many_attempts',
  locked: 'error.locked',
  busy: 'error.busy',
  disk_full: 'error.disk_full',
  read_only: 'error.read_only',
  checkpoint_blocked: 'error.checkpoint_blocked',
  access_outdated: 'error.access_outdated',
  erasures_unknown: 'error.erasures_unknown',
  io: 'error.io',
  database: 'error.database',
  consent_missing: 'error.consent_missing',
  consent_unsettled: 'error.consent_unsettled',
  recipient_unconfirmed: 'error.recipient_unconfirmed',
  contact_safety_unknown: 'error.contact_safety_unknown',
  referral_incomplete: 'error.referral_incomplete',
  others_not_checked: 'error.others_not_checked',
  fingerprint_mismatch: 'error.fingerprint_mismatch',
  organisation_unnamed: 'error.organisation_unnamed',
  organisation_not_taken: 'error.organisation_not_taken',
  setting_in_conflict: 'error.setting_in_conflict',
  device_fingerprint_mismatch: 'error.device_fingerprint_mismatch',
  enrolment_unusable: 'error.enrolment_unusable',
  enrolment_other_version: 'error.enrolment_other_version',
  not_for_you: 'error.not_for_you',
  bad_package: 'error.bad_package',
  bad_signature: 'error.bad_signature',
  audit_broken: 'error.audit_broken',
  unknown_sender: 'error.unknown_sender',
  sync_server: 'error.sync_server',
  team_keys_differ: 'error.team_keys_differ',
  older_copy_of_this_laptop: 'error.older_copy_of_this_laptop',
  team_key_change_needs_server: 'error.team_key_change_needs_server',
  team_key_being_changed: 'error.team_key_being_changed',
};

// The rules a person can break at the keyboard, each in words; the type check fails when Rust
// adds one.
export const RULE_TEXT: Record<Invalid['rule'], MessageKey> = {
  passphrase_too_short: 'rule.passphrase_too_short',
  removing_yourself: 'rule.removing_yourself',
  not_in_demo: 'rule.not_in_demo',
  staff_name: 'rule.staff_name',
  born_in_future: 'date.birthInFuture',
  born_too_early: 'rule.born_too_early',
  period_too_short: 'rule.period_too_short',
  reflection_too_long: 'rule.reflection_too_long',
  period_kind_missing: 'rule.period_kind_missing',
  consent_expires_before_given: 'rule.consent_expires_before_given',
  withdrawn_before_given: 'rule.withdrawn_before_given',
  consent_recipient_missing: 'rule.consent_recipient_missing',
  representative_unnamed: 'rule.representative_unnamed',
  notification_in_future: 'rule.notification_in_future',
  closes_before_opened: 'rule.closes_before_opened',
  date_in_future: 'rule.date_in_future',
  recipient_exists: 'rule.recipient_exists',
  not_an_age_key: 'rule.not_an_age_key',
  not_a_device_key: 'rule.not_a_device_key',
  device_key_from_older_silta: 'rule.device_key_from_older_silta',
  older_vault_cannot_start_team: 'rule.older_vault_cannot_start_team',
  device_key_already_listed: 'rule.device_key_already_listed',
  not_a_phone_number: 'rule.not_a_phone_number',
  not_an_email: 'form.email',
  under_legal_hold: 'rule.under_legal_hold',
  retention_years: 'rule.retention_years',
  review_outdated: 'rule.review_outdated',
  withheld_elsewhere: 'rule.withheld_elsewhere',
  joined_vault_in_use: 'rule.joined_vault_in_use',
  set_aside_name_taken: 'rule.set_aside_name_taken',
};

/** A rule's values as the message shows them: dates as dates, everything else as it is. */
export type RuleParams = Record<string, string | number | { date: string }>;

function ruleParams(rule: Invalid): RuleParams {
  const params: RuleParams = {};
  for (const [name, value] of Object.entries(rule)) {
    if (name === 'rule') continue;
    params[name] = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? { date: value } : (value as string | number);
  }
  return params;
}

/** The message key for an error, and a broken rule's values. Rust's own message is English,
 * written for the CLI, and names fields as the code does: it never reaches the window. */
export function describeError(e: unknown): { key: MessageKey; params: RuleParams } {
  if (isErrorJson(e) && e.rule && e.rule.rule in RULE_TEXT) return { key: RULE_TEXT[e.rule.rule], params: ruleParams(e.rule) };
  if (isErrorJson(e) && e.code in TEXT) return { key: TEXT[e.code], params: {} };
  return { key: 'error.unexpected', params: {} };
}

export function errorCode(e: unknown): ErrorCode | null {
  return isErrorJson(e) ? e.code : null;
}
