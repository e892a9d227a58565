// Which Verilated build of the RTL a ppb::rtl::ppb_rtl runs. Every CAPACITY is verilated twice
// from the same sources (rtl/CMakeLists.txt, and rtl_builder.cpp for the ones built on first use):
//   checked  --assert --x-assign unique --x-initial unique: the RTL's assertions run every cycle
//            (a failure is a SystemC error), X randomisation (+verilator+rand+reset) reaches the
//            model. The default: every test runs on it.
//   fast     --x-assign fast --x-initial fast, no --assert: the same cycles, register values, bus
//            and stream behaviour (CTest rtl_build.*), without the checks, for speed.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
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

// PPB_RTL_BUILD's build, `otherwise` when it is unset or empty; nothing when it names no build.
inline std::optional<rtl_build> env_rtl_build(rtl_build otherwise) {
    const char* env = std::getenv("PPB_RTL_BUILD");
    return env == nullptr || *env == '\0' ? std::optional(otherwise) : parse_rtl_build(env);
}

// Why PPB_RTL_BUILD is refused (when env_rtl_build() gave nothing).
inline std::string env_rtl_build_error() {
    const char* env = std::getenv("PPB_RTL_BUILD");
    return std::string("PPB_RTL_BUILD=") + (env != nullptr ? env : "") + ": the RTL builds are checked and fast";
}

}  // namespace ppb::rtl
