#include "testbench/provenance.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

namespace ppb::tb {

namespace {
constexpr std::uint64_t nowhere = std::numeric_limits<std::uint64_t>::max();
constexpr std::size_t shown = 8;  // bytes of a defect searched for elsewhere in the stream
}  // namespace

provenance::provenance(std::uint32_t limit, std::size_t history, std::size_t max_unlocated)
    : limit_(limit), history_(history), max_unlocated_(max_unlocated) {
    if (limit_)
        gap_at_.push_back(limit_);  // T = 0: Ping full for the first time
}

void provenance::sent(std::span<const std::uint8_t> bytes) {
    accepted_end_ += bytes.size();
    if (state_ != state::locating)
        return;
    window_.append(bytes);
    if (accepted_end_ - floor() > max_unlocated_) {
        state_ = state::stopped;
        defect_ = "stopped locating bytes: more than " + std::to_string(max_unlocated_) +
                  " bytes were sent ahead of what the client took";
        window_.release();
    }
}

void provenance::byte_buffer::append(std::span<const std::uint8_t> b) {
    if (size_ + b.size() > capacity_) {
        const std::size_t cap = std::max(2 * capacity_, size_ + b.size() + 4096);
        auto bigger = std::make_unique_for_overwrite<std::uint8_t[]>(cap);
        if (size_)
            std::memcpy(bigger.get(), data_.get(), size_);
        data_ = std::move(bigger);
        capacity_ = cap;
    }
    if (!b.empty())
        std::memcpy(data_.get() + size_, b.data(), b.size());
    size_ += b.size();
}

void provenance::byte_buffer::drop_front(std::size_t n) {
    std::memmove(data_.get(), data_.get() + n, size_ - n);
    size_ -= n;
}

void provenance::source_dropped(std::uint64_t n) {
    source_dropped_ += n;
    if (state_ != state::locating || n == 0)
        return;
    if (n > window_.size() || accepted_end_ - n < run_end()) {
        state_ = state::defect;
        defect_ = "the source dropped " + std::to_string(n) + " bytes that the client had already taken";
        return;
    }
    window_.truncate(window_.size() - static_cast<std::size_t>(n));
    accepted_end_ -= n;
    removed_.emplace_back(accepted_end_, n);
}

std::uint64_t provenance::stream_offset(std::uint64_t accepted) const {
    std::uint64_t s = accepted;
    for (const auto& [at, n] : removed_)
        if (at <= accepted)
            s += n;
    return s;
}

bool provenance::matches(std::uint64_t at, std::span<const std::uint8_t> b) const {
    return at >= window_start_ && at + b.size() <= accepted_end_ &&
           std::memcmp(window_.data() + (at - window_start_), b.data(), b.size()) == 0;
}

std::uint64_t provenance::search(std::span<const std::uint8_t> pattern, std::uint64_t from) const {
    if (pattern.empty() || from < window_start_ || accepted_end_ < from + pattern.size())
        return nowhere;
    const std::uint8_t* s = window_.data() + (from - window_start_);
    const std::size_t starts = accepted_end_ - from - pattern.size() + 1;
    for (std::size_t i = 0; i < starts; ++i) {
        const void* hit = std::memchr(s + i, pattern[0], starts - i);
        if (!hit)
            break;
        i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - s);
        if (std::memcmp(s + i, pattern.data(), pattern.size()) == 0)
            return from + i;
    }
    return nowhere;
}

std::uint64_t provenance::search_back(std::span<const std::uint8_t> pattern, std::uint64_t before) const {
    const std::uint64_t end = std::min(accepted_end_, before + pattern.size() - 1);
    if (pattern.empty() || end < window_start_ + pattern.size())
        return nowhere;
    const std::uint8_t* first = window_.data();
    const std::uint8_t* last = first + (end - window_start_);
    const std::uint8_t* hit = std::find_end(first, last, pattern.begin(), pattern.end());
    return hit == last ? nowhere : window_start_ + static_cast<std::uint64_t>(hit - first);
}

void provenance::fail(std::span<const std::uint8_t> b, std::uint64_t at, bool movable) {
    const auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
    char m[320];
    const std::span<const std::uint8_t> pattern = b.first(std::min(shown, b.size()));
    if (movable) {
        std::snprintf(m, sizeof m,
                      "the %zu bytes the client took after a place where bytes may have been dropped (stream "
                      "offset %llu) follow nowhere after it in the sent stream",
                      b.size(), u(stream_offset(at)));
    } else if (at < accepted_end_) {
        std::snprintf(m, sizeof m,
                      "the client took 0x%02X where the sent stream has 0x%02X (stream offset %llu), where no byte "
                      "could be dropped",
                      unsigned{b[0]}, unsigned{window_[at - window_start_]}, u(stream_offset(at)));
    } else {
        std::snprintf(m, sizeof m, "the client took 0x%02X at stream offset %llu, which the source has not sent yet",
                      unsigned{b[0]}, u(stream_offset(at)));
    }
    defect_ = m;
    const std::string what = "; the " + std::to_string(pattern.size()) + " bytes from there ";
    const std::uint64_t later = movable ? nowhere : search(pattern, at + 1);
    const std::uint64_t earlier = search_back(pattern, at);
    if (later != nowhere) {
        std::snprintf(m, sizeof m, "were sent %llu bytes later (stream offset %llu): bytes vanished", u(later - at),
                      u(stream_offset(later)));
        defect_ += what + m;
    } else if (earlier != nowhere) {
        std::snprintf(m, sizeof m, "were sent %llu bytes earlier (stream offset %llu): stale or repeated data",
                      u(at - earlier), u(stream_offset(earlier)));
        defect_ += what + m;
    } else {
        defect_ += what + "are nowhere in the " + std::to_string(accepted_end_ - window_start_) +
                   " sent bytes kept around it: never sent";
    }
    state_ = state::defect;
    window_.release();
    std::vector<std::uint8_t>().swap(run_bytes_);
}

void provenance::close_run() {
    const std::uint64_t n = observed_ - run_obs_;
    if (n == 0)
        return;
    if (movable_)
        gaps_ += run_at_ - run_floor_;
    placed_.push_back({run_obs_, run_at_, n});
    run_floor_ = run_at_ + n;
    run_obs_ = observed_;
    run_at_ = run_floor_;
    run_bytes_.clear();
    while (!placed_.empty() && placed_.front().obs + placed_.front().length + (std::uint64_t{1} << 16) < observed_)
        placed_.pop_front();
}

void provenance::extend(std::span<const std::uint8_t> b) {
    const std::uint64_t at = run_end();
    if (movable_)
        run_bytes_.insert(run_bytes_.end(), b.begin(), b.end());
    if (matches(at, b))
        return;
    if (!movable_) {
        std::size_t k = 0;  // the first byte that is not where it must be
        while (k < b.size() && at + k < accepted_end_ && window_[at + k - window_start_] == b[k])
            ++k;
        fail(b.subspan(k), at + k, false);
        return;
    }
    // The run is further on than assumed: the nearest place that fits every byte it has so far.
    const std::uint64_t q = search(run_bytes_, run_at_ + 1);
    if (q != nowhere) {
        run_at_ = q;
        return;
    }
    // Nowhere: say after which of its bytes the run leaves the sent stream (the longest head of it
    // that can be placed, at its nearest place).
    std::size_t lo = 0, hi = run_bytes_.size();
    while (lo + 1 < hi) {
        const std::size_t mid = (lo + hi) / 2;
        (search({run_bytes_.data(), mid}, run_floor_) != nowhere ? lo : hi) = mid;
    }
    if (lo == 0) {
        fail(run_bytes_, run_floor_, true);
        return;
    }
    const std::uint64_t at0 = search({run_bytes_.data(), lo}, run_floor_);
    movable_ = false;
    fail(std::span<const std::uint8_t>(run_bytes_).subspan(lo), at0 + lo, false);
}

void provenance::observe(std::span<const std::uint8_t> b) {
    while (!b.empty() && state_ == state::locating) {
        if (limit_ && !gap_at_.empty() && gap_at_.front() == observed_) {
            // Ping was full with the bytes before this one: what follows may come after a gap.
            while (!gap_at_.empty() && gap_at_.front() <= observed_)
                gap_at_.pop_front();
            close_run();
            movable_ = true;
        }
        std::size_t n = b.size();
        if (limit_ && !gap_at_.empty())
            n = static_cast<std::size_t>(std::min<std::uint64_t>(n, gap_at_.front() - observed_));
        extend(b.first(n));
        observed_ += n;
        b = b.subspan(n);
    }
    trim();
}

std::uint64_t provenance::floor() const {
    // A run placed for certain goes on where it ends; a movable one may still be placed anywhere
    // from run_floor_ on. (Before, a lossless stream never closed its one run: the whole stream
    // was kept, and locating stopped after max_unlocated_ bytes although the client took them.)
    return movable_ ? run_floor_ : run_end();
}

void provenance::trim() {
    const std::uint64_t from = floor();
    if (state_ != state::locating || from - window_start_ <= 2 * history_ + (std::size_t{1} << 16))
        return;
    const std::uint64_t keep_from = from - history_;
    window_.drop_front(static_cast<std::size_t>(keep_from - window_start_));
    window_start_ = keep_from;
}

void provenance::boundary() {
    taken_ = observed_;
    if (limit_ && (gap_at_.empty() || gap_at_.back() < taken_ + limit_))
        gap_at_.push_back(taken_ + limit_);
}

void provenance::taken(std::span<const std::uint8_t> bytes, bool ends_command) {
    if (state_ == state::locating)
        observe(bytes);
    else
        observed_ += bytes.size();
    if (ends_command)
        boundary();
}

bool provenance::packet(std::span<const std::uint8_t> bytes) {
    runs_.clear();
    const std::uint64_t first = observed_;
    taken(bytes, true);
    if (state_ != state::locating)
        return false;
    // The packet's bytes in the runs placed so far, and in the current one; a run is cut where the
    // source dropped bytes, which is a splice too.
    const std::uint64_t last = first + bytes.size();
    const auto add = [&](std::uint64_t obs, std::uint64_t at, std::uint64_t n) {
        const std::uint64_t lo = std::max(obs, first), hi = std::min(obs + n, last);
        if (lo >= hi)
            return;
        std::uint64_t a = at + (lo - obs), k = lo;
        while (k < hi) {
            std::uint64_t len = hi - k;
            for (const auto& [r, removed] : removed_)
                if (r > a && r < a + len)
                    len = r - a;
            runs_.push_back({static_cast<std::size_t>(k - first), static_cast<std::size_t>(len), stream_offset(a)});
            a += len;
            k += len;
        }
    };
    for (const placed& p : placed_)
        add(p.obs, p.at, p.length);
    add(run_obs_, run_at_, observed_ - run_obs_);
    return true;
}

void provenance::finish(std::span<const std::uint8_t> left) {
    taken(left, false);
    if (state_ != state::locating)
        return;
    const bool full = limit_ && !gap_at_.empty() && gap_at_.front() == observed_;
    // Ping not full at the end: nothing after the last byte taken was dropped, so a last run placed
    // after a gap must end where the stream ends (the nearest place is right for every run but
    // the last, which has this bound too).
    const std::uint64_t len = observed_ - run_obs_;
    if (!full && movable_ && len && accepted_end_ - len > run_at_ && matches(accepted_end_ - len, run_bytes_))
        run_at_ = accepted_end_ - len;
    close_run();
    const std::uint64_t unreached = accepted_end_ - run_floor_;
    if (unreached == 0)
        return;
    if (full) {
        gaps_ += unreached;  // dropped after the last byte the client took, Ping full
        return;
    }
    state_ = state::defect;
    defect_ = "the client never took the last " + std::to_string(unreached) + " bytes sent (from stream offset " +
              std::to_string(stream_offset(run_floor_)) +
              "), and Ping was not full at the end, so none could be dropped";
}

}  // namespace ppb::tb
