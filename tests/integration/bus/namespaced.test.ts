// Two hubs sharing one Kafka cluster under different topic prefixes: the same logical consumer
// group (`reconciler`, say) is two groups on the broker, so neither hub's consumers join, rebalance
// or commit offsets in the other's.
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaBus } from '../../../services/bus/kafka/kafka-bus.ts';
import { namespaced } from '../../../services/bus/namespaced.ts';
import type { BusMessage, EventBus } from '../../../services/bus/port.ts';
import { kafkaBrokers, uniqueName } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';

describe('namespaced bus on Kafka [kafka]', () => {
  const raw: KafkaBus[] = [];
  afterAll(async () => {
    for (const b of raw) await b.close();
  });
  const hub = (prefix: string): EventBus => {
    const b = new KafkaBus({ brokers: kafkaBrokers(), logger: testLogger });
    raw.push(b);
    return namespaced(b, prefix);
  };

  it('prefixes consumer group ids as it prefixes topics', async () => {
    const [pa, pb] = [`${uniqueName('nsa')}.`, `${uniqueName('nsb')}.`];
    const group = 'shared-group';
    const topic = { name: 'events', partitions: 1, retentionMs: -1 };
    const seen: Record<string, string[]> = { a: [], b: [] };
    for (const [label, prefix] of [['a', pa], ['b', pb]] as const) {
      const bus = hub(prefix);
      await bus.ensureTopics([topic]);
      await bus.publish('events', [{ key: 'k', value: `from ${label}` }]);
      const sub = await bus.subscribe({ groupId: group, topics: ['events'], fromBeginning: true, handler: async (m: BusMessage) => { seen[label]!.push(m.value.toString()); await Promise.resolve(); } });
      const deadline = Date.now() + 30_000;
      while (seen[label]!.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await sub.close();
      // Committed under the hub's own group, read back through the same plain name.
      expect(await bus.fetchGroupOffsets(group, 'events')).toEqual([{ partition: 0, offset: '1' }]);
    }
    expect(seen).toEqual({ a: ['from a'], b: ['from b'] });
    const admin = new Kafka({ clientId: 'ns-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      expect(groups).toEqual(expect.arrayContaining([`${pa}${group}`, `${pb}${group}`]));
      expect(groups).not.toContain(group);
    } finally {
      await admin.disconnect();
    }
  }, 90_000);
});
