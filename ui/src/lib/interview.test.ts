import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Interview } from './bindings/Interview';
import { Autosaver, indicatorsFor, withAnswer } from './interview';
import type { IndicatorInfo } from './bindings/IndicatorInfo';

const empty: Interview = {
  stage: 'screening',
  language: 'ro',
  interpreter: null,
  answers: [],
  narrative: '',
  observations: '',
  status: 'draft',
};

describe('interview answers', () => {
  it('adds an answer on first change and updates it after', () => {
    const one = withAnswer(empty, 'debt_bondage', { answer: 'yes' });
    expect(one.answers).toEqual([{ indicator: 'debt_bondage', answer: 'yes', source: 'self_reported', context: '' }]);
    const two = withAnswer(one, 'debt_bondage', { source: 'observed', context: 'owes 5000' });
    expect(two.answers).toHaveLength(1);
    expect(two.answers[0]).toMatchObject({ answer: 'yes', source: 'observed', context: 'owes 5000' });
    expect(empty.answers).toEqual([]);
  });

  it('the screening asks fewer questions than the extended interview', () => {
    const catalogue = [
      { indicator: 'deception', screening: true },
      { indicator: 'isolation', screening: false },
    ] as IndicatorInfo[];
    expect(indicatorsFor(catalogue, 'screening').map((i) => i.indicator)).toEqual(['deception']);
    expect(indicatorsFor(catalogue, 'extended')).toHaveLength(2);
  });
});

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves once typing stops, with the newest text', async () => {
    const saved: string[] = [];
    const states: string[] = [];
    const saver = new Autosaver<string>(async (v) => void saved.push(v), (s) => states.push(s), 500);
    saver.change('a');
    saver.change('ab');
    saver.change('abc');
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(600);
    expect(saved).toEqual(['abc']);
    expect(states.at(-1)).toBe('saved');
  });

  it('flush saves at once and a failure is reported, not lost', async () => {
    const states: string[] = [];
    const saver = new Autosaver<string>(() => Promise.reject(new Error('disk full')), (s) => states.push(s));
    saver.change('x');
    await saver.flush();
    expect(states.at(-1)).toBe('failed');
  });
});
