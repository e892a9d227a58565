"""A seed regression or a soak split into the tasks of an array job (SLURM, or GNU parallel), and the
merge of what the tasks left into one verdict: scripts/ppb-regress.

Task K of N of a seed regression runs `cosim-seeds --slice K/N --keep-going`: the K-th block of the
seeds. Task K of a soak runs `soak --seed BASE+K` for the whole time: a time slice with its own seed.
Each writes, in the results directory, task-K.json (ppbkit.report's summary), task-K.xml (JUnit),
task-K.log (its output) and task-K.rc (its exit status). regress.json is the manifest: the tool, its
parameters, the number of tasks and each task's command line.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import math
import os
import shlex
import sys
from pathlib import Path

from . import junit, slurm
from .report import SCHEMA, record_regression

MANIFEST = "regress.json"
# The statistics of the tasks' summaries that add up (the others, seeds and ranges, are listed per task).
ADDITIVE = {"scenarios", "runs", "cases", "per_family", "kinds", "framing"}
SCRIPTS = Path(__file__).resolve().parent.parent


def task_files(results: str, k: int) -> dict:
    return {x: os.path.join(results, f"task-{k}.{x}") for x in ("json", "xml", "log", "rc")}


def task_command(tool: str, k: int, n: int, params: dict, *, python: str, scripts: str, cosim: str,
                 results: str) -> list:
    """The argv of task k of n."""
    f = task_files(results, k)
    if tool == "seeds":
        argv = [python, os.path.join(scripts, "cosim-seeds"), cosim, str(params["seeds"]), params["backend"],
                "--slice", f"{k}/{n}", "--keep-going", "--timeout", str(params["timeout"])]
    elif tool == "soak":
        argv = [python, os.path.join(scripts, "soak"), "--cosim", cosim, "--time", str(params["time"]),
                "--seed", str(params["seed"] + k), "--backends", *params["backends"], "--no-record",
                "--timeout", str(params["timeout"])]
        if params.get("families"):
            argv += ["--families", *params["families"]]
    else:
        raise ValueError(f"unknown regression {tool!r}")
    return argv + ["--junit", f["xml"], "--json", f["json"]]


def job_line(argv: list, results: str, k: int) -> str:
    """One shell line: the task's command, its output to task-K.log, its exit status to task-K.rc and
    as the line's own (so SLURM marks a failing task FAILED)."""
    f = task_files(results, k)
    return (f"{shlex.join(argv)} >{shlex.quote(f['log'])} 2>&1; rc=$?; echo $rc >{shlex.quote(f['rc'])}; "
            f"exit $rc")


def task_minutes(tool: str, params: dict) -> int:
    """A task's SLURM time limit: a soak's time plus two runs that reach their timeout, plus margin; a
    seed slice's from --minutes."""
    if tool == "soak":
        return math.ceil((params["time"] + 2 * params["timeout"] * len(params["backends"])) / 60) + 5
    return params["minutes"]


def write_jobs(tool: str, params: dict, tasks: int, *, results: str, cosim: str, python: str | None = None,
               remote_results: str | None = None, remote_cosim: str | None = None,
               remote_scripts: str | None = None) -> dict:
    """Writes jobs.txt (one line per task), slurm.sh (one array task per line) and the manifest into
    results; returns the manifest. The remote_* paths are the ones the nodes see (default: these)."""
    results = os.path.abspath(results)
    os.makedirs(results, exist_ok=True)
    remote = remote_results or results
    python = python or sys.executable
    scripts = remote_scripts or str(SCRIPTS)
    cmds = [task_command(tool, k, tasks, params, python=python, scripts=scripts, cosim=remote_cosim or cosim,
                         results=remote) for k in range(1, tasks + 1)]
    lines = [job_line(c, remote, k) for k, c in enumerate(cmds, 1)]
    jobs = os.path.join(results, "jobs.txt")
    Path(jobs).write_text("".join(line + "\n" for line in lines))
    for k in range(1, tasks + 1):  # a new run starts with no task's results
        for path in task_files(results, k).values():
            if os.path.exists(path):
                os.remove(path)
    manifest = {"schema": SCHEMA, "tool": tool, "params": params, "tasks": tasks,
                "created": datetime.datetime.now().replace(microsecond=0).isoformat(),
                "commands": [shlex.join(c) for c in cmds]}
    Path(os.path.join(results, MANIFEST)).write_text(json.dumps(manifest, indent=1) + "\n")
    script = os.path.join(results, "slurm.sh")
    Path(script).write_text(slurm.array_script(
        what=f"ppb-regress {tool}", name=f"ppb-{tool}", jobs=os.path.join(remote, "jobs.txt"), output=remote,
        script=script, tasks=tasks, per=1, minutes=task_minutes(tool, params),
        then=f"scripts/ppb-regress merge {shlex.quote(results)}"))
    os.chmod(script, 0o755)
    return manifest


@dataclasses.dataclass
class Merged:
    tool: str
    tasks: int
    complete: int  # tasks that left a summary and ran to their end
    # counts: the tasks' testcases (passed, failed, error, skipped, tests); lost tasks are in `missing`
    missing: list  # the tasks that left no summary: {task, why, command, log}
    counts: dict
    failures: list  # dicts (report.Failure fields) plus "task"
    suites: list  # junit.Suite, the tasks' and one for the tasks that left nothing
    stats: dict

    @property
    def ok(self) -> bool:
        return not self.failures and not self.missing and self.complete == self.tasks

    def verdict(self) -> str:
        c = self.counts
        line = (f"ppb-regress {self.tool}: {self.tasks} tasks ({self.complete} complete"
                + (f", {len(self.missing)} left no result: {', '.join(str(x['task']) for x in self.missing)}"
                   if self.missing else "")
                + f"); {c['passed']} passed, {c['failed'] + c['error']} failed, {c['skipped']} skipped")
        return line + (": PASS" if self.ok else ": FAIL")


def _tail(path: str, n: int = 30) -> str:
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def merge(results: str) -> Merged:
    """Combines the tasks' summaries and JUnit files. A task without a summary (it never ran, was
    killed, or its node could not write the directory) is an error case of its own, with its command
    line and the end of its log. Raises ValueError when results has no manifest."""
    mp = os.path.join(results, MANIFEST)
    try:
        manifest = json.loads(Path(mp).read_text())
    except (OSError, ValueError) as e:
        raise ValueError(f"{results}: no ppb-regress manifest ({MANIFEST}: {e})") from None
    n = manifest["tasks"]
    counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0, "tests": 0}
    failures, suites, missing, complete = [], [], [], 0
    stats: dict = {"wall_s": []}
    lost = junit.Suite(f"ppb-regress {manifest['tool']} tasks")
    for k in range(1, n + 1):
        f = task_files(results, k)
        summary = None
        try:
            summary = json.loads(Path(f["json"]).read_text())
        except (OSError, ValueError):
            pass
        if summary is None:
            rc = Path(f["rc"]).read_text().strip() if os.path.exists(f["rc"]) else ""
            why = f"exit status {rc}" if rc else "it never ran or was killed (no exit status)"
            missing.append({"task": k, "why": why, "command": manifest["commands"][k - 1], "log": f["log"]})
            slurm_out = ", or slurm-*_%d.out in the same directory" % k
            lost.cases.append(junit.Case(
                f"task {k}", lost.name, status=junit.ERROR, kind="no result",
                message=f"task {k} of {n} left no summary: {why}",
                text=junit.failure_text(manifest["commands"][k - 1], kind="no result", why=why,
                                        log=f["log"] + slurm_out),
                output=_tail(f["log"])))
            continue
        if summary.get("complete"):
            complete += 1
        for key in counts:
            counts[key] += summary.get("counts", {}).get(key, 0)
        stats["wall_s"].append(summary.get("wall_s", 0))
        for x in summary.get("failures", []):
            failures.append(dict(x, task=k))
        for key, v in (summary.get("stats") or {}).items():
            if key in ADDITIVE:
                _add(stats, key, v)
            else:
                stats.setdefault(key, []).append(v)
        if os.path.exists(f["xml"]):
            try:
                suites += junit.read(f["xml"])
            except ValueError as e:
                lost.cases.append(junit.Case(f"task {k} JUnit", lost.name, status=junit.ERROR, kind="unreadable",
                                             message=str(e)))
                missing.append({"task": k, "why": str(e), "command": manifest["commands"][k - 1], "log": f["log"]})
    if lost.cases:
        suites.append(lost)
    return Merged(manifest["tool"], n, complete, missing, counts, failures, suites, stats)


def _add(into: dict, key: str, v) -> None:
    """Adds a task's statistic into the total: numbers add, dicts add by key."""
    if isinstance(v, bool) or not isinstance(v, (int, float, dict)):
        into.setdefault(key, []).append(v)
    elif isinstance(v, dict):
        d = into.setdefault(key, {})
        for k2, v2 in v.items():
            _add(d, k2, v2)
    else:
        into[key] = into.get(key, 0) + v


def record(merged: Merged, path: Path) -> int:
    """Appends every failure's command lines to a regressions file; returns how many were new."""
    new = 0
    for f in merged.failures:
        for b in f.get("backends", []):
            new += record_regression(path, b, f.get("args", []), f"[{f.get('kind')}] {f.get('why', '')}",
                                     found_by=f"scripts/ppb-regress ({merged.tool}, task {f['task']})")
    return new
