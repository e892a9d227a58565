#!/usr/bin/env python3
"""Tests of scripts/ppb-sweep against a real ppb-cosim (CTest: sweep.small_grid_makes_physical_sense).

    ppb_sweep_test.py PATH/TO/ppb-cosim

A small sweep runs into a temporary directory; its CSV is checked for columns, point count and physical
sense (all else equal, drops do not grow when the buffer grows; latency does not fall when the consumer
slows); a second run of the same grid runs nothing; a partial CSV resumes; an interrupted sweep leaves
a valid CSV; two partial CSVs merge into the whole; jobs + merge give the same rows as run; bad input
exits 2 with a message; a failing, a timed-out and a crashed point are recorded and make the sweep exit 1;
every subcommand has its help. Prints `N passed, M failed`.
"""
import csv
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SWEEP = os.path.join(HERE, "ppb-sweep")
PASSED, FAILED, SKIPPED = [], [], []

# The small grid: buffer x consumer speed x full policy, at a link that the slow consumer cannot follow.
GRID = ["--set", "buffer=1024,2048,4096", "--set", "cost-per-byte=4,16", "--set", "drop-when-full=0,1",
        "--set", "burst=0,8192", "--link-rate", "60", "--packets", "500"]
N = 24
WALL = {"time_wall_s", "throughput_wall_MBps", "throughput_wall_frames_per_s", "throughput_sim_to_wall"}


def check(name, cond, detail=""):
    (PASSED if cond else FAILED).append(name)
    print(f"{'ok  ' if cond else 'FAIL'} {name}" + (f": {detail}" if detail and not cond else ""), flush=True)
    return cond


def sweep(*args, cwd=None, timeout=300):
    p = subprocess.run([sys.executable, SWEEP, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def by_point(rows):
    return {r["point"]: r for r in rows}


def same_results(a, b):
    """Differences between two sets of rows, wall-clock columns aside."""
    a, b = by_point(a), by_point(b)
    if sorted(a) != sorted(b):
        return f"points differ: {sorted(set(a) ^ set(b))}"
    for k in a:
        for c in set(a[k]) | set(b[k]):
            if c not in WALL and a[k].get(c) != b[k].get(c):
                return f"point {k} column {c}: {a[k].get(c)!r} != {b[k].get(c)!r}"
    return ""


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ppb_sweep_test.py PATH/TO/ppb-cosim")
    cosim = os.path.abspath(sys.argv[1])
    t0 = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="ppb-sweep-test-")
    try:
        run_tests(cosim, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"wall time {time.monotonic() - t0:.1f} s")
    line = f"{len(PASSED)} passed, {len(FAILED)} failed"
    if SKIPPED:
        line += f", {len(SKIPPED)} skipped"
    print(line)
    return 1 if FAILED else 0


def run_tests(cosim, tmp):
    C = ["--cosim", cosim]
    whole = os.path.join(tmp, "whole.csv")

    # ---- a small sweep ---------------------------------------------------------------------------
    rc, out, err = sweep("run", *C, "-o", whole, "-j", "2", *GRID)
    check("run exits 0", rc == 0, err[-500:])
    rows = rows_of(whole) if os.path.exists(whole) else []
    check(f"{N} points, one row each", len(rows) == N and len(by_point(rows)) == N, f"{len(rows)} rows")
    need = ["point", "status", "exit_status", "error", "buffer", "cost_per_byte", "drop_when_full", "link_rate",
            "burst", "packets", "args", "frames_delivered", "frames_sent", "bytes_in", "bytes_dropped",
            "latency_p50", "latency_p90", "latency_p99", "throughput_simulated_MBps", "time_simulated_s",
            "device_peak_fill", "bus_reg_accesses_per_frame", "client_consumes", "config_capacity", "drop_rate",
            "offered_MBps", "analytic_capacity_MBps", "analytic_consumer_ns"]
    header = list(rows[0]) if rows else []
    missing = [c for c in need if c not in header]
    check("CSV has the parameter, status and statistic columns", not missing, f"missing {missing}")
    check("CSV layout: status columns, parameters, args, statistics",
          header[:4] == ["point", "status", "exit_status", "error"] and header.index("buffer") < header.index("args")
          < header.index("frames_delivered") if not missing else False, str(header[:12]))
    check("every point ok", rows and all(r["status"] == "ok" and r["exit_status"] == "0" for r in rows),
          str([(r["args"], r["status"], r["error"]) for r in rows if r["status"] != "ok"][:3]))
    check("each point's parameters reached ppb-cosim",
          rows and all(int(r["config_capacity"]) == int(r["buffer"]) and int(r["config_buffer_size"]) == int(r["buffer"])
                       and abs(float(r["config_cost_per_byte"]) * 1e9 - float(r["cost_per_byte"])) < 1e-6
                       and int(r["config_drop_when_full"]) == int(r["drop_when_full"]) for r in rows))

    def series(filter_, x):
        out = {}
        for r in rows:
            if filter_(r):
                key = tuple((c, r[c]) for c in ("buffer", "cost_per_byte", "drop_when_full", "burst") if c != x)
                out.setdefault(key, []).append(r)
        return {k: sorted(v, key=lambda r: float(r[x])) for k, v in out.items()}

    drop = series(lambda r: r["drop_when_full"] == "1", "buffer")
    viol = [(k, [r["drop_rate"] for r in v]) for k, v in drop.items()
            if any(float(b["bytes_dropped"]) > float(a["bytes_dropped"]) for a, b in zip(v, v[1:]))]
    check("drops do not grow when the buffer grows", drop and not viol, str(viol))
    check("the grid is not vacuous: the slow consumer drops at the smallest buffer, and none at the largest",
          any(float(v[0]["bytes_dropped"]) > 0 for v in drop.values())
          and all(float(v[-1]["bytes_dropped"]) == 0 for v in drop.values()),
          str({k: [r["bytes_dropped"] for r in v] for k, v in drop.items()}))
    check("back-pressure drops nothing and delivers every frame",
          all(float(r["bytes_dropped"]) == 0 and r["frames_delivered"] == r["frames_sent"]
              for r in rows if r["drop_when_full"] == "0"))
    # Latency from a frame's first byte on the link: with bursts, a slower consumer stalls the port and
    # shortens the idle gap a frame may straddle, so compare the evenly paced, lossless points.
    lat = series(lambda r: r["drop_when_full"] == "0" and r["burst"] == "0", "cost_per_byte")
    viol = [(k, q) for k, v in lat.items() for q in ("latency_p50", "latency_p90", "latency_p99", "latency_mean")
            if any(float(b[q]) < float(a[q]) for a, b in zip(v, v[1:]))]
    check("latency does not fall when the consumer slows", lat and not viol, str(viol))
    thr = series(lambda r: True, "cost_per_byte")
    check("throughput does not rise when the consumer slows",
          all(float(v[-1]["throughput_simulated_MBps"]) <= float(v[0]["throughput_simulated_MBps"]) * 1.001
              for v in thr.values()))
    slow = [r for r in rows if r["cost_per_byte"] == "16"]
    check("the analytic boundary: a 16 ns/B consumer is predicted slower than the 60 MB/s link, a 4 ns/B one faster",
          all(float(r["analytic_capacity_MBps"]) < 60 for r in slow)
          and all(float(r["analytic_capacity_MBps"]) > 60 for r in rows if r["cost_per_byte"] == "4"))
    check("the simulated slow consumer cannot keep the link's rate without loss (drops or a held link)",
          all(float(r["drop_rate"]) > 0 or float(r["offered_MBps"]) < 0.95 * 60 for r in slow))

    # ---- resume ----------------------------------------------------------------------------------
    before = open(whole).read()
    rc, out, err = sweep("run", *C, "-o", whole, *GRID)
    check("a second run of the same grid runs 0 points", rc == 0 and "running 0 on" in err, err[-300:])
    check("... and leaves the CSV as it was", open(whole).read() == before)

    part = os.path.join(tmp, "part.csv")
    half = list(GRID)
    half[1] = "buffer=1024"
    rc, _, err = sweep("run", *C, "-o", part, *half)
    check("a partial grid runs its 8 points", rc == 0 and "running 8 on" in err and len(rows_of(part)) == 8, err[-300:])
    a_rows = rows_of(part)
    with open(part, "a") as f:  # a torn last line, as if the machine died mid-write
        f.write(a_rows[0]["point"] + ",ok,0,,10")
    rc, _, err = sweep("run", *C, "-o", part, *GRID)
    check("resuming from the partial CSV runs only the 16 missing points", rc == 0 and "8 already in" in err
          and "running 16 on" in err, err[-300:])
    diff = same_results(rows_of(part), rows)
    check("... and gives the same results as the whole sweep", not diff, diff)

    # ---- interrupt -------------------------------------------------------------------------------
    intr = os.path.join(tmp, "intr.csv")
    big = ["--set", "seed=1:40:1", "--packets", "2000", "--cost-per-byte", "4"]
    p = subprocess.Popen([sys.executable, SWEEP, "run", *C, "-o", intr, "-j", "2", *big],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not os.path.exists(intr) or len(open(intr).readlines()) < 4):
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    got = rows_of(intr) if os.path.exists(intr) else []
    check("an interrupted sweep exits 130 and says how to resume", p.returncode == 130 and "resume" in err,
          f"exit {p.returncode}: {err[-300:]}")
    check("... leaving a valid CSV of finished points", 3 <= len(got) < 40 and all(r["status"] == "ok" for r in got)
          and all(len(r) == len(got[0]) for r in got), f"{len(got)} rows")
    rc, _, err = sweep("run", *C, "-o", intr, "-j", "2", *big)
    check("... which the same command completes", rc == 0 and f"{len(got)} already in" in err
          and len(rows_of(intr)) == 40, err[-300:])

    # ---- merge -----------------------------------------------------------------------------------
    a, b, m = (os.path.join(tmp, n) for n in ("a.csv", "b.csv", "merged.csv"))
    with open(a, "w", newline="") as f:  # two partial CSVs that overlap in one point
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows[:7])
    with open(b, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows[6:])
    rc, out, err = sweep("merge", "-o", m, a, b)
    check("merge of two partial CSVs exits 0 and reports the duplicate", rc == 0 and "1 duplicates dropped" in out,
          out + err)
    diff = same_results(rows_of(m), rows) if rc == 0 else "no output"
    check("merge of two partial CSVs equals the whole", not diff and list(rows_of(m)[0]) == header, diff)

    res = os.path.join(tmp, "results")
    small = ["--set", "buffer=1024,2048", "--cost-per-byte", "16", "--link-rate", "60", "--burst", "8192",
             "--drop-when-full", "--packets", "500"]
    rc, out, err = sweep("jobs", *C, "--results", res, *small)
    jobs = open(os.path.join(res, "jobs.txt")).read().splitlines() if rc == 0 else []
    check("jobs writes one ppb-cosim command line per point, a SLURM array script and a manifest",
          rc == 0 and len(jobs) == 2 and all(cosim in j and "--json" in j for j in jobs)
          and "#SBATCH --array=1-2" in open(os.path.join(res, "slurm.sh")).read()
          and os.path.exists(os.path.join(res, "manifest.json")), out + err)
    env = dict(os.environ, SLURM_ARRAY_TASK_ID="2")
    subprocess.run(["bash", os.path.join(res, "slurm.sh")], env=env, capture_output=True, timeout=120)
    rc, out, _ = sweep("merge", "-o", m, res)
    got = rows_of(m) if rc == 0 else []
    check("merge of a half-done job list marks the other point missing",
          sorted(r["status"] for r in got) == ["missing", "ok"], str([r["status"] for r in got]))
    subprocess.run(["bash", "-c", jobs[0]], capture_output=True, timeout=120)
    run_csv = os.path.join(tmp, "small.csv")
    sweep("run", *C, "-o", run_csv, *small)
    rc, out, _ = sweep("merge", "-o", m, res)
    diff = same_results(rows_of(m), rows_of(run_csv)) if rc == 0 else "merge failed"
    check("jobs' JSON results merge into the same rows as run", not diff, diff)

    # ---- failures and bad input -------------------------------------------------------------------
    fail = os.path.join(tmp, "fail.csv")
    rc, out, err = sweep("run", *C, "-o", fail, "--set", "reset-after=10,100", "--capacity", "2048",
                         "--packets", "50")
    got = by_point(rows_of(fail)) if os.path.exists(fail) else {}
    bad = [r for r in got.values() if r["status"] != "ok"]
    check("a point ppb-cosim refuses is recorded with its exit status and first error line; the sweep exits 1",
          rc == 1 and "1 point failed" in err and len(got) == 2 and len(bad) == 1 and bad[0]["exit_status"] == "2"
          and "--reset-after 100 exceeds --packets 50" in bad[0]["error"], f"exit {rc}: {err[-300:]} {bad}")
    for name, args, words in [
            ("unknown parameter", ["run", *C, "--set", "bogus=1"], "unknown parameter"),
            ("bad value", ["run", *C, "--set", "link-rate=fast"], "not a number"),
            ("out of range", ["run", *C, "--set", "link-rate=-5"], "out of range"),
            ("bad enum", ["run", *C, "--set", "mode=sideways"], "not one of"),
            ("bad range", ["run", *C, "--set", "capacity=10:1:x0"], "bad range"),
            ("inconsistent point", ["run", *C, "--set", "capacity=1022"], "multiple of 4"),
            ("reserved option", ["run", *C, "--json", "x.json"], "cannot be set"),
            ("unknown passthrough", ["run", *C, "--frobnicate", "3"], "unknown parameter"),
            ("missing ppb-cosim", ["run", "--cosim", os.path.join(tmp, "nope"), "--set", "capacity=1024"],
             "ppb-cosim not found"),
            ("missing grid file", ["run", *C, "--grid", os.path.join(tmp, "nope.toml")], "not found"),
            ("size: no target sizes", ["size", *C, "--max-size", "100"], "cannot hold"),
            ("merge: no such input", ["merge", "-o", m, os.path.join(tmp, "nope.csv")], "no such file"),
            ("merge: not a sweep CSV", ["merge", "-o", m, os.path.abspath(__file__)], "not a CSV"),
            ("run: output directory missing", ["run", *C, "-o", os.path.join(tmp, "nope", "x.csv")], "does not exist")]:
        rc, out, err = sweep(*args, cwd=tmp)
        check(f"bad input exits 2 with a message: {name}", rc == 2 and words in err, f"exit {rc}: {err.strip()[-300:]}")
    check("bad input ran nothing", not os.path.exists(os.path.join(tmp, "sweep.csv")))

    # ---- grid file -------------------------------------------------------------------------------
    gf = os.path.join(tmp, "grid.toml")
    with open(gf, "w") as f:
        f.write('[set]\nbuffer = [1024, 2048]\ncost-per-byte = "4:16:x4"\n[fixed]\npackets = 100\n'
                'drop-when-full = true\n')
    rc, out, err = sweep("run", *C, "--grid", gf, "--dry-run")
    check("a TOML grid file expands to its points", rc == 0 and len(out.strip().splitlines()) == 4
          and "--drop-when-full" in out and "--packets 100" in out, out + err)

    # ---- crosscheck (the same backend twice: the table's machinery) -------------------------------
    rc, out, err = sweep("crosscheck", *C, "--backends", "tlm,tlm", "--set", "link-rate=20,50", "--packets", "200")
    check("crosscheck prints a table of both backends and agrees with itself",
          rc == 0 and "2 of 2 points agree" in out and "delivered tlm" in out, out + err)

    # A ppb-cosim built without the RTL refuses --backend rtl with exit status 2: stand one in.
    nortl = os.path.join(tmp, "ppb-cosim-no-rtl")
    with open(nortl, "w") as f:
        f.write("#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = rtl ] && { echo 'configuration: the rtl backend was not "
                "built (Verilator was not found at configure time)' >&2; exit 2; }; done\n"
                f"exec {cosim} \"$@\"\n")
    os.chmod(nortl, 0o755)
    rc, out, err = sweep("crosscheck", "--cosim", nortl, "--set", "link-rate=20", "--packets", "100")
    check("crosscheck without an RTL backend says so and exits 3", rc == 3 and "rtl backend is not available" in err
          and "Verilator" in err and "delivered" not in out, f"exit {rc}: {out}{err}")
    rc, out, err = sweep("run", "--cosim", nortl, "-o", os.path.join(tmp, "rtl.csv"), "--set", "backend=tlm,rtl")
    check("a sweep over an absent RTL backend is bad input", rc == 2 and "backend rtl is not available" in err
          and not os.path.exists(os.path.join(tmp, "rtl.csv")), f"exit {rc}: {err}")

    # ---- points that end badly: a timeout, a crash ---------------------------------------------------
    crashy = os.path.join(tmp, "ppb-cosim-crashy")
    with open(crashy, "w") as f:  # crashes (SIGSEGV) at seed 13, else the real one
        f.write("#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = 13 ] && kill -SEGV $$; done\n"
                f"exec {cosim} \"$@\"\n")
    os.chmod(crashy, 0o755)
    bad_csv = os.path.join(tmp, "bad.csv")
    t0 = time.monotonic()
    rc, out, err = sweep("run", "--cosim", crashy, "-o", bad_csv, "--set", "seed=12,13", "--set", "packets=100,50000000",
                         "--timeout", "1", "-j", "2")
    got = {(r["seed"], r["packets"]): r for r in rows_of(bad_csv)} if os.path.exists(bad_csv) else {}
    st = {k: (r["status"], r["exit_status"]) for k, r in got.items()}
    check("a point that outlives --timeout is killed and recorded as timeout, a crash as signal; the sweep exits 1",
          rc == 1 and "3 points failed" in err and time.monotonic() - t0 < 60
          and st == {("12", "100"): ("ok", "0"), ("12", "50000000"): ("timeout", "-9"),
                     ("13", "100"): ("signal", "-11"), ("13", "50000000"): ("signal", "-11")},
          f"exit {rc}: {st} {err[-300:]}")

    # ---- the command line: one parser built from the subcommand modules ------------------------------
    rc, out, err = sweep("--help")
    check("--help lists every subcommand", rc == 0 and all(c in out for c in
                                                            ("run", "plot", "size", "jobs", "merge", "crosscheck")), out)
    for c in ("run", "plot", "size", "jobs", "merge", "crosscheck"):
        rc, out, err = sweep(c, "--help")
        check(f"{c} --help exits 0 and names ppb-cosim's options", rc == 0 and f"usage: ppb-sweep {c}" in out
              and "Other --options are ppb-cosim's" in out, f"exit {rc}: {err[-300:]}")
    rc, out, err = sweep()
    check("no subcommand prints the help and exits 2", rc == 2 and "COMMAND" in out, f"exit {rc}")

    # ---- plots and size (matplotlib) -------------------------------------------------------------
    have_mpl = importlib.util.find_spec("matplotlib") is not None or (
        os.path.exists("/usr/bin/python3")
        and subprocess.run(["/usr/bin/python3", "-c", "import matplotlib"], capture_output=True).returncode == 0)
    if not have_mpl:
        SKIPPED.append("plots")
        print("skip plots and size: matplotlib is not installed (apt-get install python3-matplotlib)")
        return
    prefix = os.path.join(tmp, "img", "x")
    rc, out, err = sweep("plot", whole, "--prefix", prefix)
    pngs = [f"{prefix}-{n}.png" for n in ("drops", "throughput")]
    check("plot writes PNGs for the axes the CSV has",
          rc == 0 and all(os.path.exists(f) and open(f, "rb").read(8) == b"\x89PNG\r\n\x1a\n" for f in pngs), out + err)
    rc, out, err = sweep("size", *C, "--link-rate", "60", "--burst", "8192", "--cost-per-byte", "4", "--packets", "500",
                         "--max-size", "8192", "--resolution", "256", "--plot", os.path.join(tmp, "size.png"),
                         "--csv", os.path.join(tmp, "size.csv"))
    ans = [line for line in out.splitlines() if line.startswith("smallest CAPACITY")]
    ok = rc == 0 and ans and os.path.exists(os.path.join(tmp, "size.png"))
    if ok:
        size = int(ans[0].split(":")[1].split()[0])
        srows = [r for r in rows_of(os.path.join(tmp, "size.csv")) if r["status"] == "ok"]
        lossless = {int(r["buffer"]) for r in srows if float(r["bytes_dropped"]) == 0}
        lossy = {int(r["buffer"]) for r in srows if float(r["bytes_dropped"]) > 0}
        ok = size in lossless and lossy and max(lossy) < size and size - max(lossy) <= 256
    check("size prints the smallest lossless buffer, with a lossy one within the resolution below it", ok, out + err)


if __name__ == "__main__":
    sys.exit(main())
