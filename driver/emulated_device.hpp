// A PPB emulated in software behind a memory region, for a driver over mmio_bus with no silicon:
// plain memory that mmio_bus reads and writes with volatile accesses, kept in step with ppb_core
// (the model's pure C++ core) through the backend's observer. Register reads are served by writing
// the core's value into the region just before the load; register writes are handed to the core
// just after the store; the bank windows are copied between region and core around every register
// access and stream push (so it is for bring-up and tests, not for speed). Time is the core's clock
// cycles: 2 per 32-bit transfer, as on APB. Interrupts arrive as on UIO: a 32-bit count on an fd.
//
//   ppb::driver::emulated_device dev(4096);
//   ppb::driver::mmio_bus io(dev.base(), dev.size(), {.irq_fd = dev.irq_fd(), .observer = &dev});
//   dev.push_stream(bytes);  // what the stream port would receive
#pragma once

#include "driver/mmio_bus.hpp"
#include "model/ppb_core.hpp"

#include <cstdint>
#include <memory>
#include <span>

namespace ppb::driver {

class emulated_device final : public mmio_observer {
public:
    // Throws std::invalid_argument for a CAPACITY outside SPEC.md section 1, std::runtime_error when
    // the interrupt channel cannot be made.
    explicit emulated_device(std::uint32_t capacity);
    ~emulated_device() override;
    emulated_device(const emulated_device&) = delete;
    emulated_device& operator=(const emulated_device&) = delete;

    volatile void* base() { return region_.get(); }
    std::size_t size() const { return size_; }
    model::ppb_core& core() { return core_; }

    // Offers stream bytes to the stream port now; returns how many were taken (accepted or dropped).
    std::size_t push_stream(std::span<const std::uint8_t> bytes);
    // The driver's end of a UIO-like interrupt channel: a 32-bit count arrives when irq rises.
    int irq_fd() const { return fds_[0]; }
    std::uint32_t irq_unmasks() const { return unmasks_; }

    void before(mmio_access kind, std::uint32_t address, std::uint32_t length) override;
    void after(mmio_access kind, std::uint32_t address, std::uint32_t length) override;
    void idle(std::uint64_t cycles) override { cycle_ += cycles; }
    std::uint64_t now_cycles() const override { return cycle_; }

private:
    std::uint8_t* bytes() { return reinterpret_cast<std::uint8_t*>(region_.get()); }
    void to_core();
    void from_core();
    void signal_irq();

    model::ppb_core core_;
    std::size_t size_;
    std::unique_ptr<std::uint32_t[]> region_;
    std::uint64_t cycle_ = 0;
    bool irq_was_ = false;
    int fds_[2] = {-1, -1};
    std::uint32_t unmasks_ = 0;
};

}  // namespace ppb::driver
