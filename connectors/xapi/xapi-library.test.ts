// A third-party xAPI client (@xapi/xapi, the xapijs project) against the simulator: if the
// simulator bent the protocol (paths, version header, Basic auth, more IRLs relative to the
// server), this client would fail where a real LRS would work.
import xapiModule, { type StatementsResponse } from '@xapi/xapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Population } from '../population/index.ts';
import { CREDENTIALS, population, startSimulator } from './test-fixtures.ts';
import type { XapiSimulator } from './simulator/index.ts';

// The package's typings are ESM-style under a CommonJS package; its class carries a static
// `default` pointing at itself, so `.default` is the class whichever way the module loads.
const XAPI = xapiModule.default;

let pop: Population;
let sim: XapiSimulator;
let xapi: InstanceType<typeof XAPI>;
let endpoint: string;

beforeAll(async () => {
  pop = population(2000);
  const started = await startSimulator({ population: pop, maxLimit: 100 });
  sim = started.sim;
  endpoint = `${started.url}/xapi/`;
  xapi = new XAPI({ endpoint, auth: XAPI.toBasicAuth(CREDENTIALS.key, CREDENTIALS.secret), version: '1.0.3' });
});
afterAll(() => sim.close());

describe('@xapi/xapi against the simulated LRS', () => {
  it('getStatements with since/limit/ascending, then getMoreStatements until more is empty, yields exactly the statements stored after since', async () => {
    const statements = pop.systems.xapi.statements;
    const since = statements[Math.floor(statements.length / 3)]!.stored;
    const got: string[] = [];
    const first = await xapi.getStatements({ since, limit: 40, ascending: true });
    expect(first.headers['x-experience-api-version']).toBe('1.0.3');
    let data: StatementsResponse = first.data;
    let pages = 1;
    for (;;) {
      expect(data.statements.length).toBeLessThanOrEqual(40);
      got.push(...data.statements.map((s) => s.id ?? ''));
      if (!data.more) break;
      // Without attachments requested, a continuation is a plain StatementResult too.
      data = (await xapi.getMoreStatements({ more: data.more })).data as StatementsResponse;
      pages++;
    }
    const expected = statements.filter((s) => Date.parse(s.stored) > Date.parse(since)).map((s) => s.id);
    expect(got).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 40));
  });

  it('limit 0 gets the server maximum and getStatement returns the one statement', async () => {
    const res = await xapi.getStatements({ limit: 0 });
    expect(res.data.statements).toHaveLength(100);
    const one = pop.systems.xapi.statements[7]!;
    expect((await xapi.getStatement({ statementId: one.id })).data).toEqual(one);
  });

  it('is refused with 401 when its credentials are wrong', async () => {
    const bad = new XAPI({ endpoint, auth: XAPI.toBasicAuth(CREDENTIALS.key, 'wrong') });
    await expect(bad.getStatements({ limit: 1 })).rejects.toMatchObject({ response: { status: 401 } });
  });
});
