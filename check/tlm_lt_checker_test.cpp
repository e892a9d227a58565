// The TLM-2.0 LT checker (check/tlm_lt_checker.hpp): a legal workload through it to a correct
// target raises nothing; for every rule, a deliberately broken target or initiator makes exactly
// that rule fire; and a violation is reported as an SC_REPORT_ERROR of type "ppb/check/tlm".
#include "check/tlm_lt_checker.hpp"
#include "testbench/harness/sim_bench.hpp"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <array>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace ppb::check {
namespace {

using namespace sc_core;
using tlm_rule = ppb::check::tlm_rule;

// What the broken target does wrong (none: a correct LT target).
enum class fault {
    none,
    status_left_incomplete,
    status_invalid,
    command_modified,
    address_modified,
    data_ptr_modified,
    data_length_modified,
    byte_enable_ptr_modified,
    byte_enable_length_modified,
    streaming_width_modified,
    write_data_modified,
    byte_enable_data_modified,
    byte_enables_ignored,
    streaming_width_ignored,
    delay_decreased,
    dmi_stale,
    dmi_range_excludes_address,
    dmi_null_pointer,
    dmi_read_only,
    dmi_payload_modified,
    invalidate_inverted,
    dbg_count_too_big,
    dbg_payload_modified,
    dbg_waits,
    dbg_read_clears_status,
    dbg_write_spills,
};

// A memory of 256 bytes at 0x1000 and one status register at 0x0 (RW1C-like on b_transport).
class target_model : public sc_module {
public:
    static constexpr std::uint64_t mem_base = 0x1000;
    static constexpr std::size_t mem_size = 256;
    tlm_utils::simple_target_socket<target_model, 32> socket;
    fault f = fault::none;
    std::uint32_t status = 0x5;

    explicit target_model(const sc_module_name& n) : sc_module(n), socket("socket") {
        socket.register_b_transport(this, &target_model::b_transport);
        socket.register_get_direct_mem_ptr(this, &target_model::get_direct_mem_ptr);
        socket.register_transport_dbg(this, &target_model::transport_dbg);
        for (std::size_t i = 0; i < mem_size; ++i)
            mem[i] = static_cast<unsigned char>(i * 7 + 3);
    }

    void invalidate(std::uint64_t s, std::uint64_t e) { socket->invalidate_direct_mem_ptr(s, e); }

    std::array<unsigned char, mem_size> mem{};
    std::array<unsigned char, mem_size> shadow{};  // what a stale DMI grant points to

private:
    void b_transport(tlm::tlm_generic_payload& tx, sc_time& delay) {
        static unsigned char other[64];
        static unsigned char other_be[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        const std::uint64_t a = tx.get_address();
        unsigned char* d = tx.get_data_ptr();
        const std::size_t len = tx.get_data_length();
        const std::size_t sw = f == fault::streaming_width_ignored ? len : tx.get_streaming_width();
        const unsigned char* be = f == fault::byte_enables_ignored ? nullptr : tx.get_byte_enable_ptr();
        const unsigned be_len = tx.get_byte_enable_length();
        delay += sc_time(10, SC_NS);
        if (!d || len == 0 || sw == 0 || (be && be_len == 0)) {
            tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);  // malformed: refused, nothing touched
        } else if (a == 0 && len == 4) {
            if (tx.is_read())
                std::memcpy(d, &status, 4);
            else if (tx.is_write()) {
                std::uint32_t v;
                std::memcpy(&v, d, 4);
                status &= ~v;
            }
            tx.set_response_status(tlm::TLM_OK_RESPONSE);
        } else if (a >= mem_base && a + std::min(sw, len) <= mem_base + mem_size) {
            for (std::size_t i = 0; i < len; ++i) {
                if (be && be[i % be_len] != TLM_BYTE_ENABLED)
                    continue;
                unsigned char& cell = mem[a - mem_base + i % sw];
                if (tx.is_write())
                    cell = d[i];
                else if (tx.is_read())
                    d[i] = cell;
            }
            tx.set_response_status(tlm::TLM_OK_RESPONSE);
        } else {
            tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        }
        switch (f) {
        case fault::status_left_incomplete:
            tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            break;
        case fault::status_invalid:
            tx.set_response_status(static_cast<tlm::tlm_response_status>(7));
            break;
        case fault::command_modified:
            tx.set_command(tlm::TLM_IGNORE_COMMAND);
            break;
        case fault::address_modified:
            tx.set_address(a + 4);
            break;
        case fault::data_ptr_modified:
            tx.set_data_ptr(other);
            break;
        case fault::data_length_modified:
            tx.set_data_length(static_cast<unsigned>(len - 1));
            break;
        case fault::byte_enable_ptr_modified:
            tx.set_byte_enable_ptr(other_be);
            break;
        case fault::byte_enable_length_modified:
            tx.set_byte_enable_length(be_len + 1);
            break;
        case fault::streaming_width_modified:
            tx.set_streaming_width(static_cast<unsigned>(sw + 1));
            break;
        case fault::write_data_modified:
            d[0] ^= 0xFF;
            break;
        case fault::byte_enable_data_modified:
            tx.get_byte_enable_ptr()[0] ^= 0xFF;
            break;
        case fault::delay_decreased:
            delay = SC_ZERO_TIME;
            break;
        default:
            break;
        }
    }

    bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
        const std::uint64_t a = tx.get_address();
        if (a < mem_base || a >= mem_base + mem_size) {
            dmi.set_start_address(0);
            dmi.set_end_address(mem_base - 1);
            return false;
        }
        dmi.set_dmi_ptr(f == fault::dmi_stale ? shadow.data() : mem.data());
        dmi.set_start_address(mem_base);
        dmi.set_end_address(mem_base + mem_size - 1);
        dmi.allow_read_write();
        switch (f) {
        case fault::dmi_range_excludes_address:
            dmi.set_start_address(a + 1);
            break;
        case fault::dmi_null_pointer:
            dmi.set_dmi_ptr(nullptr);
            break;
        case fault::dmi_read_only:
            dmi.allow_read();
            break;
        case fault::dmi_payload_modified:
            tx.set_address(mem_base);
            break;
        default:
            break;
        }
        return true;
    }

    unsigned transport_dbg(tlm::tlm_generic_payload& tx) {
        const std::uint64_t a = tx.get_address();
        unsigned char* d = tx.get_data_ptr();
        const unsigned len = tx.get_data_length();
        unsigned n = 0;
        if (a == 0 && len == 4 && tx.is_read()) {
            std::memcpy(d, &status, 4);
            if (f == fault::dbg_read_clears_status)
                status = 0;
            n = 4;
        } else if (a >= mem_base && a + len <= mem_base + mem_size) {
            if (tx.is_read())
                std::memcpy(d, mem.data() + (a - mem_base), len);
            else if (tx.is_write())
                std::memcpy(mem.data() + (a - mem_base), d, len);
            if (tx.is_write() && f == fault::dbg_write_spills && a + len < mem_base + mem_size)
                mem[a - mem_base + len] ^= 0xFF;
            n = len;
        }
        switch (f) {
        case fault::dbg_count_too_big:
            return len + 1;
        case fault::dbg_payload_modified:
            tx.set_address(a + 1);
            break;
        case fault::dbg_waits:
            wait(SC_ZERO_TIME);
            break;
        default:
            break;
        }
        return n;
    }
};

class bench : public ppb::test::sim_bench {
public:
    tlm_utils::simple_initiator_socket<bench, 32> cpu{"cpu"};
    tlm_lt_checker chk{"chk"};
    target_model dut{"dut"};

    explicit bench(const sc_module_name& n) : sim_bench(n) {
        cpu.bind(chk.target);
        chk.initiator.bind(dut.socket);
        cpu.register_invalidate_direct_mem_ptr(this, &bench::invalidated);
        chk.watch(0x0, 4);
        chk.watch(target_model::mem_base, target_model::mem_size);
        chk.add_memory(target_model::mem_base, target_model::mem_base + target_model::mem_size - 1);
    }

    // A transaction as a well-behaved initiator builds it; `edit` may break it.
    tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, unsigned len,
                                    const std::function<void(tlm::tlm_generic_payload&)>& edit = {}) {
        tlm::tlm_generic_payload tx;
        tx.set_command(cmd);
        tx.set_address(addr);
        tx.set_data_ptr(data);
        tx.set_data_length(len);
        tx.set_streaming_width(len);
        if (edit)
            edit(tx);
        sc_time d = SC_ZERO_TIME;
        cpu->b_transport(tx, d);
        wait(d);
        return tx.get_response_status();
    }

    unsigned debug(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, unsigned len) {
        tlm::tlm_generic_payload tx;
        tx.set_command(cmd);
        tx.set_address(addr);
        tx.set_data_ptr(data);
        tx.set_data_length(len);
        tx.set_streaming_width(len);
        return cpu->transport_dbg(tx);
    }

    bool dmi(tlm::tlm_command cmd, std::uint64_t addr, tlm::tlm_dmi& out) {
        tlm::tlm_generic_payload tx;
        tx.set_command(cmd);
        tx.set_address(addr);
        return cpu->get_direct_mem_ptr(tx, out);
    }

    int invalidations = 0;

private:
    void invalidated(sc_dt::uint64, sc_dt::uint64) { ++invalidations; }
};

constexpr std::uint64_t mem = target_model::mem_base;

// A legal workload touching every path the checker watches.
void legal_workload(bench& tb) {
    unsigned char buf[32];
    for (unsigned i = 0; i < sizeof buf; ++i)
        buf[i] = static_cast<unsigned char>(0xA0 + i);
    EXPECT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, mem + 8, buf, 16), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.access(tlm::TLM_READ_COMMAND, mem + 8, buf + 16, 16), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.access(tlm::TLM_READ_COMMAND, 0, buf, 4), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.access(tlm::TLM_READ_COMMAND, 0x80, buf, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(tb.access(tlm::TLM_IGNORE_COMMAND, mem, buf, 4), tlm::TLM_OK_RESPONSE);
    // Byte enables (a pattern shorter than the data) and a streaming width, both directions.
    unsigned char be[3] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED, TLM_BYTE_ENABLED};
    EXPECT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, mem + 40, buf, 12,
                        [&](auto& tx) {
                            tx.set_byte_enable_ptr(be);
                            tx.set_byte_enable_length(3);
                        }),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.access(tlm::TLM_READ_COMMAND, mem + 40, buf, 12,
                        [&](auto& tx) {
                            tx.set_byte_enable_ptr(be);
                            tx.set_byte_enable_length(3);
                        }),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, mem + 60, buf, 16, [](auto& tx) { tx.set_streaming_width(4); }),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.access(tlm::TLM_READ_COMMAND, mem + 60, buf, 16, [](auto& tx) { tx.set_streaming_width(4); }),
              tlm::TLM_OK_RESPONSE);
    // DMI: granted, coherent with b_transport; denied outside with a range that holds the address.
    tlm::tlm_dmi d;
    EXPECT_TRUE(tb.dmi(tlm::TLM_WRITE_COMMAND, mem + 4, d));
    tlm::tlm_dmi none;
    EXPECT_FALSE(tb.dmi(tlm::TLM_READ_COMMAND, 0x10, none));
    EXPECT_EQ(tb.access(tlm::TLM_READ_COMMAND, mem + 8, buf, 16), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(tb.access(tlm::TLM_WRITE_COMMAND, mem + 100, buf, 16), tlm::TLM_OK_RESPONSE);
    // Debug transport: reads, and a write whose bytes are the only change.
    EXPECT_EQ(tb.debug(tlm::TLM_READ_COMMAND, 0, buf, 4), 4u);
    EXPECT_EQ(tb.debug(tlm::TLM_READ_COMMAND, mem, buf, 32), 32u);
    EXPECT_EQ(tb.debug(tlm::TLM_WRITE_COMMAND, mem + 200, buf, 8), 8u);
    tb.dut.invalidate(mem, mem + 255);
}

TEST(tlm_checker, legal_workload_raises_nothing) {
    bench tb("tb");
    tb.run([&] { legal_workload(tb); });
    EXPECT_EQ(tb.chk.violations(), 0u) << tb.chk.last_violation();
    EXPECT_EQ(tb.chk.transactions(), 11u);
    EXPECT_EQ(tb.invalidations, 1) << "invalidate_direct_mem_ptr is forwarded to the initiator";
}

struct negative {
    const char* name;
    tlm_rule rule;
    fault f;
    std::function<void(bench&)> act;  // empty: the legal workload against the broken target
};

void write16(bench& tb) {
    unsigned char buf[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    (void)tb.access(tlm::TLM_WRITE_COMMAND, mem, buf, 16);
}
void read16(bench& tb) {
    unsigned char buf[16] = {};
    (void)tb.access(tlm::TLM_READ_COMMAND, mem, buf, 16);
}
void with_be(bench& tb, tlm::tlm_command cmd) {
    unsigned char buf[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    unsigned char be[2] = {TLM_BYTE_DISABLED, TLM_BYTE_ENABLED};
    (void)tb.access(cmd, mem + 16, buf, 8, [&](auto& tx) {
        tx.set_byte_enable_ptr(be);
        tx.set_byte_enable_length(2);
    });
}
void streamed(bench& tb, tlm::tlm_command cmd) {
    unsigned char buf[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    (void)tb.access(cmd, mem + 32, buf, 16, [](auto& tx) { tx.set_streaming_width(4); });
}
void dmi_write(bench& tb) {
    tlm::tlm_dmi d;
    (void)tb.dmi(tlm::TLM_WRITE_COMMAND, mem + 4, d);
}

std::vector<negative> negatives() {
    using C = tlm::tlm_command;
    return {
        // Initiator rules.
        {"command_invalid", tlm_rule::command_invalid, fault::none,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.access(tlm::TLM_READ_COMMAND, mem, b, 4, [](auto& tx) { tx.set_command(static_cast<C>(3)); });
         }},
        {"status_not_incomplete", tlm_rule::status_not_incomplete, fault::none,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.access(tlm::TLM_READ_COMMAND, mem, b, 4,
                             [](auto& tx) { tx.set_response_status(tlm::TLM_OK_RESPONSE); });
         }},
        {"dmi_hint_set", tlm_rule::dmi_hint_set, fault::none,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.access(tlm::TLM_READ_COMMAND, mem, b, 4, [](auto& tx) { tx.set_dmi_allowed(true); });
         }},
        {"data_ptr_null", tlm_rule::data_ptr_null, fault::none,
         [](bench& tb) { (void)tb.access(tlm::TLM_READ_COMMAND, mem, nullptr, 4); }},
        {"data_length_zero", tlm_rule::data_length_zero, fault::none,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.access(tlm::TLM_READ_COMMAND, mem, b, 0, [](auto& tx) { tx.set_streaming_width(4); });
         }},
        {"byte_enable_length_zero", tlm_rule::byte_enable_length_zero, fault::none,
         [](bench& tb) {
             unsigned char b[4], be[4] = {0xFF, 0xFF, 0xFF, 0xFF};
             (void)tb.access(tlm::TLM_READ_COMMAND, mem, b, 4, [&](auto& tx) { tx.set_byte_enable_ptr(be); });
         }},
        {"streaming_width_zero", tlm_rule::streaming_width_zero, fault::none,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.access(tlm::TLM_READ_COMMAND, mem, b, 4, [](auto& tx) { tx.set_streaming_width(0); });
         }},
        {"dmi_descriptor_uninitialised", tlm_rule::dmi_descriptor_uninitialised, fault::none,
         [](bench& tb) {
             tlm::tlm_dmi d;
             d.set_start_address(mem);
             (void)tb.dmi(tlm::TLM_READ_COMMAND, mem, d);
         }},
        {"dmi_command_invalid", tlm_rule::dmi_command_invalid, fault::none,
         [](bench& tb) {
             tlm::tlm_dmi d;
             (void)tb.dmi(tlm::TLM_IGNORE_COMMAND, mem, d);
         }},
        {"dbg_data_ptr_null", tlm_rule::dbg_data_ptr_null, fault::none,
         [](bench& tb) { (void)tb.debug(tlm::TLM_READ_COMMAND, 0x2000, nullptr, 4); }},
        // Target rules.
        {"status_left_incomplete", tlm_rule::status_left_incomplete, fault::status_left_incomplete, read16},
        {"status_invalid", tlm_rule::status_invalid, fault::status_invalid, read16},
        {"command_modified", tlm_rule::command_modified, fault::command_modified, read16},
        {"address_modified", tlm_rule::address_modified, fault::address_modified, read16},
        {"data_ptr_modified", tlm_rule::data_ptr_modified, fault::data_ptr_modified, read16},
        {"data_length_modified", tlm_rule::data_length_modified, fault::data_length_modified, read16},
        {"byte_enable_ptr_modified", tlm_rule::byte_enable_ptr_modified, fault::byte_enable_ptr_modified,
         [](bench& tb) { with_be(tb, tlm::TLM_READ_COMMAND); }},
        {"byte_enable_length_modified", tlm_rule::byte_enable_length_modified, fault::byte_enable_length_modified,
         [](bench& tb) { with_be(tb, tlm::TLM_READ_COMMAND); }},
        {"streaming_width_modified", tlm_rule::streaming_width_modified, fault::streaming_width_modified, read16},
        {"write_data_modified", tlm_rule::write_data_modified, fault::write_data_modified, write16},
        {"byte_enable_data_modified", tlm_rule::byte_enable_data_modified, fault::byte_enable_data_modified,
         [](bench& tb) { with_be(tb, tlm::TLM_READ_COMMAND); }},
        {"disabled_byte_read", tlm_rule::disabled_byte_read, fault::byte_enables_ignored,
         [](bench& tb) { with_be(tb, tlm::TLM_READ_COMMAND); }},
        {"disabled_byte_written", tlm_rule::disabled_byte_written, fault::byte_enables_ignored,
         [](bench& tb) { with_be(tb, tlm::TLM_WRITE_COMMAND); }},
        {"streaming_width_ignored_on_write", tlm_rule::streaming_width_ignored, fault::streaming_width_ignored,
         [](bench& tb) { streamed(tb, tlm::TLM_WRITE_COMMAND); }},
        {"streaming_width_ignored_on_read", tlm_rule::streaming_width_ignored, fault::streaming_width_ignored,
         [](bench& tb) { streamed(tb, tlm::TLM_READ_COMMAND); }},
        {"delay_decreased", tlm_rule::delay_decreased, fault::delay_decreased,
         [](bench& tb) {
             unsigned char b[4];
             tlm::tlm_generic_payload tx;
             tx.set_command(tlm::TLM_READ_COMMAND);
             tx.set_address(mem);
             tx.set_data_ptr(b);
             tx.set_data_length(4);
             tx.set_streaming_width(4);
             sc_time d(100, SC_NS);  // the target sets it to 0: the initiator's local time goes back
             tb.cpu->b_transport(tx, d);
         }},
        {"dmi_data_mismatch", tlm_rule::dmi_data_mismatch, fault::dmi_stale,
         [](bench& tb) {
             dmi_write(tb);
             read16(tb);
         }},
        {"dmi_range_invalid", tlm_rule::dmi_range_invalid, fault::dmi_range_excludes_address, dmi_write},
        {"dmi_null_pointer", tlm_rule::dmi_null_pointer, fault::dmi_null_pointer, dmi_write},
        {"dmi_access_mismatch", tlm_rule::dmi_access_mismatch, fault::dmi_read_only, dmi_write},
        {"dmi_payload_modified", tlm_rule::dmi_payload_modified, fault::dmi_payload_modified, dmi_write},
        {"invalidate_range_invalid", tlm_rule::invalidate_range_invalid, fault::none,
         [](bench& tb) { tb.dut.invalidate(mem + 16, mem); }},
        {"dbg_count_exceeds_length", tlm_rule::dbg_count_exceeds_length, fault::dbg_count_too_big,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.debug(tlm::TLM_READ_COMMAND, mem, b, 4);
         }},
        {"dbg_payload_modified", tlm_rule::dbg_payload_modified, fault::dbg_payload_modified,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.debug(tlm::TLM_READ_COMMAND, mem, b, 4);
         }},
        {"dbg_waited", tlm_rule::dbg_waited, fault::dbg_waits,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.debug(tlm::TLM_READ_COMMAND, mem, b, 4);
         }},
        {"dbg_side_effect", tlm_rule::dbg_side_effect, fault::dbg_read_clears_status,
         [](bench& tb) {
             unsigned char b[4];
             (void)tb.debug(tlm::TLM_READ_COMMAND, 0, b, 4);
         }},
        {"dbg_write_spills_past_its_bytes", tlm_rule::dbg_side_effect, fault::dbg_write_spills,
         [](bench& tb) {
             unsigned char b[4] = {1, 2, 3, 4};
             (void)tb.debug(tlm::TLM_WRITE_COMMAND, mem + 8, b, 4);
         }},
    };
}

void PrintTo(const negative& n, std::ostream* os) {
    *os << n.name;
}

class tlm_checker_negative : public ::testing::TestWithParam<negative> {};

TEST_P(tlm_checker_negative, rule_fires) {
    const negative& n = GetParam();
    bench tb("tb");
    tb.chk.set_reporting(false);
    tb.dut.f = n.f;
    tb.run([&] { n.act(tb); });
    EXPECT_GE(tb.chk.violations(n.rule), 1u) << n.name << ": " << tb.chk.last_violation();
    EXPECT_EQ(tb.chk.violations(), tb.chk.violations(n.rule))
        << n.name << ": other rules fired too; last: " << tb.chk.last_violation();
    EXPECT_NE(tb.chk.last_violation().find(to_string(n.rule)), std::string::npos) << tb.chk.last_violation();
    EXPECT_NE(tb.chk.last_violation().find(culprit(n.rule)), std::string::npos) << tb.chk.last_violation();
}

INSTANTIATE_TEST_SUITE_P(each_rule, tlm_checker_negative, ::testing::ValuesIn(negatives()),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(tlm_checker, every_rule_has_a_negative_test) {
    std::array<bool, tlm_rule_count> covered{};
    for (const auto& n : negatives())
        covered[static_cast<std::size_t>(n.rule)] = true;
    for (std::size_t k = 0; k < tlm_rule_count; ++k)
        EXPECT_TRUE(covered[k]) << to_string(static_cast<tlm_rule>(k)) << " has no negative test";
}

// With reporting on, a violation is an SC_REPORT_ERROR of type ppb/check/tlm naming the rule (the
// harness turns it into a test failure; here a handler of the test's own catches it).
std::vector<std::string> caught;
void catch_report(const sc_report& rep, const sc_actions&) {
    if (rep.get_severity() >= SC_WARNING)
        caught.push_back(std::string(rep.get_msg_type()) + "|" + rep.get_msg());
}

TEST(tlm_checker, a_violation_is_an_sc_report_error_of_its_type) {
    bench tb("tb");
    tb.dut.f = fault::status_left_incomplete;
    sc_report_handler::set_handler(catch_report);
    tb.run([&] { read16(tb); });
    sc_report_handler::set_handler(sc_report_handler::default_handler);
    ASSERT_EQ(caught.size(), 1u) << caught.back();
    EXPECT_EQ(caught[0].rfind("ppb/check/tlm|status_left_incomplete (target", 0), 0u) << caught[0];
    EXPECT_EQ(tb.chk.violations(), 1u);
}

TEST(tlm_checker, a_disabled_rule_is_not_checked) {
    bench tb("tb");
    tb.chk.set_reporting(false);
    tb.chk.set_enabled(tlm_rule::data_length_zero, false);
    tb.run([&] {
        unsigned char b[4];
        (void)tb.access(tlm::TLM_READ_COMMAND, mem, b, 0, [](auto& tx) { tx.set_streaming_width(4); });
    });
    EXPECT_EQ(tb.chk.violations(), 0u) << tb.chk.last_violation();
}

}  // namespace
}  // namespace ppb::check
