"""Drives the Junos simulator with ncclient's Junos device handler (an independent client).

Usage: /usr/bin/python3 junos-simulator-ncclient.py PORT USER PASSWORD
Prints one JSON object: what each call returned, for junos-simulator.ncclient.spec.ts to check.
"""
import json
import sys

from ncclient import manager
from ncclient.xml_ import to_ele

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
out = {}
# The test peer's key is random per run; the TypeScript client's pinning is tested elsewhere.
with manager.connect(host="127.0.0.1", port=port, username=user, password=password,
                     hostkey_verify=False, allow_agent=False, look_for_keys=False,
                     device_params={"name": "junos"}, timeout=30) as m:
    out["session_id"] = m.session_id
    out["base11"] = "urn:ietf:params:netconf:base:1.1" in m.server_capabilities
    sw = m.rpc(to_ele("<get-software-information/>"))
    out["version"] = sw.xpath("//junos-version")[0].text.strip()
    out["show_version"] = m.command("show version", format="text").xpath("//output")[0].text
    m.lock()
    m.load_configuration(action="set", config=["deactivate protocols bgp group TRANSIT neighbor 192.0.2.1"])
    out["confirmed"] = m.commit(confirmed=True, timeout="300", comment="drain CKT-123").xpath("//commit-success") != []
    out["confirm"] = m.commit().xpath("//commit-success") != []
    m.unlock()
    try:
        m.rpc(to_ele("<restart-daemon><daemon-name>nosuchd</daemon-name></restart-daemon>"))
        out["invalid_daemon"] = None
    except Exception as err:  # ncclient raises RPCError
        out["invalid_daemon"] = str(err).strip()
print(json.dumps(out))
