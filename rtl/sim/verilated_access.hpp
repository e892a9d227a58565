// Everything the co-simulation reads of a Verilated model that is not one of its ports: the
// debug signals of ppb_top, the bank RAM arrays, and the clock's edge-detection state. These are
// Verilator's internal names (rootp->..., `__Vtrigrprev__...`), which change between Verilator
// releases; the RTL names they come from are marked `sim-visible` in the RTL. This file is the
// one place that spells them, for the Verilator release it was written against: another release
// stops the build here rather than in a page of template errors.
#pragma once

#include <verilated_config.h>

#include <cstdint>

#if VERILATOR_VERSION_INTEGER < 5006000 || VERILATOR_VERSION_INTEGER >= 5007000
#error \
    "rtl/sim/verilated_access.hpp names Verilator 5.006's internals; check them against this Verilator's generated *___024root.h and update this file"
#endif

namespace ppb::rtl::verilated {

// ppb_top's debug signals (rtl/ppb_top.sv, `dbg_*`, /*verilator public_flat_rd*/).
template <class VTop>
struct signals {
    static std::uint32_t fill(const VTop& t) { return t.rootp->ppb_top__DOT__dbg_fill; }
    static std::uint32_t limit(const VTop& t) { return t.rootp->ppb_top__DOT__dbg_limit; }
    static std::uint32_t running_op(const VTop& t) { return t.rootp->ppb_top__DOT__dbg_running_op; }
    static bool ping(const VTop& t) { return t.rootp->ppb_top__DOT__dbg_ping != 0; }
    static bool busy(const VTop& t) { return t.rootp->ppb_top__DOT__dbg_busy != 0; }
    static unsigned busy_left(const VTop& t) { return t.rootp->ppb_top__DOT__dbg_busy_left; }

    // A bank's RAM word (rtl/ppb_bank_ram.sv, `mem_q`), for backdoor loads and reads.
    static std::uint32_t& word(VTop& t, unsigned bank, std::uint32_t index) {
        return (bank ? t.rootp->ppb_top__DOT__u_bank1__DOT__mem_q : t.rootp->ppb_top__DOT__u_bank0__DOT__mem_q)[index];
    }
    static std::uint32_t word(const VTop& t, unsigned bank, std::uint32_t index) {
        return (bank ? t.rootp->ppb_top__DOT__u_bank1__DOT__mem_q : t.rootp->ppb_top__DOT__u_bank0__DOT__mem_q)[index];
    }

    // Tells the model that clk_i was low without evaluating the falling edge: the next eval()
    // with clk_i high then sees a rising edge. (No logic of ppb_top works on the falling edge.)
    static void clock_was_low(VTop& t) { t.rootp->__Vtrigrprev__TOP__clk_i = 0; }
};

}  // namespace ppb::rtl::verilated
