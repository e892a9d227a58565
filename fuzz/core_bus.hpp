// The driver's bus seam in front of ppb_core, the model's pure C++ core: the fastest faithful PPB
// a fuzzer can drive (no SystemC, no copies of the region as the MMIO fake makes). Time is the
// core's clock cycles, 2 per 32-bit transfer as on APB. Direct windows, when allowed, are the
// core's banks themselves, as TLM DMI grants them in the SystemC model.
#pragma once

#include "driver/bus.hpp"
#include "model/ppb_core.hpp"

#include <cstring>
#include <optional>
#include <string>

namespace ppb::fuzz {

class core_bus final : public driver::bus {
public:
    core_bus(std::uint32_t capacity, bool direct) : core_(capacity), direct_(direct) {}

    model::ppb_core& core() { return core_; }
    // Bank bursts and direct-window accounting must stay inside the first `bytes` of a bank
    // (the driver's BufferSize).
    void set_bank_limit(std::uint32_t bytes) { bank_limit_ = bytes; }
    // Why the driver misused the bus, if it did (an access outside the map, a recursive lock).
    const std::optional<std::string>& misuse() const { return misuse_; }

    // Offers stream bytes now; returns how many the port took (accepted or dropped).
    std::size_t push_stream(std::span<const std::uint8_t> bytes) {
        const model::stream_step step = core_.stream_push(bytes.data(), bytes.size(), cycle_ + 1);
        if (step.cycle > cycle_)
            cycle_ = step.cycle;
        return step.taken;
    }

protected:
    driver::bus_status do_read32(std::uint32_t offset, std::uint32_t& value) override {
        if (!reg(offset))
            return driver::bus_status::error;
        return core_.reg_read(offset, tick(4), value) == model::bus_result::ok ? driver::bus_status::ok
                                                                               : driver::bus_status::error;
    }
    driver::bus_status do_write32(std::uint32_t offset, std::uint32_t value) override {
        if (!reg(offset))
            return driver::bus_status::error;
        return core_.reg_write(offset, value, tick(4)) == model::bus_result::ok ? driver::bus_status::ok
                                                                                : driver::bus_status::error;
    }
    driver::bus_status do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) override {
        std::uint8_t* p = bank(address, out.size());
        if (!p)
            return driver::bus_status::error;
        if (!out.empty())
            std::memcpy(out.data(), p, out.size());
        return driver::bus_status::ok;
    }
    driver::bus_status do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) override {
        std::uint8_t* p = bank(address, in.size());
        if (!p)
            return driver::bus_status::error;
        if (!in.empty())
            std::memcpy(p, in.data(), in.size());
        return driver::bus_status::ok;
    }
    driver::bus_status do_direct(std::uint32_t address, std::uint32_t length, driver::direct_window& out) override {
        model::decoded_access d{};
        if (!direct_ || core_.decode(address, length ? length : 1, d) != model::bus_result::ok ||
            d.window == model::window::regs)
            return driver::bus_status::unsupported;
        const std::uint32_t base = d.window == model::window::bank0 ? regs::bank0_base : regs::bank1_base;
        out = {core_.bank(d.window == model::window::bank0 ? 0 : 1), base, core_.capacity(), direct_generation()};
        return driver::bus_status::ok;
    }
    void do_touch_direct(std::uint32_t address, std::uint32_t length, bool) override {
        model::decoded_access d{};
        if (core_.decode(address, length, d) != model::bus_result::ok || d.window == model::window::regs ||
            std::uint64_t{d.offset} + length > bank_limit_)
            note("touched a direct window outside BufferSize of a bank");
        cycle_ += regs::bus_cycles_per_word * ((address % 4 + std::uint64_t{length} + 3) / 4);
    }
    driver::bus_status do_wait_irq(std::chrono::nanoseconds timeout) override {
        if (locked_)
            note("waited for the interrupt holding the bus lock");
        // Nothing but the driver runs on this device: the line is high now or stays low.
        if (core_.irq_level())
            return driver::bus_status::ok;
        cycle_ += static_cast<std::uint64_t>(timeout.count()) / 10 + 1;
        return driver::bus_status::timeout;
    }
    void do_idle(std::uint64_t cycles) override { cycle_ += cycles; }
    std::uint64_t do_now_cycles() const override { return cycle_; }
    void do_lock() override {
        if (locked_++)
            note("took the bus lock twice");
    }
    void do_unlock() override {
        if (locked_-- != 1)
            note("released a bus lock it did not hold");
    }

private:
    // The APB access phase of a transfer that starts now; the transfer then ends.
    std::uint64_t tick(std::uint64_t bytes) {
        cycle_ += regs::bus_cycles_per_word * ((bytes + 3) / 4);
        return cycle_ - 1;
    }
    void note(const char* what) {
        if (!misuse_)
            misuse_ = what;
    }
    bool reg(std::uint32_t offset) {
        model::decoded_access d{};
        if (locked_ != 1)
            note("register access without the bus lock");
        if (core_.decode(offset, 4, d) != model::bus_result::ok || d.window != model::window::regs) {
            note("register access at an unmapped offset");
            return false;
        }
        return true;
    }
    std::uint8_t* bank(std::uint32_t address, std::size_t length) {
        model::decoded_access d{};
        if (core_.decode(address, length ? length : 1, d) != model::bus_result::ok || d.window == model::window::regs ||
            std::uint64_t{d.offset} + length > bank_limit_) {
            note("bank burst outside BufferSize of a bank");
            return nullptr;
        }
        const std::uint64_t access = tick(address % 4 + length);
        core_.advance_to(access);  // a copy finished by the access phase has landed
        return core_.bank(d.window == model::window::bank0 ? 0 : 1) + d.offset;
    }

    model::ppb_core core_;
    bool direct_;
    std::uint32_t bank_limit_ = ~std::uint32_t{0};
    std::uint64_t cycle_ = 0;
    int locked_ = 0;
    std::optional<std::string> misuse_;
};

}  // namespace ppb::fuzz
