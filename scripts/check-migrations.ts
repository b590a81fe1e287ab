// Fails when schemas/db and migrations/ disagree: drizzle-kit regenerates into a copy of
// migrations/, and any new migration file there is drift someone forgot to generate and commit.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'yibiao-drift-'));
const out = join(work, 'migrations');
try {
  cpSync(join(root, 'migrations'), out, { recursive: true });
  const before = new Set(readdirSync(out));
  execFileSync(process.execPath, [join(root, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--dialect', 'postgresql', '--schema', './schemas/db/index.ts', '--out', out, '--name', 'drift'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const added = readdirSync(out).filter((f) => !before.has(f) && f.endsWith('.sql'));
  if (added.length > 0) {
    console.error('migrations/ is out of date with schemas/db. Run `npm run migrations:generate -- <name>` and commit the result. Missing SQL:');
    for (const f of added) console.error(readFileSync(join(out, f), 'utf8'));
    process.exitCode = 1;
  } else {
    console.log('migrations/ matches schemas/db');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
