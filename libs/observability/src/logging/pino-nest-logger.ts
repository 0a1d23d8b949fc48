import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type PinoMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

// Nest passes `error(message, stack?, context?)`; a stack is recognised the way Nest's own
// ConsoleLogger does it.
const STACK = /^.+\n\s+at .+:\d+:\d+/;

/** Nest LoggerService that writes Nest's own logs (and `new Logger(ctx)` calls) through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  /** Nest `log` = pino `info`. */
  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  /** Nest `error`; a trailing stack string is logged as `stack`. */
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  /** Nest `warn`. */
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  /** Nest `debug`. */
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  /** Nest `verbose` = pino `trace`. */
  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  /** Nest `fatal`. */
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  private write(level: PinoMethod, message: unknown, params: unknown[]): void {
    const rest = params.filter((p) => p !== undefined);
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string' && !STACK.test(rest[rest.length - 1] as string)) {
      fields['context'] = rest.pop();
    }
    if (level === 'error' && rest.length > 0 && typeof rest[rest.length - 1] === 'string') {
      fields['stack'] = rest.pop();
    }
    if (rest.length > 0) fields['params'] = rest;

    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
