// A saved record of a case in one line of words: the timeline, a record's versions and the two
// sides of a conflict between laptops all describe records with it.
import type { ConsentState } from './bindings/ConsentState';
import { date, t } from './i18n/locale.svelte';
import { CONSENT_STATE_TEXT, PURPOSE_TEXT, SUPPORT_TEXT } from './labels';
import type { AnyRecord } from './timeline';

/** `state` is a consent's state today where the case knows it; `whole` keeps a note uncut. */
export function summary(item: AnyRecord, state?: ConsentState, whole = false): string {
  switch (item.kind) {
    case 'interview':
      return [t(item.record.stage === 'screening' ? 'interview.screening' : 'interview.extended'), t(item.record.status === 'draft' ? 'interview.draft' : 'interview.final')].join(' · ');
    case 'consent': {
      const now = item.record.withdrawn ? 'withdrawn' : (state ?? 'in_force');
      return [t(PURPOSE_TEXT[item.record.purpose]), item.record.recipient, t(CONSENT_STATE_TEXT[now])].filter(Boolean).join(' · ');
    }
    case 'support_action':
      return [t(SUPPORT_TEXT[item.record.kind]), item.record.provider].filter(Boolean).join(' · ');
    case 'task':
      return item.record.done ? `${item.record.title} · ${t('tasks.done')} ${date(item.record.done)}` : item.record.title;
    case 'note':
      return whole || item.record.text.length <= 120 ? item.record.text : `${item.record.text.slice(0, 120)}…`;
    case 'attachment':
      return item.record.name;
  }
}
