// What every device test shares: the engine its binary runs on, the bench on that engine, the
// test names and the global quanta of the timing extremes.
//
// device/test/CMakeLists.txt builds the same sources twice: ppb_device_test on the TLM model and,
// with PPB_DEVICE_RTL defined, ppb_device_rtl_test on the Verilated RTL. CTest names each test
// after its gtest name, so the two binaries' suites differ by the engine, as the cosim suites do
// (cosim, cosim_rtl): PPB_DEVICE_SUITE(bus) is device_bus on the model and device_rtl_bus on the RTL.
// A test that only one engine passes because SPEC.md leaves the behaviour open says so where it is
// compiled for that engine only.
#pragma once

#include "device/test/device_bench.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#ifdef PPB_DEVICE_RTL
#define PPB_DEVICE_SUITE(concern) device_rtl_##concern
#else
#define PPB_DEVICE_SUITE(concern) device_##concern
#endif
// INSTANTIATE_TEST_SUITE_P pastes its first two arguments into names before it expands them.
#define PPB_DEVICE_INSTANTIATE(prefix, fixture, ...) INSTANTIATE_TEST_SUITE_P(prefix, fixture, __VA_ARGS__)

namespace ppb::test {

#ifdef PPB_DEVICE_RTL
inline constexpr engine_kind engine = engine_kind::rtl;
#else
inline constexpr engine_kind engine = engine_kind::tlm;
#endif

// The bench of a device test: a DUT of `capacity` bytes per bank on this binary's engine.
class engine_bench : public device_bench {
public:
    explicit engine_bench(std::uint32_t capacity = 1024) : device_bench(engine, capacity) {}
};

// The timing extremes: a global quantum of 0 (every access synchronises), 1 us, and 1 ms (the
// stream and the CPU run far ahead of SystemC's time). Interrupts must arrive and polling must
// end in each.
inline auto quanta() {
    return ::testing::Values(sc_core::SC_ZERO_TIME, sc_core::sc_time(1, sc_core::SC_US),
                             sc_core::sc_time(1, sc_core::SC_MS));
}

inline std::string quantum_name(const ::testing::TestParamInfo<sc_core::sc_time>& i) {
    const auto us = static_cast<long long>(i.param / sc_core::sc_time(1, sc_core::SC_US));
    if (us == 0)
        return "q0";
    return us % 1000 ? "q" + std::to_string(us) + "us" : "q" + std::to_string(us / 1000) + "ms";
}

}  // namespace ppb::test
