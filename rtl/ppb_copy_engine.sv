// Copy engine: copies the residual Ping[src, src+len) to the other bank at offset 0, one 32-bit
// word per cycle, for any source alignment (a byte funnel), through port B of both banks.
//
// Started in the CMD write's access cycle a (len > 0). Cycles a+1 .. a+k read the k source words
// that hold the residual (k = ceil((src mod 4 + len) / 4)); read data arrives one cycle later. Each
// arriving word is joined with the one before it and shifted by src mod 4 into one destination
// word, which is written with byte enables for the residual's bytes only. Destination word i needs
// source words i and i+1, so the writes trail the reads by one word and the last one happens in the
// cycle after the drain cycle, the command FSM's swap cycle: BUSY lasts k + 2 cycles.
//
//   cycle:   a+1 .. a+k   a+1+k       a+2+k
//   state:   Read         Drain       Flush (FSM: Swap)
//   last_o:               1
`include "ppb_assert.svh"

module ppb_copy_engine #(
  parameter int CAPACITY = 4096,
  localparam int CntW = $clog2(CAPACITY + 1),
  localparam int WordAw = $clog2(CAPACITY / 4)
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  input  logic              start_i,
  input  logic [CntW-1:0]   src_i,        // Ping offset of the residual's first byte
  input  logic [CntW-1:0]   len_i,        // residual length, > 0

  // Ping's port B (read)
  output logic              rd_en_o,
  output logic [WordAw-1:0] rd_addr_o,
  input  logic [31:0]       rd_data_i,

  // Pong's port B (write)
  output logic              wr_en_o,
  output logic [WordAw-1:0] wr_addr_o,
  output logic [3:0]        wr_be_o,
  output logic [31:0]       wr_data_o,

  output logic              last_o,       // the drain cycle: the FSM swaps in the next cycle
  output logic [WordAw+1:0] cycles_left_o // BUSY cycles left including this one (for simulators)
);

  typedef enum logic [1:0] {StIdle, StRead, StDrain, StFlush} state_e;

  // The 2 of SPEC.md section 6's 2 + ceil((s mod 4 + r) / 4) (regmap/ppb.toml [timing]
  // copy_overhead_cycles): the drain and flush cycles after the k reads are this engine's
  // structure, so the count is checked at elaboration. The BUSY cycles left that the engine reports
  // to simulators (cycles_left_o) are computed from it: the same constants, the same netlist.
  localparam int Overhead = ppb_reg_pkg::CopyOverheadCycles;
  `PPB_STATIC_ASSERT(gen_copy_overhead_cycles_check, Overhead == 2,
                     "ppb_reg_pkg::CopyOverheadCycles must be 2: a drain and a flush cycle")

  state_e            state_q;
  logic [WordAw-1:0] rd_word_q, last_word_q, wr_word_q;
  logic [1:0]        shift_q;
  logic [CntW-1:0]   rem_q;
  logic              arrive_q, have_prev_q;
  logic [31:0]       hold_q;

  // A destination word is written when a source word arrives (or in the flush cycle) after the
  // first one, while residual bytes remain. (Its own block: Icarus re-runs an always_comb that
  // changes a variable it also reads, forever.)
  always_comb begin
    wr_en_o = (arrive_q || state_q == StFlush) && have_prev_q && rem_q != '0;
  end

  // The outputs are functions of the flops only (rd_data_i is the RAM's output register).
  always_comb begin
    rd_en_o       = 1'b0;
    rd_addr_o     = rd_word_q;
    last_o        = 1'b0;
    cycles_left_o = '0;
    wr_addr_o     = wr_word_q;
    // Evaluated only while copying (defaults hold otherwise).
    if (state_q != StIdle) begin
      unique case (state_q)
        StRead: begin
          rd_en_o       = 1'b1;
          cycles_left_o = (WordAw+2)'(last_word_q) - (WordAw+2)'(rd_word_q) +
                          (WordAw+2)'(Overhead + 1);
        end
        StDrain: begin
          last_o        = 1'b1;
          cycles_left_o = (WordAw+2)'(Overhead);
        end
        StFlush: cycles_left_o = (WordAw+2)'(Overhead - 1);
        default: ;
      endcase
      // The funnel: destination word = bytes [shift, shift+4) of {current, previous}.
      wr_data_o = 32'({rd_data_i, hold_q} >> {shift_q, 3'b000});
      wr_be_o   = rem_q >= CntW'(4) ? 4'b1111 : 4'b1111 >> (3'd4 - 3'(rem_q[1:0]));
    end else begin
      wr_data_o = '0;
      wr_be_o   = '0;
    end
  end

  // The next state is computed in the clocked block itself, once per edge (a simulator evaluates
  // combinational logic that reads both inputs and flops twice per cycle).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= StIdle;
      rd_word_q   <= '0;
      last_word_q <= '0;
      wr_word_q   <= '0;
      shift_q     <= '0;
      rem_q       <= '0;
      arrive_q    <= 1'b0;
      have_prev_q <= 1'b0;
      hold_q      <= '0;
    end else begin
      arrive_q <= state_q == StRead;
      // Only while copying or starting (everything else holds).
      if (state_q != StIdle || start_i) begin
        unique case (state_q)
          StIdle: begin
            if (start_i) begin
              state_q     <= StRead;
              rd_word_q   <= src_i[WordAw+1:2];
              last_word_q <= WordAw'((src_i + len_i - CntW'(1)) >> 2);
              wr_word_q   <= '0;
              shift_q     <= src_i[1:0];
              rem_q       <= len_i;
              have_prev_q <= 1'b0;
            end
          end
          StRead: begin
            rd_word_q <= rd_word_q + WordAw'(1);
            if (rd_word_q == last_word_q) state_q <= StDrain;
          end
          StDrain: state_q <= StFlush;
          StFlush: state_q <= StIdle;
          default: state_q <= StIdle;
        endcase
        if (wr_en_o) begin
          wr_word_q <= wr_word_q + WordAw'(1);
          rem_q     <= rem_q >= CntW'(4) ? rem_q - CntW'(4) : '0;
        end
        if (arrive_q) begin
          hold_q      <= rd_data_i;
          have_prev_q <= 1'b1;
        end
      end
    end
  end

`ifdef PPB_CHECKS
  logic armed_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) armed_q <= 1'b0;
    else         armed_q <= 1'b1;
  end

  always @(posedge clk_i) begin
    if (armed_q) begin
      // Only the residual's bytes are written: never past its length.
      `PPB_ASSERT(!wr_en_o || rem_q != '0, ("copy engine writes past the residual"))
      // A start is only taken when idle.
      `PPB_ASSERT(!$past(start_i) || $past(state_q) == StIdle,
                  ("copy engine started while copying (state %0d)", $past(state_q)))
      // The copy ends with every byte written.
      `PPB_ASSERT($past(state_q) != StFlush || rem_q == '0,
                  ("copy engine finished with %0d bytes unwritten", rem_q))
      // Destination bytes written lie in [0, len): byte enables are contiguous from lane 0 and
      // the highest one is below len.
      `PPB_ASSERT(!wr_en_o || ((wr_be_o == 4'b0001 || wr_be_o == 4'b0011 || wr_be_o == 4'b0111 ||
                                wr_be_o == 4'b1111) && wr_last_byte < (CntW+1)'(g_len_q)),
                  ("copy engine writes byte %0d (enables %b) outside [0, %0d)",
                   wr_last_byte, wr_be_o, g_len_q))
      // Source words read hold at least one byte of [src, src+len).
      `PPB_ASSERT(!rd_en_o || ((CntW+1)'({rd_word_q, 2'b00}) < (CntW+1)'(g_src_q) + (CntW+1)'(g_len_q) &&
                               (CntW+1)'({rd_word_q, 2'b11}) >= (CntW+1)'(g_src_q)),
                  ("copy engine reads word %0d outside [%0d, +%0d)", rd_word_q, g_src_q, g_len_q))
      // Strengthening invariants (for k-induction): bytes written plus bytes left make len; an
      // idle engine has nothing left and nothing in flight.
      `PPB_ASSERT(rem_q == '0 || (CntW+1)'({wr_word_q, 2'b00}) + (CntW+1)'(rem_q) == (CntW+1)'(g_len_q),
                  ("copy engine lost count: word %0d, %0d left of %0d", wr_word_q, rem_q, g_len_q))
      `PPB_ASSERT(state_q != StIdle || (rem_q == '0 && !arrive_q),
                  ("idle copy engine with %0d bytes left", rem_q))
    end
  end

  // The residual of the running (or last) copy, for the assertions. Ghost state: nothing in the
  // design reads it, so synthesis removes it with the assertions.
  logic [CntW-1:0] g_src_q, g_len_q;
  logic [1:0]      wr_top_lane;
  logic [CntW:0]   wr_last_byte;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      g_src_q <= '0;
      g_len_q <= '0;
    end else if (start_i && state_q == StIdle) begin
      g_src_q <= src_i;
      g_len_q <= len_i;
    end
  end
  always_comb begin
    wr_top_lane  = wr_be_o[3] ? 2'd3 : wr_be_o[2] ? 2'd2 : wr_be_o[1] ? 2'd1 : 2'd0;
    wr_last_byte = (CntW+1)'({wr_word_q, 2'b00}) + (CntW+1)'(wr_top_lane);
  end
`endif

`ifdef FORMAL
  // Cover: a copy runs to its end.
  always @(posedge clk_i) begin
    if (rst_ni) cover (state_q == StFlush);
  end
`endif

endmodule
