/* Devices for DMF modules, callable from C. A device made from a bus is C++
 * (ppb::driver::make_device in driver/dmf_device.hpp); the native device needs no bus. */
#ifndef PPB_DMF_DEVICE_H
#define PPB_DMF_DEVICE_H

#include "Dmf_PingPongBuffer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates a device whose PingPongBuffer modules are DMF's semantics in host memory (no PPB).
 * Returns STATUS_SUCCESS, STATUS_INVALID_PARAMETER for a NULL Device, or
 * STATUS_INSUFFICIENT_RESOURCES. Delete it with WdfObjectDelete. */
_Must_inspect_result_
NTSTATUS
PpbNativeDeviceCreate(
    _Out_ WDFDEVICE* Device
    );

/* The status of the last Method called on a module (Shift and Reset return none), as NTSTATUS. */
NTSTATUS
PpbModuleLastStatus(
    _In_ DMFMODULE DmfModule
    );

#ifdef __cplusplus
}
#endif

#endif /* PPB_DMF_DEVICE_H */
