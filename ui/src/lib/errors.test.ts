import { describe, expect, it } from 'vitest';
import { describeError } from './errors';

describe('errors from Rust', () => {
  it('map their code to a translated text and keep the detail', () => {
    expect(describeError({ code: 'wrong_passphrase', message: 'wrong passphrase: …' })).toEqual({
      key: 'error.wrong_passphrase',
      params: { detail: 'wrong passphrase: …' },
    });
  });

  it('anything else is unexpected, never silent', () => {
    expect(describeError(new Error('boom')).key).toBe('error.unexpected');
    expect(describeError({ code: 'no_such_code', message: 'x' }).key).toBe('error.unexpected');
  });
});
