// Smoke test of ppb_top for simulators without the C++ flow (Icarus Verilog 11: scripts/rtl-iverilog).
// Drives APB transfers and stream bytes, checks a few registers, one bank word, COMMIT, SHIFT with
// its copy and BUSY length, and the stream port. Prints PASS or FAIL. The full suites run on the
// Verilated model (rtl/test).
module ppb_smoke_tb;
  parameter int CAPACITY = 1024;

  logic        clk = 1'b0;
  logic        rst_n = 1'b0;
  logic [21:0] paddr = '0;
  logic        psel = 1'b0, penable = 1'b0, pwrite = 1'b0;
  logic [31:0] pwdata = '0;
  logic [3:0]  pstrb = '0;
  logic [31:0] prdata;
  logic        pready, pslverr;
  logic        tvalid = 1'b0, tready;
  logic [7:0]  tdata = '0;
  logic        irq;
  int          errors = 0;

  always #5 clk = ~clk;

  ppb_top #(.CAPACITY(CAPACITY)) u_dut (
    .clk_i (clk), .rst_ni (rst_n),
    .paddr_i (paddr), .psel_i (psel), .penable_i (penable), .pwrite_i (pwrite), .pwdata_i (pwdata),
    .pstrb_i (pstrb), .prdata_o (prdata), .pready_o (pready), .pslverr_o (pslverr),
    .s_axis_tvalid_i (tvalid), .s_axis_tready_o (tready), .s_axis_tdata_i (tdata),
    .irq_o (irq)
  );

  // One APB transfer: setup in the current cycle, access in the next; PRDATA/PSLVERR sampled in the
  // access phase. Called just after a rising edge; returns just after one, so transfers run back to
  // back.
  task automatic apb(input logic write, input logic [21:0] addr, input logic [31:0] wdata,
                     output logic [31:0] rdata, output logic err);
    psel = 1'b1; penable = 1'b0; pwrite = write; paddr = addr; pwdata = wdata;
    pstrb = write ? 4'b1111 : 4'b0000;
    @(posedge clk); #1;
    penable = 1'b1;
    #3;
    rdata = prdata;
    err = pslverr;
    @(posedge clk); #1;
    psel = 1'b0; penable = 1'b0;
  endtask

  task automatic expect_read(input logic [21:0] addr, input logic [31:0] want, input string what);
    logic [31:0] v;
    logic e;
    apb(1'b0, addr, '0, v, e);
    if (e || v !== want) begin
      $display("FAIL %s: read 0x%08h (pslverr %0d), want 0x%08h", what, v, e, want);
      errors++;
    end
  endtask

  task automatic write(input logic [21:0] addr, input logic [31:0] data);
    logic [31:0] v;
    logic e;
    apb(1'b1, addr, data, v, e);
    if (e) begin
      $display("FAIL write 0x%06h: pslverr", addr);
      errors++;
    end
  endtask

  logic [31:0] v;
  logic        e;
  int          busy_reads;

  initial begin
    repeat (2) @(posedge clk);
    rst_n = 1'b1;
    @(posedge clk); #1;

    expect_read(22'(ppb_reg_pkg::ID_OFFSET), ppb_reg_pkg::BlockId, "ID");
    expect_read(22'(ppb_reg_pkg::VERSION_OFFSET), ppb_reg_pkg::BlockVersion, "VERSION");
    expect_read(22'(ppb_reg_pkg::CAPACITY_OFFSET), 32'(CAPACITY), "CAPACITY");
    expect_read(22'(ppb_reg_pkg::LIMIT_OFFSET), 32'(CAPACITY), "LIMIT");
    write(22'(ppb_reg_pkg::THRESHOLD_OFFSET), 32'h1234_5678);
    expect_read(22'(ppb_reg_pkg::THRESHOLD_OFFSET), 32'h1234_5678, "THRESHOLD");
    apb(1'b0, 22'(ppb_reg_pkg::IRQ_TEST_OFFSET) + 22'd4, '0, v, e);
    if (!e) begin
      $display("FAIL unmapped register answered without PSLVERR");
      errors++;
    end

    // Eight bytes into Ping (bank 0), COMMIT them, SHIFT by 3: five bytes land in bank 1 at 0.
    write(ppb_reg_pkg::Bank0Base, 32'h4433_2211);
    write(ppb_reg_pkg::Bank0Base + 22'd4, 32'h8877_6655);
    expect_read(ppb_reg_pkg::Bank0Base + 22'd4, 32'h8877_6655, "bank 0 word 1");
    write(22'(ppb_reg_pkg::ARG1_OFFSET), 32'd8);
    write(22'(ppb_reg_pkg::CMD_OFFSET), ppb_reg_pkg::OPCODE_COMMIT);
    expect_read(22'(ppb_reg_pkg::FILL_OFFSET), 32'd8, "FILL after COMMIT");
    write(22'(ppb_reg_pkg::ARG0_OFFSET), 32'd3);
    write(22'(ppb_reg_pkg::CMD_OFFSET), ppb_reg_pkg::OPCODE_SHIFT);
    busy_reads = 0;
    do begin
      apb(1'b0, 22'(ppb_reg_pkg::STATUS_OFFSET), '0, v, e);
      if (v[ppb_reg_pkg::STATUS_BUSY_LSB]) busy_reads++;
    end while (v[ppb_reg_pkg::STATUS_BUSY_LSB]);
    // BUSY lasts 2 + ceil((3 + 5) / 4) = 4 cycles: the read right after the CMD write sees it in
    // its access phase (cycle 2 of BUSY), the next one (cycle 4) too, the third no longer.
    if (busy_reads != 2) begin
      $display("FAIL SHIFT: BUSY seen by %0d reads, want 2", busy_reads);
      errors++;
    end
    expect_read(22'(ppb_reg_pkg::FILL_OFFSET), 32'd5, "FILL after SHIFT");
    expect_read(22'(ppb_reg_pkg::SWAPS_OFFSET), 32'd1, "SWAPS");
    expect_read(ppb_reg_pkg::Bank1Base, 32'h7766_5544, "bank 1 word 0 after SHIFT");
    apb(1'b0, ppb_reg_pkg::Bank1Base + 22'd4, '0, v, e);
    if (e || v[7:0] !== 8'h88) begin
      $display("FAIL bank 1 byte 4 after SHIFT: 0x%02h, want 0x88", v[7:0]);
      errors++;
    end

    // Stream: three bytes appended at FILL.
    write(22'(ppb_reg_pkg::CTRL_OFFSET), 32'd1 << ppb_reg_pkg::CTRL_SOURCE_LSB);
    for (int i = 0; i < 3; i++) begin
      tvalid = 1'b1;
      tdata = 8'hA0 + 8'(i);
      #3;
      if (!tready) begin
        $display("FAIL stream not ready");
        errors++;
      end
      @(posedge clk); #1;
    end
    tvalid = 1'b0;
    expect_read(22'(ppb_reg_pkg::FILL_OFFSET), 32'd8, "FILL after 3 stream bytes");
    expect_read(ppb_reg_pkg::Bank1Base + 22'd4, 32'hA2A1_A088, "bank 1 word 1 after the stream");

    if (errors == 0) $display("PASS ppb_smoke_tb CAPACITY %0d", CAPACITY);
    else $display("FAIL ppb_smoke_tb CAPACITY %0d: %0d errors", CAPACITY, errors);
    $finish;
  end
endmodule
