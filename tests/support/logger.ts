import { pino } from 'pino';

/** Tests log only warnings and worse, so a failing run shows what the hub complained about. */
export const testLogger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
