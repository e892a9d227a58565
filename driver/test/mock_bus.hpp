// A strict mock of the bus seam in the spirit of OpenTitan's mock_mmio: expectations are queued in
// order; an access that is not the next expected one, or an expectation left over at the end, fails
// the test. It also fails an access made without the bus lock held (every Method must hold it).
//
//   class driver_mock : public ppb::driver::test::mock_bus_test { ... };
//   EXPECT_READ32(regs::fill::offset, 12);
//   EXPECT_WRITE32(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::commit));
#pragma once

#include "driver/bus.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace ppb::driver::test {

class mock_bus final : public bus {
public:
    enum class kind : std::uint8_t { read32, write32, read_bytes, write_bytes, wait_irq };

    struct expectation {
        kind what;
        std::uint32_t address;
        std::uint32_t value;             // read32: returned; write32: expected
        std::vector<std::uint8_t> data;  // read_bytes: returned; write_bytes: expected
        bus_status result;
        const char* file;
        int line;
    };

    ~mock_bus() override;

    void expect(expectation e) { queue_.push_back(std::move(e)); }
    // Fails the test for every expectation not met yet, and forgets them.
    void verify();
    bool empty() const { return queue_.empty(); }

    // Direct windows on both banks (each at least `size` bytes), until revoked.
    void offer_direct(std::uint8_t* bank0, std::uint8_t* bank1, std::uint32_t size);
    void revoke();

    // The time skew the bus reports (unknown until set: the driver then always reads FILL).
    void set_time_skew(std::optional<time_skew> skew) { skew_ = skew; }

    std::uint64_t idled() const { return counters().idle_cycles; }
    std::uint64_t touched_read() const { return counters().direct_bytes_read; }

protected:
    bus_status do_read32(std::uint32_t offset, std::uint32_t& value) override;
    bus_status do_write32(std::uint32_t offset, std::uint32_t value) override;
    bus_status do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) override;
    bus_status do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) override;
    bus_status do_direct(std::uint32_t address, std::uint32_t length, direct_window& out) override;
    void do_touch_direct(std::uint32_t, std::uint32_t, bool) override {}
    bus_status do_wait_irq(std::chrono::nanoseconds timeout) override;
    void do_idle(std::uint64_t cycles) override { now_ += cycles; }
    std::uint64_t do_now_cycles() const override { return now_; }
    std::optional<time_skew> do_device_time_skew() const override { return skew_; }
    void do_lock() override;
    void do_unlock() override;

private:
    // The next expectation if it is of this kind at this address; fails the test otherwise.
    const expectation* next(kind what, std::uint32_t address, const std::string& actual);
    void require_lock(const std::string& actual, bool held);

    std::deque<expectation> queue_;
    expectation current_{};
    std::uint64_t now_ = 0;
    std::optional<time_skew> skew_;
    int locked_ = 0;
    std::uint8_t* windows_[2] = {nullptr, nullptr};
    std::uint32_t window_size_ = 0;
};

std::string to_string(mock_bus::kind k);

// A fixture owning a mock bus named bus_, for the EXPECT_* macros below.
class mock_bus_test : public ::testing::Test {
protected:
    void TearDown() override { bus_.verify(); }
    mock_bus bus_;
};

}  // namespace ppb::driver::test

#define PPB_MOCK_EXPECT(kind_, address_, value_, data_, result_)                                   \
    bus_.expect({::ppb::driver::test::mock_bus::kind::kind_, static_cast<std::uint32_t>(address_), \
                 static_cast<std::uint32_t>(value_), data_, result_, __FILE__, __LINE__})
#define EXPECT_READ32(offset, value) PPB_MOCK_EXPECT(read32, offset, value, {}, ::ppb::driver::bus_status::ok)
#define EXPECT_WRITE32(offset, value) PPB_MOCK_EXPECT(write32, offset, value, {}, ::ppb::driver::bus_status::ok)
#define EXPECT_READ32_ERROR(offset) PPB_MOCK_EXPECT(read32, offset, 0, {}, ::ppb::driver::bus_status::error)
#define EXPECT_WRITE32_ERROR(offset, value) \
    PPB_MOCK_EXPECT(write32, offset, value, {}, ::ppb::driver::bus_status::error)
#define EXPECT_READ_BYTES(address, bytes) PPB_MOCK_EXPECT(read_bytes, address, 0, bytes, ::ppb::driver::bus_status::ok)
#define EXPECT_WRITE_BYTES(address, bytes) \
    PPB_MOCK_EXPECT(write_bytes, address, 0, bytes, ::ppb::driver::bus_status::ok)
#define EXPECT_WRITE_BYTES_ERROR(address, bytes) \
    PPB_MOCK_EXPECT(write_bytes, address, 0, bytes, ::ppb::driver::bus_status::error)
#define EXPECT_WAIT_IRQ(result) PPB_MOCK_EXPECT(wait_irq, 0, 0, {}, result)
