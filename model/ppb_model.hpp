// The PPB peripheral as a loosely-timed SystemC/TLM-2.0 model.
//
// Sockets and ports (the RTL wrapper exposes the same ones):
//   bus     32-bit TLM-2.0 target: registers at 0x000000, BANK0 at 0x100000, BANK1 at 0x200000.
//   stream  TLM-2.0 target for the stream port: write transactions whose data are the bytes in
//           order (address ignored). b_transport returns once every byte is accepted or dropped;
//           a back-pressure stall waits inside, so call it from an SC_THREAD.
//   irq     high while IRQ_STATUS & IRQ_ENABLE is not 0.
//
// Timing (SPEC.md section 6): b_transport annotates the delay the RTL takes: 2 cycles per 32-bit
// word on the bus, commands in cycles after the CMD write, one stream byte per cycle. Command results
// are applied at the right local time of whoever looks (ppb_core.hpp); irq and traced values change
// at their cycle in SystemC time. The stream port takes bytes at most one TLM global quantum ahead of
// SystemC's time (it waits to stay within it), so the top level's quantum bounds how far FILL as the
// bus sees it can be from the RTL's; a quantum of 0 is exact and slow.
//
// DMI: both bank windows, read and write. The latencies are per 32-bit word touched (2 cycles),
// so an initiator that honours them keeps the bus timing. A granted pointer stays valid for the
// model's lifetime, except that set_dmi_allowed(false) invalidates every grant. A DMI access bypasses
// the model, so it sees a SHIFT/CONSUME's copy once the command's results are applied: at its end in
// SystemC time, or at the first bus access (any register, or b_transport to a bank) at or after it.
// An initiator running ahead of SystemC time reads STATUS (BUSY low) before it reads copied bytes.
//
// transport_dbg: register reads without side effects; bank reads and writes (backdoor loads).
#pragma once

#include "model/ppb_core.hpp"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <map>
#include <string>

namespace ppb::model {

class ppb_model : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<ppb_model, 32> bus;
    tlm_utils::simple_target_socket<ppb_model, 32> stream;
    sc_core::sc_out<bool> irq;

    // Throws std::invalid_argument for a CAPACITY outside SPEC.md section 1 or a zero clock period.
    ppb_model(const sc_core::sc_module_name& name, std::uint32_t capacity = regs::capacity_default,
              const sc_core::sc_time& clock_period = sc_core::sc_time(10, sc_core::SC_NS));

    std::uint32_t capacity() const { return core_.capacity(); }
    const sc_core::sc_time& clock_period() const { return period_; }

    // Records FILL, LIMIT, PING_BANK, BUSY, irq and the running command into `tf`.
    void trace(sc_core::sc_trace_file* tf);

    // Hardware reset: registers to reset values, running command abandoned, banks kept.
    void hard_reset();

    // Grants DMI (default) or not; turning it off invalidates every pointer granted so far.
    void set_dmi_allowed(bool allowed);

    // The behavioural core, for backdoor checks in tests (no timing, no events).
    const ppb_core& core() const { return core_; }

    struct statistics {
        std::uint64_t reg_reads = 0, reg_writes = 0;
        std::uint64_t bank_bytes_read = 0, bank_bytes_written = 0;
        std::uint64_t bus_errors = 0;
        std::uint64_t dmi_grants = 0;
        std::uint64_t stream_bytes = 0;
        std::uint64_t stream_stalls = 0;  // waits for the host (back-pressure or host source)
        std::uint64_t busy_cycles = 0;    // cycles with BUSY high, summed over accepted commands
        std::uint32_t peak_fill = 0;
    };
    statistics stats() const;

private:
    // What a person sees in the waveform, and the irq level, as of a cycle.
    struct snapshot {
        std::uint32_t fill = 0, limit = 0, cmd = 0;
        bool ping_bank = false, busy = false, irq = false;
    };

    void bus_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    bool bus_get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    unsigned bus_transport_dbg(tlm::tlm_generic_payload& tx);
    void stream_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned stream_transport_dbg(tlm::tlm_generic_payload& tx);

    void bank_access(tlm::tlm_generic_payload& tx, std::uint8_t* mem, std::uint32_t offset);
    void after_register_write();
    void on_core_change(std::uint64_t cycle);
    void publish_method();
    void completion_method();

    std::uint64_t cycle_of(const sc_core::sc_time& t) const;  // first clock edge at or after t
    sc_core::sc_time time_of(std::uint64_t cycle) const { return period_ * static_cast<double>(cycle); }
    sc_core::sc_time until(std::uint64_t cycle) const;         // from now to that cycle, or 0

    ppb_core core_;
    sc_core::sc_time period_;
    bool dmi_allowed_ = true;

    std::multimap<std::uint64_t, snapshot> pending_;
    snapshot shown_;  // the values traced and driven on irq
    bool tracing_ = false;
    sc_core::sc_event publish_event_;
    sc_core::sc_event completion_event_;
    sc_core::sc_event stream_wake_;

    statistics stats_;
};

}  // namespace ppb::model
