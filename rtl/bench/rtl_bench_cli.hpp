// What the RTL benches check of a CAPACITY before they build anything: the register description's
// rule, and that this build can have the RTL for it (verilated in, or built on first use).
#pragma once

#include "rtl/sim/ppb_rtl.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace ppb::rtl::bench {

// "" or why the RTL cannot be had at `capacity`, prefixed with the option that gave it.
inline std::string capacity_problem(std::uint32_t capacity) {
    if (const std::string why = regs::capacity_error(capacity); !why.empty())
        return "--capacity: " + why;
    const auto& built = ppb_rtl::capacities();
    if (std::find(built.begin(), built.end(), capacity) != built.end())
        return {};
    if (const std::string why = ppb_rtl::on_demand_problem(); !why.empty()) {
        std::string have;
        for (const auto c : built)
            have += (have.empty() ? "" : ", ") + std::to_string(c);
        return "--capacity " + std::to_string(capacity) + ": this build verilated the RTL for " + have +
               " only, and cannot build others: " + why;
    }
    return {};
}

}  // namespace ppb::rtl::bench
