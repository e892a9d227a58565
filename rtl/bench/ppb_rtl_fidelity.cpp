// ppb-rtl-fidelity: runs the same workload on the TLM model and on the RTL and prints how long
// each command kept the CPU waiting on each, and the whole run's simulated time and their ratio.
// Also prints the wall-clock time each took (the model against the RTL co-simulation on the same
// workload and simulated time). Exit status 0 when every command took the same time and the
// totals are within 1%.
//
//   ppb-rtl-fidelity [--capacity 1024|4096] [--frames N] [--seed N]
#include "model/ppb_model.hpp"
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/test/fidelity_workload.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int sc_main(int argc, char* argv[]) {
    std::uint32_t capacity = 4096, frames = 2000, seed = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        const auto v = static_cast<std::uint32_t>(std::strtoul(argv[i + 1], nullptr, 0));
        if (k == "--capacity")
            capacity = v;
        else if (k == "--frames")
            frames = v;
        else if (k == "--seed")
            seed = v;
        else {
            std::fprintf(stderr, "usage: ppb-rtl-fidelity [--capacity 1024|4096] [--frames N] [--seed N]\n");
            return 2;
        }
    }
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
