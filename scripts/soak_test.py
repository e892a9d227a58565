#!/usr/bin/env python3
"""Tests of scripts/soak against fake ppb-cosim programs: failures and backend disagreements become
regression lines that reproduce them, each failure says its kind and prints the command that reruns it
with waves, --junit and --json report every run (a SIGTERM still writes them), clean runs record
nothing, a command line ppb-cosim refuses and bad input exit 2."""
import json
import os
import shlex
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

SOAK = Path(__file__).resolve().parent / "soak"

# A fake ppb-cosim. faulty: fails for seeds divisible by 5 on backend tlm; on backend native delivers a
# different digest when the seed is divisible by 7 (a backend disagreement); otherwise passes.
# kinds: a different kind of failure in three families. refuse: refuses every command line.
FAKE = r'''#!/usr/bin/env python3
import json, sys
a = sys.argv[1:]
def opt(name, default=None):
    return a[a.index(name) + 1] if name in a else default
seed = int(opt("--seed"))
backend = opt("--backend")
if "{mode}" == "refuse":
    print("configuration: payload maximum 1501 exceeds the frame format's 1500", file=sys.stderr)
    sys.exit(2)
if "{mode}" == "kinds":  # one kind of failure per family: host data, reset hang, no_dmi crash
    if "--no-dmi" in a:
        import os, signal
        os.kill(os.getpid(), signal.SIGSEGV)
    if "--reset-after" in a:
        import time
        time.sleep(30)
    if "host" in a:
        json.dump({{"ok": False, "errors": ["frame 2: payload byte 5 is not the sent stream"]}}, open(opt("--json"), "w"))
        sys.exit(1)
if "{mode}" == "rtl_data" and backend == "rtl" and seed % 3 == 0:
    json.dump({{"ok": False, "errors": ["frame 1: payload byte 2 is not the sent stream"]}}, open(opt("--json"), "w"))
    sys.exit(1)
if backend == "tlm" and seed % 5 == 0 and "{mode}" == "faulty":
    print("FAIL: fake scoreboard mismatch at frame 3")
    sys.exit(1)
digest = "d%d" % (seed % 1000)
if backend == "native" and seed % 7 == 0 and "{mode}" == "faulty":
    digest = "other"
framing = {{"crc": opt("--frame-check"), "false_accepts": 0, "false_candidates_checked": 100,
           "expected_false_accepts": 100 / 2 ** (16 if opt("--frame-check") == "crc16" else 32)}}
notes = []
if "{mode}" == "false_accept" and "--drop-when-full" in a and opt("--frame-check") == "crc16":
    framing["false_accepts"] = 1
    notes = ["false accept (crc16 matched by chance): fake"]
json.dump({{"ok": True, "frames": {{"delivered": 10, "delivered_digest": digest}}, "framing": framing,
           "notes": notes}}, open(opt("--json"), "w"))
'''


def make_fake(tmp: str, mode: str) -> str:
    path = os.path.join(tmp, f"fake-cosim-{mode}")
    Path(path).write_text(FAKE.format(mode=mode))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def soak(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SOAK), *args], capture_output=True, text=True, timeout=60)


def cases(path: str) -> list:
    """(classname, name, status, type, text) of every testcase of a JUnit file."""
    out = []
    for c in ET.parse(path).getroot().iter("testcase"):
        f = c.find("failure") if c.find("failure") is not None else c.find("skipped")
        status = "passed" if f is None else f.tag
        out.append((c.get("classname"), c.get("name"), status, f.get("type") if f is not None else None,
                    (f.text or f.get("message", "")) if f is not None else ""))
    return out


class SoakTest(unittest.TestCase):
    def test_failures_become_regression_lines_that_reproduce_them(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = make_fake(tmp, "faulty")
            reg = os.path.join(tmp, "regressions.txt")
            r = soak("--time", "2", "--cosim", fake, "--backends", "tlm", "native", "--seed", "3",
                     "--regressions", reg)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("seed 3", r.stdout)
            lines = [l for l in Path(reg).read_text().splitlines() if l and not l.startswith("#")]
            self.assertTrue(lines, "no regression recorded")
            self.assertEqual(len(lines), len(set(lines)), "a command line was recorded twice")
            reproduced = 0
            for line in lines:
                args = shlex.split(line)
                self.assertIn("--backend", args)
                js = os.path.join(tmp, "x.json")
                p = subprocess.run([fake, "--quiet", "--json", js, *args], capture_output=True, text=True)
                if p.returncode != 0:
                    reproduced += 1
                else:
                    # A disagreement line: the other backend's digest differs for the same arguments.
                    seed = int(args[args.index("--seed") + 1])
                    self.assertEqual(seed % 7, 0, line)
                    reproduced += 1
            self.assertEqual(reproduced, len(lines))

    def test_clean_runs_record_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = make_fake(tmp, "clean")
            reg = os.path.join(tmp, "regressions.txt")
            r = soak("--time", "1", "--cosim", fake, "--backends", "tlm", "native", "--regressions", reg)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertRegex(r.stdout, r"\d+ scenarios .* 0 failed")
            self.assertFalse(os.path.exists(reg))

    def test_false_accepts_are_explained_notes_not_failures(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = make_fake(tmp, "false_accept")
            reg = os.path.join(tmp, "regressions.txt")
            r = soak("--time", "2", "--cosim", fake, "--backends", "tlm", "--seed", "4", "--regressions", reg)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("note [drop] tlm: false accept", r.stdout)
            self.assertRegex(r.stdout, r"framing crc16: [1-9]\d* false accept\(s\) in \d+ runs, among \d+ false "
                                       r"candidates checked \(expected [0-9.e-]+ at 2\^-16 each\)")
            self.assertRegex(r.stdout, r"framing crc32: 0 false accept")
            self.assertFalse(os.path.exists(reg))

    def test_each_failure_says_its_kind(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = make_fake(tmp, "kinds")
            reg = os.path.join(tmp, "regressions.txt")
            r = soak("--time", "4", "--timeout", "1", "--cosim", fake, "--backends", "tlm", "--seed", "5",
                     "--regressions", reg)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertRegex(r.stdout, r"FAIL \[host\] \[data\] .*--mode host.*\n    frame 2: payload byte 5 is not")
            self.assertRegex(r.stdout, r"FAIL \[reset\] \[timeout\] .*--reset-after.*\n    timed out after 1 s")
            self.assertRegex(r.stdout, r"FAIL \[no_dmi\] \[crash \(signal 11\)\] .*--no-dmi")
            self.assertRegex(r.stdout, r"\d+ failed \(crash \(signal 11\) \d+, data \d+, timeout \d+\)")
            text = Path(reg).read_text()
            self.assertIn("found by scripts/soak: [timeout] timed out after 1 s", text)
            self.assertIn("found by scripts/soak: [data] frame 2: payload byte 5", text)

    def test_junit_and_json_report_every_run_with_the_rerun_with_waves(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = make_fake(tmp, "rtl_data")
            x, j = os.path.join(tmp, "soak.xml"), os.path.join(tmp, "soak.json")
            r = soak("--time", "2", "--cosim", fake, "--backends", "tlm", "rtl", "--seed", "6", "--no-record",
                     "--junit", x, "--json", j)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            # Each failure: its line, its reason, then one command that reruns it with waves.
            self.assertRegex(r.stdout, r"FAIL \[(\w+)\] \[data\] (\S+) --backend rtl (.*)\n"
                                       r"    frame 1: payload byte 2 is not the sent stream\n"
                                       r"    waves: \2 --backend rtl \3 --trace-rtl soak-\1-rtl-\d+\.fst "
                                       r"--trace soak-\1-rtl-\d+\.vcd\n")
            got = cases(x)
            doc = json.loads(Path(j).read_text())
            runs = [c for c in got if " = " not in c[1]]
            self.assertEqual(len(runs), doc["stats"]["runs"])
            bad = [c for c in got if c[2] == "failure"]
            self.assertEqual(len(bad), len(doc["failures"]))
            self.assertTrue(bad)
            for classname, name, _, kind, text in bad:
                self.assertRegex(name, r"^\w+ rtl seed \d+$")
                self.assertEqual(kind, "data")
                self.assertIn("command: " + fake + " --backend rtl ", text)
                self.assertRegex(text, r"rerun with waves: .* --trace-rtl \S+\.fst --trace \S+\.vcd")
            # A lossless scenario whose rtl run failed was not compared: a skipped case says so.
            skipped = [c for c in got if c[2] == "skipped"]
            self.assertTrue(all(c[4] == "not compared: rtl failed" for c in skipped), skipped)
            self.assertTrue(any(c[2] == "passed" and " tlm = rtl seed " in c[1] for c in got))
            self.assertEqual(doc["tool"], "soak")
            self.assertTrue(doc["complete"])
            self.assertEqual(doc["stats"]["seed"], 6)
            self.assertEqual(doc["failures"][0]["backends"], ["rtl"])

    def test_a_disagreement_reruns_both_backends_with_waves(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = make_fake(tmp, "faulty")
            x = os.path.join(tmp, "soak.xml")
            r = soak("--time", "3", "--cosim", fake, "--backends", "tlm", "native", "--seed", "3", "--no-record",
                     "--families", "clean", "--junit", x)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertRegex(r.stdout, r"FAIL \[clean\] \[disagreement\] \S+ --backend tlm .*; \S+ --backend native .*\n"
                                       r"    backends delivered different frames: .*\n"
                                       r"    waves: \S+ --backend tlm .* --trace soak-clean-\d+-tlm\.vcd; "
                                       r"\S+ --backend native .* --trace soak-clean-\d+-native\.vcd\n")
            dis = [c for c in cases(x) if c[3] == "disagreement"]
            self.assertTrue(dis)
            self.assertRegex(dis[0][1], r"^clean tlm = native seed \d+$")

    def test_sigterm_still_writes_the_reports(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = make_fake(tmp, "clean")
            x, j = os.path.join(tmp, "soak.xml"), os.path.join(tmp, "soak.json")
            p = subprocess.Popen([sys.executable, str(SOAK), "--time", "60", "--cosim", fake, "--backends", "tlm",
                                  "--junit", x, "--json", j], stdout=subprocess.PIPE, text=True)
            time.sleep(2)
            p.send_signal(signal.SIGTERM)
            out, _ = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 143, out)
            self.assertIn("soak: terminated after", out)
            doc = json.loads(Path(j).read_text())
            self.assertFalse(doc["complete"])
            self.assertGreater(doc["counts"]["passed"], 0)
            self.assertEqual(len(cases(x)), doc["counts"]["tests"])

    def test_a_refused_command_line_is_a_bug_of_the_soak(self):
        with tempfile.TemporaryDirectory() as tmp:
            reg = os.path.join(tmp, "regressions.txt")
            r = soak("--time", "1", "--cosim", make_fake(tmp, "refuse"), "--backends", "tlm", "--regressions", reg)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertIn("a bug in scripts/soak", r.stderr)
            self.assertIn("exceeds the frame format's 1500", r.stderr)
            self.assertFalse(os.path.exists(reg))

    def test_bad_input_exits_2_with_a_message(self):
        r = soak("--time", "1", "--cosim", "/nonexistent/ppb-cosim")
        self.assertEqual(r.returncode, 2)
        self.assertIn("not an executable", r.stderr)
        r = soak("--time", "0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--time", r.stderr)


if __name__ == "__main__":
    unittest.main()
