#!/usr/bin/env python3
"""Tests of scripts/soak against fake ppb-cosim programs: failures and backend disagreements become
regression lines that reproduce them, each failure says its kind, clean runs record nothing, a command
line ppb-cosim refuses and bad input exit 2."""
import os
import shlex
import stat
import subprocess
import sys
import tempfile
import unittest
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
