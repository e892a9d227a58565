#!/usr/bin/env python3
"""ppb-cosim's command line: bad input gets a message and exit status 2; a good run writes JSON
whose figures balance. Run by CTest with the ppb-cosim path as argv[1]."""
import json
import os
import subprocess
import sys
import tempfile

cosim = sys.argv[1]
passed = failed = 0


def check(args, rc, needle):
    global passed, failed
    p = subprocess.run([cosim, *args], capture_output=True, text=True)
    out = p.stdout + p.stderr
    if p.returncode == rc and needle in out:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: ppb-cosim {' '.join(args)}: exit {p.returncode} (want {rc}), "
              f"looking for {needle!r} in:\n{out}")


check(["--capacity", "17"], 2, "not a multiple of 4")
check(["--backend", "fpga"], 2, "--backend")
check(["--mode", "dma"], 2, "--mode")
check(["--payload-max", "2000"], 2, "1500")
check(["--payload-min", "600", "--payload-max", "500"], 2, "exceeds maximum")
check(["--buffer-size", "100"], 2, "cannot hold the largest frame")
check(["--buffer-size", "8192"], 2, "exceeds the capacity")
check(["--link-rate", "-1"], 2, "--link-rate")
check(["--corrupt", "1.5"], 2, "--corrupt")
check(["--packets", "10", "--bytes", "100"], 2, "excludes")
check(["--frobnicate"], 2, "frobnicate")
check(["--packets", "20", "--quiet", "--json", "/nonexistent-dir/x.json"], 2, "cannot write /nonexistent-dir/x.json")

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "r.json")
    p = subprocess.run([cosim, "--packets", "300", "--noise", "0.2", "--corrupt", "0.05", "--quiet", "--json", path],
                       capture_output=True, text=True)
    j = json.load(open(path)) if os.path.exists(path) else {}
    b = j.get("bytes", {})
    f = j.get("frames", {})
    if (p.returncode == 0 and p.stdout == "" and j.get("ok") is True and f.get("sent") == 300
            and f.get("delivered") == f.get("intact") and f.get("rejected") == f.get("corrupted")
            and b.get("in") == b.get("delivered", 0) + b.get("discarded", 0) + b.get("dropped", 0) + b.get("buffered", 0)
            and j["latency_s"]["p99"] >= j["latency_s"]["p50"] > 0):
        passed += 1
    else:
        failed += 1
        print(f"FAIL: good run: exit {p.returncode}, stdout {p.stdout!r}, json {json.dumps(j)[:2000]}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
