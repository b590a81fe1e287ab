#!/usr/bin/env node
// The `yibiao` command: hands over to the TypeScript CLI on a Node that can run it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.argv.splice(2, 0, join(root, 'services', 'cli', 'main.ts'));
await import('../scripts/with-node.mjs');
