// `npm run bench -- write-floor [--persons N] [--seed S]`: the least time PostgreSQL needs to take
// in the rows a reconcile of N persons' observations must leave behind, whatever the reconciler
// does before. It writes those rows with COPY (PostgreSQL's fastest way in, no per-row statement),
// 1,000 observations per transaction as the consumer's batches do, into a freshly migrated
// database with the reconciler's real tables and indexes:
//   - every observation's source record (payload, normalised form, blocking keys),
//   - its blocking keys' block rows (no more than a key's bound, as the consumer writes them),
//   - its link and the link's history row,
//   - one master per person, inserted when the person's first record arrives.
// It leaves out everything the real run does on top: reading candidates, scoring, the master
// updates (survivorship each time a record joins), merges, conflicts and review items. So the
// figure is a floor: a reconciler that writes these tables cannot be faster than it on this machine.
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { blockLimit } from '../services/reconciler/blocking.ts';
import { DEFAULT_MODEL_CONFIG } from '../services/reconciler/model-config.ts';
import { populationEvents } from '../services/reconciler/stream/population-events.ts';
import { prepareEvent } from '../services/reconciler/stream/reconcile-batch.ts';
import { masterIdFor } from '../services/reconciler/stream/record-key.ts';
import { copyRows, type CopyValue } from '../services/reconciler/stream/copy-rows.ts';
import { arrayLiteral } from '../services/reconciler/stream/sql.ts';
import { survive } from '../services/reconciler/stream/survivorship.ts';
import { benchStores } from './bench-store.ts';
import { writeResults } from './results.ts';

const BATCH = 1000;
/** The target: 1M observations in 60 s on this machine's cores. */
const TARGET = { observations: 997_440, seconds: 60 };

const TABLES = {
  records: 'reconciler_source_records (record_key, system, instance, record_id, event_id, observed_at, payload, normalised, blocking_keys, deleted)',
  blocks: 'reconciler_blocks (key, record_key)',
  masters: 'reconciler_masters (master_id, revision, status, fields)',
  links: 'reconciler_links (record_key, master_id, state, origin, score, via_record_key, model_version, reason)',
  history: 'reconciler_link_history (record_key, master_id, state, origin, score, model_version, reason, event_id)',
} as const;
type Table = keyof typeof TABLES;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { persons: { type: 'string', default: '290000' }, seed: { type: 'string', default: '1' } } });
  const fx = populationEvents(Number(values.persons), values.seed);
  const person = new Map(fx.truth.map((t) => [`${t.system}:${t.id}`, t.personId]));
  const n = fx.events.length;
  console.log(`persons ${values.persons} · seed ${values.seed} · ${n} member observations`);

  const stores = await benchStores('write_floor', pino({ level: 'warn' }));
  const seconds: Record<Table, number> = { records: 0, blocks: 0, masters: 0, links: 0, history: 0 };
  const rows: Record<Table, number> = { records: 0, blocks: 0, masters: 0, links: 0, history: 0 };
  let prepareS = 0;
  let wallS: number;
  try {
    const { database } = await stores.open();
    const masterOf = new Map<string, string>();
    const blockRows = new Map<string, number>();
    const blocking = DEFAULT_MODEL_CONFIG.blocking;
    const started = performance.now();
    for (let i = 0; i < n; i += BATCH) {
      let t = performance.now();
      const out: Record<Table, CopyValue[][]> = { records: [], blocks: [], masters: [], links: [], history: [] };
      for (const e of fx.events.slice(i, i + BATCH)) {
        const p = prepareEvent(e);
        const s = e.source;
        out.records.push([p.key, s.system, s.instance, s.recordId, e.id, e.observedAt, JSON.stringify(e.payload), JSON.stringify(p.normalised), arrayLiteral(p.blockingKeys), e.payload.deleted]);
        for (const k of p.blockingKeys) {
          const held = blockRows.get(k) ?? 0;
          if (held > blockLimit(blocking, k)) continue;
          blockRows.set(k, held + 1);
          out.blocks.push([k, p.key]);
        }
        const who = person.get(`${s.system}:${s.recordId}`) ?? p.key;
        let master = masterOf.get(who);
        if (master === undefined) {
          master = masterIdFor(p.key);
          masterOf.set(who, master);
          const linked = { recordKey: p.key, system: s.system, instance: s.instance, recordId: s.recordId, observedAt: e.observedAt, payload: e.payload, normalised: p.normalised };
          out.masters.push([master, 1, 'active', JSON.stringify(survive([linked]).fields)]);
        }
        out.links.push([p.key, master, 'match', 'inferred', 31.5, null, 'floor', 'fs: linked']);
        out.history.push([p.key, master, 'match', 'inferred', 31.5, 'floor', 'fs: linked', e.id]);
      }
      prepareS += (performance.now() - t) / 1000;
      // The reconciler's own COPY (copy-rows.ts), in a transaction per batch as the consumer's.
      await database.db.transaction(async (tx) => {
        for (const table of Object.keys(TABLES) as Table[]) {
          t = performance.now();
          await copyRows(tx, TABLES[table], out[table]);
          seconds[table] += (performance.now() - t) / 1000;
          rows[table] += out[table].length;
        }
      });
      if (i % 100_000 < BATCH) console.log(`${Math.min(i + BATCH, n)}/${n} observations written`);
    }
    wallS = (performance.now() - started) / 1000;
  } finally {
    await stores.close();
  }

  const copyS = Object.values(seconds).reduce((a, b) => a + b, 0);
  const usPer = (copyS / n) * 1e6;
  const projected = (copyS / n) * TARGET.observations;
  const budgetUs = (cpus().length * TARGET.seconds * 1e6) / TARGET.observations;
  const figures = { persons: Number(values.persons), seed: values.seed, observations: n, rows, copySeconds: seconds, copyS, prepareS, wallS, usPerObservation: usPer, projected1MS: projected, cpuBudgetUsPerObservation: budgetUs, machine: { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30) } };
  const lines = [
    `# Write floor (${new Date().toISOString()})`,
    '',
    `Command: \`npm run bench -- write-floor --persons ${values.persons} --seed ${values.seed}\` on ${figures.machine.cpus} cores / ${figures.machine.memGiB} GiB.`,
    '',
    `The rows a reconcile of ${n} observations leaves behind, written with COPY, ${BATCH} observations per transaction (bench/write-floor.ts says what is left out).`,
    '',
    '| table | rows | COPY seconds | µs per row |',
    '|---|---:|---:|---:|',
    ...(Object.keys(TABLES) as Table[]).map((t) => `| ${t} | ${rows[t]} | ${seconds[t].toFixed(1)} | ${((seconds[t] / Math.max(1, rows[t])) * 1e6).toFixed(1)} |`),
    `| all | ${Object.values(rows).reduce((a, b) => a + b, 0)} | ${copyS.toFixed(1)} | — |`,
    '',
    `- PostgreSQL's share alone: ${usPer.toFixed(0)} µs per observation; at ${TARGET.observations.toLocaleString('en')} observations ${projected.toFixed(0)} s against the target's ${TARGET.seconds} s.`,
    `- The target leaves ${budgetUs.toFixed(0)} µs of CPU per observation on ${figures.machine.cpus} cores for everything: consuming, normalising, scoring, reading candidates and these writes.`,
    `- Building the rows in Node (normalising, blocking keys) took ${prepareS.toFixed(1)} s; wall time ${wallS.toFixed(1)} s.`,
    '',
  ];
  console.log(lines.join('\n'));
  for (const f of writeResults('write-floor', figures, lines.join('\n'))) console.log(`wrote ${f}`);
}
