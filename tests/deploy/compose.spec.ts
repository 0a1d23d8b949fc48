import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

// deploy/compose.yaml against the Compose Specification's JSON schema (deploy/schema/compose-spec.json,
// copied from the compose-spec project as npm's docker-compose 1.5.0 ships it; see deploy/schema/NOTICE).

const ROOT = join(__dirname, '..', '..');

describe('deploy/compose.yaml', () => {
  const compose = parse(readFileSync(join(ROOT, 'deploy', 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, { command?: string[]; read_only?: boolean; stop_grace_period?: string; environment?: Record<string, string> }>;
  };

  it('compose - validates against the compose specification schema', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'deploy', 'schema', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;
    delete schema['$schema'];
    const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore' });
    const validate = ajv.compile(schema);
    const ok = validate(compose);
    expect(ajv.errorsText(validate.errors)).toBe('No errors');
    expect(ok).toBe(true);
  });

  it('compose - starts the five services read-only, with 30 s to drain and the database URL as a secret file', () => {
    const apps = ['maintenance-api', 'ingest', 'parser', 'notifier', 'junos-gateway'];
    for (const name of apps) {
      const s = compose.services[name];
      expect([name, s?.command?.[0], s?.read_only, s?.stop_grace_period, s?.environment?.['DATABASE_URL_FILE']]).toEqual([name, name, true, '30s', '/run/secrets/database-url']);
    }
    expect(compose.services['sample-import']?.command).toEqual(['import', 'samples/mailbox', '--source', 'samples', '--quiet']);
  });
});
