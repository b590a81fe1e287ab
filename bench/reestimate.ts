// `npm run bench -- reestimate [--persons N] [--seed S]`: what model re-estimation is worth when
// a hub wires its systems one after another. In one run, on real Kafka + PostgreSQL, each in a
// database and topic prefix of its own:
//   (a) every system's records arrive together: the model is estimated on all of them;
//   (b) the 党员管理信息系统 first: the model is estimated on the register alone, then the other
//       systems' records arrive and are reconciled under it;
//   (c) (b), then `reestimateModel` over the topic as it now is, and the repair scan under it.
// Prints pairwise precision and recall of each against the generator's truth, and the seconds the
// re-estimate and the scan took. Needs KAFKA_BROKERS and DATABASE_URL (bench-store.ts).
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { MemberObserved } from '../schemas/events/member-observed.ts';
import { drainReconciler, MEMBER_TOPIC } from '../services/reconciler/stream/consumer.ts';
import { loadModel, reestimateModel } from '../services/reconciler/stream/model-store.ts';
import { messagesOf, populationEvents } from '../services/reconciler/stream/population-events.ts';
import { lineage, qualityOf, type TruthRecord } from '../services/reconciler/stream/read-model.ts';
import { scanForDuplicates } from '../services/reconciler/stream/scan.ts';
import { benchStores, type BenchStore as Store } from './bench-store.ts';
import { writeResults } from './results.ts';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { persons: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' } } });
  const logger = pino({ level: 'warn' });
  const stores = await benchStores('reestimate', logger);
  const publish = async (s: Store, events: readonly MemberObserved[]) => {
    for (let i = 0; i < events.length; i += 5000) await s.bus.publish(MEMBER_TOPIC, messagesOf(events.slice(i, i + 5000)));
  };
  const drain = async (s: Store) => (await drainReconciler({ db: s.database.db, bus: s.bus, logger }, 240 * 60_000)).stats;
  try {
    const fx = populationEvents(Number(values.persons), values.seed);
    const truth: readonly TruthRecord[] = fx.truth;
    const register = fx.events.filter((e) => e.source.system === 'member-system');
    const others = fx.events.filter((e) => e.source.system !== 'member-system');
    console.log(`persons ${values.persons} · seed ${values.seed} · ${fx.events.length} observations, ${register.length} from the register`);
    const quality = async (s: Store) => qualityOf(await lineage(s.database.db), truth);

    const together = await stores.open('all');
    await publish(together, fx.events);
    await drain(together);
    const a = { ...(await quality(together)), model: (await loadModel(together.database.db))!.version };
    console.log(`(a) all systems together: precision ${a.precision.toFixed(5)} · recall ${a.recall.toFixed(5)}`);

    const staged = await stores.open('staged');
    await publish(staged, register);
    await drain(staged);
    const registerModel = (await loadModel(staged.database.db))!.version;
    await publish(staged, others);
    await drain(staged);
    const b = { ...(await quality(staged)), model: registerModel };
    console.log(`(b) register first, model of the register alone: precision ${b.precision.toFixed(5)} · recall ${b.recall.toFixed(5)}`);

    let t = performance.now();
    const re = await reestimateModel(staged.database.db, staged.bus, { topic: MEMBER_TOPIC });
    const reestimateS = (performance.now() - t) / 1000;
    const model = await loadModel(staged.database.db);
    if (re === null || model === null) throw new Error('bench reestimate: no model after re-estimation');
    t = performance.now();
    const scan = await scanForDuplicates(staged.database.db, staged.bus, model);
    const scanS = (performance.now() - t) / 1000;
    const c = { ...(await quality(staged)), model: re.current };
    console.log(`(c) then re-estimated (${reestimateS.toFixed(1)} s) and scanned (${scanS.toFixed(1)} s, ${scan.merges} merges): precision ${c.precision.toFixed(5)} · recall ${c.recall.toFixed(5)}`);

    const f5 = (x: number) => x.toFixed(5);
    const row = (label: string, q: typeof a) => `| ${label} | ${f5(q.precision)} | ${f5(q.recall)} | ${q.clusters} | \`${q.model}\` |`;
    const lines = [
      `# Model re-estimation benchmark (${new Date().toISOString()})`,
      '',
      `Command: \`npm run bench -- reestimate --persons ${values.persons} --seed ${values.seed}\`: ${fx.events.length} observations, ${register.length} of them from the 党员管理信息系统.`,
      '',
      '| how the systems arrive | precision | recall | masters | model |',
      '|---|---:|---:|---:|---|',
      row('(a) all together', a),
      row('(b) register first; model estimated on the register alone', b),
      row('(c) (b), then re-estimated over the whole topic and scanned', c),
      '',
      `Re-estimate ${reestimateS.toFixed(1)} s (${re.topicEvents} events); repair scan ${scanS.toFixed(1)} s over ${scan.scanned} records: ${scan.merges} merges, ${scan.relinked} re-linked, ${scan.changedMasters} masters changed.`,
      '',
    ];
    console.log(lines.join('\n'));
    const figures = { persons: Number(values.persons), seed: values.seed, observations: fx.events.length, register: register.length, together: a, registerFirst: b, reestimated: c, reestimateS, scanS, scan };
    for (const f of writeResults('reestimate', figures, lines.join('\n'))) console.log(`wrote ${f}`);
  } finally {
    await stores.close();
  }
}
