// A PPB's bus socket, on either engine: registers (reset values, read/write, bit-bash, RW1C,
// IRQ_TEST, write-only and read-only behaviour, LIMIT's range), error responses for every class of
// bad access, banks (byte enables, streaming width, bursts), bus timing, DMI outside the banks and
// the debug transport. Table-driven from the generated register description; each test is its own
// process.
#include "device/test/device_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace ppb::test {
namespace {

using namespace sc_core;
constexpr std::uint32_t cap = 1024;

bool is_plain_rw(const regs::reg_desc& r) {
    return r.access == regs::access::rw && r.offset != regs::limit::offset;  // LIMIT has range rules
}

// ---------------------------------------------------------------------------- registers

class reset_values : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(reset_values, every_register_reads_its_reset_value) {
    const std::uint32_t capacity = GetParam();
    engine_bench tb(capacity);
    tb.run([&] {
        for (const auto& r : regs::all_regs)
            EXPECT_EQ(tb.cpu.read(r.offset), reset_value(r, capacity)) << r.name << " with CAPACITY " << capacity;
    });
}

PPB_DEVICE_INSTANTIATE(PPB_DEVICE_SUITE(regs), reset_values, ::testing::Values(1024u, 4096u),
                       [](const auto& i) { return "capacity_" + std::to_string(i.param); });

TEST(PPB_DEVICE_SUITE(regs), rw_registers_read_back_and_no_other_register_changes) {
    engine_bench tb;
    tb.run([&] {
        for (const auto& r : regs::all_regs) {
            if (!is_plain_rw(r))
                continue;
            for (std::uint32_t v : {0xFFFFFFFFu, 0xA5A5A5A5u, 0x5A5A5A5Au, 0u}) {
                tb.cpu.write(r.offset, v);
                for (const auto& other : regs::all_regs) {
                    const std::uint32_t want = other.offset == r.offset ? v & r.writable_mask : reset_value(other, cap);
                    EXPECT_EQ(tb.cpu.read(other.offset), want)
                        << "after writing 0x" << std::hex << v << " to " << r.name << ", " << other.name;
                }
                tb.cpu.write(r.offset, reset_value(r, cap));
            }
        }
    });
}

TEST(PPB_DEVICE_SUITE(regs), bit_bash_every_bit_of_every_rw_register) {
    engine_bench tb;
    tb.run([&] {
        for (const auto& r : regs::all_regs) {
            if (!is_plain_rw(r))
                continue;
            for (unsigned bit = 0; bit < 32; ++bit) {
                tb.cpu.write(r.offset, 1u << bit);
                EXPECT_EQ(tb.cpu.read(r.offset), (1u << bit) & r.writable_mask) << r.name << " walking 1, bit " << bit;
                tb.cpu.write(r.offset, ~(1u << bit));
                EXPECT_EQ(tb.cpu.read(r.offset), ~(1u << bit) & r.writable_mask) << r.name << " walking 0, bit " << bit;
            }
            tb.cpu.write(r.offset, 0);
        }
    });
}

TEST(PPB_DEVICE_SUITE(regs), limit_bit_bash_within_its_range) {
    engine_bench tb;
    tb.run([&] {
        for (unsigned bit = 0; bit < 32; ++bit) {
            const std::uint32_t v = 1u << bit;
            tb.cpu.write(regs::limit::offset, v);
            EXPECT_EQ(tb.cpu.read(regs::limit::offset), v <= cap ? v : cap) << "bit " << bit;
            tb.cpu.write(regs::limit::offset, cap);
        }
    });
}

TEST(PPB_DEVICE_SUITE(regs), ro_writes_are_ignored_and_answered_ok) {
    engine_bench tb;
    tb.run([&] {
        for (const auto& r : regs::all_regs) {
            if (r.access != regs::access::ro)
                continue;
            tb.cpu.write(r.offset, 0xFFFFFFFFu);
            tb.cpu.write(r.offset, 0x12345678u);
            for (const auto& other : regs::all_regs)
                EXPECT_EQ(tb.cpu.read(other.offset), reset_value(other, cap))
                    << "after writing " << r.name << ", " << other.name;
        }
    });
}

TEST(PPB_DEVICE_SUITE(regs), write_only_registers_read_zero) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::irq_test::offset, regs::irq::all);
        EXPECT_EQ(tb.cpu.read(regs::irq_test::offset), 0u);
        tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::reset));
        EXPECT_EQ(tb.cpu.read(regs::cmd::offset), 0u);
    });
}

TEST(PPB_DEVICE_SUITE(regs), irq_test_sets_and_rw1c_clears_exactly_the_written_bits) {
    engine_bench tb;
    tb.run([&] {
        for (std::uint32_t bits = 0; bits <= regs::irq::all; ++bits) {
            for (std::uint32_t clear = 0; clear <= regs::irq::all; clear += 5) {
                tb.cpu.write(regs::irq_test::offset, bits | ~regs::irq::all);
                EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), bits);
                tb.cpu.write(regs::irq_status::offset, clear);
                EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), bits & ~clear) << bits << " cleared by " << clear;
                tb.cpu.write(regs::irq_status::offset, 0xFFFFFFFFu);
                EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), 0u);
            }
        }
    });
}

TEST(PPB_DEVICE_SUITE(regs), dropped_clears_on_any_write) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::limit::offset, 16);
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask() | regs::ctrl::drop_when_full.mask());
        tb.src.push(pattern(20));
        EXPECT_EQ(tb.cpu.read(regs::dropped::offset), 4u);
        tb.cpu.write(regs::dropped::offset, 0x1234u);
        EXPECT_EQ(tb.cpu.read(regs::dropped::offset), 0u);
    });
}

TEST(PPB_DEVICE_SUITE(regs), limit_accepts_1_to_capacity_at_or_above_fill_and_refuses_the_rest) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.command(opcode::commit, 0, 10);
        tb.cpu.wait_idle();
        for (std::uint32_t bad : {0u, 9u, cap + 1, 0xFFFFFFFFu}) {
            tb.cpu.write(regs::irq_status::offset, regs::irq::all);
            tb.cpu.write(regs::limit::offset, bad);
            EXPECT_EQ(tb.cpu.read(regs::limit::offset), cap) << bad;
            EXPECT_EQ(regs::status::last_error.get(tb.cpu.read(regs::status::offset)),
                      static_cast<std::uint32_t>(regs::error::range))
                << bad;
            EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), regs::irq::cmd_error.mask()) << bad;
        }
        for (std::uint32_t good : {10u, 11u, cap}) {
            tb.cpu.write(regs::limit::offset, good);
            EXPECT_EQ(tb.cpu.read(regs::limit::offset), good);
        }
    });
}

TEST(PPB_DEVICE_SUITE(regs), limit_down_to_fill_sets_full) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.command(opcode::commit, 0, 10);
        tb.cpu.wait_idle();
        tb.cpu.write(regs::irq_status::offset, regs::irq::all);
        tb.cpu.write(regs::limit::offset, 10);
        EXPECT_TRUE(regs::status::full.get(tb.cpu.read(regs::status::offset)));
        EXPECT_EQ(tb.cpu.read(regs::irq_status::offset), regs::irq::full.mask());
    });
}

// ---------------------------------------------------------------------------- bad access

TEST(PPB_DEVICE_SUITE(bus), unmapped_register_offsets_answer_address_error_and_change_nothing) {
    engine_bench tb;
    tb.run([&] {
        std::vector<bool> mapped(regs::regs_size / 4);
        for (const auto& r : regs::all_regs)
            mapped[r.offset / 4] = true;
        tb.cpu.write(regs::threshold::offset, 77);
        const auto before = tb.state();
        unsigned unmapped = 0;
        for (std::uint32_t off = 0; off < regs::regs_size; off += 4) {
            if (mapped[off / 4])
                continue;
            ++unmapped;
            std::uint32_t v = 0xFFFFFFFFu;
            EXPECT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, off, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE) << off;
            v = 0xDEADBEEF;
            EXPECT_EQ(tb.cpu.access(tlm::TLM_READ_COMMAND, off, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE) << off;
        }
        EXPECT_EQ(unmapped, regs::regs_size / 4 - regs::all_regs.size());
        EXPECT_EQ(tb.state(), before);
        EXPECT_EQ(tb.dut.stats().bus_errors, 2u * unmapped);
    });
}

TEST(PPB_DEVICE_SUITE(bus), every_bad_access_gets_its_error_and_changes_nothing) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::drop_when_full.mask());  // a non-reset state to protect
        tb.cpu.write(regs::threshold::offset, 77);
        std::vector<std::uint8_t> buf(2 * cap + 16, 0xEE);
        const unsigned char be_partial[4] = {0xFF, 0xFF, 0x00, 0xFF};
        struct bad {
            const char* what;
            tlm::tlm_command cmd;
            std::uint64_t addr;
            unsigned len;
            const unsigned char* be;
            tlm::tlm_response_status want;
            unsigned sw = 0;
        };
        const bad cases[] = {
            {"unmapped register", tlm::TLM_WRITE_COMMAND, regs::irq_test::offset + 4, 4, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"unmapped register read", tlm::TLM_READ_COMMAND, regs::irq_test::offset + 4, 4, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"gap after registers", tlm::TLM_WRITE_COMMAND, regs::regs_size + 0x100, 4, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"gap between banks", tlm::TLM_WRITE_COMMAND, regs::bank0_base + cap + 8, 4, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"past BANK1", tlm::TLM_WRITE_COMMAND, regs::bank1_base + cap, 1, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"beyond 22 bits", tlm::TLM_WRITE_COMMAND, std::uint64_t{1} << regs::addr_bits, 4, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"byte write to a register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, 1, nullptr,
             tlm::TLM_BURST_ERROR_RESPONSE},
            {"half-word read of a register", tlm::TLM_READ_COMMAND, regs::fill::offset, 2, nullptr,
             tlm::TLM_BURST_ERROR_RESPONSE},
            {"two registers in one burst", tlm::TLM_WRITE_COMMAND, regs::arg0::offset, 8, nullptr,
             tlm::TLM_BURST_ERROR_RESPONSE},
            {"misaligned register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset + 2, 4, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"misaligned register read", tlm::TLM_READ_COMMAND, regs::threshold::offset + 1, 4, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"partial byte enables on a register (PSTRB)", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, 4,
             be_partial, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE},
            {"partial byte enables on a register read", tlm::TLM_READ_COMMAND, regs::threshold::offset, 4, be_partial,
             tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE},
            {"partial byte enables on an unmapped register", tlm::TLM_WRITE_COMMAND, regs::irq_test::offset + 8, 4,
             be_partial, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"streaming width on a register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, 8, nullptr,
             tlm::TLM_BURST_ERROR_RESPONSE, 4},
            {"bank burst past CAPACITY", tlm::TLM_WRITE_COMMAND, regs::bank0_base + 8, cap, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"oversized burst", tlm::TLM_WRITE_COMMAND, regs::bank1_base, cap + 4, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"burst across windows", tlm::TLM_WRITE_COMMAND, regs::bank1_base - 4, 8, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"register window into the gap", tlm::TLM_WRITE_COMMAND, regs::regs_size - 4, 8, nullptr,
             tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"zero-length bank burst", tlm::TLM_WRITE_COMMAND, regs::bank0_base, 0, nullptr,
             tlm::TLM_BURST_ERROR_RESPONSE},
            {"zero-length register access", tlm::TLM_READ_COMMAND, regs::fill::offset, 0, nullptr,
             tlm::TLM_BURST_ERROR_RESPONSE},
        };
        // The zero-length cases break initiator rules on purpose, to see the target refuse them.
        tb.bus_check.set_enabled(check::tlm_rule::data_length_zero, false);
        tb.bus_check.set_enabled(check::tlm_rule::streaming_width_zero, false);
        for (const auto& k : cases) {
            const auto before = tb.state();
            const sc_time t0 = sc_time_stamp();
            EXPECT_EQ(tb.cpu.access(k.cmd, k.addr, buf.data(), k.len, k.be, k.be ? 4 : 0, k.sw), k.want) << k.what;
            EXPECT_EQ(tb.state(), before) << k.what << " changed state";
            EXPECT_EQ(sc_time_stamp() - t0, clk * 2.0) << k.what << ": an error still takes its APB transfer";
        }
        EXPECT_EQ(tb.dut.stats().bus_errors, std::size(cases)) << "every error counted, and nothing else";
    });
}

TEST(PPB_DEVICE_SUITE(bus), ignore_command_decodes_like_an_access_and_changes_nothing) {
    engine_bench tb;
    tb.run([&] {
        std::uint32_t v = 0x1234;
        EXPECT_EQ(tb.cpu.access(tlm::TLM_IGNORE_COMMAND, regs::threshold::offset, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.cpu.last_delay, SC_ZERO_TIME);
        EXPECT_EQ(tb.cpu.read(regs::threshold::offset), 0u);
        EXPECT_EQ(tb.cpu.access(tlm::TLM_IGNORE_COMMAND, regs::irq_test::offset + 4, &v, 4),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(tb.cpu.last_delay, clk * 2.0);
        const unsigned char all_on[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        EXPECT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::threshold::offset, &v, 4, all_on, 4),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.cpu.read(regs::threshold::offset), 0x1234u);
    });
}

// ---------------------------------------------------------------------------- banks

TEST(PPB_DEVICE_SUITE(bus), bank_byte_enables_and_streaming_width_are_honoured) {
    engine_bench tb;
    tb.run([&] {
        std::vector<std::uint8_t> ones(8, 0x11), data = pattern(8);
        ASSERT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, ones.data(), 8), tlm::TLM_OK_RESPONSE);
        const unsigned char be[2] = {0xFF, 0x00};  // every other byte, repeated over the burst
        ASSERT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, data.data(), 8, be, 2), tlm::TLM_OK_RESPONSE);
        auto bank0 = tb.cpu.dbg_bank(0, cap);
        for (unsigned i = 0; i < 8; ++i)
            EXPECT_EQ(bank0[i], i % 2 ? 0x11 : data[i]) << i;
        // Reads with byte enables leave the disabled bytes of the buffer alone.
        std::vector<std::uint8_t> back(8, 0x77);
        ASSERT_EQ(tb.cpu.access(tlm::TLM_READ_COMMAND, regs::bank0_base, back.data(), 8, be, 2), tlm::TLM_OK_RESPONSE);
        for (unsigned i = 0; i < 8; ++i)
            EXPECT_EQ(back[i], i % 2 ? 0x77 : data[i]) << i;
        // Streaming width 2: the 8 bytes land on the same two addresses, the last pair wins.
        ASSERT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::bank1_base + 4, data.data(), 8, nullptr, 0, 2),
                  tlm::TLM_OK_RESPONSE);
        const auto bank1 = tb.cpu.dbg_bank(1, cap);
        EXPECT_EQ(bank1[4], data[6]);
        EXPECT_EQ(bank1[5], data[7]);
        EXPECT_EQ(bank1[6], 0);
    });
}

TEST(PPB_DEVICE_SUITE(bus), bank_bursts_of_every_alignment_and_length_read_back) {
    engine_bench tb;
    tb.run([&] {
        std::vector<std::uint8_t> shadow(cap);
        std::uint8_t seed = 1;
        for (std::uint32_t off = 0; off < 8; ++off) {
            for (std::uint32_t len = 1; len <= 13; ++len) {
                auto data = pattern(len, seed++);
                ASSERT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::bank1_base + off, data.data(), len),
                          tlm::TLM_OK_RESPONSE);
                std::copy(data.begin(), data.end(), shadow.begin() + off);
                std::vector<std::uint8_t> back(len);
                ASSERT_EQ(tb.cpu.access(tlm::TLM_READ_COMMAND, regs::bank1_base + off, back.data(), len),
                          tlm::TLM_OK_RESPONSE);
                EXPECT_EQ(back, data) << off << "+" << len;
                EXPECT_EQ(tb.cpu.dbg_bank(1, cap), shadow) << off << "+" << len << ": other bytes changed";
            }
        }
        // The last word of each bank, and the whole of it.
        auto all = pattern(cap, 9);
        ASSERT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, all.data(), cap), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.cpu.dbg_bank(0, cap), all);
    });
}

TEST(PPB_DEVICE_SUITE(bus), register_access_takes_two_cycles_and_bursts_two_per_word_touched) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.read(regs::id::offset);
        EXPECT_EQ(tb.cpu.last_delay, clk * 2.0);
        std::vector<std::uint8_t> buf(64);
        struct burst {
            std::uint32_t offset, len, words;
        };
        for (const burst b :
             {burst{0, 1, 1}, {3, 1, 1}, {3, 2, 2}, {0, 4, 1}, {1, 4, 2}, {0, 64, 16}, {2, 63, 17}, {1, 7, 2}}) {
            ASSERT_EQ(tb.cpu.access(tlm::TLM_READ_COMMAND, regs::bank1_base + b.offset, buf.data(), b.len),
                      tlm::TLM_OK_RESPONSE);
            EXPECT_EQ(tb.cpu.last_delay, clk * (2.0 * b.words)) << b.offset << "+" << b.len;
        }
        // Decoupled: a transaction annotated ahead of SystemC's time starts at its local time.
        std::uint32_t v = 0;
        ASSERT_EQ(tb.cpu.access_at(tlm::TLM_READ_COMMAND, regs::id::offset, &v, 4, clk * 7.0), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.cpu.last_delay, clk * 2.0);
    });
}

// ---------------------------------------------------------------------------- DMI and debug

// Whether an engine grants DMI on the banks is its own (the model does, the RTL never does:
// model/ppb_model_test.cpp, rtl/test/rtl_engine_test.cpp); outside the banks neither may.
TEST(PPB_DEVICE_SUITE(dmi), refused_outside_the_bank_windows) {
    engine_bench tb;
    tb.run([&] {
        tlm::tlm_generic_payload tx;
        tlm::tlm_dmi dmi;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(regs::fill::offset);
        EXPECT_FALSE(tb.cpu.socket->get_direct_mem_ptr(tx, dmi));
        EXPECT_TRUE(dmi.is_none_allowed());
        EXPECT_LE(dmi.get_start_address(), regs::fill::offset);
        EXPECT_GE(dmi.get_end_address(), regs::fill::offset);
        tlm::tlm_dmi gap;
        tx.set_address(regs::bank0_base + cap + 4);
        EXPECT_FALSE(tb.cpu.socket->get_direct_mem_ptr(tx, gap));
    });
}

TEST(PPB_DEVICE_SUITE(dbg), register_reads_have_no_side_effects_and_banks_load_through_it) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::irq_test::offset, regs::irq::cmd_done.mask());
        const auto before = tb.state();
        const auto cycles_before = tb.dut.stats().cycles;
        const sc_time t0 = sc_time_stamp();
        EXPECT_EQ(tb.cpu.dbg_read32(regs::irq_status::offset), regs::irq::cmd_done.mask());
        EXPECT_EQ(tb.cpu.dbg_read32(regs::id::offset), regs::block_id);
        EXPECT_EQ(tb.state(), before);
        EXPECT_EQ(sc_time_stamp(), t0) << "the debug path takes no simulated time";
        EXPECT_EQ(tb.dut.stats().cycles, cycles_before) << "the debug path runs no clock cycle";
        std::uint32_t v = 0xFFFFFFFF;
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_address(regs::irq_status::offset);
        tx.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
        tx.set_data_length(4);
        EXPECT_EQ(tb.cpu.socket->transport_dbg(tx), 0u) << "register writes are refused through the debug path";
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(regs::irq_test::offset + 4);
        EXPECT_EQ(tb.cpu.socket->transport_dbg(tx), 0u) << "unmapped";
        EXPECT_EQ(tb.cpu.dbg_read32(regs::irq_status::offset), regs::irq::cmd_done.mask());
        // Backdoor load of a bank, read back through the debug path and through the bus.
        auto data = pattern(100);
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_address(regs::bank1_base + 10);
        tx.set_data_ptr(data.data());
        tx.set_data_length(100);
        EXPECT_EQ(tb.cpu.socket->transport_dbg(tx), 100u);
        std::vector<std::uint8_t> back(100);
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_data_ptr(back.data());
        EXPECT_EQ(tb.cpu.socket->transport_dbg(tx), 100u);
        EXPECT_EQ(back, data);
        std::vector<std::uint8_t> bus_back(100);
        ASSERT_EQ(tb.cpu.access(tlm::TLM_READ_COMMAND, regs::bank1_base + 10, bus_back.data(), 100),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(bus_back, data) << "a backdoor load is what the bus reads";
        tx.set_address(regs::bank1_base + cap - 10);
        EXPECT_EQ(tb.cpu.socket->transport_dbg(tx), 0u) << "past CAPACITY";
    });
}

}  // namespace
}  // namespace ppb::test
