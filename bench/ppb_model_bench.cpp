// Micro-benchmarks of the TLM model (Google Benchmark): what one access costs in wall time.
// SystemC allows one elaboration per process, so every benchmark runs inside one SC_THREAD of one
// bench; simulated time simply keeps advancing. "decoupled" variants keep a local time offset and
// synchronise once per global quantum; "synchronised" ones wait() after every access.
#include "model/ppb_model.hpp"
#include "testbench/sanitizer_stacks.hpp"

#include <benchmark/benchmark.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <systemc>
#include <tlm>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

using namespace sc_core;
namespace regs = ppb::regs;

class bench_top : public sc_module {
public:
    tlm_utils::simple_initiator_socket<bench_top, 32> cpu{"cpu"};
    tlm_utils::simple_initiator_socket<bench_top, 32> src{"src"};
    sc_signal<bool> irq{"irq"};
    ppb::model::ppb_model dut{"ppb", 1u << 20};
    tlm_utils::tlm_quantumkeeper qk;
    int argc;
    char** argv;

    bench_top(const sc_module_name& n, int c, char** v) : sc_module(n), argc(c), argv(v) {
        cpu.bind(dut.bus);
        src.bind(dut.stream);
        dut.irq.bind(irq);
        SC_HAS_PROCESS(bench_top);
        SC_THREAD(run);
    }

    // One transaction at the initiator's local time; synchronise now or at the quantum's end.
    void access(tlm::tlm_generic_payload& tx, bool decoupled) {
        sc_time d = qk.get_local_time();
        cpu->b_transport(tx, d);
        qk.set(d);
        if (!decoupled || qk.need_sync())
            qk.sync();
    }

    void run();
};

bench_top* top = nullptr;

void setup(tlm::tlm_generic_payload& tx, tlm::tlm_command cmd, std::uint64_t addr, void* data, unsigned len) {
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(static_cast<unsigned char*>(data));
    tx.set_data_length(len);
    tx.set_streaming_width(len);
}

void register_read(benchmark::State& state) {
    const bool decoupled = state.range(0) != 0;
    std::uint32_t v = 0;
    tlm::tlm_generic_payload tx;
    setup(tx, tlm::TLM_READ_COMMAND, regs::fill::offset, &v, 4);
    for (auto _ : state) {
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        top->access(tx, decoupled);
        benchmark::DoNotOptimize(v);
    }
    top->qk.sync();
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(register_read)->Arg(0)->Arg(1)->ArgName("decoupled");

void register_write(benchmark::State& state) {
    const bool decoupled = state.range(0) != 0;
    std::uint32_t v = 7;
    tlm::tlm_generic_payload tx;
    setup(tx, tlm::TLM_WRITE_COMMAND, regs::threshold::offset, &v, 4);
    for (auto _ : state) {
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        top->access(tx, decoupled);
    }
    top->qk.sync();
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(register_write)->Arg(0)->Arg(1)->ArgName("decoupled");

// A burst over a bank window through b_transport: read or write, 4 B .. 64 KiB.
void bank_burst(benchmark::State& state) {
    const auto len = static_cast<unsigned>(state.range(0));
    const bool write = state.range(1) != 0;
    const bool decoupled = state.range(2) != 0;
    std::vector<std::uint8_t> buf(len, 0x5A);
    tlm::tlm_generic_payload tx;
    setup(tx, write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, regs::bank1_base, buf.data(), len);
    for (auto _ : state) {
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        top->access(tx, decoupled);
        benchmark::DoNotOptimize(buf.data());
    }
    top->qk.sync();
    state.SetBytesProcessed(state.iterations() * len);
}
BENCHMARK(bank_burst)->ArgsProduct({{4, 64, 1024, 65536}, {0, 1}, {0, 1}})->ArgNames({"bytes", "write", "decoupled"});

// Through the DMI pointer: a memcpy plus the latency the target gave, per 32-bit word touched,
// added to the local time (decoupled) or waited at once (synchronised).
void dmi_access(benchmark::State& state) {
    const auto len = static_cast<unsigned>(state.range(0));
    const bool write = state.range(1) != 0;
    const bool decoupled = state.range(2) != 0;
    tlm::tlm_dmi dmi;
    std::uint8_t dummy = 0;
    tlm::tlm_generic_payload tx;
    setup(tx, tlm::TLM_READ_COMMAND, regs::bank0_base, &dummy, 1);
    if (!top->cpu->get_direct_mem_ptr(tx, dmi) || !(write ? dmi.is_write_allowed() : dmi.is_read_allowed())) {
        state.SkipWithError("DMI refused");
        return;
    }
    std::vector<std::uint8_t> buf(len, 0xA5);
    const sc_time per_word = write ? dmi.get_write_latency() : dmi.get_read_latency();
    const sc_time latency = per_word * static_cast<double>((len + 3) / 4);
    for (auto _ : state) {
        if (write)
            std::memcpy(dmi.get_dmi_ptr(), buf.data(), len);
        else
            std::memcpy(buf.data(), dmi.get_dmi_ptr(), len);
        top->qk.inc(latency);
        if (!decoupled || top->qk.need_sync())
            top->qk.sync();
        benchmark::DoNotOptimize(buf.data());
    }
    top->qk.sync();
    state.SetBytesProcessed(state.iterations() * len);
}
BENCHMARK(dmi_access)->ArgsProduct({{4, 64, 1024, 65536}, {0, 1}, {0, 1}})->ArgNames({"bytes", "write", "decoupled"});

// COMMIT of 4 bytes, then CONSUME of them: two commands, five register writes, with the results
// seen through a STATUS read (the driver's round trip).
void command_round_trip(benchmark::State& state) {
    const bool decoupled = state.range(0) != 0;
    std::uint32_t v = 0;
    tlm::tlm_generic_payload wr;
    setup(wr, tlm::TLM_WRITE_COMMAND, 0, &v, 4);
    tlm::tlm_generic_payload rd;
    setup(rd, tlm::TLM_READ_COMMAND, regs::status::offset, &v, 4);
    const auto write = [&](std::uint32_t off, std::uint32_t val) {
        v = val;
        wr.set_address(off);
        top->access(wr, decoupled);
    };
    for (auto _ : state) {
        write(regs::arg1::offset, 4);
        write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::commit));
        write(regs::arg0::offset, 0);
        write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::consume));
        top->access(rd, decoupled);
        benchmark::DoNotOptimize(v);
    }
    top->qk.sync();
    state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(command_round_trip)->Arg(0)->Arg(1)->ArgName("decoupled");

// CONSUME or SHIFT with a residual of r bytes to copy, then STATUS polled until not BUSY (what the
// driver does when its prediction is short). Per iteration: COMMIT 4 bytes, the command takes 4,
// so FILL stays r. Counters: polls per command.
void command_poll(benchmark::State& state) {
    const bool shift = state.range(0) != 0;
    const auto residual = static_cast<std::uint32_t>(state.range(1));
    const bool decoupled = state.range(2) != 0;
    std::uint32_t v = 0;
    tlm::tlm_generic_payload wr;
    setup(wr, tlm::TLM_WRITE_COMMAND, 0, &v, 4);
    tlm::tlm_generic_payload rd;
    setup(rd, tlm::TLM_READ_COMMAND, regs::status::offset, &v, 4);
    const auto write = [&](std::uint32_t off, std::uint32_t val) {
        v = val;
        wr.set_address(off);
        wr.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        top->access(wr, decoupled);
    };
    const auto wait_not_busy = [&]() {
        std::uint64_t polls = 0;
        do {
            rd.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            top->access(rd, decoupled);
            ++polls;
        } while (regs::status::busy.get(v) != 0);
        return polls;
    };
    write(regs::ctrl::offset, 0);
    write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::reset));
    wait_not_busy();
    if (residual) {
        write(regs::arg1::offset, residual);
        write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::commit));
    }
    write(regs::arg1::offset, 4);
    write(regs::arg0::offset, shift ? 4 : 0);  // SHIFT(4) or CONSUME(0, 4): both take 4 bytes
    const auto opcode = static_cast<std::uint32_t>(shift ? regs::opcode::shift : regs::opcode::consume);
    std::uint64_t polls = 0;
    for (auto _ : state) {
        write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::commit));
        write(regs::cmd::offset, opcode);
        polls += wait_not_busy();
    }
    top->qk.sync();
    state.counters["polls_per_command"] =
        benchmark::Counter(static_cast<double>(polls) / static_cast<double>(state.iterations()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(command_poll)->ArgsProduct({{0, 1}, {0, 64, 1024}, {0, 1}})->ArgNames({"shift", "residual", "decoupled"});

// Stream bytes into Ping (drop policy, so a full Ping never stalls): the ingress cost per byte.
// Decoupled: the source keeps the annotated delay and waits once per quantum; synchronised: it
// waits after every transaction.
void stream_ingress(benchmark::State& state) {
    const auto chunk = static_cast<unsigned>(state.range(0));
    const bool decoupled = state.range(1) != 0;
    std::vector<std::uint8_t> buf(chunk, 0x55);
    std::uint32_t v = regs::ctrl::source.mask() | regs::ctrl::drop_when_full.mask();
    tlm::tlm_generic_payload ctrl;
    setup(ctrl, tlm::TLM_WRITE_COMMAND, regs::ctrl::offset, &v, 4);
    top->access(ctrl, false);
    tlm::tlm_generic_payload tx;
    setup(tx, tlm::TLM_WRITE_COMMAND, 0, buf.data(), chunk);
    sc_time d = SC_ZERO_TIME;
    for (auto _ : state) {
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        top->src->b_transport(tx, d);
        if (!decoupled || d >= tlm::tlm_global_quantum::instance().get()) {
            wait(d);
            d = SC_ZERO_TIME;
        }
    }
    wait(d);
    v = 0;
    ctrl.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    top->access(ctrl, false);
    state.SetBytesProcessed(state.iterations() * chunk);
}
BENCHMARK(stream_ingress)->ArgsProduct({{1, 16, 256, 4096}, {0, 1}})->ArgNames({"chunk", "decoupled"});

void bench_top::run() {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    sc_stop();
}

}  // namespace

int main(int argc, char** argv) {
    ppb::tool::main_stack_for_leak_check();
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char** argv) {
    sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", SC_DO_NOTHING);
    sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
    tlm::tlm_global_quantum::instance().set(sc_time(1, SC_US));
    bench_top b("bench", argc, argv);
    top = &b;
    sc_start();
    return 0;
}
