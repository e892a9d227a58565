// Fuzz target 2: the SystemC model's bus socket (and its stream socket) with arbitrary commands,
// addresses, lengths, byte enables and streaming widths. Every response is checked against the
// set SPEC.md section 2 (and docs/spec-notes.md) allows for that access, computed here from the
// generated register map, not from the model's decoder; an error must change nothing; a bank access
// must move exactly the enabled bytes to where the streaming width puts them; a register access must
// do what section 3 says; and after every transaction the state must keep its invariants
// (FILL <= LIMIT <= CAPACITY, FULL == (FILL == LIMIT), reserved bits 0, constant ID/VERSION/CAPACITY).
//
// SystemC allows one elaboration per process, so the bench is elaborated on the first input and
// lives for the process. Each input runs inside one sc_start(): the bench's SC_THREAD waits for an
// input, hard-resets the model and clears its banks, runs the input's transactions (loosely timed:
// a local time offset, synchronised when the input says so and around stream pushes), and calls
// sc_pause(). Simulated time grows across inputs; nothing the checks use depends on its value.
//
// The TLM-2.0 base-protocol checker (check/tlm_lt_checker.hpp, ppb::check::tlm_lt_checker) sits
// between the initiator and the model's bus socket. The fuzzer makes only
// protocol-legal requests (fresh payload, INCOMPLETE status, data pointer, length and streaming
// width > 0), so every violation the checker reports is the model's.
#include "fuzz/fuzz_util.hpp"
#include "model/ppb_model.hpp"

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <array>
#include <cinttypes>
#include <cstring>
#include <memory>
#include <vector>

#include "check/tlm_lt_checker.hpp"

namespace {

using namespace ppb;
using ppb::fuzz::byte_reader;
using sc_core::SC_NS;
using sc_core::sc_time;

constexpr const char* target = "model_bus";
#define CHECK(cond, ...) PPB_FUZZ_CHECK(target, cond, __VA_ARGS__)

constexpr std::uint32_t capacity = 64;
constexpr std::size_t max_ops = 2048;
constexpr std::uint8_t sentinel = 0xA5;

using bus_link = ppb::check::tlm_lt_checker;

// Responses as a set: bit i for tlm_response_status value i + 1 ... kept simple with a mask per name.
enum allowed : unsigned { ok = 1, address = 2, burst = 4, byte_enable = 8, command = 16 };

unsigned bit_of(tlm::tlm_response_status s) {
    switch (s) {
    case tlm::TLM_OK_RESPONSE:
        return ok;
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
        return address;
    case tlm::TLM_BURST_ERROR_RESPONSE:
        return burst;
    case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE:
        return byte_enable;
    case tlm::TLM_COMMAND_ERROR_RESPONSE:
        return command;
    default:
        return 0;  // INCOMPLETE, GENERIC: never allowed
    }
}

const char* name_of(tlm::tlm_response_status s) {
    switch (s) {
    case tlm::TLM_OK_RESPONSE:
        return "OK";
    case tlm::TLM_INCOMPLETE_RESPONSE:
        return "INCOMPLETE";
    case tlm::TLM_GENERIC_ERROR_RESPONSE:
        return "GENERIC_ERROR";
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
        return "ADDRESS_ERROR";
    case tlm::TLM_COMMAND_ERROR_RESPONSE:
        return "COMMAND_ERROR";
    case tlm::TLM_BURST_ERROR_RESPONSE:
        return "BURST_ERROR";
    case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE:
        return "BYTE_ENABLE_ERROR";
    }
    return "?";
}

// SPEC.md section 2 and docs/spec-notes.md "Bus": the responses an access may get. Each rule the
// access breaks adds its error; the spec does not order the rules, so any of them is allowed. OK
// only when none is broken.
unsigned spec_responses(std::uint64_t addr, std::size_t len, std::size_t width, bool all_enabled) {
    const std::uint64_t span = width < len ? width : len;  // address space one beat covers
    const std::uint64_t end = addr + span;
    unsigned broken = 0;
    if (end > (std::uint64_t{1} << regs::addr_bits))
        broken |= address;  // 22 address bits decoded: nothing is mapped above
    if (addr < regs::regs_base + regs::regs_size) {
        if (end > regs::regs_base + regs::regs_size)
            broken |= address;  // crosses from the registers into unmapped space
        if (len != 4 || span != len)
            broken |= burst;  // registers take whole 32-bit words only
        if (!regs::is_mapped(addr - regs::regs_base))
            broken |= address;  // misaligned, or no register there
        if (!all_enabled)
            broken |= byte_enable;
    } else {
        bool mapped = false;
        for (const std::uint64_t base : {std::uint64_t{regs::bank0_base}, std::uint64_t{regs::bank1_base}})
            if (addr >= base && addr < base + capacity) {
                mapped = true;
                if (end > base + capacity)
                    broken |= address;  // runs past CAPACITY
            }
        if (!mapped)
            broken |= address;
    }
    return broken ? broken : ok;
}

struct snapshot {
    std::array<std::uint32_t, regs::all_regs.size()> reg{};
    std::array<std::uint8_t, 2 * capacity> bank{};
    std::uint32_t get(std::uint32_t offset) const {
        const std::size_t i = regs::reg_index(offset);
        return i < reg.size() ? reg[i] : 0;
    }
    bool operator==(const snapshot&) const = default;
};

class bench : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<bench, 32> cpu;
    tlm_utils::simple_initiator_socket<bench, 32> feeder;
    bus_link link;
    model::ppb_model dut;
    sc_core::sc_signal<bool> irq;

    explicit bench(const sc_core::sc_module_name& name)
        : sc_module(name), cpu("cpu"), feeder("feeder"), link("link"), dut("dut", capacity), irq("irq") {
        cpu.bind(link.target);
        link.initiator.bind(dut.bus);
        feeder.bind(dut.stream);
        dut.irq.bind(irq);
        SC_HAS_PROCESS(bench);
        SC_THREAD(thread);
    }

    // Runs one input to its end (inside sc_start, returns when the thread pauses).
    void run(const std::uint8_t* data, std::size_t size) {
        if (sc_core::sc_get_status() == sc_core::SC_ELABORATION)
            sc_core::sc_start(sc_core::SC_ZERO_TIME);  // initialisation: the thread reaches its first wait
        input_ = byte_reader(data, size);
        done_ = false;
        go_.notify(sc_core::SC_ZERO_TIME);
        sc_core::sc_start();
        CHECK(done_, "the input did not run to its end (a transaction blocked for good?)");
    }

private:
    void thread() {
        for (;;) {
            sc_core::wait(go_);
            start();
            for (std::size_t n = 0; n < max_ops && !input_.empty(); ++n) {
                step_ = n;
                one();
            }
            finish();
            done_ = true;
            sc_core::sc_pause();
        }
    }

    void start() {
        dut.hard_reset();
        std::array<std::uint8_t, capacity> zero{};
        for (const std::uint32_t base : {regs::bank0_base, regs::bank1_base})
            CHECK(dbg(tlm::TLM_WRITE_COMMAND, base, zero.data(), capacity) == capacity,
                  "a debug write of a whole bank was refused");
        local_ = sc_core::SC_ZERO_TIME;
    }

    void sync() {
        sc_core::wait(local_);
        local_ = sc_core::SC_ZERO_TIME;
    }

    void one() {
        switch (input_.u8() % 16) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
            register_access();
            break;
        case 6:
        case 7:
        case 8:
        case 9:
            bank_access();
            break;
        case 10:
        case 11:
            raw_access();
            break;
        case 12:
            stream_push();
            break;
        case 13:
            stream_refused();
            break;
        case 14:
            dmi_request();
            break;
        default:
            sync();
            break;
        }
    }

    // A whole aligned word at a register offset (mapped or not), read or written.
    void register_access() {
        const std::uint8_t which = input_.u8();
        const std::uint32_t offset = which < 0xE0 ? regs::all_regs[which % regs::all_regs.size()].offset
                                                  : regs::word_bytes * input_.below(regs::regs_size / regs::word_bytes);
        const bool write = input_.u8() & 1;
        std::uint32_t value = 0;
        switch (input_.u8() % 6) {
        case 0:
            value = input_.u32();
            break;
        case 1:
            value = 1 + input_.u8() % 5;  // an opcode, or just past them
            break;
        case 2:
            value = 0xFFFFFFFFu;
            break;
        default:
            value = input_.u8() % (capacity + 4);  // an offset, a length, a LIMIT or a THRESHOLD
            break;
        }
        transact(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, offset, 4, 4, {}, value);
    }

    std::vector<std::uint8_t> byte_enables() {
        const std::uint8_t how = input_.u8();
        if (how % 4)
            return {};
        const std::size_t n = 1 + input_.below(8);
        std::vector<std::uint8_t> be(n);
        for (auto& b : be)
            b = input_.u8() & 1 ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
        if (how & 0x80)
            be[0] = 0x5A;  // neither value: the target must treat it as disabled
        return be;
    }

    std::size_t width(std::size_t len) {
        const std::uint8_t how = input_.u8();
        return how % 4 ? len : 1 + how / 4 % 8;
    }

    // Near or in a bank: edges of the window and lengths around CAPACITY.
    void bank_access() {
        const std::uint32_t base = input_.u8() & 1 ? regs::bank1_base : regs::bank0_base;
        const std::uint32_t offset = input_.below(capacity + 8);
        const std::uint8_t l = input_.u8();
        const std::size_t len = l < 0xF0 ? 1 + l % 16 : 1 + input_.below(capacity + 8);
        const auto cmd = static_cast<tlm::tlm_command>(input_.u8() % 3);
        const std::size_t sw = width(len);
        const std::uint32_t before = input_.u8() % 8 == 0 ? 4 : 0;  // just below the window
        const std::vector<std::uint8_t> be = byte_enables();
        const std::uint32_t seed = input_.u32();
        transact(cmd, base + offset - before, len, sw, be, seed);
    }

    // Anywhere: window edges, the top of the decoded range, and beyond it.
    void raw_access() {
        static constexpr std::uint64_t anchors[] = {0,
                                                    regs::regs_size,
                                                    regs::bank0_base,
                                                    regs::bank0_base + capacity,
                                                    regs::bank1_base,
                                                    regs::bank1_base + capacity,
                                                    std::uint64_t{1} << regs::addr_bits,
                                                    0xFFFFFFFFull,
                                                    0xFFFFFFFFFFFFFFF0ull};
        // One read per statement: operand evaluation order is unspecified, corpora must decode alike.
        const std::uint64_t anchor = anchors[input_.below(std::size(anchors))];
        const std::uint64_t addr = anchor + static_cast<std::int8_t>(input_.u8());
        const std::size_t len = 1 + input_.below(96);
        const auto cmd = static_cast<tlm::tlm_command>(input_.u8() % 3);
        const std::size_t sw = width(len);
        const std::vector<std::uint8_t> be = byte_enables();
        const std::uint32_t seed = input_.u32();
        transact(cmd, addr, len, sw, be, seed);
    }

    snapshot peek_all() {
        snapshot s;
        for (std::size_t i = 0; i < regs::all_regs.size(); ++i) {
            const std::uint32_t off = regs::all_regs[i].offset;
            std::uint32_t v = 0;
            CHECK(dbg(tlm::TLM_READ_COMMAND, off, reinterpret_cast<std::uint8_t*>(&v), 4) == 4,
                  "a debug read of register 0x%03x was refused", off);
            s.reg[i] = v;
        }
        CHECK(dbg(tlm::TLM_READ_COMMAND, regs::bank0_base, s.bank.data(), capacity) == capacity &&
                  dbg(tlm::TLM_READ_COMMAND, regs::bank1_base, s.bank.data() + capacity, capacity) == capacity,
              "a debug read of a whole bank was refused");
        return s;
    }

    unsigned dbg(tlm::tlm_command cmd, std::uint64_t addr, std::uint8_t* data, unsigned len) {
        tlm::tlm_generic_payload tx;
        tx.set_command(cmd);
        tx.set_address(addr);
        tx.set_data_ptr(data);
        tx.set_data_length(len);
        return cpu->transport_dbg(tx);
    }

    void transact(tlm::tlm_command cmd, std::uint64_t addr, std::size_t len, std::size_t sw,
                  std::vector<std::uint8_t> be, std::uint32_t seed) {
        std::vector<std::uint8_t> data(len, sentinel);
        if (cmd == tlm::TLM_WRITE_COMMAND)
            for (std::size_t i = 0; i < len; ++i)
                data[i] = static_cast<std::uint8_t>(seed >> (8 * (i % 4))) ^ static_cast<std::uint8_t>(i / 4 * 29);
        const snapshot pre = peek_all();
        tlm::tlm_generic_payload tx;
        tx.set_command(cmd);
        tx.set_address(addr);
        tx.set_data_ptr(data.data());
        tx.set_data_length(static_cast<unsigned>(len));
        tx.set_streaming_width(static_cast<unsigned>(sw));
        if (!be.empty()) {
            tx.set_byte_enable_ptr(be.data());
            tx.set_byte_enable_length(static_cast<unsigned>(be.size()));
        }
        tx.set_dmi_allowed(false);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        const std::vector<std::uint8_t> written = data;
        cpu->b_transport(tx, local_);
        const tlm::tlm_response_status r = tx.get_response_status();
        const snapshot post = peek_all();

        bool all_enabled = true;
        for (std::size_t i = 0; i < len && !be.empty(); ++i)
            all_enabled &= be[i % be.size()] == TLM_BYTE_ENABLED;
        const unsigned expected = spec_responses(addr, len, sw, all_enabled);
        const char* what = cmd == tlm::TLM_READ_COMMAND ? "read" : cmd == tlm::TLM_WRITE_COMMAND ? "write" : "ignore";
        CHECK(bit_of(r) & expected,
              "step %zu: %s of %zu bytes at 0x%" PRIx64
              " (streaming width %zu, %s byte enables%s) answered %s; "
              "SPEC.md section 2 allows mask 0x%x (1 OK, 2 ADDRESS, 4 BURST, 8 BYTE_ENABLE)",
              step_, what, len, addr, sw, be.empty() ? "no" : "with", all_enabled ? "" : ", some off", name_of(r),
              expected);
        check_invariants(post, "after a transaction");
        if (r != tlm::TLM_OK_RESPONSE || cmd == tlm::TLM_IGNORE_COMMAND) {
            CHECK(pre == post, "step %zu: %s at 0x%" PRIx64 " answered %s but changed the device's state", step_, what,
                  addr, name_of(r));
            return;
        }
        if (addr < regs::regs_size)
            check_register(cmd, static_cast<std::uint32_t>(addr), data, written, pre, post);
        else
            check_bank(cmd, addr, len, sw, be, data, written, pre, post);
    }

    void check_register(tlm::tlm_command cmd, std::uint32_t offset, const std::vector<std::uint8_t>& data,
                        const std::vector<std::uint8_t>& written, const snapshot& pre, const snapshot& post) {
        std::uint32_t v = 0;
        std::memcpy(&v, cmd == tlm::TLM_READ_COMMAND ? data.data() : written.data(), 4);
        const regs::reg_desc& r = *regs::reg_at(offset);
        const std::string n(r.name);
        if (cmd == tlm::TLM_READ_COMMAND) {
            if (r.access == regs::access::wo)
                CHECK(v == 0, "step %zu: write-only %s read 0x%08x, not 0", step_, n.c_str(), v);
            else if (offset == regs::status::offset)  // BUSY is as of the reader's local time
                CHECK((v & ~regs::status::busy.mask()) == (post.get(offset) & ~regs::status::busy.mask()),
                      "step %zu: STATUS read 0x%08x, the device holds 0x%08x", step_, v, post.get(offset));
            else
                CHECK(v == post.get(offset), "step %zu: %s read 0x%08x, the device holds 0x%08x", step_, n.c_str(), v,
                      post.get(offset));
            return;
        }
        // A write: what section 3 says it does (a command that finishes by the access applies first,
        // which moves FILL, PING_BANK, SWAPS, LAST_ERROR and IRQ_STATUS only).
        const std::uint32_t irqs = post.get(regs::irq_status::offset);
        const std::uint32_t last = regs::status::last_error.get(post.get(regs::status::offset));
        switch (r.access) {
        case regs::access::rw:
            if (offset == regs::limit::offset) {
                const std::uint32_t fill = post.get(regs::fill::offset);
                if (v != 0 && v <= capacity && v >= fill)
                    CHECK(post.get(offset) == v, "step %zu: LIMIT = %u (FILL %u) was not taken", step_, v, fill);
                else
                    CHECK(post.get(offset) == pre.get(offset) &&
                              last == static_cast<std::uint32_t>(regs::error::range) && regs::irq::cmd_error.get(irqs),
                          "step %zu: LIMIT = %u (FILL %u, CAPACITY %u) was not refused with RANGE", step_, v, fill,
                          capacity);
            } else {
                CHECK(post.get(offset) == (v & r.writable_mask), "step %zu: %s = 0x%08x reads back 0x%08x", step_,
                      n.c_str(), v, post.get(offset));
            }
            break;
        case regs::access::rw1c:
            CHECK((irqs & v & regs::irq::all) == 0, "step %zu: IRQ_STATUS write 0x%08x left 0x%08x", step_, v, irqs);
            break;
        case regs::access::ro_wc:
            CHECK(post.get(offset) == 0, "step %zu: a write to %s left 0x%08x", step_, n.c_str(), post.get(offset));
            break;
        case regs::access::wo:
            if (offset == regs::irq_test::offset) {
                CHECK((irqs & v & regs::irq::all) == (v & regs::irq::all),
                      "step %zu: IRQ_TEST 0x%08x left IRQ_STATUS 0x%08x", step_, v, irqs);
            } else if (v < 1 || v > 4) {  // CMD with no such opcode (refused as BUSY while one runs)
                CHECK((last == static_cast<std::uint32_t>(regs::error::bad_opcode) ||
                       last == static_cast<std::uint32_t>(regs::error::busy)) &&
                          regs::irq::cmd_error.get(irqs),
                      "step %zu: opcode %u gave LAST_ERROR %u", step_, v, last);
            } else if (v == static_cast<std::uint32_t>(regs::opcode::commit) &&
                       regs::ctrl::source.get(post.get(regs::ctrl::offset))) {
                CHECK((last == static_cast<std::uint32_t>(regs::error::source) ||
                       last == static_cast<std::uint32_t>(regs::error::busy)) &&
                          regs::irq::cmd_error.get(irqs),
                      "step %zu: COMMIT in stream mode gave LAST_ERROR %u", step_, last);
            }
            break;
        case regs::access::ro:
            for (const std::uint32_t constant : {regs::id::offset, regs::version::offset, regs::capacity::offset})
                CHECK(post.get(constant) == pre.get(constant), "step %zu: a write to %s changed 0x%03x", step_,
                      n.c_str(), constant);
            break;
        }
    }

    void check_bank(tlm::tlm_command cmd, std::uint64_t addr, std::size_t len, std::size_t sw,
                    const std::vector<std::uint8_t>& be, const std::vector<std::uint8_t>& data,
                    const std::vector<std::uint8_t>& written, const snapshot& pre, const snapshot& post) {
        const unsigned b = addr >= regs::bank1_base ? 1 : 0;
        const std::size_t offset = addr - (b ? regs::bank1_base : regs::bank0_base);
        const std::size_t span = sw < len ? sw : len;
        const auto enabled = [&](std::size_t i) { return be.empty() || be[i % be.size()] == TLM_BYTE_ENABLED; };
        if (cmd == tlm::TLM_READ_COMMAND) {
            for (std::size_t i = 0; i < len; ++i) {
                const std::uint8_t want = enabled(i) ? post.bank[b * capacity + offset + i % span] : sentinel;
                CHECK(data[i] == want,
                      "step %zu: read of %zu bytes at 0x%" PRIx64
                      " (width %zu): byte %zu is 0x%02x, "
                      "expected 0x%02x%s",
                      step_, len, addr, sw, i, data[i], want, enabled(i) ? "" : " (byte enable off: untouched)");
            }
            return;
        }
        // Write: the last enabled beat to each cell wins; nothing else moves unless a command
        // finished by this access (its copy and swap apply first).
        std::array<int, 2 * capacity> last{};
        last.fill(-1);
        for (std::size_t i = 0; i < len; ++i)
            if (enabled(i))
                last[b * capacity + offset + i % span] = static_cast<int>(i);
        const bool command_applied = post.get(regs::swaps::offset) != pre.get(regs::swaps::offset) ||
                                     post.get(regs::fill::offset) != pre.get(regs::fill::offset);
        for (std::size_t c = 0; c < 2 * capacity; ++c) {
            if (last[c] >= 0)
                CHECK(post.bank[c] == written[static_cast<std::size_t>(last[c])],
                      "step %zu: write of %zu bytes at 0x%" PRIx64
                      " (width %zu): bank %zu byte %zu is 0x%02x, not 0x%02x",
                      step_, len, addr, sw, c / capacity, c % capacity, post.bank[c],
                      written[static_cast<std::size_t>(last[c])]);
            else if (!command_applied)
                CHECK(post.bank[c] == pre.bank[c],
                      "step %zu: write of %zu bytes at 0x%" PRIx64
                      " (width %zu) changed bank %zu byte %zu, which it does not address",
                      step_, len, addr, sw, c / capacity, c % capacity);
        }
        CHECK(data == written, "step %zu: the target changed a write's data array", step_);
    }

    void check_invariants(const snapshot& s, const char* when) {
        const std::uint32_t st = s.get(regs::status::offset), fill = s.get(regs::fill::offset),
                            limit = s.get(regs::limit::offset);
        CHECK(s.get(regs::id::offset) == regs::block_id && s.get(regs::version::offset) == regs::block_version &&
                  s.get(regs::capacity::offset) == capacity,
              "step %zu %s: ID/VERSION/CAPACITY read 0x%08x/0x%08x/%u", step_, when, s.get(regs::id::offset),
              s.get(regs::version::offset), s.get(regs::capacity::offset));
        CHECK(limit >= 1 && limit <= capacity && fill <= limit, "step %zu %s: FILL %u, LIMIT %u, CAPACITY %u", step_,
              when, fill, limit, capacity);
        CHECK(regs::status::full.get(st) == (fill == limit ? 1u : 0u),
              "step %zu %s: STATUS.FULL %u with FILL %u LIMIT %u", step_, when, regs::status::full.get(st), fill,
              limit);
        const std::uint32_t status_fields = regs::status::ping_bank.mask() | regs::status::busy.mask() |
                                            regs::status::full.mask() | regs::status::last_error.mask();
        CHECK((st & ~status_fields) == 0 && regs::status::last_error.get(st) <= 4,
              "step %zu %s: STATUS 0x%08x has reserved bits or an unknown LAST_ERROR", step_, when, st);
        CHECK((s.get(regs::ctrl::offset) & ~(regs::ctrl::source.mask() | regs::ctrl::drop_when_full.mask())) == 0 &&
                  (s.get(regs::irq_status::offset) & ~regs::irq::all) == 0 &&
                  (s.get(regs::irq_enable::offset) & ~regs::irq::all) == 0,
              "step %zu %s: reserved bits set in CTRL 0x%08x, IRQ_STATUS 0x%08x or IRQ_ENABLE 0x%08x", step_, when,
              s.get(regs::ctrl::offset), s.get(regs::irq_status::offset), s.get(regs::irq_enable::offset));
        CHECK(s.get(regs::cmd::offset) == 0 && s.get(regs::irq_test::offset) == 0,
              "step %zu %s: a write-only register reads non-zero", step_, when);
    }

    // Stream bytes, only when they cannot block for good: the port takes them (SOURCE = stream) and
    // either drops what does not fit or gets no more than fits (a pending command only frees room).
    void stream_push() {
        const std::size_t n = 1 + input_.below(capacity + 8);
        const snapshot pre = peek_all();
        const std::uint32_t ctrl = pre.get(regs::ctrl::offset);
        const std::uint32_t room = pre.get(regs::limit::offset) - pre.get(regs::fill::offset);
        if (!regs::ctrl::source.get(ctrl) || (!regs::ctrl::drop_when_full.get(ctrl) && n > room))
            return;
        std::vector<std::uint8_t> data(n);
        for (std::size_t i = 0; i < n; ++i)
            data[i] = static_cast<std::uint8_t>(i * 7 + step_);
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_data_ptr(data.data());
        tx.set_data_length(static_cast<unsigned>(n));
        tx.set_streaming_width(static_cast<unsigned>(n));
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sync();
        feeder->b_transport(tx, local_);
        sync();
        CHECK(tx.get_response_status() == tlm::TLM_OK_RESPONSE, "step %zu: a stream push of %zu bytes answered %s",
              step_, n, name_of(tx.get_response_status()));
        const snapshot post = peek_all();
        check_invariants(post, "after a stream push");
        const std::uint32_t in = post.get(regs::ingress::offset) - pre.get(regs::ingress::offset);
        const std::uint32_t dropped = post.get(regs::dropped::offset) - pre.get(regs::dropped::offset);
        CHECK(in + dropped == n && (dropped == 0 || regs::ctrl::drop_when_full.get(ctrl)),
              "step %zu: %zu stream bytes became %u accepted and %u dropped", step_, n, in, dropped);
        CHECK(dropped == 0 || regs::irq::overflow.get(post.get(regs::irq_status::offset)),
              "step %zu: %u bytes dropped without OVERFLOW", step_, dropped);
    }

    // What the stream socket refuses (docs/spec-notes.md "Stream socket"), with nothing taken.
    void stream_refused() {
        std::uint8_t byte = 0x42;
        std::uint8_t be = TLM_BYTE_ENABLED;
        tlm::tlm_generic_payload tx;
        const bool read = input_.u8() & 1;
        tx.set_command(read ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
        tx.set_data_ptr(&byte);
        tx.set_data_length(1);
        tx.set_streaming_width(1);
        if (!read) {
            tx.set_byte_enable_ptr(&be);
            tx.set_byte_enable_length(1);
        }
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        const snapshot pre = peek_all();
        feeder->b_transport(tx, local_);
        const tlm::tlm_response_status want =
            read ? tlm::TLM_COMMAND_ERROR_RESPONSE : tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
        CHECK(tx.get_response_status() == want, "step %zu: stream %s answered %s, not %s", step_,
              read ? "read" : "write with byte enables", name_of(tx.get_response_status()), name_of(want));
        CHECK(pre == peek_all(), "step %zu: a refused stream transaction changed the device", step_);
    }

    // A DMI grant covers only the bank the address is in, and its pointer shows the bank's bytes.
    void dmi_request() {
        static constexpr std::uint64_t anchors[] = {0, regs::bank0_base, regs::bank1_base, regs::bank1_base + capacity};
        const std::uint64_t anchor = anchors[input_.below(std::size(anchors))];
        const std::uint64_t addr = anchor + input_.below(capacity + 8);
        tlm::tlm_generic_payload tx;
        tx.set_command(input_.u8() & 1 ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        tx.set_address(addr);
        tlm::tlm_dmi dmi;
        if (!cpu->get_direct_mem_ptr(tx, dmi)) {
            CHECK(dmi.get_start_address() <= addr && addr <= dmi.get_end_address(),
                  "step %zu: a DMI refusal at 0x%" PRIx64 " covers [0x%" PRIx64 ", 0x%" PRIx64 "], not the address",
                  step_, addr, static_cast<std::uint64_t>(dmi.get_start_address()),
                  static_cast<std::uint64_t>(dmi.get_end_address()));
            return;
        }
        const unsigned b = addr >= regs::bank1_base ? 1 : 0;
        const std::uint64_t base = b ? regs::bank1_base : regs::bank0_base;
        CHECK(addr >= base && addr < base + capacity && dmi.get_start_address() == base &&
                  dmi.get_end_address() == base + capacity - 1 && dmi.get_dmi_ptr(),
              "step %zu: DMI at 0x%" PRIx64 " granted [0x%" PRIx64 ", 0x%" PRIx64 "]", step_, addr,
              static_cast<std::uint64_t>(dmi.get_start_address()), static_cast<std::uint64_t>(dmi.get_end_address()));
        const snapshot s = peek_all();
        CHECK(std::memcmp(dmi.get_dmi_ptr(), s.bank.data() + b * capacity, capacity) == 0,
              "step %zu: the DMI pointer of bank %u does not show the bank's bytes", step_, b);
    }

    // At the end: every command over, the irq output is IRQ_STATUS & IRQ_ENABLE.
    void finish() {
        sync();
        sc_core::wait(dut.clock_period() * (4.0 * capacity + 16));
        std::uint32_t st = 0;
        transact(tlm::tlm_command::TLM_READ_COMMAND, regs::status::offset, 4, 4, {}, 0);
        sync();
        sc_core::wait(dut.clock_period() * 4.0);
        const snapshot s = peek_all();
        st = s.get(regs::status::offset);
        CHECK(!regs::status::busy.get(st), "at the end: BUSY is still high");
        const bool level = (s.get(regs::irq_status::offset) & s.get(regs::irq_enable::offset)) != 0;
        CHECK(irq.read() == level, "at the end: irq is %d with IRQ_STATUS 0x%02x and IRQ_ENABLE 0x%02x", irq.read(),
              s.get(regs::irq_status::offset), s.get(regs::irq_enable::offset));
        CHECK(link.violations() == 0, "the TLM-2.0 protocol checker counted %llu violations",
              static_cast<unsigned long long>(link.violations()));
    }

    byte_reader input_{nullptr, 0};
    bool done_ = false;
    sc_core::sc_event go_;
    sc_time local_;
    std::size_t step_ = 0;
};

void abort_on_report(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
    if (rep.get_severity() >= sc_core::SC_WARNING)
        ppb::fuzz::fail(target, "SystemC %s [%s] %s (%s:%d)",
                        rep.get_severity() == sc_core::SC_WARNING ? "warning" : "error", rep.get_msg_type(),
                        rep.get_msg(), rep.get_file_name(), rep.get_line_number());
    sc_core::sc_report_handler::default_handler(rep, actions);
}

bench& the_bench() {
    // Elaborated once per process; SystemC cannot tear a design down and build another.
    static bench* b = [] {
        sc_core::sc_report_handler::set_handler(abort_on_report);
        return new bench("fuzz");
    }();
    return *b;
}

}  // namespace

// LeakSanitizer cannot follow SystemC's coroutine stacks (QuickThreads, not annotated for the
// sanitizers): it loses the main thread's stack and reports libFuzzer's own live objects as leaks.
// Memory errors are still checked by ASan; leaks in the model are the GCC build's and valgrind's job.
extern "C" const char* __lsan_default_options() {
    return "detect_leaks=0";
}

// libsystemc.so carries a main() that calls sc_main; this program's main is libFuzzer's (or the
// replay main), which never calls it. The linker still wants the symbol.
int sc_main(int, char*[]) {
    std::fprintf(stderr, "%s: this program is driven by libFuzzer or the corpus replay, not by sc_main\n", target);
    return 2;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    the_bench().run(data, size);
    return 0;
}
