#!/usr/bin/env node
// Runs a script (TypeScript or JavaScript) on Node >= 22.18, which strips types natively.
// Plain JavaScript on purpose: it must start on whatever older node a fresh machine has, and
// when that node is too old it installs Node 24 LTS from the npm registry into .tools/node
// (git-ignored) and hands over to it, forwarding signals so `kill` still stops cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MIN = [22, 18];
const localNode = join(root, '.tools', 'node', 'bin', 'node');

function newEnough(version) {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

const [script, ...rest] = process.argv.slice(2);
if (!script) {
  console.error('usage: with-node.mjs <script> [args...]');
  process.exit(2);
}
const target = resolve(root, script);

if (newEnough(process.versions.node)) {
  process.argv = [process.execPath, target, ...rest];
  await import(pathToFileURL(target).href);
} else {
  if (!existsSync(localNode)) {
    console.error(`Node ${process.versions.node} is older than ${MIN.join('.')}; installing Node 24 LTS into .tools/node ...`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '-g', '--prefix', join(root, '.tools', 'node'), 'node@24'], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(localNode)) {
      console.error('Could not install Node 24 into .tools/node; install Node >= 22.18 and retry.');
      process.exit(1);
    }
  }
  const child = spawn(localNode, [target, ...rest], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exit(code ?? 1);
  });
}
