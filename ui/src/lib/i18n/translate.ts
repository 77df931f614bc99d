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
// Finnish and Finland-Swedish write a date in numbers (30.11.2026), as the date field takes it,
// and the time with a full stop (18.57). Written here, not by Intl: the window's ICU writes sv-FI
// as 2026-11-30 (Sweden's way), Node's as 30.11.2026. English in words (30 Nov 2026), so that day
// and month cannot be swapped by an American reader.
const EN_DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const inNumbers = (locale: Locale) => locale === 'fi' || locale === 'sv';

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
  if (inNumbers(locale)) return `${d}.${m}.${y}`;
  return new Intl.DateTimeFormat(INTL_TAG[locale], { ...EN_DATE, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A moment (RFC 3339) in the locale's format, in local time. */
export function formatDateTime(locale: Locale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (inNumbers(locale)) {
    const minutes = String(date.getMinutes()).padStart(2, '0');
    return `${date.getDate()}.${date.getMonth() + 1}.${date.getFullYear()} ${date.getHours()}.${minutes}`;
  }
  return new Intl.DateTimeFormat(INTL_TAG[locale], { ...EN_DATE, hour: 'numeric', minute: '2-digit' }).format(date);
}

export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(INTL_TAG[locale]).format(n);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
