#include "driver/native_ping_pong.hpp"

#include <cstring>
#include <new>

namespace ppb::driver {

bool is_valid_pool(std::int32_t value) {
    switch (static_cast<pool_type>(value)) {
    case pool_type::non_paged:
    case pool_type::paged:
    case pool_type::non_paged_cache_aligned:
    case pool_type::paged_cache_aligned:
    case pool_type::non_paged_session:
    case pool_type::paged_session:
    case pool_type::non_paged_nx:
    case pool_type::non_paged_nx_cache_aligned:
    case pool_type::non_paged_session_nx:
        return true;
    default:
        return false;
    }
}

bool is_paged_pool(pool_type pool) {
    return pool == pool_type::paged || pool == pool_type::paged_cache_aligned || pool == pool_type::paged_session;
}

native_ping_pong::native_ping_pong(std::uint32_t size, std::unique_ptr<std::uint8_t[]> storage)
    : size_(size), storage_(std::move(storage)) {}

status native_ping_pong::open(std::uint32_t buffer_size, pool_type pool, std::unique_ptr<native_ping_pong>& out) {
    if (buffer_size == 0 || !is_valid_pool(static_cast<std::int32_t>(pool)))
        return status::invalid_parameter;
    // Zeroed, as DMF's RtlZeroMemory leaves them.
    std::unique_ptr<std::uint8_t[]> storage(new (std::nothrow) std::uint8_t[std::size_t{buffer_size} * 2]());
    if (!storage)
        return status::insufficient_resources;
    out.reset(new (std::nothrow) native_ping_pong(buffer_size, std::move(storage)));
    return out ? status::ok : status::insufficient_resources;
}

status native_ping_pong::get(std::span<const std::uint8_t>& ping) {
    const std::lock_guard guard(mutex_);
    ping = {buffer(ping_), fill_};
    return status::ok;
}

status native_ping_pong::write(std::span<const std::uint8_t> source, std::uint32_t& result_size) {
    const std::lock_guard guard(mutex_);
    // Computed in 64 bits: DMF's 32-bit sum could wrap and let an oversized write through.
    if (std::uint64_t{fill_} + source.size() > size_) {
        result_size = fill_;
        return status::insufficient_resources;
    }
    if (!source.empty())
        std::memcpy(buffer(ping_) + fill_, source.data(), source.size());
    fill_ += static_cast<std::uint32_t>(source.size());
    result_size = fill_;
    return status::ok;
}

void native_ping_pong::swap_keeping(std::uint32_t from) {
    const std::uint32_t residual = fill_ - from;
    if (residual)
        std::memcpy(buffer(ping_ ^ 1u), buffer(ping_) + from, residual);
    ping_ ^= 1u;
    fill_ = residual;
}

status native_ping_pong::consume(std::uint32_t start_offset, std::uint32_t packet_length,
                                 std::span<const std::uint8_t>& packet) {
    const std::lock_guard guard(mutex_);
    const std::uint64_t end = std::uint64_t{start_offset} + packet_length;
    if (end > fill_) {
        packet = {};
        return status::invalid_parameter;
    }
    const std::uint8_t* first = buffer(ping_) + start_offset;
    swap_keeping(static_cast<std::uint32_t>(end));
    packet = {first, packet_length};
    return status::ok;
}

status native_ping_pong::shift(std::uint32_t start_offset) {
    const std::lock_guard guard(mutex_);
    if (start_offset > fill_)
        return status::invalid_parameter;
    swap_keeping(start_offset);
    return status::ok;
}

status native_ping_pong::reset() {
    const std::lock_guard guard(mutex_);
    fill_ = 0;
    return status::ok;
}

std::span<const std::uint8_t> native_ping_pong::pong() const {
    return {storage_.get() + std::size_t{ping_ ^ 1u} * size_, size_};
}

}  // namespace ppb::driver
