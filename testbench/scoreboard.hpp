// The scoreboard: every frame sent intact arrives exactly once, in order, byte for byte; every
// corrupted frame is rejected; and every byte is accounted for:
//   bytes in = bytes delivered + bytes the parser discarded + bytes the device dropped + bytes buffered.
// A mismatch is an error whose message names the frame and the offset.
#pragma once

#include "testbench/traffic.hpp"

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

namespace ppb::tb {

struct latency_summary {
    std::uint64_t count = 0;
    double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;  // seconds
};

struct accounting {
    std::uint64_t frames_sent = 0, frames_intact = 0, frames_corrupted = 0;
    std::uint64_t frames_delivered = 0;
    std::uint64_t frames_rejected = 0;  // corrupted frames passed over (never delivered)
    std::uint64_t frames_lost = 0;      // intact frames passed over: a later one was delivered first
    std::uint64_t frames_pending = 0;   // intact frames never delivered by the end of the run
    std::uint64_t bytes_in = 0, bytes_delivered = 0, bytes_discarded = 0, bytes_dropped = 0, bytes_buffered = 0;
    // FNV-1a over every delivered frame's bytes in delivery order: two runs delivered the same frames
    // exactly when their digests (and counts) agree.
    std::uint64_t delivered_digest = 0xCBF29CE484222325ull;
};

class scoreboard {
public:
    explicit scoreboard(std::uint64_t payload_seed) : seed_(payload_seed) {}

    // Source side, in stream order.
    void sent(const frame_record& r, double enqueue_time);
    void bytes_offered(std::uint64_t n) { acc_.bytes_in += n; }

    // Client side: a frame the parser accepted (its whole bytes, sync to CRC).
    void delivered(std::span<const std::uint8_t> frame, double now);
    void discarded(std::uint64_t n) { acc_.bytes_discarded += n; }

    // End of run, after the client's final drain: the device's drop count and what is still
    // buffered. Unless `losses_allowed` (drop policy, Reset in mid-stream), every intact frame must
    // have been delivered and nothing dropped.
    void finish(std::uint64_t dropped, std::uint64_t buffered, bool losses_allowed);

    bool ok() const { return errors_.empty(); }
    const std::vector<std::string>& errors() const { return errors_; }
    const accounting& totals() const { return acc_; }
    latency_summary latency() const;

private:
    struct pending {
        frame_record rec;
        double enqueue;
    };
    void error(std::string msg);

    std::uint64_t seed_;
    std::deque<pending> queue_;  // sent, not yet settled
    accounting acc_;
    std::vector<float> latencies_;
    std::uint64_t latency_seen_ = 0;
    double latency_sum_ = 0, latency_max_ = 0;
    std::uint64_t reservoir_state_ = 0x853C49E6748FEA9Bull;
    std::vector<std::string> errors_;
    std::vector<std::uint8_t> expect_;
};

}  // namespace ppb::tb
