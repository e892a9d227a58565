// Stream ingress: the AXI-Stream byte port, appending to Ping at FILL.
//
// Ready while CTRL.SOURCE selects the stream, no command is running (BUSY stalls, never drops) and
// Ping has room or the drop policy is on. A byte that moves while FILL < LIMIT is written to
// Ping[FILL] through port B (FILL and INGRESS count it from the next cycle); one that moves while
// FILL == LIMIT (drop policy) is counted in DROPPED (saturating) and raises OVERFLOW.
// Any write to DROPPED clears it; a byte dropped in the same cycle still counts.
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

  logic        has_room, fire;
  logic [31:0] dropped_q, dropped_d, ingress_q, ingress_d, dropped_base;

  // Evaluated only when something arrives or DROPPED is written. (Each variable is assigned once
  // per path: Icarus re-runs an always_comb that changes a variable it also reads, forever.)
  always_comb begin
    has_room        = fill_i < limit_i;
    s_axis_tready_o = source_i && !busy_i && (has_room || drop_i);
    if (s_axis_tvalid_i || dropped_clear_i) begin
      fire         = s_axis_tvalid_i && s_axis_tready_o;
      accept_o     = fire && has_room;
      overflow_o   = fire && !has_room;
      ingress_d    = ingress_q + 32'(accept_o);
      dropped_base = dropped_clear_i ? '0 : dropped_q;
      dropped_d    = overflow_o && dropped_base != '1 ? dropped_base + 32'd1 : dropped_base;
    end else begin
      fire         = 1'b0;
      accept_o     = 1'b0;
      overflow_o   = 1'b0;
      ingress_d    = ingress_q;
      dropped_base = dropped_q;
      dropped_d    = dropped_q;
    end

    ram_we_o    = accept_o;
    ram_addr_o  = fill_i[WordAw+1:2];
    ram_be_o    = 4'b0001 << fill_i[1:0];
    ram_wdata_o = {4{s_axis_tdata_i}};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dropped_q <= ppb_reg_pkg::DROPPED_RESET;
      ingress_q <= ppb_reg_pkg::INGRESS_RESET;
    end else begin
      dropped_q <= dropped_d;
      ingress_q <= ingress_d;
    end
  end

  assign dropped_o = dropped_q;
  assign ingress_o = ingress_q;

endmodule
