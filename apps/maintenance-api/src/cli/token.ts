// npm run token -- create --scope read|write --name NAME   prints a new API token (once)
//                  revoke --name NAME | --id ID            the token stops working at once
//                  list                                    every token (never their values)
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@maintwatch/observability';
import { Store, StoreConflictError, TOKEN_SCOPES, type TokenScope } from '@maintwatch/persistence';
import { generateToken, hashToken } from '../api/auth/api-token';
import { env, tokenCliConfig } from './config';

const USAGE = `usage: npm run token -- create --scope read|write --name NAME
       npm run token -- revoke (--name NAME | --id ID)
       npm run token -- list`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { scope: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0];
  if (values.help || !command || !['create', 'revoke', 'list'].includes(command)) {
    console.error(USAGE);
    return values.help ? 0 : 64;
  }
  const name = values.name?.trim() ?? '';
  if (command === 'create' && (!name || !(TOKEN_SCOPES as readonly string[]).includes(values.scope ?? ''))) {
    console.error(`create needs --name and --scope (${TOKEN_SCOPES.join(' or ')})\n${USAGE}`);
    return 64;
  }
  if (command === 'revoke' && !values.name && !values.id) {
    console.error(`revoke needs --name or --id\n${USAGE}`);
    return 64;
  }
  const config = loadConfigOrExit(tokenCliConfig, env(), 'token');
  const store = await Store.open({ url: config.DATABASE_URL, caFile: config.DATABASE_CA_FILE, tlsInsecure: config.DATABASE_TLS_INSECURE, poolSize: 2, applicationName: 'maintwatch-token' });
  try {
    const tokens = store.repos.api.tokens;
    if (command === 'create') {
      const token = generateToken();
      try {
        const t = await tokens.create({ name, scope: values.scope as TokenScope, tokenHash: hashToken(token) });
        // The token on stdout alone (for scripts); the rest on stderr. It is not stored: this is the only time it is shown.
        console.error(`token "${t.name}" (${t.scope}) created; keep it now, it cannot be shown again:`);
        console.log(token);
      } catch (err) {
        if (!(err instanceof StoreConflictError)) throw err;
        console.error(err.message);
        return 1;
      }
    } else if (command === 'revoke') {
      const target = values.id ?? name;
      if (!(await tokens.revoke(target))) {
        console.error(`no token in use named or with id ${target}`);
        return 1;
      }
      console.error(`token ${target} revoked`);
    } else {
      for (const t of await tokens.list()) {
        const state = t.revokedAt ? `revoked ${new Date(t.revokedAt * 1000).toISOString()}` : 'active';
        console.log(`${t.id}  ${t.scope.padEnd(5)}  ${state.padEnd(32)}  ${t.name}`);
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`token: ${(err as Error)?.message ?? String(err)}`);
    process.exit(1);
  },
);
