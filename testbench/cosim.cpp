// ppb-cosim's configuration rules and its one entry point (testbench/cosim.hpp). The scenario is in
// bench.cpp, the platforms in device_platform.cpp and native_platform.cpp.
#include "testbench/cosim.hpp"
#include "testbench/bench.hpp"
#include "testbench/platform.hpp"

#include "device/make_device.hpp"

namespace ppb::tb {

const char* to_string(backend_kind b) {
    switch (b) {
    case backend_kind::tlm:
        return "tlm";
    case backend_kind::rtl:
        return "rtl";
    case backend_kind::native:
        return "native";
    }
    return "?";
}
const char* to_string(source_kind s) {
    return s == source_kind::stream ? "stream" : "host";
}
const char* to_string(wait_kind w) {
    return w == wait_kind::irq ? "irq" : "poll";
}

std::string validate(const cosim_config& c) {
    if (c.backend == backend_kind::native) {
        if (auto why = device_problem(engine_kind::tlm, c.capacity); !why.empty())
            return why;
    } else if (auto why =
                   device_problem(c.backend == backend_kind::rtl ? engine_kind::rtl : engine_kind::tlm, c.capacity);
               !why.empty()) {
        return c.backend == backend_kind::rtl && !has_engine(engine_kind::rtl)
                   ? "the rtl backend was not built (Verilator was not found at configure time)"
                   : why;
    }
    const std::uint32_t bs = c.buffer_size ? c.buffer_size : c.capacity;
    if (bs > c.capacity)
        return "buffer size " + std::to_string(bs) + " exceeds the capacity " + std::to_string(c.capacity);
    if (auto t = validate(c.traffic); !t.empty())
        return t;
    const std::size_t biggest = overhead_bytes(c.traffic.crc) + c.traffic.payload_max;
    if (bs < biggest)
        return "buffer size " + std::to_string(bs) + " cannot hold the largest frame (" + std::to_string(biggest) +
               " bytes for a " + std::to_string(c.traffic.payload_max) + "-byte payload)";
    if (!(c.link_rate >= 0))
        return "link rate must not be negative (0: as fast as the port accepts)";
    if (c.chunk == 0)
        return "chunk must be at least 1 byte";
    if (c.packets == 0 && c.bytes == 0)
        return "nothing to send: give packets or bytes";
    if (!(c.clock_period > 0))
        return "clock period must be positive";
    if (c.fail_commit && (c.mode != source_kind::host || c.backend == backend_kind::native))
        return "a bus error in COMMIT (fail_commit) needs host mode on the tlm or rtl backend";
    if (!(c.quantum >= 0) || !(c.poll_interval > 0) || !(c.cost_per_packet >= 0) || !(c.cost_per_byte >= 0))
        return "quantum, poll interval and costs must not be negative (poll interval positive)";
    return {};
}

cosim_result run_cosim(const cosim_config& in) {
    cosim_config c = in;
    if (!c.buffer_size)
        c.buffer_size = c.capacity;
    if (const std::string why = validate(c); !why.empty()) {
        cosim_result r;
        r.errors.push_back(why);
        return r;
    }
    return run_bench(c);
}

std::unique_ptr<platform> make_device_platform(const sc_core::sc_module_name& name, const cosim_config& c);
std::unique_ptr<platform> make_native_platform(const sc_core::sc_module_name& name, const cosim_config& c);

std::unique_ptr<platform> make_platform(const sc_core::sc_module_name& name, const cosim_config& c) {
    return c.backend == backend_kind::native ? make_native_platform(name, c) : make_device_platform(name, c);
}

NTSTATUS create_module(WDFDEVICE device, std::uint32_t buffer_size, DMFMODULE& module) {
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
    config.BufferSize = buffer_size;
    return DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module);
}

}  // namespace ppb::tb
