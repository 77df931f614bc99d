// The app's own date field: typed as day, month and year in the order of the app's language
// (not the computer's), shown empty when empty, and checked before anything is sent.
import type { MessageKey } from './i18n/en';
import type { Locale } from './i18n/translate';

export type Parsed = { iso: string } | { problem: MessageKey } | { empty: true };

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `iso` (YYYY-MM-DD) as typed in `locale`: 5.3.2026 in Finnish and Swedish, 05/03/2026 in English. */
export function formatDateInput(locale: Locale, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (locale === 'en') return `${pad(day, 2)}/${pad(month, 2)}/${year}`;
  return `${day}.${month}.${year}`;
}

/** What a typed date means: day, month and year with any of . / - or space between them, or
 * the ISO form YYYY-MM-DD. The year has four digits: "141990" is a typo, not a year. */
export function parseDateInput(text: string): Parsed {
  const s = text.trim();
  if (s === '') return { empty: true };
  let day: number, month: number, year: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const dmy = /^(\d{1,2})\s*[./\- ]\s*(\d{1,2})\s*[./\- ]\s*(\d+)$/.exec(s);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (dmy) {
    if (dmy[3].length !== 4) return { problem: 'date.year' };
    [day, month, year] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  } else {
    return { problem: 'date.format' };
  }
  if (month < 1 || month > 12) return { problem: 'date.month' };
  const date = new Date(Date.UTC(year, month - 1, day));
  if (day < 1 || date.getUTCDate() !== day) return { problem: 'date.day' };
  return { iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

/** Today on this computer, as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`;
}

/** Whether `iso` lies within the bounds a field allows (either may be absent). */
export function rangeProblem(iso: string, min: string | undefined, max: string | undefined): MessageKey | null {
  if (min && iso < min) return 'date.tooEarly';
  if (max && iso > max) return 'date.tooLate';
  return null;
}
