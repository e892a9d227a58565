// A bench for the driver over a device with the model's interface (the TLM model or the RTL
// wrapper): the TLM initiator the driver talks through, a stream source, and the irq line. Both
// sockets go through the base-protocol checker; a violation is an SC_REPORT_ERROR (a test failure).
#pragma once

#include "check/tlm_lt_checker.hpp"
#include "driver/tlm_bus.hpp"
#include "testbench/harness/sim_bench.hpp"

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <span>

namespace ppb::driver::test {

template <class device_type>
class driver_bench : public ppb::test::sim_bench {
public:
    device_type dut;
    tlm_bus cpu;
    tlm_utils::simple_initiator_socket<driver_bench, 32> source;
    sc_core::sc_signal<bool> irq{"irq"};
    ppb::check::tlm_lt_checker bus_check{"bus_check"};
    ppb::check::tlm_lt_checker stream_check{"stream_check"};

    driver_bench(const sc_core::sc_module_name& name, std::uint32_t capacity,
                 const sc_core::sc_time& quantum = sc_core::sc_time(1, sc_core::SC_US))
        : sim_bench(name), dut("dut", capacity), cpu("cpu", dut.clock_period()), source("source") {
        tlm::tlm_global_quantum::instance().set(quantum);  // the test is the top level
        cpu.initiator.bind(bus_check.target);
        bus_check.initiator.bind(dut.bus);
        source.bind(stream_check.target);
        stream_check.initiator.bind(dut.stream);
        dut.irq.bind(irq);
        cpu.irq.bind(irq);
    }

    // Feeds the stream port from the calling SC_THREAD, after the driver's accesses so far.
    std::size_t push(std::span<const std::uint8_t> bytes) {
        cpu.sync();
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_data_ptr(const_cast<std::uint8_t*>(bytes.data()));
        tx.set_data_length(static_cast<unsigned>(bytes.size()));
        tx.set_streaming_width(static_cast<unsigned>(bytes.size()));
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        source->b_transport(tx, delay);
        sc_core::wait(delay);
        return tx.is_response_ok() ? bytes.size() : 0;
    }
};

}  // namespace ppb::driver::test
