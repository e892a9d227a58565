// The PPB peripheral as a loosely-timed SystemC/TLM-2.0 model: the behavioural core
// (model/ppb_core.hpp) as the engine of the device shell (device/ppb_device.hpp), whose sockets,
// ports, access rules and timing annotations it shares with the Verilated RTL.
//
// Timing: command results are applied at the right local time of whoever looks (ppb_core.hpp); irq
// and traced values change at their cycle in SystemC time. The stream port takes bytes at most one
// TLM global quantum ahead of SystemC's time (it waits to stay within it), so the top level's
// quantum bounds how far FILL as the bus sees it can be from the RTL's; a quantum of 0 is exact
// and slow.
//
// DMI: both bank windows, read and write. The latencies are per 32-bit word touched (2 cycles),
// so an initiator that honours them keeps the bus timing. A granted pointer stays valid for the
// model's lifetime, except that set_dmi_allowed(false) invalidates every grant. A DMI access bypasses
// the model, so it sees a SHIFT/CONSUME's copy once the command's results are applied: at its end in
// SystemC time, or at the first bus access (any register, or b_transport to a bank) at or after it.
// An initiator running ahead of SystemC time reads STATUS (BUSY low) before it reads copied bytes.
#pragma once

#include "device/ppb_device.hpp"
#include "model/ppb_core.hpp"

#include <systemc>
#include <tlm>

#include <cstdint>
#include <optional>

namespace ppb::model {

class ppb_model final : public ppb_device {
public:
    // Throws std::invalid_argument for a CAPACITY outside SPEC.md section 1 or a zero clock period.
    ppb_model(const sc_core::sc_module_name& name, std::uint32_t capacity = regs::capacity_default,
              const sc_core::sc_time& clock_period = sc_core::sc_time(10, sc_core::SC_NS));

    void set_dmi_allowed(bool allowed) override;

    // The behavioural core, for backdoor checks in tests (no timing, no events).
    const ppb_core& core() const { return core_; }

    using statistics = device_statistics;

private:
    void bus_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay, const bus_access& access) override;
    bool direct_memory(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) override;
    bool debug_read_register(std::uint32_t offset, std::uint32_t& value) override;
    void debug_bank(unsigned bank, std::uint32_t offset, unsigned char* data, std::size_t len, bool write) override;
    void stream_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) override;
    void reset_engine() override;
    void engine_statistics(device_statistics& s) const override;

    void bank_access(tlm::tlm_generic_payload& tx, std::uint8_t* mem, std::uint32_t offset);
    void after_register_write();
    void schedule_completion();
    void wake_stream();
    void on_core_change(std::uint64_t cycle);
    void completion_method();

    ppb_core core_;
    bool dmi_allowed_ = true;
    sc_core::sc_event completion_event_;
    std::optional<std::uint64_t> scheduled_done_;  // the cycle completion_event_ is due at
    sc_core::sc_event stream_wake_;
    bool stream_waits_ = false;  // stream_wake_ is notified only when the stream waits for it
};

}  // namespace ppb::model
