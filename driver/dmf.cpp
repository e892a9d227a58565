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

struct object_header {
    PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup = nullptr;
    PFN_WDF_OBJECT_CONTEXT_DESTROY destroy = nullptr;
    bool deleting = false;  // WdfObjectDelete is under way (a cleanup callback may delete it again)
};

struct module_object;

struct device_object {
    object_header header;
    WDFDEVICE handle = nullptr;
    ppb::driver::bus* bus = nullptr;  // null for a native device
    ppb::driver::device_options options;
    std::mutex modules_mutex;  // never held across a bus access
    std::vector<module_object*> modules;
};

struct module_object {
    object_header header;
    DMFMODULE handle = nullptr;
    device_object* device = nullptr;
    std::unique_ptr<ppb::driver::ping_pong> impl;
    ppb::driver::ping_pong_buffer* driver = nullptr;
    std::atomic<ppb::driver::status> last{ppb::driver::status::ok};
};

// Handles. A WDFDEVICE or DMFMODULE is not the object's address but a token (as WDF's handles are
// not plain pointers either): the kind, a slot of this table and the slot's generation. Every
// Method looks its handle up here, by value, before it touches anything, so a stale handle (its
// object deleted, whatever lives at that address now, a newer object in the same slot), a forged
// one, or one of the other kind is refused without reading freed or foreign memory. No token is
// NULL (slot 0 is never used) and none is an aligned address (a pointer's low bits are no kind).
enum class handle_kind : std::uintptr_t { device = 1, module = 2 };

class handle_table {
public:
    static constexpr unsigned kind_bits = 3;
    static constexpr unsigned slot_bits = sizeof(std::uintptr_t) == 8 ? 29 : 13;
    static constexpr unsigned generation_bits = sizeof(std::uintptr_t) * 8 - kind_bits - slot_bits;
    static constexpr std::uintptr_t slot_mask = (std::uintptr_t{1} << slot_bits) - 1;
    static constexpr std::uintptr_t generation_mask =
        generation_bits >= sizeof(std::uintptr_t) * 8 ? ~std::uintptr_t{0} : (std::uintptr_t{1} << generation_bits) - 1;

    // A token for `object`, or 0 when every slot is taken.
    std::uintptr_t add(void* object, handle_kind k) {
        const std::lock_guard guard(mutex_);
        std::size_t i;
        if (!free_.empty()) {
            i = free_.back();
            free_.pop_back();
        } else if (slots_.size() <= slot_mask) {
            i = slots_.size();
            slots_.emplace_back();
        } else {
            return 0;
        }
        slot& e = slots_[i];
        e.object = object;
        e.type = k;
        return static_cast<std::uintptr_t>(k) | (i << kind_bits) | (e.generation << (kind_bits + slot_bits));
    }

    // The live object of kind `k` whose token is `token`, or nullptr.
    void* find(std::uintptr_t token, handle_kind k) const {
        if ((token & ((std::uintptr_t{1} << kind_bits) - 1)) != static_cast<std::uintptr_t>(k))
            return nullptr;
        const std::size_t i = (token >> kind_bits) & slot_mask;
        const std::uintptr_t generation = token >> (kind_bits + slot_bits);
        const std::lock_guard guard(mutex_);
        if (i == 0 || i >= slots_.size())
            return nullptr;
        const slot& e = slots_[i];
        return e.object && e.type == k && e.generation == generation ? e.object : nullptr;
    }

    // The token stops naming anything, now and when its slot is used again.
    void remove(std::uintptr_t token) {
        const std::size_t i = (token >> kind_bits) & slot_mask;
        const std::lock_guard guard(mutex_);
        slot& e = slots_.at(i);
        e.object = nullptr;
        e.generation = (e.generation + 1) & generation_mask;
        free_.push_back(i);
    }

private:
    struct slot {
        void* object = nullptr;
        handle_kind type = handle_kind::device;
        std::uintptr_t generation = 0;
    };
    mutable std::mutex mutex_;
    std::vector<slot> slots_{1};  // slot 0 is never handed out
    std::vector<std::size_t> free_;
};

// Never destroyed: a static object's destructor may still delete a device at exit.
handle_table& handles() {
    static auto* table = new handle_table;
    return *table;
}

std::uintptr_t token(const void* handle) {
    return reinterpret_cast<std::uintptr_t>(handle);
}

}  // namespace

namespace ppb::driver {

namespace {

module_object* checked(DMFMODULE module) {
    return static_cast<module_object*>(handles().find(token(module), handle_kind::module));
}

device_object* checked(WDFDEVICE device) {
    return static_cast<device_object*>(handles().find(token(device), handle_kind::device));
}

status remember(module_object* m, status s) {
    m->last.store(s, std::memory_order_relaxed);
    return s;
}

// Runs the callbacks (the handle still valid in them), then the handle stops naming anything.
void destroy_module(module_object* m) {
    m->header.deleting = true;
    if (m->header.cleanup)
        m->header.cleanup(m->handle);
    if (m->header.destroy)
        m->header.destroy(m->handle);
    handles().remove(token(m->handle));
    delete m;
}

WDFDEVICE register_device(device_object* d) {
    if (!d)
        return nullptr;
    d->handle = reinterpret_cast<WDFDEVICE>(handles().add(d, handle_kind::device));
    if (!d->handle) {
        delete d;
        return nullptr;
    }
    return d->handle;
}

}  // namespace

WDFDEVICE make_device(bus& device, const device_options& options) {
    auto* d = new (std::nothrow) device_object;
    if (d) {
        d->bus = &device;
        d->options = options;
    }
    return register_device(d);
}

WDFDEVICE make_native_device() {
    return register_device(new (std::nothrow) device_object);
}

ping_pong* implementation_of(DMFMODULE module) {
    module_object* m = checked(module);
    return m ? m->impl.get() : nullptr;
}

ping_pong_buffer* driver_of(DMFMODULE module) {
    module_object* m = checked(module);
    return m ? m->driver : nullptr;
}

status last_status(DMFMODULE module) {
    module_object* m = checked(module);
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
    module_object* m = checked(DmfModule);
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
    // Anything that is not a live handle (NULL, stale, forged) is left alone.
    if (module_object* m = checked(static_cast<DMFMODULE>(Object))) {
        if (m->header.deleting)
            return;
        if (device_object* d = m->device) {
            const std::lock_guard guard(d->modules_mutex);
            std::erase(d->modules, m);
        }
        destroy_module(m);
    } else if (device_object* d = checked(static_cast<WDFDEVICE>(Object))) {
        if (d->header.deleting)
            return;
        d->header.deleting = true;
        // One child at a time, taken off the list first: a child's cleanup callback may delete a
        // sibling (which takes it off the list) or the device (which is already being deleted).
        for (;;) {
            module_object* child = nullptr;
            {
                const std::lock_guard guard(d->modules_mutex);
                if (d->modules.empty())
                    break;
                child = d->modules.back();
                d->modules.pop_back();
            }
            destroy_module(child);
        }
        if (d->header.cleanup)
            d->header.cleanup(d->handle);
        handles().remove(token(d->handle));
        delete d;
    }
}

NTSTATUS DMF_PingPongBuffer_Create(WDFDEVICE Device, DMF_MODULE_ATTRIBUTES* DmfModuleAttributes,
                                   WDF_OBJECT_ATTRIBUTES* ObjectAttributes, DMFMODULE* DmfModule) {
    if (!DmfModule)
        return STATUS_INVALID_PARAMETER;
    *DmfModule = nullptr;
    device_object* d = checked(Device);
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

    std::unique_ptr<module_object> m(new (std::nothrow) module_object);
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
    m->handle = reinterpret_cast<DMFMODULE>(handles().add(m.get(), handle_kind::module));
    if (!m->handle)
        return STATUS_INSUFFICIENT_RESOURCES;
    {
        const std::lock_guard guard(d->modules_mutex);
        if (d->bus && !d->modules.empty()) {
            handles().remove(token(m->handle));
            return STATUS_INVALID_DEVICE_STATE;  // another thread opened one meanwhile
        }
        d->modules.push_back(m.get());
    }
    *DmfModule = m.release()->handle;
    return STATUS_SUCCESS;
}

UCHAR* DMF_PingPongBuffer_Get(DMFMODULE DmfModule, ULONG* Size) {
    module_object* m = checked(DmfModule);
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
    module_object* m = checked(DmfModule);
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
    module_object* m = checked(DmfModule);
    if (!m)
        return nullptr;
    std::span<const std::uint8_t> packet;
    if (remember(m, m->impl->consume(StartOffset, PacketLength, packet)) != status::ok)
        return nullptr;
    return const_cast<UCHAR*>(packet.data());
}

VOID DMF_PingPongBuffer_Shift(DMFMODULE DmfModule, ULONG StartOffset) {
    if (module_object* m = checked(DmfModule))
        m->last.store(m->impl->shift(StartOffset), std::memory_order_relaxed);
}

VOID DMF_PingPongBuffer_Reset(DMFMODULE DmfModule) {
    if (module_object* m = checked(DmfModule))
        m->last.store(m->impl->reset(), std::memory_order_relaxed);
}

}  // extern "C"
// NOLINTEND(readability-identifier-naming)
