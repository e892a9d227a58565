// Timing fidelity: the same workload's simulated time on the TLM model and on the RTL. In host
// mode every command keeps the CPU waiting exactly as long on both, and the phase takes exactly as
// long; with the stream running as well, end to end within 1% (see fidelity_workload.hpp).
#include "model/ppb_model.hpp"
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/test/fidelity_workload.hpp"

#include <gtest/gtest.h>

namespace ppb::rtl::test {
namespace {

TEST(rtl_fidelity, every_command_takes_the_models_time_and_the_run_within_1_percent) {
    fidelity_bench<ppb::model::ppb_model, ppb_rtl> tb(4096);
    fidelity_report rep;
    tb.run(
        [&] {
            const auto m = run_fidelity_workload(tb.cpu_m, tb.src_m, 4096, 600);
            const auto r = run_fidelity_workload(tb.cpu_r, tb.src_r, 4096, 600);
            rep = compare(m, r);
        },
        sc_core::sc_time(100, sc_core::SC_SEC));
    rep.print(stdout);
    EXPECT_TRUE(rep.same_commands);
    for (const auto& [name, row] : rep.per_command) {
        EXPECT_GT(row.count, 0u) << name;
        EXPECT_EQ(row.differing, 0u) << name;
        EXPECT_EQ(row.rtl_cycles, row.model_cycles) << name;
    }
    EXPECT_EQ(rep.per_command.size(), 4u) << "every command was exercised";
    EXPECT_EQ(rep.host_ratio, 1.0) << "host phase";
    EXPECT_NEAR(rep.stream_ratio, 1.0, 0.01) << "stream phase";
    EXPECT_TRUE(rep.within(0.01)) << "rtl/model " << rep.total_ratio;
}

}  // namespace
}  // namespace ppb::rtl::test
