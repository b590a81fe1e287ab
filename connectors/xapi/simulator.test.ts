// Protocol faithfulness of the simulated LRS: the xAPI 1.0.3 rules a real client relies on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Population, XapiStatement } from '../population/index.ts';
import { CREDENTIALS, population, startSimulator } from './test-fixtures.ts';
import type { XapiSimulator } from './simulator/index.ts';
import { unit } from './simulator/faults.ts';
import { StatementStore } from './simulator/statement-store.ts';

const AUTH = `Basic ${Buffer.from(`${CREDENTIALS.key}:${CREDENTIALS.secret}`).toString('base64')}`;
const HEADERS = { 'X-Experience-API-Version': '1.0.3', Authorization: AUTH };

let pop: Population;
let sim: XapiSimulator;
let url: string;
let all: readonly XapiStatement[];

async function get(path: string, headers: Record<string, string> = HEADERS) {
  const res = await fetch(`${url}${path}`, { headers });
  return { res, body: (await res.json()) as Record<string, unknown> & { statements: XapiStatement[]; more: string } };
}

beforeAll(async () => {
  pop = population(2000);
  all = pop.systems.xapi.statements;
  ({ sim, url } = await startSimulator({ population: pop, maxLimit: 200 }));
});
afterAll(() => sim.close());

describe('xapi simulator: headers, version and auth', () => {
  it('refuses a request without X-Experience-API-Version with 400, and a 2.x version too', async () => {
    const { Authorization } = HEADERS;
    const missing = await get('/xapi/statements', { Authorization });
    expect(missing.res.status).toBe(400);
    expect(missing.body.message).toMatch(/X-Experience-API-Version/);
    expect((await get('/xapi/statements', { Authorization, 'X-Experience-API-Version': '2.0.0' })).res.status).toBe(400);
    expect((await get('/xapi/statements?limit=1', { Authorization, 'X-Experience-API-Version': '1.0.1' })).res.status).toBe(200);
  });

  it('answers 401 with a Basic challenge to wrong or missing credentials', async () => {
    const wrong = await get('/xapi/statements', { ...HEADERS, Authorization: `Basic ${Buffer.from('lrs-key:nope').toString('base64')}` });
    expect(wrong.res.status).toBe(401);
    expect(wrong.res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await get('/xapi/statements', { 'X-Experience-API-Version': '1.0.3' })).res.status).toBe(401);
  });

  it('puts version, consistent-through and JSON content type on every response, errors included', async () => {
    for (const r of [await get('/xapi/statements?limit=1'), await get('/xapi/statements', {}), await get('/xapi/about', {})]) {
      expect(r.res.headers.get('x-experience-api-version')).toBe('1.0.3');
      expect(Date.parse(r.res.headers.get('x-experience-api-consistent-through') ?? '')).not.toBeNaN();
      expect(r.res.headers.get('content-type')).toMatch(/^application\/json/);
    }
    expect((await get('/xapi/about', {})).body.version).toEqual(['1.0.3']);
  });
});

describe('xapi simulator: GET /statements', () => {
  it('returns newest first by default and caps limit at the server maximum (0 = maximum)', async () => {
    const newest = [...all].slice(-200).reverse().map((s) => s.id);
    expect((await get('/xapi/statements')).body.statements.map((s) => s.id)).toEqual(newest);
    expect((await get('/xapi/statements?limit=0')).body.statements).toHaveLength(200);
    expect((await get('/xapi/statements?limit=5000')).body.statements).toHaveLength(200);
    expect((await get('/xapi/statements?limit=7')).body.statements).toHaveLength(7);
    expect((await get('/xapi/statements?limit=-1')).res.status).toBe(400);
    expect((await get('/xapi/statements?ascending=yes')).res.status).toBe(400);
    expect((await get('/xapi/statements?since=last-week')).res.status).toBe(400);
    expect((await get('/xapi/statements?colour=red')).res.status).toBe(400);
  });

  it('treats since as exclusive and until as inclusive on stored', async () => {
    const a = all[100]!;
    const b = all[150]!;
    const { body } = await get(`/xapi/statements?ascending=true&since=${a.stored}&until=${b.stored}`);
    const expected = all.filter((s) => s.stored > a.stored && s.stored <= b.stored).map((s) => s.id);
    expect(body.statements.map((s) => s.id)).toEqual(expected);
    expect(body.more).toBe('');
  });

  it('pages through everything with server-relative more links, each statement once, in stored order', async () => {
    const seen: string[] = [];
    let { body } = await get('/xapi/statements?ascending=true&limit=150');
    for (;;) {
      seen.push(...body.statements.map((s) => s.id));
      if (body.more === '') break;
      expect(body.more).toMatch(/^\/xapi\/statements\?more=/);
      ({ body } = await get(body.more));
    }
    expect(seen).toEqual(all.map((s) => s.id));
  });

  it('refuses a more link combined with other parameters, and a damaged one', async () => {
    const { body } = await get('/xapi/statements?limit=3');
    expect((await get(`${body.more}&limit=2`)).res.status).toBe(400);
    expect((await get('/xapi/statements?more=garbage')).res.status).toBe(400);
  });

  it('returns one statement for statementId, 404 for an unknown one, and only identifiers for format=ids', async () => {
    const s = all[42]!;
    expect((await get(`/xapi/statements?statementId=${s.id}`)).body).toEqual(s);
    expect((await get('/xapi/statements?statementId=00000000-0000-4000-8000-000000000000')).res.status).toBe(404);
    expect((await get(`/xapi/statements?statementId=${s.id}&since=${s.stored}`)).res.status).toBe(400);
    const ids = (await get(`/xapi/statements?statementId=${s.id}&format=ids`)).body as unknown as XapiStatement;
    expect(ids.actor).toEqual({ objectType: 'Agent', account: s.actor.account });
    expect(ids.verb).toEqual({ id: s.verb.id });
  });

  it('stores POSTed statements with stored = now, records the write and serves them after the rest', async () => {
    const template = all[0]!;
    const res = await fetch(`${url}/xapi/statements`, {
      method: 'POST', headers: { ...HEADERS, 'Content-Type': 'application/json' },
      body: JSON.stringify({ actor: template.actor, verb: template.verb, object: template.object, result: template.result }),
    });
    const [id] = (await res.json()) as string[];
    expect(sim.writes).toHaveLength(1);
    const { body } = await get('/xapi/statements?limit=1');
    expect(body.statements[0]!.id).toBe(id);
    expect(Date.parse(body.statements[0]!.stored)).toBeGreaterThan(Date.parse(all[all.length - 1]!.stored));
  });
});

describe('xapi simulator: learners, expiry, faults', () => {
  it('pages the learner list', async () => {
    const learners = pop.systems.xapi.learners;
    const first = await get('/api/learners?page=1&size=100');
    expect(first.body.total).toBe(learners.length);
    expect((first.body.items as Array<{ id: string }>).map((l) => l.id)).toEqual(learners.slice(0, 100).map((l) => l.id));
    expect((await get('/api/learners?page=0&size=10')).res.status).toBe(400);
    expect((await get('/api/learners?page=1&size=100', {})).res.status).toBe(401);
  });

  it('expires more links after their lifetime', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { sim: s2, url: u2 } = await startSimulator({ population: pop, clock: () => now, moreTtlMs: 60_000 });
    try {
      const first = await fetch(`${u2}/xapi/statements?limit=10`, { headers: HEADERS });
      const { more } = (await first.json()) as { more: string };
      now += 30_000;
      expect((await fetch(`${u2}${more}`, { headers: HEADERS })).status).toBe(200);
      now += 60_000;
      expect((await fetch(`${u2}${more}`, { headers: HEADERS })).status).toBe(400);
    } finally {
      await s2.close();
    }
  });

  it('fails the same requests for the same seed, about errorRate of them, and answers 429 + Retry-After past the quota', async () => {
    const statuses = async (seed: string) => {
      const { sim: s, url: u } = await startSimulator({ population: pop, errorRate: 0.3, seed });
      try {
        const out: number[] = [];
        for (let i = 0; i < 60; i++) out.push((await fetch(`${u}/xapi/statements?limit=1`, { headers: HEADERS })).status);
        return out;
      } finally {
        await s.close();
      }
    };
    const a = await statuses('s1');
    expect(await statuses('s1')).toEqual(a);
    expect(await statuses('s2')).not.toEqual(a);
    const failed = a.filter((s) => s >= 500).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    const { sim: q, url: qu } = await startSimulator({ population: pop, quota: { requests: 3, windowMs: 60_000 } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push(await fetch(`${qu}/xapi/statements?limit=1`, { headers: HEADERS }));
      expect(codes.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(Number(codes[3]!.headers.get('retry-after'))).toBeGreaterThan(50);
    } finally {
      await q.close();
    }
  });
});

describe('xapi simulator: statement table', () => {
  it('sorts shuffled statements once into (stored, id) order and finds positions by binary search', () => {
    const shuffled = [...all].sort((a, b) => unit(a.id) - unit(b.id));
    const store = new StatementStore(shuffled);
    expect(Array.from({ length: store.length }, (_, i) => store.at(i).id)).toEqual(all.map((s) => s.id));
    const pivot = all[300]!;
    expect(store.upperBound(Date.parse(pivot.stored))).toBe(all.findIndex((s) => Date.parse(s.stored) > Date.parse(pivot.stored)));
    expect(store.lowerBound({ ms: Date.parse(pivot.stored), id: pivot.id })).toBe(300);
    expect(store.get(pivot.id)).toBe(pivot);
  });
});
