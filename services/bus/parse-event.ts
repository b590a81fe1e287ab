// A consumed message as the event its topic promises, or a NonRetriableError naming the field and
// the rule (the bus dead-letters it with that reason): every consumer judges its input the same way.
import type { z } from 'zod';
import { NonRetriableError } from '../../schemas/errors.ts';
import type { BusMessage } from './port.ts';

export function parseEvent<S extends z.ZodType>(m: BusMessage, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(m.value.toString('utf8'));
  } catch (err) {
    throw new NonRetriableError(`${m.topic} is not JSON: ${(err as Error).message}`, { rule: 'value must be valid JSON' });
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    const where = i && i.path.length > 0 ? i.path.map(String).join('.') : '(root)';
    throw new NonRetriableError(`not a ${m.topic} event: ${where}: ${i?.message ?? 'schema'}`, { rule: `${where}: ${i?.message ?? 'schema'}` });
  }
  return r.data;
}
