#include "device/ppb_device.hpp"

#include <array>
#include <cstring>
#include <stdexcept>

namespace ppb {

namespace {

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

// What the stream socket takes (docs/spec-notes.md): write transactions with data and no byte
// enables.
tlm::tlm_response_status stream_admission(const tlm::tlm_generic_payload& tx) {
    if (!tx.is_write())
        return tlm::TLM_COMMAND_ERROR_RESPONSE;
    if (tx.get_byte_enable_ptr())
        return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    if (tx.get_data_length() == 0 || !tx.get_data_ptr())
        return tlm::TLM_BURST_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

}  // namespace

const char* to_string(engine_kind e) {
    return e == engine_kind::rtl ? "rtl" : "tlm";
}

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

// SPEC.md section 2 (bus_rules.hpp), then what only TLM can express (docs/spec-notes.md): a
// register access must be one beat with every byte enabled, and every access needs its data.
bus_access classify(const tlm::tlm_generic_payload& tx, std::uint32_t capacity) {
    bus_access a;
    const std::size_t len = tx.get_data_length();
    const std::size_t sw = tx.get_streaming_width();
    a.span = sw && sw < len ? sw : len;
    decoded_access d{};
    bus_result r = decode(tx.get_address(), a.span, capacity, d);
    a.window = d.window;
    a.offset = d.offset;
    a.address_decides = r == bus_result::address_error;
    if (r == bus_result::ok && d.window == window::regs && (a.span != len || !all_bytes_enabled(tx, len)))
        r = a.span != len ? bus_result::burst_error : bus_result::byte_enable_error;
    if (r == bus_result::ok && !tx.get_data_ptr())
        r = bus_result::burst_error;
    a.status = to_tlm(r);
    return a;
}

ppb_device::ppb_device(const sc_core::sc_module_name& name, engine_kind engine, std::uint32_t capacity,
                       const sc_core::sc_time& clock_period)
    : sc_core::sc_module(name),
      bus("bus"),
      stream("stream"),
      irq("irq"),
      engine_(engine),
      capacity_(capacity),
      period_(clock_period) {
    if (const std::string why = regs::capacity_error(capacity); !why.empty())
        throw std::invalid_argument(std::string(this->name()) + ": " + why);
    if (period_ == sc_core::SC_ZERO_TIME)
        throw std::invalid_argument(std::string(this->name()) + ": clock period must not be zero");
    bus.register_b_transport(this, &ppb_device::bus_b_transport);
    bus.register_get_direct_mem_ptr(this, &ppb_device::bus_get_direct_mem_ptr);
    bus.register_transport_dbg(this, &ppb_device::bus_transport_dbg);
    stream.register_b_transport(this, &ppb_device::stream_b_transport);
    stream.register_transport_dbg(this, &ppb_device::stream_transport_dbg);

    SC_HAS_PROCESS(ppb_device);
    SC_METHOD(publish_method);
    sensitive << publish_event_;
    dont_initialize();
}

void ppb_device::trace(sc_core::sc_trace_file* tf) {
    const std::string n = name();
    sc_core::sc_trace(tf, shown_.fill, n + ".FILL");
    sc_core::sc_trace(tf, shown_.limit, n + ".LIMIT");
    sc_core::sc_trace(tf, shown_.ping_bank, n + ".PING_BANK");
    sc_core::sc_trace(tf, shown_.busy, n + ".BUSY");
    sc_core::sc_trace(tf, shown_.cmd, n + ".CMD");
    sc_core::sc_trace(tf, shown_.irq, n + ".irq");
    tracing_ = true;
    on_trace();
}

void ppb_device::trace_engine(const std::string&) {
    throw std::invalid_argument(std::string(name()) + ": the " + to_string(engine_) +
                                " engine has no signal-level waveform (trace() records what it shows)");
}

void ppb_device::hard_reset() {
    reset_engine();
}

device_statistics ppb_device::stats() const {
    device_statistics s = counters_;
    engine_statistics(s);
    return s;
}

void ppb_device::show(std::uint64_t cycle, const snapshot& s) {
    counters_.peak_fill = std::max(counters_.peak_fill, s.fill);
    if (pending_.empty() && !tracing_ && s.irq == shown_.irq)
        return;  // nothing queued, nothing anybody sees changes: the common case, at no cost
    pending_.erase(pending_.upper_bound(cycle), pending_.end());
    const bool irq_before = pending_.empty() ? shown_.irq : pending_.rbegin()->second.irq;
    if (!tracing_ && s.irq == irq_before)
        return;  // nothing anybody can see would change
    pending_.emplace(cycle, s);
    publish_event_.notify(until(pending_.begin()->first));
}

void ppb_device::publish_method() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    bool any = false;
    while (!pending_.empty() && time_of(pending_.begin()->first) <= now) {
        shown_ = pending_.begin()->second;
        pending_.erase(pending_.begin());
        any = true;
    }
    if (any && irq.size() && irq->read() != shown_.irq)
        irq->write(shown_.irq);
    if (!pending_.empty())
        publish_event_.notify(until(pending_.begin()->first));
}

void ppb_device::bus_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const bus_access a = classify(tx, capacity_);
    if (a.status != tlm::TLM_OK_RESPONSE) {
        ++counters_.bus_errors;
    } else if (tx.get_command() == tlm::TLM_IGNORE_COMMAND) {
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    } else if (a.window == window::regs) {
        ++(tx.is_read() ? counters_.reg_reads : counters_.reg_writes);
    } else {
        (tx.is_write() ? counters_.bank_bytes_written : counters_.bank_bytes_read) += tx.get_data_length();
    }
    bus_transaction(tx, delay, a);
}

bool ppb_device::bus_get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    return direct_memory(tx, dmi);
}

unsigned ppb_device::bus_transport_dbg(tlm::tlm_generic_payload& tx) {
    const std::size_t len = tx.get_data_length();
    unsigned char* data = tx.get_data_ptr();
    if (len == 0 || !data || (!tx.is_read() && !tx.is_write()))
        return 0;
    tlm::tlm_generic_payload probe;
    probe.set_address(tx.get_address());
    probe.set_data_length(static_cast<unsigned>(len));
    probe.set_streaming_width(static_cast<unsigned>(len));
    probe.set_data_ptr(data);
    const bus_access a = classify(probe, capacity_);
    if (a.status != tlm::TLM_OK_RESPONSE)
        return 0;
    if (a.window == window::regs) {
        std::uint32_t v = 0;
        if (!tx.is_read() || !debug_read_register(a.offset, v))
            return 0;  // register writes have side effects: not through the debug path
        std::memcpy(data, &v, 4);
        return 4;
    }
    debug_bank(a.window == window::bank0 ? 0 : 1, a.offset, data, len, tx.is_write());
    return static_cast<unsigned>(len);
}

void ppb_device::stream_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    if (const auto refused = stream_admission(tx); refused != tlm::TLM_OK_RESPONSE) {
        tx.set_response_status(refused);
        return;
    }
    stream_transaction(tx, delay);
    counters_.stream_bytes += tx.get_data_length();
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned ppb_device::stream_transport_dbg(tlm::tlm_generic_payload&) {
    return 0;  // a stream has no state a debugger could read without consuming it
}

}  // namespace ppb
