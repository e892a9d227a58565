#include "testbench/scoreboard.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace ppb::tb {

namespace {
constexpr std::size_t max_errors = 20;
constexpr std::size_t reservoir = 1u << 20;  // latency samples kept; beyond, a uniform sample
}  // namespace

void scoreboard::error(std::string msg) {
    if (errors_.size() < max_errors)
        errors_.push_back(std::move(msg));
    else if (errors_.size() == max_errors)
        errors_.push_back("... more errors not shown");
}

void scoreboard::sent(const frame_record& r, double enqueue_time) {
    ++acc_.frames_sent;
    (r.intact() ? acc_.frames_intact : acc_.frames_corrupted) += 1;
    queue_.push_back({r, enqueue_time});
}

void scoreboard::delivered(std::span<const std::uint8_t> frame, double now) {
    const frame_view v = check_frame(frame);
    if (v.result != frame_check::ok || v.total != frame.size()) {
        error("the parser delivered " + std::to_string(frame.size()) + " bytes that are not one valid frame");
        return;
    }
    // The frame must be the next intact frame still pending; corrupted frames before it were
    // rejected, intact ones before it were lost.
    auto it = std::find_if(queue_.begin(), queue_.end(), [&](const pending& p) {
        return p.rec.intact() && p.rec.sequence == v.sequence && p.rec.payload_length == v.payload.size();
    });
    if (it == queue_.end()) {
        std::ostringstream m;
        m << "delivered frame with sequence " << v.sequence << " and " << v.payload.size()
          << "-byte payload matches no pending intact frame (duplicate, out of order, or never sent)";
        if (!queue_.empty())
            m << "; next pending is frame " << queue_.front().rec.index << " at stream offset "
              << queue_.front().rec.stream_offset;
        error(m.str());
        return;
    }
    for (auto p = queue_.begin(); p != it; ++p)
        (p->rec.intact() ? acc_.frames_lost : acc_.frames_rejected) += 1;
    make_payload(seed_, it->rec.index, it->rec.payload_length, expect_);
    if (std::memcmp(expect_.data(), v.payload.data(), expect_.size()) != 0) {
        std::size_t k = 0;
        while (expect_[k] == v.payload[k])
            ++k;
        std::ostringstream m;
        m << "frame " << it->rec.index << " (sequence " << it->rec.sequence << ", stream offset "
          << it->rec.stream_offset << "): payload byte " << k << " (frame offset " << header_bytes + k
          << ") is 0x" << std::hex << int{v.payload[k]} << ", expected 0x" << int{expect_[k]};
        error(m.str());
    }
    ++acc_.frames_delivered;
    acc_.bytes_delivered += frame.size();
    for (const std::uint8_t b : frame)
        acc_.delivered_digest = (acc_.delivered_digest ^ b) * 0x100000001B3ull;
    const double lat = now - it->enqueue;
    ++latency_seen_;
    latency_sum_ += lat;
    latency_max_ = std::max(latency_max_, lat);
    if (latencies_.size() < reservoir) {
        latencies_.push_back(static_cast<float>(lat));
    } else {
        reservoir_state_ = reservoir_state_ * 6364136223846793005ull + 1442695040888963407ull;
        const std::uint64_t j = (reservoir_state_ >> 11) % latency_seen_;
        if (j < reservoir)
            latencies_[j] = static_cast<float>(lat);
    }
    queue_.erase(queue_.begin(), it + 1);
}

void scoreboard::finish(std::uint64_t dropped, std::uint64_t buffered, bool losses_allowed) {
    acc_.bytes_dropped = dropped;
    acc_.bytes_buffered = buffered;
    // What is still pending after the final drain: corrupted frames were rejected; intact ones were
    // lost (to drops or a Reset) or are stuck, which only a lossy scenario may allow.
    for (const auto& p : queue_)
        (p.rec.intact() ? acc_.frames_pending : acc_.frames_rejected) += 1;
    const std::uint64_t out = acc_.bytes_delivered + acc_.bytes_discarded + acc_.bytes_dropped + acc_.bytes_buffered;
    if (out != acc_.bytes_in) {
        std::ostringstream m;
        m << "bytes do not balance: in " << acc_.bytes_in << " != delivered " << acc_.bytes_delivered
          << " + discarded " << acc_.bytes_discarded << " + dropped " << acc_.bytes_dropped << " + buffered "
          << acc_.bytes_buffered << " (= " << out << ")";
        error(m.str());
    }
    if (losses_allowed)
        return;
    if (dropped)
        error(std::to_string(dropped) + " bytes were dropped in a scenario that must not lose data");
    if (acc_.frames_lost)
        error(std::to_string(acc_.frames_lost) + " intact frames were passed over without being delivered");
    if (acc_.frames_pending) {
        const auto first = std::find_if(queue_.begin(), queue_.end(), [](const pending& p) { return p.rec.intact(); });
        error(std::to_string(acc_.frames_pending) + " intact frames never delivered; the first is frame " +
              std::to_string(first->rec.index) + " at stream offset " + std::to_string(first->rec.stream_offset));
    }
}

latency_summary scoreboard::latency() const {
    latency_summary s;
    s.count = latency_seen_;
    if (latencies_.empty())
        return s;
    std::vector<float> v = latencies_;
    const auto at = [&](double q) {
        const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
        std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
        return static_cast<double>(v[k]);
    };
    s.p50 = at(0.50);
    s.p90 = at(0.90);
    s.p99 = at(0.99);
    s.max = latency_max_;
    s.mean = latency_sum_ / static_cast<double>(latency_seen_);
    return s;
}

}  // namespace ppb::tb
