// ppb-model-demo: one scenario on the TLM model with raw register accesses, printing what happened.
//
// A stream source pushes records of `record` bytes into the stream port at one byte per cycle.
// A CPU waits for the THRESHOLD interrupt, reads FILL, CONSUMEs every whole record in Ping with one
// command (the residual tail is copied to the other bank), and checks each record's bytes in the
// Pong bank. It ends when every byte sent has been seen, and prints the timeline and the counters.
// The source says when it is done (the end of the stream is no interrupt: a last batch below
// THRESHOLD raises none). Exit status 0 with the PASS line, 1 when a byte was wrong or the run
// ended before every byte was seen, 2 for bad input.
#include "model/ppb_model.hpp"
#include "testbench/tool_cli.hpp"
#include "testbench/tool_systemc.hpp"

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
    bool finished = false;  // the firmware saw every byte and printed its verdict

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
        source_done_event_.notify(SC_ZERO_TIME);
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
                wait(irq.posedge_event() | source_done_event_);
            write(regs::irq_status::offset, regs::irq::all);
            const std::uint32_t fill = read(regs::fill::offset);
            const std::uint32_t whole = fill / opt_.record * opt_.record;
            if (whole == 0) {
                if (source_done_) {  // every byte was sent and no whole record is left: some are missing
                    std::printf("  MISSING: the source is done, %" PRIu64 " of %" PRIu64 " bytes seen, FILL %u\n", seen,
                                total, fill);
                    ok = false;
                    break;
                }
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
        finished = true;
        sc_stop();
    }

    options opt_;
    sc_event write_ctrl_done_;
    bool source_done_ = false;
    sc_event source_done_event_;
};

}  // namespace

int main(int argc, char* argv[]) {
    ppb::tool::quiet_systemc("ppb-model-demo");
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
    namespace tool = ppb::tool;
    constexpr const char* name = "ppb-model-demo";
    tool::systemc_reports_to_stderr();
    options o;
    CLI::App app{"PPB TLM model demo: stream records in, consume them through registers"};
    app.footer(
        "Exit status: 0 passed (the PASS line), 1 a byte was wrong or missing, 2 bad input (one line on stderr).");
    tool::one_line_errors(app, name);
    tool::add_count(app, "--capacity", o.capacity, regs::capacity_min, regs::capacity_max,
                    "bytes per bank (a multiple of " + std::to_string(regs::capacity_multiple) + ")");
    tool::add_count(app, "--record", o.record, 1, 65536, "bytes per record (at most --capacity)");
    tool::add_count(app, "--records", o.records, 1, 100000000, "records to stream");
    tool::add_count(app, "--threshold", o.threshold, 1, regs::capacity_max,
                    "THRESHOLD interrupt level in bytes (at most --capacity)");
    app.add_option("--vcd", o.vcd, "write a VCD of the model's state to this file (.vcd is added unless it ends in it)")
        ->check(tool::output_path());
    if (const int rc = tool::parse(app, argc, argv); rc >= 0)
        return rc;
    if (const std::string why = regs::capacity_error(o.capacity); !why.empty())
        return tool::refuse(name, "--capacity: " + why);
    if (o.threshold > o.capacity)
        return tool::refuse(name, "--threshold " + std::to_string(o.threshold) + " exceeds --capacity " +
                                      std::to_string(o.capacity) + ": it must be in " +
                                      tool::range_text<std::uint64_t>(1, o.capacity));
    if (o.record > o.capacity)  // a record that never fits in Ping is never consumed: the stream stalls for good
        return tool::refuse(name, "--record " + std::to_string(o.record) + " exceeds --capacity " +
                                      std::to_string(o.capacity) + ": it must be in " +
                                      tool::range_text<std::uint64_t>(1, o.capacity));
    std::string vcd_base = o.vcd;
    if (vcd_base.size() > 4 && vcd_base.compare(vcd_base.size() - 4, 4, ".vcd") == 0)
        vcd_base.resize(vcd_base.size() - 4);
    if (!o.vcd.empty())
        if (const std::string why = tool::writable(vcd_base + ".vcd"); !why.empty())
            return tool::refuse(name, "--vcd: " + why);
    tlm::tlm_global_quantum::instance().set(sc_core::sc_time(100, sc_core::SC_NS));
    demo top("demo", o);
    sc_trace_file* tf = nullptr;
    if (!o.vcd.empty()) {
        tf = sc_create_vcd_trace_file(vcd_base.c_str());
        top.dut.trace(tf);
    }
    sc_start();
    if (tf)
        sc_close_vcd_trace_file(tf);
    if (!top.finished) {
        std::printf("FAIL: the simulation ended at %s before every byte was seen\n",
                    sc_time_stamp().to_string().c_str());
        return 1;
    }
    return top.ok ? 0 : 1;
}
