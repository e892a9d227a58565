// APB4 slave: address decode, error response, the bank port A and the register file's bus side.
//
// Zero wait states (pready_o is always 1). A register read returns the register file's value
// during the access phase; a bank read starts on port A in the setup phase (the address is valid
// then) so that the word is there in the access phase. Errors (pslverr_o in the access phase,
// nothing changes): unmapped register offsets, misaligned register addresses, register writes
// whose PSTRB is not all ones, and addresses outside REGS, BANK0 [0, CAPACITY) and
// BANK1 [0, CAPACITY).
// Bank accesses address the word that holds paddr_i (paddr_i[1:0] is ignored); writes honour PSTRB.
//
// The registers themselves are in ppb_reg_file (rtl/ppb_reg_file.sv, generated from
// regmap/ppb.toml): which offsets are mapped, the read mux, the plain registers and the write
// strobes of the registers that live in the units. This block tells it the offset, the access
// phase of a read and that of an error-free write, and takes back whether the offset is mapped.
`include "ppb_assert.svh"

module ppb_apb_regs #(
  parameter int CAPACITY = ppb_reg_pkg::CapacityDefault,
  localparam int WordAw = $clog2(CAPACITY / 4)
) (
  // APB4 slave
  input  logic [21:0]                    paddr_i,
  input  logic                           psel_i,
  input  logic                           penable_i,
  input  logic                           pwrite_i,
  input  logic [31:0]                    pwdata_i,
  input  logic [3:0]                     pstrb_i,
  output logic [31:0]                    prdata_o,
  output logic                           pready_o,
  output logic                           pslverr_o,

  // Register file (ppb_reg_file)
  output logic                           reg_sel_o,    // PSEL high, the address in REGS
  output logic                           reg_read_o,   // access phase of a read in REGS
  output logic                           reg_write_o,  // same, of an error-free write
  output logic [ppb_reg_pkg::RegsAw-1:0] reg_off_o,
  input  logic                           reg_mapped_i,
  input  logic [31:0]                    reg_rdata_i,

  // Port A of both banks
  output logic [1:0]                     ram_en_o,
  output logic                           ram_we_o,
  output logic [3:0]                     ram_be_o,
  output logic [WordAw-1:0]              ram_addr_o,
  output logic [31:0]                    ram_wdata_o,
  input  logic [31:0]                    ram0_rdata_i,
  input  logic [31:0]                    ram1_rdata_i
);

  localparam logic [21:0] Capacity22 = 22'(CAPACITY);
  localparam logic [21:0] RegsSize22 = 22'(ppb_reg_pkg::RegsSize);

  // SPEC.md section 6 (regmap/ppb.toml [timing] bus_cycles_per_word): an APB transfer is a setup
  // and an access cycle and pready_o is tied high (zero wait states), so this block implies 2 bus
  // cycles per word; checked at elaboration.
  `PPB_STATIC_ASSERT(gen_bus_cycles_per_word_check, ppb_reg_pkg::BusCyclesPerWord == 2,
                     "ppb_reg_pkg::BusCyclesPerWord must be 2: APB setup + access, no wait states")

  // ------------------------------------------------------------------------------------- decode
  logic [22:0] regs_diff, bank0_diff, bank1_diff;  // paddr_i - base; bit 22 is the borrow
  logic [21:0] regs_off, bank0_off, bank1_off;
  logic        regs_hit, bank0_hit, bank1_hit;
  logic        reg_err, decode_err;

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
      reg_sel_o  = regs_hit;
      reg_off_o  = regs_off[ppb_reg_pkg::RegsAw-1:0];
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
      reg_sel_o  = 1'b0;
      reg_off_o  = '0;
    end
  end

  // The register file's map of implemented offsets (reg_mapped_i) is a function of the address
  // alone, valid while reg_sel_o is high.
  always_comb begin
    reg_err    = !reg_mapped_i || reg_off_o[1:0] != 2'b00 || (pwrite_i && pstrb_i != 4'b1111);
    decode_err = !((regs_hit && !reg_err) || bank0_hit || bank1_hit);
  end

  // ------------------------------------------------------------------------------------ APB side
  logic setup, access;

  // Functions of the bus inputs alone, apart from PRDATA (its own block: a simulator then
  // evaluates the rest once per cycle, before the edge).
  always_comb begin
    setup       = psel_i && !penable_i;
    access      = psel_i && penable_i;
    reg_read_o  = access && !pwrite_i && regs_hit;
    reg_write_o = access && pwrite_i && regs_hit && !decode_err;
    pready_o    = 1'b1;
    pslverr_o   = access && decode_err;
  end

  always_comb begin
    if (access && !pwrite_i && !decode_err) begin
      if (regs_hit)       prdata_o = reg_rdata_i;
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

endmodule
