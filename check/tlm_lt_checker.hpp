// An in-line checker of the TLM-2.0 base protocol for loosely-timed (blocking) traffic.
//
//   ppb::check::tlm_lt_checker chk("chk");
//   cpu.initiator.bind(chk.target);        // the initiator binds to the checker ...
//   chk.initiator.bind(dut.bus);           // ... and the checker to the target
//   chk.watch(0x000, 4);                   // optional: what transport_dbg must leave alone
//   chk.add_memory(0x100000, 0x100FFF);    // optional: plain RAM, for the byte-enable checks
//   ... run ...
//   EXPECT_EQ(chk.violations(), 0u);
//
// It forwards b_transport, get_direct_mem_ptr and transport_dbg to the target and
// invalidate_direct_mem_ptr back to the initiator, unchanged, and checks each call against the
// rules below (references: IEEE Std 1666-2011, clauses 11 and 14). A violation is counted per rule
// and reported with SC_REPORT_ERROR, message type "ppb/check/tlm" (type_id), naming the rule, who
// broke it and the transaction; set_reporting(false) only counts (negative tests). The clauses
// follow the references of the Accellera base-protocol checker; those marked "?" were not checked
// against the standard's text.
//
// Initiator rules, checked before the call (b_transport):
//   command_invalid             command is READ, WRITE or IGNORE                         (14.10?)
//   status_not_incomplete       response status is TLM_INCOMPLETE_RESPONSE                (14.17 e)
//   dmi_hint_set                DMI-allowed hint is false                                 (14.16)
//   data_ptr_null               data pointer set (unless IGNORE)                          (14.11 e)
//   data_length_zero            data length > 0 (unless IGNORE)                           (14.12 d)
//   byte_enable_length_zero     byte-enable pointer set => byte-enable length > 0         (14.14 f)
//   streaming_width_zero        streaming width > 0                                       (14.15 f)
// Target rules, checked after b_transport returns:
//   status_left_incomplete      the target set a response status                          (14.17)
//   status_invalid              ... and it is one of tlm_response_status's values
//   command/address/data_ptr/data_length/byte_enable_ptr/byte_enable_length/
//   streaming_width_modified    attributes the target must not change (an LT target next to
//                               its initiator: no interconnect rewrites the address)      (14.7)
//   write_data_modified         a write's data array is unchanged                        (14.7)
//   byte_enable_data_modified   the byte-enable array is unchanged                        (14.7)
//   disabled_byte_read          a read leaves bytes whose byte enable is off untouched    (14.14)
//   delay_decreased             sc_time_stamp() + delay never moves backwards             (11.1.3?)
//   disabled_byte_written,      in a declared memory range (add_memory), checked through
//   streaming_width_ignored     transport_dbg: a write changes only enabled bytes, and
//                               byte i lands at address + i % streaming width; a read returns
//                               memory[i % streaming width]                               (14.14, 14.15)
//   dmi_data_mismatch           a successful read (write) inside a region granted by DMI
//                               returns (leaves) the same bytes as the DMI pointer has    (11.2.8?)
// get_direct_mem_ptr:
//   dmi_descriptor_uninitialised the initiator passes a fresh descriptor                  (11.2.5)
//   dmi_command_invalid          the request is a READ or a WRITE                         (11.2.5)
//   dmi_range_invalid            start <= end, and the range contains the address, granted
//                                or denied                                                (11.2.5)
//   dmi_null_pointer             a grant has a pointer                                     (11.2.5)
//   dmi_access_mismatch          a grant allows the access that was asked for              (11.2.5)
//   dmi_payload_modified         the target leaves the request's command and address alone
// invalidate_direct_mem_ptr:
//   invalidate_range_invalid     start <= end                                              (11.2.6?)
// transport_dbg:
//   dbg_data_ptr_null            data pointer set when the length is not 0                 (11.3.4 l)
//   dbg_count_exceeds_length     the count returned is at most the data length             (11.3.4)
//   dbg_payload_modified         command, address, data pointer and length unchanged       (11.3.4)
//   dbg_waited                   no simulated time or delta cycle passes                   (11.3.4)
//   dbg_side_effect              every watched location reads the same through transport_dbg
//                                before and after the call (except the bytes a debug write
//                                wrote), and reading the watch list twice gives the same
//                                values (a debug read that clears a status bit shows here)  (11.3.4)
//
// Cost: a b_transport costs a copy of the attributes and, for writes, one pass over the data
// (a hash); no allocation, no debug transport. Byte-enable and streaming-width memory checks run
// only on transactions that use them inside a declared memory range; the side-effect check only on
// transport_dbg calls, and only over what watch() declared.
//
// A memory range must not change by other means while a transaction to it runs (a stream or a
// copy engine writing the same bytes); declare only ranges where that holds in the bench.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ppb::check {

enum class tlm_rule : std::uint8_t {
    command_invalid,
    status_not_incomplete,
    dmi_hint_set,
    data_ptr_null,
    data_length_zero,
    byte_enable_length_zero,
    streaming_width_zero,
    status_left_incomplete,
    status_invalid,
    command_modified,
    address_modified,
    data_ptr_modified,
    data_length_modified,
    byte_enable_ptr_modified,
    byte_enable_length_modified,
    streaming_width_modified,
    write_data_modified,
    byte_enable_data_modified,
    disabled_byte_read,
    delay_decreased,
    disabled_byte_written,
    streaming_width_ignored,
    dmi_data_mismatch,
    dmi_descriptor_uninitialised,
    dmi_command_invalid,
    dmi_range_invalid,
    dmi_null_pointer,
    dmi_access_mismatch,
    dmi_payload_modified,
    invalidate_range_invalid,
    dbg_data_ptr_null,
    dbg_count_exceeds_length,
    dbg_payload_modified,
    dbg_waited,
    dbg_side_effect,
    count
};
inline constexpr std::size_t tlm_rule_count = static_cast<std::size_t>(tlm_rule::count);

// The rule's name as in the table above, e.g. "status_left_incomplete".
const char* to_string(tlm_rule r);
// Who breaks the rule: "initiator" or "target".
const char* culprit(tlm_rule r);

class tlm_lt_checker : public sc_core::sc_module {
public:
    static constexpr const char* type_id = "ppb/check/tlm";

    tlm_utils::simple_target_socket<tlm_lt_checker, 32> target;        // bind the initiator here
    tlm_utils::simple_initiator_socket<tlm_lt_checker, 32> initiator;  // bind to the target

    explicit tlm_lt_checker(const sc_core::sc_module_name& name);

    // Locations transport_dbg must not change: each is read with one debug read of `length` bytes
    // (a register: 4). Reads that the target refuses are compared by their count (0) only.
    void watch(std::uint64_t address, unsigned length);
    // [start, end] (inclusive) is plain memory: the byte-enable and streaming-width checks read it
    // through transport_dbg around transactions that use byte enables or a streaming width.
    void add_memory(std::uint64_t start, std::uint64_t end);

    // Off: violations are counted and kept, not reported (for tests of the checker itself).
    void set_reporting(bool on) { reporting_ = on; }
    // Off: a rule is not checked (a bench that sends a deliberately illegal transaction to test
    // the target's answer disables the one initiator rule it breaks, for that transaction).
    void set_enabled(tlm_rule r, bool on) { enabled_[static_cast<std::size_t>(r)] = on; }

    std::uint64_t violations() const { return total_; }
    std::uint64_t violations(tlm_rule r) const { return counts_[static_cast<std::size_t>(r)]; }
    const std::string& last_violation() const { return last_; }
    std::uint64_t transactions() const { return transactions_; }

private:
    struct grant {
        bool valid = false, read = false, write = false;
        std::uint64_t start = 0, end = 0;
        unsigned char* ptr = nullptr;
    };
    struct memory_range_t {
        std::uint64_t start, end;  // inclusive
    };
    struct watched {
        std::uint64_t address;
        unsigned length;
        std::size_t offset;  // into the snapshot buffers
    };

    void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& tx);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

    bool on(tlm_rule r) const { return enabled_[static_cast<std::size_t>(r)]; }
    void fail(tlm_rule r, const tlm::tlm_generic_payload& tx, const char* call, const std::string& detail = {});
    const memory_range_t* memory_for(std::uint64_t first, std::uint64_t last) const;
    const grant* grant_for(std::uint64_t first, std::uint64_t last) const;
    // Debug read of [address, address + length) into `out` (resized, no shrink); false if refused.
    bool peek(std::uint64_t address, std::size_t length, std::vector<unsigned char>& out);
    void snapshot(std::vector<unsigned char>& bytes, std::vector<unsigned>& counts);
    void check_memory_after(const tlm::tlm_generic_payload& tx, const unsigned char* be, unsigned be_len,
                            std::size_t span);
    void check_dmi_after(const tlm::tlm_generic_payload& tx);

    std::array<std::uint64_t, tlm_rule_count> counts_{};
    std::array<bool, tlm_rule_count> enabled_{};
    std::uint64_t total_ = 0;
    std::uint64_t transactions_ = 0;
    std::string last_;
    bool reporting_ = true;

    std::vector<memory_range_t> memory_;
    std::array<grant, 4> grants_{};
    std::size_t next_grant_ = 0;  // the slot a fifth overlapping-free grant replaces
    std::vector<watched> watch_;
    std::size_t watch_bytes_ = 0;
    // Scratch buffers, grown on first use and then reused.
    std::vector<unsigned char> before_, after_, expected_, disabled_, snap_a_, snap_b_, snap_c_;
    std::vector<unsigned char> sent_data_, sent_be_;  // what a write carried, to see it unchanged after
    std::vector<unsigned> count_a_, count_b_, count_c_;
};

}  // namespace ppb::check
