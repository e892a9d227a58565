// Micro-benchmarks of the TLM model (Google Benchmark): what one access costs in wall time.
// SystemC allows one elaboration per process, so every benchmark runs inside one SC_THREAD of one
// bench; simulated time simply keeps advancing. "decoupled" variants keep a local time offset and
// synchronise once per global quantum; "synchronised" ones wait() after every access.
#include "model/ppb_model.hpp"

#include <benchmark/benchmark.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdlib>
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
    tlm::tlm_generic_payload tx; setup(tx, tlm::TLM_READ_COMMAND, regs::fill::offset, &v, 4);
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
    tlm::tlm_generic_payload tx; setup(tx, tlm::TLM_WRITE_COMMAND, regs::threshold::offset, &v, 4);
    for (auto _ : state) {
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        top->access(tx, decoupled);
    }
    top->qk.sync();
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(register_write)->Arg(0)->Arg(1)->ArgName("decoupled");

void bank_burst(benchmark::State& state) {
    const auto len = static_cast<unsigned>(state.range(0));
    std::vector<std::uint8_t> buf(len);
    tlm::tlm_generic_payload tx; setup(tx, tlm::TLM_READ_COMMAND, regs::bank1_base, buf.data(), len);
    for (auto _ : state) {
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        top->access(tx, true);
        benchmark::DoNotOptimize(buf.data());
    }
    top->qk.sync();
    state.SetBytesProcessed(state.iterations() * len);
}
BENCHMARK(bank_burst)->Arg(4)->Arg(64)->Arg(1500)->Arg(65536);

void dmi_read(benchmark::State& state) {
    const auto len = static_cast<unsigned>(state.range(0));
    tlm::tlm_dmi dmi;
    std::uint8_t dummy = 0;
    tlm::tlm_generic_payload tx; setup(tx, tlm::TLM_READ_COMMAND, regs::bank0_base, &dummy, 1);
    if (!top->cpu->get_direct_mem_ptr(tx, dmi)) {
        state.SkipWithError("DMI refused");
        return;
    }
    std::vector<std::uint8_t> buf(len);
    const sc_time per_word = dmi.get_read_latency();
    for (auto _ : state) {
        std::memcpy(buf.data(), dmi.get_dmi_ptr(), len);
        top->qk.inc(per_word * static_cast<double>((len + 3) / 4));  // the latency the target gave
        if (top->qk.need_sync())
            top->qk.sync();
        benchmark::DoNotOptimize(buf.data());
    }
    top->qk.sync();
    state.SetBytesProcessed(state.iterations() * len);
}
BENCHMARK(dmi_read)->Arg(64)->Arg(1500)->Arg(65536);

// COMMIT of 4 bytes, then CONSUME of them: two commands, five register writes, with the results
// seen through a STATUS read (the driver's round trip).
void command_round_trip(benchmark::State& state) {
    const bool decoupled = state.range(0) != 0;
    std::uint32_t v = 0;
    tlm::tlm_generic_payload wr; setup(wr, tlm::TLM_WRITE_COMMAND, 0, &v, 4);
    tlm::tlm_generic_payload rd; setup(rd, tlm::TLM_READ_COMMAND, regs::status::offset, &v, 4);
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

// Stream bytes into Ping (drop policy, so a full Ping never stalls): the ingress cost per byte.
void stream_ingress(benchmark::State& state) {
    const auto chunk = static_cast<unsigned>(state.range(0));
    std::vector<std::uint8_t> buf(chunk, 0x55);
    std::uint32_t v = regs::ctrl::source.mask() | regs::ctrl::drop_when_full.mask();
    tlm::tlm_generic_payload ctrl; setup(ctrl, tlm::TLM_WRITE_COMMAND, regs::ctrl::offset, &v, 4);
    top->access(ctrl, false);
    tlm::tlm_generic_payload tx; setup(tx, tlm::TLM_WRITE_COMMAND, 0, buf.data(), chunk);
    sc_time d = SC_ZERO_TIME;
    for (auto _ : state) {
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        top->src->b_transport(tx, d);
        if (d >= tlm::tlm_global_quantum::instance().get()) {
            wait(d);
            d = SC_ZERO_TIME;
        }
    }
    wait(d);
    v = 0;
    top->access(ctrl, false);
    state.SetBytesProcessed(state.iterations() * chunk);
}
BENCHMARK(stream_ingress)->Arg(1)->Arg(16)->Arg(256)->Arg(4096);

void bench_top::run() {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    sc_stop();
}

}  // namespace

int main(int argc, char** argv) {
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
