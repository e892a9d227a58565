// APB4 slave: address decode, error response, the plain read/write registers and the read mux.
//
// Zero wait states (pready_o is always 1). A register read returns the flops' values during the
// access phase; a bank read starts on port A in the setup phase (the address is valid then) so that
// the word is there in the access phase. Errors (pslverr_o in the access phase, nothing changes):
// unmapped register offsets, misaligned register addresses, register writes whose PSTRB is not all
// ones, and addresses outside REGS, BANK0 [0, CAPACITY) and BANK1 [0, CAPACITY).
// Bank accesses address the word that holds paddr_i (paddr_i[1:0] is ignored); writes honour PSTRB.
//
// Registers with behaviour of their own live in their units; this block sends them one-cycle write
// strobes (valid in the access phase of an error-free write) and reads their values back.
module ppb_apb_regs #(
  parameter int CAPACITY = 4096,
  localparam int CntW = $clog2(CAPACITY + 1),
  localparam int WordAw = $clog2(CAPACITY / 4)
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // APB4 slave
  input  logic [21:0]       paddr_i,
  input  logic              psel_i,
  input  logic              penable_i,
  input  logic              pwrite_i,
  input  logic [31:0]       pwdata_i,
  input  logic [3:0]        pstrb_i,
  output logic [31:0]       prdata_o,
  output logic              pready_o,
  output logic              pslverr_o,

  // Plain registers, to the units
  output logic              ctrl_source_o,
  output logic              ctrl_drop_o,
  output logic [31:0]       arg0_o,
  output logic [31:0]       arg1_o,
  output logic [ppb_reg_pkg::IRQ_WIDTH-1:0] irq_enable_o,
  output logic [31:0]       threshold_o,

  // Write strobes of registers that live elsewhere; data is wdata_o
  output logic [31:0]       wdata_o,
  output logic              cmd_we_o,
  output logic              limit_we_o,
  output logic              irq_status_we_o,
  output logic              irq_test_we_o,
  output logic              dropped_we_o,

  // Values read back
  input  logic [CntW-1:0]   fill_i,
  input  logic [CntW-1:0]   limit_i,
  input  logic              ping_i,
  input  logic              busy_i,
  input  logic [7:0]        last_error_i,
  input  logic [ppb_reg_pkg::IRQ_WIDTH-1:0] irq_status_i,
  input  logic [31:0]       dropped_i,
  input  logic [31:0]       swaps_i,
  input  logic [31:0]       ingress_i,

  // Port A of both banks
  output logic [1:0]        ram_en_o,
  output logic              ram_we_o,
  output logic [3:0]        ram_be_o,
  output logic [WordAw-1:0] ram_addr_o,
  output logic [31:0]       ram_wdata_o,
  input  logic [31:0]       ram0_rdata_i,
  input  logic [31:0]       ram1_rdata_i
);

  localparam logic [21:0] Capacity22 = 22'(CAPACITY);
  localparam logic [21:0] RegsSize22 = 22'(ppb_reg_pkg::RegsSize);

  // ------------------------------------------------------------------------------------- decode
  logic [22:0] regs_diff, bank0_diff, bank1_diff;  // paddr_i - base; bit 22 is the borrow
  logic [21:0] regs_off, bank0_off, bank1_off;
  logic        regs_hit, bank0_hit, bank1_hit;
  logic [11:0] reg_off;
  logic        reg_mapped, reg_err, decode_err;

  // Everything that depends on the bus is computed only while psel_i is high: the same logic in
  // silicon, and an idle cycle costs a simulator almost nothing. (Each variable is assigned once
  // per path: Icarus re-runs an always_comb that changes a variable it also reads, forever.)
  always_comb begin
    if (psel_i) begin
      regs_diff  = {1'b0, paddr_i} - {1'b0, ppb_reg_pkg::RegsBase};
      bank0_diff = {1'b0, paddr_i} - {1'b0, ppb_reg_pkg::Bank0Base};
      bank1_diff = {1'b0, paddr_i} - {1'b0, ppb_reg_pkg::Bank1Base};
      regs_off   = regs_diff[21:0];
      bank0_off  = bank0_diff[21:0];
      bank1_off  = bank1_diff[21:0];
      regs_hit   = !regs_diff[22] && regs_off < RegsSize22;
      bank0_hit  = !bank0_diff[22] && bank0_off < Capacity22;
      bank1_hit  = !bank1_diff[22] && bank1_off < Capacity22;
      reg_off    = regs_off[11:0];
    end else begin
      regs_diff  = '0;
      bank0_diff = '0;
      bank1_diff = '0;
      regs_off   = '0;
      bank0_off  = '0;
      bank1_off  = '0;
      regs_hit   = 1'b0;
      bank0_hit  = 1'b0;
      bank1_hit  = 1'b0;
      reg_off    = '0;
    end
  end

  logic [31:0] ctrl_q, arg0_q, arg1_q, irq_enable_q, threshold_q;
  logic [31:0] reg_rdata;

  // The map of implemented offsets (a function of the address alone). (Each variable is assigned
  // once per path: Icarus re-runs an always_comb that assigns a variable twice, forever.)
  always_comb begin
    if (psel_i && regs_hit) begin
      unique case (reg_off)
        ppb_reg_pkg::ID_OFFSET, ppb_reg_pkg::VERSION_OFFSET, ppb_reg_pkg::CAPACITY_OFFSET,
        ppb_reg_pkg::CTRL_OFFSET, ppb_reg_pkg::STATUS_OFFSET, ppb_reg_pkg::FILL_OFFSET,
        ppb_reg_pkg::LIMIT_OFFSET, ppb_reg_pkg::ARG0_OFFSET, ppb_reg_pkg::ARG1_OFFSET,
        ppb_reg_pkg::CMD_OFFSET, ppb_reg_pkg::IRQ_STATUS_OFFSET, ppb_reg_pkg::IRQ_ENABLE_OFFSET,
        ppb_reg_pkg::THRESHOLD_OFFSET, ppb_reg_pkg::DROPPED_OFFSET, ppb_reg_pkg::SWAPS_OFFSET,
        ppb_reg_pkg::INGRESS_OFFSET, ppb_reg_pkg::IRQ_TEST_OFFSET: reg_mapped = 1'b1;
        default:                                                     reg_mapped = 1'b0;
      endcase
    end else begin
      reg_mapped = 1'b0;
    end
  end

  // The read mux, evaluated only in the access phase of a register read.
  always_comb begin
    if (psel_i && penable_i && !pwrite_i && regs_hit) begin
      unique case (reg_off)
        ppb_reg_pkg::ID_OFFSET:         reg_rdata = ppb_reg_pkg::BlockId;
        ppb_reg_pkg::VERSION_OFFSET:    reg_rdata = ppb_reg_pkg::BlockVersion;
        ppb_reg_pkg::CAPACITY_OFFSET:   reg_rdata = 32'(CAPACITY);
        ppb_reg_pkg::CTRL_OFFSET:       reg_rdata = ctrl_q;
        ppb_reg_pkg::STATUS_OFFSET:     reg_rdata = (32'(ping_i)            << ppb_reg_pkg::STATUS_PING_BANK_LSB) |
                                                    (32'(busy_i)            << ppb_reg_pkg::STATUS_BUSY_LSB) |
                                                    (32'(fill_i == limit_i) << ppb_reg_pkg::STATUS_FULL_LSB) |
                                                    (32'(last_error_i)      << ppb_reg_pkg::STATUS_LAST_ERROR_LSB);
        ppb_reg_pkg::FILL_OFFSET:       reg_rdata = 32'(fill_i);
        ppb_reg_pkg::LIMIT_OFFSET:      reg_rdata = 32'(limit_i);
        ppb_reg_pkg::ARG0_OFFSET:       reg_rdata = arg0_q;
        ppb_reg_pkg::ARG1_OFFSET:       reg_rdata = arg1_q;
        ppb_reg_pkg::IRQ_STATUS_OFFSET: reg_rdata = 32'(irq_status_i);
        ppb_reg_pkg::IRQ_ENABLE_OFFSET: reg_rdata = irq_enable_q;
        ppb_reg_pkg::THRESHOLD_OFFSET:  reg_rdata = threshold_q;
        ppb_reg_pkg::DROPPED_OFFSET:    reg_rdata = dropped_i;
        ppb_reg_pkg::SWAPS_OFFSET:      reg_rdata = swaps_i;
        ppb_reg_pkg::INGRESS_OFFSET:    reg_rdata = ingress_i;
        default:                        reg_rdata = '0;  // CMD and IRQ_TEST read 0; unmapped: PSLVERR
      endcase
    end else begin
      reg_rdata = '0;
    end
  end

  always_comb begin
    reg_err    = !reg_mapped || reg_off[1:0] != 2'b00 || (pwrite_i && pstrb_i != 4'b1111);
    decode_err = !((regs_hit && !reg_err) || bank0_hit || bank1_hit);
  end

  // ------------------------------------------------------------------------------------ APB side
  logic setup, access, reg_write;

  // Functions of the bus inputs alone, apart from PRDATA (its own block: a simulator then
  // evaluates the rest once per cycle, before the edge).
  always_comb begin
    setup     = psel_i && !penable_i;
    access    = psel_i && penable_i;
    reg_write = access && pwrite_i && regs_hit && !decode_err;
    pready_o  = 1'b1;
    pslverr_o = access && decode_err;
  end

  always_comb begin
    if (access && !pwrite_i && !decode_err) begin
      if (regs_hit)       prdata_o = reg_rdata;
      else if (bank0_hit) prdata_o = ram0_rdata_i;
      else                prdata_o = ram1_rdata_i;
    end else begin
      prdata_o = '0;
    end
  end

  // Port A: reads start in the setup phase, writes happen in the access phase.
  always_comb begin
    ram_en_o    = {2{(setup && !pwrite_i) || (access && pwrite_i)}} & {bank1_hit, bank0_hit};
    ram_we_o    = access && pwrite_i;
    ram_be_o    = pstrb_i;
    ram_addr_o  = bank0_hit ? bank0_off[WordAw+1:2] : bank1_off[WordAw+1:2];
    ram_wdata_o = pwdata_i;
  end

  // ------------------------------------------------------------------------------ write strobes
  always_comb begin
    wdata_o         = pwdata_i;
    cmd_we_o        = reg_write && reg_off == ppb_reg_pkg::CMD_OFFSET;
    limit_we_o      = reg_write && reg_off == ppb_reg_pkg::LIMIT_OFFSET;
    irq_status_we_o = reg_write && reg_off == ppb_reg_pkg::IRQ_STATUS_OFFSET;
    irq_test_we_o   = reg_write && reg_off == ppb_reg_pkg::IRQ_TEST_OFFSET;
    dropped_we_o    = reg_write && reg_off == ppb_reg_pkg::DROPPED_OFFSET;
  end

  // ---------------------------------------------------------------------------- plain registers
  // The next values are computed in the clocked block, once per edge and only on a write.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ctrl_q       <= ppb_reg_pkg::CTRL_RESET;
      arg0_q       <= ppb_reg_pkg::ARG0_RESET;
      arg1_q       <= ppb_reg_pkg::ARG1_RESET;
      irq_enable_q <= ppb_reg_pkg::IRQ_ENABLE_RESET;
      threshold_q  <= ppb_reg_pkg::THRESHOLD_RESET;
    end else if (reg_write) begin
      unique case (reg_off)
        ppb_reg_pkg::CTRL_OFFSET:       ctrl_q       <= pwdata_i & ppb_reg_pkg::CTRL_WMASK;
        ppb_reg_pkg::ARG0_OFFSET:       arg0_q       <= pwdata_i & ppb_reg_pkg::ARG0_WMASK;
        ppb_reg_pkg::ARG1_OFFSET:       arg1_q       <= pwdata_i & ppb_reg_pkg::ARG1_WMASK;
        ppb_reg_pkg::IRQ_ENABLE_OFFSET: irq_enable_q <= pwdata_i & ppb_reg_pkg::IRQ_ENABLE_WMASK;
        ppb_reg_pkg::THRESHOLD_OFFSET:  threshold_q  <= pwdata_i & ppb_reg_pkg::THRESHOLD_WMASK;
        default: ;
      endcase
    end
  end

  always_comb begin
    ctrl_source_o = ctrl_q[ppb_reg_pkg::CTRL_SOURCE_LSB];
    ctrl_drop_o   = ctrl_q[ppb_reg_pkg::CTRL_DROP_WHEN_FULL_LSB];
    arg0_o        = arg0_q;
    arg1_o        = arg1_q;
    irq_enable_o  = irq_enable_q[ppb_reg_pkg::IRQ_WIDTH-1:0];
    threshold_o   = threshold_q;
  end

endmodule
