// The RTL through its APB transactor: registers (reset values, read/write, bit-bash, RW1C,
// IRQ_TEST, write-only and read-only behaviour), error responses for every class of bad access,
// bus timing, DMI refusal, the debug transport, construction, reset and waveforms.
// Table-driven from the generated register description; each test is its own process.
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/test/rtl_bench.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace ppb::rtl::test {
namespace {

using namespace sc_core;
using rtl_bench = bench<ppb_rtl>;
constexpr std::uint32_t cap = 1024;

bool is_plain_rw(const regs::reg_desc& r) {
    return r.access == regs::access::rw && r.offset != regs::limit::offset;  // LIMIT has range rules
}

// ---------------------------------------------------------------------------- registers

void check_reset_values(std::uint32_t capacity) {
    rtl_bench tb(capacity);
    tb.run([&] {
        for (const auto& r : regs::all_regs)
            EXPECT_EQ(tb.cpu.read(r.offset), reset_value(r, capacity)) << r.name << " with CAPACITY " << capacity;
    });
}

TEST(rtl_regs, reset_value_of_every_register_capacity_1024) {
    check_reset_values(1024);
}

TEST(rtl_regs, reset_value_of_every_register_capacity_4096) {
    check_reset_values(4096);
}

TEST(rtl_regs, rw_registers_read_back_and_no_other_register_changes) {
    rtl_bench tb;
    tb.run([&] {
        for (const auto& r : regs::all_regs) {
            if (!is_plain_rw(r))
                continue;
            for (std::uint32_t v : {0xFFFFFFFFu, 0xA5A5A5A5u, 0x5A5A5A5Au, 0u}) {
                tb.cpu.write(r.offset, v);
                for (const auto& other : regs::all_regs) {
                    const std::uint32_t want =
                        other.offset == r.offset ? v & r.writable_mask : reset_value(other, cap);
                    EXPECT_EQ(tb.cpu.read(other.offset), want)
                        << "after writing 0x" << std::hex << v << " to " << r.name << ", " << other.name;
                }
                tb.cpu.write(r.offset, reset_value(r, cap));
            }
        }
    });
}

TEST(rtl_regs, bit_bash_every_bit_of_every_rw_register) {
    rtl_bench tb;
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

TEST(rtl_regs, limit_bit_bash_within_its_range) {
    rtl_bench tb;
    tb.run([&] {
        for (unsigned bit = 0; bit < 32; ++bit) {
            const std::uint32_t v = 1u << bit;
            tb.cpu.write(regs::limit::offset, v);
            EXPECT_EQ(tb.cpu.read(regs::limit::offset), v <= cap ? v : cap) << "bit " << bit;
            tb.cpu.write(regs::limit::offset, cap);
        }
    });
}

TEST(rtl_regs, ro_writes_are_ignored_and_answered_ok) {
    rtl_bench tb;
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

TEST(rtl_regs, write_only_registers_read_zero) {
    rtl_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::irq_test::offset, regs::irq::all);
        EXPECT_EQ(tb.cpu.read(regs::irq_test::offset), 0u);
        tb.cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::reset));
        EXPECT_EQ(tb.cpu.read(regs::cmd::offset), 0u);
    });
}

TEST(rtl_regs, irq_test_sets_and_rw1c_clears_exactly_the_written_bits) {
    rtl_bench tb;
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

TEST(rtl_regs, irq_pin_follows_status_and_enable_for_every_bit) {
    rtl_bench tb;
    tb.run([&] {
        for (const auto f : {regs::irq::threshold, regs::irq::full, regs::irq::overflow, regs::irq::cmd_done,
                             regs::irq::cmd_error}) {
            tb.cpu.write(regs::irq_test::offset, f.mask());
            wait(clk);
            EXPECT_FALSE(tb.irq.read()) << "disabled bit " << f.lsb;
            tb.cpu.write(regs::irq_enable::offset, f.mask());
            wait(SC_ZERO_TIME);
            EXPECT_TRUE(tb.irq.read()) << "enabled bit " << f.lsb;
            tb.cpu.write(regs::irq_status::offset, f.mask());
            wait(SC_ZERO_TIME);
            EXPECT_FALSE(tb.irq.read()) << "cleared bit " << f.lsb;
            tb.cpu.write(regs::irq_enable::offset, 0);
        }
    });
}

TEST(rtl_regs, irq_pin_rises_in_the_cycle_after_the_irq_test_write) {
    rtl_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::irq_enable::offset, regs::irq::all);
        const sc_time t0 = sc_time_stamp();
        tb.cpu.write(regs::irq_test::offset, regs::irq::cmd_done.mask());
        if (!tb.irq.read())
            wait(tb.irq.posedge_event());
        EXPECT_EQ(cycles(sc_time_stamp() - t0), 2u) << "setup, access; visible from the next cycle";
    });
}

TEST(rtl_regs, dropped_clears_on_any_write) {
    rtl_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::limit::offset, 16);
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask() | regs::ctrl::drop_when_full.mask());
        tb.src.push(pattern(20));
        EXPECT_EQ(tb.cpu.read(regs::dropped::offset), 4u);
        tb.cpu.write(regs::dropped::offset, 0x1234u);
        EXPECT_EQ(tb.cpu.read(regs::dropped::offset), 0u);
    });
}

TEST(rtl_regs, limit_accepts_1_to_capacity_at_or_above_fill_and_refuses_the_rest) {
    rtl_bench tb;
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

TEST(rtl_regs, limit_down_to_fill_sets_full) {
    rtl_bench tb;
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

TEST(rtl_bus, unmapped_register_offsets_answer_address_error_and_change_nothing) {
    rtl_bench tb;
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

TEST(rtl_bus, every_bad_access_gets_the_models_error_and_changes_nothing) {
    rtl_bench tb;
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
            {"unmapped register", tlm::TLM_WRITE_COMMAND, regs::irq_test::offset + 4, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"unmapped register read", tlm::TLM_READ_COMMAND, regs::irq_test::offset + 4, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"gap after registers", tlm::TLM_WRITE_COMMAND, regs::regs_size + 0x100, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"gap between banks", tlm::TLM_WRITE_COMMAND, regs::bank0_base + cap + 8, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"past BANK1", tlm::TLM_WRITE_COMMAND, regs::bank1_base + cap, 1, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"beyond 22 bits", tlm::TLM_WRITE_COMMAND, std::uint64_t{1} << regs::addr_bits, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"byte write to a register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, 1, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
            {"half-word read of a register", tlm::TLM_READ_COMMAND, regs::fill::offset, 2, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
            {"two registers in one burst", tlm::TLM_WRITE_COMMAND, regs::arg0::offset, 8, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
            {"misaligned register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset + 2, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"misaligned register read", tlm::TLM_READ_COMMAND, regs::threshold::offset + 1, 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"partial byte enables on a register (PSTRB)", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, 4, be_partial, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE},
            {"partial byte enables on a register read", tlm::TLM_READ_COMMAND, regs::threshold::offset, 4, be_partial, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE},
            {"partial byte enables on an unmapped register", tlm::TLM_WRITE_COMMAND, regs::irq_test::offset + 8, 4, be_partial, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"streaming width on a register", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, 8, nullptr, tlm::TLM_BURST_ERROR_RESPONSE, 4},
            {"bank burst past CAPACITY", tlm::TLM_WRITE_COMMAND, regs::bank0_base + 8, cap, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"oversized burst", tlm::TLM_WRITE_COMMAND, regs::bank1_base, cap + 4, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"burst across windows", tlm::TLM_WRITE_COMMAND, regs::bank1_base - 4, 8, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"register window into the gap", tlm::TLM_WRITE_COMMAND, regs::regs_size - 4, 8, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},
            {"zero-length bank burst", tlm::TLM_WRITE_COMMAND, regs::bank0_base, 0, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
            {"zero-length register access", tlm::TLM_READ_COMMAND, regs::fill::offset, 0, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},
        };
        // The zero-length cases break initiator rules on purpose, to see the target refuse them.
        tb.bus_check.set_enabled(ppb::check::tlm_rule::data_length_zero, false);
        tb.bus_check.set_enabled(ppb::check::tlm_rule::streaming_width_zero, false);
        const auto errors0 = tb.dut.stats().bus_errors;
        for (const auto& k : cases) {
            const auto before = tb.state();
            const sc_time t0 = sc_time_stamp();
            EXPECT_EQ(tb.cpu.access(k.cmd, k.addr, buf.data(), k.len, k.be, k.be ? 4 : 0, k.sw), k.want) << k.what;
            EXPECT_EQ(tb.state(), before) << k.what << " changed state";
            EXPECT_EQ(sc_time_stamp() - t0, clk * 2.0) << k.what << ": an error still takes its APB transfer";
        }
        EXPECT_EQ(tb.dut.stats().bus_errors - errors0, std::size(cases));
    });
}

TEST(rtl_bus, ignore_command_decodes_like_an_access_and_changes_nothing) {
    rtl_bench tb;
    tb.run([&] {
        std::uint32_t v = 0x1234;
        EXPECT_EQ(tb.cpu.access(tlm::TLM_IGNORE_COMMAND, regs::threshold::offset, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.cpu.last_delay, SC_ZERO_TIME);
        EXPECT_EQ(tb.cpu.read(regs::threshold::offset), 0u);
        EXPECT_EQ(tb.cpu.access(tlm::TLM_IGNORE_COMMAND, regs::irq_test::offset + 4, &v, 4),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(tb.cpu.last_delay, clk * 2.0);
        const unsigned char all_on[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        EXPECT_EQ(tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::threshold::offset, &v, 4, all_on, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(tb.cpu.read(regs::threshold::offset), 0x1234u);
    });
}

// ---------------------------------------------------------------------------- banks

TEST(rtl_bus, bank_byte_enables_and_streaming_width_are_honoured) {
    rtl_bench tb;
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

TEST(rtl_bus, bank_bursts_of_every_alignment_and_length_read_back) {
    rtl_bench tb;
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

TEST(rtl_bus, register_access_takes_two_cycles_and_bursts_two_per_word_touched) {
    rtl_bench tb;
    tb.run([&] {
        tb.cpu.read(regs::id::offset);
        EXPECT_EQ(tb.cpu.last_delay, clk * 2.0);
        std::vector<std::uint8_t> buf(64);
        struct burst {
            std::uint32_t offset, len, words;
        };
        for (const burst b : {burst{0, 1, 1}, {3, 1, 1}, {3, 2, 2}, {0, 4, 1}, {1, 4, 2}, {0, 64, 16}, {2, 63, 17}, {1, 7, 2}}) {
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

TEST(rtl_dmi, never_granted) {
    rtl_bench tb;
    tb.run([&] {
        for (const std::uint64_t a : {std::uint64_t{regs::fill::offset}, std::uint64_t{regs::bank0_base},
                                      std::uint64_t{regs::bank1_base} + 17}) {
            tlm::tlm_generic_payload tx;
            tlm::tlm_dmi dmi;
            tx.set_address(a);
            tx.set_command(tlm::TLM_READ_COMMAND);
            EXPECT_FALSE(tb.cpu.socket->get_direct_mem_ptr(tx, dmi));
            EXPECT_TRUE(dmi.is_none_allowed());
            EXPECT_LE(dmi.get_start_address(), a);
            EXPECT_GE(dmi.get_end_address(), a);
        }
        tb.dut.set_dmi_allowed(true);
        std::uint8_t byte = 0;
        tlm::tlm_generic_payload rd;
        sc_time d = SC_ZERO_TIME;
        rd.set_command(tlm::TLM_READ_COMMAND);
        rd.set_address(regs::bank1_base);
        rd.set_data_ptr(&byte);
        rd.set_data_length(1);
        rd.set_streaming_width(1);
        rd.set_dmi_allowed(true);  // wrongly set on purpose: the target must clear it
        tb.bus_check.set_enabled(ppb::check::tlm_rule::dmi_hint_set, false);
        tb.cpu.socket->b_transport(rd, d);
        EXPECT_FALSE(rd.is_dmi_allowed());
        EXPECT_EQ(tb.dut.stats().dmi_grants, 0u);
    });
}

TEST(rtl_dbg, register_reads_have_no_side_effects_and_banks_load_through_it) {
    rtl_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::irq_test::offset, regs::irq::cmd_done.mask());
        const auto before = tb.state();
        const auto cycles_before = tb.dut.stats().cycles;
        EXPECT_EQ(tb.cpu.dbg_read32(regs::irq_status::offset), regs::irq::cmd_done.mask());
        EXPECT_EQ(tb.cpu.dbg_read32(regs::id::offset), regs::block_id);
        EXPECT_EQ(tb.state(), before);
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
        auto data = pattern(100);
        tb.cpu.dbg_load(1, 10, data);
        std::vector<std::uint8_t> back(100);
        ASSERT_EQ(tb.cpu.access(tlm::TLM_READ_COMMAND, regs::bank1_base + 10, back.data(), 100), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(back, data) << "a backdoor load is what the bus reads";
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(regs::bank1_base + cap - 10);
        tx.set_data_ptr(back.data());
        tx.set_data_length(100);
        EXPECT_EQ(tb.cpu.socket->transport_dbg(tx), 0u) << "past CAPACITY";
    });
}

// ---------------------------------------------------------------------------- construction, reset, waves

TEST(rtl_misc, bad_parameters_are_refused_at_construction) {
    EXPECT_THROW(ppb_rtl("bad_capacity", 2048), std::invalid_argument) << "a CAPACITY that was not verilated";
    EXPECT_THROW(ppb_rtl("zero_clock", 1024, SC_ZERO_TIME), std::invalid_argument);
    EXPECT_EQ(ppb_rtl::capacities(), (std::vector<std::uint32_t>{1024, 4096}));
}

// Run with PPB_RTL_PLUSARGS="+verilator+rand+reset+2 +verilator+seed+N" (CTest's rtl_xrand.*),
// the RAMs start random, proving the option reaches the model; without it they start zero.
TEST(rtl_misc, x_randomisation_reaches_the_verilated_model) {
    rtl_bench tb;
    bool random = false;
    std::string args;
    for (const auto& a : tb.dut.plusargs()) {
        args += " " + a;
        random |= a == "+verilator+rand+reset+2";
    }
    std::printf("Verilator options:%s\n", args.empty() ? " (none)" : args.c_str());
    tb.run([&] {
        const auto bank = tb.cpu.dbg_bank(0, cap);
        const auto zeros = static_cast<std::size_t>(std::count(bank.begin(), bank.end(), 0));
        if (random)
            EXPECT_LT(zeros, cap / 8) << "random RAM contents";
        else
            EXPECT_EQ(zeros, cap) << "RAM starts zero";
        for (const auto& r : regs::all_regs)
            EXPECT_EQ(tb.cpu.read(r.offset), reset_value(r, cap)) << r.name;
    });
}

TEST(rtl_misc, hard_reset_restores_registers_abandons_the_command_and_keeps_ram) {
    rtl_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
        tb.src.push(pattern(500));
        tb.cpu.command(opcode::shift, 1);  // 2 + 125 BUSY cycles
        EXPECT_TRUE(regs::status::busy.get(tb.cpu.read(regs::status::offset)));
        tb.dut.hard_reset();
        for (const auto& r : regs::all_regs)
            EXPECT_EQ(tb.cpu.read(r.offset), reset_value(r, cap)) << r.name;
        wait(clk * 200.0);
        EXPECT_EQ(tb.cpu.read(regs::swaps::offset), 0u) << "the abandoned SHIFT never swaps";
        const auto want = pattern(500);
        const auto bank0 = tb.cpu.dbg_bank(0, cap);
        EXPECT_TRUE(std::equal(want.begin(), want.end(), bank0.begin()));
    });
}

TEST(rtl_misc, trace_and_fst_have_the_signals_a_person_debugs_with) {
    const std::string base = ::testing::TempDir() + "ppb_rtl_trace";
    {
        rtl_bench tb;
        sc_trace_file* tf = sc_create_vcd_trace_file(base.c_str());
        tb.dut.trace(tf);
        tb.dut.trace_fst(base + ".fst");
        tb.run([&] {
            tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
            tb.src.push(pattern(64));
            tb.cpu.command(opcode::consume, 0, 10);
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
    std::ifstream fst(base + ".fst", std::ios::binary | std::ios::ate);
    ASSERT_TRUE(fst) << base << ".fst";
    EXPECT_GT(fst.tellg(), 1000) << "the FST file holds the RTL's signals";
    std::remove((base + ".vcd").c_str());
    std::remove((base + ".fst").c_str());
}

}  // namespace
}  // namespace ppb::rtl::test
