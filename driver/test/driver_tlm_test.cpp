// The driver over the TLM model, called from SC_THREADs through the TLM backend: the randomized
// differential test against the native reference (host and stream mode, with and without DMI),
// two threads sharing one module, waiting on the interrupt, and the register-access budget.
#include "driver/native_ping_pong.hpp"
#include "driver/ping_pong_buffer.hpp"
#include "driver/test/differential.hpp"
#include "driver/test/driver_bench.hpp"
#include "driver/test/fault_scenarios.hpp"
#include "driver/test/test_util.hpp"
#include "driver/tlm_bus.hpp"
#include "model/ppb_model.hpp"
#include "testbench/harness/sim_bench.hpp"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <chrono>
#include <cstdlib>

namespace ppb::driver::test {
namespace {

using namespace sc_core;
using namespace std::chrono_literals;

using tlm_bench = driver_bench<model::ppb_model>;

std::unique_ptr<ping_pong_buffer> open_on(tlm_bench& tb, std::uint32_t size, source_mode mode, bool drop = false) {
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(tb.cpu, {size, pool_type::non_paged_nx, mode, drop, true}, d), status::ok);
    return d;
}

std::uint64_t steps_from_env(std::uint64_t fallback) {
    if (const char* s = std::getenv("PPB_DIFF_STEPS"))
        return std::strtoull(s, nullptr, 0);
    return fallback;
}

struct diff_case {
    source_mode mode;
    bool dmi;
    bool drop;
    std::uint32_t capacity;
    std::uint32_t buffer_size;
    std::uint64_t steps;
    std::uint64_t revoke_at = 0;  // step at which the model withdraws DMI (0: never)
};

void run_differential(const diff_case& c) {
    const std::uint64_t seed = test_seed();
    const auto wall = std::chrono::steady_clock::now();
    tlm_bench tb("tb", c.capacity);
    std::uint64_t steps = 0, calls = 0, refused = 0;
    bus_counters counters;
    bool zero_copy_at_start = false, zero_copy_at_end = false;
    tb.run(
        [&] {
            if (!c.dmi)
                tb.dut.set_dmi_allowed(false);
            auto d = open_on(tb, c.buffer_size, c.mode, c.drop);
            ASSERT_TRUE(d);
            zero_copy_at_start = d->zero_copy();
            std::unique_ptr<native_ping_pong> ref;
            ASSERT_EQ(native_ping_pong::open(c.buffer_size, pool_type::non_paged_nx, ref), status::ok);
            differential diff(*ref, *d, c.mode, c.drop, seed,
                              [&](std::span<const std::uint8_t> b) { return tb.push(b); });
            for (std::uint64_t i = 0; i < c.steps; ++i) {
                if (c.revoke_at && i == c.revoke_at)
                    tb.dut.set_dmi_allowed(false);
                ASSERT_TRUE(diff.step()) << "seed " << seed;
            }
            zero_copy_at_end = d->zero_copy();
            steps = diff.steps();
            calls = diff.calls();
            refused = diff.refused();
            counters = tb.cpu.counters();
        },
        sc_time(1000, SC_SEC));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    std::printf(
        "%llu steps, %llu Method calls (%llu refused) in %.2f s wall, %s simulated; "
        "%llu register reads, %llu writes, %llu bursts, %llu bank bytes read (%llu direct)\n",
        static_cast<unsigned long long>(steps), static_cast<unsigned long long>(calls),
        static_cast<unsigned long long>(refused), seconds, sc_time_stamp().to_string().c_str(),
        static_cast<unsigned long long>(counters.reg_reads), static_cast<unsigned long long>(counters.reg_writes),
        static_cast<unsigned long long>(counters.burst_reads + counters.burst_writes),
        static_cast<unsigned long long>(counters.bytes_read),
        static_cast<unsigned long long>(counters.direct_bytes_read));
    EXPECT_EQ(steps, c.steps);
    EXPECT_GT(refused, c.steps / 50) << "the sequence must include refused calls";
    EXPECT_EQ(zero_copy_at_start, c.dmi) << "DMI granted must mean zero-copy";
    EXPECT_EQ(zero_copy_at_end, c.dmi && !c.revoke_at);
    EXPECT_EQ(tb.dut.core().commands_refused(), 0u) << "the driver must never issue a command the device refuses";
    EXPECT_EQ(tb.dut.stats().bus_errors, 0u);
}

#ifndef PPB_DRIVER_LONG
// The default run: 6 x 200,000 steps (each a random Method, then Get on both sides).
TEST(driver_tlm, differential_host_dmi) {
    run_differential({source_mode::host, true, false, 256, 200, steps_from_env(200000)});
}
TEST(driver_tlm, differential_host_no_dmi) {
    run_differential({source_mode::host, false, false, 256, 61, steps_from_env(200000)});
}
TEST(driver_tlm, differential_host_dmi_withdrawn_midway) {
    run_differential({source_mode::host, true, false, 64, 64, steps_from_env(200000), 100000});
}
TEST(driver_tlm, differential_stream_dmi) {
    run_differential({source_mode::stream, true, false, 256, 256, steps_from_env(200000)});
}
TEST(driver_tlm, differential_stream_no_dmi) {
    run_differential({source_mode::stream, false, false, 128, 37, steps_from_env(200000)});
}
TEST(driver_tlm, differential_stream_drop_no_dmi) {
    run_differential({source_mode::stream, false, true, 64, 50, steps_from_env(200000)});
}
#else
// Label long (driver_tlm_long_test): far more of the same, with larger buffers.
TEST(driver_tlm_long, differential_host_dmi) {
    run_differential({source_mode::host, true, false, 1024, 1000, steps_from_env(5000000)});
}
TEST(driver_tlm_long, differential_host_no_dmi) {
    run_differential({source_mode::host, false, false, 1024, 333, steps_from_env(5000000)});
}
TEST(driver_tlm_long, differential_stream_dmi) {
    run_differential({source_mode::stream, true, false, 1024, 1024, steps_from_env(5000000)});
}
TEST(driver_tlm_long, differential_stream_drop_no_dmi) {
    run_differential({source_mode::stream, false, true, 1024, 77, steps_from_env(5000000)});
}
#endif

#ifndef PPB_DRIVER_LONG
// Two SC_THREADs share one module: a producer writes numbered records, a consumer takes them out.
// With a quantum of one clock every access synchronises, so the threads switch inside Methods; the
// sc_mutex from the TLM backend is what keeps each Method whole (a std::mutex would deadlock here).
class two_thread_bench : public tlm_bench {
public:
    static constexpr std::uint32_t record = 24;
    static constexpr std::uint32_t records = 400;

    two_thread_bench(const sc_module_name& name) : tlm_bench(name, 256, sc_time(10, SC_NS)) {
        SC_HAS_PROCESS(two_thread_bench);
        SC_THREAD(consumer);
    }

    static std::vector<std::uint8_t> make(std::uint32_t k) { return pattern(record, k); }

    std::unique_ptr<ping_pong_buffer> driver;
    sc_event opened;
    bool in_producer = false, in_consumer = false;
    std::uint32_t overlaps = 0, received = 0, bad = 0;

private:
    void consumer() {
        wait(opened);
        while (received < records) {
            in_consumer = true;
            overlaps += in_producer;
            std::span<const std::uint8_t> ping;
            const status s = driver->get(ping);
            std::span<const std::uint8_t> packet;
            status c = status::ok;
            if (s == status::ok && ping.size() >= record) {
                const auto expected = make(received);
                c = driver->consume(0, record, packet);
                bad += c != status::ok || !std::equal(packet.begin(), packet.end(), expected.begin(), expected.end());
                ++received;
            }
            bad += s != status::ok;
            in_consumer = false;
            wait(sc_time(30, SC_NS));
        }
    }
};

TEST(driver_tlm, two_threads_share_a_module_through_the_sc_mutex) {
    two_thread_bench tb("tb");
    std::uint32_t refused = 0;
    tb.run(
        [&] {
            tb.driver = open_on(tb, 200, source_mode::host);
            ASSERT_TRUE(tb.driver);
            tb.opened.notify(SC_ZERO_TIME);
            for (std::uint32_t k = 0; k < two_thread_bench::records;) {
                tb.in_producer = true;
                tb.overlaps += tb.in_consumer;
                std::uint32_t size = 0;
                const status s = tb.driver->write(two_thread_bench::make(k), size);
                tb.in_producer = false;
                if (s == status::ok)
                    ++k;
                else if (s == status::insufficient_resources)
                    ++refused;
                else
                    FAIL() << to_string(s);
                wait(sc_time(20, SC_NS));
            }
            while (tb.received < two_thread_bench::records)
                wait(sc_time(1, SC_US));
        },
        sc_time(1, SC_SEC));
    EXPECT_EQ(tb.received, two_thread_bench::records);
    EXPECT_EQ(tb.bad, 0u);
    EXPECT_GT(tb.overlaps, 0u) << "the threads never met inside a Method: the test proves nothing";
    std::printf("%u records, %u calls that met the other thread inside a Method, %u refused writes\n", tb.received,
                tb.overlaps, refused);
}

// A producer thread streams bytes slowly; the client sleeps on the interrupt until enough arrived.
class waiting_bench : public tlm_bench {
public:
    waiting_bench(const sc_module_name& name, bool produce) : tlm_bench(name, 256), produce_(produce) {
        SC_HAS_PROCESS(waiting_bench);
        SC_THREAD(producer);
    }
    sc_event opened;
    bool produced = false;

    // The body's end: the producer's stack must unwind before the simulation stops.
    void wait_for_producer() {
        while (!produced)
            wait(sc_time(1, SC_US));
    }

private:
    void producer() {
        wait(opened);
        for (unsigned i = 0; produce_ && i < 10; ++i) {
            wait(sc_time(1, SC_US));
            tlm::tlm_generic_payload tx;
            auto bytes = pattern(10, i);
            tx.set_command(tlm::TLM_WRITE_COMMAND);
            tx.set_data_ptr(bytes.data());
            tx.set_data_length(10);
            tx.set_streaming_width(10);
            sc_time delay = SC_ZERO_TIME;
            source->b_transport(tx, delay);
            wait(delay);
        }
        produced = true;
    }
    bool produce_;
};

TEST(driver_tlm, wait_for_data_sleeps_until_the_threshold_interrupt) {
    waiting_bench tb("tb", true);
    tb.run([&] {
        auto d = open_on(tb, 256, source_mode::stream);
        ASSERT_TRUE(d);
        tb.opened.notify(SC_ZERO_TIME);
        const sc_time t0 = sc_time_stamp();
        const auto reads = tb.cpu.counters().reg_reads;
        std::uint32_t fill = 0;
        ASSERT_EQ(d->wait_for_data(45, 1ms, fill), status::ok);
        EXPECT_GE(fill, 45u);
        EXPECT_GE(sc_time_stamp() - t0, sc_time(4, SC_US)) << "it returned before the data could be there";
        EXPECT_LT(tb.cpu.counters().reg_reads - reads, 5u) << "it polled instead of sleeping";
        std::span<const std::uint8_t> ping;
        ASSERT_EQ(d->get(ping), status::ok);
        EXPECT_EQ(ping.size(), fill);
        tb.wait_for_producer();
    });
}

TEST(driver_tlm, wait_for_data_times_out_in_simulated_time) {
    waiting_bench tb("tb", false);
    tb.run([&] {
        auto d = open_on(tb, 256, source_mode::stream);
        ASSERT_TRUE(d);
        tb.opened.notify(SC_ZERO_TIME);
        const sc_time t0 = sc_time_stamp();
        std::uint32_t fill = 99;
        EXPECT_EQ(d->wait_for_data(10, 5us, fill), status::timeout);
        EXPECT_EQ(fill, 0u);
        EXPECT_GE(sc_time_stamp() - t0, sc_time(5, SC_US));
        tb.wait_for_producer();
    });
}

// Register accesses per Write in host mode (goal: at most 3) and per delivered frame in stream mode
// (goal: at most 6), with a client that takes frames as soon as they are whole.
void host_write_budget(bool dmi) {
    {
        tlm_bench tb("tb", 4096);
        std::uint64_t writes = 0, write_accesses = 0, worst = 0;
        tb.run([&] {
            if (!dmi)
                tb.dut.set_dmi_allowed(false);
            auto d = open_on(tb, 4096, source_mode::host);
            ASSERT_TRUE(d);
            constexpr std::uint32_t frame = 300;
            for (unsigned i = 0; i < 2000; ++i) {
                const auto chunk = pattern(40 + i % 50, i);
                const auto before = tb.cpu.counters().register_accesses();
                std::uint32_t size = 0;
                ASSERT_EQ(d->write(chunk, size), status::ok);
                const auto used = tb.cpu.counters().register_accesses() - before;
                write_accesses += used;
                worst = std::max<std::uint64_t>(worst, used);
                ++writes;
                if (size >= frame) {
                    std::span<const std::uint8_t> packet;
                    ASSERT_EQ(d->consume(0, frame, packet), status::ok);
                }
            }
        });
        std::printf("host mode, %s: %.2f register accesses per Write on average, %llu at most\n",
                    dmi ? "DMI" : "no DMI", static_cast<double>(write_accesses) / static_cast<double>(writes),
                    static_cast<unsigned long long>(worst));
        EXPECT_LE(worst, 3u);
    }
}

void stream_frame_budget(bool dmi) {
    {
        tlm_bench tb("tb", 4096);
        std::uint64_t frames = 0;
        tb.run([&] {
            if (!dmi)
                tb.dut.set_dmi_allowed(false);
            auto d = open_on(tb, 4096, source_mode::stream);
            ASSERT_TRUE(d);
            tb.cpu.reset_counters();
            constexpr std::uint32_t frame = 250;
            for (unsigned burst = 0; burst < 200; ++burst) {
                for (unsigned k = 0; k < 3; ++k)
                    ASSERT_EQ(tb.push(pattern(frame, burst * 3 + k)), frame);
                for (unsigned k = 0; k < 3; ++k) {
                    std::span<const std::uint8_t> ping;
                    ASSERT_EQ(d->get(ping), status::ok);
                    ASSERT_GE(ping.size(), frame);
                    const auto expected = pattern(frame, burst * 3 + k);
                    ASSERT_TRUE(std::equal(ping.begin(), ping.begin() + frame, expected.begin()));
                    std::span<const std::uint8_t> packet;
                    ASSERT_EQ(d->consume(0, frame, packet), status::ok);
                    ++frames;
                }
            }
        });
        const double per_frame =
            static_cast<double>(tb.cpu.counters().register_accesses()) / static_cast<double>(frames);
        std::printf("stream mode, %s: %.2f register accesses per delivered frame (Get + Consume)\n",
                    dmi ? "DMI" : "no DMI", per_frame);
        EXPECT_LE(per_frame, 6.0);
    }
}

// Faults (fault_scenarios.hpp): Reset and hardware reset while a long copy runs.
TEST(driver_tlm, dmf_reset_in_the_middle_of_a_copy) {
    tlm_bench tb("tb", 1024);
    tb.run([&] { dmf_reset_in_the_middle_of_a_copy(tb); });
}
TEST(driver_tlm, hard_reset_in_the_middle_of_a_copy) {
    tlm_bench tb("tb", 1024);
    tb.run([&] { hard_reset_in_the_middle_of_a_copy(tb); });
}

// One elaboration per process: each case is its own test.
TEST(driver_tlm, register_accesses_per_write_in_host_mode_dmi) {
    host_write_budget(true);
}
TEST(driver_tlm, register_accesses_per_write_in_host_mode_no_dmi) {
    host_write_budget(false);
}
TEST(driver_tlm, register_accesses_per_frame_in_stream_mode_dmi) {
    stream_frame_budget(true);
}
TEST(driver_tlm, register_accesses_per_frame_in_stream_mode_no_dmi) {
    stream_frame_budget(false);
}

#endif  // PPB_DRIVER_LONG

}  // namespace
}  // namespace ppb::driver::test
