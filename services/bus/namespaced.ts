// Prefixes every topic name and consumer group id, so several hubs (or test runs) can share one
// Kafka cluster without seeing each other's topics; handlers and callers keep using the catalog's
// plain names. Group ids are broker-wide: two hubs whose reconcilers both joined `reconciler`
// would stop each other at every rebalance (a join anywhere pauses every member of the group),
// though no member is ever given the other hub's topics.
import type { BusMessage, Delivery, EventBus, OutgoingMessage, PartitionOffset, SubscribeOptions, Subscription, TopicConfig } from './port.ts';

export function namespaced(bus: EventBus, prefix: string): EventBus {
  if (!prefix) return bus;
  const add = (t: string) => `${prefix}${t}`;
  const strip = (t: string) => (t.startsWith(prefix) ? t.slice(prefix.length) : t);
  return {
    kind: bus.kind,
    ensureTopics: (topics: readonly TopicConfig[]) => bus.ensureTopics(topics.map((t) => ({ ...t, name: add(t.name) }))),
    listTopics: async () => (await bus.listTopics()).filter((t) => t.name.startsWith(prefix)).map((t) => ({ ...t, name: strip(t.name) })),
    publish: (topic: string, messages: readonly OutgoingMessage[]) => bus.publish(add(topic), messages),
    subscribe: (o: SubscribeOptions): Promise<Subscription> => {
      const plain = (m: BusMessage): BusMessage => ({ ...m, topic: strip(m.topic) });
      const { handler, batch } = o;
      const delivery: Delivery = {
        handler: handler && ((m) => handler(plain(m))),
        batch: batch && { ...batch, handle: (ms, progress) => batch.handle(ms.map(plain), progress) },
      };
      return bus.subscribe({
        ...o,
        ...delivery,
        groupId: add(o.groupId),
        topics: o.topics.map(add),
        deadLetterTopic: o.deadLetterTopic ? (t) => ((d) => (d === null ? null : add(d)))(o.deadLetterTopic!(strip(t))) : undefined,
      });
    },
    setGroupOffsets: (g: string, t: string, offsets: readonly PartitionOffset[]) => bus.setGroupOffsets(add(g), add(t), offsets),
    fetchGroupOffsets: (g: string, t: string) => bus.fetchGroupOffsets(add(g), add(t)),
    fetchTopicEnds: (t: string) => bus.fetchTopicEnds(add(t)),
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
}
