// Demo mode: the four source systems served by their simulators over one seeded population, so
// `npm start` on a fresh machine shows real syncs without any real system to connect to.
import type { Logger } from 'pino';
import { generatePopulation, populationQrScenes, type Population } from '../../connectors/population/index.ts';
import { createMemberSystemSimulator, DEFAULT_APP_KEY, DEFAULT_APP_SECRET } from '../../connectors/member-system/index.ts';
import { createOaSimulator } from '../../connectors/oa/index.ts';
import { createWechatSimulator, SIM_APPID, SIM_BINDINGS_KEY, SIM_SECRET } from '../../connectors/wechat/index.ts';
import { createXapiSimulator } from '../../connectors/xapi/index.ts';

export type DemoSystem = 'wechat' | 'member-system' | 'xapi' | 'oa';

/** The URL and the credentials each simulator accepts. */
export interface DemoEndpoints {
  wechat?: { url: string; appid: string; secret: string; bindingsKey: string; qrScenes: ReadonlyMap<string, string> };
  'member-system'?: { url: string; appKey: string; appSecret: string };
  xapi?: { url: string; key: string; secret: string };
  oa?: { url: string; appid: string };
}

export interface DemoSystems {
  readonly population: Population;
  readonly endpoints: DemoEndpoints;
  close(): Promise<void>;
}

export async function startDemoSystems(systems: readonly DemoSystem[], o: { persons: number; seed: string; logger: Logger }): Promise<DemoSystems> {
  const started = Date.now();
  const population = generatePopulation({ persons: o.persons, seed: o.seed });
  const closers: (() => Promise<void>)[] = [];
  const endpoints: DemoEndpoints = {};
  try {
    for (const system of systems) {
      switch (system) {
        case 'wechat': {
          const sim = createWechatSimulator({ population });
          endpoints.wechat = { url: await sim.start(), appid: SIM_APPID, secret: SIM_SECRET, bindingsKey: SIM_BINDINGS_KEY, qrScenes: populationQrScenes(population) };
          closers.push(() => sim.close());
          break;
        }
        case 'member-system': {
          const sim = createMemberSystemSimulator({ population });
          endpoints['member-system'] = { url: await sim.start(), appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET };
          closers.push(() => sim.close());
          break;
        }
        case 'xapi': {
          const sim = createXapiSimulator({ population, key: 'demo-key', secret: 'demo-secret' });
          endpoints.xapi = { url: await sim.start(), key: 'demo-key', secret: 'demo-secret' };
          closers.push(() => sim.close());
          break;
        }
        case 'oa': {
          const sim = createOaSimulator({ population, appids: ['yibiao'] });
          endpoints.oa = { url: await sim.start(), appid: 'yibiao' };
          closers.push(() => sim.close());
          break;
        }
      }
    }
  } catch (err) {
    await Promise.allSettled(closers.map((c) => c()));
    throw err;
  }
  o.logger.info(
    { persons: o.persons, seed: o.seed, records: population.counts.records, ms: Date.now() - started },
    `demo: ${systems.join(', ')} simulated over ${o.persons} members (${population.counts.records} source records, seed "${o.seed}")`,
  );
  return { population, endpoints, close: async () => void (await Promise.allSettled(closers.map((c) => c()))) };
}
