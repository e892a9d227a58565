// Command FSM: FILL, LIMIT, the Ping bank, SWAPS and LAST_ERROR, the commands of SPEC.md section 4
// with the timing of section 6, and the FILL-related interrupt events.
//
// A CMD write in access cycle a is decided from the state during cycle a. Checks in order: BUSY,
// opcode, COMMIT in stream mode (SOURCE), range (sums in 33 bits). A refusal sets LAST_ERROR and
// CMD_ERROR (visible from a+1) and nothing else. An accepted command keeps BUSY high during cycles
// [a+1, a+1+n) and its results are visible from a+1+n:
//   RESET, COMMIT            n = 1
//   SHIFT, CONSUME, r = 0    n = 1
//   SHIFT, CONSUME, r > 0    n = 2 + ceil((s mod 4 + r) / 4)   (the copy engine's k + 2)
// where s is the residual's Ping offset and r = FILL - s, FILL counting a stream byte that moved in
// cycle a. A LIMIT write of 0, more than CAPACITY or less than FILL is refused like a command
// (RANGE); FILL there counts a stream byte of the same cycle, so FILL never passes LIMIT.
// When a refusal and a completion land on the same edge the completion's OK wins, as in the model.
`include "ppb_assert.svh"

module ppb_cmd_fsm #(
  parameter int CAPACITY = 4096,
  localparam int CntW = $clog2(CAPACITY + 1)
) (
  input  logic            clk_i,
  input  logic            rst_ni,

  input  logic [31:0]     wdata_i,
  input  logic            cmd_we_i,
  input  logic            limit_we_i,
  input  logic [31:0]     arg0_i,
  input  logic [31:0]     arg1_i,
  input  logic [31:0]     threshold_i,
  input  logic            source_i,
  input  logic            accept_i,       // a stream byte goes into Ping this cycle

  // Copy engine
  output logic            copy_start_o,
  output logic [CntW-1:0] copy_src_o,
  output logic [CntW-1:0] copy_len_o,
  input  logic            copy_last_i,

  output logic [CntW-1:0] fill_o,
  output logic [CntW-1:0] limit_o,
  output logic            ping_o,
  output logic            busy_o,
  output logic [31:0]     swaps_o,
  output logic [7:0]      last_error_o,
  output logic [2:0]      running_op_o,   // opcode of the running command, 0 when idle

  // Interrupt events (this cycle; visible in IRQ_STATUS from the next)
  output logic            evt_threshold_o,
  output logic            evt_full_o,
  output logic            evt_done_o,
  output logic            evt_error_o
);

  typedef enum logic [2:0] {StIdle, StReset, StCommit, StCopy, StSwap} state_e;

  localparam logic [32:0] Capacity33 = 33'(CAPACITY);

  // The cycle counts of SPEC.md section 6 (regmap/ppb.toml [timing]) that this FSM's structure
  // implies; each is checked here at elaboration rather than driving logic, because another value
  // needs other states, not another constant:
  //   CmdStartDelay    1  the command leaves StIdle on the edge that ends its CMD write
  //   ResetCycles      1  StReset lasts one cycle
  //   CommitCycles     1  StCommit lasts one cycle
  //   CopyEmptyCycles  1  a SHIFT/CONSUME without residual goes to StSwap, which lasts one cycle
  // (CopyOverheadCycles is the copy engine's; it checks it.)
  `PPB_STATIC_ASSERT(gen_cmd_start_delay_check, ppb_reg_pkg::CmdStartDelay == 1,
                     "ppb_reg_pkg::CmdStartDelay must be 1: StIdle is left after the CMD write")
  `PPB_STATIC_ASSERT(gen_reset_cycles_check, ppb_reg_pkg::ResetCycles == 1,
                     "ppb_reg_pkg::ResetCycles must be 1: RESET is the one cycle of StReset")
  `PPB_STATIC_ASSERT(gen_commit_cycles_check, ppb_reg_pkg::CommitCycles == 1,
                     "ppb_reg_pkg::CommitCycles must be 1: COMMIT is the one cycle of StCommit")
  `PPB_STATIC_ASSERT(gen_copy_empty_cycles_check, ppb_reg_pkg::CopyEmptyCycles == 1,
                     "ppb_reg_pkg::CopyEmptyCycles must be 1: an empty copy is one StSwap cycle")

  state_e          state_q;
  logic [CntW-1:0] fill_q, limit_q, src_q, commit_len_q;
  logic [2:0]      op_q;
  logic            ping_q;
  logic [31:0]     swaps_q;
  logic [7:0]      last_error_q;

  // ------------------------------------------------------------------------ command decision
  // Computed only in the cycle of a CMD write (else all zero): the same logic in silicon, and
  // other cycles cost a simulator one test. (Each variable is assigned once per path: Icarus
  // re-runs an always_comb that changes a variable it also reads, forever.)
  logic [32:0] fill_seen33, consume_from, src33;
  logic        is_reset, is_shift, is_consume, is_commit;
  logic        cmd_accept, cmd_refuse, limit_refuse, limit_full, done;
  logic [7:0]  cmd_error;

  always_comb begin
    if (cmd_we_i) begin
      fill_seen33  = 33'(fill_q) + 33'(accept_i);
      consume_from = 33'(arg0_i) + 33'(arg1_i);
      is_reset     = wdata_i == ppb_reg_pkg::OPCODE_RESET;
      is_shift     = wdata_i == ppb_reg_pkg::OPCODE_SHIFT;
      is_consume   = wdata_i == ppb_reg_pkg::OPCODE_CONSUME;
      is_commit    = wdata_i == ppb_reg_pkg::OPCODE_COMMIT;
      src33        = is_shift ? 33'(arg0_i) : consume_from;
      if (state_q != StIdle)                              cmd_error = ppb_reg_pkg::ERROR_BUSY;
      else if (!(is_reset || is_shift || is_consume || is_commit))
                                                          cmd_error = ppb_reg_pkg::ERROR_BAD_OPCODE;
      else if (is_commit && source_i)                     cmd_error = ppb_reg_pkg::ERROR_SOURCE;
      else if ((is_shift && 33'(arg0_i) > 33'(fill_q)) ||
               (is_consume && consume_from > 33'(fill_q)) ||
               (is_commit && 33'(fill_q) + 33'(arg1_i) > 33'(limit_q)))
                                                          cmd_error = ppb_reg_pkg::ERROR_RANGE;
      else                                                cmd_error = ppb_reg_pkg::ERROR_OK;
      cmd_accept   = cmd_error == ppb_reg_pkg::ERROR_OK;
      cmd_refuse   = !cmd_accept;
      // A SHIFT/CONSUME with a residual starts the copy engine in this cycle; the residual's
      // start is also what StSwap removes from FILL.
      copy_start_o = cmd_accept && (is_shift || is_consume) && fill_seen33 != src33;
      copy_src_o   = src33[CntW-1:0];
      copy_len_o   = fill_seen33[CntW-1:0] - src33[CntW-1:0];
    end else begin
      fill_seen33  = '0;
      consume_from = '0;
      is_reset     = 1'b0;
      is_shift     = 1'b0;
      is_consume   = 1'b0;
      is_commit    = 1'b0;
      src33        = '0;
      cmd_error    = ppb_reg_pkg::ERROR_OK;
      cmd_accept   = 1'b0;
      cmd_refuse   = 1'b0;
      copy_start_o = 1'b0;
      copy_src_o   = '0;
      copy_len_o   = '0;
    end
  end

  // A LIMIT write of 0, more than CAPACITY or less than FILL (counting a stream byte of the same
  // cycle) is refused; one that brings LIMIT down to FILL raises FULL. Only in a LIMIT write's
  // cycle.
  always_comb begin
    if (limit_we_i) begin
      limit_refuse = wdata_i == '0 || 33'(wdata_i) > Capacity33 ||
                     33'(wdata_i) < 33'(fill_q) + 33'(accept_i);
      limit_full   = !limit_refuse && 33'(wdata_i) == 33'(fill_q) + 33'(accept_i) &&
                     33'(fill_q) + 33'(accept_i) != 33'(limit_q);
    end else begin
      limit_refuse = 1'b0;
      limit_full   = 1'b0;
    end
  end

  // ------------------------------------------------------------------------ interrupt events
  // THRESHOLD and FULL fire when FILL rises (a stream byte, COMMIT) and, for FULL, when a LIMIT
  // write brings LIMIT down to FILL, each judged against the values of the cycle it happens in.
  // FILL rises only by a byte in StIdle or by COMMIT's length in StCommit (RESET and the swap lower
  // it), so what either would raise is a function of flops, evaluated once per edge; the events
  // only add whether the byte moves and the LIMIT write.
  logic [CntW-1:0] commit_fill;
  logic            byte_threshold, byte_full, commit_threshold, commit_full;

  always_comb begin
    // FILL + 1 reaches THRESHOLD from below, or LIMIT (a byte moves only while FILL < LIMIT).
    byte_threshold = 32'(fill_q) + 32'd1 == threshold_i;
    byte_full      = CntW'(fill_q + CntW'(1)) == limit_q;
    if (state_q == StCommit) begin
      commit_fill      = fill_q + commit_len_q;
      commit_threshold = threshold_i != '0 && 32'(fill_q) < threshold_i && 32'(commit_fill) >= threshold_i;
      commit_full      = commit_fill > fill_q && commit_fill == limit_q;
    end else begin
      commit_fill      = fill_q;
      commit_threshold = 1'b0;
      commit_full      = 1'b0;
    end
    // The cycle in which a command's results land (its last BUSY cycle).
    done = state_q == StReset || state_q == StCommit || state_q == StSwap;
  end

  always_comb begin
    evt_threshold_o = (accept_i && byte_threshold) || commit_threshold;
    evt_full_o      = (accept_i && byte_full) || commit_full || limit_full;
    evt_done_o      = done;
    evt_error_o     = cmd_refuse || limit_refuse;
  end

  // ------------------------------------------------------------------------------ next state
  // Computed in the clocked block itself, once per edge (a simulator evaluates combinational
  // logic that reads both inputs and flops twice per cycle).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= StIdle;
      fill_q       <= CntW'(ppb_reg_pkg::FILL_RESET);
      limit_q      <= CntW'(CAPACITY);
      src_q        <= '0;
      commit_len_q <= '0;
      op_q         <= '0;
      ping_q       <= ppb_reg_pkg::STATUS_RESET[ppb_reg_pkg::STATUS_PING_BANK_LSB];
      swaps_q      <= ppb_reg_pkg::SWAPS_RESET;
      last_error_q <= ppb_reg_pkg::STATUS_RESET[ppb_reg_pkg::STATUS_LAST_ERROR_LSB +: 8];
    end else begin
      unique case (state_q)
        StIdle: begin
          if (accept_i) fill_q <= fill_q + CntW'(1);
          if (cmd_accept) begin
            op_q <= wdata_i[2:0];
            if (is_reset) begin
              state_q <= StReset;
            end else if (is_commit) begin
              state_q      <= StCommit;
              commit_len_q <= arg1_i[CntW-1:0];
            end else begin
              src_q   <= copy_src_o;
              state_q <= copy_start_o ? StCopy : StSwap;
            end
          end
        end
        StReset: begin
          fill_q  <= '0;
          state_q <= StIdle;
        end
        StCommit: begin
          fill_q  <= commit_fill;
          state_q <= StIdle;
        end
        StCopy: begin
          if (copy_last_i) state_q <= StSwap;
        end
        StSwap: begin
          fill_q  <= fill_q - src_q;
          ping_q  <= !ping_q;
          swaps_q <= swaps_q + 32'd1;
          state_q <= StIdle;
        end
        default: state_q <= StIdle;
      endcase
      if (limit_we_i && !limit_refuse) limit_q <= wdata_i[CntW-1:0];
      if (done)                             last_error_q <= ppb_reg_pkg::ERROR_OK;
      else if (cmd_refuse || limit_refuse)  last_error_q <= cmd_we_i ? cmd_error : ppb_reg_pkg::ERROR_RANGE;
    end
  end

  always_comb begin
    fill_o       = fill_q;
    limit_o      = limit_q;
    ping_o       = ping_q;
    busy_o       = state_q != StIdle;
    swaps_o      = swaps_q;
    last_error_o = last_error_q;
    running_op_o = state_q != StIdle ? op_q : 3'd0;
  end

`ifdef PPB_CHECKS
  logic armed_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) armed_q <= 1'b0;
    else         armed_q <= 1'b1;
  end

  always @(posedge clk_i) begin
    if (armed_q) begin
      // FILL never above LIMIT.
      `PPB_ASSERT(fill_q <= limit_q, ("FILL %0d above LIMIT %0d", fill_q, limit_q))
      // No command accepted while BUSY.
      `PPB_ASSERT(!$past(cmd_accept) || $past(state_q) == StIdle,
                  ("command accepted while BUSY (state %0d)", $past(state_q)))
      // Exactly one swap per SHIFT/CONSUME: the swap cycle comes only from one, leaves to idle,
      // and is the only cycle that flips PING_BANK and counts SWAPS.
      `PPB_ASSERT(state_q != StSwap || $past(state_q) == StCopy ||
                  ($past(cmd_accept) && ($past(is_shift) || $past(is_consume))),
                  ("swap without a SHIFT or CONSUME"))
      `PPB_ASSERT(state_q != StCopy || $past(state_q) == StCopy ||
                  ($past(cmd_accept) && ($past(is_shift) || $past(is_consume))),
                  ("copy without a SHIFT or CONSUME"))
      `PPB_ASSERT($past(state_q) == StSwap ? (swaps_q == $past(swaps_q) + 32'd1 &&
                                             ping_q != $past(ping_q) && state_q == StIdle)
                                          : (swaps_q == $past(swaps_q) && ping_q == $past(ping_q)),
                  ("SWAPS %0d / PING_BANK %0d changed outside the one swap of a command",
                   swaps_q, ping_q))
      // Each SHIFT or CONSUME toggles PING_BANK exactly once between its acceptance and BUSY
      // falling; RESET and COMMIT never do.
      `PPB_ASSERT(!($past(state_q) != StIdle && state_q == StIdle) ||
                  cmd_toggles_q == 2'((op_q == 3'(ppb_reg_pkg::OPCODE_SHIFT) ||
                                       op_q == 3'(ppb_reg_pkg::OPCODE_CONSUME))),
                  ("command %0d ended after %0d PING_BANK toggles", op_q, cmd_toggles_q))
      // A CMD write while BUSY is refused with BUSY (unless the running command completes on
      // the same edge: its OK wins) and raises CMD_ERROR; the running command is untouched.
      `PPB_ASSERT(!busy_cmd_q || (busy_cmd_err_q && op_q == $past(op_q) && src_q == $past(src_q) &&
                   commit_len_q == $past(commit_len_q) &&
                   last_error_q == ($past(done) ? ppb_reg_pkg::ERROR_OK : ppb_reg_pkg::ERROR_BUSY)),
                  ("CMD write while BUSY was not refused cleanly (LAST_ERROR %0d)", last_error_q))
      // The copy covers exactly the residual: [ARG0, FILL) for SHIFT, [ARG0+ARG1, FILL) for
      // CONSUME, FILL counting a stream byte of the same cycle.
      `PPB_ASSERT(!copy_start_o || (copy_len_o != '0 &&
                  33'(copy_src_o) == (is_shift ? 33'(arg0_i) : consume_from) &&
                  33'(copy_src_o) + 33'(copy_len_o) == fill_seen33),
                  ("copy started on [%0d, +%0d), not the residual", copy_src_o, copy_len_o))
      // Strengthening invariants (for k-induction): the state is a legal one, LIMIT is in
      // [1, CAPACITY], a running copy or swap removes no more than FILL, and a running COMMIT
      // stays within LIMIT.
      `PPB_ASSERT(state_q == StIdle || state_q == StReset || state_q == StCommit ||
                  state_q == StCopy || state_q == StSwap, ("illegal state %0d", state_q))
      `PPB_ASSERT(limit_q != '0 && 33'(limit_q) <= Capacity33, ("LIMIT %0d out of range", limit_q))
      `PPB_ASSERT(!(state_q == StCopy || state_q == StSwap) || src_q <= fill_q,
                  ("residual start %0d past FILL %0d", src_q, fill_q))
      `PPB_ASSERT(state_q != StCommit || 33'(fill_q) + 33'(commit_len_q) <= 33'(limit_q),
                  ("COMMIT of %0d would pass LIMIT", commit_len_q))
      `PPB_ASSERT(cmd_toggles_q <= 2'd1, ("%0d PING_BANK toggles in one command", cmd_toggles_q))
    end
  end

  // Ghost state for the assertions; nothing in the design reads it, so synthesis removes it with
  // them. cmd_toggles_q: PING_BANK toggles since the running (or last) command was accepted.
  // busy_cmd_q / busy_cmd_err_q: the last cycle had a CMD write while BUSY / a refusal. (Flops, not
  // $past of the bus strobes: the co-simulation wrapper evaluates a cycle's input changes and its
  // clock edge together, which Verilator's $past sampling of input-derived terms does not follow.)
  logic [1:0] cmd_toggles_q;
  logic       busy_cmd_q, busy_cmd_err_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cmd_toggles_q  <= '0;
      busy_cmd_q     <= 1'b0;
      busy_cmd_err_q <= 1'b0;
    end else begin
      if (cmd_accept)                                     cmd_toggles_q <= '0;
      else if (state_q == StSwap && cmd_toggles_q != 2'd3) cmd_toggles_q <= cmd_toggles_q + 2'd1;
      busy_cmd_q     <= cmd_we_i && state_q != StIdle;
      busy_cmd_err_q <= evt_error_o;
    end
  end
`endif

`ifdef FORMAL
  // Covers: a swap, and a swap that followed a copy.
  always @(posedge clk_i) begin
    if (rst_ni) begin
      cover (state_q == StSwap);
      cover (state_q == StSwap && $past(state_q) == StCopy);
    end
  end
`endif

endmodule
