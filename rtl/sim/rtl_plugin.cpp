// The Verilated model of one CAPACITY as a plugin: compiled at run time into a shared library by
// rtl/sim/rtl_builder.cpp (the first time a platform asks the RTL engine for a CAPACITY this build
// did not verilate), with -DPPB_RTL_PLUGIN_CAPACITY=N, -DPPB_RTL_PLUGIN_BUILD=0 (checked) or 1
// (fast) and the model's generated headers on the include path. Exports the engine factory and the
// plain-Verilator loop with C linkage; the ABI is the engine interface's (rtl/sim/rtl_engine.hpp,
// plugin_abi), which the loader checks.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <verilated.h>
#include <verilated_fst_c.h>
#include PPB_RTL_PLUGIN_MODEL_HEADER       // "Vppb_top_N.h"
#include PPB_RTL_PLUGIN_MODEL_ROOT_HEADER  // "Vppb_top_N___024root.h"
#pragma GCC diagnostic pop

#include "rtl/sim/rtl_engine_impl.hpp"

namespace {
using model = PPB_RTL_PLUGIN_MODEL;  // Vppb_top_N
}

extern "C" {

unsigned ppb_rtl_plugin_abi() {
    return ppb::rtl::detail::plugin_abi;
}

std::uint32_t ppb_rtl_plugin_capacity() {
    return PPB_RTL_PLUGIN_CAPACITY;
}

// 1 for the fast build, 0 for the checked one (rtl/sim/rtl_build.hpp).
unsigned ppb_rtl_plugin_fast() {
    return PPB_RTL_PLUGIN_BUILD;
}

ppb::rtl::detail::engine* ppb_rtl_plugin_make_engine(const std::vector<std::string>* plusargs,
                                                     std::uint64_t period_ps) {
    return new ppb::rtl::detail::engine_t<model>(*plusargs, period_ps);
}

double ppb_rtl_plugin_raw_cycles_per_second(std::uint64_t cycles) {
    return ppb::rtl::detail::raw_loop<model>(cycles);
}

}  // extern "C"
