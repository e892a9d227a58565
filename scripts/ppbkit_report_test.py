#!/usr/bin/env python3
"""Tests of what the regression scripts report (CTest ppbkit.reports_junit_and_array_merge, unit):
ppbkit.junit (writing, reading back, merging, ctest's file annotated with the failing command lines),
ppbkit.waves (the rerun-with-waves commands), ppbkit.report, ppbkit.slurm's layout, ppbkit.regress
(job lists and the merge of array tasks, lost tasks included), ppbkit.compare, and scripts/cosim-seeds'
slices, JUnit and JSON against a fake ppb-cosim."""
import json
import os
import shlex
import stat
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ppbkit import compare, junit, regress, report, slurm, waves  # noqa: E402

# A fake ppb-cosim: fails with a data error for --seed 2 in a noisy scenario (--noise), crashes for
# --seed 3 with --no-dmi, passes otherwise.
FAKE = r'''#!/usr/bin/env python3
import json, os, signal, sys
a = sys.argv[1:]
def opt(name, default=None):
    return a[a.index(name) + 1] if name in a else default
seed = int(opt("--seed", "1"))
if seed == 3 and "--no-dmi" in a:
    os.kill(os.getpid(), signal.SIGSEGV)
bad = seed == 2 and "--noise" in a
doc = {"ok": not bad, "errors": ["frame 4: payload byte 9 is not the sent stream"] if bad else [],
       "frames": {"delivered": 5, "delivered_digest": 1}}
if opt("--json"):
    json.dump(doc, open(opt("--json"), "w"))
print("fake ppb-cosim: " + ("FAIL" if bad else "PASS"))
sys.exit(1 if bad else 0)
'''


def fake_cosim(d: str) -> str:
    path = os.path.join(d, "ppb-cosim")
    Path(path).write_text(FAKE)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


class JunitTest(unittest.TestCase):
    def test_written_files_read_back_with_counts_kinds_and_texts(self):
        s = junit.Suite("soak seed 1", properties={"seed": "1"})
        s.cases += [junit.Case("clean tlm seed 5", "soak.clean", 0.25),
                    junit.Case("noisy rtl seed 6", "soak.noisy", 1.5, junit.FAILED, "data", "[data] frame 3",
                               junit.failure_text("c --seed 6", "c --seed 6 --trace x.vcd", "data", "frame 3"),
                               "output\x01 with a control character"),
                    junit.Case("clean tlm = rtl seed 5", "soak.clean", status=junit.SKIPPED, message="not compared"),
                    junit.Case("task 3", "tasks", status=junit.ERROR, kind="no result", message="lost")]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "sub", "j.xml")
            junit.write(path, s)
            root = ET.parse(path).getroot()  # well-formed despite the control character
            self.assertEqual(root.tag, "testsuites")
            self.assertEqual((root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")),
                             ("4", "1", "1", "1"))
            f = root.find("testsuite/testcase/failure")
            self.assertEqual(f.get("type"), "data")
            self.assertIn("command: c --seed 6", f.text)
            self.assertIn("rerun with waves: c --seed 6 --trace x.vcd", f.text)
            back = junit.read(path)
            self.assertEqual(len(back), 1)
            self.assertEqual([c.status for c in back[0].cases], [junit.PASSED, junit.FAILED, junit.SKIPPED, junit.ERROR])
            self.assertEqual(back[0].cases[1].kind, "data")
            self.assertEqual(back[0].properties, {"seed": "1"})
            self.assertEqual(junit.totals(junit.merge([path, path])),
                             {"tests": 8, "failures": 2, "errors": 2, "skipped": 2})
            self.assertEqual(junit.main(["merge", "-o", os.path.join(d, "m.xml"), path]), 1)
            self.assertEqual(len(junit.read(os.path.join(d, "m.xml"))[0].cases), 4)

    def test_a_single_testsuite_root_reads_and_garbage_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "one.xml")
            Path(p).write_text('<testsuite name="x"><testcase name="a"/><testcase name="b"><failure/></testcase>'
                               '</testsuite>')
            self.assertEqual([c.status for c in junit.read(p)[0].cases], [junit.PASSED, junit.FAILED])
            Path(p).write_text("not xml")
            with self.assertRaises(ValueError):
                junit.read(p)
            Path(p).write_text("<html/>")
            with self.assertRaises(ValueError):
                junit.read(p)

    def test_ctest_reasons_from_its_progress_lines(self):
        log = (" 1/40 Test  #1: good ..........   Passed    0.01 sec\n"
               " 2/40 Test  #2: timing/bad ....***Failed    0.20 sec\n"
               "10/40 Test #10: slow ..........***Timeout 120.01 sec\n"
               "11/40 Test #11: seg ...........***Exception: SegFault  0.02 sec\n")
        self.assertEqual(junit.ctest_reasons(log),
                         {"timing/bad": "Failed", "slow": "Timeout", "seg": "Exception: SegFault"})

    def test_ctest_junit_gets_the_failing_command_line(self):
        with tempfile.TemporaryDirectory() as d:
            src, build = os.path.join(d, "src"), os.path.join(d, "build")
            os.makedirs(src)
            Path(src, "CMakeLists.txt").write_text(
                "cmake_minimum_required(VERSION 3.25)\nproject(t NONE)\nenable_testing()\n"
                "add_test(NAME good COMMAND true)\n"
                "add_test(NAME bad COMMAND sh -c \"echo why; exit 3\")\n"
                "set_tests_properties(bad PROPERTIES LABELS model ENVIRONMENT X=1)\n")
            subprocess.run(["cmake", "-S", src, "-B", build], check=True, capture_output=True)
            out = os.path.join(d, "junit.xml")
            p = subprocess.run(["ctest", "--test-dir", build, "--output-junit", out], capture_output=True, text=True)
            self.assertNotEqual(p.returncode, 0)
            t = junit.annotate_ctest(out, build, p.stdout, "default")
            self.assertEqual((t["tests"], t["failures"]), (2, 1))
            s = junit.read(out)[0]
            self.assertEqual(s.name, "ctest default")
            bad = [c for c in s.cases if c.bad][0]
            self.assertEqual((bad.name, bad.classname, bad.kind), ("bad", "default.model", "failed"))
            self.assertIn("command: cd ", bad.text)
            self.assertIn("env X=1 /", bad.text)
            self.assertIn("-c 'echo why; exit 3'", bad.text)
            self.assertIn(f"ctest --test-dir {build} -R '^bad$' --output-on-failure", bad.text)
            self.assertIn("why", bad.output)


class WavesTest(unittest.TestCase):
    def test_rtl_gets_fst_and_vcd_tlm_the_vcd(self):
        args = ["--seed", "7", "--packets", "10", "--quiet", "--json", "x.json", "--trace", "old.vcd"]
        self.assertEqual(waves.rerun_argv("/b/ppb-cosim", args, "rtl", "f"),
                         ["/b/ppb-cosim", "--backend", "rtl", "--seed", "7", "--packets", "10",
                          "--trace-rtl", "f.fst", "--trace", "f.vcd"])
        self.assertEqual(waves.rerun("c", ["--backend", "tlm", "--seed", "1"], name="w"),
                         "c --backend tlm --seed 1 --trace w.vcd")
        self.assertEqual(waves.rerun("c", ["--backend", "rtl", "--seed", "1"], name="w"),
                         "c --backend rtl --seed 1 --trace-rtl w.fst --trace w.vcd")

    def test_several_backends_on_one_line_and_safe_names(self):
        line = waves.rerun_backends("c", ["--seed", "1"], ["tlm", "rtl"], "s")
        self.assertEqual(line, "c --backend tlm --seed 1 --trace s-tlm.vcd; "
                               "c --backend rtl --seed 1 --trace-rtl s-rtl.fst --trace s-rtl.vcd")
        self.assertEqual(waves.stem("soak", "slow client", "rtl", 42, ""), "soak-slow_client-rtl-42")
        self.assertEqual(shlex.split(waves.rerun("/a b/c", ["--x", "it's"], "tlm", "n"))[:2], ["/a b/c", "--backend"])


class ReportTest(unittest.TestCase):
    def test_summary_and_junit_of_a_report(self):
        r = report.Report("soak", "soak seed 9", {"seed": 9})
        r.passed("a", "soak.clean", 0.1)
        r.failed("b", "soak.noisy", 0.2, report.Failure("b", "data", "frame 1\nmore", "c", "c --trace b.vcd",
                                                         ["tlm"], ["--seed", "5"]))
        r.skipped("c", "soak.noisy", "not compared: tlm failed")
        self.assertFalse(r.ok)
        self.assertEqual(r.counts(), {"passed": 1, "failed": 1, "error": 0, "skipped": 1, "tests": 3})
        with tempfile.TemporaryDirectory() as d:
            r.write(os.path.join(d, "r.xml"), os.path.join(d, "r.json"))
            doc = json.loads(Path(d, "r.json").read_text())
            self.assertEqual(doc["failures"][0]["rerun"], "c --trace b.vcd")
            self.assertEqual(doc["counts"]["failed"], 1)
            case = junit.read(os.path.join(d, "r.xml"))[0].cases[1]
            self.assertEqual(case.message, "[data] frame 1")
        self.assertIn("waves: c --trace b.vcd", r.failures[0].printed())

    def test_regression_lines_are_recorded_once(self):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d, "regressions.txt")
            self.assertTrue(report.record_regression(p, "rtl", ["--seed", "1"], "[data] x"))
            self.assertFalse(report.record_regression(p, "rtl", ["--seed", "1"], "[data] x"))
            lines = p.read_text().splitlines()
            self.assertEqual(len(lines), 2)
            self.assertIn("found by scripts/soak: [data] x", lines[0])
            self.assertEqual(lines[1], "--backend rtl --seed 1")

    def test_slices_cover_every_seed_once(self):
        for total in (1, 5, 7, 200):
            for n in (1, 2, 3, 8):
                got = [s for k in range(1, n + 1) for s in report.slice_range(1, total, k, n)]
                self.assertEqual(got, list(range(1, total + 1)), (total, n))
        self.assertEqual(report.parse_slice("2/5"), (2, 5))
        for bad in ("0/3", "4/3", "x", "1/"):
            with self.assertRaises(ValueError):
                report.parse_slice(bad)


class SlurmTest(unittest.TestCase):
    def test_layout_respects_the_array_limit(self):
        self.assertEqual(slurm.layout(5, 2), (3, 2))
        self.assertEqual(slurm.layout(0), (1, 1))
        self.assertEqual(slurm.layout(2500), (834, 3))
        self.assertEqual(slurm.layout(2500, max_tasks=1000)[0] <= 1000, True)

    def test_the_script_runs_its_lines_of_the_list(self):
        with tempfile.TemporaryDirectory() as d:
            jobs = os.path.join(d, "jobs.txt")
            Path(jobs).write_text("".join(f"echo line {i} >>{d}/out; read x && echo stdin >>{d}/out\n"
                                          for i in range(1, 6)))
            script = os.path.join(d, "s.sh")
            Path(script).write_text(slurm.array_script(what="t", name="t", jobs=jobs, output=d, script=script,
                                                       then="merge", tasks=3, per=2, minutes=5))
            for task in ("2", "3"):
                p = subprocess.run(["bash", script], env=dict(os.environ, SLURM_ARRAY_TASK_ID=task),
                                   capture_output=True, text=True)
                self.assertEqual(p.returncode, 1, p.stderr)  # `read` finds no input: a line's failure
            self.assertEqual(Path(d, "out").read_text().split("\n")[:-1], ["line 3", "line 4", "line 5"])
            p = subprocess.run(["bash", script], env={k: v for k, v in os.environ.items()
                                                      if k != "SLURM_ARRAY_TASK_ID"}, capture_output=True, text=True)
            self.assertEqual(p.returncode, 2)
            self.assertIn("not an array task", p.stderr)
            os.remove(jobs)
            p = subprocess.run(["bash", script], env=dict(os.environ, SLURM_ARRAY_TASK_ID="1"),
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 1)
            self.assertIn("filesystem every node shares", p.stderr)


def run(*argv, timeout=120):
    return subprocess.run([sys.executable, *map(str, argv)], capture_output=True, text=True, timeout=timeout)


class CosimSeedsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name
        self.fake = fake_cosim(self.d)

    def tearDown(self):
        self.tmp.cleanup()

    def test_stops_at_the_first_failure_with_the_rest_skipped(self):
        x, j = os.path.join(self.d, "s.xml"), os.path.join(self.d, "s.json")
        p = run(HERE / "cosim-seeds", self.fake, 3, "rtl", "--junit", x, "--json", j)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("FAILED [data]: ", p.stdout)
        self.assertRegex(p.stdout, r"rerun with waves: \S+ --backend rtl --seed 2 .*--noise .* "
                                   r"--trace-rtl seeds-noisy-rtl-seed-2\.fst --trace seeds-noisy-rtl-seed-2\.vcd")
        self.assertRegex(p.stdout, r"\n9 passed, 1 failed, 14 skipped\n")
        cases = junit.read(x)[0].cases
        self.assertEqual(len(cases), 24)
        bad = [c for c in cases if c.bad]
        self.assertEqual([(c.name, c.kind) for c in bad], [("noisy seed 2", "data")])
        self.assertIn("rerun with waves: ", bad[0].text)
        self.assertIn("payload byte 9", bad[0].message)
        skipped = [c for c in cases if c.status == junit.SKIPPED]
        self.assertEqual(len(skipped), 14)
        self.assertIn("stops at the first failure", skipped[0].message)
        doc = json.loads(Path(j).read_text())
        self.assertEqual(doc["counts"]["skipped"], 14)
        self.assertFalse(doc["ok"])

    def test_a_slice_keeps_going(self):
        x = os.path.join(self.d, "s.xml")
        p = run(HERE / "cosim-seeds", self.fake, 5, "tlm", "--slice", "2/2", "--keep-going", "--junit", x)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        cases = junit.read(x)[0].cases
        self.assertEqual({c.name.split(" seed ")[1] for c in cases}, {"3", "4", "5"})
        self.assertEqual(sorted((c.name, c.kind) for c in cases if c.bad), [("no_dmi seed 3", "crash (signal 11)")])
        self.assertIn("--trace seeds-no_dmi-tlm-seed-3.vcd", [c for c in cases if c.bad][0].text)
        self.assertNotIn("--trace-rtl", [c for c in cases if c.bad][0].text)

    def test_bad_arguments_exit_2(self):
        for args in ([self.fake, "x"], [self.fake, "3", "verilog"], [self.fake, "3", "tlm", "--slice", "3/2"],
                     ["/nonexistent/ppb-cosim"]):
            p = run(HERE / "cosim-seeds", *args)
            self.assertEqual(p.returncode, 2, (args, p.stdout, p.stderr))


class RegressTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name
        self.fake = fake_cosim(self.d)

    def tearDown(self):
        self.tmp.cleanup()

    def test_tasks_merge_into_one_verdict_and_a_lost_task_fails_it(self):
        res = os.path.join(self.d, "r")
        p = run(HERE / "ppb-regress", "seeds", "--cosim", self.fake, "--results", res, "--tasks", "3", "--seeds", "3")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = Path(res, "jobs.txt").read_text().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertIn("--slice 2/3 --keep-going", lines[1])
        self.assertIn("#SBATCH --array=1-3", Path(res, "slurm.sh").read_text())
        for line in lines[:2]:  # task 3 never runs
            subprocess.run(["bash", "-c", line], timeout=120)
        self.assertEqual(Path(res, "task-2.rc").read_text().strip(), "1")  # seed 2 fails
        p = run(HERE / "ppb-regress", "merge", res)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("FAIL task 2 [data] noisy seed 2", p.stdout)
        self.assertIn("waves: ", p.stdout)
        self.assertIn("FAIL task 3 left no result (it never ran or was killed", p.stdout)
        self.assertRegex(p.stdout, r"3 tasks \(2 complete, 1 left no result: 3\); 14 passed, 2 failed, 0 skipped: FAIL")
        suites = junit.read(os.path.join(res, "junit.xml"))
        self.assertEqual(len(suites), 3)
        lost = suites[-1].cases[0]
        self.assertEqual((lost.name, lost.status, lost.kind), ("task 3", junit.ERROR, "no result"))
        self.assertIn("--slice 3/3", lost.text)
        subprocess.run(["bash", "-c", lines[2]], timeout=120)
        m = regress.merge(res)
        self.assertEqual((m.complete, m.missing, m.counts["passed"], m.counts["failed"]), (3, [], 21, 3))
        self.assertFalse(m.ok)
        n = regress.record(m, Path(self.d, "regressions.txt"))
        self.assertEqual(n, 3)
        self.assertIn("--backend tlm --seed 2", Path(self.d, "regressions.txt").read_text())

    def test_soak_tasks_have_their_own_seeds_and_add_up(self):
        res = os.path.join(self.d, "k")
        p = run(HERE / "ppb-regress", "soak", "--cosim", self.fake, "--results", res, "--tasks", "2", "--time", "1",
                "--backends", "tlm", "native", "--families", "clean", "poll", "--seed", "40")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = Path(res, "jobs.txt").read_text().splitlines()
        self.assertIn("--seed 41 ", lines[0])
        self.assertIn("--seed 42 ", lines[1])
        self.assertIn("--no-record", lines[0])
        for line in lines:
            subprocess.run(["bash", "-c", line], timeout=120)
        m = regress.merge(res)
        self.assertTrue(m.ok, m.failures)
        self.assertEqual(m.stats["seed"], [41, 42])
        self.assertEqual(m.stats["scenarios"], sum(json.loads(Path(res, f"task-{k}.json").read_text())
                                                  ["stats"]["scenarios"] for k in (1, 2)))
        self.assertEqual(set(m.stats["per_family"]), {"clean", "poll"})

    def test_merge_refuses_a_directory_without_manifest(self):
        p = run(HERE / "ppb-regress", "merge", self.d)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no ppb-regress manifest", p.stderr)


class CompareTest(unittest.TestCase):
    def test_csv_and_junit(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.csv"), os.path.join(d, "b.csv")
            Path(a).write_text("point,status,time_wall_s,x\np1,ok,1.0,5\np2,ok,2.0,6\n")
            Path(b).write_text("point,status,time_wall_s,x\np2,ok,9.0,6\np1,ok,3.0,5\n")
            self.assertEqual(compare.csv_differences(a, b), "")
            Path(b).write_text("point,status,time_wall_s,x\np2,ok,9.0,7\np1,ok,3.0,5\n")
            self.assertIn("point p2 column x", compare.csv_differences(a, b))
            ja, jb = os.path.join(d, "a.xml"), os.path.join(d, "b.xml")
            junit.write(ja, junit.Suite("s", [junit.Case("1", "c"), junit.Case("2", "c")]))
            junit.write(jb, junit.Suite("s", [junit.Case("1", "c")]))
            self.assertIn("cases differ", compare.junit_differences(ja, jb))
            self.assertEqual(compare.junit_differences(ja, jb, prefix=True), "")


if __name__ == "__main__":
    unittest.main()
