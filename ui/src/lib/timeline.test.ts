import { describe, expect, it } from 'vitest';
import type { CaseView } from './bindings/CaseView';
import type { RecordHistory } from './bindings/RecordHistory';
import { recordOf, versionsOf } from './timeline';

const task = (done: string | null) => ({ title: 'Call the shelter', due: '2026-12-01', done, reminder: 'general' as const, assignee: null });
const saved = <R>(id: string, version: number, record: R) => ({
  id,
  version,
  case: 'c1',
  saved_at: `2026-11-2${version}T10:00:00Z`,
  saved_by: 'Kaisa',
  record,
});

const view = {
  interviews: [],
  consents: [],
  support_actions: [],
  tasks: [saved('t1', 2, task('2026-11-28'))],
  notes: [saved('n1', 1, { text: 'Met at the shelter' })],
  attachments: [],
} as unknown as CaseView;

describe('timeline records', () => {
  it('finds the record a reference names, by kind and id', () => {
    expect(recordOf(view, { kind: 'note', id: 'n1' })).toEqual({ kind: 'note', id: 'n1', record: { text: 'Met at the shelter' } });
    expect(recordOf(view, { kind: 'task', id: 't1' })?.record).toEqual(task('2026-11-28'));
    expect(recordOf(view, { kind: 'task', id: 'n1' })).toBeNull();
  });

  it('lists a history newest first, each version with who saved it', () => {
    const history: RecordHistory = { kind: 'task', versions: [saved('t1', 1, task(null)), saved('t1', 2, task('2026-11-28'))] };
    const versions = versionsOf(history);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[1]).toMatchObject({ saved_by: 'Kaisa', item: { kind: 'task', record: { done: null } } });
  });
});
