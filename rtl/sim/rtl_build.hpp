// Which Verilated build of the RTL a ppb::rtl::ppb_rtl runs. Every CAPACITY is verilated twice
// from the same sources (rtl/CMakeLists.txt, and rtl_builder.cpp for the ones built on first use):
//   checked  --assert --x-assign unique --x-initial unique: the RTL's assertions run every cycle
//            (a failure is a SystemC error), X randomisation (+verilator+rand+reset) reaches the
//            model. The default: every test runs on it.
//   fast     --x-assign fast --x-initial fast, no --assert: the same cycles, register values, bus
//            and stream behaviour (CTest rtl_build.*), without the checks, for speed.
#pragma once

#include <optional>
#include <string_view>

namespace ppb::rtl {

enum class rtl_build { checked, fast };

constexpr const char* to_string(rtl_build b) {
    return b == rtl_build::fast ? "fast" : "checked";
}

// "checked" or "fast" (as PPB_RTL_BUILD spells them); nothing for anything else.
constexpr std::optional<rtl_build> parse_rtl_build(std::string_view s) {
    if (s == "checked")
        return rtl_build::checked;
    if (s == "fast")
        return rtl_build::fast;
    return std::nullopt;
}

}  // namespace ppb::rtl
