// The busy-stream workload of ppb-rtl-bench and ppb-rtl-verilator-loop, as a Verilog testbench for
// simulators without the C++ flow (Icarus Verilog: scripts/rtl-icarus-bench). CTRL.SOURCE = stream;
// a source offers a byte in every cycle; every POLL cycles the CPU reads FILL over APB and, when a
// whole frame (FRAME bytes) is there, writes ARG0, ARG1 and CMD = CONSUME and polls STATUS until
// BUSY is low. Runs until at least +cycles=N cycles have passed (default 100000), then prints the
// cycles run, the bytes that moved and the bytes consumed, and PASS when they balance (every byte
// that moved was consumed or is still in FILL) or FAIL. Plusargs: +cycles=N +frame=N +poll=N.
module ppb_bench_tb;
  parameter int CAPACITY = 4096;

  logic        clk = 1'b0;
  logic        rst_n = 1'b0;
  logic [21:0] paddr = '0;
  logic        psel = 1'b0, penable = 1'b0, pwrite = 1'b0;
  logic [31:0] pwdata = '0;
  logic [3:0]  pstrb = '0;
  logic [31:0] prdata;
  logic        pready, pslverr;
  logic        tready, irq;
  logic        streaming = 1'b0;
  longint      cycles = 0, moved = 0, consumed = 0, commands = 0;
  int          max_cycles = 100000, frame = 100, poll = 200;

  always #5 clk = ~clk;

  ppb_top #(.CAPACITY(CAPACITY)) u_dut (
    .clk_i (clk), .rst_ni (rst_n),
    .paddr_i (paddr), .psel_i (psel), .penable_i (penable), .pwrite_i (pwrite), .pwdata_i (pwdata),
    .pstrb_i (pstrb), .prdata_o (prdata), .pready_o (pready), .pslverr_o (pslverr),
    .s_axis_tvalid_i (streaming), .s_axis_tready_o (tready), .s_axis_tdata_i (moved[7:0]),
    .irq_o (irq)
  );

  // The source: a byte on offer in every cycle while streaming; it moves on an edge with tready.
  always @(posedge clk) begin
    cycles <= cycles + 1;
    if (streaming && tready) moved <= moved + 1;
  end

  // One APB transfer, setup and access; called just after a rising edge, returns just after one.
  task automatic apb(input logic write, input logic [21:0] addr, input logic [31:0] wdata,
                     output logic [31:0] rdata);
    psel = 1'b1; penable = 1'b0; pwrite = write; paddr = addr; pwdata = wdata;
    pstrb = write ? 4'b1111 : 4'b0000;
    @(posedge clk); #1;
    penable = 1'b1;
    #3;
    rdata = prdata;
    if (pslverr) begin
      $display("FAIL: PSLVERR at 0x%06h", addr);
      $finish;
    end
    @(posedge clk); #1;
    psel = 1'b0; penable = 1'b0;
  endtask

  logic [31:0] fill, status, unused;

  initial begin
    if ($value$plusargs("cycles=%d", max_cycles)) ;
    if ($value$plusargs("frame=%d", frame)) ;
    if ($value$plusargs("poll=%d", poll)) ;
    repeat (2) @(posedge clk);
    rst_n = 1'b1;
    @(posedge clk); #1;
    apb(1'b1, 22'(ppb_reg_pkg::CTRL_OFFSET), 32'(1) << ppb_reg_pkg::CTRL_SOURCE_LSB, unused);
    streaming = 1'b1;
    while (cycles < longint'(max_cycles)) begin
      apb(1'b0, 22'(ppb_reg_pkg::FILL_OFFSET), '0, fill);
      if (fill >= 32'(frame)) begin
        apb(1'b1, 22'(ppb_reg_pkg::ARG0_OFFSET), '0, unused);
        apb(1'b1, 22'(ppb_reg_pkg::ARG1_OFFSET), fill - fill % 32'(frame), unused);
        apb(1'b1, 22'(ppb_reg_pkg::CMD_OFFSET), 32'(ppb_reg_pkg::OPCODE_CONSUME), unused);
        status = 32'(1) << ppb_reg_pkg::STATUS_BUSY_LSB;
        while (status[ppb_reg_pkg::STATUS_BUSY_LSB])
          apb(1'b0, 22'(ppb_reg_pkg::STATUS_OFFSET), '0, status);
        consumed += longint'(fill - fill % 32'(frame));
        commands++;
      end
      repeat (poll) @(posedge clk);
      #1;
    end
    streaming = 1'b0;
    @(posedge clk); #1;
    apb(1'b0, 22'(ppb_reg_pkg::FILL_OFFSET), '0, fill);
    $display("cycles %0d bytes %0d consumed %0d commands %0d fill %0d", cycles, moved, consumed, commands, fill);
    if (consumed + longint'(fill) == moved && commands > 0) $display("PASS");
    else $display("FAIL: bytes do not balance");
    $finish;
  end
endmodule
