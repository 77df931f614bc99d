// The interview screen's logic, apart from the screen so it can be tested without a window.
import type { IndicatorAnswer } from './bindings/IndicatorAnswer';
import type { IndicatorInfo } from './bindings/IndicatorInfo';
import type { Indicator } from './bindings/Indicator';
import type { Interview } from './bindings/Interview';
import type { InterviewStage } from './bindings/InterviewStage';

/** The screening asks the screening questions; the extended interview asks them all. */
export function indicatorsFor(catalogue: IndicatorInfo[], stage: InterviewStage): IndicatorInfo[] {
  return stage === 'screening' ? catalogue.filter((i) => i.screening) : catalogue;
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
