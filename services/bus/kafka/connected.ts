/**
 * One client connection made on first use and shared after; a failed connect is forgotten so
 * the next call tries again instead of handing out the same rejection forever.
 */
export class Connected<T extends { connect(): Promise<void>; disconnect(): Promise<void> }> {
  private pending: Promise<T> | undefined;
  private readonly make: () => T;

  constructor(make: () => T) {
    this.make = make;
  }

  get(): Promise<T> {
    this.pending ??= (async () => {
      const client = this.make();
      await client.connect();
      return client;
    })().catch((err: unknown) => {
      this.pending = undefined;
      throw err;
    });
    return this.pending;
  }

  async disconnect(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) await pending.then((c) => c.disconnect()).catch(() => undefined);
  }
}
