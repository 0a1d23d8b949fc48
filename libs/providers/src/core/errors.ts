/** A parser could not read its part (wrong format, missing field, bad value). */
export class ParserError extends Error {
  override name = 'ParserError';
  constructor(
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Every parser of a processor ran, and no valid maintenance came out; `reasons` says why. */
export class ProcessorError extends Error {
  override name = 'ProcessorError';
  constructor(
    readonly processor: number,
    readonly reasons: string[],
    options?: { cause?: unknown },
  ) {
    super(`processor ${processor}: ${reasons.join('; ')}`, options);
  }
}

/** All processors of a provider failed. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly providerType: string,
    readonly causes: ProcessorError[],
  ) {
    super(`${providerType}: ${causes.map((c) => c.message).join(' | ')}`, { cause: causes[0] });
  }
}

/** The bytes are not a readable RFC 822 mail. */
export class MimeError extends Error {
  override name = 'MimeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Formats any thrown value as a one-line reason, with its cause chain. */
export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let s = err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  let cause = (err as { cause?: unknown }).cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    s += ` (caused by ${cause.message})`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return s;
}
