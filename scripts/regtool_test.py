#!/usr/bin/env python3
"""Unit tests of scripts/regtool.py: reproducible output and clear refusals of bad descriptions."""
import pathlib
import shutil
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
            for gen in regtool.GEN.values():
                self.assertEqual(gen(regtool.load(p)), gen(regtool.load(regtool.DEFAULT_DESC)))

    def test_output_is_reproducible(self):
        d = regtool.load(regtool.DEFAULT_DESC)
        for gen in regtool.GEN.values():
            self.assertEqual(gen(d), gen(d))
            self.assertNotRegex(gen(d), r"20\d\d-\d\d-\d\d")

    def test_every_register_reaches_every_artefact(self):
        d = regtool.load(regtool.DEFAULT_DESC)
        cpp, sv, md = regtool.gen_cpp(d), regtool.gen_sv(d), regtool.gen_md(d)
        regfile, py = regtool.gen_regfile(d), regtool.gen_py(d)
        for reg in d["reg"]:
            n = reg["name"]
            self.assertIn(f"namespace {n.lower()} {{", cpp)
            self.assertIn(f"{n}_OFFSET = 12'h{reg['offset']:03X}", sv)
            self.assertIn(f"| `{n}` |", md)
            self.assertIn(f"        ppb_reg_pkg::{n}_OFFSET", regfile)  # in the map of mapped offsets
            self.assertIn(f'{n} = Reg("{n}", 0x{reg["offset"]:03X}, ', py)
            if reg["hw"] == "unit" and reg["access"] != "ro":
                self.assertRegex(regfile, rf"{n.lower()}_we_o += write_i && off_i == ppb_reg_pkg::{n}_OFFSET;")
            if reg["hw"] == "flop":
                self.assertIn(f"{n.lower()}_q", regfile)
                self.assertRegex(regfile, rf"{n}_OFFSET: +{n.lower()}_q +<= wdata_i & ppb_reg_pkg::{n}_WMASK;")
            if reg["access"] == "wo":
                self.assertNotRegex(regfile, rf"{n}_OFFSET: +rdata_o")

    def python_module(self, d):
        ns = {}
        exec(compile(regtool.gen_py(d), "regs.py", "exec"), ns)
        return ns

    def test_python_module_matches_the_description(self):
        d = regtool.load(regtool.DEFAULT_DESC)
        m = self.python_module(d)
        for reg in d["reg"]:
            r = m["BY_NAME"][reg["name"]]
            self.assertEqual((r.offset, r.access, r.writable_mask), (reg["offset"], reg["access"],
                                                                     regtool.writable_mask(d, reg)))
            self.assertIs(m["reg_at"](reg["offset"]), r)
            for f in regtool.fields_of(d, reg):
                self.assertEqual((r.field(f["name"]).lsb, r.field(f["name"]).width), (f["lsb"], f["width"]))
        self.assertIsNone(m["reg_at"](max(m["MAPPED_OFFSETS"]) + 4))
        for k, v in d["timing"].items():
            self.assertEqual(m[k.upper()], v)
        for k, v in d["enum"]["OPCODE"].items():
            if k != "desc":
                self.assertEqual(m["Opcode"][k], v)

    def test_capacity_rule_and_its_message_are_the_same_in_cpp_and_python(self):
        d = regtool.load(regtool.DEFAULT_DESC)
        m = self.python_module(d)
        p = d["params"]["CAPACITY"]
        for c in (p["min"], p["max"], p["default"], p["min"] + p["multiple"]):
            self.assertTrue(m["valid_capacity"](c), c)
            self.assertEqual(m["capacity_error"](c), "")
        for c in (0, p["min"] - p["multiple"], p["min"] + 1, p["max"] + p["multiple"]):
            self.assertFalse(m["valid_capacity"](c), c)
            self.assertEqual(m["capacity_error"](c),
                             f"CAPACITY {c} is not a multiple of {p['multiple']} in [{p['min']}, {p['max']}]")
        self.assertIn(f'return "CAPACITY " + std::to_string(value) + " is not a multiple of {p["multiple"]} in '
                      f'[{p["min"]}, {p["max"]}]";', regtool.gen_cpp(d))

    def test_command_cycles_in_python(self):
        m = self.python_module(regtool.load(regtool.DEFAULT_DESC))
        op = m["Opcode"]
        self.assertEqual(m["command_cycles"](op.RESET, 0, 0), 1)
        self.assertEqual(m["command_cycles"](op.SHIFT, 0, 0), 1)
        self.assertEqual(m["command_cycles"](op.CONSUME, 3, 2), 2 + 2)  # bytes 3..4: two words
        self.assertEqual(m["command_cycles"](99, 0, 0), 0)

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

    # The RTL side of the description (hw, read, [rtl.inputs]) and the rules the generators rely on.
    def reg(self, d, name):
        return next(r for r in d["reg"] if r["name"] == name)

    def test_refuses_unknown_hw(self):
        self.refused(lambda d: self.reg(d, "CTRL").update(hw="wire"), "hw 'wire' not one of")

    def test_refuses_a_register_without_hw(self):
        self.refused(lambda d: self.reg(d, "CTRL").pop("hw"), "register CTRL: hw None not one of")

    def test_refuses_a_flop_that_is_not_rw(self):
        self.refused(lambda d: self.reg(d, "CMD").update(hw="flop"), "hw flop needs access rw, not wo")

    def test_refuses_a_constant_that_takes_writes(self):
        self.refused(lambda d: self.reg(d, "CTRL").update(hw="const"), "hw const needs access ro, not rw")

    def test_refuses_a_read_expression_on_a_write_only_register(self):
        self.refused(lambda d: self.reg(d, "CMD").update(read="busy_i"), "wo registers read 0")

    def test_refuses_a_read_expression_on_a_flop(self):
        self.refused(lambda d: self.reg(d, "CTRL").update(read="busy_i"), "read is only for hw unit")

    def test_refuses_a_readable_unit_register_without_read(self):
        def m(d):
            self.reg(d, "SWAPS").pop("read")
            del d["rtl"]["inputs"]["swaps_i"]
        self.refused(m, "register SWAPS: hw unit with access ro needs a read expression")

    def test_refuses_a_read_of_an_undeclared_input(self):
        self.refused(lambda d: self.reg(d, "FILL").update(read="fill_i + nothing_i"),
                     "register FILL: read uses 'nothing_i', which is not in [rtl.inputs]")

    def test_refuses_a_read_of_a_field_the_register_lacks(self):
        self.refused(lambda d: self.reg(d, "STATUS")["read"].update(EMPTY="busy_i"),
                     "read names field 'EMPTY', which it does not have")

    def test_refuses_a_constant_read_expression(self):
        def m(d):
            self.reg(d, "SWAPS").update(read="32'd7")
            del d["rtl"]["inputs"]["swaps_i"]
        self.refused(m, "reads no rtl input")

    def test_refuses_an_input_wider_than_its_field(self):
        self.refused(lambda d: self.reg(d, "STATUS")["read"].update(BUSY="last_error_i"),
                     "register STATUS field BUSY: input last_error_i has 8 bits, more than the 1 it fills")

    def test_refuses_an_input_no_register_reads(self):
        self.refused(lambda d: d["rtl"]["inputs"].update(spare_i={"width": 1, "desc": "x"}),
                     "rtl input spare_i: no register reads it")

    def test_refuses_an_input_of_no_width(self):
        self.refused(lambda d: d["rtl"]["inputs"]["busy_i"].update(width=33), "width 33 is neither")

    def test_refuses_an_input_that_is_no_input_port_name(self):
        def m(d):
            d["rtl"]["inputs"]["busy"] = d["rtl"]["inputs"].pop("busy_i")
        self.refused(m, "rtl input 'busy': not a lower-case port name ending in _i")

    def test_refuses_two_register_file_ports_of_one_name(self):
        def m(d):
            r = self.reg(d, "THRESHOLD")
            r.update(name="IRQ", fields=[{"name": "TEST_WE", "lsb": 0, "width": 1, "desc": "x"}])
        self.refused(m, "register file ports named twice: irq_test_we_o")

    def test_refuses_a_python_name_defined_twice(self):
        self.refused(lambda d: self.reg(d, "THRESHOLD").update(name="IRQ_ALL"),
                     "Python module: names defined twice: IRQ_ALL")

    def test_refuses_a_default_that_breaks_its_rule(self):
        self.refused(lambda d: d["params"]["CAPACITY"].update(default=4098),
                     "parameter CAPACITY: default 4098 is not a multiple of 4 in [16, 1048576]")

    def test_refuses_min_above_max(self):
        self.refused(lambda d: d["params"]["CAPACITY"].update(min=2097152), "min 2097152 is above max 1048576")

    def test_refuses_a_timing_that_is_no_cycle_count(self):
        self.refused(lambda d: d["timing"].update(reset_cycles=-1), "timing reset_cycles: -1 is not a cycle count")

    def test_refuses_a_register_window_that_is_no_power_of_two(self):
        self.refused(lambda d: d["window"][0].update(size=0x1800), "REGS window: size 6144 is not a power of two")

    def scratch_desc(self):
        """The description with one more plain register, SCRATCH: the one edit a new register needs."""
        d = tomllib.loads(dump(self.desc))
        d["reg"].append({"name": "SCRATCH", "offset": 0x44, "access": "rw", "reset": 0, "desc": "x", "hw": "flop"})
        return d

    def test_check_names_every_stale_artefact(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = pathlib.Path(tmp) / "d.toml"
            p.write_text(dump(self.scratch_desc()))
            r = subprocess.run([sys.executable, str(HERE / "regtool.py"), "--desc", str(p), "check"],
                               capture_output=True, text=True)
        self.assertEqual(r.returncode, 1, r.stderr)
        for f in ("rtl/ppb_reg_pkg.sv", "rtl/ppb_reg_file.sv", "scripts/ppbkit/regs.py", "docs/registers.md"):
            self.assertIn(f, r.stderr)
        self.assertIn("scripts/regtool.py update", r.stderr)

    @unittest.skipUnless(shutil.which("verilator"), "verilator not installed")
    def test_a_new_register_is_one_edit_and_the_register_file_lints_clean(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            p = tmp / "d.toml"
            p.write_text(dump(self.scratch_desc()))
            d = regtool.load(p)
            (tmp / "ppb_reg_pkg.sv").write_text(regtool.gen_sv(d))
            (tmp / "ppb_reg_file.sv").write_text(regtool.gen_regfile(d))
            self.assertRegex(regtool.gen_regfile(d), r"output logic \[31:0\] +scratch_o")
            self.assertRegex(regtool.gen_regfile(d), r"ppb_reg_pkg::SCRATCH_OFFSET: +rdata_o = scratch_q;")
            r = subprocess.run(["verilator", "--lint-only", "-Wall", "-Wno-UNUSEDPARAM", "--top-module", "ppb_reg_file",
                                str(tmp / "ppb_reg_pkg.sv"), str(tmp / "ppb_reg_file.sv")],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
