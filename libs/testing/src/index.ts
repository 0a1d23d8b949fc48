// Public entry of @maintwatch/testing: ephemeral real services for tests (see ../README.md).

/** Starts a NATS server (or adopts NATS_URL); see NatsServerHandle. */
export { startNats } from './nats';
/** Starts a private NATS server for fault tests, never the shared one. */
export { ownNats } from './nats';
/** Waits until a NATS URL accepts connections and its JetStream API answers. */
export { waitForJetStream } from './nats';
/** A NATS server with JetStream: url, port, restart(), kill(), stop(). */
export type { NatsServerHandle } from './nats';

/** Starts a PostgreSQL server (or adopts DATABASE_URL); see PostgresHandle. */
export { startPostgres } from './postgres';
/** Starts a private PostgreSQL server for fault tests, never the shared one. */
export { ownPostgres } from './postgres';
/** Waits until a PostgreSQL URL answers `select 1`. */
export { waitForPostgres } from './postgres';
/** A PostgreSQL server: url, port, restart(), kill(), stop(). */
export type { PostgresHandle } from './postgres';

/** Starts a private Dovecot IMAP server with the given accounts. */
export { startDovecot } from './dovecot';
/** A Dovecot IMAP server: host, port, users, appendMail(), restart(), kill(), stop(). */
export type { DovecotHandle, DovecotOptions, DovecotUser } from './dovecot';

/** Creates a uniquely named database on the shared (or given) PostgreSQL: { name, url, drop() }. */
export { testDatabase } from './isolation';
/** A unique short prefix (/^t[a-z0-9]{9}$/) for one test's stream, consumer, bucket and subject names. */
export { testNamespace } from './isolation';
/** The shared NATS URL (NATS_URL), or a clear error when it is not set. */
export { sharedNatsUrl } from './isolation';
/** The shared PostgreSQL URL (DATABASE_URL), or a clear error when it is not set. */
export { sharedDatabaseUrl } from './isolation';
/** A test's own database: { name, url, drop() }. */
export type { TestDatabase } from './isolation';

/** Starts the shared NATS and PostgreSQL unless their env URLs are set (what Jest's globalSetup runs). */
export { startSharedServices } from './shared-services';
/** Stops what startSharedServices() started (what Jest's globalTeardown runs). */
export { stopSharedServices } from './shared-services';
/** The URLs startSharedServices() resolved and where each came from. */
export type { SharedServices } from './shared-services';

/** True when a container engine answers, so services run as testcontainers. */
export { dockerAnswers } from './docker';

/** Where a service came from ('env' | 'docker' | 'local') and restart() options. */
export type { RestartOptions, ServiceSource } from './service';

/** Errors: a missing binary (names the Debian package), a failed start, a fault op on a shared service, an unset URL. */
export {
  MissingServiceBinaryError,
  NotOwnedServiceError,
  ServiceStartError,
  SharedServiceUnsetError,
} from './errors';

/** Built services as real processes: buildApp, startApp (waits for /healthz), runAppToExit, freePort, until. */
export { APPS, buildApp, freePort, runAppToExit, startApp, until, type AppName, type AppProcess } from './app-process';
