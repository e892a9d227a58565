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
//   ppb-rtl-vs-model [--capacity 1024|4096] [--frames N] [--frame BYTES] [--poll CYCLES]
//                    [--quantum-ns N] [--sync quantum|fine] [--repeat N] [--tolerance FRACTION]
#include "model/ppb_model.hpp"
#include "rtl/sim/ppb_rtl.hpp"

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

    explicit initiator(const sc_module_name& n) : sc_module(n) {}

    std::uint32_t access(tlm::tlm_command c, std::uint32_t a, std::uint32_t v) {
        tlm::tlm_generic_payload tx;
        tx.set_command(c);
        tx.set_address(a);
        tx.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
        tx.set_data_length(4);
        tx.set_streaming_width(4);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
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
                tlm::tlm_generic_payload tx;
                sc_time d = sqk.get_local_time();
                tx.set_command(tlm::TLM_WRITE_COMMAND);
                tx.set_data_ptr(frame.data());
                tx.set_data_length(o.frame);
                tx.set_streaming_width(o.frame);
                tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
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

const char* const usage_text =
    "usage: ppb-rtl-vs-model [--capacity 1024|4096] [--frames N] [--frame BYTES] [--poll CYCLES]\n"
    "                        [--quantum-ns N] [--sync quantum|fine] [--repeat N] [--tolerance FRACTION]\n"
    "  --sync quantum  (default) source and CPU keep a local time offset and synchronise with\n"
    "                  SystemC only when the global quantum (--quantum-ns) is used up\n"
    "  --sync fine     the source waits after every frame, the CPU synchronises after every poll\n";

}  // namespace

int sc_main(int argc, char* argv[]) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        if (k == "--help" || k == "-h") {
            std::printf("%s", usage_text);
            return 0;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "ppb-rtl-vs-model: missing value after %s\n%s", k.c_str(), usage_text);
            return 2;
        }
        const std::string val = argv[++i];
        char* end = nullptr;
        if (k == "--sync") {
            if (val != "quantum" && val != "fine") {
                std::fprintf(stderr, "ppb-rtl-vs-model: --sync quantum|fine, not %s\n%s", val.c_str(), usage_text);
                return 2;
            }
            o.fine = val == "fine";
            continue;
        }
        if (k == "--tolerance") {
            o.tolerance = std::strtod(val.c_str(), &end);
            if (val.empty() || *end != '\0' || !(o.tolerance >= 0)) {
                std::fprintf(stderr, "ppb-rtl-vs-model: bad --tolerance %s\n", val.c_str());
                return 2;
            }
            continue;
        }
        const unsigned long long v = std::strtoull(val.c_str(), &end, 0);
        if (val.empty() || *end != '\0' || val[0] == '-') {
            std::fprintf(stderr, "ppb-rtl-vs-model: bad number for %s: %s\n%s", k.c_str(), val.c_str(), usage_text);
            return 2;
        }
        if (k == "--capacity")
            o.capacity = static_cast<std::uint32_t>(v);
        else if (k == "--frames")
            o.frames = static_cast<std::uint32_t>(v);
        else if (k == "--frame")
            o.frame = static_cast<std::uint32_t>(v);
        else if (k == "--poll")
            o.poll = v;
        else if (k == "--quantum-ns")
            o.quantum_ns = v;
        else if (k == "--repeat")
            o.repeat = static_cast<unsigned>(v);
        else {
            std::fprintf(stderr, "ppb-rtl-vs-model: unknown option %s\n%s", k.c_str(), usage_text);
            return 2;
        }
    }
    if ((o.capacity != 1024 && o.capacity != 4096) || o.frame == 0 || o.frame > o.capacity || o.frames == 0 ||
        o.poll == 0 || o.repeat == 0 || o.quantum_ns == 0) {
        std::fprintf(stderr, "ppb-rtl-vs-model: --capacity 1024|4096, --frame 1..CAPACITY, positive counts\n%s",
                     usage_text);
        return 2;
    }
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
