// Turns one connector batch into bus messages: each event is validated against its topic's
// schema in the catalog and keyed as the catalog says; source records that failed (or events
// that fail validation here) go to the topic's dead letters with the rule, source and raw record.
import type { ReadBatch } from '../../connectors/contract.ts';
import { DLQ_HEADER } from '../bus/dead-letter.ts';
import type { EventBus, OutgoingMessage } from '../bus/port.ts';
import { eventKey, topicSpec } from '../../schemas/topics.ts';

export const SOURCE_HEADER = { system: 'yibiao-source-system', instance: 'yibiao-source-instance', recordId: 'yibiao-source-record-id' } as const;

export interface BatchCounts {
  emitted: number;
  deadLettered: number;
  byTopic: Map<string, number>;
}

interface Origin {
  system: string;
  instance: string;
}

function deadLetter(topic: string, origin: Origin, recordId: string, reason: string, rule: string, raw: unknown): OutgoingMessage {
  return {
    key: `${origin.system}/${origin.instance}/${recordId}`,
    value: JSON.stringify(raw) ?? 'null',
    headers: {
      [DLQ_HEADER.reason]: reason.slice(0, 4000),
      [DLQ_HEADER.rule]: rule.slice(0, 1000),
      [DLQ_HEADER.topic]: topic,
      [DLQ_HEADER.at]: new Date().toISOString(),
      [SOURCE_HEADER.system]: origin.system,
      [SOURCE_HEADER.instance]: origin.instance,
      [SOURCE_HEADER.recordId]: recordId,
    },
  };
}

/** Publishes a batch; resolves only when every message of it is acknowledged by the bus. */
export async function publishBatch(bus: EventBus, origin: Origin, batch: ReadBatch): Promise<BatchCounts> {
  const out = new Map<string, OutgoingMessage[]>();
  const push = (topic: string, m: OutgoingMessage) => {
    let list = out.get(topic);
    if (!list) out.set(topic, (list = []));
    list.push(m);
  };
  const counts: BatchCounts = { emitted: 0, deadLettered: 0, byTopic: new Map() };
  for (const item of batch.items) {
    const spec = topicSpec(item.topic);
    if (item.kind === 'invalid') {
      push(`${item.topic}.dlq`, deadLetter(item.topic, origin, item.recordId, item.reason, item.rule, item.raw));
      counts.deadLettered++;
      continue;
    }
    const parsed = spec.schema?.safeParse(item.event);
    if (parsed && !parsed.success) {
      const first = parsed.error.issues[0];
      const given = (item.event as { source?: { recordId?: unknown } } | null)?.source?.recordId;
      const recordId = typeof given === 'string' ? given : 'unknown';
      const rule = first ? `${first.path.map(String).join('.') || '(event)'}: ${first.message}` : 'schema';
      push(`${item.topic}.dlq`, deadLetter(item.topic, origin, recordId, `event does not match ${item.topic}: ${rule}`, rule, item.event));
      counts.deadLettered++;
      continue;
    }
    const event = (parsed ? parsed.data : item.event) as Parameters<typeof eventKey>[1] & { id: string; type: string };
    push(item.topic, { key: eventKey(item.topic, event), value: JSON.stringify(event), headers: { 'yibiao-event-id': event.id, 'yibiao-event-type': event.type } });
    counts.emitted++;
    counts.byTopic.set(item.topic, (counts.byTopic.get(item.topic) ?? 0) + 1);
  }
  // Events first, then dead letters: both must be acknowledged before the cursor may move.
  const topics = [...out.keys()].sort((a, b) => Number(a.endsWith('.dlq')) - Number(b.endsWith('.dlq')));
  for (const topic of topics) await bus.publish(topic, out.get(topic) ?? []);
  return counts;
}
