// The error taxonomy every engine speaks. Whoever catches an error asks `classify` what to do
// and switches on the kind exhaustively, so a new kind cannot be forgotten somewhere.

/** Transient: the same call may succeed later (network blip, 5xx, broker leader moving). */
export class RetriableError extends Error {
  override readonly name = 'RetriableError';
}

/** Permanent for this input: retrying cannot help (schema violation, unknown record). */
export class NonRetriableError extends Error {
  override readonly name = 'NonRetriableError';
  /** The rule the input broke, for dead letters and 4xx answers. */
  readonly rule: string | undefined;
  constructor(message: string, options?: { cause?: unknown; rule?: string }) {
    super(message, options);
    this.rule = options?.rule;
  }
}

/** Transient with a known wait: quota exhausted until a reset time, rate limits. */
export class RetryAfterError extends Error {
  override readonly name = 'RetryAfterError';
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfterMs = Math.max(0, retryAfterMs);
  }
}

export type ErrorClass =
  | { readonly kind: 'retriable'; readonly message: string }
  | { readonly kind: 'retry-after'; readonly message: string; readonly retryAfterMs: number }
  | { readonly kind: 'non-retriable'; readonly message: string; readonly rule: string | undefined };

function isZodError(err: unknown): err is Error & { issues: { path: PropertyKey[]; message: string }[] } {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}

/** Unknown errors count as retriable: a bounded number of retries costs little, a lost event a lot. */
export function classify(err: unknown): ErrorClass {
  if (err instanceof NonRetriableError) return { kind: 'non-retriable', message: err.message, rule: err.rule };
  if (err instanceof RetryAfterError) return { kind: 'retry-after', message: err.message, retryAfterMs: err.retryAfterMs };
  if (err instanceof RetriableError) return { kind: 'retriable', message: err.message };
  if (isZodError(err)) {
    const first = err.issues[0];
    const where = first && first.path.length > 0 ? first.path.map(String).join('.') : '(root)';
    return { kind: 'non-retriable', message: err.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; '), rule: first ? `${where}: ${first.message}` : undefined };
  }
  if (err instanceof SyntaxError) return { kind: 'non-retriable', message: err.message, rule: 'value must be valid JSON' };
  return { kind: 'retriable', message: err instanceof Error ? err.message : String(err) };
}

export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
