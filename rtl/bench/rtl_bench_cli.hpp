// What the RTL benches check of a CAPACITY before they build anything (ppb_rtl::capacity_problem),
// named after the option that gave it.
#pragma once

#include "rtl/sim/ppb_rtl.hpp"

#include <cstdint>
#include <string>

namespace ppb::rtl::bench {

// "" or why the RTL cannot be had at `capacity`, prefixed with the option that gave it.
inline std::string capacity_problem(std::uint32_t capacity) {
    if (const std::string why = regs::capacity_error(capacity); !why.empty())
        return "--capacity: " + why;
    if (const std::string why = ppb_rtl::capacity_problem(capacity); !why.empty())
        return "--capacity " + std::to_string(capacity) + ": " + why;
    return {};
}

}  // namespace ppb::rtl::bench
