// `npm run bench -- <name>`: benchmarks are commands that print figures and write them under
// bench/results/, never timed tests.
import '../services/runtime/quiet-kafkajs-warning.ts';

const BENCHES: Record<string, () => Promise<{ run(argv: string[]): Promise<void> }>> = {
  'block-rows': () => import('./block-rows.ts'),
  bus: () => import('./bus.ts'),
  'index-memory': () => import('./index-memory.ts'),
  ingest: () => import('./ingest.ts'),
  reconcile: () => import('./reconcile.ts'),
  reestimate: () => import('./reestimate.ts'),
  'write-floor': () => import('./write-floor.ts'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name ? BENCHES[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]`);
  process.exit(2);
}
await (await load()).run(rest);
