// Child process of the ingest benchmark: holds the (large) population and serves it through the
// WeChat and xAPI simulators, so the connector under test runs in its own process and heap, as
// it would against real systems. Prints one JSON line with the URLs, then serves until killed.
import { parseArgs } from 'node:util';
import { createWechatSimulator } from '../connectors/wechat/index.ts';
import { createXapiSimulator } from '../connectors/xapi/index.ts';
import { benchPopulation } from './ingest-population.ts';

const { values } = parseArgs({ options: { followers: { type: 'string' }, statements: { type: 'string' }, persons: { type: 'string' } } });
const pop = benchPopulation({ persons: Number(values.persons), followers: Number(values.followers), statements: Number(values.statements), seed: 'bench-ingest' });
const wechat = createWechatSimulator({ population: pop });
const xapi = createXapiSimulator({ population: pop, key: 'k', secret: 's' });
const urls = { wechat: await wechat.start(), xapi: await xapi.start(), followers: pop.systems.wechat.followers.length, statements: pop.systems.xapi.statements.length };
process.stdout.write(`${JSON.stringify(urls)}\n`);
process.on('SIGTERM', () => {
  void Promise.allSettled([wechat.close(), xapi.close()]).then(() => process.exit(0));
});
