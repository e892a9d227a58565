// The driver's randomized differential test over the RTL: the same random Write, Get, Consume,
// Shift and Reset sequence (random sizes and offsets, 0/FILL/BufferSize edges, refused calls) on the
// native reference and on the driver over the Verilated RTL, comparing every status, size, returned
// byte and the Ping contents after each call. Fewer steps than over the model (the RTL is slower),
// and no DMI: the RTL wrapper grants none, so this exercises the driver's host-side mirror.
#include "driver/native_ping_pong.hpp"
#include "driver/ping_pong_buffer.hpp"
#include "driver/test/differential.hpp"
#include "driver/test/driver_bench.hpp"
#include "driver/test/fault_scenarios.hpp"
#include "driver/test/test_util.hpp"
#include "driver/tlm_bus.hpp"
#include "rtl/sim/ppb_rtl.hpp"
#include "testbench/harness/sim_bench.hpp"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <chrono>
#include <cstdio>

namespace ppb::driver::test {
namespace {

using namespace sc_core;

using rtl_driver_bench = driver_bench<rtl::ppb_rtl>;

void run(source_mode mode, bool drop, std::uint32_t buffer_size, std::uint64_t steps_wanted) {
    const std::uint64_t seed = test_seed();
    const auto wall = std::chrono::steady_clock::now();
    rtl_driver_bench tb("tb", 1024);
    std::uint64_t steps = 0, calls = 0, refused = 0;
    tb.run(
        [&] {
            std::unique_ptr<ping_pong_buffer> d;
            ASSERT_EQ(ping_pong_buffer::open(tb.cpu, {buffer_size, pool_type::non_paged_nx, mode, drop, true}, d),
                      status::ok);
            EXPECT_FALSE(d->zero_copy()) << "the RTL grants no DMI";
            std::unique_ptr<native_ping_pong> ref;
            ASSERT_EQ(native_ping_pong::open(buffer_size, pool_type::non_paged_nx, ref), status::ok);
            differential diff(*ref, *d, mode, drop, seed, [&](std::span<const std::uint8_t> b) { return tb.push(b); });
            for (std::uint64_t i = 0; i < steps_wanted; ++i)
                ASSERT_TRUE(diff.step()) << "seed " << seed << ", step " << i;
            steps = diff.steps();
            calls = diff.calls();
            refused = diff.refused();
        },
        sc_time(1000, SC_SEC));
    const auto s = tb.dut.stats();
    std::printf("%llu steps, %llu Method calls (%llu refused) in %.2f s wall, %s simulated, %llu RTL cycles\n",
                static_cast<unsigned long long>(steps), static_cast<unsigned long long>(calls),
                static_cast<unsigned long long>(refused),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(),
                sc_time_stamp().to_string().c_str(), static_cast<unsigned long long>(s.cycles));
    EXPECT_EQ(steps, steps_wanted);
    EXPECT_GT(refused, steps_wanted / 50) << "the sequence must include refused calls";
    EXPECT_EQ(s.bus_errors, 0u);
}

TEST(rtl_driver, differential_host) {
    run(source_mode::host, false, 1000, 100000);
}
TEST(rtl_driver, differential_host_odd_buffer_size) {
    run(source_mode::host, false, 333, 100000);
}
TEST(rtl_driver, differential_stream) {
    run(source_mode::stream, false, 1024, 100000);
}
TEST(rtl_driver, differential_stream_drop) {
    run(source_mode::stream, true, 77, 100000);
}

// Faults (driver/test/fault_scenarios.hpp): Reset and hardware reset while a long copy runs.
TEST(rtl_driver, dmf_reset_in_the_middle_of_a_copy) {
    rtl_driver_bench tb("tb", 1024);
    tb.run([&] { dmf_reset_in_the_middle_of_a_copy(tb); });
}
TEST(rtl_driver, hard_reset_in_the_middle_of_a_copy) {
    rtl_driver_bench tb("tb", 1024);
    tb.run([&] { hard_reset_in_the_middle_of_a_copy(tb); });
}

}  // namespace
}  // namespace ppb::driver::test
