// The case page's timeline names records by reference (Rust orders them); these helpers find the
// record a reference names, and give each saved version of a record's history the same shape, so
// one summary function describes both.
import type { Attachment } from './bindings/Attachment';
import type { CaseView } from './bindings/CaseView';
import type { Consent } from './bindings/Consent';
import type { Interview } from './bindings/Interview';
import type { Note } from './bindings/Note';
import type { RecordHistory } from './bindings/RecordHistory';
import type { RecordRef } from './bindings/RecordRef';
import type { SupportAction } from './bindings/SupportAction';
import type { Task } from './bindings/Task';

interface Kinds {
  interview: Interview;
  consent: Consent;
  support_action: SupportAction;
  task: Task;
  note: Note;
  attachment: Attachment;
}

export type AnyRecord = { [K in keyof Kinds]: { kind: K; id: string; record: Kinds[K] } }[keyof Kinds];

export interface Version {
  version: number;
  saved_at: string;
  saved_by: string;
  item: AnyRecord;
}

// Where each kind lives in a case view; typed per kind, so a wrong list fails the type check.
const LISTS: { [K in keyof Kinds]: (view: CaseView) => { id: string; record: Kinds[K] }[] } = {
  interview: (v) => v.interviews,
  consent: (v) => v.consents,
  support_action: (v) => v.support_actions,
  task: (v) => v.tasks,
  note: (v) => v.notes,
  attachment: (v) => v.attachments,
};

/** The latest version of the record `ref` names, or null if the view has no such record. */
export function recordOf(view: CaseView, ref: RecordRef): AnyRecord | null {
  const found = LISTS[ref.kind](view).find((s) => s.id === ref.id);
  return found ? ({ kind: ref.kind, id: ref.id, record: found.record } as AnyRecord) : null;
}

/** A record's saved versions, newest first. */
export function versionsOf(history: RecordHistory): Version[] {
  return history.versions
    .map((v: { id: string; version: number; saved_at: string; saved_by: string; record: Kinds[keyof Kinds] }) => ({
      version: v.version,
      saved_at: v.saved_at,
      saved_by: v.saved_by,
      item: { kind: history.kind, id: v.id, record: v.record } as AnyRecord,
    }))
    .reverse();
}
