#!/usr/bin/env python3
"""Maintwatch on-box agent: a Junos event script that posts the triggering event to the
junos-gateway's POST /webhook/junos, signed.

Install as /var/db/scripts/event/maintwatch-webhook.py (see apps/junos-gateway/README.md for
the event-options configuration). Junos passes each configured argument as "-name value".

Headers sent:
  Junos-Timestamp: <unix seconds>
  Junos-Auth:      hex(HMAC-SHA256(secret, "<timestamp>." + body))

The body is JSON written by json.dumps with ensure_ascii=True (ASCII bytes only), so the
signature never depends on how the device encodes text:
  {"event", "process", "message", "hostname", "detail", "time", "id"}
"id" is new per event and the same on every retry, so the gateway stores a retried event once.
Only the standard library is used (urllib, hmac): nothing to install on the box.
"""

import argparse
import hashlib
import hmac
import json
import ssl
import sys
import time
import urllib.error
import urllib.request
import uuid

try:  # on the box
    from junos import Junos_Trigger_Event  # type: ignore
except ImportError:  # pragma: no cover - off the box the trigger must be injected
    Junos_Trigger_Event = None


def text(trigger, path):
    value = trigger.findtext(path) if trigger is not None else None
    return (value or "").strip()


def event_time(trigger):
    """The event's own time: generation-time's junos:seconds attribute (namespace varies by release)."""
    node = trigger.find(".//trigger-event/generation-time") if trigger is not None else None
    if node is not None:
        for key, value in node.attrib.items():
            if key.endswith("seconds") and value.isdigit():
                return int(value)
    return int(time.time())


def cpu_detail(event):
    """Top CPU processes for RTPERF_CPU* events (PyEZ on the box); empty when unavailable."""
    if not event.startswith("RTPERF_CPU"):
        return ""
    try:
        from jnpr.junos import Device  # type: ignore

        with Device() as dev:
            out = dev.cli("show system processes extensive", warning=False)
        return "\n".join(out.strip().splitlines()[:16])
    except Exception:  # noqa: BLE001 - the event is still worth sending without detail
        return ""


def build_body(trigger):
    event = text(trigger, ".//trigger-event/id")
    body = {
        "event": event,
        "process": text(trigger, ".//trigger-event/process/name"),
        "message": text(trigger, ".//trigger-event/message"),
        "hostname": text(trigger, ".//trigger-event/hostname"),
        "detail": cpu_detail(event),
        "time": event_time(trigger),
        "id": str(uuid.uuid4()),
    }
    return json.dumps(body, ensure_ascii=True).encode("ascii")


def sign(secret, body, timestamp):
    return hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def post(url, secret, body, timeout, context):
    timestamp = int(time.time())
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Junos-Timestamp": str(timestamp),
            "Junos-Auth": sign(secret, body, timestamp),
            "User-Agent": "maintwatch-junos-agent/1",
        },
    )
    with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
        return response.status


def main(argv=None):
    parser = argparse.ArgumentParser(description="Post the triggering Junos event to Maintwatch")
    parser.add_argument("-url", required=True, help="https://gateway.example/webhook/junos")
    parser.add_argument("-secret", help="the HMAC secret (prefer -secret-file)")
    parser.add_argument("-secret-file", dest="secret_file", help="a file holding the HMAC secret")
    parser.add_argument("-ca-file", dest="ca_file", help="PEM of a private CA for the gateway's certificate")
    parser.add_argument("-timeout", type=float, default=10.0)
    parser.add_argument("-attempts", type=int, default=3, help="tries on connection errors and 5xx/429")
    args = parser.parse_args(argv)

    secret = args.secret
    if args.secret_file:
        with open(args.secret_file, encoding="utf-8") as f:
            secret = f.read().strip()
    if not secret:
        print("maintwatch-webhook: no secret (-secret or -secret-file)", file=sys.stderr)
        return 2

    # Certificates are verified (the default context); a private CA is added, never disabled.
    context = ssl.create_default_context(cafile=args.ca_file) if args.ca_file else ssl.create_default_context()
    body = build_body(Junos_Trigger_Event)
    delay = 1.0
    for attempt in range(1, max(1, args.attempts) + 1):
        try:
            status = post(args.url, secret, body, args.timeout, context)
            print("maintwatch-webhook: %s -> %d" % (args.url, status))
            return 0
        except urllib.error.HTTPError as err:
            # 4xx other than 429 will not get better by retrying (401: wrong secret or clock).
            if err.code != 429 and err.code < 500:
                print("maintwatch-webhook: refused with %d" % err.code, file=sys.stderr)
                return 1
            reason = "HTTP %d" % err.code
        except (urllib.error.URLError, OSError) as err:
            reason = str(err)
        if attempt < args.attempts:
            time.sleep(delay)
            delay *= 2
    print("maintwatch-webhook: not delivered: %s" % reason, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
