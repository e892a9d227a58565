#include "model/ppb_model.hpp"
#include "model/stream_port.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace ppb::model {

namespace {

tlm::tlm_response_status to_tlm(bus_result r) {
    switch (r) {
    case bus_result::ok:
        return tlm::TLM_OK_RESPONSE;
    case bus_result::address_error:
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    case bus_result::burst_error:
        return tlm::TLM_BURST_ERROR_RESPONSE;
    case bus_result::byte_enable_error:
        return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    }
    return tlm::TLM_GENERIC_ERROR_RESPONSE;
}

bool all_bytes_enabled(const tlm::tlm_generic_payload& tx, std::size_t n) {
    const unsigned char* be = tx.get_byte_enable_ptr();
    if (!be)
        return true;
    const unsigned len = tx.get_byte_enable_length();
    for (std::size_t i = 0; i < n; ++i)
        if (len == 0 || be[i % len] != TLM_BYTE_ENABLED)
            return false;
    return true;
}

}  // namespace

ppb_model::ppb_model(const sc_core::sc_module_name& name, std::uint32_t capacity,
                     const sc_core::sc_time& clock_period)
    : sc_core::sc_module(name), bus("bus"), stream("stream"), irq("irq"), core_(capacity), period_(clock_period) {
    if (period_ == sc_core::SC_ZERO_TIME)
        throw std::invalid_argument(std::string(this->name()) + ": clock period must not be zero");
    bus.register_b_transport(this, &ppb_model::bus_b_transport);
    bus.register_get_direct_mem_ptr(this, &ppb_model::bus_get_direct_mem_ptr);
    bus.register_transport_dbg(this, &ppb_model::bus_transport_dbg);
    stream.register_b_transport(this, &ppb_model::stream_b_transport);
    stream.register_transport_dbg(this, &ppb_model::stream_transport_dbg);
    core_.on_change = [this](std::uint64_t c) { on_core_change(c); };

    SC_HAS_PROCESS(ppb_model);
    SC_METHOD(publish_method);
    sensitive << publish_event_;
    dont_initialize();
    SC_METHOD(completion_method);
    sensitive << completion_event_;
    dont_initialize();

    shown_.limit = core_.limit();
}

std::uint64_t ppb_model::cycle_of(const sc_core::sc_time& t) const {
    const auto p = period_.value();
    return (t.value() + p - 1) / p;
}

sc_core::sc_time ppb_model::until(std::uint64_t cycle) const {
    const sc_core::sc_time t = time_of(cycle);
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    return t > now ? t - now : sc_core::SC_ZERO_TIME;
}

void ppb_model::trace(sc_core::sc_trace_file* tf) {
    const std::string n = name();
    sc_core::sc_trace(tf, shown_.fill, n + ".FILL");
    sc_core::sc_trace(tf, shown_.limit, n + ".LIMIT");
    sc_core::sc_trace(tf, shown_.ping_bank, n + ".PING_BANK");
    sc_core::sc_trace(tf, shown_.busy, n + ".BUSY");
    sc_core::sc_trace(tf, shown_.cmd, n + ".CMD");
    sc_core::sc_trace(tf, shown_.irq, n + ".irq");
    tracing_ = true;
}

void ppb_model::hard_reset() {
    core_.hard_reset();
    pending_.clear();
    on_core_change(cycle_of(sc_core::sc_time_stamp()));
    stream_wake_.notify(sc_core::SC_ZERO_TIME);
}

void ppb_model::set_dmi_allowed(bool allowed) {
    if (dmi_allowed_ && !allowed)
        bus->invalidate_direct_mem_ptr(0, ~sc_dt::uint64{0});
    dmi_allowed_ = allowed;
}

ppb_model::statistics ppb_model::stats() const {
    statistics s = stats_;
    s.busy_cycles = core_.busy_cycles_total();
    return s;
}

void ppb_model::on_core_change(std::uint64_t cycle) {
    snapshot s;
    s.fill = core_.fill();
    s.limit = core_.limit();
    s.ping_bank = core_.ping_bank() != 0;
    s.busy = core_.busy_at(cycle);
    s.cmd = s.busy ? core_.running_opcode() : 0;
    s.irq = core_.irq_level();
    stats_.peak_fill = std::max(stats_.peak_fill, s.fill);
    // The core changes in processing order, which decoupled initiators make differ from time order.
    // This snapshot is the newest state, so it supersedes anything queued for later cycles: an older
    // state shown after it would hide what happened since (an interrupt raised by a stream that runs
    // behind the CPU's local time, say). At worst the newest state shows up to a quantum early.
    pending_.erase(pending_.upper_bound(cycle), pending_.end());
    const bool irq_before = pending_.empty() ? shown_.irq : pending_.rbegin()->second.irq;
    if (!tracing_ && s.irq == irq_before)
        return;  // nothing anybody can see would change
    pending_.emplace(cycle, s);
    publish_event_.notify(until(pending_.begin()->first));
}

void ppb_model::publish_method() {
    const std::uint64_t now = cycle_of(sc_core::sc_time_stamp());
    bool any = false;
    while (!pending_.empty() && pending_.begin()->first <= now) {
        shown_ = pending_.begin()->second;
        pending_.erase(pending_.begin());
        any = true;
    }
    if (any)
        irq.write(shown_.irq);
    if (!pending_.empty())
        publish_event_.notify(until(pending_.begin()->first));
}

void ppb_model::completion_method() {
    core_.advance_to(cycle_of(sc_core::sc_time_stamp()));
    stream_wake_.notify(sc_core::SC_ZERO_TIME);
    if (auto done = core_.pending_done())
        completion_event_.notify(until(*done));
}

void ppb_model::after_register_write() {
    // A command may have started: wake its completion at its cycle. Any write may unstall the stream.
    if (auto done = core_.pending_done())
        completion_event_.notify(until(*done));
    stream_wake_.notify(sc_core::SC_ZERO_TIME);
}

void ppb_model::bank_access(tlm::tlm_generic_payload& tx, std::uint8_t* mem, std::uint32_t offset) {
    unsigned char* data = tx.get_data_ptr();
    const std::size_t len = tx.get_data_length();
    const std::size_t sw = tx.get_streaming_width() ? std::min<std::size_t>(tx.get_streaming_width(), len) : len;
    const unsigned char* be = tx.get_byte_enable_ptr();
    const unsigned be_len = tx.get_byte_enable_length();
    const bool write = tx.is_write();
    if (!be && sw == len) {
        if (write)
            std::memcpy(mem + offset, data, len);
        else
            std::memcpy(data, mem + offset, len);
    } else {
        for (std::size_t i = 0; i < len; ++i) {
            if (be && (be_len == 0 || be[i % be_len] != TLM_BYTE_ENABLED))
                continue;
            std::uint8_t& cell = mem[offset + i % sw];
            if (write)
                cell = data[i];
            else
                data[i] = cell;
        }
    }
    (write ? stats_.bank_bytes_written : stats_.bank_bytes_read) += len;
}

void ppb_model::bus_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const std::uint64_t setup = cycle_of(sc_core::sc_time_stamp() + delay);
    const std::size_t len = tx.get_data_length();
    const std::size_t sw = tx.get_streaming_width();
    const std::size_t span = sw && sw < len ? sw : len;  // bytes of address space a beat touches
    decoded_access d{};
    bus_result r = core_.decode(tx.get_address(), span, d);
    if (r == bus_result::ok && d.window == window::regs && (span != len || !all_bytes_enabled(tx, len)))
        r = span != len ? bus_result::burst_error : bus_result::byte_enable_error;
    if (r == bus_result::ok && !tx.get_data_ptr())
        r = bus_result::burst_error;
    if (r != bus_result::ok) {
        ++stats_.bus_errors;
        tx.set_response_status(to_tlm(r));
        delay = until(setup + regs::bus_cycles_per_word);  // an error still takes its APB transfer
        return;
    }
    if (tx.get_command() == tlm::TLM_IGNORE_COMMAND) {
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }

    std::uint64_t cycles = regs::bus_cycles_per_word;
    if (d.window == window::regs) {
        std::uint32_t v = 0;
        const std::uint64_t access = setup + 1;
        if (tx.is_read()) {
            r = core_.reg_read(d.offset, access, v);
            std::memcpy(tx.get_data_ptr(), &v, 4);
            ++stats_.reg_reads;
        } else {
            std::memcpy(&v, tx.get_data_ptr(), 4);
            r = core_.reg_write(d.offset, v, access);
            ++stats_.reg_writes;
            after_register_write();
        }
    } else {
        core_.advance_to(setup + 1);  // a copy that has finished by the access phase has landed
        const std::uint64_t beats = (len + span - 1) / span;
        cycles = regs::bus_cycles_per_word * beats * ((d.offset % 4 + span + 3) / 4);
        bank_access(tx, core_.bank(d.window == window::bank0 ? 0 : 1), d.offset);
        tx.set_dmi_allowed(dmi_allowed_);
    }
    tx.set_response_status(to_tlm(r));
    delay = until(setup + cycles);
}

bool ppb_model::bus_get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    const std::uint64_t addr = tx.get_address();
    decoded_access d{};
    const bool bank = core_.decode(addr, 1, d) == bus_result::ok && d.window != window::regs;
    if (!bank || !dmi_allowed_) {
        // Deny for the whole region the address lies in, so the initiator does not ask again there.
        const std::uint64_t region = addr < regs::bank0_base ? 0 : addr < regs::bank1_base ? regs::bank0_base : regs::bank1_base;
        dmi.allow_none();
        dmi.set_start_address(region);
        dmi.set_end_address(addr < regs::bank1_base ? (addr < regs::bank0_base ? regs::bank0_base : regs::bank1_base) - 1
                                                    : ~sc_dt::uint64{0});
        return false;
    }
    const std::uint32_t base = d.window == window::bank0 ? regs::bank0_base : regs::bank1_base;
    dmi.set_dmi_ptr(core_.bank(d.window == window::bank0 ? 0 : 1));
    dmi.set_start_address(base);
    dmi.set_end_address(std::uint64_t{base} + core_.capacity() - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(period_ * regs::bus_cycles_per_word);
    dmi.set_write_latency(period_ * regs::bus_cycles_per_word);
    ++stats_.dmi_grants;
    return true;
}

unsigned ppb_model::bus_transport_dbg(tlm::tlm_generic_payload& tx) {
    const std::size_t len = tx.get_data_length();
    decoded_access d{};
    if (len == 0 || !tx.get_data_ptr() || core_.decode(tx.get_address(), len, d) != bus_result::ok)
        return 0;
    if (d.window == window::regs) {
        if (!tx.is_read())
            return 0;  // register writes have side effects: not through the debug path
        std::uint32_t v = 0;
        if (len != 4 || core_.reg_peek(d.offset, cycle_of(sc_core::sc_time_stamp()), v) != bus_result::ok)
            return 0;
        std::memcpy(tx.get_data_ptr(), &v, 4);
        return 4;
    }
    std::uint8_t* mem = core_.bank(d.window == window::bank0 ? 0 : 1) + d.offset;
    if (tx.is_read())
        std::memcpy(tx.get_data_ptr(), mem, len);
    else if (tx.is_write())
        std::memcpy(mem, tx.get_data_ptr(), len);
    return static_cast<unsigned>(len);
}

void ppb_model::stream_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    if (const auto refused = stream_admission(tx); refused != tlm::TLM_OK_RESPONSE) {
        tx.set_response_status(refused);
        return;
    }
    const std::size_t n = tx.get_data_length();
    const std::uint8_t* p = tx.get_data_ptr();
    std::uint64_t c = cycle_of(sc_core::sc_time_stamp() + delay);
    std::size_t taken = 0;
    const sc_core::sc_time quantum = tlm::tlm_global_quantum::instance().get();
    while (taken < n) {
        // Bytes are taken at most one global quantum ahead of SystemC's time, so that what the bus
        // sees of FILL is never further from the RTL than the decoupling the top level chose.
        const std::uint64_t horizon = cycle_of(sc_core::sc_time_stamp() + quantum);
        if (c > horizon) {
            sc_core::wait(until(c));
            continue;
        }
        const stream_step step = core_.stream_push(p + taken, n - taken, c, horizon);
        taken += step.taken;
        c = step.cycle;
        if (step.stall == stream_stall::none)
            continue;
        // Stalled by the host: let everyone else reach our local time, then wait for a change.
        ++stats_.stream_stalls;
        if (const sc_core::sc_time ahead = until(c); ahead != sc_core::SC_ZERO_TIME)
            sc_core::wait(ahead);
        sc_core::wait(stream_wake_);
        c = std::max(c, cycle_of(sc_core::sc_time_stamp()));
    }
    if (auto done = core_.pending_done())  // the stream may have finished a command lazily
        completion_event_.notify(until(*done));
    stats_.stream_bytes += n;
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    delay = until(c);
}

unsigned ppb_model::stream_transport_dbg(tlm::tlm_generic_payload&) {
    return 0;  // a stream has no state a debugger could read without consuming it
}

}  // namespace ppb::model
