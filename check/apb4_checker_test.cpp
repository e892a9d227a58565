// The APB4 pin checker (rtl/sim/apb4_checker.hpp) on hand-built pin sequences: legal transfers
// pass, and each rule fires on a sequence that breaks it and on nothing else.
#include "rtl/sim/apb4_checker.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ppb::rtl {
namespace {

apb4_pins idle() {
    return {};
}
apb4_pins setup(std::uint32_t addr, bool write, std::uint32_t wdata = 0, std::uint8_t strb = 0) {
    apb4_pins p;
    p.psel = true;
    p.paddr = addr;
    p.pwrite = write;
    p.pwdata = wdata;
    p.pstrb = strb;
    return p;
}
apb4_pins access(apb4_pins s, bool ready = true, bool err = false) {
    s.penable = true;
    s.pready = ready;
    s.pslverr = err;
    return s;
}

std::uint64_t run(apb4_checker& c, const std::vector<apb4_pins>& seq) {
    for (const auto& p : seq)
        c.cycle(p);
    return c.violations();
}

TEST(apb4_checker, legal_transfers_pass) {
    apb4_checker c;
    const auto w = setup(0x100000, true, 0xDEADBEEF, 0xF);
    const auto r = setup(0x10, false);
    const auto w2 = setup(0x100004, true, 0x1234, 0x3);
    // Write, idle, read with two wait states and an error, back-to-back write (setup right after
    // the access), idle.
    const std::vector<apb4_pins> seq{idle(),
                                     w,
                                     access(w),
                                     idle(),
                                     r,
                                     access(r, false, true),  // PSLVERR ignored while PREADY is low
                                     access(r, false),
                                     access(r, true, true),
                                     w2,
                                     access(w2),
                                     idle()};
    EXPECT_EQ(run(c, seq), 0u) << c.describe();
    EXPECT_EQ(c.transfers(), 3u);
    EXPECT_EQ(c.errors(), 1u) << "PSLVERR counts only in the cycle PREADY ends the transfer";
    EXPECT_EQ(c.cycles(), seq.size());
}

TEST(apb4_checker, pwdata_may_change_on_reads_and_pslverr_outside_transfers_is_ignored) {
    apb4_checker c;
    auto r = setup(0x20, false);
    r.pwdata = 1;
    auto a = access(r);
    a.pwdata = 2;  // PWDATA means nothing in a read
    auto stray = idle();
    stray.pslverr = true;
    EXPECT_EQ(run(c, {r, a, stray}), 0u) << c.describe();
    EXPECT_EQ(c.errors(), 0u);
}

struct negative {
    const char* name;
    apb4_rule rule;
    std::vector<apb4_pins> seq;
};

std::vector<negative> negatives() {
    const auto w = setup(0x100000, true, 0xA5A5A5A5, 0xF);
    const auto r = setup(0x14, false);
    auto moved = access(w);
    moved.paddr = 0x100004;
    const auto w0 = setup(0x100000, true, 0xA5A5A5A5, 0);  // a write without strobes: legal
    auto flipped = access(w0);
    flipped.pwrite = false;  // only the direction changes (PSTRB stays 0, legal for a read)
    auto new_data = access(w);
    new_data.pwdata = 0x5A5A5A5A;
    auto new_strb = access(w);
    new_strb.pstrb = 0x3;
    auto new_prot = access(w);
    new_prot.pprot = 2;
    auto read_strb = setup(0x14, false, 0, 0x1);
    auto en_only = idle();
    en_only.penable = true;
    return {
        {"penable_without_psel", apb4_rule::penable_without_psel, {idle(), en_only}},
        {"access_without_setup", apb4_rule::access_without_setup, {idle(), access(w)}},
        {"penable_held_after_ready", apb4_rule::access_without_setup, {w, access(w), access(w)}},
        {"setup_repeated", apb4_rule::setup_not_followed_by_access, {w, w, access(w)}},
        {"setup_abandoned", apb4_rule::setup_not_followed_by_access, {w, idle()}},
        {"psel_dropped_while_waiting", apb4_rule::psel_dropped_in_access, {r, access(r, false), idle()}},
        {"paddr_changed", apb4_rule::paddr_changed, {w, moved}},
        {"paddr_changed_while_waiting", apb4_rule::paddr_changed, {w, access(w, false), moved}},
        {"pwrite_changed", apb4_rule::pwrite_changed, {w0, flipped}},
        {"pwdata_changed", apb4_rule::pwdata_changed, {w, new_data}},
        {"pstrb_changed", apb4_rule::pstrb_changed, {w, new_strb}},
        {"pprot_changed", apb4_rule::pprot_changed, {w, new_prot}},
        {"pstrb_on_read", apb4_rule::pstrb_on_read, {read_strb, access(read_strb)}},
    };
}

TEST(apb4_checker, each_rule_fires_on_its_violation_and_no_other) {
    for (const auto& n : negatives()) {
        apb4_checker c;
        run(c, n.seq);
        EXPECT_GE(c.violations(n.rule), 1u) << n.name << ": " << c.describe();
        for (std::size_t k = 0; k < apb4_rule_count; ++k) {
            const auto other = static_cast<apb4_rule>(k);
            if (other != n.rule) {
                EXPECT_EQ(c.violations(other), 0u) << n.name << " also fired " << to_string(other);
            }
        }
        EXPECT_NE(c.describe().find(to_string(n.rule)), std::string::npos) << n.name << ": " << c.describe();
    }
}

TEST(apb4_checker, cycle_returns_false_only_in_the_offending_cycle_and_reset_returns_to_idle) {
    apb4_checker c;
    const auto w = setup(0x100000, true, 1, 0xF);
    EXPECT_TRUE(c.cycle(w));
    c.reset();  // the bus was reset in the middle of the transfer
    EXPECT_TRUE(c.cycle(idle()));
    EXPECT_TRUE(c.cycle(w));
    EXPECT_TRUE(c.cycle(access(w)));
    EXPECT_FALSE(c.cycle(access(w)));
    EXPECT_TRUE(c.cycle(idle()));
    EXPECT_EQ(c.violations(), 1u);
}

TEST(apb4_checker, quiet_cycle_counts_only_idle_cycles_outside_a_transfer) {
    // The wrapper's way (quiet_cycle first, cycle() when it declines) against cycle() alone, on a
    // sequence with legal transfers, an abandoned setup, a dropped PSEL in a waited access and
    // PENABLE without PSEL: the same rules fire in the same cycles, the same cycles are counted.
    const auto w = setup(0x100000, true, 7, 0xF);
    const auto r = setup(0x14, false);
    apb4_pins stray = idle();
    stray.penable = true;
    const std::vector<apb4_pins> seq{idle(),           w,      access(w), idle(), idle(), r,         idle(), idle(), r,
                                     access(r, false), idle(), stray,     idle(), w,      access(w), idle()};
    apb4_checker alone, wrapped;
    std::vector<bool> alone_ok, wrapped_ok;
    unsigned quiet = 0;
    for (const auto& p : seq) {
        alone_ok.push_back(alone.cycle(p));
        if (wrapped.quiet_cycle(p.psel, p.penable)) {
            ++quiet;
            wrapped_ok.push_back(true);
        } else {
            wrapped_ok.push_back(wrapped.cycle(p));
        }
    }
    EXPECT_EQ(wrapped_ok, alone_ok);
    EXPECT_EQ(wrapped.violations(), alone.violations());
    EXPECT_EQ(alone.violations(), 3u) << alone.describe();
    for (std::size_t i = 0; i < apb4_rule_count; ++i)
        EXPECT_EQ(wrapped.violations(static_cast<apb4_rule>(i)), alone.violations(static_cast<apb4_rule>(i)));
    EXPECT_EQ(wrapped.cycles(), alone.cycles());
    EXPECT_EQ(wrapped.transfers(), alone.transfers());
    EXPECT_EQ(wrapped.describe(), alone.describe());
    // Idle after an abandoned setup or a waited access is not quiet: cycle() must see it.
    EXPECT_EQ(quiet, 6u);
}

}  // namespace
}  // namespace ppb::rtl
