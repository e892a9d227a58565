// The exact register sequence of every Method and every error path, against the strict mock.
#include "driver/ping_pong_buffer.hpp"
#include "driver/test/mock_bus.hpp"
#include "driver/test/test_util.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace ppb::driver::test {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t capacity = 64;

class driver_mock : public mock_bus_test {
protected:
    // The open sequence, in its stages, so that tests of a refusal can stop where the device lies.
    void expect_identity() {
        EXPECT_READ32(regs::id::offset, regs::block_id);
        EXPECT_READ32(regs::version::offset, regs::block_version);
        EXPECT_READ32(regs::capacity::offset, capacity);
        EXPECT_WRITE32(regs::ctrl::offset, 0);
    }
    void expect_reset_and_limit(std::uint32_t size, unsigned ping = 0) {
        EXPECT_READ32(regs::status::offset, status_word(ping, false));
        EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::reset));
        EXPECT_WRITE32(regs::limit::offset, size);
        EXPECT_WRITE32(regs::irq_enable::offset, 0);
        EXPECT_WRITE32(regs::threshold::offset, 0);
        EXPECT_WRITE32(regs::irq_status::offset, regs::irq::all);
    }
    void expect_open(std::uint32_t size, source_mode mode, bool drop = false, unsigned ping = 0) {
        expect_identity();
        expect_reset_and_limit(size, ping);
        EXPECT_READ32(regs::status::offset, status_word(ping, false));
        EXPECT_READ32(regs::fill::offset, 0);
        if (mode == source_mode::stream) {
            std::uint32_t ctrl = regs::ctrl::source.put(0, 1);
            EXPECT_WRITE32(regs::ctrl::offset, regs::ctrl::drop_when_full.put(ctrl, drop ? 1u : 0u));
        }
    }

    std::unique_ptr<ping_pong_buffer> open_ok(std::uint32_t size, source_mode mode, bool drop = false,
                                              unsigned ping = 0) {
        expect_open(size, mode, drop, ping);
        std::unique_ptr<ping_pong_buffer> d;
        EXPECT_EQ(ping_pong_buffer::open(bus_, {size, pool_type::non_paged_nx, mode, drop, true}, d), status::ok);
        bus_.verify();
        return d;
    }

    // A host-mode Write of `data` at Ping offset `fill` of `bank`.
    void expect_write(unsigned bank, std::uint32_t fill, const std::vector<std::uint8_t>& data) {
        EXPECT_WRITE_BYTES(bank_address(bank) + fill, data);
        EXPECT_WRITE32(regs::arg1::offset, data.size());
        EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::commit));
    }

    void write_ok(ping_pong_buffer& d, unsigned bank, std::uint32_t fill, const std::vector<std::uint8_t>& data) {
        expect_write(bank, fill, data);
        std::uint32_t size = 0;
        ASSERT_EQ(d.write(data, size), status::ok);
        ASSERT_EQ(size, fill + data.size());
    }

    void expect_consume(std::uint32_t s, std::uint32_t p) {
        EXPECT_WRITE32(regs::arg0::offset, s);
        EXPECT_WRITE32(regs::arg1::offset, p);
        EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::consume));
    }

    // The resynchronisation after an error: STATUS (not busy), STATUS, LIMIT, CTRL, FILL.
    void expect_resync(std::uint32_t size, unsigned ping, std::uint32_t fill, std::uint32_t ctrl = 0) {
        EXPECT_READ32(regs::status::offset, status_word(ping, false));
        EXPECT_READ32(regs::status::offset, status_word(ping, false));
        EXPECT_READ32(regs::limit::offset, size);
        EXPECT_READ32(regs::ctrl::offset, ctrl);
        EXPECT_READ32(regs::fill::offset, fill);
    }
};

// ---- open -------------------------------------------------------------------------------------

TEST_F(driver_mock, open_host_checks_id_version_capacity_then_resets_and_programs_limit) {
    auto d = open_ok(48, source_mode::host);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->buffer_size(), 48u);
    EXPECT_EQ(d->capacity(), capacity);
    EXPECT_FALSE(d->zero_copy());
}

TEST_F(driver_mock, open_stream_selects_the_stream_source_last) {
    auto d = open_ok(capacity, source_mode::stream, true, 1);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->mode(), source_mode::stream);
}

TEST_F(driver_mock, open_refuses_bad_arguments_before_any_access) {
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {0, pool_type::non_paged_nx, source_mode::host, false, true}, d),
              status::invalid_parameter);
    EXPECT_EQ(ping_pong_buffer::open(
                  bus_, {regs::capacity_max + 1, pool_type::non_paged_nx, source_mode::host, false, true}, d),
              status::invalid_parameter);
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16, static_cast<pool_type>(2), source_mode::host, false, true}, d),
              status::invalid_parameter);
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16, pool_type::paged, static_cast<source_mode>(7), false, true}, d),
              status::invalid_parameter);
    EXPECT_FALSE(d);
    EXPECT_EQ(bus_.counters().register_accesses(), 0u);
}

TEST_F(driver_mock, open_refuses_buffer_size_above_capacity) {
    EXPECT_READ32(regs::id::offset, regs::block_id);
    EXPECT_READ32(regs::version::offset, regs::block_version);
    EXPECT_READ32(regs::capacity::offset, capacity);
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {capacity + 1, pool_type::non_paged, source_mode::host, false, true}, d),
              status::invalid_parameter);
}

TEST_F(driver_mock, open_refuses_a_wrong_id) {
    EXPECT_READ32(regs::id::offset, regs::block_id ^ 1u);
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::no_such_device);
    EXPECT_FALSE(d);
}

TEST_F(driver_mock, open_refuses_another_major_version_and_accepts_another_minor) {
    EXPECT_READ32(regs::id::offset, regs::block_id);
    EXPECT_READ32(regs::version::offset,
                  regs::version::major.put(regs::block_version, regs::version::major.get(regs::block_version) + 1));
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::revision_mismatch);
    bus_.verify();

    EXPECT_READ32(regs::id::offset, regs::block_id);
    EXPECT_READ32(regs::version::offset,
                  regs::version::minor.put(regs::block_version, regs::version::minor.get(regs::block_version) + 7));
    EXPECT_READ32(regs::capacity::offset, capacity);
    EXPECT_WRITE32(regs::ctrl::offset, 0);
    EXPECT_READ32(regs::status::offset, status_word(0, false));
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::reset));
    EXPECT_WRITE32(regs::limit::offset, 16);
    EXPECT_WRITE32(regs::irq_enable::offset, 0);
    EXPECT_WRITE32(regs::threshold::offset, 0);
    EXPECT_WRITE32(regs::irq_status::offset, regs::irq::all);
    EXPECT_READ32(regs::status::offset, status_word(0, false));
    EXPECT_READ32(regs::fill::offset, 0);
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::ok);
}

TEST_F(driver_mock, open_refuses_a_capacity_outside_the_spec) {
    for (const std::uint32_t bad : {0u, regs::capacity_min - regs::capacity_multiple, regs::capacity_min + 1,
                                    regs::capacity_max + regs::capacity_multiple}) {
        EXPECT_READ32(regs::id::offset, regs::block_id);
        EXPECT_READ32(regs::version::offset, regs::block_version);
        EXPECT_READ32(regs::capacity::offset, bad);
        std::unique_ptr<ping_pong_buffer> d;
        EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::device_error) << bad;
        bus_.verify();
    }
}

TEST_F(driver_mock, open_reports_a_bus_error) {
    EXPECT_READ32(regs::id::offset, regs::block_id);
    EXPECT_READ32_ERROR(regs::version::offset);
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::bus_error);
}

TEST_F(driver_mock, open_waits_for_a_command_left_running) {
    expect_identity();
    EXPECT_READ32(regs::status::offset, status_word(1, true));
    EXPECT_READ32(regs::status::offset, status_word(1, true));
    EXPECT_READ32(regs::status::offset, status_word(0, false, regs::error::range));  // not this driver's
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::reset));
    EXPECT_WRITE32(regs::limit::offset, 16);
    EXPECT_WRITE32(regs::irq_enable::offset, 0);
    EXPECT_WRITE32(regs::threshold::offset, 0);
    EXPECT_WRITE32(regs::irq_status::offset, regs::irq::all);
    EXPECT_READ32(regs::status::offset, status_word(0, false));
    EXPECT_READ32(regs::fill::offset, 0);
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::ok);
    EXPECT_GT(bus_.idled(), 0u);  // it idled between polls instead of hammering STATUS
}

TEST_F(driver_mock, open_times_out_on_a_device_stuck_busy) {
    expect_identity();
    for (unsigned i = 0; i < ping_pong_buffer::status_polls_max; ++i)
        EXPECT_READ32(regs::status::offset, status_word(0, true));
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::timeout);
}

TEST_F(driver_mock, open_refuses_a_device_that_refused_limit) {
    expect_identity();
    expect_reset_and_limit(16);
    EXPECT_READ32(regs::status::offset, status_word(0, false, regs::error::range));
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::device_error);
}

TEST_F(driver_mock, open_refuses_a_fill_that_reset_did_not_clear) {
    expect_identity();
    expect_reset_and_limit(16);
    EXPECT_READ32(regs::status::offset, status_word(0, false));
    EXPECT_READ32(regs::fill::offset, 3);
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(bus_, {16}, d), status::device_error);
}

// ---- host mode --------------------------------------------------------------------------------

TEST_F(driver_mock, write_issues_burst_then_commit) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(5));
    write_ok(*d, 0, 5, pattern(7, 2));
    EXPECT_EQ(bus_.counters().reg_reads, 0u + 6);  // only the open's reads
}

TEST_F(driver_mock, write_goes_to_the_bank_that_is_ping) {
    auto d = open_ok(32, source_mode::host, false, 1);
    write_ok(*d, 1, 0, pattern(4));
}

TEST_F(driver_mock, write_of_nothing_touches_nothing) {
    auto d = open_ok(32, source_mode::host);
    std::uint32_t size = 99;
    EXPECT_EQ(d->write({}, size), status::ok);
    EXPECT_EQ(size, 0u);
}

TEST_F(driver_mock, write_that_does_not_fit_is_refused_without_access) {
    auto d = open_ok(16, source_mode::host);
    write_ok(*d, 0, 0, pattern(10));
    std::uint32_t size = 0;
    const auto big = pattern(7);
    EXPECT_EQ(d->write(big, size), status::insufficient_resources);
    EXPECT_EQ(size, 10u);
    write_ok(*d, 0, 10, pattern(6));  // exactly to BufferSize
    EXPECT_EQ(d->write(pattern(1), size), status::insufficient_resources);
    EXPECT_EQ(size, 16u);
}

TEST_F(driver_mock, get_in_host_mode_serves_the_mirror_without_access) {
    auto d = open_ok(32, source_mode::host);
    const auto data = pattern(9);
    write_ok(*d, 0, 0, data);
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    ASSERT_EQ(ping.size(), data.size());
    EXPECT_TRUE(std::equal(ping.begin(), ping.end(), data.begin()));
}

TEST_F(driver_mock, consume_in_host_mode_issues_arg0_arg1_consume_and_returns_the_packet) {
    auto d = open_ok(32, source_mode::host);
    const auto data = pattern(10);
    write_ok(*d, 0, 0, data);
    expect_consume(2, 3);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d->consume(2, 3, packet), status::ok);
    ASSERT_EQ(packet.size(), 3u);
    EXPECT_TRUE(std::equal(packet.begin(), packet.end(), data.begin() + 2));
    bus_.verify();

    // The residual moved host-side: Get needs no bus access in host mode.
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    ASSERT_EQ(ping.size(), 5u);
    EXPECT_TRUE(std::equal(ping.begin(), ping.end(), data.begin() + 5));
    EXPECT_TRUE(std::equal(packet.begin(), packet.end(), data.begin() + 2)) << "the packet must stay valid";

    // The next Write idles for the predicted copy time, then checks STATUS once: 3 register accesses.
    const auto before = bus_.counters().register_accesses();
    const auto idled = bus_.idled();
    EXPECT_READ32(regs::status::offset, status_word(1, false));
    write_ok(*d, 1, 5, pattern(4, 3));
    EXPECT_EQ(bus_.counters().register_accesses() - before, 3u);
    EXPECT_EQ(bus_.idled() - idled, copy_cycles(5, 5));
}

TEST_F(driver_mock, consume_past_fill_is_refused_without_access) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(10));
    std::span<const std::uint8_t> packet;
    EXPECT_EQ(d->consume(8, 3, packet), status::invalid_parameter);
    EXPECT_EQ(packet.data(), nullptr);
    EXPECT_EQ(d->consume(11, 0, packet), status::invalid_parameter);
    EXPECT_EQ(d->consume(0xFFFFFFFFu, 2, packet), status::invalid_parameter) << "the sum must not wrap";
    EXPECT_EQ(d->consume(1, 0xFFFFFFFFu, packet), status::invalid_parameter) << "the sum must not wrap";
}

TEST_F(driver_mock, consume_of_everything_and_of_nothing) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(10));
    expect_consume(10, 0);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d->consume(10, 0, packet), status::ok);
    EXPECT_NE(packet.data(), nullptr) << "DMF returns Pong + StartOffset even for an empty packet";
    EXPECT_EQ(packet.size(), 0u);
    bus_.verify();
    // ARG1 still holds 0 from the last CONSUME (SPEC.md section 3): not written again.
    EXPECT_READ32(regs::status::offset, status_word(1, false));
    EXPECT_WRITE32(regs::arg0::offset, 0);
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::consume));
    ASSERT_EQ(d->consume(0, 0, packet), status::ok);
}

TEST_F(driver_mock, arguments_the_registers_hold_are_not_written_again) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(4));  // ARG1 = 4: unknown before (another user may have left anything)
    // A second Write of the same length: ARG1 holds 4 already.
    EXPECT_WRITE_BYTES(regs::bank0_base + 4, pattern(4, 1));
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::commit));
    std::uint32_t size = 0;
    ASSERT_EQ(d->write(pattern(4, 1), size), status::ok);
    bus_.verify();
    // CONSUME(0, 4): ARG0 unknown since open, so written; ARG1 holds 4.
    EXPECT_WRITE32(regs::arg0::offset, 0);
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::consume));
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d->consume(0, 4, packet), status::ok);
    bus_.verify();
    // SHIFT(0): ARG0 holds 0.
    EXPECT_READ32(regs::status::offset, status_word(1, false));
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::shift));
    ASSERT_EQ(d->shift(0), status::ok);
    bus_.verify();
    // After an error the driver knows nothing of the device: both are written again.
    EXPECT_READ32(regs::status::offset, status_word(0, false));  // SHIFT over: Ping is bank 0 again
    EXPECT_WRITE32_ERROR(regs::arg0::offset, 1);
    EXPECT_EQ(d->shift(1), status::bus_error);
    bus_.verify();
    expect_resync(32, 0, 4);
    EXPECT_WRITE_BYTES(regs::bank0_base + 4, pattern(4, 2));
    EXPECT_WRITE32(regs::arg1::offset, 4);
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::commit));
    ASSERT_EQ(d->write(pattern(4, 2), size), status::ok);
}

TEST_F(driver_mock, shift_issues_arg0_and_shift) {
    auto d = open_ok(32, source_mode::host);
    const auto data = pattern(12);
    write_ok(*d, 0, 0, data);
    EXPECT_WRITE32(regs::arg0::offset, 4);
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::shift));
    ASSERT_EQ(d->shift(4), status::ok);
    bus_.verify();
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    ASSERT_EQ(ping.size(), 8u);
    EXPECT_TRUE(std::equal(ping.begin(), ping.end(), data.begin() + 4));
}

TEST_F(driver_mock, shift_past_fill_is_refused_without_access) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(3));
    EXPECT_EQ(d->shift(4), status::invalid_parameter);
    EXPECT_EQ(d->shift(0xFFFFFFFFu), status::invalid_parameter);
}

TEST_F(driver_mock, reset_issues_reset_and_waits_for_nothing_after_it) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(3));
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::reset));
    ASSERT_EQ(d->reset(), status::ok);
    write_ok(*d, 0, 0, pattern(2));  // no STATUS read: RESET is over before the next transfer
}

TEST_F(driver_mock, reset_after_shift_waits_for_the_shift) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(8));
    EXPECT_WRITE32(regs::arg0::offset, 1);
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::shift));
    ASSERT_EQ(d->shift(1), status::ok);
    EXPECT_READ32(regs::status::offset, status_word(1, false));
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::reset));
    ASSERT_EQ(d->reset(), status::ok);
}

TEST_F(driver_mock, a_bus_error_mid_write_is_reported_and_the_next_call_resyncs) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(4));
    EXPECT_WRITE_BYTES_ERROR(regs::bank0_base + 4, pattern(3));
    std::uint32_t size = 0;
    EXPECT_EQ(d->write(pattern(3), size), status::bus_error);
    EXPECT_EQ(size, 4u);
    bus_.verify();
    // The device is asked where it is; nothing of the failed write was committed.
    expect_resync(32, 0, 4);
    EXPECT_READ_BYTES(regs::bank0_base, pattern(4));
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_EQ(ping.size(), 4u);
}

TEST_F(driver_mock, a_bus_error_on_the_commit_leaves_fill_to_the_device) {
    auto d = open_ok(32, source_mode::host);
    EXPECT_WRITE_BYTES(regs::bank0_base, pattern(6));
    EXPECT_WRITE32(regs::arg1::offset, 6);
    EXPECT_WRITE32_ERROR(regs::cmd::offset, op(regs::opcode::commit));
    std::uint32_t size = 0;
    EXPECT_EQ(d->write(pattern(6), size), status::bus_error);
    bus_.verify();
    expect_resync(32, 0, 6);  // the device did commit after all
    expect_write(0, 6, pattern(2));
    EXPECT_EQ(d->write(pattern(2), size), status::ok);
    EXPECT_EQ(size, 8u);
}

TEST_F(driver_mock, a_bank_flip_the_driver_did_not_cause_is_a_device_error) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(6));
    expect_consume(0, 2);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d->consume(0, 2, packet), status::ok);
    EXPECT_READ32(regs::status::offset, status_word(0, false));  // still bank 0: no swap happened
    std::uint32_t size = 0;
    EXPECT_EQ(d->write(pattern(1), size), status::device_error);
    bus_.verify();
    expect_resync(32, 0, 6);
    EXPECT_READ_BYTES(regs::bank0_base, pattern(6));
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_EQ(ping.size(), 6u);
}

TEST_F(driver_mock, an_error_the_driver_did_not_expect_is_a_device_error) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(6));
    EXPECT_WRITE32(regs::arg0::offset, 3);
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::shift));
    ASSERT_EQ(d->shift(3), status::ok);
    EXPECT_READ32(regs::status::offset, status_word(1, false, regs::error::range));
    EXPECT_EQ(d->reset(), status::device_error);
}

TEST_F(driver_mock, a_command_that_never_ends_times_out) {
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(6));
    expect_consume(0, 1);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d->consume(0, 1, packet), status::ok);
    for (unsigned i = 0; i < ping_pong_buffer::status_polls_max; ++i)
        EXPECT_READ32(regs::status::offset, status_word(1, true));
    EXPECT_EQ(d->reset(), status::timeout);
}

TEST_F(driver_mock, a_device_that_lost_its_configuration_stays_an_error) {
    auto d = open_ok(32, source_mode::host);
    EXPECT_WRITE32_ERROR(regs::cmd::offset, op(regs::opcode::reset));
    EXPECT_EQ(d->reset(), status::bus_error);
    bus_.verify();
    EXPECT_READ32(regs::status::offset, status_word(0, false));
    EXPECT_READ32(regs::status::offset, status_word(0, false));
    EXPECT_READ32(regs::limit::offset, capacity);  // hard reset behind the driver's back
    EXPECT_READ32(regs::ctrl::offset, 0);
    std::uint32_t size = 0;
    EXPECT_EQ(d->write(pattern(1), size), status::device_error);
}

TEST_F(driver_mock, resync_refuses_a_fill_above_buffer_size) {
    auto d = open_ok(32, source_mode::host);
    EXPECT_WRITE32_ERROR(regs::cmd::offset, op(regs::opcode::reset));
    EXPECT_EQ(d->reset(), status::bus_error);
    bus_.verify();
    expect_resync(32, 0, 33);
    std::span<const std::uint8_t> ping;
    EXPECT_EQ(d->get(ping), status::device_error);
    EXPECT_EQ(ping.data(), nullptr);
}

// ---- stream mode ------------------------------------------------------------------------------

TEST_F(driver_mock, write_in_stream_mode_is_refused_without_access) {
    auto d = open_ok(32, source_mode::stream);
    std::uint32_t size = 5;
    EXPECT_EQ(d->write(pattern(3), size), status::invalid_device_state);
    EXPECT_EQ(size, 0u);
}

TEST_F(driver_mock, get_in_stream_mode_reads_fill_and_only_the_new_bytes) {
    auto d = open_ok(32, source_mode::stream);
    const auto data = pattern(15);
    EXPECT_READ32(regs::fill::offset, 10);
    EXPECT_READ_BYTES(regs::bank0_base, std::vector<std::uint8_t>(data.begin(), data.begin() + 10));
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_EQ(ping.size(), 10u);
    EXPECT_READ32(regs::fill::offset, 15);
    EXPECT_READ_BYTES(regs::bank0_base + 10, std::vector<std::uint8_t>(data.begin() + 10, data.end()));
    ASSERT_EQ(d->get(ping), status::ok);
    ASSERT_EQ(ping.size(), 15u);
    EXPECT_TRUE(std::equal(ping.begin(), ping.end(), data.begin()));
    EXPECT_READ32(regs::fill::offset, 15);
    ASSERT_EQ(d->get(ping), status::ok);  // nothing new: no burst
}

TEST_F(driver_mock, consume_in_stream_mode_reads_nothing_it_has_and_get_after_it_checks_status) {
    auto d = open_ok(32, source_mode::stream);
    const auto data = pattern(20);
    EXPECT_READ32(regs::fill::offset, 12);
    EXPECT_READ_BYTES(regs::bank0_base, std::vector<std::uint8_t>(data.begin(), data.begin() + 12));
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    expect_consume(1, 6);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d->consume(1, 6, packet), status::ok);
    ASSERT_EQ(packet.size(), 6u);
    EXPECT_TRUE(std::equal(packet.begin(), packet.end(), data.begin() + 1));
    bus_.verify();
    // Get: STATUS once after the predicted copy time, FILL, then only the bytes after the residual.
    EXPECT_READ32(regs::status::offset, status_word(1, false));
    EXPECT_READ32(regs::fill::offset, 13);  // residual 5 + 8 new bytes
    EXPECT_READ_BYTES(regs::bank1_base + 5, std::vector<std::uint8_t>(data.begin() + 12, data.end()));
    ASSERT_EQ(d->get(ping), status::ok);
    ASSERT_EQ(ping.size(), 13u);
    EXPECT_TRUE(std::equal(ping.begin(), ping.end(), data.begin() + 7));
}

TEST_F(driver_mock, consume_in_stream_mode_beyond_the_known_fill_asks_the_device) {
    auto d = open_ok(32, source_mode::stream);
    const auto data = pattern(9);
    EXPECT_READ32(regs::fill::offset, 9);
    EXPECT_READ_BYTES(regs::bank0_base + 4, std::vector<std::uint8_t>(data.begin() + 4, data.end()));
    expect_consume(4, 5);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d->consume(4, 5, packet), status::ok);  // never saw the bytes: reads the packet only
    EXPECT_TRUE(std::equal(packet.begin(), packet.end(), data.begin() + 4));
    bus_.verify();
    EXPECT_READ32(regs::status::offset, status_word(1, false));
    EXPECT_READ32(regs::fill::offset, 2);
    EXPECT_EQ(d->consume(0, 3, packet), status::invalid_parameter);
    EXPECT_EQ(packet.data(), nullptr);
    EXPECT_EQ(d->consume(0, 33, packet), status::invalid_parameter) << "past BufferSize: no access";
}

TEST_F(driver_mock, stream_wait_reads_fill_while_busy_to_predict_the_end) {
    auto d = open_ok(64, source_mode::stream);
    EXPECT_READ32(regs::fill::offset, 4);
    EXPECT_READ_BYTES(regs::bank0_base, pattern(4));
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_WRITE32(regs::arg0::offset, 4);
    EXPECT_WRITE32(regs::cmd::offset, op(regs::opcode::shift));
    ASSERT_EQ(d->shift(4), status::ok);
    const auto idled = bus_.idled();
    EXPECT_READ32(regs::status::offset, status_word(1, true));  // more bytes came before SHIFT ran
    EXPECT_READ32(regs::fill::offset, 44);                      // FILL as SHIFT found it
    EXPECT_READ32(regs::status::offset, status_word(1, false));
    EXPECT_READ32(regs::fill::offset, 40);
    EXPECT_READ_BYTES(regs::bank1_base, pattern(40));
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_EQ(ping.size(), 40u);
    EXPECT_GE(bus_.idled() - idled + 2 * regs::bus_cycles_per_word, copy_cycles(4, 40));
}

TEST_F(driver_mock, a_fill_above_buffer_size_is_a_device_error) {
    auto d = open_ok(32, source_mode::stream);
    EXPECT_READ32(regs::fill::offset, 33);
    std::span<const std::uint8_t> ping;
    EXPECT_EQ(d->get(ping), status::device_error);
    EXPECT_EQ(ping.data(), nullptr);
}

TEST_F(driver_mock, a_fill_that_falls_without_a_command_is_a_device_error) {
    auto d = open_ok(32, source_mode::stream);
    EXPECT_READ32(regs::fill::offset, 8);
    EXPECT_READ_BYTES(regs::bank0_base, pattern(8));
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_READ32(regs::fill::offset, 7);
    EXPECT_EQ(d->get(ping), status::device_error);
}

TEST_F(driver_mock, stream_resync_checks_the_source) {
    auto d = open_ok(32, source_mode::stream);
    EXPECT_READ32_ERROR(regs::fill::offset);
    std::span<const std::uint8_t> ping;
    EXPECT_EQ(d->get(ping), status::bus_error);
    bus_.verify();
    EXPECT_READ32(regs::status::offset, status_word(0, false));
    EXPECT_READ32(regs::status::offset, status_word(0, false));
    EXPECT_READ32(regs::limit::offset, 32);
    EXPECT_READ32(regs::ctrl::offset, 0);  // host source: somebody changed CTRL
    EXPECT_EQ(d->get(ping), status::device_error);
}

// ---- zero-copy --------------------------------------------------------------------------------

TEST_F(driver_mock, with_direct_windows_get_and_consume_point_into_the_banks) {
    std::vector<std::uint8_t> bank0(capacity), bank1(capacity);
    bus_.offer_direct(bank0.data(), bank1.data(), capacity);
    auto d = open_ok(32, source_mode::stream);
    EXPECT_TRUE(d->zero_copy());
    const auto data = pattern(10);
    std::copy(data.begin(), data.end(), bank0.begin());
    EXPECT_READ32(regs::fill::offset, 10);
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_EQ(ping.data(), bank0.data());
    EXPECT_EQ(bus_.counters().burst_reads, 0u);
    EXPECT_EQ(bus_.touched_read(), 10u);
    expect_consume(3, 4);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(d->consume(3, 4, packet), status::ok);
    EXPECT_EQ(packet.data(), bank0.data() + 3);
    bus_.verify();

    // Losing the windows falls back to the mirror, which has to read what Ping holds.
    bus_.revoke();
    EXPECT_READ32(regs::status::offset, status_word(1, false));
    EXPECT_READ32(regs::fill::offset, 3);
    EXPECT_READ_BYTES(regs::bank1_base, pattern(3));
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_FALSE(d->zero_copy());
    EXPECT_NE(ping.data(), bank1.data());
}

TEST_F(driver_mock, host_write_with_direct_windows_still_commits) {
    std::vector<std::uint8_t> bank0(capacity), bank1(capacity);
    bus_.offer_direct(bank0.data(), bank1.data(), capacity);
    auto d = open_ok(32, source_mode::host);
    write_ok(*d, 0, 0, pattern(5));
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_EQ(ping.data(), bank0.data());
}

// ---- waiting for data -------------------------------------------------------------------------

TEST_F(driver_mock, wait_for_data_is_for_stream_mode) {
    auto d = open_ok(32, source_mode::host);
    std::uint32_t fill = 0;
    EXPECT_EQ(d->wait_for_data(4, 1ms, fill), status::invalid_device_state);
}

TEST_F(driver_mock, wait_for_data_programs_threshold_then_waits_for_the_interrupt) {
    auto d = open_ok(32, source_mode::stream);
    std::uint32_t fill = 0;
    EXPECT_EQ(d->wait_for_data(0, 1ms, fill), status::invalid_parameter);
    EXPECT_EQ(d->wait_for_data(33, 1ms, fill), status::invalid_parameter);
    const std::uint32_t wanted = regs::irq::threshold.mask() | regs::irq::full.mask();
    // FILL was read at open and nothing happened since: no read before arming. THRESHOLD, then the
    // clear (after it, so that any wanted bit means FILL rose to 8), then FILL: it may have passed 8
    // before THRESHOLD was armed (this bus cannot bound its time skew).
    EXPECT_WRITE32(regs::threshold::offset, 8);
    EXPECT_WRITE32(regs::irq_enable::offset, wanted);
    EXPECT_WRITE32(regs::irq_status::offset, wanted);
    EXPECT_READ32(regs::fill::offset, 3);
    EXPECT_WAIT_IRQ(bus_status::ok);
    ASSERT_EQ(d->wait_for_data(8, 1ms, fill), status::ok);
    EXPECT_EQ(fill, 8u) << "the interrupt says FILL rose to THRESHOLD";
    EXPECT_GE(bus_.idled(), 1u) << "the wait starts after the clear shows on the line";
    bus_.verify();
    // What the driver knows covers the need: no access at all.
    ASSERT_EQ(d->wait_for_data(8, 1ms, fill), status::ok);
    EXPECT_EQ(fill, 8u);
    ASSERT_EQ(d->wait_for_data(5, 1ms, fill), status::ok);
    bus_.verify();
    // Get returns what wait_for_data saw, without reading FILL.
    const auto data = pattern(8);
    EXPECT_READ_BYTES(regs::bank0_base, data);
    std::span<const std::uint8_t> ping;
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_EQ(ping.size(), 8u);
    bus_.verify();
    // 8 came from the interrupt, not a read: ask FILL before arming; it covers 12.
    EXPECT_READ32(regs::fill::offset, 12);
    ASSERT_EQ(d->wait_for_data(12, 1ms, fill), status::ok);
    EXPECT_EQ(fill, 12u);
    bus_.verify();
    // The next Get needs no read either; the one after it does.
    EXPECT_READ_BYTES(regs::bank0_base + 8, pattern(4, 8));
    ASSERT_EQ(d->get(ping), status::ok);
    EXPECT_EQ(ping.size(), 12u);
    bus_.verify();
    EXPECT_READ32(regs::fill::offset, 12);
    ASSERT_EQ(d->get(ping), status::ok);
    bus_.verify();
    // A FILL just read says 12: arm for 20 at once (THRESHOLD changes; IRQ_ENABLE holds), then
    // the FILL check and the wait.
    EXPECT_WRITE32(regs::threshold::offset, 20);
    EXPECT_WRITE32(regs::irq_status::offset, wanted);
    EXPECT_READ32(regs::fill::offset, 20);
    ASSERT_EQ(d->wait_for_data(20, 1ms, fill), status::ok) << "FILL had passed 20 before it was armed";
    EXPECT_EQ(fill, 20u);
}

TEST_F(driver_mock, wait_for_data_skips_the_fill_check_when_the_bus_bounds_its_skew) {
    auto d = open_ok(32, source_mode::stream);
    const std::uint32_t wanted = regs::irq::threshold.mask() | regs::irq::full.mask();
    // Every mock access takes 2 cycles. The device may show a read 1 cycle late and take bytes 2
    // cycles early. FILL read 0 at open (cycle 22); after arming (cycle 32, + 2) it is at most 12:
    // it cannot have passed 20 before THRESHOLD was armed.
    bus_.set_time_skew(bus::time_skew{1, 2});
    EXPECT_WRITE32(regs::threshold::offset, 20);
    EXPECT_WRITE32(regs::irq_enable::offset, wanted);
    EXPECT_WRITE32(regs::irq_status::offset, wanted);
    EXPECT_WAIT_IRQ(bus_status::ok);
    std::uint32_t fill = 0;
    ASSERT_EQ(d->wait_for_data(20, 1ms, fill), status::ok);
    EXPECT_EQ(fill, 20u);
    bus_.verify();
    // FILL was 20 at the crossing, no earlier than cycle 31: at cycle 39 (+ 2) at most 28 < 30.
    EXPECT_WRITE32(regs::threshold::offset, 30);
    EXPECT_WRITE32(regs::irq_status::offset, wanted);
    EXPECT_WAIT_IRQ(bus_status::ok);
    ASSERT_EQ(d->wait_for_data(30, 1ms, fill), status::ok);
    EXPECT_EQ(fill, 30u);
    bus_.verify();
    // 30 no earlier than cycle 36: at cycle 38 + 2 FILL may be 34 >= 32: ask before arming; and
    // after it, since 31 read at cycle 37 may be 40 by cycle 46.
    EXPECT_READ32(regs::fill::offset, 31);
    EXPECT_WRITE32(regs::threshold::offset, 32);
    EXPECT_WRITE32(regs::irq_status::offset, wanted);
    EXPECT_READ32(regs::fill::offset, 31);
    EXPECT_WAIT_IRQ(bus_status::ok);
    ASSERT_EQ(d->wait_for_data(32, 1ms, fill), status::ok);
    EXPECT_EQ(fill, 32u);
}

TEST_F(driver_mock, wait_for_data_times_out) {
    auto d = open_ok(32, source_mode::stream);
    const std::uint32_t wanted = regs::irq::threshold.mask() | regs::irq::full.mask();
    EXPECT_WRITE32(regs::threshold::offset, 4);
    EXPECT_WRITE32(regs::irq_enable::offset, wanted);
    EXPECT_WRITE32(regs::irq_status::offset, wanted);
    EXPECT_READ32(regs::fill::offset, 1);
    EXPECT_WAIT_IRQ(bus_status::timeout);
    EXPECT_READ32(regs::fill::offset, 2);  // after a timeout FILL is read, not inferred
    std::uint32_t fill = 0;
    EXPECT_EQ(d->wait_for_data(4, 1ms, fill), status::timeout);
    EXPECT_EQ(fill, 2u);
}

TEST_F(driver_mock, wait_for_data_without_an_interrupt_line_is_not_supported) {
    auto d = open_ok(32, source_mode::stream);
    const std::uint32_t wanted = regs::irq::threshold.mask() | regs::irq::full.mask();
    EXPECT_WRITE32(regs::threshold::offset, 4);
    EXPECT_WRITE32(regs::irq_enable::offset, wanted);
    EXPECT_WRITE32(regs::irq_status::offset, wanted);
    EXPECT_READ32(regs::fill::offset, 0);
    EXPECT_WAIT_IRQ(bus_status::unsupported);
    std::uint32_t fill = 0;
    EXPECT_EQ(d->wait_for_data(4, 1ms, fill), status::not_supported);
}

}  // namespace
}  // namespace ppb::driver::test
