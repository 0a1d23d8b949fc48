import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { StoreContentionError, StoreUnavailableError } from './errors';

/**
 * SQLSTATE of a PostgreSQL error (TypeORM wraps it in QueryFailedError.driverError), also
 * when a store error carries it as its cause (a repository already translated it).
 */
export function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; driverError?: { code?: unknown }; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const code = e.driverError?.code ?? e.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** unique_violation */
export const UNIQUE_VIOLATION = '23505';
/** foreign_key_violation */
export const FOREIGN_KEY_VIOLATION = '23503';
/** Serialization failure and deadlock: the transaction may simply be run again. */
export const RETRYABLE_STATES = ['40001', '40P01'];

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// node-postgres reports a lost or refused connection with these messages and no code.
const NETWORK_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Connection ended|Client has encountered a connection error|not queryable|Client was closed/i;

/**
 * True when the error says PostgreSQL is unreachable, restarting or out of connections: the
 * error itself or what it wraps (TypeORM's QueryFailedError keeps the driver's error as
 * driverError; our own errors keep theirs as cause), an AggregateError when any of its errors.
 */
export function isConnectionError(err: unknown, depth = 0): boolean {
  if (err === null || err === undefined || depth > 4) return false;
  const e = err as { code?: unknown; driverError?: unknown; message?: unknown; cause?: unknown };
  const code = e.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    // 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now; 53: resources.
    return code.startsWith('08') || code.startsWith('53') || ['57P01', '57P02', '57P03', '58000', '58030'].includes(code);
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  // TypeORM's answer to a query on a connection it released under the query (PostgreSQL
  // restarted mid-transaction: maintenance-api's restart e2e dead-lettered parsed
  // maintenances with it, classified permanent). Retried like the loss it follows.
  if (err instanceof QueryRunnerProviderAlreadyReleasedError || err instanceof QueryRunnerAlreadyReleasedError) return true;
  if (typeof e.message === 'string' && NETWORK_MESSAGES.test(e.message)) return true;
  if (err instanceof AggregateError && err.errors.some((x) => isConnectionError(x, depth + 1))) return true;
  return isConnectionError(e.driverError, depth + 1) || isConnectionError(e.cause, depth + 1);
}

/**
 * Turns driver errors that may pass into the store's transient errors (unreachable server,
 * contention); anything else is returned unchanged.
 */
export function translateError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError || err instanceof StoreContentionError) return err;
  if (isConnectionError(err)) return new StoreUnavailableError(`PostgreSQL unavailable: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  const state = sqlState(err);
  if (state && (RETRYABLE_STATES.includes(state) || state === '55P03')) {
    return new StoreContentionError(`PostgreSQL contention (${state}): ${(err as Error).message}`, { cause: err });
  }
  return err;
}

/**
 * The rows of a RETURNING statement. TypeORM's postgres driver answers UPDATE and DELETE with
 * [rows, rowCount] and every other command with the rows alone.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
