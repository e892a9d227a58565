// The Verilated PPB RTL (rtl/ppb_top.sv) as the engine of the device shell (device/ppb_device.hpp):
// the same sockets, ports, access rules and timing annotations as the TLM model, so a platform
// drives either without knowing which.
//
// Bus: a TLM-to-APB4 transactor (apb_transactor.cpp). Every 32-bit word a transaction touches
// becomes one APB transfer (setup + access, 2 cycles) with PSTRB from the byte enables. An access
// SPEC.md refuses costs one APB transfer: where the RTL can be asked (an address its decode must
// refuse, a register write with a partial PSTRB) the transfer is made and the RTL must answer
// PSLVERR and change nothing; what APB cannot express takes two idle cycles. The RTL's PSLVERR
// is checked against the shell's rules both ways (an error report if they disagree).
// Stream: bytes offered on s_axis one per cycle; b_transport returns once every byte has moved.
//
// Clocking. The RTL is not clocked by an sc_clock: it keeps its own cycle count and is stepped
// (one eval() per cycle, two when the bus samples PRDATA) only when something needs it: a bus
// transaction at local time T first runs the idle cycles up to T's cycle, then its APB transfers,
// and annotates the delay; stream bytes are offered in every cycle that is stepped, by whichever
// process steps it; a timed wake-up steps it to the end of a running command so that CMD_DONE and
// irq appear at their time without any transaction. A transaction whose local time is earlier than
// the RTL's current cycle runs at the current cycle (loosely-timed decoupling: the error is bounded
// by the global quantum). The stream port steps at most one global quantum ahead of SystemC's
// time. Once a stream source has been seen, the bus does not run cycles ahead of it with no byte
// on offer (they would be lost to the stream for good): a bus b_transport from an SC_THREAD then
// waits until SystemC's time reaches those cycles, or until the stream port reaches them with
// bytes to offer in the same cycles. Quiescent cycles, in which no flop can change, are skipped
// rather than evaluated (set_idle_skip()).
//
// DMI: never granted (the banks live inside the Verilated model); set_dmi_allowed() has no effect.
// transport_dbg: register reads (combinational, no clock edge, no side effect); bank reads and
// writes through the RAM arrays (backdoor loads).
//
// CAPACITY: any legal value. The ones in capacities() (PPB_RTL_CAPACITIES at configure time) are
// verilated into the build; any other is verilated, compiled and cached on first use
// (rtl/sim/rtl_builder.hpp: tens of seconds once, then a load). A CAPACITY outside SPEC.md section
// 1, a zero clock period, or a model that cannot be had (no verilator, say) throws
// std::invalid_argument saying why.
#pragma once

#include "device/ppb_device.hpp"
#include "rtl/sim/rtl_build.hpp"

#include <systemc>
#include <tlm>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ppb::rtl {

namespace detail {
class engine;
}

class ppb_rtl final : public ppb_device {
public:
    ppb_rtl(const sc_core::sc_module_name& name, std::uint32_t capacity = regs::capacity_default,
            const sc_core::sc_time& clock_period = sc_core::sc_time(10, sc_core::SC_NS));
    ~ppb_rtl() override;

    // The CAPACITY values verilated into this build (others are built on first use).
    static const std::vector<std::uint32_t>& capacities();
    // An empty string when any CAPACITY can be had, else why only capacities() can.
    static std::string on_demand_problem();
    // An empty string when an RTL model of `capacity` can be had (the register description's rule,
    // and verilated in or built on first use), else why not.
    static std::string capacity_problem(std::uint32_t capacity);

    // Dumps every RTL signal to an FST file (GTKWave: rtl/sim/ppb_rtl.gtkw), from now on.
    void trace_fst(const std::string& path);
    // The device's engine waveform: trace_fst().
    void trace_engine(const std::string& path) override { trace_fst(path); }

    // DMI is never granted by the RTL.
    void set_dmi_allowed(bool allowed) override;

    // Quiescent cycles (no command running, no bus transfer, no stream byte that can move) change
    // no flop, so by default they are counted and not evaluated. false evaluates every cycle (as
    // does PPB_RTL_NO_IDLE_SKIP in the environment, and an open FST trace).
    void set_idle_skip(bool skip);

    using statistics = device_statistics;

    // Verilator run-time options for models constructed afterwards, e.g. X randomisation:
    // {"+verilator+rand+reset+2", "+verilator+seed+7"}. Words of PPB_RTL_PLUSARGS in the
    // environment are added to them.
    static void set_plusargs(std::vector<std::string> args);
    // The options the model in this instance was built with (to print with a test's seed).
    const std::vector<std::string>& plusargs() const { return plusargs_; }

    // The Verilated build (rtl/sim/rtl_build.hpp) for models constructed afterwards: checked (the
    // default: assertions, X randomisation) or fast. PPB_RTL_BUILD=checked|fast in the environment
    // overrides it (std::invalid_argument at construction for anything else).
    static void set_build(rtl_build b);
    // "" when a model can be constructed in the chosen build, else why not (PPB_RTL_BUILD neither
    // checked nor fast; X randomisation asked of the fast build): what the constructor would throw.
    static std::string build_problem();
    // The build of the model in this instance.
    rtl_build build() const { return build_; }

    // Cycles per second of plain Verilator on this RTL: the C++ loop alone, no SystemC, no
    // transactor (a benchmark's reference figure), in the build set_build()/PPB_RTL_BUILD choose.
    static double raw_cycles_per_second(std::uint32_t capacity, std::uint64_t cycles);

private:
    // The shell's engine interface.
    void bus_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay, const bus_access& access) override;
    bool direct_memory(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) override;
    bool debug_read_register(std::uint32_t offset, std::uint32_t& value) override;
    void debug_bank(unsigned bank, std::uint32_t offset, unsigned char* data, std::size_t len, bool write) override;
    void stream_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) override;
    void reset_engine() override;
    void engine_statistics(device_statistics& s) const override;
    void on_trace() override;

    // The APB transactor (apb_transactor.cpp).
    void error_transfer(const tlm::tlm_generic_payload& tx, const bus_access& access);
    tlm::tlm_response_status bank_transfers(tlm::tlm_generic_payload& tx, std::size_t span);

    // Loosely-timed scheduling (ppb_rtl.cpp).
    void run_to(std::uint64_t cycle);  // runs cycles up to (not including) `cycle`
    // Before the bus path runs the idle cycles up to `start` and then `cycles` more: waits (in a
    // thread) until no stream byte can be due in them that is not already on offer (see the .cpp).
    void await_stream(std::uint64_t start, std::uint64_t cycles);
    void after_steps();
    void wake_method();

    std::vector<std::string> plusargs_;
    rtl_build build_ = rtl_build::checked;
    std::unique_ptr<detail::engine> eng_;

    bool stream_active_ = false;
    bool stream_used_ = false;                          // a stream source has offered bytes: the bus must not outrun it
    bool stream_stalled_ = false;                       // the stream waits for a register write
    std::uint64_t bus_wait_cycle_ = ~std::uint64_t{0};  // a bus access waits to start at this cycle
    sc_core::sc_event bus_turn_;                        // the stream has reached bus_wait_cycle_ with bytes on offer
    sc_core::sc_event bus_done_;                        // the waiting bus access has gone on
    bool reported_failure_ = false;
    sc_core::sc_event wake_event_;
    sc_core::sc_event stream_wake_;
    sc_core::sc_event stream_free_;
};

}  // namespace ppb::rtl
