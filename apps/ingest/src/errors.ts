/** What went wrong with a source, as the metric label and the log say it. */
export type SourceErrorKind =
  /** A secret that is not there, a CA file that cannot be read: fix the configuration. */
  | 'config'
  /** The server refused the credentials. */
  | 'auth'
  /** The TLS handshake failed (certificate not trusted, wrong name, no TLS). */
  | 'tls'
  /** The server could not be reached, or the connection dropped. */
  | 'connect'
  /** The mailbox (or Gmail label) does not exist. */
  | 'mailbox'
  /** The server answered something unexpected, or an API call failed after its retries. */
  | 'server'
  /** The API's quota or rate limit (Gmail's 403 userRateLimitExceeded): wait, the credentials are fine. */
  | 'quota'
  /** JetStream did not acknowledge a notice (NATS down). */
  | 'publish';

/** A source failed; the message names the source and the cause in words an operator can act on. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly source: string,
    readonly kind: SourceErrorKind,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`source ${source}: ${reason}`, options);
  }
}

/** A backfill path that is neither an mbox file, a Maildir nor a folder of .eml files. */
export class BackfillSourceError extends Error {
  override readonly name = 'BackfillSourceError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A cursor could not be read or written (NATS down, KV bucket missing). */
export class CursorStoreError extends Error {
  override readonly name = 'CursorStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
