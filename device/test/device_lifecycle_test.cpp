// A PPB from construction to waveform, on either engine: parameters SPEC.md section 1 refuses, a
// hardware reset in the middle of a command, and the VCD trace a person debugs with.
#include "device/test/device_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace ppb::test {
namespace {

using namespace sc_core;
constexpr std::uint32_t cap = 1024;

TEST(PPB_DEVICE_SUITE(construction), bad_parameters_are_refused) {
    EXPECT_THROW(make_device(engine, "bad_capacity", 1000 + 2), std::invalid_argument);
    EXPECT_THROW(make_device(engine, "zero_clock", 1024, SC_ZERO_TIME), std::invalid_argument);
}

// A host-mode platform that polls needs neither the stream socket nor the interrupt: both may stay
// unbound, and elaboration and the run go on (the irq's state is still there to read and trace).
class bus_only_bench : public sim_bench {
public:
    port cpu{"cpu"};
    std::unique_ptr<ppb_device> dut;
    bus_only_bench() : sim_bench("tb"), dut(make_device(engine, "dut", cap)) { cpu.socket.bind(dut->bus); }
};

TEST(PPB_DEVICE_SUITE(construction), the_stream_socket_and_the_irq_may_stay_unbound) {
    bus_only_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::irq_enable::offset, regs::irq::cmd_done.mask());
        tb.cpu.write(regs::ctrl::offset, 0);  // host source
        const auto bytes = pattern(12);
        tb.cpu.access(tlm::TLM_WRITE_COMMAND, regs::bank0_base, const_cast<std::uint8_t*>(bytes.data()), 12);
        tb.cpu.command(opcode::commit, 0, 12);
        EXPECT_EQ(tb.cpu.read(regs::fill::offset), 12u);
        EXPECT_NE(regs::irq::cmd_done.get(tb.cpu.read(regs::irq_status::offset)), 0u) << "the irq would be high";
    });
}

TEST(PPB_DEVICE_SUITE(reset), hard_reset_restores_registers_abandons_the_command_and_keeps_ram) {
    engine_bench tb;
    tb.run([&] {
        tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
        tb.src.push(pattern(500));
        tb.cpu.command(opcode::shift, 1);  // 2 + 125 BUSY cycles
        EXPECT_TRUE(regs::status::busy.get(tb.cpu.read(regs::status::offset)));
        tb.dut.hard_reset();
        for (const auto& r : regs::all_regs)
            EXPECT_EQ(tb.cpu.read(r.offset), reset_value(r, cap)) << r.name;
        wait(clk * 200.0);
        EXPECT_EQ(tb.cpu.read(regs::swaps::offset), 0u) << "the abandoned SHIFT never swaps";
        const auto want = pattern(500);
        const auto bank0 = tb.cpu.dbg_bank(0, cap);
        EXPECT_TRUE(std::equal(want.begin(), want.end(), bank0.begin()));
    });
}

TEST(PPB_DEVICE_SUITE(trace), vcd_has_the_signals_a_person_debugs_with) {
    // One file per process: both engines' binaries, and their X-randomised runs, may run at once.
    const std::string base = ::testing::TempDir() + "ppb_device_trace_" + std::to_string(::getpid());
    {
        engine_bench tb;
        sc_trace_file* tf = sc_create_vcd_trace_file(base.c_str());
        tb.dut.trace(tf);
        tb.run([&] {
            tb.cpu.write(regs::ctrl::offset, regs::ctrl::source.mask());
            tb.src.push(pattern(64));
            tb.cpu.command(opcode::consume, 0, 10);
            wait(sc_time(1, SC_US));
        });
        sc_close_vcd_trace_file(tf);
    }
    std::ifstream in(base + ".vcd");
    ASSERT_TRUE(in) << base << ".vcd";
    std::stringstream ss;
    ss << in.rdbuf();
    for (const char* sig : {"FILL", "LIMIT", "PING_BANK", "BUSY", "CMD", "irq"})
        EXPECT_NE(ss.str().find(sig), std::string::npos) << sig;
    std::remove((base + ".vcd").c_str());
}

}  // namespace
}  // namespace ppb::test
