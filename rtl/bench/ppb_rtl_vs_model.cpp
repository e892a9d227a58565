// ppb-rtl-vs-model: the same workload on the TLM model and on the RTL co-simulation, with the same
// simulated time, and the wall-clock time of each. The workload is the busy stream of
// ppb-rtl-bench: CTRL.SOURCE = stream, a source pushing --frame-byte frames back to back through the
// stream socket, and a CPU that every --poll cycles reads FILL and, when whole frames are there,
// CONSUMEs them and polls STATUS until BUSY falls. Both DUTs live in one elaboration and run the
// same initiator code one after the other, --repeat times each.
//
// Both initiators are loosely timed (--sync quantum, the default): each keeps a local time offset
// in a tlm_utils::tlm_quantumkeeper (global quantum --quantum-ns), adds the delays its
// transactions annotate and the poll interval to it, and synchronises with SystemC only when the
// quantum is used up. --sync fine is the fine-grained variant kept for comparison: the source
// waits after every frame and the CPU synchronises after every poll (the delays are still
// annotated, so the simulated behaviour is the same up to the decoupling error), and then most of
// the model's wall time is SystemC thread switching rather than the model. Prints per DUT the
// simulated time, the wall and CPU seconds (medians), and the ratio RTL wall / model wall. Exit
// status 1 when the simulated times differ by more than --tolerance (default 2%:
// docs/performance.md ("Model against RTL") says why this workload needs more than the 1% of ppb-rtl-fidelity) or a
// run fails to move and consume every byte.
//
//   ppb-rtl-vs-model [--capacity N] [--frames N] [--frame BYTES] [--poll CYCLES]
//                    [--quantum-ns N] [--sync quantum|fine] [--repeat N] [--tolerance FRACTION]
#include "model/ppb_model.hpp"
#include "rtl/bench/rtl_bench_cli.hpp"
#include "rtl/sim/ppb_rtl.hpp"
#include "testbench/tool_cli.hpp"
#include "testbench/tool_systemc.hpp"

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <systemc>
#include <tlm>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace sc_core;
namespace regs = ppb::regs;

const sc_time clk(10, SC_NS);

struct options {
    std::uint32_t capacity = 4096;
    std::uint32_t frames = 20'000;
    std::uint32_t frame = 100;
    std::uint64_t poll = 200;
    std::uint64_t quantum_ns = 10'000;
    unsigned repeat = 3;
    double tolerance = 0.02;
    bool fine = false;  // --sync fine: synchronise after every frame and every poll
};

struct run_result {
    sc_time simulated;
    double wall = 0, cpu = 0;
    std::uint64_t consumed = 0, commands = 0;
    std::uint64_t cycles = 0, skipped = 0;  // RTL only: cycles run and of those skipped
    bool ok = true;
};

double now_wall() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double now_cpu() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

// A CPU and a stream source on one DUT's sockets.
struct initiator : sc_module {
    tlm_utils::simple_initiator_socket<initiator, 32> cpu{"cpu"};
    tlm_utils::simple_initiator_socket<initiator, 32> src{"src"};
    tlm_utils::tlm_quantumkeeper qk;  // the CPU's local time offset (temporal decoupling)
    bool ok = true;
    tlm::tlm_generic_payload cpu_tx, src_tx;  // one per thread, reused (bench::reuse)

    explicit initiator(const sc_module_name& n) : sc_module(n) {}

    std::uint32_t access(tlm::tlm_command c, std::uint32_t a, std::uint32_t v) {
        tlm::tlm_generic_payload& tx = ppb::rtl::bench::reuse(cpu_tx, c, a, reinterpret_cast<unsigned char*>(&v), 4);
        sc_time local = qk.get_local_time();
        cpu->b_transport(tx, local);
        qk.set(local);
        if (tx.is_response_error())
            ok = false;
        return v;
    }
    std::uint32_t read(std::uint32_t a) { return access(tlm::TLM_READ_COMMAND, a, 0); }
    void write(std::uint32_t a, std::uint32_t v) { access(tlm::TLM_WRITE_COMMAND, a, v); }
    void sync() { qk.sync(); }
    // Loosely timed: synchronise only once the quantum is used up (every time with --sync fine).
    void sync_if_needed(bool fine) {
        if (fine || qk.need_sync())
            qk.sync();
    }

    // The busy-stream workload; runs in the calling SC_THREAD.
    run_result run(const options& o) {
        run_result r;
        tlm::tlm_global_quantum::instance().set(sc_time(static_cast<double>(o.quantum_ns), SC_NS));
        qk.sync();                 // (re)computes the local quantum from the global one set above
        read(regs::fill::offset);  // the RTL catches up with the idle time of the other DUT's runs
        sync();
        const sc_time t0 = sc_time_stamp();
        const double w0 = now_wall(), c0 = now_cpu();
        write(regs::ctrl::offset, regs::ctrl::source.mask());
        sync();
        std::vector<std::uint8_t> frame(o.frame, 0x5A);
        bool source_done = false;
        sc_spawn([&] {
            tlm_utils::tlm_quantumkeeper sqk;  // the source's own local time offset
            sqk.reset();
            for (std::uint32_t f = 0; f < o.frames; ++f) {
                tlm::tlm_generic_payload& tx =
                    ppb::rtl::bench::reuse(src_tx, tlm::TLM_WRITE_COMMAND, 0, frame.data(), o.frame);
                sc_time d = sqk.get_local_time();
                src->b_transport(tx, d);
                if (tx.is_response_error())
                    ok = false;
                sqk.set(d);
                if (o.fine || sqk.need_sync())
                    sqk.sync();
            }
            sqk.sync();  // every byte has moved by SystemC's time before the CPU is told
            source_done = true;
        });
        for (;;) {
            const std::uint32_t fill = read(regs::fill::offset);
            if (fill >= o.frame) {
                const std::uint32_t n = fill - fill % o.frame;
                write(regs::arg0::offset, 0);
                write(regs::arg1::offset, n);
                write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::consume));
                // Each STATUS read advances local time by its APB transfer; with --sync fine the
                // loop does not synchronise (as before), loosely timed it does at quantum end.
                while (regs::status::busy.get(read(regs::status::offset)))
                    if (!o.fine && qk.need_sync())
                        qk.sync();
                r.consumed += n;
                ++r.commands;
            } else if (source_done) {
                break;
            }
            qk.inc(clk * static_cast<double>(o.poll));
            sync_if_needed(o.fine);
        }
        sync();  // the end of the run is the CPU's local time
        r.wall = now_wall() - w0;
        r.cpu = now_cpu() - c0;
        r.simulated = sc_time_stamp() - t0;
        write(regs::ctrl::offset, 0);
        sync();
        r.ok = ok && r.consumed == std::uint64_t{o.frames} * o.frame;
        return r;
    }
};

struct top : sc_module {
    initiator on_model{"on_model"}, on_rtl{"on_rtl"};
    sc_signal<bool> irq_m{"irq_m"}, irq_r{"irq_r"};
    ppb::model::ppb_model model;
    ppb::rtl::ppb_rtl rtl;
    options opt;
    std::vector<run_result> model_runs, rtl_runs;

    top(const sc_module_name& n, const options& o)
        : sc_module(n), model("model", o.capacity, clk), rtl("rtl", o.capacity, clk), opt(o) {
        on_model.cpu.bind(model.bus);
        on_model.src.bind(model.stream);
        on_rtl.cpu.bind(rtl.bus);
        on_rtl.src.bind(rtl.stream);
        model.irq.bind(irq_m);
        rtl.irq.bind(irq_r);
        SC_HAS_PROCESS(top);
        SC_THREAD(body);
    }

    void body() {
        for (unsigned i = 0; i < opt.repeat; ++i) {
            model_runs.push_back(on_model.run(opt));
            on_rtl.read(regs::fill::offset);  // catch up with the model's run (quiescent, skipped)
            on_rtl.sync();
            const auto s0 = rtl.stats();
            rtl_runs.push_back(on_rtl.run(opt));
            const auto s1 = rtl.stats();
            rtl_runs.back().cycles = s1.cycles - s0.cycles;
            rtl_runs.back().skipped = s1.cycles_skipped - s0.cycles_skipped;
        }
        sc_stop();
    }
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char* argv[]) {
    ppb::tool::quiet_systemc("ppb-rtl-vs-model");
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
    namespace tool = ppb::tool;
    constexpr const char* name = "ppb-rtl-vs-model";
    tool::systemc_reports_to_stderr();
    options o;
    std::string sync = "quantum";
    CLI::App app{
        "The same busy-stream workload on the TLM model and on the RTL co-simulation: simulated and wall "
        "times side by side"};
    app.footer(
        "--sync quantum (default): source and CPU keep a local time offset and synchronise with SystemC only "
        "when the global quantum (--quantum-ns) is used up; --sync fine: the source waits after every frame, "
        "the CPU synchronises after every poll. Exit status: 0 agree, 1 a run failed or the simulated times "
        "differ by more than --tolerance, 2 bad input (one line on stderr).");
    tool::one_line_errors(app, name);
    tool::add_count(app, "--capacity", o.capacity, regs::capacity_min, regs::capacity_max, "bytes per bank");
    tool::add_count(app, "--frames", o.frames, 1, std::numeric_limits<std::uint32_t>::max(), "frames streamed");
    tool::add_count(app, "--frame", o.frame, 1, regs::capacity_max, "bytes per frame (at most --capacity)");
    tool::add_count(app, "--poll", o.poll, 1, 1'000'000'000, "cycles between the CPU's looks at FILL");
    tool::add_count(app, "--quantum-ns", o.quantum_ns, 1, 1'000'000'000, "TLM global quantum (ns)");
    app.add_option("--sync", sync, "quantum (loosely timed) or fine (every frame and poll)")
        ->check(CLI::IsMember({"quantum", "fine"}));
    tool::add_count(app, "--repeat", o.repeat, 1, 1000, "runs of each DUT (the figures are medians)");
    tool::add_real(app, "--tolerance", o.tolerance, 0, 1, "largest relative difference of the simulated times");
    if (const int rc = tool::parse(app, argc, argv); rc >= 0)
        return rc;
    o.fine = sync == "fine";
    if (const std::string why = ppb::rtl::bench::rtl_problem(o.capacity); !why.empty())
        return tool::refuse(name, why);
    if (o.frame > o.capacity)  // a frame that never fits is never consumed: the run would not end
        return tool::refuse(name, "--frame " + std::to_string(o.frame) + " exceeds --capacity " +
                                      std::to_string(o.capacity) + ": it must be in " +
                                      tool::range_text<std::uint64_t>(1, o.capacity));
    top t("top", o);
    sc_start();

    bool ok = true;
    std::vector<double> mw, mc, rw, rc, ratio;
    for (unsigned i = 0; i < o.repeat; ++i) {
        const auto& m = t.model_runs[i];
        const auto& r = t.rtl_runs[i];
        ok = ok && m.ok && r.ok;
        mw.push_back(m.wall);
        mc.push_back(m.cpu);
        rw.push_back(r.wall);
        rc.push_back(r.cpu);
        ratio.push_back(r.wall / m.wall);
    }
    const auto& m = t.model_runs.front();
    const auto& r = t.rtl_runs.front();
    const double sim_ratio = r.simulated / m.simulated;
    const double cycles = m.simulated / clk;
    std::printf(
        "ppb-rtl-vs-model: CAPACITY %u, %u frames of %u bytes, CPU polls every %llu cycles, quantum %llu ns, "
        "sync %s, %u runs each\n",
        o.capacity, o.frames, o.frame, static_cast<unsigned long long>(o.poll),
        static_cast<unsigned long long>(o.quantum_ns),
        o.fine ? "fine (every frame and poll)" : "quantum (loosely timed)", o.repeat);
    std::printf("model  simulated %-14s wall %8.4f s  cpu %8.4f s  %9.2f M cycles/s  (%llu CONSUMEs)\n",
                m.simulated.to_string().c_str(), median(mw), median(mc), cycles / median(mw) / 1e6,
                static_cast<unsigned long long>(m.commands));
    std::printf(
        "rtl    simulated %-14s wall %8.4f s  cpu %8.4f s  %9.2f M cycles/s  (%llu CONSUMEs, %llu cycles, "
        "%.1f%% skipped)\n",
        r.simulated.to_string().c_str(), median(rw), median(rc), (r.simulated / clk) / median(rw) / 1e6,
        static_cast<unsigned long long>(r.commands), static_cast<unsigned long long>(r.cycles),
        100.0 * static_cast<double>(r.skipped) / static_cast<double>(r.cycles));
    std::printf("simulated time rtl/model %.4f (tolerance %.2f%%): %s\n", sim_ratio, 100 * o.tolerance,
                std::fabs(sim_ratio - 1) <= o.tolerance ? "agree" : "DIFFER");
    std::printf("wall time rtl/model %.1f (median of %u; cpu time ratio %.1f)\n", median(ratio), o.repeat,
                median(rc) / median(mc));
    if (!ok)
        std::fprintf(stderr, "ppb-rtl-vs-model: FAILED: a run did not move and consume every byte without errors\n");
    if (std::fabs(sim_ratio - 1) > o.tolerance)
        std::fprintf(stderr, "ppb-rtl-vs-model: FAILED: simulated times differ by more than the tolerance\n");
    return ok && std::fabs(sim_ratio - 1) <= o.tolerance ? 0 : 1;
}
