// The randomized differential check: one random sequence of Write, Get, Consume, Shift and Reset
// (random sizes and offsets with 0, FILL and BufferSize edges, refused calls included) applied to
// the native reference and to a device under test, comparing every status, size, returned byte and
// the Ping contents after each call, and that returned pointers keep their bytes for as long as
// they are promised to.
//
// In stream mode the device under test is fed through its stream port (the feeder) in place of
// Write, and the reference is written the bytes the device accepted.
#pragma once

#include "driver/ping_pong_buffer.hpp"

#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace ppb::driver::test {

class differential {
public:
    // Offers bytes to the device's stream port; returns how many it took (accepted or dropped).
    using feeder = std::function<std::size_t(std::span<const std::uint8_t>)>;

    differential(ping_pong& reference, ping_pong& dut, source_mode mode, bool drop_when_full, std::uint64_t seed,
                 feeder feed = {});

    // One random Method call on both, then Get on both. Returns false at the first difference
    // (after reporting it as a test failure).
    bool step();

    std::uint64_t calls() const { return calls_; }
    std::uint64_t steps() const { return steps_; }
    std::uint64_t refused() const { return refused_; }

private:
    struct held {
        std::span<const std::uint8_t> span;
        std::vector<std::uint8_t> copy;
        bool valid = false;
    };

    bool do_write();
    bool do_feed();
    bool do_get();
    bool do_consume();
    bool do_shift();
    bool do_reset();
    bool compare_ping(const char* when);
    bool check_held(const char* when);
    void drop_held();

    std::uint32_t pick_offset(std::uint32_t fill);
    std::uint32_t pick_length(std::uint32_t fill, std::uint32_t start);
    std::uint32_t pick_write(std::uint32_t fill);
    std::uint32_t uniform(std::uint32_t lo, std::uint32_t hi);  // inclusive
    std::vector<std::uint8_t> bytes(std::size_t n);

    ping_pong& ref_;
    ping_pong& dut_;
    source_mode mode_;
    bool drop_;
    feeder feed_;
    std::mt19937_64 rng_;
    std::uint32_t size_;
    std::uint64_t calls_ = 0, steps_ = 0, refused_ = 0;
    std::uint8_t next_byte_ = 0;
    std::string op_;
    held packet_, ping_;
};

}  // namespace ppb::driver::test
