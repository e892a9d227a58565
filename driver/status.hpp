// Results of the driver's calls. Every fallible call returns one, and the compiler insists that the
// caller looks at it.
#pragma once

#include <cstdint>
#include <string_view>

namespace ppb::driver {

enum class [[nodiscard]] status : std::uint8_t{
    ok,
    invalid_parameter,       // an argument is out of range; nothing was done
    insufficient_resources,  // a Write that does not fit, or host memory could not be allocated
    invalid_device_state,    // the Method is not allowed in this mode (Write in stream mode)
    no_such_device,          // ID is not PPB's
    revision_mismatch,       // VERSION's major is not the one this driver speaks
    bus_error,               // the bus answered an access with an error
    device_error,            // the device broke the contract (FILL out of range, a swap or error it was not asked for)
    timeout,                 // BUSY did not fall, or the interrupt did not come, in time
    not_supported,           // the bus cannot do this (no interrupt line)
};

constexpr std::string_view to_string(status s) {
    switch (s) {
    case status::ok:
        return "ok";
    case status::invalid_parameter:
        return "invalid_parameter";
    case status::insufficient_resources:
        return "insufficient_resources";
    case status::invalid_device_state:
        return "invalid_device_state";
    case status::no_such_device:
        return "no_such_device";
    case status::revision_mismatch:
        return "revision_mismatch";
    case status::bus_error:
        return "bus_error";
    case status::device_error:
        return "device_error";
    case status::timeout:
        return "timeout";
    case status::not_supported:
        return "not_supported";
    }
    return "unknown";
}

}  // namespace ppb::driver
