// The RTL engine's loosely-timed scheduling: construction, running cycles on behalf of whichever
// SystemC process needs them, the stream port, and what the engine shows (see ppb_rtl.hpp). The
// bus side is apb_transactor.cpp; the Verilated models are behind rtl/sim/rtl_engine.hpp.
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/sim/rtl_builder.hpp"
#include "rtl/sim/rtl_engine.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace ppb::rtl {

namespace {

std::vector<std::string>& global_plusargs() {
    static std::vector<std::string> args;
    return args;
}

rtl_build& global_build() {
    static rtl_build b = rtl_build::checked;
    return b;
}

// The options for a model constructed now: set_plusargs()'s, then the words of PPB_RTL_PLUSARGS.
std::vector<std::string> chosen_plusargs() {
    std::vector<std::string> args = global_plusargs();
    if (const char* env = std::getenv("PPB_RTL_PLUSARGS")) {
        std::istringstream in(env);
        for (std::string w; in >> w;)
            args.push_back(w);
    }
    return args;
}

// set_build()'s choice unless PPB_RTL_BUILD says otherwise; nothing when PPB_RTL_BUILD is neither.
std::optional<rtl_build> chosen_build() {
    return env_rtl_build(global_build());
}

// "" or why a model cannot be made in `build` with `plusargs`.
std::string build_problem(std::optional<rtl_build> build, const std::vector<std::string>& plusargs) {
    if (!build)
        return env_rtl_build_error();
    if (*build == rtl_build::fast) {
        // The fast model is verilated with --x-initial fast: Verilator's run-time X options would
        // be accepted and silently do nothing.
        for (const auto& a : plusargs)
            if (a.rfind("+verilator+rand+reset", 0) == 0)
                return a + " (X randomisation) needs the checked RTL build, not PPB_RTL_BUILD=fast";
    }
    return {};
}

}  // namespace

const std::vector<std::uint32_t>& ppb_rtl::capacities() {
    return detail::verilated_capacities();
}

std::string ppb_rtl::on_demand_problem() {
    return detail::plugin_problem();
}

std::string ppb_rtl::capacity_problem(std::uint32_t capacity) {
    if (std::string why = regs::capacity_error(capacity); !why.empty())
        return why;
    const auto& caps = capacities();
    if (std::find(caps.begin(), caps.end(), capacity) != caps.end())
        return {};
    const std::string why = on_demand_problem();
    if (why.empty())
        return {};
    std::string have;
    for (auto c : caps)
        have += (have.empty() ? "" : ";") + std::to_string(c);
    return "the RTL was not verilated for CAPACITY " + std::to_string(capacity) + " (this build has " + have +
           ") and cannot be on demand: " + why + "; or reconfigure with -DPPB_RTL_CAPACITIES=\"" + have + ";" +
           std::to_string(capacity) + "\"";
}

void ppb_rtl::set_plusargs(std::vector<std::string> args) {
    global_plusargs() = std::move(args);
}

void ppb_rtl::set_build(rtl_build b) {
    global_build() = b;
}

std::string ppb_rtl::build_problem() {
    return rtl::build_problem(chosen_build(), chosen_plusargs());
}

double ppb_rtl::raw_cycles_per_second(std::uint32_t capacity, std::uint64_t cycles) {
    const auto build = chosen_build();
    if (const std::string why = rtl::build_problem(build, {}); !why.empty())
        throw std::invalid_argument(why);
    return detail::raw_cycles_per_second(capacity, *build, cycles);
}

ppb_rtl::ppb_rtl(const sc_core::sc_module_name& name, std::uint32_t capacity, const sc_core::sc_time& clock_period)
    : ppb_device(name, engine_kind::rtl, capacity, clock_period) {
    plusargs_ = chosen_plusargs();
    const auto ps = static_cast<std::uint64_t>(clock_period.to_seconds() * 1e12 + 0.5);
    const auto build = chosen_build();
    if (const std::string why = rtl::build_problem(build, plusargs_); !why.empty())
        throw std::invalid_argument(std::string(this->name()) + ": " + why);
    build_ = *build;
    try {
        eng_ = detail::make_engine(capacity, build_, plusargs_, ps);
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string(this->name()) + ": no RTL model for CAPACITY " +
                                    std::to_string(capacity) + ": " + e.what());
    }
    eng_->changes.clear();
    eng_->skip_idle = std::getenv("PPB_RTL_NO_IDLE_SKIP") == nullptr;

    SC_HAS_PROCESS(ppb_rtl);
    SC_METHOD(wake_method);
    sensitive << wake_event_;
    dont_initialize();

    const auto o = eng_->observe();
    show_initial({o.fill, o.limit, o.cmd, o.ping_bank, o.busy, o.irq});
}

ppb_rtl::~ppb_rtl() = default;

void ppb_rtl::run_to(std::uint64_t cycle) {
    if (eng_->cycle < cycle)
        eng_->run(cycle, false);
}

// The RTL cannot step back: a cycle the bus path runs with no stream byte on offer is lost to a
// stream source whose next transaction is due in it (the source is paced in SystemC time, so every
// such cycle delays the rest of the stream for good). So once a stream source has been seen, a bus
// access that would run cycles not covered by the bytes on offer waits, until SystemC's time has
// reached the last of them and a stream transaction due then has been offered (one delta more), or
// until the stream port, which stops at the cycle the access waits for (bus_wait_cycle_), has
// reached it with bytes on offer: the access then runs with them, in the same cycles.
void ppb_rtl::await_stream(std::uint64_t start, std::uint64_t cycles) {
    if (!stream_used_)
        return;
    const auto kind = sc_core::sc_get_curr_process_kind();
    if (kind != sc_core::SC_THREAD_PROC_ && kind != sc_core::SC_CTHREAD_PROC_)
        return;            // cannot wait: runs ahead, as without a stream
    bool settled = false;  // a delta has passed at the time checked
    for (;;) {
        if (eng_->s_left && (stream_stalled_ || (eng_->cycle >= start && eng_->s_left >= cycles)))
            break;  // bytes on offer in every one of them (or stalled until a register write)
        const sc_core::sc_time last = time_of(std::max(start, eng_->cycle) + cycles - 1);
        const sc_core::sc_time now = sc_core::sc_time_stamp();
        if (now > last || (now == last && settled))
            break;
        bus_wait_cycle_ = start;
        if (now < last) {
            sc_core::wait(last - now, bus_turn_);
        } else {
            sc_core::wait(sc_core::SC_ZERO_TIME);  // a source due at `last` offers its bytes first
            settled = true;
        }
    }
    if (bus_wait_cycle_ != ~std::uint64_t{0}) {
        bus_wait_cycle_ = ~std::uint64_t{0};
        bus_done_.notify(sc_core::SC_ZERO_TIME);
    }
}

// Shows what the cycles just run changed, at their time, and schedules what must happen without
// a transaction: the end of a running command, and the wake-up of a waiting stream.
void ppb_rtl::after_steps() {
    for (const auto& [c, o] : eng_->changes)
        show(c, {o.fill, o.limit, o.cmd, o.ping_bank, o.busy, o.irq});
    eng_->changes.clear();
    if (eng_->failed() && !reported_failure_) {
        reported_failure_ = true;
        SC_REPORT_ERROR(name(), "an RTL assertion failed (see the Verilator %Error message above)");
    }
    if (eng_->apb.violations() != eng_->apb_reported) {
        eng_->apb_reported = eng_->apb.violations();
        SC_REPORT_ERROR("ppb/check/apb4", (std::string(name()) + ": " + eng_->apb.describe()).c_str());
    }
    if (stream_active_ && eng_->s_left == 0)
        stream_wake_.notify(sc_core::SC_ZERO_TIME);
    const auto o = eng_->observe();
    if (o.busy)
        wake_event_.notify(until(eng_->cycle + std::max(o.busy_left, 1u)));
}

void ppb_rtl::wake_method() {
    run_to(cycle_at(sc_core::sc_time_stamp()));
    after_steps();
    stream_wake_.notify(sc_core::SC_ZERO_TIME);
}

void ppb_rtl::on_trace() {
    eng_->tracing = true;
}

void ppb_rtl::trace_fst(const std::string& path) {
    eng_->open_fst(path);
}

void ppb_rtl::reset_engine() {
    run_to(cycle_at(sc_core::sc_time_stamp()));
    eng_->reset();
    after_steps();
    stream_wake_.notify(sc_core::SC_ZERO_TIME);
}

void ppb_rtl::set_dmi_allowed(bool) {}

void ppb_rtl::set_idle_skip(bool skip) {
    eng_->skip_idle = skip;
}

void ppb_rtl::engine_statistics(device_statistics& s) const {
    s.busy_cycles = eng_->busy_cycles;
    s.peak_fill = eng_->peak_fill;
    s.cycles = eng_->cycle;
    s.cycles_skipped = eng_->skipped;
    s.apb_transfers = eng_->transfers;
}

void ppb_rtl::stream_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const std::size_t n = tx.get_data_length();
    while (stream_active_)  // one stream transaction on the port at a time
        sc_core::wait(stream_free_);
    stream_active_ = true;
    stream_used_ = true;
    run_to(cycle_of(sc_core::sc_time_stamp() + delay));
    eng_->s_data = tx.get_data_ptr();
    eng_->s_left = n;
    eng_->s_end = eng_->cycle;
    const sc_core::sc_time quantum = tlm::tlm_global_quantum::instance().get();
    while (eng_->s_left) {
        // Cycles run here end at most one global quantum after SystemC's time, so that a bus
        // access from another process is late by no more than the decoupling the top level chose.
        std::uint64_t horizon = cycle_at(sc_core::sc_time_stamp() + quantum);
        // A bus access waiting for an earlier cycle goes first (its transfers offer our bytes too).
        const bool yield = bus_wait_cycle_ < horizon && eng_->s_left >= regs::bus_cycles_per_word;
        if (yield)
            horizon = bus_wait_cycle_;
        if (eng_->cycle >= horizon && yield) {
            bus_turn_.notify(sc_core::SC_ZERO_TIME);
            sc_core::wait(bus_done_);
            continue;
        }
        if (eng_->cycle >= horizon) {
            sc_core::wait(time_of(eng_->cycle + 1) - (sc_core::sc_time_stamp() + quantum));
            continue;
        }
        const bool stalled = eng_->run(horizon, true);
        after_steps();
        if (stalled && eng_->s_left) {
            // Host source or back-pressure: only a register write ends it (it wakes us, and the
            // bus transfers that follow offer our bytes too).
            ++counters_.stream_stalls;
            stream_stalled_ = true;
            sc_core::wait(stream_wake_);
            stream_stalled_ = false;
        }
    }
    eng_->s_data = nullptr;
    stream_active_ = false;
    stream_free_.notify(sc_core::SC_ZERO_TIME);
    delay = until(eng_->s_end);
}

}  // namespace ppb::rtl
