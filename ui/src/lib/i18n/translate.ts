// Pure translation functions; the reactive current locale lives in locale.svelte.ts.
import { en, type MessageKey } from './en';
import { fi } from './fi';
import { sv } from './sv';

export type Locale = 'fi' | 'sv' | 'en';
export const LOCALES: readonly Locale[] = ['fi', 'sv', 'en'];
export const LOCALE_NAMES: Record<Locale, string> = { fi: 'Suomi', sv: 'Svenska', en: 'English' };

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, fi, sv };

// BCP 47 tags for Intl: Finnish and Swedish as used in Finland.
const INTL_TAG: Record<Locale, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
// Finnish and Finland-Swedish write a date in numbers (30.11.2026), as the date field takes it;
// English in words (30 Nov 2026), so that day and month cannot be swapped by an American reader.
const DATE_STYLE: Record<Locale, Intl.DateTimeFormatOptions> = {
  fi: { day: 'numeric', month: 'numeric', year: 'numeric' },
  sv: { day: 'numeric', month: 'numeric', year: 'numeric' },
  en: { day: 'numeric', month: 'short', year: 'numeric' },
};

export type Params = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A calendar date (YYYY-MM-DD, no time zone) in the locale's format. */
export function formatDate(locale: Locale, isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  const date = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat(INTL_TAG[locale], { ...DATE_STYLE[locale], timeZone: 'UTC' }).format(date);
}

/** A moment (RFC 3339) in the locale's format, in local time. */
export function formatDateTime(locale: Locale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL_TAG[locale], { ...DATE_STYLE[locale], hour: 'numeric', minute: '2-digit' }).format(date);
}

export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(INTL_TAG[locale]).format(n);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
