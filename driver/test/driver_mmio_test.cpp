// The MMIO backend end to end without SystemC: volatile accesses into an in-memory region that a
// fake device (ppb_core behind the backend's observer) keeps in step.
#include "driver/mmio_bus.hpp"
#include "driver/native_ping_pong.hpp"
#include "driver/ping_pong_buffer.hpp"
#include "driver/test/differential.hpp"
#include "driver/test/fake_device.hpp"
#include "driver/test/test_util.hpp"

#include <gtest/gtest.h>

#include <poll.h>

#include <chrono>

namespace ppb::driver::test {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t capacity = 256;

struct rig {
    explicit rig(bool direct = true, std::uint32_t cap = capacity)
        : dev(cap), io(dev.base(), dev.size(), {0, dev.irq_fd(), true, direct, &dev}) {}
    fake_device dev;
    mmio_bus io;
};

std::unique_ptr<ping_pong_buffer> open(bus& b, std::uint32_t size, source_mode mode, bool drop = false) {
    std::unique_ptr<ping_pong_buffer> d;
    EXPECT_EQ(ping_pong_buffer::open(b, {size, pool_type::non_paged_nx, mode, drop, true}, d), status::ok);
    return d;
}

TEST(driver_mmio, register_accesses_reach_the_device) {
    rig r;
    const std::lock_guard guard(r.io);
    std::uint32_t v = 0;
    ASSERT_EQ(r.io.read32(regs::id::offset, v), bus_status::ok);
    EXPECT_EQ(v, regs::block_id);
    ASSERT_EQ(r.io.read32(regs::capacity::offset, v), bus_status::ok);
    EXPECT_EQ(v, capacity);
    ASSERT_EQ(r.io.write32(regs::threshold::offset, 77), bus_status::ok);
    ASSERT_EQ(r.io.read32(regs::threshold::offset, v), bus_status::ok);
    EXPECT_EQ(v, 77u);
    EXPECT_EQ(r.io.counters().reg_reads, 3u);
    EXPECT_EQ(r.io.counters().reg_writes, 1u);
    EXPECT_EQ(r.io.now_cycles(), 4u * regs::bus_cycles_per_word);
}

TEST(driver_mmio, misaligned_or_out_of_range_accesses_are_bus_errors_not_faults) {
    rig r;
    std::uint32_t v = 0;
    EXPECT_EQ(r.io.read32(regs::id::offset + 2, v), bus_status::error);
    EXPECT_EQ(r.io.write32(regs::regs_size, 0), bus_status::error);
    std::uint8_t b[8] = {};
    EXPECT_EQ(r.io.read_bytes(regs::bank1_base + capacity - 4, b), bus_status::error);
    EXPECT_EQ(r.io.write_bytes(regs::fill::offset, b), bus_status::error);
    EXPECT_EQ(r.io.counters().errors, 4u);
}

TEST(driver_mmio, bursts_of_any_alignment_land_where_they_should) {
    rig r;
    for (std::uint32_t start = 0; start < 4; ++start) {
        for (std::uint32_t len = 0; len < 13; ++len) {
            const auto data = pattern(len, start * 16 + len);
            ASSERT_EQ(r.io.write_bytes(regs::bank1_base + 100 + start, data), bus_status::ok);
            std::vector<std::uint8_t> back(len);
            ASSERT_EQ(r.io.read_bytes(regs::bank1_base + 100 + start, back), bus_status::ok);
            EXPECT_EQ(back, data) << start << " " << len;
            // The device sees them after its next register access.
            std::uint32_t v = 0;
            ASSERT_EQ(r.io.read32(regs::fill::offset, v), bus_status::ok);
            EXPECT_TRUE(std::equal(data.begin(), data.end(), r.dev.core().bank(1) + 100 + start));
        }
    }
}

TEST(driver_mmio, direct_windows_are_the_mapping) {
    rig with(true), without(false);
    direct_window w;
    ASSERT_EQ(with.io.direct(regs::bank0_base, capacity, w), bus_status::ok);
    EXPECT_EQ(w.data, reinterpret_cast<volatile std::uint8_t*>(with.dev.base()) + regs::bank0_base);
    EXPECT_EQ(with.io.direct(regs::bank1_base, capacity + 1, w), bus_status::unsupported);
    EXPECT_EQ(without.io.direct(regs::bank0_base, capacity, w), bus_status::unsupported);
}

TEST(driver_mmio, host_mode_end_to_end) {
    for (const bool direct : {false, true}) {
        rig r(direct);
        auto d = open(r.io, 200, source_mode::host);
        ASSERT_TRUE(d);
        EXPECT_EQ(d->zero_copy(), direct);
        const auto data = pattern(120);
        std::uint32_t size = 0;
        ASSERT_EQ(d->write(data, size), status::ok);
        r.dev.core().advance_to(r.dev.now_cycles() + regs::commit_cycles + 1);  // the core applies lazily
        EXPECT_EQ(r.dev.core().fill(), 120u);
        std::span<const std::uint8_t> packet;
        ASSERT_EQ(d->consume(10, 50, packet), status::ok);
        EXPECT_TRUE(std::equal(packet.begin(), packet.end(), data.begin() + 10));
        ASSERT_EQ(d->write(pattern(30, 9), size), status::ok);
        EXPECT_EQ(size, 90u);
        std::span<const std::uint8_t> ping;
        ASSERT_EQ(d->get(ping), status::ok);
        ASSERT_EQ(ping.size(), 90u);
        EXPECT_TRUE(std::equal(ping.begin(), ping.begin() + 60, data.begin() + 60));
        r.dev.core().advance_to(r.dev.now_cycles() + regs::commit_cycles + 1);
        EXPECT_EQ(r.dev.core().fill(), 90u);
        EXPECT_EQ(r.dev.core().swaps(), 1u);
        EXPECT_EQ(r.dev.core().commands_refused(), 0u);
    }
}

TEST(driver_mmio, stream_mode_end_to_end) {
    for (const bool direct : {false, true}) {
        rig r(direct);
        auto d = open(r.io, capacity, source_mode::stream);
        ASSERT_TRUE(d);
        const auto data = pattern(100);
        EXPECT_EQ(r.dev.push_stream(data), 100u);
        std::span<const std::uint8_t> ping;
        ASSERT_EQ(d->get(ping), status::ok);
        ASSERT_EQ(ping.size(), 100u);
        EXPECT_TRUE(std::equal(ping.begin(), ping.end(), data.begin()));
        std::span<const std::uint8_t> packet;
        ASSERT_EQ(d->consume(0, 40, packet), status::ok);
        EXPECT_TRUE(std::equal(packet.begin(), packet.end(), data.begin()));
        EXPECT_EQ(r.dev.push_stream(pattern(10, 5)), 10u);
        ASSERT_EQ(d->get(ping), status::ok);
        ASSERT_EQ(ping.size(), 70u);
        EXPECT_TRUE(std::equal(ping.begin(), ping.begin() + 60, data.begin() + 40));
        std::uint32_t size = 0;
        EXPECT_EQ(d->write(data, size), status::invalid_device_state);
    }
}

TEST(driver_mmio, wait_for_data_follows_the_uio_interrupt) {
    rig r;
    auto d = open(r.io, capacity, source_mode::stream);
    ASSERT_TRUE(d);
    std::uint32_t fill = 0;
    EXPECT_EQ(d->wait_for_data(50, 20ms, fill), status::timeout);
    EXPECT_EQ(fill, 0u);
    EXPECT_GT(r.dev.irq_unmasks(), 0u);
    EXPECT_EQ(r.dev.push_stream(pattern(60)), 60u);  // crosses THRESHOLD: the interrupt is pending
    EXPECT_TRUE(r.dev.core().irq_level());
    pollfd p{r.dev.irq_fd(), POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 0), 1) << "the rising irq must reach the UIO channel";
    ASSERT_EQ(d->wait_for_data(50, 1s, fill), status::ok);
    EXPECT_EQ(fill, 60u);
    EXPECT_FALSE(r.dev.core().irq_level()) << "wait_for_data clears what it waited for";
}

TEST(driver_mmio, wait_for_data_without_an_fd_is_not_supported) {
    fake_device dev(capacity);
    mmio_bus io(dev.base(), dev.size(), {0, -1, true, true, &dev});
    auto d = open(io, capacity, source_mode::stream);
    std::uint32_t fill = 0;
    EXPECT_EQ(d->wait_for_data(5, 1ms, fill), status::not_supported);
}

void run_differential(source_mode mode, bool direct, bool drop, std::uint32_t size, std::uint64_t steps) {
    const std::uint64_t seed = test_seed();
    rig r(direct);
    auto d = open(r.io, size, mode, drop);
    ASSERT_TRUE(d);
    std::unique_ptr<native_ping_pong> ref;
    ASSERT_EQ(native_ping_pong::open(size, pool_type::non_paged_nx, ref), status::ok);
    differential diff(*ref, *d, mode, drop, seed,
                      [&](std::span<const std::uint8_t> b) { return r.dev.push_stream(b); });
    for (std::uint64_t i = 0; i < steps; ++i)
        ASSERT_TRUE(diff.step()) << "seed " << seed;
    EXPECT_GT(diff.refused(), steps / 50) << "the sequence must include refused calls";
    EXPECT_EQ(r.dev.core().commands_refused(), 0u) << "the driver must never issue a command the device refuses";
    std::printf("%llu steps, %llu Method calls, %llu refused\n", static_cast<unsigned long long>(diff.steps()),
                static_cast<unsigned long long>(diff.calls()), static_cast<unsigned long long>(diff.refused()));
}

TEST(driver_mmio, differential_host_mirror) {
    run_differential(source_mode::host, false, false, 61, 20000);
}
TEST(driver_mmio, differential_host_zero_copy) {
    run_differential(source_mode::host, true, false, capacity, 20000);
}
TEST(driver_mmio, differential_stream_mirror) {
    run_differential(source_mode::stream, false, false, 37, 20000);
}
TEST(driver_mmio, differential_stream_zero_copy_drop) {
    run_differential(source_mode::stream, true, true, 100, 20000);
}

}  // namespace
}  // namespace ppb::driver::test
