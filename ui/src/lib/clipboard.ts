/** How long a copied recovery key stays on the clipboard, where every other program can read it. */
export const CLIPBOARD_SECONDS = 60;

/**
 * Empties the clipboard if it still holds `secret`. If the clipboard cannot be read (the system
 * may refuse), it is emptied anyway: losing something copied since costs less than leaving the
 * recovery key where any program can read it.
 */
export async function clearClipboard(secret: string, clipboard: Pick<Clipboard, 'readText' | 'writeText'> = navigator.clipboard): Promise<void> {
  let current: string | null = null;
  try {
    current = await clipboard.readText();
  } catch {
    current = null;
  }
  if (current === null || current === secret) {
    await clipboard.writeText('').catch(() => undefined);
  }
}
