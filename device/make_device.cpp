#include "device/make_device.hpp"
#include "model/ppb_model.hpp"
#ifdef PPB_HAVE_RTL
#include "rtl/sim/ppb_rtl.hpp"
#endif

#include <stdexcept>

namespace ppb {

bool has_engine(engine_kind e) {
#ifdef PPB_HAVE_RTL
    return e == engine_kind::tlm || e == engine_kind::rtl;
#else
    return e == engine_kind::tlm;
#endif
}

std::string device_problem(engine_kind e, std::uint32_t capacity) {
    if (!has_engine(e))
        return std::string("this build has no ") + to_string(e) +
               " engine (the rtl engine needs Verilator at configure time)";
    if (std::string why = regs::capacity_error(capacity); !why.empty())
        return why;
#ifdef PPB_HAVE_RTL
    if (e == engine_kind::rtl)
        return rtl::ppb_rtl::capacity_problem(capacity);
#endif
    return {};
}

std::unique_ptr<ppb_device> make_device(engine_kind e, const sc_core::sc_module_name& name, std::uint32_t capacity,
                                        const sc_core::sc_time& clock_period) {
    switch (e) {
    case engine_kind::tlm:
        return std::make_unique<model::ppb_model>(name, capacity, clock_period);
    case engine_kind::rtl:
#ifdef PPB_HAVE_RTL
        return std::make_unique<rtl::ppb_rtl>(name, capacity, clock_period);
#else
        break;
#endif
    }
    throw std::invalid_argument(std::string("ppb: this build has no ") + to_string(e) +
                                " engine (the rtl engine needs Verilator at configure time)");
}

}  // namespace ppb
