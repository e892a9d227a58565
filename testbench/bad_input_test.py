#!/usr/bin/env python3
"""Bad input to every command-line tool, as a table: each invocation must be refused before anything
runs, with its exit status (2) and one line on stderr that names what was wrong; nothing on stdout
(a C++ tool's normal output) and no SystemC report text anywhere; no output file left behind.

    bad_input_test.py --cosim PATH --model-demo PATH [--rtl-bench PATH --rtl-loop PATH
                      --rtl-vs-model PATH --rtl-fidelity PATH]

Also the regression scripts (soak, cosim-seeds, ppb-regress). The RTL benches' rows run only when their paths are given (a build with Verilator). Run by CTest as
tools.bad_input_table. Exit status 0 when every row holds, 1 with each failing row printed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "..", "scripts")

ap = argparse.ArgumentParser()
ap.add_argument("--cosim", required=True)
ap.add_argument("--model-demo", required=True)
ap.add_argument("--rtl-bench")
ap.add_argument("--rtl-loop")
ap.add_argument("--rtl-vs-model")
ap.add_argument("--rtl-fidelity")
opts = ap.parse_args()
for k, v in vars(opts).items():
    if v:
        setattr(opts, k, os.path.abspath(v))

tmp = tempfile.mkdtemp(prefix="ppb-bad-input-")
missing = os.path.join(tmp, "no-such-dir")
out_file = os.path.join(tmp, "out.json")

U64 = "18446744073709551615"
cosim_rows = [
    # 64-bit counts: never wrapped, never zero for "the default"
    (["--packets", "-5"], "--packets"),
    (["--packets", "0"], "--packets"),
    (["--packets", "18446744073709551616"], "--packets"),
    (["--packets", "1e3"], "--packets"),
    (["--packets", "12abc"], "--packets"),
    (["--packets"], "--packets"),
    (["--bytes", "0"], "--bytes"),
    (["--bytes", "-1"], "--bytes"),
    (["--seed", "-1"], "--seed"),
    (["--seed", "1.5"], "--seed"),
    (["--seed", U64 + "0"], "--seed"),
    (["--reset-after", "-3"], "--reset-after"),
    (["--reset-after", "0"], "--reset-after"),
    (["--reset-after", "50", "--packets", "10"], "--reset-after 50 exceeds --packets 10"),
    (["--packets", "10", "--bytes", "100"], "excludes"),
    # sizes
    (["--buffer-size", "0"], "--buffer-size"),
    (["--buffer-size", "100"], "cannot hold the largest frame"),
    (["--buffer-size", "8192"], "exceeds --capacity"),
    (["--capacity", "17"], "--capacity"),
    (["--capacity", "8"], "--capacity"),
    (["--capacity", "2097152"], "--capacity"),
    (["--capacity", "-4096"], "--capacity"),
    (["--payload-max", "2000"], "--payload-max"),
    (["--payload-min", "600", "--payload-max", "500"], "--payload-min 600 exceeds --payload-max 500"),
    (["--chunk", "0"], "--chunk"),
    (["--burst", "-1"], "--burst"),
    (["--noise", "0.5", "--noise-max", "0"], "--noise-max"),
    # reals: no NaN, no infinity, no 300-digit numbers
    (["--link-rate", "-1"], "--link-rate"),
    (["--link-rate", "nan"], "--link-rate"),
    (["--link-rate", "inf"], "--link-rate"),
    (["--link-rate", "1e400"], "--link-rate"),
    (["--link-rate", "0.0000001"], "0.001"),
    (["--corrupt", "1.5"], "--corrupt"),
    (["--noise", "-0.1"], "--noise"),
    (["--clock", "0"], "--clock"),
    (["--clock", "0.0000001"], "--clock"),
    (["--poll-interval", "0"], "--poll-interval"),
    (["--quantum", "-1"], "--quantum"),
    (["--cost-per-packet", "-1"], "--cost-per-packet"),
    (["--cost-per-byte", "x"], "--cost-per-byte"),
    # choices
    (["--backend", "fpga"], "--backend"),
    (["--mode", "dma"], "--mode"),
    (["--frame-check", "crc8"], "--frame-check"),
    (["--payload-dist", "zipf"], "--payload-dist"),
    (["--wait", "sometimes"], "--wait"),
    (["--frobnicate"], "frobnicate"),
    # outputs: opened (or found unwritable) before the run
    (["--json", os.path.join(missing, "x.json")], "--json"),
    (["--json", ""], "--json"),
    (["--json", tmp], "--json"),
    (["--trace", os.path.join(missing, "t")], "--trace"),
    (["--json", os.path.join(tmp, "x.vcd"), "--trace", os.path.join(tmp, "x")], "the same file"),
    (["--trace-rtl", os.path.join(tmp, "w.fst")], "--trace-rtl needs --backend rtl"),
    (["--backend", "rtl", "--trace-rtl", os.path.join(tmp, "w.vcd")], ".fst"),
]

demo_rows = [
    (["--capacity", "17"], "--capacity"),
    (["--capacity", "0"], "--capacity"),
    (["--record", "0"], "--record"),
    (["--records", "0"], "--records"),
    (["--records", "-1"], "--records"),
    (["--threshold", "0"], "--threshold"),
    (["--threshold", "9999", "--capacity", "1024"], "--threshold 9999 exceeds --capacity 1024"),
    (["--record", "2048", "--capacity", "1024"], "--record 2048 exceeds --capacity 1024"),
    (["--vcd", os.path.join(missing, "x")], "--vcd"),
    (["--vcd", ""], "--vcd"),
    (["--bogus"], "bogus"),
]

sweep = [sys.executable, os.path.join(SCRIPTS, "ppb-sweep")]
bench = [sys.executable, os.path.join(SCRIPTS, "ppb-bench"), "--exe", opts.cosim]
cosim_opt = ["--cosim", opts.cosim]
soak = [sys.executable, os.path.join(SCRIPTS, "soak"), "--no-record", *cosim_opt]
seeds = [sys.executable, os.path.join(SCRIPTS, "cosim-seeds"), opts.cosim]
regress = [sys.executable, os.path.join(SCRIPTS, "ppb-regress")]
script_rows = [
    (sweep + ["run", "-o", os.path.join(missing, "s.csv"), "--set", "capacity=1024", *cosim_opt], "does not exist"),
    (sweep + ["run", "-o", tmp, "--set", "capacity=1024", *cosim_opt], "is a directory"),
    (sweep + ["run", "--workers", "0", "-o", os.path.join(tmp, "s.csv"), *cosim_opt], "--workers"),
    (sweep + ["run", "--timeout", "-1", "-o", os.path.join(tmp, "s.csv"), *cosim_opt], "--timeout"),
    (sweep + ["run", "-o", os.path.join(tmp, "s.csv"), "--set", "capacity=17", *cosim_opt], "capacity"),
    (sweep + ["run", "-o", os.path.join(tmp, "s.csv"), "--set", "frobnicate=1", *cosim_opt], "frobnicate"),
    (sweep + ["merge", os.path.join(tmp, "nothing.csv"), "-o", os.path.join(tmp, "m.csv")], "no such file"),
    (sweep + ["merge", os.path.join(tmp, "nothing.csv")], "--out"),
    (sweep + ["merge", out_file, "-o", os.path.join(missing, "m.csv")], "does not exist"),
    (sweep + ["plot", os.path.join(tmp, "nothing.csv")], "not found"),
    (sweep + ["size", "--seeds", "0", *cosim_opt], "--seeds"),
    (sweep + ["frobnicate"], "frobnicate"),
    (bench + ["compare", "--reps", "0"], "--reps"),
    (bench + ["compare", "--packets", "-5"], "--packets"),
    (bench + ["compare", "--backends", "native,fpga"], "--backends"),
    (bench + ["compare", "--json", os.path.join(missing, "b.json")], "--json"),
    (bench + ["scaling", "--bytes", "0"], "--bytes"),
    (bench + ["--seed", "-1", "compare"], "--seed"),
    ([sys.executable, os.path.join(SCRIPTS, "ppb-bench"), "--exe", os.path.join(missing, "ppb-cosim"), "compare"],
     "not found"),
    # the regression runners: reports that cannot be written are found before the first run
    (soak + ["--time", "-5"], "--time"),
    (soak + ["--time", "5", "--junit", "/proc/ppb-soak.xml"], "--junit"),
    (soak + ["--time", "5", "--json", tmp], "is a directory"),
    (seeds + ["-3", "tlm"], "SEEDS"),
    (seeds + ["2", "fpga"], "BACKEND"),
    (seeds + ["1", "tlm", "--json", "/proc/ppb-seeds.json"], "--json"),
    (regress + ["merge", tmp], "manifest"),
]

rtl_rows = []
if opts.rtl_bench:
    rtl_rows += [
        ([opts.rtl_bench, "--capacity", "17"], "--capacity"),
        ([opts.rtl_bench, "--frames", "0"], "--frames"),
        ([opts.rtl_bench, "--idle-gap", "-1"], "--idle-gap"),
        ([opts.rtl_bench, "--phases", "idle,warp"], "--phases"),
        ([opts.rtl_bench, "--skip", "sometimes"], "--skip"),
        ([opts.rtl_bench, "--capacity", "64"], "cannot hold"),
    ]
if opts.rtl_loop:
    rtl_rows += [
        ([opts.rtl_loop, "--frame", "0"], "--frame"),
        ([opts.rtl_loop, "--frame", "5000", "--capacity", "1024"], "--frame 5000 exceeds --capacity 1024"),
        ([opts.rtl_loop, "--repeat", "0"], "--repeat"),
        ([opts.rtl_loop, "--capacity", "2044"], "reconfigure"),
    ]
if opts.rtl_vs_model:
    rtl_rows += [
        ([opts.rtl_vs_model, "--frames", "0"], "--frames"),
        ([opts.rtl_vs_model, "--sync", "never"], "--sync"),
        ([opts.rtl_vs_model, "--tolerance", "2"], "--tolerance"),
        ([opts.rtl_vs_model, "--frame", "5000", "--capacity", "1024"], "--frame"),
    ]
if opts.rtl_fidelity:
    rtl_rows += [
        ([opts.rtl_fidelity, "--capacity", "17"], "--capacity"),
        ([opts.rtl_fidelity, "--seed", "-1"], "--seed"),
    ]

# The Verilated build is chosen in the environment (PPB_RTL_BUILD, rtl/sim/rtl_build.hpp).
bogus_build = {"PPB_RTL_BUILD": "bogus"}
fast_xrand = {"PPB_RTL_BUILD": "fast", "PPB_RTL_PLUSARGS": "+verilator+rand+reset+2"}
env_rows = []  # (command, needle, env)
if opts.rtl_bench:
    env_rows += [([opts.cosim, "--backend", "rtl"], "PPB_RTL_BUILD=bogus", bogus_build),
                 ([opts.cosim, "--backend", "rtl"], "needs the checked RTL build", fast_xrand)]
    env_rows += [([exe], "PPB_RTL_BUILD=bogus", bogus_build)
                 for exe in (opts.rtl_bench, opts.rtl_vs_model, opts.rtl_fidelity, opts.rtl_loop) if exe]
    env_rows += [([exe], "needs the checked RTL build", fast_xrand)
                 for exe in (opts.rtl_bench, opts.rtl_vs_model, opts.rtl_fidelity) if exe]

table = ([([opts.cosim, *a], n, "ppb-cosim", {}) for a, n in cosim_rows] +
         [([opts.model_demo, *a], n, "ppb-model-demo", {}) for a, n in demo_rows] +
         [(cmd, n, None, {}) for cmd, n in script_rows] +
         [(cmd, n, os.path.basename(cmd[0]), {}) for cmd, n in rtl_rows] +
         [(cmd, n, os.path.basename(cmd[0]), env) for cmd, n, env in env_rows])

passed = failed = 0
for cmd, needle, prefix, env in table:
    before = set(os.listdir(tmp))
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=tmp, env={**os.environ, **env})
    except subprocess.TimeoutExpired:
        print(f"FAIL: {' '.join(cmd)}: still running after 60 s (it should have been refused at once)")
        failed += 1
        continue
    err_lines = [line for line in p.stderr.splitlines() if line.strip()]
    problems = []
    if p.returncode != 2:
        problems.append(f"exit status {p.returncode}, want 2")
    if needle not in p.stderr:
        problems.append(f"{needle!r} not on stderr")
    if "Traceback" in p.stderr:
        problems.append("a Python traceback")
    if "SystemC" in p.stdout + p.stderr or "sc_main" in p.stdout + p.stderr:
        problems.append("SystemC report text")
    if prefix is not None:  # the C++ tools: exactly one line, the tool's name first, stdout untouched
        if len(err_lines) != 1:
            problems.append(f"{len(err_lines)} lines on stderr, want 1")
        elif not err_lines[0].startswith(prefix + ": "):
            problems.append(f"stderr does not start with '{prefix}: '")
        if p.stdout:
            problems.append("output on stdout")
    left = set(os.listdir(tmp)) - before
    if left:
        problems.append(f"left files behind: {sorted(left)}")
    if problems:
        failed += 1
        print(f"FAIL: {' '.join(f'{k}={v}' for k, v in env.items())} {' '.join(cmd)}: {'; '.join(problems)}\n  stdout: {p.stdout[:500]!r}\n  stderr: {p.stderr[:800]!r}")
    else:
        passed += 1

print(f"bad_input_test: {passed} of {passed + failed} bad invocations refused as they should be "
      f"({len(cosim_rows)} ppb-cosim, {len(demo_rows)} ppb-model-demo, {len(script_rows)} scripts, "
      f"{len(rtl_rows)} RTL benches, {len(env_rows)} RTL build environments)")
sys.exit(1 if failed or passed < 60 else 0)
