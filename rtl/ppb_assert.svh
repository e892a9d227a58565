// Assertion macros shared by the PPB units.
//
// PPB_ASSERT(expr, msg): an immediate `assert` inside a clocked `always`, using `$past`: the
// subset that all of Verilator 5 (with --assert), Yosys (read_verilog -sv, formal flows) and
// simulation accept.
//  - Yosys parses no action block, so under Yosys the message is dropped (the label of the check is
//    the comment next to it).
//  - Icarus Verilog 11 parses immediate assertions but has no `$past` at run time, so every
//    assertion section is left out under Icarus (see PPB_CHECKS).
//
// PPB_STATIC_ASSERT(label, cond, msg): an elaboration-time check, a generate block `label` that
// exists only when the constant `cond` is false, and then stops the build. Verilator (USERERROR,
// fatal) and Yosys print `msg`, a plain string (Yosys prints no format arguments). Icarus Verilog
// 11 has no elaboration-time $error: there the block instantiates a module that does not exist,
// ppb_static_assert_failed, and Icarus's error names it and the line of the check.
//
// PPB_CHECKS: defined where the assertion sections (the PPB_ASSERTs, their ghost state and
// covers) are compiled: everywhere but under Icarus and where PPB_NO_CHECKS is defined (the fast
// Verilated build, rtl/CMakeLists.txt, which runs without --assert and so drops the ghost state
// that only the assertions read).
`ifndef PPB_ASSERT_SVH
`define PPB_ASSERT_SVH

`ifndef PPB_NO_CHECKS
`ifndef __ICARUS__
`define PPB_CHECKS
`endif
`endif

`ifdef YOSYS
`define PPB_ASSERT(expr, msg) assert (expr);
`else
`define PPB_ASSERT(expr, msg) assert (expr) else $error msg;
`endif

`ifdef __ICARUS__
`define PPB_STATIC_ASSERT(label, cond, msg) \
  if (!(cond)) begin : label \
    ppb_static_assert_failed u_static_assert_failed (); \
  end
`else
`define PPB_STATIC_ASSERT(label, cond, msg) \
  if (!(cond)) begin : label \
    $error(msg); \
  end
`endif

`endif
