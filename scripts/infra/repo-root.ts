import { join } from 'node:path';
import { repoRoot } from '../../services/paths.ts';

export { repoRoot };

/** Git-ignored home of everything the local infrastructure writes (jars, data, logs, env). */
export const infraDir = join(repoRoot, '.infra');
