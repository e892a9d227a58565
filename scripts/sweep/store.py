"""The sweep's CSV: one row per point.

Columns, in order: point (an id: a hash of the point's ppb-cosim arguments), status, exit_status, error,
then the point's parameters (every column between `error` and `args`), args (the canonical ppb-cosim
arguments: the point's identity), then the derived figures and every statistic of ppb-cosim's JSON.

Rows are appended one whole line per write as points finish, so an interrupted sweep leaves a valid CSV
(a torn last line, if the machine died mid-write, is ignored when the file is read again). When a row
brings a column the header lacks, and at the end of a run (to drop superseded rows), the file is
rewritten to a temporary file and renamed over the old one.
"""
import csv
import io
import os

META = ["point", "status", "exit_status", "error"]
KEY = "args"
DERIVED = ["drop_rate", "frame_loss_rate", "link_MBps", "offered_MBps", "mean_frame_bytes",
           "analytic_consumer_ns", "analytic_capacity_MBps", "analytic_throughput_MBps", "load"]


def split_columns(header):
    """(params, stats) of a header laid out as above."""
    try:
        i, j = header.index("error"), header.index(KEY)
    except ValueError:
        return [], [c for c in header if c not in META]
    return header[i + 1:j], header[j + 1:]


def order(params, stats):
    d = [c for c in DERIVED if c in stats]
    rest = [c for c in stats if c not in DERIVED]
    return META + list(params) + [KEY] + d + rest


def union(a, b):
    return list(a) + [c for c in b if c not in a]


def read(path):
    """(header, rows) of a sweep CSV; rows are dicts of strings. A torn last line is dropped."""
    if not os.path.exists(path):
        return [], []
    with open(path, newline="") as f:
        text = f.read()
    if text and not text.endswith("\n"):
        text = text[:text.rfind("\n") + 1]
    r = csv.reader(io.StringIO(text))
    try:
        header = next(r)
    except StopIteration:
        return [], []
    if "point" not in header or KEY not in header:
        raise ValueError(f"{path} is not a ppb-sweep CSV (no 'point' and 'args' columns)")
    rows = []
    for rec in r:
        if len(rec) != len(header):
            continue  # torn
        rows.append(dict(zip(header, rec)))
    return header, rows


def better(old, new):
    """Which of two rows of the same point to keep: a passing run over a failed one, else the newer."""
    if old is None:
        return new
    if old.get("status") == "ok" and new.get("status") != "ok":
        return old
    return new


def dedup(rows):
    by = {}
    for r in rows:
        k = r.get(KEY) or r.get("point")
        by[k] = better(by.get(k), r)
    return list(by.values())


def _line(header, row):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(["" if row.get(c) is None else row.get(c) for c in header])
    return buf.getvalue()


def write(path, header, rows):
    """Writes the whole file atomically."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", newline="") as f:
        f.write(_line(header, {c: c for c in header}))
        for r in rows:
            f.write(_line(header, r))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Store:
    """A CSV that grows a row at a time."""

    def __init__(self, path):
        self.path = path
        self.header, self.rows = read(path)
        if self.header:
            with open(path, "rb") as f:
                f.seek(0, os.SEEK_END)
                torn = f.tell() > 0 and (f.seek(-1, os.SEEK_END) or f.read(1) != b"\n")
            if torn:  # a torn last line: drop it before appending after it
                write(path, self.header, self.rows)

    def done(self):
        """Keys of points that already passed."""
        return {r[KEY] for r in self.rows if r.get("status") == "ok"}

    def add(self, row):
        """Appends a row; its "_params" entry names its parameter columns."""
        row = dict(row)
        row_params = list(row.pop("_params", ()))
        params, stats = split_columns(self.header)
        row_stats = [c for c in row if c not in META and c != KEY and c not in row_params]
        want = order(union(params, row_params), union(stats, row_stats))
        self.rows.append(row)
        if want != self.header:
            self.header = want
            write(self.path, self.header, self.rows)
            return
        data = _line(self.header, row).encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, data)  # one write: a whole line or (if the machine dies) a torn tail
        finally:
            os.close(fd)

    def compact(self):
        self.rows = dedup(self.rows)
        if self.header:
            write(self.path, self.header, self.rows)


def merge(tables):
    """One (header, rows) from many, deduplicated by point."""
    params, stats, rows = [], [], []
    for header, rs in tables:
        p, s = split_columns(header)
        params, stats = union(params, p), union(stats, s)
        rows += rs
    return order(params, stats), dedup(rows)
