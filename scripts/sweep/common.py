"""What the subcommands share: output, the grid options, the pool of workers that runs points, the
backend check and the plotting module (matplotlib, loaded only when a command draws)."""
import concurrent.futures as cf
import os
import signal
import sys
import time

from ppbkit import cosim as ppb

from .cosim import UsageError, run_point
from .grid import Grid, parse_set


def out(msg=""):
    print(msg, flush=True)


def note(msg):
    print(msg, file=sys.stderr, flush=True)


def workers_default():
    return os.cpu_count() or 1


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
        self.children = ppb.Children()

    def run(self, points, sink):
        """Runs `points`, calling sink(row) as each finishes (in the calling thread). Returns the rows."""
        rows = []
        if not points:
            return rows
        t0 = time.monotonic()
        ex = cf.ThreadPoolExecutor(max_workers=self.workers)
        try:
            futs = {ex.submit(run_point, self.cosim.path, p, self.timeout, self.children): p for p in points}
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
            self.children.signal_all(signal.SIGTERM)
            raise
        ex.shutdown(wait=True)
        return rows


def check_backends(cosim, points):
    """Bad input when a point asks for a backend this ppb-cosim was built without (rtl without Verilator)."""
    for b in sorted({p.get("backend") for p in points} - {None, "tlm", "native"}):
        why = ppb.backend_refusal(cosim.path, b)
        if why:
            raise UsageError(f"backend {b} is not available in {cosim.path}: {why}")


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
