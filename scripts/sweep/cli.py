"""ppb-sweep: architecture exploration over ppb-cosim. See docs/exploration.md."""
import argparse
import concurrent.futures as cf
import json
import os
import shlex
import signal
import sys
import threading
import time

from . import store as st
from .cosim import (BUFFER, Cosim, UsageError, column_of, first_error, point_args, point_id, point_key,
                    result_row, run_point)
from .grid import Grid, parse_set

EPILOG = """\
Parameters are ppb-cosim's long options without the dashes (link-rate, cost-per-byte, capacity,
buffer-size, burst, payload-min, payload-max, mode, drop-when-full, clock, backend, seed, ...), plus
`buffer` = capacity and buffer-size together. Any other ppb-cosim option on the command line is passed
to every point. Exit status: 0 done, 1 some points failed, 2 bad input, 130 interrupted.
"""


def out(msg=""):
    print(msg, flush=True)


def note(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- shared: building a grid and running points ---------------------------------------------

def add_grid_options(ap):
    ap.add_argument("--cosim", help="path of ppb-cosim (default: build/default/testbench/ppb-cosim, or $PPB_COSIM)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=V1,V2,...",
                    help="a parameter axis: values, start:stop:step or start:stop:xFACTOR")
    ap.add_argument("--grid", action="append", default=[], metavar="FILE",
                    help="a grid file (.toml or .json) with tables [set] and [fixed]")


def build_grid(cosim, args, extra):
    g = Grid(cosim)
    for f in args.grid:
        g.add_file(f)
    for s in args.set:
        g.add_axis(*parse_set(s))
    for k, v in cosim.parse_args(extra).items():
        g.add_fixed(k, v)
    return g


class Runner:
    """Runs points on a pool of workers, each point one ppb-cosim process; rows go to a Store."""

    def __init__(self, cosim, workers, timeout, progress=True):
        self.cosim, self.workers, self.timeout, self.progress = cosim, max(1, workers), timeout, progress
        self.procs, self.lock = set(), threading.Lock()

    def run(self, points, sink):
        """Runs `points`, calling sink(row) as each finishes (in the calling thread). Returns the rows."""
        rows = []
        if not points:
            return rows
        t0 = time.monotonic()
        ex = cf.ThreadPoolExecutor(max_workers=self.workers)
        try:
            futs = {ex.submit(run_point, self.cosim.path, p, self.timeout, self.procs, self.lock): p for p in points}
            for i, f in enumerate(cf.as_completed(futs), 1):
                row = f.result()
                sink(row)
                rows.append(row)
                if self.progress:
                    p = futs[f]
                    shown = " ".join(f"{k}={v}" for k, v in p.items())
                    extra = f": {row['error']}" if row["status"] != "ok" else ""
                    note(f"[{i}/{len(points)} {time.monotonic() - t0:6.1f}s] {row['status']:7s} {shown}{extra}")
        except KeyboardInterrupt:
            ex.shutdown(wait=False, cancel_futures=True)
            with self.lock:
                for p in list(self.procs):
                    try:
                        os.killpg(p.pid, signal.SIGTERM)
                    except OSError:
                        pass
            raise
        ex.shutdown(wait=True)
        return rows


def backend_refusal(cosim, backend):
    """ppb-cosim's message when it refuses a backend it was built without (exit status 2), else None."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run([cosim.path, "--backend", backend, "--packets", "1", "--quiet", "--json",
                            os.path.join(tmp, "x.json")], capture_output=True, text=True, timeout=300)
    return (first_error(p.stderr) or "refused") if p.returncode == 2 else None


def check_backends(cosim, points):
    """Bad input when a point asks for a backend this ppb-cosim was built without (rtl without Verilator)."""
    for b in sorted({p.get("backend") for p in points} - {None, "tlm", "native"}):
        why = backend_refusal(cosim, b)
        if why:
            raise UsageError(f"backend {b} is not available in {cosim.path}: {why}")


def workers_default():
    return os.cpu_count() or 1


# ---- run ----------------------------------------------------------------------------------------

def cmd_run(args, extra):
    cosim = Cosim(args.cosim)
    g = build_grid(cosim, args, extra)
    points = g.points()
    check_backends(cosim, points)
    s = st.Store(args.out)
    done = s.done()
    todo = [p for p in points if point_key(p) not in done]
    note(f"ppb-sweep: {len(points)} points, {len(points) - len(todo)} already in {args.out}, "
         f"running {len(todo)} on {args.workers} workers")
    if args.dry_run:
        for p in todo:
            out(shlex.join([cosim.path, *point_args(p)]))
        return 0
    try:
        Runner(cosim, args.workers, args.timeout, not args.no_progress).run(todo, s.add)
    except KeyboardInterrupt:
        s.compact()
        note(f"ppb-sweep: interrupted; {args.out} holds every finished point: run the same command to resume")
        return 130
    s.compact()
    keys = {point_key(p) for p in points}
    failed = [r for r in s.rows if r.get(st.KEY) in keys and r.get("status") != "ok"]
    note(f"ppb-sweep: {len(points) - len(failed)} of {len(points)} points ok in {args.out} ({len(s.rows)} rows)")
    if failed:
        for r in failed[:5]:
            note(f"  {r['status']} (exit status {r.get('exit_status')}): {r.get(st.KEY)}: {r.get('error')}")
        note(f"ppb-sweep: {len(failed)} point{'s' if len(failed) != 1 else ''} failed")
        return 1
    return 0


# ---- jobs ---------------------------------------------------------------------------------------

SLURM = """#!/bin/bash
# ppb-sweep: a SLURM array, one task per {per} line(s) of jobs.txt. Submit with: sbatch {script}
# then merge: ppb-sweep merge --out sweep.csv {results}
#SBATCH --job-name=ppb-sweep
#SBATCH --array=1-{tasks}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time={minutes}
#SBATCH --output={results}/slurm-%A_%a.out
set -u
per={per}
first=$(( (SLURM_ARRAY_TASK_ID - 1) * per + 1 ))
last=$(( first + per - 1 ))
sed -n "${{first}},${{last}}p" {jobs} | while IFS= read -r line; do
  bash -c "$line"
done
"""


def result_paths(results, pid):
    return {k: os.path.join(results, pid + k) for k in (".json", ".err", ".rc")}


def cmd_jobs(args, extra):
    cosim = Cosim(args.cosim)
    g = build_grid(cosim, args, extra)
    points = g.points()
    results = os.path.abspath(args.results)
    os.makedirs(results, exist_ok=True)
    cosim_path = args.remote_cosim or cosim.path
    remote = args.remote_results or results
    manifest_path = os.path.join(results, "manifest.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    lines, skipped = [], 0
    for p in points:
        pid = point_id(p)
        manifest[pid] = {"params": p, "args": point_key(p)}
        done = result_paths(results, pid)[".json"]
        if os.path.exists(done):
            try:
                with open(done) as f:
                    if json.load(f).get("ok"):
                        skipped += 1
                        continue
            except (OSError, ValueError):
                pass
        r = f"{remote}/{pid}"
        lines.append(f"{shlex.join([cosim_path, *point_args(p)])} --quiet --json {shlex.quote(r + '.json')} "
                     f"2>{shlex.quote(r + '.err')}; echo $? >{shlex.quote(r + '.rc')}")
    jobs = os.path.join(results, "jobs.txt")
    with open(jobs, "w") as f:
        f.writelines(line + "\n" for line in lines)
    tmp = manifest_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=1)
    os.replace(tmp, manifest_path)
    per = max(1, args.per_task)
    tasks = max(1, -(-len(lines) // per))
    slurm = os.path.join(results, "slurm.sh")
    with open(slurm, "w") as f:
        f.write(SLURM.format(per=per, tasks=tasks, jobs=shlex.quote(os.path.join(remote, "jobs.txt")),
                             results=remote, script=slurm, minutes=max(5, per * 10)))
    os.chmod(slurm, 0o755)
    out(f"{len(lines)} job lines in {jobs} ({skipped} points already have a result); manifest {manifest_path}")
    out(f"  one machine:   parallel -j {workers_default()} < {jobs}")
    out(f"  many machines: parallel --sshlogin host1,host2 < {jobs}   (same paths on every host, {remote} shared)")
    out(f"  SLURM:         sbatch {slurm}   ({tasks} array tasks of {per} point{'s' if per > 1 else ''})")
    out(f"  then:          {sys.argv[0]} merge --out sweep.csv {results}")
    return 0


# ---- merge --------------------------------------------------------------------------------------

def rows_from_results(directory, files=None):
    """Rows for the JSON results of `jobs` in a directory (its manifest.json names each point);
    points of the manifest without a result become 'missing' rows."""
    manifest = {}
    mp = os.path.join(directory, "manifest.json")
    if os.path.exists(mp):
        with open(mp) as f:
            manifest = json.load(f)
    if files is None:
        files = sorted(os.path.join(directory, n) for n in os.listdir(directory)
                       if n.endswith(".json") and n != "manifest.json")
    rows, seen = [], set()
    for path in files:
        pid = os.path.basename(path)[:-5]
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            raise UsageError(f"{path}: not a ppb-cosim JSON result ({e})") from None
        if not isinstance(doc, dict) or "config" not in doc:
            raise UsageError(f"{path}: not a ppb-cosim JSON result (no 'config')")
        rc_path, err_path = os.path.join(directory, pid + ".rc"), os.path.join(directory, pid + ".err")
        rc = int(open(rc_path).read().strip() or 0) if os.path.exists(rc_path) else (0 if doc.get("ok") else 1)
        err = open(err_path).read() if os.path.exists(err_path) else ""
        if pid in manifest:
            params = manifest[pid]["params"]
            row = result_row(point_id(params), params, rc, doc, err)
        else:  # no manifest: the point is its whole configuration
            params = {k: v for k, v in doc["config"].items()}
            row = result_row(pid, {}, rc, doc, err)
            for k, v in params.items():
                row[k] = v
            row[st.KEY] = "config " + json.dumps(doc["config"], sort_keys=True)
            row["_params"] = list(params)
        seen.add(row["point"])
        rows.append(row)
    if files is not None and manifest:
        for pid, m in manifest.items():
            if pid in seen:
                continue
            rc_path, err_path = os.path.join(directory, pid + ".rc"), os.path.join(directory, pid + ".err")
            if not os.path.exists(rc_path) and not os.path.exists(err_path):
                row = result_row(pid, m["params"], None, None, "")
                row.update(status="missing", error="no result yet")
            else:
                rc = int(open(rc_path).read().strip() or -1) if os.path.exists(rc_path) else None
                err = open(err_path).read() if os.path.exists(err_path) else ""
                row = result_row(pid, m["params"], rc, None, err)
            rows.append(row)
    return rows


def table_of(rows):
    """(header, rows) for rows made by result_row."""
    params, stats = [], []
    plain = []
    for r in rows:
        r = dict(r)
        ps = r.pop("_params", [])
        params = st.union(params, ps)
        stats = st.union(stats, [c for c in r if c not in st.META and c != st.KEY and c not in ps])
        plain.append(r)
    return st.order(params, stats), plain


def cmd_merge(args, extra):
    if extra:
        raise UsageError(f"unexpected arguments: {' '.join(extra)}")
    tables, n_in = [], 0
    loose = {}
    for path in args.inputs:
        if os.path.isdir(path):
            csvs = sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(".csv"))
            for c in csvs:
                tables.append(st.read(c))
            rows = rows_from_results(path, None)
            if rows:
                tables.append(table_of(rows))
            n_in += 1
        elif path.endswith(".csv") and os.path.isfile(path):
            try:
                tables.append(st.read(path))
            except ValueError as e:
                raise UsageError(str(e)) from None
            n_in += 1
        elif path.endswith(".json") and os.path.isfile(path):
            loose.setdefault(os.path.dirname(path) or ".", []).append(path)
            n_in += 1
        else:
            raise UsageError(f"'{path}': not a CSV, a JSON result or a results directory")
    for d, files in loose.items():
        tables.append(table_of(rows_from_results(d, files)))
    header, rows = st.merge(tables)
    total = sum(len(t[1]) for t in tables)
    st.write(args.out, header, rows)
    by = {}
    for r in rows:
        by[r.get("status")] = by.get(r.get("status"), 0) + 1
    shown = ", ".join(f"{v} {k}" for k, v in sorted(by.items()))
    out(f"{args.out}: {len(rows)} points ({shown}) from {total} rows in {n_in} inputs, "
        f"{total - len(rows)} duplicates dropped")
    return 0


# ---- plot -------------------------------------------------------------------------------------

def load_plots():
    try:
        from . import plots
        return plots
    except ImportError:
        system = "/usr/bin/python3"
        if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system) \
                and not os.environ.get("PPB_SWEEP_REEXEC"):
            os.environ["PPB_SWEEP_REEXEC"] = "1"
            sys.stdout.flush()
            sys.stderr.flush()
            os.execv(system, [system, os.path.abspath(sys.argv[0]), *sys.argv[1:]])
        raise UsageError("matplotlib is missing: apt-get install python3-matplotlib (scripts/bootstrap installs it)")


def cmd_plot(args, extra):
    if extra:
        raise UsageError(f"unexpected arguments: {' '.join(extra)}")
    plots = load_plots()
    try:
        header, rows = st.read(args.csv)
    except ValueError as e:
        raise UsageError(str(e)) from None
    if not header:
        raise UsageError(f"'{args.csv}' not found or empty")
    for w in args.where:
        name, eq, vals = w.partition("=")
        col = name.strip().lstrip("-").replace("-", "_")
        if not eq or col not in header:
            raise UsageError(f"--where '{w}': expected column=value[,value...] with a column of the CSV")
        want = [v.strip() for v in vals.split(",")]

        def match(cell, want=want):
            for v in want:
                try:
                    if float(cell) == float(v):
                        return True
                except ValueError:
                    if cell == v:
                        return True
            return False
        rows = [r for r in rows if match(r.get(col, ""))]
    only = set(args.only.split(",")) if args.only else None
    if only and not only <= set(plots.PLOTS):
        raise UsageError(f"--only: unknown plot(s) {', '.join(sorted(only - set(plots.PLOTS)))}; "
                         f"plots are {', '.join(plots.PLOTS)}")
    written, skipped, notes = plots.plot_all(header, rows, args.prefix, only)
    for f, what in written:
        out(f"wrote {f}: {what}")
    for name, why in skipped:
        note(f"skipped {name}: {why}")
    for n in notes:
        out(f"boundary: {n}")
    if not written:
        note("ppb-sweep: no plot could be drawn from this CSV")
        return 1
    return 0


# ---- size ---------------------------------------------------------------------------------------

def cmd_size(args, extra):
    cosim = Cosim(args.cosim)
    fixed = cosim.parse_args(extra)
    for k in ("capacity", "buffer-size"):
        if k in fixed:
            raise UsageError(f"size chooses --{k} itself; leave it out")
    fixed["drop-when-full"] = True
    if args.seeds < 1:
        raise UsageError("--seeds must be at least 1")
    if not 0 <= args.target < 1:
        raise UsageError("--target must be a drop rate in [0, 1)")
    pmax = int(fixed.get("payload-max", 512))
    step = max(4, args.resolution - args.resolution % 4)
    lo = max(16, -(-(pmax + 8) // 4) * 4)
    hi = args.max_size - args.max_size % 4
    if hi < lo:
        raise UsageError(f"--max-size {args.max_size} cannot hold the largest frame ({pmax + 8} bytes)")
    plots = load_plots() if args.plot else None
    s = st.Store(args.csv) if args.csv else None
    runner = Runner(cosim, args.workers, args.timeout, progress=False)
    results = {}  # size -> [rows]
    base_seed = int(fixed.pop("seed", 1))

    def point(size, k):
        p = dict(fixed)
        p[BUFFER] = str(size)
        p["seed"] = str(base_seed + k)
        return p

    def measure(sizes):
        sizes = [z for z in sorted(set(sizes)) if z not in results]
        pts = [point(z, k) for z in sizes for k in range(args.seeds)]
        done = {}
        if s:
            for r in s.rows:
                if r.get("status") == "ok":
                    done[r[st.KEY]] = r
        todo = [p for p in pts if point_key(p) not in done]
        rows = runner.run(todo, s.add if s else (lambda r: None))
        got = {point_key(p): None for p in pts}
        for r in rows:
            got[r[st.KEY]] = r
        for k in got:
            if got[k] is None:
                got[k] = done[k]
        for z in sizes:
            results[z] = [got[point_key(point(z, k))] for k in range(args.seeds)]
            bad = [r for r in results[z] if r.get("status") != "ok"]
            if bad:
                raise RuntimeError(f"ppb-cosim failed at BufferSize {z}: {bad[0].get('error')} "
                                   f"({bad[0].get(st.KEY)})")
            worst = max(float(r["drop_rate"]) for r in results[z])
            note(f"  BufferSize {z:8d}: drop rate {worst:.3g}, link kept {min(kept(r) for r in results[z]):.1%}"
                 f", p99 latency {max(float(r['latency_p99']) for r in results[z]) * 1e6:.1f} us")

    def kept(r):
        return float(r["offered_MBps"]) / float(r["link_MBps"]) if float(r["link_MBps"]) else 1.0

    def passes(z):
        return all(float(r["drop_rate"]) <= args.target and kept(r) >= 1 - args.link_slack for r in results[z])

    note(f"ppb-sweep size: {shlex.join(point_args({k: v for k, v in point(0, 0).items() if k != BUFFER}))}")
    try:
        # Coarse: the smallest size that can hold a frame, then doubling, a batch of sizes at a time.
        coarse = [lo]
        z = 16
        while z <= hi:
            if z > lo:
                coarse.append(z)
            z *= 2
        if coarse[-1] != hi:
            coarse.append(hi)
        first_pass = None
        for i in range(0, len(coarse), args.workers):
            measure(coarse[i:i + args.workers])
            ok = [z for z in coarse[:i + args.workers] if z in results and passes(z)]
            if ok:
                first_pass = ok[0]
                break
        if first_pass is None:
            return size_report(args, fixed, results, None, plots, kept, passes)
        # Fine: between the largest failing size below it and it, in steps of `resolution`.
        while True:
            below = [z for z in results if z < first_pass and not passes(z)]
            f = max(below) if below else None
            if f is None or first_pass - f <= step:
                break
            n = args.workers
            cand = sorted({min(first_pass - 4, f + max(4, ((first_pass - f) * (k + 1) // (n + 1)) // 4 * 4))
                           for k in range(n)})
            cand = [c for c in cand if f < c < first_pass]
            if not cand:
                break
            measure(cand)
            above = sorted(z for z in results if z >= f and passes(z))
            first_pass = min(above)
    except RuntimeError as e:
        note(f"ppb-sweep size: {e}")
        return 1
    except KeyboardInterrupt:
        note("ppb-sweep size: interrupted")
        return 130
    finally:
        if s:
            s.compact()
    # The answer: the smallest passing size with no failing size above it.
    answer = None
    for z in sorted(results, reverse=True):
        if passes(z):
            answer = z
        else:
            break
    return size_report(args, fixed, results, answer, plots, kept, passes)


def size_report(args, fixed, results, answer, plots, kept, passes):
    ref = results[answer if answer else max(results)][0]
    cap = float(ref["analytic_capacity_MBps"])
    link = float(ref["link_MBps"])
    line = 1e-6 / float(ref["config_clock_period"])
    burst = int(fixed.get("burst", "0"))
    crit = "zero drops" if args.target == 0 else f"a drop rate at most {args.target:g}"
    out(f"link {link:g} MB/s, consumer {fixed.get('cost-per-packet', '200')} ns + "
        f"{fixed.get('cost-per-byte', '1')} ns/B per frame of {float(ref['mean_frame_bytes']):.0f} B on average: "
        f"predicted consumer capacity {cap:.1f} MB/s ({'keeps up' if cap > link else 'SLOWER than the link'})")
    if burst and cap < line:
        out(f"bursts of {burst} B arrive at the port's line rate ({line:g} MB/s), faster than the consumer: "
            "the buffer absorbs them")
    if answer is None:
        biggest = max(results)
        r = results[biggest][0]
        out(f"no BufferSize up to {biggest} gives {crit} with the link at full rate "
            f"(at {biggest}: drop rate {float(r['drop_rate']):.3g}, link held to {kept(r):.0%} of its rate)")
        if cap <= link:
            out("the consumer is slower than the link: no buffer helps; make the consumer faster or the link slower")
        rc = 1
    else:
        r = results[answer]
        p50 = max(float(x["latency_p50"]) for x in r) * 1e6
        p99 = max(float(x["latency_p99"]) for x in r) * 1e6
        peak = max(int(float(x["device_peak_fill"])) for x in r)
        out(f"smallest CAPACITY = BufferSize with {crit}: {answer} bytes "
            f"(latency p50 {p50:.1f} us, p99 {p99:.1f} us; peak FILL {peak})")
        rc = 0
    if plots:
        f = plots.plot_size(results, answer, args.plot, args.target, fixed, kept)
        out(f"wrote {f}")
    return rc


# ---- crosscheck ---------------------------------------------------------------------------------

CROSS_DEFAULT = {"link-rate": "20,50,90", "cost-per-byte": "1,8"}
CROSS_FIXED = {"packets": "1000"}


def cmd_crosscheck(args, extra):
    cosim = Cosim(args.cosim)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if len(backends) != 2:
        raise UsageError("--backends takes two backends, e.g. tlm,rtl")
    for b in backends:
        cosim.option("backend").canon(b)
    if not args.set and not args.grid:
        args.set = [f"{k}={v}" for k, v in CROSS_DEFAULT.items()]
    g = build_grid(cosim, args, extra)
    if "backend" in g.axes or "backend" in g.fixed:
        raise UsageError("crosscheck sets --backend itself; use --backends A,B")
    for k, v in CROSS_FIXED.items():
        if k not in g.fixed and k not in g.axes and not ("bytes" in g.fixed and k == "packets"):
            g.add_fixed(k, v)
    base = g.points()
    # Is each backend there at all? ppb-cosim refuses a backend it was built without (exit status 2).
    for b in backends:
        why = backend_refusal(cosim, b)
        if why:
            note(f"ppb-sweep crosscheck: the {b} backend is not available in {cosim.path}: {why}")
            note("  (build it: the rtl backend needs Verilator at configure time; nothing was compared)")
            return 3
    pts = [dict(p, backend=b) for p in base for b in backends]
    s = st.Store(args.out) if args.out else None
    try:
        rows = Runner(cosim, args.workers, args.timeout, progress=False).run(pts, s.add if s else (lambda r: None))
    except KeyboardInterrupt:
        return 130
    if s:
        s.compact()
    by = {r[st.KEY]: r for r in rows}
    axes = list(g.axes)
    head = [column_of(a) for a in axes]
    a, b = backends
    cols = head + [f"delivered {a}", b, f"dropped {a}", b, f"sim ms {a}", b, f"{b}/{a}", "frames", "verdict"]
    table, bad = [], 0
    for p in base:
        ra, rb = by[point_key(dict(p, backend=a))], by[point_key(dict(p, backend=b))]
        cells = [str(p[x]) for x in axes]
        if ra["status"] != "ok" or rb["status"] != "ok":
            bad += 1
            which = ra if ra["status"] != "ok" else rb
            table.append(cells + ["-"] * 8 + [f"FAILED {which['status']}: {which['error']}"])
            continue
        ta, tb = float(ra["time_simulated_s"]), float(rb["time_simulated_s"])
        ratio = tb / ta if ta else float("inf")
        same_frames = (ra["frames_delivered"] == rb["frames_delivered"]
                       and ra.get("frames_delivered_digest") == rb.get("frames_delivered_digest"))
        agree = (ra["frames_delivered"] == rb["frames_delivered"] and ra["bytes_dropped"] == rb["bytes_dropped"]
                 and abs(ratio - 1) <= args.tolerance)
        bad += not agree
        table.append(cells + [str(ra["frames_delivered"]), str(rb["frames_delivered"]),
                              str(ra["bytes_dropped"]), str(rb["bytes_dropped"]),
                              f"{ta * 1e3:.3f}", f"{tb * 1e3:.3f}", f"{ratio:.3f}",
                              "identical" if same_frames else "differ",
                              "agree" if agree else "DIFFER"])
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(cols)]
    out("  ".join(c.rjust(w) for c, w in zip(cols, widths)))
    for r in table:
        out("  ".join(c.rjust(w) for c, w in zip(r, widths)))
    out(f"{len(base) - bad} of {len(base)} points agree ({a} vs {b}: same frames delivered and dropped, "
        f"simulated time within {args.tolerance:.0%}); fixed: {' '.join(point_args(g.fixed))}")
    return 1 if bad else 0


# ---- main ---------------------------------------------------------------------------------------

def parser():
    ap = argparse.ArgumentParser(prog="ppb-sweep", description=__doc__, epilog=EPILOG, allow_abbrev=False,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")

    def sp(name, help_):
        return sub.add_parser(name, help=help_, description=help_, allow_abbrev=False,
                              epilog="Other --options are ppb-cosim's, passed to every point.")

    r = sp("run", "sweep a grid of ppb-cosim parameters into a CSV (resumable, parallel)")
    add_grid_options(r)
    r.add_argument("--out", "-o", default="sweep.csv", help="the CSV (default sweep.csv); points in it are skipped")
    r.add_argument("--workers", "-j", type=int, default=workers_default(), help="parallel points (default: cores)")
    r.add_argument("--timeout", type=float, default=None, help="seconds per point before it is killed")
    r.add_argument("--dry-run", action="store_true", help="print the ppb-cosim commands that would run")
    r.add_argument("--no-progress", action="store_true", help="no line per finished point on stderr")

    p = sp("plot", "draw PNG plots from a sweep CSV")
    p.add_argument("csv")
    p.add_argument("--prefix", default="exploration", help="file name prefix (default: exploration -> exploration-boundary.png, ...)")
    p.add_argument("--only", help="comma-separated subset of: drops,latency,throughput,boundary,phase")
    p.add_argument("--where", action="append", default=[], metavar="COLUMN=V1,V2",
                   help="plot only the rows whose column has one of these values (repeatable)")

    z = sp("size", "smallest CAPACITY = BufferSize that loses nothing for a link and a consumer")
    z.add_argument("--cosim")
    z.add_argument("--target", type=float, default=0.0, help="largest acceptable drop rate (bytes dropped / bytes in; default 0)")
    z.add_argument("--link-slack", type=float, default=0.02,
                   help="how far below its rate the link may be held by back-pressure (default 0.02)")
    z.add_argument("--seeds", type=int, default=1, help="seeds per size; a size must pass on all (default 1)")
    z.add_argument("--max-size", type=int, default=1 << 20, help="largest size tried (default 1048576)")
    z.add_argument("--resolution", type=int, default=64, help="bytes between the answer and the failing size below it (default 64)")
    z.add_argument("--plot", default="exploration-size.png", help="the plot to write ('' for none)")
    z.add_argument("--csv", help="keep every run in this CSV (and reuse it)")
    z.add_argument("--workers", "-j", type=int, default=workers_default())
    z.add_argument("--timeout", type=float, default=None)

    j = sp("jobs", "write the grid as a GNU parallel job list and a SLURM array script")
    add_grid_options(j)
    j.add_argument("--results", required=True, help="directory for jobs.txt, slurm.sh, manifest.json and the results")
    j.add_argument("--remote-cosim", help="ppb-cosim's path on the hosts that run the jobs (default: this one's)")
    j.add_argument("--remote-results", help="the results directory's path on those hosts (default: this one's)")
    j.add_argument("--per-task", type=int, default=1, help="points per SLURM array task (default 1)")

    m = sp("merge", "merge JSON results and CSVs into one CSV, deduplicated by point")
    m.add_argument("inputs", nargs="+", help="CSV files, JSON result files, results directories")
    m.add_argument("--out", "-o", required=True)

    c = sp("crosscheck", "run the same small grid on two backends (tlm, rtl) and print them side by side")
    add_grid_options(c)
    c.add_argument("--backends", default="tlm,rtl")
    c.add_argument("--tolerance", type=float, default=0.10, help="simulated-time ratio allowed off 1 (default 0.10)")
    c.add_argument("--out", "-o", help="also write both backends' rows to this CSV")
    c.add_argument("--workers", "-j", type=int, default=workers_default())
    c.add_argument("--timeout", type=float, default=None)
    return ap


COMMANDS = {"run": cmd_run, "plot": cmd_plot, "size": cmd_size, "jobs": cmd_jobs, "merge": cmd_merge,
            "crosscheck": cmd_crosscheck}


def main(argv=None):
    ap = parser()
    argv = sys.argv[1:] if argv is None else argv
    try:
        args, extra = ap.parse_known_args(argv)
    except SystemExit as e:
        return 2 if e.code not in (0, None) else 0
    if not args.cmd:
        ap.print_help()
        return 2
    if getattr(args, "workers", 1) < 1:
        note("ppb-sweep: --workers must be at least 1")
        return 2
    try:
        return COMMANDS[args.cmd](args, extra)
    except UsageError as e:
        note(f"ppb-sweep {args.cmd}: {e}")
        return 2
    except KeyboardInterrupt:
        note("ppb-sweep: interrupted")
        return 130
