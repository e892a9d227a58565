// What only the TLM model does through its sockets: DMI. It grants a direct pointer to each bank
// window, coherent with b_transport, and invalidates every grant when DMI is withdrawn (the RTL
// never grants one: rtl/test/rtl_engine_test.cpp). Everything else a PPB does through its sockets
// is tested on both engines in device/test/. Both sockets go through the base-protocol checker
// (check/tlm_lt_checker.hpp): a violation fails the test. Each test is its own process.
#include "model/ppb_model.hpp"
#include "device/test/device_bench.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace ppb::model {
namespace {

using namespace sc_core;
using test::clk;
using test::pattern;
using model_bench = test::bench<ppb_model>;
constexpr std::uint32_t cap = 1024;

TEST(model_dmi, granted_for_each_bank_window_and_coherent_with_b_transport) {
    model_bench tb;
    tb.run([&] {
        for (const std::uint32_t base : {regs::bank0_base, regs::bank1_base}) {
            tlm::tlm_generic_payload tx;
            tlm::tlm_dmi dmi;
            tx.set_address(base + 17);
            tx.set_command(tlm::TLM_READ_COMMAND);
            ASSERT_TRUE(tb.cpu.socket->get_direct_mem_ptr(tx, dmi));
            EXPECT_EQ(dmi.get_start_address(), base);
            EXPECT_EQ(dmi.get_end_address(), base + cap - 1);
            EXPECT_TRUE(dmi.is_read_write_allowed());
            EXPECT_EQ(dmi.get_read_latency(), clk * 2.0);
            EXPECT_EQ(dmi.get_write_latency(), clk * 2.0);
            unsigned char* p = dmi.get_dmi_ptr();
            // DMI write, bus read.
            const auto a = pattern(cap, static_cast<std::uint8_t>(base >> 20));
            std::copy(a.begin(), a.end(), p);
            std::vector<std::uint8_t> back(cap);
            ASSERT_EQ(tb.cpu.access(tlm::TLM_READ_COMMAND, base, back.data(), cap), tlm::TLM_OK_RESPONSE);
            EXPECT_EQ(back, a);
            // Bus write, DMI read.
            const auto b = pattern(40, 99);
            std::vector<std::uint8_t> w = b;
            ASSERT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, base + cap - 40, w.data(), 40), tlm::TLM_OK_RESPONSE);
            EXPECT_TRUE(std::equal(b.begin(), b.end(), p + cap - 40));
        }
    });
}

// (Refused outside the banks, on both engines: device_dmi.refused_outside_the_bank_windows.)
TEST(model_dmi, invalidated_when_withdrawn_and_not_hinted_after) {
    model_bench tb;
    tb.run([&] {
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tlm::tlm_dmi ok;
        tx.set_address(regs::bank1_base);
        ASSERT_TRUE(tb.cpu.socket->get_direct_mem_ptr(tx, ok));
        EXPECT_TRUE(tb.cpu.invalidations.empty());
        tb.dut.set_dmi_allowed(false);
        ASSERT_EQ(tb.cpu.invalidations.size(), 1u);
        EXPECT_LE(tb.cpu.invalidations[0].first, regs::bank0_base);
        EXPECT_GE(tb.cpu.invalidations[0].second, regs::bank1_base + cap - 1);
        tlm::tlm_dmi again;
        EXPECT_FALSE(tb.cpu.socket->get_direct_mem_ptr(tx, again));
        EXPECT_FALSE(tb.cpu.dmi_hint_of_a_read(regs::bank1_base));
    });
}

}  // namespace
}  // namespace ppb::model
