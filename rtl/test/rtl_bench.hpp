// The RTL tests' bench is the device tests' bench (device/test/device_bench.hpp): the same port,
// checked bindings and bench<Dut>, under the names the RTL-only suites use.
#pragma once

#include "device/test/device_bench.hpp"

namespace ppb::rtl::test {

using ppb::test::bench;
using ppb::test::bind_bus_checked;
using ppb::test::bind_stream_checked;
using ppb::test::clk;
using ppb::test::cycles;
using ppb::test::pattern;
using ppb::test::port;
using ppb::test::reset_value;
using regs::opcode;

}  // namespace ppb::rtl::test
