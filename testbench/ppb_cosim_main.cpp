// ppb-cosim: framed packets into the PPB, a DMF client taking them out, every byte accounted for.
#include "testbench/cosim.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <systemc>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
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
    if (r.ok()) {
        std::printf("PASS: every intact frame accounted for, every byte balanced%s\n",
                    t.located ? " and located in the sent stream" : "");
    } else {
        std::printf("FAIL:\n");
        for (const auto& e : r.errors)
            std::printf("  %s\n", e.c_str());
    }
}

}  // namespace

// SystemC's banner is noise in a tool's output (and in its --quiet mode).
int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
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
        for (const auto& [name, value] : map)
            names += (names.empty() ? "" : "|") + name;
        return CLI::Validator(
            [map, names](std::string& in) -> std::string {
                for (const auto& [name, value] : map) {
                    if (CLI::detail::to_lower(in) == name) {
                        in = std::to_string(static_cast<int>(value));
                        return {};
                    }
                }
                return "'" + in + "' is not one of " + names;
            },
            "{" + names + "}");
    };
    CLI::App app{"PPB co-simulation: framed packets in, a DMF client parsing them out, every byte accounted for"};
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
    app.add_option("--capacity", c.capacity, "bytes per bank (multiple of 4, 16 .. 1048576)");
    app.add_option("--buffer-size", c.buffer_size, "DMF BufferSize (LIMIT); default: the capacity");
    auto* packets = app.add_option("--packets", c.packets, "frames to send");
    app.add_option("--bytes", c.bytes, "send frames until this many stream bytes instead")->excludes(packets);
    app.add_option("--seed", c.traffic.seed, "random seed");
    app.add_option("--payload-min", c.traffic.payload_min, "smallest payload (bytes)");
    app.add_option("--payload-max", c.traffic.payload_max, "largest payload (bytes, at most 1500)");
    const std::map<std::string, ppb::tb::size_distribution> dists{
        {"uniform", ppb::tb::size_distribution::uniform},
        {"bimodal", ppb::tb::size_distribution::bimodal},
        {"exponential", ppb::tb::size_distribution::exponential}};
    app.add_option("--payload-dist", c.traffic.sizes,
                   "payload lengths: uniform, bimodal (min or max), exponential (mostly short)")
        ->transform(choices(dists));
    app.add_option("--noise", c.traffic.noise_probability, "chance of noise bytes before a frame")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--noise-max", c.traffic.noise_max, "longest run of noise bytes");
    app.add_option("--corrupt", c.traffic.corrupt_probability, "chance a frame has a bit flipped")
        ->check(CLI::Range(0.0, 1.0));
    const std::map<std::string, ppb::tb::frame_crc> crcs{{"crc16", ppb::tb::frame_crc::crc16},
                                                         {"crc32", ppb::tb::frame_crc::crc32}};
    app.add_option("--frame-check", c.traffic.crc,
                   "the frames' CRC: crc16 (SPEC.md, CRC-16/CCITT-FALSE) or crc32 (CRC-32/ISO-HDLC: false accepts 2^16 "
                   "times rarer)")
        ->transform(choices(crcs));
    app.add_option(
           "--link-rate", link_mbps,
           "link rate in MB/s (the port takes at most one byte per cycle); 0: unpaced, as fast as the port accepts")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--burst", c.burst, "bytes sent back to back at line rate between idle gaps (0: even pacing)");
    app.add_option("--chunk", c.chunk, "bytes per stream transaction; host mode: largest Write")
        ->check(CLI::Range(1u, 1u << 20));
    app.add_option("--cost-per-packet", cost_packet_ns, "client processing time per frame (ns)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--cost-per-byte", cost_byte_ns, "client processing time per frame byte (ns)")
        ->check(CLI::NonNegativeNumber);
    app.add_flag("--drop-when-full", drop, "drop bytes when Ping is full instead of back-pressure");
    app.add_option("--wait", c.wait, "irq: wait for THRESHOLD/FULL; poll: look every --poll-interval")
        ->transform(choices(waits));
    app.add_option("--poll-interval", poll_ns, "polling period (ns)")->check(CLI::PositiveNumber);
    app.add_option("--clock", clock_ns, "device clock period (ns)")->check(CLI::PositiveNumber);
    app.add_option("--quantum", quantum_ns, "TLM global quantum (ns); 0 synchronises every access")
        ->check(CLI::NonNegativeNumber);
    app.add_flag("--no-dmi", no_dmi, "refuse DMI: every bank access is a bus transaction");
    bool no_check = false;
    app.add_flag("--no-check", no_check, "leave the TLM base-protocol checkers out of the bus and stream paths");
    app.add_option("--reset-after", c.reset_after, "the client calls Reset once after this many frames");
    app.add_option("--trace", c.trace, "write a VCD of the device and the client to this file");
    app.add_option("--json", json_path, "write every statistic as JSON to this file");
    app.add_flag("-q,--quiet", quiet, "print nothing; the exit status says whether the run passed");
    try {
        app.parse(argc, argv);
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
            throw CLI::ValidationError("configuration", why);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

    cosim_result r;
    try {
        r = run_cosim(c);
    } catch (const std::exception& e) {  // a device that cannot be made (an RTL model that cannot be built)
        std::fprintf(stderr, "ppb-cosim: %s\n", e.what());
        return 2;
    }
    if (!quiet)
        print_summary(c, r);
    if (!json_path.empty()) {
        std::ofstream out(json_path);
        out << to_json(c, r).dump(2) << "\n";
        if (!out) {
            std::fprintf(stderr, "ppb-cosim: cannot write %s\n", json_path.c_str());
            return 2;
        }
    }
    return r.ok() ? 0 : 1;
}
