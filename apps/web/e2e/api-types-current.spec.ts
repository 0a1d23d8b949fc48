// The page's API types are generated from the OpenAPI document; this fails when a DTO or route
// changed and `npm run web:api-types` was not run (the committed file would be stale).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(120_000);

describe('web api types', () => {
  it('web api types - the committed schema.d.ts is what the OpenAPI document gives', () => {
    const root = join(__dirname, '../../..');
    const out = execFileSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'tools/web-openapi.ts'), '--check'], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('web api types are current');
  });
});
