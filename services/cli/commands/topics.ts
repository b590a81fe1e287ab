import { parseArgs } from 'node:util';
import { ALL_TOPICS } from '../../../schemas/topics.ts';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';

export const topics: Command = {
  name: 'topics',
  summary: 'create the topic catalog on the bus and verify it (--check: verify only)',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { check: { type: 'boolean', default: false } } });
    const config = configOrExit();
    const hub = await openHub(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { ensureTopics: false });
    try {
      if (!values.check) await hub.bus.ensureTopics(ALL_TOPICS);
      const present = new Map((await hub.bus.listTopics()).map((t) => [t.name, t.partitions]));
      let bad = 0;
      process.stdout.write(`bus: ${hub.bus.kind}\n`);
      for (const t of ALL_TOPICS) {
        const have = present.get(t.name);
        const ok = have !== undefined && have >= t.partitions;
        if (!ok) bad++;
        const state = have === undefined ? 'MISSING' : ok ? 'ok' : `only ${have} partitions`;
        process.stdout.write(`${ok ? '✓' : '✗'} ${t.name.padEnd(24)} partitions ${String(t.partitions).padStart(2)}  key ${t.key.padEnd(44)} ${state}\n`);
      }
      process.stdout.write(bad === 0 ? `all ${ALL_TOPICS.length} topics present\n` : `${bad} of ${ALL_TOPICS.length} topics missing or short\n`);
      return bad === 0 ? 0 : 1;
    } finally {
      await hub.close();
    }
  },
};
