// What a dead letter carries: the original key and value untouched, and headers that say where
// it came from and why it was refused, so an operator can fix the cause and replay it.
import type { BusMessage, OutgoingMessage } from './port.ts';

export const DLQ_HEADER = {
  reason: 'yibiao-dlq-reason',
  rule: 'yibiao-dlq-rule',
  topic: 'yibiao-dlq-topic',
  partition: 'yibiao-dlq-partition',
  offset: 'yibiao-dlq-offset',
  group: 'yibiao-dlq-group',
  attempts: 'yibiao-dlq-attempts',
  at: 'yibiao-dlq-at',
} as const;

export function defaultDeadLetterTopic(topic: string): string | null {
  return topic.endsWith('.dlq') ? null : `${topic}.dlq`;
}

export function toDeadLetter(
  message: BusMessage,
  why: { reason: string; rule?: string | undefined; groupId: string; attempts: number },
): OutgoingMessage {
  const headers: Record<string, string> = {
    ...message.headers,
    [DLQ_HEADER.reason]: why.reason.slice(0, 4000),
    [DLQ_HEADER.topic]: message.topic,
    [DLQ_HEADER.partition]: String(message.partition),
    [DLQ_HEADER.offset]: message.offset,
    [DLQ_HEADER.group]: why.groupId,
    [DLQ_HEADER.attempts]: String(why.attempts),
    [DLQ_HEADER.at]: new Date().toISOString(),
  };
  if (why.rule) headers[DLQ_HEADER.rule] = why.rule;
  return { key: message.key, value: message.value, headers };
}
