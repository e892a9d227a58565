// The bus seam over plain memory-mapped I/O: volatile 32-bit accesses through a base pointer, as
// on silicon with the peripheral's region mapped into the process (a UIO device's map 0, say).
//
//   int fd = open("/dev/uio0", O_RDWR);
//   void* regs = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
//   ppb::driver::mmio_bus io(regs, size, {.irq_fd = fd});
//
// Bank windows are read and written through the same pointer: aligned 32-bit words with single
// bytes at the edges. The windows are also handed out as direct windows (the mapping never goes
// away), so the driver is zero-copy on silicon.
// Interrupts, when an fd is given, follow UIO: write a 32-bit 1 to unmask, poll() for readability,
// read the 32-bit event count.
// Time: there is no device clock to read, so now_cycles() counts the steady clock in device cycles
// and idle() spins on it.
// An observer sees every access before and after it happens; tests build a fake device on it
// (driver/test/fake_device.hpp), and a tracer could too.
#pragma once

#include "driver/bus.hpp"

#include <cstddef>
#include <cstdint>
#include <mutex>

namespace ppb::driver {

enum class mmio_access : std::uint8_t { read32, write32, read_bytes, write_bytes };

class mmio_observer {
public:
    virtual ~mmio_observer() = default;
    virtual void before(mmio_access kind, std::uint32_t address, std::uint32_t length) = 0;
    virtual void after(mmio_access kind, std::uint32_t address, std::uint32_t length) = 0;
    // When an observer is present it owns time: idle() and now_cycles() go to it.
    virtual void idle(std::uint64_t cycles) = 0;
    virtual std::uint64_t now_cycles() const = 0;
};

struct mmio_options {
    std::uint64_t clock_period_ps = 0;  // 0: the default CLOCK_PERIOD of the register description
    int irq_fd = -1;                    // UIO file descriptor; -1: no interrupt line
    bool unmask_irq = true;             // write 1 to irq_fd before each wait (uio_pdrv_genirq needs it)
    bool grant_direct = true;           // hand out the bank windows as direct windows
    mmio_observer* observer = nullptr;
};

class mmio_bus final : public bus {
public:
    // base: the peripheral's offset 0; size: bytes mapped (accesses past it are bus errors).
    mmio_bus(volatile void* base, std::size_t size, const mmio_options& options = {});

protected:
    bus_status do_read32(std::uint32_t offset, std::uint32_t& value) override;
    bus_status do_write32(std::uint32_t offset, std::uint32_t value) override;
    bus_status do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) override;
    bus_status do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) override;
    bus_status do_direct(std::uint32_t address, std::uint32_t length, direct_window& out) override;
    void do_touch_direct(std::uint32_t, std::uint32_t, bool) override {}  // the CPU's own loads pay
    bus_status do_wait_irq(std::chrono::nanoseconds timeout) override;
    void do_idle(std::uint64_t cycles) override;
    std::uint64_t do_now_cycles() const override;
    void do_lock() override { mutex_.lock(); }
    void do_unlock() override { mutex_.unlock(); }

private:
    bool register_ok(std::uint32_t offset) const;
    bool bank_ok(std::uint32_t address, std::size_t length) const;

    volatile std::uint8_t* base_;
    std::size_t size_;
    mmio_options options_;
    std::mutex mutex_;
};

}  // namespace ppb::driver
