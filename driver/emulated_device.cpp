#include "driver/emulated_device.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace ppb::driver {

namespace {
constexpr std::uint32_t word_bytes = regs::data_width / 8;
}

emulated_device::emulated_device(std::uint32_t capacity)
    : core_(capacity),
      size_(std::size_t{regs::bank1_base} + capacity),
      region_(new std::uint32_t[(size_ + word_bytes - 1) / word_bytes]()) {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds_) != 0)
        throw std::runtime_error("socketpair failed");
    from_core();
}

emulated_device::~emulated_device() {
    for (int fd : fds_)
        if (fd >= 0)
            ::close(fd);
}

void emulated_device::to_core() {
    std::memcpy(core_.bank(0), bytes() + regs::bank0_base, core_.capacity());
    std::memcpy(core_.bank(1), bytes() + regs::bank1_base, core_.capacity());
}

void emulated_device::from_core() {
    std::memcpy(bytes() + regs::bank0_base, core_.bank(0), core_.capacity());
    std::memcpy(bytes() + regs::bank1_base, core_.bank(1), core_.capacity());
}

void emulated_device::signal_irq() {
    // Drain the driver's unmask writes, then report a rising edge as UIO would: one count.
    std::uint32_t v = 0;
    while (::read(fds_[1], &v, sizeof v) == static_cast<ssize_t>(sizeof v))
        ++unmasks_;
    const bool level = core_.irq_level();
    if (level && !irq_was_) {
        const std::uint32_t count = 1;
        if (::write(fds_[1], &count, sizeof count) != static_cast<ssize_t>(sizeof count))
            throw std::runtime_error("irq channel full");
    }
    irq_was_ = level;
}

void emulated_device::before(mmio_access kind, std::uint32_t address, std::uint32_t) {
    if (kind != mmio_access::read32)
        return;
    to_core();
    std::uint32_t v = 0;
    if (core_.reg_read(address, cycle_ + 1, v) != model::bus_result::ok)
        v = 0xDEADBEEF;  // a PSLVERR has no way through a load; the driver never reads unmapped offsets
    region_[address / word_bytes] = v;
    from_core();
}

void emulated_device::after(mmio_access kind, std::uint32_t address, std::uint32_t length) {
    if (kind == mmio_access::write32) {
        to_core();
        const std::uint32_t v = region_[address / word_bytes];
        (void)core_.reg_write(address, v, cycle_ + 1);
        from_core();
    }
    const std::uint64_t words = (address % word_bytes + std::uint64_t{length} + word_bytes - 1) / word_bytes;
    cycle_ += regs::bus_cycles_per_word * words;
    signal_irq();
}

std::size_t emulated_device::push_stream(std::span<const std::uint8_t> data) {
    to_core();
    const model::stream_step step = core_.stream_push(data.data(), data.size(), cycle_ + 1);
    if (step.cycle > cycle_)
        cycle_ = step.cycle;
    from_core();
    signal_irq();
    return step.taken;
}

}  // namespace ppb::driver
