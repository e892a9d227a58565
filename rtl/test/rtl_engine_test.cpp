// What only the Verilated RTL engine has; everything a PPB does through its sockets is tested on
// both engines in device/test/. Here: the list of verilated capacities and the refusal of any
// other, DMI never granted (not even when allowed), X randomisation reaching the Verilated model,
// and the FST waveform of the RTL's own signals. Each test is its own process.
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/test/rtl_bench.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

namespace ppb::rtl::test {
namespace {

using namespace sc_core;
using rtl_bench = bench<ppb_rtl>;
constexpr std::uint32_t cap = 1024;

// Any legal CAPACITY is had (the ones not verilated into the build on first use: see
// scripts/rtl-on-demand-check); an illegal one is refused before anything is built.
TEST(rtl_misc, an_illegal_capacity_is_refused_and_the_built_in_ones_are_the_configured_list) {
    for (const std::uint32_t bad : {0u, 12u, 1026u, 1048580u})
        EXPECT_THROW(ppb_rtl("bad_capacity", bad), std::invalid_argument) << bad;
    EXPECT_EQ(ppb_rtl::capacities(), (std::vector<std::uint32_t>{PPB_RTL_CAPACITIES_LIST}));
    EXPECT_EQ(ppb_rtl::on_demand_problem(), "") << "this build must be able to verilate other capacities";
}

TEST(rtl_dmi, never_granted) {
    rtl_bench tb;
    tb.run([&] {
        for (const std::uint64_t a : {std::uint64_t{regs::fill::offset}, std::uint64_t{regs::bank0_base},
                                      std::uint64_t{regs::bank1_base} + 17}) {
            tlm::tlm_generic_payload tx;
            tlm::tlm_dmi dmi;
            tx.set_address(a);
            tx.set_command(tlm::TLM_READ_COMMAND);
            EXPECT_FALSE(tb.cpu.socket->get_direct_mem_ptr(tx, dmi));
            EXPECT_TRUE(dmi.is_none_allowed());
            EXPECT_LE(dmi.get_start_address(), a);
            EXPECT_GE(dmi.get_end_address(), a);
        }
        tb.dut.set_dmi_allowed(true);
        // The hint wrongly set on purpose by the initiator: the target must clear it.
        tb.bus_check.set_enabled(ppb::check::tlm_rule::dmi_hint_set, false);
        EXPECT_FALSE(tb.cpu.dmi_hint_of_a_read(regs::bank1_base, true));
        EXPECT_EQ(tb.dut.stats().dmi_grants, 0u);
    });
}

// Run with PPB_RTL_PLUSARGS="+verilator+rand+reset+2 +verilator+seed+N" (CTest's rtl_xrand.*),
// the RAMs start random, proving the option reaches the model; without it they start zero.
TEST(rtl_misc, x_randomisation_reaches_the_verilated_model) {
    rtl_bench tb;
    bool random = false;
    std::string args;
    for (const auto& a : tb.dut.plusargs()) {
        args += " " + a;
        random |= a == "+verilator+rand+reset+2";
    }
    std::printf("Verilator options:%s\n", args.empty() ? " (none)" : args.c_str());
    tb.run([&] {
        const auto bank = tb.cpu.dbg_bank(0, cap);
        const auto zeros = static_cast<std::size_t>(std::count(bank.begin(), bank.end(), 0));
        if (random)
            EXPECT_LT(zeros, cap / 8) << "random RAM contents";
        else
            EXPECT_EQ(zeros, cap) << "RAM starts zero";
        for (const auto& r : regs::all_regs)
            EXPECT_EQ(tb.cpu.read(r.offset), reset_value(r, cap)) << r.name;
    });
}

// The device's own trace (device_trace.* in device/test) beside the RTL's FST of every signal.
TEST(rtl_misc, fst_trace_holds_the_rtls_signals) {
    // One file per process: the X-randomised runs may run at the same time.
    const std::string fst = ::testing::TempDir() + "ppb_rtl_trace_" + std::to_string(::getpid()) + ".fst";
    {
        rtl_bench tb;
        tb.dut.trace_fst(fst);
        tb.run([&] {
            tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
            tb.src.push(pattern(64));
            tb.cpu.command(opcode::consume, 0, 10);
            wait(sc_time(1, SC_US));
        });
    }
    std::ifstream in(fst, std::ios::binary | std::ios::ate);
    ASSERT_TRUE(in) << fst;
    EXPECT_GT(in.tellg(), 1000) << "the FST file holds the RTL's signals";
    std::remove(fst.c_str());
}

}  // namespace
}  // namespace ppb::rtl::test
