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

/**
 * A `done` condition for consumeUntil: true once `want` distinct keys were seen (messages whose
 * key is null are ignored). It looks only at messages that arrived since its last call, so long
 * streams stay linear.
 */
export function untilDistinct(key: (m: BusMessage) => string | null, want: () => number): (seen: readonly BusMessage[]) => boolean {
  const keys = new Set<string>();
  let looked = 0;
  return (seen) => {
    for (; looked < seen.length; looked++) {
      const k = key(seen[looked]!);
      if (k !== null) keys.add(k);
    }
    return keys.size >= want();
  };
}
