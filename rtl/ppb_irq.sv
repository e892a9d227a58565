// Interrupt status (IRQ_STATUS, write 1 to clear), test sets (IRQ_TEST) and the irq line.
//
// Each hardware event sets its bit on the edge after the event, i.e. the bit is visible in the
// cycle after it (SPEC.md section 6). A hardware or test set in the same cycle as a clear of the
// same bit wins, so no event is lost. irq_o is combinational from flops only.
module ppb_irq (
  input  logic                                  clk_i,
  input  logic                                  rst_ni,

  input  logic [ppb_reg_pkg::IRQ_WIDTH-1:0]     set_i,        // hardware events this cycle
  input  logic [ppb_reg_pkg::IRQ_WIDTH-1:0]     wdata_i,
  input  logic                                  clear_we_i,   // IRQ_STATUS write (W1C)
  input  logic                                  test_we_i,    // IRQ_TEST write
  input  logic [ppb_reg_pkg::IRQ_WIDTH-1:0]     enable_i,

  output logic [ppb_reg_pkg::IRQ_WIDTH-1:0]     status_o,
  output logic                                  irq_o
);

  localparam int W = ppb_reg_pkg::IRQ_WIDTH;

  logic [W-1:0] status_q;

  // The next value is computed in the clocked block, once per edge.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      status_q <= ppb_reg_pkg::IRQ_STATUS_RESET[W-1:0];
    end else begin
      status_q <= (status_q & ~(clear_we_i ? wdata_i & ppb_reg_pkg::IRQ_STATUS_WMASK[W-1:0] : '0)) |
                  set_i | (test_we_i ? wdata_i & ppb_reg_pkg::IRQ_TEST_WMASK[W-1:0] : '0);
    end
  end

  assign status_o = status_q;
  assign irq_o    = |(status_q & enable_i);

endmodule
