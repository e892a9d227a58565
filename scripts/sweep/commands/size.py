"""ppb-sweep size: the smallest CAPACITY = BufferSize that loses nothing (or at most a target drop
rate) for a link and a consumer, by a coarse doubling search and a finer one below its answer."""
import shlex

from ppbkit import regs
from ppbkit.scenarios import frame_overhead
from ppbkit.report import output_problem

from .. import store as st
from ..common import Runner, load_plots, note, out, workers_default
from ..cosim import BUFFER, Cosim, UsageError, point_args, point_key

HELP = "smallest CAPACITY = BufferSize that loses nothing for a link and a consumer"


def arguments(z):
    z.add_argument("--cosim")
    z.add_argument("--target", type=float, default=0.0, help="largest acceptable drop rate (bytes dropped / bytes in; default 0)")
    z.add_argument("--link-slack", type=float, default=0.02,
                   help="how far below its rate the link may be held by back-pressure (default 0.02)")
    z.add_argument("--seeds", type=int, default=1, help="seeds per size; a size must pass on all (default 1)")
    z.add_argument("--max-size", type=int, default=regs.CAPACITY_MAX,
                   help=f"largest size tried (default {regs.CAPACITY_MAX})")
    z.add_argument("--resolution", type=int, default=64, help="bytes between the answer and the failing size below it (default 64)")
    z.add_argument("--plot", default="exploration-size.png", help="the plot to write ('' for none)")
    z.add_argument("--csv", help="keep every run in this CSV (and reuse it)")
    z.add_argument("--workers", "-j", type=int, default=workers_default())
    z.add_argument("--timeout", type=float, default=None)


def main(args, extra):
    for option, path in (("--plot", args.plot), ("--csv", args.csv)):
        if path and (why := output_problem(path, option, make_dir=False)):
            raise UsageError(why)
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
    biggest = int(fixed.get("payload-max", 512)) + frame_overhead(str(fixed.get("frame-check", "crc16")))
    step = max(regs.CAPACITY_MULTIPLE, args.resolution - args.resolution % regs.CAPACITY_MULTIPLE)
    lo = max(regs.CAPACITY_MIN, -(-biggest // regs.CAPACITY_MULTIPLE) * regs.CAPACITY_MULTIPLE)
    hi = args.max_size - args.max_size % regs.CAPACITY_MULTIPLE
    if hi < lo:
        raise UsageError(f"--max-size {args.max_size} cannot hold the largest frame ({biggest} bytes)")
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
