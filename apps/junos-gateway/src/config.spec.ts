import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@maintwatch/observability';
import { junosConfig } from './config';

const BASE = { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://gw@127.0.0.1:5432/mw' };
const problems = (env: Record<string, string>): string => {
  try {
    loadConfig(junosConfig, { ...BASE, ...env }, 'junos-gateway');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
};

describe('junosConfig', () => {
  it('DATABASE_URL_FILE - the URL is read from a mounted secret file, and never echoed when bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-db-'));
    writeFileSync(join(dir, 'url'), 'postgres://gw:pw@db.internal:5432/mw\n');
    writeFileSync(join(dir, 'bad'), 'mysql://gw:hunter2@db/mw');
    const { DATABASE_URL: _unused, ...noUrl } = BASE;
    expect(loadConfig(junosConfig, { ...noUrl, DATABASE_URL_FILE: join(dir, 'url') }).DATABASE_URL).toBe('postgres://gw:pw@db.internal:5432/mw');
    const bad = (() => { try { loadConfig(junosConfig, { ...noUrl, DATABASE_URL_FILE: join(dir, 'bad') }); } catch (err) { return (err as Error).message; } return ''; })();
    expect(bad).toMatch(/DATABASE_URL.*postgres:\/\//);
    expect(bad).not.toContain('hunter2');
    rmSync(dir, { recursive: true, force: true });
  });

  it('DATABASE_TLS_INSECURE - sslmode=no-verify is a config error unless set', () => {
    expect(problems({ DATABASE_URL: 'postgres://gw@db:5432/mw?sslmode=no-verify' })).toMatch(/DATABASE_URL.*DATABASE_TLS_INSECURE=true/);
    expect(problems({ DATABASE_URL: 'postgres://gw@db:5432/mw?sslmode=no-verify', DATABASE_TLS_INSECURE: 'true' })).toBe('');
  });

  it('JTAC FTP - the upload target is read, defaults when unset', () => {
    const c = loadConfig(junosConfig, { ...BASE, JTAC_FTP_HOST: 'ftp.example.net', JTAC_FTP_PORT: '2121', JTAC_FTP_TLS: 'true', JTAC_FTP_PASSWORD: 's3cret-pw' });
    expect(c).toMatchObject({ JTAC_FTP_HOST: 'ftp.example.net', JTAC_FTP_PORT: 2121, JTAC_FTP_TLS: true, JTAC_FTP_DIR: '/', JTAC_FTP_USER: 'anonymous', JTAC_FTP_PASSWORD: 's3cret-pw' });
    expect(loadConfig(junosConfig, BASE).JTAC_FTP_HOST).toBeUndefined();
  });

  it('JTAC FTP - every bad variable is listed, the password never echoed', () => {
    const msg = problems({ JTAC_FTP_HOST: 'ftp://user:pw@host', JTAC_FTP_PORT: '70000', JTAC_FTP_TLS: 'maybe', JTAC_FTP_PASSWORD: 'hunter2-secret' });
    expect(msg).toContain('JTAC_FTP_HOST');
    expect(msg).toContain('JTAC_FTP_PORT');
    expect(msg).toContain('JTAC_FTP_TLS');
    expect(msg).not.toContain('hunter2-secret');
  });

  it('JTAC FTP - a password or CA without a host, a CA without TLS, are refused', () => {
    expect(problems({ JTAC_FTP_PASSWORD: 'pw-1234' })).toMatch(/JTAC_FTP_PASSWORD: needs JTAC_FTP_HOST/);
    expect(problems({ JTAC_FTP_HOST: 'ftp.example.net', JTAC_FTP_CA_FILE: '/etc/ca.pem' })).toMatch(/JTAC_FTP_CA_FILE.*needs JTAC_FTP_TLS=true/);
  });
});
