// Every form is checked here before anything is sent to Rust, and the problem is written next to
// the field in the app's language. Forms carry `novalidate`: the browser's own bubbles speak the
// browser's language ("Fill out this field"), and Rust's detail is English for the CLI.
import type { MessageKey } from './i18n/en';
import type { Params } from './i18n/translate';
import { t } from './i18n/locale.svelte';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

// Text that displays in another order than it is stored, or invisible control characters: Rust
// refuses them (model::check_text), so the form says so first.
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** What is wrong with one control's value, as a message key, or null. A field of our own (the
 * date field) puts its translated problem in `data-problem`. */
export function problemOf(c: Control): { key: MessageKey; params?: Params } | { text: string } | null {
  if (c.dataset.problem) return { text: c.dataset.problem };
  const v = c.validity;
  if (v.valueMissing) return { key: c instanceof HTMLSelectElement ? 'form.choose' : 'form.required' };
  if (v.badInput) return { key: 'form.number' };
  if (v.rangeUnderflow || v.rangeOverflow) return { key: 'form.range', params: { min: c.getAttribute('min') ?? '', max: c.getAttribute('max') ?? '' } };
  if (v.stepMismatch) return { key: 'form.wholeNumber' };
  if (v.typeMismatch) return { key: 'form.email' };
  if (v.tooLong && 'maxLength' in c) return { key: 'form.tooLong', params: { max: c.maxLength } };
  if (!(c instanceof HTMLSelectElement) && HIDDEN.test(c.value)) return { key: 'form.hiddenCharacters' };
  return null;
}

let counter = 0;

/** Writes `message` beside the control (or removes what was there), tied to it for screen readers. */
export function showProblem(c: Control, message: string | null): void {
  if (!c.id) c.id = `field-${++counter}`;
  const id = `${c.id}-problem`;
  let note = document.getElementById(id);
  if (message === null) {
    note?.remove();
    c.removeAttribute('aria-invalid');
    c.setAttribute('aria-describedby', (c.getAttribute('aria-describedby') ?? '').replace(id, '').trim());
    if (!c.getAttribute('aria-describedby')) c.removeAttribute('aria-describedby');
    return;
  }
  if (!note) {
    note = document.createElement('span');
    note.id = id;
    note.className = 'field-problem';
    note.dataset.testid = 'field-problem';
    c.insertAdjacentElement('afterend', note);
  }
  if (!c.dataset.watched) {
    // The note changes as the value is typed, and goes once it is put right.
    c.dataset.watched = 'true';
    c.addEventListener('input', () => recheck(c));
    c.addEventListener('change', () => recheck(c));
  }
  note.textContent = message;
  c.setAttribute('aria-invalid', 'true');
  const described = c.getAttribute('aria-describedby') ?? '';
  if (!described.split(' ').includes(id)) c.setAttribute('aria-describedby', `${described} ${id}`.trim());
}

function messageOf(p: NonNullable<ReturnType<typeof problemOf>>): string {
  return 'text' in p ? p.text : t(p.key, p.params);
}

function recheck(c: Control): void {
  if (!document.getElementById(`${c.id}-problem`)) return;
  // Checked once the typing has updated the field's own state (the date field's data-problem).
  queueMicrotask(() => {
    const p = problemOf(c);
    showProblem(c, p ? messageOf(p) : null);
  });
}

/** Checks every field of `form`, writes each problem beside its field and moves focus to the
 * first; true when nothing is wrong and the form may be sent. */
export function checkForm(form: HTMLFormElement): boolean {
  let first: Control | null = null;
  for (const c of form.querySelectorAll<Control>('input, select, textarea')) {
    if (c.disabled || c.type === 'hidden') continue;
    const p = problemOf(c);
    showProblem(c, p ? messageOf(p) : null);
    if (p && !first) first = c;
  }
  first?.focus();
  return first === null;
}

/** For a submit handler: the form of the event, checked (`checkForm`). */
export function formIsValid(e: SubmitEvent): boolean {
  return checkForm(e.currentTarget as HTMLFormElement);
}
