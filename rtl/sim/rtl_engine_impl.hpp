// One Verilated ppb_top behind the engine interface (rtl/sim/rtl_engine.hpp), for any CAPACITY:
// included by the one translation unit that includes the Verilated headers (rtl_engine.cpp), after
// them. It reads the model's internals only through rtl/sim/verilated_access.hpp.
#pragma once

#include "rtl/sim/rtl_engine.hpp"
#include "rtl/sim/verilated_access.hpp"

#include "ppb_regs.hpp"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

namespace ppb::rtl::detail {

template <class VTop>
class engine_t final : public engine {
    using sig = verilated::signals<VTop>;

public:
    engine_t(const std::vector<std::string>& plusargs, std::uint64_t period_ps) : period_ps_(period_ps) {
        std::vector<const char*> argv{"ppb_rtl"};
        for (const auto& a : plusargs)
            argv.push_back(a.c_str());
        ctx_.commandArgs(static_cast<int>(argv.size()), argv.data());
        ctx_.fatalOnError(false);  // a failed assertion becomes a SystemC error, not an abort
        ctx_.traceEverOn(true);
        top_ = std::make_unique<VTop>(&ctx_, "ppb_top");
        VTop& t = *top_;
        t.clk_i = 1;
        t.rst_ni = 1;
        t.psel_i = 0;
        t.penable_i = 0;
        t.pwrite_i = 0;
        t.paddr_i = 0;
        t.pwdata_i = 0;
        t.pstrb_i = 0;
        t.s_axis_tvalid_i = 0;
        t.s_axis_tdata_i = 0;
        t.eval();
        reset();
    }

    ~engine_t() override {
        if (fst_)
            fst_->close();
        top_->final();
#ifdef PPB_RTL_COVERAGE
        write_coverage();
#endif
    }

#ifdef PPB_RTL_COVERAGE
    // Coverage build (PPB_COVERAGE): every model writes its line, toggle and user (assertion)
    // coverage into its own file, merged later by scripts/coverage.
    void write_coverage() {
        static unsigned serial = 0;
        const char* dir = std::getenv("PPB_RTL_COVERAGE_DIR");
        const std::string path = std::string(dir != nullptr ? dir : PPB_RTL_COVERAGE_DIR) + "/rtl-" +
                                 std::to_string(::getpid()) + "-" + std::to_string(serial++) + ".dat";
        ctx_.coveragep()->write(path.c_str());
    }
#endif

    bool run(std::uint64_t until, bool for_stream) override {
        VTop& t = *top_;
        while (cycle < until && !(for_stream && s_left == 0)) {
            // With no command running, no bus transfer and no byte that can move, no flop of the
            // RTL changes until an input does (every unit holds its state; the RAMs are not
            // enabled): such cycles are quiescent.
            if (!sig::busy(t) && (s_left == 0 || !t.s_axis_tready_o)) {
                if (for_stream && s_left != 0)
                    return true;
                if (skip_idle && !fst_) {
                    skipped += until - cycle;
                    cycle = until;
                    return false;
                }
            }
            tick<false>(nullptr, nullptr);
        }
        return false;
    }

    bool transfer(std::uint32_t addr, bool write, std::uint32_t wdata, unsigned strb, std::uint32_t& rdata) override {
        VTop& t = *top_;
        t.paddr_i = addr & ((1u << regs::addr_bits) - 1);
        t.pwrite_i = write;
        t.pwdata_i = write ? wdata : 0;
        t.pstrb_i = write ? strb & 0xFu : 0;
        t.psel_i = 1;
        t.penable_i = 0;
        tick<false>(nullptr, nullptr);
        t.penable_i = 1;
        bool err = false;
        tick<true>(&rdata, &err);
        t.psel_i = 0;
        t.penable_i = 0;
        t.pwrite_i = 0;
        t.pstrb_i = 0;
        ++transfers;
        return err;
    }

    bool probe(std::uint32_t addr, std::uint32_t& rdata) override {
        VTop& t = *top_;
        t.paddr_i = addr & ((1u << regs::addr_bits) - 1);
        t.pwrite_i = 0;
        t.psel_i = 1;
        t.penable_i = 1;
        t.eval();
        rdata = t.prdata_o;
        const bool err = t.pslverr_o;
        t.psel_i = 0;
        t.penable_i = 0;
        t.eval();
        return err;
    }

    void reset() override {
        VTop& t = *top_;
        t.rst_ni = 0;
        t.eval();
        t.rst_ni = 1;
        t.eval();
        apb.reset();
        if (fst_)
            fst_->dump(cycle * period_ps_ + 1);
        note(true);
    }

    std::uint8_t peek(unsigned bank, std::uint32_t offset) const override {
        const std::uint32_t w = sig::word(*top_, bank, offset / 4);
        return static_cast<std::uint8_t>(w >> (8 * (offset % 4)));
    }

    void poke(unsigned bank, std::uint32_t offset, std::uint8_t value) override {
        std::uint32_t& w = sig::word(*top_, bank, offset / 4);
        const unsigned sh = 8 * (offset % 4);
        w = (w & ~(0xFFu << sh)) | (std::uint32_t{value} << sh);
    }

    observed observe() const override {
        const VTop& t = *top_;
        return {sig::fill(t), sig::limit(t), sig::running_op(t), sig::ping(t),
                sig::busy(t), t.irq_o != 0,  sig::busy_left(t)};
    }

    void open_fst(const std::string& path) override {
        if (fst_)
            fst_->close();
        fst_ = std::make_unique<VerilatedFstC>();
        top_->trace(fst_.get(), 99);
        fst_->open(path.c_str());
        fst_->dump(cycle * period_ps_);
    }

    bool failed() const override {
        return ctx_.gotError();
    }

private:
    // One clock cycle with the inputs as they are, plus the stream byte on offer: the inputs apply
    // from the middle of the cycle (clk low), the rising edge ends it. An access cycle samples
    // PRDATA and PSLVERR before the edge, which needs the falling half evaluated. Other cycles skip
    // that eval(): no logic works on the falling edge, s_axis_tready_o is a function of flops
    // (known since the last edge), and telling the model that clk was low is all the edge
    // detection needs. (Waveforms get both halves.)
    template <bool Access>
    [[gnu::always_inline]] void tick(std::uint32_t* rdata, bool* err) {
        VTop& t = *top_;
        const bool offered = s_left != 0;
        t.s_axis_tvalid_i = offered;
        if (offered)
            t.s_axis_tdata_i = *s_data;
        bool moved;
        if (Access || fst_) {
            t.clk_i = 0;
            t.eval();
            moved = offered && t.s_axis_tready_o;
            if constexpr (Access) {
                *rdata = t.prdata_o;
                *err = t.pslverr_o;
            }
            if (fst_)
                fst_->dump(cycle * period_ps_ + period_ps_ / 2);
        } else {
            moved = offered && t.s_axis_tready_o;
            t.clk_i = 0;
            sig::clock_was_low(t);
        }
        if (!apb.quiet_cycle(t.psel_i != 0, t.penable_i != 0))
            apb.cycle({t.psel_i != 0, t.penable_i != 0, t.pwrite_i != 0, t.paddr_i, t.pwdata_i,
                       static_cast<std::uint8_t>(t.pstrb_i), 0, t.pready_o != 0, t.pslverr_o != 0});
        ctx_.time(cycle * period_ps_ + period_ps_);  // what assertion messages print
        t.clk_i = 1;
        t.eval();
        ++cycle;
        if (fst_)
            fst_->dump(cycle * period_ps_);
        if (moved) {
            ++s_data;
            --s_left;
            s_end = cycle;
        }
        busy_cycles += sig::busy(t);
        if (const std::uint32_t f = sig::fill(t); f > peak_fill)
            peak_fill = f;
        if ((t.irq_o != 0) != irq_level || tracing)
            note(false);
    }

    void note(bool force) {
        const observed o = observe();
        irq_level = o.irq;
        if (!force && have_last_ && same(last_, o))
            return;
        changes.emplace_back(cycle, o);
        last_ = o;
        have_last_ = true;
    }

    static bool same(const observed& a, const observed& b) {
        return a.fill == b.fill && a.limit == b.limit && a.cmd == b.cmd && a.ping_bank == b.ping_bank &&
               a.busy == b.busy && a.irq == b.irq;
    }

    VerilatedContext ctx_;
    std::unique_ptr<VTop> top_;
    std::unique_ptr<VerilatedFstC> fst_;
    std::uint64_t period_ps_;
    observed last_{};
    bool have_last_ = false;
};

template <class VTop>
double raw_loop(std::uint64_t cycles) {
    VerilatedContext ctx;
    VTop t(&ctx, "ppb_top");
    t.clk_i = 1;
    t.rst_ni = 1;
    t.eval();
    t.rst_ni = 0;
    t.eval();
    t.rst_ni = 1;
    t.eval();
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < cycles; ++i) {
        t.clk_i = 0;
        t.eval();
        t.clk_i = 1;
        t.eval();
    }
    const std::chrono::duration<double> s = std::chrono::steady_clock::now() - t0;
    t.final();
    return static_cast<double>(cycles) / s.count();
}

}  // namespace ppb::rtl::detail
