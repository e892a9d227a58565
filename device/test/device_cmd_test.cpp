// A PPB's commands through the bus, on either engine: every command and every refusal, the copy's
// results for every alignment (and only the residual's bytes written), and BUSY's length against
// SPEC.md section 6's formula, probed with STATUS reads annotated at local times.
#include "device/test/device_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <ostream>
#include <string>

namespace ppb::test {
namespace {

using namespace sc_core;

std::uint32_t spec_cycles(std::uint32_t s, std::uint32_t r) {
    return r == 0 ? 1 : 2 + (s % 4 + r + 3) / 4;  // SPEC.md section 6, written out independently
}

unsigned ping_bank(engine_bench& tb) {
    return regs::status::ping_bank.get(tb.cpu.read(regs::status::offset));
}

// Empties Ping, loads `bytes` into it through the debug path and COMMITs them.
void load_ping(engine_bench& tb, const std::vector<std::uint8_t>& bytes) {
    tb.cpu.command(opcode::reset);
    tb.cpu.wait_idle();
    if (!bytes.empty())
        tb.cpu.dbg_load(ping_bank(tb), 0, bytes);
    tb.cpu.command(opcode::commit, 0, static_cast<std::uint32_t>(bytes.size()));
    ASSERT_EQ(regs::status::last_error.get(tb.cpu.wait_idle()), static_cast<std::uint32_t>(regs::error::ok));
}

std::vector<std::uint8_t> ping(engine_bench& tb) {
    const auto bank = tb.cpu.dbg_bank(ping_bank(tb), tb.dut.capacity());
    return {bank.begin(), bank.begin() + tb.cpu.read(regs::fill::offset)};
}

regs::error last_error(std::uint32_t status) {
    return static_cast<regs::error>(regs::status::last_error.get(status));
}

// ---------------------------------------------------------------------------- results

TEST(PPB_DEVICE_SUITE(cmd), reset_empties_ping_and_moves_nothing) {
    engine_bench tb;
    tb.run([&] {
        load_ping(tb, pattern(50));
        const auto before = tb.cpu.dbg_bank(0, 1024);
        tb.cpu.write(regs::irq_status::offset, regs::irq::all);
        tb.cpu.command(opcode::reset);
        EXPECT_EQ(last_error(tb.cpu.wait_idle()), regs::error::ok);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 0u);
        EXPECT_EQ(ping_bank(tb), 0u);
        EXPECT_EQ(tb.cpu.read(regs::swaps::offset), 0u);
        EXPECT_EQ(tb.cpu.dbg_bank(0, 1024), before);
        EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), regs::irq::cmd_done.mask());
    });
}

TEST(PPB_DEVICE_SUITE(cmd), commit_adds_to_fill_and_fires_threshold_and_full) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::limit::offset, 30);
        tb.cpu.write(regs::threshold::offset, 10);
        for (const auto& [n, irq] :
             {std::pair{7u, 0u}, {0u, 0u}, {9u, regs::irq::threshold.mask()}, {14u, regs::irq::full.mask()}}) {
            tb.cpu.write(regs::irq_status::offset, regs::irq::all);
            tb.cpu.command(opcode::commit, 0, n);
            EXPECT_EQ(last_error(tb.cpu.wait_idle()), regs::error::ok);
            EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), irq | regs::irq::cmd_done.mask()) << "COMMIT " << n;
        }
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 30u);
        EXPECT_TRUE(regs::status::full.get(tb.cpu.read(regs::status::offset)));
        EXPECT_EQ(tb.cpu.read(regs::swaps::offset), 0u);
    });
}

// SHIFT and CONSUME for every alignment of start and end: the residual lands at 0 in the other
// bank, the banks swap, the old Ping is untouched and the other bank's bytes past the residual too.
TEST(PPB_DEVICE_SUITE(cmd), shift_and_consume_copy_only_the_residual_for_every_alignment) {
    engine_bench tb;
    tb.run([&] {
        std::uint8_t seed = 1;
        for (const auto op : {opcode::shift, opcode::consume}) {
            for (std::uint32_t fill : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 13u, 16u, 31u, 64u, 1024u}) {
                for (std::uint32_t start = 0; start <= fill; start += fill > 16 ? fill / 9 + 1 : 1) {
                    const auto data = pattern(fill, seed++);
                    load_ping(tb, data);
                    const unsigned from = ping_bank(tb);
                    // Fill the other bank with a marker, to see exactly what the copy writes.
                    tb.cpu.dbg_load(from ^ 1u, 0, std::vector<std::uint8_t>(1024, 0xC3));
                    const auto old_ping = tb.cpu.dbg_bank(from, 1024);
                    const std::uint32_t swaps = tb.cpu.read(regs::swaps::offset);
                    if (op == opcode::shift)
                        tb.cpu.command(op, start);
                    else
                        tb.cpu.command(op, start / 2, start - start / 2);
                    ASSERT_EQ(last_error(tb.cpu.wait_idle()), regs::error::ok) << fill << " " << start;
                    const std::uint32_t r = fill - start;
                    EXPECT_EQ(tb.cpu.read(regs::fill::offset), r);
                    EXPECT_EQ(ping_bank(tb), from ^ 1u);
                    EXPECT_EQ(tb.cpu.read(regs::swaps::offset), swaps + 1);
                    const auto now_ping = tb.cpu.dbg_bank(from ^ 1u, 1024);
                    std::vector<std::uint8_t> want(1024, 0xC3);
                    std::copy(data.begin() + start, data.end(), want.begin());
                    EXPECT_EQ(now_ping, want) << "fill " << fill << " start " << start;
                    EXPECT_EQ(tb.cpu.dbg_bank(from, 1024), old_ping) << "the old Ping changed";
                }
            }
        }
    });
}

TEST(PPB_DEVICE_SUITE(cmd), consume_leaves_the_packet_in_pong_and_banks_keep_alternating) {
    engine_bench tb;
    tb.run([&] {
        const auto data = pattern(200);
        load_ping(tb, data);
        tb.cpu.command(opcode::consume, 30, 100);
        EXPECT_EQ(last_error(tb.cpu.wait_idle()), regs::error::ok);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 70u);
        EXPECT_EQ(ping(tb), std::vector<std::uint8_t>(data.begin() + 130, data.end()));
        const auto pong = tb.cpu.dbg_bank(ping_bank(tb) ^ 1u, 1024);
        EXPECT_TRUE(std::equal(data.begin() + 30, data.begin() + 130, pong.begin() + 30));
        tb.cpu.command(opcode::consume, 0, 70);
        EXPECT_EQ(last_error(tb.cpu.wait_idle()), regs::error::ok);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 0u);
        EXPECT_EQ(ping_bank(tb), 0u);
        EXPECT_EQ(tb.cpu.read(regs::swaps::offset), 2u);
    });
}

TEST(PPB_DEVICE_SUITE(cmd), every_refusal_sets_last_error_and_cmd_error_and_changes_nothing) {
    struct refusal {
        const char* what;
        bool stream;
        std::uint32_t op, a0, a1;
        regs::error want;
    };
    const refusal cases[] = {
        {"opcode 0", false, 0, 0, 0, regs::error::bad_opcode},
        {"opcode 5", false, 5, 0, 0, regs::error::bad_opcode},
        {"opcode all ones", false, 0xFFFFFFFFu, 0, 0, regs::error::bad_opcode},
        {"opcode 0x100 + SHIFT", false, 0x102, 0, 0, regs::error::bad_opcode},
        {"shift past fill", false, 2, 21, 0, regs::error::range},
        {"shift far past", false, 2, 0xFFFFFFFFu, 0, regs::error::range},
        {"consume past fill", false, 3, 10, 11, regs::error::range},
        {"consume sum wraps 32 bits", false, 3, 0xFFFFFFFFu, 2, regs::error::range},
        {"commit past limit", false, 4, 0, 1024 - 19, regs::error::range},
        {"commit sum wraps 32 bits", false, 4, 0, 0xFFFFFFF0u, regs::error::range},
        {"commit in stream mode", true, 4, 0, 1, regs::error::source},
        {"bad opcode in stream mode", true, 9, 0, 1, regs::error::bad_opcode},
    };
    engine_bench tb;
    tb.run([&] {
        for (const auto& k : cases) {
            tb.cpu.write(regs::ctrl::offset, 0);
            load_ping(tb, pattern(20));
            if (k.stream)
                tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
            tb.cpu.write(regs::irq_status::offset, regs::irq::all);
            const auto before = tb.state();
            tb.cpu.write(regs::arg0::offset, k.a0);
            tb.cpu.write(regs::arg1::offset, k.a1);
            const sc_time t_cmd = sc_time_stamp();
            tb.cpu.write(regs::cmd::offset, k.op);
            // The refusal is visible in the cycle after the CMD write's access phase: a read set up
            // in that very cycle (local time t_cmd + 2 cycles) sees it, and no BUSY.
            std::uint32_t s = 0;
            ASSERT_EQ(tb.cpu.access_at(tlm::TLM_READ_COMMAND, regs::status::offset, &s, 4,
                                       t_cmd + clk * 2.0 - sc_time_stamp()),
                      tlm::TLM_OK_RESPONSE);
            EXPECT_FALSE(regs::status::busy.get(s)) << k.what;
            EXPECT_EQ(last_error(s), k.want) << k.what;
            wait(tb.cpu.last_delay);
            EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), regs::irq::cmd_error.mask()) << k.what;
            // Nothing else changed (LAST_ERROR, IRQ_STATUS and the arguments aside).
            tb.cpu.write(regs::irq_status::offset, regs::irq::all);
            tb.cpu.write(regs::arg0::offset, 0);
            tb.cpu.write(regs::arg1::offset, 20);
            auto after = tb.state();
            for (std::size_t i = 0; i < regs::all_regs.size(); ++i) {
                if (regs::all_regs[i].offset == regs::status::offset) {
                    after[i] = regs::status::last_error.put(after[i], 0);
                    EXPECT_EQ(regs::status::last_error.get(before[i]), 0u);
                }
            }
            EXPECT_EQ(after, before) << k.what;
            tb.cpu.command(opcode::reset);
            EXPECT_EQ(last_error(tb.cpu.wait_idle()), regs::error::ok) << k.what << ": the next good command clears it";
        }
    });
}

TEST(PPB_DEVICE_SUITE(cmd), a_command_while_busy_is_refused_and_the_running_one_completes) {
    engine_bench tb;
    tb.run([&] {
        load_ping(tb, pattern(100));
        tb.cpu.write(regs::irq_status::offset, regs::irq::all);
        tb.cpu.command(opcode::shift, 1);  // residual 99 from offset 1: 2 + 25 cycles
        tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::reset));
        std::uint32_t s = tb.cpu.read(regs::status::offset);
        EXPECT_TRUE(regs::status::busy.get(s));
        EXPECT_EQ(last_error(s), regs::error::busy);
        s = tb.cpu.wait_idle();
        EXPECT_EQ(last_error(s), regs::error::ok);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 99u) << "the SHIFT happened, the RESET did not";
        EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), regs::irq::cmd_error.mask() | regs::irq::cmd_done.mask());
    });
}

// Starts SHIFT(1) of a 100-byte Ping (n = spec_cycles(1, 99) BUSY cycles), then writes `v` to
// `offset` with its access phase in cycle k + 1 after the CMD write began (the CMD write's access
// phase is cycle 1, BUSY covers cycles 2 .. n + 1).
void write_while_shifting(engine_bench& tb, std::uint32_t offset, std::uint32_t v, std::uint64_t k) {
    load_ping(tb, pattern(100));
    tb.cpu.write(regs::irq_status::offset, regs::irq::all);
    tb.cpu.write(regs::arg0::offset, 1);
    const sc_time t_cmd = sc_time_stamp();
    tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));
    ASSERT_EQ(
        tb.cpu.access_at(tlm::TLM_WRITE_COMMAND, offset, &v, 4, t_cmd + clk * static_cast<double>(k) - sc_time_stamp()),
        tlm::TLM_OK_RESPONSE);
    wait(tb.cpu.last_delay);
}

TEST(PPB_DEVICE_SUITE(cmd), a_refusal_in_the_last_busy_cycle_is_overwritten_by_the_completion) {
    engine_bench tb;
    tb.run([&] {
        const std::uint64_t n = spec_cycles(1, 99);
        for (const bool limit : {false, true}) {
            // A refused write whose access phase is the last BUSY cycle (cycle n + 1 from t_cmd).
            write_while_shifting(tb, limit ? regs::limit::offset : regs::cmd::offset,
                                 limit ? 0u : static_cast<std::uint32_t>(opcode::reset), n);
            const std::uint32_t s = tb.cpu.wait_idle();
            EXPECT_EQ(last_error(s), regs::error::ok) << (limit ? "LIMIT" : "CMD") << ": completion wins";
            EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), regs::irq::cmd_error.mask() | regs::irq::cmd_done.mask());
        }
    });
}

// CMD_DONE is set in the same cycle as a write that clears it (IRQ_STATUS W1C whose access phase is
// the last BUSY cycle): the hardware set wins, no event is lost.
TEST(PPB_DEVICE_SUITE(cmd), a_hardware_irq_set_wins_over_a_clear_in_the_same_cycle) {
    engine_bench tb;
    tb.run([&] {
        const std::uint64_t n = spec_cycles(1, 99);
        for (std::uint64_t at_cycle : {0u, 1u, 2u}) {  // clear in the last BUSY cycle, one before, one after
            write_while_shifting(tb, regs::irq_status::offset, regs::irq::all, n - 1 + at_cycle);
            tb.cpu.wait_idle();
            EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), at_cycle == 2 ? 0u : regs::irq::cmd_done.mask())
                << "clear "
                << (at_cycle == 0   ? "one cycle before"
                    : at_cycle == 1 ? "in"
                                    : "after")
                << " the cycle CMD_DONE is set in";
        }
    });
}

// ---------------------------------------------------------------------------- timing

// BUSY seen through the bus lasts exactly the formula: STATUS reads annotated to start k cycles
// after the CMD write started (not synchronised, as a decoupled initiator does). The CMD write's
// access phase is cycle 1, BUSY covers cycles 2 .. n+1, and a read starting at k has its access
// phase in cycle k+1. One APB transfer takes two cycles, so one run probes every other cycle:
// the command runs twice, probed at even and at odd k.
void probe_busy(engine_bench& tb, opcode op, std::uint32_t start, std::uint32_t r, std::uint8_t seed) {
    const auto data = pattern(start + r, seed);
    const std::uint64_t n = spec_cycles(start, r);
    std::uint64_t first_idle = ~std::uint64_t{0}, last_busy = 0;
    for (std::uint64_t parity = 0; parity < 2; ++parity) {
        load_ping(tb, data);
        const std::uint32_t a0 = op == opcode::shift ? start : start / 2;
        const std::uint32_t a1 = op == opcode::shift ? 0 : start - start / 2;
        tb.cpu.write(regs::arg0::offset, a0);
        tb.cpu.write(regs::arg1::offset, a1);
        const sc_time t_cmd = sc_time_stamp();
        tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(op));
        for (std::uint64_t k = 2 + parity; k <= n + 4; k += 2) {
            std::uint32_t s = 0;
            ASSERT_EQ(tb.cpu.access_at(tlm::TLM_READ_COMMAND, regs::status::offset, &s, 4,
                                       t_cmd + clk * static_cast<double>(k) - sc_time_stamp()),
                      tlm::TLM_OK_RESPONSE);
            ASSERT_EQ(tb.cpu.last_delay, clk * 2.0) << "the read ran at its local time";
            if (regs::status::busy.get(s))
                last_busy = std::max(last_busy, k + 1);
            else
                first_idle = std::min(first_idle, k + 1);
            if (!regs::status::busy.get(s))
                break;
        }
        wait(t_cmd + clk * static_cast<double>(n + 6) - sc_time_stamp());
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), r);
        EXPECT_EQ(ping(tb), std::vector<std::uint8_t>(data.begin() + start, data.end())) << "r " << r << " s " << start;
    }
    const std::string what = "op " + std::to_string(static_cast<int>(op)) + " r " + std::to_string(r) + " s " +
                             std::to_string(start) + " n " + std::to_string(n);
    EXPECT_EQ(first_idle, n + 2) << what << ": first cycle without BUSY";
    EXPECT_EQ(last_busy, n > 1 ? n + 1 : 0) << what << ": last BUSY cycle seen";
}

struct busy_case {
    opcode op;
    std::uint32_t capacity;
};

std::string name_of(const busy_case& c) {
    return std::string(c.op == opcode::shift ? "shift" : "consume") + "_capacity_" + std::to_string(c.capacity);
}

void PrintTo(const busy_case& c, std::ostream* os) {
    *os << name_of(c);
}

class busy_formula : public ::testing::TestWithParam<busy_case> {};

// 4 alignments of the residual's start x residuals 0 .. 64 and three large ones, then residuals
// that start at 0 and end at CAPACITY.
TEST_P(busy_formula, busy_lasts_the_spec_formula_for_every_alignment_and_residual) {
    const auto [op, capacity] = GetParam();
    engine_bench tb(capacity);
    tb.run([&] {
        std::vector<std::uint32_t> residuals(65);
        std::iota(residuals.begin(), residuals.end(), 0u);
        for (std::uint32_t big : {capacity / 2 + 1, capacity - 19, capacity - 16})
            residuals.push_back(big);
        std::uint8_t seed = 0;
        for (std::uint32_t align = 0; align < 4; ++align)
            for (std::uint32_t r : residuals)
                probe_busy(tb, op, 12 + align, r, seed++);
        probe_busy(tb, op, 0, capacity, seed++);
        probe_busy(tb, op, 3, capacity - 3, seed++);
    });
}

PPB_DEVICE_INSTANTIATE(PPB_DEVICE_SUITE(timing), busy_formula,
                       ::testing::Values(busy_case{opcode::shift, 1024}, busy_case{opcode::consume, 1024},
                                         busy_case{opcode::shift, 4096}),
                       [](const ::testing::TestParamInfo<busy_case>& i) { return name_of(i.param); });

// CMD_DONE and the irq pin at the timing extremes.
class PPB_DEVICE_SUITE(timing) : public ::testing::TestWithParam<sc_time> {};
PPB_DEVICE_INSTANTIATE(timing, PPB_DEVICE_SUITE(timing), quanta(), quantum_name);

TEST_P(PPB_DEVICE_SUITE(timing), cmd_done_and_irq_rise_at_the_end_of_busy_in_simulated_time) {
    engine_bench tb;
    tlm::tlm_global_quantum::instance().set(GetParam());
    tb.run([&] {
        auto data = pattern(300);
        ASSERT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, data.data(), 300), tlm::TLM_OK_RESPONSE);
        tb.cpu.command(opcode::commit, 0, 300);
        tb.cpu.write(regs::irq_status::offset, regs::irq::all);
        tb.cpu.write(regs::irq_enable::offset, regs::irq::cmd_done.mask());
        tb.cpu.write(regs::arg0::offset, 1);
        const sc_time t_cmd = sc_time_stamp();
        tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));
        EXPECT_FALSE(tb.irq.read());
        wait(tb.irq.posedge_event());
        const std::uint64_t n = 2 + (1 + 299 + 3) / 4;  // SPEC.md section 6: s = 1, r = 299
        EXPECT_EQ(cycles(sc_time_stamp() - t_cmd), 2 + n) << "setup, access, then n BUSY cycles";
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 299u);
        tb.cpu.write(regs::irq_status::offset, regs::irq::cmd_done.mask());
        wait(clk);
        EXPECT_FALSE(tb.irq.read());
    });
}

// A one-cycle BUSY is shorter than an APB transfer, so the bus cannot see it: the next transfer's
// access phase is already the first cycle after it. The irq pin shows CMD_DONE at its cycle.
TEST(PPB_DEVICE_SUITE(timing), reset_and_commit_are_busy_for_one_cycle) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::irq_enable::offset, regs::irq::cmd_done.mask());
        std::uint32_t want_fill = 0;
        for (const auto op : {opcode::commit, opcode::reset, opcode::commit, opcode::commit}) {
            tb.cpu.write(regs::irq_status::offset, regs::irq::all);
            wait(clk);
            tb.cpu.write(regs::arg1::offset, 3);
            const sc_time t_cmd = sc_time_stamp();
            tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(op));
            want_fill = op == opcode::reset ? 0 : want_fill + 3;
            std::uint32_t s = 0, fill = 0;
            ASSERT_EQ(tb.cpu.access_at(tlm::TLM_READ_COMMAND, regs::status::offset, &s, 4,
                                       t_cmd + clk * 2.0 - sc_time_stamp()),
                      tlm::TLM_OK_RESPONSE);
            EXPECT_FALSE(regs::status::busy.get(s)) << static_cast<int>(op);
            ASSERT_EQ(tb.cpu.access_at(tlm::TLM_READ_COMMAND, regs::fill::offset, &fill, 4,
                                       t_cmd + clk * 4.0 - sc_time_stamp()),
                      tlm::TLM_OK_RESPONSE);
            EXPECT_EQ(fill, want_fill) << static_cast<int>(op);
            if (!tb.irq.read())
                wait(tb.irq.posedge_event());
            EXPECT_EQ(cycles(sc_time_stamp() - t_cmd), 3u) << static_cast<int>(op) << ": setup, access, one BUSY cycle";
            wait(clk * 6.0);
        }
    });
}

TEST(PPB_DEVICE_SUITE(timing), a_bank_read_after_busy_sees_the_copy_without_a_register_access_first) {
    engine_bench tb;
    tb.run([&] {
        auto data = pattern(64);
        ASSERT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, data.data(), 64), tlm::TLM_OK_RESPONSE);
        tb.cpu.command(opcode::commit, 0, 64);
        tb.cpu.write(regs::arg0::offset, 4);
        tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::shift));  // 60 bytes to bank 1
        // Read bank 1 right after the copy's end, annotated ahead of SystemC time, with no register
        // access in between.
        std::vector<std::uint8_t> back(60);
        const sc_time ahead = clk * (2.0 + 15.0 + 1.0);
        ASSERT_EQ(tb.cpu.access_at(tlm::TLM_READ_COMMAND, regs::bank1_base, back.data(), 60, ahead),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_TRUE(std::equal(back.begin(), back.end(), data.begin() + 4));
    });
}

}  // namespace
}  // namespace ppb::test
