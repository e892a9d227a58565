// The Verilated PPB RTL (rtl/ppb_top.sv) behind the same sockets and ports as the TLM model
// (model/ppb_model.hpp), so a testbench can drive either without knowing which.
//
// Sockets and ports:
//   bus     32-bit TLM-2.0 target. A TLM-to-APB4 transactor: every 32-bit word a transaction
//           touches becomes one APB transfer (setup + access, 2 cycles) with PSTRB from the byte
//           enables; PSLVERR becomes TLM_ADDRESS_ERROR_RESPONSE. What APB cannot express is judged
//           here before any transfer, with the same response statuses as the model: zero length,
//           bursts that leave their window, register accesses that are not one whole word
//           (TLM_BURST_ERROR_RESPONSE) or have byte enables off (TLM_BYTE_ENABLE_ERROR_RESPONSE).
//           An error costs one APB transfer (2 cycles) and changes nothing.
//   stream  TLM-2.0 target: write transactions whose data are the bytes in order (address
//           ignored), offered on s_axis one per cycle; b_transport returns once every byte has
//           moved (accepted or dropped). A back-pressure or host-source stall waits inside, so call
//           it from an SC_THREAD.
//   irq     the RTL's irq_o, driven at the simulated time of the cycle it changes in.
//
// Clocking. The RTL is not clocked by an sc_clock: it keeps its own cycle count and is stepped
// (one eval() per cycle, two when the bus samples PRDATA) only when something needs it: a bus transaction at local time T first
// runs the idle cycles up to T's cycle, then its APB transfers, and annotates the delay; stream
// bytes are offered in every cycle that is stepped, by whichever process steps it; a timed wake-up
// steps it to the end of a running command so that CMD_DONE and irq appear at their time without
// any transaction. A transaction whose local time is earlier than the RTL's current cycle runs at
// the current cycle (loosely-timed decoupling: the error is bounded by the global quantum). The
// stream port steps at most one global quantum ahead of SystemC's time. Once a stream source has
// been seen, the bus does not run cycles ahead of it with no byte on offer (they would be lost to
// the stream for good): a bus b_transport from an SC_THREAD then waits until SystemC's time reaches
// those cycles, or until the stream port reaches them with bytes to offer in the same cycles. Quiescent cycles, in which
// no flop can change, are skipped rather than evaluated (set_idle_skip()).
//
// DMI: never granted (the banks live inside the Verilated model); set_dmi_allowed() has no effect.
// transport_dbg: register reads (combinational, no clock edge, no side effect); bank reads and
// writes through the RAM arrays (backdoor loads).
//
// CAPACITY: the RTL is verilated for the values in capacities() (1024 and 4096); any other value
// throws std::invalid_argument, as does a zero clock period.
#pragma once

#include "ppb_regs.hpp"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace ppb::rtl {

namespace detail {
class engine;
}

class ppb_rtl : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<ppb_rtl, 32> bus;
    tlm_utils::simple_target_socket<ppb_rtl, 32> stream;
    sc_core::sc_out<bool> irq;

    ppb_rtl(const sc_core::sc_module_name& name, std::uint32_t capacity = regs::capacity_default,
            const sc_core::sc_time& clock_period = sc_core::sc_time(10, sc_core::SC_NS));
    ~ppb_rtl() override;

    // The CAPACITY values the RTL was verilated for.
    static const std::vector<std::uint32_t>& capacities();

    std::uint32_t capacity() const { return capacity_; }
    const sc_core::sc_time& clock_period() const { return period_; }

    // Records FILL, LIMIT, PING_BANK, BUSY, irq and the running command into `tf` (as the model).
    void trace(sc_core::sc_trace_file* tf);
    // Dumps every RTL signal to an FST file (GTKWave: rtl/sim/ppb_rtl.gtkw), from now on.
    void trace_fst(const std::string& path);

    // Hardware reset (rst_ni pulsed low): registers to reset values, running command abandoned,
    // RAM kept.
    void hard_reset();

    // DMI is never granted by the RTL; accepted for interface compatibility with the model.
    void set_dmi_allowed(bool allowed);

    // Quiescent cycles (no command running, no bus transfer, no stream byte that can move) change
    // no flop, so by default they are counted and not evaluated. false evaluates every cycle (as
    // does PPB_RTL_NO_IDLE_SKIP in the environment, and an open FST trace).
    void set_idle_skip(bool skip);

    struct statistics {
        std::uint64_t reg_reads = 0, reg_writes = 0;
        std::uint64_t bank_bytes_read = 0, bank_bytes_written = 0;
        std::uint64_t bus_errors = 0;
        std::uint64_t dmi_grants = 0;
        std::uint64_t stream_bytes = 0;
        std::uint64_t stream_stalls = 0;  // waits for the host (back-pressure or host source)
        std::uint64_t busy_cycles = 0;    // cycles with BUSY high
        std::uint32_t peak_fill = 0;
        std::uint64_t cycles = 0;          // RTL clock cycles run (not in the model)
        std::uint64_t cycles_skipped = 0;  // of which quiescent, not evaluated (not in the model)
        std::uint64_t apb_transfers = 0;   // (not in the model)
    };
    statistics stats() const;

    // Verilator run-time options for models constructed afterwards, e.g. X randomisation:
    // {"+verilator+rand+reset+2", "+verilator+seed+7"}. Words of PPB_RTL_PLUSARGS in the
    // environment are added to them.
    static void set_plusargs(std::vector<std::string> args);
    // The options the model in this instance was built with (to print with a test's seed).
    const std::vector<std::string>& plusargs() const { return plusargs_; }

    // Cycles per second of plain Verilator on this RTL: the C++ loop alone, no SystemC, no
    // transactor (a benchmark's reference figure).
    static double raw_cycles_per_second(std::uint32_t capacity, std::uint64_t cycles);

private:
    struct snapshot {
        std::uint32_t fill = 0, limit = 0, cmd = 0;
        bool ping_bank = false, busy = false, irq = false;
    };

    void bus_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    bool bus_get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    unsigned bus_transport_dbg(tlm::tlm_generic_payload& tx);
    void stream_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned stream_transport_dbg(tlm::tlm_generic_payload& tx);

    // Checks what APB cannot express, and asks the RTL's decode (without a clock edge) about the
    // first word. `rtl_refused`: the RTL itself answers this access with PSLVERR.
    tlm::tlm_response_status check(const tlm::tlm_generic_payload& tx, std::size_t span, bool& rtl_refused);
    void error_transfer(const tlm::tlm_generic_payload& tx, tlm::tlm_response_status status, bool rtl_refused);
    tlm::tlm_response_status bank_transfers(tlm::tlm_generic_payload& tx, std::size_t span);

    void run_to(std::uint64_t cycle);  // runs cycles up to (not including) `cycle`
    // Before the bus path runs the idle cycles up to `start` and then `cycles` more: waits (in a
    // thread) until no stream byte can be due in them that is not already on offer (see the .cpp).
    void await_stream(std::uint64_t start, std::uint64_t cycles);
    void after_steps();
    void publish_method();
    void wake_method();

    std::uint64_t cycle_of(const sc_core::sc_time& t) const;     // first clock edge at or after t
    std::uint64_t cycle_at(const sc_core::sc_time& t) const;     // the cycle t lies in
    sc_core::sc_time time_of(std::uint64_t cycle) const { return period_ * static_cast<double>(cycle); }
    sc_core::sc_time until(std::uint64_t cycle) const;           // from now to that cycle, or 0

    std::uint32_t capacity_;
    sc_core::sc_time period_;
    std::vector<std::string> plusargs_;
    std::unique_ptr<detail::engine> eng_;

    std::deque<std::pair<std::uint64_t, snapshot>> pending_;
    snapshot shown_;
    bool tracing_ = false;
    bool stream_active_ = false;
    bool stream_used_ = false;     // a stream source has offered bytes: the bus must not outrun it
    bool stream_stalled_ = false;  // the stream waits for a register write
    std::uint64_t bus_wait_cycle_ = ~std::uint64_t{0};  // a bus access waits to start at this cycle
    sc_core::sc_event bus_turn_;  // the stream has reached bus_wait_cycle_ with bytes on offer
    sc_core::sc_event bus_done_;  // the waiting bus access has gone on
    bool reported_failure_ = false;
    sc_core::sc_event publish_event_;
    sc_core::sc_event wake_event_;
    sc_core::sc_event stream_wake_;
    sc_core::sc_event stream_free_;

    statistics stats_;
};

}  // namespace ppb::rtl
