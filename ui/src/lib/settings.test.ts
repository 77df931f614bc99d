import { describe, expect, it } from 'vitest';
import { autoLockMinutes, saveAutoLockMinutes } from './settings';

function memory() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

describe('auto-lock setting', () => {
  it('defaults to 5 minutes and remembers a choice', () => {
    const s = memory();
    expect(autoLockMinutes(s)).toBe(5);
    saveAutoLockMinutes(15, s);
    expect(autoLockMinutes(s)).toBe(15);
  });

  it('ignores anything that is not one of the choices', () => {
    const s = memory();
    s.setItem('silta.autoLockMinutes', '0');
    expect(autoLockMinutes(s)).toBe(5);
  });
});
