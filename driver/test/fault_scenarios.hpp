// Reset and hardware reset in the middle of a copy, for any device with the model's interface
// (instantiated over the TLM model in driver_tlm_test.cpp and over the RTL in rtl_driver_test.cpp).
//
// Both start the same way: host mode, 1000 bytes written, Consume(0, 8) (a residual of 992 bytes:
// a copy of 2 + 248 cycles), and a STATUS read that proves the copy is still running. Then:
//   DMF Reset   the driver waits for the copy, then RESET: it returns STATUS_SUCCESS, the device
//               is idle with FILL 0 and LAST_ERROR OK (RESET was never refused with BUSY), and the
//               module goes on working.
//   hard reset  (rst_ni pulsed) registers go to their reset values and the copy is abandoned; the
//               driver answers device_error from the first Method that reads the device on (LIMIT
//               and CTRL are no longer what it programmed) until the client opens it again, which
//               works.
// In both, every byte is accounted for: in = delivered (the consumed packet) + discarded (what the
// reset threw away) + buffered (FILL afterwards, 0). docs/spec-notes.md ("Faults") says why.
#pragma once

#include "driver/ping_pong_buffer.hpp"
#include "driver/test/test_util.hpp"
#include "ppb_regs.hpp"

#include <gtest/gtest.h>
#include <systemc>

#include <algorithm>
#include <memory>

namespace ppb::driver::test {

inline constexpr std::uint32_t fault_buffer_size = 1000;  // below CAPACITY 1024: LIMIT tells a reset
inline constexpr std::uint32_t fault_packet = 8;

struct fault_ledger {
    std::uint64_t in = 0, delivered = 0, discarded = 0, buffered = 0;
    bool balanced() const { return in == delivered + discarded + buffered; }
};

// Writes `fault_buffer_size` bytes, consumes the first packet (a long copy starts) and checks that
// the copy runs. Returns the driver, or null after a test failure.
template <class bench_type>
std::unique_ptr<ping_pong_buffer> start_long_copy(bench_type& tb, fault_ledger& ledger) {
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(
        ping_pong_buffer::open(tb.cpu, {fault_buffer_size, pool_type::non_paged_nx, source_mode::host, false, true}, d),
        status::ok);
    if (!d)
        return nullptr;
    const auto data = pattern(fault_buffer_size, 5);
    for (std::uint32_t at = 0; at < fault_buffer_size; at += 200) {
        std::uint32_t size = 0;
        EXPECT_EQ(d->write({data.data() + at, 200}, size), status::ok);
    }
    ledger.in = fault_buffer_size;
    std::span<const std::uint8_t> packet;
    EXPECT_EQ(d->consume(0, fault_packet, packet), status::ok);
    EXPECT_TRUE(std::equal(packet.begin(), packet.end(), data.begin()));
    ledger.delivered = packet.size();
    std::uint32_t st = 0;
    EXPECT_EQ(tb.cpu.read32(regs::status::offset, st), bus_status::ok);
    EXPECT_EQ(regs::status::busy.get(st), 1u) << "the copy of the residual must still be running";
    return d;
}

template <class bench_type>
void expect_device_idle_and_empty(bench_type& tb) {
    std::uint32_t st = 0, fill = 99, irq = 0;
    EXPECT_EQ(tb.cpu.read32(regs::status::offset, st), bus_status::ok);
    EXPECT_EQ(tb.cpu.read32(regs::fill::offset, fill), bus_status::ok);
    EXPECT_EQ(tb.cpu.read32(regs::irq_status::offset, irq), bus_status::ok);
    EXPECT_EQ(regs::status::busy.get(st), 0u);
    EXPECT_EQ(regs::status::last_error.get(st), 0u) << "a command was refused";
    EXPECT_EQ(irq & regs::irq::cmd_error.mask(), 0u);
    EXPECT_EQ(fill, 0u);
}

// After recovery the module works: a packet written and consumed comes back intact.
inline void expect_working(ping_pong_buffer& d, fault_ledger& ledger) {
    const auto more = pattern(100, 9);
    std::uint32_t size = 0;
    ASSERT_EQ(d.write(more, size), status::ok);
    EXPECT_EQ(size, 100u);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d.consume(0, 100, packet), status::ok);
    EXPECT_TRUE(std::equal(packet.begin(), packet.end(), more.begin(), more.end()));
    ledger.in += 100;
    ledger.delivered += 100;
}

template <class bench_type>
void dmf_reset_in_the_middle_of_a_copy(bench_type& tb) {
    fault_ledger ledger;
    auto d = start_long_copy(tb, ledger);
    ASSERT_TRUE(d);
    ASSERT_EQ(d->reset(), status::ok) << "Reset waits for the copy, then resets";
    ledger.discarded = fault_buffer_size - fault_packet;  // the residual the copy had moved
    expect_device_idle_and_empty(tb);
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    ledger.buffered = ping.size();
    EXPECT_EQ(ping.size(), 0u);
    EXPECT_TRUE(ledger.balanced());
    expect_working(*d, ledger);
    EXPECT_TRUE(ledger.balanced());
}

template <class bench_type>
void hard_reset_in_the_middle_of_a_copy(bench_type& tb) {
    fault_ledger ledger;
    auto d = start_long_copy(tb, ledger);
    ASSERT_TRUE(d);
    tb.cpu.sync();  // SystemC's time is the CPU's: the reset lands while the copy runs
    tb.dut.hard_reset();
    ledger.discarded = fault_buffer_size - fault_packet;  // FILL is 0 again: the residual is gone
    // The device: reset values, the copy abandoned.
    std::uint32_t limit = 0, ctrl = 1;
    EXPECT_EQ(tb.cpu.read32(regs::limit::offset, limit), bus_status::ok);
    EXPECT_EQ(tb.cpu.read32(regs::ctrl::offset, ctrl), bus_status::ok);
    EXPECT_EQ(limit, tb.dut.capacity());
    EXPECT_EQ(ctrl, 0u);
    expect_device_idle_and_empty(tb);
    // The driver: nothing tells it about the reset (DMF has no such notification). The first
    // Method that reads the device sees it (here: Consume checks the last command's outcome and
    // finds PING_BANK not where the swap left it) and answers device_error; from then on no Method
    // runs on a device that is not configured as it was opened. (A Get served from the host-side
    // mirror, without a bus access, would still show the old bytes: see docs/spec-notes.md.)
    std::span<const std::uint8_t> packet;
    EXPECT_EQ(d->consume(0, 1, packet), status::device_error);
    EXPECT_TRUE(packet.empty());
    std::span<const std::uint8_t> ping;
    EXPECT_EQ(d->get(ping), status::device_error);
    EXPECT_TRUE(ping.empty());
    std::uint32_t size = 0;
    EXPECT_EQ(d->write(pattern(10), size), status::device_error);
    EXPECT_EQ(d->reset(), status::device_error);
    // The client's way out: open (DMF's Create) again.
    d.reset();
    ASSERT_EQ(
        ping_pong_buffer::open(tb.cpu, {fault_buffer_size, pool_type::non_paged_nx, source_mode::host, false, true}, d),
        status::ok);
    ASSERT_EQ(d->get(ping), status::ok);
    ledger.buffered = ping.size();
    EXPECT_EQ(ping.size(), 0u);
    EXPECT_TRUE(ledger.balanced());
    expect_working(*d, ledger);
    EXPECT_TRUE(ledger.balanced());
}

}  // namespace ppb::driver::test
