// A bench for tests of a PPB through its sockets: a CPU and a stream source, each through a
// base-protocol checker, bound to a DUT with the device interface (ppb::ppb_device), with the
// helpers every test uses. device_bench makes its DUT with make_device() for an engine chosen at
// run time, so one test body runs on either engine; bench<Dut> holds a DUT of one concrete type,
// for tests that need what only that engine has.
#pragma once

#include "check/tlm_lt_checker.hpp"
#include "device/make_device.hpp"
#include "ppb_regs.hpp"
#include "testbench/harness/sim_bench.hpp"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ppb::test {

using regs::opcode;

inline const sc_core::sc_time clk(10, sc_core::SC_NS);

inline std::uint64_t cycles(const sc_core::sc_time& t) {
    return static_cast<std::uint64_t>(t / clk);
}

inline std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed = 3) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(seed + i * 29);
    return v;
}

// Expected value of a register right after reset (write-only registers read 0).
inline std::uint32_t reset_value(const regs::reg_desc& r, std::uint32_t capacity) {
    if (r.access == regs::access::wo)
        return 0;
    return r.reset_from == regs::reset_kind::capacity ? capacity : r.reset;
}

// Issues transactions on one initiator socket bound to a DUT's bus or stream socket, and records
// the DMI invalidations the target sends back.
class port : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<port, 32> socket;
    std::vector<std::pair<sc_dt::uint64, sc_dt::uint64>> invalidations;

    explicit port(const sc_core::sc_module_name& n) : sc_core::sc_module(n), socket("socket") {
        socket.register_invalidate_direct_mem_ptr(this, &port::invalidate);
    }

    // One transaction at local time now + `ahead`, not synchronised; last_delay is the delay
    // the target annotated (from now + ahead).
    tlm::tlm_response_status access_at(tlm::tlm_command cmd, std::uint64_t addr, void* data, unsigned len,
                                       const sc_core::sc_time& ahead, const unsigned char* be = nullptr,
                                       unsigned be_len = 0, unsigned sw = 0) {
        tlm::tlm_generic_payload tx;
        sc_core::sc_time d = ahead;
        tx.set_command(cmd);
        tx.set_address(addr);
        tx.set_data_ptr(static_cast<unsigned char*>(data));
        tx.set_data_length(len);
        tx.set_streaming_width(sw ? sw : len);
        tx.set_byte_enable_ptr(const_cast<unsigned char*>(be));
        tx.set_byte_enable_length(be_len);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        socket->b_transport(tx, d);
        last_delay = d - ahead;
        return tx.get_response_status();
    }
    // One transaction at the current time, synchronised (waits for its annotated delay).
    tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t addr, void* data, unsigned len,
                                    const unsigned char* be = nullptr, unsigned be_len = 0, unsigned sw = 0) {
        const auto r = access_at(cmd, addr, data, len, sc_core::SC_ZERO_TIME, be, be_len, sw);
        sc_core::wait(last_delay);
        return r;
    }
    std::uint32_t read(std::uint32_t off) {
        std::uint32_t v = 0;
        EXPECT_EQ(access(tlm::TLM_READ_COMMAND, off, &v, 4), tlm::TLM_OK_RESPONSE) << "read 0x" << std::hex << off;
        return v;
    }
    void write(std::uint32_t off, std::uint32_t v) {
        EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, off, &v, 4), tlm::TLM_OK_RESPONSE) << "write 0x" << std::hex << off;
    }
    void command(opcode op, std::uint32_t a0 = 0, std::uint32_t a1 = 0) {
        write(regs::arg0::offset, a0);
        write(regs::arg1::offset, a1);
        write(regs::cmd::offset, static_cast<std::uint32_t>(op));
    }
    // Polls STATUS until BUSY is low; returns the last STATUS.
    std::uint32_t wait_idle() {
        std::uint32_t s = 0;
        for (int i = 0; i < 100000; ++i) {
            s = read(regs::status::offset);
            if (!regs::status::busy.get(s))
                return s;
        }
        ADD_FAILURE() << "BUSY never fell";
        return s;
    }
    // Stream bytes (on a port bound to the stream socket).
    tlm::tlm_response_status push(const std::vector<std::uint8_t>& bytes, sc_core::sc_time& d) {
        tlm::tlm_generic_payload tx;
        return push(tx, bytes, d);
    }
    // The same with a payload the caller owns (a source that may block for good, whose stack is
    // never unwound, must not keep its payload there: it would leak the extension array).
    tlm::tlm_response_status push(tlm::tlm_generic_payload& tx, const std::vector<std::uint8_t>& bytes,
                                  sc_core::sc_time& d) {
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_data_ptr(const_cast<unsigned char*>(bytes.data()));
        tx.set_data_length(static_cast<unsigned>(bytes.size()));
        tx.set_streaming_width(static_cast<unsigned>(bytes.size()));
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        socket->b_transport(tx, d);
        return tx.get_response_status();
    }
    void push(const std::vector<std::uint8_t>& bytes) {
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        EXPECT_EQ(push(bytes, d), tlm::TLM_OK_RESPONSE);
        sc_core::wait(d);
    }
    // A one-byte bus read at `addr` whose DMI hint starts as `hint`: the hint the target leaves.
    bool dmi_hint_of_a_read(std::uint64_t addr, bool hint = false) {
        std::uint8_t byte = 0;
        tlm::tlm_generic_payload tx;
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(addr);
        tx.set_data_ptr(&byte);
        tx.set_data_length(1);
        tx.set_streaming_width(1);
        tx.set_dmi_allowed(hint);
        socket->b_transport(tx, d);
        return tx.is_dmi_allowed();
    }
    std::uint32_t dbg_read32(std::uint32_t off) {
        std::uint32_t v = 0;
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(off);
        tx.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
        tx.set_data_length(4);
        EXPECT_EQ(socket->transport_dbg(tx), 4u) << "debug read of 0x" << std::hex << off;
        return v;
    }
    std::vector<std::uint8_t> dbg_bank(unsigned bank, std::uint32_t capacity) {
        std::vector<std::uint8_t> b(capacity);
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(bank ? regs::bank1_base : regs::bank0_base);
        tx.set_data_ptr(b.data());
        tx.set_data_length(capacity);
        EXPECT_EQ(socket->transport_dbg(tx), capacity) << "debug read of bank " << bank;
        return b;
    }
    void dbg_load(unsigned bank, std::uint32_t offset, std::vector<std::uint8_t> bytes) {
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_address((bank ? regs::bank1_base : regs::bank0_base) + offset);
        tx.set_data_ptr(bytes.data());
        tx.set_data_length(static_cast<unsigned>(bytes.size()));
        EXPECT_EQ(socket->transport_dbg(tx), bytes.size()) << "debug load of bank " << bank;
    }

    sc_core::sc_time last_delay;

private:
    void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { invalidations.emplace_back(start, end); }
};

// Binds a CPU port to a DUT's bus socket through a base-protocol checker that watches every
// register and both banks (transport_dbg must leave them alone) and treats the banks as plain RAM.
inline void bind_bus_checked(port& cpu, check::tlm_lt_checker& chk, ppb_device& dut) {
    cpu.socket.bind(chk.target);
    chk.initiator.bind(dut.bus);
    for (const auto& r : regs::all_regs)
        chk.watch(r.offset, 4);
    for (const std::uint32_t base : {regs::bank0_base, regs::bank1_base}) {
        chk.watch(base, dut.capacity());
        chk.add_memory(base, base + dut.capacity() - 1);
    }
}

// A stream source port to a DUT's stream socket through a base-protocol checker.
inline void bind_stream_checked(port& src, check::tlm_lt_checker& chk, ppb_device& dut) {
    src.socket.bind(chk.target);
    chk.initiator.bind(dut.stream);
}

// CPU and stream source on one DUT, each through a base-protocol checker (a violation is an
// SC_REPORT_ERROR: a test failure), whatever holds the DUT.
class bench_base : public sim_bench {
public:
    port cpu{"cpu"};
    port src{"src"};
    sc_core::sc_signal<bool> irq{"irq"};
    check::tlm_lt_checker bus_check{"bus_check"};
    check::tlm_lt_checker stream_check{"stream_check"};

    // Every register (through the side-effect-free debug path) and both banks.
    std::vector<std::uint32_t> state() {
        std::vector<std::uint32_t> s;
        for (const auto& r : regs::all_regs)
            s.push_back(cpu.dbg_read32(r.offset));
        for (unsigned b = 0; b < 2; ++b)
            for (const auto byte : cpu.dbg_bank(b, capacity_))
                s.push_back(byte);
        return s;
    }

protected:
    explicit bench_base(const sc_core::sc_module_name& n) : sim_bench(n) {}

    void attach(ppb_device& dut) {
        bind_bus_checked(cpu, bus_check, dut);
        bind_stream_checked(src, stream_check, dut);
        dut.irq.bind(irq);
        capacity_ = dut.capacity();
    }

private:
    std::uint32_t capacity_ = 0;
};

// The bench on a DUT of one type (ppb::model::ppb_model or ppb::rtl::ppb_rtl).
template <class Dut>
class bench : public bench_base {
public:
    Dut dut;

    explicit bench(std::uint32_t capacity = 1024, const sc_core::sc_module_name& n = "tb")
        : bench_base(n), dut("dut", capacity, clk) {
        attach(dut);
    }
};

// The bench on a DUT that make_device() makes for `engine`.
class device_bench : public bench_base {
    std::unique_ptr<ppb_device> owned_;

public:
    ppb_device& dut;

    explicit device_bench(engine_kind engine, std::uint32_t capacity = 1024, const sc_core::sc_module_name& n = "tb")
        : bench_base(n), owned_(make_device(engine, "dut", capacity, clk)), dut(*owned_) {
        attach(dut);
    }
};

}  // namespace ppb::test
