"""Load generator for bench/update.sh: N concurrent clients, each sending
TSIG-signed RFC 2136 UPDATEs (one new A record at a unique name per message)
over UDP and waiting for the signed reply, for D seconds. Counts every RCODE;
a reply that does not verify counts as an error. Prints one JSON line.

  update_tool.py --port P --zone Z --key-name K --secret S [--algorithm A]
                 [--clients 16] [--duration 10] [--tag t]
"""

from __future__ import annotations

import argparse
import json
import threading
import time

import dns.message
import dns.query
import dns.rcode
import dns.tsigkeyring
import dns.update


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--zone", required=True)
    ap.add_argument("--key-name", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--algorithm", default="hmac-sha256")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--tag", default="u")
    a = ap.parse_args()
    ring = dns.tsigkeyring.from_text({a.key_name: a.secret})
    stop_at = time.monotonic() + a.duration
    lock = threading.Lock()
    rcodes: dict[str, int] = {}
    errors = [0]
    latencies: list[float] = []

    def client(i: int) -> None:
        n = 0
        local: dict[str, int] = {}
        lat: list[float] = []
        err = 0
        while time.monotonic() < stop_at:
            msg = dns.update.UpdateMessage(a.zone, keyring=ring, keyname=a.key_name,
                                           keyalgorithm=a.algorithm)
            msg.add(f"{a.tag}-{i}-{n}.{a.zone}", 300, "A", f"192.0.2.{n % 250 + 1}")
            n += 1
            t0 = time.monotonic()
            try:
                r = dns.query.udp(msg, "127.0.0.1", port=a.port, timeout=5)
                name = dns.rcode.to_text(r.rcode())
                local[name] = local.get(name, 0) + 1
                lat.append(time.monotonic() - t0)
            except Exception:  # noqa: BLE001 - timeouts, bad MACs: errors
                err += 1
        with lock:
            for k, v in local.items():
                rcodes[k] = rcodes.get(k, 0) + v
            errors[0] += err
            latencies.extend(lat)

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - began
    latencies.sort()
    pct = (lambda p: round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2)
           if latencies else None)
    print(json.dumps({"rcodes": rcodes, "errors": errors[0], "seconds": round(took, 2),
                      "ok_per_s": round(rcodes.get("NOERROR", 0) / took, 1),
                      "p50_ms": pct(0.50), "p99_ms": pct(0.99)}))


if __name__ == "__main__":
    main()
