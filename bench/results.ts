import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../services/paths.ts';

/** Writes a run's figures as JSON (for tools) and Markdown (for people), stamped and as "latest". */
export function writeResults(name: string, data: unknown, markdown: string): string[] {
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const files = [join(dir, `${name}-${stamp}.json`), join(dir, `${name}-latest.md`)];
  writeFileSync(files[0]!, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(files[1]!, markdown);
  return files;
}
