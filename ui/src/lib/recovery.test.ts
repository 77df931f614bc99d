import { describe, expect, it } from 'vitest';
import { groupMatches, groupsToConfirm } from './recovery';

const KEY = 'SRWT7-DB1Z6-5W21R-YW9JF-6BEVV-7C0BT-20FHE-PJ9Z4-HV3P0-0FYEQ-C6FXR';

describe('recovery key confirmation', () => {
  it('asks for two different groups within the key', () => {
    for (const r of [0, 0.1, 0.5, 0.99]) {
      const [a, b] = groupsToConfirm(11, () => r);
      expect(a).toBeGreaterThanOrEqual(1);
      expect(b).toBeLessThanOrEqual(11);
      expect(a).toBeLessThan(b);
    }
  });

  it('accepts the group as written down, forgivingly', () => {
    expect(groupMatches(KEY, 6, '7c0bt')).toBe(true);
    expect(groupMatches(KEY, 6, '7COBT')).toBe(true);
    expect(groupMatches(KEY, 2, 'dbiz6')).toBe(true);
  });

  it('refuses another group or a typo', () => {
    expect(groupMatches(KEY, 6, 'SRWT7')).toBe(false);
    expect(groupMatches(KEY, 6, '7C0BX')).toBe(false);
    expect(groupMatches(KEY, 12, '')).toBe(false);
  });
});
