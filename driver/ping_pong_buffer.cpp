#include "driver/ping_pong_buffer.hpp"

#include "ppb_regs.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>

namespace ppb::driver {

namespace {

constexpr std::uint32_t word_bytes = regs::data_width / 8;
constexpr std::uint32_t ok_code = static_cast<std::uint32_t>(regs::error::ok);
constexpr std::uint32_t op(regs::opcode o) {
    return static_cast<std::uint32_t>(o);
}

}  // namespace

ping_pong_buffer::ping_pong_buffer(bus& device, const open_options& options, std::unique_ptr<std::uint8_t[]> mirror)
    : bus_(device), options_(options), mirror_(std::move(mirror)) {}

std::uint32_t ping_pong_buffer::bank_address(unsigned bank) {
    return bank ? regs::bank1_base : regs::bank0_base;
}

const std::uint8_t* ping_pong_buffer::base(unsigned bank) const {
    return direct_ ? window_[bank] : mirror_.get() + std::size_t{bank} * options_.buffer_size;
}

std::uint64_t ping_pong_buffer::worst_command_cycles() const {
    return regs::command_cycles(regs::opcode::consume, word_bytes - 1, capacity_);
}

status ping_pong_buffer::fail(status s) {
    synced_ = false;
    pending_.reset();
    return s;
}

status ping_pong_buffer::open(bus& device, const open_options& options, std::unique_ptr<ping_pong_buffer>& out) {
    out.reset();
    if (options.buffer_size == 0 || options.buffer_size > regs::capacity_max ||
        !is_valid_pool(static_cast<std::int32_t>(options.pool)) ||
        (options.mode != source_mode::host && options.mode != source_mode::stream))
        return status::invalid_parameter;
    std::unique_ptr<std::uint8_t[]> mirror(new (std::nothrow) std::uint8_t[std::size_t{options.buffer_size} * 2]());
    if (!mirror)
        return status::insufficient_resources;
    std::unique_ptr<ping_pong_buffer> driver(new (std::nothrow) ping_pong_buffer(device, options, std::move(mirror)));
    if (!driver)
        return status::insufficient_resources;
    {
        const std::lock_guard guard(device);
        if (const status s = driver->open_sequence(); s != status::ok)
            return s;
    }
    out = std::move(driver);
    return status::ok;
}

status ping_pong_buffer::open_sequence() {
    std::uint32_t v = 0;
    if (bus_.read32(regs::id::offset, v) != bus_status::ok)
        return status::bus_error;
    if (v != regs::block_id)
        return status::no_such_device;
    if (bus_.read32(regs::version::offset, v) != bus_status::ok)
        return status::bus_error;
    if (regs::version::major.get(v) != regs::version::major.get(regs::block_version))
        return status::revision_mismatch;
    if (bus_.read32(regs::capacity::offset, v) != bus_status::ok)
        return status::bus_error;
    if (!regs::valid_capacity(v))
        return status::device_error;
    if (options_.buffer_size > v)
        return status::invalid_parameter;
    capacity_ = v;

    // Host source first: the stream must not fill Ping while the driver resets it. A command the
    // device's previous user left running must end before RESET, or RESET is refused with BUSY.
    if (bus_.write32(regs::ctrl::offset, 0) != bus_status::ok)
        return status::bus_error;
    const std::uint64_t now = bus_.now_cycles();
    pending_ = pending_command{0, 0, now, now, false};
    if (const status s = wait_idle(); s != status::ok)
        return s;
    if (bus_.write32(regs::cmd::offset, op(regs::opcode::reset)) != bus_status::ok ||
        bus_.write32(regs::limit::offset, options_.buffer_size) != bus_status::ok ||
        bus_.write32(regs::irq_enable::offset, 0) != bus_status::ok ||
        bus_.write32(regs::threshold::offset, 0) != bus_status::ok ||
        bus_.write32(regs::irq_status::offset, regs::irq::all) != bus_status::ok)
        return status::bus_error;
    // RESET is over and a refused LIMIT would show as RANGE: one STATUS read checks both.
    if (bus_.read32(regs::status::offset, v) != bus_status::ok)
        return status::bus_error;
    if (regs::status::busy.get(v) != 0 || regs::status::last_error.get(v) != ok_code)
        return status::device_error;
    ping_ = regs::status::ping_bank.get(v);
    fill_read_cycle_ = bus_.now_cycles();
    if (bus_.read32(regs::fill::offset, v) != bus_status::ok)
        return status::bus_error;
    if (v != 0)
        return status::device_error;
    if (options_.mode == source_mode::stream) {
        std::uint32_t ctrl = regs::ctrl::source.put(0, 1);
        ctrl = regs::ctrl::drop_when_full.put(ctrl, options_.drop_when_full ? 1u : 0u);
        if (bus_.write32(regs::ctrl::offset, ctrl) != bus_status::ok)
            return status::bus_error;
    }
    fill_ = 0;
    fill_was_read_ = true;
    seen_ = 0;
    threshold_ = 0;
    irq_enable_ = 0;
    arg0_.reset();  // whatever the device's previous user left there
    arg1_.reset();
    fill_fresh_ = false;
    synced_ = true;
    if (options_.use_direct)
        refresh_direct();
    return status::ok;
}

status ping_pong_buffer::enter() {
    if (!synced_) {
        if (const status s = resync(); s != status::ok)
            return s;
    }
    if (options_.use_direct && bus_.direct_generation() != generation_)
        refresh_direct();
    return status::ok;
}

status ping_pong_buffer::resync() {
    // Whatever the device is doing, let it finish; then take its state as the truth, within bounds.
    const std::uint64_t now = bus_.now_cycles();
    pending_ = pending_command{0, 0, now, now, false};
    if (const status s = wait_idle(); s != status::ok)
        return s;
    std::uint32_t st = 0, limit = 0, ctrl = 0;
    if (bus_.read32(regs::status::offset, st) != bus_status::ok ||
        bus_.read32(regs::limit::offset, limit) != bus_status::ok ||
        bus_.read32(regs::ctrl::offset, ctrl) != bus_status::ok)
        return fail(status::bus_error);
    const bool stream = options_.mode == source_mode::stream;
    if (regs::status::busy.get(st) != 0 || limit != options_.buffer_size ||
        regs::ctrl::source.get(ctrl) != (stream ? 1u : 0u) ||
        (stream && regs::ctrl::drop_when_full.get(ctrl) != (options_.drop_when_full ? 1u : 0u)))
        return fail(status::device_error);
    ping_ = regs::status::ping_bank.get(st);
    fill_ = 0;
    std::uint32_t f = 0;
    if (const status s = read_fill(f); s != status::ok)
        return s;
    seen_ = 0;
    threshold_.reset();
    irq_enable_.reset();
    arg0_.reset();
    arg1_.reset();
    fill_fresh_ = false;
    synced_ = true;
    return status::ok;
}

void ping_pong_buffer::refresh_direct() {
    generation_ = bus_.direct_generation();
    std::uint8_t* w[2] = {nullptr, nullptr};
    bool granted = true;
    for (unsigned bank = 0; bank < 2 && granted; ++bank) {
        const std::uint32_t addr = bank_address(bank);
        direct_window dw;
        // A window must cover the whole buffer and belong to the current generation; anything
        // else the bus hands out is not used.
        granted = bus_.direct(addr, options_.buffer_size, dw) == bus_status::ok && dw.data != nullptr &&
                  dw.generation == generation_ && dw.address <= addr &&
                  std::uint64_t{dw.address} + dw.size >= std::uint64_t{addr} + options_.buffer_size;
        if (granted)
            w[bank] = dw.data + (addr - dw.address);
    }
    if (granted) {
        window_[0] = w[0];
        window_[1] = w[1];
        direct_ = true;
    } else {
        if (direct_)
            seen_ = 0;  // the mirror never received what the client saw through the windows
        direct_ = false;
    }
}

status ping_pong_buffer::wait_idle() {
    if (!pending_)
        return status::ok;
    const pending_command pc = *pending_;
    std::uint64_t until = pc.done;
    std::uint64_t step = regs::bus_cycles_per_word;
    // Host mode predicts exactly. In stream mode the residual includes bytes that arrived after
    // the last FILL read; FILL read while BUSY tells how many, so the second wait is exact too.
    bool refined = options_.mode == source_mode::host || pc.opcode == 0;
    for (unsigned poll = 0; poll < status_polls_max; ++poll) {
        const std::uint64_t now = bus_.now_cycles();
        if (until > now)
            bus_.idle(until - now);
        std::uint32_t st = 0;
        if (bus_.read32(regs::status::offset, st) != bus_status::ok)
            return fail(status::bus_error);
        if (regs::status::busy.get(st) == 0) {
            pending_.reset();
            if (pc.verify && (regs::status::ping_bank.get(st) != ping_ || regs::status::last_error.get(st) != ok_code))
                return fail(status::device_error);
            return status::ok;
        }
        if (!refined) {
            refined = true;
            std::uint32_t f = 0;
            if (bus_.read32(regs::fill::offset, f) != bus_status::ok)
                return fail(status::bus_error);
            if (f >= pc.from && f <= options_.buffer_size) {
                until = pc.issued + regs::command_cycles(static_cast<regs::opcode>(pc.opcode), pc.from, f - pc.from);
                continue;
            }
        }
        until = bus_.now_cycles() + step;
        step = std::min(step * 2, std::max<std::uint64_t>(worst_command_cycles(), regs::bus_cycles_per_word));
    }
    return fail(status::timeout);
}

status ping_pong_buffer::read_fill(std::uint32_t& fill) {
    const std::optional<bus::time_skew> skew = bus_.device_time_skew();
    const std::uint64_t now = bus_.now_cycles();  // no later than the read's access cycle
    const std::uint64_t at =
        skew ? (now > skew->behind ? now - skew->behind : 0) : now;  // the device's time it may show
    if (bus_.read32(regs::fill::offset, fill) != bus_status::ok)
        return fail(status::bus_error);
    // FILL never passes LIMIT, and without a command from this driver it never falls.
    if (fill > options_.buffer_size || fill < fill_)
        return fail(status::device_error);
    fill_ = fill;
    fill_read_cycle_ = at;
    fill_was_read_ = true;
    return status::ok;
}

bool ping_pong_buffer::fill_may_reach(std::uint32_t level) const {
    // FILL at the device's latest time <= FILL as last read - what commands took since + one byte
    // per cycle since the device time that read showed; fill_ is the first two terms.
    const std::optional<bus::time_skew> skew = bus_.device_time_skew();
    if (!skew)
        return true;
    const std::uint64_t latest = bus_.now_cycles() + skew->ahead;
    const std::uint64_t cycles = latest > fill_read_cycle_ ? latest - fill_read_cycle_ : 0;
    return std::uint64_t{fill_} + (cycles + regs::stream_cycles_per_byte - 1) / regs::stream_cycles_per_byte >= level;
}

status ping_pong_buffer::write_arg(std::uint32_t offset, std::optional<std::uint32_t>& shadow, std::uint32_t value) {
    if (shadow == value)
        return status::ok;
    shadow.reset();
    if (bus_.write32(offset, value) != bus_status::ok)
        return fail(status::bus_error);
    shadow = value;
    return status::ok;
}

status ping_pong_buffer::expose(std::uint32_t from, std::uint32_t to) {
    const std::uint32_t lo = std::max(seen_, from);
    if (lo >= to)
        return status::ok;
    if (direct_) {
        bus_.touch_direct(bank_address(ping_) + lo, to - lo, false);
    } else if (bus_.read_bytes(bank_address(ping_) + lo, {mirror(ping_) + lo, to - lo}) != bus_status::ok) {
        return fail(status::bus_error);
    }
    if (lo == seen_)
        seen_ = to;
    return status::ok;
}

status ping_pong_buffer::issue_swap(std::uint32_t opcode, std::uint32_t start_offset, std::uint32_t packet_length) {
    const std::uint32_t from = start_offset + packet_length;  // the caller checked it is <= fill_
    if (const status s = write_arg(regs::arg0::offset, arg0_, start_offset); s != status::ok)
        return s;
    if (opcode == op(regs::opcode::consume)) {
        if (const status s = write_arg(regs::arg1::offset, arg1_, packet_length); s != status::ok)
            return s;
    }
    if (bus_.write32(regs::cmd::offset, opcode) != bus_status::ok)
        return fail(status::bus_error);
    const std::uint64_t now = bus_.now_cycles();
    pending_ = pending_command{opcode, from, now,
                               now + regs::command_cycles(static_cast<regs::opcode>(opcode), from, fill_ - from), true};
    const unsigned other = ping_ ^ 1u;
    if (seen_ > from) {
        if (!direct_)
            std::memcpy(mirror(other), mirror(ping_) + from, seen_ - from);
        seen_ -= from;
    } else {
        seen_ = 0;
    }
    fill_ -= from;
    ping_ = other;
    fill_fresh_ = false;
    fill_was_read_ = false;
    return status::ok;
}

status ping_pong_buffer::get(std::span<const std::uint8_t>& ping) {
    ping = {};
    const std::lock_guard guard(bus_);
    if (const status s = enter(); s != status::ok)
        return s;
    if (options_.mode == source_mode::stream) {
        if (const status s = wait_idle(); s != status::ok)
            return s;
        // FILL as wait_for_data last saw it (read, or the interrupt's crossing) is current enough.
        if (!fill_fresh_) {
            std::uint32_t f = 0;
            if (const status s = read_fill(f); s != status::ok)
                return s;
        }
        fill_fresh_ = false;
    } else if (direct_ || seen_ < fill_) {
        // The banks are about to be read: the last command's copy must be in them.
        if (const status s = wait_idle(); s != status::ok)
            return s;
    }
    if (const status s = expose(0, fill_); s != status::ok)
        return s;
    ping = {base(ping_), fill_};
    return status::ok;
}

status ping_pong_buffer::write(std::span<const std::uint8_t> source, std::uint32_t& result_size) {
    result_size = 0;
    if (options_.mode == source_mode::stream)
        return status::invalid_device_state;
    const std::lock_guard guard(bus_);
    if (const status s = enter(); s != status::ok)
        return s;
    result_size = fill_;
    if (std::uint64_t{fill_} + source.size() > options_.buffer_size)
        return status::insufficient_resources;
    if (source.empty())
        return status::ok;
    const auto n = static_cast<std::uint32_t>(source.size());
    if (const status s = wait_idle(); s != status::ok)
        return s;
    if (bus_.write_bytes(bank_address(ping_) + fill_, source) != bus_status::ok)
        return fail(status::bus_error);
    if (!direct_)
        std::memcpy(mirror(ping_) + fill_, source.data(), n);
    if (seen_ == fill_)
        seen_ += n;
    if (const status s = write_arg(regs::arg1::offset, arg1_, n); s != status::ok)
        return s;
    if (bus_.write32(regs::cmd::offset, op(regs::opcode::commit)) != bus_status::ok)
        return fail(status::bus_error);
    fill_ += n;
    result_size = fill_;
    return status::ok;
}

status ping_pong_buffer::ensure_fill(std::uint64_t end) {
    if (end <= fill_)
        return status::ok;
    if (options_.mode == source_mode::host || end > options_.buffer_size)
        return status::invalid_parameter;
    // Stream mode knows a lower bound of FILL only: ask the device before refusing.
    if (const status s = wait_idle(); s != status::ok)
        return s;
    std::uint32_t f = 0;
    if (const status s = read_fill(f); s != status::ok)
        return s;
    return end > fill_ ? status::invalid_parameter : status::ok;
}

status ping_pong_buffer::consume(std::uint32_t start_offset, std::uint32_t packet_length,
                                 std::span<const std::uint8_t>& packet) {
    packet = {};
    const std::lock_guard guard(bus_);
    if (const status s = enter(); s != status::ok)
        return s;
    const std::uint64_t end = std::uint64_t{start_offset} + packet_length;
    if (const status s = ensure_fill(end); s != status::ok)
        return s;
    if (const status s = wait_idle(); s != status::ok)
        return s;
    if (const status s = expose(start_offset, static_cast<std::uint32_t>(end)); s != status::ok)
        return s;
    const std::uint8_t* first = base(ping_) + start_offset;
    if (const status s = issue_swap(op(regs::opcode::consume), start_offset, packet_length); s != status::ok)
        return s;
    packet = {first, packet_length};
    return status::ok;
}

status ping_pong_buffer::shift(std::uint32_t start_offset) {
    const std::lock_guard guard(bus_);
    if (const status s = enter(); s != status::ok)
        return s;
    if (const status s = ensure_fill(start_offset); s != status::ok)
        return s;
    if (const status s = wait_idle(); s != status::ok)
        return s;
    return issue_swap(op(regs::opcode::shift), start_offset, 0);
}

status ping_pong_buffer::reset() {
    const std::lock_guard guard(bus_);
    if (const status s = enter(); s != status::ok)
        return s;
    if (const status s = wait_idle(); s != status::ok)
        return s;
    if (bus_.write32(regs::cmd::offset, op(regs::opcode::reset)) != bus_status::ok)
        return fail(status::bus_error);
    fill_ = 0;
    seen_ = 0;
    fill_fresh_ = false;
    fill_was_read_ = false;
    return status::ok;
}

status ping_pong_buffer::wait_for_data(std::uint32_t min_fill, std::chrono::nanoseconds timeout, std::uint32_t& fill) {
    fill = 0;
    if (options_.mode != source_mode::stream)
        return status::invalid_device_state;
    if (min_fill == 0 || min_fill > options_.buffer_size)
        return status::invalid_parameter;
    constexpr unsigned rounds_max = 8;
    const std::uint32_t wanted = regs::irq::threshold.mask() | regs::irq::full.mask();
    std::unique_lock guard(bus_);
    if (const status s = enter(); s != status::ok)
        return s;
    if (fill_ >= min_fill) {  // the FILL it knows covers the need: nothing to ask, nothing to wait for
        fill = fill_;
        return status::ok;
    }
    // One FILL read; `covered` when it already ends the wait.
    const auto look = [&](bool& covered) {
        std::uint32_t f = 0;
        if (const status s = read_fill(f); s != status::ok)
            return s;
        fill = f;
        fill_fresh_ = true;
        covered = f >= min_fill || f == options_.buffer_size;
        return status::ok;
    };
    bool timed_out = false;
    for (unsigned round = 0; round < rounds_max; ++round) {
        if (const status s = enter(); s != status::ok)
            return s;
        if (const status s = wait_idle(); s != status::ok)
            return s;
        // Ask first when FILL may already be there and what the driver knows of it is not a read
        // made since the last command (or the wait timed out): arming costs two writes.
        if (timed_out || (!fill_was_read_ && fill_may_reach(min_fill))) {
            bool covered = false;
            if (const status s = look(covered); s != status::ok || covered)
                return s;
            if (timed_out)
                return status::timeout;
        }
        if (threshold_ != min_fill) {
            if (bus_.write32(regs::threshold::offset, min_fill) != bus_status::ok)
                return fail(status::bus_error);
            threshold_ = min_fill;
        }
        if (irq_enable_ != wanted) {
            if (bus_.write32(regs::irq_enable::offset, wanted) != bus_status::ok)
                return fail(status::bus_error);
            irq_enable_ = wanted;
        }
        // Cleared after THRESHOLD holds min_fill, so that any wanted bit seen from now on means
        // FILL rose to min_fill (THRESHOLD) or reached BufferSize (FULL).
        if (bus_.write32(regs::irq_status::offset, wanted) != bus_status::ok)
            return fail(status::bus_error);
        const std::optional<bus::time_skew> skew = bus_.device_time_skew();
        const std::uint64_t now = bus_.now_cycles();
        const std::uint64_t armed = skew && now > skew->behind ? now - skew->behind : (skew ? 0 : now);
        // A rise past min_fill before it was armed does not fire: look unless FILL cannot be there.
        if (fill_may_reach(min_fill)) {
            bool covered = false;
            if (const status s = look(covered); s != status::ok || covered)
                return s;
        }
        // The line shows the clear from the cycle after its access (SPEC.md section 6): wait from
        // there, or a line still high from the last wake-up ends the wait at once.
        bus_.idle(1);
        guard.unlock();
        const bus_status w = bus_.wait_irq(timeout);
        guard.lock();
        if (w == bus_status::unsupported)
            return status::not_supported;
        if (w == bus_status::error)
            return status::bus_error;
        if (w == bus_status::ok) {
            // The interrupt says what a FILL read would: FILL >= min_fill (<= BufferSize, checked
            // above), and it was exactly min_fill when it crossed, at or after `armed`. Nothing is
            // trusted further: a Consume past the real FILL is refused by the device, and that
            // refusal is an error at the check of the command.
            if (const status s = enter(); s != status::ok)
                return s;
            if (fill_ < min_fill) {
                fill_ = min_fill;
                fill_read_cycle_ = armed;
                fill_was_read_ = false;
            }
            fill = fill_;
            fill_fresh_ = true;
            return status::ok;
        }
        timed_out = true;
    }
    fill = fill_;
    return status::timeout;
}

}  // namespace ppb::driver
