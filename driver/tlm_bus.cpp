#include "driver/tlm_bus.hpp"

#include "ppb_regs.hpp"

#include <algorithm>
#include <cstring>

namespace ppb::driver {

namespace {
constexpr std::uint32_t word_bytes = regs::data_width / 8;
}

tlm_bus::tlm_bus(const sc_core::sc_module_name& name, const sc_core::sc_time& clock_period, std::uint64_t base)
    : sc_core::sc_module(name), initiator("initiator"), irq("irq"), period_(clock_period), base_(base), mutex_("lock") {
    initiator.register_invalidate_direct_mem_ptr(this, &tlm_bus::invalidate_direct_mem_ptr);
}

sc_core::sc_time& tlm_bus::local() {
    // sc_get_current_process_b(): the running process without building a handle (reference counts)
    // on every access.
    const sc_core::sc_object* p = sc_core::sc_get_current_process_b();
    if (p != cached_process_) {
        cached_process_ = p;
        cached_local_ = &locals_[p];  // map nodes do not move
    }
    return *cached_local_;
}

sc_core::sc_time tlm_bus::local_time() const {
    const sc_core::sc_object* p = sc_core::sc_get_current_process_b();
    if (p == cached_process_ && cached_local_)
        return *cached_local_;  // the process local() last served: no map lookup
    const auto it = locals_.find(p);
    return it == locals_.end() ? sc_core::SC_ZERO_TIME : it->second;
}

void tlm_bus::add_delay(const sc_core::sc_time& t) {
    sc_core::sc_time& l = local();
    l += t;
    // The global quantum is read on each use: the top level may set it after construction.
    if (l != sc_core::SC_ZERO_TIME && l >= tlm::tlm_global_quantum::instance().get())
        sync();
}

void tlm_bus::sync() {
    sc_core::sc_time& l = local();
    if (l != sc_core::SC_ZERO_TIME) {
        const sc_core::sc_time wait_for = l;
        l = sc_core::SC_ZERO_TIME;
        wait(wait_for);
    }
}

void tlm_bus::do_lock() {
    mutex_.lock();
    sc_core::sc_time& l = local();
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (now + l < released_)
        l = released_ - now;  // the bus was busy with another thread until then
}

void tlm_bus::do_unlock() {
    released_ = std::max(released_, current_time());
    mutex_.unlock();
}

void tlm_bus::advance(const sc_core::sc_time& t) {
    add_delay(t);
}

int tlm_bus::window_of(std::uint32_t address) {
    if (address >= regs::bank1_base)
        return 1;
    if (address >= regs::bank0_base)
        return 0;
    return -1;
}

bus_status tlm_bus::transport(tlm::tlm_command cmd, std::uint32_t address, std::uint8_t* data, std::uint32_t length) {
    // One payload reused (constructing one allocates its extension array): a transaction that
    // starts while another is inside b_transport (another thread, the target waiting) gets its own.
    std::optional<tlm::tlm_generic_payload> own;
    tlm::tlm_generic_payload& tx = tx_busy_ ? own.emplace() : tx_;
    struct busy_guard {
        bool& flag;
        bool was;
        ~busy_guard() { flag = was; }
    } guard{tx_busy_, tx_busy_};
    tx_busy_ = true;
    tx.set_command(cmd);
    tx.set_address(base_ + address);
    tx.set_data_ptr(data);
    tx.set_data_length(length);
    tx.set_streaming_width(length);
    tx.set_byte_enable_ptr(nullptr);
    tx.set_dmi_allowed(false);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = local();
    initiator->b_transport(tx, delay);
    local() = sc_core::SC_ZERO_TIME;
    add_delay(delay);
    if (tx.get_response_status() != tlm::TLM_OK_RESPONSE)
        return bus_status::error;
    if (const int w = window_of(address); w >= 0 && tx.is_dmi_allowed() && !grants_[w].valid)
        grants_[w].asked = false;  // the target now offers DMI where it refused before
    return bus_status::ok;
}

bus_status tlm_bus::do_read32(std::uint32_t offset, std::uint32_t& value) {
    std::uint8_t b[word_bytes];
    const bus_status s = transport(tlm::TLM_READ_COMMAND, offset, b, word_bytes);
    if (s == bus_status::ok)
        std::memcpy(&value, b, word_bytes);  // TLM data are host-endian, as a 32-bit word
    return s;
}

bus_status tlm_bus::do_write32(std::uint32_t offset, std::uint32_t value) {
    std::uint8_t b[word_bytes];
    std::memcpy(b, &value, word_bytes);
    return transport(tlm::TLM_WRITE_COMMAND, offset, b, word_bytes);
}

tlm_bus::grant* tlm_bus::dmi_for(std::uint32_t address, std::uint32_t length) {
    const int w = window_of(address);
    if (w < 0 || length == 0)
        return nullptr;
    grant& g = grants_[w];
    if (!g.valid && !g.asked) {
        g.asked = true;
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(base_ + address);
        tlm::tlm_dmi dmi;
        if (initiator->get_direct_mem_ptr(tx, dmi) && dmi.get_dmi_ptr() && dmi.is_read_write_allowed()) {
            g.valid = true;
            g.data = dmi.get_dmi_ptr();
            g.start = dmi.get_start_address();
            g.end = dmi.get_end_address();
            g.read_latency = dmi.get_read_latency();
            g.write_latency = dmi.get_write_latency();
        }
    }
    const std::uint64_t first = base_ + address;
    const std::uint64_t last = first + length - 1;
    if (!g.valid || first < g.start || last > g.end)
        return nullptr;
    return &g;  // only grants that allow both directions are kept
}

bus_status tlm_bus::do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) {
    const auto n = static_cast<std::uint32_t>(out.size());
    if (n == 0)
        return bus_status::ok;
    if (grant* g = dmi_for(address, n)) {
        std::memcpy(out.data(), g->data + (base_ + address - g->start), n);
        do_touch_direct(address, n, false);
        return bus_status::ok;
    }
    return transport(tlm::TLM_READ_COMMAND, address, out.data(), n);
}

bus_status tlm_bus::do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) {
    const auto n = static_cast<std::uint32_t>(in.size());
    if (n == 0)
        return bus_status::ok;
    if (grant* g = dmi_for(address, n)) {
        std::memcpy(g->data + (base_ + address - g->start), in.data(), n);
        do_touch_direct(address, n, true);
        return bus_status::ok;
    }
    // TLM's data pointer is not const; a write transaction only reads it.
    return transport(tlm::TLM_WRITE_COMMAND, address, const_cast<std::uint8_t*>(in.data()), n);
}

bus_status tlm_bus::do_direct(std::uint32_t address, std::uint32_t length, direct_window& out) {
    grant* g = dmi_for(address, length);
    if (!g)
        return bus_status::unsupported;
    out.data = g->data + (base_ + address - g->start);
    out.address = address;
    out.size = length;
    out.generation = direct_generation();
    return bus_status::ok;
}

void tlm_bus::do_touch_direct(std::uint32_t address, std::uint32_t length, bool write) {
    const int w = window_of(address);
    if (w < 0)
        return;
    // The latency the target gave is per 32-bit word touched (ppb_model.hpp).
    const std::uint64_t words = (address % word_bytes + std::uint64_t{length} + word_bytes - 1) / word_bytes;
    const sc_core::sc_time& per_word = write ? grants_[w].write_latency : grants_[w].read_latency;
    add_delay(per_word * static_cast<double>(words));
}

void tlm_bus::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
    for (grant& g : grants_) {
        if (g.valid && g.start <= end && start <= g.end) {
            g = grant{};
            g.asked = false;
        }
    }
    revoke_direct();
}

bus_status tlm_bus::do_wait_irq(std::chrono::nanoseconds timeout) {
    if (irq.size() == 0)
        return bus_status::unsupported;
    sync();
    if (irq->read())
        return bus_status::ok;
    const sc_core::sc_time limit(static_cast<double>(timeout.count()), sc_core::SC_NS);
    irq_wait_.wait(limit, irq->posedge_event());
    return irq->read() ? bus_status::ok : bus_status::timeout;
}

void tlm_bus::do_idle(std::uint64_t cycles) {
    add_delay(period_ * static_cast<double>(cycles));
}

std::optional<bus::time_skew> tlm_bus::do_device_time_skew() const {
    // This thread runs `local` ahead of SystemC's time, where the device's state is: a read now may
    // show the device as of SystemC's time (less a cycle, for a stream source that has not run yet
    // in this timestep: a byte is never taken after its cycle). The device takes stream bytes at
    // most one global quantum ahead of SystemC's time (the model's and the RTL wrapper's admission
    // rule), which is `quantum - local` past this thread's time.
    const auto cycles = [this](const sc_core::sc_time& t) {
        return (t.value() + period_.value() - 1) / period_.value();
    };
    const std::uint64_t local = local_time().value() / period_.value();  // rounded down: behind and ahead both err long
    const std::uint64_t quantum = cycles(tlm::tlm_global_quantum::instance().get());
    return time_skew{local + 1, (quantum > local ? quantum - local : 0) + 1};
}

std::uint64_t tlm_bus::do_now_cycles() const {
    return current_time().value() / period_.value();
}

}  // namespace ppb::driver
