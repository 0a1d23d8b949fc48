#!/usr/bin/env bash
# Starts the whole stack on embedded defaults: NATS with JetStream and PostgreSQL (the given
# NATS_URL / DATABASE_URL, else local ones with their data under ./.data), then builds and
# starts the five services with readable console logs. Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
data="$root/.data"
mkdir -p "$data/logs"

bash scripts/install.sh

pids=()
pg_dir=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "maintwatch: stopping services..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_dir" ]; then run_pg pg_ctl -D "$pg_dir" -m fast -w stop >/dev/null 2>&1 || true; fi
  echo "maintwatch: stopped."
}
trap cleanup INT TERM EXIT

# --- NATS -------------------------------------------------------------------------------
if [ -z "${NATS_URL:-}" ]; then
  port=${MAINTWATCH_NATS_PORT:-14222}
  mkdir -p "$data/nats"
  nats-server -a 127.0.0.1 -p "$port" -js -sd "$data/nats" -l "$data/logs/nats.log" &
  pids+=($!)
  export NATS_URL="nats://127.0.0.1:$port"
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
  echo "maintwatch: nats-server (JetStream) on $NATS_URL, data in .data/nats"
fi

# --- PostgreSQL ---------------------------------------------------------------------------
run_pg() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  local cmd="$1"; shift
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$bin/$cmd" "$@")"
  else
    "$bin/$cmd" "$@"
  fi
}
if [ -z "${DATABASE_URL:-}" ]; then
  pgport=${MAINTWATCH_PG_PORT:-15432}
  pg_dir="$data/postgres"
  if [ ! -f "$pg_dir/PG_VERSION" ]; then
    mkdir -p "$pg_dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir" && chmod 700 "$pg_dir" && chmod 755 "$data"
    run_pg initdb -D "$pg_dir" -U postgres --auth=trust --no-sync >/dev/null
  fi
  run_pg pg_ctl -D "$pg_dir" -w -l "$pg_dir/server.log" \
    -o "-p $pgport -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
  run_pg psql -h 127.0.0.1 -p "$pgport" -U postgres -tAc "select 1 from pg_database where datname='maintwatch'" | grep -q 1 ||
    run_pg psql -h 127.0.0.1 -p "$pgport" -U postgres -qc "create database maintwatch" 
  export DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/maintwatch"
  echo "maintwatch: PostgreSQL on 127.0.0.1:$pgport, data in .data/postgres"
fi

# --- the five services ----------------------------------------------------------------------
export LOG_FORMAT=${LOG_FORMAT:-pretty} LOG_LEVEL=${LOG_LEVEL:-info}
# Notifications link to the API; with no Slack/Teams configured they are shown on this console.
export NOTIFIER_PUBLIC_URL=${NOTIFIER_PUBLIC_URL:-http://127.0.0.1:3000}
apps=(maintenance-api ingest parser notifier junos-gateway)
declare -A ports=([maintenance-api]=3000 [ingest]=3001 [parser]=3002 [notifier]=3003 [junos-gateway]=3004)
for app in "${apps[@]}"; do node tools/build-app.mjs "$app" >/dev/null; done
# The operator web page, served by maintenance-api under /.
node tools/build-web.mjs >/dev/null
for app in "${apps[@]}"; do
  # Each service's node flags: tools/node-flags.json (shared with the tests and benchmarks).
  read -r -a flags <<<"$(node -p "require('./tools/node-flags.json')['$app'].join(' ')")"
  PORT=${ports[$app]} node "${flags[@]}" "dist/apps/$app/apps/$app/src/main.js" &
  pids+=($!)
done

# Readiness through Node (curl may be missing on a fresh machine).
for app in "${apps[@]}"; do
  if node -e '
    const url = process.argv[1]; const deadline = Date.now() + 30000;
    (async () => { for (;;) { try { if ((await fetch(url)).ok) process.exit(0); } catch {}
      if (Date.now() > deadline) process.exit(1); await new Promise((r) => setTimeout(r, 200)); } })();
  ' "http://127.0.0.1:${ports[$app]}/readyz"; then
    echo "maintwatch: $app ready on http://127.0.0.1:${ports[$app]}  (/healthz /readyz /metrics)"
  else
    echo "maintwatch: $app did not become ready; see its log above" >&2
  fi
done

# A read token for this session (printed once; revoke with `npm run token -- revoke ID`).
token=$(node "dist/apps/maintenance-api/apps/maintenance-api/src/cli/token.js" create --scope read --name "npm-start-$(date +%Y%m%d-%H%M%S)" 2>/dev/null || true)
# A write token to sign in to the web page with (it acknowledges, adds notes, reprocesses).
login_token=$(node "dist/apps/maintenance-api/apps/maintenance-api/src/cli/token.js" create --scope write --name "npm-start-web-$(date +%Y%m%d-%H%M%S)" 2>/dev/null || true)

# The bundled sample mailbox, imported like a backfill: notices flow ingest -> parser ->
# maintenance-api -> notifier (console) right away. A re-run publishes nothing new.
if [ -d samples/mailbox ]; then
  node --enable-source-maps "dist/apps/ingest/apps/ingest/src/cli/import.js" samples/mailbox --source samples --quiet || true
fi
# Live samples: notices whose windows are minutes from now (one in progress, one starting within
# the hour, one next week), written from samples/live's template at every start, so the clock's
# starting-soon, started and ended events show on this console and in the page within minutes.
# Their reschedule and cancellation follow a few seconds later, as a provider's second mail would.
live_dir="$data/live-samples/$(date -u +%Y%m%dT%H%M%S)"
if npx tsx tools/live-samples.ts "$live_dir" >/dev/null; then
  node --enable-source-maps "dist/apps/ingest/apps/ingest/src/cli/import.js" "$live_dir/batch-1.mbox" --source samples-live --quiet || true
  ( sleep 8 && node --enable-source-maps "dist/apps/ingest/apps/ingest/src/cli/import.js" "$live_dir/batch-2.mbox" --source samples-live --quiet >/dev/null 2>&1 ) &
fi
cat <<EOF

maintwatch: running. Ctrl-C to stop.
  web page       http://127.0.0.1:3000/   (sign in with the login token)
  login token    ${login_token:-"(could not be created: see maintenance-api's log)"}
  API            http://127.0.0.1:3000/api/v1/maintenances   (Authorization: Bearer <token>)
  API docs       http://127.0.0.1:3000/api/docs
  calendar feed  http://127.0.0.1:3000/api/v1/calendar.ics?token=${token:-<token>}
  read token     ${token:-"(could not be created: see maintenance-api's log)"}
  try:           curl -H "Authorization: Bearer ${token:-<token>}" http://127.0.0.1:3000/api/v1/maintenances

EOF
wait -n "${pids[@]}" || true
