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

/* Waits until the module's Ping buffer holds at least MinimumSize bytes, or is full, by the PPB's
 * THRESHOLD and FULL interrupts: for a module whose device's stream port fills Ping (DMF has no
 * Method for it: a DMF client is told of new data by its own device's interrupt).
 * Returns STATUS_SUCCESS with *Size the bytes Ping holds (at least MinimumSize, or BufferSize; more
 * may have arrived since); STATUS_IO_TIMEOUT when TimeoutMicroseconds passed first (*Size as last
 * known); STATUS_INVALID_DEVICE_STATE for a module whose host fills Ping (Write);
 * STATUS_NOT_SUPPORTED for a native module or a bus without an interrupt line;
 * STATUS_INVALID_PARAMETER for an invalid handle, a NULL Size, or a MinimumSize of 0 or above
 * BufferSize; a device status for a device error.
 * Remarks: returns at once, without a bus access, when the size the driver knows already covers
 * MinimumSize. Releases the module's lock while it waits; pointers Get returned stay valid. */
_Must_inspect_result_
NTSTATUS
PpbModuleWaitForData(
    _In_ DMFMODULE DmfModule,
    _In_ ULONG MinimumSize,
    _In_ ULONG TimeoutMicroseconds,
    _Out_ ULONG* Size
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
