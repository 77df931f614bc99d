// After a save on the case page: the record the save added gets the focus and a "Saved" beside
// it, so a caseworker sees where it went without hunting for it in the list.

/** The id in `after` that is not in `before`: the record a save just added, if one. */
export function added(before: readonly { id: string }[], after: readonly { id: string }[]): string | null {
  const had = new Set(before.map((r) => r.id));
  return after.find((r) => !had.has(r.id))?.id ?? null;
}

/** A Svelte action: brings `node` into view and gives it the focus when `on` is true. */
export function focusWhen(node: HTMLElement, on: boolean) {
  const apply = (now: boolean) => {
    if (!now) return;
    node.scrollIntoView({ block: 'nearest' });
    node.focus({ preventScroll: true });
  };
  apply(on);
  return { update: apply };
}
