// The address decode of SPEC.md section 2, in plain C++ (no SystemC): which window and offset an
// access of `len` bytes at `addr` reaches, or the error it gets. The TLM device shell
// (device/ppb_device.hpp) adds what only TLM can express (streaming width, byte enables); the
// behavioural core and the fuzzers' bus seams use this alone.
#pragma once

#include "ppb_regs.hpp"

#include <cstddef>
#include <cstdint>

namespace ppb {

enum class bus_result : std::uint8_t { ok, address_error, burst_error, byte_enable_error };

enum class window : std::uint8_t { regs, bank0, bank1 };

struct decoded_access {
    ppb::window window;
    std::uint32_t offset;  // within the window
};

// The order matters and is the same everywhere: the address first (outside 22 bits, past its
// window's end), then a register access's size, alignment and offset.
constexpr bus_result decode(std::uint64_t addr, std::size_t len, std::uint32_t capacity, decoded_access& out) {
    if (len == 0)
        return bus_result::burst_error;
    const std::uint64_t end = addr + len;  // one past the last byte; no wrap for len < 2^63
    if (end > (std::uint64_t{1} << regs::addr_bits) || end < addr)
        return bus_result::address_error;
    if (addr >= regs::regs_base && addr < std::uint64_t{regs::regs_base} + regs::regs_size) {
        if (end > std::uint64_t{regs::regs_base} + regs::regs_size)
            return bus_result::address_error;  // runs out of the register window
        if (len != regs::word_bytes)
            return bus_result::burst_error;
        const auto offset = static_cast<std::uint32_t>(addr - regs::regs_base);
        if (!regs::is_mapped(offset))  // misaligned or unmapped
            return bus_result::address_error;
        out = {window::regs, offset};
        return bus_result::ok;
    }
    for (const std::uint32_t base : {regs::bank0_base, regs::bank1_base}) {
        if (addr >= base && addr < std::uint64_t{base} + capacity) {
            if (end > std::uint64_t{base} + capacity)
                return bus_result::address_error;  // runs past CAPACITY or into another range
            out = {base == regs::bank0_base ? window::bank0 : window::bank1, static_cast<std::uint32_t>(addr - base)};
            return bus_result::ok;
        }
    }
    return bus_result::address_error;
}

}  // namespace ppb
