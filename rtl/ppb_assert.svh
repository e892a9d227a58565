// Assertion macro shared by the PPB units.
//
// The assertions are immediate `assert`s inside a clocked `always`, using `$past`: the subset that
// all of Verilator 5 (with --assert), Yosys (read_verilog -sv, formal flows) and simulation accept.
//  - Yosys parses no action block, so under Yosys the message is dropped (the label of the check is
//    the comment next to it).
//  - Icarus Verilog 11 parses immediate assertions but has no `$past` at run time, so every
//    assertion section is left out under Icarus (`ifndef __ICARUS__`).
`ifndef PPB_ASSERT_SVH
`define PPB_ASSERT_SVH

`ifdef YOSYS
`define PPB_ASSERT(expr, msg) assert (expr);
`else
`define PPB_ASSERT(expr, msg) assert (expr) else $error msg;
`endif

`endif
