// Register accesses the driver spends per delivered frame and per Write (issue 7's budget): counts
// over ppb-cosim's scenarios, never times. Each test runs in its own process (one SystemC run each).
//
// Goals: at most 6 register accesses per delivered frame in stream mode, at most 3 per Write in host
// mode. The default scenario (1 us global quantum) measures 6.3-6.4: the FILL read that guards the
// arming of THRESHOLD against a rise that already happened can be skipped only when FILL cannot have
// reached the need since it was read, and temporal decoupling widens that window by a quantum
// (ping_pong_buffer.hpp). Its bound here is the measured figure with a small margin, so that any
// regression fails; synchronised (quantum 0) the goal of 6 holds and is asserted as such.
#include "testbench/cosim.hpp"

#include <gtest/gtest.h>

namespace ppb::tb {
namespace {

double per_frame(const cosim_result& r) {
    return static_cast<double>(r.reg_reads + r.reg_writes) / static_cast<double>(r.totals.frames_delivered);
}

cosim_config stream_default(double quantum) {
    cosim_config c;  // ppb-cosim's defaults: tlm, stream, CAPACITY 4096, 50 MB/s, irq-waiting client
    c.packets = 3000;
    c.quantum = quantum;
    return c;
}

TEST(register_budget, stream_default_scenario) {
    const cosim_result r = run_cosim(stream_default(1e-6));
    ASSERT_TRUE(r.ok()) << r.errors.front();
    ASSERT_EQ(r.totals.frames_delivered, 3000u);
    EXPECT_LE(per_frame(r), 6.5) << "was 10.6 before issue 7, 6.3-6.4 after";
    EXPECT_EQ(r.irq_timeouts, 0u) << "a skipped FILL check must never cost a missed interrupt";
}

TEST(register_budget, stream_synchronised_meets_the_goal) {
    const cosim_result r = run_cosim(stream_default(0));
    ASSERT_TRUE(r.ok()) << r.errors.front();
    EXPECT_LE(per_frame(r), 6.0);
    EXPECT_EQ(r.irq_timeouts, 0u);
}

TEST(register_budget, host_write) {
    cosim_config c;
    c.packets = 3000;
    c.mode = source_kind::host;
    const cosim_result r = run_cosim(c);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    ASSERT_GT(r.host_writes, 0u);
    // Everything the driver did (Get, Consume and the client's waits too) over the Writes alone.
    EXPECT_LE(static_cast<double>(r.reg_reads + r.reg_writes) / static_cast<double>(r.host_writes), 3.0);
}

}  // namespace
}  // namespace ppb::tb
