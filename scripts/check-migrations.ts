// Fails when schemas/db and migrations/ disagree: drizzle-kit regenerates into a copy of
// migrations/, and any new migration file there is drift someone forgot to generate and commit.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// Relative to the repository: drizzle-kit prefixes "./" to the out path, so an absolute one breaks.
const outRel = '.drift-check/migrations';
const out = join(root, outRel);
rmSync(join(root, '.drift-check'), { recursive: true, force: true });
try {
  cpSync(join(root, 'migrations'), out, { recursive: true });
  const before = new Set(readdirSync(out));
  const printed = execFileSync(process.execPath, [join(root, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--dialect', 'postgresql', '--schema', './schemas/db/index.ts', '--out', outRel, '--name', 'drift'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const added = readdirSync(out).filter((f) => !before.has(f) && f.endsWith('.sql'));
  if (added.length > 0) {
    console.error('migrations/ is out of date with schemas/db. Run `npm run migrations:generate -- <name>` and commit the result. Missing SQL:');
    for (const f of added) console.error(readFileSync(join(out, f), 'utf8'));
    process.exitCode = 1;
  } else if (!/No schema changes/i.test(printed)) {
    // drizzle-kit can fail and still exit 0; without its "no changes" verdict nothing was checked.
    console.error(`drizzle-kit did not confirm the schema; it printed:\n${printed}`);
    process.exitCode = 1;
  } else {
    console.log('migrations/ matches schemas/db');
  }
} finally {
  rmSync(join(root, '.drift-check'), { recursive: true, force: true });
}
