// PPB, the ping-pong buffer peripheral (SPEC.md): APB4 register and bank access, two true
// dual-port bank RAMs, the stream ingress, the copy engine, the command FSM and the interrupts.
//
// Port B of each bank is shared by the ingress (writes Ping at FILL while no command runs) and the
// copy engine (reads Ping and writes the other bank while SHIFT/CONSUME run); BUSY keeps them apart.
//
// Names tagged `sim-visible` are read by the C++ co-simulation wrapper through Verilator's
// internals (rtl/sim/verilated_access.hpp): renaming one breaks that build.
`include "ppb_assert.svh"

module ppb_top #(
  parameter int CAPACITY = ppb_reg_pkg::CapacityDefault
) (
  // sim-visible: read by rtl/sim/verilated_access.hpp (keep the name): its edge-detection state
  input  logic        clk_i,
  input  logic        rst_ni,

  // APB4 slave (byte addresses)
  input  logic [21:0] paddr_i,
  input  logic        psel_i,
  input  logic        penable_i,
  input  logic        pwrite_i,
  input  logic [31:0] pwdata_i,
  input  logic [3:0]  pstrb_i,
  output logic [31:0] prdata_o,
  output logic        pready_o,
  output logic        pslverr_o,

  // Stream port
  input  logic        s_axis_tvalid_i,
  output logic        s_axis_tready_o,
  input  logic [7:0]  s_axis_tdata_i,

  output logic        irq_o
);

  localparam int CntW   = $clog2(CAPACITY + 1);
  localparam int WordAw = $clog2(CAPACITY / 4);
  localparam int Words  = CAPACITY / 4;
  localparam int IrqW   = ppb_reg_pkg::IRQ_WIDTH;

  // Elaboration-time check of SPEC.md section 1 (the rule of regmap/ppb.toml [params.CAPACITY]).
  `PPB_STATIC_ASSERT(gen_capacity_check,
                     CAPACITY >= ppb_reg_pkg::CapacityMin && CAPACITY <= ppb_reg_pkg::CapacityMax &&
                     CAPACITY % ppb_reg_pkg::CapacityMultiple == 0,
                     "CAPACITY is outside ppb_reg_pkg::CapacityMin/Max or no CapacityMultiple")

  // --------------------------------------------------------------------------------- wiring
  logic              ctrl_source, ctrl_drop;
  logic [31:0]       arg0, arg1, threshold, wdata;
  logic              reg_sel, reg_read, reg_write, reg_mapped;
  logic [ppb_reg_pkg::RegsAw-1:0] reg_off;
  logic [31:0]       reg_rdata;
  logic [IrqW-1:0]   irq_enable, irq_status, irq_set;
  logic              cmd_we, limit_we, irq_status_we, irq_test_we, dropped_we;
  logic [CntW-1:0]   fill, limit;
  logic              ping, busy;
  logic [7:0]        last_error;
  logic [2:0]        running_op;
  logic [31:0]       dropped, swaps, ingress;
  logic              evt_threshold, evt_full, evt_done, evt_error;

  logic [1:0]        a_en;
  logic              a_we;
  logic [3:0]        a_be;
  logic [WordAw-1:0] a_addr;
  logic [31:0]       a_wdata, a_rdata0, a_rdata1;

  logic              ing_accept, ing_overflow, ing_we;
  logic [WordAw-1:0] ing_addr;
  logic [3:0]        ing_be;
  logic [31:0]       ing_wdata;

  logic              copy_start, copy_last;
  logic [CntW-1:0]   copy_src, copy_len;
  logic              copy_rd_en, copy_wr_en;
  logic [WordAw-1:0] copy_rd_addr, copy_wr_addr;
  logic [3:0]        copy_wr_be;
  logic [31:0]       copy_wr_data, copy_rd_data;
  logic [WordAw+1:0] copy_cycles_left;

  // ------------------------------------------------------------------------------------ units
  ppb_apb_regs #(.CAPACITY(CAPACITY)) u_apb_regs (
    .paddr_i, .psel_i, .penable_i, .pwrite_i, .pwdata_i, .pstrb_i, .prdata_o, .pready_o, .pslverr_o,
    .reg_sel_o       (reg_sel),
    .reg_read_o      (reg_read),
    .reg_write_o     (reg_write),
    .reg_off_o       (reg_off),
    .reg_mapped_i    (reg_mapped),
    .reg_rdata_i     (reg_rdata),
    .ram_en_o        (a_en),
    .ram_we_o        (a_we),
    .ram_be_o        (a_be),
    .ram_addr_o      (a_addr),
    .ram_wdata_o     (a_wdata),
    .ram0_rdata_i    (a_rdata0),
    .ram1_rdata_i    (a_rdata1)
  );

  // Generated from regmap/ppb.toml (scripts/regtool.py regfile).
  ppb_reg_file #(.CAPACITY(CAPACITY)) u_reg_file (
    .clk_i, .rst_ni,
    .sel_i                 (reg_sel),
    .read_i                (reg_read),
    .write_i               (reg_write),
    .off_i                 (reg_off),
    .wdata_i               (pwdata_i),
    .mapped_o              (reg_mapped),
    .rdata_o               (reg_rdata),
    .ctrl_source_o         (ctrl_source),
    .ctrl_drop_when_full_o (ctrl_drop),
    .arg0_o                (arg0),
    .arg1_o                (arg1),
    .irq_enable_o          (irq_enable),
    .threshold_o           (threshold),
    .wdata_o               (wdata),
    .limit_we_o            (limit_we),
    .cmd_we_o              (cmd_we),
    .irq_status_we_o       (irq_status_we),
    .dropped_we_o          (dropped_we),
    .irq_test_we_o         (irq_test_we),
    .fill_i                (fill),
    .limit_i               (limit),
    .ping_i                (ping),
    .busy_i                (busy),
    .last_error_i          (last_error),
    .irq_status_i          (irq_status),
    .dropped_i             (dropped),
    .swaps_i               (swaps),
    .ingress_i             (ingress)
  );

  ppb_cmd_fsm #(.CAPACITY(CAPACITY)) u_cmd_fsm (
    .clk_i, .rst_ni,
    .wdata_i         (wdata),
    .cmd_we_i        (cmd_we),
    .limit_we_i      (limit_we),
    .arg0_i          (arg0),
    .arg1_i          (arg1),
    .threshold_i     (threshold),
    .source_i        (ctrl_source),
    .accept_i        (ing_accept),
    .copy_start_o    (copy_start),
    .copy_src_o      (copy_src),
    .copy_len_o      (copy_len),
    .copy_last_i     (copy_last),
    .fill_o          (fill),
    .limit_o         (limit),
    .ping_o          (ping),
    .busy_o          (busy),
    .swaps_o         (swaps),
    .last_error_o    (last_error),
    .running_op_o    (running_op),
    .evt_threshold_o (evt_threshold),
    .evt_full_o      (evt_full),
    .evt_done_o      (evt_done),
    .evt_error_o     (evt_error)
  );

  ppb_ingress #(.CAPACITY(CAPACITY)) u_ingress (
    .clk_i, .rst_ni,
    .s_axis_tvalid_i, .s_axis_tready_o, .s_axis_tdata_i,
    .source_i        (ctrl_source),
    .drop_i          (ctrl_drop),
    .busy_i          (busy),
    .fill_i          (fill),
    .limit_i         (limit),
    .dropped_clear_i (dropped_we),
    .accept_o        (ing_accept),
    .overflow_o      (ing_overflow),
    .ram_we_o        (ing_we),
    .ram_addr_o      (ing_addr),
    .ram_be_o        (ing_be),
    .ram_wdata_o     (ing_wdata),
    .dropped_o       (dropped),
    .ingress_o       (ingress)
  );

  ppb_copy_engine #(.CAPACITY(CAPACITY)) u_copy_engine (
    .clk_i, .rst_ni,
    .start_i         (copy_start),
    .src_i           (copy_src),
    .len_i           (copy_len),
    .rd_en_o         (copy_rd_en),
    .rd_addr_o       (copy_rd_addr),
    .rd_data_i       (copy_rd_data),
    .wr_en_o         (copy_wr_en),
    .wr_addr_o       (copy_wr_addr),
    .wr_be_o         (copy_wr_be),
    .wr_data_o       (copy_wr_data),
    .last_o          (copy_last),
    .cycles_left_o   (copy_cycles_left)
  );

  // Whole-vector assignments (no default then bit writes): Icarus re-runs an always_comb that
  // changes a vector it also writes bit by bit, forever.
  always_comb begin
    irq_set = (IrqW'(evt_threshold) << ppb_reg_pkg::IRQ_THRESHOLD_LSB) |
              (IrqW'(evt_full)      << ppb_reg_pkg::IRQ_FULL_LSB) |
              (IrqW'(ing_overflow)  << ppb_reg_pkg::IRQ_OVERFLOW_LSB) |
              (IrqW'(evt_done)      << ppb_reg_pkg::IRQ_CMD_DONE_LSB) |
              (IrqW'(evt_error)     << ppb_reg_pkg::IRQ_CMD_ERROR_LSB);
  end

  ppb_irq u_irq (
    .clk_i, .rst_ni,
    .set_i           (irq_set),
    .wdata_i         (wdata[IrqW-1:0]),
    .clear_we_i      (irq_status_we),
    .test_we_i       (irq_test_we),
    .enable_i        (irq_enable),
    .status_o        (irq_status),
    .irq_o
  );

  // ------------------------------------------------------------------------------- port B
  // Ping's side: ingress write or copy read. Pong's side: copy write. Addresses and byte enables
  // are functions of flops; only the enables and the ingress data depend on the stream inputs.
  logic [WordAw-1:0] ping_addr, b_addr0, b_addr1;
  logic [3:0]        b_be0, b_be1;
  logic              b_en0, b_en1, b_we0, b_we1;
  logic [31:0]       b_wdata0, b_wdata1, b_rdata0, b_rdata1;

  always_comb begin
    ping_addr    = copy_rd_en ? copy_rd_addr : ing_addr;
    b_addr0      = ping ? copy_wr_addr : ping_addr;
    b_addr1      = ping ? ping_addr : copy_wr_addr;
    b_be0        = ping ? copy_wr_be : ing_be;
    b_be1        = ping ? ing_be : copy_wr_be;
    copy_rd_data = ping ? b_rdata1 : b_rdata0;
  end

  always_comb begin
    b_en0    = ping ? copy_wr_en : ing_we || copy_rd_en;
    b_en1    = ping ? ing_we || copy_rd_en : copy_wr_en;
    b_we0    = ping ? copy_wr_en : ing_we;
    b_we1    = ping ? ing_we : copy_wr_en;
    b_wdata0 = ping ? copy_wr_data : ing_wdata;
    b_wdata1 = ping ? ing_wdata : copy_wr_data;
  end

  ppb_bank_ram #(.Words(Words)) u_bank0 (
    .clk_i,
    .a_en_i    (a_en[0]),
    .a_we_i    (a_we),
    .a_be_i    (a_be),
    .a_addr_i  (a_addr),
    .a_wdata_i (a_wdata),
    .a_rdata_o (a_rdata0),
    .b_en_i    (b_en0),
    .b_we_i    (b_we0),
    .b_be_i    (b_be0),
    .b_addr_i  (b_addr0),
    .b_wdata_i (b_wdata0),
    .b_rdata_o (b_rdata0)
  );

  ppb_bank_ram #(.Words(Words)) u_bank1 (
    .clk_i,
    .a_en_i    (a_en[1]),
    .a_we_i    (a_we),
    .a_be_i    (a_be),
    .a_addr_i  (a_addr),
    .a_wdata_i (a_wdata),
    .a_rdata_o (a_rdata1),
    .b_en_i    (b_en1),
    .b_we_i    (b_we1),
    .b_be_i    (b_be1),
    .b_addr_i  (b_addr1),
    .b_wdata_i (b_wdata1),
    .b_rdata_o (b_rdata1)
  );

  // ---------------------------------------------------------------- simulation observability
  // Read by the C++ co-simulation wrapper (rtl/sim) through Verilator's public access; nothing in
  // the design uses them, and synthesis removes them.
  // sim-visible: read by rtl/sim/verilated_access.hpp (keep the name)
  logic [31:0]       dbg_fill       /*verilator public_flat_rd*/;
  // sim-visible: read by rtl/sim/verilated_access.hpp (keep the name)
  logic [31:0]       dbg_limit      /*verilator public_flat_rd*/;
  // sim-visible: read by rtl/sim/verilated_access.hpp (keep the name)
  logic              dbg_ping       /*verilator public_flat_rd*/;
  // sim-visible: read by rtl/sim/verilated_access.hpp (keep the name)
  logic              dbg_busy       /*verilator public_flat_rd*/;
  // sim-visible: read by rtl/sim/verilated_access.hpp (keep the name)
  logic [2:0]        dbg_running_op /*verilator public_flat_rd*/;
  // sim-visible: read by rtl/sim/verilated_access.hpp (keep the name)
  logic [WordAw+1:0] dbg_busy_left  /*verilator public_flat_rd*/;

  always_comb begin
    dbg_fill       = 32'(fill);
    dbg_limit      = 32'(limit);
    dbg_ping       = ping;
    dbg_busy       = busy;
    dbg_running_op = running_op;
    // BUSY cycles left, this one included: the copy engine's count while it copies, else 1.
    dbg_busy_left  = copy_cycles_left != '0 ? copy_cycles_left : (WordAw+2)'(busy);
  end

endmodule
