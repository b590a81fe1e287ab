import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NonRetriableError, RetriableError, RetryAfterError, classify } from '../../schemas/errors.ts';
import { backoffMs } from '../../services/bus/dispatch.ts';

describe('error taxonomy', () => {
  it('classifies each kind', () => {
    expect(classify(new RetriableError('blip')).kind).toBe('retriable');
    expect(classify(new RetryAfterError('quota', 1500))).toMatchObject({ kind: 'retry-after', retryAfterMs: 1500 });
    expect(classify(new NonRetriableError('bad', { rule: 'name: required' }))).toMatchObject({ kind: 'non-retriable', rule: 'name: required' });
    expect(classify(new Error('unknown')).kind).toBe('retriable');
  });

  it('treats schema violations and broken JSON as permanent, naming the rule', () => {
    const parsed = z.object({ name: z.string().min(1) }).safeParse({ name: '' });
    expect(parsed.success).toBe(false);
    const c = classify(parsed.error);
    expect(c.kind).toBe('non-retriable');
    expect(c.kind === 'non-retriable' && c.rule).toMatch(/^name: /);
    let syntax: unknown;
    try {
      JSON.parse('{');
    } catch (err) {
      syntax = err;
    }
    expect(classify(syntax).kind).toBe('non-retriable');
  });

  it('backs off exponentially with jitter, capped', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const cap = Math.min(5_000, 100 * 2 ** (attempt - 1));
      const ms = backoffMs(attempt, 5_000);
      expect(ms).toBeGreaterThanOrEqual(cap / 2);
      expect(ms).toBeLessThanOrEqual(cap);
    }
  });
});
