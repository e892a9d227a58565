// DMF_PingPongBuffer's semantics in host memory, as Dmf_PingPongBuffer.c carries them out and
// SPEC.md section 9 states them: the reference the driver is compared with, and the "native"
// backend of the DMF API (the limit for a client: no device, no bus).
#pragma once

#include "driver/ping_pong.hpp"

#include <memory>
#include <mutex>

namespace ppb::driver {

class native_ping_pong final : public ping_pong {
public:
    // Open: two zeroed buffers of buffer_size bytes.
    //   Returns ok; invalid_parameter for a buffer_size of 0 or an unknown pool;
    //   insufficient_resources when the memory cannot be had.
    static status open(std::uint32_t buffer_size, pool_type pool, std::unique_ptr<native_ping_pong>& out);

    status get(std::span<const std::uint8_t>& ping) override;
    status write(std::span<const std::uint8_t> source, std::uint32_t& result_size) override;
    status consume(std::uint32_t start_offset, std::uint32_t packet_length,
                   std::span<const std::uint8_t>& packet) override;
    status shift(std::uint32_t start_offset) override;
    status reset() override;
    std::uint32_t buffer_size() const override { return size_; }

    // The Pong buffer, for tests that compare what Consume left there.
    std::span<const std::uint8_t> pong() const;

private:
    native_ping_pong(std::uint32_t size, std::unique_ptr<std::uint8_t[]> storage);
    std::uint8_t* buffer(unsigned index) { return storage_.get() + std::size_t{index} * size_; }
    // Moves Ping[from, FILL) to the other buffer's start and makes that buffer Ping.
    void swap_keeping(std::uint32_t from);

    std::mutex mutex_;  // a host-memory module never waits inside a Method, so a std::mutex is right
    std::uint32_t size_;
    std::unique_ptr<std::uint8_t[]> storage_;
    unsigned ping_ = 0;
    std::uint32_t fill_ = 0;
};

}  // namespace ppb::driver
