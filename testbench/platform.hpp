// The platform under the co-simulation's client: how bytes get into the buffer, how time passes,
// how data is awaited. Two implementations: the driver over a PPB device (either engine, picked at
// run time), and DMF's semantics in host memory (native).
#pragma once

#include "testbench/cosim.hpp"

#include "DmfModules.Library.h"

#include <systemc>

#include <cstdint>
#include <memory>

namespace ppb::tb {

class platform : public sc_core::sc_module {
public:
    using sc_core::sc_module::sc_module;

    // DMF's Create on the platform's device (from the client's SC_THREAD); module() is valid after.
    virtual NTSTATUS create() = 0;
    virtual DMFMODULE module() = 0;
    // Stream mode: offers bytes to the device's stream port; returns when all are accepted or dropped.
    virtual void stream_bytes(const std::uint8_t* data, std::size_t n) = 0;
    // The client's clock and waits.
    virtual double now() = 0;
    virtual void spend(double seconds) = 0;
    virtual void wait_for_data(std::uint32_t fill, double timeout) = 0;
    virtual void producer_wrote() = 0;  // host mode: wakes a waiting client
    virtual void wait_for_space(double timeout) = 0;
    // End-of-run figures.
    virtual std::uint64_t dropped() = 0;
    virtual void collect(cosim_result& r) = 0;
    virtual void trace(sc_core::sc_trace_file* tf) = 0;
};

// The platform for the configuration's backend.
std::unique_ptr<platform> make_platform(const sc_core::sc_module_name& name, const cosim_config& c);

// What a DMF client does to get its module: a config with BufferSize, then Create on the device.
NTSTATUS create_module(WDFDEVICE device, std::uint32_t buffer_size, DMFMODULE& module);

}  // namespace ppb::tb
