/**
 * The base of every error the product raises on purpose.
 *
 * Modelled on Powertools for AWS Lambda: each error has a stable machine-readable `code`, the
 * `cause` that produced it, a little structured `context` for logs, and a `retryable` decision
 * made once, when the error is built — callers route on `retryable`, never on `error.name`.
 *
 * `context` must never hold an auth token: it is logged as is.
 */
export abstract class ProvisionerError extends Error {
  abstract readonly code: string;
  readonly retryable: boolean;
  readonly context: Readonly<Record<string, unknown>>;

  protected constructor(
    message: string,
    options: { retryable: boolean; cause?: unknown; context?: Record<string, unknown> },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable;
    this.context = Object.freeze({ ...(options.context ?? {}) });
  }

  /** A log-safe shape: code, message, retryable and context, never the cause's internals. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...this.context,
    };
  }
}

/** True when an error (of ours or not) may succeed if the same work is tried again later. */
export const isRetryable = (error: unknown): boolean =>
  error instanceof ProvisionerError ? error.retryable : false;
