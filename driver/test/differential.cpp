#include "driver/test/differential.hpp"

#include "driver/test/test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ppb::driver::test {

differential::differential(ping_pong& reference, ping_pong& dut, source_mode mode, bool drop_when_full,
                           std::uint64_t seed, feeder feed)
    : ref_(reference),
      dut_(dut),
      mode_(mode),
      drop_(drop_when_full),
      feed_(std::move(feed)),
      rng_(seed),
      size_(reference.buffer_size()) {}

std::uint32_t differential::uniform(std::uint32_t lo, std::uint32_t hi) {
    return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng_);
}

std::vector<std::uint8_t> differential::bytes(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (auto& b : v)
        b = next_byte_ += 37;  // a running sequence: a byte at the wrong place shows
    if (n && uniform(0, 3) == 0)
        v[uniform(0, static_cast<std::uint32_t>(n - 1))] = static_cast<std::uint8_t>(rng_());
    return v;
}

std::uint32_t differential::pick_offset(std::uint32_t fill) {
    switch (uniform(0, 9)) {
    case 0:
        return 0;
    case 1:
        return fill;
    case 2:
        return fill + 1;
    case 3:
        return size_;
    case 4:
        return 0xFFFFFFFFu;
    case 5:
        return uniform(0, size_ + 2);
    default:
        return uniform(0, fill);
    }
}

std::uint32_t differential::pick_length(std::uint32_t fill, std::uint32_t start) {
    const std::uint32_t rest = start <= fill ? fill - start : 0;
    switch (uniform(0, 9)) {
    case 0:
        return 0;
    case 1:
        return rest;
    case 2:
        return rest + 1;
    case 3:
        return 0xFFFFFFFFu - start + 1;  // start + length wraps to 0 in 32 bits
    case 4:
        return uniform(0, size_);
    default:
        return uniform(0, rest);
    }
}

std::uint32_t differential::pick_write(std::uint32_t fill) {
    const std::uint32_t room = size_ - fill;
    switch (uniform(0, 9)) {
    case 0:
        return 0;
    case 1:
        return room;
    case 2:
        return room + 1;
    case 3:
        return size_ + uniform(0, 3);
    case 4:
        return uniform(1, 16);
    default:
        return room ? uniform(1, room) : 0;
    }
}

void differential::drop_held() {
    packet_.valid = false;
    ping_.valid = false;
}

bool differential::check_held(const char* when) {
    for (const held* h : {&packet_, &ping_}) {
        if (!h->valid)
            continue;
        if (!std::equal(h->span.begin(), h->span.end(), h->copy.begin(), h->copy.end())) {
            ADD_FAILURE() << "step " << steps_ << " (" << op_ << "), " << when << ": the bytes of the "
                          << (h == &packet_ ? "last Consume" : "last Get") << " changed while still promised valid";
            return false;
        }
    }
    return true;
}

bool differential::compare_ping(const char* when) {
    std::span<const std::uint8_t> r, d;
    const status rs = ref_.get(r);
    const status ds = dut_.get(d);
    calls_ += 1;
    if (rs != ds || r.size() != d.size() || !std::equal(r.begin(), r.end(), d.begin(), d.end())) {
        const auto diff = std::mismatch(r.begin(), r.end(), d.begin(), d.end());
        ADD_FAILURE() << "step " << steps_ << " (" << op_ << "), Get " << when << ": reference " << to_string(rs)
                      << " size " << r.size() << ", device " << to_string(ds) << " size " << d.size()
                      << ", first differing byte at " << (diff.first - r.begin());
        return false;
    }
    if (d.size() <= size_) {
        ping_ = {d, std::vector<std::uint8_t>(d.begin(), d.end()), true};
    }
    return true;
}

bool differential::do_write() {
    std::span<const std::uint8_t> r;
    if (ref_.get(r) != status::ok)
        return false;
    const auto data = bytes(pick_write(static_cast<std::uint32_t>(r.size())));
    op_ = "Write(" + std::to_string(data.size()) + ") at FILL " + std::to_string(r.size());
    std::uint32_t rsz = 0, dsz = 0;
    const status rs = ref_.write(data, rsz);
    const status ds = dut_.write(data, dsz);
    calls_ += 1;
    if (rs != status::ok)
        ++refused_;
    if (rs != ds || rsz != dsz) {
        ADD_FAILURE() << "step " << steps_ << " " << op_ << ": reference " << to_string(rs) << " size " << rsz
                      << ", device " << to_string(ds) << " size " << dsz;
        return false;
    }
    return true;
}

bool differential::do_feed() {
    std::span<const std::uint8_t> r;
    if (ref_.get(r) != status::ok)
        return false;
    const auto fill = static_cast<std::uint32_t>(r.size());
    std::uint32_t n = pick_write(fill);
    // Back-pressure would stall the port for good with nobody consuming: offer only what fits.
    if (!drop_)
        n = std::min(n, size_ - fill);
    if (n == 0)
        return true;
    const auto data = bytes(n);
    op_ = "stream(" + std::to_string(n) + ") at FILL " + std::to_string(fill);
    const std::size_t taken = feed_(data);
    if (taken != data.size()) {
        ADD_FAILURE() << "step " << steps_ << " " << op_ << ": the stream port took " << taken;
        return false;
    }
    // What fits is accepted; with DROP_WHEN_FULL the rest is dropped.
    const std::size_t kept = std::min<std::size_t>(n, size_ - fill);
    std::uint32_t rsz = 0;
    if (ref_.write(std::span(data).first(kept), rsz) != status::ok) {
        ADD_FAILURE() << "step " << steps_ << " " << op_ << ": the reference refused what fits";
        return false;
    }
    // The driver refuses Write in stream mode, whatever the arguments.
    if (uniform(0, 7) == 0) {
        std::uint32_t dsz = 7;
        const status ds = dut_.write(data, dsz);
        calls_ += 1;
        ++refused_;
        if (ds != status::invalid_device_state) {
            ADD_FAILURE() << "step " << steps_ << ": Write in stream mode gave " << to_string(ds);
            return false;
        }
    }
    return true;
}

bool differential::do_get() {
    op_ = "Get";
    return compare_ping("as the operation");
}

bool differential::do_consume() {
    std::span<const std::uint8_t> r;
    if (ref_.get(r) != status::ok)
        return false;
    const auto fill = static_cast<std::uint32_t>(r.size());
    const std::uint32_t s = pick_offset(fill);
    const std::uint32_t p = pick_length(fill, s);
    op_ = "Consume(" + std::to_string(s) + ", " + std::to_string(p) + ") at FILL " + std::to_string(fill);
    std::span<const std::uint8_t> rp, dp;
    const status rs = ref_.consume(s, p, rp);
    const status ds = dut_.consume(s, p, dp);
    calls_ += 1;
    if (rs != status::ok)
        ++refused_;
    else
        drop_held();
    if (rs != ds || rp.size() != dp.size() || (rs == status::ok) != (dp.data() != nullptr) ||
        !std::equal(rp.begin(), rp.end(), dp.begin(), dp.end())) {
        ADD_FAILURE() << "step " << steps_ << " " << op_ << ": reference " << to_string(rs) << " (" << rp.size()
                      << " bytes), device " << to_string(ds) << " (" << dp.size() << " bytes"
                      << (dp.data() ? "" : ", null") << ")";
        return false;
    }
    if (ds == status::ok)
        packet_ = {dp, std::vector<std::uint8_t>(dp.begin(), dp.end()), true};
    return true;
}

bool differential::do_shift() {
    std::span<const std::uint8_t> r;
    if (ref_.get(r) != status::ok)
        return false;
    const std::uint32_t s = pick_offset(static_cast<std::uint32_t>(r.size()));
    op_ = "Shift(" + std::to_string(s) + ") at FILL " + std::to_string(r.size());
    const status rs = ref_.shift(s);
    const status ds = dut_.shift(s);
    calls_ += 1;
    if (rs != status::ok)
        ++refused_;
    else
        drop_held();
    if (rs != ds) {
        ADD_FAILURE() << "step " << steps_ << " " << op_ << ": reference " << to_string(rs) << ", device "
                      << to_string(ds);
        return false;
    }
    return true;
}

bool differential::do_reset() {
    op_ = "Reset";
    drop_held();
    const status rs = ref_.reset();
    const status ds = dut_.reset();
    calls_ += 1;
    if (rs != ds) {
        ADD_FAILURE() << "step " << steps_ << " Reset: reference " << to_string(rs) << ", device " << to_string(ds);
        return false;
    }
    return true;
}

bool differential::step() {
    ++steps_;
    const std::uint32_t dice = uniform(0, 99);
    bool ok = true;
    if (dice < 35)
        ok = mode_ == source_mode::host ? do_write() : do_feed();
    else if (dice < 45)
        ok = do_get();
    else if (dice < 75)
        ok = do_consume();
    else if (dice < 96)
        ok = do_shift();
    else
        ok = do_reset();
    return ok && check_held("after the operation") && compare_ping("after the operation") && check_held("after Get");
}

}  // namespace ppb::driver::test
