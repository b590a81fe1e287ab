// Publishes right after the topics were created: under load a new topic's partition leaders can
// take a moment to be known to the producer ("This server does not host this topic-partition").
// Waits for that, retrying the whole publish; callers publish to one partition per call or do not
// count duplicates, since a failed multi-partition send may have appended part of it.
import type { EventBus, OutgoingMessage } from '../../../services/bus/port.ts';

export async function publishWhenReady(bus: EventBus, topic: string, messages: readonly OutgoingMessage[], attempts = 10): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await bus.publish(topic, messages);
      return;
    } catch (err) {
      if (i >= attempts || !/topic-partition|leader/iu.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 500 * i));
    }
  }
}
