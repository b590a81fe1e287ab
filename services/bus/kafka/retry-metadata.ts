// Right after a topic is created, a broker may not yet know it leads a partition and answers
// NOT_LEADER / UNKNOWN_TOPIC / LEADER_NOT_AVAILABLE; kafkajs marks those errors retriable but its
// admin calls hand them straight back. A short bounded retry makes admin reads as patient as
// the producer and consumer already are.
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function retriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}

export async function retryMetadata<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!retriable(err) || attempt >= attempts) throw err;
      await sleep(Math.min(2_000, 100 * 2 ** (attempt - 1)));
    }
  }
}
