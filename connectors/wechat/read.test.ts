// A full read of a seeded simulator against the population's truth: every follower is read
// once; every follower whose remark carries a name, and every binding, arrives as exactly one
// member.observed with the right person's data; broken records arrive as InvalidRecords.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatBinding } from '../population/index.ts';
import { drain, eventsOf, population, startSimulator, type Drained, type Running } from './testing.ts';

const NAME_NOISE = ['traditional', 'nameTypo'];

describe('wechat connector: full read against the truth', () => {
  const pop = population(3000, 'read-truth');
  const truth = pop.truth.records.filter((t) => t.system === 'wechat');
  const nameOf = new Map<string, string>([...pop.persons.map((p) => [p.id, p.name] as const), ...pop.outsiders.map((o) => [o.id, o.name] as const)]);
  const category = new Map(pop.persons.map((p) => [p.id, p.category]));
  const orgNames = new Set(pop.orgs.flatMap((o) => [o.names.wechat, o.alias]));
  let r: Running;
  let followers: Drained;
  let bindings: Drained;
  beforeAll(async () => {
    r = await startSimulator({ population: pop, userGetPageSize: 1000 });
    const c = r.connector({ batchSize: 300 });
    followers = await drain(c, 'followers');
    bindings = await drain(c, 'bindings');
  });
  afterAll(() => r.sim.close());

  it('reads every follower once and names the right person', () => {
    const truthFollowers = truth.filter((t) => t.kind === 'follower');
    expect(followers.recordsRead).toBe(truthFollowers.length);
    expect(followers.items.every((i) => i.kind === 'event')).toBe(true);
    const events = eventsOf(followers.items);
    const byRecord = new Map(events.map((e) => [e.source.recordId, e]));
    expect(byRecord.size).toBe(events.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const users = new Map(pop.systems.wechat.followers.map((f) => [f.openid, f]));
    let named = 0;
    for (const t of truthFollowers) {
      const user = users.get(t.id);
      const event = byRecord.get(t.id);
      const trueName = nameOf.get(t.personId ?? '') ?? '';
      if (user?.remark === '') expect(event).toBeUndefined();
      if (user?.remark.includes(trueName)) {
        expect(event?.payload.name, user.remark).toBe(trueName);
        named++;
      }
      if (event === undefined) continue;
      if (!t.noise.some((n) => NAME_NOISE.includes(n))) expect(event.payload.name, user?.remark).toBe(trueName);
      expect(event.payload.accounts[0]).toEqual({ kind: 'wechat-openid', value: t.id });
      if (user?.unionid) expect(event.payload.accounts[1]).toEqual({ kind: 'wechat-unionid', value: user.unionid });
      if (typeof event.payload.orgName === 'string') expect(orgNames.has(event.payload.orgName), event.payload.orgName).toBe(true);
      if (t.personId?.startsWith('P') && user?.tagid_list.some((id) => id === 100 || id === 101)) expect(event.payload.category).toBe(category.get(t.personId));
    }
    // The remark styles carry a name for most remarked followers: a parser that lost a style would show here.
    expect(named).toBeGreaterThan(events.length * 0.9);
    expect(events.length).toBeGreaterThan(truthFollowers.length * 0.5);
  });

  it('turns every binding into one event with the bound person', () => {
    const truthBindings = truth.filter((t) => t.kind === 'binding');
    expect(bindings.recordsRead).toBe(truthBindings.length);
    const events = eventsOf(bindings.items);
    expect(events.map((e) => e.source.recordId).sort()).toEqual(truthBindings.map((t) => t.id).sort());
    const raw = new Map<string, WechatBinding>(pop.systems.wechat.bindings.map((b) => [b.id, b]));
    for (const t of truthBindings) {
      const e = events.find((x) => x.source.recordId === t.id);
      const b = raw.get(t.id);
      if (e === undefined || b === undefined) throw new Error(`binding ${t.id} missing`);
      expect(e.payload.name).toBe(b.realName);
      if (!t.noise.some((n) => NAME_NOISE.includes(n))) expect(e.payload.name).toBe(nameOf.get(t.personId ?? ''));
      expect(e.payload.idNumber).toBe(b.idNumber === '' ? undefined : b.idNumber);
      expect(e.payload.phone).toBe(b.phone === '' ? undefined : b.phone);
      expect(e.payload.accounts).toEqual([{ kind: 'wechat-openid', value: b.openid }]);
    }
  });
});

describe('wechat connector: records that cannot be events', () => {
  it('yields InvalidRecords with the rule broken, and goes on', async () => {
    const base = population(600, 'read-invalid');
    const followers = base.systems.wechat.followers.map((f) => ({ ...f }));
    const bindings = base.systems.wechat.bindings.map((b) => ({ ...b }));
    // Plain-name remarks (nicknames such as 老王 name nobody, so they could not be invalid).
    const named = followers.filter((f) => /^\p{Script=Han}{2,4}$/u.test(f.remark) && !/^[老小]/u.test(f.remark)).slice(0, 2);
    for (const f of named) (f as { subscribe_time: unknown }).subscribe_time = 'yesterday';
    const [noName, badDate] = bindings;
    if (noName === undefined || badDate === undefined || named.length < 2) throw new Error('population too small');
    noName.realName = '';
    badDate.boundAt = '2024/13/45';
    const pop = { ...base, systems: { ...base.systems, wechat: { ...base.systems.wechat, followers, bindings } } };
    const r = await startSimulator({ population: pop });
    const c = r.connector();
    const f = await drain(c, 'followers');
    const b = await drain(c, 'bindings');
    await r.sim.close();
    const invalid = [...f.items, ...b.items].filter((i) => i.kind === 'invalid');
    expect(invalid.map((i) => [i.recordId, i.rule]).sort()).toEqual(
      [...named.map((u) => [u.openid, 'subscribe_time: unix seconds']), [noName.id, 'payload.name: Too small: expected string to have >=1 characters'], [badDate.id, 'boundAt: YYYY-MM-DD HH:mm:ss']].sort(),
    );
    expect(invalid.find((i) => i.recordId === noName.id)?.raw).toEqual(noName);
    expect(eventsOf(b.items).length).toBe(bindings.length - 2);
    expect(f.recordsRead).toBe(followers.length);
  });
});
