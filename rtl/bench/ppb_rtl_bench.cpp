// ppb-rtl-bench: how fast the co-simulation wrapper runs the RTL. Prints cycles per second of
// (1) plain Verilator on the same RTL in a C++ loop (the limit), (2) idle stepping through the
// wrapper (a bus read every N cycles), (3) a busy host-mode workload (bank writes, COMMIT,
// CONSUME with copies, STATUS polling) and (4) a stream workload (bytes through the stream
// socket, CONSUMEd by the CPU); (2) to (4) once with every cycle evaluated and once with quiescent
// cycles skipped (the default). A figure, not a test.
#include "rtl/sim/ppb_rtl.hpp"

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
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
    sc_time local_;  // the CPU's local time offset (temporal decoupling)

    tlm::tlm_response_status access(tlm::tlm_command c, std::uint32_t a, void* p, unsigned n) {
        tlm::tlm_generic_payload tx;
        tx.set_command(c);
        tx.set_address(a);
        tx.set_data_ptr(static_cast<unsigned char*>(p));
        tx.set_data_length(n);
        tx.set_streaming_width(n);
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
                tlm::tlm_generic_payload tx;
                sc_time d = SC_ZERO_TIME;
                tx.set_command(tlm::TLM_WRITE_COMMAND);
                tx.set_data_ptr(frame.data());
                tx.set_data_length(opt.frame);
                tx.set_streaming_width(opt.frame);
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

const char* const usage_text =
    "usage: ppb-rtl-bench [--capacity 1024|4096] [--idle-cycles N] [--idle-gap N] [--frames N] [--raw-cycles N]\n"
    "                     [--phases idle,host,stream] [--skip on|off|both]\n"
    "  --raw-cycles 0 leaves out the plain Verilator line; --phases picks the workloads (all three);\n"
    "  --skip on runs them with quiescent cycles skipped only, off with every cycle evaluated only (both)\n";

int sc_main(int argc, char* argv[]) {
    options o;
    for (int i = 1; i < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--help" || k == "-h") {
            std::printf("%s", usage_text);
            return 0;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "ppb-rtl-bench: missing value after %s\n%s", k.c_str(), usage_text);
            return 2;
        }
        const std::string val = argv[i + 1];
        if (k == "--phases") {
            o.idle = o.host = o.stream = false;
            std::size_t at = 0;
            while (at <= val.size()) {
                const std::size_t comma = std::min(val.find(',', at), val.size());
                const std::string p = val.substr(at, comma - at);
                if (p == "idle")
                    o.idle = true;
                else if (p == "host")
                    o.host = true;
                else if (p == "stream")
                    o.stream = true;
                else {
                    std::fprintf(stderr, "ppb-rtl-bench: unknown phase '%s'\n%s", p.c_str(), usage_text);
                    return 2;
                }
                at = comma + 1;
            }
            continue;
        }
        if (k == "--skip") {
            if (val != "on" && val != "off" && val != "both") {
                std::fprintf(stderr, "ppb-rtl-bench: --skip takes on, off or both\n%s", usage_text);
                return 2;
            }
            o.skip_on = val != "off";
            o.skip_off = val != "on";
            continue;
        }
        char* end = nullptr;
        const auto v = std::strtoull(val.c_str(), &end, 0);
        if (val.empty() || *end != '\0' || val[0] == '-') {
            std::fprintf(stderr, "ppb-rtl-bench: bad number for %s: %s\n%s", k.c_str(), val.c_str(), usage_text);
            return 2;
        }
        if (k == "--capacity")
            o.capacity = static_cast<std::uint32_t>(v);
        else if (k == "--idle-cycles")
            o.idle_cycles = v;
        else if (k == "--idle-gap")
            o.idle_gap = v;
        else if (k == "--raw-cycles")
            o.raw_cycles = v;
        else if (k == "--frames")
            o.frames = static_cast<std::uint32_t>(v);
        else {
            std::fprintf(stderr, "ppb-rtl-bench: unknown option %s\n%s", k.c_str(), usage_text);
            return 2;
        }
    }
    if (o.frames == 0 || o.idle_gap == 0 || (o.capacity != 1024 && o.capacity != 4096)) {
        std::fprintf(stderr, "ppb-rtl-bench: --frames and --idle-gap must be positive, --capacity 1024 or 4096\n%s",
                     usage_text);
        return 2;
    }
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
