// Register tests in OpenTitan's manner, generated from the register description: every check walks
// ppb::regs::all_regs (regmap/ppb.toml through scripts/regtool.py) and derives what a register must
// read from its access type, writable mask and reset value; the only behaviour written out here is
// what SPEC.md documents beyond the access types (LIMIT's range rule, IRQ_TEST setting IRQ_STATUS,
// and the commands a CMD write starts). The same suite runs on the RTL and on the TLM model (the
// same sockets), which makes it a model/RTL agreement check too. Each test is its own process.
//   hw_reset     every register reads its reset value
//   rw           writable bits read back (walking ones, walking zeros, random values)
//   bit_bash     each writable bit set and cleared alone; read-only bits never move
//   aliasing     after a write to one register every other register reads what the predictor says
//   reset_traffic  hard reset at a random cycle while the stream and commands are busy (RTL and
//                  model; seed printed, PPB_REG_SEED overrides it)
#include "model/ppb_model.hpp"
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/test/rtl_bench.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <type_traits>

namespace ppb::rtl::test {
namespace {

using namespace sc_core;
using regs::access;
constexpr std::uint32_t cap = 1024;

std::uint32_t seed_from_env(std::uint32_t fallback) {
    const char* s = std::getenv("PPB_REG_SEED");
    return s ? static_cast<std::uint32_t>(std::strtoul(s, nullptr, 0)) : fallback;
}

// What every register should read, kept up to date write by write from the description.
class predictor {
public:
    explicit predictor(std::uint32_t capacity) : capacity_(capacity) {
        for (const auto& r : regs::all_regs)
            v_[r.offset] = reset_value(r, capacity);
    }
    std::uint32_t operator[](std::uint32_t off) const { return v_.at(off); }

    // A bus write of `v` to `r` (the device idle, no stream traffic).
    void write(const regs::reg_desc& r, std::uint32_t v) {
        const std::uint32_t w = v & r.writable_mask;
        switch (r.access) {
        case access::ro:
            return;
        case access::rw:
            if (r.offset == regs::limit::offset) {  // SPEC.md 3: 0, > CAPACITY or < FILL refused
                if (v == 0 || v > capacity_ || v < v_[regs::fill::offset])
                    refuse(regs::error::range);
                else
                    v_[r.offset] = v;
                full();
            } else {
                v_[r.offset] = w;
            }
            return;
        case access::rw1c:
            v_[r.offset] &= ~w;
            return;
        case access::ro_wc:
            v_[r.offset] = 0;
            return;
        case access::wo:
            if (r.offset == regs::irq_test::offset)
                v_[regs::irq_status::offset] |= w;
            else if (r.offset == regs::cmd::offset)
                command(v);
            return;
        }
    }

private:
    void refuse(regs::error e) {
        v_[regs::status::offset] =
            regs::status::last_error.put(v_[regs::status::offset], static_cast<std::uint32_t>(e));
        v_[regs::irq_status::offset] |= regs::irq::cmd_error.mask();
    }
    void done() {
        v_[regs::status::offset] = regs::status::last_error.put(v_[regs::status::offset], 0);
        v_[regs::irq_status::offset] |= regs::irq::cmd_done.mask();
    }
    void full() {
        v_[regs::status::offset] =
            regs::status::full.put(v_[regs::status::offset], v_[regs::fill::offset] == v_[regs::limit::offset]);
    }
    // SPEC.md 4, with no data in flight (the copy moves bytes only; registers are what is checked).
    void command(std::uint32_t op) {
        const std::uint64_t fill = v_[regs::fill::offset], a0 = v_[regs::arg0::offset], a1 = v_[regs::arg1::offset];
        const bool stream = regs::ctrl::source.get(v_[regs::ctrl::offset]) != 0;
        switch (op) {
        case static_cast<std::uint32_t>(regs::opcode::reset):
            v_[regs::fill::offset] = 0;
            break;
        case static_cast<std::uint32_t>(regs::opcode::shift):
        case static_cast<std::uint32_t>(regs::opcode::consume): {
            const std::uint64_t from = op == static_cast<std::uint32_t>(regs::opcode::shift) ? a0 : a0 + a1;
            if (from > fill)
                return refuse(regs::error::range);
            v_[regs::fill::offset] = static_cast<std::uint32_t>(fill - from);
            v_[regs::status::offset] ^= regs::status::ping_bank.mask();
            ++v_[regs::swaps::offset];
            break;
        }
        case static_cast<std::uint32_t>(regs::opcode::commit): {
            if (stream)
                return refuse(regs::error::source);
            if (fill + a1 > v_[regs::limit::offset])
                return refuse(regs::error::range);
            const std::uint64_t now = fill + a1, thr = v_[regs::threshold::offset];
            v_[regs::fill::offset] = static_cast<std::uint32_t>(now);
            if (thr != 0 && fill < thr && now >= thr)
                v_[regs::irq_status::offset] |= regs::irq::threshold.mask();
            if (now > fill && now == v_[regs::limit::offset])
                v_[regs::irq_status::offset] |= regs::irq::full.mask();
            break;
        }
        default:
            return refuse(regs::error::bad_opcode);
        }
        done();
        full();
    }

    std::uint32_t capacity_;
    std::map<std::uint32_t, std::uint32_t> v_;
};

template <class Dut>
void expect_all(bench<Dut>& tb, const predictor& p, const std::string& after) {
    for (const auto& r : regs::all_regs)
        EXPECT_EQ(tb.cpu.read(r.offset), p[r.offset]) << r.name << " after " << after;
}

// Values the rw test writes: walking ones and zeros, then random ones.
std::vector<std::uint32_t> rw_values(std::mt19937& rng) {
    std::vector<std::uint32_t> v;
    for (unsigned b = 0; b < 32; ++b) {
        v.push_back(1u << b);
        v.push_back(~(1u << b));
    }
    for (int i = 0; i < 16; ++i)
        v.push_back(static_cast<std::uint32_t>(rng()));
    return v;
}

template <class Dut>
void hw_reset() {
    bench<Dut> tb(cap);
    tb.run([&] { expect_all(tb, predictor(cap), "reset"); });
}

// Writes to every writable register (CMD aside: the aliasing test drives it) and checks, after
// each, the register itself; the whole map is checked every 16 writes and at the end.
template <class Dut>
void rw() {
    bench<Dut> tb(cap);
    std::mt19937 rng(1);
    tb.run([&] {
        predictor p(cap);
        for (const auto& r : regs::all_regs) {
            if (r.writable_mask == 0 || r.offset == regs::cmd::offset)
                continue;
            unsigned n = 0;
            for (const std::uint32_t v : rw_values(rng)) {
                tb.cpu.write(r.offset, v);
                p.write(r, v);
                EXPECT_EQ(tb.cpu.read(r.offset), p[r.offset]) << r.name << " after writing 0x" << std::hex << v;
                if (++n % 16 == 0)
                    expect_all(tb, p, std::string(r.name) + " writes");
            }
            expect_all(tb, p, std::string(r.name) + " writes");
        }
    });
}

// Each bit alone: set (write 1 << b) then cleared (write 0, or 1 << b again for W1C after an
// IRQ_TEST set). Read-only bits of a register (outside its writable mask) must never change.
template <class Dut>
void bit_bash() {
    bench<Dut> tb(cap);
    tb.run([&] {
        predictor p(cap);
        const auto& irq_test = *std::find_if(regs::all_regs.begin(), regs::all_regs.end(),
                                             [](const auto& r) { return r.offset == regs::irq_test::offset; });
        for (const auto& r : regs::all_regs) {
            if (r.offset == regs::cmd::offset)
                continue;
            const std::uint32_t before = tb.cpu.read(r.offset);
            for (unsigned b = 0; b < 32; ++b) {
                const std::uint32_t bit = 1u << b;
                if (r.access == access::rw1c) {
                    tb.cpu.write(irq_test.offset, bit);  // set it first, if it can be set
                    p.write(irq_test, bit);
                }
                tb.cpu.write(r.offset, bit);
                p.write(r, bit);
                const std::uint32_t got = tb.cpu.read(r.offset);
                EXPECT_EQ(got, p[r.offset]) << r.name << " bit " << b << " alone";
                EXPECT_EQ(got & ~r.writable_mask, before & ~r.writable_mask) << r.name << " read-only bits moved";
                const std::uint32_t clear = r.access == access::rw1c ? bit : 0;
                tb.cpu.write(r.offset, clear);
                p.write(r, clear);
                EXPECT_EQ(tb.cpu.read(r.offset), p[r.offset]) << r.name << " bit " << b << " cleared";
            }
        }
        expect_all(tb, p, "the bit bash");
    });
}

// Aliasing: a write to one register changes no other one beyond its documented side effects.
// CMD gets every opcode and a bad one, with ARG0/ARG1 set so that some commands are refused.
template <class Dut>
void aliasing() {
    bench<Dut> tb(cap);
    std::mt19937 rng(7);
    tb.run([&] {
        predictor p(cap);
        for (int round = 0; round < 3; ++round) {
            for (const auto& r : regs::all_regs) {
                std::vector<std::uint32_t> values{static_cast<std::uint32_t>(rng()), 0xFFFFFFFFu, 0u};
                if (r.offset == regs::cmd::offset)
                    values = {4, 2, 3, 1, 9, 0};
                if (r.offset == regs::limit::offset)
                    values = {cap / 2, cap + 1, 0, cap};
                if (r.offset == regs::arg0::offset || r.offset == regs::arg1::offset)
                    values = {5000u, static_cast<std::uint32_t>(rng() % 8)};  // the small one stays
                for (const std::uint32_t v : values) {
                    tb.cpu.write(r.offset, v);
                    p.write(r, v);
                    tb.cpu.wait_idle();
                    expect_all(tb, p, "writing " + std::to_string(v) + " to " + std::string(r.name));
                }
            }
        }
    });
}

// A hard reset at a random cycle while the stream fills Ping and SHIFT/CONSUME commands run:
// afterwards every register reads its reset value.
template <class Dut>
void reset_traffic(std::uint32_t seed) {
    std::printf("reset in traffic: seed %u (PPB_REG_SEED=%u reproduces it)\n", seed, seed);
    bench<Dut> tb(cap);
    if constexpr (std::is_same_v<Dut, ppb_rtl>) {
        if (const char* fst = std::getenv("PPB_REG_FST"))  // waveform of the run, to debug a seed
            tb.dut.trace_fst(fst);
    }
    std::mt19937 rng(seed);
    const auto bytes = pattern(4 * cap, static_cast<std::uint8_t>(seed));
    // The source blocks for good once a reset hands Ping back to the host, and the body ends the
    // run: its stack is never unwound, so its payload lives out here (a payload on that stack
    // would leak its extension array).
    tlm::tlm_generic_payload stream_tx;
    tb.run([&] {
        sc_spawn([&] {
            sc_time d = SC_ZERO_TIME;
            tb.src.push(stream_tx, bytes, d);
        });
        for (int round = 0; round < 4; ++round) {
            tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
            tb.cpu.write(regs::irq_enable::offset, regs::irq::all);
            tb.cpu.write(regs::threshold::offset, 64);
            const unsigned commands = rng() % 4;
            for (unsigned c = 0; c < commands; ++c) {
                wait(clk * static_cast<double>(20 + rng() % 200));
                const std::uint32_t fill = tb.cpu.read(regs::fill::offset);
                tb.cpu.command(c % 2 ? opcode::consume : opcode::shift, fill / 4, fill / 8);
            }
            wait(clk * static_cast<double>(rng() % 64));  // lands inside a copy as often as not
            const std::uint32_t busy = tb.cpu.dbg_read32(regs::status::offset);
            tb.dut.hard_reset();
            std::printf("round %d: hard reset with STATUS 0x%08x\n", round, busy);
            expect_all(tb, predictor(cap), "a hard reset in traffic (round " + std::to_string(round) + ")");
        }
    });
}

TEST(rtl_reg, hw_reset) {
    hw_reset<ppb_rtl>();
}
TEST(rtl_reg, rw) {
    rw<ppb_rtl>();
}
TEST(rtl_reg, bit_bash) {
    bit_bash<ppb_rtl>();
}
TEST(rtl_reg, aliasing) {
    aliasing<ppb_rtl>();
}
TEST(rtl_reg, reset_in_traffic) {
    reset_traffic<ppb_rtl>(seed_from_env(std::random_device{}()));
}

TEST(model_reg, hw_reset) {
    hw_reset<model::ppb_model>();
}
TEST(model_reg, rw) {
    rw<model::ppb_model>();
}
TEST(model_reg, bit_bash) {
    bit_bash<model::ppb_model>();
}
TEST(model_reg, aliasing) {
    aliasing<model::ppb_model>();
}
TEST(model_reg, reset_in_traffic) {
    reset_traffic<model::ppb_model>(seed_from_env(std::random_device{}()));
}

}  // namespace
}  // namespace ppb::rtl::test
