// ppb-rtl-verilator-loop: plain Verilator on the PPB RTL, the reference for the co-simulation's
// speed. No SystemC, no transactor: a C++ loop drives the Verilated model's pins, one cycle as
// clk low + eval(), clk high + eval() (the usual Verilator harness), with the busy-stream workload
// of ppb-rtl-bench: CTRL.SOURCE = stream, a source offering bytes in every cycle (frames of
// --frame bytes back to back), and a CPU that every --poll cycles reads FILL over APB and, when a
// whole frame is there, writes ARG0, ARG1 and CMD = CONSUME and polls STATUS until BUSY is low.
// Prints the cycles run, the bytes that moved and cycles per second. Exit status 1 when the
// bytes do not balance (every byte offered is consumed or still in FILL) or an RTL assertion
// failed, 2 for bad input (one line on stderr).
//
//   ppb-rtl-verilator-loop [--capacity N] [--frames N] [--frame BYTES] [--poll CYCLES]
//                          [--repeat N]
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <verilated.h>
#include "ppb_rtl_models.hpp"  // generated: every verilated CAPACITY (PPB_RTL_CAPACITIES)
#pragma GCC diagnostic pop

#include "ppb_regs.hpp"
#include "rtl/sim/rtl_build.hpp"
#include "testbench/tool_cli.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

namespace regs = ppb::regs;

struct options {
    std::uint32_t capacity = 4096;
    std::uint64_t frames = 20'000;
    std::uint32_t frame = 100;
    std::uint64_t poll = 200;
    unsigned repeat = 1;
};

struct result {
    std::uint64_t cycles = 0, bytes = 0, consumed = 0, commands = 0;
    std::uint32_t fill = 0;
    double seconds = 0, cpu = 0;
    bool failed = false;
};

template <class VTop>
class loop {
public:
    explicit loop(const options& o) : opt_(o) {
        ctx_.fatalOnError(false);
        top_.clk_i = 1;
        top_.rst_ni = 1;
        top_.eval();
        top_.rst_ni = 0;
        top_.eval();
        top_.rst_ni = 1;
        top_.eval();
    }
    ~loop() { top_.final(); }

    result run() {
        result r;
        const std::uint64_t total = opt_.frames * opt_.frame;
        left_ = total;
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        apb(regs::ctrl::offset, true, regs::ctrl::source.mask());
        while (left_ != 0 || fill_ >= opt_.frame) {
            fill_ = apb(regs::fill::offset, false, 0);
            if (fill_ >= opt_.frame) {
                const std::uint32_t n = fill_ - fill_ % opt_.frame;
                apb(regs::arg0::offset, true, 0);
                apb(regs::arg1::offset, true, n);
                apb(regs::cmd::offset, true, static_cast<std::uint32_t>(regs::opcode::consume));
                while (regs::status::busy.get(apb(regs::status::offset, false, 0)))
                    ;
                consumed_ += n;
                ++commands_;
            }
            for (std::uint64_t i = 0; i < opt_.poll; ++i)
                cycle();
        }
        const std::chrono::duration<double> s = std::chrono::steady_clock::now() - t0;
        r.cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
        fill_ = apb(regs::fill::offset, false, 0);
        r.seconds = s.count();
        r.cycles = cycles_;
        r.bytes = total - left_;
        r.consumed = consumed_;
        r.commands = commands_;
        r.fill = fill_;
        r.failed = ctx_.gotError() || r.bytes != total || r.consumed + r.fill != total;
        return r;
    }

private:
    // One clock cycle: inputs apply with clk low, the rising edge ends the cycle. The stream byte
    // moves when tvalid and tready are both high before the edge.
    void cycle() {
        top_.s_axis_tvalid_i = left_ != 0;
        top_.s_axis_tdata_i = static_cast<std::uint8_t>(left_);
        top_.clk_i = 0;
        top_.eval();
        const bool moved = left_ != 0 && top_.s_axis_tready_o;
        top_.clk_i = 1;
        top_.eval();
        ++cycles_;
        if (moved)
            --left_;
    }

    // One APB4 transfer, setup and access cycle; returns PRDATA sampled before the access edge.
    std::uint32_t apb(std::uint32_t addr, bool write, std::uint32_t data) {
        top_.paddr_i = addr;
        top_.pwrite_i = write;
        top_.pwdata_i = write ? data : 0;
        top_.pstrb_i = write ? 0xF : 0;
        top_.psel_i = 1;
        top_.penable_i = 0;
        cycle();
        top_.penable_i = 1;
        top_.s_axis_tvalid_i = left_ != 0;
        top_.s_axis_tdata_i = static_cast<std::uint8_t>(left_);
        top_.clk_i = 0;
        top_.eval();
        const std::uint32_t rdata = top_.prdata_o;
        const bool err = top_.pslverr_o;
        const bool moved = left_ != 0 && top_.s_axis_tready_o;
        top_.clk_i = 1;
        top_.eval();
        ++cycles_;
        if (moved)
            --left_;
        top_.psel_i = 0;
        top_.penable_i = 0;
        top_.pwrite_i = 0;
        top_.pstrb_i = 0;
        if (err) {
            std::fprintf(stderr, "ppb-rtl-verilator-loop: PSLVERR at 0x%x\n", addr);
            std::exit(1);
        }
        return rdata;
    }

    options opt_;
    VerilatedContext ctx_;
    VTop top_{&ctx_, "ppb_top"};
    std::uint64_t left_ = 0, cycles_ = 0, consumed_ = 0, commands_ = 0;
    std::uint32_t fill_ = 0;
};

template <class VTop>
int run(const options& o) {
    std::vector<double> rates, cpu_rates;
    bool failed = false;
    for (unsigned i = 0; i < o.repeat; ++i) {
        loop<VTop> l(o);
        const result r = l.run();
        const double rate = static_cast<double>(r.cycles) / r.seconds;
        rates.push_back(rate);
        cpu_rates.push_back(static_cast<double>(r.cycles) / r.cpu);
        std::printf(
            "plain Verilator loop, busy stream: %llu cycles, %llu bytes in, %llu consumed by %llu CONSUMEs, "
            "FILL %u at the end, %.3f s, %.2f M cycles/s, %.2f M/CPU-s\n",
            static_cast<unsigned long long>(r.cycles), static_cast<unsigned long long>(r.bytes),
            static_cast<unsigned long long>(r.consumed), static_cast<unsigned long long>(r.commands), r.fill, r.seconds,
            rate / 1e6, cpu_rates.back() / 1e6);
        if (r.failed) {
            std::fprintf(stderr, "ppb-rtl-verilator-loop: FAILED (%s)\n",
                         r.bytes + 0 != o.frames * o.frame || r.consumed + r.fill != o.frames * o.frame
                             ? "bytes do not balance"
                             : "an RTL assertion failed");
            failed = true;
        }
    }
    std::sort(rates.begin(), rates.end());
    std::sort(cpu_rates.begin(), cpu_rates.end());
    std::printf("median %.2f M cycles/s, %.2f M/CPU-s over %zu runs\n", rates[rates.size() / 2] / 1e6,
                cpu_rates[cpu_rates.size() / 2] / 1e6, rates.size());
    return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    namespace tool = ppb::tool;
    constexpr const char* name = "ppb-rtl-verilator-loop";
    options o;
    std::string have, cmake_list;
#define PPB_CAPACITY(c)                                     \
    have += (have.empty() ? "" : ", ") + std::to_string(c); \
    cmake_list += std::to_string(c) + ";";
    PPB_RTL_FOR_EACH_CAPACITY(PPB_CAPACITY)
#undef PPB_CAPACITY
    CLI::App app{
        "Plain Verilator on the PPB RTL, no SystemC: the busy-stream workload in a C++ loop, the reference "
        "for the co-simulation's speed"};
    app.footer(
        "Exit status: 0 the bytes balance, 1 they do not or an RTL assertion failed, 2 bad input (one line "
        "on stderr).");
    tool::one_line_errors(app, name);
    tool::add_count(app, "--capacity", o.capacity, regs::capacity_min, regs::capacity_max,
                    "bytes per bank: one verilated into this build (" + have + ")");
    // Bytes streamed are frames * frame, counted in 64 bits.
    tool::add_count(app, "--frames", o.frames, 1, 1'000'000'000'000ull, "frames streamed");
    tool::add_count(app, "--frame", o.frame, 1, regs::capacity_max, "bytes per frame (at most --capacity)");
    tool::add_count(app, "--poll", o.poll, 1, 1'000'000'000, "cycles between the CPU's looks at FILL");
    tool::add_count(app, "--repeat", o.repeat, 1, 1000, "runs (the figures are medians)");
    if (const int rc = tool::parse(app, argc, argv); rc >= 0)
        return rc;
    if (o.frame > o.capacity)
        return tool::refuse(name, "--frame " + std::to_string(o.frame) + " exceeds --capacity " +
                                      std::to_string(o.capacity) + ": it must be in " +
                                      tool::range_text<std::uint64_t>(1, o.capacity));
    // The Verilated build, as the co-simulation takes it (rtl/sim/rtl_build.hpp).
    const auto build = ppb::rtl::env_rtl_build(ppb::rtl::rtl_build::checked);
    if (!build)
        return tool::refuse(name, ppb::rtl::env_rtl_build_error());
    const bool fast = *build == ppb::rtl::rtl_build::fast;
    switch (o.capacity) {
#define PPB_CAPACITY(c) \
    case c:             \
        return fast ? run<Vppb_top_##c##_fast>(o) : run<Vppb_top_##c>(o);
        PPB_RTL_FOR_EACH_CAPACITY(PPB_CAPACITY)
#undef PPB_CAPACITY
    default:
        break;
    }
    return tool::refuse(name, "--capacity " + std::to_string(o.capacity) +
                                  ": this plain-Verilator loop has the RTL verilated into the build only (" + have +
                                  "; reconfigure with -DPPB_RTL_CAPACITIES=\"" + cmake_list +
                                  std::to_string(o.capacity) + "\")");
}
