// The current language, switchable in the app and remembered on this computer. Only the language
// code is stored (in the webview's local storage); never anything about a case.
import { describeError } from '../errors';
import type { MessageKey } from './en';
import { formatDate, formatDateTime, formatNumber, isLocale, translate, type Locale, type Params } from './translate';

const STORAGE_KEY = 'silta.locale';

function initial(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  const browser = (globalThis.navigator?.language ?? 'fi').slice(0, 2);
  return isLocale(browser) ? browser : 'fi';
}

export const current = $state({ locale: initial() });

export function setLocale(locale: Locale): void {
  current.locale = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export function t(key: MessageKey, params?: Params): string {
  return translate(current.locale, key, params);
}

export function date(isoDate: string): string {
  return formatDate(current.locale, isoDate);
}

export function dateTime(iso: string): string {
  return formatDateTime(current.locale, iso);
}

export function number(n: number): string {
  return formatNumber(current.locale, n);
}

/** The translated text for an error from Rust (or anything thrown). */
export function errorText(e: unknown): string {
  const { key, params } = describeError(e);
  const shown = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? date(v.date) : v]));
  return t(key, shown);
}
