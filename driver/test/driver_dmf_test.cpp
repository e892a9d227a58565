// The DMF-compatible API: the C client (driver_dmf_c_client.c, compiled as C11) over a native
// device and over a PPB (the MMIO backend on the fake device), and the handle rules in C++.
#include "driver/dmf_device.hpp"
#include "driver/mmio_bus.hpp"
#include "driver/test/driver_dmf_c_client.h"
#include "driver/test/fake_device.hpp"
#include "driver/test/test_util.hpp"

#include <gtest/gtest.h>

namespace ppb::driver::test {
namespace {

void expect_dmf_semantics(const ppb_c_client_result& r) {
    EXPECT_EQ(r.create_zero_size, STATUS_INVALID_PARAMETER);
    EXPECT_EQ(r.create_paged_at_dispatch, STATUS_INVALID_PARAMETER);
    ASSERT_EQ(r.create, STATUS_SUCCESS);
    EXPECT_EQ(r.write_fits, STATUS_SUCCESS);
    EXPECT_EQ(r.size_after_write, 40u);
    EXPECT_EQ(r.write_too_big, STATUS_INSUFFICIENT_RESOURCES);
    EXPECT_EQ(r.size_after_refusal, 40u);
    EXPECT_EQ(r.get_size, 40u);
    EXPECT_TRUE(r.get_bytes_match);
    EXPECT_TRUE(r.consume_bytes_match);
    EXPECT_TRUE(r.consume_is_pong_plus_offset);
    EXPECT_TRUE(r.consume_past_fill_is_null);
    EXPECT_EQ(r.size_after_consume, 25u);
    EXPECT_TRUE(r.consume_residual_matches);
    EXPECT_EQ(r.size_after_shift, 20u);
    EXPECT_TRUE(r.shift_bytes_match);
    EXPECT_EQ(r.size_after_reset, 0u);
    EXPECT_EQ(r.cleanup_called, 1);
}

TEST(driver_dmf, c_client_over_a_native_device) {
    WDFDEVICE device = nullptr;
    ASSERT_EQ(PpbNativeDeviceCreate(&device), STATUS_SUCCESS);
    ppb_c_client_result r;
    ppb_c_client_run(device, &r);
    expect_dmf_semantics(r);
    WdfObjectDelete(device);
}

TEST(driver_dmf, c_client_over_a_ppb_behind_mmio) {
    for (const bool direct : {false, true}) {
        fake_device dev(256);
        mmio_bus io(dev.base(), dev.size(), {0, -1, true, direct, &dev});
        unique_device device(make_device(io));
        ppb_c_client_result r;
        ppb_c_client_run(device.get(), &r);
        expect_dmf_semantics(r);
        EXPECT_GT(io.counters().register_accesses(), 0u);
        // The C client's consume was zero-copy where the bus allowed it: the packet pointer was
        // Get's pointer plus the offset, which the check above holds either way.
    }
}

TEST(driver_dmf, status_values_are_windows_values) {
    EXPECT_EQ(static_cast<std::uint32_t>(STATUS_INSUFFICIENT_RESOURCES), 0xC000009Au);
    EXPECT_EQ(static_cast<std::uint32_t>(STATUS_INVALID_PARAMETER), 0xC000000Du);
    EXPECT_EQ(static_cast<std::uint32_t>(STATUS_INVALID_DEVICE_STATE), 0xC0000184u);
    EXPECT_TRUE(NT_SUCCESS(STATUS_SUCCESS));
    EXPECT_FALSE(NT_SUCCESS(STATUS_DEVICE_HARDWARE_ERROR));
    EXPECT_EQ(sizeof(ULONG), 4u);
    EXPECT_EQ(static_cast<int>(NonPagedPoolNx), 512);
    EXPECT_EQ(to_ntstatus(status::bus_error), STATUS_DEVICE_HARDWARE_ERROR);
    EXPECT_EQ(to_ntstatus(status::device_error), STATUS_DEVICE_PROTOCOL_ERROR);
    EXPECT_EQ(to_ntstatus(status::no_such_device), STATUS_NO_SUCH_DEVICE);
}

DMF_CONFIG_PingPongBuffer config_of(ULONG size, DMF_MODULE_ATTRIBUTES& attributes, DMF_CONFIG_PingPongBuffer& config) {
    DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
    config.BufferSize = size;
    return config;
}

TEST(driver_dmf, one_module_per_ppb_and_the_device_deletes_its_modules) {
    fake_device dev(64);
    mmio_bus io(dev.base(), dev.size(), {0, -1, true, true, &dev});
    WDFDEVICE device = make_device(io, {source_mode::stream, false, true});
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    config_of(64, attributes, config);
    DMFMODULE first = nullptr, second = nullptr;
    ASSERT_EQ(DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &first), STATUS_SUCCESS);
    EXPECT_EQ(DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &second),
              STATUS_INVALID_DEVICE_STATE);
    EXPECT_EQ(second, nullptr);
    ASSERT_NE(driver_of(first), nullptr);
    EXPECT_EQ(driver_of(first)->mode(), source_mode::stream);
    ULONG size = 7;
    EXPECT_EQ(DMF_PingPongBuffer_Write(first, nullptr, 0, &size), STATUS_INVALID_DEVICE_STATE);
    EXPECT_EQ(PpbModuleLastStatus(first), STATUS_INVALID_DEVICE_STATE);
    EXPECT_EQ(dev.push_stream(pattern(9)), 9u);
    UCHAR* ping = DMF_PingPongBuffer_Get(first, &size);
    ASSERT_NE(ping, nullptr);
    EXPECT_EQ(size, 9u);
    WdfObjectDelete(device);  // takes `first` with it
}

TEST(driver_dmf, buffer_size_above_capacity_is_an_invalid_parameter) {
    fake_device dev(64);
    mmio_bus io(dev.base(), dev.size(), {0, -1, true, true, &dev});
    unique_device device(make_device(io));
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    config_of(65, attributes, config);
    DMFMODULE module = nullptr;
    EXPECT_EQ(DMF_PingPongBuffer_Create(device.get(), &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(module, nullptr);
}

TEST(driver_dmf, null_and_foreign_handles_are_refused) {
    ULONG size = 5;
    EXPECT_EQ(DMF_PingPongBuffer_Get(nullptr, &size), nullptr);
    EXPECT_EQ(size, 0u);
    EXPECT_EQ(DMF_PingPongBuffer_Write(nullptr, nullptr, 0, &size), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(DMF_PingPongBuffer_Consume(nullptr, 0, 0), nullptr);
    DMF_PingPongBuffer_Shift(nullptr, 0);
    DMF_PingPongBuffer_Reset(nullptr);
    int not_a_module = 0;
    EXPECT_EQ(DMF_PingPongBuffer_Consume(reinterpret_cast<DMFMODULE>(&not_a_module), 0, 0), nullptr);
    DMFMODULE module = nullptr;
    EXPECT_EQ(DMF_PingPongBuffer_Create(nullptr, nullptr, nullptr, &module), STATUS_INVALID_PARAMETER);

    WDFDEVICE device = make_native_device();
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    config_of(8, attributes, config);
    ASSERT_EQ(DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module), STATUS_SUCCESS);
    EXPECT_EQ(DMF_PingPongBuffer_Get(module, nullptr), nullptr);
    EXPECT_EQ(DMF_PingPongBuffer_Write(module, nullptr, 3, &size), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(DMF_PingPongBuffer_Write(module, nullptr, 0, nullptr), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(driver_of(module), nullptr) << "a native module has no PPB driver";
    EXPECT_NE(implementation_of(module), nullptr);
    WdfObjectDelete(module);
    WdfObjectDelete(device);
}

// Every Method through `module` is refused, as for NULL: nothing returned, nothing written, and
// (under ASan and valgrind) nothing read from wherever the handle might point. `deletable`: the
// handle names no live object at all, so WdfObjectDelete must leave it alone as well.
void expect_refused(DMFMODULE module, bool deletable = true) {
    ULONG size = 5;
    EXPECT_EQ(DMF_PingPongBuffer_Get(module, &size), nullptr);
    EXPECT_EQ(size, 0u);
    UCHAR byte = 1;
    size = 5;
    EXPECT_EQ(DMF_PingPongBuffer_Write(module, &byte, 1, &size), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(size, 0u);
    EXPECT_EQ(DMF_PingPongBuffer_Consume(module, 0, 0), nullptr);
    DMF_PingPongBuffer_Shift(module, 0);
    DMF_PingPongBuffer_Reset(module);
    size = 5;
    EXPECT_EQ(PpbModuleWaitForData(module, 0, 0, &size), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(size, 0u);
    EXPECT_EQ(PpbModuleLastStatus(module), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(implementation_of(module), nullptr);
    EXPECT_EQ(driver_of(module), nullptr);
    if (deletable)
        WdfObjectDelete(module);  // a no-op
}

DMFMODULE create_module(WDFDEVICE device, ULONG size, WDF_OBJECT_ATTRIBUTES* object = WDF_NO_OBJECT_ATTRIBUTES) {
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    config_of(size, attributes, config);
    DMFMODULE module = nullptr;
    EXPECT_EQ(DMF_PingPongBuffer_Create(device, &attributes, object, &module), STATUS_SUCCESS);
    return module;
}

ULONG fill_of(DMFMODULE module) {
    ULONG size = 0;
    EXPECT_NE(DMF_PingPongBuffer_Get(module, &size), nullptr);
    return size;
}

TEST(driver_dmf, stale_handles_are_refused_even_when_their_slot_is_used_again) {
    WDFDEVICE device = make_native_device();
    DMFMODULE old = create_module(device, 16);
    UCHAR bytes[3] = {1, 2, 3};
    ULONG size = 0;
    ASSERT_EQ(DMF_PingPongBuffer_Write(old, bytes, 3, &size), STATUS_SUCCESS);
    WdfObjectDelete(old);
    expect_refused(old);
    // The next module may take the deleted one's place: the old handle still names nothing.
    DMFMODULE young = create_module(device, 16);
    ASSERT_NE(young, nullptr);
    EXPECT_NE(young, old);
    expect_refused(old);
    EXPECT_EQ(fill_of(young), 0u) << "the stale handle's Write or Reset reached the new module";
    ASSERT_EQ(DMF_PingPongBuffer_Write(young, bytes, 3, &size), STATUS_SUCCESS);
    DMF_PingPongBuffer_Reset(old);
    DMF_PingPongBuffer_Shift(old, 1);
    EXPECT_EQ(fill_of(young), 3u);
    // A module of a deleted device is stale too, and so is the device.
    WdfObjectDelete(device);
    expect_refused(young);
    DMFMODULE module = nullptr;
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    config_of(16, attributes, config);
    EXPECT_EQ(DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(module, nullptr);
    WdfObjectDelete(device);  // a no-op
}

TEST(driver_dmf, forged_handles_and_handles_of_the_other_kind_are_refused) {
    // What the old check accepted: anything whose first word was the module's tag ("PPDM").
    struct {
        std::uint32_t tag = 0x5050444D;
        unsigned char rest[60] = {};
    } lookalike;
    expect_refused(reinterpret_cast<DMFMODULE>(&lookalike));
    WDFDEVICE device = make_native_device();
    DMFMODULE module = create_module(device, 16);
    ASSERT_NE(module, nullptr);
    // The device as a module (WdfObjectDelete takes either kind), the module as a device.
    expect_refused(reinterpret_cast<DMFMODULE>(device), false);
    DMFMODULE other = nullptr;
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    config_of(16, attributes, config);
    EXPECT_EQ(
        DMF_PingPongBuffer_Create(reinterpret_cast<WDFDEVICE>(module), &attributes, WDF_NO_OBJECT_ATTRIBUTES, &other),
        STATUS_INVALID_PARAMETER);
    // Handles one bit away from the live one, and values no handle has.
    const auto live = reinterpret_cast<std::uintptr_t>(module);
    for (unsigned bit = 0; bit < 8 * sizeof live; ++bit)
        expect_refused(reinterpret_cast<DMFMODULE>(live ^ (std::uintptr_t{1} << bit)));
    for (const std::uintptr_t v :
         {std::uintptr_t{1}, std::uintptr_t{2}, std::uintptr_t{0x1000}, ~std::uintptr_t{0}, std::uintptr_t{0xDEADBEEF}})
        expect_refused(reinterpret_cast<DMFMODULE>(v));
    EXPECT_EQ(fill_of(module), 0u);
    EXPECT_EQ(PpbModuleLastStatus(module), STATUS_SUCCESS) << "the live module is untouched";
    WdfObjectDelete(device);
}

// Cleanup callbacks that delete what is being deleted, a sibling, or the device.
int cleanups = 0;
DMFMODULE sibling = nullptr;
WDFDEVICE parent = nullptr;
VOID delete_sibling_and_parent(WDFOBJECT object) {
    ++cleanups;
    WdfObjectDelete(object);
    WdfObjectDelete(sibling);
    WdfObjectDelete(parent);
}
VOID count_cleanup(WDFOBJECT) {
    ++cleanups;
}

TEST(driver_dmf, cleanup_callbacks_may_delete_themselves_their_siblings_and_their_device) {
    for (const bool from_module : {false, true}) {
        cleanups = 0;
        parent = make_native_device();
        WDF_OBJECT_ATTRIBUTES first_attributes, sibling_attributes;
        WDF_OBJECT_ATTRIBUTES_INIT(&first_attributes);
        WDF_OBJECT_ATTRIBUTES_INIT(&sibling_attributes);
        first_attributes.EvtCleanupCallback = &delete_sibling_and_parent;
        sibling_attributes.EvtCleanupCallback = &count_cleanup;
        sibling = create_module(parent, 16, &sibling_attributes);
        DMFMODULE first = create_module(parent, 16, &first_attributes);
        ASSERT_NE(first, nullptr);
        WdfObjectDelete(from_module ? static_cast<WDFOBJECT>(first) : static_cast<WDFOBJECT>(parent));
        EXPECT_EQ(cleanups, 2) << (from_module ? "deleting the module" : "deleting the device");
        expect_refused(first);
        expect_refused(sibling);
        WdfObjectDelete(parent);  // a no-op
    }
}

}  // namespace
}  // namespace ppb::driver::test
