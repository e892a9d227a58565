#include "testbench/frame.hpp"

#include <array>
#include <cstring>

namespace ppb::tb {

namespace {

// Both CRCs slice by 8: eight tables, eight bytes per step (every frame is encoded once and checked
// once, so the CRC was much of ppb-cosim's own time, which hid the costs of what it measures).
// crc16_tables[k][x]: the CRC-16 register after byte x followed by k zero bytes, from 0.
constexpr std::array<std::array<std::uint16_t, 256>, 8> crc16_tables = [] {
    std::array<std::array<std::uint16_t, 256>, 8> t{};
    for (unsigned b = 0; b < 256; ++b) {
        auto crc = static_cast<std::uint16_t>(b << 8);
        for (int i = 0; i < 8; ++i)
            crc = static_cast<std::uint16_t>(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
        t[0][b] = crc;
    }
    for (unsigned k = 1; k < 8; ++k)
        for (unsigned b = 0; b < 256; ++b)
            t[k][b] = static_cast<std::uint16_t>((t[k - 1][b] << 8) ^ t[0][t[k - 1][b] >> 8]);
    return t;
}();

// crc32_tables[k][x]: the reflected CRC-32 register after byte x followed by k zero bytes, from 0.
constexpr std::array<std::array<std::uint32_t, 256>, 8> crc32_tables = [] {
    std::array<std::array<std::uint32_t, 256>, 8> t{};
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t crc = b;
        for (int i = 0; i < 8; ++i)
            crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        t[0][b] = crc;
    }
    for (unsigned k = 1; k < 8; ++k)
        for (unsigned b = 0; b < 256; ++b)
            t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
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
    const auto& t = crc16_tables;
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    for (; n >= 8; n -= 8, p += 8) {
        crc = static_cast<std::uint16_t>(t[7][(crc >> 8) ^ p[0]] ^ t[6][(crc & 0xFFu) ^ p[1]] ^ t[5][p[2]] ^
                                         t[4][p[3]] ^ t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]]);
    }
    for (; n; --n, ++p)
        crc = static_cast<std::uint16_t>((crc << 8) ^ t[0][static_cast<std::uint8_t>((crc >> 8) ^ *p)]);
    return crc;
}

std::uint32_t crc32_iso_hdlc(std::span<const std::uint8_t> bytes) {
    const auto& t = crc32_tables;
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    std::uint32_t crc = 0xFFFFFFFFu;
    for (; n >= 8; n -= 8, p += 8) {
        std::uint32_t lo = 0, hi = 0;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + 4, 4);
        lo ^= crc;  // little-endian: byte 0 of the word is the first byte
        crc = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^ t[4][lo >> 24] ^
              t[3][hi & 0xFFu] ^ t[2][(hi >> 8) & 0xFFu] ^ t[1][(hi >> 16) & 0xFFu] ^ t[0][hi >> 24];
    }
    for (; n; --n, ++p)
        crc = (crc >> 8) ^ t[0][(crc ^ *p) & 0xFFu];
    return crc ^ 0xFFFFFFFFu;
}

void encode_frame(std::uint16_t sequence, std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out,
                  frame_crc crc) {
    const std::size_t at = begin_frame(sequence, static_cast<std::uint16_t>(payload.size()), out);
    out.insert(out.end(), payload.begin(), payload.end());
    end_frame(at, out, crc);
}

std::size_t begin_frame(std::uint16_t sequence, std::uint16_t payload_length, std::vector<std::uint8_t>& out) {
    const std::size_t at = out.size();
    const std::uint8_t h[header_bytes] = {sync0,
                                          sync1,
                                          static_cast<std::uint8_t>(payload_length),
                                          static_cast<std::uint8_t>(payload_length >> 8),
                                          static_cast<std::uint8_t>(sequence),
                                          static_cast<std::uint8_t>(sequence >> 8)};
    out.insert(out.end(), h, h + header_bytes);
    return at;
}

void end_frame(std::size_t at, std::vector<std::uint8_t>& out, frame_crc crc) {
    const std::uint32_t sum = crc_of({out.data() + at + 2, out.size() - at - 2}, crc);
    for (std::size_t k = 0; k < crc_bytes(crc); ++k)
        out.push_back(static_cast<std::uint8_t>(sum >> (8 * k)));
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
