// Config files written for a test (the org alias table, the QR scene table) and the ConfigError a
// bad one gives at start-up.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../schemas/config.ts';

/** A fresh directory and a writer of named files in it (returns the path). */
export function configFiles(prefix: string): { dir: string; file: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, text) => {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    },
  };
}

/** The message of the ConfigError that `variable` set to `path` gives; fails the test if it is accepted. */
export function configRefusal(variable: string, path: string): string {
  try {
    loadConfig({ [variable]: path });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`${path} was accepted`);
}
