// Delivers one message to a handler with the error taxonomy applied: retriable failures are
// retried with backoff and jitter, a known wait is honoured, permanent failures and exhausted
// retries go to the dead-letter topic. Both adapters call this, so they behave the same.
import { assertNever, classify } from '../../schemas/errors.ts';
import { toDeadLetter } from './dead-letter.ts';
import type { BatchProgress, BusMessage, Delivery, MessageHandler, OutgoingMessage } from './port.ts';

export interface DispatchOptions {
  readonly groupId: string;
  readonly attempts: number;
  readonly deadLetterTopic: string | null;
  readonly publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<void>;
  /** True once the subscription is closing: stop retrying and leave the offset uncommitted. */
  readonly stopping: () => boolean;
  readonly onDeadLetter?: (message: BusMessage, reason: string) => void;
  readonly onRetry?: (message: BusMessage, attempt: number, reason: string) => void;
  /** Upper bound of one wait; a consumer must keep heartbeating, so waits stay short. */
  readonly maxWaitMs?: number;
  /** The adapter's session renewal, throttled there; a batch handler calls it as it progresses. */
  readonly heartbeat?: () => Promise<void>;
}

export type DispatchOutcome = 'handled' | 'dead-lettered';

export class DispatchAborted extends Error {
  override readonly name = 'DispatchAborted';
}

const BASE_BACKOFF_MS = 100;

export function backoffMs(attempt: number, maxMs: number): number {
  const exp = Math.min(maxMs, BASE_BACKOFF_MS * 2 ** (attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function dispatch(message: BusMessage, handler: MessageHandler, o: DispatchOptions): Promise<DispatchOutcome> {
  const maxWait = o.maxWaitMs ?? 5_000;
  for (let attempt = 1; ; attempt++) {
    if (o.stopping()) throw new DispatchAborted('subscription closing');
    try {
      await handler(message);
      return 'handled';
    } catch (err) {
      const c = classify(err);
      let wait: number;
      switch (c.kind) {
        case 'non-retriable':
          return deadLetter(message, o, c.message, c.rule, attempt);
        case 'retriable':
          wait = backoffMs(attempt, maxWait);
          break;
        case 'retry-after':
          wait = Math.min(c.retryAfterMs, maxWait);
          break;
        default:
          return assertNever(c);
      }
      if (attempt >= o.attempts) return deadLetter(message, o, `gave up after ${attempt} attempts: ${c.message}`, undefined, attempt);
      o.onRetry?.(message, attempt, c.message);
      await sleep(wait);
    }
  }
}

async function deadLetter(message: BusMessage, o: DispatchOptions, reason: string, rule: string | undefined, attempts: number): Promise<DispatchOutcome> {
  if (o.deadLetterTopic === null) {
    // No dead-letter topic: stopping the partition is the only way not to lose the message.
    throw new Error(`message ${message.topic}/${message.partition}@${message.offset} failed and has no dead-letter topic: ${reason}`);
  }
  await o.publish(o.deadLetterTopic, [toDeadLetter(message, { reason, rule, groupId: o.groupId, attempts })]);
  o.onDeadLetter?.(message, reason);
  return 'dead-lettered';
}

/** How many messages an adapter hands over at once: the batch size, or one. */
export function chunkSize(d: Delivery): number {
  if ((d.handler === undefined) === (d.batch === undefined)) throw new Error('subscribe: give either a handler or a batch handler');
  return d.batch === undefined ? 1 : Math.max(1, d.batch.maxMessages);
}

/**
 * Delivers consecutive messages of one partition. A batch handler gets them in one call; if
 * that call fails, each message is dispatched alone through the same handler (all-or-nothing
 * handlers make the second pass safe), so the taxonomy above still decides per message.
 */
export async function deliver(messages: readonly BusMessage[], d: Delivery, o: DispatchOptions): Promise<void> {
  if (d.batch === undefined) {
    for (const m of messages) await dispatch(m, d.handler!, o);
    return;
  }
  const { handle } = d.batch;
  if (messages.length > 1) {
    if (o.stopping()) throw new DispatchAborted('subscription closing');
    try {
      await handle(messages, progressOf(o));
      return;
    } catch (err) {
      o.onRetry?.(messages[0]!, 1, `batch of ${messages.length} failed (${(err as Error).message}); one at a time`);
    }
  }
  for (const m of messages) await dispatch(m, (x) => handle([x], progressOf(o)), o);
}

function progressOf(o: DispatchOptions): BatchProgress {
  const beat = o.heartbeat;
  return { heartbeat: () => void beat?.().catch(() => undefined) };
}
