// Native 远程教育 records → canonical events. Raw values pass through (names, account names and
// org names as the platform holds them); only field names are mapped and durations/dates parsed.
// A record that cannot be a valid event becomes an InvalidRecord naming the rule it broke.
import { eventId } from '../../schemas/events/event-id.ts';
import type { Source } from '../../schemas/events/envelope.ts';
import { memberObserved } from '../../schemas/events/member-observed.ts';
import { studyRecorded } from '../../schemas/events/study-recorded.ts';
import type { TopicName } from '../../schemas/topics.ts';
import type { InvalidRecord, ReadItem } from '../contract.ts';
import { durationMinutes } from './duration.ts';
import { loginFields } from './login.ts';

export const SYSTEM = 'xapi';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);

/** ISO datetime with an explicit offset, as the envelope requires; undefined when unparseable. */
function isoWithOffset(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) return undefined;
  return Number.isNaN(Date.parse(v)) ? undefined : v;
}

function invalid(topic: TopicName, recordId: unknown, rule: string, reason: string, raw: unknown): InvalidRecord {
  return { kind: 'invalid', topic, recordId: str(recordId) ?? '(no id)', rule, reason, raw };
}

/** `homePage|name`: the account as one string, the same in study records and learner accounts. */
export function accountKey(actor: unknown): string | undefined {
  const homePage = str(at(actor, 'account', 'homePage'));
  const name = str(at(actor, 'account', 'name'));
  return homePage && name ? `${homePage}|${name}` : undefined;
}

function firstLanguage(map: unknown): string | undefined {
  if (!isObj(map)) return undefined;
  return str(map['zh-CN']) ?? Object.values(map).map(str).find((v) => v !== undefined);
}

function finish(topic: TopicName, schema: typeof studyRecorded | typeof memberObserved, event: Obj, raw: unknown, recordId: string): ReadItem {
  const parsed = schema.safeParse(event);
  if (parsed.success) return { kind: 'event', topic, event: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.map(String).join('.') || '(root)';
  return invalid(topic, recordId, `${where}: ${issue?.message ?? 'schema violation'}`, parsed.error.message, raw);
}

export function mapStatement(raw: unknown, instance: string): ReadItem {
  const topic = 'study.recorded';
  const id = at(raw, 'id');
  if (!str(id)) return invalid(topic, id, 'id: a statement id is required', 'the statement has no id', raw);
  const recordId = id as string;
  const account = accountKey(at(raw, 'actor'));
  if (!account) return invalid(topic, recordId, 'actor.account: homePage and name are required', 'the actor has no account', raw);
  const courseId = str(at(raw, 'object', 'id'));
  if (!courseId) return invalid(topic, recordId, 'object.id: an activity id is required', 'the statement has no object id', raw);
  const verb = str(at(raw, 'verb', 'id'));
  if (!verb) return invalid(topic, recordId, 'verb.id: required', 'the statement has no verb id', raw);
  const duration = at(raw, 'result', 'duration');
  const minutes = typeof duration === 'string' ? durationMinutes(duration) : undefined;
  if (minutes === undefined) {
    return invalid(topic, recordId, 'result.duration: an ISO 8601 duration such as PT1H30M', `cannot count minutes from ${JSON.stringify(duration)}`, raw);
  }
  const stored = isoWithOffset(at(raw, 'stored'));
  if (!stored) return invalid(topic, recordId, 'stored: an ISO 8601 timestamp', `stored is ${JSON.stringify(at(raw, 'stored'))}`, raw);
  // The LRS sets timestamp = stored when the statement came without one (xAPI 1.0.3 §2.4.7).
  const rawTimestamp = at(raw, 'timestamp');
  const occurredAt = rawTimestamp === undefined ? stored : isoWithOffset(rawTimestamp);
  if (!occurredAt) return invalid(topic, recordId, 'timestamp: an ISO 8601 timestamp', `timestamp is ${JSON.stringify(rawTimestamp)}`, raw);
  const completion = at(raw, 'result', 'completion');
  const score = at(raw, 'result', 'score', 'raw');
  const source: Source = { system: SYSTEM, instance, recordId };
  const payload = {
    learner: { account, name: str(at(raw, 'actor', 'name')) },
    course: { id: courseId, title: firstLanguage(at(raw, 'object', 'definition', 'name')) },
    verb,
    minutes,
    completed: typeof completion === 'boolean' ? completion : undefined,
    score: typeof score === 'number' ? score : undefined,
  };
  const event = { type: 'study.recorded', version: 1, id: eventId('study.recorded', source, payload), source, occurredAt, observedAt: stored, payload };
  return finish(topic, studyRecorded, event, raw, recordId);
}

/** `observedAt`: when the platform's list was read (a learner record has no change time). */
export function mapLearner(raw: unknown, instance: string, observedAt: string): ReadItem {
  const topic = 'member.observed';
  const id = at(raw, 'id');
  if (!str(id)) return invalid(topic, id, 'id: a learner id is required', 'the learner has no id', raw);
  const recordId = id as string;
  const name = at(raw, 'actor', 'name');
  if (typeof name !== 'string' || name.trim() === '') return invalid(topic, recordId, 'name: 1–200 characters', 'the learner has no name', raw);
  const account = accountKey(at(raw, 'actor'));
  if (!account) return invalid(topic, recordId, 'actor.account: homePage and name are required', 'the learner has no account', raw);
  const occurredAt = isoWithOffset(at(raw, 'registeredAt'));
  if (!occurredAt) return invalid(topic, recordId, 'registeredAt: an ISO 8601 timestamp', `registeredAt is ${JSON.stringify(at(raw, 'registeredAt'))}`, raw);
  const source: Source = { system: SYSTEM, instance, recordId };
  const login = loginFields(str(at(raw, 'actor', 'account', 'name')) ?? '');
  const payload = {
    name,
    ...(login.idNumber !== undefined ? { idNumber: login.idNumber } : {}),
    phone: str(at(raw, 'phone')) ?? login.phone,
    orgName: str(at(raw, 'orgName')),
    accounts: [{ kind: 'xapi-account' as const, value: account }],
    deleted: false,
  };
  const event = { type: 'member.observed', version: 1, id: eventId('member.observed', source, payload), source, occurredAt, observedAt, payload };
  return finish(topic, memberObserved, event, raw, recordId);
}
