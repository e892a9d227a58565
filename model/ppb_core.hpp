// The PPB peripheral's behaviour as plain C++: banks, registers, commands, copy engine and stream
// ingress, with time counted in clock cycles. No SystemC here: the sc_module in ppb_model.hpp adds
// sockets, simulated time and events around it (CONVENTIONS.md: pure cores, thin SystemC shells).
//
// Time. Every entry point takes the cycle at which it acts. A register access takes the cycle of its
// APB access phase; its effect is visible from the next cycle. A command written in access cycle a
// is BUSY during cycles [a+1, a+1+n) and its results (FILL, PING_BANK, SWAPS, LAST_ERROR, CMD_DONE)
// are visible from cycle a+1+n. The core applies a command's results lazily, when an access at or
// after that cycle arrives (advance_to), so a loosely-timed initiator that runs ahead of SystemC's
// time still sees what the RTL would show at its own local time.
#pragma once

#include "device/bus_rules.hpp"
#include "ppb_regs.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ppb::model {

// The bus's answers and the address decode are SPEC.md section 2's, shared with the device shell.
using ppb::bus_result;
using ppb::decoded_access;
using ppb::window;

// Why the stream ingress stopped before taking every byte it was offered.
enum class stream_stall : std::uint8_t {
    none,         // every byte was accepted or dropped
    host_source,  // CTRL.SOURCE = host: the port is held not-ready
    full,         // FILL == LIMIT with DROP_WHEN_FULL = 0: back-pressure
};

struct stream_step {
    std::size_t taken;    // bytes accepted or dropped
    std::uint64_t cycle;  // first cycle after the last byte taken (or the stall's cycle)
    stream_stall stall;
};

// Checks a CAPACITY against SPEC.md section 1; returns an explanation when it is not allowed.
std::optional<std::string> check_capacity(std::uint32_t capacity);

class ppb_core {
public:
    // Throws std::invalid_argument when capacity is outside SPEC.md section 1.
    explicit ppb_core(std::uint32_t capacity);

    std::uint32_t capacity() const { return capacity_; }

    // Address decode of SPEC.md section 2: which window and offset an access of `len` bytes at
    // `addr` touches, or the error it gets. Register accesses must be whole aligned words.
    bus_result decode(std::uint64_t addr, std::size_t len, decoded_access& out) const;

    // Register access at APB access-phase cycle `cycle`. `offset` must have decoded as a register.
    // Returns address_error for an unmapped offset (and changes nothing).
    bus_result reg_read(std::uint32_t offset, std::uint64_t cycle, std::uint32_t& value);
    bus_result reg_write(std::uint32_t offset, std::uint32_t value, std::uint64_t cycle);
    // A register's value without any side effect (for debuggers): state as of the last access.
    bus_result reg_peek(std::uint32_t offset, std::uint64_t cycle, std::uint32_t& value) const;

    // The two banks: plain RAM of `capacity()` bytes each, stable for the core's lifetime.
    std::uint8_t* bank(unsigned index) { return storage_.get() + std::size_t{index & 1u} * capacity_; }
    const std::uint8_t* bank(unsigned index) const { return storage_.get() + std::size_t{index & 1u} * capacity_; }

    // Offers `n` stream bytes, the first at `cycle`, one per cycle. Takes bytes until all are taken,
    // the port stalls on host source or back-pressure, or the next byte would move after cycle
    // `horizon` (stall none, fewer taken). A stall while BUSY is waited out inside.
    stream_step stream_push(const std::uint8_t* data, std::size_t n, std::uint64_t cycle,
                            std::uint64_t horizon = ~std::uint64_t{0});

    // Applies the running command's results if it has finished by `cycle`.
    void advance_to(std::uint64_t cycle);

    // Cycle from which the running command's results are visible, if one is running.
    std::optional<std::uint64_t> pending_done() const;

    // Hardware reset (rst_ni): registers to their reset values, any command abandoned. Bank
    // contents are left as they are, as RAM would.
    void hard_reset();

    // Called whenever something observable changes, with the first cycle at which it is visible.
    std::function<void(std::uint64_t cycle)> on_change;

    // Observers (state as of the last access; no side effects).
    std::uint32_t fill() const { return fill_; }
    std::uint32_t limit() const { return limit_; }
    unsigned ping_bank() const { return ping_bank_; }
    bool busy_at(std::uint64_t cycle) const { return cmd_ && cycle >= cmd_->start && cycle < cmd_->done; }
    std::uint32_t running_opcode() const { return cmd_ ? static_cast<std::uint32_t>(cmd_->op) : 0u; }
    bool irq_level() const { return (irq_status_ & irq_enable()) != 0; }
    std::uint32_t irq_status() const { return irq_status_; }
    std::uint32_t ctrl() const { return value<regs::ctrl::offset>(); }
    std::uint32_t swaps() const { return swaps_; }
    std::uint32_t ingress() const { return ingress_; }
    std::uint32_t dropped() const { return dropped_; }
    regs::error last_error() const { return last_error_; }
    std::uint64_t busy_cycles_total() const { return busy_cycles_total_; }
    std::uint64_t commands_accepted() const { return commands_accepted_; }
    std::uint64_t commands_refused() const { return commands_refused_; }

private:
    struct reg {
        const regs::reg_desc* desc = nullptr;
        std::uint32_t value = 0;
        std::function<std::uint32_t(std::uint64_t cycle)> read;
        std::function<void(std::uint32_t value, std::uint64_t cycle)> write;
    };
    struct command {
        regs::opcode op;
        std::uint32_t arg0, arg1;
        std::uint64_t start, done;
    };

    // Index of the register at a (generated) offset, found at compile time.
    template <std::uint32_t Offset>
    static constexpr std::size_t idx() {
        constexpr std::size_t i = regs::reg_index(Offset);
        static_assert(i < regs::all_regs.size(), "no register at this offset");
        return i;
    }
    template <std::uint32_t Offset>
    reg& bind() {
        return regs_[idx<Offset>()];
    }
    template <std::uint32_t Offset>
    std::uint32_t value() const {
        return regs_[idx<Offset>()].value;
    }

    // Registers are declared from the generated table; behaviour binds to them by offset.
    void bind_behaviour();

    std::uint32_t irq_enable() const { return value<regs::irq_enable::offset>(); }
    std::uint32_t threshold() const { return value<regs::threshold::offset>(); }
    bool source_is_stream() const { return regs::ctrl::source.get(ctrl()) != 0; }
    bool drop_when_full() const { return regs::ctrl::drop_when_full.get(ctrl()) != 0; }
    std::uint32_t status_at(std::uint64_t cycle) const;

    void start_command(std::uint32_t opcode, std::uint64_t cycle);
    void refuse(regs::error why, std::uint64_t visible);
    void complete(const command& c);
    void copy_residual(std::uint32_t from);
    // Moves FILL and raises THRESHOLD/FULL as their rules say.
    void set_fill(std::uint32_t value);
    void set_limit(std::uint32_t value);
    void raise(std::uint32_t bits) { irq_status_ |= bits; }
    void changed(std::uint64_t visible) {
        if (on_change)
            on_change(visible);
    }

    std::uint32_t capacity_;
    std::unique_ptr<std::uint8_t[]> storage_;
    std::array<reg, regs::all_regs.size()> regs_{};

    std::uint32_t fill_ = 0;
    std::uint32_t limit_ = 0;
    unsigned ping_bank_ = 0;
    std::uint32_t irq_status_ = 0;
    std::uint32_t dropped_ = 0;
    std::uint32_t swaps_ = 0;
    std::uint32_t ingress_ = 0;
    regs::error last_error_ = regs::error::ok;
    std::optional<command> cmd_;

    std::uint64_t busy_cycles_total_ = 0;
    std::uint64_t commands_accepted_ = 0;
    std::uint64_t commands_refused_ = 0;
};

}  // namespace ppb::model
