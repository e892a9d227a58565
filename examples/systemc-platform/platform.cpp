// A SystemC virtual platform as its builder writes it: a CPU of its own (a plain TLM-2.0 initiator,
// no PPB driver: the register sequence is the firmware's), the PPB on its bus and the PPB's
// interrupt on a signal. Host mode: the CPU fills Ping (COMMIT), so the stream socket stays unbound.
//
// The firmware: checks ID and CAPACITY, programs LIMIT and THRESHOLD, enables the THRESHOLD
// interrupt, writes a 24-byte record into Ping in three pieces (bank write + COMMIT each), sleeps
// until THRESHOLD fires, then enables CMD_DONE, CONSUMEs the record's first 16 bytes, sleeps until
// CMD_DONE, and reads the packet back from the Pong bank, where CONSUME leaves it.
//
// PPB_EXAMPLE_RTL (set by examples/systemc-platform-rtl) swaps the Verilated RTL in for the model;
// nothing else changes, because both are a ppb::ppb_device.
#ifdef PPB_EXAMPLE_RTL
#include "rtl/sim/ppb_rtl.hpp"
#else
#include "model/ppb_model.hpp"
#endif
#include "ppb_regs.hpp"

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <cstdio>
#include <cstring>
#include <vector>

namespace {

using namespace sc_core;
namespace regs = ppb::regs;

class cpu : public sc_module {
public:
    tlm_utils::simple_initiator_socket<cpu, 32> bus{"bus"};
    sc_in<bool> irq{"irq"};
    bool passed = false;

    explicit cpu(const sc_module_name& n) : sc_module(n) {
        SC_HAS_PROCESS(cpu);
        SC_THREAD(firmware);
    }

private:
    tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint32_t address, void* data, unsigned length) {
        tlm::tlm_generic_payload tx;
        sc_time delay = SC_ZERO_TIME;
        tx.set_command(cmd);
        tx.set_address(address);
        tx.set_data_ptr(static_cast<unsigned char*>(data));
        tx.set_data_length(length);
        tx.set_streaming_width(length);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        bus->b_transport(tx, delay);
        wait(delay);  // the time the access took
        return tx.get_response_status();
    }
    std::uint32_t read(std::uint32_t offset) {
        std::uint32_t v = 0;
        check(access(tlm::TLM_READ_COMMAND, offset, &v, 4) == tlm::TLM_OK_RESPONSE, "register read");
        return v;
    }
    void write(std::uint32_t offset, std::uint32_t v) {
        check(access(tlm::TLM_WRITE_COMMAND, offset, &v, 4) == tlm::TLM_OK_RESPONSE, "register write");
    }
    std::uint32_t bank(std::uint32_t ping_bank) const { return ping_bank ? regs::bank1_base : regs::bank0_base; }
    void check(bool ok, const char* what) {
        if (!ok) {
            std::fprintf(stderr, "platform: FAIL at %s: %s\n", sc_time_stamp().to_string().c_str(), what);
            failed_ = true;
        }
    }
    void sleep_until_irq() {
        if (!irq.read())
            wait(irq.posedge_event());
    }

    void firmware() {
        check(read(regs::id::offset) == regs::block_id, "ID is PPB1");
        const std::uint32_t capacity = read(regs::capacity::offset);
        check(capacity >= 64, "CAPACITY of at least 64 bytes");
        write(regs::limit::offset, 64);  // DMF's BufferSize
        write(regs::threshold::offset, 24);
        write(regs::irq_status::offset, regs::irq::all);
        write(regs::irq_enable::offset, regs::irq::threshold.mask());  // COMMITs set CMD_DONE too: not yet

        std::vector<std::uint8_t> record(24);
        for (std::size_t i = 0; i < record.size(); ++i)
            record[i] = static_cast<std::uint8_t>(0xA0 + i);
        std::uint32_t fill = 0;
        for (const std::uint32_t piece : {10u, 6u, 8u}) {  // DMF's Write: bytes into Ping at FILL, then COMMIT
            const std::uint32_t ping = regs::status::ping_bank.get(read(regs::status::offset));
            check(
                access(tlm::TLM_WRITE_COMMAND, bank(ping) + fill, record.data() + fill, piece) == tlm::TLM_OK_RESPONSE,
                "bank write");
            write(regs::arg1::offset, piece);
            write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::commit));
            fill += piece;
        }
        sleep_until_irq();
        const std::uint32_t why = read(regs::irq_status::offset);
        check(regs::irq::threshold.get(why) == 1, "THRESHOLD woke the CPU");
        check(read(regs::fill::offset) == 24, "FILL is 24");
        write(regs::irq_status::offset, regs::irq::all);  // RW1C: THRESHOLD and the COMMITs' CMD_DONE
        write(regs::irq_enable::offset, regs::irq::cmd_done.mask());

        const std::uint32_t ping = regs::status::ping_bank.get(read(regs::status::offset));
        write(regs::arg0::offset, 0);
        write(regs::arg1::offset, 16);
        write(regs::cmd::offset, static_cast<std::uint32_t>(regs::opcode::consume));
        sleep_until_irq();
        const std::uint32_t done = read(regs::irq_status::offset);
        check(regs::irq::cmd_done.get(done) == 1, "CMD_DONE woke the CPU");
        write(regs::irq_status::offset, done);
        const std::uint32_t status = read(regs::status::offset);
        check(regs::status::last_error.get(status) == static_cast<std::uint32_t>(regs::error::ok), "CONSUME succeeded");
        check(regs::status::ping_bank.get(status) != ping, "CONSUME swapped the banks");
        check(read(regs::fill::offset) == 8, "the 8 bytes after the packet are Ping's now");

        std::uint8_t packet[16];
        check(access(tlm::TLM_READ_COMMAND, bank(ping), packet, 16) == tlm::TLM_OK_RESPONSE, "bank read");
        check(std::memcmp(packet, record.data(), 16) == 0, "the packet is in the Pong bank at offset 0");
        std::uint8_t rest[8];
        check(access(tlm::TLM_READ_COMMAND, bank(ping ^ 1u), rest, 8) == tlm::TLM_OK_RESPONSE, "bank read");
        check(std::memcmp(rest, record.data() + 16, 8) == 0, "the residual was copied to the new Ping");
        passed = !failed_;
        sc_stop();
    }

    bool failed_ = false;
};

}  // namespace

int sc_main(int, char*[]) {
    tlm::tlm_global_quantum::instance().set(sc_time(1, SC_US));  // the platform's choice
#ifdef PPB_EXAMPLE_RTL
    ppb::rtl::ppb_rtl device("ppb", 1024, sc_time(10, SC_NS));
    const char* engine = "the Verilated RTL";
#else
    ppb::model::ppb_model device("ppb", 1024, sc_time(10, SC_NS));
    const char* engine = "the TLM model";
#endif
    ppb::ppb_device& ppb = device;  // all the platform needs to know
    sc_signal<bool> irq{"irq"};
    cpu core("cpu");
    core.bus.bind(ppb.bus);
    ppb.irq.bind(irq);
    core.irq.bind(irq);
    sc_start(sc_time(10, SC_MS));
    if (!core.passed) {
        std::fprintf(stderr, "platform: FAIL over %s\n", engine);
        return 1;
    }
    const auto s = ppb.stats();
    std::printf("platform: PASS over %s at %s (%llu register reads, %llu writes, %llu BUSY cycles)\n", engine,
                sc_time_stamp().to_string().c_str(), static_cast<unsigned long long>(s.reg_reads),
                static_cast<unsigned long long>(s.reg_writes), static_cast<unsigned long long>(s.busy_cycles));
    return 0;
}
