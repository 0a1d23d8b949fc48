// Builds one app into dist/apps/<app>: every .ts file of the app and of the libs
// it can import is transpiled by SWC (decorator metadata on, for NestJS DI), and
// the @maintwatch/* aliases are rewritten to relative paths by SWC itself, so the
// output runs on plain `node` with no loader. Type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { readFileSync, mkdirSync, writeFileSync, rmSync, readdirSync, statSync, renameSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = process.argv[2];
if (!app) { console.error('usage: build-app.mjs <app>'); process.exit(2); }
const final = join(root, 'dist/apps', app);
// Built beside the final folder and swapped in by rename, so a test (or a running start
// command) never sees a half-written build while another one rebuilds the same app.
const out = join(root, 'dist/apps', `.${app}.build-${process.pid}`);
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc.json'), 'utf8'));
delete swcrc.$schema;
const { paths } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'fixtures' && name !== 'node_modules') yield* walk(p); }
    else if (p.endsWith('.ts') && !p.endsWith('.spec.ts') && !p.endsWith('.e2e.ts') && !p.endsWith('.d.ts')) yield p;
  }
}

rmSync(out, { recursive: true, force: true });
const files = [...walk(join(root, 'apps', app, 'src')), ...walk(join(root, 'libs'))]
  // test support code (libs/testing, any lib's src/testing/) never ships
  .filter((f) => !f.includes(join('libs', 'testing')) && !f.includes(join('src', 'testing') + '/'));
const started = Date.now();
await Promise.all(files.map(async (file) => {
  const rel = relative(root, file);
  const target = join(out, rel).replace(/\.ts$/, '.js');
  const { code, map } = await transformFile(file, {
    ...swcrc,
    filename: file,
    swcrc: false,
    sourceFileName: relative(dirname(target), file),
    jsc: { ...swcrc.jsc, baseUrl: root, paths },
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code + `\n//# sourceMappingURL=${target.split('/').pop()}.map`);
  if (map) writeFileSync(target + '.map', map);
}));
const trash = `${final}.old-${process.pid}`;
if (existsSync(final)) renameSync(final, trash);
renameSync(out, final);
rmSync(trash, { recursive: true, force: true });
console.log(`built ${app}: ${files.length} files in ${Date.now() - started} ms -> ${relative(root, final)}`);
