#include "testbench/frame.hpp"

#include <array>
#include <cstring>

namespace ppb::tb {

namespace {

// CRC-16/CCITT-FALSE a byte at a time: the bitwise loop was most of ppb-cosim's own run time (every
// frame is encoded once and checked at least once), which hid the costs of what it measures.
constexpr std::array<std::uint16_t, 256> crc_table = [] {
    std::array<std::uint16_t, 256> t{};
    for (unsigned b = 0; b < 256; ++b) {
        auto crc = static_cast<std::uint16_t>(b << 8);
        for (int i = 0; i < 8; ++i)
            crc = static_cast<std::uint16_t>(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
        t[b] = crc;
    }
    return t;
}();

constexpr std::array<std::uint32_t, 256> crc32_table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t crc = b;
        for (int i = 0; i < 8; ++i)
            crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        t[b] = crc;
    }
    return t;
}();

std::uint32_t crc_of(std::span<const std::uint8_t> bytes, frame_crc c) {
    return c == frame_crc::crc32 ? crc32_iso_hdlc(bytes) : crc16_ccitt_false(bytes);
}

}  // namespace

const char* to_string(frame_crc c) {
    return c == frame_crc::crc32 ? "crc32" : "crc16";
}

std::uint16_t crc16_ccitt_false(std::span<const std::uint8_t> bytes, std::uint16_t crc) {
    for (const std::uint8_t b : bytes)
        crc = static_cast<std::uint16_t>((crc << 8) ^ crc_table[static_cast<std::uint8_t>((crc >> 8) ^ b)]);
    return crc;
}

std::uint32_t crc32_iso_hdlc(std::span<const std::uint8_t> bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const std::uint8_t b : bytes)
        crc = (crc >> 8) ^ crc32_table[(crc ^ b) & 0xFFu];
    return crc ^ 0xFFFFFFFFu;
}

void encode_frame(std::uint16_t sequence, std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out,
                  frame_crc crc) {
    const auto len = static_cast<std::uint16_t>(payload.size());
    const std::size_t at = out.size();
    out.resize(at + overhead_bytes(crc) + len);
    std::uint8_t* p = out.data() + at;
    p[0] = sync0;
    p[1] = sync1;
    p[2] = static_cast<std::uint8_t>(len);
    p[3] = static_cast<std::uint8_t>(len >> 8);
    p[4] = static_cast<std::uint8_t>(sequence);
    p[5] = static_cast<std::uint8_t>(sequence >> 8);
    if (len)
        std::memcpy(p + header_bytes, payload.data(), len);
    const std::uint32_t sum = crc_of({p + 2, std::size_t{4} + len}, crc);
    for (std::size_t k = 0; k < crc_bytes(crc); ++k)
        p[header_bytes + len + k] = static_cast<std::uint8_t>(sum >> (8 * k));
}

frame_view check_frame(std::span<const std::uint8_t> b, frame_crc crc) {
    const auto verdict = [](frame_check r, std::size_t total = 0) {
        frame_view v;
        v.result = r;
        v.total = total;
        return v;
    };
    if (b.size() < header_bytes)
        return verdict(frame_check::need_more);
    const std::uint16_t len = static_cast<std::uint16_t>(b[2] | (b[3] << 8));
    if (len > max_payload)
        return verdict(frame_check::bad_length);
    const std::size_t total = overhead_bytes(crc) + len;
    if (b.size() < total)
        return verdict(frame_check::need_more, total);
    const std::uint32_t want = crc_of(b.subspan(2, std::size_t{4} + len), crc);
    std::uint32_t got = 0;
    for (std::size_t k = 0; k < crc_bytes(crc); ++k)
        got |= std::uint32_t{b[header_bytes + len + k]} << (8 * k);
    if (want != got)
        return verdict(frame_check::bad_crc, total);
    return {frame_check::ok, total, static_cast<std::uint16_t>(b[4] | (b[5] << 8)), b.subspan(header_bytes, len)};
}

std::size_t find_sync(std::span<const std::uint8_t> b) {
    for (std::size_t i = 0; i + 1 < b.size(); ++i) {
        const void* hit = std::memchr(b.data() + i, sync0, b.size() - i);
        if (!hit)
            return b.size();
        i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - b.data());
        if (i + 1 == b.size())
            return i;  // a lone sync0 at the end may pair with the next byte
        if (b[i + 1] == sync1)
            return i;
    }
    return !b.empty() && b.back() == sync0 ? b.size() - 1 : b.size();
}

}  // namespace ppb::tb
