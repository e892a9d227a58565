#include "driver/test/mock_bus.hpp"

#include "ppb_regs.hpp"

#include <cstring>
#include <sstream>

namespace ppb::driver::test {

namespace {

constexpr std::size_t word_bytes = regs::data_width / 8;

std::string hex(std::uint32_t v) {
    std::ostringstream s;
    s << "0x" << std::hex << v;
    return s.str();
}

std::string reg_name(std::uint32_t offset) {
    for (const auto& r : regs::all_regs)
        if (r.offset == offset)
            return std::string(r.name);
    return hex(offset);
}

std::string bytes(std::span<const std::uint8_t> b) {
    std::ostringstream s;
    s << "[" << b.size() << " bytes:";
    for (std::size_t i = 0; i < b.size() && i < 16; ++i)
        s << " " << std::hex << unsigned{b[i]};
    if (b.size() > 16)
        s << " ...";
    s << "]";
    return s.str();
}

}  // namespace

std::string to_string(mock_bus::kind k) {
    switch (k) {
    case mock_bus::kind::read32:
        return "read32";
    case mock_bus::kind::write32:
        return "write32";
    case mock_bus::kind::read_bytes:
        return "read_bytes";
    case mock_bus::kind::write_bytes:
        return "write_bytes";
    case mock_bus::kind::wait_irq:
        return "wait_irq";
    }
    return "?";
}

mock_bus::~mock_bus() {
    verify();
}

void mock_bus::verify() {
    for (const auto& e : queue_)
        ADD_FAILURE_AT(e.file, e.line) << "expected " << to_string(e.what) << " at " << reg_name(e.address)
                                       << " did not happen";
    queue_.clear();
}

void mock_bus::require_lock(const std::string& actual, bool held) {
    if (held && locked_ <= 0)
        ADD_FAILURE() << actual << " made without the bus lock held";
    if (!held && locked_ > 0)
        ADD_FAILURE() << actual << " made with the bus lock held (other threads could not run meanwhile)";
}

const mock_bus::expectation* mock_bus::next(kind what, std::uint32_t address, const std::string& actual) {
    require_lock(actual, what != kind::wait_irq);
    if (queue_.empty()) {
        ADD_FAILURE() << "unexpected " << actual << " (no more accesses expected)";
        return nullptr;
    }
    current_ = std::move(queue_.front());
    queue_.pop_front();
    if (current_.what != what || current_.address != address) {
        ADD_FAILURE_AT(current_.file, current_.line)
            << "expected " << to_string(current_.what) << " at " << reg_name(current_.address) << ", got " << actual;
        return nullptr;
    }
    return &current_;
}

bus_status mock_bus::do_read32(std::uint32_t offset, std::uint32_t& value) {
    now_ += regs::bus_cycles_per_word;
    const expectation* e = next(kind::read32, offset, "read32 at " + reg_name(offset));
    if (!e)
        return bus_status::error;
    value = e->value;
    return e->result;
}

bus_status mock_bus::do_write32(std::uint32_t offset, std::uint32_t value) {
    now_ += regs::bus_cycles_per_word;
    const std::string actual = "write32 of " + hex(value) + " at " + reg_name(offset);
    const expectation* e = next(kind::write32, offset, actual);
    if (!e)
        return bus_status::error;
    if (e->value != value)
        ADD_FAILURE_AT(e->file, e->line) << "expected write32 of " << hex(e->value) << " at " << reg_name(offset)
                                         << ", got " << actual;
    return e->result;
}

bus_status mock_bus::do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) {
    now_ += regs::bus_cycles_per_word * ((out.size() + word_bytes - 1) / word_bytes);
    const expectation* e =
        next(kind::read_bytes, address, "read_bytes of " + std::to_string(out.size()) + " at " + hex(address));
    if (!e)
        return bus_status::error;
    if (e->data.size() != out.size()) {
        ADD_FAILURE_AT(e->file, e->line) << "expected read_bytes of " << e->data.size() << " bytes at " << hex(address)
                                         << ", got " << out.size();
        return bus_status::error;
    }
    if (!out.empty())
        std::memcpy(out.data(), e->data.data(), out.size());
    return e->result;
}

bus_status mock_bus::do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) {
    now_ += regs::bus_cycles_per_word * ((in.size() + word_bytes - 1) / word_bytes);
    const std::string actual = "write_bytes " + bytes(in) + " at " + hex(address);
    const expectation* e = next(kind::write_bytes, address, actual);
    if (!e)
        return bus_status::error;
    if (!std::equal(e->data.begin(), e->data.end(), in.begin(), in.end()))
        ADD_FAILURE_AT(e->file, e->line) << "expected write_bytes " << bytes(e->data) << " at " << hex(address)
                                         << ", got " << actual;
    return e->result;
}

bus_status mock_bus::do_direct(std::uint32_t address, std::uint32_t length, direct_window& out) {
    const unsigned bank = address >= regs::bank1_base ? 1 : 0;
    const std::uint32_t base = bank ? regs::bank1_base : regs::bank0_base;
    if (!windows_[bank] || address < base || address - base + std::uint64_t{length} > window_size_)
        return bus_status::unsupported;
    out = {windows_[bank] + (address - base), address, length, direct_generation()};
    return bus_status::ok;
}

bus_status mock_bus::do_wait_irq(std::chrono::nanoseconds) {
    const expectation* e = next(kind::wait_irq, 0, "wait_irq");
    return e ? e->result : bus_status::error;
}

void mock_bus::offer_direct(std::uint8_t* bank0, std::uint8_t* bank1, std::uint32_t size) {
    windows_[0] = bank0;
    windows_[1] = bank1;
    window_size_ = size;
    revoke_direct();
}

void mock_bus::revoke() {
    windows_[0] = windows_[1] = nullptr;
    revoke_direct();
}

void mock_bus::do_lock() {
    if (locked_ > 0)
        ADD_FAILURE() << "the bus lock was taken twice (a Method called another one holding it)";
    ++locked_;
}

void mock_bus::do_unlock() {
    if (locked_ <= 0)
        ADD_FAILURE() << "the bus lock was released without being held";
    --locked_;
}

}  // namespace ppb::driver::test
