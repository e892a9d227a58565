// Tests of the behavioural core: registers, commands, copy engine, stream ingress, cycle timing.
// Everything is table-driven from the generated register description; no offset is typed here.
#include "model/ppb_core.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <vector>

namespace ppb::model {
namespace {

using regs::opcode;

constexpr std::uint32_t cap = 256;

std::uint32_t expected_reset(const regs::reg_desc& r, std::uint32_t capacity) {
    if (r.access == regs::access::wo)
        return 0;
    return r.reset_from == regs::reset_kind::capacity ? capacity : r.reset;
}

// A core with a clock: every access takes the next APB transfer (setup + access = 2 cycles).
class core_bench {
public:
    explicit core_bench(std::uint32_t capacity = cap) : core(capacity) {}

    std::uint32_t read(std::uint32_t offset) {
        std::uint32_t v = 0;
        EXPECT_EQ(core.reg_read(offset, next_access(), v), bus_result::ok) << "read " << offset;
        return v;
    }
    void write(std::uint32_t offset, std::uint32_t v) {
        EXPECT_EQ(core.reg_write(offset, v, next_access()), bus_result::ok) << "write " << offset;
    }
    // Writes the arguments and the opcode; returns the CMD write's access cycle.
    std::uint64_t command(opcode op, std::uint32_t a0 = 0, std::uint32_t a1 = 0) {
        write(regs::arg0::offset, a0);
        write(regs::arg1::offset, a1);
        write(regs::cmd::offset, static_cast<std::uint32_t>(op));
        return last_access;
    }
    // Issues a command and waits (by polling STATUS) until it is done.
    regs::error run(opcode op, std::uint32_t a0 = 0, std::uint32_t a1 = 0) {
        command(op, a0, a1);
        std::uint32_t s = 0;
        for (int i = 0; i < 1'000'000; ++i) {
            s = read(regs::status::offset);
            if (!regs::status::busy.get(s))
                break;
        }
        return static_cast<regs::error>(regs::status::last_error.get(s));
    }
    void stream_mode(bool drop = false) {
        write(regs::ctrl::offset, regs::ctrl::source.mask() | (drop ? regs::ctrl::drop_when_full.mask() : 0u));
    }
    // Host-mode fill: writes bytes into Ping at FILL (backdoor) and COMMITs them.
    void host_fill(const std::vector<std::uint8_t>& bytes) {
        std::copy(bytes.begin(), bytes.end(), core.bank(core.ping_bank()) + core.fill());
        ASSERT_EQ(run(opcode::commit, 0, static_cast<std::uint32_t>(bytes.size())), regs::error::ok);
    }
    std::vector<std::uint8_t> ping() const {
        const std::uint8_t* p = core.bank(core.ping_bank());
        return {p, p + core.fill()};
    }
    std::uint64_t next_access() {
        last_access = cycle + 1;
        cycle += regs::bus_cycles_per_word;
        return last_access;
    }

    ppb_core core;
    std::uint64_t cycle = 0;
    std::uint64_t last_access = 0;
};

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed = 1) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(seed + i * 13);
    return v;
}

// ---------------------------------------------------------------------------------- registers

TEST(core_regs, reset_value_of_every_register) {
    for (std::uint32_t capacity : {16u, cap, 1u << 20}) {
        core_bench b(capacity);
        for (const auto& r : regs::all_regs)
            EXPECT_EQ(b.read(r.offset), expected_reset(r, capacity)) << r.name << " with CAPACITY " << capacity;
    }
}

TEST(core_regs, rw_bits_write_and_read_back_and_nothing_else_changes) {
    for (const auto& r : regs::all_regs) {
        if (r.access != regs::access::rw || r.offset == regs::limit::offset)
            continue;  // LIMIT has range rules of its own (below)
        for (std::uint32_t v : {0xFFFFFFFFu, 0xA5A5A5A5u, 0x5A5A5A5Au, 0u}) {
            core_bench b;
            b.write(r.offset, v);
            for (const auto& other : regs::all_regs) {
                const std::uint32_t want = other.offset == r.offset ? v & r.writable_mask : expected_reset(other, cap);
                if (other.offset == regs::irq_status::offset || other.offset == regs::status::offset)
                    continue;  // may legitimately react (none do for these writes, checked below)
                EXPECT_EQ(b.read(other.offset), want)
                    << "after writing " << std::hex << v << " to " << r.name << ", " << other.name;
            }
            EXPECT_EQ(b.read(regs::irq_status::offset), 0u) << r.name;
        }
    }
}

TEST(core_regs, every_single_bit_of_rw_registers) {
    for (const auto& r : regs::all_regs) {
        if (r.access != regs::access::rw || r.offset == regs::limit::offset)
            continue;
        core_bench b;
        for (unsigned bit = 0; bit < 32; ++bit) {
            b.write(r.offset, 1u << bit);
            EXPECT_EQ(b.read(r.offset), (1u << bit) & r.writable_mask) << r.name << " bit " << bit;
        }
    }
}

TEST(core_regs, ro_writes_are_ignored) {
    for (const auto& r : regs::all_regs) {
        if (r.access != regs::access::ro)
            continue;
        core_bench b;
        b.write(r.offset, 0xFFFFFFFFu);
        b.write(r.offset, 0x12345678u);
        for (const auto& other : regs::all_regs)
            EXPECT_EQ(b.read(other.offset), expected_reset(other, cap))
                << "after writing " << r.name << ", " << other.name;
    }
}

TEST(core_regs, write_only_registers_read_zero) {
    core_bench b;
    b.write(regs::arg1::offset, 0);
    b.write(regs::irq_test::offset, regs::irq::all);
    EXPECT_EQ(b.read(regs::irq_test::offset), 0u);
    b.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::reset));
    EXPECT_EQ(b.read(regs::cmd::offset), 0u);
}

TEST(core_regs, irq_test_sets_and_rw1c_clears_exactly_the_written_bits) {
    for (std::uint32_t bits = 0; bits <= regs::irq::all; ++bits) {
        core_bench b;
        b.write(regs::irq_test::offset, bits | ~regs::irq::all);
        EXPECT_EQ(b.read(regs::irq_status::offset), bits);
        b.write(regs::irq_status::offset, bits & 0x5u);
        EXPECT_EQ(b.read(regs::irq_status::offset), bits & ~0x5u);
        b.write(regs::irq_status::offset, 0xFFFFFFFFu);
        EXPECT_EQ(b.read(regs::irq_status::offset), 0u);
    }
}

TEST(core_regs, irq_level_follows_status_and_enable) {
    core_bench b;
    for (std::uint32_t en = 0; en <= regs::irq::all; ++en) {
        b.write(regs::irq_enable::offset, en);
        for (const auto f :
             {regs::irq::threshold, regs::irq::full, regs::irq::overflow, regs::irq::cmd_done, regs::irq::cmd_error}) {
            b.write(regs::irq_test::offset, f.mask());
            EXPECT_EQ(b.core.irq_level(), (en & f.mask()) != 0) << "enable " << en << " bit " << f.lsb;
            b.write(regs::irq_status::offset, f.mask());
            EXPECT_FALSE(b.core.irq_level());
        }
    }
}

TEST(core_regs, dropped_clears_on_any_write) {
    core_bench b(16);
    b.stream_mode(true);
    const auto bytes = pattern(20);
    b.core.stream_push(bytes.data(), bytes.size(), 100);
    EXPECT_EQ(b.read(regs::dropped::offset), 4u);
    b.write(regs::dropped::offset, 0x1234u);
    EXPECT_EQ(b.read(regs::dropped::offset), 0u);
}

TEST(core_regs, unmapped_offsets_answer_address_error_and_change_nothing) {
    std::vector<bool> mapped(regs::regs_size / 4);
    for (const auto& r : regs::all_regs)
        mapped[r.offset / 4] = true;
    core_bench b;
    unsigned unmapped = 0;
    for (std::uint32_t off = 0; off < regs::regs_size; off += 4) {
        if (mapped[off / 4])
            continue;
        ++unmapped;
        std::uint32_t v = 0xDEADBEEF;
        EXPECT_EQ(b.core.reg_write(off, 0xFFFFFFFFu, b.next_access()), bus_result::address_error) << off;
        EXPECT_EQ(b.core.reg_read(off, b.next_access(), v), bus_result::address_error) << off;
        EXPECT_EQ(v, 0xDEADBEEFu);
    }
    EXPECT_EQ(unmapped, regs::regs_size / 4 - regs::all_regs.size());
    for (const auto& r : regs::all_regs)
        EXPECT_EQ(b.read(r.offset), expected_reset(r, cap)) << r.name;
}

TEST(core_regs, limit_accepts_1_to_capacity_at_or_above_fill_and_refuses_the_rest) {
    core_bench b;
    b.host_fill(pattern(10));
    for (std::uint32_t bad : {0u, 9u, cap + 1, 0xFFFFFFFFu}) {
        b.write(regs::irq_status::offset, regs::irq::all);
        b.write(regs::limit::offset, bad);
        EXPECT_EQ(b.read(regs::limit::offset), cap) << bad;
        const std::uint32_t s = b.read(regs::status::offset);
        EXPECT_EQ(regs::status::last_error.get(s), static_cast<std::uint32_t>(regs::error::range)) << bad;
        EXPECT_EQ(b.read(regs::irq_status::offset), regs::irq::cmd_error.mask()) << bad;
    }
    for (std::uint32_t good : {10u, 11u, cap}) {
        b.write(regs::limit::offset, good);
        EXPECT_EQ(b.read(regs::limit::offset), good);
    }
}

TEST(core_regs, limit_down_to_fill_sets_full) {
    core_bench b;
    b.host_fill(pattern(10));
    b.write(regs::irq_status::offset, regs::irq::all);
    b.write(regs::limit::offset, 10);
    EXPECT_TRUE(regs::status::full.get(b.read(regs::status::offset)));
    EXPECT_EQ(b.read(regs::irq_status::offset), regs::irq::full.mask());
}

// ---------------------------------------------------------------------------------- decode

struct decode_case {
    std::uint64_t addr;
    std::size_t len;
    bus_result want;
    const char* what;
};

TEST(core_decode, every_class_of_access) {
    const ppb_core c(cap);
    const decode_case cases[] = {
        {regs::fill::offset, 4, bus_result::ok, "register word"},
        {regs::fill::offset, 1, bus_result::burst_error, "register byte"},
        {regs::fill::offset, 2, bus_result::burst_error, "register half-word"},
        {regs::fill::offset, 8, bus_result::burst_error, "two registers at once"},
        {regs::fill::offset + 1, 4, bus_result::address_error, "misaligned register word"},
        {regs::fill::offset + 2, 4, bus_result::address_error, "misaligned register word"},
        {regs::irq_test::offset + 4, 4, bus_result::address_error, "unmapped register"},
        {regs::regs_size - 4, 4, bus_result::address_error, "last unmapped register"},
        {regs::regs_size - 2, 4, bus_result::address_error, "crosses out of the register window"},
        {regs::regs_size, 4, bus_result::address_error, "gap after the registers"},
        {regs::bank0_base - 4, 8, bus_result::address_error, "gap into BANK0"},
        {regs::bank0_base, cap, bus_result::ok, "all of BANK0"},
        {regs::bank0_base + 3, 1, bus_result::ok, "BANK0 byte"},
        {regs::bank0_base + 1, cap - 1, bus_result::ok, "BANK0 to its end"},
        {regs::bank0_base + 1, cap, bus_result::address_error, "BANK0 past CAPACITY"},
        {regs::bank0_base, cap + 1, bus_result::address_error, "oversized burst"},
        {regs::bank0_base + cap, 1, bus_result::address_error, "just past BANK0"},
        {regs::bank1_base - 1, 2, bus_result::address_error, "into BANK1 from below"},
        {regs::bank1_base, cap, bus_result::ok, "all of BANK1"},
        {regs::bank1_base + cap - 1, 2, bus_result::address_error, "BANK1 past CAPACITY"},
        {regs::bank1_base + cap, 4, bus_result::address_error, "just past BANK1"},
        {(std::uint64_t{1} << regs::addr_bits) - 4, 4, bus_result::address_error, "top of the decoded space"},
        {std::uint64_t{1} << regs::addr_bits, 4, bus_result::address_error, "beyond 22 address bits"},
        {regs::fill::offset + (std::uint64_t{1} << regs::addr_bits), 4, bus_result::address_error,
         "register alias above 22 bits"},
        {~std::uint64_t{0} - 1, 4, bus_result::address_error, "wraps the address space"},
        {regs::bank0_base, 0, bus_result::burst_error, "zero-length"},
        {regs::fill::offset, 0, bus_result::burst_error, "zero-length register"},
    };
    for (const auto& k : cases) {
        decoded_access d{};
        EXPECT_EQ(c.decode(k.addr, k.len, d), k.want)
            << k.what << " (0x" << std::hex << k.addr << ", " << std::dec << k.len << ")";
    }
}

TEST(core_decode, capacity_outside_the_spec_is_refused) {
    for (std::uint32_t bad : {0u, 12u, 18u, (1u << 20) + 4, 0xFFFFFFFCu})
        EXPECT_THROW(ppb_core{bad}, std::invalid_argument) << bad;
    EXPECT_NO_THROW(ppb_core{16});
    EXPECT_NO_THROW(ppb_core{1u << 20});
}

// ---------------------------------------------------------------------------------- commands

TEST(core_cmd, reset_empties_ping_and_moves_nothing) {
    core_bench b;
    b.host_fill(pattern(50));
    const auto before = std::vector<std::uint8_t>(b.core.bank(0), b.core.bank(0) + cap);
    EXPECT_EQ(b.run(opcode::reset), regs::error::ok);
    EXPECT_EQ(b.read(regs::fill::offset), 0u);
    EXPECT_EQ(regs::status::ping_bank.get(b.read(regs::status::offset)), 0u);
    EXPECT_EQ(b.read(regs::swaps::offset), 0u);
    EXPECT_EQ(std::vector<std::uint8_t>(b.core.bank(0), b.core.bank(0) + cap), before);
    EXPECT_TRUE(b.read(regs::irq_status::offset) & regs::irq::cmd_done.mask());
}

TEST(core_cmd, commit_adds_to_fill) {
    core_bench b;
    b.host_fill(pattern(7));
    b.host_fill(pattern(0));
    b.host_fill(pattern(9, 100));
    EXPECT_EQ(b.read(regs::fill::offset), 16u);
    auto want = pattern(7);
    const auto more = pattern(9, 100);
    want.insert(want.end(), more.begin(), more.end());
    EXPECT_EQ(b.ping(), want);
    EXPECT_EQ(b.read(regs::swaps::offset), 0u);
}

TEST(core_cmd, shift_copies_the_tail_to_the_other_bank_and_swaps) {
    for (std::uint32_t fill : {0u, 1u, 5u, 64u, cap}) {
        for (std::uint32_t start = 0; start <= fill; start += std::max(1u, fill / 7)) {
            core_bench b;
            const auto data = pattern(fill, static_cast<std::uint8_t>(start));
            b.host_fill(data);
            EXPECT_EQ(b.run(opcode::shift, start), regs::error::ok);
            EXPECT_EQ(b.read(regs::fill::offset), fill - start);
            EXPECT_EQ(regs::status::ping_bank.get(b.read(regs::status::offset)), 1u);
            EXPECT_EQ(b.read(regs::swaps::offset), 1u);
            EXPECT_EQ(b.ping(), std::vector<std::uint8_t>(data.begin() + start, data.end())) << fill << " " << start;
            // The old Ping, now Pong, is untouched.
            EXPECT_TRUE(std::equal(data.begin(), data.end(), b.core.bank(0)));
        }
    }
}

TEST(core_cmd, consume_leaves_the_packet_in_pong_and_the_rest_in_ping) {
    core_bench b;
    const auto data = pattern(200);
    b.host_fill(data);
    EXPECT_EQ(b.run(opcode::consume, 30, 100), regs::error::ok);
    EXPECT_EQ(b.read(regs::fill::offset), 70u);
    EXPECT_EQ(b.ping(), std::vector<std::uint8_t>(data.begin() + 130, data.end()));
    const std::uint8_t* pong = b.core.bank(b.core.ping_bank() ^ 1u);
    EXPECT_TRUE(std::equal(data.begin() + 30, data.begin() + 130, pong + 30));
    // Twice more: the banks keep alternating.
    EXPECT_EQ(b.run(opcode::consume, 0, 70), regs::error::ok);
    EXPECT_EQ(b.read(regs::fill::offset), 0u);
    EXPECT_EQ(regs::status::ping_bank.get(b.read(regs::status::offset)), 0u);
    EXPECT_EQ(b.read(regs::swaps::offset), 2u);
}

TEST(core_cmd, refusals_set_last_error_and_cmd_error_and_change_nothing) {
    struct refusal {
        const char* what;
        std::function<void(core_bench&)> setup;
        std::uint32_t op, a0, a1;
        regs::error want;
    };
    const auto fill20 = [](core_bench& b) { b.host_fill(pattern(20)); };
    const refusal cases[] = {
        {"opcode 0", fill20, 0, 0, 0, regs::error::bad_opcode},
        {"opcode 5", fill20, 5, 0, 0, regs::error::bad_opcode},
        {"opcode all ones", fill20, 0xFFFFFFFFu, 0, 0, regs::error::bad_opcode},
        {"shift past fill", fill20, 2, 21, 0, regs::error::range},
        {"shift far past", fill20, 2, 0xFFFFFFFFu, 0, regs::error::range},
        {"consume past fill", fill20, 3, 10, 11, regs::error::range},
        {"consume sum wraps 32 bits", fill20, 3, 0xFFFFFFFFu, 2, regs::error::range},
        {"commit past limit", fill20, 4, 0, cap - 19, regs::error::range},
        {"commit sum wraps 32 bits", fill20, 4, 0, 0xFFFFFFF0u, regs::error::range},
        {"commit in stream mode", [](core_bench& b) { b.stream_mode(); }, 4, 0, 1, regs::error::source},
    };
    for (const auto& k : cases) {
        core_bench b;
        k.setup(b);
        b.write(regs::irq_status::offset, regs::irq::all);
        const auto fill = b.read(regs::fill::offset);
        const auto ping = b.ping();
        b.write(regs::arg0::offset, k.a0);
        b.write(regs::arg1::offset, k.a1);
        const std::uint64_t at = b.next_access();
        EXPECT_EQ(b.core.reg_write(regs::cmd::offset, k.op, at), bus_result::ok);
        EXPECT_FALSE(b.core.busy_at(at + 1)) << k.what;
        const std::uint32_t s = b.read(regs::status::offset);
        EXPECT_EQ(regs::status::last_error.get(s), static_cast<std::uint32_t>(k.want)) << k.what;
        EXPECT_EQ(b.read(regs::irq_status::offset), regs::irq::cmd_error.mask()) << k.what;
        EXPECT_EQ(b.read(regs::fill::offset), fill) << k.what;
        EXPECT_EQ(b.ping(), ping) << k.what;
        EXPECT_EQ(b.read(regs::swaps::offset), 0u) << k.what;
        // The next good command clears LAST_ERROR.
        EXPECT_EQ(b.run(opcode::reset), regs::error::ok) << k.what;
    }
}

TEST(core_cmd, a_command_while_busy_is_refused_and_the_running_one_completes) {
    core_bench b;
    b.host_fill(pattern(100));
    const std::uint64_t a = b.command(opcode::shift, 1);  // residual 99 from offset 1: 2 + 25 cycles
    ASSERT_TRUE(b.core.busy_at(a + 1));
    b.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::reset));
    std::uint32_t s = b.read(regs::status::offset);
    EXPECT_TRUE(regs::status::busy.get(s));
    EXPECT_EQ(regs::status::last_error.get(s), static_cast<std::uint32_t>(regs::error::busy));
    while (regs::status::busy.get(s))
        s = b.read(regs::status::offset);
    EXPECT_EQ(regs::status::last_error.get(s), static_cast<std::uint32_t>(regs::error::ok));
    EXPECT_EQ(b.read(regs::fill::offset), 99u);  // the SHIFT happened, the RESET did not
    EXPECT_EQ(b.read(regs::irq_status::offset), regs::irq::cmd_error.mask() | regs::irq::cmd_done.mask());
}

// ---------------------------------------------------------------------------------- timing

std::uint32_t spec_cycles(std::uint32_t s, std::uint32_t r) {
    return r == 0 ? 1 : 2 + (s % 4 + r + 3) / 4;  // SPEC.md section 6, written out independently
}

TEST(core_timing, busy_lasts_exactly_the_spec_formula) {
    std::vector<std::uint32_t> residuals(10);
    std::iota(residuals.begin(), residuals.end(), 0u);
    residuals.push_back(cap - 8);
    for (const auto op : {opcode::shift, opcode::consume}) {
        for (std::uint32_t align = 0; align < 4; ++align) {
            for (std::uint32_t r : residuals) {
                core_bench b;
                const std::uint32_t start = 4 + align;  // residual starts at Ping offset `start`
                b.host_fill(pattern(start + r));
                const std::uint32_t a0 = op == opcode::shift ? start : 1;
                const std::uint32_t a1 = op == opcode::shift ? 0 : start - 1;
                const std::uint64_t at = b.command(op, a0, a1);
                const std::uint32_t n = spec_cycles(start, r);
                EXPECT_FALSE(b.core.busy_at(at)) << "BUSY already in the CMD write's access phase";
                for (std::uint64_t c = at + 1; c < at + 1 + n; ++c)
                    EXPECT_TRUE(b.core.busy_at(c)) << "r " << r << " s " << start << " cycle " << c - at;
                // Read STATUS in the last BUSY cycle and in the first idle one.
                std::uint32_t s = 0;
                ASSERT_EQ(b.core.reg_read(regs::status::offset, at + n, s), bus_result::ok);
                EXPECT_TRUE(regs::status::busy.get(s)) << "r " << r << " s " << start;
                EXPECT_EQ(b.core.fill(), start + r) << "results visible before the command ends";
                ASSERT_EQ(b.core.reg_read(regs::status::offset, at + n + 1, s), bus_result::ok);
                EXPECT_FALSE(regs::status::busy.get(s)) << "r " << r << " s " << start;
                EXPECT_EQ(b.core.fill(), r);
                EXPECT_EQ(regs::command_cycles(op, start, r), n);
            }
        }
    }
}

TEST(core_timing, reset_and_commit_take_one_cycle) {
    core_bench b;
    for (const auto op : {opcode::reset, opcode::commit}) {
        const std::uint64_t at = b.command(op, 0, 3);
        EXPECT_TRUE(b.core.busy_at(at + 1));
        EXPECT_FALSE(b.core.busy_at(at + 2));
        b.cycle = at + 10;
    }
}

// ---------------------------------------------------------------------------------- stream

TEST(core_stream, bytes_append_at_fill_one_per_cycle) {
    core_bench b;
    b.stream_mode();
    const auto data = pattern(100);
    const stream_step st = b.core.stream_push(data.data(), data.size(), 1000);
    EXPECT_EQ(st.taken, 100u);
    EXPECT_EQ(st.cycle, 1100u);
    EXPECT_EQ(st.stall, stream_stall::none);
    EXPECT_EQ(b.ping(), data);
    EXPECT_EQ(b.core.ingress(), 100u);
}

TEST(core_stream, host_source_holds_the_port_not_ready) {
    core_bench b;
    const auto data = pattern(10);
    const stream_step st = b.core.stream_push(data.data(), data.size(), 50);
    EXPECT_EQ(st.taken, 0u);
    EXPECT_EQ(st.stall, stream_stall::host_source);
    EXPECT_EQ(b.core.fill(), 0u);
}

TEST(core_stream, back_pressure_at_limit_then_resume_after_consume) {
    core_bench b;
    b.stream_mode();
    b.write(regs::limit::offset, 64);
    const auto data = pattern(100);
    stream_step st = b.core.stream_push(data.data(), data.size(), b.cycle);
    EXPECT_EQ(st.taken, 64u);
    EXPECT_EQ(st.stall, stream_stall::full);
    EXPECT_TRUE(regs::status::full.get(b.read(regs::status::offset)));
    EXPECT_EQ(b.core.dropped(), 0u);
    b.cycle = st.cycle;
    EXPECT_EQ(b.run(opcode::consume, 0, 60), regs::error::ok);
    st = b.core.stream_push(data.data() + 64, 36, b.cycle);
    EXPECT_EQ(st.taken, 36u);
    EXPECT_EQ(b.ping(), std::vector<std::uint8_t>(data.begin() + 60, data.end()));
    EXPECT_EQ(b.read(regs::irq_status::offset) & regs::irq::overflow.mask(), 0u);
}

TEST(core_stream, drop_when_full_counts_and_raises_overflow) {
    core_bench b;
    b.stream_mode(true);
    b.write(regs::limit::offset, 32);
    const auto data = pattern(50);
    const stream_step st = b.core.stream_push(data.data(), data.size(), 10);
    EXPECT_EQ(st.taken, 50u);
    EXPECT_EQ(st.cycle, 60u);  // dropped bytes take their cycle too
    EXPECT_EQ(b.core.fill(), 32u);
    EXPECT_EQ(b.core.dropped(), 18u);
    EXPECT_EQ(b.core.ingress(), 32u);
    EXPECT_EQ(b.ping(), std::vector<std::uint8_t>(data.begin(), data.begin() + 32));
    EXPECT_EQ(b.core.irq_status(), regs::irq::full.mask() | regs::irq::overflow.mask());
}

TEST(core_stream, dropped_saturates) {
    core_bench b(16);
    b.stream_mode(true);
    std::uint8_t bytes[16] = {};
    ASSERT_EQ(b.core.stream_push(bytes, 16, 0).taken, 16u);
    // Full with the drop policy: the ingress does not read the bytes it drops, so a long count is cheap.
    const std::size_t huge = std::size_t{0xFFFFFFFFu} + 1000;
    EXPECT_EQ(b.core.stream_push(bytes, huge, 16).taken, huge);
    EXPECT_EQ(b.core.dropped(), 0xFFFFFFFFu);
}

TEST(core_stream, stalled_while_busy_never_dropped) {
    core_bench b;
    b.stream_mode(true);
    const auto first = pattern(120);
    b.core.stream_push(first.data(), first.size(), 0);
    b.cycle = 200;
    const std::uint64_t at = b.command(opcode::consume, 0, 10);  // residual 110 from 10: 2 + 28 cycles
    const std::uint64_t done = at + 1 + spec_cycles(10, 110);
    const auto more = pattern(5, 77);
    const stream_step st = b.core.stream_push(more.data(), more.size(), at + 3);
    EXPECT_EQ(st.taken, 5u);
    EXPECT_EQ(st.cycle, done + 5) << "the first byte waits for the end of BUSY";
    EXPECT_EQ(b.core.dropped(), 0u);
    auto want = std::vector<std::uint8_t>(first.begin() + 10, first.end());
    want.insert(want.end(), more.begin(), more.end());
    EXPECT_EQ(b.ping(), want);
}

TEST(core_stream, threshold_fires_on_the_rising_crossing_only) {
    core_bench b;
    b.stream_mode();
    b.write(regs::threshold::offset, 40);
    std::vector<std::uint64_t> seen;
    b.core.on_change = [&](std::uint64_t c) {
        if (b.core.irq_status() & regs::irq::threshold.mask())
            seen.push_back(c);
    };
    const auto data = pattern(100);
    b.core.stream_push(data.data(), 39, 1000);
    EXPECT_EQ(b.core.irq_status() & regs::irq::threshold.mask(), 0u);
    b.core.stream_push(data.data(), 10, 1039);
    EXPECT_TRUE(b.core.irq_status() & regs::irq::threshold.mask());
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.front(), 1040u) << "the 40th byte moves in cycle 1039; the bit rises on the next";
    b.core.on_change = nullptr;
    b.write(regs::irq_status::offset, regs::irq::all);
    b.core.stream_push(data.data(), 10, b.cycle);  // FILL stays above: no new crossing
    EXPECT_EQ(b.core.irq_status(), 0u);
    b.write(regs::threshold::offset, 0);  // 0 disables
    b.run(opcode::reset);
    b.write(regs::irq_status::offset, regs::irq::all);
    b.core.stream_push(data.data(), 100, b.cycle);
    EXPECT_EQ(b.core.irq_status() & regs::irq::threshold.mask(), 0u);
}

TEST(core_stream, full_fires_when_fill_reaches_limit) {
    core_bench b;
    b.stream_mode();
    b.write(regs::limit::offset, 20);
    const auto data = pattern(20);
    b.core.stream_push(data.data(), 19, 0);
    EXPECT_EQ(b.core.irq_status() & regs::irq::full.mask(), 0u);
    b.core.stream_push(data.data(), 1, 19);
    EXPECT_EQ(b.core.irq_status() & regs::irq::full.mask(), regs::irq::full.mask());
}

TEST(core_stream, randomized_against_a_byte_queue) {
    std::mt19937 rng(1234);
    core_bench b;
    b.stream_mode();
    std::vector<std::uint8_t> want;  // what Ping must hold
    std::uint8_t next = 0;
    for (int step = 0; step < 2000; ++step) {
        const int what = static_cast<int>(rng() % 4);
        if (what < 2) {
            std::vector<std::uint8_t> chunk(rng() % 40);
            for (auto& x : chunk)
                x = next++;
            const stream_step st = b.core.stream_push(chunk.data(), chunk.size(), b.cycle);
            want.insert(want.end(), chunk.begin(), chunk.begin() + static_cast<long>(st.taken));
            next = static_cast<std::uint8_t>(next - (chunk.size() - st.taken));
            b.cycle = st.cycle;
        } else {
            const auto fill = static_cast<std::uint32_t>(want.size());
            const std::uint32_t a0 = fill ? static_cast<std::uint32_t>(rng() % (fill + 1)) : 0;
            const std::uint32_t a1 = what == 2 ? static_cast<std::uint32_t>(rng() % (fill - a0 + 1)) : 0;
            ASSERT_EQ(b.run(what == 2 ? opcode::consume : opcode::shift, a0, a1), regs::error::ok);
            want.erase(want.begin(), want.begin() + a0 + a1);
        }
        ASSERT_EQ(b.ping(), want) << "step " << step;
    }
}

}  // namespace
}  // namespace ppb::model
