"""ppb-sweep merge: JSON results (of ppb-sweep jobs) and CSVs into one CSV, deduplicated by point."""
import json
import os

from ppbkit.result import Result, load_json
from ppbkit.report import output_problem

from .. import store as st
from ..common import out
from ..cosim import UsageError, point_id, result_row

HELP = "merge JSON results and CSVs into one CSV, deduplicated by point"


def arguments(m):
    m.add_argument("inputs", nargs="+", help="CSV files, JSON result files, results directories")
    m.add_argument("--out", "-o", required=True)


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
        doc, why = load_json(path)
        if doc is None:
            raise UsageError(f"{path}: not a ppb-cosim JSON result ({why or 'no such file'})")
        if "config" not in doc:
            raise UsageError(f"{path}: not a ppb-cosim JSON result (no 'config')")
        r = job_result(directory, pid, doc, 0 if doc.get("ok") else 1, 0)
        if pid in manifest:
            params = manifest[pid]["params"]
            row = result_row(point_id(params), params, r)
        else:  # no manifest: the point is its whole configuration
            params = {k: v for k, v in doc["config"].items()}
            row = result_row(pid, {}, r)
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
            row = result_row(pid, m["params"], job_result(directory, pid, None, None, -1))
            if not any(os.path.exists(os.path.join(directory, pid + ext)) for ext in (".rc", ".err")):
                row.update(status="missing", error="no result yet")
            rows.append(row)
    return rows


def job_result(directory, pid, doc, no_rc, empty_rc):
    """The Result a job left: its JSON document, its exit status from PID.rc (no_rc without that file,
    empty_rc when it is empty) and its stderr from PID.err."""
    rc_path, err_path = os.path.join(directory, pid + ".rc"), os.path.join(directory, pid + ".err")
    rc = int(open(rc_path).read().strip() or empty_rc) if os.path.exists(rc_path) else no_rc
    err = open(err_path).read() if os.path.exists(err_path) else ""
    return Result([], rc, stderr=err, data=doc)


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


def main(args, extra):
    if extra:
        raise UsageError(f"unexpected arguments: {' '.join(extra)}")
    if why := output_problem(args.out, "--out", make_dir=False):
        raise UsageError(why)
    for path in args.inputs:
        if not os.path.exists(path):
            raise UsageError(f"'{path}': no such file or directory")
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
