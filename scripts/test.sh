#!/usr/bin/env bash
# The whole suite: install what is missing, type-check, lint, build the five apps, run every
# test against real services (NATS JetStream, PostgreSQL, Dovecot started by libs/testing
# unless NATS_URL / DATABASE_URL are given), then the provider corpus when it is there.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== lint"; npx nx show projects >/dev/null && npx eslint . --max-warnings=0
echo "== build"; for app in ingest parser maintenance-api notifier junos-gateway; do node tools/build-app.mjs "$app"; done; node tools/build-web.mjs
echo "== jest"; npx jest --ci "$@"
