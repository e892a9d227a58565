// Tests of the SystemC/TLM-2.0 model through its sockets: responses to bad input, timing in
// simulated time, the irq pin, DMI, the debug transport and the stream port's stalls.
// Each test is its own process (one elaboration per process). Both sockets go through the
// base-protocol checker (check/tlm_lt_checker.hpp): a violation fails the test. The stream and
// interrupt scenarios run at both timing extremes, global quantum 0 and 1 ms.
#include "check/tlm_lt_checker.hpp"
#include "model/ppb_model.hpp"
#include "testbench/harness/sim_bench.hpp"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace ppb::model {
namespace {

using namespace sc_core;
using regs::opcode;

constexpr std::uint32_t cap = 1024;
const sc_time clk(10, SC_NS);

class model_bench : public test::sim_bench {
public:
    tlm_utils::simple_initiator_socket<model_bench, 32> cpu{"cpu"};
    tlm_utils::simple_initiator_socket<model_bench, 32> src{"src"};
    sc_signal<bool> irq{"irq"};
    check::tlm_lt_checker bus_check{"bus_check"};
    check::tlm_lt_checker stream_check{"stream_check"};
    ppb_model dut;
    std::vector<std::pair<sc_dt::uint64, sc_dt::uint64>> invalidations;

    explicit model_bench(const sc_module_name& n = "tb", std::uint32_t capacity = cap)
        : sim_bench(n), dut("dut", capacity, clk) {
        cpu.bind(bus_check.target);
        bus_check.initiator.bind(dut.bus);
        src.bind(stream_check.target);
        stream_check.initiator.bind(dut.stream);
        dut.irq.bind(irq);
        // transport_dbg must leave every register and both banks as they were; the banks are plain RAM.
        for (const auto& r : regs::all_regs)
            bus_check.watch(r.offset, 4);
        for (const std::uint32_t base : {regs::bank0_base, regs::bank1_base}) {
            bus_check.watch(base, capacity);
            bus_check.add_memory(base, base + capacity - 1);
        }
        cpu.register_invalidate_direct_mem_ptr(this, &model_bench::invalidate);
    }

    // One bus transaction at the current time (synchronised: waits for its annotated delay).
    tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t addr, void* data, unsigned len,
                                    const unsigned char* be = nullptr, unsigned be_len = 0, unsigned sw = 0) {
        const auto r = access_at(cmd, addr, data, len, SC_ZERO_TIME, be, be_len, sw);
        wait(last_delay);
        return r;
    }
    // One bus transaction at local time now + `ahead`, not synchronised afterwards.
    tlm::tlm_response_status access_at(tlm::tlm_command cmd, std::uint64_t addr, void* data, unsigned len,
                                       const sc_time& ahead, const unsigned char* be = nullptr,
                                       unsigned be_len = 0, unsigned sw = 0) {
        tlm::tlm_generic_payload tx;
        sc_time d = ahead;
        tx.set_command(cmd);
        tx.set_address(addr);
        tx.set_data_ptr(static_cast<unsigned char*>(data));
        tx.set_data_length(len);
        tx.set_streaming_width(sw ? sw : len);
        tx.set_byte_enable_ptr(const_cast<unsigned char*>(be));
        tx.set_byte_enable_length(be_len);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        cpu->b_transport(tx, d);
        last_delay = d - ahead;
        return tx.get_response_status();
    }
    std::uint32_t read(std::uint32_t off) {
        std::uint32_t v = 0;
        EXPECT_EQ(access(tlm::TLM_READ_COMMAND, off, &v, 4), tlm::TLM_OK_RESPONSE) << "read " << off;
        return v;
    }
    void write(std::uint32_t off, std::uint32_t v) {
        EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, off, &v, 4), tlm::TLM_OK_RESPONSE) << "write " << off;
    }
    void command(opcode op, std::uint32_t a0 = 0, std::uint32_t a1 = 0) {
        write(regs::arg0::offset, a0);
        write(regs::arg1::offset, a1);
        write(regs::cmd::offset, static_cast<std::uint32_t>(op));
    }
    tlm::tlm_response_status push(const std::vector<std::uint8_t>& bytes, sc_time& d) {
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_data_ptr(const_cast<unsigned char*>(bytes.data()));
        tx.set_data_length(static_cast<unsigned>(bytes.size()));
        tx.set_streaming_width(static_cast<unsigned>(bytes.size()));
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        src->b_transport(tx, d);
        return tx.get_response_status();
    }
    void push(const std::vector<std::uint8_t>& bytes) {
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(push(bytes, d), tlm::TLM_OK_RESPONSE);
        wait(d);
    }
    // Every register (through the side-effect-free debug path) and both banks.
    std::vector<std::uint32_t> state() {
        std::vector<std::uint32_t> s;
        for (const auto& r : regs::all_regs)
            s.push_back(dbg_read32(r.offset));
        for (unsigned b = 0; b < 2; ++b)
            for (std::uint32_t i = 0; i < dut.capacity(); ++i)
                s.push_back(dut.core().bank(b)[i]);
        return s;
    }
    std::uint32_t dbg_read32(std::uint32_t off) {
        std::uint32_t v = 0;
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(off);
        tx.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
        tx.set_data_length(4);
        EXPECT_EQ(cpu->transport_dbg(tx), 4u) << "debug read of " << off;
        return v;
    }

    sc_time last_delay;

private:
    void invalidate(sc_dt::uint64 a, sc_dt::uint64 b) { invalidations.emplace_back(a, b); }
};

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed = 3) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(seed + i * 29);
    return v;
}

std::uint64_t cycles(const sc_time& t) {
    return static_cast<std::uint64_t>(t / clk);
}

// ---------------------------------------------------------------------------- bad input

TEST(model_bus, every_bad_access_gets_its_error_and_changes_nothing) {
    model_bench tb;
    tb.run([&] {
        tb.write(regs::ctrl::offset, regs::ctrl::drop_when_full.mask());  // a non-reset state to protect
        tb.write(regs::threshold::offset, 77);
        std::vector<std::uint8_t> buf(2 * cap + 16, 0xEE);
        const unsigned char be_partial[4] = {0xFF, 0xFF, 0x00, 0xFF};
        struct bad {
            const char* what;
            tlm::tlm_command cmd;
            std::uint64_t addr;
            unsigned len;
            const unsigned char* be;
            tlm::tlm_response_status want;
        };
        const bad cases[] = {
            {"unmapped register", tlm::TLM_WRITE_COMMAND, regs::irq_test::offset + 4, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"gap after registers", tlm::TLM_WRITE_COMMAND, regs::regs_size + 0x100, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"gap between banks", tlm::TLM_WRITE_COMMAND, regs::bank0_base + cap + 8, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"past BANK1", tlm::TLM_WRITE_COMMAND, regs::bank1_base + cap, 1, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"beyond 22 bits", tlm::TLM_WRITE_COMMAND, std::uint64_t{1} << regs::addr_bits, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"byte write to a register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, 1, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
            {"half-word read of a register", tlm::TLM_READ_COMMAND, regs::fill::offset, 2, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
            {"two registers in one burst", tlm::TLM_WRITE_COMMAND, regs::arg0::offset, 8, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
            {"misaligned register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset + 2, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"partial byte enables on a register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, 4, be_partial, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE},
            {"bank burst past CAPACITY", tlm::TLM_WRITE_COMMAND, regs::bank0_base + 8, cap, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"oversized burst", tlm::TLM_WRITE_COMMAND, regs::bank1_base, cap + 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"burst across windows", tlm::TLM_WRITE_COMMAND, regs::bank1_base - 4, 8, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"register window into the gap", tlm::TLM_WRITE_COMMAND, regs::regs_size - 4, 8, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"zero-length bank burst", tlm::TLM_WRITE_COMMAND, regs::bank0_base, 0, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
            {"zero-length register access", tlm::TLM_READ_COMMAND, regs::fill::offset, 0, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
        };
        // The zero-length cases break an initiator rule on purpose, to see the target refuse them.
        tb.bus_check.set_enabled(check::tlm_rule::data_length_zero, false);
        tb.bus_check.set_enabled(check::tlm_rule::streaming_width_zero, false);
        for (const auto& k : cases) {
            const auto before = tb.state();
            const sc_time t0 = sc_time_stamp();
            EXPECT_EQ(tb.access(k.cmd, k.addr, buf.data(), k.len, k.be, k.be ? 4 : 0), k.want) << k.what;
            EXPECT_EQ(tb.state(), before) << k.what << " changed state";
            EXPECT_EQ(sc_time_stamp() - t0, clk * 2.0) << k.what << ": an error still takes its APB transfer";
        }
        EXPECT_EQ(tb.dut.stats().bus_errors, std::size(cases));
    });
}

TEST(model_bus, ignore_command_and_register_byte_enables_all_on) {
    model_bench tb;
    tb.run([&] {
        std::uint32_t v = 0x1234;
        EXPECT_EQ(tb.access(tlm::TLM_IGNORE_COMMAND, regs::threshold::offset, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.read(regs::threshold::offset), 0u);
        const unsigned char all_on[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        EXPECT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, regs::threshold::offset, &v, 4, all_on, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.read(regs::threshold::offset), 0x1234u);
    });
}

TEST(model_bus, bank_byte_enables_and_streaming_width_are_honoured) {
    model_bench tb;
    tb.run([&] {
        std::vector<std::uint8_t> ones(8, 0x11), data = pattern(8);
        ASSERT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, ones.data(), 8), tlm::TLM_OK_RESPONSE);
        const unsigned char be[2] = {0xFF, 0x00};  // every other byte, repeated over the burst
        ASSERT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, data.data(), 8, be, 2), tlm::TLM_OK_RESPONSE);
        const std::uint8_t* bank = tb.dut.core().bank(0);
        for (unsigned i = 0; i < 8; ++i)
            EXPECT_EQ(bank[i], i % 2 ? 0x11 : data[i]) << i;
        // Streaming width 2: the 8 bytes land on the same two addresses, the last pair wins.
        ASSERT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, regs::bank1_base + 4, data.data(), 8, nullptr, 0, 2), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.dut.core().bank(1)[4], data[6]);
        EXPECT_EQ(tb.dut.core().bank(1)[5], data[7]);
        EXPECT_EQ(tb.dut.core().bank(1)[6], 0);
    });
}

// Scenarios that run at both timing extremes: a global quantum of 0 (every access synchronises)
// and of 1 ms (the stream and the CPU run far ahead of SystemC's time). Interrupts must arrive and
// polling must end in both.
class model_scenario : public ::testing::TestWithParam<sc_time> {};
INSTANTIATE_TEST_SUITE_P(quantum, model_scenario, ::testing::Values(SC_ZERO_TIME, sc_time(1, SC_MS)),
                         [](const auto& p) { return p.param == SC_ZERO_TIME ? std::string("q0") : std::string("q1ms"); });

// ---------------------------------------------------------------------------- timing

TEST(model_timing, register_access_takes_two_cycles_and_bursts_two_per_word_touched) {
    model_bench tb;
    tb.run([&] {
        tb.read(regs::id::offset);
        EXPECT_EQ(tb.last_delay, clk * 2.0);
        std::vector<std::uint8_t> buf(64);
        struct burst {
            std::uint32_t offset, len, words;
        };
        for (const burst b : {burst{0, 1, 1}, {3, 1, 1}, {3, 2, 2}, {0, 4, 1}, {1, 4, 2}, {0, 64, 16}, {2, 63, 17}, {1, 7, 2}}) {
            ASSERT_EQ(tb.access(tlm::TLM_READ_COMMAND, regs::bank1_base + b.offset, buf.data(), b.len), tlm::TLM_OK_RESPONSE);
            EXPECT_EQ(tb.last_delay, clk * (2.0 * b.words)) << b.offset << "+" << b.len;
        }
    });
}

TEST(model_timing, busy_seen_through_the_bus_lasts_the_spec_formula) {
    model_bench tb;
    tb.run([&] {
        std::vector<std::uint32_t> residuals = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, cap - 16};
        for (std::uint32_t align = 0; align < 4; ++align) {
            for (std::uint32_t r : residuals) {
                const std::uint32_t start = 8 + align;
                auto data = pattern(start + r);
                tb.command(opcode::reset);
                ASSERT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base + 0, data.data(), start + r), tlm::TLM_OK_RESPONSE);
                // Make bank 0 Ping again if the last command left bank 1 there.
                if (regs::status::ping_bank.get(tb.read(regs::status::offset))) {
                    tb.command(opcode::shift, 0);
                    while (regs::status::busy.get(tb.read(regs::status::offset)))
                        ;
                    tb.command(opcode::reset);
                }
                tb.command(opcode::commit, 0, start + r);
                tb.write(regs::arg0::offset, start);
                const sc_time t_cmd = sc_time_stamp();
                tb.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));
                const std::uint64_t n = r == 0 ? 1 : 2 + (start % 4 + r + 3) / 4;
                // Probe STATUS with reads annotated to start k cycles after the CMD write started,
                // without synchronising (as a decoupled initiator would): the CMD write's access
                // phase is cycle 1, BUSY covers cycles 2 .. n+1, and a read starting at k has its
                // access phase in cycle k+1. The bus is free again from k = 2.
                std::uint64_t first_idle = 0;
                bool seen_busy = false;
                for (std::uint64_t k = 2; k <= n + 3 && !first_idle; ++k) {
                    const sc_time ahead = t_cmd + clk * static_cast<double>(k) - sc_time_stamp();
                    std::uint32_t s = 0;
                    ASSERT_EQ(tb.access_at(tlm::TLM_READ_COMMAND, regs::status::offset, &s, 4, ahead), tlm::TLM_OK_RESPONSE);
                    seen_busy |= regs::status::busy.get(s) != 0;
                    if (!regs::status::busy.get(s))
                        first_idle = k + 1;
                }
                EXPECT_EQ(seen_busy, n > 1) << "r " << r << " s " << start;
                EXPECT_EQ(first_idle, n + 2) << "r " << r << " s " << start;
                wait(t_cmd + clk * static_cast<double>(n + 4) - sc_time_stamp());
                EXPECT_EQ(tb.read(regs::fill::offset), r);
            }
        }
    });
}

TEST_P(model_scenario, cmd_done_and_irq_rise_at_the_end_of_busy_in_simulated_time) {
    model_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        auto data = pattern(300);
        ASSERT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, data.data(), 300), tlm::TLM_OK_RESPONSE);
        tb.command(opcode::commit, 0, 300);
        tb.write(regs::irq_status::offset, regs::irq::all);
        tb.write(regs::irq_enable::offset, regs::irq::cmd_done.mask());
        tb.write(regs::arg0::offset, 1);
        const sc_time t_cmd = sc_time_stamp();
        tb.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));
        EXPECT_FALSE(tb.irq.read());
        wait(tb.irq.posedge_event());
        const std::uint64_t n = 2 + (1 + 299 + 3) / 4;
        EXPECT_EQ(cycles(sc_time_stamp() - t_cmd), 2 + n) << "setup, access, then n BUSY cycles";
        EXPECT_EQ(tb.read(regs::fill::offset), 299u);
        tb.write(regs::irq_status::offset, regs::irq::cmd_done.mask());
        wait(clk);
        EXPECT_FALSE(tb.irq.read());
    });
}

TEST(model_timing, a_bank_read_after_busy_sees_the_copy_without_a_register_access_first) {
    model_bench tb;
    tb.run([&] {
        auto data = pattern(64);
        ASSERT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, data.data(), 64), tlm::TLM_OK_RESPONSE);
        tb.command(opcode::commit, 0, 64);
        tb.write(regs::arg0::offset, 4);
        tb.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));  // 60 bytes to bank 1
        // Read bank 1 right after the copy's end, annotated ahead of SystemC time, with no register
        // access in between.
        std::vector<std::uint8_t> back(60);
        const sc_time ahead = clk * (2.0 + 15.0 + 1.0);
        ASSERT_EQ(tb.access_at(tlm::TLM_READ_COMMAND, regs::bank1_base, back.data(), 60, ahead), tlm::TLM_OK_RESPONSE);
        EXPECT_TRUE(std::equal(back.begin(), back.end(), data.begin() + 4));
    });
}

// ---------------------------------------------------------------------------- irq and stream

TEST_P(model_scenario, threshold_irq_rises_the_cycle_after_the_crossing_byte) {
    model_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        tb.write(regs::threshold::offset, 50);
        tb.write(regs::irq_enable::offset, regs::irq::threshold.mask());
        tb.write(regs::ctrl::offset, regs::ctrl::source.mask());
        const sc_time t0 = sc_time_stamp();
        sc_time end;
        sc_spawn([&] {  // the source runs in its own process, as a link would
            sc_time d = SC_ZERO_TIME;
            EXPECT_EQ(tb.push(pattern(200), d), tlm::TLM_OK_RESPONSE);
            end = sc_time_stamp() + d;
        });
        wait(tb.irq.posedge_event());
        EXPECT_EQ(cycles(sc_time_stamp() - t0), 50u) << "byte 50 moves in cycle 49; irq rises in cycle 50";
        wait(sc_time(3, SC_US));
        EXPECT_EQ(cycles(end - t0), 200u) << "one byte per cycle";
    });
}

TEST(model_stream, irq_raised_by_a_stream_behind_the_cpus_local_time_is_not_lost) {
    // The CPU runs 2 us ahead (decoupled) and clears IRQ_STATUS there; then the stream, at SystemC's
    // time, crosses THRESHOLD. In time order the crossing comes first, in processing order last: the
    // line must end up high, because IRQ_STATUS holds THRESHOLD.
    model_bench tb;
    tb.run([&] {
        tlm::tlm_global_quantum::instance().set(sc_time(5, SC_US));
        tb.write(regs::threshold::offset, 20);
        tb.write(regs::irq_enable::offset, regs::irq::threshold.mask());
        tb.write(regs::ctrl::offset, regs::ctrl::source.mask());
        tb.write(regs::irq_test::offset, regs::irq::threshold.mask());  // the line is high before the clear
        wait(clk);
        ASSERT_TRUE(tb.irq.read());
        std::uint32_t all = regs::irq::all;
        ASSERT_EQ(tb.access_at(tlm::TLM_WRITE_COMMAND, regs::irq_status::offset, &all, 4, sc_time(2, SC_US)),
                  tlm::TLM_OK_RESPONSE);
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(tb.push(pattern(40), d), tlm::TLM_OK_RESPONSE);
        wait(sc_time(3, SC_US));
        EXPECT_TRUE(tb.dut.core().irq_status() & regs::irq::threshold.mask());
        EXPECT_TRUE(tb.irq.read()) << "the interrupt was lost";
    });
}

TEST_P(model_scenario, irq_follows_status_and_enable_for_every_bit) {
    model_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        for (const auto f : {regs::irq::threshold, regs::irq::full, regs::irq::overflow, regs::irq::cmd_done,
                             regs::irq::cmd_error}) {
            tb.write(regs::irq_test::offset, f.mask());
            wait(clk);
            EXPECT_FALSE(tb.irq.read()) << "disabled bit " << f.lsb;
            tb.write(regs::irq_enable::offset, f.mask());
            wait(SC_ZERO_TIME);
            EXPECT_TRUE(tb.irq.read()) << "enabled bit " << f.lsb;
            tb.write(regs::irq_status::offset, f.mask());
            wait(SC_ZERO_TIME);
            EXPECT_FALSE(tb.irq.read()) << "cleared bit " << f.lsb;
            tb.write(regs::irq_enable::offset, 0);
        }
    });
}

TEST_P(model_scenario, back_pressure_blocks_the_stream_until_the_host_consumes) {
    model_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    sc_time resumed;
    bool stream_done = false;
    tb.run([&] {
        tb.write(regs::limit::offset, 100);
        tb.write(regs::ctrl::offset, regs::ctrl::source.mask());
        sc_spawn([&] {
            tb.push(pattern(150));
            resumed = sc_time_stamp();
            stream_done = true;
        });
        wait(sc_time(5, SC_US));
        EXPECT_FALSE(stream_done) << "the stream must wait while Ping is full";
        EXPECT_EQ(tb.read(regs::fill::offset), 100u);
        EXPECT_TRUE(regs::status::full.get(tb.read(regs::status::offset)));
        tb.command(opcode::consume, 0, 100);
        wait(sc_time(2, SC_US));
        EXPECT_TRUE(stream_done);
        EXPECT_EQ(tb.read(regs::fill::offset), 50u);
        EXPECT_EQ(tb.read(regs::dropped::offset), 0u);
        const auto want = pattern(150);
        EXPECT_TRUE(std::equal(want.begin() + 100, want.end(), tb.dut.core().bank(1)));
    });
}

TEST_P(model_scenario, host_source_holds_the_stream_until_ctrl_selects_it) {
    model_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    bool stream_done = false;
    tb.run([&] {
        sc_spawn([&] {
            tb.push(pattern(10));
            stream_done = true;
        });
        wait(sc_time(1, SC_US));
        EXPECT_FALSE(stream_done);
        EXPECT_EQ(tb.read(regs::fill::offset), 0u);
        tb.write(regs::ctrl::offset, regs::ctrl::source.mask());
        wait(sc_time(1, SC_US));
        EXPECT_TRUE(stream_done);
        EXPECT_EQ(tb.read(regs::fill::offset), 10u);
    });
}

TEST_P(model_scenario, drop_policy_counts_dropped_and_raises_overflow) {
    model_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        tb.write(regs::limit::offset, 64);
        tb.write(regs::irq_enable::offset, regs::irq::overflow.mask());
        tb.write(regs::ctrl::offset, regs::ctrl::source.mask() | regs::ctrl::drop_when_full.mask());
        tb.push(pattern(100));
        EXPECT_EQ(tb.read(regs::fill::offset), 64u);
        EXPECT_EQ(tb.read(regs::dropped::offset), 36u);
        EXPECT_EQ(tb.read(regs::ingress::offset), 64u);
        EXPECT_TRUE(tb.irq.read());
        EXPECT_EQ(tb.read(regs::irq_status::offset), regs::irq::overflow.mask() | regs::irq::full.mask());
    });
}

TEST_P(model_scenario, stream_is_stalled_while_busy_and_time_says_so) {
    model_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        tb.write(regs::ctrl::offset, regs::ctrl::source.mask());
        tb.push(pattern(400));
        tb.write(regs::arg0::offset, 2);
        tb.write(regs::arg1::offset, 0);
        tb.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));  // BUSY 2 + 100 cycles
        const sc_time t0 = sc_time_stamp();  // CMD's access phase ended; BUSY is high from now
        sc_time d = SC_ZERO_TIME;
        tb.push(pattern(4), d);  // with a quantum of 0 the port synchronises inside, byte by byte
        EXPECT_EQ(cycles(sc_time_stamp() + d - t0), 102u + 4u) << "4 bytes wait for BUSY to fall";
        wait(d);
        EXPECT_EQ(tb.read(regs::fill::offset), 402u);
    });
}

TEST(model_stream, stream_socket_refuses_what_it_cannot_take) {
    model_bench tb;
    tb.run([&] {
        std::uint8_t b[4] = {};
        tlm::tlm_generic_payload tx;
        sc_time d = SC_ZERO_TIME;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_data_ptr(b);
        tx.set_data_length(4);
        tx.set_streaming_width(4);
        tb.src->b_transport(tx, d);
        EXPECT_EQ(tx.get_response_status(), tlm::TLM_COMMAND_ERROR_RESPONSE);
        const unsigned char be[1] = {0xFF};
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_byte_enable_ptr(const_cast<unsigned char*>(be));
        tx.set_byte_enable_length(1);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);  // a reused payload starts anew
        tb.src->b_transport(tx, d);
        EXPECT_EQ(tx.get_response_status(), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        tx.set_byte_enable_ptr(nullptr);
        tx.set_data_length(0);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        tb.stream_check.set_enabled(check::tlm_rule::data_length_zero, false);  // on purpose
        tb.src->b_transport(tx, d);
        EXPECT_EQ(tx.get_response_status(), tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(tb.read(regs::fill::offset), 0u);
    });
}

// ---------------------------------------------------------------------------- DMI and debug

TEST(model_dmi, granted_for_each_bank_window_and_coherent_with_b_transport) {
    model_bench tb;
    tb.run([&] {
        for (const std::uint32_t base : {regs::bank0_base, regs::bank1_base}) {
            tlm::tlm_generic_payload tx;
            tlm::tlm_dmi dmi;
            tx.set_address(base + 17);
            tx.set_command(tlm::TLM_READ_COMMAND);
            ASSERT_TRUE(tb.cpu->get_direct_mem_ptr(tx, dmi));
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
            ASSERT_EQ(tb.access(tlm::TLM_READ_COMMAND, base, back.data(), cap), tlm::TLM_OK_RESPONSE);
            EXPECT_EQ(back, a);
            // Bus write, DMI read.
            const auto b = pattern(40, 99);
            std::vector<std::uint8_t> w = b;
            ASSERT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, base + cap - 40, w.data(), 40), tlm::TLM_OK_RESPONSE);
            EXPECT_TRUE(std::equal(b.begin(), b.end(), p + cap - 40));
        }
    });
}

TEST(model_dmi, refused_outside_banks_and_invalidated_when_withdrawn) {
    model_bench tb;
    tb.run([&] {
        tlm::tlm_generic_payload tx;
        tlm::tlm_dmi dmi;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(regs::fill::offset);
        EXPECT_FALSE(tb.cpu->get_direct_mem_ptr(tx, dmi));
        EXPECT_TRUE(dmi.is_none_allowed());
        EXPECT_LE(dmi.get_start_address(), regs::fill::offset);
        EXPECT_GE(dmi.get_end_address(), regs::fill::offset);
        tlm::tlm_dmi gap;
        tx.set_address(regs::bank0_base + cap + 4);
        EXPECT_FALSE(tb.cpu->get_direct_mem_ptr(tx, gap));
        tlm::tlm_dmi ok;
        tx.set_address(regs::bank1_base);
        ASSERT_TRUE(tb.cpu->get_direct_mem_ptr(tx, ok));
        EXPECT_TRUE(tb.invalidations.empty());
        tb.dut.set_dmi_allowed(false);
        ASSERT_EQ(tb.invalidations.size(), 1u);
        EXPECT_LE(tb.invalidations[0].first, regs::bank0_base);
        EXPECT_GE(tb.invalidations[0].second, regs::bank1_base + cap - 1);
        tlm::tlm_dmi again;
        EXPECT_FALSE(tb.cpu->get_direct_mem_ptr(tx, again));
        std::uint8_t byte = 0;
        tlm::tlm_generic_payload rd;
        sc_time d = SC_ZERO_TIME;
        rd.set_command(tlm::TLM_READ_COMMAND);
        rd.set_address(regs::bank1_base);
        rd.set_data_ptr(&byte);
        rd.set_data_length(1);
        rd.set_streaming_width(1);
        tb.cpu->b_transport(rd, d);
        EXPECT_FALSE(rd.is_dmi_allowed());
    });
}

TEST(model_dbg, register_reads_have_no_side_effects_and_banks_load_through_it) {
    model_bench tb;
    tb.run([&] {
        tb.write(regs::irq_test::offset, regs::irq::cmd_done.mask());
        const auto before = tb.state();
        EXPECT_EQ(tb.dbg_read32(regs::irq_status::offset), regs::irq::cmd_done.mask());
        EXPECT_EQ(tb.dbg_read32(regs::id::offset), regs::block_id);
        EXPECT_EQ(tb.state(), before);
        EXPECT_EQ(sc_time_stamp(), sc_time_stamp());
        // Register writes are refused through the debug path.
        std::uint32_t v = 0xFFFFFFFF;
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_address(regs::irq_status::offset);
        tx.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
        tx.set_data_length(4);
        EXPECT_EQ(tb.cpu->transport_dbg(tx), 0u);
        EXPECT_EQ(tb.dbg_read32(regs::irq_status::offset), regs::irq::cmd_done.mask());
        // Backdoor load and read-back of a bank.
        auto data = pattern(100);
        tx.set_address(regs::bank1_base + 10);
        tx.set_data_ptr(data.data());
        tx.set_data_length(100);
        EXPECT_EQ(tb.cpu->transport_dbg(tx), 100u);
        std::vector<std::uint8_t> back(100);
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_data_ptr(back.data());
        EXPECT_EQ(tb.cpu->transport_dbg(tx), 100u);
        EXPECT_EQ(back, data);
        tx.set_address(regs::bank1_base + cap - 10);
        EXPECT_EQ(tb.cpu->transport_dbg(tx), 0u) << "past CAPACITY";
    });
}

// ---------------------------------------------------------------------------- construction, trace

TEST(model_misc, bad_parameters_are_refused_at_construction) {
    EXPECT_THROW(ppb_model("bad_capacity", 1000 + 2), std::invalid_argument);
    EXPECT_THROW(ppb_model("zero_clock", 1024, SC_ZERO_TIME), std::invalid_argument);
}

TEST(model_misc, vcd_trace_has_the_signals_a_person_debugs_with) {
    const std::string base = ::testing::TempDir() + "ppb_model_trace";
    {
        model_bench tb;
        sc_trace_file* tf = sc_create_vcd_trace_file(base.c_str());
        tb.dut.trace(tf);
        tb.run([&] {
            tb.write(regs::ctrl::offset, regs::ctrl::source.mask());
            tb.push(pattern(64));
            tb.command(opcode::consume, 0, 10);
            wait(sc_time(1, SC_US));
        });
        sc_close_vcd_trace_file(tf);
    }
    std::ifstream in(base + ".vcd");
    ASSERT_TRUE(in) << base << ".vcd";
    std::stringstream ss;
    ss << in.rdbuf();
    for (const char* sig : {"FILL", "LIMIT", "PING_BANK", "BUSY", "CMD", "irq"})
        EXPECT_NE(ss.str().find(sig), std::string::npos) << sig;
    std::remove((base + ".vcd").c_str());
}

TEST(model_misc, hard_reset_restores_registers_and_keeps_ram) {
    model_bench tb;
    tb.run([&] {
        tb.write(regs::ctrl::offset, regs::ctrl::source.mask());
        tb.push(pattern(50));
        tb.command(opcode::shift, 1);
        tb.dut.hard_reset();
        for (const auto& r : regs::all_regs) {
            const std::uint32_t want = r.access == regs::access::wo ? 0
                                       : r.reset_from == regs::reset_kind::capacity ? cap : r.reset;
            EXPECT_EQ(tb.read(r.offset), want) << r.name;
        }
        const auto want = pattern(50);
        EXPECT_TRUE(std::equal(want.begin(), want.end(), tb.dut.core().bank(0)));
    });
}

}  // namespace
}  // namespace ppb::model
