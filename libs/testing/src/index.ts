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
export type { PostgresHandle, OwnPostgresOptions } from './postgres';

/** Starts a private Dovecot IMAP server with the given accounts. */
export { startDovecot } from './dovecot';
/** A Dovecot IMAP server: host, port, users, appendMail(), restart(), kill(), stop(). */
export type { DovecotHandle, DovecotOptions, DovecotUser } from './dovecot';
/** Starts a private Dovecot with TLS (self-signed CA) and/or OAuth2 logins (oauth2 passdb); can change UIDVALIDITY. */
export { startExtendedDovecot } from './dovecot-extended';
/** A Dovecot with TLS / OAuth2: tlsPort, certificate, changeUidValidity(), doveadm(), plus DovecotHandle. */
export type { ExtendedDovecotHandle, ExtendedDovecotOptions } from './dovecot-extended';
/** A seeded pseudo-random sequence (mulberry32) for reproducible fuzz and chaos runs. */
export { prng } from './prng';
/** Makes a self-signed certificate (its own CA) for localhost and 127.0.0.1 with openssl. */
export { createSelfSignedCertificate } from './tls-certificate';
/** Certificate and key files of createSelfSignedCertificate(). */
export type { SelfSignedCertificate } from './tls-certificate';
/** Starts a local OAuth2 token-introspection endpoint (RFC 7662) that issues and revokes tokens. */
export { startOAuth2Introspection } from './fakes/oauth2-introspection.fake';
/** The introspection fake: introspectionUrl, issueToken(), revoke(), requests, stop(). */
export type { OAuth2IntrospectionFake } from './fakes/oauth2-introspection.fake';
/** Starts a local fake Gmail API (messages, history, labels) with Google's OAuth token endpoint. */
export { startFakeGmail } from './fakes/gmail-api.fake';
/** The fake Gmail: rootUrl, tokenUrl, mailboxes, OAuth clients, service accounts, injected faults. */
export type { FakeGmailHandle, GmailFault, ServiceAccountKey } from './fakes/gmail-api.fake';
/** One request a fake HTTP API answered (method, url, status). */
export type { FakeRequest } from './fakes/http-fake';

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

/** Local stand-ins for outside services: Slack (webhooks, chat.postMessage, conversations.history), Teams, JSON webhooks. */
export { startFakeSlack, validateSlackMessage, SLACK_LIMITS, type FakeSlack, type FakeSlackMessage, type FakeSlackOptions, type SlackBlock } from './fakes/fake-slack.server';
/** A fake Teams Workflows webhook (Adaptive Cards, 28 KB limit, 429 throttling). */
export { startFakeTeams, TEAMS_MAX_PAYLOAD_BYTES, type FakeTeams, type FakeTeamsOptions, type FakeTeamsPost } from './fakes/fake-teams.server';
/** A fake JSON webhook receiver that verifies the HMAC signature; FakeFault scripts errors and hangs of every fake. */
export { startFakeWebhook, type FakeWebhook, type FakeWebhookPost } from './fakes/fake-webhook.server';
/** A scripted fault (status, error, hang) and a logged call of the Slack, Teams and webhook fakes. */
export type { FakeFault, FakeHttpCall } from './fakes/scripted-http.server';

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
export { APPS, buildApp, freePort, reapWithThisProcess, runAppToExit, startApp, stopProcess, until, type AppName, type AppProcess } from './app-process';
/** Starts a Junos NETCONF-over-SSH simulator (ssh2 server) on a free loopback port. */
export { startJunosSimulator } from './junos-simulator';
/** The simulator: host, port, hostKeyFingerprint, state (config, commits, reboots, files), events, stop(). */
export type { JunosSimulator, JunosSimulatorOptions, JunosSimState, SimCommit } from './junos-simulator';
/** Starts Debian's netconfd (yuma123) behind a private sshd on a free loopback port (root). */
export { startNetconfd } from './netconfd';
/** The netconfd peer: host, port, username, password, hostKeyFingerprints, stop(). */
export type { NetconfdHandle } from './netconfd';
/** Starts an in-process FTP server (ftp-srv) with one login, optionally with AUTH TLS. */
export { startFtpServer } from './ftp';
/** The FTP server: host, port, user, password, root, certificate, refusedLogins, stop(). */
export type { FtpServerHandle } from './ftp';
