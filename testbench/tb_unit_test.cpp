// Unit tests of the testbench's parts that need no simulation: the frame format, the traffic
// generator, the scoreboard's accounting and messages, and the parser over DMF's native semantics.
#include "driver/dmf/ppb_device.h"
#include "testbench/frame_client.hpp"
#include "testbench/scoreboard.hpp"
#include "testbench/traffic.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace ppb::tb {
namespace {

TEST(tb_frame, crc16_ccitt_false_check_value) {
    const std::string s = "123456789";
    EXPECT_EQ(crc16_ccitt_false({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}), 0x29B1);
}

TEST(tb_frame, encode_then_check_round_trips_and_every_single_bit_flip_is_caught) {
    std::vector<std::uint8_t> payload = {1, 2, 3, 0xA5, 0x7F, 9};
    std::vector<std::uint8_t> f;
    encode_frame(0x1234, payload, f);
    ASSERT_EQ(f.size(), overhead_bytes + payload.size());
    EXPECT_EQ(f[0], sync0);
    EXPECT_EQ(f[1], sync1);
    const frame_view v = check_frame(f);
    ASSERT_EQ(v.result, frame_check::ok);
    EXPECT_EQ(v.sequence, 0x1234);
    EXPECT_EQ(std::vector<std::uint8_t>(v.payload.begin(), v.payload.end()), payload);
    for (std::size_t byte = 2; byte < f.size(); ++byte) {
        for (int bit = 0; bit < 8; ++bit) {
            auto g = f;
            g[byte] ^= static_cast<std::uint8_t>(1 << bit);
            const frame_view w = check_frame(g);
            EXPECT_NE(w.result, frame_check::ok) << "flip of bit " << bit << " in byte " << byte << " went unseen";
        }
    }
    for (std::size_t n = 0; n < f.size(); ++n)
        EXPECT_EQ(check_frame({f.data(), n}).result, frame_check::need_more) << n;
}

TEST(tb_frame, length_above_the_maximum_is_refused_from_the_header) {
    const std::uint8_t h[] = {sync0, sync1, 0xDD, 0x05, 0, 0};  // 1501
    EXPECT_EQ(check_frame(h).result, frame_check::bad_length);
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
    traffic_config c;
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
        EXPECT_EQ(r.total, overhead_bytes + r.payload_length);
        EXPECT_EQ(s1[r.stream_offset], sync0);
        corrupted += !r.intact();
        noisy += r.noise_before > 0;
        if (r.intact()) {
            const frame_view v = check_frame({s1.data() + r.stream_offset, r.total});
            ASSERT_EQ(v.result, frame_check::ok);
            std::vector<std::uint8_t> p;
            make_payload(c.seed, r.index, r.payload_length, p);
            EXPECT_TRUE(std::equal(p.begin(), p.end(), v.payload.begin()));
        } else {
            EXPECT_NE(check_frame({s1.data() + r.stream_offset, s1.size() - r.stream_offset}).result, frame_check::ok);
        }
    }
    EXPECT_EQ(s1, s2);
    EXPECT_EQ(g1.bytes_generated(), s1.size());
    EXPECT_NEAR(corrupted, 600, 100);
    EXPECT_NEAR(noisy, 1000, 120);
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
    EXPECT_NE(validate(c).find("exceeds maximum"), std::string::npos);
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
    scoreboard sb{cfg.seed};
    std::vector<std::uint8_t> stream;
    std::vector<frame_record> recs;
    void send(int n) {
        for (int i = 0; i < n; ++i) {
            const std::size_t before = stream.size();
            recs.push_back(gen.next(stream));
            sb.sent(recs.back(), 0.0);
            sb.bytes_offered(stream.size() - before);
        }
    }
    std::span<const std::uint8_t> frame(int i) { return {stream.data() + recs[i].stream_offset, recs[i].total}; }
};

TEST(tb_scoreboard, clean_run_balances) {
    scored s;
    s.send(5);
    for (int i = 0; i < 5; ++i)
        s.sb.delivered(s.frame(i), 1e-6 * (i + 1));
    s.sb.finish(0, 0, false);
    EXPECT_TRUE(s.sb.ok()) << (s.sb.errors().empty() ? "" : s.sb.errors()[0]);
    EXPECT_EQ(s.sb.totals().frames_delivered, 5u);
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
    s.sb.finish(0, s.recs[3].total, false);
    ASSERT_FALSE(s.sb.ok());
    const auto& e = s.sb.errors();
    EXPECT_NE(e[0].find("matches no pending intact frame"), std::string::npos) << e[0];
    bool lost = false, undelivered = false;
    for (const auto& m : e) {
        lost |= m.find("passed over") != std::string::npos;
        undelivered |= m.find("never delivered; the first is frame 3") != std::string::npos;
    }
    EXPECT_TRUE(lost);
    EXPECT_TRUE(undelivered);
}

TEST(tb_scoreboard, a_changed_payload_byte_is_named_by_frame_and_offset) {
    scored s;
    s.send(2);
    std::vector<std::uint8_t> bad(s.frame(1).begin(), s.frame(1).end());
    // Change payload byte 2 and recompute the CRC so that only the scoreboard can tell.
    bad[header_bytes + 2] ^= 0x01;
    const std::uint16_t crc = crc16_ccitt_false({bad.data() + 2, bad.size() - 4});
    bad[bad.size() - 2] = static_cast<std::uint8_t>(crc);
    bad[bad.size() - 1] = static_cast<std::uint8_t>(crc >> 8);
    s.sb.delivered(s.frame(0), 0);
    s.sb.delivered(bad, 0);
    ASSERT_FALSE(s.sb.ok());
    EXPECT_NE(s.sb.errors()[0].find("frame 1 "), std::string::npos) << s.sb.errors()[0];
    EXPECT_NE(s.sb.errors()[0].find("payload byte 2 (frame offset 8)"), std::string::npos) << s.sb.errors()[0];
}

TEST(tb_scoreboard, unbalanced_bytes_are_reported_with_every_term) {
    scored s;
    s.send(1);
    s.sb.finish(0, 3, true);
    ASSERT_FALSE(s.sb.ok());
    EXPECT_NE(s.sb.errors()[0].find("bytes do not balance: in "), std::string::npos) << s.sb.errors()[0];
    EXPECT_NE(s.sb.errors()[0].find("buffered 3"), std::string::npos);
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
    scoreboard sb(tc.seed);
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
        ASSERT_EQ(DMF_PingPongBuffer_Write(module, stream.data() + fed, static_cast<ULONG>(n), &result), STATUS_SUCCESS);
        sb.bytes_offered(n);
        fed += n;
        client.pass();
        ASSERT_TRUE(client.error().empty()) << client.error();
    }
    sb.finish(0, client.buffered(), false);
    EXPECT_TRUE(sb.ok()) << (sb.errors().empty() ? "" : sb.errors()[0]);
    EXPECT_EQ(sb.totals().frames_delivered, sb.totals().frames_intact);
    EXPECT_GT(sb.totals().frames_corrupted, 400u);
    EXPECT_EQ(sb.totals().frames_rejected, sb.totals().frames_corrupted);
    EXPECT_GT(client.stats().bad_crc + client.stats().bad_length, 0u);
    WdfObjectDelete(device);
}

}  // namespace
}  // namespace ppb::tb
