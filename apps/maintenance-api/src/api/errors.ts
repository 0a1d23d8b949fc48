/** No token, or one that is unknown or revoked: 401. */
export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A valid token whose scope does not allow the request (a write with a read token): 403. */
export class ForbiddenScopeError extends Error {
  override name = 'ForbiddenScopeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A request the API understood but cannot carry out (e.g. an unreadable CSV file): 400. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
  constructor(
    message: string,
    readonly errors: { field: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Something the API depends on (NATS) is unavailable; retry later: 503. */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
