// What the RTL benches share: what they check of a CAPACITY (ppb_rtl::capacity_problem, named after
// the option that gave it) and of the Verilated build (ppb_rtl::build_problem) before they build
// anything, and how their initiators ready the payload each thread reuses.
#pragma once

#include "rtl/sim/ppb_rtl.hpp"

#include <tlm>

#include <cstdint>
#include <string>

namespace ppb::rtl::bench {

// "" or why the RTL cannot be had at `capacity` (prefixed with the option that gave it) or in the
// build the environment chooses.
inline std::string rtl_problem(std::uint32_t capacity) {
    if (const std::string why = regs::capacity_error(capacity); !why.empty())
        return "--capacity: " + why;
    if (const std::string why = ppb_rtl::capacity_problem(capacity); !why.empty())
        return "--capacity " + std::to_string(capacity) + ": " + why;
    return ppb_rtl::build_problem();  // PPB_RTL_BUILD and PPB_RTL_PLUSARGS
}

// Readies `tx`, a payload one initiator thread reuses (constructing one per transaction allocates
// its extension array, which costs more than the model's handling of it): every attribute is set
// again, the byte enables and the DMI hint a target may have left included.
inline tlm::tlm_generic_payload& reuse(tlm::tlm_generic_payload& tx, tlm::tlm_command command, std::uint64_t address,
                                       unsigned char* data, unsigned length) {
    tx.set_command(command);
    tx.set_address(address);
    tx.set_data_ptr(data);
    tx.set_data_length(length);
    tx.set_streaming_width(length);
    tx.set_byte_enable_ptr(nullptr);
    tx.set_dmi_allowed(false);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    return tx;
}

}  // namespace ppb::rtl::bench
