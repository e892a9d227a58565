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
  // Whether addr lies in [base, base + size): the 23-bit difference's borrow says below base.
  function automatic logic in_window(logic [21:0] addr, logic [21:0] base, logic [21:0] size);
    logic [22:0] diff;
    diff      = {1'b0, addr} - {1'b0, base};
    in_window = !diff[22] && diff[21:0] < size;
  endfunction

  logic regs_hit, bank0_hit, bank1_hit, decode_err, read_ok;

  // Everything that depends on the bus is computed only while psel_i is high: the same logic in
  // silicon, and an idle cycle costs a simulator a test and a few stores. (Each variable is
  // assigned once per path: Icarus re-runs an always_comb that changes a variable it also reads,
  // forever.)
  always_comb begin
    if (psel_i) begin
      regs_hit  = in_window(paddr_i, ppb_reg_pkg::RegsBase, RegsSize22);
      bank0_hit = in_window(paddr_i, ppb_reg_pkg::Bank0Base, Capacity22);
      bank1_hit = in_window(paddr_i, ppb_reg_pkg::Bank1Base, Capacity22);
    end else begin
      regs_hit  = 1'b0;
      bank0_hit = 1'b0;
      bank1_hit = 1'b0;
    end
  end

  // Offsets, valid while the window's hit is high (each use is gated by it).
  assign reg_sel_o  = regs_hit;
  assign reg_off_o  = ppb_reg_pkg::RegsAw'(paddr_i - ppb_reg_pkg::RegsBase);
  assign ram_addr_o = bank0_hit ? WordAw'((paddr_i - ppb_reg_pkg::Bank0Base) >> 2)
                                : WordAw'((paddr_i - ppb_reg_pkg::Bank1Base) >> 2);
  assign ram_be_o    = pstrb_i;
  assign ram_wdata_o = pwdata_i;
  assign pready_o    = 1'b1;

  // ------------------------------------------------------------------------------------ APB side
  // The register file's map of implemented offsets (reg_mapped_i) is a function of the address
  // alone, valid while reg_sel_o is high. A register access is refused when the offset is not
  // mapped or not word-aligned, or a write's PSTRB is not all ones; any other address outside
  // the windows is refused. Setup phase: PENABLE low; access phase: PENABLE high.
  always_comb begin
    if (psel_i) begin
      decode_err  = !((regs_hit && reg_mapped_i && reg_off_o[1:0] == 2'b00 &&
                       !(pwrite_i && pstrb_i != 4'b1111)) || bank0_hit || bank1_hit);
      read_ok     = penable_i && !pwrite_i && !decode_err;
      reg_read_o  = penable_i && !pwrite_i && regs_hit;
      reg_write_o = penable_i && pwrite_i && regs_hit && !decode_err;
      pslverr_o   = penable_i && decode_err;
      // Port A: reads start in the setup phase, writes happen in the access phase.
      ram_en_o    = {2{penable_i == pwrite_i}} & {bank1_hit, bank0_hit};
      ram_we_o    = penable_i && pwrite_i;
    end else begin
      decode_err  = 1'b0;
      read_ok     = 1'b0;
      reg_read_o  = 1'b0;
      reg_write_o = 1'b0;
      pslverr_o   = 1'b0;
      ram_en_o    = '0;
      ram_we_o    = 1'b0;
    end
  end

  // PRDATA in the access phase of an error-free read (its own block: a simulator then evaluates
  // the rest once per cycle, before the edge).
  always_comb begin
    if (read_ok) begin
      if (regs_hit)       prdata_o = reg_rdata_i;
      else if (bank0_hit) prdata_o = ram0_rdata_i;
      else                prdata_o = ram1_rdata_i;
    end else begin
      prdata_o = '0;
    end
  end

endmodule
