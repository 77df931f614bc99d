import { describe, expect, it } from 'vitest';
import { formatDateInput, parseDateInput, rangeProblem, todayIso } from './dates';

describe('the date field', () => {
  it('reads day, month and year in that order, whatever the computer\'s locale', () => {
    expect(parseDateInput('5.3.2026')).toEqual({ iso: '2026-03-05' });
    expect(parseDateInput('05/03/2026')).toEqual({ iso: '2026-03-05' });
    expect(parseDateInput(' 5 . 3 . 2026 ')).toEqual({ iso: '2026-03-05' });
    expect(parseDateInput('2026-03-05')).toEqual({ iso: '2026-03-05' });
  });

  it('an empty field is empty, not today', () => {
    expect(parseDateInput('')).toEqual({ empty: true });
    expect(parseDateInput('   ')).toEqual({ empty: true });
  });

  it('a year of more or fewer than four digits is a typo', () => {
    expect(parseDateInput('1.1.141990')).toEqual({ problem: 'date.year' });
    expect(parseDateInput('1.1.90')).toEqual({ problem: 'date.year' });
  });

  it('refuses days and months that do not exist', () => {
    expect(parseDateInput('31.4.2026')).toEqual({ problem: 'date.day' });
    expect(parseDateInput('29.2.2026')).toEqual({ problem: 'date.day' });
    expect(parseDateInput('29.2.2024')).toEqual({ iso: '2024-02-29' });
    expect(parseDateInput('0.1.2026')).toEqual({ problem: 'date.day' });
    expect(parseDateInput('1.13.2026')).toEqual({ problem: 'date.month' });
    expect(parseDateInput('yesterday')).toEqual({ problem: 'date.format' });
  });

  it('writes a date the way the app\'s language does', () => {
    expect(formatDateInput('fi', '2026-03-05')).toBe('5.3.2026');
    expect(formatDateInput('sv', '2026-03-05')).toBe('5.3.2026');
    expect(formatDateInput('en', '2026-03-05')).toBe('05/03/2026');
    expect(formatDateInput('fi', '')).toBe('');
  });

  it('a birth date after today is out of range, today itself is not', () => {
    expect(rangeProblem('2031-01-01', '1900-01-01', '2026-11-30')).toBe('date.tooLate');
    expect(rangeProblem('2026-11-30', '1900-01-01', '2026-11-30')).toBeNull();
    expect(rangeProblem('1899-12-31', '1900-01-01', '2026-11-30')).toBe('date.tooEarly');
    expect(rangeProblem('1899-12-31', undefined, undefined)).toBeNull();
  });

  it('today is the local day, not the UTC one', () => {
    expect(todayIso(new Date(2026, 0, 1, 0, 30))).toBe('2026-01-01');
  });
});
