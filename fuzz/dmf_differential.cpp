// Fuzz target 1: DMF's PingPongBuffer API, differential. The input decodes into a configuration
// (CAPACITY, BufferSize, who fills Ping, the full policy, zero-copy or mirror) and a sequence of
// Get, Write, Consume, Shift, Reset and stream pushes. Every call goes through the C API
// (DMF_PingPongBuffer_*) to two modules: one over the PPB (the driver over ppb_core behind the bus
// seam) and one over DMF's semantics in host memory (the native reference). Any difference in
// status, returned size, NULL-ness or bytes is a crash, and so are bytes that change while their
// pointer is still promised valid (until the next Consume, Shift or Reset). A selector byte of
// 0xFF is a handle operation instead: delete both modules (or both devices) and make new ones,
// keeping the old handles, or call every Method through a stale or forged handle; from the first
// deletion on, every step also calls every Method through the latest stale handle. Each such call
// must be refused without a bus access and without reading freed memory (ASan).
#include "driver/dmf_device.hpp"
#include "fuzz/core_bus.hpp"
#include "fuzz/dmf_handles.hpp"
#include "fuzz/fuzz_util.hpp"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <vector>

namespace {

using namespace ppb;
using ppb::fuzz::byte_reader;

constexpr const char* target = "dmf_differential";
#define CHECK(cond, ...) PPB_FUZZ_CHECK(target, cond, __VA_ARGS__)

constexpr std::array<std::uint32_t, 6> capacities = {16, 20, 32, 64, 128, 256};
constexpr std::size_t max_ops = 4096;

struct held {
    const UCHAR* data = nullptr;
    std::vector<std::uint8_t> copy;
    const char* what = "";
};

class session {
public:
    session(byte_reader& in) : in_(in) {
        capacity_ = capacities[in_.below(capacities.size())];
        size_ = in_.below(capacity_) + 1;
        const std::uint8_t flags = in_.u8();
        stream_ = flags & 1;
        drop_ = flags & 2;
        const bool direct = flags & 4;
        bus_.emplace(capacity_, direct);
        bus_->set_bank_limit(size_);
        options_ = {stream_ ? driver::source_mode::stream : driver::source_mode::host, drop_, direct};
        make_devices();
    }

    void run() {
        for (std::size_t n = 0; n < max_ops && !in_.empty(); ++n) {
            step_ = n;
            const std::uint8_t op = in_.u8();
            switch (op == 0xFF ? 16 : op % 16) {
            case 0:
            case 1:
            case 2:
            case 3:
            case 4:
                stream_ ? push() : write();
                break;
            case 5:
                stream_ ? write() : push();  // the other one: refused in host mode, through Write
                break;
            case 6:
            case 7:
                get("Get");
                break;
            case 8:
            case 9:
            case 10:
            case 11:
                consume();
                break;
            case 12:
            case 13:
            case 14:
                shift();
                break;
            case 15:
                reset();
                break;
            default:
                handles();
                break;
            }
            if (!stale_.empty())
                fuzz::expect_refused(target, step_, stale_.latest(), &*bus_);
            check_bus();
            check_held();
            get("Get after the call");
            check_held();
        }
    }

private:
    void make_devices() {
        dut_dev_.reset(driver::make_device(*bus_, options_));
        ref_dev_.reset(driver::make_native_device());
        CHECK(dut_dev_ && ref_dev_, "out of memory making the devices");
        dut_ = create(dut_dev_.get());
        ref_ = create(ref_dev_.get());
    }

    // 0xFF: new modules (or new devices and modules), the old handles kept as stale; or every
    // Method through a stale or forged handle.
    void handles() {
        const std::uint8_t how = in_.u8();
        switch (how % 4) {
        case 0:
            drop_held();
            stale_.add(dut_);
            stale_.add(ref_);
            WdfObjectDelete(dut_);
            WdfObjectDelete(ref_);
            dut_ = create(dut_dev_.get());
            ref_ = create(ref_dev_.get());
            break;
        case 1:
            drop_held();
            stale_.add(dut_);
            stale_.add(ref_);
            stale_.add(dut_dev_.get());
            stale_.add(ref_dev_.get());
            dut_dev_.reset();  // deletes its module
            ref_dev_.reset();
            make_devices();
            break;
        default: {
            const std::uintptr_t h = fuzz::forged_handle(in_, stale_, {dut_, ref_, dut_dev_.get(), ref_dev_.get()});
            fuzz::expect_refused(target, step_, h, &*bus_);
            // The live device handles as modules (WdfObjectDelete would take them: not called).
            fuzz::expect_refused(target, step_, fuzz::bits_of(how & 4 ? dut_dev_.get() : ref_dev_.get()), &*bus_,
                                 false);
            break;
        }
        }
    }

    DMFMODULE create(WDFDEVICE device) {
        DMF_CONFIG_PingPongBuffer config;
        DMF_MODULE_ATTRIBUTES attributes;
        DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
        config.BufferSize = size_;
        DMFMODULE m = nullptr;
        const NTSTATUS s = DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &m);
        CHECK(NT_SUCCESS(s) && m, "Create(BufferSize %u) on CAPACITY %u failed: 0x%08" PRIx32, size_, capacity_,
              static_cast<std::uint32_t>(s));
        return m;
    }

    std::uint32_t ref_fill() {
        ULONG n = 0;
        CHECK(DMF_PingPongBuffer_Get(ref_, &n) != nullptr, "the reference's Get failed");
        return n;
    }

    // An offset or length near the interesting edges: 0, FILL, BufferSize, 2^32 - 1, or anything.
    std::uint32_t pick(std::uint32_t around) {
        const std::uint8_t how = in_.u8();
        switch (how % 8) {
        case 0:
            return 0;
        case 1:
            return around + (how >> 3) % 3;  // around, +1, +2
        case 2:
            return around - std::min<std::uint32_t>(around, (how >> 3) % 4);
        case 3:
            return size_ + (how >> 3) % 2;
        case 4:
            return 0xFFFFFFFFu - (how >> 3) % 2;
        case 5:
            return in_.u32();
        default:
            return in_.below(std::max<std::uint32_t>(around, 1) + 1);
        }
    }

    std::vector<std::uint8_t> bytes(std::uint32_t n) {
        std::vector<std::uint8_t> v(n);
        const std::uint8_t seed = in_.u8();
        for (std::uint32_t i = 0; i < n; ++i)
            v[i] = static_cast<std::uint8_t>(seed + (next_++) * 37);
        return v;
    }

    std::uint32_t pick_write_length() {
        const std::uint32_t fill = ref_fill();
        const std::uint32_t room = size_ - fill;
        const std::uint32_t n = pick(room);
        return std::min<std::uint32_t>(n, 2 * capacity_ + 8);  // bigger says nothing new
    }

    void write() {
        const std::vector<std::uint8_t> data = bytes(pick_write_length());
        const auto n = static_cast<ULONG>(data.size());
        auto* src = const_cast<UCHAR*>(data.data());
        ULONG rsz = 0xDEAD, dsz = 0xDEAD;
        const NTSTATUS ds = DMF_PingPongBuffer_Write(dut_, src, n, &dsz);
        if (stream_) {
            // The stream port fills Ping: the driver refuses every Write and reports size 0.
            CHECK(ds == STATUS_INVALID_DEVICE_STATE && dsz == 0,
                  "step %zu Write(%u) in stream mode: 0x%08" PRIx32 " size %u, expected INVALID_DEVICE_STATE size 0",
                  step_, n, static_cast<std::uint32_t>(ds), dsz);
            return;
        }
        const NTSTATUS rs = DMF_PingPongBuffer_Write(ref_, src, n, &rsz);
        CHECK(rs == ds && rsz == dsz,
              "step %zu Write(%u): reference 0x%08" PRIx32 " size %u, device 0x%08" PRIx32 " size %u", step_, n,
              static_cast<std::uint32_t>(rs), rsz, static_cast<std::uint32_t>(ds), dsz);
    }

    void push() {
        const std::uint32_t fill = ref_fill();
        const std::vector<std::uint8_t> data = bytes(pick_write_length());
        const std::size_t taken = bus_->push_stream(data);
        if (!stream_) {
            CHECK(taken == 0, "step %zu: the stream port took %zu bytes with CTRL.SOURCE = host", step_, taken);
            return;
        }
        const std::size_t fits = std::min<std::size_t>(data.size(), size_ - fill);
        CHECK(taken == (drop_ ? data.size() : fits),
              "step %zu: the stream port took %zu of %zu bytes at FILL %u of %u (%s)", step_, taken, data.size(), fill,
              size_, drop_ ? "drop when full" : "back-pressure");
        ULONG rsz = 0;
        CHECK(DMF_PingPongBuffer_Write(ref_, const_cast<UCHAR*>(data.data()), static_cast<ULONG>(fits), &rsz) ==
                  STATUS_SUCCESS,
              "step %zu: the reference refused %zu bytes that fit", step_, fits);
    }

    void get(const char* what) {
        ULONG rn = 0xDEAD, dn = 0xDEAD;
        const UCHAR* r = DMF_PingPongBuffer_Get(ref_, &rn);
        const UCHAR* d = DMF_PingPongBuffer_Get(dut_, &dn);
        CHECK(r && d && rn == dn, "step %zu %s: reference %s size %u, device %s size %u (%s)", step_, what,
              r ? "ok" : "NULL", rn, d ? "ok" : "NULL", dn, std::string(to_string(driver::last_status(dut_))).c_str());
        compare(r, d, rn, what);
        ping_ = {d, std::vector<std::uint8_t>(d, d + dn), "Get"};
    }

    void consume() {
        const std::uint32_t fill = ref_fill();
        const std::uint32_t start = pick(fill);
        const std::uint32_t length = pick(start <= fill ? fill - start : 0);
        drop_held();
        const UCHAR* r = DMF_PingPongBuffer_Consume(ref_, start, length);
        const UCHAR* d = DMF_PingPongBuffer_Consume(dut_, start, length);
        const auto rs = driver::last_status(ref_);
        const auto ds = driver::last_status(dut_);
        CHECK((r != nullptr) == (d != nullptr) && rs == ds,
              "step %zu Consume(%u, %u) at FILL %u: reference %s (%s), device %s (%s)", step_, start, length, fill,
              r ? "ok" : "NULL", std::string(to_string(rs)).c_str(), d ? "ok" : "NULL",
              std::string(to_string(ds)).c_str());
        if (d) {
            compare(r, d, length, "Consume's packet");
            packet_ = {d, std::vector<std::uint8_t>(d, d + length), "Consume"};
        }
    }

    void shift() {
        const std::uint32_t fill = ref_fill();
        const std::uint32_t start = pick(fill);
        drop_held();
        DMF_PingPongBuffer_Shift(ref_, start);
        DMF_PingPongBuffer_Shift(dut_, start);
        const auto rs = driver::last_status(ref_);
        const auto ds = driver::last_status(dut_);
        CHECK(rs == ds, "step %zu Shift(%u) at FILL %u: reference %s, device %s", step_, start, fill,
              std::string(to_string(rs)).c_str(), std::string(to_string(ds)).c_str());
    }

    void reset() {
        drop_held();
        DMF_PingPongBuffer_Reset(ref_);
        DMF_PingPongBuffer_Reset(dut_);
        const auto rs = driver::last_status(ref_);
        const auto ds = driver::last_status(dut_);
        CHECK(rs == ds, "step %zu Reset: reference %s, device %s", step_, std::string(to_string(rs)).c_str(),
              std::string(to_string(ds)).c_str());
    }

    void compare(const UCHAR* r, const UCHAR* d, std::uint32_t n, const char* what) {
        const auto diff = std::mismatch(r, r + n, d);
        CHECK(diff.first == r + n, "step %zu %s: %u bytes differ first at offset %td (reference 0x%02x, device 0x%02x)",
              step_, what, n, diff.first - r, diff.first == r + n ? 0 : *diff.first,
              diff.first == r + n ? 0 : *diff.second);
    }

    void drop_held() {
        ping_ = {};
        packet_ = {};
    }

    void check_held() {
        for (const held* h : {&ping_, &packet_}) {
            if (!h->data)
                continue;
            const auto diff = std::mismatch(h->copy.begin(), h->copy.end(), h->data);
            CHECK(diff.first == h->copy.end(), "step %zu: byte %td of the last %s changed while still promised valid",
                  step_, diff.first - h->copy.begin(), h->what);
        }
    }

    void check_bus() { CHECK(!bus_->misuse(), "step %zu: the driver %s", step_, bus_->misuse()->c_str()); }

    byte_reader& in_;
    std::uint32_t capacity_ = 0, size_ = 0;
    bool stream_ = false, drop_ = false;
    std::optional<fuzz::core_bus> bus_;
    driver::device_options options_;
    // The devices delete their modules; the bus outlives the device that uses it.
    driver::unique_device dut_dev_, ref_dev_;
    DMFMODULE dut_ = nullptr, ref_ = nullptr;
    std::size_t step_ = 0;
    std::uint32_t next_ = 0;
    held ping_, packet_;
    fuzz::stale_handles stale_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    byte_reader in(data, size);
    session s(in);
    s.run();
    return 0;
}
