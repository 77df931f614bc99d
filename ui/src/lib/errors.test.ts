import { describe, expect, it } from 'vitest';
import { describeError, RULE_TEXT } from './errors';
import type { ErrorCode } from './bindings/ErrorCode';
import { LOCALES, translate } from './i18n/translate';

// Every code Rust can send (bindings/ErrorCode.ts); the type check fails when one is missing.
const CODES: Record<ErrorCode, true> = {
  wrong_passphrase: true, wrong_recovery_key: true, mistyped_recovery_key: true, unknown_user: true,
  user_required: true, user_exists: true, last_user: true, no_vault: true, vault_exists: true,
  not_a_vault: true, newer_format: true, integrity: true, not_found: true, conflict: true,
  invalid_input: true, age_not_recorded: true, information_not_shown: true, not_a_child: true,
  interpreter_not_recorded: true, child_without_representative: true, representative_required: true,
  child_must_consent: true, guardian_suspected: true, adult_consents_themself: true,
  too_many_attempts: true, locked: true, busy: true, disk_full: true, read_only: true,
  checkpoint_blocked: true, access_outdated: true, erasures_unknown: true, io: true, database: true,
  consent_missing: true, consent_unsettled: true, recipient_unconfirmed: true, contact_safety_unknown: true,
  referral_incomplete: true, others_not_checked: true, fingerprint_mismatch: true,
  organisation_unnamed: true, organisation_not_taken: true, setting_in_conflict: true, device_fingerprint_mismatch: true, enrolment_unusable: true, enrolment_other_version: true, not_for_you: true, bad_package: true, bad_signature: true,
  audit_broken: true, unknown_sender: true, sync_server: true,
  team_keys_differ: true, older_copy_of_this_laptop: true,
  team_key_change_needs_server: true, team_key_being_changed: true,
};

// What Rust and Tauri say in English, as the review saw it reach the Finnish window.
const RUST_DETAIL = 'invalid args `input` for command `new_case`: the name is longer than 200 characters';

describe('errors from Rust', () => {
  it('map their code to a translated text', () => {
    expect(describeError({ code: 'wrong_passphrase', message: 'wrong passphrase: …' })).toEqual({ key: 'error.wrong_passphrase', params: {} });
  });

  it('a broken rule is said in words, with its values, and its dates as dates', () => {
    const e = {
      code: 'invalid_input',
      message: 'a reflection or recovery period lasts at least 30 days: …',
      rule: { rule: 'period_too_short', days: 30, start: '2026-12-01', shortest: '2026-12-30' },
    };
    expect(describeError(e)).toEqual({
      key: 'rule.period_too_short',
      params: { days: 30, start: { date: '2026-12-01' }, shortest: { date: '2026-12-30' } },
    });
    expect(translate('fi', describeError(e).key, { days: 30, start: '1.12.2026', shortest: '30.12.2026' })).toBe(
      'Harkinta-aika tai toipumisaika kestää vähintään 30 päivää: 1.12.2026 alkaen se päättyy aikaisintaan 30.12.2026. Tarkista päätöksen päivämäärät.',
    );
  });

  it('anything else is unexpected, never silent', () => {
    expect(describeError(new Error('boom')).key).toBe('error.unexpected');
    expect(describeError({ code: 'no_such_code', message: 'x' }).key).toBe('error.unexpected');
    expect(describeError(RUST_DETAIL).key).toBe('error.unexpected');
  });

  it.each(LOCALES)('in %s, no error shows Rust\'s English detail, an internal name or an unfilled placeholder', (locale) => {
    for (const code of Object.keys(CODES) as ErrorCode[]) {
      for (const e of [{ code, message: RUST_DETAIL }, RUST_DETAIL, new Error(RUST_DETAIL)]) {
        const text = translate(locale, describeError(e).key);
        expect(text, `${locale} ${code}`).not.toMatch(/invalid args|new_case|longer than|\{\w+\}|[a-z]+_[a-z]+/);
      }
    }
  });

  it.each(['fi', 'sv'] as const)('in %s, every broken rule is said in that language, with no internal name', (locale) => {
    for (const [rule, key] of Object.entries(RULE_TEXT)) {
      const text = translate(locale, key);
      expect(text, `${locale} ${rule}`).not.toBe(translate('en', key));
      expect(text, `${locale} ${rule}`).not.toMatch(/[a-z]+_[a-z]+|invalid|\{detail\}/);
    }
  });
});
