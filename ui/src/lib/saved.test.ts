import { describe, expect, it } from 'vitest';
import { added } from './saved';

describe('added', () => {
  it('names the record a save added to a list', () => {
    expect(added([{ id: 'a' }, { id: 'b' }], [{ id: 'a' }, { id: 'c' }, { id: 'b' }])).toBe('c');
  });
  it('names none when a save changed a record already there', () => {
    expect(added([{ id: 'a' }], [{ id: 'a' }])).toBeNull();
  });
});
