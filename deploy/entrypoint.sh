#!/bin/sh
# maintwatch [SERVICE|migrate|token|import] [ARGS...]
# Starts one service with the node flags of tools/node-flags.json (the same as `npm start`),
# configured by the environment only. Without an argument, $SERVICE names the service.
set -eu
cd "${MAINTWATCH_HOME:-/app}"
what=${1:-${SERVICE:-}}
[ "$#" -gt 0 ] && shift
case "$what" in
  ingest|parser|maintenance-api|notifier|junos-gateway)
    # exec: node becomes the process tini signals, so SIGTERM reaches the service's drain.
    # shellcheck disable=SC2046
    exec node $(node -p "require('./tools/node-flags.json')['$what'].join(' ')") "dist/apps/$what/apps/$what/src/main.js" "$@" ;;
  migrate) exec node --enable-source-maps dist/apps/maintenance-api/apps/maintenance-api/src/cli/migrate.js "$@" ;;
  token) exec node --enable-source-maps dist/apps/maintenance-api/apps/maintenance-api/src/cli/token.js "$@" ;;
  import) exec node --enable-source-maps dist/apps/ingest/apps/ingest/src/cli/import.js "$@" ;;
  *) echo "usage: maintwatch ingest|parser|maintenance-api|notifier|junos-gateway|migrate|token|import [args]" >&2; exit 64 ;;
esac
