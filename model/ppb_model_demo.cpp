// ppb-model-demo: one scenario on the TLM model with raw register accesses, printing what happened.
//
// A stream source pushes records of `record` bytes into the stream port at one byte per cycle.
// A CPU waits for the THRESHOLD interrupt, reads FILL, CONSUMEs every whole record in Ping with one
// command (the residual tail is copied to the other bank), and checks each record's bytes in the
// Pong bank. It ends when every byte sent has been seen, and prints the timeline and the counters.
#include "model/ppb_model.hpp"

#include <tlm_utils/simple_initiator_socket.h>
#include <CLI/CLI.hpp>
#include <systemc>
#include <tlm>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

using namespace sc_core;
namespace regs = ppb::regs;

struct options {
    std::uint32_t capacity = 4096;
    std::uint32_t record = 100;
    std::uint32_t records = 200;
    std::uint32_t threshold = 1024;
    std::string vcd;
};

class demo : public sc_module {
public:
    tlm_utils::simple_initiator_socket<demo, 32> cpu;
    tlm_utils::simple_initiator_socket<demo, 32> src;
    sc_signal<bool> irq{"irq"};
    ppb::model::ppb_model dut;
    bool ok = true;

    demo(const sc_module_name& n, const options& o)
        : sc_module(n), cpu("cpu"), src("src"), dut("ppb", o.capacity), opt_(o) {
        cpu.bind(dut.bus);
        src.bind(dut.stream);
        dut.irq.bind(irq);
        SC_HAS_PROCESS(demo);
        SC_THREAD(source);
        SC_THREAD(firmware);
    }

private:
    std::uint8_t expected(std::uint64_t i) const { return static_cast<std::uint8_t>(i * 7 + i / 251); }

    std::uint32_t read(std::uint32_t addr) {
        std::uint32_t v = 0;
        access(tlm::TLM_READ_COMMAND, addr, &v, 4);
        return v;
    }
    void write(std::uint32_t addr, std::uint32_t v) { access(tlm::TLM_WRITE_COMMAND, addr, &v, 4); }
    void access(tlm::tlm_command cmd, std::uint32_t addr, void* data, unsigned len) {
        tlm::tlm_generic_payload tx;
        sc_time d = SC_ZERO_TIME;
        tx.set_command(cmd);
        tx.set_address(addr);
        tx.set_data_ptr(static_cast<unsigned char*>(data));
        tx.set_data_length(len);
        tx.set_streaming_width(len);
        cpu->b_transport(tx, d);
        if (tx.is_response_error()) {
            std::fprintf(stderr, "bus error at 0x%06x: %s\n", addr, tx.get_response_string().c_str());
            ok = false;
        }
        wait(d);  // this firmware does not decouple: every access is synchronised
    }

    void source() {
        wait(write_ctrl_done_);
        const std::uint64_t total = std::uint64_t{opt_.record} * opt_.records;
        std::vector<std::uint8_t> chunk(opt_.record);
        for (std::uint64_t i = 0; i < total; i += opt_.record) {
            for (std::uint32_t k = 0; k < opt_.record; ++k)
                chunk[k] = expected(i + k);
            tlm::tlm_generic_payload tx;
            sc_time d = SC_ZERO_TIME;
            tx.set_command(tlm::TLM_WRITE_COMMAND);
            tx.set_data_ptr(chunk.data());
            tx.set_data_length(opt_.record);
            tx.set_streaming_width(opt_.record);
            src->b_transport(tx, d);
            wait(d);
        }
        source_done_ = true;
    }

    void firmware() {
        std::printf("PPB model demo: CAPACITY %u, %u records of %u bytes, THRESHOLD %u, clock %s\n", dut.capacity(),
                    opt_.records, opt_.record, opt_.threshold, dut.clock_period().to_string().c_str());
        std::printf("  ID 0x%08x  VERSION 0x%08x  CAPACITY %u\n", read(regs::id::offset), read(regs::version::offset),
                    read(regs::capacity::offset));
        write(regs::threshold::offset, opt_.threshold);
        write(regs::irq_enable::offset, regs::irq::threshold.mask() | regs::irq::full.mask());
        write(regs::ctrl::offset, regs::ctrl::source.mask());
        write_ctrl_done_.notify();

        const std::uint64_t total = std::uint64_t{opt_.record} * opt_.records;
        std::uint64_t seen = 0;
        std::vector<std::uint8_t> buf;
        unsigned swaps = 0;
        while (seen < total) {
            if (!irq.read() && !source_done_)
                wait(irq.posedge_event());
            write(regs::irq_status::offset, regs::irq::all);
            const std::uint32_t fill = read(regs::fill::offset);
            const std::uint32_t whole = fill / opt_.record * opt_.record;
            if (whole == 0) {
                if (source_done_)
                    wait(sc_time(1, SC_US));
                continue;
            }
            const sc_time t0 = sc_time_stamp();
            write(regs::arg0::offset, 0);
            write(regs::arg1::offset, whole);
            write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::consume));
            while (regs::status::busy.get(read(regs::status::offset)))
                ;
            const std::uint32_t status = read(regs::status::offset);
            const unsigned pong = regs::status::ping_bank.get(status) ^ 1u;
            buf.resize(whole);
            access(tlm::TLM_READ_COMMAND, pong ? regs::bank1_base : regs::bank0_base, buf.data(), whole);
            for (std::uint32_t k = 0; k < whole; ++k) {
                if (buf[k] != expected(seen + k)) {
                    std::printf("  MISMATCH at byte %" PRIu64 ": got 0x%02x, expected 0x%02x\n", seen + k, buf[k],
                                expected(seen + k));
                    ok = false;
                    break;
                }
            }
            if (swaps < 5)
                std::printf("  %10s  FILL %5u  CONSUME %5u bytes (FILL after: %3u) took %s; Pong is bank %u\n",
                            t0.to_string().c_str(), fill, whole, read(regs::fill::offset),
                            (sc_time_stamp() - t0).to_string().c_str(), pong);
            seen += whole;
            ++swaps;
        }
        const auto s = dut.stats();
        std::printf("  ... %u swaps in all\n", swaps);
        std::printf("done at %s: %" PRIu64 " bytes streamed and checked, SWAPS %u, INGRESS %u, DROPPED %u\n",
                    sc_time_stamp().to_string().c_str(), seen, read(regs::swaps::offset), read(regs::ingress::offset),
                    read(regs::dropped::offset));
        std::printf("  bus: %" PRIu64 " register reads, %" PRIu64 " writes, %" PRIu64 " bank bytes read; BUSY %" PRIu64
                    " cycles; stream stalls %" PRIu64 "; peak FILL %u\n",
                    s.reg_reads, s.reg_writes, s.bank_bytes_read, s.busy_cycles, s.stream_stalls, s.peak_fill);
        std::printf("%s\n", ok ? "PASS: every byte arrived once, in order" : "FAIL");
        sc_stop();
    }

    options opt_;
    sc_event write_ctrl_done_;
    bool source_done_ = false;
};

}  // namespace

// SystemC's banner is noise in a tool's output (and in its --quiet mode).
int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
    options o;
    CLI::App app{"PPB TLM model demo: stream records in, consume them through registers"};
    app.add_option("--capacity", o.capacity, "bytes per bank")->check(CLI::Range(16u, 1u << 20));
    app.add_option("--record", o.record, "bytes per record")->check(CLI::Range(1u, 65536u));
    app.add_option("--records", o.records, "records to stream")->check(CLI::Range(1u, 100000000u));
    app.add_option("--threshold", o.threshold, "THRESHOLD interrupt level in bytes")->check(CLI::Range(1u, 1u << 20));
    app.add_option("--vcd", o.vcd, "write a VCD of the model's state to this file (.vcd is added)");
    try {
        app.parse(argc, argv);
        if (auto why = ppb::model::check_capacity(o.capacity))
            throw CLI::ValidationError("--capacity", *why);
        if (o.threshold > o.capacity)
            throw CLI::ValidationError("--threshold", "must not exceed --capacity");
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    tlm::tlm_global_quantum::instance().set(sc_core::sc_time(100, sc_core::SC_NS));
    demo top("demo", o);
    sc_trace_file* tf = nullptr;
    if (!o.vcd.empty()) {
        std::string base = o.vcd;
        if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
            base.resize(base.size() - 4);
        tf = sc_create_vcd_trace_file(base.c_str());
        top.dut.trace(tf);
    }
    sc_start();
    if (tf)
        sc_close_vcd_trace_file(tf);
    return top.ok ? 0 : 1;
}
