// Preferences of this computer's user, kept in the webview's local storage. Never anything about
// a case: only choices like how soon to lock.
export const AUTO_LOCK_CHOICES = [1, 5, 10, 15, 30, 60] as const;
const KEY = 'silta.autoLockMinutes';

export function autoLockMinutes(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): number {
  const saved = Number(storage?.getItem(KEY));
  return (AUTO_LOCK_CHOICES as readonly number[]).includes(saved) ? saved : 5;
}

export function saveAutoLockMinutes(minutes: number, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  storage?.setItem(KEY, String(minutes));
}
