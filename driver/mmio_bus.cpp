#include "driver/mmio_bus.hpp"

#include "ppb_regs.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace ppb::driver {

namespace {

constexpr std::uint32_t word_bytes = regs::data_width / 8;

std::uint64_t steady_ps() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::duration<std::int64_t, std::pico>>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

}  // namespace

mmio_bus::mmio_bus(volatile void* base, std::size_t size, const mmio_options& options)
    : base_(static_cast<volatile std::uint8_t*>(base)), size_(size), options_(options) {
    if (options_.clock_period_ps == 0)
        options_.clock_period_ps = regs::clock_period_ps_default;
}

bool mmio_bus::register_ok(std::uint32_t offset) const {
    return offset % word_bytes == 0 && offset < regs::regs_base + regs::regs_size &&
           std::size_t{offset} + word_bytes <= size_;
}

bool mmio_bus::bank_ok(std::uint32_t address, std::size_t length) const {
    return address >= regs::bank0_base && std::size_t{address} + length <= size_;
}

bus_status mmio_bus::do_read32(std::uint32_t offset, std::uint32_t& value) {
    if (!register_ok(offset))
        return bus_status::error;
    if (options_.observer)
        options_.observer->before(mmio_access::read32, offset, word_bytes);
    value = *reinterpret_cast<volatile const std::uint32_t*>(base_ + offset);
    if (options_.observer)
        options_.observer->after(mmio_access::read32, offset, word_bytes);
    return bus_status::ok;
}

bus_status mmio_bus::do_write32(std::uint32_t offset, std::uint32_t value) {
    if (!register_ok(offset))
        return bus_status::error;
    if (options_.observer)
        options_.observer->before(mmio_access::write32, offset, word_bytes);
    *reinterpret_cast<volatile std::uint32_t*>(base_ + offset) = value;
    if (options_.observer)
        options_.observer->after(mmio_access::write32, offset, word_bytes);
    return bus_status::ok;
}

bus_status mmio_bus::do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) {
    const auto n = static_cast<std::uint32_t>(out.size());
    if (!bank_ok(address, n))
        return bus_status::error;
    if (options_.observer)
        options_.observer->before(mmio_access::read_bytes, address, n);
    std::uint32_t i = 0;
    for (; i < n && (address + i) % word_bytes; ++i)
        out[i] = base_[address + i];
    for (; i + word_bytes <= n; i += word_bytes) {
        const std::uint32_t w = *reinterpret_cast<volatile const std::uint32_t*>(base_ + address + i);
        for (std::uint32_t k = 0; k < word_bytes; ++k)
            out[i + k] = static_cast<std::uint8_t>(w >> (8 * k));  // the bus is little-endian
    }
    for (; i < n; ++i)
        out[i] = base_[address + i];
    if (options_.observer)
        options_.observer->after(mmio_access::read_bytes, address, n);
    return bus_status::ok;
}

bus_status mmio_bus::do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) {
    const auto n = static_cast<std::uint32_t>(in.size());
    if (!bank_ok(address, n))
        return bus_status::error;
    if (options_.observer)
        options_.observer->before(mmio_access::write_bytes, address, n);
    std::uint32_t i = 0;
    for (; i < n && (address + i) % word_bytes; ++i)
        base_[address + i] = in[i];
    for (; i + word_bytes <= n; i += word_bytes) {
        std::uint32_t w = 0;
        for (std::uint32_t k = 0; k < word_bytes; ++k)
            w |= std::uint32_t{in[i + k]} << (8 * k);
        *reinterpret_cast<volatile std::uint32_t*>(base_ + address + i) = w;
    }
    for (; i < n; ++i)
        base_[address + i] = in[i];
    if (options_.observer)
        options_.observer->after(mmio_access::write_bytes, address, n);
    return bus_status::ok;
}

bus_status mmio_bus::do_direct(std::uint32_t address, std::uint32_t length, direct_window& out) {
    if (!options_.grant_direct || !bank_ok(address, length))
        return bus_status::unsupported;
    // The mapping is device memory; the volatile qualifier goes because clients read it as bytes.
    out.data = const_cast<std::uint8_t*>(base_ + address);
    out.address = address;
    out.size = length;
    out.generation = direct_generation();
    return bus_status::ok;
}

bus_status mmio_bus::do_wait_irq(std::chrono::nanoseconds timeout) {
    if (options_.irq_fd < 0)
        return bus_status::unsupported;
    const std::uint32_t one = 1;
    if (options_.unmask_irq && ::write(options_.irq_fd, &one, sizeof one) != static_cast<ssize_t>(sizeof one))
        return bus_status::error;
    pollfd p{options_.irq_fd, POLLIN, 0};
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
    int r = 0;
    do {
        r = ::poll(&p, 1, static_cast<int>(ms));
    } while (r < 0 && errno == EINTR);
    if (r < 0 || (r > 0 && !(p.revents & POLLIN)))
        return bus_status::error;
    if (r == 0)
        return bus_status::timeout;
    std::uint32_t count = 0;
    if (::read(options_.irq_fd, &count, sizeof count) != static_cast<ssize_t>(sizeof count))
        return bus_status::error;
    return bus_status::ok;
}

void mmio_bus::do_idle(std::uint64_t cycles) {
    if (options_.observer) {
        options_.observer->idle(cycles);
        return;
    }
    const std::uint64_t until = steady_ps() + cycles * options_.clock_period_ps;
    while (steady_ps() < until) {
    }
}

std::uint64_t mmio_bus::do_now_cycles() const {
    if (options_.observer)
        return options_.observer->now_cycles();
    return steady_ps() / options_.clock_period_ps;
}

}  // namespace ppb::driver
