// The PPB driver over memory-mapped I/O, as on silicon with the peripheral's region mapped into the
// process (a UIO device's map 0). Without silicon, ppb::driver::emulated_device serves the region:
// the model's core behind mmio_bus's observer, its interrupt a UIO-like fd. Stream mode: bytes
// arrive at the stream port, the client waits for a frame's worth, takes it with Consume, and the
// program prints the registers each step cost (the sequences are in driver/README.md).
#include "DmfModules.Library.h"
#include "driver/dmf_device.hpp"
#include "driver/emulated_device.hpp"
#include "driver/mmio_bus.hpp"

#include <cstdio>
#include <cstring>
#include <vector>

namespace {

void report(const char* step, const ppb::driver::bus& io, ppb::driver::bus_counters& last) {
    const ppb::driver::bus_counters& c = io.counters();
    std::printf("  %-34s %2llu register reads, %2llu writes, %llu bank bytes read\n", step,
                static_cast<unsigned long long>(c.reg_reads - last.reg_reads),
                static_cast<unsigned long long>(c.reg_writes - last.reg_writes),
                static_cast<unsigned long long>(c.bytes_read - last.bytes_read));
    last = c;
}

}  // namespace

int main() {
    ppb::driver::emulated_device dev(4096);
    ppb::driver::mmio_options options;
    options.irq_fd = dev.irq_fd();
    options.observer = &dev;
    ppb::driver::mmio_bus io(dev.base(), dev.size(), options);
    ppb::driver::bus_counters last{};

    ppb::driver::device_options o;
    o.mode = ppb::driver::source_mode::stream;
    ppb::driver::unique_device device(ppb::driver::make_device(io, o));
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
    config.BufferSize = 512;
    DMFMODULE module = nullptr;
    if (DMF_PingPongBuffer_Create(device.get(), &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module) != STATUS_SUCCESS) {
        std::fprintf(stderr, "mmio-driver: FAIL: DMF_PingPongBuffer_Create\n");
        return 1;
    }
    std::printf("mmio-driver: DMF PingPongBuffer over mmio_bus on a 0x%zx-byte region\n", dev.size());
    report("Create (open, reset, LIMIT, source)", io, last);

    // The link delivers two 100-byte records and the start of a third.
    std::vector<std::uint8_t> stream(260);
    for (std::size_t i = 0; i < stream.size(); ++i)
        stream[i] = static_cast<std::uint8_t>(i);
    if (dev.push_stream(stream) != stream.size()) {
        std::fprintf(stderr, "mmio-driver: FAIL: the stream port refused bytes\n");
        return 1;
    }

    int failures = 0;
    for (int record = 0; record < 2; ++record) {
        ULONG size = 0;
        if (PpbModuleWaitForData(module, 100, 1000, &size) != STATUS_SUCCESS || size < 100) {
            std::fprintf(stderr, "mmio-driver: FAIL: no 100 bytes arrived (size %u)\n", size);
            return 1;
        }
        report("wait for 100 bytes (THRESHOLD irq)", io, last);
        const UCHAR* ping = DMF_PingPongBuffer_Get(module, &size);
        report("Get", io, last);
        const UCHAR* packet = DMF_PingPongBuffer_Consume(module, 0, 100);
        report("Consume(0, 100)", io, last);
        if (!ping || !packet || std::memcmp(packet, stream.data() + 100 * record, 100) != 0) {
            std::fprintf(stderr, "mmio-driver: FAIL: record %d is not the bytes sent\n", record);
            ++failures;
        }
    }
    ULONG size = 0;
    if (!DMF_PingPongBuffer_Get(module, &size) || size != 60) {
        std::fprintf(stderr, "mmio-driver: FAIL: Ping should hold the 60 bytes of the third record, has %u\n", size);
        ++failures;
    }
    if (failures)
        return 1;
    std::printf("mmio-driver: PASS (%s: the driver read the banks through the mapping, zero-copy)\n",
                ppb::driver::driver_of(module)->zero_copy() ? "direct windows" : "mirror");
    return 0;
}
