"""PNG plots of a sweep CSV (matplotlib, Agg backend).

    drops       drop rate against buffer size, a line per consumer speed (and other varying parameter)
    latency     latency p50/p90/p99 against link load (link rate / analytic consumer capacity)
    throughput  delivered throughput against consumer cost per frame, with the analytic min(link, B/C)
    boundary    delivered throughput and drop rate against link rate: where consumption becomes slower
                than collection, the analytic prediction (B/C) beside the simulated saturation
    phase       link rate x consumer cost map of delivered/offered, with the analytic boundary curve
"""
import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import store as st  # noqa: E402

PLOTS = ["drops", "latency", "throughput", "boundary", "phase"]
BUFFER_COLS = ["buffer", "buffer_size", "capacity"]
COST_COLS = ["cost_per_byte", "cost_per_packet"]
LINK = "link_rate"
IGNORE = {"seed"}  # averaged over
KEEP_UP = 0.95     # delivered / offered at or above this: the consumer keeps up


def num(r, c, default=None):
    try:
        v = float(r.get(c, ""))
        return v if math.isfinite(v) else default
    except (TypeError, ValueError):
        return default


def varying(params, rows):
    return [p for p in params if p not in IGNORE and len({r.get(p) for r in rows}) > 1]


def sort_key(v):
    x = num({"v": v}, "v")
    return (0, x, "") if x is not None else (1, 0, str(v))


def label_of(cols, values):
    names = {"cost_per_byte": "{} ns/B", "cost_per_packet": "{} ns/frame", "link_rate": "{} MB/s",
             "buffer": "buffer {}", "buffer_size": "BufferSize {}", "capacity": "CAPACITY {}",
             "burst": "burst {} B", "clock": "clock {} ns", "drop_when_full": "drop-when-full {}"}
    parts = [names.get(c, c.replace("_", "-") + " {}").format(v) for c, v in zip(cols, values)]
    return ", ".join(parts) or "all"


def groups(rows, x, series):
    """{series values: [(x, [rows])...] sorted by x}."""
    out = {}
    for r in rows:
        xv = num(r, x)
        if xv is None:
            continue
        key = tuple(r.get(c, "") for c in series)
        out.setdefault(key, {}).setdefault(xv, []).append(r)
    return {k: sorted(v.items()) for k, v in sorted(out.items(), key=lambda kv: [sort_key(t) for t in kv[0]])}


def mean(rs, c):
    vals = [num(r, c) for r in rs]
    vals = [v for v in vals if v is not None]
    return sum(vals) / len(vals) if vals else float("nan")


def fixed_text(params, rows, shown):
    parts = []
    for p in params:
        if p in shown:
            continue
        vals = {r.get(p) for r in rows}
        if len(vals) == 1:
            parts.append(f"{p.replace('_', '-')} {vals.pop()}")
    return ", ".join(parts)


def _finish(fig, path):
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def pick(params, rows, candidates):
    v = varying(params, rows)
    for c in candidates:
        if c in v:
            return c
    return None


def series_capacity(pts):
    """The analytic consumer capacity of a series, at the boundary: the figure of the first point whose
    link rate reaches its own predicted capacity (the register accesses and BUSY time per frame there
    are those of a client that has just stopped waiting for data), else of the highest link rate."""
    for _, rs in pts:
        cap = mean(rs, "analytic_capacity_MBps")
        if mean(rs, "link_MBps") >= cap:
            return cap
    return mean(pts[-1][1], "analytic_capacity_MBps")


def simulated_boundary(pts):
    """(last link rate kept up with, first not kept up with, saturated throughput) of a series."""
    last_ok, first_bad, sat = None, None, None
    for x, rs in pts:
        thr, link = mean(rs, "throughput_simulated_MBps"), mean(rs, "link_MBps")
        drops = mean(rs, "drop_rate")
        if thr >= KEEP_UP * link and not drops > 1e-3:
            if first_bad is None:
                last_ok = x
        else:
            if first_bad is None:
                first_bad = x
            sat = max(sat or 0.0, thr)
    return last_ok, first_bad, sat


# ---- the plots ----------------------------------------------------------------------------------

def plot_drops(params, rows, path):
    b = pick(params, rows, BUFFER_COLS)
    if not b:
        return None, "needs a buffer size axis (buffer, buffer-size or capacity)"
    series = [c for c in varying(params, rows) if c != b]
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8, 7), sharex=True, gridspec_kw={"height_ratios": [3, 1.4]})
    for key, pts in groups(rows, b, series).items():
        xs = [x for x, _ in pts]
        line, = ax.plot(xs, [100 * mean(rs, "drop_rate") for _, rs in pts], "o-", label=label_of(series, key))
        ax2.plot(xs, [100 * mean(rs, "offered_MBps") / mean(rs, "link_MBps") for _, rs in pts], "o-",
                 color=line.get_color())
    ax.set_xscale("log", base=2)
    ax.set_ylabel("bytes dropped / bytes in (%)")
    ax.set_title("Drop rate against buffer size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, title=fixed_text(params, rows, series + [b])[:90] or None, title_fontsize=7)
    ax2.set_ylabel("link kept (% of rate)")
    ax2.set_xlabel(f"{b.replace('_', '-')} (bytes per bank)")
    ax2.grid(True, which="both", alpha=0.3)
    ax2.set_title("below 100%: the port was stalled (BUSY or back-pressure) and held the link back", fontsize=8)
    return _finish(fig, path), "drop rate (and link rate kept) against buffer size"


def plot_latency(params, rows, path):
    if LINK not in varying(params, rows):
        return None, "needs a link-rate axis"
    series = [c for c in varying(params, rows) if c != LINK]
    fig, ax = plt.subplots(figsize=(8, 5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (key, pts) in enumerate(groups(rows, LINK, series).items()):
        cap = series_capacity(pts)
        xs = [mean(rs, "link_MBps") / cap for _, rs in pts]
        c = colours[i % len(colours)]
        for q, style in (("p50", ":"), ("p90", "--"), ("p99", "-")):
            ax.plot(xs, [1e6 * mean(rs, f"latency_{q}") for _, rs in pts], style, marker="o", ms=3, color=c,
                    label=f"{q}, {label_of(series, key)}" if q == "p99" or i == 0 else None)
    ax.axvline(1.0, color="k", lw=1, ls="-.", label="analytic boundary (load 1)")
    ax.set_yscale("log")
    ax.set_xlabel("link load = link rate / analytic consumer capacity B/C")
    ax.set_ylabel("latency, enqueue to delivery (us)")
    ax.set_title("Latency percentiles against link load (dotted p50, dashed p90, solid p99)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, title=fixed_text(params, rows, series + [LINK])[:90] or None, title_fontsize=7)
    return _finish(fig, path), "latency p50/p90/p99 against link load"


def plot_throughput(params, rows, path):
    cost = [c for c in COST_COLS if c in varying(params, rows)]
    if not cost:
        return None, "needs a consumer cost axis (cost-per-byte or cost-per-packet)"
    for r in rows:
        cpp = num(r, "config_cost_per_packet", 0.0)
        cpb = num(r, "config_cost_per_byte", 0.0)
        r["_cost_ns"] = str((cpp + cpb * (num(r, "mean_frame_bytes", 0.0))) * 1e9)
    series = [c for c in varying(params, rows) if c not in cost]
    fig, ax = plt.subplots(figsize=(8, 5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (key, pts) in enumerate(groups(rows, "_cost_ns", series).items()):
        c = colours[i % len(colours)]
        xs = [x for x, _ in pts]
        ax.plot(xs, [mean(rs, "throughput_simulated_MBps") for _, rs in pts], "o-", color=c,
                label=f"simulated, {label_of(series, key)}")
        ax.plot(xs, [mean(rs, "analytic_throughput_MBps") for _, rs in pts], "--", color=c, alpha=0.8,
                label="analytic min(link, B/C)" if i == 0 else None)
    ax.set_xscale("log")
    ax.set_xlabel("consumer cost per frame: cost-per-packet + cost-per-byte x mean frame bytes (ns)")
    ax.set_ylabel("delivered throughput (MB/s, simulated time)")
    ax.set_title("Throughput against consumer cost")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, title=fixed_text(params, rows, series + cost)[:90] or None, title_fontsize=7)
    return _finish(fig, path), "throughput against consumer cost"


def boundary_summary(params, rows):
    """[(series label, predicted MB/s, simulated saturated MB/s or None, last ok link, first not ok)]."""
    if LINK not in varying(params, rows):
        return []
    series = [c for c in varying(params, rows) if c != LINK]
    out = []
    for key, pts in groups(rows, LINK, series).items():
        last_ok, first_bad, sat = simulated_boundary(pts)
        out.append((label_of(series, key), series_capacity(pts), sat, last_ok, first_bad))
    return out


def plot_boundary(params, rows, path):
    if LINK not in varying(params, rows):
        return None, "needs a link-rate axis"
    series = [c for c in varying(params, rows) if c != LINK]
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    top = 0.0
    for i, (key, pts) in enumerate(groups(rows, LINK, series).items()):
        c = colours[i % len(colours)]
        xs = [mean(rs, "link_MBps") for _, rs in pts]
        ys = [mean(rs, "throughput_simulated_MBps") for _, rs in pts]
        top = max(top, *xs, *ys)
        cap = series_capacity(pts)
        last_ok, first_bad, sat = simulated_boundary(pts)
        sim = f"simulated {sat:.1f}" if sat else f"keeps up to {max(xs):g}"
        line = 1e-6 / mean(pts[0][1], "config_clock_period")
        pred = f"{cap:.1f}" + (f" (> port's {line:g})" if cap > line else "")
        ax.plot(xs, ys, "o-", color=c, label=f"{label_of(series, key)}: predicted {pred}, {sim} MB/s")
        ax.axhline(cap, color=c, ls="--", lw=1)
        ax.plot([cap], [cap], "D", mfc="none", mec=c, ms=10, mew=1.5)
        if sat:
            ax.plot([sat], [sat], "X", color=c, ms=9)
        ax2.plot(xs, [100 * mean(rs, "drop_rate") for _, rs in pts], "o-", color=c)
    ax.plot([0, top * 1.05], [0, top * 1.05], color="0.6", lw=1, label="offered = delivered")
    ax.plot([], [], "--", color="0.3", lw=1, label="analytic consumer capacity B/C")
    ax.plot([], [], "D", mfc="none", mec="0.3", label="predicted boundary")
    ax.plot([], [], "X", color="0.3", label="simulated boundary (saturated throughput)")
    ax.set_xlim(0, top * 1.05)
    ax.set_ylim(0, top * 1.05)
    ax.set_ylabel("delivered throughput (MB/s)")
    ax.set_title("Where consumption becomes slower than collection")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", title=fixed_text(params, rows, series + [LINK])[:90] or None,
              title_fontsize=7)
    ax2.set_xlabel("link rate (MB/s; the port takes at most one byte per clock)")
    ax2.set_ylabel("dropped (%)")
    ax2.grid(True, alpha=0.3)
    return _finish(fig, path), "throughput and drops against link rate with the analytic boundary"


def plot_phase(params, rows, path):
    v = varying(params, rows)
    cost = next((c for c in COST_COLS if c in v), None)
    if LINK not in v or not cost:
        return None, "needs link-rate and consumer cost axes"
    others = [c for c in v if c not in (LINK, cost)]
    if others:
        return None, f"needs exactly two varying parameters (also varying: {', '.join(others)})"
    links = sorted({num(r, LINK) for r in rows})
    costs = sorted({num(r, cost) for r in rows})
    if len(links) < 3 or len(costs) < 3:
        return None, "needs at least 3 link rates and 3 costs"
    fig, ax = plt.subplots(figsize=(8, 5.5))
    cell = {}
    for r in rows:
        cell.setdefault((num(r, LINK), num(r, cost)), []).append(r)
    xs, ys, zs = [], [], []
    for (lk, cs), rs in cell.items():
        xs.append(lk)
        ys.append(cs)
        zs.append(min(1.0, mean(rs, "throughput_simulated_MBps") / mean(rs, "link_MBps")))
    sc = ax.scatter(xs, ys, c=zs, cmap="RdYlGn", vmin=0.5, vmax=1.0, marker="s", s=220, edgecolors="0.4")
    fig.colorbar(sc, ax=ax, label="delivered / offered")
    # Analytic boundary: for each cost, the link rate equal to the consumer capacity.
    pred = []
    for cs in costs:
        pts = sorted((lk, cell[(lk, cs)]) for lk in links if (lk, cs) in cell)
        line = 1e-6 / mean(pts[0][1], "config_clock_period")
        pred.append(min(series_capacity(pts), line))
    ax.plot(pred, costs, "k--", lw=2, label="analytic boundary: link rate = min(B/C, port's 1/T)")
    # Simulated boundary: for each cost, between the last link kept up with and the first not.
    sim_x, sim_y = [], []
    for cs in costs:
        pts = sorted((lk, cell[(lk, cs)]) for lk in links if (lk, cs) in cell)
        last_ok, first_bad, _ = simulated_boundary(pts)
        if first_bad is not None:
            sim_x.append(first_bad if last_ok is None else (last_ok + first_bad) / 2)
            sim_y.append(cs)
    if sim_x:
        ax.plot(sim_x, sim_y, "o-", color="navy", lw=1.5, label="simulated boundary (midway between grid points)")
    ax.set_xlabel("link rate (MB/s)")
    ax.set_ylabel(cost.replace("_", "-") + (" (ns/B)" if cost == "cost_per_byte" else " (ns)"))
    ax.set_xlim(min(links) - 0.05 * (max(links) - min(links)), max(links) * 1.05)
    ax.set_title("Keeping up: link rate against consumer cost")
    ax.legend(fontsize=8, loc="upper right", title=fixed_text(params, rows, [LINK, cost])[:90] or None,
              title_fontsize=7)
    return _finish(fig, path), "link x consumer map with the analytic and simulated boundaries"


FUNCS = {"drops": plot_drops, "latency": plot_latency, "throughput": plot_throughput,
         "boundary": plot_boundary, "phase": plot_phase}


def plot_all(header, rows, prefix, only=None):
    """Draws every plot the CSV supports. Returns (written [(file, what)], skipped [(plot, why)],
    notes [text]: the boundary found against the one predicted, per series)."""
    params, _ = st.split_columns(header)
    ok = [dict(r) for r in rows if r.get("status") == "ok"]
    written, skipped, notes = [], [], []
    if not ok:
        return written, [("all", "no passing points in the CSV")], notes
    for name in PLOTS:
        if only and name not in only:
            continue
        f, what = FUNCS[name](params, [dict(r) for r in ok], f"{prefix}-{name}.png")
        if f:
            written.append((f, what))
        else:
            skipped.append((name, what))
    for label, pred, sat, last_ok, first_bad in boundary_summary(params, ok):
        if sat:
            notes.append(f"{label}: predicted consumer capacity {pred:.1f} MB/s, simulated saturation "
                         f"{sat:.1f} MB/s (keeps up at {last_ok:g} MB/s link, not at {first_bad:g})"
                         if last_ok is not None else
                         f"{label}: predicted consumer capacity {pred:.1f} MB/s, simulated saturation "
                         f"{sat:.1f} MB/s (behind already at {first_bad:g} MB/s)")
        else:
            notes.append(f"{label}: predicted consumer capacity {pred:.1f} MB/s; kept up at every link rate")
    return written, skipped, notes


# ---- size -------------------------------------------------------------------------------------

def plot_size(results, answer, path, target, fixed, kept):
    sizes = sorted(results)
    drop = [100 * max(float(r["drop_rate"]) for r in results[z]) for z in sizes]
    p99 = [1e6 * max(float(r["latency_p99"]) for r in results[z]) for z in sizes]
    held = [min(kept(r) for r in results[z]) < 0.98 for z in sizes]
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.plot(sizes, drop, "o-", color="tab:red", label="bytes dropped (%)")
    hz = [z for z, h in zip(sizes, held) if h]
    if hz:
        ax.plot(hz, [d for d, h in zip(drop, held) if h], "s", mfc="none", mec="k", ms=11,
                label="link held below its rate (back-pressure)")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("CAPACITY = BufferSize (bytes per bank)")
    ax.set_ylabel("bytes dropped / bytes in (%)", color="tab:red")
    ax2 = ax.twinx()
    ax2.plot(sizes, p99, "^--", color="tab:blue", label="latency p99 (us)")
    ax2.set_ylabel("latency p99 (us)", color="tab:blue")
    if answer:
        ax.axvline(answer, color="k", ls="-.", lw=1.2)
        r = results[answer][0]
        ax.annotate(f"smallest with {'no drops' if target == 0 else f'drop rate <= {target:g}'}: {answer} B\n"
                    f"p99 {1e6 * float(r['latency_p99']):.1f} us", xy=(answer, max(drop) * 0.6 + 1e-9),
                    xytext=(8, 0), textcoords="offset points", fontsize=9)
    any_row = results[sizes[0]][0]
    ax.set_title(f"Sizing: link {float(any_row['link_MBps']):g} MB/s, burst {fixed.get('burst', '0')} B, consumer "
                 f"{fixed.get('cost-per-packet', '200')} ns + {fixed.get('cost-per-byte', '1')} ns/B\n"
                 f"payload {fixed.get('payload-min', '16')}-{fixed.get('payload-max', '512')} B; analytic consumer "
                 f"capacity {float(any_row['analytic_capacity_MBps']):.1f} MB/s", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper right")
    return _finish(fig, path)
