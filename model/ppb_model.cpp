#include "model/ppb_model.hpp"

#include <algorithm>
#include <cstring>

namespace ppb::model {

ppb_model::ppb_model(const sc_core::sc_module_name& name, std::uint32_t capacity, const sc_core::sc_time& clock_period)
    : ppb_device(name, engine_kind::tlm, capacity, clock_period), core_(capacity) {
    core_.on_change = [this](std::uint64_t c) { on_core_change(c); };

    SC_HAS_PROCESS(ppb_model);
    SC_METHOD(completion_method);
    sensitive << completion_event_;
    dont_initialize();

    snapshot s;
    s.limit = core_.limit();
    show_initial(s);
}

void ppb_model::reset_engine() {
    core_.hard_reset();
    on_core_change(cycle_of(sc_core::sc_time_stamp()));
    wake_stream();
}

void ppb_model::set_dmi_allowed(bool allowed) {
    if (dmi_allowed_ && !allowed)
        bus->invalidate_direct_mem_ptr(0, ~sc_dt::uint64{0});
    dmi_allowed_ = allowed;
}

void ppb_model::engine_statistics(device_statistics& s) const {
    s.busy_cycles = core_.busy_cycles_total();
}

void ppb_model::on_core_change(std::uint64_t cycle) {
    const bool irq_level = core_.irq_level();
    if (!visible(irq_level)) {
        note_fill(core_.fill());
        return;
    }
    snapshot s;
    s.fill = core_.fill();
    s.limit = core_.limit();
    s.ping_bank = core_.ping_bank() != 0;
    s.busy = core_.busy_at(cycle);
    s.cmd = s.busy ? core_.running_opcode() : 0;
    s.irq = irq_level;
    show(cycle, s);
}

void ppb_model::completion_method() {
    scheduled_done_.reset();
    core_.advance_to(cycle_of(sc_core::sc_time_stamp()));
    wake_stream();
    schedule_completion();
}

// The completion of the running command, woken at its cycle (once: an event already scheduled for
// that cycle is not scheduled again).
void ppb_model::schedule_completion() {
    const auto done = core_.pending_done();
    if (!done || done == scheduled_done_)
        return;
    scheduled_done_ = done;
    completion_event_.notify(until(*done));
}

void ppb_model::wake_stream() {
    if (stream_waits_)
        stream_wake_.notify(sc_core::SC_ZERO_TIME);
}

void ppb_model::after_register_write() {
    // A command may have started: wake its completion at its cycle. Any write may unstall the stream.
    schedule_completion();
    wake_stream();
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
        return;
    }
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

void ppb_model::bus_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay, const bus_access& a) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();  // nothing below waits
    const std::uint64_t setup = cycle_of(now + delay);
    if (a.status != tlm::TLM_OK_RESPONSE) {
        tx.set_response_status(a.status);
        delay = until(setup + regs::bus_cycles_per_word, now);  // an error still takes its APB transfer
        return;
    }
    std::uint64_t cycles = regs::bus_cycles_per_word;
    tlm::tlm_response_status r = tlm::TLM_OK_RESPONSE;
    if (a.window == window::regs) {
        std::uint32_t v = 0;
        const std::uint64_t access = setup + 1;
        if (tx.is_read()) {
            r = core_.reg_read(a.offset, access, v) == bus_result::ok ? tlm::TLM_OK_RESPONSE
                                                                      : tlm::TLM_ADDRESS_ERROR_RESPONSE;
            std::memcpy(tx.get_data_ptr(), &v, 4);
        } else {
            std::memcpy(&v, tx.get_data_ptr(), 4);
            r = core_.reg_write(a.offset, v, access) == bus_result::ok ? tlm::TLM_OK_RESPONSE
                                                                       : tlm::TLM_ADDRESS_ERROR_RESPONSE;
            after_register_write();
        }
    } else {
        core_.advance_to(setup + 1);  // a copy that has finished by the access phase has landed
        const std::size_t len = tx.get_data_length();
        const std::uint64_t beats = (len + a.span - 1) / a.span;
        cycles = regs::bus_cycles_per_word * beats * ((a.offset % 4 + a.span + 3) / 4);
        bank_access(tx, core_.bank(a.window == window::bank0 ? 0 : 1), a.offset);
        tx.set_dmi_allowed(dmi_allowed_);
    }
    tx.set_response_status(r);
    delay = until(setup + cycles, now);
}

bool ppb_model::direct_memory(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    const std::uint64_t addr = tx.get_address();
    const bool bank0 = addr >= regs::bank0_base && addr < std::uint64_t{regs::bank0_base} + capacity();
    const bool bank1 = addr >= regs::bank1_base && addr < std::uint64_t{regs::bank1_base} + capacity();
    if (!(bank0 || bank1) || !dmi_allowed_) {
        // Deny for the whole region the address lies in, so the initiator does not ask again there.
        const std::uint64_t region = addr < regs::bank0_base   ? 0
                                     : addr < regs::bank1_base ? regs::bank0_base
                                                               : regs::bank1_base;
        dmi.allow_none();
        dmi.set_start_address(region);
        dmi.set_end_address(addr < regs::bank1_base
                                ? (addr < regs::bank0_base ? regs::bank0_base : regs::bank1_base) - 1
                                : ~sc_dt::uint64{0});
        return false;
    }
    const std::uint32_t base = bank0 ? regs::bank0_base : regs::bank1_base;
    dmi.set_dmi_ptr(core_.bank(bank0 ? 0 : 1));
    dmi.set_start_address(base);
    dmi.set_end_address(std::uint64_t{base} + capacity() - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(clock_period() * regs::bus_cycles_per_word);
    dmi.set_write_latency(clock_period() * regs::bus_cycles_per_word);
    ++counters_.dmi_grants;
    return true;
}

bool ppb_model::debug_read_register(std::uint32_t offset, std::uint32_t& value) {
    return core_.reg_peek(offset, cycle_of(sc_core::sc_time_stamp()), value) == bus_result::ok;
}

void ppb_model::debug_bank(unsigned bank, std::uint32_t offset, unsigned char* data, std::size_t len, bool write) {
    std::uint8_t* mem = core_.bank(bank) + offset;
    if (write)
        std::memcpy(mem, data, len);
    else
        std::memcpy(data, mem, len);
}

void ppb_model::stream_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const std::size_t n = tx.get_data_length();
    const std::uint8_t* p = tx.get_data_ptr();
    // SystemC's time, read again only after this process waited (nothing else moves it).
    sc_core::sc_time now = sc_core::sc_time_stamp();
    std::uint64_t c = cycle_of(now + delay);
    std::size_t taken = 0;
    const sc_core::sc_time quantum = tlm::tlm_global_quantum::instance().get();
    bool looking_again = false;  // the push after catching up with a stall: the same stall
    while (taken < n) {
        // Bytes are taken at most one global quantum ahead of SystemC's time, so that what the bus
        // sees of FILL is never further from the RTL than the decoupling the top level chose.
        const std::uint64_t horizon = cycle_of(now + quantum);
        if (c > horizon) {
            sc_core::wait(until(c, now));
            now = sc_core::sc_time_stamp();
            continue;
        }
        const stream_step step = core_.stream_push(p + taken, n - taken, c, horizon);
        taken += step.taken;
        c = step.cycle;
        if (step.stall == stream_stall::none) {
            looking_again = false;
            continue;
        }
        // Stalled by the host: let everyone else reach our local time, then look again. A change
        // made while this process was catching up (a Consume, a command that completed) woke
        // nobody, since nobody waited: waiting for the next one instead could wait forever (a
        // polling client writes nothing until it sees bytes).
        if (!looking_again)
            ++counters_.stream_stalls;
        if (const sc_core::sc_time ahead = until(c, now); ahead != sc_core::SC_ZERO_TIME) {
            sc_core::wait(ahead);
            now = sc_core::sc_time_stamp();
            looking_again = true;
            continue;
        }
        looking_again = false;
        // Stalled at SystemC's time: every change from here on wakes this process.
        stream_waits_ = true;
        sc_core::wait(stream_wake_);
        stream_waits_ = false;
        now = sc_core::sc_time_stamp();
        c = std::max(c, cycle_of(now));
    }
    schedule_completion();  // the stream may have finished a command lazily
    delay = until(c, now);
}

}  // namespace ppb::model
