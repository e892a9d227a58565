// The bus seam over SystemC TLM-2.0: a loosely-timed initiator for the model's (or the RTL
// wrapper's) `bus` target socket, called from an SC_THREAD as firmware would be.
//
//   ppb::driver::tlm_bus cpu("cpu", model.clock_period());
//   cpu.initiator.bind(model.bus);
//   cpu.irq.bind(irq_signal);          // optional: without it wait_irq() is unsupported
//
// Time: every SC_THREAD that uses the bus has its own local time offset (temporal decoupling is per
// initiator thread); accesses add their annotated delay and synchronise when the global quantum (set
// by the top level, never here) is used up. The lock keeps bus time monotonic across threads: a
// thread that takes it moves its local time up to the moment the previous holder let go, as a second
// CPU would wait for the bus, so the device never sees an access earlier than one it already took
// from another thread (the model applies command results at the looker's local time).
// DMI: asked once per bank window, used for bursts with the latency the target gave per 32-bit word,
// handed to the driver as direct windows, dropped on invalidate_direct_mem_ptr (which bumps the
// seam's direct generation). Without DMI, bursts are b_transport transactions.
// Lock: an sc_mutex, so a second SC_THREAD calling the driver waits as a coroutine should.
#pragma once

#include "driver/bus.hpp"
#include "driver/timeout_waiter.hpp"

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <map>
#include <optional>

namespace ppb::driver {

class tlm_bus : public sc_core::sc_module, public bus {
public:
    tlm_utils::simple_initiator_socket<tlm_bus, 32> initiator;
    sc_core::sc_port<sc_core::sc_signal_in_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> irq;

    // clock_period: the device's clock, for now_cycles()/idle(). base: the peripheral's address in
    // the initiator's address space.
    tlm_bus(const sc_core::sc_module_name& name, const sc_core::sc_time& clock_period, std::uint64_t base = 0);

    // Waits out the calling thread's local time offset, so that SystemC's time is its time.
    void sync();
    sc_core::sc_time local_time() const;
    // The calling thread's time: SystemC's time plus its local offset.
    sc_core::sc_time current_time() const { return sc_core::sc_time_stamp() + local_time(); }
    // Adds time the caller spent (computing, in the same SC_THREAD) to the local offset.
    void advance(const sc_core::sc_time& t);

protected:
    bus_status do_read32(std::uint32_t offset, std::uint32_t& value) override;
    bus_status do_write32(std::uint32_t offset, std::uint32_t value) override;
    bus_status do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) override;
    bus_status do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) override;
    bus_status do_direct(std::uint32_t address, std::uint32_t length, direct_window& out) override;
    void do_touch_direct(std::uint32_t address, std::uint32_t length, bool write) override;
    bus_status do_wait_irq(std::chrono::nanoseconds timeout) override;
    void do_idle(std::uint64_t cycles) override;
    std::uint64_t do_now_cycles() const override;
    std::optional<time_skew> do_device_time_skew() const override;
    void do_lock() override;
    void do_unlock() override;

private:
    // One DMI grant per bank window; `asked` keeps a refusal from being asked again until a
    // transaction says DMI is allowed.
    struct grant {
        bool asked = false;
        bool valid = false;
        std::uint8_t* data = nullptr;
        std::uint64_t start = 0, end = 0;  // inclusive, in the initiator's address space
        sc_core::sc_time read_latency, write_latency;
    };

    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
    bus_status transport(tlm::tlm_command cmd, std::uint32_t address, std::uint8_t* data, std::uint32_t length);
    // The grant that covers [address, address + length), asking the target once if need be.
    grant* dmi_for(std::uint32_t address, std::uint32_t length);
    static int window_of(std::uint32_t address);
    void add_delay(const sc_core::sc_time& t);

    sc_core::sc_time period_;
    std::uint64_t base_;
    // The calling process's local offset (created at zero on first use).
    sc_core::sc_time& local();
    std::map<const sc_core::sc_object*, sc_core::sc_time> locals_;
    const sc_core::sc_object* cached_process_ = nullptr;
    sc_core::sc_time* cached_local_ = nullptr;
    sc_core::sc_time released_;  // when the last holder let go of the lock (absolute)
    sc_core::sc_mutex mutex_;
    timeout_waiter irq_wait_{"irq_wait"};  // wait_irq()'s timeout, without a queue of cancelled ones
    tlm::tlm_generic_payload tx_;          // reused by transport() unless in use
    bool tx_busy_ = false;
    grant grants_[2];
};

}  // namespace ppb::driver
