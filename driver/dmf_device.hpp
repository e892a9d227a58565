// C++ side of the DMF-compatible API (driver/dmf/Dmf_PingPongBuffer.h): devices made from a bus,
// and access from a DMFMODULE to the C++ driver behind it.
//
//   ppb::driver::tlm_bus cpu("cpu", model.clock_period());      // or an mmio_bus
//   WDFDEVICE device = ppb::driver::make_device(cpu, {.mode = ppb::driver::source_mode::stream});
//   DMF_CONFIG_PingPongBuffer config;
//   DMF_MODULE_ATTRIBUTES attributes;
//   DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
//   config.BufferSize = 4096;
//   DMFMODULE module;
//   NTSTATUS s = DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module);
//   ...
//   WdfObjectDelete(device);  // deletes the module too
#pragma once

#include "driver/bus.hpp"
#include "driver/ping_pong_buffer.hpp"
#include "driver/status.hpp"

#include "Dmf_PingPongBuffer.h"
#include "ppb_device.h"

#include <memory>

namespace ppb::driver {

struct device_options {
    source_mode mode = source_mode::host;
    bool drop_when_full = false;  // stream mode: CTRL.DROP_WHEN_FULL
    bool use_direct = true;       // zero-copy where the bus grants direct windows
};

// A device whose PingPongBuffer module drives the PPB behind `device` (one module at a time).
// The bus must outlive the WDFDEVICE. Returns nullptr when memory cannot be had.
WDFDEVICE make_device(bus& device, const device_options& options = {});
// A device whose modules are DMF's semantics in host memory.
WDFDEVICE make_native_device();

struct device_deleter {
    void operator()(WDFDEVICE device) const { WdfObjectDelete(device); }
};
using unique_device = std::unique_ptr<WDFDEVICE__, device_deleter>;

// The implementation behind a module (nullptr for an invalid handle).
ping_pong* implementation_of(DMFMODULE module);
// The PPB driver behind a module on a bus device, for what DMF has no Method for (wait_for_data,
// the bus counters); nullptr for native modules and invalid handles.
ping_pong_buffer* driver_of(DMFMODULE module);
// The status of the last Method called on the module.
status last_status(DMFMODULE module);

NTSTATUS to_ntstatus(status s);

}  // namespace ppb::driver
