#!/usr/bin/env bash
# Installs the Debian packages that libs/testing runs as real, ephemeral test services:
# nats-server (JetStream), PostgreSQL (initdb/pg_ctl) and Dovecot IMAP; and Debian's Chromium,
# which the web page's browser tests drive with playwright-core (its own browser download does
# not work on these machines).
# Idempotent and silent when everything is present; runs `apt-get update` at most once.
# Works as root, or through sudo when not root and sudo is available.
set -euo pipefail

missing=()

# A package counts as present when the binary the tests run is there, so a
# PostgreSQL installed some other way (another major version) is accepted too.
{ command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]; } || missing+=(nats-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
{ command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; } || missing+=(dovecot-imapd)
# NETCONF peers (junos-netconf.md §3): yuma123's netconfd behind a private sshd, and ncclient
# (Debian's /usr/bin/python3) as an independent client of the Junos simulator.
[ -x /usr/sbin/netconfd ] || missing+=(netconfd)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
/usr/bin/python3 -c 'import ncclient' >/dev/null 2>&1 || missing+=(python3-ncclient)
[ -x /usr/bin/chromium ] || missing+=(chromium)

# kubectl renders k8s/ in tests/deploy (the machine image has it; a soft attempt otherwise, since a
# Debian mirror may not carry it: the test then says so, and fails in CI).
if ! command -v kubectl >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubectl; } >/dev/null 2>&1 ||
    echo "ensure-services: kubectl could not be installed; tests/deploy/k8s-manifests.spec.ts needs it" >&2
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "ensure-services: missing ${missing[*]}; run as root (or install sudo) to install them" >&2
  exit 1
fi

echo "ensure-services: installing ${missing[*]}" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# apt's chatter goes to a log that is shown only when something fails.
# The tests start their own instances; the system services these packages ship are not used.
if ! { "${as_root[@]}" apt-get update -qq &&
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-services: failed to install ${missing[*]}" >&2
  exit 1
fi
echo "ensure-services: installed ${missing[*]}" >&2
