"""ppb-sweep crosscheck: the same small grid on two backends (tlm and rtl by default), side by side:
do they deliver and drop the same frames, in about the same simulated time?"""
from ppbkit import cosim as ppb
from ppbkit.report import output_problem

from .. import store as st
from ..common import Runner, add_grid_options, build_grid, note, out, workers_default
from ..cosim import Cosim, UsageError, column_of, point_args, point_key

HELP = "run the same small grid on two backends (tlm, rtl) and print them side by side"

CROSS_DEFAULT = {"link-rate": "20,50,90", "cost-per-byte": "1,8"}
CROSS_FIXED = {"packets": "1000"}


def arguments(c):
    add_grid_options(c)
    c.add_argument("--backends", default="tlm,rtl")
    c.add_argument("--tolerance", type=float, default=0.10, help="simulated-time ratio allowed off 1 (default 0.10)")
    c.add_argument("--out", "-o", help="also write both backends' rows to this CSV")
    c.add_argument("--workers", "-j", type=int, default=workers_default())
    c.add_argument("--timeout", type=float, default=None)


def main(args, extra):
    if args.out and (why := output_problem(args.out, "--out", make_dir=False)):
        raise UsageError(why)
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
        why = ppb.backend_refusal(cosim.path, b)
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
