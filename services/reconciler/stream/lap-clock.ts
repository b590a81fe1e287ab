// Milliseconds spent per named step of a batch, summed: the batch's phases (reconcile-batch.ts)
// and, inside them, each statement, so the bench can say which query a batch waits on.
export class LapClock {
  readonly laps: Record<string, number> = {};
  #last = performance.now();

  /** Adds the time since the previous lap (or the clock's start) to `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.laps[name] = (this.laps[name] ?? 0) + (now - this.#last);
    this.#last = now;
  }
}
