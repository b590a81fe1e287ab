import { pino } from 'pino';

/**
 * Quiet by default: many tests provoke failures on purpose (dead broker, poison messages) and
 * their expected error lines would bury a real failure. LOG_LEVEL=debug shows everything.
 */
export const testLogger = pino({ level: process.env.LOG_LEVEL ?? 'fatal' });
