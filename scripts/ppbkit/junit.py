"""JUnit XML, as CI systems read it (Jenkins, GitLab, GitHub Actions' reporters): write it, read it
back, merge several files into one, and fill in what ctest's --output-junit leaves out.

A run of a regression is a Case; its failure carries the kind (the `type` attribute), a one-line
message, and a text with the failing command line and the command that reruns it with waves. Cases
that were not run are `skipped`, with the reason. Standard library only (xml.etree).

    python3 -m ppbkit.junit ctest JUNIT --build-dir DIR [--log CTEST_OUTPUT] [--stage NAME]
        adds to ctest's JUnit file each failed test's command line, working directory, the ctest
        command that reruns it and the reason ctest printed (Failed, Timeout, SegFault, ...)
    python3 -m ppbkit.junit merge -o OUT FILE...
        one file of every suite of the inputs; prints the totals, exit 1 if anything failed
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET

PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"

# XML 1.0 cannot hold most control characters, even escaped; a crashing program's output may have them.
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    return _BAD_XML.sub("\ufffd", str(text))


def now() -> str:
    return datetime.datetime.now().replace(microsecond=0).isoformat()


@dataclasses.dataclass
class Case:
    """One testcase: passed, failed (a check failed), error (it could not run to a verdict) or skipped.
    kind: what failed (the failure's `type`); message: one line; text: the body (command lines)."""

    name: str
    classname: str = ""
    time: float = 0.0
    status: str = PASSED
    kind: str = ""
    message: str = ""
    text: str = ""
    output: str = ""
    properties: dict = dataclasses.field(default_factory=dict)

    @property
    def bad(self) -> bool:
        return self.status in (FAILED, ERROR)


@dataclasses.dataclass
class Suite:
    name: str
    cases: list = dataclasses.field(default_factory=list)
    properties: dict = dataclasses.field(default_factory=dict)
    timestamp: str = ""
    hostname: str = ""
    time: float | None = None

    def count(self, status: str) -> int:
        return sum(1 for c in self.cases if c.status == status)


def failure_text(command: str = "", rerun: str = "", kind: str = "", why: str = "", **more: str) -> str:
    """The body of a failure: what failed and how, the command line that failed, and the one that
    reruns it with waves; more: further `name: value` lines (after `why`)."""
    lines = []
    if kind:
        lines.append(f"kind: {kind}")
    if why:
        lines.append(f"why: {why}")
    for k, v in more.items():
        if v:
            lines.append(f"{k.replace('_', ' ')}: {v}")
    if command:
        lines.append(f"command: {command}")
    if rerun:
        lines.append(f"rerun with waves: {rerun}")
    return "\n".join(lines)


# ---- writing --------------------------------------------------------------------------------------

def _props(parent: ET.Element, props: dict) -> None:
    if props:
        p = ET.SubElement(parent, "properties")
        for k, v in props.items():
            ET.SubElement(p, "property", name=clean(k), value=clean(v))


def _suite_element(s: Suite) -> ET.Element:
    t = s.time if s.time is not None else sum(c.time for c in s.cases)
    e = ET.Element("testsuite", name=clean(s.name), tests=str(len(s.cases)), failures=str(s.count(FAILED)),
                   errors=str(s.count(ERROR)), skipped=str(s.count(SKIPPED)), time=f"{t:.3f}",
                   timestamp=s.timestamp or now(), hostname=s.hostname or socket.gethostname())
    _props(e, s.properties)
    for c in s.cases:
        ce = ET.SubElement(e, "testcase", name=clean(c.name), classname=clean(c.classname or s.name),
                           time=f"{c.time:.3f}")
        _props(ce, c.properties)
        if c.status in (FAILED, ERROR):
            f = ET.SubElement(ce, "failure" if c.status == FAILED else "error",
                              message=clean(c.message or c.kind or c.status), type=clean(c.kind or c.status))
            f.text = clean(c.text) if c.text else None
        elif c.status == SKIPPED:
            ET.SubElement(ce, "skipped", message=clean(c.message or "not run"))
        if c.output:
            ET.SubElement(ce, "system-out").text = clean(c.output)
    return e


def to_xml(suites: list, name: str = "") -> bytes:
    root = ET.Element("testsuites", name=clean(name or (suites[0].name if len(suites) == 1 else "ppb")),
                      tests=str(sum(len(s.cases) for s in suites)),
                      failures=str(sum(s.count(FAILED) for s in suites)),
                      errors=str(sum(s.count(ERROR) for s in suites)),
                      skipped=str(sum(s.count(SKIPPED) for s in suites)),
                      time=f"{sum((s.time if s.time is not None else sum(c.time for c in s.cases)) for s in suites):.3f}")
    for s in suites:
        root.append(_suite_element(s))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write(path: str, suites: list | Suite, name: str = "") -> None:
    """Writes the suites as one <testsuites> file, atomically (a reader never sees half a file)."""
    if isinstance(suites, Suite):
        suites = [suites]
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(to_xml(suites, name))
    os.replace(tmp, path)


# ---- reading --------------------------------------------------------------------------------------

def _read_props(e: ET.Element) -> dict:
    p = e.find("properties")
    return {x.get("name", ""): x.get("value", "") for x in p.findall("property")} if p is not None else {}


def _float(v: str | None) -> float:
    try:
        return float(v or 0)
    except ValueError:
        return 0.0


def _case(e: ET.Element) -> Case:
    c = Case(e.get("name", ""), e.get("classname", ""), _float(e.get("time")), properties=_read_props(e))
    for tag, status in (("failure", FAILED), ("error", ERROR), ("skipped", SKIPPED)):
        x = e.find(tag)
        if x is not None:
            c.status = status
            c.message = x.get("message", "")
            c.kind = x.get("type", "") if status != SKIPPED else ""
            c.text = x.text or ""
            break
    out = e.find("system-out")
    c.output = out.text or "" if out is not None else ""
    return c


def read(path: str) -> list:
    """The suites of a JUnit file whose root is <testsuites> or a single <testsuite>. Raises
    ValueError for a file that is not JUnit XML."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        raise ValueError(f"{path}: not a JUnit XML file ({e})") from None
    elems = [root] if root.tag == "testsuite" else root.findall("testsuite") if root.tag == "testsuites" else None
    if elems is None:
        raise ValueError(f"{path}: not a JUnit XML file (root <{root.tag}>)")
    return [Suite(e.get("name", ""), [_case(c) for c in e.findall("testcase")], _read_props(e),
                  e.get("timestamp", ""), e.get("hostname", ""), _float(e.get("time"))) for e in elems]


def totals(suites: list) -> dict:
    cases = [c for s in suites for c in s.cases]
    return {"tests": len(cases), "failures": sum(c.status == FAILED for c in cases),
            "errors": sum(c.status == ERROR for c in cases), "skipped": sum(c.status == SKIPPED for c in cases)}


def merge(paths: list) -> list:
    """Every suite of every file, in order."""
    return [s for p in paths for s in read(p)]


# ---- ctest ----------------------------------------------------------------------------------------

# ctest's progress line of a test that did not pass, e.g.
#  " 2/4 Test  #2: bad ..............***Failed    0.00 sec", "***Timeout", "***Exception: SegFault".
_CTEST_LINE = re.compile(r"^\s*\d+/\d+\s+Test\s+#\d+:\s+(\S+)\s+\.*\s*\*{3}(.+?)\s+[\d.]+\s+sec\s*$")


def ctest_reasons(log_text: str) -> dict:
    """test name -> the reason ctest printed for it (Failed, Timeout, Exception: SegFault, Not Run, ...)."""
    return {m.group(1): m.group(2).strip() for m in map(_CTEST_LINE.match, log_text.splitlines()) if m}


def ctest_tests(build_dir: str) -> dict:
    """test name -> (command, working directory, environment) from `ctest --show-only=json-v1`."""
    p = subprocess.run(["ctest", "--test-dir", build_dir, "--show-only=json-v1"], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"ctest --show-only=json-v1 in {build_dir} failed: {p.stderr.strip()}")
    tests = {}
    for t in json.loads(p.stdout).get("tests", []):
        props = {x["name"]: x["value"] for x in t.get("properties", [])}
        tests[t["name"]] = (t.get("command") or [], props.get("WORKING_DIRECTORY", ""),
                            props.get("ENVIRONMENT", []), props.get("LABELS", []))
    return tests


def annotate_ctest(path: str, build_dir: str, log_text: str = "", stage: str = "") -> dict:
    """Rewrites ctest's JUnit file with, in each failure, the reason ctest gave, the failing command
    line (with its working directory and environment) and the ctest command that reruns the test; the
    suite is named after the stage and each case's classname is `<stage>.<first label>`. Returns the
    totals."""
    suites = read(path)
    tests = ctest_tests(build_dir)
    reasons = ctest_reasons(log_text)
    stage = stage or os.path.basename(os.path.normpath(build_dir))
    for s in suites:
        s.name = f"ctest {stage}"
        s.properties.setdefault("build_dir", os.path.abspath(build_dir))
        for c in s.cases:
            cmd, cwd, env, labels = tests.get(c.name, ([], "", [], []))
            c.classname = f"{stage}.{labels[0]}" if labels else stage
            if not c.bad:
                continue
            reason = reasons.get(c.name, "Failed")
            c.kind = reason.split(":")[0].strip().lower() or "failed"
            c.message = f"{c.name}: {reason}"
            line = shlex.join(cmd)
            if env:
                line = shlex.join(["env", *env]) + " " + line
            if cwd:
                line = f"cd {shlex.quote(cwd)} && {line}"
            c.text = failure_text(line, kind=reason,
                                  rerun_in_ctest=f"ctest --test-dir {shlex.quote(os.path.abspath(build_dir))} "
                                                 f"-R {shlex.quote('^' + re.escape(c.name) + '$')} --output-on-failure")
    write(path, suites)
    return totals(suites)


def main(argv: list | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m ppbkit.junit", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("ctest", help="add the failing command lines to ctest's --output-junit file")
    c.add_argument("junit")
    c.add_argument("--build-dir", required=True)
    c.add_argument("--log", help="ctest's console output (for the reason of each failure)")
    c.add_argument("--stage", default="")
    m = sub.add_parser("merge", help="merge JUnit files into one")
    m.add_argument("inputs", nargs="+")
    m.add_argument("-o", "--out", required=True)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "ctest":
            log = open(a.log, errors="replace").read() if a.log and os.path.exists(a.log) else ""
            t = annotate_ctest(a.junit, a.build_dir, log, a.stage)
        else:
            suites = merge(a.inputs)
            write(a.out, suites)
            t = totals(suites)
    except (ValueError, RuntimeError, OSError) as e:
        print(f"junit: {e}", file=sys.stderr)
        return 2
    print(f"junit: {a.junit if a.cmd == 'ctest' else a.out}: {t['tests']} tests, {t['failures']} failures, "
          f"{t['errors']} errors, {t['skipped']} skipped")
    return 1 if a.cmd == "merge" and (t["failures"] or t["errors"]) else 0


if __name__ == "__main__":
    sys.exit(main())
