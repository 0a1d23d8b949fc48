/** A fault that may pass (a dependency down, a timeout): the message is nak'ed and redelivered later. */
export class TransientError extends Error {
  override name = 'TransientError';
  constructor(
    message: string,
    options?: { cause?: unknown; delayMs?: number },
  ) {
    super(message, options);
    this.delayMs = options?.delayMs;
  }
  /** Redelivery delay asked for; the consumer's backoff when undefined. */
  readonly delayMs?: number;
}

/** A fault that redelivery cannot fix (bad payload, impossible request): term + dead-letter record. */
export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A publish that JetStream did not acknowledge after the retries. */
export class PublishError extends Error {
  override name = 'PublishError';
  constructor(
    readonly subject: string,
    options?: { cause?: unknown },
  ) {
    super(`publish to ${subject} was not acknowledged by JetStream`, options);
  }
}

/** A payload that does not match its subject's schema. */
export class PayloadError extends PermanentError {
  override name = 'PayloadError';
  constructor(
    readonly subject: string,
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid payload on ${subject}: ${issues.join('; ')}`, options);
  }
}
