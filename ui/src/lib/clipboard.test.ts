import { describe, expect, it } from 'vitest';
import { clearClipboard } from './clipboard';

function board(text: string, readable = true) {
  const b = {
    text,
    async readText() {
      if (!readable) throw new Error('denied');
      return b.text;
    },
    async writeText(t: string) {
      b.text = t;
    },
  };
  return b;
}

describe('the recovery key on the clipboard', () => {
  it('is cleared when it is still there', async () => {
    const b = board('KEY-1');
    await clearClipboard('KEY-1', b);
    expect(b.text).toBe('');
  });
  it('leaves something copied since', async () => {
    const b = board('a shopping list');
    await clearClipboard('KEY-1', b);
    expect(b.text).toBe('a shopping list');
  });
  it('is cleared when the clipboard cannot be read', async () => {
    const b = board('KEY-1', false);
    await clearClipboard('KEY-1', b);
    expect(b.text).toBe('');
  });
});
