// node dist/.../cli/migrate.js   brings the schema up to date and exits (the k8s migrate Job).
// Store.open runs the migrations under a PostgreSQL advisory lock, so this and starting replicas
// never migrate twice; running it first makes an upgrade's schema change happen exactly once.
// A pool of 1 timed out connecting during the migrations (seen): 2, as the token command uses.
import { loadConfigOrExit } from '@maintwatch/observability';
import { Store } from '@maintwatch/persistence';
import { env, tokenCliConfig } from './config';

async function main(): Promise<number> {
  const config = loadConfigOrExit(tokenCliConfig, env(), 'migrate');
  const started = Date.now();
  const store = await Store.open({ url: config.DATABASE_URL, caFile: config.DATABASE_CA_FILE, tlsInsecure: config.DATABASE_TLS_INSECURE, poolSize: 2, applicationName: 'maintwatch-migrate', connectTimeoutMs: 10_000 });
  await store.close();
  console.error(`migrate: schema up to date in ${Date.now() - started} ms`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
