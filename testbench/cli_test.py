#!/usr/bin/env python3
"""ppb-cosim's command line: bad input gets a message and exit status 2; a good run writes JSON
whose figures balance, framing false accepts included; scripts/ppbkit reads that JSON and applies the
CAPACITY rule as ppb-cosim does. Run by CTest with the ppb-cosim path as argv[1]."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))

from ppbkit import cosim as ppbkit  # noqa: E402

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
check(["--payload-min", "600", "--payload-max", "500"], 2, "exceeds --payload-max")
check(["--buffer-size", "100"], 2, "cannot hold the largest frame")
check(["--buffer-size", "8192"], 2, "exceeds --capacity")
check(["--link-rate", "-1"], 2, "--link-rate")
check(["--corrupt", "1.5"], 2, "--corrupt")
check(["--packets", "10", "--bytes", "100"], 2, "excludes")
check(["--frobnicate"], 2, "frobnicate")
check(["--frame-check", "crc8"], 2, "--frame-check")
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
            and b.get("false_accepted") == 0 and f.get("false_accepted") == 0 and j.get("notes") == []
            and j.get("framing", {}).get("crc") == "crc16" and j["framing"].get("false_accepts") == 0
            and j["latency_s"]["p99"] >= j["latency_s"]["p50"] > 0):
        passed += 1
    else:
        failed += 1
        print(f"FAIL: good run: exit {p.returncode}, stdout {p.stdout!r}, json {json.dumps(j)[:2000]}")



def verdict(ok, what, detail):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}: {detail}")


# A framing false accept (testbench/regressions.txt, 2026-11-30): the run passes, and the JSON counts
# it in frames, bytes, framing and notes alike; every byte is still accounted for.
r = ppbkit.run(cosim, ["--packets", "656", "--capacity", "1024", "--payload-min", "15", "--payload-max", "256",
                       "--link-rate", "100", "--quantum", "0", "--cost-per-packet", "10000", "--drop-when-full",
                       "--seed", "656977875"], backend="tlm", timeout=100)
j = r.data or {}
b, f, fr = j.get("bytes", {}), j.get("frames", {}), j.get("framing", {})
verdict(r.ok and r.kind == "" and fr.get("false_accepts", 0) >= 1
        and f.get("false_accepted") == fr.get("false_accepts") == len(r.notes)
        and all(n.startswith("false accept (crc16 matched by chance)") for n in r.notes)
        and b.get("false_accepted", 0) > 0
        and b.get("in") == sum(b.get(k, 0) for k in ("delivered", "discarded", "dropped", "buffered", "false_accepted"))
        and r.delivered == (f.get("delivered"), f.get("delivered_digest")),
        "a false accept is counted and balanced", f"exit {r.code}, json {json.dumps(j)[:2000]}")

# CRC-32 framing is reported as such; ppbkit reads the run as passed.
r = ppbkit.run(cosim, ["--packets", "200", "--noise", "0.3", "--frame-check", "crc32"], timeout=100)
verdict(r.ok and r.framing and r.framing["crc"] == "crc32" and r.framing["expected_false_accepts"] >= 0,
        "--frame-check crc32", f"exit {r.code}: {r.why}")

# ppbkit's CAPACITY rule (the sweep's pre-check) accepts exactly what ppb-cosim accepts.
for cap in (0, 12, 16, 17, 1022, 1024, 4096, 1 << 20, (1 << 20) + 4):
    r = ppbkit.run(cosim, ["--capacity", str(cap), "--payload-min", "0", "--payload-max", "4", "--packets", "1"],
                   timeout=100)
    why = ppbkit.capacity_error(cap)
    verdict(r.ok if not why else (r.refused and "CAPACITY" in r.first_error.upper()),
            f"CAPACITY {cap}: ppbkit says {why or 'valid'!r}", f"ppb-cosim exit {r.code}: {r.first_error}")

# SIGINT and SIGTERM end a long run at its next safe point: the partial summary on stdout, the JSON
# marked interrupted (every byte sent still balanced), exit status 128 + the signal.
import signal  # noqa: E402
import time  # noqa: E402

for sig, rc in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "r.json")
        p = subprocess.Popen([cosim, "--packets", "100000000", "--json", path], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        p.send_signal(sig)
        try:
            stdout, stderr = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            stdout, stderr = p.communicate()
        j = json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) else {}
        b = j.get("bytes", {})
        verdict(p.returncode == rc and "INTERRUPTED by " + sig.name in stdout and j.get("interrupted") is True
                and j.get("signal") == sig.name and j.get("ok") is False and j.get("errors") == []
                and 0 < j.get("frames", {}).get("sent", 0) < 100000000
                and b.get("in") == sum(b.get(k, 0) for k in ("delivered", "discarded", "dropped", "buffered",
                                                                "false_accepted")),
                f"{sig.name} ends the run with its summary and JSON",
                f"exit {p.returncode} (want {rc}), stdout {stdout[-600:]!r}, stderr {stderr[-300:]!r}, "
                f"json {json.dumps(j)[:1500]}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
