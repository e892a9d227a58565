// The reference: DMF_PingPongBuffer's semantics in host memory, checked against what
// Dmf_PingPongBuffer.c does, case by case.
#include "driver/native_ping_pong.hpp"
#include "driver/test/test_util.hpp"

#include <gtest/gtest.h>

namespace ppb::driver::test {
namespace {

std::unique_ptr<native_ping_pong> open(std::uint32_t size) {
    std::unique_ptr<native_ping_pong> p;
    EXPECT_EQ(native_ping_pong::open(size, pool_type::non_paged_nx, p), status::ok);
    return p;
}

std::vector<std::uint8_t> contents(ping_pong& p) {
    std::span<const std::uint8_t> s;
    EXPECT_EQ(p.get(s), status::ok);
    return {s.begin(), s.end()};
}

TEST(driver_native, open_refuses_zero_and_unknown_pools) {
    std::unique_ptr<native_ping_pong> p;
    EXPECT_EQ(native_ping_pong::open(0, pool_type::non_paged, p), status::invalid_parameter);
    EXPECT_EQ(native_ping_pong::open(8, static_cast<pool_type>(3), p), status::invalid_parameter);
    EXPECT_FALSE(p);
    EXPECT_EQ(native_ping_pong::open(8, pool_type::paged, p), status::ok);
}

TEST(driver_native, write_appends_and_refuses_what_does_not_fit) {
    auto p = open(10);
    std::uint32_t size = 0;
    EXPECT_EQ(p->write(pattern(6), size), status::ok);
    EXPECT_EQ(size, 6u);
    EXPECT_EQ(p->write(pattern(5), size), status::insufficient_resources);
    EXPECT_EQ(size, 6u);
    EXPECT_EQ(contents(*p), pattern(6)) << "a refused write writes nothing";
    EXPECT_EQ(p->write(pattern(4, 2), size), status::ok);
    EXPECT_EQ(size, 10u);
    EXPECT_EQ(p->write({}, size), status::ok);
    EXPECT_EQ(size, 10u);
}

TEST(driver_native, consume_moves_the_residual_and_returns_pong_plus_start_offset) {
    auto p = open(16);
    const auto data = pattern(12);
    std::uint32_t size = 0;
    ASSERT_EQ(p->write(data, size), status::ok);
    std::span<const std::uint8_t> ping_before;
    ASSERT_EQ(p->get(ping_before), status::ok);
    std::span<const std::uint8_t> packet;
    ASSERT_EQ(p->consume(3, 4, packet), status::ok);
    EXPECT_EQ(packet.data(), ping_before.data() + 3) << "the packet stays where it was, in what is now Pong";
    EXPECT_EQ(p->pong().data(), ping_before.data());
    EXPECT_EQ(std::vector<std::uint8_t>(packet.begin(), packet.end()),
              std::vector<std::uint8_t>(data.begin() + 3, data.begin() + 7));
    EXPECT_EQ(contents(*p), std::vector<std::uint8_t>(data.begin() + 7, data.end()));
}

TEST(driver_native, consume_past_fill_returns_null_and_changes_nothing) {
    auto p = open(16);
    std::uint32_t size = 0;
    ASSERT_EQ(p->write(pattern(5), size), status::ok);
    std::span<const std::uint8_t> packet;
    EXPECT_EQ(p->consume(2, 4, packet), status::invalid_parameter);
    EXPECT_EQ(packet.data(), nullptr);
    EXPECT_EQ(p->consume(0xFFFFFFFFu, 1, packet), status::invalid_parameter);
    EXPECT_EQ(contents(*p), pattern(5));
}

TEST(driver_native, shift_moves_the_tail_to_the_other_buffer) {
    auto p = open(16);
    const auto data = pattern(9);
    std::uint32_t size = 0;
    ASSERT_EQ(p->write(data, size), status::ok);
    std::span<const std::uint8_t> before;
    ASSERT_EQ(p->get(before), status::ok);
    ASSERT_EQ(p->shift(4), status::ok);
    std::span<const std::uint8_t> after;
    ASSERT_EQ(p->get(after), status::ok);
    EXPECT_NE(after.data(), before.data());
    EXPECT_EQ(std::vector<std::uint8_t>(after.begin(), after.end()),
              std::vector<std::uint8_t>(data.begin() + 4, data.end()));
    EXPECT_EQ(p->shift(6), status::invalid_parameter);
    ASSERT_EQ(p->shift(5), status::ok);
    EXPECT_TRUE(contents(*p).empty());
}

TEST(driver_native, reset_empties_ping_without_swapping) {
    auto p = open(16);
    std::uint32_t size = 0;
    ASSERT_EQ(p->write(pattern(9), size), status::ok);
    std::span<const std::uint8_t> before, after;
    ASSERT_EQ(p->get(before), status::ok);
    ASSERT_EQ(p->reset(), status::ok);
    ASSERT_EQ(p->get(after), status::ok);
    EXPECT_EQ(after.data(), before.data());
    EXPECT_EQ(after.size(), 0u);
}

}  // namespace
}  // namespace ppb::driver::test
