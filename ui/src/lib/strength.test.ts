import { describe, expect, it } from 'vitest';
import { strength } from './strength';

describe('passphrase strength', () => {
  it('asks for at least 8 characters', () => expect(strength('short')).toBe('tooShort'));
  it('calls a repeated or single word weak', () => {
    expect(strength('aaaaaaaaaaaa')).toBe('weak');
    expect(strength('password')).toBe('weak');
  });
  it('rewards several words', () => {
    expect(strength('sauna lake birch')).toBe('fair');
    expect(strength('sauna lake birch midnight coffee')).toBe('strong');
    expect(strength('hämärä järvi koivu yö kahvi')).toBe('strong');
  });
});
