// The driver over a device that lies: a bus in front of ppb_core that, at a rate that changes as
// the run goes, answers with errors, random or bit-flipped values, drops writes, corrupts bursts,
// hands out garbage direct windows, revokes them, and hard-resets the device behind the driver's
// back. At least 1,000,000 Method calls; no crash, no access outside the buffers (run it under the
// asan preset to see that), every returned span inside what the driver may return, and every
// access the driver makes aimed at a mapped register or inside BufferSize of a bank.
#include "driver/ping_pong_buffer.hpp"
#include "driver/test/test_util.hpp"
#include "model/ppb_core.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>

namespace ppb::driver::test {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t capacity = 128;

class hostile_bus final : public bus {
public:
    explicit hostile_bus(std::uint64_t seed) : core_(capacity), rng_(seed) {}

    void set_rate(double rate) { rate_ = rate; }
    void set_buffer_size(std::uint32_t size) { size_ = size; }
    std::uint64_t lies() const { return lies_; }
    std::uint64_t violations() const { return violations_; }

protected:
    bus_status do_read32(std::uint32_t offset, std::uint32_t& value) override {
        check_register(offset);
        maybe_disrupt();
        if (lie())
            switch (pick(4)) {
            case 0:
                value = static_cast<std::uint32_t>(rng_());
                return bus_status::error;
            case 1:
                value = static_cast<std::uint32_t>(rng_());
                return bus_status::ok;
            case 2:
                (void)core_.reg_read(offset, tick(), value);
                value ^= 1u << pick(32);
                return bus_status::ok;
            default:
                value = pick(2) ? 0xFFFFFFFFu : static_cast<std::uint32_t>(rng_() % (2 * capacity));
                return bus_status::ok;
            }
        value = 0;
        return core_.reg_read(offset, tick(), value) == model::bus_result::ok ? bus_status::ok : bus_status::error;
    }

    bus_status do_write32(std::uint32_t offset, std::uint32_t value) override {
        check_register(offset);
        maybe_disrupt();
        if (lie()) {
            if (pick(2))
                (void)core_.reg_write(offset, value, tick());
            return pick(2) ? bus_status::error : bus_status::ok;
        }
        return core_.reg_write(offset, value, tick()) == model::bus_result::ok ? bus_status::ok : bus_status::error;
    }

    bus_status do_read_bytes(std::uint32_t address, std::span<std::uint8_t> out) override {
        std::uint8_t* bank = check_bank(address, out.size());
        if (!bank)
            return bus_status::error;
        if (lie()) {
            for (auto& b : out)
                b = static_cast<std::uint8_t>(rng_());
            return pick(2) ? bus_status::error : bus_status::ok;
        }
        if (!out.empty())
            std::memcpy(out.data(), bank, out.size());
        return bus_status::ok;
    }

    bus_status do_write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) override {
        std::uint8_t* bank = check_bank(address, in.size());
        if (!bank)
            return bus_status::error;
        if (lie())
            return bus_status::error;
        if (!in.empty())
            std::memcpy(bank, in.data(), in.size());
        return bus_status::ok;
    }

    bus_status do_direct(std::uint32_t address, std::uint32_t length, direct_window& out) override {
        const unsigned bank = address >= regs::bank1_base ? 1 : 0;
        switch (pick(5)) {
        case 0:
            return bus_status::unsupported;
        case 1: {  // a window of its own, exactly as long as asked: ASan sees any overrun
            auto& g = garbage_[bank];
            g.reset(new std::uint8_t[length]);
            for (std::uint32_t i = 0; i < length; ++i)
                g[i] = static_cast<std::uint8_t>(rng_());
            out = {g.get(), address, length, direct_generation()};
            return bus_status::ok;
        }
        case 2:  // a window too short
            out = {core_.bank(bank), address, length ? length - 1 : 0, direct_generation()};
            return bus_status::ok;
        case 3:  // a stale one
            out = {core_.bank(bank), address, length, direct_generation() - 1};
            return bus_status::ok;
        default:
            if (address != (bank ? regs::bank1_base : regs::bank0_base) || length > capacity)
                return bus_status::unsupported;
            out = {core_.bank(bank), address, length, direct_generation()};
            return bus_status::ok;
        }
    }

    void do_touch_direct(std::uint32_t address, std::uint32_t length, bool) override {
        if (!check_bank(address, length))
            ADD_FAILURE() << "touched outside the buffers";
    }

    bus_status do_wait_irq(std::chrono::nanoseconds) override {
        if (locked_)
            record("waited for the interrupt holding the lock");
        switch (pick(4)) {
        case 0:
            return bus_status::timeout;
        case 1:
            return bus_status::error;
        case 2:
            return bus_status::unsupported;
        default:
            return bus_status::ok;
        }
    }

    void do_idle(std::uint64_t cycles) override {
        if (cycles > (std::uint64_t{1} << 32))
            record("idled for an absurd time");
        cycle_ += cycles;
    }
    std::uint64_t do_now_cycles() const override { return cycle_; }
    void do_lock() override { ++locked_; }
    void do_unlock() override { --locked_; }

private:
    std::uint32_t pick(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }
    bool lie() {
        const bool l = std::uniform_real_distribution<double>(0, 1)(rng_) < rate_;
        lies_ += l;
        return l;
    }
    std::uint64_t tick() {
        cycle_ += regs::bus_cycles_per_word;
        return cycle_ - 1;
    }
    void record(const char* what) {
        ++violations_;
        ADD_FAILURE() << what;
    }
    void check_register(std::uint32_t offset) {
        if (locked_ != 1)
            record("register access without the lock");
        for (const auto& r : regs::all_regs)
            if (r.offset == offset)
                return;
        record("access to an unmapped register");
    }
    std::uint8_t* check_bank(std::uint32_t address, std::size_t length) {
        const unsigned bank = address >= regs::bank1_base ? 1 : 0;
        const std::uint32_t base = bank ? regs::bank1_base : regs::bank0_base;
        if (address < base || address - base + length > size_) {
            record("bank access outside BufferSize");
            return nullptr;
        }
        return core_.bank(bank) + (address - base);
    }
    void maybe_disrupt() {
        if (rate_ == 0)
            return;
        const std::uint32_t r = pick(20000);
        if (r == 0)
            core_.hard_reset();
        else if (r < 20)
            revoke_direct();
        else if (r < 40) {  // a stream the driver did not ask for
            std::uint8_t junk[16];
            for (auto& b : junk)
                b = static_cast<std::uint8_t>(rng_());
            (void)core_.reg_write(regs::ctrl::offset, regs::ctrl::source.mask(), tick());
            (void)core_.stream_push(junk, pick(16) + 1, tick());
        }
    }

    model::ppb_core core_;
    std::mt19937_64 rng_;
    double rate_ = 0;
    std::uint32_t size_ = capacity;
    std::uint64_t cycle_ = 0;
    int locked_ = 0;
    std::uint64_t lies_ = 0, violations_ = 0;
    std::unique_ptr<std::uint8_t[]> garbage_[2];
};

std::uint32_t edge(std::mt19937_64& rng, std::uint32_t size) {
    switch (rng() % 6) {
    case 0:
        return 0;
    case 1:
        return size;
    case 2:
        return 0xFFFFFFFFu - static_cast<std::uint32_t>(rng() % 4);
    default:
        return static_cast<std::uint32_t>(rng() % (size + 2));
    }
}

// Reads every byte of a span the driver returned (ASan checks each one) and checks it lies in
// what the driver may return.
std::uint64_t inspect(std::span<const std::uint8_t> s, std::uint32_t size) {
    EXPECT_LE(s.size(), size);
    std::uint64_t sum = 0;
    for (const std::uint8_t b : s)
        sum += b;
    return sum;
}

TEST(driver_hostile, a_million_calls_on_a_lying_device) {
    const std::uint64_t seed = test_seed();
    std::mt19937_64 rng(seed ^ 0x9E3779B97F4A7C15ull);
    hostile_bus hb(seed);
    std::unique_ptr<ping_pong_buffer> d;
    std::uint64_t calls = 0, ok_calls = 0, opens = 0, checksum = 0, failures = 0;
    std::vector<std::uint8_t> source(2 * capacity + 8);
    for (auto& b : source)
        b = static_cast<std::uint8_t>(rng());
    constexpr std::uint64_t target = 1'000'000;
    while (calls < target) {
        if (calls % 10000 == 0) {  // calm stretches let the driver get deep; storms test the guards
            const double rates[] = {0.0, 0.001, 0.01, 0.05, 0.3, 1.0};
            hb.set_rate(rates[rng() % 6]);
        }
        // A client whose device keeps failing closes and opens it again, as a real one would.
        if (!d || failures > 20 || rng() % 20000 == 0) {
            failures = 0;
            d.reset();
            open_options o;
            o.buffer_size = rng() % 8 ? static_cast<std::uint32_t>(rng() % capacity) + 1 : edge(rng, capacity);
            o.mode = rng() % 2 ? source_mode::stream : source_mode::host;
            o.drop_when_full = rng() % 2;
            o.use_direct = rng() % 2;
            hb.set_buffer_size(std::min(o.buffer_size, capacity));
            ++calls;
            ++opens;
            if (ping_pong_buffer::open(hb, o, d) != status::ok) {
                EXPECT_FALSE(d);
                continue;
            }
        }
        const std::uint32_t size = d->buffer_size();
        ++calls;
        status s = status::ok;
        switch (rng() % 6) {
        case 0: {
            std::span<const std::uint8_t> ping;
            s = d->get(ping);
            checksum += inspect(ping, size);
            if (s != status::ok) {
                EXPECT_EQ(ping.data(), nullptr);
            }
            break;
        }
        case 1: {
            const std::uint32_t n = static_cast<std::uint32_t>(rng() % (size + 3));
            std::uint32_t result = 0;
            s = d->write(std::span(source).first(std::min<std::size_t>(n, source.size())), result);
            EXPECT_LE(result, size);
            break;
        }
        case 2: {
            const std::uint32_t start = edge(rng, size);
            const std::uint32_t length = edge(rng, size);
            std::span<const std::uint8_t> packet;
            s = d->consume(start, length, packet);
            if (s == status::ok) {
                EXPECT_EQ(packet.size(), length);
                EXPECT_LE(std::uint64_t{start} + length, size);
            } else {
                EXPECT_EQ(packet.data(), nullptr);
            }
            checksum += inspect(packet, size);
            break;
        }
        case 3:
            s = d->shift(edge(rng, size));
            break;
        case 4:
            s = d->reset();
            break;
        default: {
            std::uint32_t fill = 0;
            s = d->wait_for_data(edge(rng, size), 1ns, fill);
            EXPECT_LE(fill, size);
            break;
        }
        }
        ok_calls += s == status::ok;
        failures = s == status::ok || s == status::invalid_parameter || s == status::insufficient_resources ||
                           s == status::invalid_device_state
                       ? 0
                       : failures + 1;
        if (hb.violations() || ::testing::Test::HasFailure())
            FAIL() << "seed " << seed << " after " << calls << " calls";
    }
    std::printf("%llu calls (%llu opens), %llu ok, %llu lies told, checksum %llu\n",
                static_cast<unsigned long long>(calls), static_cast<unsigned long long>(opens),
                static_cast<unsigned long long>(ok_calls), static_cast<unsigned long long>(hb.lies()),
                static_cast<unsigned long long>(checksum));
    EXPECT_GT(ok_calls, calls / 8) << "the calm stretches must let the driver work";
    EXPECT_GT(hb.lies(), calls / 20) << "the storms must hit the driver";
}

}  // namespace
}  // namespace ppb::driver::test
