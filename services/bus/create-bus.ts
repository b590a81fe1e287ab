// Picks the adapter: Kafka when brokers are configured, otherwise the embedded log in the
// hub's own database. The rest of the hub only sees the EventBus port.
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { KafkaBus } from './kafka/kafka-bus.ts';
import { LogBus } from './log/log-bus.ts';
import { namespaced } from './namespaced.ts';
import type { BusMessage, EventBus } from './port.ts';

export interface CreateBusOptions {
  readonly kafkaBrokers?: readonly string[] | undefined;
  readonly kafkaClientId?: string;
  readonly db: Db;
  readonly logger: Logger;
  readonly pollMs?: number;
  readonly topicPrefix?: string;
  readonly onDeadLetter?: (message: BusMessage, reason: string) => void;
}

export function createBus(o: CreateBusOptions): EventBus {
  const bus: EventBus =
    o.kafkaBrokers && o.kafkaBrokers.length > 0
      ? new KafkaBus({ brokers: o.kafkaBrokers, clientId: o.kafkaClientId, logger: o.logger, onDeadLetter: o.onDeadLetter })
      : new LogBus({ db: o.db, logger: o.logger, pollMs: o.pollMs, onDeadLetter: o.onDeadLetter });
  return namespaced(bus, o.topicPrefix ?? '');
}
