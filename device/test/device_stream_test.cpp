// A PPB's stream port, on either engine, under both full policies, crossed with generated idle
// patterns on the source side, consumer patterns on the host side (which decide how often Ping is
// full or BUSY, the port's back-pressure) and two decoupling quanta. A scoreboard checks every byte:
// with back-pressure all of them arrive in order; with the drop policy the bytes received are the
// ones sent minus exactly DROPPED of them, in order. Plus the port's own timing, stalls and
// refusals, at the timing extremes.
#include "device/test/device_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <random>
#include <string>

namespace ppb::test {
namespace {

using namespace sc_core;

enum class source_kind { back_to_back, chunks_of_7, every_other_cycle, random_bursts };
enum class sink_kind { eager, lazy, small_shifts };

struct stream_case {
    source_kind source;
    sink_kind sink;
    bool drop;
    bool decoupled;  // global quantum 1 us instead of 0
};

std::string name_of(const stream_case& c) {
    static const char* sources[] = {"back_to_back", "chunks_of_7", "every_other_cycle", "random_bursts"};
    static const char* sinks[] = {"eager", "lazy", "small_shifts"};
    return std::string(sources[static_cast<int>(c.source)]) + "_" + sinks[static_cast<int>(c.sink)] +
           (c.drop ? "_drop" : "_backpressure") + (c.decoupled ? "_quantum_1us" : "_quantum_0");
}

std::vector<stream_case> all_cases() {
    std::vector<stream_case> v;
    for (auto so : {source_kind::back_to_back, source_kind::chunks_of_7, source_kind::every_other_cycle,
                    source_kind::random_bursts})
        for (auto si : {sink_kind::eager, sink_kind::lazy, sink_kind::small_shifts})
            for (bool drop : {false, true})
                for (bool dec : {false, true})
                    v.push_back({so, si, drop, dec});
    return v;
}

// Is `part` what remains of `whole` after removing `removed` bytes (order kept)?
bool is_subsequence(const std::vector<std::uint8_t>& part, const std::vector<std::uint8_t>& whole) {
    std::size_t i = 0;
    for (std::size_t j = 0; j < whole.size() && i < part.size(); ++j)
        if (whole[j] == part[i])
            ++i;
    return i == part.size();
}

void PrintTo(const stream_case& c, std::ostream* os) {
    *os << name_of(c);
}

class stream_matrix : public ::testing::TestWithParam<stream_case> {};

TEST_P(stream_matrix, every_byte_is_accounted_for) {
    const stream_case c = GetParam();
    constexpr std::uint32_t limit = 200;
    constexpr std::size_t total = 2500;
    engine_bench tb;
    std::vector<std::uint8_t> sent(total);
    for (std::size_t i = 0; i < total; ++i)
        sent[i] = static_cast<std::uint8_t>(i * 37 + (i >> 8));
    bool source_done = false;
    tb.run([&] {
        tlm::tlm_global_quantum::instance().set(c.decoupled ? sc_time(1, SC_US) : SC_ZERO_TIME);
        tb.cpu.write(regs::limit::offset, limit);
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask() | (c.drop ? regs::ctrl::drop_when_full.mask() : 0u));
        sc_spawn([&] {
            std::mt19937 rng(7);
            std::size_t at = 0;
            while (at < total) {
                std::size_t n = total - at, gap = 0;
                switch (c.source) {
                case source_kind::back_to_back:
                    break;
                case source_kind::chunks_of_7:
                    n = 7;
                    break;
                case source_kind::every_other_cycle:
                    n = 1;
                    gap = 1;
                    break;
                case source_kind::random_bursts:
                    n = 1 + rng() % 40;
                    gap = rng() % 30;
                    break;
                }
                n = std::min(n, total - at);
                std::vector<std::uint8_t> chunk(sent.begin() + static_cast<long>(at),
                                                sent.begin() + static_cast<long>(at + n));
                sc_time d = SC_ZERO_TIME;
                EXPECT_EQ(tb.src.push(chunk, d), tlm::TLM_OK_RESPONSE);
                wait(d + clk * static_cast<double>(gap));
                at += n;
            }
            source_done = true;
        });
        std::vector<std::uint8_t> received;
        std::mt19937 rng(11);
        std::uint32_t commands = 0;
        for (;;) {
            const std::uint32_t fill = tb.cpu.read(regs::fill::offset);
            const std::uint32_t lim = tb.cpu.read(regs::limit::offset);
            ASSERT_LE(fill, lim) << "FILL above LIMIT";
            if (std::getenv("PPB_DEBUG_STREAM"))
                std::printf("%s fill %u ingress %u\n", sc_time_stamp().to_string().c_str(), fill,
                            tb.cpu.read(regs::ingress::offset));
            const bool last = source_done && fill == tb.cpu.read(regs::fill::offset);
            std::uint32_t take = 0;
            opcode op = opcode::consume;
            switch (c.sink) {
            case sink_kind::eager:
            case sink_kind::lazy:
                take = fill;
                break;
            case sink_kind::small_shifts:
                op = opcode::shift;
                take = fill >= 8 || last ? std::min<std::uint32_t>(fill, 1 + rng() % 8) : 0;
                break;
            }
            if (take) {
                tb.cpu.command(op, op == opcode::shift ? take : 0, op == opcode::shift ? 0 : take);
                const std::uint32_t s = tb.cpu.wait_idle();
                ASSERT_EQ(regs::status::last_error.get(s), 0u);
                ++commands;
                // The consumed bytes are at 0 in the bank that just stopped being Ping.
                std::vector<std::uint8_t> got(take);
                const unsigned pong = regs::status::ping_bank.get(s) ^ 1u;
                ASSERT_EQ(tb.cpu.access(tlm::TLM_READ_COMMAND, (pong ? regs::bank1_base : regs::bank0_base), got.data(),
                                        take),
                          tlm::TLM_OK_RESPONSE);
                received.insert(received.end(), got.begin(), got.end());
            } else if (last) {
                break;
            }
            wait(clk * (c.sink == sink_kind::lazy ? 600.0 : 4.0));
        }
        const std::uint32_t dropped = tb.cpu.read(regs::dropped::offset);
        const std::uint32_t ingress = tb.cpu.read(regs::ingress::offset);
        const std::uint32_t irq = tb.cpu.read(regs::irq_status::offset);
        EXPECT_EQ(ingress, received.size());
        EXPECT_EQ(tb.cpu.read(regs::swaps::offset), commands);
        if (!c.drop) {
            EXPECT_EQ(dropped, 0u);
            EXPECT_EQ(received, sent) << "back-pressure loses nothing and keeps the order";
            EXPECT_EQ(irq & regs::irq::overflow.mask(), 0u);
        } else {
            EXPECT_EQ(received.size() + dropped, total) << "every byte is received or counted in DROPPED";
            EXPECT_TRUE(is_subsequence(received, sent)) << "what arrives keeps the order";
            EXPECT_EQ((irq & regs::irq::overflow.mask()) != 0, dropped != 0);
        }
        if (c.sink == sink_kind::lazy) {
            EXPECT_TRUE(irq & regs::irq::full.mask()) << "the lazy consumer lets Ping fill up";
        }
        const auto st = tb.dut.stats();
        EXPECT_EQ(st.stream_bytes, total);
    });
}

PPB_DEVICE_INSTANTIATE(PPB_DEVICE_SUITE(stream), stream_matrix, ::testing::ValuesIn(all_cases()),
                       [](const ::testing::TestParamInfo<stream_case>& i) { return name_of(i.param); });

// ---------------------------------------------------------------------------- the port at the timing extremes

class PPB_DEVICE_SUITE(stream) : public ::testing::TestWithParam<sc_time> {};
PPB_DEVICE_INSTANTIATE(timing, PPB_DEVICE_SUITE(stream), quanta(), quantum_name);

TEST_P(PPB_DEVICE_SUITE(stream), one_byte_per_cycle_and_threshold_irq_the_cycle_after_the_crossing_byte) {
    engine_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        tb.cpu.write(regs::threshold::offset, 50);
        tb.cpu.write(regs::irq_enable::offset, regs::irq::threshold.mask());
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
        const sc_time t0 = sc_time_stamp();
        sc_time end;
        sc_spawn([&] {  // the source runs in its own process, as a link would
            sc_time d = SC_ZERO_TIME;
            EXPECT_EQ(tb.src.push(pattern(200), d), tlm::TLM_OK_RESPONSE);
            end = sc_time_stamp() + d;
        });
        wait(tb.irq.posedge_event());
        EXPECT_EQ(cycles(sc_time_stamp() - t0), 50u) << "byte 50 moves in cycle 49; irq rises in cycle 50";
        wait(sc_time(3, SC_US));
        EXPECT_EQ(cycles(end - t0), 200u) << "one byte per cycle";
    });
}

TEST_P(PPB_DEVICE_SUITE(stream), host_source_holds_the_stream_until_ctrl_selects_it) {
    engine_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    bool stream_done = false;
    tb.run([&] {
        sc_spawn([&] {
            tb.src.push(pattern(10));
            stream_done = true;
        });
        wait(sc_time(1, SC_US));
        EXPECT_FALSE(stream_done);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 0u);
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
        wait(sc_time(1, SC_US));
        EXPECT_TRUE(stream_done);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 10u);
        EXPECT_GE(tb.dut.stats().stream_stalls, 1u);
    });
}

TEST_P(PPB_DEVICE_SUITE(stream), back_pressure_blocks_the_stream_until_the_host_consumes) {
    engine_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    bool stream_done = false;
    tb.run([&] {
        tb.cpu.write(regs::limit::offset, 100);
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
        sc_spawn([&] {
            tb.src.push(pattern(150));
            stream_done = true;
        });
        wait(sc_time(5, SC_US));
        EXPECT_FALSE(stream_done) << "the stream must wait while Ping is full";
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 100u);
        EXPECT_TRUE(regs::status::full.get(tb.cpu.read(regs::status::offset)));
        tb.cpu.command(opcode::consume, 0, 100);
        wait(sc_time(2, SC_US));
        EXPECT_TRUE(stream_done);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 50u);
        EXPECT_EQ(tb.cpu.read(regs::dropped::offset), 0u);
        const auto want = pattern(150);
        const auto bank1 = tb.cpu.dbg_bank(1, 1024);
        EXPECT_TRUE(std::equal(want.begin() + 100, want.end(), bank1.begin()));
    });
}

TEST_P(PPB_DEVICE_SUITE(stream), drop_policy_counts_dropped_and_raises_overflow) {
    engine_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        tb.cpu.write(regs::limit::offset, 64);
        tb.cpu.write(regs::irq_enable::offset, regs::irq::overflow.mask());
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask() | regs::ctrl::drop_when_full.mask());
        const sc_time t0 = sc_time_stamp();
        tb.src.push(pattern(100));
        EXPECT_EQ(cycles(sc_time_stamp() - t0), 100u) << "dropped bytes take their cycle too";
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 64u);
        EXPECT_EQ(tb.cpu.read(regs::dropped::offset), 36u);
        EXPECT_EQ(tb.cpu.read(regs::ingress::offset), 64u);
        EXPECT_TRUE(tb.irq.read());
        EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), regs::irq::overflow.mask() | regs::irq::full.mask());
    });
}

TEST_P(PPB_DEVICE_SUITE(stream), stalled_while_busy_never_dropped_and_time_says_so) {
    engine_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask() | regs::ctrl::drop_when_full.mask());
        tb.src.push(pattern(400));
        tb.cpu.write(regs::arg0::offset, 2);
        tb.cpu.write(regs::arg1::offset, 0);
        tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));  // BUSY 2 + 100 cycles
        const sc_time t0 = sc_time_stamp();  // CMD's access phase ended; BUSY is high from now
        sc_time d = SC_ZERO_TIME;
        tb.src.push(pattern(4, 99), d);  // with a quantum of 0 the port synchronises inside, byte by byte
        EXPECT_EQ(cycles(sc_time_stamp() + d - t0), 102u + 4u) << "4 bytes wait for BUSY to fall";
        wait(d);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 402u);
        EXPECT_EQ(tb.cpu.read(regs::dropped::offset), 0u);
    });
}

// ---------------------------------------------------------------------------- the port

// A byte that moves in the CMD write's access cycle counts in the residual (FILL at a+1): with the
// source offering a byte in every cycle, SHIFT in the middle of the stream loses none of them.
TEST(PPB_DEVICE_SUITE(stream), a_byte_in_the_cmd_access_cycle_is_part_of_the_residual) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
        tb.cpu.write(regs::arg0::offset, 5);
        const auto sent = pattern(100, 17);
        bool done = false;
        sc_spawn([&] {
            tb.src.push(sent);
            done = true;
        });
        wait(clk * 40.0);
        const std::uint32_t before = tb.cpu.read(regs::ingress::offset);
        tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));
        const std::uint32_t after = tb.cpu.read(regs::ingress::offset);
        // Cycle-exact on the RTL only: SPEC.md section 6 is a cycle-approximate contract that the
        // RTL meets exactly and the model annotates. The model takes a stream byte at the start of
        // its cycle in no defined order with a bus access of the same time (docs/rtl.md, fidelity),
        // so its first read may miss the byte of the read's setup cycle (it shows before + 4).
        if constexpr (engine == engine_kind::rtl) {
            EXPECT_EQ(after, before + 3) << "bytes moved in the read's access cycle and the CMD write's two cycles";
        }
        while (!done)
            wait(clk * 10.0);
        EXPECT_EQ(regs::status::last_error.get(tb.cpu.wait_idle()), 0u);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 95u);
        const auto bank1 = tb.cpu.dbg_bank(1, 1024);
        EXPECT_TRUE(std::equal(sent.begin() + 5, sent.end(), bank1.begin())) << "no byte lost around the command";
    });
}

TEST(PPB_DEVICE_SUITE(stream), stream_socket_refuses_what_it_cannot_take) {
    engine_bench tb;
    tb.run([&] {
        std::uint8_t b[4] = {};
        tlm::tlm_generic_payload tx;
        sc_time d = SC_ZERO_TIME;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_data_ptr(b);
        tx.set_data_length(4);
        tx.set_streaming_width(4);
        tb.src.socket->b_transport(tx, d);
        EXPECT_EQ(tx.get_response_status(), tlm::TLM_COMMAND_ERROR_RESPONSE);
        const unsigned char be[1] = {0xFF};
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_byte_enable_ptr(const_cast<unsigned char*>(be));
        tx.set_byte_enable_length(1);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);  // a reused payload starts anew
        tb.src.socket->b_transport(tx, d);
        EXPECT_EQ(tx.get_response_status(), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        tx.set_byte_enable_ptr(nullptr);
        tx.set_data_length(0);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        tb.stream_check.set_enabled(check::tlm_rule::data_length_zero, false);  // on purpose
        tb.src.socket->b_transport(tx, d);
        EXPECT_EQ(tx.get_response_status(), tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 0u);
        EXPECT_EQ(tb.src.socket->transport_dbg(tx), 0u);
    });
}

}  // namespace
}  // namespace ppb::test
