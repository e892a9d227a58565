// Verilated models for the CAPACITY values a build did not verilate: verilated, compiled into a
// shared library (rtl/sim/rtl_plugin.cpp) and cached on first use, then loaded with dlopen. So the
// RTL engine takes any legal CAPACITY, as the model does; the first use of one costs a Verilator
// run and a compile (tens of seconds), every later one only the load.
//
// What it needs, found in this order:
//   the RTL sources   $PPB_RTL_SOURCES, else the installed package's share/ppb/rtl, else the source
//                     tree this library was built from
//   verilator         $PPB_VERILATOR, else the one found at configure time, else `verilator` on PATH
//   a C++ compiler    $PPB_CXX, else the one this library was built with
//   the cache         $PPB_RTL_CACHE, else $XDG_CACHE_HOME/ppb/rtl, else ~/.cache/ppb/rtl
// A cached model is keyed by everything that goes into it (CAPACITY, the build and its Verilator
// flags, the sources, the headers, the tools' versions, the plugin interface), so an edit to the
// RTL builds a new one. Builds of the same model by several processes at once (a parallel sweep)
// wait for one another.
#pragma once

#include "rtl/sim/rtl_engine.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ppb::rtl::detail {

struct plugin {
    engine* (*make)(const std::vector<std::string>* plusargs, std::uint64_t period_ps) = nullptr;
    double (*raw_cycles_per_second)(std::uint64_t cycles) = nullptr;
};

// The plugin for `capacity` in `build`, loaded (and built first if need be). Throws
// std::runtime_error saying what is missing or what failed, with the tool's last output.
const plugin& load_plugin(std::uint32_t capacity, rtl_build build);

// An empty string when plugins can be built here (sources, verilator and compiler found), else why
// not: checked before a run starts, without building anything.
std::string plugin_problem();

}  // namespace ppb::rtl::detail
