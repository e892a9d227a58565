// The Verilated models behind the engine interface: the ones verilated into this build (one per
// CAPACITY in PPB_RTL_CAPACITIES), and any other CAPACITY as a plugin built on first use
// (rtl_builder.hpp). This is the only file of the library that includes the Verilated headers.
//
// The Verilated headers come first: once SystemC is included, verilated_funcs.h takes the SystemC
// branch of its time functions (these models are plain C++, built without --sc). They are
// third-party code, so the project's warnings are off for them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <verilated.h>
#include <verilated_fst_c.h>
#include "ppb_rtl_models.hpp"  // generated: the models' headers and PPB_RTL_FOR_EACH_CAPACITY
#ifdef PPB_RTL_COVERAGE
#include <verilated_cov.h>
#endif
#pragma GCC diagnostic pop

#include "rtl/sim/rtl_builder.hpp"
#include "rtl/sim/rtl_engine_impl.hpp"

namespace ppb::rtl::detail {

const std::vector<std::uint32_t>& verilated_capacities() {
    static const std::vector<std::uint32_t> caps{
#define PPB_CAPACITY(c) c,
        PPB_RTL_FOR_EACH_CAPACITY(PPB_CAPACITY)
#undef PPB_CAPACITY
    };
    return caps;
}

std::unique_ptr<engine> make_engine(std::uint32_t capacity, rtl_build build, const std::vector<std::string>& plusargs,
                                    std::uint64_t period_ps) {
    const bool fast = build == rtl_build::fast;
    switch (capacity) {
#define PPB_CAPACITY(c)                                                                  \
    case c:                                                                              \
        if (fast)                                                                        \
            return std::make_unique<engine_t<Vppb_top_##c##_fast>>(plusargs, period_ps); \
        return std::make_unique<engine_t<Vppb_top_##c>>(plusargs, period_ps);
        PPB_RTL_FOR_EACH_CAPACITY(PPB_CAPACITY)
#undef PPB_CAPACITY
    default:
        return std::unique_ptr<engine>(load_plugin(capacity, build).make(&plusargs, period_ps));
    }
}

double raw_cycles_per_second(std::uint32_t capacity, rtl_build build, std::uint64_t cycles) {
    const bool fast = build == rtl_build::fast;
    switch (capacity) {
#define PPB_CAPACITY(c) \
    case c:             \
        return fast ? raw_loop<Vppb_top_##c##_fast>(cycles) : raw_loop<Vppb_top_##c>(cycles);
        PPB_RTL_FOR_EACH_CAPACITY(PPB_CAPACITY)
#undef PPB_CAPACITY
    default:
        return load_plugin(capacity, build).raw_cycles_per_second(cycles);
    }
}

}  // namespace ppb::rtl::detail
