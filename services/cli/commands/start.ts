import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { startServer, stopOnSignals } from '../../server.ts';

export const start: Command = {
  name: 'start',
  summary: 'run the hub (embedded by default; Kafka + PostgreSQL with KAFKA_BROKERS and DATABASE_URL)',
  async run() {
    const config = configOrExit();
    const logger = createLogger(config.LOG_LEVEL);
    const running = await startServer(config, logger);
    stopOnSignals(running, logger, config.YIBIAO_SHUTDOWN_TIMEOUT_MS);
    // Keep running until a signal arrives.
    await new Promise<never>(() => undefined);
    return 0;
  },
};
