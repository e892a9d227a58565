// Co-simulation scenarios: each asserts the scoreboard's figures, not only that the run passed.
// Each runs in its own process. Backend `tlm` is the driver over the TLM model; `native` is DMF's
// semantics in host memory, which must deliver exactly the same frames when nothing is dropped.
// The base-protocol checkers sit on both sockets (a violation is a run error). Every scenario runs
// at three timings: the nominal global quantum (1 us) with full traffic, and both extremes, a
// quantum of 0 and of 2 ms, with a tenth of it (interrupts must arrive and polling must end in
// both). The fault scenarios at the end stop the link in mid-frame and fail a COMMIT on the bus.
#include "testbench/cosim.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

// Built twice: over the TLM model (suite cosim) and over the Verilated RTL (suite cosim_rtl, label
// rtl), so every scenario runs unchanged on both. The RTL is verilated for CAPACITY 1024 and 4096.
#ifndef PPB_COSIM_BACKEND
#define PPB_COSIM_BACKEND tlm
#define PPB_COSIM_SUITE cosim
#endif
#define PPB_COSIM_JOIN2(a, b) a##b
#define PPB_COSIM_JOIN(a, b) PPB_COSIM_JOIN2(a, b)
#define PPB_COSIM_FA_SUITE PPB_COSIM_JOIN(PPB_COSIM_SUITE, _false_accept)

namespace ppb::tb {
namespace {

struct timing {
    const char* name;
    double quantum;        // seconds
    std::uint64_t divide;  // traffic is this many times smaller than nominal
};

void PrintTo(const timing& t, std::ostream* os) {
    *os << t.name;
}

class PPB_COSIM_SUITE : public ::testing::TestWithParam<timing> {
protected:
    cosim_config base(std::uint64_t packets = 1500) const {
        cosim_config c;
        c.backend = backend_kind::PPB_COSIM_BACKEND;
        c.packets = std::max<std::uint64_t>(packets / GetParam().divide, 40);
        c.capacity = 4096;
        c.traffic.payload_min = 8;
        c.traffic.payload_max = 400;
        c.link_rate = 40e6;
        c.quantum = GetParam().quantum;
        if (const char* s = std::getenv("PPB_SEED"))
            c.traffic.seed = std::strtoull(s, nullptr, 0);
        return c;
    }
};

INSTANTIATE_TEST_SUITE_P(timing, PPB_COSIM_SUITE,
                         ::testing::Values(timing{"quantum_1us", 1e-6, 1}, timing{"quantum_0", 0.0, 10},
                                           timing{"quantum_2ms", 2e-3, 10}),
                         [](const auto& p) { return std::string(p.param.name); });

std::string errors(const cosim_result& r) {
    std::string s;
    for (const auto& e : r.errors)
        s += "\n  " + e;
    return s;
}

void expect_clean(const cosim_result& r) {
    ASSERT_TRUE(r.ok()) << errors(r);
    const auto& t = r.totals;
    EXPECT_EQ(t.frames_delivered, t.frames_intact);
    EXPECT_EQ(t.frames_rejected, t.frames_corrupted);
    EXPECT_EQ(t.frames_lost, 0u);
    EXPECT_EQ(t.bytes_dropped, 0u);
    EXPECT_EQ(t.bytes_in, t.bytes_delivered + t.bytes_discarded + t.bytes_buffered);
    EXPECT_GT(r.sim_seconds, 0.0);
    EXPECT_EQ(r.latency.count, t.frames_delivered);
}

// The checkers were in line and saw the traffic (their violations are in r.errors).
void expect_checked(const cosim_config& c, const cosim_result& r) {
    if (c.backend != backend_kind::native) {
        EXPECT_GT(r.checked, 0u);
        EXPECT_GE(r.checked, r.reg_reads + r.reg_writes) << "the protocol checkers did not see the traffic";
    }
}

TEST_P(PPB_COSIM_SUITE, clean_stream_delivers_every_frame) {
    auto c = base();
    const auto r = run_cosim(c);
    expect_clean(r);
    expect_checked(c, r);
    EXPECT_EQ(r.totals.frames_sent, c.packets);
    EXPECT_EQ(r.totals.bytes_discarded, 0u);
    EXPECT_EQ(r.totals.bytes_buffered, 0u);
    EXPECT_EQ(r.swaps, r.client.consumes);
    // Today's budget of the driver (Get, Consume, and the interrupt wait per frame); issue 7 aims at 6.
    // A nominal-traffic figure: the short runs at the timing extremes amortise less.
    if (GetParam().divide == 1) {
        EXPECT_LE(static_cast<double>(r.reg_reads + r.reg_writes) / static_cast<double>(r.totals.frames_delivered),
                  12.0);
    }
}

TEST_P(PPB_COSIM_SUITE, noise_and_corruption_are_rejected_and_counted) {
    auto c = base();
    c.traffic.noise_probability = 0.3;
    c.traffic.corrupt_probability = 0.1;
    const auto r = run_cosim(c);
    expect_clean(r);
    EXPECT_GT(r.totals.frames_corrupted, c.packets / 30);
    EXPECT_GT(r.totals.bytes_discarded, 0u);
    EXPECT_GT(r.client.shifts, 0u);
}

TEST_P(PPB_COSIM_SUITE, overflow_under_the_drop_policy_balances) {
    auto c = base(800);
    c.capacity = 1024;
    c.link_rate = 100e6;
    c.cost_per_packet = 5e-6;  // a slow consumer: Ping fills
    c.drop_when_full = true;
    const auto r = run_cosim(c);
    ASSERT_TRUE(r.ok()) << errors(r);
    const auto& t = r.totals;
    EXPECT_GT(t.bytes_dropped, 0u);
    EXPECT_GT(t.frames_lost + t.frames_pending, 0u);
    EXPECT_EQ(t.bytes_in, t.bytes_delivered + t.bytes_discarded + t.bytes_dropped + t.bytes_buffered);
    EXPECT_LT(t.frames_delivered, t.frames_intact);
}

TEST_P(PPB_COSIM_SUITE, back_pressure_drops_nothing) {
    auto c = base(800);
    c.capacity = 1024;
    c.link_rate = 100e6;
    c.cost_per_packet = 5e-6;
    const auto r = run_cosim(c);
    expect_clean(r);
    EXPECT_EQ(r.peak_fill, 1024u) << "the slow consumer must have let Ping fill up";
}

TEST_P(PPB_COSIM_SUITE, host_mode_with_random_chunks) {
    auto c = base();
    c.mode = source_kind::host;
    c.chunk = 200;
    c.traffic.noise_probability = 0.1;
    const auto r = run_cosim(c);
    expect_clean(r);
}

TEST_P(PPB_COSIM_SUITE, polling_instead_of_interrupts) {
    auto c = base(600);
    c.wait = wait_kind::poll;
    c.poll_interval = 2e-6;
    const auto r = run_cosim(c);
    expect_clean(r);
}

TEST_P(PPB_COSIM_SUITE, reset_in_mid_stream_discards_and_still_balances) {
    auto c = base(1000);
    c.reset_after = c.packets * 3 / 10;
    const auto r = run_cosim(c);
    ASSERT_TRUE(r.ok()) << errors(r);
    EXPECT_EQ(r.client.resets, 1u);
    EXPECT_GE(r.totals.frames_delivered, c.reset_after);
    EXPECT_EQ(r.totals.bytes_in, r.totals.bytes_delivered + r.totals.bytes_discarded + r.totals.bytes_buffered);
}

TEST_P(PPB_COSIM_SUITE, without_dmi_the_driver_mirrors_and_delivers_the_same) {
    auto c = base(800);
    c.dmi = false;
    c.traffic.noise_probability = 0.2;
    const auto r = run_cosim(c);
    expect_clean(r);
}

// ------------------------------------------------------------------------------------- faults

// The link stops in the middle of a frame and never resumes: the client must not hang, every whole
// frame before the cut is delivered, and the cut frame's bytes stay buffered, accounted for.
TEST_P(PPB_COSIM_SUITE, a_stream_that_stops_in_mid_frame_leaves_its_bytes_buffered) {
    auto c = base(400);
    c.traffic.noise_probability = 0.1;
    c.cut_after_bytes = 9001;  // with this seed's traffic: inside a frame
    const auto r = run_cosim(c);
    ASSERT_TRUE(r.ok()) << errors(r);
    const auto& t = r.totals;
    EXPECT_EQ(t.bytes_in, c.cut_after_bytes);
    EXPECT_EQ(t.bytes_in, t.bytes_delivered + t.bytes_discarded + t.bytes_dropped + t.bytes_buffered);
    EXPECT_EQ(t.frames_pending, 1u) << "the cut frame is the one frame not delivered";
    EXPECT_EQ(t.frames_lost, 0u);
    EXPECT_EQ(t.frames_delivered + t.frames_pending, t.frames_intact);
    EXPECT_GT(t.bytes_buffered, 0u);
    EXPECT_LT(t.bytes_buffered, overhead_bytes(c.traffic.crc) + c.traffic.payload_max)
        << "only the cut frame's head is left";
}

// The bus answers one COMMIT with an error: DMF's Write fails with STATUS_DEVICE_HARDWARE_ERROR
// after its bytes went into Ping but before FILL counted them; the producer writes the same bytes
// again, the driver resynchronises with the device, and nothing is lost or duplicated.
TEST_P(PPB_COSIM_SUITE, a_bus_error_in_mid_write_is_retried_and_nothing_is_lost) {
    auto c = base(600);
    c.mode = source_kind::host;
    c.chunk = 200;
    c.fail_commit = 7;
    const auto r = run_cosim(c);
    expect_clean(r);
    expect_checked(c, r);
    EXPECT_EQ(r.injected_errors, 1u);
    EXPECT_EQ(r.write_retries, 1u);
    EXPECT_EQ(r.totals.frames_sent, c.packets);
}

// ----------------------------------------------------------------------- framing false accepts

// The soak's two open findings (docs/verification.md, "Soak") and the same class on every other
// backend and source: in a drop run, a candidate made of sent bytes on both sides of a drop passed
// its CRC-16 by chance. The scoreboard used to fail such a run with a payload mismatch; it now
// locates every byte and counts the candidate as a false accept, naming where its bytes came from.
struct false_accept_run {
    const char* name;
    backend_kind backend;
    source_kind mode;
    std::uint32_t capacity, buffer_size;
    std::uint16_t payload_min, payload_max;
    double link_rate, quantum;
    std::uint64_t packets;
    std::uint32_t chunk;
    std::uint64_t seed;
    const char* runs;  // where the false accept's bytes are in the sent stream
};

void PrintTo(const false_accept_run& x, std::ostream* os) {
    *os << x.name;
}

const false_accept_run false_accepts[] = {
#ifdef PPB_COSIM_RTL
    {"rtl_stream_soak_finding", backend_kind::rtl, source_kind::stream, 4096, 1077, 1, 1000, 50e6, 10e-9, 827, 16,
     1380144903, "[335427, 335634) + [335731, 335911); the 97 bytes between were dropped"},
    {"rtl_host", backend_kind::rtl, source_kind::host, 1024, 1024, 15, 256, 100e6, 1e-6, 800, 90, 808063248,
     "[16694, 16865) + [16989, 17010); the 124 bytes between were dropped"},
#else
    {"tlm_stream_soak_finding", backend_kind::tlm, source_kind::stream, 1024, 1024, 15, 256, 100e6, 0, 656, 16,
     656977875, "[23202, 23320) + [23947, 23971); the 627 bytes between were dropped"},
    {"tlm_host", backend_kind::tlm, source_kind::host, 1024, 1024, 15, 256, 100e6, 1e-6, 800, 98, 869005900,
     "[8251, 8451) + [8607, 8616); the 156 bytes between were dropped"},
    {"native_stream", backend_kind::native, source_kind::stream, 1024, 1024, 15, 256, 100e6, 1e-6, 800, 16, 659967084,
     "[11439, 11453) + [11597, 11598) + [12369, 12487); the 915 bytes between were dropped"},
    {"native_host", backend_kind::native, source_kind::host, 4096, 4096, 15, 256, 100e6, 1e-6, 800, 86, 1888206353,
     "[10484, 10496) + [10563, 10570) + [10899, 10907) + [11308, 11328) + [11411, 11428)"},
#endif
};

class PPB_COSIM_FA_SUITE : public ::testing::TestWithParam<false_accept_run> {};

INSTANTIATE_TEST_SUITE_P(drop, PPB_COSIM_FA_SUITE, ::testing::ValuesIn(false_accepts),
                         [](const auto& p) { return std::string(p.param.name); });

TEST_P(PPB_COSIM_FA_SUITE, a_splice_whose_crc_matched_is_a_located_false_accept) {
    const false_accept_run& x = GetParam();
    cosim_config c;
    c.backend = x.backend;
    c.mode = x.mode;
    c.capacity = x.capacity;
    c.buffer_size = x.buffer_size;
    c.traffic.payload_min = x.payload_min;
    c.traffic.payload_max = x.payload_max;
    c.link_rate = x.link_rate;
    c.quantum = x.quantum;
    c.packets = x.packets;
    c.chunk = x.chunk;
    c.traffic.seed = x.seed;
    c.cost_per_packet = 10e-6;
    c.drop_when_full = true;
    const auto r = run_cosim(c);
    ASSERT_TRUE(r.ok()) << errors(r);
    const auto& t = r.totals;
    EXPECT_EQ(t.frames_false_accepted, 1u);
    EXPECT_GE(t.frames_lost_to_false_accepts, 1u);
    EXPECT_TRUE(t.located);
    EXPECT_EQ(t.bytes_skipped, t.bytes_dropped) << "the located bytes skip exactly the dropped ones";
    EXPECT_EQ(t.bytes_in,
              t.bytes_delivered + t.bytes_false_accepted + t.bytes_discarded + t.bytes_dropped + t.bytes_buffered);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find(x.runs), std::string::npos) << r.notes[0];
}

#ifndef PPB_COSIM_RTL
TEST_P(PPB_COSIM_SUITE, native_backend_is_clean_too) {
    auto c = base();
    c.backend = backend_kind::native;
    c.traffic.noise_probability = 0.3;
    c.traffic.corrupt_probability = 0.1;
    const auto r = run_cosim(c);
    expect_clean(r);
}
#endif

}  // namespace
}  // namespace ppb::tb
