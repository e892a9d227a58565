// The bus seam: everything the driver knows about how it reaches a PPB (OpenTitan's mmio.h in spirit).
//
// Addresses are byte offsets from the peripheral's base (SPEC.md section 2). A backend implements
// the protected do_* functions; the public ones count what goes over the bus, so that the testbench
// and the benchmarks can print "bus accesses" whatever the backend.
//
// Backends: tlm_bus (SystemC TLM-2.0 initiator, driver/tlm_bus.hpp), mmio_bus (volatile accesses
// through a base pointer, driver/mmio_bus.hpp), and the strict mock of the unit tests.
//
// Locking: lock()/unlock() make a bus BasicLockable, and the driver holds that lock across each
// Method. The lock comes from the backend because only the backend knows what a thread is: under
// SystemC every SC_THREAD is a coroutine on one OS thread and bus accesses may wait(), so a
// std::mutex held across an access would deadlock the process when a second SC_THREAD arrives; the
// TLM backend's lock is an sc_mutex, the MMIO backend's a std::mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

namespace ppb::driver {

enum class [[nodiscard]] bus_status : std::uint8_t{
    ok,
    error,        // the target answered with an error response; nothing can be assumed about the data
    timeout,      // wait_irq: the interrupt did not come in time
    unsupported,  // the backend cannot do this (no direct pointer, no interrupt line)
};

// What went over the bus since the counters were last reset.
struct bus_counters {
    std::uint64_t reg_reads = 0;
    std::uint64_t reg_writes = 0;
    std::uint64_t burst_reads = 0;   // read_bytes calls
    std::uint64_t burst_writes = 0;  // write_bytes calls
    std::uint64_t bytes_read = 0;    // bank bytes read, by bursts and through direct windows
    std::uint64_t bytes_written = 0;
    std::uint64_t direct_bytes_read = 0;  // the part of bytes_read that went through a direct window
    std::uint64_t direct_bytes_written = 0;
    std::uint64_t errors = 0;  // accesses answered with an error
    std::uint64_t irq_waits = 0;
    std::uint64_t irq_timeouts = 0;  // waits that ended by their timeout, not by the interrupt
    std::uint64_t idle_cycles = 0;

    std::uint64_t register_accesses() const { return reg_reads + reg_writes; }
};

// A host pointer through which a range of the device's address space can be read and written
// without bus transactions (TLM DMI, or the mapped region itself). It stays valid while the bus's
// direct_generation() equals `generation`; a backend bumps the generation when it loses a grant.
struct direct_window {
    std::uint8_t* data = nullptr;  // the byte at `address`
    std::uint32_t address = 0;
    std::uint32_t size = 0;
    std::uint64_t generation = 0;
};

class bus {
public:
    bus() = default;
    bus(const bus&) = delete;
    bus& operator=(const bus&) = delete;
    virtual ~bus() = default;

    // 32-bit register access at a register offset (word-aligned, inside the register window).
    bus_status read32(std::uint32_t offset, std::uint32_t& value);
    bus_status write32(std::uint32_t offset, std::uint32_t value);

    // A burst over a bank window: `address` is the first byte's offset from the peripheral's base.
    bus_status read_bytes(std::uint32_t address, std::span<std::uint8_t> out);
    bus_status write_bytes(std::uint32_t address, std::span<const std::uint8_t> in);

    // A direct window that covers [address, address + length), or unsupported. Asking is cheap:
    // backends remember grants and refusals.
    bus_status direct(std::uint32_t address, std::uint32_t length, direct_window& out);
    std::uint64_t direct_generation() const { return generation_; }
    // Accounts for bytes that the driver or its client read or wrote through a direct window: the
    // backend charges the time the bus would have taken (TLM DMI latency) and the counters count them.
    void touch_direct(std::uint32_t address, std::uint32_t length, bool write);

    // Waits until the interrupt line is high (returns at once if it already is) or `timeout` passes.
    bus_status wait_irq(std::chrono::nanoseconds timeout);

    // Lets at least `cycles` device clock cycles pass without bus traffic (instead of polling).
    void idle(std::uint64_t cycles);
    // The device clock cycle this initiator is at: its time divided by the device's clock period.
    std::uint64_t now_cycles() const { return do_now_cycles(); }

    // How far, in device cycles, the device's state may be from this initiator's local time now
    // (temporal decoupling): a register read now may show the device as of `behind` cycles ago, and
    // the device may have taken stream bytes up to `ahead` cycles past the time of an access. With
    // it, FILL read at cycle a bounds FILL at cycle b: the stream moves at most one byte per cycle
    // (SPEC.md section 6). Empty when unknown: the driver then never relies on such a bound.
    struct time_skew {
        std::uint64_t behind = 0;
        std::uint64_t ahead = 0;
    };
    std::optional<time_skew> device_time_skew() const { return do_device_time_skew(); }

    void lock() { do_lock(); }
    void unlock() { do_unlock(); }

    const bus_counters& counters() const { return counters_; }
    void reset_counters() { counters_ = {}; }

protected:
    virtual bus_status do_read32(std::uint32_t offset, std::uint32_t& value) = 0;
    virtual bus_status do_write32(std::uint32_t offset, std::uint32_t value) = 0;
    virtual bus_status do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) = 0;
    virtual bus_status do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) = 0;
    virtual bus_status do_direct(std::uint32_t address, std::uint32_t length, direct_window& out) = 0;
    virtual void do_touch_direct(std::uint32_t address, std::uint32_t length, bool write) = 0;
    virtual bus_status do_wait_irq(std::chrono::nanoseconds timeout) = 0;
    virtual void do_idle(std::uint64_t cycles) = 0;
    virtual std::uint64_t do_now_cycles() const = 0;
    virtual std::optional<time_skew> do_device_time_skew() const { return std::nullopt; }
    virtual void do_lock() = 0;
    virtual void do_unlock() = 0;

    // For backends: every window handed out so far may be gone.
    void revoke_direct() { ++generation_; }

private:
    bus_counters counters_;
    std::uint64_t generation_ = 1;
};

}  // namespace ppb::driver
