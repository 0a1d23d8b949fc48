import { ownNats } from './nats';
import { ownPostgres } from './postgres';
import { ServiceSource } from './service';

/** What startSharedServices() resolved: each URL and where it came from. */
export interface SharedServices {
  readonly natsUrl: string;
  readonly natsSource: ServiceSource;
  readonly databaseUrl: string;
  readonly databaseSource: ServiceSource;
}

interface Started {
  stops: Array<() => Promise<void>>;
  envSet: string[];
}

// Jest runs globalSetup and globalTeardown in one process but in separate module registries:
// only a global survives from one to the other.
const STATE = Symbol.for('@maintwatch/testing.sharedServices');
type WithState = typeof globalThis & { [STATE]?: Started };

/**
 * Makes NATS_URL and DATABASE_URL point at running services: a variable already set wins;
 * otherwise ONE NATS and ONE PostgreSQL are started (testcontainers if Docker answers, else
 * local processes) and the variables set, so Jest workers inherit them.
 */
export async function startSharedServices(): Promise<SharedServices> {
  const env = process.env;
  const [nats, postgres] = await Promise.allSettled([
    env['NATS_URL'] ? undefined : ownNats(),
    env['DATABASE_URL'] ? undefined : ownPostgres(),
  ]);
  const started: Started = { stops: [], envSet: [] };
  for (const result of [nats, postgres]) {
    const handle = result.status === 'fulfilled' ? result.value : undefined;
    if (handle) started.stops.push(() => handle.stop());
  }
  if (nats.status === 'rejected' || postgres.status === 'rejected') {
    await Promise.allSettled(started.stops.map((stop) => stop()));
    const errors = [nats, postgres].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'shared test services did not start');
  }
  if (nats.value) {
    env['NATS_URL'] = nats.value.url;
    started.envSet.push('NATS_URL');
  }
  if (postgres.value) {
    env['DATABASE_URL'] = postgres.value.url;
    started.envSet.push('DATABASE_URL');
  }
  (globalThis as WithState)[STATE] = started;
  return {
    natsUrl: nats.value?.url ?? env['NATS_URL'] ?? '',
    natsSource: nats.value?.source ?? 'env',
    databaseUrl: postgres.value?.url ?? env['DATABASE_URL'] ?? '',
    databaseSource: postgres.value?.source ?? 'env',
  };
}

/** Stops what startSharedServices() started and unsets the variables it set. */
export async function stopSharedServices(): Promise<void> {
  const state = globalThis as WithState;
  const started = state[STATE];
  if (!started) return;
  delete state[STATE];
  await Promise.allSettled(started.stops.map((stop) => stop()));
  for (const name of started.envSet) delete process.env[name];
}
