// Builds the operator web page (apps/web) into dist/apps/web: its own type check (tsc with the
// DOM library, which the services' tsconfig does not have), then Vite. Built beside the final
// folder and swapped in by rename, like tools/build-app.mjs, so a running API never serves a
// half-written build.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const final = join(root, 'dist/apps/web');
const out = join(root, 'dist/apps', `.web.build-${process.pid}`);
const started = Date.now();
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'apps/web/tsconfig.json')], { stdio: 'inherit' });
await build({ configFile: join(root, 'apps/web/vite.config.mjs'), logLevel: 'warn', build: { outDir: out } });
const trash = `${final}.old-${process.pid}`;
if (existsSync(final)) renameSync(final, trash);
renameSync(out, final);
rmSync(trash, { recursive: true, force: true });
console.log(`built web in ${Date.now() - started} ms -> ${relative(root, final)}`);
