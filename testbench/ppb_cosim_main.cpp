// ppb-cosim: framed packets into the PPB, a DMF client taking them out, every byte accounted for.
#include "testbench/cosim.hpp"
#include "testbench/tool_cli.hpp"
#include "testbench/tool_systemc.hpp"

#include "ppb_regs.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <systemc>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <map>

namespace {

using ppb::tb::cosim_config;
using ppb::tb::cosim_result;

// Framing false accepts against what the CRC predicts: every candidate whose CRC is checked and that
// is no sent frame passes a w-bit CRC with probability 2^-w. Those are the rejected candidates (bad
// CRC) and the false accepts, less the corrupted frames whose flipped bit lies in the payload or the
// CRC: the parser checks them at their true boundary and every CRC catches one flipped bit.
nlohmann::json framing(const cosim_config& c, const cosim_result& r) {
    const std::uint64_t checked = r.client.bad_crc + r.totals.frames_false_accepted;
    const std::uint64_t certain = std::min(checked, r.totals.frames_rejected_for_certain);
    const double p = std::ldexp(1.0, -static_cast<int>(ppb::tb::crc_bits(c.traffic.crc)));
    return {{"crc", std::string(to_string(c.traffic.crc))},
            {"false_accepts", r.totals.frames_false_accepted},
            {"false_candidates_checked", checked - certain},
            {"certain_rejects", certain},
            {"expected_false_accepts", static_cast<double>(checked - certain) * p}};
}

const char* signal_name(int sig) {
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "signal";
}

nlohmann::json to_json(const cosim_config& c, const cosim_result& r) {
    const auto& t = r.totals;
    nlohmann::json j;
    j["config"] = {{"backend", to_string(c.backend)},
                   {"mode", to_string(c.mode)},
                   {"capacity", c.capacity},
                   {"buffer_size", c.buffer_size ? c.buffer_size : c.capacity},
                   {"packets", c.packets},
                   {"bytes", c.bytes},
                   {"seed", c.traffic.seed},
                   {"payload_min", c.traffic.payload_min},
                   {"payload_max", c.traffic.payload_max},
                   {"payload_dist", c.traffic.sizes == ppb::tb::size_distribution::uniform   ? "uniform"
                                    : c.traffic.sizes == ppb::tb::size_distribution::bimodal ? "bimodal"
                                                                                             : "exponential"},
                   {"noise", c.traffic.noise_probability},
                   {"corrupt", c.traffic.corrupt_probability},
                   {"frame_check", std::string(to_string(c.traffic.crc))},
                   {"link_rate", c.link_rate},
                   {"burst", c.burst},
                   {"chunk", c.chunk},
                   {"cost_per_packet", c.cost_per_packet},
                   {"cost_per_byte", c.cost_per_byte},
                   {"drop_when_full", c.drop_when_full},
                   {"wait", to_string(c.wait)},
                   {"poll_interval", c.poll_interval},
                   {"clock_period", c.clock_period},
                   {"quantum", c.quantum},
                   {"dmi", c.dmi}};
    j["frames"] = {{"sent", t.frames_sent},
                   {"intact", t.frames_intact},
                   {"corrupted", t.frames_corrupted},
                   {"delivered", t.frames_delivered},
                   {"rejected", t.frames_rejected},
                   {"rejected_for_certain", t.frames_rejected_for_certain},
                   {"lost", t.frames_lost},
                   {"undelivered", t.frames_pending},
                   {"false_accepted", t.frames_false_accepted},
                   {"lost_to_false_accepts", t.frames_lost_to_false_accepts},
                   {"delivered_digest", t.delivered_digest}};
    j["bytes"] = {{"in", t.bytes_in},
                  {"delivered", t.bytes_delivered},
                  {"false_accepted", t.bytes_false_accepted},
                  {"discarded", t.bytes_discarded},
                  {"dropped", t.bytes_dropped},
                  {"buffered", t.bytes_buffered},
                  {"located", t.located},
                  {"skipped", t.bytes_skipped}};
    j["framing"] = framing(c, r);
    j["time"] = {{"simulated_s", r.sim_seconds}, {"wall_s", r.wall_seconds}, {"busy_s", r.busy_seconds}};
    j["throughput"] = {
        {"simulated_MBps", r.sim_seconds > 0 ? static_cast<double>(t.bytes_delivered) / r.sim_seconds / 1e6 : 0.0},
        {"wall_MBps", r.wall_seconds > 0 ? static_cast<double>(t.bytes_delivered) / r.wall_seconds / 1e6 : 0.0},
        {"wall_frames_per_s", r.wall_seconds > 0 ? static_cast<double>(t.frames_delivered) / r.wall_seconds : 0.0},
        {"sim_to_wall", r.wall_seconds > 0 ? r.sim_seconds / r.wall_seconds : 0.0}};
    j["latency_s"] = {{"p50", r.latency.p50}, {"p90", r.latency.p90},   {"p99", r.latency.p99},
                      {"max", r.latency.max}, {"mean", r.latency.mean}, {"count", r.latency.count}};
    j["device"] = {{"peak_fill", r.peak_fill}, {"swaps", r.swaps}};
    j["bus"] = {
        {"reg_reads", r.reg_reads},
        {"reg_writes", r.reg_writes},
        {"bursts", r.bursts},
        {"irq_waits", r.irq_waits},
        {"irq_timeouts", r.irq_timeouts},
        {"host_writes", r.host_writes},
        {"reg_accesses_per_write",
         r.host_writes ? static_cast<double>(r.reg_reads + r.reg_writes) / static_cast<double>(r.host_writes) : 0.0},
        {"reg_accesses_per_frame",
         t.frames_delivered ? static_cast<double>(r.reg_reads + r.reg_writes) / static_cast<double>(t.frames_delivered)
                            : 0.0}};
    j["client"] = {{"gets", r.client.gets},        {"consumes", r.client.consumes}, {"shifts", r.client.shifts},
                   {"resets", r.client.resets},    {"bad_crc", r.client.bad_crc},   {"bad_length", r.client.bad_length},
                   {"oversize", r.client.oversize}};
    j["ok"] = r.ok();
    j["interrupted"] = r.interrupted != 0;
    if (r.interrupted)
        j["signal"] = signal_name(r.interrupted);
    j["errors"] = r.errors;
    j["notes"] = r.notes;
    return j;
}

std::string human_time(double s) {
    char b[32];
    if (s >= 1)
        std::snprintf(b, sizeof b, "%.3f s", s);
    else if (s >= 1e-3)
        std::snprintf(b, sizeof b, "%.3f ms", s * 1e3);
    else if (s >= 1e-6)
        std::snprintf(b, sizeof b, "%.3f us", s * 1e6);
    else
        std::snprintf(b, sizeof b, "%.1f ns", s * 1e9);
    return b;
}

void print_summary(const cosim_config& c, const cosim_result& r) {
    const auto& t = r.totals;
    const auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
    std::printf("ppb-cosim: backend %s, %s mode, CAPACITY %u, BufferSize %u, seed %llu\n", to_string(c.backend),
                to_string(c.mode), c.capacity, c.buffer_size ? c.buffer_size : c.capacity, u(c.traffic.seed));
    std::printf(
        "  frames   sent %llu (intact %llu, corrupted %llu)  delivered %llu  rejected %llu  lost %llu  undelivered "
        "%llu\n",
        u(t.frames_sent), u(t.frames_intact), u(t.frames_corrupted), u(t.frames_delivered), u(t.frames_rejected),
        u(t.frames_lost), u(t.frames_pending));
    if (t.bytes_false_accepted)
        std::printf(
            "  bytes    in %llu = delivered %llu + false accepts %llu + discarded %llu + dropped %llu + buffered "
            "%llu\n",
            u(t.bytes_in), u(t.bytes_delivered), u(t.bytes_false_accepted), u(t.bytes_discarded), u(t.bytes_dropped),
            u(t.bytes_buffered));
    else
        std::printf("  bytes    in %llu = delivered %llu + discarded %llu + dropped %llu + buffered %llu\n",
                    u(t.bytes_in), u(t.bytes_delivered), u(t.bytes_discarded), u(t.bytes_dropped), u(t.bytes_buffered));
    if (t.frames_false_accepted) {
        const nlohmann::json f = framing(c, r);
        std::printf(
            "  framing  %llu false accept(s) by %s among %llu false candidates checked (expected %.3g), "
            "%llu intact frame(s) lost to them\n",
            u(t.frames_false_accepted), std::string(to_string(c.traffic.crc)).c_str(),
            u(f["false_candidates_checked"].get<std::uint64_t>()), f["expected_false_accepts"].get<double>(),
            u(t.frames_lost_to_false_accepts));
        for (const auto& n : r.notes)
            std::printf("           %s\n", n.c_str());
    }
    std::printf("  time     simulated %s, wall %s (%.2fx real time), BUSY %s\n", human_time(r.sim_seconds).c_str(),
                human_time(r.wall_seconds).c_str(), r.wall_seconds > 0 ? r.sim_seconds / r.wall_seconds : 0.0,
                human_time(r.busy_seconds).c_str());
    std::printf("  speed    %.2f MB/s simulated, %.2f MB/s wall, %.0f frames/s wall\n",
                r.sim_seconds > 0 ? static_cast<double>(t.bytes_delivered) / r.sim_seconds / 1e6 : 0.0,
                r.wall_seconds > 0 ? static_cast<double>(t.bytes_delivered) / r.wall_seconds / 1e6 : 0.0,
                r.wall_seconds > 0 ? static_cast<double>(t.frames_delivered) / r.wall_seconds : 0.0);
    std::printf("  latency  enqueue to delivery: p50 %s  p90 %s  p99 %s  max %s\n", human_time(r.latency.p50).c_str(),
                human_time(r.latency.p90).c_str(), human_time(r.latency.p99).c_str(),
                human_time(r.latency.max).c_str());
    std::printf(
        "  device   peak FILL %u, swaps %llu; bus %llu register reads, %llu writes, %llu bursts (%.2f register "
        "accesses per frame)\n",
        r.peak_fill, u(r.swaps), u(r.reg_reads), u(r.reg_writes), u(r.bursts),
        t.frames_delivered ? static_cast<double>(r.reg_reads + r.reg_writes) / static_cast<double>(t.frames_delivered)
                           : 0.0);
    std::printf(
        "  client   %llu Get, %llu Consume, %llu Shift, %llu Reset; rejected candidates: %llu bad CRC, %llu bad "
        "length, %llu oversize\n",
        u(r.client.gets), u(r.client.consumes), u(r.client.shifts), u(r.client.resets), u(r.client.bad_crc),
        u(r.client.bad_length), u(r.client.oversize));
    if (r.interrupted) {
        std::printf("INTERRUPTED by %s at simulated %s: the source stopped there; %s\n", signal_name(r.interrupted),
                    human_time(r.sim_seconds).c_str(),
                    r.errors.empty() ? "what was sent is accounted for, every byte balanced" : "and it FAILED:");
        for (const auto& e : r.errors)
            std::printf("  %s\n", e.c_str());
    } else if (r.ok()) {
        std::printf("PASS: every intact frame accounted for, every byte balanced%s\n",
                    t.located ? " and located in the sent stream" : "");
    } else {
        std::printf("FAIL:\n");
        for (const auto& e : r.errors)
            std::printf("  %s\n", e.c_str());
    }
}

}  // namespace

namespace {

// SIGINT and SIGTERM: the first one asks the run to end at its next safe point (the handler only
// stores the signal's number); a second one ends the process at once, as the default would.
std::atomic<int> interrupt_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "a signal handler may only touch lock-free atomics");

extern "C" void on_interrupt(int sig) {
    if (interrupt_signal.exchange(sig) != 0) {
        std::signal(sig, SIG_DFL);
        std::raise(sig);
    }
}

void catch_interrupts() {
    struct sigaction sa {};
    sa.sa_handler = &on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace

int main(int argc, char* argv[]) {
    ppb::tool::quiet_systemc("ppb-cosim");
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
    namespace tool = ppb::tool;
    namespace regs = ppb::regs;
    constexpr const char* name = "ppb-cosim";
    constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
    tool::systemc_reports_to_stderr();
    cosim_config c;
    std::string json_path;
    bool quiet = false;
    double link_mbps = c.link_rate / 1e6, clock_ns = c.clock_period * 1e9, quantum_ns = c.quantum * 1e9;
    double cost_packet_ns = c.cost_per_packet * 1e9, cost_byte_ns = c.cost_per_byte * 1e9;
    double poll_ns = c.poll_interval * 1e9;
    bool no_dmi = false, drop = false;

    // A choice among names (any case), handed to CLI11 as the enum's number. CLI11's own mapping
    // validators print the enum values (uint8_t) as raw bytes in --help and in their errors.
    const auto choices = [](const auto& map) {
        std::string names;
        for (const auto& [choice, value] : map)
            names += (names.empty() ? "" : "|") + choice;
        return CLI::Validator(
            [map, names](std::string& in) -> std::string {
                for (const auto& [choice, value] : map) {
                    if (CLI::detail::to_lower(in) == choice) {
                        in = std::to_string(static_cast<int>(value));
                        return {};
                    }
                }
                return "'" + in + "' is not one of " + names;
            },
            "{" + names + "}");
    };
    CLI::App app{"PPB co-simulation: framed packets in, a DMF client parsing them out, every byte accounted for"};
    app.footer(
        "Exit status: 0 passed, 1 the scoreboard (or a Method) failed, 2 bad input (one line on stderr naming the "
        "option and what it accepts; nothing ran), 130/143 interrupted by SIGINT/SIGTERM (the run ends at its next "
        "chunk: the summary and the JSON say \"interrupted\"; a second signal ends it at once).");
    tool::one_line_errors(app, name);
    const std::map<std::string, ppb::tb::backend_kind> backends{{"tlm", ppb::tb::backend_kind::tlm},
                                                                {"rtl", ppb::tb::backend_kind::rtl},
                                                                {"native", ppb::tb::backend_kind::native}};
    const std::map<std::string, ppb::tb::source_kind> modes{{"stream", ppb::tb::source_kind::stream},
                                                            {"host", ppb::tb::source_kind::host}};
    const std::map<std::string, ppb::tb::wait_kind> waits{{"irq", ppb::tb::wait_kind::irq},
                                                          {"poll", ppb::tb::wait_kind::poll}};
    app.add_option("--backend", c.backend,
                   "tlm (driver over the TLM model), rtl (over the Verilated RTL), native (DMF in host memory)")
        ->transform(choices(backends));
    app.add_option("--mode", c.mode, "stream: the stream port fills Ping; host: DMF Write in random chunks")
        ->transform(choices(modes));
    const std::string capacity_rule = "a multiple of " + std::to_string(regs::capacity_multiple) + " in " +
                                      tool::range_text<std::uint64_t>(regs::capacity_min, regs::capacity_max);
    tool::add_count(app, "--capacity", c.capacity, regs::capacity_min, regs::capacity_max,
                    "bytes per bank (" + capacity_rule + ")");
    tool::add_count(app, "--buffer-size", c.buffer_size, 1, regs::capacity_max,
                    "DMF BufferSize (LIMIT), at most the capacity; default: the capacity");
    auto* packets = tool::add_count(app, "--packets", c.packets, 1, u64_max, "frames to send");
    tool::add_count(app, "--bytes", c.bytes, 1, u64_max, "send frames until this many stream bytes instead")
        ->excludes(packets);
    tool::add_count(app, "--seed", c.traffic.seed, 0, u64_max, "random seed");
    tool::add_count(app, "--payload-min", c.traffic.payload_min, 0, ppb::tb::max_payload, "smallest payload (bytes)");
    tool::add_count(
        app, "--payload-max", c.traffic.payload_max, 0, ppb::tb::max_payload,
        "largest payload (bytes; the frame format's largest is " + std::to_string(ppb::tb::max_payload) + ")");
    const std::map<std::string, ppb::tb::size_distribution> dists{
        {"uniform", ppb::tb::size_distribution::uniform},
        {"bimodal", ppb::tb::size_distribution::bimodal},
        {"exponential", ppb::tb::size_distribution::exponential}};
    app.add_option("--payload-dist", c.traffic.sizes,
                   "payload lengths: uniform, bimodal (min or max), exponential (mostly short)")
        ->transform(choices(dists));
    tool::add_real(app, "--noise", c.traffic.noise_probability, 0, 1, "chance of noise bytes before a frame");
    tool::add_count(app, "--noise-max", c.traffic.noise_max, 0, 1u << 20, "longest run of noise bytes");
    tool::add_real(app, "--corrupt", c.traffic.corrupt_probability, 0, 1, "chance a frame has a bit flipped");
    const std::map<std::string, ppb::tb::frame_crc> crcs{{"crc16", ppb::tb::frame_crc::crc16},
                                                         {"crc32", ppb::tb::frame_crc::crc32}};
    app.add_option("--frame-check", c.traffic.crc,
                   "the frames' CRC: crc16 (SPEC.md, CRC-16/CCITT-FALSE) or crc32 (CRC-32/ISO-HDLC: false accepts 2^16 "
                   "times rarer)")
        ->transform(choices(crcs));
    tool::add_real(app, "--link-rate", link_mbps, 0, 1e6,
                   "link rate in MB/s, 0 or at least 0.001 (the port takes at most one byte per cycle); 0: unpaced, as "
                   "fast as the port accepts",
                   "MB/s");
    tool::add_count(app, "--burst", c.burst, 0, std::numeric_limits<std::uint32_t>::max(),
                    "bytes sent back to back at line rate between idle gaps (0: even pacing)");
    tool::add_count(app, "--chunk", c.chunk, 1, 1u << 20, "bytes per stream transaction; host mode: largest Write");
    tool::add_real(app, "--cost-per-packet", cost_packet_ns, 0, 1e9, "client processing time per frame (ns)", "ns");
    tool::add_real(app, "--cost-per-byte", cost_byte_ns, 0, 1e6, "client processing time per frame byte (ns)", "ns");
    app.add_flag("--drop-when-full", drop, "drop bytes when Ping is full instead of back-pressure");
    app.add_option("--wait", c.wait, "irq: wait for THRESHOLD/FULL; poll: look every --poll-interval")
        ->transform(choices(waits));
    tool::add_real(app, "--poll-interval", poll_ns, 0.001, 1e9, "polling period (ns; SystemC's resolution is 1 ps)",
                   "ns");
    tool::add_real(app, "--clock", clock_ns, 0.001, 1e6, "device clock period (ns; SystemC's resolution is 1 ps)",
                   "ns");
    tool::add_real(app, "--quantum", quantum_ns, 0, 1e9, "TLM global quantum (ns); 0 synchronises every access", "ns");
    app.add_flag("--no-dmi", no_dmi, "refuse DMI: every bank access is a bus transaction");
    bool no_check = false;
    app.add_flag("--no-check", no_check, "leave the TLM base-protocol checkers out of the bus and stream paths");
    tool::add_count(app, "--reset-after", c.reset_after, 1, u64_max,
                    "the client calls Reset once after this many frames (at most --packets)");
    app.add_option("--trace", c.trace,
                   "write a VCD of the device and the client to this file (.vcd is added unless the name ends in it)")
        ->check(tool::output_path());
    app.add_option("--trace-rtl", c.trace_rtl,
                   "with --backend rtl: every RTL signal from the start, with --trace's signals, as one FST file (its "
                   "name ends in .fst); open it with scripts/view-trace FILE.fst")
        ->check(tool::output_path());
    app.add_option("--json", json_path, "write every statistic as JSON to this file (opened before the run)")
        ->check(tool::output_path());
    app.add_flag("-q,--quiet", quiet, "print nothing; the exit status says whether the run passed");
    if (const int rc = tool::parse(app, argc, argv); rc >= 0)
        return rc;
    c.link_rate = link_mbps * 1e6;
    c.clock_period = clock_ns * 1e-9;
    c.quantum = quantum_ns * 1e-9;
    c.cost_per_packet = cost_packet_ns * 1e-9;
    c.cost_per_byte = cost_byte_ns * 1e-9;
    c.poll_interval = poll_ns * 1e-9;
    c.dmi = !no_dmi;
    c.check = !no_check;
    c.drop_when_full = drop;
    c.progress = !quiet && isatty(STDERR_FILENO);
    if (const std::string why = validate(c); !why.empty())
        return tool::refuse(name, why);

    // The outputs, before anything runs: a run whose results cannot be written is not started.
    const std::map<std::string, std::string> outputs{{"--json", json_path},
                                                     {"--trace", c.trace.empty() ? "" : ppb::tb::vcd_file(c.trace)},
                                                     {"--trace-rtl", c.trace_rtl}};
    std::map<std::string, std::string> by_path;
    for (const auto& [option, path] : outputs) {
        if (path.empty())
            continue;
        if (const auto [it, fresh] = by_path.emplace(path, option); !fresh)
            return tool::refuse(name, it->second + " and " + option + " name the same file " + path);
        if (const std::string why = tool::writable(path); !why.empty())
            return tool::refuse(name, option + ": " + why);
    }
    tool::output_file json;
    if (!json_path.empty())
        if (const std::string why = json.open(json_path); !why.empty())
            return tool::refuse(name, "--json: " + why);

    catch_interrupts();
    c.interrupt = &interrupt_signal;
    cosim_result r;
    try {
        r = run_cosim(c);
    } catch (const sc_core::sc_report&) {  // a SystemC error in the run: already on stderr (tool_systemc.hpp)
        json.abandon();
        return 1;
    } catch (const std::exception& e) {  // a device that cannot be made (an RTL model that cannot be built)
        json.abandon();
        if (const int sig = interrupt_signal.load()) {
            std::fprintf(stderr, "ppb-cosim: interrupted by %s before the run started\n", signal_name(sig));
            return 128 + sig;
        }
        return tool::refuse(name, e.what());
    }
    if (!quiet)
        print_summary(c, r);
    std::fflush(stdout);
    if (json.is_open() && !json.write(to_json(c, r).dump(2) + "\n")) {
        std::fprintf(stderr, "ppb-cosim: --json: cannot write %s: %s\n", json_path.c_str(), std::strerror(errno));
        return 2;
    }
    if (r.interrupted)
        return 128 + r.interrupted;
    return r.ok() ? 0 : 1;
}
