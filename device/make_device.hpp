// Picks a PPB's engine at run time: the behavioural TLM model, or the Verilated RTL when this build
// has it (Verilator found at configure time).
#pragma once

#include "device/ppb_device.hpp"

#include <memory>
#include <string>

namespace ppb {

// Whether this build has the engine.
bool has_engine(engine_kind e);

// What stops a PPB with engine `e` and `capacity` from being made (an engine this build lacks, a
// CAPACITY outside SPEC.md section 1, or, for the RTL, one neither built in nor buildable on demand
// because Verilator or the compiler is missing), or an empty string.
std::string device_problem(engine_kind e, std::uint32_t capacity);

// A PPB named `name` with the engine `e`. Throws std::invalid_argument for an engine this build
// does not have, a CAPACITY outside SPEC.md section 1 (or, for the RTL, one that can neither be
// found built in nor be verilated on demand), or a zero clock period; the message says which.
std::unique_ptr<ppb_device> make_device(engine_kind e, const sc_core::sc_module_name& name,
                                        std::uint32_t capacity = regs::capacity_default,
                                        const sc_core::sc_time& clock_period = sc_core::sc_time(10, sc_core::SC_NS));

}  // namespace ppb
