import { inspect } from 'node:util';

/**
 * A webhook URL or token. Printing, logging or serialising it shows `[REDACTED]`; only
 * `reveal()` gives the value, at the moment a request is made.
 */
export class Secret {
  readonly #value: string;
  constructor(
    value: string,
    /** The environment variable it came from (safe to show). */
    readonly source: string,
  ) {
    this.#value = value;
  }

  /** The value, for the request that needs it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[REDACTED]';
  }

  toJSON(): string {
    return '[REDACTED]';
  }

  [inspect.custom](): string {
    return `Secret(${this.source})`;
  }
}
