// The co-simulation wrapper: transactors around the Verilated RTL, stepped cycle by cycle from
// whichever SystemC process needs it (see ppb_rtl.hpp). This is the only file that includes the
// Verilated headers.
//
// The Verilated headers come first: once SystemC is included, verilated_funcs.h takes the SystemC
// branch of its time functions (this model is plain C++, built without --sc). They are
// third-party code, so the project's warnings are off for them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "Vppb_top_1024.h"
#include "Vppb_top_1024___024root.h"
#include "Vppb_top_4096.h"
#include "Vppb_top_4096___024root.h"
#include <verilated.h>
#include <verilated_fst_c.h>
#ifdef PPB_RTL_COVERAGE
#include <verilated_cov.h>
#endif
#pragma GCC diagnostic pop

#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/sim/apb4_checker.hpp"

#include "model/stream_port.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace ppb::rtl {

namespace detail {

// What the SystemC side needs from one Verilated model; implemented once per verilated CAPACITY.
// The per-cycle loop lives in the implementation so that it inlines eval() and the port accesses.
class engine {
public:
    struct observed {
        std::uint32_t fill, limit, cmd;
        bool ping_bank, busy, irq;
        unsigned busy_left;  // BUSY cycles left including the current one
    };
    virtual ~engine() = default;

    // Runs cycles [cycle, until) with the APB idle, offering the stream bytes. for_stream stops
    // once every byte has moved, and early (returning true) when a byte is offered that cannot move
    // while no command runs: only a register write can end such a stall.
    virtual bool run(std::uint64_t until, bool for_stream) = 0;
    // One APB transfer (setup and access cycles). Returns PSLVERR; rdata is PRDATA.
    virtual bool transfer(std::uint32_t addr, bool write, std::uint32_t wdata, unsigned strb,
                          std::uint32_t& rdata) = 0;
    // The access phase of a read, evaluated without a clock edge: no state changes.
    virtual bool probe(std::uint32_t addr, std::uint32_t& rdata) = 0;
    virtual void reset() = 0;
    virtual std::uint8_t peek(unsigned bank, std::uint32_t offset) const = 0;
    virtual void poke(unsigned bank, std::uint32_t offset, std::uint8_t value) = 0;
    virtual observed observe() const = 0;
    virtual void open_fst(const std::string& path) = 0;
    virtual bool failed() const = 0;

    std::uint64_t cycle = 0;  // the next cycle to run; the RTL's state is that of its start

    // Stream bytes offered on s_axis, in order.
    const std::uint8_t* s_data = nullptr;
    std::size_t s_left = 0;
    std::uint64_t s_end = 0;  // the cycle after the last byte that moved

    // Changes a SystemC process must show: irq always, everything traced when tracing.
    bool tracing = false;
    bool irq_level = false;
    std::vector<std::pair<std::uint64_t, observed>> changes;

    std::uint64_t busy_cycles = 0;
    std::uint32_t peak_fill = 0;
    std::uint64_t transfers = 0;

    // Quiescent cycles are counted, not evaluated (see run()).
    bool skip_idle = true;
    std::uint64_t skipped = 0;

    // The APB4 pins of every evaluated cycle, checked (skipped cycles are idle on the bus).
    apb4_checker apb;
    std::uint64_t apb_reported = 0;
};

namespace {

template <class VTop>
class engine_t final : public engine {
public:
    engine_t(const std::vector<std::string>& plusargs, std::uint64_t period_ps) : period_ps_(period_ps) {
        std::vector<const char*> argv{"ppb_rtl"};
        for (const auto& a : plusargs)
            argv.push_back(a.c_str());
        ctx_.commandArgs(static_cast<int>(argv.size()), argv.data());
        ctx_.fatalOnError(false);  // a failed assertion becomes a SystemC error, not an abort
        ctx_.traceEverOn(true);
        top_ = std::make_unique<VTop>(&ctx_, "ppb_top");
        VTop& t = *top_;
        t.clk_i = 1;
        t.rst_ni = 1;
        t.psel_i = 0;
        t.penable_i = 0;
        t.pwrite_i = 0;
        t.paddr_i = 0;
        t.pwdata_i = 0;
        t.pstrb_i = 0;
        t.s_axis_tvalid_i = 0;
        t.s_axis_tdata_i = 0;
        t.eval();
        reset();
    }

    ~engine_t() override {
        if (fst_)
            fst_->close();
        top_->final();
#ifdef PPB_RTL_COVERAGE
        write_coverage();
#endif
    }

#ifdef PPB_RTL_COVERAGE
    // Coverage build (PPB_COVERAGE): every model writes its line, toggle and user (assertion)
    // coverage into its own file, merged later by scripts/coverage.
    void write_coverage() {
        static unsigned serial = 0;
        const char* dir = std::getenv("PPB_RTL_COVERAGE_DIR");
        const std::string path = std::string(dir != nullptr ? dir : PPB_RTL_COVERAGE_DIR) + "/rtl-" +
                                 std::to_string(::getpid()) + "-" + std::to_string(serial++) + ".dat";
        ctx_.coveragep()->write(path.c_str());
    }
#endif

    bool run(std::uint64_t until, bool for_stream) override {
        VTop& t = *top_;
        while (cycle < until && !(for_stream && s_left == 0)) {
            // With no command running, no bus transfer and no byte that can move, no flop of the
            // RTL changes until an input does (every unit holds its state; the RAMs are not
            // enabled): such cycles are quiescent.
            if (!t.rootp->ppb_top__DOT__dbg_busy && (s_left == 0 || !t.s_axis_tready_o)) {
                if (for_stream && s_left != 0)
                    return true;
                if (skip_idle && !fst_) {
                    skipped += until - cycle;
                    cycle = until;
                    return false;
                }
            }
            tick<false>(nullptr, nullptr);
        }
        return false;
    }

    bool transfer(std::uint32_t addr, bool write, std::uint32_t wdata, unsigned strb,
                  std::uint32_t& rdata) override {
        VTop& t = *top_;
        t.paddr_i = addr & ((1u << regs::addr_bits) - 1);
        t.pwrite_i = write;
        t.pwdata_i = write ? wdata : 0;
        t.pstrb_i = write ? strb & 0xFu : 0;
        t.psel_i = 1;
        t.penable_i = 0;
        tick<false>(nullptr, nullptr);
        t.penable_i = 1;
        bool err = false;
        tick<true>(&rdata, &err);
        t.psel_i = 0;
        t.penable_i = 0;
        t.pwrite_i = 0;
        t.pstrb_i = 0;
        ++transfers;
        return err;
    }

    bool probe(std::uint32_t addr, std::uint32_t& rdata) override {
        VTop& t = *top_;
        t.paddr_i = addr & ((1u << regs::addr_bits) - 1);
        t.pwrite_i = 0;
        t.psel_i = 1;
        t.penable_i = 1;
        t.eval();
        rdata = t.prdata_o;
        const bool err = t.pslverr_o;
        t.psel_i = 0;
        t.penable_i = 0;
        t.eval();
        return err;
    }

    void reset() override {
        VTop& t = *top_;
        t.rst_ni = 0;
        t.eval();
        t.rst_ni = 1;
        t.eval();
        apb.reset();
        if (fst_)
            fst_->dump(cycle * period_ps_ + 1);
        note(true);
    }

    std::uint8_t peek(unsigned bank, std::uint32_t offset) const override {
        const auto& r = *top_->rootp;
        const std::uint32_t w = (bank ? r.ppb_top__DOT__u_bank1__DOT__mem_q : r.ppb_top__DOT__u_bank0__DOT__mem_q)[offset / 4];
        return static_cast<std::uint8_t>(w >> (8 * (offset % 4)));
    }

    void poke(unsigned bank, std::uint32_t offset, std::uint8_t value) override {
        auto& r = *top_->rootp;
        std::uint32_t& w = (bank ? r.ppb_top__DOT__u_bank1__DOT__mem_q : r.ppb_top__DOT__u_bank0__DOT__mem_q)[offset / 4];
        const unsigned sh = 8 * (offset % 4);
        w = (w & ~(0xFFu << sh)) | (std::uint32_t{value} << sh);
    }

    observed observe() const override {
        const VTop& t = *top_;
        const auto& r = *t.rootp;
        return {r.ppb_top__DOT__dbg_fill,
                r.ppb_top__DOT__dbg_limit,
                r.ppb_top__DOT__dbg_running_op,
                r.ppb_top__DOT__dbg_ping != 0,
                r.ppb_top__DOT__dbg_busy != 0,
                t.irq_o != 0,
                r.ppb_top__DOT__dbg_busy_left};
    }

    void open_fst(const std::string& path) override {
        if (fst_)
            fst_->close();
        fst_ = std::make_unique<VerilatedFstC>();
        top_->trace(fst_.get(), 99);
        fst_->open(path.c_str());
        fst_->dump(cycle * period_ps_);
    }

    bool failed() const override { return ctx_.gotError(); }

private:
    // One clock cycle with the inputs as they are, plus the stream byte on offer: the inputs apply
    // from the middle of the cycle (clk low), the rising edge ends it. An access cycle samples
    // PRDATA and PSLVERR before the edge, which needs the falling half evaluated. Other cycles skip
    // that eval(): no logic works on the falling edge, s_axis_tready_o is a function of flops
    // (known since the last edge), and telling the model that clk was low is all the edge
    // detection needs. (Waveforms get both halves.)
    template <bool Access>
    void tick(std::uint32_t* rdata, bool* err) {
        VTop& t = *top_;
        const bool offered = s_left != 0;
        t.s_axis_tvalid_i = offered;
        if (offered)
            t.s_axis_tdata_i = *s_data;
        bool moved;
        if (Access || fst_) {
            t.clk_i = 0;
            t.eval();
            moved = offered && t.s_axis_tready_o;
            if constexpr (Access) {
                *rdata = t.prdata_o;
                *err = t.pslverr_o;
            }
            if (fst_)
                fst_->dump(cycle * period_ps_ + period_ps_ / 2);
        } else {
            moved = offered && t.s_axis_tready_o;
            t.clk_i = 0;
            t.rootp->__Vtrigrprev__TOP__clk_i = 0;
        }
        apb.cycle({t.psel_i != 0, t.penable_i != 0, t.pwrite_i != 0, t.paddr_i, t.pwdata_i,
                   static_cast<std::uint8_t>(t.pstrb_i), 0, t.pready_o != 0, t.pslverr_o != 0});
        ctx_.time(cycle * period_ps_ + period_ps_);  // what assertion messages print
        t.clk_i = 1;
        t.eval();
        ++cycle;
        if (fst_)
            fst_->dump(cycle * period_ps_);
        if (moved) {
            ++s_data;
            --s_left;
            s_end = cycle;
        }
        const auto& r = *t.rootp;
        busy_cycles += r.ppb_top__DOT__dbg_busy;
        if (r.ppb_top__DOT__dbg_fill > peak_fill)
            peak_fill = r.ppb_top__DOT__dbg_fill;
        if ((t.irq_o != 0) != irq_level || tracing)
            note(false);
    }

    void note(bool force) {
        const observed o = observe();
        irq_level = o.irq;
        if (!force && have_last_ && same(last_, o))
            return;
        changes.emplace_back(cycle, o);
        last_ = o;
        have_last_ = true;
    }

    static bool same(const observed& a, const observed& b) {
        return a.fill == b.fill && a.limit == b.limit && a.cmd == b.cmd && a.ping_bank == b.ping_bank &&
               a.busy == b.busy && a.irq == b.irq;
    }

    VerilatedContext ctx_;
    std::unique_ptr<VTop> top_;
    std::unique_ptr<VerilatedFstC> fst_;
    std::uint64_t period_ps_;
    observed last_{};
    bool have_last_ = false;
};

template <class VTop>
double raw_loop(std::uint64_t cycles) {
    VerilatedContext ctx;
    VTop t(&ctx, "ppb_top");
    t.clk_i = 1;
    t.rst_ni = 1;
    t.eval();
    t.rst_ni = 0;
    t.eval();
    t.rst_ni = 1;
    t.eval();
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < cycles; ++i) {
        t.clk_i = 0;
        t.eval();
        t.clk_i = 1;
        t.eval();
    }
    const std::chrono::duration<double> s = std::chrono::steady_clock::now() - t0;
    t.final();
    return static_cast<double>(cycles) / s.count();
}

std::vector<std::string>& global_plusargs() {
    static std::vector<std::string> args;
    return args;
}

}  // namespace
}  // namespace detail

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

bool byte_enabled(const tlm::tlm_generic_payload& tx, std::size_t i) {
    const unsigned char* be = tx.get_byte_enable_ptr();
    if (!be)
        return true;
    const unsigned len = tx.get_byte_enable_length();
    return len != 0 && be[i % len] == TLM_BYTE_ENABLED;
}

bool in_regs(std::uint64_t addr) {
    return addr >= regs::regs_base && addr < std::uint64_t{regs::regs_base} + regs::regs_size;
}

}  // namespace

const std::vector<std::uint32_t>& ppb_rtl::capacities() {
    static const std::vector<std::uint32_t> caps{1024, 4096};
    return caps;
}

void ppb_rtl::set_plusargs(std::vector<std::string> args) {
    detail::global_plusargs() = std::move(args);
}

double ppb_rtl::raw_cycles_per_second(std::uint32_t capacity, std::uint64_t cycles) {
    if (capacity == 1024)
        return detail::raw_loop<Vppb_top_1024>(cycles);
    if (capacity == 4096)
        return detail::raw_loop<Vppb_top_4096>(cycles);
    throw std::invalid_argument("ppb_rtl: CAPACITY " + std::to_string(capacity) + " was not verilated");
}

ppb_rtl::ppb_rtl(const sc_core::sc_module_name& name, std::uint32_t capacity, const sc_core::sc_time& clock_period)
    : sc_core::sc_module(name), bus("bus"), stream("stream"), irq("irq"), capacity_(capacity), period_(clock_period) {
    if (period_ == sc_core::SC_ZERO_TIME)
        throw std::invalid_argument(std::string(this->name()) + ": clock period must not be zero");
    plusargs_ = detail::global_plusargs();
    if (const char* env = std::getenv("PPB_RTL_PLUSARGS")) {
        std::istringstream words(env);
        for (std::string w; words >> w;)
            plusargs_.push_back(w);
    }
    const auto ps = static_cast<std::uint64_t>(period_.to_seconds() * 1e12 + 0.5);
    if (capacity == 1024) {
        eng_ = std::make_unique<detail::engine_t<Vppb_top_1024>>(plusargs_, ps);
    } else if (capacity == 4096) {
        eng_ = std::make_unique<detail::engine_t<Vppb_top_4096>>(plusargs_, ps);
    } else {
        std::string have;
        for (auto c : capacities())
            have += (have.empty() ? "" : ", ") + std::to_string(c);
        throw std::invalid_argument(std::string(this->name()) + ": the RTL was not verilated for CAPACITY " +
                                    std::to_string(capacity) + " (available: " + have + ")");
    }
    eng_->changes.clear();
    eng_->skip_idle = std::getenv("PPB_RTL_NO_IDLE_SKIP") == nullptr;

    bus.register_b_transport(this, &ppb_rtl::bus_b_transport);
    bus.register_get_direct_mem_ptr(this, &ppb_rtl::bus_get_direct_mem_ptr);
    bus.register_transport_dbg(this, &ppb_rtl::bus_transport_dbg);
    stream.register_b_transport(this, &ppb_rtl::stream_b_transport);
    stream.register_transport_dbg(this, &ppb_rtl::stream_transport_dbg);

    SC_HAS_PROCESS(ppb_rtl);
    SC_METHOD(publish_method);
    sensitive << publish_event_;
    dont_initialize();
    SC_METHOD(wake_method);
    sensitive << wake_event_;
    dont_initialize();

    const auto o = eng_->observe();
    shown_ = {o.fill, o.limit, o.cmd, o.ping_bank, o.busy, o.irq};
}

ppb_rtl::~ppb_rtl() = default;

// ------------------------------------------------------------------------------------- time

std::uint64_t ppb_rtl::cycle_of(const sc_core::sc_time& t) const {
    const auto p = period_.value();
    return (t.value() + p - 1) / p;
}

std::uint64_t ppb_rtl::cycle_at(const sc_core::sc_time& t) const {
    return t.value() / period_.value();
}

sc_core::sc_time ppb_rtl::until(std::uint64_t cycle) const {
    const sc_core::sc_time t = time_of(cycle);
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    return t > now ? t - now : sc_core::SC_ZERO_TIME;
}

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
    const auto kind = sc_core::sc_get_current_process_handle().proc_kind();
    if (kind != sc_core::SC_THREAD_PROC_ && kind != sc_core::SC_CTHREAD_PROC_)
        return;  // cannot wait: runs ahead, as without a stream
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
    if (!eng_->changes.empty()) {
        for (const auto& [c, o] : eng_->changes)
            pending_.emplace_back(c, snapshot{o.fill, o.limit, o.cmd, o.ping_bank, o.busy, o.irq});
        eng_->changes.clear();
        publish_event_.notify(until(pending_.front().first));
    }
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

void ppb_rtl::publish_method() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    bool any = false;
    while (!pending_.empty() && time_of(pending_.front().first) <= now) {
        shown_ = pending_.front().second;
        pending_.pop_front();
        any = true;
    }
    if (any && irq.read() != shown_.irq)
        irq.write(shown_.irq);
    if (!pending_.empty())
        publish_event_.notify(until(pending_.front().first));
}

void ppb_rtl::wake_method() {
    run_to(cycle_at(sc_core::sc_time_stamp()));
    after_steps();
    stream_wake_.notify(sc_core::SC_ZERO_TIME);
}

// ----------------------------------------------------------------------------------- control

void ppb_rtl::trace(sc_core::sc_trace_file* tf) {
    const std::string n = name();
    sc_core::sc_trace(tf, shown_.fill, n + ".FILL");
    sc_core::sc_trace(tf, shown_.limit, n + ".LIMIT");
    sc_core::sc_trace(tf, shown_.ping_bank, n + ".PING_BANK");
    sc_core::sc_trace(tf, shown_.busy, n + ".BUSY");
    sc_core::sc_trace(tf, shown_.cmd, n + ".CMD");
    sc_core::sc_trace(tf, shown_.irq, n + ".irq");
    tracing_ = true;
    eng_->tracing = true;
}

void ppb_rtl::trace_fst(const std::string& path) {
    eng_->open_fst(path);
}

void ppb_rtl::hard_reset() {
    run_to(cycle_at(sc_core::sc_time_stamp()));
    eng_->reset();
    after_steps();
    stream_wake_.notify(sc_core::SC_ZERO_TIME);
}

void ppb_rtl::set_dmi_allowed(bool) {}

void ppb_rtl::set_idle_skip(bool skip) {
    eng_->skip_idle = skip;
}

ppb_rtl::statistics ppb_rtl::stats() const {
    statistics s = stats_;
    s.busy_cycles = eng_->busy_cycles;
    s.peak_fill = eng_->peak_fill;
    s.cycles = eng_->cycle;
    s.cycles_skipped = eng_->skipped;
    s.apb_transfers = eng_->transfers;
    return s;
}

// ------------------------------------------------------------------------------------- bus

tlm::tlm_response_status ppb_rtl::check(const tlm::tlm_generic_payload& tx, std::size_t span, bool& rtl_refused) {
    rtl_refused = false;
    const std::uint64_t addr = tx.get_address();
    const std::size_t len = tx.get_data_length();
    if (span == 0)
        return tlm::TLM_BURST_ERROR_RESPONSE;
    const std::uint64_t end = addr + span;
    if (end > (std::uint64_t{1} << regs::addr_bits) || end < addr)
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;  // APB has 22 address bits
    std::uint32_t unused = 0;
    if (in_regs(addr)) {
        if (end > std::uint64_t{regs::regs_base} + regs::regs_size)
            return tlm::TLM_ADDRESS_ERROR_RESPONSE;
        if (span != 4)
            return tlm::TLM_BURST_ERROR_RESPONSE;
        if (span == len && all_bytes_enabled(tx, len) && tx.get_data_ptr())
            return tlm::TLM_OK_RESPONSE;  // unmapped and misaligned: the transfer's PSLVERR says so
        // A TLM-only error, unless the RTL refuses the address anyway (the model's order).
        if (eng_->probe(static_cast<std::uint32_t>(addr), unused)) {
            rtl_refused = true;
            return tlm::TLM_ADDRESS_ERROR_RESPONSE;
        }
        if (span != len)
            return tlm::TLM_BURST_ERROR_RESPONSE;
        if (!all_bytes_enabled(tx, len))
            return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    } else {
        bool in_bank = false;
        for (const std::uint64_t base : {std::uint64_t{regs::bank0_base}, std::uint64_t{regs::bank1_base}}) {
            if (addr >= base && addr < base + capacity_) {
                if (end > base + capacity_)
                    return tlm::TLM_ADDRESS_ERROR_RESPONSE;  // leaves its window
                in_bank = true;
            }
        }
        if (!in_bank) {
            if (!eng_->probe(static_cast<std::uint32_t>(addr), unused))
                SC_REPORT_ERROR(name(), "the RTL accepts an address outside every window");
            rtl_refused = true;
            return tlm::TLM_ADDRESS_ERROR_RESPONSE;
        }
    }
    if (!tx.get_data_ptr())
        return tlm::TLM_BURST_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

// An error costs one APB transfer. Where the RTL can be asked, it is: the access itself when the
// RTL refuses it, or a register write with its partial PSTRB; the RTL must answer PSLVERR and
// change nothing. Errors APB cannot express take two idle cycles.
void ppb_rtl::error_transfer(const tlm::tlm_generic_payload& tx, tlm::tlm_response_status status, bool rtl_refused) {
    const auto addr = static_cast<std::uint32_t>(tx.get_address());
    const bool write = tx.is_write();
    const unsigned char* data = tx.get_data_ptr();
    std::uint32_t wdata = 0;
    if (write && data && tx.get_data_length() >= 4)
        std::memcpy(&wdata, data, 4);
    std::uint32_t rdata = 0;
    bool drive = false;
    unsigned strb = 0xF;
    if (rtl_refused) {
        drive = true;
    } else if (status == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE && write && in_regs(addr)) {
        drive = true;
        strb = 0;
        for (unsigned k = 0; k < 4; ++k)
            strb |= byte_enabled(tx, k) ? 1u << k : 0u;
    }
    if (drive) {
        if (!eng_->transfer(addr, write, wdata, strb, rdata))
            SC_REPORT_ERROR(name(), "the RTL did not answer PSLVERR to an access it must refuse");
    } else {
        eng_->run(eng_->cycle + regs::bus_cycles_per_word, false);
    }
}

tlm::tlm_response_status ppb_rtl::bank_transfers(tlm::tlm_generic_payload& tx, std::size_t span) {
    const std::uint64_t addr = tx.get_address();
    const std::size_t len = tx.get_data_length();
    unsigned char* data = tx.get_data_ptr();
    const bool write = tx.is_write();
    const std::size_t beats = (len + span - 1) / span;
    for (std::size_t beat = 0; beat < beats; ++beat) {
        for (std::uint64_t word = addr & ~std::uint64_t{3}; word < addr + span; word += 4) {
            unsigned strb = 0;
            std::uint32_t wdata = 0;
            for (unsigned k = 0; k < 4; ++k) {
                const std::uint64_t a = word + k;
                const std::size_t i = beat * span + static_cast<std::size_t>(a - addr);
                if (a < addr || a >= addr + span || i >= len || !byte_enabled(tx, i))
                    continue;
                strb |= 1u << k;
                if (write)
                    wdata |= std::uint32_t{data[i]} << (8 * k);
            }
            std::uint32_t rdata = 0;
            if (beat != 0 || word != (addr & ~std::uint64_t{3}))
                await_stream(eng_->cycle, regs::bus_cycles_per_word);
            if (eng_->transfer(static_cast<std::uint32_t>(word), write, wdata, strb, rdata))
                return tlm::TLM_ADDRESS_ERROR_RESPONSE;  // not expected after check()
            if (!write) {
                for (unsigned k = 0; k < 4; ++k) {
                    if (strb & (1u << k)) {
                        const std::size_t i = beat * span + static_cast<std::size_t>(word + k - addr);
                        data[i] = static_cast<unsigned char>(rdata >> (8 * k));
                    }
                }
            }
        }
    }
    (write ? stats_.bank_bytes_written : stats_.bank_bytes_read) += len;
    return tlm::TLM_OK_RESPONSE;
}

void ppb_rtl::bus_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const std::uint64_t setup = std::max(cycle_of(sc_core::sc_time_stamp() + delay), eng_->cycle);
    const std::size_t len = tx.get_data_length();
    const std::size_t sw = tx.get_streaming_width();
    const std::size_t span = sw && sw < len ? sw : len;  // bytes of address space a beat touches
    bool rtl_refused = false;
    tlm::tlm_response_status r = check(tx, span, rtl_refused);
    if (r != tlm::TLM_OK_RESPONSE) {
        ++stats_.bus_errors;
        await_stream(setup, regs::bus_cycles_per_word);
        run_to(setup);
        error_transfer(tx, r, rtl_refused);
        after_steps();
        tx.set_response_status(r);
        delay = until(eng_->cycle);
        return;
    }
    if (tx.get_command() == tlm::TLM_IGNORE_COMMAND) {
        // No transfer happens, so the decode the transfer's PSLVERR would give is asked directly.
        std::uint32_t unused = 0;
        if (in_regs(tx.get_address()) && eng_->probe(static_cast<std::uint32_t>(tx.get_address()), unused)) {
            ++stats_.bus_errors;
            await_stream(setup, regs::bus_cycles_per_word);
            run_to(setup);
            error_transfer(tx, tlm::TLM_ADDRESS_ERROR_RESPONSE, true);
            after_steps();
            tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            delay = until(eng_->cycle);
            return;
        }
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    await_stream(setup, regs::bus_cycles_per_word);
    run_to(setup);
    const auto addr = static_cast<std::uint32_t>(tx.get_address());
    if (in_regs(addr)) {
        std::uint32_t v = 0;
        bool err = false;
        if (tx.is_read()) {
            err = eng_->transfer(addr, false, 0, 0, v);
            if (!err)  // an error response leaves the initiator's buffer alone, as the model does
                std::memcpy(tx.get_data_ptr(), &v, 4);
            ++stats_.reg_reads;
        } else {
            std::memcpy(&v, tx.get_data_ptr(), 4);
            err = eng_->transfer(addr, true, v, 0xF, v);
            ++stats_.reg_writes;
            stream_wake_.notify(sc_core::SC_ZERO_TIME);  // any write may unstall the stream
        }
        r = err ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE;
    } else {
        r = bank_transfers(tx, span);
        tx.set_dmi_allowed(false);
    }
    if (r != tlm::TLM_OK_RESPONSE)
        ++stats_.bus_errors;
    after_steps();
    tx.set_response_status(r);
    delay = until(eng_->cycle);
}

bool ppb_rtl::bus_get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    // Denied for the whole address space, so the initiator does not ask again.
    dmi.allow_none();
    dmi.set_start_address(0);
    dmi.set_end_address(~sc_dt::uint64{0});
    return false;
}

unsigned ppb_rtl::bus_transport_dbg(tlm::tlm_generic_payload& tx) {
    const std::size_t len = tx.get_data_length();
    const std::uint64_t addr = tx.get_address();
    unsigned char* data = tx.get_data_ptr();
    if (len == 0 || !data)
        return 0;
    const std::uint64_t end = addr + len;
    if (end > (std::uint64_t{1} << regs::addr_bits) || end < addr)
        return 0;
    if (in_regs(addr)) {
        std::uint32_t v = 0;
        if (!tx.is_read() || len != 4 || eng_->probe(static_cast<std::uint32_t>(addr), v))
            return 0;  // register writes have side effects: not through the debug path
        std::memcpy(data, &v, 4);
        return 4;
    }
    for (unsigned bank = 0; bank < 2; ++bank) {
        const std::uint64_t base = bank ? regs::bank1_base : regs::bank0_base;
        if (addr < base || end > base + capacity_)
            continue;
        const auto off = static_cast<std::uint32_t>(addr - base);
        for (std::size_t i = 0; i < len; ++i) {
            if (tx.is_read())
                data[i] = eng_->peek(bank, off + static_cast<std::uint32_t>(i));
            else if (tx.is_write())
                eng_->poke(bank, off + static_cast<std::uint32_t>(i), data[i]);
        }
        return static_cast<unsigned>(len);
    }
    return 0;
}

// ----------------------------------------------------------------------------------- stream

void ppb_rtl::stream_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    if (const auto refused = model::stream_admission(tx); refused != tlm::TLM_OK_RESPONSE) {
        tx.set_response_status(refused);
        return;
    }
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
            ++stats_.stream_stalls;
            stream_stalled_ = true;
            sc_core::wait(stream_wake_);
            stream_stalled_ = false;
        }
    }
    eng_->s_data = nullptr;
    stream_active_ = false;
    stream_free_.notify(sc_core::SC_ZERO_TIME);
    stats_.stream_bytes += n;
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    delay = until(eng_->s_end);
}

unsigned ppb_rtl::stream_transport_dbg(tlm::tlm_generic_payload&) {
    return 0;  // a stream has no state a debugger could read without consuming it
}

}  // namespace ppb::rtl
