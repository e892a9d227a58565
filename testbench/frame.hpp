// The default testbench frame format (SPEC.md section 10):
//   0x7E 0xA5 | u16 payload length (LE, 0..1500) | u16 sequence (LE) | payload | u16 CRC (LE)
// The CRC is CRC-16/CCITT-FALSE over length, sequence and payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ppb::tb {

inline constexpr std::uint8_t sync0 = 0x7E;
inline constexpr std::uint8_t sync1 = 0xA5;
inline constexpr std::size_t header_bytes = 6;  // sync, length, sequence
inline constexpr std::size_t trailer_bytes = 2;  // CRC
inline constexpr std::size_t overhead_bytes = header_bytes + trailer_bytes;
inline constexpr std::uint16_t max_payload = 1500;
inline constexpr std::size_t max_frame_bytes = overhead_bytes + max_payload;

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor. crc16("123456789") = 0x29B1.
std::uint16_t crc16_ccitt_false(std::span<const std::uint8_t> bytes, std::uint16_t crc = 0xFFFF);

// Appends one frame to `out`.
void encode_frame(std::uint16_t sequence, std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out);

// What a parser can say of the bytes at the start of a buffer that begins with the sync pair.
enum class frame_check : std::uint8_t {
    need_more,    // not enough bytes yet to decide
    bad_length,   // length field above max_payload
    bad_crc,      // whole frame present, CRC does not match
    ok,
};

struct frame_view {
    frame_check result = frame_check::need_more;
    std::size_t total = 0;  // whole frame's bytes, once the length is known
    std::uint16_t sequence = 0;
    std::span<const std::uint8_t> payload;
};

// Checks a candidate frame at the start of `bytes` (which must start with sync0, sync1).
frame_view check_frame(std::span<const std::uint8_t> bytes);

// Offset of the first sync pair in `bytes`, or of a trailing lone sync0 (which may begin a pair with
// the next byte), or bytes.size() when there is neither.
std::size_t find_sync(std::span<const std::uint8_t> bytes);

}  // namespace ppb::tb
