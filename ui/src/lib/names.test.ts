import { describe, expect, it } from 'vitest';
import { nameOf, sortedNames } from './names.svelte';

describe('country and language names', () => {
  const names = {
    countries: [
      { code: 'AX', name: 'Ahvenanmaa' },
      { code: 'AT', name: 'Itävalta' },
      { code: 'IE', name: 'Irlanti' },
      { code: 'ZW', name: 'Zimbabwe' },
      { code: 'SE', name: 'Ruotsi' },
    ],
    languages: [{ code: 'uk', name: 'ukraina' }],
  };

  it('sorts as a Finnish reader looks for them, and leaves the input as it was', () => {
    const fi = sortedNames(names, 'fi').countries.map((n) => n.code);
    expect(fi).toEqual(['AX', 'IE', 'AT', 'SE', 'ZW']);
    expect(names.countries[0].code).toBe('AX');
  });

  it('names a code, and shows a code it has no name for as it is', () => {
    expect(nameOf(names.languages, 'uk')).toBe('ukraina');
    expect(nameOf(names.languages, 'xx')).toBe('xx');
  });
});
