#include "check/tlm_lt_checker.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace ppb::check {

namespace {

struct rule_info {
    const char* name;
    bool by_target;
    const char* clause;  // IEEE Std 1666-2011
};

constexpr std::array<rule_info, tlm_rule_count> rules{{
    {"command_invalid", false, "14.10?"},
    {"status_not_incomplete", false, "14.17 e"},
    {"dmi_hint_set", false, "14.16"},
    {"data_ptr_null", false, "14.11 e"},
    {"data_length_zero", false, "14.12 d"},
    {"byte_enable_length_zero", false, "14.14 f"},
    {"streaming_width_zero", false, "14.15 f"},
    {"status_left_incomplete", true, "14.17"},
    {"status_invalid", true, "14.17"},
    {"command_modified", true, "14.7"},
    {"address_modified", true, "14.7"},
    {"data_ptr_modified", true, "14.7"},
    {"data_length_modified", true, "14.7"},
    {"byte_enable_ptr_modified", true, "14.7"},
    {"byte_enable_length_modified", true, "14.7"},
    {"streaming_width_modified", true, "14.7"},
    {"write_data_modified", true, "14.7"},
    {"byte_enable_data_modified", true, "14.7"},
    {"disabled_byte_read", true, "14.14"},
    {"delay_decreased", true, "11.1.3?"},
    {"disabled_byte_written", true, "14.14"},
    {"streaming_width_ignored", true, "14.15"},
    {"dmi_data_mismatch", true, "11.2.8?"},
    {"dmi_descriptor_uninitialised", false, "11.2.5"},
    {"dmi_command_invalid", false, "11.2.5"},
    {"dmi_range_invalid", true, "11.2.5"},
    {"dmi_null_pointer", true, "11.2.5"},
    {"dmi_access_mismatch", true, "11.2.5"},
    {"dmi_payload_modified", true, "11.2.5"},
    {"invalidate_range_invalid", true, "11.2.6?"},
    {"dbg_data_ptr_null", false, "11.3.4 l"},
    {"dbg_count_exceeds_length", true, "11.3.4"},
    {"dbg_payload_modified", true, "11.3.4"},
    {"dbg_waited", true, "11.3.4"},
    {"dbg_side_effect", true, "11.3.4"},
}};

const rule_info& info(tlm_rule r) {
    return rules[static_cast<std::size_t>(r)];
}

// FNV-1a: one cheap pass tells whether an array changed.
bool enabled(const unsigned char* be, unsigned be_len, std::size_t i) {
    return !be || be[i % be_len] == TLM_BYTE_ENABLED;
}

bool valid_status(tlm::tlm_response_status s) {
    switch (s) {
    case tlm::TLM_OK_RESPONSE:
    case tlm::TLM_GENERIC_ERROR_RESPONSE:
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
    case tlm::TLM_COMMAND_ERROR_RESPONSE:
    case tlm::TLM_BURST_ERROR_RESPONSE:
    case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE:
        return true;
    default:
        return false;
    }
}

const char* command_name(tlm::tlm_command c) {
    switch (c) {
    case tlm::TLM_READ_COMMAND:
        return "READ";
    case tlm::TLM_WRITE_COMMAND:
        return "WRITE";
    case tlm::TLM_IGNORE_COMMAND:
        return "IGNORE";
    }
    return "invalid command";
}

}  // namespace

const char* to_string(tlm_rule r) {
    return r < tlm_rule::count ? info(r).name : "?";
}

const char* culprit(tlm_rule r) {
    return r < tlm_rule::count && info(r).by_target ? "target" : "initiator";
}

tlm_lt_checker::tlm_lt_checker(const sc_core::sc_module_name& name)
    : sc_core::sc_module(name), target("target"), initiator("initiator") {
    enabled_.fill(true);
    target.register_b_transport(this, &tlm_lt_checker::b_transport);
    target.register_get_direct_mem_ptr(this, &tlm_lt_checker::get_direct_mem_ptr);
    target.register_transport_dbg(this, &tlm_lt_checker::transport_dbg);
    initiator.register_invalidate_direct_mem_ptr(this, &tlm_lt_checker::invalidate_direct_mem_ptr);
}

void tlm_lt_checker::watch(std::uint64_t address, unsigned length) {
    watch_.push_back({address, length, watch_bytes_});
    watch_bytes_ += length;
    for (auto* v : {&snap_a_, &snap_b_, &snap_c_})
        v->resize(watch_bytes_);
    for (auto* v : {&count_a_, &count_b_, &count_c_})
        v->resize(watch_.size());
}

void tlm_lt_checker::add_memory(std::uint64_t start, std::uint64_t end) {
    memory_.push_back({std::min(start, end), std::max(start, end)});
}

void tlm_lt_checker::fail(tlm_rule r, const tlm::tlm_generic_payload& tx, const char* call, const std::string& detail) {
    ++counts_[static_cast<std::size_t>(r)];
    ++total_;
    std::ostringstream m;
    m << info(r).name << " (" << culprit(r) << ", IEEE 1666-2011 " << info(r).clause << ") in " << call << " at "
      << name() << ": " << command_name(tx.get_command()) << " address 0x" << std::hex << tx.get_address() << std::dec
      << " length " << tx.get_data_length() << " streaming width " << tx.get_streaming_width() << " byte enables "
      << (tx.get_byte_enable_ptr() ? tx.get_byte_enable_length() : 0u) << ", " << sc_core::sc_time_stamp();
    if (!detail.empty())
        m << ": " << detail;
    last_ = m.str();
    if (reporting_)
        SC_REPORT_ERROR(type_id, last_.c_str());
}

const tlm_lt_checker::memory_range_t* tlm_lt_checker::memory_for(std::uint64_t first, std::uint64_t last) const {
    for (const auto& m : memory_)
        if (first >= m.start && last <= m.end && first <= last)
            return &m;
    return nullptr;
}

const tlm_lt_checker::grant* tlm_lt_checker::grant_for(std::uint64_t first, std::uint64_t last) const {
    for (const auto& g : grants_)
        if (g.valid && first >= g.start && last <= g.end && first <= last)
            return &g;
    return nullptr;
}

bool tlm_lt_checker::peek(std::uint64_t address, std::size_t length, std::vector<unsigned char>& out) {
    if (out.size() < length)
        out.resize(length);
    tlm::tlm_generic_payload p;
    p.set_command(tlm::TLM_READ_COMMAND);
    p.set_address(address);
    p.set_data_ptr(out.data());
    p.set_data_length(static_cast<unsigned>(length));
    p.set_streaming_width(static_cast<unsigned>(length));
    return initiator->transport_dbg(p) == length;
}

void tlm_lt_checker::snapshot(std::vector<unsigned char>& bytes, std::vector<unsigned>& counts) {
    for (std::size_t k = 0; k < watch_.size(); ++k) {
        const watched& w = watch_[k];
        std::memset(bytes.data() + w.offset, 0, w.length);
        tlm::tlm_generic_payload p;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_address(w.address);
        p.set_data_ptr(bytes.data() + w.offset);
        p.set_data_length(w.length);
        p.set_streaming_width(w.length);
        counts[k] = initiator->transport_dbg(p);
    }
}

// ------------------------------------------------------------------------------- b_transport

void tlm_lt_checker::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    ++transactions_;
    const tlm::tlm_command cmd = tx.get_command();
    const sc_dt::uint64 addr = tx.get_address();
    unsigned char* const data = tx.get_data_ptr();
    const unsigned len = tx.get_data_length();
    unsigned char* const be = tx.get_byte_enable_ptr();
    const unsigned be_len = tx.get_byte_enable_length();
    const unsigned sw = tx.get_streaming_width();
    const sc_core::sc_time start = sc_core::sc_time_stamp() + delay;
    const bool ignore = cmd == tlm::TLM_IGNORE_COMMAND;
    const char* call = "b_transport";

    if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND && !ignore && on(tlm_rule::command_invalid))
        fail(tlm_rule::command_invalid, tx, call);
    if (tx.get_response_status() != tlm::TLM_INCOMPLETE_RESPONSE && on(tlm_rule::status_not_incomplete))
        fail(tlm_rule::status_not_incomplete, tx, call, "status " + tx.get_response_string());
    if (tx.is_dmi_allowed() && on(tlm_rule::dmi_hint_set))
        fail(tlm_rule::dmi_hint_set, tx, call);
    if (!ignore && !data && on(tlm_rule::data_ptr_null))
        fail(tlm_rule::data_ptr_null, tx, call);
    if (!ignore && len == 0 && on(tlm_rule::data_length_zero))
        fail(tlm_rule::data_length_zero, tx, call);
    if (be && be_len == 0 && on(tlm_rule::byte_enable_length_zero))
        fail(tlm_rule::byte_enable_length_zero, tx, call);
    if (sw == 0 && on(tlm_rule::streaming_width_zero))
        fail(tlm_rule::streaming_width_zero, tx, call);

    // The data checks need a well-formed transaction; a malformed one was reported above.
    const bool sane = !ignore && data && len && sw && (!be || be_len) &&
                      !(cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND);
    const bool write = sane && cmd == tlm::TLM_WRITE_COMMAND;
    const bool read = sane && cmd == tlm::TLM_READ_COMMAND;
    const std::size_t span = std::min(sw, len);
    // Copies, compared afterwards, tell whether the target changed what it must not (cheaper than a
    // hash for the short transactions that most are), into buffers that only grow.
    const auto keep = [](std::vector<unsigned char>& v, const unsigned char* from, std::size_t n) {
        if (v.size() < n)
            v.resize(n);
        std::memcpy(v.data(), from, n);
    };
    if (write)
        keep(sent_data_, data, len);
    if (be && be_len)
        keep(sent_be_, be, be_len);
    if (read && be)
        keep(disabled_, data, len);  // the disabled bytes must come back as they went
    const memory_range_t* mem = sane && (be || sw < len) ? memory_for(addr, addr + span - 1) : nullptr;
    std::size_t extent = 0;  // bytes of memory snapshotted before a write
    if (mem && write) {
        extent = static_cast<std::size_t>(std::min<std::uint64_t>(len, mem->end - addr + 1));
        if (!peek(addr, extent, before_))
            mem = nullptr;  // the target offers no debug view here: nothing to compare
    }

    initiator->b_transport(tx, delay);

    const tlm::tlm_response_status status = tx.get_response_status();
    if (status == tlm::TLM_INCOMPLETE_RESPONSE)
        fail(tlm_rule::status_left_incomplete, tx, call);
    else if (!valid_status(status))
        fail(tlm_rule::status_invalid, tx, call, "status value " + std::to_string(static_cast<int>(status)));
    if (tx.get_command() != cmd)
        fail(tlm_rule::command_modified, tx, call, std::string("was ") + command_name(cmd));
    if (tx.get_address() != addr) {
        std::ostringstream d;
        d << "was 0x" << std::hex << addr;
        fail(tlm_rule::address_modified, tx, call, d.str());
    }
    if (tx.get_data_ptr() != data)
        fail(tlm_rule::data_ptr_modified, tx, call);
    if (tx.get_data_length() != len)
        fail(tlm_rule::data_length_modified, tx, call, "was " + std::to_string(len));
    if (tx.get_byte_enable_ptr() != be)
        fail(tlm_rule::byte_enable_ptr_modified, tx, call);
    if (tx.get_byte_enable_length() != be_len)
        fail(tlm_rule::byte_enable_length_modified, tx, call, "was " + std::to_string(be_len));
    if (tx.get_streaming_width() != sw)
        fail(tlm_rule::streaming_width_modified, tx, call, "was " + std::to_string(sw));
    if (write && std::memcmp(data, sent_data_.data(), len) != 0)
        fail(tlm_rule::write_data_modified, tx, call);
    if (be && be_len && std::memcmp(be, sent_be_.data(), be_len) != 0)
        fail(tlm_rule::byte_enable_data_modified, tx, call);
    if (read && be) {
        for (std::size_t i = 0; i < len; ++i) {
            if (!enabled(be, be_len, i) && data[i] != disabled_[i]) {
                fail(tlm_rule::disabled_byte_read, tx, call, "data byte " + std::to_string(i) + " is disabled");
                break;
            }
        }
    }
    if (sc_core::sc_time_stamp() + delay < start)
        fail(tlm_rule::delay_decreased, tx, call,
             "local time " + (sc_core::sc_time_stamp() + delay).to_string() + " < " + start.to_string() + " on entry");

    if (status != tlm::TLM_OK_RESPONSE)
        return;
    if (mem && (write || read))
        check_memory_after(tx, be, be_len, extent);
    if (sane && !be && sw >= len && !grants_.empty() &&
        std::any_of(grants_.begin(), grants_.end(), [](const grant& g) { return g.valid; }))
        check_dmi_after(tx);
}

void tlm_lt_checker::check_memory_after(const tlm::tlm_generic_payload& tx, const unsigned char* be, unsigned be_len,
                                        std::size_t extent) {
    const std::uint64_t addr = tx.get_address();
    const unsigned char* data = tx.get_data_ptr();
    const std::size_t len = tx.get_data_length();
    const std::size_t sw = tx.get_streaming_width();
    const std::size_t span = std::min(sw, len);
    const char* call = "b_transport";
    if (tx.is_write()) {
        if (!peek(addr, extent, after_))
            return;
        // What memory must hold: the bytes before, with each enabled data byte i at i % sw.
        expected_.assign(before_.begin(), before_.begin() + static_cast<long>(extent));
        for (std::size_t i = 0; i < len; ++i)
            if (enabled(be, be_len, i))
                expected_[i % sw] = data[i];
        for (std::size_t j = 0; j < extent; ++j) {
            if (after_[j] == expected_[j])
                continue;
            bool any_enabled = false;
            for (std::size_t i = j; i < len && j < span; i += sw)
                any_enabled = any_enabled || enabled(be, be_len, i);
            const std::string where = "memory byte " + std::to_string(j) + " after the address";
            if (j >= span)
                fail(tlm_rule::streaming_width_ignored, tx, call, where + " lies past the streaming width but changed");
            else if (!any_enabled)
                fail(tlm_rule::disabled_byte_written, tx, call, where + " has only disabled data bytes but changed");
            else if (sw < len)
                fail(tlm_rule::streaming_width_ignored, tx, call, where + " does not hold the last beat's byte");
            else
                continue;
            return;
        }
    } else if (sw < len) {
        if (!peek(addr, span, after_))
            return;
        for (std::size_t i = 0; i < len; ++i) {
            if (enabled(be, be_len, i) && data[i] != after_[i % sw]) {
                fail(tlm_rule::streaming_width_ignored, tx, call,
                     "data byte " + std::to_string(i) + " is not memory byte " + std::to_string(i % sw));
                return;
            }
        }
    }
}

void tlm_lt_checker::check_dmi_after(const tlm::tlm_generic_payload& tx) {
    const std::uint64_t addr = tx.get_address();
    const std::size_t len = tx.get_data_length();
    const grant* g = grant_for(addr, addr + len - 1);
    if (!g || (tx.is_read() && !g->read) || (tx.is_write() && !g->write))
        return;
    if (std::memcmp(tx.get_data_ptr(), g->ptr + (addr - g->start), len) != 0)
        fail(tlm_rule::dmi_data_mismatch, tx, "b_transport",
             tx.is_read() ? "the bytes read differ from the DMI region's"
                          : "the DMI region does not hold the bytes written");
}

// ------------------------------------------------------------------------------------- DMI

bool tlm_lt_checker::get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    const char* call = "get_direct_mem_ptr";
    const tlm::tlm_command cmd = tx.get_command();
    const sc_dt::uint64 addr = tx.get_address();
    if (on(tlm_rule::dmi_descriptor_uninitialised) &&
        (dmi.get_dmi_ptr() || !dmi.is_none_allowed() || dmi.get_start_address() != 0 ||
         dmi.get_end_address() != ~sc_dt::uint64{0} || dmi.get_read_latency() != sc_core::SC_ZERO_TIME ||
         dmi.get_write_latency() != sc_core::SC_ZERO_TIME))
        fail(tlm_rule::dmi_descriptor_uninitialised, tx, call);
    if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND && on(tlm_rule::dmi_command_invalid))
        fail(tlm_rule::dmi_command_invalid, tx, call);

    const bool granted = initiator->get_direct_mem_ptr(tx, dmi);

    if (tx.get_command() != cmd || tx.get_address() != addr)
        fail(tlm_rule::dmi_payload_modified, tx, call);
    const std::uint64_t s = dmi.get_start_address(), e = dmi.get_end_address();
    if (s > e || addr < s || addr > e) {
        std::ostringstream d;
        d << (granted ? "granted" : "denied") << " range [0x" << std::hex << s << ", 0x" << e << "]";
        fail(tlm_rule::dmi_range_invalid, tx, call, d.str());
        return granted;
    }
    if (!granted)
        return false;
    if (!dmi.get_dmi_ptr()) {
        fail(tlm_rule::dmi_null_pointer, tx, call);
        return granted;
    }
    if ((cmd == tlm::TLM_READ_COMMAND && !dmi.is_read_allowed()) ||
        (cmd == tlm::TLM_WRITE_COMMAND && !dmi.is_write_allowed()))
        fail(tlm_rule::dmi_access_mismatch, tx, call);
    // Remember the grant (a later one for an overlapping range replaces it), to compare b_transport with it.
    grant* slot = nullptr;
    for (auto& g : grants_)
        if (!slot && (!g.valid || (g.start <= e && s <= g.end)))
            slot = &g;
    if (!slot) {
        slot = &grants_[next_grant_ % grants_.size()];
        ++next_grant_;
    }
    *slot = {true, dmi.is_read_allowed(), dmi.is_write_allowed(), s, e, dmi.get_dmi_ptr()};
    return granted;
}

void tlm_lt_checker::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
    if (start > end) {
        tlm::tlm_generic_payload none;
        std::ostringstream d;
        d << "range [0x" << std::hex << start << ", 0x" << end << "]";
        fail(tlm_rule::invalidate_range_invalid, none, "invalidate_direct_mem_ptr", d.str());
    }
    for (auto& g : grants_)
        if (g.valid && g.start <= end && start <= g.end)
            g.valid = false;
    target->invalidate_direct_mem_ptr(start, end);
}

// ----------------------------------------------------------------------------- transport_dbg

unsigned tlm_lt_checker::transport_dbg(tlm::tlm_generic_payload& tx) {
    const char* call = "transport_dbg";
    const tlm::tlm_command cmd = tx.get_command();
    const sc_dt::uint64 addr = tx.get_address();
    unsigned char* const data = tx.get_data_ptr();
    const unsigned len = tx.get_data_length();
    if (len && !data && on(tlm_rule::dbg_data_ptr_null))
        fail(tlm_rule::dbg_data_ptr_null, tx, call);
    if (!watch_.empty()) {
        snapshot(snap_a_, count_a_);
        snapshot(snap_b_, count_b_);
        if (count_a_ != count_b_ || snap_a_ != snap_b_)
            fail(tlm_rule::dbg_side_effect, tx, call, "reading the watched locations twice gave different values");
    }
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    const std::uint64_t delta0 = sc_core::sc_delta_count();

    const unsigned count = initiator->transport_dbg(tx);

    if (count > len)
        fail(tlm_rule::dbg_count_exceeds_length, tx, call, "returned " + std::to_string(count));
    if (tx.get_command() != cmd || tx.get_address() != addr || tx.get_data_ptr() != data || tx.get_data_length() != len)
        fail(tlm_rule::dbg_payload_modified, tx, call);
    if (sc_core::sc_time_stamp() != t0 || sc_core::sc_delta_count() != delta0)
        fail(tlm_rule::dbg_waited, tx, call);
    if (watch_.empty())
        return count;
    snapshot(snap_c_, count_c_);
    const bool wrote = cmd == tlm::TLM_WRITE_COMMAND;
    for (std::size_t k = 0; k < watch_.size(); ++k) {
        const watched& w = watch_[k];
        bool changed = count_c_[k] != count_b_[k];
        for (unsigned i = 0; i < w.length && !changed && count_c_[k] == w.length; ++i) {
            const std::uint64_t a = w.address + i;
            if (wrote && a >= addr && a < addr + count)
                continue;  // what a debug write wrote may change
            changed = snap_c_[w.offset + i] != snap_b_[w.offset + i];
        }
        if (changed) {
            std::ostringstream d;
            d << "watched location 0x" << std::hex << w.address << " (" << std::dec << w.length << " bytes) changed";
            fail(tlm_rule::dbg_side_effect, tx, call, d.str());
            break;
        }
    }
    return count;
}

}  // namespace ppb::check
