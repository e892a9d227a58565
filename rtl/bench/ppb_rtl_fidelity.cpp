// ppb-rtl-fidelity: runs the same workload on the TLM model and on the RTL and prints how long
// each command kept the CPU waiting on each, and the whole run's simulated time and their ratio.
// Also prints the wall-clock time each took (the model against the RTL co-simulation on the same
// workload and simulated time). Exit status 0 when every command took the same time and the
// totals are within 1%.
//
//   ppb-rtl-fidelity [--capacity N] [--frames N] [--seed N]
//
// Exit status 2 for bad input (one line on stderr).
#include "model/ppb_model.hpp"
#include "rtl/bench/rtl_bench_cli.hpp"
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/test/fidelity_workload.hpp"
#include "testbench/tool_cli.hpp"
#include "testbench/tool_systemc.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

int main(int argc, char* argv[]) {
    ppb::tool::quiet_systemc("ppb-rtl-fidelity");
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
    namespace tool = ppb::tool;
    constexpr const char* name = "ppb-rtl-fidelity";
    tool::systemc_reports_to_stderr();
    std::uint32_t capacity = 4096, frames = 2000, seed = 5;
    CLI::App app{
        "The same workload on the TLM model and on the RTL: how long each command kept the CPU waiting, "
        "and the whole run's simulated time"};
    app.footer(
        "Exit status: 0 every command took the same time and the totals are within 1%, 1 they are not, 2 bad "
        "input (one line on stderr).");
    tool::one_line_errors(app, name);
    tool::add_count(app, "--capacity", capacity, ppb::regs::capacity_min, ppb::regs::capacity_max, "bytes per bank");
    // The stream phase sends 100 bytes per frame, counted in 32 bits.
    tool::add_count(app, "--frames", frames, 1, std::numeric_limits<std::uint32_t>::max() / 100, "frames per phase");
    tool::add_count(app, "--seed", seed, 0, std::numeric_limits<std::uint32_t>::max(), "the workload's random seed");
    if (const int rc = tool::parse(app, argc, argv); rc >= 0)
        return rc;
    if (const std::string why = ppb::rtl::bench::rtl_problem(capacity); !why.empty())
        return tool::refuse(name, why);
    using namespace ppb::rtl::test;
    fidelity_bench<ppb::model::ppb_model, ppb::rtl::ppb_rtl> tb(capacity);
    fidelity_report rep;
    double model_wall = 0, rtl_wall = 0;
    const auto wall = [] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    };
    tb.run(
        [&] {
            const double t0 = wall();
            const auto m = run_fidelity_workload(tb.cpu_m, tb.src_m, capacity, frames, seed);
            const double t1 = wall();
            const auto r = run_fidelity_workload(tb.cpu_r, tb.src_r, capacity, frames, seed);
            const double t2 = wall();
            model_wall = t1 - t0;
            rtl_wall = t2 - t1;
            rep = compare(m, r);
        },
        sc_core::sc_time(1000, sc_core::SC_SEC));
    std::printf("PPB timing fidelity: CAPACITY %u, %u frames, seed %u, clock %s\n", capacity, frames, seed,
                clk.to_string().c_str());
    rep.print(stdout);
    std::printf("wall time    model %.4f s  rtl %.4f s  rtl/model %.1f\n", model_wall, rtl_wall, rtl_wall / model_wall);
    return rep.every_command_equal() && rep.within(0.01) ? 0 : 1;
}
