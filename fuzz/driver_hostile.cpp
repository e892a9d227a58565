// Fuzz target 3: the driver over a hostile bus. Every register read returns a value the input
// chooses (often a plausible one, so the driver gets deep), every transaction may fail, bursts read
// the input's bytes, direct windows are refused, too short, stale or the bus's own buffers of
// exactly the asked length (so ASan sees any overrun), and windows are revoked at any access.
// The driver must never crash, hang (a bounded number of bus accesses per Method), touch an
// unmapped register or a bank byte past BufferSize, hold the bus lock while it waits for the
// interrupt, return a span past BufferSize or a non-null one with an error, or return ok with data
// that contradict what it returned before (ping_pong.hpp: bytes stay unchanged until the next
// Consume, Shift or Reset; a Consume's packet is the bytes Get showed there). In host mode without
// direct windows the driver knows every byte itself, so its results must equal DMF's semantics in
// host memory (native_ping_pong) fed the same successful calls.
//
// Bit 5 of an open's first byte opens the driver through DMF's C API instead (a WDFDEVICE over the
// hostile bus, DMF_PingPongBuffer_Create, the calls through driver_of()); opening again deletes the
// device, and its handles become stale. From then on every step calls every DMF Method through the
// latest stale handle and through forged ones (the old layout's tag at some address, the live
// module's handle one bit off, the live device's handle as a module): each must be refused without
// a bus access, so without reading a byte of the input, and without reading freed memory (ASan).
#include "driver/dmf_device.hpp"
#include "driver/native_ping_pong.hpp"
#include "driver/ping_pong_buffer.hpp"
#include "fuzz/dmf_handles.hpp"
#include "fuzz/fuzz_util.hpp"

#include "ppb_regs.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace ppb;
using namespace std::chrono_literals;
using driver::bus_status;
using driver::status;
using ppb::fuzz::byte_reader;

constexpr const char* target = "driver_hostile";
#define CHECK(cond, ...) PPB_FUZZ_CHECK(target, cond, __VA_ARGS__)

constexpr std::size_t max_calls = 2048;
constexpr std::uint64_t max_accesses_per_call = 4096;

class hostile_bus final : public driver::bus {
public:
    explicit hostile_bus(byte_reader& in) : in_(in) {}

    void set_buffer_size(std::uint32_t size) { size_ = size; }
    void start_call() { accesses_ = 0; }
    const std::optional<std::string>& misuse() const { return misuse_; }
    std::uint64_t accesses() const { return accesses_; }

protected:
    bus_status do_read32(std::uint32_t offset, std::uint32_t& value) override {
        check_register(offset);
        const std::uint8_t how = decide();
        if (how == 0xFF) {
            value = 0;
            return bus_status::error;
        }
        switch (how % 8) {
        case 0:
            value = in_.u32();
            return bus_status::error;
        case 1:
            value = in_.u32();
            return bus_status::ok;
        default:
            value = plausible(offset, how);
            return bus_status::ok;
        }
    }

    bus_status do_write32(std::uint32_t offset, std::uint32_t) override {
        check_register(offset);
        const std::uint8_t how = decide();
        return how == 0xFF || how % 8 == 0 ? bus_status::error : bus_status::ok;
    }

    bus_status do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) override {
        check_bank(address, out.size(), "bank burst read");
        const std::uint8_t how = decide();
        const auto got = in_.take(out.size());
        std::fill(std::copy(got.begin(), got.end(), out.begin()), out.end(), std::uint8_t{0});
        return how == 0xFF || how % 8 == 0 ? bus_status::error : bus_status::ok;
    }

    bus_status do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) override {
        check_bank(address, in.size(), "bank burst write");
        // Every byte is read, as a device would: ASan checks the driver's source span.
        std::uint8_t sum = 0;
        for (const std::uint8_t b : in)
            sum = static_cast<std::uint8_t>(sum + b);
        sink_ ^= sum;
        const std::uint8_t how = decide();
        return how == 0xFF || how % 8 == 0 ? bus_status::error : bus_status::ok;
    }

    bus_status do_direct(std::uint32_t address, std::uint32_t length, driver::direct_window& out) override {
        switch (in_.u8() % 6) {
        case 0:
            return bus_status::unsupported;
        case 1:  // too short by one
            out = {own(length), address, length ? length - 1 : 0, direct_generation()};
            return bus_status::ok;
        case 2:  // from an older generation
            out = {own(length), address, length, direct_generation() - 1};
            return bus_status::ok;
        case 3:  // starts after the address asked for
            out = {own(length), address + 1, length, direct_generation()};
            return bus_status::ok;
        default:  // a good one: exactly what was asked for, no byte more
            out = {own(length), address, length, direct_generation()};
            return bus_status::ok;
        }
    }

    void do_touch_direct(std::uint32_t address, std::uint32_t length, bool) override {
        check_bank(address, length, "direct window access");
    }

    bus_status do_wait_irq(std::chrono::nanoseconds) override {
        if (locked_)
            note("waited for the interrupt holding the bus lock");
        count();
        switch (in_.empty() ? 1 : in_.u8() % 4) {
        case 0:
            return bus_status::ok;
        case 1:
            return bus_status::timeout;
        case 2:
            return bus_status::error;
        default:
            return bus_status::unsupported;
        }
    }

    void do_idle(std::uint64_t cycles) override {
        if (cycles > (std::uint64_t{1} << 32))
            note("idled for an absurd time");
        cycle_ += cycles;
    }
    std::uint64_t do_now_cycles() const override { return cycle_; }
    void do_lock() override {
        if (locked_++)
            note("took the bus lock twice");
    }
    void do_unlock() override {
        if (locked_-- != 1)
            note("released a bus lock it did not hold");
    }

private:
    void note(const std::string& what) {
        if (!misuse_)
            misuse_ = what;
    }
    void count() {
        if (++accesses_ > max_accesses_per_call)
            note("made more than " + std::to_string(max_accesses_per_call) + " bus accesses in one Method (a hang?)");
    }
    // One byte of the input per access decides it; an exhausted input fails every access, so that
    // every run ends. A byte from 0xF8 also revokes the direct windows first.
    std::uint8_t decide() {
        count();
        cycle_ += regs::bus_cycles_per_word;
        if (in_.empty())
            return 0xFF;
        const std::uint8_t how = in_.u8();
        if (how >= 0xF8)
            revoke_direct();
        return how == 0xFF ? 0xFE : how;
    }
    std::uint32_t plausible(std::uint32_t offset, std::uint8_t how) {
        const std::uint8_t v = in_.u8();
        switch (offset) {
        case regs::id::offset:
            return regs::block_id;
        case regs::version::offset:
            return regs::version::minor.put(regs::block_version, v);
        case regs::capacity::offset: {
            static constexpr std::uint32_t capacities[] = {16, 64, 256, 4096, 4095, 0, 1u << 20, 1u << 21};
            return capacities[v % 8];
        }
        case regs::status::offset:  // PING_BANK and BUSY from the input, LAST_ERROR mostly OK
            return regs::status::last_error.put(v & 3u, how % 4 == 2 ? (v >> 2) % 6 : 0);
        case regs::fill::offset:
            return v % (size_ + 2);
        case regs::limit::offset:
            return how % 4 == 2 ? v : size_;
        case regs::ctrl::offset:
            return v & 3u;
        default:
            return v;
        }
    }
    std::uint8_t* own(std::uint32_t length) {
        // Kept until the input ends: a window the driver was told about may be read later.
        auto& w = windows_.emplace_back(new std::uint8_t[length ? length : 1]);
        const auto got = in_.take(length);
        std::fill(std::copy(got.begin(), got.end(), w.get()), w.get() + length, std::uint8_t{0});
        return w.get();
    }
    void check_register(std::uint32_t offset) {
        if (locked_ != 1)
            note("register access without the bus lock");
        for (const auto& r : regs::all_regs)
            if (r.offset == offset)
                return;
        note("access to unmapped register offset " + std::to_string(offset));
    }
    void check_bank(std::uint32_t address, std::size_t length, const char* what) {
        const std::uint32_t base = address >= regs::bank1_base ? regs::bank1_base : regs::bank0_base;
        if (address < base || address - base + std::uint64_t{length} > size_)
            note(std::string(what) + " outside BufferSize: address " + std::to_string(address) + ", " +
                 std::to_string(length) + " bytes, BufferSize " + std::to_string(size_));
        if (locked_ != 1)
            note(std::string(what) + " without the bus lock");
    }

    byte_reader& in_;
    std::uint32_t size_ = 0;
    std::uint64_t cycle_ = 0;
    std::uint64_t accesses_ = 0;
    int locked_ = 0;
    std::uint8_t sink_ = 0;
    std::optional<std::string> misuse_;
    std::vector<std::unique_ptr<std::uint8_t[]>> windows_;
};

class client {
public:
    explicit client(byte_reader& in) : in_(in), bus_(in) {
        for (auto& b : source_)
            b = static_cast<std::uint8_t>(&b - source_ + 1);
    }

    void run() {
        for (std::size_t n = 0; n < max_calls && !in_.empty(); ++n) {
            step_ = n;
            if (!drv_ || in_.u8() == 0xFF)
                open();
            else
                call();
            CHECK(!bus_.misuse(), "step %zu: the driver %s", step_, bus_.misuse()->c_str());
            check_held();
            check_dead_handles();
        }
    }

private:
    void open() {
        forget();
        drv_ = nullptr;
        owned_.reset();
        if (device_) {  // its module goes with it; both handles are stale from here on
            stale_.add(module_);
            stale_.add(device_.get());
            device_.reset();
            module_ = nullptr;
        }
        driver::open_options o;
        const std::uint8_t how = in_.u8();
        o.buffer_size = how % 4 == 0 ? in_.u32() : 1 + in_.below(300);
        o.mode = how & 4 ? driver::source_mode::stream : driver::source_mode::host;
        o.drop_when_full = how & 8;
        o.use_direct = how & 16;
        bus_.set_buffer_size(o.buffer_size);
        bus_.start_call();
        const status s = how & 32 ? open_through_dmf(o) : driver::ping_pong_buffer::open(bus_, o, owned_);
        if (!(how & 32))
            drv_ = owned_.get();
        CHECK((s == status::ok) == (drv_ != nullptr), "step %zu: open returned %s with%s a driver", step_,
              std::string(to_string(s)).c_str(), drv_ ? "" : "out");
        if (s != status::ok)
            return;
        CHECK(o.buffer_size >= 1 && o.buffer_size <= regs::capacity_max, "step %zu: open took BufferSize %u", step_,
              o.buffer_size);
        size_ = o.buffer_size;
        exact_ = o.mode == driver::source_mode::host && !o.use_direct;
        known_ = exact_;
        if (exact_)
            CHECK(driver::native_ping_pong::open(size_, driver::pool_type::non_paged_nx, ref_) == status::ok,
                  "step %zu: the reference cannot open BufferSize %u", step_, size_);
    }

    // The same open through DMF's C API: a device over the bus and a module on it (the device stays
    // when Create fails, and is deleted at the next open).
    status open_through_dmf(const driver::open_options& o) {
        device_.reset(driver::make_device(bus_, {o.mode, o.drop_when_full, o.use_direct}));
        CHECK(device_ != nullptr, "step %zu: out of memory making a device", step_);
        DMF_CONFIG_PingPongBuffer config;
        DMF_MODULE_ATTRIBUTES attributes;
        DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
        config.BufferSize = o.buffer_size;
        const NTSTATUS s = DMF_PingPongBuffer_Create(device_.get(), &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module_);
        CHECK(NT_SUCCESS(s) == (module_ != nullptr), "step %zu: Create returned 0x%08x with%s a module", step_,
              static_cast<unsigned>(s), module_ ? "" : "out");
        drv_ = driver::driver_of(module_);
        CHECK((module_ != nullptr) == (drv_ != nullptr), "step %zu: a module without its driver", step_);
        return module_ ? status::ok : driver::last_status(module_);
    }

    // Handles that name no live module: refused without a bus access (so without reading input).
    void check_dead_handles() {
        if (stale_.empty() && !device_)
            return;
        const std::size_t left = in_.left();
        if (!stale_.empty())
            fuzz::expect_refused(target, step_, stale_.latest(), &bus_);
        fuzz::expect_refused(target, step_, fuzz::bits_of(&fuzz::lookalike_module), &bus_);
        if (device_) {
            fuzz::expect_refused(target, step_, fuzz::bits_of(device_.get()), &bus_, false);
            if (module_)
                for (const unsigned bit : {0u, 3u, 4u, 31u, 32u, 63u})
                    fuzz::expect_refused(target, step_, fuzz::bits_of(module_) ^ (std::uintptr_t{1} << bit), &bus_);
        }
        CHECK(in_.left() == left, "step %zu: a Method through a dead handle read the bus", step_);
    }

    std::uint32_t edge() {
        const std::uint8_t how = in_.u8();
        switch (how % 6) {
        case 0:
            return 0;
        case 1:
            return size_ + how / 6 % 2;
        case 2:
            return 0xFFFFFFFFu - how / 6 % 4;
        case 3:
            return in_.u32();
        default:
            return in_.below(size_ + 2);
        }
    }

    void call() {
        bus_.start_call();
        status s = status::ok;
        switch (in_.u8() % 6) {
        case 0:
            s = get();
            break;
        case 1:
            s = write();
            break;
        case 2:
            s = consume();
            break;
        case 3: {
            const std::uint32_t start = edge();
            forget_held();
            s = drv_->shift(start);
            if (known_)
                expect_same("Shift", s, ref_->shift(start));
            break;
        }
        case 4:
            forget_held();
            s = drv_->reset();
            if (known_)
                expect_same("Reset", s, ref_->reset());
            break;
        default: {
            std::uint32_t fill = 0xDEAD;
            const std::uint32_t min_fill = edge();
            s = drv_->wait_for_data(min_fill, 1us, fill);
            CHECK(fill <= size_, "step %zu: wait_for_data gave FILL %u above BufferSize %u", step_, fill, size_);
            if (s == status::ok)
                CHECK(fill >= min_fill || fill == size_, "step %zu: wait_for_data(%u) ok with FILL %u", step_, min_fill,
                      fill);
            break;
        }
        }
        const bool refusal =
            s == status::invalid_parameter || s == status::insufficient_resources || s == status::invalid_device_state;
        if (s != status::ok && !refusal)
            forget();  // the device failed: the driver re-reads it, and so must we
    }

    status get() {
        std::span<const std::uint8_t> ping;
        const status s = drv_->get(ping);
        if (s != status::ok) {
            CHECK(ping.data() == nullptr && ping.empty(), "step %zu: Get failed (%s) but returned a span", step_,
                  std::string(to_string(s)).c_str());
            return s;
        }
        CHECK(ping.size() <= size_, "step %zu: Get returned %zu bytes, BufferSize %u", step_, ping.size(), size_);
        CHECK(ping.data() != nullptr, "step %zu: Get ok with a null pointer", step_);
        const std::vector<std::uint8_t> bytes(ping.begin(), ping.end());  // ASan checks every byte
        // No Consume, Shift, Reset or failure since, and the same windows (a hostile bus's new window
        // need not show what its old one did): Ping only grew at its end.
        if (ping_ && ping_->generation == bus_.direct_generation()) {
            CHECK(
                bytes.size() >= ping_->copy.size() && std::equal(ping_->copy.begin(), ping_->copy.end(), bytes.begin()),
                "step %zu: Get returned %zu bytes that do not start with the %zu it returned before", step_,
                bytes.size(), ping_->copy.size());
        }
        if (exact_ && known_) {
            std::span<const std::uint8_t> r;
            (void)ref_->get(r);
            CHECK(r.size() == bytes.size() && std::equal(r.begin(), r.end(), bytes.begin()),
                  "step %zu: Get returned %zu bytes, DMF's semantics give %zu (or different bytes)", step_,
                  bytes.size(), r.size());
        } else if (exact_) {
            // The driver re-read the device after a failure: from here on its bytes are the truth.
            (void)ref_->reset();
            std::uint32_t n = 0;
            CHECK(ref_->write(bytes, n) == status::ok, "step %zu: the reference cannot hold %zu bytes", step_,
                  bytes.size());
            known_ = true;
        }
        ping_ = held{ping, bytes, bus_.direct_generation()};
        return s;
    }

    status write() {
        const std::uint8_t how = in_.u8();
        const std::size_t n = how % 4 == 0 ? in_.below(2 * sizeof source_ / 2 + 1) : in_.below(size_ + 3);
        const std::span<const std::uint8_t> src(source_, std::min(n, sizeof source_));
        std::uint32_t result = 0xDEAD;
        const status s = drv_->write(src, result);
        CHECK(result <= size_, "step %zu: Write reported size %u above BufferSize %u", step_, result, size_);
        if (known_) {
            std::uint32_t r = 0;
            const status rs = ref_->write(src, r);
            if (s == status::ok || s == status::insufficient_resources)
                CHECK(rs == s && r == result, "step %zu: Write(%zu) gave %s size %u, DMF's semantics %s size %u", step_,
                      src.size(), std::string(to_string(s)).c_str(), result, std::string(to_string(rs)).c_str(), r);
        }
        return s;
    }

    status consume() {
        const std::uint32_t start = edge();
        const std::uint32_t length = edge();
        std::span<const std::uint8_t> packet;
        const std::optional<held> seen = ping_;
        forget_held();
        const status s = drv_->consume(start, length, packet);
        std::span<const std::uint8_t> rp;
        const bool compare = known_;
        const status rs = compare ? ref_->consume(start, length, rp) : status::ok;
        if (s != status::ok) {
            CHECK(packet.data() == nullptr && packet.empty(), "step %zu: Consume failed (%s) but returned a span",
                  step_, std::string(to_string(s)).c_str());
            if (compare && s == status::invalid_parameter)
                CHECK(rs == s, "step %zu: Consume(%u, %u) refused, DMF's semantics take it", step_, start, length);
            return s;
        }
        CHECK(std::uint64_t{start} + length <= size_ && packet.size() == length && packet.data() != nullptr,
              "step %zu: Consume(%u, %u) ok with %zu bytes, BufferSize %u", step_, start, length, packet.size(), size_);
        const std::vector<std::uint8_t> bytes(packet.begin(), packet.end());  // ASan checks every byte
        if (seen && seen->generation == bus_.direct_generation() && std::uint64_t{start} + length <= seen->copy.size())
            CHECK(std::equal(bytes.begin(), bytes.end(), seen->copy.begin() + start),
                  "step %zu: Consume(%u, %u) returned bytes other than the last Get showed there", step_, start,
                  length);
        if (compare)
            CHECK(rs == status::ok && rp.size() == bytes.size() && std::equal(rp.begin(), rp.end(), bytes.begin()),
                  "step %zu: Consume(%u, %u) differs from DMF's semantics", step_, start, length);
        packet_ = held{packet, bytes, bus_.direct_generation()};
        return s;
    }

    void expect_same(const char* what, status s, status r) {
        if (s == status::ok || s == status::invalid_parameter)
            CHECK(s == r, "step %zu: %s gave %s, DMF's semantics %s", step_, what, std::string(to_string(s)).c_str(),
                  std::string(to_string(r)).c_str());
    }

    struct held {
        std::span<const std::uint8_t> span;
        std::vector<std::uint8_t> copy;
        std::uint64_t generation;  // the bus's direct generation when it was returned
    };

    void check_held() {
        for (const auto* h : {&ping_, &packet_})
            if (*h)
                CHECK(std::equal((*h)->copy.begin(), (*h)->copy.end(), (*h)->span.begin()),
                      "step %zu: bytes the driver returned changed while still promised valid", step_);
    }
    void forget_held() {
        ping_.reset();
        packet_.reset();
    }
    void forget() {
        forget_held();
        known_ = false;
    }

    byte_reader& in_;
    hostile_bus bus_;
    // The driver in use: owned_, or the one behind module_ (opened through DMF).
    driver::ping_pong_buffer* drv_ = nullptr;
    std::unique_ptr<driver::ping_pong_buffer> owned_;
    driver::unique_device device_;
    DMFMODULE module_ = nullptr;
    fuzz::stale_handles stale_;
    std::unique_ptr<driver::native_ping_pong> ref_;
    std::uint32_t size_ = 0;
    bool exact_ = false, known_ = false;
    std::optional<held> ping_, packet_;
    std::uint8_t source_[600];
    std::size_t step_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    byte_reader in(data, size);
    client c(in);
    c.run();
    return 0;
}
