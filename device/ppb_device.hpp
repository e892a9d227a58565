// A PPB as a SystemC platform sees it, whichever engine runs it: the behavioural core
// (ppb::model::ppb_model, model/ppb_model.hpp) or the Verilated RTL (ppb::rtl::ppb_rtl,
// rtl/sim/ppb_rtl.hpp). A platform binds these sockets and ports and never needs to know which;
// make_device() (device/make_device.hpp) picks the engine at run time.
//
// Sockets and ports:
//   bus     32-bit TLM-2.0 target: registers at 0x000000, BANK0 at 0x100000, BANK1 at 0x200000.
//           Whatever SPEC.md section 2 refuses gets its error response and changes nothing; the
//           rules live here, once, for both engines (the RTL's own decode is checked against them).
//   stream  TLM-2.0 target for the stream port: write transactions whose data are the bytes in
//           order (address ignored). b_transport returns once every byte is accepted or dropped;
//           a back-pressure stall waits inside, so call it from an SC_THREAD. An unbound stream
//           socket is fine (a host-mode platform need not bind it).
//   irq     high while IRQ_STATUS & IRQ_ENABLE is not 0, at the simulated time of its cycle. It
//           may stay unbound too (a polling platform); bind it to an sc_signal<bool>.
//
// Timing (SPEC.md section 6) is annotated on every transaction: 2 cycles per 32-bit word on the
// bus, commands in cycles after the CMD write, one stream byte per cycle. Each engine keeps
// loosely-timed decoupling within the TLM global quantum that the top level sets.
//
// transport_dbg: register reads without side effects; bank reads and writes (backdoor loads).
#pragma once

#include "device/bus_rules.hpp"
#include "ppb_regs.hpp"

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>

namespace ppb {

enum class engine_kind : std::uint8_t { tlm, rtl };
const char* to_string(engine_kind e);

struct device_statistics {
    std::uint64_t reg_reads = 0, reg_writes = 0;
    std::uint64_t bank_bytes_read = 0, bank_bytes_written = 0;
    std::uint64_t bus_errors = 0;
    std::uint64_t dmi_grants = 0;
    std::uint64_t stream_bytes = 0;
    std::uint64_t stream_stalls = 0;  // waits for the host (back-pressure or host source)
    std::uint64_t busy_cycles = 0;    // cycles with BUSY high
    std::uint32_t peak_fill = 0;
    // The RTL engine's clock (0 on the model, which has none).
    std::uint64_t cycles = 0;          // RTL clock cycles run
    std::uint64_t cycles_skipped = 0;  // of which quiescent, not evaluated
    std::uint64_t apb_transfers = 0;
};

// What SPEC.md section 2 says of a bus transaction: its response, and where it goes.
struct bus_access {
    tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
    ppb::window window = window::regs;
    std::uint32_t offset = 0;  // within the window
    std::size_t span = 0;      // bytes of address space one beat touches (the streaming width)
    // The error is one the address alone decides (unmapped, misaligned, outside every window),
    // which an APB slave answers with PSLVERR; other errors only TLM can express.
    bool address_decides = false;
};

// The rules, for a device of `capacity` bytes per bank.
bus_access classify(const tlm::tlm_generic_payload& tx, std::uint32_t capacity);

class ppb_device : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<ppb_device, 32> bus;
    tlm_utils::simple_target_socket_optional<ppb_device, 32> stream;                             // may stay unbound
    sc_core::sc_port<sc_core::sc_signal_inout_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> irq;  // may stay unbound

    engine_kind engine() const { return engine_; }
    std::uint32_t capacity() const { return capacity_; }
    const sc_core::sc_time& clock_period() const { return period_; }

    // Records FILL, LIMIT, PING_BANK, BUSY, the running command and irq into `tf`.
    void trace(sc_core::sc_trace_file* tf);

    // Dumps the engine's own signals, from now on, to a waveform file at `path`: every RTL signal
    // as FST for the RTL engine (ppb::rtl::ppb_rtl::trace_fst). The model has no signals below the
    // ones trace() records and throws std::invalid_argument saying so.
    virtual void trace_engine(const std::string& path);

    // Hardware reset (rst_ni): registers to reset values, running command abandoned, banks kept.
    void hard_reset();

    // Grants DMI on both bank windows (default) or not; turning it off invalidates every pointer
    // granted so far. An engine that cannot grant DMI (the RTL) never does.
    virtual void set_dmi_allowed(bool allowed) = 0;

    device_statistics stats() const;

protected:
    // Throws std::invalid_argument for a CAPACITY outside SPEC.md section 1 or a zero clock period.
    ppb_device(const sc_core::sc_module_name& name, engine_kind engine, std::uint32_t capacity,
               const sc_core::sc_time& clock_period);

    // What the engines do. Every bus transaction comes with its classification; `access.status`
    // is an error when SPEC.md refuses it, and the engine then only spends its time.
    virtual void bus_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay, const bus_access& access) = 0;
    virtual bool direct_memory(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) = 0;
    // Debug access without side effects: a register read (false when the engine refuses it), and
    // bank bytes.
    virtual bool debug_read_register(std::uint32_t offset, std::uint32_t& value) = 0;
    virtual void debug_bank(unsigned bank, std::uint32_t offset, unsigned char* data, std::size_t len, bool write) = 0;
    // A stream transaction the port admits (SPEC.md section 7, docs/spec-notes.md).
    virtual void stream_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) = 0;
    virtual void reset_engine() = 0;
    // Adds what only the engine knows (busy cycles, peak FILL, ...).
    virtual void engine_statistics(device_statistics& s) const = 0;
    virtual void on_trace() {}

    // What a person sees in the waveform, and the irq level.
    struct snapshot {
        std::uint32_t fill = 0, limit = 0, cmd = 0;
        bool ping_bank = false, busy = false, irq = false;
    };
    // The engine's state as of `cycle`: shown (traced, driven on irq) at that cycle's time. The
    // newest state supersedes anything queued for later cycles: engines change in processing
    // order, which decoupled initiators make differ from time order, and an older state shown
    // after a newer one would hide what happened since.
    void show(std::uint64_t cycle, const snapshot& s);
    void show_initial(const snapshot& s) { shown_ = s; }
    // Whether a change with this irq level would be seen (traced, queued, or irq changing): when
    // not, an engine need not build the snapshot at all.
    bool visible(bool irq_level) const { return tracing_ || !pending_.empty() || irq_level != shown_.irq; }
    void note_fill(std::uint32_t fill) { counters_.peak_fill = std::max(counters_.peak_fill, fill); }
    bool tracing() const { return tracing_; }

    // Cycle and time conversions, on every transaction's path: inline.
    std::uint64_t cycle_of(const sc_core::sc_time& t) const {  // first clock edge at or after t
        return (t.value() + period_.value() - 1) / period_.value();
    }
    // The cycle t lies in.
    std::uint64_t cycle_at(const sc_core::sc_time& t) const { return t.value() / period_.value(); }
    // (sc_time's inline multiply: exact below 2^53 time units; from_value() is a library call.)
    sc_core::sc_time time_of(std::uint64_t cycle) const { return period_ * static_cast<double>(cycle); }
    // From `now` (SystemC's time) to that cycle, or 0.
    sc_core::sc_time until(std::uint64_t cycle, const sc_core::sc_time& now) const {
        const sc_core::sc_time t = time_of(cycle);
        return t > now ? t - now : sc_core::SC_ZERO_TIME;
    }
    sc_core::sc_time until(std::uint64_t cycle) const { return until(cycle, sc_core::sc_time_stamp()); }

    device_statistics counters_;  // what the shell counts; engines add their own

private:
    void bus_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    bool bus_get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    unsigned bus_transport_dbg(tlm::tlm_generic_payload& tx);
    void stream_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned stream_transport_dbg(tlm::tlm_generic_payload& tx);
    void publish_method();

    engine_kind engine_;
    std::uint32_t capacity_;
    sc_core::sc_time period_;
    std::multimap<std::uint64_t, snapshot> pending_;
    snapshot shown_;
    bool tracing_ = false;
    sc_core::sc_event publish_event_;
};

}  // namespace ppb
