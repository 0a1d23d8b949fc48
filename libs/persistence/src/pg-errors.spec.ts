import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { StoreContentionError, StoreUnavailableError } from './errors';
import { isConnectionError, translateError } from './pg-errors';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('PostgreSQL error classification', () => {
  it.each([
    ['refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['admin shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['shutting down (57P03)', withCode('the database system is shutting down', '57P03')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['pg without a code', new Error('Connection terminated unexpectedly')],
    ['a QueryFailedError-like wrapper', Object.assign(new Error('query failed'), { driverError: withCode('x', '08006') })],
    ['wrapped as a cause', new Error('apply failed', { cause: new Error('Client has encountered a connection error and is not queryable') })],
    ['two levels of causes', new Error('a', { cause: new Error('b', { cause: withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED') }) })],
    ['a query on a connection TypeORM released under it', new QueryRunnerProviderAlreadyReleasedError()],
    ['a query on a released query runner, wrapped', new Error('apply failed', { cause: new QueryRunnerAlreadyReleasedError() })],
    ['an AggregateError of both address families', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')])],
  ])('%s is a connection error, translated to StoreUnavailableError', (_label, err) => {
    expect(isConnectionError(err)).toBe(true);
    const t = translateError(err);
    expect(t).toBeInstanceOf(StoreUnavailableError);
    expect((t as Error).message).toMatch(/^PostgreSQL unavailable: /);
    expect((t as Error).cause).toBe(err);
  });

  it.each([
    ['unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a unique violation wrapped', Object.assign(new Error('insert failed'), { driverError: withCode('duplicate key', '23505') })],
    ['syntax error', withCode('syntax error at or near "x"', '42601')],
    ['a plain error', new Error('circuit list is not a list')],
    ['not an error', 'boom'],
    ['nothing', undefined],
  ])('%s is not a connection error and passes through unchanged', (_label, err) => {
    expect(isConnectionError(err)).toBe(false);
    expect(translateError(err)).toBe(err);
  });

  it('a self-referencing cause chain ends', () => {
    const e = new Error('loop') as Error & { cause?: unknown };
    e.cause = e;
    expect(isConnectionError(e)).toBe(false);
  });

  it('serialization failure and deadlock are contention', () => {
    expect(translateError(withCode('could not serialize access', '40001'))).toBeInstanceOf(StoreContentionError);
    expect(translateError(withCode('deadlock detected', '40P01'))).toBeInstanceOf(StoreContentionError);
  });
});
