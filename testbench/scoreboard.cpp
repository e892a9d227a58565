#include "testbench/scoreboard.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace ppb::tb {

namespace {
constexpr std::size_t max_messages = 20;
constexpr std::size_t reservoir = 1u << 20;  // latency samples kept; beyond, a uniform sample

void add_capped(std::vector<std::string>& to, std::string msg) {
    if (to.size() < max_messages)
        to.push_back(std::move(msg));
    else if (to.size() == max_messages)
        to.push_back("... more not shown");
}
}  // namespace

scoreboard::scoreboard(const traffic_config& traffic, std::uint32_t drop_limit)
    : traffic_(traffic), located_(drop_limit) {}

void scoreboard::error(std::string msg) {
    add_capped(errors_, std::move(msg));
}

void scoreboard::note(std::string msg) {
    add_capped(notes_, std::move(msg));
}

void scoreboard::reject(const frame_record& r) {
    ++acc_.frames_rejected;
    // One bit flipped in the payload or the CRC leaves the frame's boundary where it was: every CRC
    // catches a single-bit error, so the parser rejects it for certain (a flipped length moves the
    // boundary, and what is checked then is as random as any other false candidate).
    if (r.damage == corruption::payload || r.damage == corruption::crc)
        ++acc_.frames_rejected_for_certain;
}

void scoreboard::sent(const frame_record& r, double enqueue_time) {
    ++acc_.frames_sent;
    (r.intact() ? acc_.frames_intact : acc_.frames_corrupted) += 1;
    queue_.push_back({r, enqueue_time});
}

void scoreboard::bytes_offered(std::span<const std::uint8_t> bytes) {
    acc_.bytes_in += bytes.size();
    located_.sent(bytes);
}

void scoreboard::source_dropped(std::uint64_t n) {
    located_.source_dropped(n);
    check_located("sent");
}

// After the client's bytes were fed to the locator: a defect it found is the run's error (once).
void scoreboard::check_located(const char* what) {
    if (defect_reported_ || located_.available())
        return;
    defect_reported_ = true;
    if (located_.stopped()) {
        note(located_.defect());
        return;
    }
    error(std::string("bytes the client ") + what + " are not the sent stream: " + located_.defect());
}

// Where a stream offset lies: in which pending frame, or between frames.
std::string scoreboard::where(std::uint64_t at) const {
    for (const auto& p : queue_) {
        if (at >= p.rec.stream_offset && at < p.rec.stream_offset + p.rec.total) {
            const std::uint64_t k = at - p.rec.stream_offset;
            return k == 0 ? "at the sync of frame " + std::to_string(p.rec.index)
                          : "inside frame " + std::to_string(p.rec.index) + " (its byte " + std::to_string(k) + ")";
        }
    }
    return "in noise between frames";
}

void scoreboard::false_accept(std::span<const std::uint8_t> frame, const frame_view& v) {
    const auto& runs = located_.runs();
    ++acc_.frames_false_accepted;
    acc_.bytes_false_accepted += frame.size();
    const std::uint64_t first = runs.front().stream;
    const std::uint64_t end = runs.back().stream + runs.back().length;
    std::ostringstream m;
    m << "false accept (" << to_string(traffic_.crc) << " matched by chance): a " << frame.size()
      << "-byte candidate (sequence " << v.sequence << ", length " << v.payload.size() << ") starting " << where(first)
      << ", made of stream bytes";
    std::uint64_t skipped = 0;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        m << (i ? " + " : " ") << "[" << runs[i].stream << ", " << runs[i].stream + runs[i].length << ")";
        if (i)
            skipped += runs[i].stream - (runs[i - 1].stream + runs[i - 1].length);
    }
    if (skipped)
        m << "; the " << skipped << " bytes between were dropped";
    note(m.str());
    // Every frame that starts before the candidate's end is settled: the ones it took bytes from
    // are lost to the false accept, the ones before it or wholly dropped are passed over.
    while (!queue_.empty() && queue_.front().rec.stream_offset < end) {
        const frame_record& r = queue_.front().rec;
        const bool overlaps = std::any_of(runs.begin(), runs.end(), [&](const provenance::run& x) {
            return r.stream_offset < x.stream + x.length && x.stream < r.stream_offset + r.total;
        });
        if (!r.intact())
            reject(r);
        else if (overlaps)
            ++acc_.frames_lost_to_false_accepts;
        else
            ++acc_.frames_lost;
        queue_.pop_front();
    }
}

void scoreboard::discarded(std::span<const std::uint8_t> bytes) {
    acc_.bytes_discarded += bytes.size();
    located_.taken(bytes, true);
    check_located("discarded");
}

void scoreboard::skipped(std::span<const std::uint8_t> bytes) {
    acc_.bytes_discarded += bytes.size();
    located_.taken(bytes, false);
    check_located("discarded");
}

void scoreboard::digest(std::span<const std::uint8_t> frame) {
    // FNV-1a over 8-byte words (then the last bytes one at a time): cheap, and two runs' digests
    // agree exactly when they delivered the same frames.
    std::uint64_t d = acc_.delivered_digest;
    std::size_t i = 0;
    for (; i + 8 <= frame.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, frame.data() + i, 8);
        d = (d ^ w) * 0x100000001B3ull;
    }
    for (; i < frame.size(); ++i)
        d = (d ^ frame[i]) * 0x100000001B3ull;
    acc_.delivered_digest = (d ^ frame.size()) * 0x100000001B3ull;
}

void scoreboard::deliver(std::deque<pending>::iterator it, std::size_t bytes, double now) {
    for (auto p = queue_.begin(); p != it; ++p) {
        if (p->rec.intact())
            ++acc_.frames_lost;
        else
            reject(p->rec);
    }
    ++acc_.frames_delivered;
    acc_.bytes_delivered += bytes;
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

void scoreboard::delivered(std::span<const std::uint8_t> frame, double now) {
    const bool located = located_.packet(frame);
    digest(frame);
    // The common case, at no cost per byte: the frame is, byte for byte, the sent bytes of one
    // pending intact frame (one located run that starts at its first byte and is its length).
    if (located && located_.runs().size() == 1 && located_.runs()[0].at == 0 &&
        located_.runs()[0].length == frame.size()) {
        const std::uint64_t at = located_.runs()[0].stream;
        auto it =
            std::find_if(queue_.begin(), queue_.end(), [&](const pending& p) { return p.rec.stream_offset >= at; });
        if (it != queue_.end() && it->rec.stream_offset == at && it->rec.intact() && it->rec.total == frame.size()) {
            deliver(it, frame.size(), now);
            return;
        }
    }
    const frame_view v = check_frame(frame, traffic_.crc);
    if (v.result != frame_check::ok || v.total != frame.size()) {
        error("the parser delivered " + std::to_string(frame.size()) + " bytes that are not one valid frame");
        check_located("delivered");
        return;
    }
    // The frame must be the next intact frame still pending; corrupted frames before it were
    // rejected, intact ones before it were lost.
    auto it = std::find_if(queue_.begin(), queue_.end(), [&](const pending& p) {
        return p.rec.intact() && p.rec.sequence == v.sequence && p.rec.payload_length == v.payload.size();
    });
    std::size_t mismatch = v.payload.size();
    if (it != queue_.end()) {
        make_payload(traffic_.seed, it->rec.index, it->rec.payload_length, expect_);
        if (std::memcmp(expect_.data(), v.payload.data(), expect_.size()) != 0)
            mismatch = static_cast<std::size_t>(std::mismatch(expect_.begin(), expect_.end(), v.payload.begin()).first -
                                                expect_.begin());
    }
    const bool exact = it != queue_.end() && mismatch == v.payload.size();
    if (!exact && located) {
        false_accept(frame, v);
        return;
    }
    if (!exact) {
        std::ostringstream m;
        if (it == queue_.end()) {
            m << "delivered frame with sequence " << v.sequence << " and " << v.payload.size()
              << "-byte payload matches no pending intact frame (duplicate, out of order, or never sent)";
            if (!queue_.empty())
                m << "; next pending is frame " << queue_.front().rec.index << " at stream offset "
                  << queue_.front().rec.stream_offset;
        } else {
            m << "frame " << it->rec.index << " (sequence " << it->rec.sequence << ", stream offset "
              << it->rec.stream_offset << "): payload byte " << mismatch << " (frame offset " << header_bytes + mismatch
              << ") is 0x" << std::hex << int{v.payload[mismatch]} << ", expected 0x" << int{expect_[mismatch]};
        }
        if (!located_.available() && !defect_reported_) {
            defect_reported_ = true;
            m << "; " << located_.defect();
        }
        error(m.str());
        if (it == queue_.end())
            return;
    }
    deliver(it, frame.size(), now);
    check_located("delivered");
}

void scoreboard::finish(std::uint64_t dropped, std::span<const std::uint8_t> buffered, bool losses_allowed) {
    acc_.bytes_dropped = dropped;
    acc_.bytes_buffered = buffered.size();
    located_.finish(buffered);
    check_located("left in Ping");
    acc_.located = located_.available();
    acc_.bytes_skipped = located_.gap_bytes() + located_.source_dropped_bytes();
    // What is still pending after the final drain: corrupted frames were rejected; intact ones were
    // lost (to drops or a Reset) or are stuck, which only a lossy scenario may allow.
    for (const auto& p : queue_)
        if (p.rec.intact())
            ++acc_.frames_pending;
        else
            reject(p.rec);
    const std::uint64_t out = acc_.bytes_delivered + acc_.bytes_false_accepted + acc_.bytes_discarded +
                              acc_.bytes_dropped + acc_.bytes_buffered;
    if (out != acc_.bytes_in) {
        std::ostringstream m;
        m << "bytes do not balance: in " << acc_.bytes_in << " != delivered " << acc_.bytes_delivered;
        if (acc_.bytes_false_accepted)
            m << " + false accepts " << acc_.bytes_false_accepted;
        m << " + discarded " << acc_.bytes_discarded << " + dropped " << acc_.bytes_dropped << " + buffered "
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
