// The PPB driver: DMF_PingPongBuffer's Methods carried out over the peripheral's registers
// (SPEC.md section 9), through a bus seam (driver/bus.hpp). No SystemC here.
//
// Where the data are. With a direct window on both banks (TLM DMI, or a mapped region) the driver is
// zero-copy: Get and Consume return pointers into the banks. Otherwise it keeps a host mirror of each
// bank and reads only bytes it has not read yet: a Write's bytes are known without reading, and
// after a Consume or Shift the mirror's residual is moved host-side, as the device moved exactly
// those bytes.
//
// What it costs (registers accessed; the STATUS read happens only after a Shift or Consume):
//   host mode   Write    [STATUS] + one burst + [ARG1] + CMD       Get   nothing (mirror) or [STATUS]
//   stream mode Get      [STATUS] + [FILL] + a burst of new bytes
//   both        Consume  [STATUS] + [ARG0] + [ARG1] + CMD   Shift [STATUS] + [ARG0] + CMD   Reset [STATUS] + CMD
//   stream mode wait_for_data   nothing when the FILL the driver knows covers the need; else
//               [FILL] + [THRESHOLD] + IRQ_STATUS clear + [FILL], then the wait
// ARG0 and ARG1 hold their values (SPEC.md section 3): a value the driver wrote last is not written
// again. In stream mode Get reads FILL unless wait_for_data has seen it since the last Method (that
// value is returned: FILL as it was a few cycles earlier). wait_for_data reads FILL before arming
// only when what it knows is not a read made since the last command, and after arming (a rise past
// THRESHOLD before it is armed does not fire) only when FILL may have reached the need since it was
// read: one byte per cycle at most (SPEC.md section 6) across the bus's time skew (temporal
// decoupling); a bus that cannot bound its skew always gets both reads. IRQ_STATUS is cleared after
// THRESHOLD is armed, so that the interrupt that ends the wait means FILL rose to the need (or
// reached BufferSize): the driver takes that as FILL's value instead of reading it again.
// COMMIT and RESET are over before the next bus transfer can start (SPEC.md section 6), so nothing
// waits for them. SHIFT and CONSUME run for a time the driver predicts from section 6; the next
// Method that needs the device idles until then and reads STATUS once to check BUSY, PING_BANK and
// LAST_ERROR (a bounded poll if the device is slower than predicted).
//
// Never trusting the device: ID, VERSION and CAPACITY are checked at open; FILL above BufferSize,
// FILL falling without a command, a PING_BANK the driver did not cause, a LAST_ERROR other than OK
// and any bus error become error statuses. After such an error the driver re-reads the device's
// state (STATUS, LIMIT, CTRL, FILL) at the next Method before it does anything else.
#pragma once

#include "driver/bus.hpp"
#include "driver/ping_pong.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

namespace ppb::driver {

// Who fills Ping: the host through Write (COMMIT), or the stream port (CTRL.SOURCE). A property of
// how the device is used, not of DMF's configuration.
enum class source_mode : std::uint8_t { host, stream };

struct open_options {
    std::uint32_t buffer_size = 0;  // DMF's BufferSize: 1 .. CAPACITY
    pool_type pool = pool_type::non_paged_nx;
    source_mode mode = source_mode::host;
    bool drop_when_full = false;  // stream mode: accept and drop bytes when Ping is full (CTRL.DROP_WHEN_FULL)
    bool use_direct = true;       // zero-copy where the bus grants direct windows
};

class ping_pong_buffer final : public ping_pong {
public:
    // How many times the driver reads STATUS while waiting for one command before it gives up.
    static constexpr unsigned status_polls_max = 24;

    // Open (DMF's Create): checks ID, VERSION and CAPACITY, stops the stream, resets FILL, programs
    // LIMIT = buffer_size, disables and clears interrupts, then selects the source.
    //   Returns ok; invalid_parameter for a buffer_size of 0 or above CAPACITY, or an unknown pool;
    //   no_such_device, revision_mismatch, device_error, bus_error, timeout for a device that is
    //   not a usable PPB; insufficient_resources when the host mirror cannot be allocated.
    //   device: the bus to the peripheral; it must outlive the driver.
    //   Remarks: holds the bus lock. Call it from the thread that will call the Methods (under
    //   SystemC, an SC_THREAD).
    static status open(bus& device, const open_options& options, std::unique_ptr<ping_pong_buffer>& out);

    status get(std::span<const std::uint8_t>& ping) override;
    status write(std::span<const std::uint8_t> source, std::uint32_t& result_size) override;
    status consume(std::uint32_t start_offset, std::uint32_t packet_length,
                   std::span<const std::uint8_t>& packet) override;
    status shift(std::uint32_t start_offset) override;
    status reset() override;
    std::uint32_t buffer_size() const override { return options_.buffer_size; }

    // Waits for data (stream mode): until FILL >= min_fill or Ping is full, by the THRESHOLD and
    // FULL interrupts. Returns at once, without a bus access, when the FILL the driver knows (a
    // lower bound of the device's) already covers min_fill.
    //   Returns ok with `fill` = FILL (or that lower bound); timeout when the interrupt did not come in time (fill is
    //   FILL as last read); not_supported when the bus has no interrupt line; invalid_device_state
    //   in host mode; invalid_parameter for min_fill 0 or above BufferSize.
    //   Remarks: programs THRESHOLD and IRQ_ENABLE and clears IRQ_STATUS. Releases the lock while
    //   it waits, so other threads may call Methods meanwhile. Pointers stay valid.
    status wait_for_data(std::uint32_t min_fill, std::chrono::nanoseconds timeout, std::uint32_t& fill);

    source_mode mode() const { return options_.mode; }
    std::uint32_t capacity() const { return capacity_; }
    // True while Get and Consume return pointers into the banks rather than into the host mirror.
    bool zero_copy() const { return direct_; }
    bus& device() { return bus_; }

private:
    struct pending_command {
        std::uint32_t opcode;
        std::uint32_t from;    // Ping offset of the residual's first byte
        std::uint64_t issued;  // cycle the CMD write's transfer ended
        std::uint64_t done;    // predicted first cycle at which the results are visible
        bool verify;           // check PING_BANK and LAST_ERROR when it is over
    };

    ping_pong_buffer(bus& device, const open_options& options, std::unique_ptr<std::uint8_t[]> mirror);

    status open_sequence();
    // At the start of each Method: re-reads the device after an error, and follows changes of the
    // bus's direct windows.
    status enter();
    status resync();
    void refresh_direct();
    // Waits until the last SHIFT/CONSUME is over and checks what it did.
    status wait_idle();
    // Reads FILL and checks it against BufferSize and the lower bound the driver knows; on success
    // the lower bound becomes FILL, and the read's cycle is remembered.
    status read_fill(std::uint32_t& fill);
    // True when FILL may have reached `level` since it was last read (see bus::device_time_skew).
    bool fill_may_reach(std::uint32_t level) const;
    // Writes ARG0/ARG1 unless the register holds `value` already.
    status write_arg(std::uint32_t offset, std::optional<std::uint32_t>& shadow, std::uint32_t value);
    // Checks that Ping holds at least `end` bytes, reading FILL in stream mode when the shadow is short.
    status ensure_fill(std::uint64_t end);
    // Makes Ping[from, to) readable at base(ping_) + from: reads the bytes the mirror lacks, or
    // accounts for them through the direct window.
    status expose(std::uint32_t from, std::uint32_t to);
    // Issues SHIFT (ARG0 = from) or CONSUME (ARG0, ARG1) and swaps the host-side view.
    status issue_swap(std::uint32_t opcode, std::uint32_t start_offset, std::uint32_t packet_length);
    // An error that leaves the device's state unknown.
    status fail(status s);

    const std::uint8_t* base(unsigned bank) const;
    std::uint8_t* mirror(unsigned bank) { return mirror_.get() + std::size_t{bank} * options_.buffer_size; }
    static std::uint32_t bank_address(unsigned bank);
    std::uint64_t worst_command_cycles() const;

    bus& bus_;
    open_options options_;
    std::uint32_t capacity_ = 0;
    std::unique_ptr<std::uint8_t[]> mirror_;  // one buffer_size area per physical bank

    unsigned ping_ = 0;       // shadow of STATUS.PING_BANK
    std::uint32_t fill_ = 0;  // host mode: FILL; stream mode: a lower bound of FILL
    std::uint32_t seen_ = 0;  // Ping[0, seen_) is in the mirror (or was accounted through the window)
    std::optional<pending_command> pending_;
    bool synced_ = true;

    bool direct_ = false;
    std::uint64_t generation_ = 0;  // the bus's direct generation the windows belong to
    std::uint8_t* window_[2] = {nullptr, nullptr};

    std::optional<std::uint32_t> threshold_;  // shadows for wait_for_data; empty when unknown
    std::optional<std::uint32_t> irq_enable_;
    std::optional<std::uint32_t> arg0_, arg1_;  // what ARG0/ARG1 hold; empty when unknown
    // Stream mode: FILL as wait_for_data saw it, with no Method since: Get returns it without a read.
    bool fill_fresh_ = false;
    bool fill_was_read_ = false;         // fill_ is FILL as read, with no command since
    std::uint64_t fill_read_cycle_ = 0;  // the earliest device cycle the last FILL read may have shown
};

}  // namespace ppb::driver
