#!/usr/bin/env python3
"""Unit tests of scripts/regtool.py: reproducible output and clear refusals of bad descriptions."""
import pathlib
import subprocess
import sys
import tempfile
import tomllib
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import regtool  # noqa: E402


def dump(d):
    """Minimal TOML writer for the description's shapes (tables, arrays of tables, inline tables)."""
    def val(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return str(v)
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(val(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k} = {val(x)}" for k, x in v.items()) + "}"
        raise TypeError(v)

    out = []

    def table(prefix, t):
        scalars = {k: v for k, v in t.items() if not isinstance(v, dict) and not (isinstance(v, list) and v and isinstance(v[0], dict) and k in ("window", "reg"))}
        subs = {k: v for k, v in t.items() if k not in scalars}
        if prefix:
            out.append(f"[{prefix}]")
        for k, v in scalars.items():
            out.append(f"{k} = {val(v)}")
        for k, v in subs.items():
            name = f"{prefix}.{k}" if prefix else k
            if isinstance(v, list):
                for item in v:
                    out.append(f"[[{name}]]")
                    for ik, iv in item.items():
                        out.append(f"{ik} = {val(iv)}")
            else:
                table(name, v)

    table("", d)
    return "\n".join(out) + "\n"


class RegtoolTest(unittest.TestCase):
    def setUp(self):
        with open(regtool.DEFAULT_DESC, "rb") as f:
            self.desc = tomllib.load(f)

    def run_tool(self, desc, *args):
        with tempfile.TemporaryDirectory() as tmp:
            p = pathlib.Path(tmp) / "d.toml"
            p.write_text(dump(desc))
            return subprocess.run([sys.executable, str(HERE / "regtool.py"), "--desc", str(p), *args],
                                  capture_output=True, text=True)

    def test_round_trip_of_the_test_writer(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = pathlib.Path(tmp) / "d.toml"
            p.write_text(dump(self.desc))
            self.assertEqual(regtool.gen_cpp(regtool.load(p)), regtool.gen_cpp(regtool.load(regtool.DEFAULT_DESC)))

    def test_output_is_reproducible(self):
        d = regtool.load(regtool.DEFAULT_DESC)
        for gen in regtool.GEN.values():
            self.assertEqual(gen(d), gen(d))
            self.assertNotRegex(gen(d), r"20\d\d-\d\d-\d\d")

    def test_every_register_reaches_every_artefact(self):
        d = regtool.load(regtool.DEFAULT_DESC)
        cpp, sv, md = regtool.gen_cpp(d), regtool.gen_sv(d), regtool.gen_md(d)
        for reg in d["reg"]:
            self.assertIn(f"namespace {reg['name'].lower()} {{", cpp)
            self.assertIn(f"{reg['name']}_OFFSET = 12'h{reg['offset']:03X}", sv)
            self.assertIn(f"| `{reg['name']}` |", md)

    def refused(self, mutate, message):
        d = tomllib.loads(dump(self.desc))
        mutate(d)
        r = self.run_tool(d, "cpp", "/dev/null")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(message, r.stderr)

    def test_refuses_duplicate_offset(self):
        self.refused(lambda d: d["reg"][1].update(offset=0), "already used by ID")

    def test_refuses_misaligned_offset(self):
        self.refused(lambda d: d["reg"][1].update(offset=6), "not a word offset")

    def test_refuses_overlapping_fields(self):
        def m(d):
            ctrl = next(r for r in d["reg"] if r["name"] == "CTRL")
            ctrl["fields"][1]["lsb"] = 0
        self.refused(m, "overlaps")

    def test_refuses_reset_outside_fields(self):
        def m(d):
            ctrl = next(r for r in d["reg"] if r["name"] == "CTRL")
            ctrl["reset"] = 0x80
        self.refused(m, "outside its fields")

    def test_refuses_unknown_access(self):
        self.refused(lambda d: d["reg"][0].update(access="rx"), "access 'rx'")

    def test_refuses_repeated_name(self):
        self.refused(lambda d: d["reg"][1].update(name="ID"), "repeated")


if __name__ == "__main__":
    unittest.main()
