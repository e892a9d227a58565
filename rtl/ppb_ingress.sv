// Stream ingress: the AXI-Stream byte port, appending to Ping at FILL.
//
// Ready while CTRL.SOURCE selects the stream, no command is running (BUSY stalls, never drops) and
// Ping has room or the drop policy is on. A byte that moves while FILL < LIMIT is written to
// Ping[FILL] through port B (FILL and INGRESS count it from the next cycle); one that moves while
// FILL == LIMIT (drop policy) is counted in DROPPED (saturating) and raises OVERFLOW.
// Any write to DROPPED clears it; a byte dropped in the same cycle still counts.
`include "ppb_assert.svh"

module ppb_ingress #(
  parameter int CAPACITY = 4096,
  localparam int CntW = $clog2(CAPACITY + 1),
  localparam int WordAw = $clog2(CAPACITY / 4)
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  input  logic              s_axis_tvalid_i,
  output logic              s_axis_tready_o,
  input  logic [7:0]        s_axis_tdata_i,

  input  logic              source_i,      // CTRL.SOURCE: 1 = stream
  input  logic              drop_i,        // CTRL.DROP_WHEN_FULL
  input  logic              busy_i,
  input  logic [CntW-1:0]   fill_i,
  input  logic [CntW-1:0]   limit_i,
  input  logic              dropped_clear_i,

  output logic              accept_o,      // a byte goes into Ping this cycle
  output logic              overflow_o,    // a byte is dropped this cycle

  // Ping's port B (write only)
  output logic              ram_we_o,
  output logic [WordAw-1:0] ram_addr_o,
  output logic [3:0]        ram_be_o,
  output logic [31:0]       ram_wdata_o,

  output logic [31:0]       dropped_o,
  output logic [31:0]       ingress_o
);

  logic        has_room, can_accept, can_drop;
  logic [31:0] dropped_q, ingress_q;

  // SPEC.md section 6 (regmap/ppb.toml [timing] stream_cycles_per_byte): one byte per beat and a
  // ready that may stay high every cycle is this block's structure, so the count is checked.
  `PPB_STATIC_ASSERT(gen_stream_cycles_per_byte_check, ppb_reg_pkg::StreamCyclesPerByte == 1,
                     "ppb_reg_pkg::StreamCyclesPerByte must be 1: one byte per cycle")

  // Ready, and what a beat would do, are functions of flops only (a simulator evaluates them once
  // per edge); the handshake below only ANDs them with TVALID. (Each variable is assigned once
  // per path: Icarus re-runs an always_comb that changes a variable it also reads, forever.)
  always_comb begin
    has_room        = fill_i < limit_i;
    s_axis_tready_o = source_i && !busy_i && (has_room || drop_i);
    can_accept      = source_i && !busy_i && has_room;
    can_drop        = source_i && !busy_i && !has_room && drop_i;
  end

  always_comb begin
    accept_o   = s_axis_tvalid_i && can_accept;
    overflow_o = s_axis_tvalid_i && can_drop;
  end

  assign ram_we_o    = accept_o;
  assign ram_addr_o  = fill_i[WordAw+1:2];
  assign ram_be_o    = 4'b0001 << fill_i[1:0];
  assign ram_wdata_o = {4{s_axis_tdata_i}};

  // The counters' next values are computed in the clocked block, only when a byte moves or
  // DROPPED is written (a simulator evaluates combinational logic that reads both inputs and
  // flops twice per cycle).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dropped_q <= ppb_reg_pkg::DROPPED_RESET;
      ingress_q <= ppb_reg_pkg::INGRESS_RESET;
    end else begin
      if (accept_o) ingress_q <= ingress_q + 32'd1;
      // A write clears DROPPED; a byte dropped in the same cycle still counts (saturating).
      if (dropped_clear_i)                      dropped_q <= overflow_o ? 32'd1 : '0;
      else if (overflow_o && dropped_q != '1)   dropped_q <= dropped_q + 32'd1;
    end
  end

  assign dropped_o = dropped_q;
  assign ingress_o = ingress_q;

endmodule
