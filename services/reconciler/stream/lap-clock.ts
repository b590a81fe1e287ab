// Milliseconds spent per named step of a batch, summed: the batch's phases (reconcile-batch.ts)
// and, inside them, each statement, so the bench can say which query a batch waits on. Each lap
// is also progress, which `onLap` reports (the bus's heartbeat: a long batch keeps its partitions).
export class LapClock {
  readonly laps: Record<string, number> = {};
  #last = performance.now();
  readonly #onLap: (() => void) | undefined;

  constructor(onLap?: () => void) {
    this.#onLap = onLap;
  }

  /** Adds the time since the previous lap (or the clock's start) to `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.laps[name] = (this.laps[name] ?? 0) + (now - this.#last);
    this.#last = now;
    this.#onLap?.();
  }
}
