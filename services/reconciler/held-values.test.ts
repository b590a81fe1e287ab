import { describe, expect, it } from 'vitest';
import { HeldValues, Numbering } from './held-values.ts';
import { defaultEntity } from './term-frequencies.ts';
import { normaliseObservation } from './normalise/index.ts';
import { populationEvents } from './stream/population-events.ts';
import { recordKey } from './stream/record-key.ts';

describe('held values', () => {
  it('answers as a map from each entity to the set of its values would, on a generated topic', () => {
    const { events } = populationEvents(2_000, 'held-values');
    const entities = new Numbering();
    const orgs = new Numbering();
    const held = new HeldValues();
    const reference = new Map<string, string[]>();
    let repeats = 0;
    let several = 0;
    for (const e of events) {
      const r = normaliseObservation(e.payload, recordKey(e.source));
      // A branch per entity: one person's systems name it several ways, so some hold more than one.
      if (r.orgCore === null) continue;
      const entity = defaultEntity(r);
      const had = reference.get(entity) ?? [];
      const before = held.add(entities.id(entity), orgs.id(r.orgCore));
      if (had.includes(r.orgCore)) {
        expect(before).toBeNull();
        repeats++;
        continue;
      }
      expect(before?.map((v) => orgs.key(v))).toEqual(had);
      if (had.length > 0) several++;
      reference.set(entity, [...had, r.orgCore]);
    }
    // The topic exercises every path: repeats, second values, and many entities.
    expect(repeats).toBeGreaterThan(0);
    expect(several).toBeGreaterThan(0);
    expect(held.holders).toBe(reference.size);
    for (const [entity, values] of reference) expect(held.of(entities.id(entity)).map((v) => orgs.key(v))).toEqual(values);
    expect(held.of(entities.id('an entity never added'))).toEqual([]);
  });

  it('numbers strings in the order first seen and gives them back', () => {
    const { events } = populationEvents(300, 'numbering');
    const n = new Numbering();
    const names = events.map((e) => e.payload.name).filter((x): x is string => typeof x === 'string');
    const ids = names.map((x) => n.id(x));
    const distinct = [...new Set(names)];
    expect(n.keys()).toEqual(distinct);
    names.forEach((x, i) => expect(n.key(ids[i]!)).toBe(x));
    expect(new Set(ids).size).toBe(distinct.length);
  });
});
