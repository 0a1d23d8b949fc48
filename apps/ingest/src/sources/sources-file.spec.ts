import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, runAppToExit } from '@maintwatch/testing';
import { parseSourcesFile } from './sources-file';

const YAML = `
defaults:
  lookbackDays: 3
sources:
  - name: noc-imap
    type: imap
    host: imap.example.net
    user: noc@example.net
    passwordEnv: IMAP_NOC_PASSWORD
    senderHeader: X-Original-Sender
    afterPublish: { action: move, folder: Maintwatch/Done }
  - name: gmail-noc
    type: gmail
    serviceAccount: { credentialsFile: /run/secrets/gmail-sa.json, impersonate: noc@example.com }
    addLabel: maintwatch
`;

describe('sources file', () => {
  it('sources - YAML with defaults filled in: TLS on, INBOX, no after-publish action unless asked', () => {
    const r = parseSourcesFile(YAML);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.file.defaults).toEqual({ lookbackDays: 3, reconnect: { minMs: 1000, maxMs: 60_000 } });
    const [imap, gmail] = r.file.sources;
    expect(imap).toMatchObject({ type: 'imap', security: 'tls', mailbox: 'INBOX', idle: true, tls: { insecureSkipVerify: false }, afterPublish: { action: 'move', folder: 'Maintwatch/Done' } });
    expect(gmail).toMatchObject({ type: 'gmail', rootUrl: 'https://gmail.googleapis.com/', labelIds: ['INBOX'], addLabel: 'maintwatch' });
  });

  it('sources - JSON works too, and an empty file means no sources', () => {
    const r = parseSourcesFile(JSON.stringify({ sources: [{ name: 'a', type: 'imap', host: 'h', user: 'u', accessTokenEnv: 'TOKEN' }] }));
    expect(r.ok && r.file.sources[0]).toMatchObject({ name: 'a', security: 'tls', accessTokenEnv: 'TOKEN' });
    const empty = parseSourcesFile('');
    expect(empty.ok && empty.file.sources).toEqual([]);
  });

  it('sources - every problem is listed with where it is: missing host, secret in the file, two ways to log in, duplicate names', () => {
    const inline = parseSourcesFile(`sources:\n  - { name: a, type: imap, host: h, user: u, password: hunter2 }\n`);
    expect(inline).toEqual({ ok: false, problems: [{ path: ['sources', 0, 'password'], message: expect.stringContaining('secrets do not go in the sources file') }] });
    const r = parseSourcesFile(`
sources:
  - { name: a, type: imap, user: u, passwordEnv: P }
  - { name: a, type: imap, host: h, user: u, passwordEnv: P, accessTokenEnv: T }
  - { name: 'bad name', type: pop3 }
  - { name: g, type: gmail }
`);
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems.map((p) => `${p.path.join('.')}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sources\.0\.host: /),
        expect.stringMatching(/^sources\.1\.passwordEnv: give exactly one of passwordEnv/),
        expect.stringMatching(/^sources\.2\.type: /),
        expect.stringMatching(/^sources\.3\.serviceAccount: give exactly one of serviceAccount or oauthClient/),
      ]),
    );
    expect(parseSourcesFile('sources: [').ok).toBe(false);
    const twice = parseSourcesFile(`sources:\n  - { name: a, type: imap, host: h, user: u, passwordEnv: P }\n  - { name: a, type: imap, host: h2, user: u, passwordEnv: P }\n`);
    expect(twice).toEqual({ ok: false, problems: [{ path: ['sources', 1, 'name'], message: 'duplicate source name "a"' }] });
  });

  it('ingest - a broken sources file stops the service with exit 78, listing each problem', () => {
    buildApp('ingest');
    const dir = mkdtempSync(join(tmpdir(), 'maintwatch-sources-'));
    const path = join(dir, 'sources.yaml');
    writeFileSync(path, `sources:\n  - { name: a, type: imap, user: u, passwordEnv: P }\n  - { name: b, type: gmail }\n`);
    const r = runAppToExit('ingest', { INGEST_SOURCES_FILE: path });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('INGEST_SOURCES_FILE.sources.0.host');
    expect(r.stderr).toContain('INGEST_SOURCES_FILE.sources.1.serviceAccount: give exactly one of serviceAccount or oauthClient');
    const missing = runAppToExit('ingest', { INGEST_SOURCES_FILE: join(dir, 'nope.yaml') });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('INGEST_SOURCES_FILE: cannot be read (ENOENT)');
  });
});
