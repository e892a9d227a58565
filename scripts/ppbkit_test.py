#!/usr/bin/env python3
"""Tests of scripts/ppbkit against fake ppb-cosim programs: the command lines it builds, running one
(output, temporary JSON, timeout, interrupt), the Result and its failure kinds, the comparison of
delivered frames, the backend probe, the CAPACITY rule and the scenario table."""
import contextlib
import io
import os
import random
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ppbkit import cosim, result, scenarios  # noqa: E402

# A fake ppb-cosim: `--fake WHAT` says how it behaves; it writes its own argv into the JSON it passes.
FAKE = r'''#!/usr/bin/env python3
import json, os, signal, sys, time
a = sys.argv[1:]
def opt(name, default=None):
    return a[a.index(name) + 1] if name in a else default
what, js = opt("--fake", "pass"), opt("--json")
errors = {"data": "frame 3: payload byte 7 is not the sent stream",
          "protocol": "bus: TLM-2.0 base protocol violation: BEGIN_REQ twice",
          "method": "ppb_Consume failed with status 3",
          "scoreboard": "2 intact frames were never delivered"}
print("ppb-cosim: a report line")
if what == "refuse" or (what == "no-rtl" and opt("--backend") == "rtl"):
    print("\n        SystemC 2.3.4 --- Dec  3 2025\n        Copyright (c) 1996-2022 by all Contributors,\n"
          "        ALL RIGHTS RESERVED", file=sys.stderr)
    print("configuration: the rtl backend was not built\nRun with --help for more information.", file=sys.stderr)
    sys.exit(2)
if what == "crash":
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGSEGV)
if what == "hang":
    time.sleep(60)
if what == "nojson":
    print("ppb-cosim: cannot start", file=sys.stderr)
    sys.exit(3)
if what == "badjson":
    open(js, "w").write("{not json")
    sys.exit(1)
print("to stderr", file=sys.stderr)
doc = {"ok": what not in errors, "errors": [errors[what]] if what in errors else [], "argv": a,
       "frames": {"delivered": 10, "intact": 10, "delivered_digest": int(opt("--digest", "12345"))},
       "framing": {"crc": opt("--frame-check", "crc16"), "false_accepts": 0, "false_candidates_checked": 7,
                   "expected_false_accepts": 7 / 65536},
       "notes": ["a note"] if what == "note" else []}
if js:
    json.dump(doc, open(js, "w"))
sys.exit(0 if doc["ok"] else 1)
'''


class FakeCosim(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.fake = os.path.join(self.tmp.name, "ppb-cosim")
        Path(self.fake).write_text(FAKE)
        os.chmod(self.fake, os.stat(self.fake).st_mode | stat.S_IXUSR)

    def tearDown(self):
        self.tmp.cleanup()

    def run_fake(self, what, *args, **kw):
        return cosim.run(self.fake, ["--fake", what, *args], **kw)


class CommandLineTest(unittest.TestCase):
    def test_command_puts_backend_quiet_and_json_before_the_arguments(self):
        self.assertEqual(cosim.command("c", ["--seed", "3"], backend="rtl", json_path="/t/x.json"),
                         ["c", "--backend", "rtl", "--quiet", "--json", "/t/x.json", "--seed", "3"])
        self.assertEqual(cosim.command("c", ["--help"], quiet=False), ["c", "--help"])

    def test_arguments_from_options(self):
        self.assertEqual(cosim.arguments({"capacity": 1024, "drop-when-full": True, "no-dmi": False, "seed": "7"}),
                         ["--capacity", "1024", "--drop-when-full", "--seed", "7"])
        self.assertEqual(cosim.arguments([("b", 2), ("a", 1)]), ["--b", "2", "--a", "1"])

    def test_find_and_default_path(self):
        self.assertIsNone(cosim.find("/nonexistent/ppb-cosim"))
        self.assertEqual(cosim.find("sh"), os.path.abspath(shutil.which("sh")))
        old = os.environ.pop("PPB_COSIM", None)
        try:
            self.assertEqual(cosim.default_path(), str(cosim.DEFAULT))
            os.environ["PPB_COSIM"] = "/x/ppb-cosim"
            self.assertEqual(cosim.default_path(), "/x/ppb-cosim")
        finally:
            os.environ.pop("PPB_COSIM", None)
            if old is not None:
                os.environ["PPB_COSIM"] = old


class RunTest(FakeCosim):
    def test_a_passing_run_reads_its_json_from_a_temporary_file_that_is_removed(self):
        r = self.run_fake("pass", "--seed", "4", backend="tlm")
        self.assertTrue(r.ok, r)
        self.assertEqual(r.kind, "")
        self.assertEqual(r.code, 0)
        self.assertIn("--json", r.command)
        path = r.command[r.command.index("--json") + 1]
        self.assertFalse(os.path.exists(path), "the temporary JSON file was left behind")
        self.assertEqual(r.data["argv"], r.command[1:])
        self.assertEqual(r.command[:4], [self.fake, "--backend", "tlm", "--quiet"])
        self.assertEqual(r.delivered, (10, 12345))
        self.assertEqual(r.framing["false_candidates_checked"], 7)
        self.assertEqual(r.notes, [])
        self.assertIn("a report line", r.stdout)
        self.assertIn("to stderr", r.stderr)

    def test_notes_are_no_failure(self):
        r = self.run_fake("note")
        self.assertTrue(r.ok)
        self.assertEqual(r.notes, ["a note"])

    def test_without_json_a_run_passes_on_its_exit_status(self):
        r = self.run_fake("pass", json=False, quiet=False)
        self.assertNotIn("--json", r.command)
        self.assertNotIn("--quiet", r.command)
        self.assertIsNone(r.data)
        self.assertTrue(r.ok)
        self.assertFalse(self.run_fake("nojson", json=False).ok)

    def test_merged_output_keeps_stdout_and_stderr_in_order(self):
        r = self.run_fake("pass", merge_output=True)
        self.assertEqual(r.stderr, "")
        self.assertLess(r.stdout.index("a report line"), r.stdout.index("to stderr"))

    def test_failure_kinds_from_the_errors(self):
        for what in ("data", "protocol", "method", "scoreboard"):
            r = self.run_fake(what)
            self.assertFalse(r.ok)
            self.assertEqual(r.kind, what)
            self.assertEqual(r.why, r.errors[0])

    def test_a_crash_is_its_signal(self):
        r = self.run_fake("crash")
        self.assertEqual(r.code, -signal.SIGSEGV)
        self.assertEqual(r.kind, f"crash (signal {int(signal.SIGSEGV)})")
        self.assertEqual(r.why, "ppb-cosim: a report line")

    def test_a_timeout_kills_the_run(self):
        for new_session in (False, True):
            t0 = time.monotonic()
            r = self.run_fake("hang", timeout=0.5, new_session=new_session)
            self.assertLess(time.monotonic() - t0, 10)
            self.assertTrue(r.timed_out)
            self.assertEqual(r.code, -signal.SIGKILL)
            self.assertEqual(r.kind, "timeout")
            self.assertTrue(r.why.startswith("timed out after"), r.why)
            self.assertFalse(r.refused)

    def test_no_result_and_unreadable_json(self):
        r = self.run_fake("nojson")
        self.assertEqual((r.kind, r.why, r.first_error), ("no result (exit 3)", "ppb-cosim: cannot start",
                                                          "ppb-cosim: cannot start"))
        r = self.run_fake("badjson")
        self.assertEqual(r.kind, "no result (exit 1)")
        self.assertTrue(r.json_error)
        self.assertTrue(r.why.startswith("unreadable JSON: "), r.why)

    def test_a_refused_command_line(self):
        r = self.run_fake("refuse")
        self.assertTrue(r.refused)
        self.assertEqual(r.first_error, "configuration: the rtl backend was not built")

    def test_backend_refusal(self):
        self.assertEqual(cosim.backend_refusal(self.fake, "tlm"), None)
        with tempfile.TemporaryDirectory() as tmp:
            nortl = os.path.join(tmp, "no-rtl")
            Path(nortl).write_text(f"#!/bin/sh\nexec {self.fake} --fake no-rtl \"$@\"\n")
            os.chmod(nortl, 0o755)
            self.assertEqual(cosim.backend_refusal(nortl, "rtl"), "configuration: the rtl backend was not built")
            self.assertIsNone(cosim.backend_refusal(nortl, "tlm"))

    def test_a_program_that_cannot_start_raises(self):
        with self.assertRaises(OSError):
            cosim.run(os.path.join(self.tmp.name, "nope"))

    def test_children_end_on_signal_all(self):
        kids = cosim.Children()
        got = []
        t = threading.Thread(target=lambda: got.append(self.run_fake("hang", new_session=True, children=kids)))
        t.start()
        deadline = time.monotonic() + 10
        while not kids._procs and time.monotonic() < deadline:
            time.sleep(0.01)
        kids.signal_all(signal.SIGTERM)
        t.join(10)
        self.assertFalse(t.is_alive())
        self.assertEqual(got[0].code, -signal.SIGTERM)
        self.assertFalse(kids._procs, "a finished run stayed registered")

    def test_an_interrupt_kills_the_run_first(self):
        seen = []

        class Spy(cosim.Children):
            def add(self, p):
                seen.append(p)
                super().add(p)

        def interrupt(*_):
            raise KeyboardInterrupt
        old = signal.signal(signal.SIGALRM, interrupt)
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.3)
            with self.assertRaises(KeyboardInterrupt):
                self.run_fake("hang", children=Spy())
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        self.assertIsNotNone(seen[0].poll(), "the interrupted run is still running")


class ResultTest(unittest.TestCase):
    def test_failure_kind_without_a_run(self):
        self.assertEqual(result.failure_kind(None, None, timed_out=True), "timeout")
        self.assertEqual(result.failure_kind(-6, None), "crash (signal 6)")
        self.assertEqual(result.failure_kind(1, None), "no result (exit 1)")
        self.assertEqual(result.failure_kind(1, {"errors": []}), "scoreboard")
        # The most telling word wins: data before protocol before method.
        self.assertEqual(result.failure_kind(1, {"errors": ["protocol violation", "payload byte 3"]}), "data")
        self.assertEqual(result.failure_kind(1, {"errors": ["returned NULL", "protocol violation"]}), "protocol")

    def test_ok_needs_exit_0_and_an_ok_document(self):
        doc = {"ok": True, "frames": {"delivered": 1, "delivered_digest": 2}}
        self.assertTrue(result.Result([], 0, data=doc).ok)
        self.assertFalse(result.Result([], 1, data=doc).ok)
        self.assertFalse(result.Result([], 0, data=dict(doc, ok=False)).ok)
        self.assertFalse(result.Result([], 0).ok)
        self.assertEqual(result.Result([], 0, data=dict(doc, ok=False)).kind, "scoreboard")
        self.assertEqual(result.Result([], 4).why, "exit 4")

    def test_disagreement(self):
        def r(n, d):
            return result.Result([], 0, data={"ok": True, "frames": {"delivered": n, "delivered_digest": d}})
        self.assertEqual(result.disagreement({"tlm": r(5, 9), "rtl": r(5, 9)}), "")
        self.assertEqual(result.disagreement({"tlm": r(5, 9)}), "")
        self.assertEqual(result.disagreement({"tlm": r(5, 9), "native": r(5, 8)}),
                         "backends delivered different frames: tlm 5 frames digest 9, native 5 frames digest 8")
        self.assertIn("rtl no result", result.disagreement({"tlm": r(5, 9), "rtl": result.Result([], 1)}))

    def test_load_json(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = os.path.join(tmp, "x.json")
            self.assertEqual(result.load_json(p), (None, ""))
            Path(p).write_text("[1]")
            self.assertEqual(result.load_json(p), (None, "not a JSON object"))
            Path(p).write_text('{"ok": true}')
            self.assertEqual(result.load_json(p), ({"ok": True}, ""))

    def test_first_error_skips_the_banner(self):
        self.assertEqual(result.first_error("\n  SystemC 2.3.4 --- x\n  Copyright (c) 1996\nreal\nnext"), "real")


class CapacityRuleTest(unittest.TestCase):
    def test_the_rule(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            for ok in (16, 1024, 4096, 1 << 20):
                self.assertEqual(cosim.capacity_error(ok), "", ok)
            for bad in (0, 12, 17, 1022, (1 << 20) + 4):
                self.assertTrue(cosim.capacity_error(bad), bad)
        if not (Path(cosim.__file__).parent / "regs.py").exists():
            self.assertLessEqual(err.getvalue().count("regs.py"), 1, "the fallback was announced twice")


class ScenarioTest(unittest.TestCase):
    def test_the_table(self):
        self.assertEqual(len(set(scenarios.NAMES)), len(scenarios.NAMES))
        for f in scenarios.FAMILIES:
            if f.compare:
                self.assertTrue(f.lossless, f"{f.name}: compared on two backends, so it must lose nothing")
            for line in (f.seeds, f.compare):
                if line:
                    self.assertIn("--packets", line.split())
                    self.assertEqual("--drop-when-full" in line or "--reset-after" in line, not f.lossless, f.name)
        self.assertEqual([n for n, _ in scenarios.seeds_scenarios()], [f.name for f in scenarios.FAMILIES if f.seeds])
        self.assertTrue(scenarios.compare_scenarios())

    def test_draws_replay_from_a_seed_and_make_command_lines_ppb_cosim_takes(self):
        with contextlib.redirect_stderr(io.StringIO()):
            for seed in range(200):
                rtl = seed % 2 == 0
                a, b = random.Random(seed), random.Random(seed)
                for name in scenarios.NAMES:
                    args, lossless = scenarios.draw(a, name, rtl)
                    self.assertEqual((args, lossless), scenarios.draw(b, name, rtl))
                    self.assertEqual(lossless, scenarios.BY_NAME[name].lossless)
                    v = {k: args[i + 1] for i, k in enumerate(args[:-1]) if k.startswith("--")}
                    cap, bs, pmax = int(v["--capacity"]), int(v["--buffer-size"]), int(v["--payload-max"])
                    self.assertEqual(cosim.capacity_error(cap), "")
                    if rtl:
                        self.assertIn(cap, (256, 1024, 4096, 16384))
                    self.assertLessEqual(bs, cap)
                    self.assertLessEqual(pmax + scenarios.frame_overhead(v["--frame-check"]), bs)
                    self.assertLessEqual(int(v["--payload-min"]), pmax)
                    self.assertEqual(args[-2], "--seed")

    def test_frame_overhead(self):
        self.assertEqual(scenarios.frame_overhead(), 8)
        self.assertEqual(scenarios.frame_overhead("crc32"), 10)


if __name__ == "__main__":
    unittest.main()
