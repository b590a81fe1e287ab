import { pino, type Logger } from 'pino';

/** JSON lines on stdout (pino's default), the shape log collectors expect. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'yibiao' }, timestamp: pino.stdTimeFunctions.isoTime });
}
