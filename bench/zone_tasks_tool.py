"""Driver of bench/zone_tasks.sh: starts dnsplane, imports a generated zone
file, exports it, checks the export and prints the timings."""
import os
import shutil
import socket
import subprocess
import sys
import time

import requests


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, work, name):
    api, dns = free_port(), free_port()
    env = dict(os.environ, DNSPLANE_QUOTAS_RECORDSETS="1000000", DNSPLANE_QUOTAS_ZONES="100",
               DNSPLANE_WEBHOOK_LISTEN="", DNSPLANE_HEALTH_LISTEN="")
    proc = subprocess.Popen(
        [binary, "serve", "--database", f"sqlite://{work}/{name}.db",
         "--api-listen", f"127.0.0.1:{api}", "--dns-listen", f"127.0.0.1:{dns}",
         "--body-limit", str(64 << 20), "--log-level", "warn"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(f"{work}/{name}.log", "w"))
    base = f"http://127.0.0.1:{api}"
    for _ in range(200):
        try:
            requests.get(base + "/", timeout=1)
            return proc, base
        except requests.ConnectionError:
            time.sleep(0.05)
    raise SystemExit(f"dnsplane did not start: {open(f'{work}/{name}.log').read()}")


def cpu_seconds(proc):
    """user + system CPU time the server process has used so far (the
    machine is shared: CPU time does not grow with other processes' load)."""
    fields = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def zone_file(records):
    lines = ["$ORIGIN bench-import.test.", "$TTL 3600",
             "@ 3600 IN SOA ns1.bench-import.test. hostmaster.bench-import.test. "
             "1 3600 600 86400 300",
             "@ IN NS ns1.example.net."]
    for i in range(records):
        lines.append(f"host{i} 300 IN A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}")
    return "\n".join(lines) + "\n"


def main():
    binary, records, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    text = zone_file(records)
    headers = {"X-Auth-Project-ID": "bench", "X-Roles": "admin"}
    proc, base = start(binary, work, "a")
    try:
        t0, c0 = time.monotonic(), cpu_seconds(proc)
        r = requests.post(base + "/v2/zones/tasks/imports", data=text.encode(),
                          headers={**headers, "Content-Type": "text/dns"}, timeout=600)
        t_import, c_import = time.monotonic() - t0, cpu_seconds(proc) - c0
        assert r.status_code == 202, r.text
        task = requests.get(base + f"/v2/zones/tasks/imports/{r.json()['id']}",
                            headers=headers).json()
        assert task["status"] == "COMPLETE", task
        zone_id = task["zone_id"]
        count = requests.get(base + f"/v2/zones/{zone_id}/recordsets?limit=1",
                             headers=headers).json()["metadata"]["total_count"]
        t0, c0 = time.monotonic(), cpu_seconds(proc)
        ex = requests.post(base + f"/v2/zones/{zone_id}/tasks/export", headers=headers).json()
        body = requests.get(base + f"/v2/zones/tasks/exports/{ex['id']}/export",
                            headers={**headers, "Accept": "text/dns"}, timeout=600)
        t_export, c_export = time.monotonic() - t0, cpu_seconds(proc) - c0
        assert body.status_code == 200, body.text
    finally:
        proc.terminate()
        proc.wait()
    exported = body.text
    path = f"{work}/export.zone"
    with open(path, "w") as f:
        f.write(exported)
    check = "skipped (kzonecheck not installed)"
    if shutil.which("kzonecheck"):
        done = subprocess.run(["kzonecheck", "-o", "bench-import.test.", path],
                              capture_output=True, text=True)
        check = "ok" if done.returncode == 0 else f"FAILED: {done.stdout}{done.stderr}"
    # Re-import the export into a fresh server: the same number of sets.
    proc, base = start(binary, work, "b")
    try:
        t0 = time.monotonic()
        r = requests.post(base + "/v2/zones/tasks/imports", data=exported.encode(),
                          headers={**headers, "Content-Type": "text/dns"}, timeout=600)
        t_reimport = time.monotonic() - t0
        task = requests.get(base + f"/v2/zones/tasks/imports/{r.json()['id']}",
                            headers=headers).json()
        recount = requests.get(base + f"/v2/zones/{task['zone_id']}/recordsets?limit=1",
                               headers=headers).json()["metadata"]["total_count"]
    finally:
        proc.terminate()
        proc.wait()
    print(f"zone file: {records} records, {len(text) / 1e6:.1f} MB")
    print(f"import (POST /v2/zones/tasks/imports, one change set): {t_import:.2f} s wall, "
          f"{c_import:.2f} s server CPU -> {count} record sets (incl. SOA + NS)")
    print(f"export (POST tasks/export + GET exports/{{id}}/export): {t_export:.2f} s wall, "
          f"{c_export:.2f} s server CPU, {len(exported) / 1e6:.1f} MB")
    print(f"kzonecheck of the export: {check}")
    print(f"re-import of the export: {t_reimport:.2f} s -> {recount} record sets "
          f"({'same' if recount == count else 'DIFFERENT'})")


if __name__ == "__main__":
    main()
