#include "model/ppb_core.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace ppb::model {

std::optional<std::string> check_capacity(std::uint32_t capacity) {
    if (std::string why = regs::capacity_error(capacity); !why.empty())
        return why;
    return std::nullopt;
}

ppb_core::ppb_core(std::uint32_t capacity) : capacity_(capacity) {
    if (auto why = check_capacity(capacity))
        throw std::invalid_argument(*why);
    storage_ = std::make_unique<std::uint8_t[]>(std::size_t{capacity} * 2);  // zeroed
    for (std::size_t i = 0; i < regs::all_regs.size(); ++i)
        regs_[i].desc = &regs::all_regs[i];
    bind_behaviour();
    hard_reset();
}

void ppb_core::bind_behaviour() {
    // Defaults by access type; registers with behaviour of their own override them below.
    for (auto& r : regs_) {
        reg* self = &r;
        switch (r.desc->access) {
        case regs::access::rw:
            r.read = [self](std::uint64_t) { return self->value; };
            r.write = [self](std::uint32_t v, std::uint64_t) { self->value = v & self->desc->writable_mask; };
            break;
        case regs::access::ro:
            r.read = [self](std::uint64_t) { return self->value; };
            r.write = [](std::uint32_t, std::uint64_t) {};
            break;
        default:  // wo, rw1c and ro_wc all have behaviour of their own
            r.read = [](std::uint64_t) { return 0u; };
            r.write = [](std::uint32_t, std::uint64_t) {};
            break;
        }
    }
    bind<regs::capacity::offset>().read = [this](std::uint64_t) { return capacity_; };
    bind<regs::status::offset>().read = [this](std::uint64_t c) { return status_at(c); };
    bind<regs::fill::offset>().read = [this](std::uint64_t) { return fill_; };
    bind<regs::limit::offset>().read = [this](std::uint64_t) { return limit_; };
    bind<regs::limit::offset>().write = [this](std::uint32_t v, std::uint64_t c) {
        if (v == 0 || v > capacity_ || v < fill_)
            refuse(regs::error::range, c + 1);
        else
            set_limit(v);
    };
    bind<regs::cmd::offset>().write = [this](std::uint32_t v, std::uint64_t c) { start_command(v, c); };
    bind<regs::irq_status::offset>().read = [this](std::uint64_t) { return irq_status_; };
    bind<regs::irq_status::offset>().write = [this](std::uint32_t v, std::uint64_t) {
        irq_status_ &= ~(v & regs::irq::all);
    };
    bind<regs::irq_test::offset>().write = [this](std::uint32_t v, std::uint64_t) { raise(v & regs::irq::all); };
    bind<regs::dropped::offset>().read = [this](std::uint64_t) { return dropped_; };
    bind<regs::dropped::offset>().write = [this](std::uint32_t, std::uint64_t) { dropped_ = 0; };
    bind<regs::swaps::offset>().read = [this](std::uint64_t) { return swaps_; };
    bind<regs::ingress::offset>().read = [this](std::uint64_t) { return ingress_; };
}

void ppb_core::hard_reset() {
    for (auto& r : regs_)
        r.value = r.desc->reset_from == regs::reset_kind::capacity ? capacity_ : r.desc->reset;
    fill_ = 0;
    limit_ = capacity_;
    ping_bank_ = 0;
    irq_status_ = 0;
    dropped_ = swaps_ = ingress_ = 0;
    last_error_ = regs::error::ok;
    cmd_.reset();
}

bus_result ppb_core::decode(std::uint64_t addr, std::size_t len, decoded_access& out) const {
    return ppb::decode(addr, len, capacity_, out);
}

bus_result ppb_core::reg_read(std::uint32_t offset, std::uint64_t cycle, std::uint32_t& value) {
    const std::size_t i = regs::reg_index(offset);
    if (i == regs::all_regs.size())
        return bus_result::address_error;
    advance_to(cycle);
    value = regs_[i].read(cycle);
    return bus_result::ok;
}

bus_result ppb_core::reg_peek(std::uint32_t offset, std::uint64_t cycle, std::uint32_t& value) const {
    const std::size_t i = regs::reg_index(offset);
    if (i == regs::all_regs.size())
        return bus_result::address_error;
    value = regs_[i].read(cycle);
    return bus_result::ok;
}

bus_result ppb_core::reg_write(std::uint32_t offset, std::uint32_t value, std::uint64_t cycle) {
    const std::size_t i = regs::reg_index(offset);
    if (i == regs::all_regs.size())
        return bus_result::address_error;
    advance_to(cycle);
    regs_[i].write(value, cycle);
    changed(cycle + 1);  // a write's effect is visible from the cycle after its access phase
    return bus_result::ok;
}

std::uint32_t ppb_core::status_at(std::uint64_t cycle) const {
    std::uint32_t s = 0;
    s = regs::status::ping_bank.put(s, ping_bank_);
    s = regs::status::busy.put(s, busy_at(cycle) ? 1u : 0u);
    s = regs::status::full.put(s, fill_ == limit_ ? 1u : 0u);
    s = regs::status::last_error.put(s, static_cast<std::uint32_t>(last_error_));
    return s;
}

void ppb_core::refuse(regs::error why, std::uint64_t visible) {
    last_error_ = why;
    raise(regs::irq::cmd_error.mask());
    ++commands_refused_;
    changed(visible);
}

void ppb_core::start_command(std::uint32_t opcode, std::uint64_t cycle) {
    const std::uint64_t visible = cycle + regs::cmd_start_delay;
    if (cmd_)  // advance_to(cycle) ran first, so a command still here is still running
        return refuse(regs::error::busy, visible);
    const std::uint32_t a0 = value<regs::arg0::offset>();
    const std::uint32_t a1 = value<regs::arg1::offset>();
    std::uint64_t n = 0;
    const auto op = static_cast<regs::opcode>(opcode);
    switch (op) {
    case regs::opcode::reset:
        n = regs::command_cycles(op, 0, 0);
        break;
    case regs::opcode::shift:
        if (a0 > fill_)
            return refuse(regs::error::range, visible);
        n = regs::command_cycles(op, a0, fill_ - a0);
        break;
    case regs::opcode::consume: {
        const std::uint64_t from = std::uint64_t{a0} + a1;
        if (from > fill_)
            return refuse(regs::error::range, visible);
        n = regs::command_cycles(op, static_cast<std::uint32_t>(from), fill_ - static_cast<std::uint32_t>(from));
        break;
    }
    case regs::opcode::commit:
        if (source_is_stream())
            return refuse(regs::error::source, visible);
        if (std::uint64_t{fill_} + a1 > limit_)
            return refuse(regs::error::range, visible);
        n = regs::command_cycles(op, 0, 0);
        break;
    default:
        return refuse(regs::error::bad_opcode, visible);
    }
    cmd_ = command{op, a0, a1, visible, visible + n};
    ++commands_accepted_;
    busy_cycles_total_ += n;
}

std::optional<std::uint64_t> ppb_core::pending_done() const {
    if (cmd_)
        return cmd_->done;
    return std::nullopt;
}

void ppb_core::advance_to(std::uint64_t cycle) {
    if (cmd_ && cycle >= cmd_->done) {
        const command c = *cmd_;
        cmd_.reset();
        complete(c);
    }
}

void ppb_core::copy_residual(std::uint32_t from) {
    // The residual Ping[from, FILL) goes to the other bank at 0; then the banks swap.
    const std::uint32_t r = fill_ - from;
    if (r)
        std::memcpy(bank(ping_bank_ ^ 1u), bank(ping_bank_) + from, r);
    ping_bank_ ^= 1u;
    ++swaps_;
    fill_ = r;  // FILL never rises here, so neither THRESHOLD nor FULL can fire
}

void ppb_core::complete(const command& c) {
    switch (c.op) {
    case regs::opcode::reset:
        fill_ = 0;
        break;
    case regs::opcode::shift:
        copy_residual(c.arg0);
        break;
    case regs::opcode::consume:
        copy_residual(c.arg0 + c.arg1);
        break;
    case regs::opcode::commit:
        set_fill(fill_ + c.arg1);
        break;
    }
    last_error_ = regs::error::ok;
    raise(regs::irq::cmd_done.mask());
    changed(c.done);
}

void ppb_core::set_fill(std::uint32_t value) {
    const std::uint32_t thr = threshold();
    if (thr != 0 && fill_ < thr && value >= thr)
        raise(regs::irq::threshold.mask());
    if (value == limit_ && fill_ != limit_)
        raise(regs::irq::full.mask());
    fill_ = value;
}

void ppb_core::set_limit(std::uint32_t value) {
    if (value == fill_ && limit_ != fill_)
        raise(regs::irq::full.mask());
    limit_ = value;
}

stream_step ppb_core::stream_push(const std::uint8_t* data, std::size_t n, std::uint64_t cycle, std::uint64_t horizon) {
    std::size_t taken = 0;
    while (taken < n && cycle <= horizon) {
        advance_to(cycle);
        if (!source_is_stream())
            return {taken, cycle, stream_stall::host_source};
        if (cmd_ && cycle >= cmd_->start) {  // stalled while BUSY: wait for the command to finish
            cycle = cmd_->done;
            continue;
        }
        // Bytes that can move before something changes: the command's start, LIMIT, THRESHOLD.
        const std::uint64_t until_horizon = horizon - cycle;  // bytes after this one that fit
        std::uint64_t room = std::min<std::uint64_t>(n - taken - 1, until_horizon) + 1;
        if (cmd_)
            room = std::min<std::uint64_t>(room, cmd_->start - cycle);
        if (fill_ == limit_) {
            if (!drop_when_full())
                return {taken, cycle, stream_stall::full};
            const std::uint64_t sum = std::uint64_t{dropped_} + room;
            dropped_ =
                static_cast<std::uint32_t>(std::min<std::uint64_t>(sum, std::numeric_limits<std::uint32_t>::max()));
            raise(regs::irq::overflow.mask());
            changed(cycle + 1);
        } else {
            room = std::min<std::uint64_t>(room, limit_ - fill_);
            const std::uint32_t thr = threshold();
            if (thr > fill_ && thr < fill_ + room)
                room = thr - fill_;  // stop at the crossing so its cycle is exact
            const auto k = static_cast<std::uint32_t>(room);
            std::memcpy(bank(ping_bank_) + fill_, data + taken, k);
            ingress_ += k;
            set_fill(fill_ + k);
            changed(cycle + k);
        }
        taken += static_cast<std::size_t>(room);
        cycle += room * regs::stream_cycles_per_byte;
    }
    return {taken, cycle, stream_stall::none};
}

}  // namespace ppb::model
