import { InvalidCursorError } from './errors';

/** One page of a keyset-paginated list. */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

// Keyset pagination (WHERE (sort, id) > (last sort, last id)) rather than OFFSET: a page deep
// in a large table costs the same as the first, and rows inserted meanwhile do not shift pages.

/** An opaque cursor for the last row of a page: its sort key and id, tagged with the sort it belongs to. */
export function encodeCursor(sort: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([sort, ...values]), 'utf8').toString('base64url');
}

/** The sort key of a cursor; InvalidCursorError when it is malformed or of another sort. */
export function decodeCursor(cursor: string, sort: string, arity: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (err) {
    throw new InvalidCursorError('cursor is not one this API handed out', { cause: err });
  }
  if (!Array.isArray(parsed) || parsed.length !== arity + 1 || parsed[0] !== sort || !parsed.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new InvalidCursorError('cursor is not one this API handed out for this sort order');
  }
  return parsed.slice(1).map(String);
}

/** Collects SQL conditions and their numbered parameters. */
export class Conditions {
  readonly where: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a parameter; returns its placeholder ($n). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds a condition. */
  add(sql: string): void {
    this.where.push(sql);
  }

  /** The WHERE clause (empty when there is no condition). */
  clause(): string {
    return this.where.length > 0 ? `WHERE ${this.where.join(' AND ')}` : '';
  }
}
