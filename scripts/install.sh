#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian/Ubuntu machine with Node 20:
# Debian packages for the real services (scripts/ensure-services.sh) and the npm packages.
# Idempotent and quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh

# npm install (not ci): the lockfile pins versions, while optional platform binaries
# (SWC, esbuild) are resolved for this machine.
stamp=node_modules/.maintwatch-installed
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
