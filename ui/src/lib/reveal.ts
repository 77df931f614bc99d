// A confirmation that has just appeared is brought into view, so that "saved" is seen where the
// caseworker is looking rather than below the window's edge.

/** A Svelte action: scrolls `node` into view, as little as needed. */
export function reveal(node: HTMLElement): void {
  node.scrollIntoView({ block: 'nearest' });
}
