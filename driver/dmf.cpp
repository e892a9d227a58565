// DMF_PingPongBuffer's C API over ppb::driver::ping_pong (the PPB driver or the native reference),
// with the little of WDF's object model that its clients use: devices, modules, WdfObjectDelete.
#include "driver/dmf_device.hpp"
#include "driver/native_ping_pong.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <new>
#include <vector>

namespace {

// Handles are checked against these before use, so that a stale or foreign handle is refused
// rather than followed.
constexpr std::uint32_t device_tag = 0x50504444;  // "PPDD"
constexpr std::uint32_t module_tag = 0x5050444D;  // "PPDM"

struct object_header {
    std::uint32_t tag;
    PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup = nullptr;
    PFN_WDF_OBJECT_CONTEXT_DESTROY destroy = nullptr;
};

}  // namespace

struct WDFDEVICE__ {
    object_header header{device_tag};
    ppb::driver::bus* bus = nullptr;  // null for a native device
    ppb::driver::device_options options;
    std::mutex modules_mutex;  // never held across a bus access
    std::vector<DMFMODULE__*> modules;
};

struct DMFMODULE__ {
    object_header header{module_tag};
    WDFDEVICE__* device = nullptr;
    std::unique_ptr<ppb::driver::ping_pong> impl;
    ppb::driver::ping_pong_buffer* driver = nullptr;
    std::atomic<ppb::driver::status> last{ppb::driver::status::ok};
};

namespace ppb::driver {

namespace {

DMFMODULE__* checked(DMFMODULE module) {
    return module && module->header.tag == module_tag ? module : nullptr;
}

WDFDEVICE__* checked(WDFDEVICE device) {
    return device && device->header.tag == device_tag ? device : nullptr;
}

status remember(DMFMODULE__* m, status s) {
    m->last.store(s, std::memory_order_relaxed);
    return s;
}

void destroy_module(DMFMODULE__* m) {
    if (m->header.cleanup)
        m->header.cleanup(m);
    if (m->header.destroy)
        m->header.destroy(m);
    m->header.tag = 0;
    delete m;
}

}  // namespace

WDFDEVICE make_device(bus& device, const device_options& options) {
    auto* d = new (std::nothrow) WDFDEVICE__;
    if (d) {
        d->bus = &device;
        d->options = options;
    }
    return d;
}

WDFDEVICE make_native_device() {
    return new (std::nothrow) WDFDEVICE__;
}

ping_pong* implementation_of(DMFMODULE module) {
    DMFMODULE__* m = checked(module);
    return m ? m->impl.get() : nullptr;
}

ping_pong_buffer* driver_of(DMFMODULE module) {
    DMFMODULE__* m = checked(module);
    return m ? m->driver : nullptr;
}

status last_status(DMFMODULE module) {
    DMFMODULE__* m = checked(module);
    return m ? m->last.load(std::memory_order_relaxed) : status::invalid_parameter;
}

NTSTATUS to_ntstatus(status s) {
    switch (s) {
    case status::ok:
        return STATUS_SUCCESS;
    case status::invalid_parameter:
        return STATUS_INVALID_PARAMETER;
    case status::insufficient_resources:
        return STATUS_INSUFFICIENT_RESOURCES;
    case status::invalid_device_state:
        return STATUS_INVALID_DEVICE_STATE;
    case status::no_such_device:
        return STATUS_NO_SUCH_DEVICE;
    case status::revision_mismatch:
        return STATUS_REVISION_MISMATCH;
    case status::bus_error:
        return STATUS_DEVICE_HARDWARE_ERROR;
    case status::device_error:
        return STATUS_DEVICE_PROTOCOL_ERROR;
    case status::timeout:
        return STATUS_IO_TIMEOUT;
    case status::not_supported:
        return STATUS_NOT_SUPPORTED;
    }
    return STATUS_UNSUCCESSFUL;
}

}  // namespace ppb::driver

using namespace ppb::driver;

// DMF's C API: its names, types and parameter names are DMF's, not this tree's.
// NOLINTBEGIN(readability-identifier-naming)
extern "C" {

NTSTATUS PpbNativeDeviceCreate(WDFDEVICE* Device) {
    if (!Device)
        return STATUS_INVALID_PARAMETER;
    *Device = make_native_device();
    return *Device ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS PpbModuleWaitForData(DMFMODULE DmfModule, ULONG MinimumSize, ULONG TimeoutMicroseconds, ULONG* Size) {
    DMFMODULE__* m = checked(DmfModule);
    if (Size)
        *Size = 0;
    if (!m)
        return STATUS_INVALID_PARAMETER;
    if (!Size)
        return to_ntstatus(remember(m, status::invalid_parameter));
    if (!m->driver)
        return to_ntstatus(remember(m, status::not_supported));
    std::uint32_t fill = 0;
    const status s = m->driver->wait_for_data(MinimumSize, std::chrono::microseconds(TimeoutMicroseconds), fill);
    *Size = fill;
    return to_ntstatus(remember(m, s));
}

NTSTATUS PpbModuleLastStatus(DMFMODULE DmfModule) {
    return to_ntstatus(last_status(DmfModule));
}

VOID WdfObjectDelete(WDFOBJECT Object) {
    if (!Object)
        return;
    const std::uint32_t tag = static_cast<const object_header*>(Object)->tag;
    if (tag == module_tag) {
        auto* m = static_cast<DMFMODULE__*>(Object);
        if (WDFDEVICE__* d = m->device) {
            const std::lock_guard guard(d->modules_mutex);
            std::erase(d->modules, m);
        }
        destroy_module(m);
    } else if (tag == device_tag) {
        auto* d = static_cast<WDFDEVICE__*>(Object);
        std::vector<DMFMODULE__*> children;
        {
            const std::lock_guard guard(d->modules_mutex);
            children.swap(d->modules);
        }
        for (DMFMODULE__* m : children)
            destroy_module(m);
        if (d->header.cleanup)
            d->header.cleanup(d);
        d->header.tag = 0;
        delete d;
    }
}

NTSTATUS DMF_PingPongBuffer_Create(WDFDEVICE Device, DMF_MODULE_ATTRIBUTES* DmfModuleAttributes,
                                   WDF_OBJECT_ATTRIBUTES* ObjectAttributes, DMFMODULE* DmfModule) {
    if (!DmfModule)
        return STATUS_INVALID_PARAMETER;
    *DmfModule = nullptr;
    WDFDEVICE__* d = checked(Device);
    if (!d || !DmfModuleAttributes || !DmfModuleAttributes->ModuleConfigPointer ||
        DmfModuleAttributes->SizeOfHeader != sizeof(DMF_MODULE_ATTRIBUTES) ||
        DmfModuleAttributes->SizeOfModuleSpecificConfig != sizeof(DMF_CONFIG_PingPongBuffer))
        return STATUS_INVALID_PARAMETER;
    const DMF_CONFIG_PingPongBuffer config =
        *static_cast<const DMF_CONFIG_PingPongBuffer*>(DmfModuleAttributes->ModuleConfigPointer);
    if (!is_valid_pool(config.PoolType))
        return STATUS_INVALID_PARAMETER;
    const auto pool = static_cast<pool_type>(config.PoolType);
    // DMF_MODULE_OPTIONS_DISPATCH_MAXIMUM: paged buffers need a passive-level module lock.
    if (is_paged_pool(pool) && !DmfModuleAttributes->PassiveLevel)
        return STATUS_INVALID_PARAMETER;
    if (ObjectAttributes && ObjectAttributes->Size != sizeof(WDF_OBJECT_ATTRIBUTES))
        return STATUS_INVALID_PARAMETER;

    std::unique_ptr<DMFMODULE__> m(new (std::nothrow) DMFMODULE__);
    if (!m)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (d->bus) {
        {
            const std::lock_guard guard(d->modules_mutex);
            if (!d->modules.empty())
                return STATUS_INVALID_DEVICE_STATE;  // one PPB, one module
        }
        std::unique_ptr<ping_pong_buffer> driver;
        const open_options o{config.BufferSize, pool, d->options.mode, d->options.drop_when_full,
                             d->options.use_direct};
        if (const status s = ping_pong_buffer::open(*d->bus, o, driver); s != status::ok)
            return to_ntstatus(s);
        m->driver = driver.get();
        m->impl = std::move(driver);
    } else {
        std::unique_ptr<native_ping_pong> native;
        if (const status s = native_ping_pong::open(config.BufferSize, pool, native); s != status::ok)
            return to_ntstatus(s);
        m->impl = std::move(native);
    }
    if (ObjectAttributes) {
        m->header.cleanup = ObjectAttributes->EvtCleanupCallback;
        m->header.destroy = ObjectAttributes->EvtDestroyCallback;
    }
    m->device = d;
    {
        const std::lock_guard guard(d->modules_mutex);
        if (d->bus && !d->modules.empty())
            return STATUS_INVALID_DEVICE_STATE;  // another thread opened one meanwhile
        d->modules.push_back(m.get());
    }
    *DmfModule = m.release();
    return STATUS_SUCCESS;
}

UCHAR* DMF_PingPongBuffer_Get(DMFMODULE DmfModule, ULONG* Size) {
    DMFMODULE__* m = checked(DmfModule);
    if (Size)
        *Size = 0;
    if (!m)
        return nullptr;
    if (!Size) {
        m->last.store(status::invalid_parameter, std::memory_order_relaxed);
        return nullptr;
    }
    std::span<const std::uint8_t> ping;
    if (remember(m, m->impl->get(ping)) != status::ok)
        return nullptr;
    *Size = static_cast<ULONG>(ping.size());
    // DMF hands out UCHAR*; the bytes are the client's to read (see the header).
    return const_cast<UCHAR*>(ping.data());
}

NTSTATUS DMF_PingPongBuffer_Write(DMFMODULE DmfModule, UCHAR* SourceBuffer, ULONG NumberOfBytesToWrite,
                                  ULONG* ResultSize) {
    DMFMODULE__* m = checked(DmfModule);
    if (ResultSize)
        *ResultSize = 0;
    if (!m)
        return STATUS_INVALID_PARAMETER;
    if (!ResultSize || (!SourceBuffer && NumberOfBytesToWrite))
        return to_ntstatus(remember(m, status::invalid_parameter));
    std::uint32_t result = 0;
    const status s = m->impl->write({SourceBuffer, NumberOfBytesToWrite}, result);
    *ResultSize = result;
    return to_ntstatus(remember(m, s));
}

UCHAR* DMF_PingPongBuffer_Consume(DMFMODULE DmfModule, ULONG StartOffset, ULONG PacketLength) {
    DMFMODULE__* m = checked(DmfModule);
    if (!m)
        return nullptr;
    std::span<const std::uint8_t> packet;
    if (remember(m, m->impl->consume(StartOffset, PacketLength, packet)) != status::ok)
        return nullptr;
    return const_cast<UCHAR*>(packet.data());
}

VOID DMF_PingPongBuffer_Shift(DMFMODULE DmfModule, ULONG StartOffset) {
    if (DMFMODULE__* m = checked(DmfModule))
        m->last.store(m->impl->shift(StartOffset), std::memory_order_relaxed);
}

VOID DMF_PingPongBuffer_Reset(DMFMODULE DmfModule) {
    if (DMFMODULE__* m = checked(DmfModule))
        m->last.store(m->impl->reset(), std::memory_order_relaxed);
}

}  // extern "C"
// NOLINTEND(readability-identifier-naming)
