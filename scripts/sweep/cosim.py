"""ppb-cosim as the sweep sees it: its options (read from its own --help, so the sweep follows the
program as it grows), points (one ppb-cosim command line each), and running one point into a CSV row
(the running itself is ppbkit's).
"""
import hashlib
import re

from ppbkit import cosim as ppb
from ppbkit import regs
from ppbkit.scenarios import frame_overhead

from . import analytic


class UsageError(Exception):
    """Bad input from the user: the command prints the message and exits with status 2."""


# Options a sweep must not set: the sweep owns the output, and a per-point waveform would collide.
RESERVED = {"help": "it prints help", "json": "the sweep writes each point's JSON itself",
            "quiet": "the sweep always runs ppb-cosim quietly", "trace": "one VCD per point is not a sweep's job"}

# A pseudo-parameter: CAPACITY and BufferSize together (CAPACITY = BufferSize).
BUFFER = "buffer"


class Option:
    def __init__(self, name, kind, lo=None, hi=None, lo_open=False, values=None):
        self.name, self.kind, self.lo, self.hi, self.lo_open, self.values = name, kind, lo, hi, lo_open, values

    def canon(self, raw):
        """Checks one value and returns its canonical text (or a bool for a flag)."""
        text = str(raw).strip()
        if self.kind == "flag":
            if isinstance(raw, bool):
                return raw
            t = text.lower()
            if t in ("1", "true", "yes", "on"):
                return True
            if t in ("0", "false", "no", "off"):
                return False
            raise UsageError(f"{self.name}: '{raw}' is not a yes/no value (use true/false or 1/0)")
        if self.kind == "enum":
            if text.lower() not in self.values:
                raise UsageError(f"{self.name}: '{raw}' is not one of {', '.join(sorted(self.values))}")
            return text.lower()
        if self.kind == "text":
            if not text:
                raise UsageError(f"{self.name}: empty value")
            return text
        try:
            if self.kind == "uint":
                f = float(text)
                if f != int(f) or f < 0:
                    raise ValueError
                v = int(f)
            else:
                v = float(text)
                if v != v or v in (float("inf"), float("-inf")):
                    raise ValueError
        except ValueError:
            what = "a whole number >= 0" if self.kind == "uint" else "a number"
            raise UsageError(f"{self.name}: '{raw}' is not {what}") from None
        if self.lo is not None and (v < self.lo or (self.lo_open and v == self.lo)):
            raise UsageError(f"{self.name}: {raw} is out of range (must be {'>' if self.lo_open else '>='} {self.lo:g})")
        if self.hi is not None and v > self.hi:
            raise UsageError(f"{self.name}: {raw} is out of range (must be <= {self.hi:g})")
        return str(v) if self.kind == "uint" else format(v, ".12g")


_HELP_LINE = re.compile(r"^\s+(?:-\w,)?--([a-z][\w-]*)(?:\s+([A-Z]+)(?::(\S+(?:\s+in\s+[\[{][^\]}]*[\]}])?))?)?")


def parse_help(text):
    """The option table from ppb-cosim --help (CLI11's format)."""
    opts = {}
    for line in text.splitlines():
        m = _HELP_LINE.match(line)
        if not m:
            continue
        name, typ, cons = m.group(1), m.group(2), m.group(3) or ""
        if typ is None or typ not in ("UINT", "INT", "FLOAT", "ENUM", "TEXT"):
            opts[name] = Option(name, "flag")
            continue
        if typ == "ENUM":
            # ppb-cosim names its choices {a|b|c}; CLI11's own mapping text is {a->x,b->y}.
            values = set(re.findall(r"([\w.-]+)->", cons))
            if not values:
                m = re.search(r"\{([^}]*)\}", cons)
                values = set(v for v in re.split(r"[|,\s]+", m.group(1)) if v) if m else set()
            opts[name] = Option(name, "enum", values=values)
            continue
        if typ == "TEXT":
            opts[name] = Option(name, "text")
            continue
        o = Option(name, "uint" if typ in ("UINT", "INT") else "float")
        if typ == "UINT":
            o.lo = 0
        r = re.search(r"in\s+\[\s*([-\d.e+]+)\s*-\s*([-\d.e+]+)\s*\]", cons)
        if r:
            o.lo, o.hi = float(r.group(1)), float(r.group(2))
        elif "NONNEGATIVE" in cons:
            o.lo = 0.0
        elif "POSITIVE" in cons:
            o.lo, o.lo_open = 0.0, True
        opts[name] = o
    return opts


def find_cosim(path):
    """Absolute path of an executable ppb-cosim, or a UsageError saying how to get one."""
    path = path or ppb.default_path()
    resolved = ppb.find(path)
    if not resolved:
        raise UsageError(f"ppb-cosim not found at '{path}': build it with "
                         f"`{ppb.BUILD} --target ppb-cosim`, "
                         "or give its path with --cosim PATH (or PPB_COSIM=PATH)")
    return resolved


class Cosim:
    """One ppb-cosim binary and its option table."""

    def __init__(self, path):
        self.path = find_cosim(path)
        try:
            p = ppb.run(self.path, ["--help"], json=False, quiet=False, timeout=60)
        except OSError as e:
            raise UsageError(f"cannot run {self.path}: {e}") from None
        self.options = parse_help(p.stdout)
        if p.code != 0 or p.timed_out or "link-rate" not in self.options:
            raise UsageError(f"{self.path} does not look like ppb-cosim (its --help lists no --link-rate)")

    def option(self, name):
        """The Option for a parameter name (dashes or underscores); UsageError when unknown."""
        n = name.strip().lstrip("-").replace("_", "-")
        if n == BUFFER:
            return Option(BUFFER, "uint", lo=regs.CAPACITY_MIN, hi=regs.CAPACITY_MAX)
        if n in RESERVED:
            raise UsageError(f"parameter '{name}' cannot be set in a sweep: {RESERVED[n]}")
        if n not in self.options:
            known = sorted([BUFFER, *(k for k in self.options if k not in RESERVED)])
            raise UsageError(f"unknown parameter '{name}'; ppb-cosim's are: {', '.join(known)}")
        return self.options[n]

    def parse_args(self, argv):
        """Fixed options given as ppb-cosim arguments (--name value, --flag, --name=value)."""
        out = {}
        i = 0
        while i < len(argv):
            a = argv[i]
            if not a.startswith("--"):
                raise UsageError(f"unexpected argument '{a}' (ppb-cosim options are --name value)")
            name, eq, val = a[2:].partition("=")
            o = self.option(name)
            if o.kind == "flag":
                out[o.name] = o.canon(val) if eq else True
            else:
                if not eq:
                    i += 1
                    if i >= len(argv):
                        raise UsageError(f"--{name} needs a value")
                    val = argv[i]
                out[o.name] = o.canon(val)
            i += 1
        return out


def expand(params):
    """The ppb-cosim options of a point: the pseudo-parameter `buffer` becomes capacity and buffer-size."""
    opts = dict(params)
    if BUFFER in opts:
        v = opts.pop(BUFFER)
        for n in ("capacity", "buffer-size"):
            if n in opts and opts[n] != v:
                raise UsageError(f"'{BUFFER}' sets capacity and buffer-size; do not set {n} as well")
            opts[n] = v
    return opts


def point_args(params):
    """The canonical ppb-cosim arguments of a point (sorted by option name)."""
    return ppb.arguments(sorted(expand(params).items()))


def point_key(params):
    return " ".join(point_args(params))


def point_id(params):
    return hashlib.sha1(point_key(params).encode()).hexdigest()[:12]


def column_of(param):
    return param.replace("-", "_")


def check_point(params):
    """Constraints between options that ppb-cosim would refuse (it stays the judge: a point it refuses
    is recorded as 'invalid'). Returns a message or None."""
    o = expand(params)
    cap = int(o.get("capacity", 4096))
    why = ppb.capacity_error(cap)
    if why:
        return why
    bs = int(o.get("buffer-size", cap) or cap)
    if bs > cap:
        return f"buffer-size {bs} exceeds the capacity {cap}"
    pmax = int(o.get("payload-max", 512))
    pmin = int(o.get("payload-min", 16))
    if pmin > pmax:
        return f"payload-min {pmin} exceeds payload-max {pmax}"
    biggest = pmax + frame_overhead(str(o.get("frame-check", "crc16")))
    if bs < biggest:
        return f"buffer size {bs} cannot hold the largest frame ({biggest} bytes)"
    return None


# ---- running one point ----------------------------------------------------------------------

def flatten(doc):
    """Every statistic of ppb-cosim's JSON as flat columns: frames_delivered, bytes_dropped,
    latency_p99 (seconds), throughput_simulated_MBps, config_link_rate (SI units), ..."""
    flat = {}
    for section, v in doc.items():
        if isinstance(v, dict):
            prefix = "latency" if section == "latency_s" else section
            for k, x in v.items():
                flat[f"{prefix}_{k}"] = int(x) if isinstance(x, bool) else x
        elif isinstance(v, list):
            flat[section] = " | ".join(str(e) for e in v)
        else:
            flat[section] = int(v) if isinstance(v, bool) else v
    return flat


def result_row(pid, params, r):
    """One CSV row of a point's Result: status columns, the point's parameters, its arguments, every
    statistic and the derived figures (drop rate, analytic consumer capacity, ...)."""
    row = {"point": pid, "exit_status": r.code, "error": ""}
    for k, v in params.items():
        row[column_of(k)] = int(v) if isinstance(v, bool) else v
    row["args"] = point_key(params)
    row["_params"] = [column_of(k) for k in params]
    if r.timed_out:
        row.update(status="timeout", error="timed out")
    elif r.data is None:
        rc = r.code
        row["status"] = "invalid" if rc == 2 else ("signal" if rc is not None and rc < 0 else "error")
        row["error"] = r.first_error or (f"no JSON written (exit status {rc})")
    else:
        errors = r.errors
        row["status"] = "ok" if r.code == 0 and r.data.get("ok", True) else "fail"
        if row["status"] != "ok":
            row["error"] = str(errors[0]) if errors else (r.first_error or f"exit status {r.code}")
        flat = flatten(r.data)
        row.update(analytic.derive(flat))
        row.update(flat)
    return row


def run_point(cosim_path, params, timeout=None, children=None):
    """Runs one point; returns its row. The run has a process group of its own (a terminal's Ctrl-C
    reaches only the sweep), registered in `children` so that an interrupt can end it."""
    r = ppb.run(cosim_path, point_args(params), timeout=timeout, new_session=True, children=children)
    return result_row(point_id(params), params, r)
