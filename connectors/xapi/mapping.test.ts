// Mapping of native records to canonical events, on the seeded population's own records.
import { describe, expect, it } from 'vitest';
import { memberObserved } from '../../schemas/events/member-observed.ts';
import { studyRecorded } from '../../schemas/events/study-recorded.ts';
import { durationMinutes, durationSeconds } from './duration.ts';
import { mapLearner, mapStatement } from './mapping.ts';
import { corrupted, population } from './test-fixtures.ts';

const pop = population(1000);
const statements = pop.systems.xapi.statements;
const learners = pop.systems.xapi.learners;

describe('ISO 8601 durations', () => {
  it('reads the forms xAPI uses and refuses calendar units and garbage', () => {
    expect(durationSeconds('PT1H30M')).toBe(5400);
    expect(durationSeconds('PT45M12.5S')).toBe(2712.5);
    expect(durationSeconds('P1DT2H')).toBe(93_600);
    expect(durationSeconds('P2W')).toBe(1_209_600);
    expect(durationSeconds('PT0S')).toBe(0);
    for (const bad of ['P1M', 'P1Y', 'P', 'PT', '1H', 'PT-5M', '']) expect(durationSeconds(bad)).toBeUndefined();
    expect(durationMinutes('PT1H30M')).toBe(90);
  });
});

describe('statements → study.recorded', () => {
  it('maps every population statement to a schema-valid event with raw values', () => {
    for (const s of statements) {
      const item = mapStatement(s, 'prov');
      expect(item.kind).toBe('event');
      if (item.kind !== 'event') continue;
      const e = studyRecorded.parse(item.event);
      expect(e.source).toEqual({ system: 'xapi', instance: 'prov', recordId: s.id });
      expect(e.payload.learner).toEqual({ account: `${s.actor.account.homePage}|${s.actor.account.name}`, name: s.actor.name });
      expect(e.payload.course).toEqual({ id: s.object.id, title: s.object.definition.name['zh-CN'] });
      expect(e.payload.verb).toBe(s.verb.id);
      expect(e.payload.minutes).toBe(durationMinutes(s.result.duration));
      expect(e.payload.completed).toBe(s.result.completion);
      expect(e.occurredAt).toBe(s.timestamp);
      expect(e.observedAt).toBe(s.stored);
    }
  });

  it('gives the same event id for the same statement and a new one when it changes', () => {
    const s = statements[0]!;
    const id = (item: ReturnType<typeof mapStatement>) => (item.kind === 'event' ? (item.event as { id: string }).id : '');
    expect(id(mapStatement(s, 'prov'))).toBe(id(mapStatement(structuredClone(s), 'prov')));
    expect(id(mapStatement({ ...s, result: { ...s.result, duration: 'PT1S' } }, 'prov'))).not.toBe(id(mapStatement(s, 'prov')));
    expect(id(mapStatement(s, 'other'))).not.toBe(id(mapStatement(s, 'prov')));
  });

  it('falls back to stored when a statement has no timestamp (the LRS rule)', () => {
    const { timestamp: _t, ...s } = statements[1]!;
    const item = mapStatement(s, 'prov');
    expect(item.kind === 'event' && (item.event as { occurredAt: string }).occurredAt).toBe(s.stored);
  });

  it('turns broken statements and learners into InvalidRecords naming the rule, with the raw record', () => {
    const { pop: bad, broken } = corrupted(pop, 0.1);
    expect(broken.size).toBeGreaterThan(20);
    const all = [
      ...bad.systems.xapi.statements.map((s) => ({ raw: s, item: mapStatement(s, 'prov') })),
      ...bad.systems.xapi.learners.map((l) => ({ raw: l, item: mapLearner(l, 'prov', '2025-07-01T00:00:00Z') })),
    ];
    for (const { raw, item } of all) {
      const rule = broken.get(raw.id);
      if (rule === undefined) {
        expect(item.kind).toBe('event');
        continue;
      }
      expect(item).toMatchObject({ kind: 'invalid', recordId: raw.id, raw });
      if (item.kind === 'invalid') expect(item.rule.startsWith(rule)).toBe(true);
    }
    expect(mapStatement(null, 'prov')).toMatchObject({ kind: 'invalid', recordId: '(no id)' });
  });
});

describe('learners → member.observed', () => {
  it('maps name, phone, org and the account, leaving blanks out; a login that is an ID number or phone gives it', () => {
    for (const l of learners) {
      const item = mapLearner(l, 'prov', '2025-07-01T00:00:00+08:00');
      expect(item.kind).toBe('event');
      if (item.kind !== 'event') continue;
      const e = memberObserved.parse(item.event);
      expect(e.payload.name).toBe(l.actor.name);
      // A login that is an ID number or a mobile number (the generator's login schemes) is read as one.
      const login = l.actor.account.name.normalize('NFKC');
      expect(e.payload.idNumber).toBe(/^[\dXx]{15,18}$/u.test(login) ? login : undefined);
      expect(e.payload.phone).toBe(l.phone !== '' ? l.phone : /^1\d{10}$/u.test(login) ? login : undefined);
      expect(e.payload.orgName).toBe(l.orgName === '' ? undefined : l.orgName);
      expect(e.payload.accounts).toEqual([{ kind: 'xapi-account', value: `${l.actor.account.homePage}|${l.actor.account.name}` }]);
      expect(e.occurredAt).toBe(l.registeredAt);
    }
    expect(learners.some((l) => l.phone === '')).toBe(true);
    // Both kinds of login occur, and a phone login fills a learner's missing phone somewhere.
    const logins = learners.map((l) => l.actor.account.name.normalize('NFKC'));
    expect(logins.filter((x) => /^[\dXx]{15,18}$/u.test(x)).length).toBeGreaterThan(50);
    expect(learners.some((l, i) => l.phone === '' && /^1\d{10}$/u.test(logins[i]!))).toBe(true);
  });
});
