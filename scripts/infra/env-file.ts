import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { infraDir } from './repo-root.ts';

export const infraEnvPath = join(infraDir, 'env');

// The file is meant to be sourced by a shell (`set -a; . .infra/env; set +a`), so any value that
// a shell would split or expand (a URL's `&`, `?`, `$`) is single-quoted.
const SHELL_SAFE = /^[\w@%+=:,./-]*$/;

function quote(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

function unquote(raw: string): string {
  if (!raw.startsWith("'")) return raw;
  return raw.slice(1, -1).replaceAll(`'\\''`, "'");
}

export function writeInfraEnv(vars: Record<string, string>): string {
  mkdirSync(infraDir, { recursive: true });
  const lines = Object.entries(vars).map(([key, value]) => `${key}=${quote(value)}`);
  writeFileSync(infraEnvPath, `# written by npm run infra:up\n${lines.join('\n')}\n`);
  return infraEnvPath;
}

/** The variables of the last `infra:up`, or undefined when it has never run here. */
export function readInfraEnv(): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(infraEnvPath, 'utf8');
  } catch {
    return undefined;
  }
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_]\w*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) vars[match[1]] = unquote(match[2].trim());
  }
  return vars;
}
