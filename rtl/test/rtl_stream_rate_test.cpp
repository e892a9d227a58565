// The stream port's rate in co-simulation: a source at line rate (16-byte chunks paced in SystemC
// time, as testbench/cosim.cpp does) with a consumer on the bus that runs decoupled ahead of
// SystemC's time (its own local time, synchronised once per global quantum, as driver/tlm_bus
// does). SPEC 6/7: one byte per cycle, stalled only while BUSY (or while Ping is full under
// back-pressure, which this consumer never lets happen). Cycles the bus path runs ahead of the
// source, with no byte on offer, must not be lost to the stream.
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/test/rtl_bench.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace ppb::rtl::test {
namespace {

using namespace sc_core;
using rtl_bench = bench<ppb_rtl>;

// A loosely-timed CPU on the bench's cpu port: transactions at now + local, local time kept.
struct decoupled_cpu {
    port& p;
    sc_time local = SC_ZERO_TIME;

    void sync_if_due() {
        if (local != SC_ZERO_TIME && local >= tlm::tlm_global_quantum::instance().get()) {
            const sc_time t = local;
            local = SC_ZERO_TIME;
            wait(t);
        }
    }
    void access(tlm::tlm_command cmd, std::uint64_t addr, void* data, unsigned len) {
        EXPECT_EQ(p.access_at(cmd, addr, data, len, local), tlm::TLM_OK_RESPONSE) << "access 0x" << std::hex << addr;
        local += p.last_delay;
        sync_if_due();
    }
    std::uint32_t read(std::uint32_t off) {
        std::uint32_t v = 0;
        access(tlm::TLM_READ_COMMAND, off, &v, 4);
        return v;
    }
    void write(std::uint32_t off, std::uint32_t v) { access(tlm::TLM_WRITE_COMMAND, off, &v, 4); }
    void idle(unsigned n) {
        local += clk * static_cast<double>(n);
        sync_if_due();
    }
};

void run_at_line_rate(const sc_time& quantum) {
    constexpr std::size_t total = 6000, chunk = 16;
    rtl_bench tb(4096);
    const std::vector<std::uint8_t> sent = pattern(total, 5);
    sc_time t0, t_end;
    bool source_done = false;
    tb.run([&] {
        tlm::tlm_global_quantum::instance().set(quantum);
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
        sc_spawn([&] {
            t0 = sc_time_stamp();
            sc_time next = t0;
            for (std::size_t at = 0; at < total; at += chunk) {
                if (next > sc_time_stamp())
                    wait(next - sc_time_stamp());
                const sc_time start = sc_time_stamp();
                const std::size_t n = std::min(chunk, total - at);
                std::vector<std::uint8_t> c(sent.begin() + static_cast<long>(at),
                                            sent.begin() + static_cast<long>(at + n));
                sc_time d = SC_ZERO_TIME;
                EXPECT_EQ(tb.src.push(c, d), tlm::TLM_OK_RESPONSE);
                wait(d);
                next = std::max(start + clk * static_cast<double>(n), sc_time_stamp());
            }
            t_end = sc_time_stamp();
            source_done = true;
        });
        decoupled_cpu cpu{tb.cpu};
        std::vector<std::uint8_t> received;
        while (received.size() < total) {
            const std::uint32_t fill = cpu.read(regs::fill::offset);
            if (fill < 128 && !(source_done && fill)) {
                cpu.idle(8);
                continue;
            }
            cpu.write(regs::arg0::offset, 0);
            cpu.write(regs::arg1::offset, fill);
            cpu.write(regs::cmd::offset, static_cast<std::uint32_t>(opcode::consume));
            std::uint32_t s = 0;
            do
                s = cpu.read(regs::status::offset);
            while (regs::status::busy.get(s));
            ASSERT_EQ(regs::status::last_error.get(s), 0u);
            std::vector<std::uint8_t> got(fill);
            const unsigned pong = regs::status::ping_bank.get(s) ^ 1u;
            cpu.access(tlm::TLM_READ_COMMAND, pong ? regs::bank1_base : regs::bank0_base, got.data(), fill);
            received.insert(received.end(), got.begin(), got.end());
        }
        wait(cpu.local);
    });
    EXPECT_EQ(tb.dut.stats().stream_bytes, total);
    const std::uint64_t took = cycles(t_end - t0);
    const std::uint64_t busy = tb.dut.stats().busy_cycles;
    std::printf("%zu bytes in %llu cycles, %llu of them BUSY\n", total, static_cast<unsigned long long>(took),
                static_cast<unsigned long long>(busy));
    // One byte per cycle, plus the BUSY cycles (each stalls the port), plus a little slack for the
    // cycles between a CMD write and BUSY and the last chunk's alignment.
    EXPECT_LE(took, total + busy + total / 50)
        << "stream of " << total << " bytes took " << took << " cycles, " << busy << " of them BUSY";
}

TEST(rtl_stream_rate, line_rate_with_a_decoupled_consumer_quantum_1us) {
    run_at_line_rate(sc_time(1, SC_US));
}

TEST(rtl_stream_rate, line_rate_with_a_decoupled_consumer_quantum_100ns) {
    run_at_line_rate(sc_time(100, SC_NS));
}

TEST(rtl_stream_rate, line_rate_with_a_consumer_quantum_0) {
    run_at_line_rate(SC_ZERO_TIME);
}

}  // namespace
}  // namespace ppb::rtl::test
