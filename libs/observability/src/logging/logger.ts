import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import { currentCorrelationId } from './correlation';
import { redactFields, redactUrl, REDACTED } from './redact';

/** Log levels, most to least severe; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of the pino log levels. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json`: one JSON object per line (default, for collectors); `pretty`: readable console lines. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
/** One of the log output formats. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** How `createLogger` builds a logger. */
export interface LoggerOptions {
  /** Added to every line as `app`. */
  appName: string;
  /** Defaults to `info`. */
  level?: LogLevel;
  /** Defaults to `json`. */
  format?: LogFormat;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture output. */
  destination?: DestinationStream;
}

// Fixed paths pino can censor cheaply, including in serializer output. Key patterns (…Token,
// …Secret, …Password at any depth) are handled by redactFields, strings by redactUrl.
const REDACT_PATHS = [
  'password',
  'token',
  'secret',
  'authorization',
  'cookie',
  'apiKey',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.cookie',
  '*.apiKey',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * A pino logger with secrets masked (fields by name, credentials in URLs anywhere in the line),
 * `app` and the current correlation id on every line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { app: options.appName, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId === undefined ? {} : { correlationId };
    },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactFields(bindings),
      log: (object) => redactFields(object),
    },
    serializers: { err: serializeError },
    // The finished line, so the message, error messages and stacks are covered too.
    hooks: { streamWrite: redactUrl },
  };
  const destination =
    options.format === 'pretty' ? prettyStream(options.destination) : (options.destination ?? pino.destination(1));
  return redactChildBindings(pino(pinoOptions, destination));
}

function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  return PinoPretty({
    colorize: destination === undefined ? PinoPretty.isColorSupported : false,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,app,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
    destination: destination ?? 1,
    sync: true,
  });
}

// pino applies `formatters.bindings` to the root logger's base only, not to child bindings, so
// `logger.child({ accessToken })` would bypass the field redaction. Children inherit this `child`
// through the prototype chain, so grandchildren are covered too.
function redactChildBindings(logger: Logger): Logger {
  const pinoChild = logger.child;
  logger.child = function <L extends string = never>(
    this: Logger,
    bindings: pino.Bindings,
    childOptions?: pino.ChildLoggerOptions<L>,
  ): Logger<L> {
    return Reflect.apply(pinoChild, this, [redactFields(bindings), childOptions]) as Logger<L>;
  };
  return logger;
}

// pino's error serializer copies every enumerable property of the error (HTTP client errors carry
// request headers), so its output gets the same field redaction as the rest of the line.
function serializeError(err: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(err as Error);
  return serialized !== null && typeof serialized === 'object' ? redactFields({ ...serialized }) : serialized;
}
