import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for files shipped with the code (migrations, simulator data). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
