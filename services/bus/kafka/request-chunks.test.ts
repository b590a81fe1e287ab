import { describe, expect, it } from 'vitest';
import { messageBytes, requestChunks } from './request-chunks.ts';

describe('requestChunks', () => {
  const msgs = Array.from({ length: 500 }, (_, i) => ({ key: `k${i % 7}`, value: 'v'.repeat(100 + ((i * 37) % 900)), headers: { t: 'master.updated' } }));

  it('keeps every message once, in order, each chunk within the budget', () => {
    const budget = 20_000;
    const chunks = requestChunks(msgs, budget);
    expect(chunks.flat()).toEqual(msgs);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.reduce((n, m) => n + messageBytes(m), 0)).toBeLessThanOrEqual(budget);
    // Greedy: a chunk closes only when the next message would not fit.
    for (let i = 0; i + 1 < chunks.length; i++) {
      expect(chunks[i]!.reduce((n, m) => n + messageBytes(m), 0) + messageBytes(chunks[i + 1]![0]!)).toBeGreaterThan(budget);
    }
  });

  it('sends a message larger than the budget alone (the broker then names the limit)', () => {
    const big = { value: Buffer.alloc(5000) };
    const chunks = requestChunks([{ value: 'a' }, big, { value: 'b' }], 1000);
    expect(chunks).toEqual([[{ value: 'a' }], [big], [{ value: 'b' }]]);
  });

  it('counts bytes, not characters (Chinese text is three bytes a character in UTF-8)', () => {
    expect(messageBytes({ value: '王伟' }) - messageBytes({ value: '' })).toBe(6);
    expect(requestChunks([], 10)).toEqual([]);
  });
});
