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

}  // namespace
}  // namespace ppb::driver::test
