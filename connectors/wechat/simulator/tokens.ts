// access_token bookkeeping as WeChat does it: `token` and `stable_token` are separate slots;
// a new ordinary token invalidates the previous one at once; a stable token is handed out
// again until it expires unless force_refresh asks for a new one.
import { createHash } from 'node:crypto';

interface Issued {
  readonly token: string;
  readonly expiresAt: number;
}

export type TokenCheck = 'ok' | 'expired' | 'invalid';

export class TokenStore {
  private ordinary: Issued | undefined;
  private stable: Issued | undefined;
  private issuedCount = 0;
  private readonly seed: string;
  private readonly lifetimeMs: number;
  private readonly now: () => number;

  constructor(seed: string, lifetimeS: number, now: () => number) {
    this.seed = seed;
    this.lifetimeMs = lifetimeS * 1000;
    this.now = now;
  }

  /** Tokens ever issued, so tests can tell a cached stable token from a fresh one. */
  get issued(): number {
    return this.issuedCount;
  }

  issueOrdinary(): Issued {
    this.ordinary = this.mint();
    return this.ordinary;
  }

  issueStable(forceRefresh: boolean): Issued {
    if (forceRefresh || this.stable === undefined || this.stable.expiresAt <= this.now()) this.stable = this.mint();
    return this.stable;
  }

  check(token: string): TokenCheck {
    for (const slot of [this.ordinary, this.stable]) {
      if (slot !== undefined && slot.token === token) return slot.expiresAt <= this.now() ? 'expired' : 'ok';
    }
    return 'invalid';
  }

  /** Seconds left on a token, for `expires_in` of a stable token handed out again. */
  remainingS(issued: Issued): number {
    return Math.max(0, Math.round((issued.expiresAt - this.now()) / 1000));
  }

  private mint(): Issued {
    const n = this.issuedCount++;
    const token = `87_${createHash('sha256').update(`${this.seed}\u0000token\u0000${n}`).digest('base64url')}`;
    return { token, expiresAt: this.now() + this.lifetimeMs };
  }
}
