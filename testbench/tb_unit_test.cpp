// Unit tests of the testbench's parts that need no simulation: the frame format, the traffic
// generator, the scoreboard's accounting and messages, and the parser over DMF's native semantics.
#include "driver/dmf/ppb_device.h"
#include "testbench/frame_client.hpp"
#include "testbench/scoreboard.hpp"
#include "testbench/traffic.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <random>
#include <string>

namespace ppb::tb {
namespace {

TEST(tb_frame, crc_check_values) {
    const std::string s = "123456789";
    const std::span<const std::uint8_t> b{reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
    EXPECT_EQ(crc16_ccitt_false(b), 0x29B1);
    EXPECT_EQ(crc32_iso_hdlc(b), 0xCBF43926u);
}

class tb_frame_crc : public ::testing::TestWithParam<frame_crc> {};

TEST_P(tb_frame_crc, encode_then_check_round_trips_and_every_single_bit_flip_is_caught) {
    const frame_crc crc = GetParam();
    std::vector<std::uint8_t> payload = {1, 2, 3, 0xA5, 0x7F, 9};
    std::vector<std::uint8_t> f;
    encode_frame(0x1234, payload, f, crc);
    ASSERT_EQ(f.size(), overhead_bytes(crc) + payload.size());
    EXPECT_EQ(f[0], sync0);
    EXPECT_EQ(f[1], sync1);
    const frame_view v = check_frame(f, crc);
    ASSERT_EQ(v.result, frame_check::ok);
    EXPECT_EQ(v.sequence, 0x1234);
    EXPECT_EQ(v.total, f.size());
    EXPECT_EQ(std::vector<std::uint8_t>(v.payload.begin(), v.payload.end()), payload);
    for (std::size_t byte = 2; byte < f.size(); ++byte) {
        for (int bit = 0; bit < 8; ++bit) {
            auto g = f;
            g[byte] ^= static_cast<std::uint8_t>(1 << bit);
            const frame_view w = check_frame(g, crc);
            EXPECT_NE(w.result, frame_check::ok) << "flip of bit " << bit << " in byte " << byte << " went unseen";
        }
    }
    for (std::size_t n = 0; n < f.size(); ++n)
        EXPECT_EQ(check_frame({f.data(), n}, crc).result, frame_check::need_more) << n;
    const frame_crc other = crc == frame_crc::crc16 ? frame_crc::crc32 : frame_crc::crc16;
    EXPECT_NE(check_frame(f, other).result, frame_check::ok) << "a frame checks only under its own CRC";
}

// A candidate that is no frame passes a w-bit CRC with probability 2^-w: the rate the scoreboard's
// false-accept figures are compared with. Measured on random candidates of random lengths.
TEST_P(tb_frame_crc, random_candidates_pass_at_two_to_the_minus_crc_bits) {
    const frame_crc crc = GetParam();
    std::mt19937_64 rng(11);
    std::vector<std::uint8_t> c(header_bytes + 64 + crc_bytes(crc));
    const int trials = 1 << 20;
    int passed = 0;
    for (int t = 0; t < trials; ++t) {
        for (auto& b : c)
            b = static_cast<std::uint8_t>(rng());
        c[0] = sync0;
        c[1] = sync1;
        c[2] = 64;
        c[3] = 0;
        passed += check_frame(c, crc).result == frame_check::ok;
    }
    const double expected = std::ldexp(static_cast<double>(trials), -static_cast<int>(crc_bits(crc)));
    EXPECT_NEAR(passed, expected, 6 * std::sqrt(expected) + 1) << to_string(crc);
}

INSTANTIATE_TEST_SUITE_P(both, tb_frame_crc, ::testing::Values(frame_crc::crc16, frame_crc::crc32),
                         [](const auto& i) { return std::string(to_string(i.param)); });

TEST(tb_frame, length_above_the_maximum_is_refused_from_the_header) {
    const std::uint8_t h[] = {sync0, sync1, 0xDD, 0x05, 0, 0};  // 1501
    EXPECT_EQ(check_frame(h, frame_crc::crc16).result, frame_check::bad_length);
}

TEST(tb_frame, find_sync) {
    const std::vector<std::uint8_t> a = {1, 2, sync0, 3, sync0, sync1, 4};
    EXPECT_EQ(find_sync(a), 4u);
    const std::vector<std::uint8_t> b = {1, 2, 3};
    EXPECT_EQ(find_sync(b), 3u);
    const std::vector<std::uint8_t> c = {1, sync0};
    EXPECT_EQ(find_sync(c), 1u) << "a trailing sync0 may pair with the next byte";
    EXPECT_EQ(find_sync({}), 0u);
}

TEST(tb_traffic, deterministic_and_within_the_configuration) {
    for (const frame_crc crc : {frame_crc::crc16, frame_crc::crc32}) {
        SCOPED_TRACE(std::string(to_string(crc)));
        traffic_config c;
        c.crc = crc;
        c.seed = 9;
        c.payload_min = 3;
        c.payload_max = 40;
        c.noise_probability = 0.5;
        c.corrupt_probability = 0.3;
        traffic_generator g1(c), g2(c);
        std::vector<std::uint8_t> s1, s2;
        unsigned corrupted = 0, noisy = 0;
        for (int i = 0; i < 2000; ++i) {
            const frame_record r = g1.next(s1);
            g2.next(s2);
            EXPECT_GE(r.payload_length, 3);
            EXPECT_LE(r.payload_length, 40);
            EXPECT_EQ(r.total, overhead_bytes(c.crc) + r.payload_length);
            EXPECT_EQ(s1[r.stream_offset], sync0);
            corrupted += !r.intact();
            noisy += r.noise_before > 0;
            if (r.intact()) {
                const frame_view v = check_frame({s1.data() + r.stream_offset, r.total}, c.crc);
                ASSERT_EQ(v.result, frame_check::ok);
                std::vector<std::uint8_t> p;
                make_payload(c.seed, r.index, r.payload_length, p);
                EXPECT_TRUE(std::equal(p.begin(), p.end(), v.payload.begin()));
            } else {
                EXPECT_NE(check_frame({s1.data() + r.stream_offset, s1.size() - r.stream_offset}, c.crc).result,
                          frame_check::ok);
            }
        }
        EXPECT_EQ(s1, s2);
        EXPECT_EQ(g1.bytes_generated(), s1.size());
        EXPECT_NEAR(corrupted, 600, 100);
        EXPECT_NEAR(noisy, 1000, 120);
    }
}

TEST(tb_traffic, size_distributions_have_their_shape) {
    for (const auto d : {size_distribution::uniform, size_distribution::bimodal, size_distribution::exponential}) {
        traffic_config c;
        c.payload_min = 100;
        c.payload_max = 1100;
        c.sizes = d;
        traffic_generator g(c);
        std::vector<std::uint8_t> s;
        unsigned at_min = 0, at_max = 0, below_mid = 0;
        double sum = 0;
        for (int i = 0; i < 4000; ++i) {
            const auto r = g.next(s);
            ASSERT_GE(r.payload_length, 100);
            ASSERT_LE(r.payload_length, 1100);
            at_min += r.payload_length == 100;
            at_max += r.payload_length == 1100;
            below_mid += r.payload_length < 600;
            sum += r.payload_length;
            s.clear();
        }
        const double mean = sum / 4000;
        switch (d) {
        case size_distribution::uniform:
            EXPECT_NEAR(mean, 600, 30);
            break;
        case size_distribution::bimodal:
            EXPECT_EQ(at_min + at_max, 4000u);
            EXPECT_NEAR(at_min, 2000, 150);
            break;
        case size_distribution::exponential:
            EXPECT_NEAR(mean, 350, 40);
            EXPECT_GT(below_mid, 3400u);
            break;
        }
    }
}

TEST(tb_traffic, bad_configurations_are_explained) {
    traffic_config c;
    c.payload_min = 10;
    c.payload_max = 5;
    EXPECT_NE(validate(c).find("--payload-min 10 exceeds --payload-max 5"), std::string::npos);
    c.payload_min = 0;
    c.payload_max = 1501;
    EXPECT_NE(validate(c).find("1500"), std::string::npos);
    c.payload_max = 100;
    c.corrupt_probability = 2;
    EXPECT_NE(validate(c).find("[0, 1]"), std::string::npos);
}

// The scoreboard, fed by hand.
struct scored {
    traffic_config cfg;
    traffic_generator gen{cfg};
    scoreboard sb;
    std::vector<std::uint8_t> stream;
    std::vector<frame_record> recs;
    explicit scored(std::uint32_t drop_limit = 0, traffic_config c = {}) : cfg(c), gen(c), sb(c, drop_limit) {}
    std::uint64_t noise = 0;  // bytes send_noise() put into the stream, which the generator does not count
    void send(int n) {
        for (int i = 0; i < n; ++i) {
            const std::size_t before = stream.size();
            recs.push_back(gen.next(stream));
            recs.back().stream_offset += noise;
            sb.sent(recs.back(), 0.0);
            sb.bytes_offered({stream.data() + before, stream.size() - before});
        }
    }
    // Bytes that are no frame, sent between frames.
    void send_noise(std::span<const std::uint8_t> bytes) {
        stream.insert(stream.end(), bytes.begin(), bytes.end());
        noise += bytes.size();
        sb.bytes_offered(bytes);
    }
    std::span<const std::uint8_t> frame(int i) { return {stream.data() + recs[i].stream_offset, recs[i].total}; }
    std::span<const std::uint8_t> bytes(std::size_t from, std::size_t n) { return {stream.data() + from, n}; }
};

std::string all(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& m : v)
        s += m + "\n";
    return s;
}

// Recomputes a candidate's CRC so that only the scoreboard can tell it from a frame.
void fix_crc(std::vector<std::uint8_t>& f) {
    const std::uint16_t crc = crc16_ccitt_false({f.data() + 2, f.size() - 4});
    f[f.size() - 2] = static_cast<std::uint8_t>(crc);
    f[f.size() - 1] = static_cast<std::uint8_t>(crc >> 8);
}

traffic_config long_frames() {
    traffic_config c;
    c.seed = 3;
    c.payload_min = 100;
    c.payload_max = 100;
    return c;
}

TEST(tb_scoreboard, clean_run_balances) {
    scored s;
    s.send(5);
    for (int i = 0; i < 5; ++i)
        s.sb.delivered(s.frame(i), 1e-6 * (i + 1));
    s.sb.finish(0, {}, false);
    EXPECT_TRUE(s.sb.ok()) << all(s.sb.errors());
    EXPECT_EQ(s.sb.totals().frames_delivered, 5u);
    EXPECT_TRUE(s.sb.totals().located);
    EXPECT_EQ(s.sb.latency().count, 5u);
    EXPECT_NEAR(s.sb.latency().max, 5e-6, 1e-9);
}

TEST(tb_scoreboard, duplicate_out_of_order_and_lost_frames_are_errors) {
    scored s;
    s.send(4);
    s.sb.delivered(s.frame(0), 0);
    s.sb.delivered(s.frame(0), 0);  // duplicate
    s.sb.delivered(s.frame(2), 0);  // frame 1 passed over
    s.sb.delivered(s.frame(1), 0);  // out of order
    s.sb.finish(0, s.frame(3), false);
    ASSERT_FALSE(s.sb.ok());
    const auto& e = s.sb.errors();
    EXPECT_NE(e[0].find("matches no pending intact frame"), std::string::npos) << e[0];
    EXPECT_NE(e[0].find("stale or repeated data"), std::string::npos) << "where the duplicate came from: " << e[0];
    bool lost = false, undelivered = false;
    for (const auto& m : e) {
        lost |= m.find("passed over") != std::string::npos;
        undelivered |= m.find("never delivered; the first is frame 3") != std::string::npos;
    }
    EXPECT_TRUE(lost) << all(e);
    EXPECT_TRUE(undelivered) << all(e);
}

TEST(tb_scoreboard, a_changed_payload_byte_is_named_by_frame_and_offset) {
    scored s;
    s.send(2);
    std::vector<std::uint8_t> bad(s.frame(1).begin(), s.frame(1).end());
    bad[header_bytes + 2] ^= 0x01;
    fix_crc(bad);
    s.sb.delivered(s.frame(0), 0);
    s.sb.delivered(bad, 0);
    ASSERT_FALSE(s.sb.ok());
    const std::string& e = s.sb.errors()[0];
    EXPECT_NE(e.find("frame 1 "), std::string::npos) << e;
    EXPECT_NE(e.find("payload byte 2 (frame offset 8)"), std::string::npos) << e;
    EXPECT_NE(e.find("never sent"), std::string::npos) << "the changed byte's 8 bytes are nowhere: " << e;
}

TEST(tb_scoreboard, unbalanced_bytes_are_reported_with_every_term) {
    scored s;
    s.send(1);
    const std::uint8_t three[] = {1, 2, 3};
    s.sb.finish(0, three, true);
    ASSERT_FALSE(s.sb.ok());
    const std::string e = all(s.sb.errors());
    EXPECT_NE(e.find("bytes do not balance: in "), std::string::npos) << e;
    EXPECT_NE(e.find("buffered 3 "), std::string::npos) << e;
    EXPECT_NE(e.find("bytes the client left in Ping are not the sent stream"), std::string::npos) << e;
}

// The soak's two findings, in miniature: Ping (LIMIT = frame 0 and 50 bytes of frame 1) full, the
// rest of frame 1 dropped, then bytes sent later whose last two happen to be the CRC of the whole:
// a valid frame that is no sent frame. Where the device drops at Ping full that is a framing false
// accept, counted and described; where it never drops, the same bytes are a defect.
struct splice {
    scored s;
    std::vector<std::uint8_t> candidate;
    std::size_t cut = 50, head = 0, gap = 0;
    explicit splice(bool drops) : s(drops ? static_cast<std::uint32_t>(108 + 50) : 0, long_frames()) {
        s.send(2);
        const std::size_t total = s.recs[1].total;
        head = s.recs[1].stream_offset;
        gap = total - cut;  // the dropped tail of frame 1
        // Bytes sent after frame 1 (no sync among them) that end in the candidate's CRC.
        std::vector<std::uint8_t> tail(total - cut);
        for (std::size_t i = 0; i < tail.size(); ++i)
            tail[i] = static_cast<std::uint8_t>(0x10 + i);
        candidate.assign(s.frame(1).begin(), s.frame(1).begin() + static_cast<long>(cut));
        candidate.insert(candidate.end(), tail.begin(), tail.end());
        fix_crc(candidate);
        s.send_noise({candidate.data() + cut, candidate.size() - cut});
        s.send(1);
    }
};

TEST(tb_scoreboard, a_splice_across_dropped_bytes_is_a_false_accept_not_a_defect) {
    splice x(true);
    auto& s = x.s;
    ASSERT_EQ(s.recs[0].total, 108u);
    ASSERT_EQ(check_frame(x.candidate, frame_crc::crc16).result, frame_check::ok);
    s.sb.delivered(s.frame(0), 0);
    s.sb.delivered(x.candidate, 0);
    s.sb.delivered(s.frame(2), 0);
    s.sb.finish(x.gap, {}, true);
    EXPECT_TRUE(s.sb.ok()) << all(s.sb.errors());
    const auto& t = s.sb.totals();
    EXPECT_EQ(t.frames_delivered, 2u);
    EXPECT_EQ(t.frames_false_accepted, 1u);
    EXPECT_EQ(t.frames_lost_to_false_accepts, 1u) << "frame 1: its head went into the false accept";
    EXPECT_EQ(t.bytes_false_accepted, x.candidate.size());
    EXPECT_EQ(t.bytes_skipped, x.gap);
    EXPECT_TRUE(t.located);
    ASSERT_EQ(s.sb.notes().size(), 1u);
    const std::string& n = s.sb.notes()[0];
    const std::string runs = "[" + std::to_string(x.head) + ", " + std::to_string(x.head + x.cut) + ") + [" +
                             std::to_string(x.head + x.cut + x.gap) + ", ";
    EXPECT_NE(n.find("false accept (crc16 matched by chance)"), std::string::npos) << n;
    EXPECT_NE(n.find("at the sync of frame 1"), std::string::npos) << n;
    EXPECT_NE(n.find(runs), std::string::npos) << n;
    EXPECT_NE(n.find("the " + std::to_string(x.gap) + " bytes between were dropped"), std::string::npos) << n;
}

TEST(tb_scoreboard, the_same_splice_where_nothing_may_be_dropped_is_a_defect) {
    splice x(false);
    auto& s = x.s;
    s.sb.delivered(s.frame(0), 0);
    s.sb.delivered(x.candidate, 0);
    ASSERT_FALSE(s.sb.ok());
    const std::string& e = s.sb.errors()[0];
    EXPECT_NE(e.find("frame 1 "), std::string::npos) << e;
    EXPECT_NE(e.find("stream offset 158), where no byte could be dropped"), std::string::npos) << e;
    EXPECT_NE(e.find("were sent 58 bytes later (stream offset 216): bytes vanished"), std::string::npos) << e;
    EXPECT_EQ(s.sb.totals().frames_false_accepted, 0u);
}

TEST(tb_scoreboard, stale_bytes_after_a_frame_head_are_a_defect_even_where_drops_are_possible) {
    scored s(108, long_frames());  // Ping full with frame 0: frame 1 may be dropped whole
    s.send(3);
    // Frame 2's head, then frame 0's bytes (an earlier fill of the bank), with a CRC that passes.
    std::vector<std::uint8_t> bad(s.frame(2).begin(), s.frame(2).begin() + 40);
    bad.insert(bad.end(), s.frame(0).begin() + 40, s.frame(0).end());
    fix_crc(bad);
    s.sb.delivered(s.frame(0), 0);
    s.sb.delivered(bad, 0);
    ASSERT_FALSE(s.sb.ok());
    const std::string& e = s.sb.errors()[0];
    EXPECT_NE(e.find("frame 2 "), std::string::npos) << e;
    EXPECT_NE(e.find("stale or repeated data"), std::string::npos) << e;
}

TEST(tb_scoreboard, a_changed_byte_that_the_parser_discards_is_a_defect_even_where_drops_are_possible) {
    scored s(100, long_frames());
    s.send(3);
    s.sb.delivered(s.frame(0), 0);
    // The client rejects frame 1 for its CRC: the changed byte leaves Ping through Shift.
    std::vector<std::uint8_t> one(s.frame(1).begin(), s.frame(1).end());
    one[30] ^= 0x40;
    s.sb.discarded({one.data(), 1});
    s.sb.discarded({one.data() + 1, one.size() - 1});
    s.sb.delivered(s.frame(2), 0);
    s.sb.finish(0, {}, true);
    ASSERT_FALSE(s.sb.ok());
    EXPECT_NE(s.sb.errors()[0].find("bytes the client discarded are not the sent stream"), std::string::npos)
        << all(s.sb.errors());
    EXPECT_NE(s.sb.errors()[0].find("never sent"), std::string::npos) << all(s.sb.errors());
}

TEST(tb_scoreboard, a_false_sync_inside_a_header_is_a_false_accept_where_nothing_was_dropped) {
    scored s(0, long_frames());
    s.send(1);
    // Noise that holds a sync pair, then a candidate made of the noise and frame 1's first bytes,
    // whose last two bytes happen to be its CRC.
    std::vector<std::uint8_t> cand = {sync0, sync1, 4, 0, 0x22, 0x33, 1, 2, 3, 4, 0, 0};
    fix_crc(cand);
    s.send_noise({cand.data(), cand.size()});
    s.send(1);
    s.sb.delivered(s.frame(0), 0);
    s.sb.delivered(cand, 0);
    s.sb.delivered(s.frame(1), 0);
    s.sb.finish(0, {}, false);
    EXPECT_TRUE(s.sb.ok()) << all(s.sb.errors());
    EXPECT_EQ(s.sb.totals().frames_false_accepted, 1u);
    EXPECT_EQ(s.sb.totals().frames_delivered, 2u);
    ASSERT_EQ(s.sb.notes().size(), 1u);
    EXPECT_NE(s.sb.notes()[0].find("in noise between frames"), std::string::npos) << s.sb.notes()[0];
}

// A toy of the device's drop rule: bytes go into Ping one at a time and are dropped while it holds
// LIMIT; a client takes what it likes with commands. provenance must locate every byte, with the
// dropped ones as its gaps, and must refuse the stream once one byte is wrong or one byte vanishes
// where Ping was not full.
struct toy_run {
    enum class fault : std::uint8_t { none, changed_byte, vanished_byte };
    std::uint32_t limit;
    std::mt19937 rng;
    std::vector<std::uint8_t> sent;
    std::deque<std::uint8_t> ping;
    std::uint64_t dropped = 0, faults = 0;
    toy_run(std::uint32_t l, unsigned seed) : limit(l), rng(seed) {}

    void run(provenance& p, fault f, int steps) {
        std::vector<std::uint8_t> took;
        std::uint64_t taken = 0;
        std::vector<std::uint64_t> droppable;  // observed indices where a gap may lie
        droppable.push_back(limit);
        for (int step = 0; step < steps; ++step) {
            std::vector<std::uint8_t> chunk(1 + rng() % (2 * limit));
            for (auto& b : chunk)
                b = static_cast<std::uint8_t>(rng());
            sent.insert(sent.end(), chunk.begin(), chunk.end());
            p.sent(chunk);
            for (const std::uint8_t b : chunk) {
                const std::uint64_t at = taken + ping.size();
                const bool may_drop = std::find(droppable.begin(), droppable.end(), at) != droppable.end();
                if (ping.size() == limit) {
                    ++dropped;
                } else if (f == fault::vanished_byte && !faults && !may_drop && ping.size() > 2 && step > 20) {
                    ++faults;  // lost although Ping had room
                } else {
                    ping.push_back(b);
                }
            }
            // The client: a Shift, or a Consume of some bytes after some skipped ones.
            const std::size_t n = rng() % (ping.size() + 1);
            took.assign(ping.begin(), ping.begin() + static_cast<long>(n));
            ping.erase(ping.begin(), ping.begin() + static_cast<long>(n));
            if (f == fault::changed_byte && !faults && n > 4 && step > 20) {
                took[n / 2] ^= 0x10;
                ++faults;
            }
            if (rng() % 2 && n > 1) {
                const std::size_t k = rng() % n;
                p.taken({took.data(), k}, false);
                (void)p.packet({took.data() + k, n - k});
            } else {
                p.taken(took, true);
            }
            taken += n;
            droppable.push_back(taken + limit);
        }
        const std::vector<std::uint8_t> left(ping.begin(), ping.end());
        p.finish(left);
    }
};

TEST(tb_provenance, every_byte_of_a_lossy_stream_is_located_with_the_dropped_ones_as_gaps) {
    for (const std::uint32_t limit : {1u, 2u, 7u, 64u, 1000u}) {
        for (unsigned seed = 1; seed <= 20; ++seed) {
            provenance p(limit);
            toy_run t(limit, seed);
            t.run(p, toy_run::fault::none, 200);
            ASSERT_TRUE(p.available()) << "limit " << limit << " seed " << seed << ": " << p.defect();
            EXPECT_EQ(p.gap_bytes(), t.dropped) << "limit " << limit << " seed " << seed;
        }
    }
}

// A wrong byte in a short run after a place where bytes may have been dropped can be placed, by
// chance, further on in the stream (runs are short only when Ping is tiny or the client takes a byte
// at a time while it is full): so it is always found at a LIMIT of 64 and more, and nearly always
// at 7.
TEST(tb_provenance, one_changed_byte_is_found_where_drops_are_possible) {
    for (const std::uint32_t limit : {7u, 64u, 1000u}) {
        int found = 0, runs = 0;
        for (unsigned seed = 1; seed <= 40; ++seed) {
            provenance p(limit);
            toy_run t(limit, seed);
            t.run(p, toy_run::fault::changed_byte, 200);
            if (!t.faults)
                continue;
            ++runs;
            found += !p.available();
        }
        ASSERT_GT(runs, 30) << limit;
        if (limit >= 64)
            EXPECT_EQ(found, runs) << limit;
        else
            EXPECT_GE(found, runs * 9 / 10) << limit;
    }
}

TEST(tb_provenance, one_byte_lost_where_ping_had_room_is_found) {
    int found = 0, runs = 0;
    for (const std::uint32_t limit : {7u, 64u, 1000u}) {
        for (unsigned seed = 1; seed <= 20; ++seed) {
            provenance p(limit);
            toy_run t(limit, seed);
            t.run(p, toy_run::fault::vanished_byte, 200);
            if (!t.faults)
                continue;
            ++runs;
            found += !p.available();
            if (p.available())
                ADD_FAILURE() << "limit " << limit << " seed " << seed;
        }
    }
    ASSERT_GT(runs, 40);
    EXPECT_EQ(found, runs);
}

TEST(tb_provenance, where_nothing_may_be_dropped_a_missing_byte_is_named) {
    std::vector<std::uint8_t> sent(300);
    std::mt19937 rng(3);
    for (auto& b : sent)
        b = static_cast<std::uint8_t>(rng());
    provenance p(0);
    p.sent(sent);
    p.taken({sent.data(), 100}, true);
    p.taken({sent.data() + 101, 50}, true);
    ASSERT_FALSE(p.available());
    EXPECT_NE(p.defect().find("stream offset 100"), std::string::npos) << p.defect();
    EXPECT_NE(p.defect().find("were sent 1 bytes later (stream offset 101): bytes vanished"), std::string::npos)
        << p.defect();
}

TEST(tb_provenance, bytes_the_source_dropped_are_not_expected) {
    std::vector<std::uint8_t> sent(300);
    std::mt19937 rng(4);
    for (auto& b : sent)
        b = static_cast<std::uint8_t>(rng());
    provenance p(0);
    p.sent({sent.data(), 200});
    p.source_dropped(50);  // bytes [150, 200) never reached the device
    p.sent({sent.data() + 200, 100});
    std::vector<std::uint8_t> packet(sent.begin() + 120, sent.begin() + 150);
    packet.insert(packet.end(), sent.begin() + 200, sent.begin() + 220);
    p.taken({sent.data(), 120}, true);
    ASSERT_TRUE(p.packet(packet)) << p.defect();
    ASSERT_EQ(p.runs().size(), 2u) << "a run is cut where the source dropped bytes";
    EXPECT_EQ(p.runs()[0].stream, 120u);
    EXPECT_EQ(p.runs()[1].at, 30u);
    EXPECT_EQ(p.runs()[1].stream, 200u);
    p.finish({sent.data() + 220, 80});
    EXPECT_TRUE(p.available()) << p.defect();
    EXPECT_EQ(p.source_dropped_bytes(), 50u);
}

TEST(tb_provenance, bytes_never_taken_need_a_full_ping_at_the_end) {
    std::vector<std::uint8_t> sent(100, 9);
    provenance lossless(0), lossy(10);
    lossless.sent(sent);
    lossless.finish({sent.data(), 90});
    EXPECT_FALSE(lossless.available());
    EXPECT_NE(lossless.defect().find("never took the last 10 bytes"), std::string::npos) << lossless.defect();
    lossy.sent(sent);
    lossy.taken({sent.data(), 80}, true);
    lossy.finish({sent.data(), 10});  // Ping full (LIMIT 10) with the 10 after them: the rest dropped
    EXPECT_TRUE(lossy.available()) << lossy.defect();
    EXPECT_EQ(lossy.gap_bytes(), 10u);
}

// Found by ppb-cosim on the native backend: Ping full, the rest of the stream dropped but for its
// very last byte, which came after the client made room. Placed at the nearest place that fits, the
// one-byte run would leave sent bytes unreached at the end with Ping not full; it ends where the
// stream ends.
TEST(tb_provenance, a_last_run_after_a_gap_ends_where_the_stream_ends) {
    std::vector<std::uint8_t> sent(200);
    for (std::size_t i = 0; i < sent.size(); ++i)
        sent[i] = static_cast<std::uint8_t>(i % 50);  // the last byte's value recurs in the gap
    provenance p(100);
    p.sent(sent);
    p.taken({sent.data(), 30}, true);  // Ping held [0, 100) when [100, 199) was dropped
    std::vector<std::uint8_t> left(sent.begin() + 30, sent.begin() + 100);
    left.push_back(sent.back());
    p.finish(left);
    EXPECT_TRUE(p.available()) << p.defect();
    EXPECT_EQ(p.gap_bytes(), 99u);
}

TEST(tb_provenance, bytes_the_source_has_not_sent_are_a_defect) {
    std::vector<std::uint8_t> sent(100, 7);
    provenance p(0);
    p.sent(sent);
    const std::uint8_t more[] = {7, 7, 7};
    p.taken(sent, true);
    p.taken(more, true);
    EXPECT_FALSE(p.available());
    EXPECT_NE(p.defect().find("which the source has not sent yet"), std::string::npos) << p.defect();
}

// A lossless stream is one run from its first byte to its last: what lies behind the client is
// dropped all the same, so a stream far longer than max_unlocated is located to its end, and a
// stale byte late in it is still told apart from one never sent.
TEST(tb_provenance, a_long_lossless_stream_is_located_in_bounded_memory) {
    provenance p(0, 4096, 64 * 1024);
    std::mt19937 rng(5);
    std::vector<std::uint8_t> chunk(1000);
    std::vector<std::uint8_t> last;
    for (int i = 0; i < 4000; ++i) {  // 4 MB, 64 times max_unlocated
        for (auto& b : chunk)
            b = static_cast<std::uint8_t>(rng());
        p.sent(chunk);
        p.taken(chunk, true);
        ASSERT_TRUE(p.available()) << "chunk " << i << ": " << p.defect();
        last = chunk;
    }
    // The client takes the last chunk's first 16 bytes again: stale, 1000 bytes earlier.
    for (auto& b : chunk)
        b = static_cast<std::uint8_t>(rng());
    p.sent(chunk);
    p.taken({last.data(), 16}, true);
    ASSERT_FALSE(p.available());
    EXPECT_NE(p.defect().find("stream offset 4000000"), std::string::npos) << p.defect();
    EXPECT_NE(p.defect().find("were sent 1000 bytes earlier (stream offset 3999000): stale or repeated data"),
              std::string::npos)
        << p.defect();
}

TEST(tb_provenance, locating_stops_rather_than_hold_an_unbounded_stream) {
    provenance p(64, 1024, 4096);
    std::vector<std::uint8_t> chunk(1000, 1);
    for (int i = 0; i < 5; ++i)
        p.sent(chunk);
    EXPECT_FALSE(p.available());
    EXPECT_TRUE(p.stopped());
    EXPECT_NE(p.defect().find("stopped locating"), std::string::npos) << p.defect();
}

// The parser over DMF's native module, fed by hand through Write (no simulation).
TEST(tb_client, parses_noise_corruption_and_split_frames_through_dmf_methods) {
    WDFDEVICE device = nullptr;
    ASSERT_EQ(PpbNativeDeviceCreate(&device), STATUS_SUCCESS);
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
    config.BufferSize = 2048;
    DMFMODULE module = nullptr;
    ASSERT_EQ(DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module), STATUS_SUCCESS);

    traffic_config tc;
    tc.seed = 77;
    tc.payload_min = 0;
    tc.payload_max = 600;
    tc.noise_probability = 0.3;
    tc.corrupt_probability = 0.2;
    traffic_generator gen(tc);
    scoreboard sb(tc);
    client_config cc;
    cc.buffer_size = 2048;
    client_hooks hooks;
    hooks.now = [] { return 0.0; };
    hooks.spend = [](double) {};
    hooks.wait_for_data = [](std::uint32_t) {};
    frame_client client(module, sb, cc, hooks);

    std::mt19937 rng(5);
    std::vector<std::uint8_t> stream;
    std::size_t fed = 0;
    for (int i = 0; i < 3000; ++i) {
        const frame_record r = gen.next(stream);
        sb.sent(r, 0);
    }
    while (fed < stream.size()) {
        std::size_t n = std::min<std::size_t>(1 + rng() % 300, stream.size() - fed);
        ULONG size = 0;
        ASSERT_NE(DMF_PingPongBuffer_Get(module, &size), nullptr);
        n = std::min<std::size_t>(n, 2048 - size);
        ASSERT_GT(n, 0u) << "the parser must always leave room";
        ULONG result = 0;
        ASSERT_EQ(DMF_PingPongBuffer_Write(module, stream.data() + fed, static_cast<ULONG>(n), &result),
                  STATUS_SUCCESS);
        sb.bytes_offered({stream.data() + fed, n});
        fed += n;
        client.pass();
        ASSERT_TRUE(client.error().empty()) << client.error();
    }
    sb.finish(0, client.contents(), false);
    EXPECT_TRUE(sb.ok()) << (sb.errors().empty() ? "" : sb.errors()[0]);
    EXPECT_EQ(sb.totals().frames_delivered, sb.totals().frames_intact);
    EXPECT_GT(sb.totals().frames_corrupted, 400u);
    EXPECT_EQ(sb.totals().frames_rejected, sb.totals().frames_corrupted);
    EXPECT_GT(client.stats().bad_crc + client.stats().bad_length, 0u);
    WdfObjectDelete(device);
}

}  // namespace
}  // namespace ppb::tb
