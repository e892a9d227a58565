"""ppb-sweep plot: PNG plots from a sweep CSV."""
from .. import store as st
from ..common import load_plots, note, out
from ..cosim import UsageError

HELP = "draw PNG plots from a sweep CSV"


def arguments(p):
    p.add_argument("csv")
    p.add_argument("--prefix", default="exploration", help="file name prefix (default: exploration -> exploration-boundary.png, ...)")
    p.add_argument("--only", help="comma-separated subset of: drops,latency,throughput,boundary,phase")
    p.add_argument("--where", action="append", default=[], metavar="COLUMN=V1,V2",
                   help="plot only the rows whose column has one of these values (repeatable)")


def main(args, extra):
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
