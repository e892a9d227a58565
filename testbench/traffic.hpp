// The packet source's content: framed packets with a payload size distribution, noise between frames
// and corruption. Content only; timing (link rate, bursts) is the source thread's business.
//
// Payload and noise bytes never take the value 0x7E (sync0), so a sync pair can only appear inside a
// frame's length, sequence or CRC field: a resynchronising parser meets few false candidates, and each
// one still has to pass the CRC. Payloads are a function of (seed, frame index), so the scoreboard
// recomputes them instead of storing them.
#pragma once

#include "testbench/frame.hpp"

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ppb::tb {

// How payload lengths are drawn within [payload_min, payload_max].
enum class size_distribution : std::uint8_t {
    uniform,      // every length equally likely
    bimodal,      // half at the minimum, half at the maximum (short control frames among bulk data)
    exponential,  // many short frames, few long: mean a quarter of the way up the range
};

struct traffic_config {
    std::uint64_t seed = 1;
    std::uint16_t payload_min = 16;
    std::uint16_t payload_max = 512;
    size_distribution sizes = size_distribution::uniform;
    double noise_probability = 0.0;    // chance of a run of noise bytes before a frame
    std::uint32_t noise_max = 32;      // a noise run is 1 .. noise_max bytes
    double corrupt_probability = 0.0;  // chance that a frame gets one bit flipped
    frame_crc crc = frame_crc::crc16;  // the frames' check (SPEC.md section 10: CRC-16)
};

// Checks a configuration; returns a message saying what is wrong, or an empty string.
std::string validate(const traffic_config& c);

enum class corruption : std::uint8_t { none, length, payload, crc };

struct frame_record {
    std::uint64_t index = 0;          // frame number from 0
    std::uint64_t stream_offset = 0;  // offset of its first byte (sync0) in the byte stream
    std::uint32_t total = 0;          // frame bytes
    std::uint16_t sequence = 0;
    std::uint16_t payload_length = 0;
    corruption damage = corruption::none;
    std::uint32_t noise_before = 0;  // noise bytes just before it
    bool intact() const { return damage == corruption::none; }
};

// Payload of frame `index` under `seed`.
void make_payload(std::uint64_t seed, std::uint64_t index, std::uint16_t length, std::vector<std::uint8_t>& out);

class traffic_generator {
public:
    explicit traffic_generator(const traffic_config& c);

    // Appends the next noise run (if any) and frame to `out`; returns the frame's record.
    frame_record next(std::vector<std::uint8_t>& out);

    std::uint64_t bytes_generated() const { return offset_; }
    std::uint64_t frames_generated() const { return index_; }

private:
    traffic_config cfg_;
    std::mt19937_64 rng_;
    std::uint64_t index_ = 0;
    std::uint64_t offset_ = 0;
    std::array<std::uint8_t, max_payload + 8> scratch_{};  // a payload, before it goes into the stream
};

}  // namespace ppb::tb
