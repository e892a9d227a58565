// Formal harness of PPB (scripts/rtl-formal): ppb_top for a small CAPACITY with free inputs,
// constrained only by what SPEC.md promises about its environment:
//   - rst_ni is low in the first cycle (every run starts from reset); later it is free, so a hard
//     reset may land in any cycle, also in the middle of a command or a transfer;
//   - the APB master follows APB4: ACCESS (PSEL and PENABLE) only right after SETUP (PSEL alone),
//     SETUP always followed by ACCESS, and PADDR, PWRITE, PWDATA, PSTRB stable from SETUP to
//     ACCESS; PSEL low while rst_ni is low;
//   - the stream port is free (any TVALID and TDATA in any cycle; no AXI-Stream stability needed).
// The properties themselves are PPB_ASSERTs inside the RTL units (they run in Verilator too); the
// cover statements (`ifdef FORMAL`) are here and in the units.
module ppb_formal_top #(
  parameter int CAPACITY = 16
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [21:0] paddr_i,
  input  logic        psel_i,
  input  logic        penable_i,
  input  logic        pwrite_i,
  input  logic [31:0] pwdata_i,
  input  logic [3:0]  pstrb_i,
  output logic [31:0] prdata_o,
  output logic        pready_o,
  output logic        pslverr_o,
  input  logic        s_axis_tvalid_i,
  output logic        s_axis_tready_o,
  input  logic [7:0]  s_axis_tdata_i,
  output logic        irq_o
);

  ppb_top #(.CAPACITY(CAPACITY)) dut (.*);

`ifdef FORMAL
  // The first cycle of every trace is a reset cycle.
  logic        first_q = 1'b1;
  logic        setup_q = 1'b0;
  logic        irq_q   = 1'b0;
  logic [21:0] paddr_q;
  logic        pwrite_q;
  logic [31:0] pwdata_q;
  logic [3:0]  pstrb_q;

  always @(posedge clk_i) begin
    first_q  <= 1'b0;
    setup_q  <= rst_ni && psel_i && !penable_i;
    irq_q    <= irq_o;
    paddr_q  <= paddr_i;
    pwrite_q <= pwrite_i;
    pwdata_q <= pwdata_i;
    pstrb_q  <= pstrb_i;
  end

  always @* begin
    if (first_q) assume (!rst_ni);
    if (!rst_ni) assume (!psel_i);
    // APB4: SETUP is followed by ACCESS with the same transfer; ACCESS only after SETUP.
    if (setup_q && rst_ni) begin
      assume (psel_i && penable_i);
      assume (paddr_i == paddr_q && pwrite_i == pwrite_q && pwdata_i == pwdata_q && pstrb_i == pstrb_q);
    end
    if (penable_i) assume (setup_q);
  end

  // Cover: the interrupt line rises.
  always @(posedge clk_i) begin
    if (!first_q && rst_ni) cover (irq_o && !irq_q);
  end
`endif

endmodule
