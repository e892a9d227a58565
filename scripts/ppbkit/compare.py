"""Comparisons the engine checks (scripts/parallel-check, scripts/slurm-check) make between work run
through an engine and the same work run here: two sweep CSVs, two JUnit files.

    python3 -m ppbkit.compare csv A.csv B.csv          the same points with the same results
    python3 -m ppbkit.compare junit A.xml B.xml [--prefix]
        the same testcases (classname, name) with the same outcome; --prefix: B's cases begin
        with A's first ones, as many as the shorter has (two soaks of one seed for different times)

Each prints what differs and exits 1, or prints `same` and exits 0.
"""
from __future__ import annotations

import argparse
import csv
import sys

from . import junit

# The columns of a sweep row that differ between two runs of the same point (wall-clock time).
WALL = {"time_wall_s", "throughput_wall_MBps", "throughput_wall_frames_per_s", "throughput_sim_to_wall"}


def csv_differences(a_path: str, b_path: str) -> str:
    """'' when two sweep CSVs hold the same points with the same values (wall-clock columns aside)."""
    def rows(p):
        with open(p, newline="") as f:
            return {r["point"]: r for r in csv.DictReader(f)}
    a, b = rows(a_path), rows(b_path)
    if not a:
        return f"{a_path} has no rows"
    if sorted(a) != sorted(b):
        return f"points differ: only in {a_path}: {sorted(set(a) - set(b))}, only in {b_path}: {sorted(set(b) - set(a))}"
    for k in a:
        for c in sorted(set(a[k]) | set(b[k])):
            if c not in WALL and a[k].get(c) != b[k].get(c):
                return f"point {k} column {c}: {a[k].get(c)!r} != {b[k].get(c)!r}"
    return ""


def cases(path: str) -> list:
    return [(c.classname, c.name, c.status) for s in junit.read(path) for c in s.cases]


def junit_differences(a_path: str, b_path: str, prefix: bool = False) -> str:
    """'' when two JUnit files hold the same testcases with the same outcomes (in any order; with
    prefix, in order and only as many as the shorter file has)."""
    a, b = cases(a_path), cases(b_path)
    if not a or not b:
        return f"no testcases in {a_path if not a else b_path}"
    if prefix:
        n = min(len(a), len(b))
        for i in range(n):
            if a[i] != b[i]:
                return f"case {i + 1}: {a[i]} != {b[i]}"
        return ""
    if sorted(a) != sorted(b):
        return (f"cases differ: only in {a_path}: {sorted(set(a) - set(b))[:5]}, "
                f"only in {b_path}: {sorted(set(b) - set(a))[:5]}")
    return ""


def main(argv: list | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m ppbkit.compare", description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["csv", "junit"])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--prefix", action="store_true")
    a = ap.parse_args(argv)
    try:
        diff = csv_differences(a.a, a.b) if a.what == "csv" else junit_differences(a.a, a.b, a.prefix)
    except (OSError, ValueError, KeyError) as e:
        diff = str(e)
    print(diff or "same")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
