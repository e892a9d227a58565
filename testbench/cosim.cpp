// ppb-cosim's configuration rules and its one entry point (testbench/cosim.hpp). The scenario is in
// bench.cpp, the platforms in device_platform.cpp and native_platform.cpp.
#include "testbench/cosim.hpp"
#include "testbench/bench.hpp"
#include "testbench/platform.hpp"

#include "device/make_device.hpp"
#ifdef PPB_HAVE_RTL
#include "rtl/sim/fst_merge.hpp"
#endif

#include <cstdio>

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

namespace {

std::string range(std::uint64_t lo, std::uint64_t hi) {
    return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::string vcd_file(const std::string& trace) {
    return ends_with(trace, ".vcd") ? trace : trace + ".vcd";
}

// The ranges of single options are ppb-cosim's (its --help); these are the rules between options,
// and those only the engines know.
std::string validate(const cosim_config& c) {
    const engine_kind engine = c.backend == backend_kind::rtl ? engine_kind::rtl : engine_kind::tlm;
    if (c.backend == backend_kind::rtl && !has_engine(engine_kind::rtl))
        return "--backend rtl: this build has no rtl backend (Verilator was not found at configure time)";
    if (const std::string why = regs::capacity_error(c.capacity); !why.empty())
        return "--capacity: " + why;
    if (const std::string why = device_problem(engine, c.capacity); !why.empty())
        return "--backend " + std::string(to_string(c.backend)) + " --capacity " + std::to_string(c.capacity) + ": " +
               why;
    const std::uint32_t bs = c.buffer_size ? c.buffer_size : c.capacity;
    if (bs > c.capacity)
        return "--buffer-size " + std::to_string(bs) + " exceeds --capacity " + std::to_string(c.capacity) +
               ": BufferSize must be in " + range(1, c.capacity);
    if (auto t = validate(c.traffic); !t.empty())
        return t;
    const std::size_t biggest = overhead_bytes(c.traffic.crc) + c.traffic.payload_max;
    if (bs < biggest)
        return "--buffer-size " + std::to_string(bs) + " cannot hold the largest frame (" + std::to_string(biggest) +
               " bytes for a " + std::to_string(c.traffic.payload_max) +
               "-byte --payload-max): BufferSize must be in " + range(biggest, c.capacity) +
               (biggest > c.capacity ? " (raise --capacity too)" : "");
    if (!(c.link_rate >= 0))
        return "--link-rate must not be negative (0: as fast as the port accepts)";
    if (c.link_rate > 0 && c.link_rate < 1e3)
        return "--link-rate: a paced link needs at least 0.001 MB/s (0: unpaced, as fast as the port accepts)";
    if (c.chunk == 0)
        return "--chunk must be at least 1 byte";
    if (c.packets == 0 && c.bytes == 0)
        return "nothing to send: give --packets or --bytes of at least 1";
    // The device clock in SystemC's time resolution (1 ps by default): what rounds to nothing is no clock.
    const sc_core::sc_time resolution = sc_core::sc_get_time_resolution();
    if (!(c.clock_period > 0) || sc_core::sc_time(c.clock_period, sc_core::SC_SEC) < resolution)
        return "--clock must be at least the time resolution, " + resolution.to_string();
    if (!(c.poll_interval > 0) || sc_core::sc_time(c.poll_interval, sc_core::SC_SEC) < resolution)
        return "--poll-interval must be at least the time resolution, " + resolution.to_string();
    if (c.reset_after && !c.bytes && c.reset_after > c.packets)
        return "--reset-after " + std::to_string(c.reset_after) + " exceeds --packets " + std::to_string(c.packets) +
               ": the Reset would never happen; it must be in " + range(1, c.packets);
    if (!c.trace_rtl.empty() && c.backend != backend_kind::rtl)
        return "--trace-rtl needs --backend rtl (the " + std::string(to_string(c.backend)) +
               " backend has no RTL signals; --trace writes its waveform)";
    if (!c.trace_rtl.empty() && !ends_with(c.trace_rtl, ".fst"))
        return "--trace-rtl '" + c.trace_rtl + "': the file's name must end in .fst (it is an FST waveform)";
    if (!c.trace.empty() && !c.trace_rtl.empty() && vcd_file(c.trace) == c.trace_rtl)
        return "--trace and --trace-rtl name the same file " + c.trace_rtl;
    if (c.fail_commit && (c.mode != source_kind::host || c.backend == backend_kind::native))
        return "a bus error in COMMIT (fail_commit) needs host mode on the tlm or rtl backend";
    if (!(c.quantum >= 0) || !(c.cost_per_packet >= 0) || !(c.cost_per_byte >= 0))
        return "--quantum, --cost-per-packet and --cost-per-byte must not be negative";
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
    if (c.trace_rtl.empty())
        return run_bench(c);
#ifdef PPB_HAVE_RTL
    // --trace-rtl: the engine writes the RTL's signals to one part, SystemC the transaction-level
    // ones to a VCD (--trace's, or another part); once the run is over and both are closed (the
    // bench and its device are gone), they become one FST. The parts go in any case.
    struct parts {
        std::string rtl, vcd;
        bool keep_vcd = false;
        ~parts() {
            std::remove(rtl.c_str());
            if (!keep_vcd)
                std::remove(vcd.c_str());
        }
    } p{c.trace_rtl + ".rtl-part", {}, !c.trace.empty()};
    const std::string out = c.trace_rtl;
    if (c.trace.empty())
        c.trace = c.trace_rtl + ".tlm-part.vcd";
    p.vcd = vcd_file(c.trace);
    c.trace_rtl = p.rtl;
    cosim_result r = run_bench(c);
    try {
        rtl::merge_vcd_into_fst(p.rtl, p.vcd, out);
    } catch (const std::exception& e) {
        r.errors.push_back(std::string("--trace-rtl: ") + e.what());
    }
    return r;
#else
    cosim_result r;
    r.errors.push_back("--trace-rtl needs the rtl backend, which this build does not have");
    return r;
#endif
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
