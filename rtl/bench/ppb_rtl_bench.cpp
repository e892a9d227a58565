// ppb-rtl-bench: how fast the co-simulation wrapper runs the RTL. Prints cycles per second of
// (1) plain Verilator on the same RTL in a C++ loop (the limit), (2) idle stepping through the
// wrapper (a bus read every N cycles), (3) a busy host-mode workload (bank writes, COMMIT,
// CONSUME with copies, STATUS polling) and (4) a stream workload (bytes through the stream
// socket, CONSUMEd by the CPU); (2) to (4) once with every cycle evaluated and once with quiescent
// cycles skipped (the default). A figure, not a test.
#include "rtl/bench/rtl_bench_cli.hpp"
#include "rtl/sim/ppb_rtl.hpp"
#include "testbench/tool_cli.hpp"
#include "testbench/tool_systemc.hpp"

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace sc_core;
namespace regs = ppb::regs;

const sc_time clk(10, SC_NS);

double wall() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct options {
    std::uint32_t capacity = 4096;
    std::uint64_t idle_cycles = 200'000'000;
    std::uint64_t idle_gap = 100'000;
    std::uint32_t frames = 20'000;
    std::uint32_t frame = 100;
    std::uint64_t raw_cycles = 50'000'000;
    bool idle = true, host = true, stream = true;  // --phases
    bool skip_off = true, skip_on = true;          // --skip
};

// CPU time of this process, in seconds: with other jobs on the machine, cycles per CPU-second
// vary less than cycles per wall-clock second.
double cpu_seconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

class bench : public sc_module {
public:
    tlm_utils::simple_initiator_socket<bench, 32> cpu{"cpu"};
    tlm_utils::simple_initiator_socket<bench, 32> src{"src"};
    sc_signal<bool> irq{"irq"};
    ppb::rtl::ppb_rtl dut;
    options opt;
    bool ok = true;

    bench(const sc_module_name& n, const options& o) : sc_module(n), dut("dut", o.capacity, clk), opt(o) {
        cpu.bind(dut.bus);
        src.bind(dut.stream);
        dut.irq.bind(irq);
        SC_HAS_PROCESS(bench);
        SC_THREAD(run);
    }

private:
    sc_time local_;                             // the CPU's local time offset (temporal decoupling)
    tlm::tlm_generic_payload cpu_tx_, src_tx_;  // one per thread, reused (bench::reuse)

    tlm::tlm_response_status access(tlm::tlm_command c, std::uint32_t a, void* p, unsigned n) {
        tlm::tlm_generic_payload& tx = ppb::rtl::bench::reuse(cpu_tx_, c, a, static_cast<unsigned char*>(p), n);
        cpu->b_transport(tx, local_);
        if (tx.is_response_error())
            ok = false;
        return tx.get_response_status();
    }
    std::uint32_t read(std::uint32_t a) {
        std::uint32_t v = 0;
        access(tlm::TLM_READ_COMMAND, a, &v, 4);
        return v;
    }
    void write(std::uint32_t a, std::uint32_t v) { access(tlm::TLM_WRITE_COMMAND, a, &v, 4); }
    void sync() {
        wait(local_);
        local_ = SC_ZERO_TIME;
    }
    void idle_until_done() {
        while (regs::status::busy.get(read(regs::status::offset)))
            ;
    }

    void run() {
        tlm::tlm_global_quantum::instance().set(sc_time(10, SC_US));
        for (const bool skip : {false, true}) {
            if (!(skip ? opt.skip_on : opt.skip_off))
                continue;
            dut.set_idle_skip(skip);
            const char* mode = skip ? "quiescent cycles skipped" : "every cycle evaluated";
            std::printf("-- %s\n", mode);
            if (opt.idle)
                idle_phase();
            if (opt.host)
                host_phase();
            if (opt.stream)
                stream_phase();
            write(regs::ctrl::offset, 0);
            write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::reset));
            idle_until_done();
            sync();
        }
        sc_stop();
    }

    // Idle stepping: one register read every idle_gap cycles.
    void idle_phase() {
        const auto s0 = dut.stats();
        const double t0 = wall();
        const double c0 = cpu_seconds();
        for (std::uint64_t done = 0; done < opt.idle_cycles; done += opt.idle_gap) {
            local_ += clk * static_cast<double>(opt.idle_gap);
            read(regs::fill::offset);
            if (local_ > sc_time(1, SC_MS))
                sync();
        }
        sync();
        report("idle stepping (a bus read every " + std::to_string(opt.idle_gap) + " cycles)", s0, wall() - t0,
               cpu_seconds() - c0);
    }

    // Busy host-mode workload: write a frame into Ping, COMMIT it, CONSUME half of it unaligned.
    void host_phase() {
        std::vector<std::uint8_t> frame(opt.frame);
        for (std::size_t i = 0; i < frame.size(); ++i)
            frame[i] = static_cast<std::uint8_t>(i * 7);
        const auto s0 = dut.stats();
        const double t0 = wall();
        const double c0 = cpu_seconds();
        for (std::uint32_t f = 0; f < opt.frames; ++f) {
            const std::uint32_t fill = read(regs::fill::offset);
            const std::uint32_t ping = regs::status::ping_bank.get(read(regs::status::offset));
            if (fill + opt.frame > opt.capacity) {
                write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::reset));
                idle_until_done();
                continue;
            }
            access(tlm::TLM_WRITE_COMMAND, (ping ? regs::bank1_base : regs::bank0_base) + fill, frame.data(),
                   opt.frame);
            write(regs::arg1::offset, opt.frame);
            write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::commit));
            idle_until_done();
            write(regs::arg0::offset, 1);
            write(regs::arg1::offset, opt.frame / 2);
            write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::consume));
            idle_until_done();
            if (local_ > sc_time(10, SC_US))
                sync();
        }
        sync();
        report("busy host workload (" + std::to_string(opt.frame) + "-byte frames: COMMIT, CONSUME)", s0, wall() - t0,
               cpu_seconds() - c0);
    }

    // Stream workload: the source pushes frames; the CPU CONSUMEs whole frames every 200 cycles.
    void stream_phase() {
        std::vector<std::uint8_t> frame(opt.frame, 0x5A);
        write(regs::ctrl::offset, regs::ctrl::source.mask());
        sync();
        bool source_done = false;
        sc_spawn([&] {
            for (std::uint32_t f = 0; f < opt.frames; ++f) {
                tlm::tlm_generic_payload& tx =
                    ppb::rtl::bench::reuse(src_tx_, tlm::TLM_WRITE_COMMAND, 0, frame.data(), opt.frame);
                sc_time d = SC_ZERO_TIME;
                src->b_transport(tx, d);
                wait(d);
            }
            source_done = true;
        });
        const auto s0 = dut.stats();
        const double t0 = wall();
        const double c0 = cpu_seconds();
        std::uint64_t consumed = 0;
        while (!source_done || read(regs::fill::offset) >= opt.frame) {
            const std::uint32_t fill = read(regs::fill::offset);
            if (fill >= opt.frame) {
                write(regs::arg0::offset, 0);
                write(regs::arg1::offset, fill - fill % opt.frame);
                write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::consume));
                consumed += fill - fill % opt.frame;
                idle_until_done();
            }
            local_ += clk * 200.0;
            sync();
        }
        report("stream workload (" + std::to_string(consumed) + " bytes streamed and consumed)", s0, wall() - t0,
               cpu_seconds() - c0);
    }

    // One line per phase: cycles run, the share skipped, wall seconds, M cycles per wall second,
    // and M evaluated (not skipped) cycles per wall second and per CPU second.
    void report(const std::string& what, const ppb::rtl::ppb_rtl::statistics& s0, double seconds, double cpu_seconds) {
        const auto s = dut.stats();
        const std::uint64_t cycles = s.cycles - s0.cycles;
        const std::uint64_t skipped = s.cycles_skipped - s0.cycles_skipped;
        const auto evaluated = static_cast<double>(cycles - skipped);
        std::printf(
            "%-66s %11llu cycles (%5.1f%% skipped) %7.3f s %9.2f M cycles/s  evaluated %6.2f M/s, %6.2f M/CPU-s\n",
            what.c_str(), static_cast<unsigned long long>(cycles),
            100.0 * static_cast<double>(skipped) / static_cast<double>(cycles), seconds,
            static_cast<double>(cycles) / seconds / 1e6, evaluated / seconds / 1e6,
            cpu_seconds > 0 ? evaluated / cpu_seconds / 1e6 : 0.0);
    }
};

}  // namespace

int main(int argc, char* argv[]) {
    ppb::tool::quiet_systemc("ppb-rtl-bench");
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
    namespace tool = ppb::tool;
    constexpr const char* name = "ppb-rtl-bench";
    tool::systemc_reports_to_stderr();
    options o;
    std::string phases = "idle,host,stream", skip = "both";
    CLI::App app{
        "How fast the co-simulation wrapper runs the RTL: plain Verilator, idle stepping, a busy host "
        "workload and a stream workload, with quiescent cycles evaluated and skipped"};
    app.footer(
        "--raw-cycles 0 leaves out the plain Verilator line. Exit status: 0 every workload moved and consumed "
        "its bytes, 1 one did not, 2 bad input (one line on stderr).");
    tool::one_line_errors(app, name);
    tool::add_count(app, "--capacity", o.capacity, regs::capacity_min, regs::capacity_max,
                    "bytes per bank (at least the " + std::to_string(o.frame) + "-byte frames)");
    tool::add_count(app, "--idle-cycles", o.idle_cycles, 1, 1'000'000'000'000'000ull, "cycles of the idle phase");
    tool::add_count(app, "--idle-gap", o.idle_gap, 1, 1'000'000'000'000ull, "cycles between the idle phase's reads");
    tool::add_count(app, "--frames", o.frames, 1, std::numeric_limits<std::uint32_t>::max(),
                    "frames of the host and stream phases");
    tool::add_count(app, "--raw-cycles", o.raw_cycles, 0, 1'000'000'000'000'000ull,
                    "cycles of plain Verilator (0: leave it out)");
    app.add_option("--phases", phases, "the workloads, a comma-separated subset of idle,host,stream");
    app.add_option("--skip", skip, "on: quiescent cycles skipped only; off: every cycle evaluated only; both")
        ->check(CLI::IsMember({"on", "off", "both"}));
    if (const int rc = tool::parse(app, argc, argv); rc >= 0)
        return rc;
    o.idle = o.host = o.stream = false;
    for (std::size_t at = 0; at <= phases.size();) {
        const std::size_t comma = std::min(phases.find(',', at), phases.size());
        const std::string p = phases.substr(at, comma - at);
        if (p == "idle")
            o.idle = true;
        else if (p == "host")
            o.host = true;
        else if (p == "stream")
            o.stream = true;
        else
            return tool::refuse(name, "--phases: '" + p + "' is not one of idle, host, stream");
        at = comma + 1;
    }
    o.skip_on = skip != "off";
    o.skip_off = skip != "on";
    if (const std::string why = ppb::rtl::bench::rtl_problem(o.capacity); !why.empty())
        return tool::refuse(name, why);
    if (o.capacity < o.frame)  // a frame that never fits is never consumed: the stream phase would not end
        return tool::refuse(name, "--capacity " + std::to_string(o.capacity) + " cannot hold the workloads' " +
                                      std::to_string(o.frame) + "-byte frames: it must be in " +
                                      tool::range_text<std::uint64_t>(o.frame, regs::capacity_max));
    if (const std::uint64_t raw = o.raw_cycles) {
        const double rate = ppb::rtl::ppb_rtl::raw_cycles_per_second(o.capacity, raw);
        std::printf("%-66s %11llu cycles                 %7.3f s %9.2f M cycles/s\n",
                    "plain Verilator on the same RTL, C++ loop, idle, 2 eval()s per cycle",
                    static_cast<unsigned long long>(raw), static_cast<double>(raw) / rate, rate / 1e6);
    }
    bench b("bench", o);
    sc_start();
    return b.ok ? 0 : 1;
}
