// A pin-level checker of the AMBA APB4 protocol (ARM IHI 0024C), for the requester's side of a
// bus: call cycle() once per clock cycle with the pins as sampled at the rising edge that ends it.
// Pure C++ (no Verilator, no SystemC), header-only, no allocation, no virtual calls: the RTL
// wrapper calls it on every evaluated cycle.
//
//   ppb::rtl::apb4_checker apb;
//   apb.cycle({.psel = 1, .paddr = 0x10});                 // setup
//   apb.cycle({.psel = 1, .penable = 1, .paddr = 0x10});   // access (pready defaults to 1)
//   if (apb.violations()) puts(apb.describe().c_str());
//
// Rules (one counter each):
//   penable_without_psel     PENABLE high while PSEL is low
//   access_without_setup     an access phase (PSEL & PENABLE) that follows neither a setup cycle
//                            nor a waited access (PREADY low): PENABLE held after PREADY, or PENABLE
//                            raised in the first cycle of a transfer
//   setup_not_followed_by_access  the cycle after a setup cycle is not an access phase (PENABLE
//                            stays low, or PSEL drops: a transfer abandoned)
//   psel_dropped_in_access   PSEL low while an access waits for PREADY
//   paddr_changed, pwrite_changed, pwdata_changed, pstrb_changed, pprot_changed
//                            the signal differs between the setup cycle and an access cycle of the
//                            same transfer (PWDATA and PSTRB only matter for writes)
//   pstrb_on_read            PSTRB not zero during a read transfer (APB4: "PSTRB must be driven
//                            LOW during read transfers")
// quiet_cycle(psel, penable) is cycle() for a wrapper that has not built the pins yet: a cycle
// with PSEL and PENABLE low outside a transfer breaks no rule and only counts; any other returns
// false and wants cycle() with the pins (the RTL wrapper's stream cycles take the first branch).
// PSLVERR is only considered in the last cycle of a transfer (PSEL, PENABLE and PREADY high): it
// is then counted in errors(); elsewhere its value is ignored, as the specification allows.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace ppb::rtl {

struct apb4_pins {
    bool psel = false, penable = false, pwrite = false;
    std::uint32_t paddr = 0, pwdata = 0;
    std::uint8_t pstrb = 0, pprot = 0;
    bool pready = true, pslverr = false;
};

enum class apb4_rule : std::uint8_t {
    penable_without_psel,
    access_without_setup,
    setup_not_followed_by_access,
    psel_dropped_in_access,
    paddr_changed,
    pwrite_changed,
    pwdata_changed,
    pstrb_changed,
    pprot_changed,
    pstrb_on_read,
    count
};
inline constexpr std::size_t apb4_rule_count = static_cast<std::size_t>(apb4_rule::count);

inline const char* to_string(apb4_rule r) {
    constexpr std::array<const char*, apb4_rule_count> names{
        "penable_without_psel",   "access_without_setup", "setup_not_followed_by_access",
        "psel_dropped_in_access", "paddr_changed",        "pwrite_changed",
        "pwdata_changed",         "pstrb_changed",        "pprot_changed",
        "pstrb_on_read"};
    return r < apb4_rule::count ? names[static_cast<std::size_t>(r)] : "?";
}

class apb4_checker {
public:
    // One clock cycle. Returns false when this cycle broke a rule.
    bool cycle(const apb4_pins& p) {
        const std::uint64_t before = total_;
        if (p.penable && !p.psel)
            fail(apb4_rule::penable_without_psel);
        if (p.psel && !p.pwrite && p.pstrb != 0)
            fail(apb4_rule::pstrb_on_read);
        switch (phase_) {
        case phase::idle:
            if (p.psel && p.penable)
                fail(apb4_rule::access_without_setup);
            break;
        case phase::setup:
            if (!p.psel || !p.penable)
                fail(apb4_rule::setup_not_followed_by_access);
            break;
        case phase::waiting:
            if (!p.psel)
                fail(apb4_rule::psel_dropped_in_access);
            else if (!p.penable)
                fail(apb4_rule::setup_not_followed_by_access);
            break;
        }
        const bool access = p.psel && p.penable;
        if (access && phase_ != phase::idle)
            compare(p);
        if (access && p.pready) {
            ++transfers_;
            errors_ += p.pslverr;
            phase_ = phase::idle;
        } else if (access) {
            phase_ = phase::waiting;
        } else if (p.psel) {
            phase_ = phase::setup;  // a new transfer: its control is what the access must keep
            held_ = p;
        } else {
            phase_ = phase::idle;
        }
        ++cycles_;
        return total_ == before;
    }

    // True when this cycle (PSEL, PENABLE as given) was counted and is all cycle() would have done.
    bool quiet_cycle(bool psel, bool penable) {
        if (psel || penable || phase_ != phase::idle)
            return false;
        ++cycles_;
        return true;
    }

    // Back to idle (the bus was reset).
    void reset() { phase_ = phase::idle; }

    std::uint64_t violations() const { return total_; }
    std::uint64_t violations(apb4_rule r) const { return counts_[static_cast<std::size_t>(r)]; }
    std::uint64_t cycles() const { return cycles_; }
    std::uint64_t transfers() const { return transfers_; }  // completed (PREADY high)
    std::uint64_t errors() const { return errors_; }        // completed with PSLVERR

    // The last violation, e.g. "APB4 rule pwdata_changed broken in checked cycle 12 (3 violations so
    // far)"; cycles count the calls to cycle() from 0 (a caller that skips idle cycles counts fewer).
    std::string describe() const {
        if (!total_)
            return "no APB4 violation";
        return "APB4 rule " + std::string(to_string(last_rule_)) + " broken in checked cycle " +
               std::to_string(last_cycle_) + " (" + std::to_string(total_) + " violation" + (total_ == 1 ? "" : "s") +
               " so far)";
    }

private:
    enum class phase : std::uint8_t { idle, setup, waiting };

    void fail(apb4_rule r) {
        ++counts_[static_cast<std::size_t>(r)];
        ++total_;
        last_rule_ = r;
        last_cycle_ = cycles_;
    }

    void compare(const apb4_pins& p) {
        if (p.paddr != held_.paddr)
            fail(apb4_rule::paddr_changed);
        if (p.pwrite != held_.pwrite)
            fail(apb4_rule::pwrite_changed);
        if (p.pwrite && held_.pwrite && p.pwdata != held_.pwdata)
            fail(apb4_rule::pwdata_changed);
        if (p.pstrb != held_.pstrb)
            fail(apb4_rule::pstrb_changed);
        if (p.pprot != held_.pprot)
            fail(apb4_rule::pprot_changed);
    }

    phase phase_ = phase::idle;
    apb4_pins held_{};
    std::array<std::uint64_t, apb4_rule_count> counts_{};
    std::uint64_t total_ = 0, cycles_ = 0, transfers_ = 0, errors_ = 0;
    apb4_rule last_rule_ = apb4_rule::count;
    std::uint64_t last_cycle_ = 0;
};

}  // namespace ppb::rtl
