"""What a regression script reports about its runs, in the forms its users read: each failure printed
with its kind, its command line and the command that reruns it with waves; a JUnit file (one testcase
per run, skipped cases for what was not run); a JSON summary that `scripts/ppb-regress merge` combines
with the other tasks' of an array job; and the regression lines of testbench/regressions.txt.

Users: scripts/soak and scripts/cosim-seeds.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import os
import shlex
import sys
import time
from pathlib import Path

from . import junit

SCHEMA = 1  # of the JSON summary


@dataclasses.dataclass
class Failure:
    case: str  # the testcase's name
    kind: str  # result.failure_kind, or result.DISAGREEMENT
    why: str
    command: str  # the command line that failed, one shell line
    rerun: str  # the one that reruns it with waves
    backends: list  # the backends that failed (several for a disagreement)
    args: list  # ppb-cosim's arguments, without --backend (a regression line adds it)

    def printed(self) -> str:
        return f"    {self.why}\n    waves: {self.rerun}"


class Report:
    """The runs of one invocation of a regression script (or of one task of an array job)."""

    def __init__(self, tool: str, suite: str, properties: dict | None = None):
        self.tool, self.started, self.t0 = tool, datetime.datetime.now(), time.monotonic()
        self.suite = junit.Suite(suite, properties=dict(properties or {}))
        self.failures: list[Failure] = []
        self.stats: dict = {}
        self.complete = True  # False when the script stopped before the end it was given

    def passed(self, name: str, classname: str, seconds: float, output: str = "") -> None:
        self.suite.cases.append(junit.Case(name, classname, seconds, output=output))

    def failed(self, name: str, classname: str, seconds: float, failure: Failure, output: str = "",
               status: str = junit.FAILED) -> None:
        self.failures.append(failure)
        text = junit.failure_text(failure.command, failure.rerun, failure.kind, failure.why)
        self.suite.cases.append(junit.Case(name, classname, seconds, status, failure.kind,
                                           f"[{failure.kind}] {failure.why.splitlines()[0] if failure.why else ''}"
                                           [:300], text, output))

    def skipped(self, name: str, classname: str, why: str) -> None:
        self.suite.cases.append(junit.Case(name, classname, status=junit.SKIPPED, message=why))

    def counts(self) -> dict:
        c = {s: self.suite.count(s) for s in (junit.PASSED, junit.FAILED, junit.ERROR, junit.SKIPPED)}
        c["tests"] = len(self.suite.cases)
        return c

    @property
    def ok(self) -> bool:
        return not self.failures and self.complete

    def write_junit(self, path: str) -> None:
        self.suite.timestamp = self.started.replace(microsecond=0).isoformat()
        self.suite.time = time.monotonic() - self.t0
        junit.write(path, self.suite)

    def summary(self) -> dict:
        return {"schema": SCHEMA, "tool": self.tool, "suite": self.suite.name,
                "command": shlex.join([sys.executable, *sys.argv]), "properties": self.suite.properties,
                "started": self.started.replace(microsecond=0).isoformat(), "wall_s": round(time.monotonic() - self.t0, 3),
                "complete": self.complete, "ok": self.ok, "counts": self.counts(),
                "failures": [dataclasses.asdict(f) for f in self.failures], "stats": self.stats}

    def write_json(self, path: str) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "w") as f:
            json.dump(self.summary(), f, indent=1)
            f.write("\n")
        os.replace(tmp, path)

    def write(self, junit_path: str | None, json_path: str | None) -> None:
        if junit_path:
            self.write_junit(junit_path)
        if json_path:
            self.write_json(json_path)


def output_problem(path: str | None, option: str, make_dir: bool = True) -> str | None:
    """None, or why a file cannot be written at `path` (None: no such output): checked before a
    sweep or a regression runs, so that its results are never lost at the end. With `make_dir` the
    directory is made if missing (as the report writers do), else a missing one is the problem (the
    sweep's CSV). A trial file is created and removed beside it."""
    if path is None:
        return None
    if not path:
        return f"{option}: an empty path names no file"
    if os.path.isdir(path):
        return f"{option} {path}: is a directory, not a file"
    d = os.path.dirname(os.path.abspath(path))
    if not make_dir and not os.path.isdir(d):
        return f"{option} {path}: the directory {os.path.dirname(path) or '.'} does not exist"
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return f"{option} {path}: not writable"
    try:
        os.makedirs(d, exist_ok=True)
        probe = f"{path}.probe{os.getpid()}"
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError as e:
        return f"{option} {path}: cannot write there: {e.strerror}"
    return None


def regression_line(backend: str, args: list) -> str:
    return " ".join(shlex.quote(x) for x in ["--backend", backend, *args])


def record_regression(path: Path, backend: str, args: list, why: str, found_by: str = "scripts/soak") -> bool:
    """Appends a failing command line to testbench/regressions.txt (CMake makes each line a
    cosim.regression.<n> test), with a comment saying when and why; False when it was there already."""
    line = regression_line(backend, args)
    existing = path.read_text().splitlines() if path.exists() else []
    if line in existing:
        return False
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with path.open("a") as f:
        f.write(f"# {stamp}, found by {found_by}: {why.splitlines()[0][:160] if why else 'failed'}\n")
        f.write(line + "\n")
    return True


def parse_slice(text: str) -> tuple[int, int]:
    """'K/N' -> (K, N), 1 <= K <= N; ValueError otherwise."""
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"slice {text!r} is not K/N (task K of N, from 1)") from None
    if not 1 <= k <= n:
        raise ValueError(f"slice {text!r}: K must be between 1 and N")
    return k, n


def slice_range(first: int, last: int, k: int, n: int) -> range:
    """Slice k of n (from 1) of first..last, in contiguous blocks whose sizes differ by at most one."""
    total = last - first + 1
    lo = first + (k - 1) * total // n
    hi = first + k * total // n
    return range(lo, hi)
