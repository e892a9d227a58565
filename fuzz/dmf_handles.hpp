// What the DMF fuzz targets (dmf_differential, driver_hostile) check of handles that name no live
// module: stale ones (their module or device deleted, maybe a newer object in their place),
// forged ones (any value, an object that looks like the old layout, a live handle one bit off) and
// live ones of the other kind. Every Method must refuse them as it refuses NULL, without a bus
// access and (under ASan) without reading memory that is not the driver's.
#pragma once

#include "driver/bus.hpp"
#include "driver/dmf_device.hpp"
#include "fuzz/fuzz_util.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace ppb::fuzz {

// An object whose first word is the tag the driver once trusted as proof of a module ("PPDM"),
// and one of a device ("PPDD"), followed by bytes that are nothing.
struct lookalike {
    std::uint32_t tag;
    unsigned char rest[124] = {};
};
inline lookalike lookalike_module{0x5050444D};
inline lookalike lookalike_device{0x50504444};

inline std::uintptr_t bits_of(const void* handle) {
    return reinterpret_cast<std::uintptr_t>(handle);
}

// The handles deleted during one input, most recent last (a bounded number).
class stale_handles {
public:
    void add(const void* handle) {
        if (!handle)
            return;
        if (list_.size() == 8)
            list_.erase(list_.begin());
        list_.push_back(bits_of(handle));
    }
    bool empty() const { return list_.empty(); }
    std::uintptr_t latest() const { return list_.back(); }
    std::uintptr_t pick(std::uint8_t how) const { return list_[how % list_.size()]; }

private:
    std::vector<std::uintptr_t> list_;
};

// A handle value chosen by the input that is not one of `live` (the live modules and devices:
// a value equal to one of them becomes NULL).
inline std::uintptr_t forged_handle(byte_reader& in, const stale_handles& stale,
                                    std::initializer_list<const void*> live) {
    const std::uint8_t how = in.u8();
    std::uintptr_t v = 0;
    switch (how % 6) {
    case 0: {  // any value
        const std::uint64_t lo = in.u32();
        const std::uint64_t hi = in.u32();
        v = static_cast<std::uintptr_t>(lo | (hi << 32));
        break;
    }
    case 1: {  // a live handle one bit off
        const void* base = *(live.begin() + in.below(static_cast<std::uint32_t>(live.size())));
        v = bits_of(base) ^ (std::uintptr_t{1} << (in.u8() % (8 * sizeof(std::uintptr_t))));
        break;
    }
    case 2:
        v = bits_of(&lookalike_module);
        break;
    case 3:
        v = bits_of(&lookalike_device);
        break;
    case 4:  // an address inside some live heap object (the stale list's)
        v = bits_of(&stale) + in.u8() % 8;
        break;
    default:
        v = stale.empty() ? in.u32() : stale.pick(in.u8());
        break;
    }
    for (const void* l : live)
        if (v == bits_of(l))
            return 0;  // a live one: NULL instead, which every Method refuses too
    return v;
}

// Every Method through `handle` is refused, with no bus access (`bus` may be null). `deletable`:
// no live object of either kind has this value, so WdfObjectDelete must leave it alone too.
inline void expect_refused(const char* target, std::size_t step, std::uintptr_t handle, const driver::bus* bus,
                           bool deletable = true) {
    const auto module = reinterpret_cast<DMFMODULE>(handle);
    const driver::bus_counters before = bus ? bus->counters() : driver::bus_counters{};
    ULONG size = 5;
    PPB_FUZZ_CHECK(target, DMF_PingPongBuffer_Get(module, &size) == nullptr && size == 0,
                   "step %zu: Get through the dead handle 0x%" PRIxPTR " returned a buffer (size %u)", step, handle,
                   size);
    UCHAR byte = 0x5A;
    size = 5;
    const NTSTATUS w = DMF_PingPongBuffer_Write(module, &byte, 1, &size);
    PPB_FUZZ_CHECK(target, w == STATUS_INVALID_PARAMETER && size == 0,
                   "step %zu: Write through the dead handle 0x%" PRIxPTR " gave 0x%08" PRIx32 " size %u", step, handle,
                   static_cast<std::uint32_t>(w), size);
    PPB_FUZZ_CHECK(target, DMF_PingPongBuffer_Consume(module, 0, 0) == nullptr,
                   "step %zu: Consume through the dead handle 0x%" PRIxPTR " returned a packet", step, handle);
    DMF_PingPongBuffer_Shift(module, 0);
    DMF_PingPongBuffer_Reset(module);
    size = 5;
    const NTSTATUS wait = PpbModuleWaitForData(module, 0, 0, &size);
    PPB_FUZZ_CHECK(target, wait == STATUS_INVALID_PARAMETER && size == 0,
                   "step %zu: WaitForData through the dead handle 0x%" PRIxPTR " gave 0x%08" PRIx32, step, handle,
                   static_cast<std::uint32_t>(wait));
    PPB_FUZZ_CHECK(target, PpbModuleLastStatus(module) == STATUS_INVALID_PARAMETER,
                   "step %zu: the dead handle 0x%" PRIxPTR " has a last status", step, handle);
    PPB_FUZZ_CHECK(target, !driver::implementation_of(module) && !driver::driver_of(module),
                   "step %zu: the dead handle 0x%" PRIxPTR " has an implementation", step, handle);
    if (deletable) {
        // Neither a module nor a device: Create on it as a device is refused, deleting it does nothing.
        DMF_CONFIG_PingPongBuffer config;
        DMF_MODULE_ATTRIBUTES attributes;
        DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
        config.BufferSize = 16;
        DMFMODULE made = nullptr;
        const NTSTATUS c = DMF_PingPongBuffer_Create(reinterpret_cast<WDFDEVICE>(handle), &attributes,
                                                     WDF_NO_OBJECT_ATTRIBUTES, &made);
        PPB_FUZZ_CHECK(target, c == STATUS_INVALID_PARAMETER && made == nullptr,
                       "step %zu: Create on the dead handle 0x%" PRIxPTR " as a device gave 0x%08" PRIx32, step, handle,
                       static_cast<std::uint32_t>(c));
        WdfObjectDelete(reinterpret_cast<WDFOBJECT>(handle));
    }
    if (bus) {
        const driver::bus_counters& after = bus->counters();
        PPB_FUZZ_CHECK(target,
                       after.register_accesses() == before.register_accesses() &&
                           after.bytes_read == before.bytes_read && after.bytes_written == before.bytes_written &&
                           after.irq_waits == before.irq_waits,
                       "step %zu: a Method through the dead handle 0x%" PRIxPTR " went to the bus", step, handle);
    }
}

}  // namespace ppb::fuzz
