import { ConfigError, loadConfig, type Config } from '../../schemas/config.ts';

/** Parses the environment; a bad value prints which variable is wrong and why, then exits 1. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`yibiao: ${err.message}\nSee README.md § Configuration.\n`);
      process.exit(1);
    }
    throw err;
  }
}
