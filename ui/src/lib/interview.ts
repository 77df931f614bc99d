// The interview screen's logic, apart from the screen so it can be tested without a window.
import type { IndicatorAnswer } from './bindings/IndicatorAnswer';
import type { IndicatorInfo } from './bindings/IndicatorInfo';
import type { Indicator } from './bindings/Indicator';
import type { Interview } from './bindings/Interview';
import type { IndicatorGroup } from './bindings/IndicatorGroup';
import type { OpenQuestion } from './bindings/OpenQuestion';

/** An answer that says something: anything but "not discussed". */
function answered(interview: Interview, indicator: Indicator): boolean {
  const a = answerOf(interview, indicator);
  return a !== undefined && a.answer !== 'not_discussed';
}

/** The families the caseworker can open when the account points there (all but forced labour). */
export function openableGroups(catalogue: IndicatorInfo[]): IndicatorGroup[] {
  const out: IndicatorGroup[] = [];
  for (const i of catalogue) if (i.form_specific && !out.includes(i.group)) out.push(i.group);
  return out;
}

/** Whether a family's questions are asked: forced labour always; a child's situation for anyone
 * who is or may be a child; the others once the caseworker opens them. */
export function groupOpen(interview: Interview, group: IndicatorGroup, child: boolean): boolean {
  return group === 'forced_labour' || interview.explore.includes(group) || (group === 'children' && child);
}

/**
 * The questions to ask: the screening asks the screening questions, the extended interview all
 * of them, each only in an open family. A question already answered is always shown, so nothing
 * recorded is hidden (that includes questions of an older version of the interview).
 */
export function indicatorsFor(catalogue: IndicatorInfo[], interview: Interview, child: boolean): IndicatorInfo[] {
  return catalogue.filter(
    (i) =>
      answered(interview, i.indicator) ||
      (i.asked && (interview.stage === 'extended' || i.screening) && groupOpen(interview, i.group, child)),
  );
}

/** The interview with a family opened or closed. Closing keeps the answers already given. */
export function withGroup(interview: Interview, group: IndicatorGroup, open: boolean): Interview {
  const others = interview.explore.filter((g) => g !== group);
  return { ...interview, explore: open ? [...others, group] : others };
}

/** The interview with the answer to one open question changed. */
export function withOpenAnswer(interview: Interview, question: OpenQuestion, text: string): Interview {
  const others = interview.open_answers.filter((a) => a.question !== question);
  return { ...interview, open_answers: [...others, { question, text }] };
}

export function openAnswerOf(interview: Interview, question: OpenQuestion): string {
  return interview.open_answers.find((a) => a.question === question)?.text ?? '';
}

export function answerOf(interview: Interview, indicator: Indicator): IndicatorAnswer | undefined {
  return interview.answers.find((a) => a.indicator === indicator);
}

/** The interview with one answer changed (added if it was not there yet). */
export function withAnswer(interview: Interview, indicator: Indicator, change: Partial<IndicatorAnswer>): Interview {
  const current = answerOf(interview, indicator) ?? {
    indicator,
    answer: 'not_discussed',
    source: 'self_reported',
    context: '',
  };
  const updated = { ...current, ...change, indicator };
  const others = interview.answers.filter((a) => a.indicator !== indicator);
  return { ...interview, answers: [...others, updated] };
}

export type SaveState = 'saved' | 'saving' | 'failed';

/**
 * Saves what is typed a moment after typing stops, one save at a time, always the newest text.
 * `save` gets the text to save and returns once it is stored.
 */
export class Autosaver<T> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: T | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly save: (value: T) => Promise<void>,
    private readonly onState: (state: SaveState, error?: unknown) => void,
    private readonly delayMs = 600,
  ) {}

  /** A change: saved after `delayMs` without another change. */
  change(value: T): void {
    this.pending = value;
    this.onState('saving');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves any pending change now, and waits until everything is stored. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    while (this.running) await this.running;
    const value = this.pending;
    if (value === undefined) return;
    this.pending = undefined;
    this.running = this.save(value)
      .then(() => this.onState(this.pending === undefined ? 'saved' : 'saving'))
      .catch((e) => this.onState('failed', e))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
