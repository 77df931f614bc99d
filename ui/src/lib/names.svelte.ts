// Countries and languages by name in the app's language, from the same CLDR tables Rust writes the
// referral form with: pickers offer names and the case page shows names, never codes ("uk" is
// Ukrainian, not the United Kingdom).
import type { Backend } from './backend';
import type { Named } from './bindings/Named';
import type { Names } from './bindings/Names';
import { current } from './i18n/locale.svelte';
import type { Locale } from './i18n/translate';

const loaded: Partial<Record<Locale, Names>> = $state({});

/** The names sorted as a reader of `locale` looks for them (ä and ö after z in Finnish). */
export function sortedNames(names: Names, locale: Locale): Names {
  const order = (a: Named, b: Named) => a.name.localeCompare(b.name, locale);
  return { countries: [...names.countries].sort(order), languages: [...names.languages].sort(order) };
}

export async function loadNames(backend: Backend, locale: Locale): Promise<void> {
  if (!loaded[locale]) loaded[locale] = sortedNames(await backend.placeNames(locale), locale);
}

export const countries = (): Named[] => loaded[current.locale]?.countries ?? [];
export const languages = (): Named[] => loaded[current.locale]?.languages ?? [];

/** The name of a code, or the code itself until the names have loaded. */
export function nameOf(list: Named[], code: string): string {
  return list.find((n) => n.code === code)?.name ?? code;
}
