// The model input counts term frequencies over every record of the topic, not over the sample,
// and stays a function of the topic's records alone (partition order, redeliveries, invalid events).
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_CONFIG } from '../model-config.ts';
import { normaliseObservation } from '../normalise/index.ts';
import { ModelInput } from './model-input.ts';
import { populationEvents } from './population-events.ts';

describe('ModelInput', () => {
  const { events } = populationEvents(1500, 'model-input');

  it('knows the frequency of every name in the topic, sampled or not', () => {
    const input = new ModelInput(200, DEFAULT_MODEL_CONFIG);
    for (const e of events) input.offerEvent(e);
    const sampled = new Set(input.records().map((r) => normaliseObservation(r.payload).name));
    const live = events.filter((e) => !e.payload.deleted);
    const names = new Set(live.map((e) => normaliseObservation(e.payload).name).filter((n) => n !== null));
    const tf = input.tf();
    expect(input.records()).toHaveLength(200);
    expect(names.size).toBeGreaterThan(sampled.size * 2);
    expect(new Set(tf.name!.keys())).toEqual(names);
    expect(input.counted).toBe(live.length);
  });

  it('is the same for any order of the events, with redeliveries and invalid events', () => {
    const a = new ModelInput(200, DEFAULT_MODEL_CONFIG);
    for (const e of events) a.offer(JSON.parse(JSON.stringify(e)));
    const b = new ModelInput(200, DEFAULT_MODEL_CONFIG);
    const invalid = { ...events[0]!, payload: { ...events[0]!.payload, name: 42 } };
    for (const e of [...events].reverse()) {
      b.offer(JSON.parse(JSON.stringify(e)));
      if (e === events[7]) b.offer(JSON.parse(JSON.stringify(e))); // redelivered
    }
    b.offer(invalid);
    b.offer('not an event');
    expect(b.records()).toEqual(a.records());
    const [ta, tb] = [a.tf(), b.tf()];
    for (const [k, table] of Object.entries(ta)) expect(new Map([...tb[k]!].sort()), k).toEqual(new Map([...table].sort()));
  });
});

