import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Interview } from './bindings/Interview';
import { Autosaver, indicatorsFor, openableGroups, withAnswer, withGroup, withOpenAnswer } from './interview';
import type { IndicatorInfo } from './bindings/IndicatorInfo';

const empty: Interview = {
  stage: 'screening',
  language: 'ro',
  interpreter: null,
  answers: [],
  narrative: '',
  observations: '',
  status: 'draft',
  opening_given: false,
  open_answers: [],
  explore: [],
  question_set: 2,
};

function info(indicator: IndicatorInfo['indicator'], group: IndicatorInfo['group'], screening: boolean, asked = true) {
  return {
    indicator,
    group,
    screening,
    asked,
    form_specific: group !== 'forced_labour',
    exploitation_types: [],
    methods_of_control: [],
  } satisfies IndicatorInfo;
}

const catalogue: IndicatorInfo[] = [
  info('deception', 'forced_labour', true),
  info('isolation', 'forced_labour', false),
  info('physical_and_sexual_violence', 'forced_labour', false, false),
  info('sexual_services_under_control', 'sexual_exploitation', true),
  info('earnings_from_sex_taken', 'sexual_exploitation', false),
  info('child_without_carer', 'children', true),
];
const asked = (i: Interview, child = false) => indicatorsFor(catalogue, i, child).map((x) => x.indicator);

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
    expect(asked(empty)).toEqual(['deception']);
    expect(asked({ ...empty, stage: 'extended' })).toEqual(['deception', 'isolation']);
  });

  it('asks a form-specific family only once the caseworker opens it, and keeps answers when closed', () => {
    expect(openableGroups(catalogue)).toEqual(['sexual_exploitation', 'children']);
    const opened = withGroup(empty, 'sexual_exploitation', true);
    expect(asked(opened)).toEqual(['deception', 'sexual_services_under_control']);
    const answered = withAnswer(opened, 'sexual_services_under_control', { answer: 'no' });
    const closed = withGroup(answered, 'sexual_exploitation', false);
    expect(closed.explore).toEqual([]);
    expect(asked(closed)).toEqual(['deception', 'sexual_services_under_control']);
  });

  it("asks a child's questions of anyone who is or may be a child", () => {
    expect(asked(empty, true)).toEqual(['deception', 'child_without_carer']);
  });

  it('shows a question of an older interview only where it was answered', () => {
    const extended = { ...empty, stage: 'extended' as const };
    expect(asked(extended)).not.toContain('physical_and_sexual_violence');
    const old = withAnswer(extended, 'physical_and_sexual_violence', { answer: 'yes' });
    expect(asked(old)).toContain('physical_and_sexual_violence');
    const notDiscussed = withAnswer(extended, 'physical_and_sexual_violence', { answer: 'not_discussed' });
    expect(asked(notDiscussed)).not.toContain('physical_and_sexual_violence');
  });

  it('keeps one answer per open question', () => {
    const once = withOpenAnswer(empty, 'situation', 'I cleaned');
    const twice = withOpenAnswer(once, 'situation', 'I cleaned offices');
    expect(twice.open_answers).toEqual([{ question: 'situation', text: 'I cleaned offices' }]);
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
