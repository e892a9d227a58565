#include "testbench/traffic.hpp"

#include <algorithm>
#include <cstring>

namespace ppb::tb {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint8_t not_sync(std::uint8_t b) {
    return b == sync0 ? static_cast<std::uint8_t>(sync0 + 1) : b;
}

}  // namespace

std::string validate(const traffic_config& c) {
    // Named as ppb-cosim's options, with what they accept.
    const auto range = [](std::size_t lo, std::size_t hi) {
        return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    };
    if (c.payload_min > c.payload_max)
        return "--payload-min " + std::to_string(c.payload_min) + " exceeds --payload-max " +
               std::to_string(c.payload_max) + ": it must be in " + range(0, c.payload_max);
    if (c.payload_max > max_payload)
        return "--payload-max " + std::to_string(c.payload_max) + " exceeds the frame format's largest " +
               "payload: it must be in " + range(c.payload_min, max_payload);
    if (!(c.noise_probability >= 0.0 && c.noise_probability <= 1.0))
        return "--noise must be in [0, 1]";
    if (!(c.corrupt_probability >= 0.0 && c.corrupt_probability <= 1.0))
        return "--corrupt must be in [0, 1]";
    if (c.noise_probability > 0 && c.noise_max == 0)
        return "--noise-max 0 with --noise above 0: a noise run needs --noise-max of at least 1";
    return {};
}

namespace {

// Eight payload bytes from one splitmix64 draw, none of them sync0: a byte equal to 0x7E becomes 0x7F
// (SWAR: the bytes of r ^ 0x7E7E.. that are zero mark them; adding 1 there never carries).
std::uint64_t payload_word(std::uint64_t& state) {
    const std::uint64_t r = splitmix64(state);
    constexpr std::uint64_t ones = 0x0101010101010101ull, low7 = 0x7F7F7F7F7F7F7F7Full;
    const std::uint64_t x = r ^ (ones * sync0);
    const std::uint64_t zero = ~(((x & low7) + low7) | x | low7);  // 0x80 in each byte of x that is 0
    return r + (zero >> 7);
}

void append_payload(std::uint64_t seed, std::uint64_t index, std::uint16_t length, std::uint8_t* out) {
    std::uint64_t state = seed * 0xD1B54A32D192ED03ull ^ index;
    std::size_t i = 0;
    for (; i + 8 <= length; i += 8) {
        const std::uint64_t w = payload_word(state);
        std::memcpy(out + i, &w, 8);  // little-endian: byte k of the word is payload byte i + k
    }
    if (i < length) {
        const std::uint64_t w = payload_word(state);
        std::memcpy(out + i, &w, length - i);
    }
}

}  // namespace

void make_payload(std::uint64_t seed, std::uint64_t index, std::uint16_t length, std::vector<std::uint8_t>& out) {
    out.resize(length);
    append_payload(seed, index, length, out.data());
}

traffic_generator::traffic_generator(const traffic_config& c) : cfg_(c), rng_(c.seed) {}

frame_record traffic_generator::next(std::vector<std::uint8_t>& out) {
    frame_record rec;
    rec.index = index_++;
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    if (cfg_.noise_probability > 0 && coin(rng_) < cfg_.noise_probability) {
        rec.noise_before = 1 + static_cast<std::uint32_t>(rng_() % cfg_.noise_max);
        for (std::uint32_t k = 0; k < rec.noise_before; ++k)
            out.push_back(not_sync(static_cast<std::uint8_t>(rng_())));
        offset_ += rec.noise_before;
    }
    const std::uint64_t span = std::uint64_t{cfg_.payload_max} - cfg_.payload_min;
    std::uint64_t extra = 0;
    switch (cfg_.sizes) {
    case size_distribution::uniform:
        extra = rng_() % (span + 1);
        break;
    case size_distribution::bimodal:
        extra = rng_() % 2 ? span : 0;
        break;
    case size_distribution::exponential: {
        std::exponential_distribution<double> e(4.0 / static_cast<double>(span ? span : 1));
        extra = std::min<std::uint64_t>(span, static_cast<std::uint64_t>(e(rng_)));
        break;
    }
    }
    rec.payload_length = static_cast<std::uint16_t>(cfg_.payload_min + extra);
    rec.sequence = static_cast<std::uint16_t>(rec.index);
    const std::size_t at = begin_frame(rec.sequence, rec.payload_length, out);
    append_payload(cfg_.seed, rec.index, rec.payload_length, scratch_.data());  // no zero-fill of `out` first
    out.insert(out.end(), scratch_.begin(), scratch_.begin() + rec.payload_length);
    end_frame(at, out, cfg_.crc);
    rec.total = static_cast<std::uint32_t>(out.size() - at);
    rec.stream_offset = offset_;
    offset_ += rec.total;
    if (cfg_.corrupt_probability > 0 && coin(rng_) < cfg_.corrupt_probability) {
        // One bit flipped in the length, the payload (when there is one) or the CRC.
        const unsigned where = static_cast<unsigned>(rng_() % 3);
        std::size_t byte = 0;
        if (where == 1 && rec.payload_length) {
            rec.damage = corruption::payload;
            byte = header_bytes + rng_() % rec.payload_length;
        } else if (where == 0) {
            rec.damage = corruption::length;
            byte = 2 + rng_() % 2;
        } else {
            rec.damage = corruption::crc;
            byte = header_bytes + rec.payload_length + rng_() % crc_bytes(cfg_.crc);
        }
        out[at + byte] ^= static_cast<std::uint8_t>(1u << (rng_() % 8));
    }
    return rec;
}

}  // namespace ppb::tb
