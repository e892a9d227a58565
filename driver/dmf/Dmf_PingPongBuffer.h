/* DMF_PingPongBuffer's client API over the PPB peripheral: the types, status values and Methods of
 * Microsoft DMF (Dmf_PingPongBuffer.h and the WDF/DMF declarations it relies on), so that DMF client
 * code compiles unchanged as C or C++.
 *
 * A module lives on a WDFDEVICE. Here a WDFDEVICE is made either from a bus to a PPB
 * (ppb::driver::make_device, driver/dmf_device.hpp) or as a "native" device with no hardware, where
 * the module is DMF's own semantics in host memory (PpbNativeDeviceCreate, ppb_device.h).
 *
 * Types and values are Windows' own: ULONG is 32 bits (LLP64), NTSTATUS is a signed 32-bit LONG,
 * POOL_TYPE has wdm.h's values. When windows.h/wdm.h types are already there (PPB_HAVE_WINDOWS_TYPES),
 * they are used instead. */
#ifndef PPB_DMF_PINGPONGBUFFER_H
#define PPB_DMF_PINGPONGBUFFER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef PPB_HAVE_WINDOWS_TYPES
typedef uint32_t ULONG;
typedef int32_t LONG;
typedef unsigned char UCHAR;
typedef char CHAR;
typedef UCHAR BOOLEAN;
typedef LONG NTSTATUS;
#ifndef VOID
#define VOID void
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    NonPagedPoolExecute = NonPagedPool,
    PagedPool = 1,
    NonPagedPoolMustSucceed = NonPagedPool + 2,
    DontUseThisType = 3,
    NonPagedPoolCacheAligned = NonPagedPool + 4,
    PagedPoolCacheAligned = 5,
    NonPagedPoolCacheAlignedMustS = NonPagedPool + 6,
    MaxPoolType = 7,
    NonPagedPoolBase = 0,
    NonPagedPoolBaseMustSucceed = NonPagedPoolBase + 2,
    NonPagedPoolBaseCacheAligned = NonPagedPoolBase + 4,
    NonPagedPoolBaseCacheAlignedMustS = NonPagedPoolBase + 6,
    NonPagedPoolSession = 32,
    PagedPoolSession = NonPagedPoolSession + 1,
    NonPagedPoolMustSucceedSession = PagedPoolSession + 1,
    DontUseThisTypeSession = NonPagedPoolMustSucceedSession + 1,
    NonPagedPoolCacheAlignedSession = DontUseThisTypeSession + 1,
    PagedPoolCacheAlignedSession = NonPagedPoolCacheAlignedSession + 1,
    NonPagedPoolCacheAlignedMustSSession = PagedPoolCacheAlignedSession + 1,
    NonPagedPoolNx = 512,
    NonPagedPoolNxCacheAligned = NonPagedPoolNx + 4,
    NonPagedPoolSessionNx = NonPagedPoolNx + 32
} POOL_TYPE;

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_NO_SUCH_DEVICE ((NTSTATUS)0xC000000EL)
#define STATUS_REVISION_MISMATCH ((NTSTATUS)0xC0000059L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define STATUS_DEVICE_NOT_READY ((NTSTATUS)0xC00000A3L)
#define STATUS_IO_TIMEOUT ((NTSTATUS)0xC00000B5L)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)
#define STATUS_INVALID_DEVICE_STATE ((NTSTATUS)0xC0000184L)
#define STATUS_DEVICE_PROTOCOL_ERROR ((NTSTATUS)0xC0000186L)
#define STATUS_DEVICE_HARDWARE_ERROR ((NTSTATUS)0xC0000483L)
#endif /* PPB_HAVE_WINDOWS_TYPES */

/* SAL annotations are documentation to GCC; _Must_inspect_result_ keeps its meaning. */
#ifndef _In_
#define _In_
#endif
#ifndef _In_opt_
#define _In_opt_
#endif
#ifndef _Out_
#define _Out_
#endif
#ifndef _In_reads_
#define _In_reads_(size)
#endif
#ifndef _IRQL_requires_max_
#define _IRQL_requires_max_(level)
#endif
#ifndef _Must_inspect_result_
#if defined(__GNUC__) || defined(__clang__)
#define _Must_inspect_result_ __attribute__((warn_unused_result))
#else
#define _Must_inspect_result_
#endif
#endif
#ifndef PASSIVE_LEVEL
#define PASSIVE_LEVEL 0
#endif
#ifndef DISPATCH_LEVEL
#define DISPATCH_LEVEL 2
#endif

/* WDF's object model, as much as a DMF client of this module touches. */
typedef void* WDFOBJECT;
typedef struct WDFDEVICE__* WDFDEVICE;
typedef struct DMFMODULE__* DMFMODULE;

typedef VOID (*PFN_WDF_OBJECT_CONTEXT_CLEANUP)(WDFOBJECT Object);
typedef VOID (*PFN_WDF_OBJECT_CONTEXT_DESTROY)(WDFOBJECT Object);

typedef enum _WDF_EXECUTION_LEVEL {
    WdfExecutionLevelInvalid = 0,
    WdfExecutionLevelInheritFromParent,
    WdfExecutionLevelPassive,
    WdfExecutionLevelDispatch
} WDF_EXECUTION_LEVEL;

typedef enum _WDF_SYNCHRONIZATION_SCOPE {
    WdfSynchronizationScopeInvalid = 0,
    WdfSynchronizationScopeInheritFromParent,
    WdfSynchronizationScopeDevice,
    WdfSynchronizationScopeQueue,
    WdfSynchronizationScopeNone
} WDF_SYNCHRONIZATION_SCOPE;

typedef struct _WDF_OBJECT_ATTRIBUTES {
    ULONG Size;
    PFN_WDF_OBJECT_CONTEXT_CLEANUP EvtCleanupCallback; /* called by WdfObjectDelete */
    PFN_WDF_OBJECT_CONTEXT_DESTROY EvtDestroyCallback; /* called when the object's memory goes */
    WDF_EXECUTION_LEVEL ExecutionLevel;
    WDF_SYNCHRONIZATION_SCOPE SynchronizationScope;
    WDFOBJECT ParentObject;
    size_t ContextSizeOverride;
    const void* ContextTypeInfo;
} WDF_OBJECT_ATTRIBUTES;

#define WDF_NO_OBJECT_ATTRIBUTES NULL
#define WDF_NO_HANDLE NULL

static inline VOID WDF_OBJECT_ATTRIBUTES_INIT(WDF_OBJECT_ATTRIBUTES* Attributes) {
    memset(Attributes, 0, sizeof(*Attributes));
    Attributes->Size = (ULONG)sizeof(WDF_OBJECT_ATTRIBUTES);
    Attributes->ExecutionLevel = WdfExecutionLevelInheritFromParent;
    Attributes->SynchronizationScope = WdfSynchronizationScopeInheritFromParent;
}

/* Deletes a DMFMODULE (its buffers go with it) or a WDFDEVICE (with the modules still on it). */
VOID WdfObjectDelete(_In_ WDFOBJECT Object);

typedef struct _DMF_MODULE_ATTRIBUTES {
    ULONG SizeOfHeader;
    VOID* ModuleConfigPointer;
    ULONG SizeOfModuleSpecificConfig;
    CHAR* ClientModuleInstanceName;
    /* TRUE: the module lock is a passive-level lock, as paged pools require. */
    BOOLEAN PassiveLevel;
} DMF_MODULE_ATTRIBUTES;

static inline VOID DMF_MODULE_ATTRIBUTES_INIT(_Out_ DMF_MODULE_ATTRIBUTES* ModuleAttributes, _In_ ULONG SizeOfModuleSpecificConfig) {
    memset(ModuleAttributes, 0, sizeof(*ModuleAttributes));
    ModuleAttributes->SizeOfHeader = (ULONG)sizeof(DMF_MODULE_ATTRIBUTES);
    ModuleAttributes->SizeOfModuleSpecificConfig = SizeOfModuleSpecificConfig;
}

/* Client uses this structure to configure the Module specific parameters. */
typedef struct {
    /* The size in bytes of each of the ping pong buffers. */
    ULONG BufferSize;
    /* Pool Type. Paged pools need PassiveLevel = TRUE in the Module Attributes. */
    POOL_TYPE PoolType;
} DMF_CONFIG_PingPongBuffer;

static inline VOID DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(_Out_ DMF_CONFIG_PingPongBuffer* ModuleConfig,
                                                                 _Out_ DMF_MODULE_ATTRIBUTES* ModuleAttributes) {
    memset(ModuleConfig, 0, sizeof(*ModuleConfig));
    DMF_MODULE_ATTRIBUTES_INIT(ModuleAttributes, (ULONG)sizeof(DMF_CONFIG_PingPongBuffer));
    ModuleAttributes->ModuleConfigPointer = ModuleConfig;
}

/* Creates a PingPongBuffer module on Device: on a PPB device, checks ID and VERSION, programs
 * LIMIT = BufferSize and resets FILL; on a native device, allocates two host buffers.
 * Returns STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a NULL argument, a BufferSize of 0 or above
 * the device's CAPACITY, an unknown PoolType or a paged pool without PassiveLevel;
 * STATUS_INVALID_DEVICE_STATE when a module is already open on that PPB device;
 * STATUS_NO_SUCH_DEVICE / STATUS_REVISION_MISMATCH for a device that is not a PPB this driver speaks
 * to; STATUS_DEVICE_HARDWARE_ERROR for a bus error; STATUS_DEVICE_PROTOCOL_ERROR for a device that
 * breaks its contract; STATUS_INSUFFICIENT_RESOURCES when memory cannot be had.
 * Remarks: on a PPB device, call it from the thread (SC_THREAD under SystemC) that calls the Methods. */
_IRQL_requires_max_(PASSIVE_LEVEL)
_Must_inspect_result_
NTSTATUS
DMF_PingPongBuffer_Create(
    _In_ WDFDEVICE Device,
    _In_ DMF_MODULE_ATTRIBUTES* DmfModuleAttributes,
    _In_ WDF_OBJECT_ATTRIBUTES* ObjectAttributes,
    _Out_ DMFMODULE* DmfModule
    );

/* Used by the Client when the Ping buffer is validated and its data is ready to be consumed: swaps
 * Ping and Pong; data after StartOffset + PacketLength, if any, is copied to the start of the new
 * Ping buffer first.
 * Returns the address of the packet: the Pong buffer's address plus StartOffset. NULL when
 * StartOffset + PacketLength exceeds the Ping buffer's size (nothing changes) or on a device error.
 * Remarks: holds the module lock. The packet's PacketLength bytes stay valid until the next
 * Consume, Shift or Reset; earlier Get results are no longer valid. */
_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
UCHAR*
DMF_PingPongBuffer_Consume(
    _In_ DMFMODULE DmfModule,
    _In_ ULONG StartOffset,
    _In_ ULONG PacketLength
    );

/* Returns the address of the Ping buffer and, in Size, the number of valid bytes in it.
 * Returns NULL (and Size 0) on a device error or a NULL argument.
 * Remarks: holds the module lock. The bytes stay valid and unchanged until the next Consume, Shift
 * or Reset (a Write appends after them); they are for reading only. */
_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
UCHAR*
DMF_PingPongBuffer_Get(
    _In_ DMFMODULE DmfModule,
    _Out_ ULONG* Size
    );

/* Invalidates all the data in the Ping buffer by resetting the write offset.
 * Remarks: holds the module lock. Earlier Get and Consume results are no longer valid. */
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
DMF_PingPongBuffer_Reset(
    _In_ DMFMODULE DmfModule
    );

/* Shifts all data in the Ping buffer from StartOffset on to the start of the buffer (to the start
 * of the other buffer, which becomes Ping). A StartOffset past the data changes nothing.
 * Remarks: holds the module lock. Earlier Get and Consume results are no longer valid. */
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
DMF_PingPongBuffer_Shift(
    _In_ DMFMODULE DmfModule,
    _In_ ULONG StartOffset
    );

/* Writes NumberOfBytesToWrite bytes from SourceBuffer into the Ping buffer after its data.
 * Returns STATUS_SUCCESS, with ResultSize the Ping buffer's new size;
 * STATUS_INSUFFICIENT_RESOURCES when the bytes do not fit (nothing written, ResultSize = the current
 * size); STATUS_INVALID_DEVICE_STATE when the device's stream port fills Ping;
 * STATUS_INVALID_PARAMETER for a NULL argument; a device status for a device error.
 * Remarks: holds the module lock. Earlier results stay valid. */
_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
NTSTATUS
DMF_PingPongBuffer_Write(
    _In_ DMFMODULE DmfModule,
    _In_reads_(NumberOfBytesToWrite) UCHAR* SourceBuffer,
    _In_ ULONG NumberOfBytesToWrite,
    _Out_ ULONG* ResultSize
    );

#ifdef __cplusplus
}
#endif

#endif /* PPB_DMF_PINGPONGBUFFER_H */
