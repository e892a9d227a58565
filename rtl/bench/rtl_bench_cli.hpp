// What the RTL benches check of a CAPACITY (ppb_rtl::capacity_problem, named after the option that
// gave it) and of the Verilated build (ppb_rtl::build_problem) before they build anything.
#pragma once

#include "rtl/sim/ppb_rtl.hpp"

#include <cstdint>
#include <string>

namespace ppb::rtl::bench {

// "" or why the RTL cannot be had at `capacity` (prefixed with the option that gave it) or in the
// build the environment chooses.
inline std::string rtl_problem(std::uint32_t capacity) {
    if (const std::string why = regs::capacity_error(capacity); !why.empty())
        return "--capacity: " + why;
    if (const std::string why = ppb_rtl::capacity_problem(capacity); !why.empty())
        return "--capacity " + std::to_string(capacity) + ": " + why;
    return ppb_rtl::build_problem();  // PPB_RTL_BUILD and PPB_RTL_PLUSARGS
}

}  // namespace ppb::rtl::bench
