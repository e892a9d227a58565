// What the three fuzz targets share: a reader that decodes the fuzzer's bytes into values (zeros
// once the input is used up, so every input is a complete, finite program), and the check that
// turns a broken expectation into a crash with a message saying what differed.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

namespace ppb::fuzz {

class byte_reader {
public:
    byte_reader(const std::uint8_t* data, std::size_t size) : p_(data), n_(size) {}

    bool empty() const { return n_ == 0; }
    std::size_t left() const { return n_; }

    std::uint8_t u8() {
        if (n_ == 0)
            return 0;
        --n_;
        return *p_++;
    }
    // Little-endian. Each byte is read in its own statement: the order in which the operands of |
    // are evaluated is unspecified, and a corpus must decode the same under GCC and clang.
    std::uint16_t u16() {
        const std::uint16_t lo = u8();
        const std::uint16_t hi = u8();
        return static_cast<std::uint16_t>(lo | (hi << 8));
    }
    std::uint32_t u32() {
        const std::uint32_t lo = u16();
        const std::uint32_t hi = u16();
        return lo | (hi << 16);
    }
    // A value in [0, n) (n > 0) from as few bytes as it needs.
    std::uint32_t below(std::uint32_t n) {
        if (n <= 0x100)
            return u8() % n;
        if (n <= 0x10000)
            return u16() % n;
        return u32() % n;
    }
    // Up to `n` bytes of the input itself (fewer when it runs out).
    std::span<const std::uint8_t> take(std::size_t n) {
        const std::size_t k = n < n_ ? n : n_;
        std::span<const std::uint8_t> s(p_, k);
        p_ += k;
        n_ -= k;
        return s;
    }

private:
    const std::uint8_t* p_;
    std::size_t n_;
};

// Reports what went wrong and aborts: libFuzzer records the input as a crash, the replay test fails.
[[noreturn]] inline void fail(const char* target, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
[[noreturn]] inline void fail(const char* target, const char* fmt, ...) {
    std::fprintf(stderr, "\n%s: ", target);
    va_list ap;
    va_start(ap, fmt);
    std::vfprintf(stderr, fmt, ap);
    va_end(ap);
    std::fprintf(stderr, "\n");
    std::fflush(stderr);
    std::abort();
}

}  // namespace ppb::fuzz

// CHECK(target_name, condition, printf-style message): a crash with the message when it fails.
#define PPB_FUZZ_CHECK(target, cond, ...)           \
    do {                                            \
        if (!(cond))                                \
            ::ppb::fuzz::fail(target, __VA_ARGS__); \
    } while (0)
