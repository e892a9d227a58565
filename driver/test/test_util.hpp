// Small helpers shared by the driver's tests.
#pragma once

#include "driver/bus.hpp"
#include "driver/status.hpp"

#include "ppb_regs.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace ppb::driver {

// gtest prints these by name.
inline void PrintTo(status s, std::ostream* os) {
    *os << to_string(s);
}

inline void PrintTo(bus_status s, std::ostream* os) {
    switch (s) {
    case bus_status::ok:
        *os << "ok";
        return;
    case bus_status::error:
        *os << "error";
        return;
    case bus_status::timeout:
        *os << "timeout";
        return;
    case bus_status::unsupported:
        *os << "unsupported";
        return;
    }
    *os << "?";
}

}  // namespace ppb::driver

namespace ppb::driver::test {

constexpr std::uint32_t op(regs::opcode o) {
    return static_cast<std::uint32_t>(o);
}

inline std::uint32_t status_word(unsigned ping_bank, bool busy, regs::error last = regs::error::ok) {
    std::uint32_t v = regs::status::ping_bank.put(0, ping_bank);
    v = regs::status::busy.put(v, busy ? 1u : 0u);
    return regs::status::last_error.put(v, static_cast<std::uint32_t>(last));
}

inline std::uint32_t bank_address(unsigned bank) {
    return bank ? regs::bank1_base : regs::bank0_base;
}

// BUSY cycles of SHIFT/CONSUME with the residual of length r at Ping offset s (SPEC.md section 6).
inline std::uint64_t copy_cycles(std::uint32_t s, std::uint32_t r) {
    constexpr std::uint32_t w = regs::data_width / 8;
    return r == 0 ? regs::copy_empty_cycles : regs::copy_overhead_cycles + (s % w + r + w - 1) / w;
}

inline std::vector<std::uint8_t> pattern(std::size_t n, unsigned seed = 1) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(seed * 31 + i * 7 + i / 256);
    return v;
}

// The seed of a randomized test: PPB_SEED if set, otherwise a fresh one. Printed either way, so a
// failure can be replayed.
inline std::uint64_t test_seed() {
    std::uint64_t seed = 0;
    if (const char* env = std::getenv("PPB_SEED"))
        seed = std::strtoull(env, nullptr, 0);
    else
        seed = std::random_device{}() ^ (std::uint64_t{std::random_device{}()} << 32);
    std::printf("PPB_SEED=%llu\n", static_cast<unsigned long long>(seed));
    std::fflush(stdout);
    return seed;
}

}  // namespace ppb::driver::test
