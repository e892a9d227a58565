// ppb::driver::timeout_waiter ends every wait as sc_core::wait(timeout, e) would, including after an
// earlier wait left its timer queued, and a timer that fires before a deadline never ends the wait.
#include "driver/timeout_waiter.hpp"
#include "testbench/harness/sim_bench.hpp"

#include <gtest/gtest.h>
#include <systemc>

namespace ppb::driver::test {
namespace {

using namespace sc_core;

class waiter_bench : public ppb::test::sim_bench {
public:
    explicit waiter_bench(const sc_module_name& n) : sim_bench(n) {}
    sc_event e{"e"};
    timeout_waiter waiter{"waiter"};
};

TEST(timeout_waiter, the_event_ends_the_wait_at_its_time) {
    waiter_bench tb("tb");
    tb.run([&] {
        tb.e.notify(sc_time(3, SC_US));
        EXPECT_TRUE(tb.waiter.wait(sc_time(1, SC_MS), tb.e));
        EXPECT_EQ(sc_time_stamp(), sc_time(3, SC_US));
    });
}

TEST(timeout_waiter, the_timeout_ends_the_wait_at_its_deadline) {
    waiter_bench tb("tb");
    tb.run([&] {
        EXPECT_FALSE(tb.waiter.wait(sc_time(7, SC_US), tb.e));
        EXPECT_EQ(sc_time_stamp(), sc_time(7, SC_US));
        EXPECT_FALSE(tb.waiter.wait(SC_ZERO_TIME, tb.e));  // nothing to wait for
        EXPECT_EQ(sc_time_stamp(), sc_time(7, SC_US));
    });
}

TEST(timeout_waiter, a_timer_left_by_an_earlier_wait_does_not_end_a_later_one_early) {
    waiter_bench tb("tb");
    tb.run([&] {
        // Wait 1 ms, ended after 1 us by the event: the 1 ms timer stays queued. The next wait, 1 ms
        // from 1 us, must not end when that timer fires at 1 ms.
        tb.e.notify(sc_time(1, SC_US));
        EXPECT_TRUE(tb.waiter.wait(sc_time(1, SC_MS), tb.e));
        EXPECT_FALSE(tb.waiter.wait(sc_time(1, SC_MS), tb.e));
        EXPECT_EQ(sc_time_stamp(), sc_time(1001, SC_US));
    });
}

TEST(timeout_waiter, a_shorter_timeout_than_the_queued_timer_ends_on_time) {
    waiter_bench tb("tb");
    tb.run([&] {
        tb.e.notify(sc_time(1, SC_US));
        EXPECT_TRUE(tb.waiter.wait(sc_time(1, SC_MS), tb.e));
        EXPECT_FALSE(tb.waiter.wait(sc_time(20, SC_US), tb.e));
        EXPECT_EQ(sc_time_stamp(), sc_time(21, SC_US));
        // And an event after the stale 1 ms timer still ends a long wait.
        tb.e.notify(sc_time(2, SC_MS));
        EXPECT_TRUE(tb.waiter.wait(sc_time(5, SC_MS), tb.e));
        EXPECT_EQ(sc_time_stamp(), sc_time(2021, SC_US));
    });
}

TEST(timeout_waiter, many_short_waits_end_like_sc_core_wait) {
    waiter_bench tb("tb");
    tb.run([&] {
        // 10000 waits of up to 1 ms, each ended by the event 300 ns later: as sc_core::wait would.
        for (int i = 0; i < 10000; ++i) {
            const sc_time start = sc_time_stamp();
            tb.e.notify(sc_time(300, SC_NS));
            ASSERT_TRUE(tb.waiter.wait(sc_time(1, SC_MS), tb.e));
            ASSERT_EQ(sc_time_stamp(), start + sc_time(300, SC_NS));
        }
        EXPECT_FALSE(tb.waiter.wait(sc_time(1, SC_MS), tb.e));
        EXPECT_EQ(sc_time_stamp(), sc_time(4, SC_MS));  // 10000 x 300 ns, then the full 1 ms
    });
}

}  // namespace
}  // namespace ppb::driver::test
