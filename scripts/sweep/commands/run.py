"""ppb-sweep run: a grid of points into a CSV, resumable and parallel."""
import shlex

from ppbkit.report import output_problem

from .. import store as st
from ..common import Runner, add_grid_options, build_grid, check_backends, note, out, workers_default
from ..cosim import Cosim, UsageError, point_args, point_key

HELP = "sweep a grid of ppb-cosim parameters into a CSV (resumable, parallel)"


def arguments(r):
    add_grid_options(r)
    r.add_argument("--out", "-o", default="sweep.csv", help="the CSV (default sweep.csv); points in it are skipped")
    r.add_argument("--workers", "-j", type=int, default=workers_default(), help="parallel points (default: cores)")
    r.add_argument("--timeout", type=float, default=None, help="seconds per point before it is killed")
    r.add_argument("--dry-run", action="store_true", help="print the ppb-cosim commands that would run")
    r.add_argument("--no-progress", action="store_true", help="no line per finished point on stderr")


def main(args, extra):
    if why := output_problem(args.out, "--out", make_dir=False):
        raise UsageError(why)
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
