import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Resolved from this file, not the cwd, so the scripts work from any directory (npm, vitest, IDE).
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Git-ignored home of everything the local infrastructure writes (jars, data, logs, env). */
export const infraDir = join(repoRoot, '.infra');
