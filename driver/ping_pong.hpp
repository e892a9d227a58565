// DMF_PingPongBuffer's five Methods as a C++ interface. Two implementations: ping_pong_buffer (the
// driver over a PPB, driver/ping_pong_buffer.hpp) and native_ping_pong (DMF's semantics in host
// memory, driver/native_ping_pong.hpp). The DMF-compatible C API (driver/dmf/) runs over either.
#pragma once

#include "driver/status.hpp"

#include <cstdint>
#include <span>

namespace ppb::driver {

// Windows' POOL_TYPE values (wdm.h). The buffers live in the device or in host memory, so the pool
// only has to be one DMF would accept; paged pools need DMF_MODULE_ATTRIBUTES.PassiveLevel.
enum class pool_type : std::int32_t {
    non_paged = 0,
    paged = 1,
    non_paged_cache_aligned = 4,
    paged_cache_aligned = 5,
    non_paged_session = 32,
    paged_session = 33,
    non_paged_nx = 512,
    non_paged_nx_cache_aligned = 516,
    non_paged_session_nx = 544,
};

// True for the pool types above; false for the deprecated must-succeed pools and anything else.
bool is_valid_pool(std::int32_t value);
// True for pools that may only be touched at PASSIVE_LEVEL.
bool is_paged_pool(pool_type pool);

class ping_pong {
public:
    ping_pong() = default;
    ping_pong(const ping_pong&) = delete;
    ping_pong& operator=(const ping_pong&) = delete;
    virtual ~ping_pong() = default;

    // Get: the Ping buffer and the number of valid bytes in it (DMF's write offset).
    //   Returns ok, or an error with `ping` empty and null.
    //   ping: set to the Ping buffer's first byte and its valid size.
    //   Remarks: holds the module lock. The bytes stay valid and unchanged until the next Consume,
    //   Shift or Reset; a Write appends after them. They are for reading only.
    virtual status get(std::span<const std::uint8_t>& ping) = 0;

    // Write: appends `source` to the Ping buffer.
    //   Returns ok; insufficient_resources when FILL + size exceeds BufferSize (nothing written,
    //   result_size = FILL); invalid_device_state in stream mode.
    //   source: the bytes to append (may be empty).
    //   result_size: the Ping buffer's size after the call.
    //   Remarks: holds the module lock. Pointers returned earlier stay valid.
    virtual status write(std::span<const std::uint8_t> source, std::uint32_t& result_size) = 0;

    // Consume: takes the packet [start_offset, start_offset + packet_length) out of Ping. The bytes
    // after it move to the start of the other buffer, which becomes Ping; the packet stays where it
    // was, in what is now the Pong buffer.
    //   Returns ok; invalid_parameter when start_offset + packet_length exceeds FILL (nothing changes
    //   and `packet` is empty and null).
    //   packet: set to the packet, which starts at the Pong buffer's address plus start_offset.
    //   Remarks: holds the module lock. The packet stays valid until the next Consume, Shift or
    //   Reset. Pointers returned by earlier Get calls are no longer valid.
    virtual status consume(std::uint32_t start_offset, std::uint32_t packet_length,
                           std::span<const std::uint8_t>& packet) = 0;

    // Shift: drops Ping's first start_offset bytes; the rest moves to the start of the other
    // buffer, which becomes Ping.
    //   Returns ok; invalid_parameter when start_offset exceeds FILL (nothing changes).
    //   Remarks: holds the module lock. Pointers returned earlier are no longer valid.
    virtual status shift(std::uint32_t start_offset) = 0;

    // Reset: empties the Ping buffer (FILL = 0).
    //   Returns ok or a device error.
    //   Remarks: holds the module lock. Pointers returned earlier are no longer valid.
    virtual status reset() = 0;

    // BufferSize as opened.
    virtual std::uint32_t buffer_size() const = 0;
};

}  // namespace ppb::driver
