// Errors from Rust arrive as {code, message}; the user sees the translated text for the code.
import type { ErrorCode } from './bindings/ErrorCode';
import { isErrorJson } from './backend';
import type { MessageKey } from './i18n/en';
import type { Params } from './i18n/translate';

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
  recipient_unconfirmed: 'error.recipient_unconfirmed',
  contact_safety_unknown: 'error.contact_safety_unknown',
  referral_incomplete: 'error.referral_incomplete',
  others_not_checked: 'error.others_not_checked',
  fingerprint_mismatch: 'error.fingerprint_mismatch',
  organisation_unnamed: 'error.organisation_unnamed',
  not_for_you: 'error.not_for_you',
  bad_package: 'error.bad_package',
  bad_signature: 'error.bad_signature',
  audit_broken: 'error.audit_broken',
  unknown_sender: 'error.unknown_sender',
};

/** The message key and parameters for an error; `detail` carries Rust's own (English) detail. */
export function describeError(e: unknown): { key: MessageKey; params: Params } {
  if (isErrorJson(e) && e.code in TEXT) {
    return { key: TEXT[e.code], params: { detail: e.message } };
  }
  return { key: 'error.unexpected', params: { detail: String(e) } };
}

export function errorCode(e: unknown): ErrorCode | null {
  return isErrorJson(e) ? e.code : null;
}
