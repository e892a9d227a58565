// Lockstep: one random host-mode operation sequence on the TLM model (the reference) and on the
// RTL side by side, at the same local times. Every bus response, every value read, every annotated
// delay, the irq pins and, whenever both are idle, every register and every bank byte must agree;
// the test stops at the first difference and names the operation.
//
// PPB_LOCKSTEP_SEED and PPB_LOCKSTEP_OPS (environment) choose the sequence; the seed and the
// Verilator options (X randomisation, see ppb_rtl::set_plusargs) are printed.
#include "model/ppb_model.hpp"
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/test/rtl_bench.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <stdexcept>

namespace ppb::rtl::test {
namespace {

using namespace sc_core;
constexpr std::uint32_t cap = 1024;

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v ? std::strtoull(v, nullptr, 0) : fallback;
}

class lockstep_bench : public ppb::test::sim_bench {
public:
    port cpu_m{"cpu_m"};
    port cpu_r{"cpu_r"};
    port src_m{"src_m"};  // host mode: the stream ports stay idle
    port src_r{"src_r"};
    sc_signal<bool> irq_m{"irq_m"}, irq_r{"irq_r"};
    ppb::model::ppb_model model{"model", cap, clk};
    ppb_rtl rtl{"rtl", cap, clk};
    ppb::check::tlm_lt_checker bus_check_m{"bus_check_m"}, bus_check_r{"bus_check_r"};
    ppb::check::tlm_lt_checker stream_check_m{"stream_check_m"}, stream_check_r{"stream_check_r"};

    lockstep_bench() : sim_bench("tb") {
        bind_bus_checked(cpu_m, bus_check_m, model);
        bind_bus_checked(cpu_r, bus_check_r, rtl);
        bind_stream_checked(src_m, stream_check_m, model);
        bind_stream_checked(src_r, stream_check_r, rtl);
        model.irq.bind(irq_m);
        rtl.irq.bind(irq_r);
    }
};

const regs::reg_desc& reg_at(std::uint32_t offset) {
    for (const auto& r : regs::all_regs)
        if (r.offset == offset)
            return r;
    throw std::logic_error("no register at this offset");
}

struct op_result {
    tlm::tlm_response_status status;
    sc_time delay;
    std::vector<std::uint8_t> data;
};

class lockstep {
public:
    explicit lockstep(lockstep_bench& tb, std::uint64_t seed) : tb_(tb), rng_(static_cast<std::uint32_t>(seed)) {}

    bool failed() const { return !failure_.empty(); }
    const std::string& failure() const { return failure_; }
    std::uint64_t ops() const { return ops_; }

    // One transaction on both, at the same local time; compares and advances local time.
    bool both(const std::string& what, tlm::tlm_command cmd, std::uint64_t addr, std::vector<std::uint8_t> data,
              const std::vector<unsigned char>& be = {}, unsigned sw = 0, op_result* out = nullptr) {
        ++ops_;
        op_result m = one(tb_.cpu_m, cmd, addr, data, be, sw);
        op_result r = one(tb_.cpu_r, cmd, addr, data, be, sw);
        std::ostringstream ctx;
        if (std::getenv("PPB_LOCKSTEP_TRACE"))
            std::printf("op #%llu %s addr 0x%llx len %zu -> %d\n", static_cast<unsigned long long>(ops_), what.c_str(),
                        static_cast<unsigned long long>(addr), data.size(), static_cast<int>(m.status));
        ctx << "op #" << ops_ << " " << what << " (addr 0x" << std::hex << addr << std::dec << ", " << data.size()
            << " bytes) at " << (sc_time_stamp() + local_);
        if (m.status != r.status)
            return fail(ctx.str() + ": response model " + std::to_string(m.status) + " rtl " +
                        std::to_string(r.status));
        if (m.delay != r.delay)
            return fail(ctx.str() + ": delay model " + m.delay.to_string() + " rtl " + r.delay.to_string());
        if (m.data != r.data) {
            std::ostringstream d;
            for (std::size_t i = 0; i < m.data.size(); ++i)
                if (m.data[i] != r.data[i]) {
                    d << ": first differing byte " << i << ": model 0x" << std::hex << int{m.data[i]} << " rtl 0x"
                      << int{r.data[i]};
                    break;
                }
            return fail(ctx.str() + d.str());
        }
        local_ += m.delay;
        if (out)
            *out = std::move(m);
        return true;
    }

    bool reg_read(const regs::reg_desc& r, std::uint32_t* value = nullptr) {
        op_result o;
        if (!both(std::string("read ") + std::string(r.name), tlm::TLM_READ_COMMAND, r.offset,
                  std::vector<std::uint8_t>(4), {}, 0, &o))
            return false;
        if (value)
            std::memcpy(value, o.data.data(), 4);
        return true;
    }
    bool reg_write(const regs::reg_desc& r, std::uint32_t v) {
        std::vector<std::uint8_t> d(4);
        std::memcpy(d.data(), &v, 4);
        std::ostringstream w;
        w << "write " << r.name << " = 0x" << std::hex << v;
        return both(w.str(), tlm::TLM_WRITE_COMMAND, r.offset, d);
    }

    // Synchronises both with SystemC time, then compares the irq pins and, when both are idle,
    // every register (debug path) and every bank byte.
    bool sync(bool full_compare) {
        wait(local_);
        local_ = SC_ZERO_TIME;
        wait(SC_ZERO_TIME);
        if (tb_.irq_m.read() != tb_.irq_r.read())
            return fail("op #" + std::to_string(ops_) + ": irq model " + std::to_string(tb_.irq_m.read()) + " rtl " +
                        std::to_string(tb_.irq_r.read()) + " at " + sc_time_stamp().to_string());
        if (!full_compare)
            return true;
        for (const auto& r : regs::all_regs) {
            const std::uint32_t a = tb_.cpu_m.dbg_read32(r.offset), b = tb_.cpu_r.dbg_read32(r.offset);
            if (a != b) {
                std::ostringstream s;
                s << "after op #" << ops_ << ": register " << r.name << " model 0x" << std::hex << a << " rtl 0x" << b;
                return fail(s.str());
            }
        }
        for (unsigned bank = 0; bank < 2; ++bank) {
            const auto a = tb_.cpu_m.dbg_bank(bank, cap), b = tb_.cpu_r.dbg_bank(bank, cap);
            for (std::uint32_t i = 0; i < cap; ++i)
                if (a[i] != b[i]) {
                    std::ostringstream s;
                    s << "after op #" << ops_ << ": bank " << bank << " byte " << i << " model 0x" << std::hex
                      << int{a[i]} << " rtl 0x" << int{b[i]};
                    return fail(s.str());
                }
        }
        return true;
    }

    // The random sequence.
    void run(std::uint64_t n) {
        // Under X randomisation the RTL's RAM starts random; the same random contents go into both.
        for (unsigned bank = 0; bank < 2; ++bank) {
            std::vector<std::uint8_t> init(cap);
            for (auto& b : init)
                b = static_cast<std::uint8_t>(rng_());
            tb_.cpu_m.dbg_load(bank, 0, init);
            tb_.cpu_r.dbg_load(bank, 0, init);
        }
        bool maybe_busy = false;
        while (!failed() && ops_ < n) {
            const auto pick = static_cast<unsigned>(rng_() % 100);
            if (pick < 12) {
                if (!reg_read(random_reg()))
                    break;
            } else if (pick < 30) {
                if (!random_write())
                    break;
                maybe_busy = true;
            } else if (pick < 50) {
                if (!command())
                    break;
                maybe_busy = true;
            } else if (pick < 70) {
                if (maybe_busy && !(wait_idle() && sync(true)))
                    break;
                maybe_busy = false;
                if (!bank_access())
                    break;
            } else if (pick < 78) {
                if (!wait_idle() || !sync(true))
                    break;
                maybe_busy = false;
            } else if (pick < 86) {
                local_ += clk * static_cast<double>(rng_() % 60);
            } else if (pick < 94) {
                if (!bad_access())
                    break;
            } else if (pick < 99) {
                if (!sync(false))
                    break;
            } else {
                // Only when idle: an abandoned copy leaves the other bank partly written in the RTL
                // and untouched in the model (whose copy happens at once, at the end of BUSY).
                if (!wait_idle() || !sync(false))
                    break;
                tb_.model.hard_reset();
                tb_.rtl.hard_reset();
                if (std::getenv("PPB_LOCKSTEP_TRACE"))
                    std::printf("op #%llu hard reset\n", static_cast<unsigned long long>(ops_ + 1));
                ++ops_;
                maybe_busy = false;
            }
        }
        if (!failed())
            (void)(wait_idle() && sync(true));
    }

private:
    op_result one(port& p, tlm::tlm_command cmd, std::uint64_t addr, std::vector<std::uint8_t> data,
                  const std::vector<unsigned char>& be, unsigned sw) {
        tlm::tlm_generic_payload tx;
        sc_time d = local_;
        tx.set_command(cmd);
        tx.set_address(addr);
        tx.set_data_ptr(data.empty() ? nullptr : data.data());
        tx.set_data_length(static_cast<unsigned>(data.size()));
        tx.set_streaming_width(sw ? sw : static_cast<unsigned>(data.size()));
        tx.set_byte_enable_ptr(be.empty() ? nullptr : const_cast<unsigned char*>(be.data()));
        tx.set_byte_enable_length(static_cast<unsigned>(be.size()));
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        p.socket->b_transport(tx, d);
        return {tx.get_response_status(), d - local_, data};
    }

    bool fail(const std::string& why) {
        if (failure_.empty())
            failure_ = why;
        return false;
    }

    const regs::reg_desc& random_reg() { return regs::all_regs[rng_() % regs::all_regs.size()]; }

    std::uint32_t small() { return static_cast<std::uint32_t>(rng_() % 3 == 0 ? rng_() : rng_() % (cap + 40)); }

    bool random_write() {
        const auto& r = random_reg();
        std::uint32_t v = small();
        if (r.offset == regs::ctrl::offset)
            v = static_cast<std::uint32_t>(rng_());  // SOURCE = stream only makes COMMIT refuse: still host traffic
        if (r.offset == regs::irq_status::offset || r.offset == regs::irq_test::offset ||
            r.offset == regs::irq_enable::offset)
            v = static_cast<std::uint32_t>(rng_());
        if (r.offset == regs::cmd::offset)
            v = static_cast<std::uint32_t>(rng_() % 7);
        return reg_write(r, v);
    }

    // ARG0, ARG1, CMD, with arguments that are mostly in range of the FILL just read.
    bool command() {
        std::uint32_t fill = 0;
        if (!reg_read(reg_at(regs::fill::offset), &fill))
            return false;
        const auto kind = static_cast<unsigned>(rng_() % 10);
        std::uint32_t op = 1 + rng_() % 4, a0 = 0, a1 = 0;
        if (kind == 0)
            op = static_cast<std::uint32_t>(rng_() % 3 ? 0 : rng_());  // bad opcode
        if (op == 2 || op == 3) {
            a0 = fill ? static_cast<std::uint32_t>(rng_() % (fill + 1)) : 0;
            a1 = op == 3 && fill > a0 ? static_cast<std::uint32_t>(rng_() % (fill - a0 + 1)) : 0;
        } else if (op == 4) {
            a1 = static_cast<std::uint32_t>(rng_() % (cap - fill + 1));
        }
        if (kind == 1) {  // out of range
            a0 += static_cast<std::uint32_t>(rng_() % 5);
            a1 += static_cast<std::uint32_t>(rng_() % 5);
        }
        if (kind == 2)
            a1 = 0xFFFFFFFFu - static_cast<std::uint32_t>(rng_() % 4);  // sums that wrap 32 bits
        return reg_write(reg_at(regs::arg0::offset), a0) && reg_write(reg_at(regs::arg1::offset), a1) &&
               reg_write(reg_at(regs::cmd::offset), op);
    }

    bool wait_idle() {
        for (int i = 0; i < 10000; ++i) {
            std::uint32_t s = 0;
            if (!reg_read(reg_at(regs::status::offset), &s))
                return false;
            if (!regs::status::busy.get(s))
                return true;
        }
        return fail("BUSY never fell");
    }

    bool bank_access() {
        const auto bank = static_cast<unsigned>(rng_() % 2);
        const std::uint32_t len = 1 + static_cast<std::uint32_t>(rng_() % (rng_() % 8 ? 16 : 300));
        const std::uint32_t off = static_cast<std::uint32_t>(rng_() % (cap - len + 1));
        std::vector<std::uint8_t> data(len);
        for (auto& b : data)
            b = static_cast<std::uint8_t>(rng_());
        std::vector<unsigned char> be;
        if (rng_() % 5 == 0) {
            be.resize(1 + rng_() % 6);
            for (auto& e : be)
                e = rng_() % 2 ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
        }
        unsigned sw = 0;
        if (rng_() % 8 == 0)
            sw = 1 + static_cast<unsigned>(rng_() % len);
        const bool write = rng_() % 2;
        return both(std::string(write ? "bank write" : "bank read") + (be.empty() ? "" : " with byte enables") +
                        (sw ? " with streaming width" : ""),
                    write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND,
                    (bank ? regs::bank1_base : regs::bank0_base) + off, data, be, sw);
    }

    bool bad_access() {
        std::vector<std::uint8_t> d(4, 0x5A);
        switch (rng_() % 7) {
        case 0:
            return both("unmapped register", tlm::TLM_WRITE_COMMAND, regs::irq_test::offset + 4 * (1 + rng_() % 900),
                        d);
        case 1:
            return both("misaligned register", tlm::TLM_READ_COMMAND, regs::fill::offset + 1 + rng_() % 3, d);
        case 2:
            return both("register byte", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, std::vector<std::uint8_t>(1));
        case 3:
            return both("register partial byte enables", tlm::TLM_WRITE_COMMAND, regs::threshold::offset, d,
                        {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED});
        case 4:
            return both("gap", tlm::TLM_READ_COMMAND, regs::bank0_base + cap + 4 * (rng_() % 100), d);
        case 5:
            return both("bank burst past CAPACITY", tlm::TLM_WRITE_COMMAND, regs::bank1_base + cap - 2, d);
        default:
            return both("beyond 22 bits", tlm::TLM_READ_COMMAND, (std::uint64_t{1} << regs::addr_bits) + 16, d);
        }
    }

    lockstep_bench& tb_;
    std::mt19937 rng_;
    sc_time local_ = SC_ZERO_TIME;
    std::uint64_t ops_ = 0;
    std::string failure_;
};

TEST(rtl_lockstep, random_host_sequence_matches_the_model) {
    const std::uint64_t seed = env_or("PPB_LOCKSTEP_SEED", 1);
    const std::uint64_t n = env_or("PPB_LOCKSTEP_OPS", 6000);
    lockstep_bench tb;
    std::string plus;
    for (const auto& a : tb.rtl.plusargs())
        plus += " " + a;
    std::printf("lockstep: seed %llu, %llu operations, Verilator options:%s, idle skip %s\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(n),
                plus.empty() ? " (none)" : plus.c_str(), std::getenv("PPB_RTL_NO_IDLE_SKIP") ? "off" : "on");
    lockstep ls(tb, seed);
    tb.run([&] { ls.run(n); }, sc_time(10, SC_SEC));
    EXPECT_FALSE(ls.failed()) << "seed " << seed << ": " << ls.failure();
    EXPECT_GE(ls.ops(), n);
    const auto s = tb.rtl.stats();
    std::printf("lockstep: %llu RTL cycles (%llu skipped), %llu APB transfers, %llu busy cycles\n",
                static_cast<unsigned long long>(s.cycles), static_cast<unsigned long long>(s.cycles_skipped),
                static_cast<unsigned long long>(s.apb_transfers), static_cast<unsigned long long>(s.busy_cycles));
}

}  // namespace
}  // namespace ppb::rtl::test
