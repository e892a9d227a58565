"""Grids: `--set name=v1,v2,...` on the command line and/or a grid file (JSON or TOML), expanded into
points (the cartesian product, in a stable order).

Values: a list `1024,2048,4096`; a linear range `start:stop:step` (inclusive, `10:100:10`); a geometric
range `start:stop:xF` (`512:65536:x2`). Grid file:

    [set]                       # or {"set": {...}, "fixed": {...}} in JSON
    buffer = [1024, 2048, 4096]
    link-rate = "10:100:10"
    [fixed]
    packets = 2000
    drop-when-full = true
"""
import itertools
import json
import os

from .cosim import UsageError, check_point, expand


def _range(text):
    parts = text.split(":")
    if len(parts) != 3:
        raise ValueError
    start, stop = float(parts[0]), float(parts[1])
    step = parts[2].strip()
    vals = []
    if step.startswith("x"):
        f = float(step[1:])
        if f <= 1 or start <= 0:
            raise ValueError
        v = start
        while v <= stop * (1 + 1e-9):
            vals.append(v)
            v *= f
    else:
        s = float(step)
        if s <= 0:
            raise ValueError
        n = 0
        while start + n * s <= stop + abs(s) * 1e-9:
            vals.append(start + n * s)
            n += 1
    if not vals or len(vals) > 100000:
        raise ValueError
    return [format(v, ".12g") for v in vals]


def split_values(name, raw):
    """The values of one parameter from its text (or a list from a grid file)."""
    if isinstance(raw, list):
        items = []
        for x in raw:
            items += split_values(name, x) if isinstance(x, str) and ":" in x else [x]
        return items
    if isinstance(raw, (int, float, bool)):
        return [raw]
    text = str(raw).strip()
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise UsageError(f"{name}: empty value in '{raw}'")
        if ":" in part:
            try:
                out += _range(part)
            except ValueError:
                raise UsageError(f"{name}: bad range '{part}' (use start:stop:step or start:stop:xFACTOR)") from None
        else:
            out.append(part)
    return out


def parse_set(text):
    name, eq, values = text.partition("=")
    if not eq or not name.strip():
        raise UsageError(f"--set '{text}': expected name=value[,value...]")
    return name.strip(), values


def load_file(path):
    """(set, fixed) dictionaries from a grid file."""
    if not os.path.isfile(path):
        raise UsageError(f"grid file '{path}' not found")
    try:
        if path.endswith(".toml"):
            import tomllib
            with open(path, "rb") as f:
                doc = tomllib.load(f)
        else:
            with open(path) as f:
                doc = json.load(f)
    except Exception as e:  # tomllib.TOMLDecodeError, json.JSONDecodeError, ...
        raise UsageError(f"grid file '{path}': {e}") from None
    if not isinstance(doc, dict) or not set(doc) <= {"set", "fixed"}:
        raise UsageError(f"grid file '{path}': expected the tables 'set' and/or 'fixed'")
    for t in ("set", "fixed"):
        if not isinstance(doc.get(t, {}), dict):
            raise UsageError(f"grid file '{path}': '{t}' must be a table of name = value(s)")
    return doc.get("set", {}), doc.get("fixed", {})


class Grid:
    def __init__(self, cosim):
        self.cosim = cosim
        self.axes = {}    # option name -> [canonical values]
        self.fixed = {}   # option name -> canonical value

    def add_axis(self, name, raw):
        o = self.cosim.option(name)
        if o.name in self.axes or o.name in self.fixed:
            raise UsageError(f"parameter '{o.name}' is given twice")
        vals = []
        for v in split_values(o.name, raw):
            c = o.canon(v)
            if c not in vals:
                vals.append(c)
        self.axes[o.name] = vals

    def add_fixed(self, name, value):
        o = self.cosim.option(name)
        if o.name in self.axes or o.name in self.fixed:
            raise UsageError(f"parameter '{o.name}' is given twice")
        self.fixed[o.name] = o.canon(value)

    def add_file(self, path):
        sets, fixed = load_file(path)
        for k, v in sets.items():
            self.add_axis(k, v)
        for k, v in fixed.items():
            if isinstance(v, list):
                raise UsageError(f"grid file '{path}': fixed '{k}' has a list; put it under [set]")
            self.add_fixed(k, v)

    def points(self):
        """Every point (dict option -> value, axes first), after checking each for consistency."""
        names = list(self.axes)
        out = []
        for combo in itertools.product(*(self.axes[n] for n in names)):
            p = dict(zip(names, combo))
            p.update(self.fixed)
            expand(p)  # buffer vs capacity conflicts
            why = check_point(p)
            if why:
                shown = " ".join(f"{k}={v}" for k, v in p.items())
                raise UsageError(f"point {shown}: {why}")
            out.append(p)
        return out
