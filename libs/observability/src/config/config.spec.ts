import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  databaseUrl,
  envBoolean,
  EX_CONFIG,
  loadConfig,
  loadConfigOrExit,
  logFormat,
  logLevel,
  natsUrl,
  port,
  secretFromEnvOrFile,
} from '../index';

const Schema = z.object({
  NATS_URL: natsUrl,
  DATABASE_URL: databaseUrl,
  PORT: port.default(3000),
  LOG_LEVEL: logLevel,
  LOG_FORMAT: logFormat,
  DEBUG_SQL: envBoolean.default(false),
  MAIL_FOLDER: z.string(),
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('loadConfig - returns the typed config with defaults applied', () => {
    const config = loadConfig(Schema, {
      NATS_URL: 'nats://a:4222, tls://b:4222',
      DATABASE_URL: 'postgres://mw:pw@db:5432/maintwatch',
      LOG_LEVEL: 'DEBUG',
      DEBUG_SQL: '1',
      MAIL_FOLDER: 'INBOX',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      NATS_URL: ['nats://a:4222', 'tls://b:4222'],
      DATABASE_URL: 'postgres://mw:pw@db:5432/maintwatch',
      PORT: 3000,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      DEBUG_SQL: true,
      MAIL_FOLDER: 'INBOX',
    });
  });

  it('loadConfig - lists every bad or missing variable, one line each, in schema order', () => {
    const err = configError(() =>
      loadConfig(
        Schema,
        {
          NATS_URL: 'nats://ok:4222,http://wrong',
          DATABASE_URL: 'mysql://root:hunter2@db/x',
          PORT: '70000',
          LOG_LEVEL: 'loud',
          LOG_FORMAT: 'xml',
          DEBUG_SQL: 'yes',
          MAIL_FOLDER: '',
        },
        'ingest',
      ),
    );
    expect(err.problems.map((p) => p.variable)).toEqual([
      'NATS_URL',
      'DATABASE_URL',
      'PORT',
      'LOG_LEVEL',
      'LOG_FORMAT',
      'DEBUG_SQL',
      'MAIL_FOLDER',
    ]);
    const lines = err.message.split('\n');
    expect(lines[0]).toBe('ingest: invalid configuration (7 problems):');
    expect(lines).toHaveLength(8);
    expect(lines).toContain('  NATS_URL: entry 2 is not a nats://, tls://, ws:// or wss:// URL (got "nats://ok:4222,http://wrong")');
    expect(lines).toContain('  PORT: must be a whole number 0-65535 (got "70000")');
    expect(lines).toContain('  DEBUG_SQL: must be true, false, 1 or 0 (got "yes")');
    expect(lines).toContain('  MAIL_FOLDER: missing');
    expect(err.message).toMatch(/LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/);
    // The bad database URL is shown, but not its password.
    expect(err.message).toContain('DATABASE_URL: is not a postgres:// or postgresql:// URL (got "mysql://root:***@db/x")');
    expect(err.message).not.toContain('hunter2');
  });

  it('loadConfig - a NATS_URL default is written as the raw value, with prefault', () => {
    const WithDefault = z.object({ NATS_URL: natsUrl.prefault('nats://localhost:4222') });
    expect(loadConfig(WithDefault, {})).toEqual({ NATS_URL: ['nats://localhost:4222'] });
  });

  it('loadConfig - reports a variable missing altogether', () => {
    const err = configError(() => loadConfig(z.object({ NATS_URL: natsUrl, DATABASE_URL: databaseUrl }), {}));
    expect(err.message).toBe('Invalid configuration (2 problems):\n  NATS_URL: missing\n  DATABASE_URL: missing');
  });
});

describe(secretFromEnvOrFile.name, () => {
  const Secrets = z.object({
    DATABASE_PASSWORD: secretFromEnvOrFile('DATABASE_PASSWORD'),
    WEBHOOK_SECRET: secretFromEnvOrFile('WEBHOOK_SECRET').optional(),
    SIGNING_KEY: secretFromEnvOrFile('SIGNING_KEY')
      .pipe(z.string().min(16, 'must be at least 16 characters'))
      .optional(),
  });
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'observability-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('secret - reads VAR_FILE, trimmed', () => {
    const file = join(dir, 'db-password');
    writeFileSync(file, '  s3cr3t-from-file\n');
    expect(loadConfig(Secrets, { DATABASE_PASSWORD_FILE: file })).toEqual({ DATABASE_PASSWORD: 's3cr3t-from-file' });
  });

  it('secret - reads VAR directly', () => {
    expect(loadConfig(Secrets, { DATABASE_PASSWORD: 'direct' })).toEqual({ DATABASE_PASSWORD: 'direct' });
  });

  it('secret - rejects VAR and VAR_FILE both set, an unreadable file and a missing secret, all at once', () => {
    const err = configError(() =>
      loadConfig(Secrets, {
        DATABASE_PASSWORD: 'direct',
        DATABASE_PASSWORD_FILE: join(dir, 'db-password'),
        WEBHOOK_SECRET_FILE: join(dir, 'nope'),
      }),
    );
    expect(err.problems).toEqual([
      { variable: 'DATABASE_PASSWORD', reason: 'both DATABASE_PASSWORD and DATABASE_PASSWORD_FILE are set; set only one' },
      { variable: 'WEBHOOK_SECRET', reason: `WEBHOOK_SECRET_FILE=${join(dir, 'nope')} cannot be read (ENOENT)` },
    ]);
    expect(configError(() => loadConfig(Secrets, {})).problems).toEqual([
      { variable: 'DATABASE_PASSWORD', reason: 'missing (set DATABASE_PASSWORD or DATABASE_PASSWORD_FILE)' },
    ]);
  });

  it('secret - a rejected secret is never echoed', () => {
    const file = join(dir, 'signing-key');
    writeFileSync(file, 'tooshort-xyz\n');
    const err = configError(() => loadConfig(Secrets, { DATABASE_PASSWORD: 'pw', SIGNING_KEY_FILE: file }));
    expect(err.message).toContain('SIGNING_KEY: must be at least 16 characters');
    expect(err.message).not.toContain('tooshort-xyz');
  });
});

describe(loadConfigOrExit.name, () => {
  it('loadConfigOrExit - prints the single message to stderr and exits with 78', () => {
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exit = jest.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
      throw new Error(`exit ${code}`);
    });
    try {
      expect(() => loadConfigOrExit(z.object({ NATS_URL: natsUrl, PORT: port }), { PORT: 'x' }, 'parser')).toThrow(
        `exit ${EX_CONFIG}`,
      );
      expect(written).toEqual([
        'parser: invalid configuration (2 problems):\n  NATS_URL: missing\n  PORT: must be a whole number 0-65535 (got "x")\n',
      ]);
      expect(exit).toHaveBeenCalledWith(78);
    } finally {
      write.mockRestore();
      exit.mockRestore();
    }
  });
});
