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
