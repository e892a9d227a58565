// The scoreboard: every frame sent intact arrives exactly once, in order, byte for byte; every
// corrupted frame is rejected; every byte is accounted for,
//   bytes in = delivered + false accepts + discarded by the parser + dropped + buffered,
// and every byte the client took out of Ping is located in the sent stream (testbench/provenance).
// That is what tells a framing false accept (a candidate that is no sent frame, made of sent bytes,
// whose CRC matched by chance) from a defect of the device or the driver (bytes that were never
// sent, or not there, or not in that order): the first is counted and described, the second is an
// error whose message names the frame, the offset and where the wrong bytes came from.
#pragma once

#include "testbench/provenance.hpp"
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
    std::uint64_t frames_rejected = 0;              // corrupted frames passed over (never delivered)
    std::uint64_t frames_rejected_for_certain = 0;  // of which a single-bit error any CRC catches
    std::uint64_t frames_lost = 0;                  // intact frames passed over: a later one was delivered first
    std::uint64_t frames_pending = 0;               // intact frames never delivered by the end of the run
    // Framing false accepts: candidates the parser delivered that are no sent frame but are made of
    // sent bytes in order (located), and the intact frames whose bytes they took.
    std::uint64_t frames_false_accepted = 0;
    std::uint64_t frames_lost_to_false_accepts = 0;
    std::uint64_t bytes_in = 0, bytes_delivered = 0, bytes_false_accepted = 0, bytes_discarded = 0, bytes_dropped = 0,
                  bytes_buffered = 0;
    // Whether every byte the client took was located in the sent stream (false when locating was
    // given up: see scoreboard::notes()), and the sent bytes between located runs (dropped ones).
    bool located = true;
    std::uint64_t bytes_skipped = 0;
    // A hash of every frame the parser delivered (false accepts too), in delivery order: two runs
    // delivered the same frames exactly when their digests (and counts) agree.
    std::uint64_t delivered_digest = 0xCBF29CE484222325ull;
};

class scoreboard {
public:
    // drop_limit: LIMIT when the device drops stream bytes at Ping full (DROP_WHEN_FULL in stream
    // mode), else 0.
    explicit scoreboard(const traffic_config& traffic, std::uint32_t drop_limit = 0);

    // Source side, in stream order: a frame whose first byte is about to be sent, and the bytes
    // themselves, before the device can take them; the last `n` of them, when the producer dropped
    // them instead (host mode: a Write that did not fit).
    void sent(const frame_record& r, double enqueue_time);
    void bytes_offered(std::span<const std::uint8_t> bytes);
    void source_dropped(std::uint64_t n);

    // Client side, in the order the bytes leave Ping: bytes a Shift or a Reset threw away; bytes a
    // Consume's StartOffset skips (before the Consume: Get's view ends there), then the frame it
    // took (its whole bytes, sync to CRC).
    void discarded(std::span<const std::uint8_t> bytes);
    void skipped(std::span<const std::uint8_t> bytes);
    void delivered(std::span<const std::uint8_t> frame, double now);

    // End of run, after the client's final drain: the bytes dropped (by the device, or by the
    // host-mode producer) and what is still in Ping. Unless `losses_allowed` (drop policy, Reset in
    // mid-stream, a cut link), every intact frame must have been delivered and nothing dropped;
    // false accepts are allowed everywhere.
    void finish(std::uint64_t dropped, std::span<const std::uint8_t> buffered, bool losses_allowed);

    bool ok() const { return errors_.empty(); }
    const std::vector<std::string>& errors() const { return errors_; }
    // What is not an error but needs saying: each false accept, where its bytes came from.
    const std::vector<std::string>& notes() const { return notes_; }
    const accounting& totals() const { return acc_; }
    latency_summary latency() const;

private:
    struct pending {
        frame_record rec;
        double enqueue;
    };
    void error(std::string msg);
    void note(std::string msg);
    void reject(const frame_record& r);
    void digest(std::span<const std::uint8_t> frame);
    // Settles the frames before `it` (lost or rejected) and delivers `it`.
    void deliver(std::deque<pending>::iterator it, std::size_t bytes, double now);
    void check_located(const char* what);
    void false_accept(std::span<const std::uint8_t> frame, const frame_view& v);
    std::string where(std::uint64_t stream_offset) const;

    traffic_config traffic_;
    provenance located_;
    bool defect_reported_ = false;
    std::deque<pending> queue_;  // sent, not yet settled
    accounting acc_;
    std::vector<float> latencies_;
    std::uint64_t latency_seen_ = 0;
    double latency_sum_ = 0, latency_max_ = 0;
    std::uint64_t reservoir_state_ = 0x853C49E6748FEA9Bull;
    std::vector<std::string> errors_, notes_;
    std::vector<std::uint8_t> expect_;
};

}  // namespace ppb::tb
