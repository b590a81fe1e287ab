// Subscribes and gathers what a handler saw until a condition holds, failing after a deadline
// with what had arrived so far, so a stuck consumer shows its state instead of timing out blind.
import type { BusMessage, EventBus, MessageHandler, SubscribeOptions } from '../../services/bus/port.ts';

export interface Collected {
  messages: BusMessage[];
  close(): Promise<void>;
}

export async function consumeUntil(
  bus: EventBus,
  options: Omit<SubscribeOptions, 'handler'> & { handler?: MessageHandler },
  done: (seen: readonly BusMessage[]) => boolean,
  timeoutMs = 45_000,
): Promise<BusMessage[]> {
  const seen: BusMessage[] = [];
  let resolveDone: () => void = () => undefined;
  const finished = new Promise<void>((r) => (resolveDone = r));
  const sub = await bus.subscribe({
    sessionTimeoutMs: 6_000,
    ...options,
    handler: async (m) => {
      if (options.handler) await options.handler(m);
      seen.push(m);
      if (done(seen)) resolveDone();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    if (!done(seen)) {
      await Promise.race([
        finished,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`consumer saw ${seen.length} messages before the ${timeoutMs} ms deadline`)), timeoutMs);
        }),
      ]);
    }
  } finally {
    clearTimeout(timer);
    await sub.close();
  }
  return seen;
}

export const text = (m: BusMessage): string => m.value.toString('utf8');
