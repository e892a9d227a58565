// One bank: a true dual-port RAM of 32-bit words with byte write enables, read-first on each port.
// Port A belongs to the APB bus, port B to the stream ingress and the copy engine.
//
// The array is written the way synthesis tools infer a true dual-port block RAM (one process per
// port, registered read data, no reset). Outside the array, port A's read data is merged with the
// port-B write that hits the same word in the same cycle, so a bus read never returns a word older
// than the last edge: the copy engine's last write and the swap land on the same edge, and a bus
// read set up in that cycle must already see the copied bytes (SPEC.md section 6: results are
// visible from the cycle after BUSY). Simultaneous writes of the same byte from both ports are
// undefined in silicon; in simulation port B wins.
module ppb_bank_ram #(
  parameter int Words = 1024,
  localparam int Aw = $clog2(Words)
) (
  input  logic          clk_i,

  input  logic          a_en_i,
  input  logic          a_we_i,
  input  logic [3:0]    a_be_i,
  input  logic [Aw-1:0] a_addr_i,
  input  logic [31:0]   a_wdata_i,
  output logic [31:0]   a_rdata_o,

  input  logic          b_en_i,
  input  logic          b_we_i,
  input  logic [3:0]    b_be_i,
  input  logic [Aw-1:0] b_addr_i,
  input  logic [31:0]   b_wdata_i,
  output logic [31:0]   b_rdata_o
);

  // sim-visible: read by rtl/sim/verilated_access.hpp (keep the name): backdoor loads and reads
  logic [31:0] mem_q [Words] /*verilator public_flat_rw*/;
  logic [31:0] a_rdata_q, b_rdata_q;

  // Both ports in one clocked process: the reads first (read-first on each port, also across
  // ports), then port A's bytes, then port B's (so B wins a byte both write). The array is updated
  // in place (blocking, waived in ppb.vlt): nothing else reads it during the edge, and a simulator
  // then writes the enabled bytes directly instead of queuing a delayed write per byte lane.
  always_ff @(posedge clk_i) begin
    if (a_en_i) a_rdata_q <= mem_q[a_addr_i];
    if (b_en_i) b_rdata_q <= mem_q[b_addr_i];
    if (a_en_i && a_we_i) begin
      for (int i = 0; i < 4; i++) begin
        if (a_be_i[i]) mem_q[a_addr_i][8*i +: 8] = a_wdata_i[8*i +: 8];
      end
    end
    if (b_en_i && b_we_i) begin
      for (int i = 0; i < 4; i++) begin
        if (b_be_i[i]) mem_q[b_addr_i][8*i +: 8] = b_wdata_i[8*i +: 8];
      end
    end
  end

  // Port-B write to the word port A reads in the same cycle: its bytes, remembered for the merge.
  // Beside the RAM's own output registers: no reset, like them; loaded when port A is enabled
  // (computed in the clocked block, so a simulator evaluates it once per edge and only then).
  logic [31:0] byp_mask_q, byp_data_q;

  always_ff @(posedge clk_i) begin
    if (a_en_i) begin
      byp_data_q <= b_wdata_i;
      if (b_en_i && b_we_i && b_addr_i == a_addr_i)
        byp_mask_q <= {{8{b_be_i[3]}}, {8{b_be_i[2]}}, {8{b_be_i[1]}}, {8{b_be_i[0]}}};
      else
        byp_mask_q <= '0;
    end
  end

  assign a_rdata_o = (a_rdata_q & ~byp_mask_q) | (byp_data_q & byp_mask_q);
  assign b_rdata_o = b_rdata_q;

endmodule
