// The default testbench frame format (SPEC.md section 10):
//   0x7E 0xA5 | u16 payload length (LE, 0..1500) | u16 sequence (LE) | payload | CRC (LE)
// The CRC covers length, sequence and payload. SPEC.md's default is CRC-16/CCITT-FALSE; the
// testbench also offers CRC-32 (ISO-HDLC, as in Ethernet) so that a resynchronising parser's false
// accepts (a candidate that is no sent frame but whose CRC matches by chance) become negligible:
// each candidate that is not a frame passes a w-bit CRC with probability 2^-w.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ppb::tb {

enum class frame_crc : std::uint8_t {
    crc16,  // CRC-16/CCITT-FALSE, 2 bytes (SPEC.md section 10)
    crc32,  // CRC-32/ISO-HDLC, 4 bytes
};

inline constexpr std::uint8_t sync0 = 0x7E;
inline constexpr std::uint8_t sync1 = 0xA5;
inline constexpr std::size_t header_bytes = 6;  // sync, length, sequence
inline constexpr std::uint16_t max_payload = 1500;

constexpr std::size_t crc_bytes(frame_crc c) {
    return c == frame_crc::crc32 ? 4 : 2;
}
constexpr unsigned crc_bits(frame_crc c) {
    return static_cast<unsigned>(8 * crc_bytes(c));
}
// Bytes a frame adds to its payload: header and CRC.
constexpr std::size_t overhead_bytes(frame_crc c) {
    return header_bytes + crc_bytes(c);
}
constexpr std::size_t max_frame_bytes(frame_crc c) {
    return overhead_bytes(c) + max_payload;
}
const char* to_string(frame_crc c);

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor. crc16("123456789") = 0x29B1.
std::uint16_t crc16_ccitt_false(std::span<const std::uint8_t> bytes, std::uint16_t crc = 0xFFFF);
// CRC-32/ISO-HDLC: poly 0x04C11DB7 reflected, init and final xor 0xFFFFFFFF. crc32("123456789") = 0xCBF43926.
std::uint32_t crc32_iso_hdlc(std::span<const std::uint8_t> bytes);

// Appends one frame to `out`.
void encode_frame(std::uint16_t sequence, std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out,
                  frame_crc crc);
// The same in two steps, for a payload written straight into `out`: begin_frame appends the header
// and returns where the frame starts; the caller appends payload_length bytes; end_frame appends the
// CRC over length, sequence and payload.
std::size_t begin_frame(std::uint16_t sequence, std::uint16_t payload_length, std::vector<std::uint8_t>& out);
void end_frame(std::size_t at, std::vector<std::uint8_t>& out, frame_crc crc);

// What a parser can say of the bytes at the start of a buffer that begins with the sync pair.
enum class frame_check : std::uint8_t {
    need_more,   // not enough bytes yet to decide
    bad_length,  // length field above max_payload
    bad_crc,     // whole frame present, CRC does not match
    ok,
};

struct frame_view {
    frame_check result = frame_check::need_more;
    std::size_t total = 0;  // whole frame's bytes, once the length is known
    std::uint16_t sequence = 0;
    std::span<const std::uint8_t> payload;
};

// Checks a candidate frame at the start of `bytes` (which must start with sync0, sync1).
frame_view check_frame(std::span<const std::uint8_t> bytes, frame_crc crc);

// Offset of the first sync pair in `bytes`, or of a trailing lone sync0 (which may begin a pair with
// the next byte), or bytes.size() when there is neither.
std::size_t find_sync(std::span<const std::uint8_t> bytes);

}  // namespace ppb::tb
