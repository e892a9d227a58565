#!/usr/bin/env python3
"""ppb-cosim --backend rtl --trace-rtl FILE.fst: one FST with every RTL signal (the ppb_top scope) and
the transaction-level signals of --trace (the SystemC scope) on one time axis; every signal that
testbench/ppb-cosim-rtl.gtkw names is in it; the parts it was merged from are gone; scripts/view-trace
opens it with that save file; and the rerun command ppbkit prints for a failing rtl seed writes it.

    trace_rtl_test.py PPB-COSIM

Needs fst2vcd (Debian's gtkwave). Exit status 0 when all hold, 1 with each failure printed.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))

from ppbkit import waves  # noqa: E402

cosim = sys.argv[1]
failed = 0


def fail(what):
    global failed
    failed += 1
    print(f"FAIL: {what}")


def header_of(fst):
    """The VCD declarations of an FST: {scope path + '.' + name} of every variable, and the scopes."""
    p = subprocess.run(["fst2vcd", fst], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"fst2vcd {fst}: exit {p.returncode}: {p.stderr[:300]}")
        return set(), set(), 0
    names, scopes, stack, changes = set(), set(), [], 0
    body = False
    for line in p.stdout.splitlines():
        if body:
            if line and line[0] in "01xzbBrR":
                changes += 1
            continue
        t = line.split()
        if t[:1] == ["$scope"]:
            stack.append(t[2])
            scopes.add(".".join(stack))
        elif t[:1] == ["$upscope"]:
            stack.pop()
        elif t[:1] == ["$var"]:
            names.add(".".join(stack + [t[4]]))
        elif t[:1] == ["$enddefinitions"]:
            body = True
    return names, scopes, changes


with tempfile.TemporaryDirectory() as tmp:
    fst = os.path.join(tmp, "w.fst")
    p = subprocess.run([cosim, "--backend", "rtl", "--packets", "40", "--trace-rtl", fst], capture_output=True,
                       text=True, timeout=300)
    if p.returncode != 0 or "PASS" not in p.stdout:
        fail(f"the traced run: exit {p.returncode}: {p.stdout[-500:]} {p.stderr[-500:]}")
    if not os.path.isfile(fst):
        fail(f"no {fst}")
    left = sorted(n for n in os.listdir(tmp) if n != "w.fst")
    if left:
        fail(f"parts left behind: {left}")
    names, scopes, changes = header_of(fst) if os.path.isfile(fst) else (set(), set(), 0)
    if "SystemC" not in scopes or not any(s.startswith("ppb_top") for s in scopes):
        fail(f"scopes: want SystemC and ppb_top, have {sorted(scopes)[:20]}")
    if len([n for n in names if n.startswith("ppb_top")]) < 50:
        fail(f"only {len([n for n in names if n.startswith('ppb_top')])} RTL signals")
    if changes < 1000:
        fail(f"only {changes} value changes")
    # Every signal of the save file (without its bit range) is in the file.
    want = set()
    with open(os.path.join(HERE, "ppb-cosim-rtl.gtkw")) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "[@-*":
                continue
            sig = re.sub(r"^\+\{[^}]*\}\s*", "", line)
            want.add(re.sub(r"\[\d+:\d+\]$", "", sig))
    plain = {re.sub(r"\[\d+:\d+\]$", "", n) for n in names}
    missing = sorted(want - plain)
    if not want or missing:
        fail(f"signals of ppb-cosim-rtl.gtkw not in the FST ({len(missing)} of {len(want)}): {missing[:10]}")
    # --trace beside --trace-rtl: both files, the VCD kept.
    vcd = os.path.join(tmp, "t.vcd")
    fst2 = os.path.join(tmp, "w2.fst")
    p = subprocess.run([cosim, "--backend", "rtl", "--packets", "10", "--trace", vcd, "--trace-rtl", fst2, "-q"],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0 or not os.path.isfile(vcd) or not os.path.isfile(fst2):
        fail(f"--trace with --trace-rtl: exit {p.returncode}, files {sorted(os.listdir(tmp))}: {p.stderr[-300:]}")
    # scripts/view-trace picks the merged save file for it.
    env = dict(os.environ, PPB_VIEW_TRACE_DRY_RUN="1")
    p = subprocess.run([os.path.join(HERE, "..", "scripts", "view-trace"), fst], capture_output=True, text=True,
                       env=env)
    if p.returncode != 0 or "ppb-cosim-rtl.gtkw" not in p.stdout:
        fail(f"view-trace {fst}: exit {p.returncode}: {p.stdout} {p.stderr}")
    # The rerun line a failure report prints, run as printed, writes the waves.
    cmd = waves.rerun_argv(cosim, ["--packets", "10", "--seed", "7", "--json", "x.json"], backend="rtl",
                           name=os.path.join(tmp, "rerun"))
    p = subprocess.run(cmd + ["-q"], capture_output=True, text=True, timeout=300)
    if p.returncode != 0 or not os.path.isfile(os.path.join(tmp, "rerun.fst")) or \
            not os.path.isfile(os.path.join(tmp, "rerun.vcd")):
        fail(f"rerun {' '.join(cmd)}: exit {p.returncode}, files {sorted(os.listdir(tmp))}: {p.stderr[-300:]}")

print(f"trace_rtl_test: {'PASS' if not failed else f'{failed} failure(s)'}")
sys.exit(1 if failed else 0)
