// The topic catalog: every topic the hub uses, what keys it, which schema its values follow,
// how long it keeps them and where its poison messages go. `yibiao topics` creates and verifies
// these on the broker; consumers look their schema up here instead of importing it ad hoc.
import type { z } from 'zod';
import {
  activityRecorded,
  duesPaid,
  masterUpdated,
  memberObserved,
  orgObserved,
  studyRecorded,
  taskAssigned,
  taskClosed,
} from './events/index.ts';

export interface TopicSpec {
  readonly name: string;
  /** What the message key is; it decides per-key order. */
  readonly key: string;
  readonly partitions: number;
  readonly schema: z.ZodType | null;
  readonly retentionMs: number;
  /** Topic receiving this topic's poison messages, with the reason in headers. */
  readonly deadLetter: string | null;
  readonly consumers: readonly string[];
}

const DAY = 24 * 60 * 60 * 1000;
const FOREVER = -1;

function topic(spec: Omit<TopicSpec, 'deadLetter'> & { deadLetter?: string | null }): TopicSpec {
  return { ...spec, deadLetter: spec.deadLetter === undefined ? `${spec.name}.dlq` : spec.deadLetter };
}

// Observations are keyed by source record (system/instance/recordId) rather than by anything
// derived from identity: a typo must not change a record's partition (reconciler-lessons §1).
const BY_SOURCE_RECORD = 'source.system/source.instance/source.recordId';

export const TOPICS = [
  topic({ name: 'member.observed', key: BY_SOURCE_RECORD, partitions: 6, schema: memberObserved, retentionMs: FOREVER, consumers: ['reconciler'] }),
  topic({ name: 'org.observed', key: BY_SOURCE_RECORD, partitions: 3, schema: orgObserved, retentionMs: FOREVER, consumers: ['reconciler'] }),
  topic({ name: 'activity.recorded', key: 'orgCode', partitions: 3, schema: activityRecorded, retentionMs: FOREVER, consumers: ['tasks', 'rollups'] }),
  topic({ name: 'study.recorded', key: BY_SOURCE_RECORD, partitions: 3, schema: studyRecorded, retentionMs: FOREVER, consumers: ['rollups'] }),
  topic({ name: 'dues.paid', key: BY_SOURCE_RECORD, partitions: 3, schema: duesPaid, retentionMs: FOREVER, consumers: ['rollups'] }),
  topic({ name: 'task.assigned', key: 'orgCode', partitions: 3, schema: taskAssigned, retentionMs: FOREVER, consumers: ['tasks'] }),
  topic({ name: 'task.closed', key: 'orgCode', partitions: 3, schema: taskClosed, retentionMs: FOREVER, consumers: ['tasks'] }),
  topic({ name: 'master.updated', key: 'payload.masterId', partitions: 6, schema: masterUpdated, retentionMs: 30 * DAY, consumers: ['tasks', 'api'] }),
] as const satisfies readonly TopicSpec[];

/** Dead-letter topics: raw payload kept as received, reason in headers, kept long for replay. */
export const DEAD_LETTER_TOPICS: readonly TopicSpec[] = TOPICS.map((t) =>
  topic({ name: `${t.name}.dlq`, key: 'same as source topic', partitions: 1, schema: null, retentionMs: 90 * DAY, deadLetter: null, consumers: ['operators'] }),
);

export const ALL_TOPICS: readonly TopicSpec[] = [...TOPICS, ...DEAD_LETTER_TOPICS];

export type TopicName = (typeof TOPICS)[number]['name'];

interface KeyedEnvelope {
  source: { system: string; instance: string; recordId: string };
  orgCode?: string | undefined;
  payload?: unknown;
}

/** The message key of an event on its topic, as the catalog's `key` column describes it. */
export function eventKey(topic: string, event: KeyedEnvelope): string {
  const bySource = `${event.source.system}/${event.source.instance}/${event.source.recordId}`;
  switch (topicSpec(topic).key) {
    case 'orgCode':
      return event.orgCode ?? bySource;
    case 'payload.masterId': {
      const id = (event.payload as { masterId?: unknown } | undefined)?.masterId;
      return typeof id === 'string' ? id : bySource;
    }
    default:
      return bySource;
  }
}

const BY_NAME = new Map(ALL_TOPICS.map((t) => [t.name, t]));

export function topicSpec(name: string): TopicSpec {
  const spec = BY_NAME.get(name);
  if (!spec) throw new Error(`unknown topic "${name}"; the catalog has: ${ALL_TOPICS.map((t) => t.name).join(', ')}`);
  return spec;
}
