// The timing-fidelity workload: the same host-mode and stream-mode traffic on any DUT with the
// model's interface, recording how long each command keeps the CPU waiting (CMD write to the first
// STATUS read without BUSY) and the whole run's simulated time. Used by ppb-rtl-fidelity (which
// prints the comparison) and by rtl_fidelity_test (which checks it).
#pragma once

#include "ppb_regs.hpp"
#include "rtl/test/rtl_bench.hpp"

#include <systemc>
#include <tlm>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace ppb::rtl::test {

struct fidelity_result {
    // Per command: the cycles from the CMD write's setup to the end of the first STATUS read that
    // shows BUSY low, in issue order; host phase and stream phase.
    std::vector<std::pair<std::uint32_t, std::uint64_t>> commands, stream_commands;
    sc_core::sc_time host_time;    // the host-mode phase, end to end
    sc_core::sc_time stream_time;  // the stream-mode phase, end to end
    std::uint64_t bytes = 0;       // bytes that went through Ping
};

inline const char* opcode_name(std::uint32_t op) {
    switch (static_cast<regs::opcode>(op)) {
    case regs::opcode::reset:
        return "RESET";
    case regs::opcode::shift:
        return "SHIFT";
    case regs::opcode::consume:
        return "CONSUME";
    case regs::opcode::commit:
        return "COMMIT";
    }
    return "?";
}

// Runs in the calling SC_THREAD; `cpu` and `src` are bound to the DUT's bus and stream sockets.
inline fidelity_result run_fidelity_workload(port& cpu, port& src, std::uint32_t capacity, std::uint32_t frames,
                                             std::uint32_t seed = 5) {
    using namespace sc_core;
    fidelity_result res;
    std::mt19937 rng(seed);
    const std::uint32_t limit = capacity - capacity / 8;

    auto* log = &res.commands;
    const auto timed_command = [&](regs::opcode op, std::uint32_t a0, std::uint32_t a1) {
        cpu.write(regs::arg0::offset, a0);
        cpu.write(regs::arg1::offset, a1);
        const sc_time t0 = sc_time_stamp();
        cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(op));
        cpu.wait_idle();
        log->emplace_back(static_cast<std::uint32_t>(op), cycles(sc_time_stamp() - t0));
    };

    // Host mode: DMF's Write (bytes into Ping at FILL, COMMIT), packets CONSUMEd, a SHIFT now and
    // then, and a RESET when the buffer is abandoned.
    tlm::tlm_global_quantum::instance().set(SC_ZERO_TIME);
    const sc_time h0 = sc_time_stamp();
    cpu.write(regs::ctrl::offset, 0);
    cpu.write(regs::limit::offset, limit);
    for (std::uint32_t f = 0; f < frames; ++f) {
        const std::uint32_t n = 1 + static_cast<std::uint32_t>(rng() % 300);
        const std::uint32_t fill = cpu.read(regs::fill::offset);
        const unsigned ping = regs::status::ping_bank.get(cpu.read(regs::status::offset));
        if (fill + n > limit) {
            if (f % 3 == 0) {
                timed_command(regs::opcode::reset, 0, 0);
            } else {
                const std::uint32_t start = static_cast<std::uint32_t>(rng() % 4);
                timed_command(regs::opcode::consume, start, fill * 2 / 3 - start);
            }
            continue;
        }
        std::vector<std::uint8_t> bytes(n);
        for (auto& b : bytes)
            b = static_cast<std::uint8_t>(rng());
        cpu.access(tlm::TLM_WRITE_COMMAND, (ping ? regs::bank1_base : regs::bank0_base) + fill, bytes.data(), n);
        timed_command(regs::opcode::commit, 0, n);
        res.bytes += n;
        const std::uint32_t now_fill = fill + n;
        if (f % 5 == 2) {  // a packet somewhere in Ping, any alignment
            const std::uint32_t start = static_cast<std::uint32_t>(rng() % (now_fill / 2 + 1));
            timed_command(regs::opcode::consume, start, static_cast<std::uint32_t>(rng() % (now_fill - start + 1)));
        } else if (f % 7 == 3) {
            timed_command(regs::opcode::shift, static_cast<std::uint32_t>(rng() % (now_fill + 1)), 0);
        }
    }
    res.host_time = sc_time_stamp() - h0;

    // Stream mode: a source at one byte per cycle in bursts; the CPU polls FILL and CONSUMEs what
    // it finds, so the port sees both back-pressure (BUSY) and idle time. Here the model is only
    // loosely timed: it takes a stream byte at the start of its cycle, in no defined order with a
    // bus access at the same time, and sizes a command's copy before the byte of the CMD write's
    // access cycle; so the sequence of FILL values the CPU sees, and the commands it issues, may
    // differ, and only the phase's total time is compared.
    timed_command(regs::opcode::reset, 0, 0);
    log = &res.stream_commands;
    const sc_time s0 = sc_time_stamp();
    cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
    bool done = false;
    const std::uint32_t total = frames * 100;
    sc_spawn([&] {
        std::mt19937 r2(seed + 1);
        for (std::uint32_t sent = 0; sent < total;) {
            const std::uint32_t n = std::min<std::uint32_t>(total - sent, 1 + static_cast<std::uint32_t>(r2() % 200));
            std::vector<std::uint8_t> chunk(n, static_cast<std::uint8_t>(sent));
            src.push(chunk);
            wait(clk * static_cast<double>(r2() % 50));
            sent += n;
        }
        done = true;
    });
    for (;;) {
        const std::uint32_t fill = cpu.read(regs::fill::offset);
        if (fill >= 64 || (done && fill)) {
            timed_command(regs::opcode::consume, 0, fill - fill % 4);
            if (fill % 4)
                timed_command(regs::opcode::consume, 0, fill % 4);
            res.bytes += fill;
        } else if (done) {
            break;
        }
        wait(clk * 37.0);
    }
    res.stream_time = sc_time_stamp() - s0;
    return res;
}

// The comparison of a model run and an RTL run of the same workload.
struct fidelity_report {
    struct row {
        std::uint64_t count = 0, model_cycles = 0, rtl_cycles = 0, differing = 0;
    };
    std::map<std::string, row> per_command;
    bool same_commands = true;  // the two runs issued the same command sequence (host phase)
    std::uint64_t stream_commands_model = 0, stream_commands_rtl = 0, stream_cycles_model = 0, stream_cycles_rtl = 0;
    double host_ratio = 0, stream_ratio = 0, total_ratio = 0;
    sc_core::sc_time model_total, rtl_total;

    bool every_command_equal() const {
        for (const auto& [name, r] : per_command)
            if (r.differing)
                return false;
        return same_commands;
    }
    bool within(double tolerance) const { return total_ratio >= 1 - tolerance && total_ratio <= 1 + tolerance; }

    void print(std::FILE* out) const {
        std::fprintf(out,
                     "host phase: per command, the cycles from the CMD write to the first STATUS read without BUSY\n");
        std::fprintf(out, "%-10s %8s %14s %14s %10s %10s\n", "command", "count", "model cycles", "rtl cycles",
                     "rtl/model", "differing");
        for (const auto& [name, r] : per_command)
            std::fprintf(out, "%-10s %8llu %14llu %14llu %10.4f %10llu\n", name.c_str(),
                         static_cast<unsigned long long>(r.count), static_cast<unsigned long long>(r.model_cycles),
                         static_cast<unsigned long long>(r.rtl_cycles),
                         r.model_cycles ? static_cast<double>(r.rtl_cycles) / static_cast<double>(r.model_cycles) : 1.0,
                         static_cast<unsigned long long>(r.differing));
        std::fprintf(out, "stream phase: %llu commands on the model, %llu on the rtl, %llu and %llu cycles waited\n",
                     static_cast<unsigned long long>(stream_commands_model),
                     static_cast<unsigned long long>(stream_commands_rtl),
                     static_cast<unsigned long long>(stream_cycles_model),
                     static_cast<unsigned long long>(stream_cycles_rtl));
        std::fprintf(out, "host phase   rtl/model %.4f\nstream phase rtl/model %.4f\n", host_ratio, stream_ratio);
        std::fprintf(out, "end to end   model %s  rtl %s  rtl/model %.4f\n", model_total.to_string().c_str(),
                     rtl_total.to_string().c_str(), total_ratio);
        std::fprintf(out, "every command equal: %s; end to end within 1%%: %s\n", every_command_equal() ? "yes" : "NO",
                     within(0.01) ? "yes" : "NO");
    }
};

inline fidelity_report compare(const fidelity_result& m, const fidelity_result& r) {
    fidelity_report rep;
    rep.same_commands = m.commands.size() == r.commands.size();
    for (std::size_t i = 0; i < std::min(m.commands.size(), r.commands.size()); ++i) {
        rep.same_commands &= m.commands[i].first == r.commands[i].first;
        auto& row = rep.per_command[opcode_name(m.commands[i].first)];
        ++row.count;
        row.model_cycles += m.commands[i].second;
        row.rtl_cycles += r.commands[i].second;
        row.differing += m.commands[i].second != r.commands[i].second;
    }
    rep.stream_commands_model = m.stream_commands.size();
    rep.stream_commands_rtl = r.stream_commands.size();
    for (const auto& c : m.stream_commands)
        rep.stream_cycles_model += c.second;
    for (const auto& c : r.stream_commands)
        rep.stream_cycles_rtl += c.second;
    rep.host_ratio = r.host_time / m.host_time;
    rep.stream_ratio = r.stream_time / m.stream_time;
    rep.model_total = m.host_time + m.stream_time;
    rep.rtl_total = r.host_time + r.stream_time;
    rep.total_ratio = rep.rtl_total / rep.model_total;
    return rep;
}

// Both DUTs in one elaboration, each with its own CPU and source.
template <class Model, class Rtl>
class fidelity_bench : public ppb::test::sim_bench {
public:
    port cpu_m{"cpu_m"}, cpu_r{"cpu_r"}, src_m{"src_m"}, src_r{"src_r"};
    sc_core::sc_signal<bool> irq_m{"irq_m"}, irq_r{"irq_r"};
    Model model;
    Rtl rtl;
    ppb::check::tlm_lt_checker bus_check_m{"bus_check_m"}, bus_check_r{"bus_check_r"};
    ppb::check::tlm_lt_checker stream_check_m{"stream_check_m"}, stream_check_r{"stream_check_r"};

    explicit fidelity_bench(std::uint32_t capacity)
        : sim_bench("tb"), model("model", capacity, clk), rtl("rtl", capacity, clk) {
        bind_bus_checked(cpu_m, bus_check_m, model);
        bind_bus_checked(cpu_r, bus_check_r, rtl);
        bind_stream_checked(src_m, stream_check_m, model);
        bind_stream_checked(src_r, stream_check_r, rtl);
        model.irq.bind(irq_m);
        rtl.irq.bind(irq_r);
    }
};

}  // namespace ppb::rtl::test
