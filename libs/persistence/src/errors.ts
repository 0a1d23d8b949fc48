/** PostgreSQL cannot be reached, or the store is not started (migrated) yet: retry later. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Concurrent transactions kept colliding (deadlock, serialization) after the retries: retry later. */
export class StoreContentionError extends Error {
  override name = 'StoreContentionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A write conflicts with what is stored (a name already taken, a row changed meanwhile). */
export class StoreConflictError extends Error {
  override name = 'StoreConflictError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A row the caller named does not exist. */
export class StoreNotFoundError extends Error {
  override name = 'StoreNotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for errors that may pass by themselves (the caller should retry later, not give up). */
export function isTransientStoreError(err: unknown): boolean {
  return err instanceof StoreUnavailableError || err instanceof StoreContentionError;
}

/** The PostgreSQL TLS settings (URL parameters, CA file) are contradictory or would not verify the server. */
export class DatabaseTlsConfigError extends Error {
  override name = 'DatabaseTlsConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
