// The model sample must be a function of the topic's records alone: the consumer reads partitions
// interleaved in whatever order the broker gives, and every worker must estimate the same model.
import { describe, expect, it } from 'vitest';
import { ModelSample, type SampledRecord } from './model-sample.ts';

const rec = (ref: string, name: string, deleted = false): SampledRecord => ({ ref, payload: { name, deleted } });
const refs = (s: ModelSample) => s.records().map((r) => r.ref);

describe('ModelSample', () => {
  const events = Array.from({ length: 500 }, (_x, i) => rec(`oa/default/${i}`, `n${i}`));

  it('keeps `size` records, whatever order they arrive in', () => {
    const a = new ModelSample(40);
    for (const e of events) a.offer(e.ref, () => e);
    const b = new ModelSample(40);
    for (const e of [...events].reverse()) b.offer(e.ref, () => e);
    expect(refs(a)).toHaveLength(40);
    expect(refs(b)).toEqual(refs(a));
  });

  it('is spread over the topic, not its first records', () => {
    const s = new ModelSample(40);
    for (const e of events) s.offer(e.ref, () => e);
    const late = refs(s).filter((r) => Number(r.split('/')[2]) >= 250).length;
    expect(late).toBeGreaterThan(10);
    expect(late).toBeLessThan(30);
  });

  it('loads only events of records it keeps, takes the latest revision and leaves out deletions', () => {
    const s = new ModelSample(40);
    let loads = 0;
    for (const e of events) s.offer(e.ref, () => (loads++, e));
    expect(loads).toBeLessThan(250);
    const [first, second] = s.records();
    s.offer(first!.ref, () => rec(first!.ref, 'renamed'));
    s.offer(second!.ref, () => rec(second!.ref, 'x', true));
    s.offer(first!.ref, () => null); // an invalid event leaves the earlier revision
    const now = s.records();
    expect(now.find((r) => r.ref === first!.ref)?.payload.name).toBe('renamed');
    expect(now.map((r) => r.ref)).not.toContain(second!.ref);
    expect(now).toHaveLength(39);
  });
});
