#include "testbench/frame_client.hpp"

#include "driver/dmf/ppb_device.h"

#include <cstdio>

namespace ppb::tb {

frame_client::frame_client(DMFMODULE module, scoreboard& sb, const client_config& cfg, client_hooks hooks)
    : module_(module), sb_(sb), cfg_(cfg), hooks_(std::move(hooks)), buffer_size_(cfg.buffer_size) {}

void frame_client::fail(const std::string& what) {
    if (error_.empty()) {
        char status[32];
        std::snprintf(status, sizeof status, "0x%08X", static_cast<unsigned>(PpbModuleLastStatus(module_)));
        error_ = what + " (last status " + status + ")";
    }
}

void frame_client::shift(std::span<const std::uint8_t> ping, std::uint32_t n) {
    sb_.discarded(ping.first(n));  // before Shift: it ends the view's validity
    DMF_PingPongBuffer_Shift(module_, n);
    ++stats_.shifts;
    if (!NT_SUCCESS(PpbModuleLastStatus(module_)))
        fail("Shift(" + std::to_string(n) + ") failed");
}

std::span<const std::uint8_t> frame_client::contents() {
    ULONG size = 0;
    const UCHAR* p = DMF_PingPongBuffer_Get(module_, &size);
    if (!p) {
        fail("Get returned NULL");
        return {};
    }
    return {p, size};
}

std::uint32_t frame_client::buffered() {
    return static_cast<std::uint32_t>(contents().size());
}

void frame_client::reset() {
    sb_.discarded(contents());
    DMF_PingPongBuffer_Reset(module_);
    ++stats_.resets;
    if (!NT_SUCCESS(PpbModuleLastStatus(module_)))
        fail("Reset failed");
}

// Whether an intact frame starts somewhere in bytes[from..).
static bool intact_frame_after(std::span<const std::uint8_t> bytes, std::size_t from, frame_crc crc) {
    while (from < bytes.size()) {
        const std::size_t j = from + find_sync(bytes.subspan(from));
        if (j >= bytes.size())
            return false;
        if (check_frame(bytes.subspan(j), crc).result == frame_check::ok)
            return true;
        from = j + 1;
    }
    return false;
}

std::uint32_t frame_client::pass(bool end_of_stream) {
    while (error_.empty()) {
        ULONG size = 0;
        const UCHAR* p = DMF_PingPongBuffer_Get(module_, &size);
        ++stats_.gets;
        if (!p) {
            fail("Get returned NULL");
            return 0;
        }
        const std::span<const std::uint8_t> ping(p, size);
        const std::size_t k = find_sync(ping);
        if (k == size) {  // nothing that could start a frame
            if (size)
                shift(ping, size);
            return 2;
        }
        const frame_view v = check_frame(ping.subspan(k), cfg_.crc);
        switch (v.result) {
        case frame_check::need_more: {
            if (end_of_stream && intact_frame_after(ping, k + 1, cfg_.crc)) {
                ++stats_.bad_length;
                shift(ping, static_cast<std::uint32_t>(k + 1));
                continue;
            }
            if (v.total && v.total > buffer_size_) {
                // The length claims more than Ping can ever hold: not a frame we can take.
                ++stats_.oversize;
                shift(ping, static_cast<std::uint32_t>(k + 1));
                continue;
            }
            const std::size_t frame_bytes = v.total ? v.total : std::max(header_bytes, std::size_t{2});
            if (k + frame_bytes > buffer_size_) {
                shift(ping, static_cast<std::uint32_t>(k));  // make room: the noise before it goes first
                continue;
            }
            return static_cast<std::uint32_t>(k + frame_bytes);
        }
        case frame_check::bad_length:
            ++stats_.bad_length;
            shift(ping, static_cast<std::uint32_t>(k + 1));
            continue;
        case frame_check::bad_crc:
            ++stats_.bad_crc;
            shift(ping, static_cast<std::uint32_t>(k + 1));
            continue;
        case frame_check::ok: {
            const auto total = static_cast<ULONG>(v.total);
            sb_.skipped(ping.first(k));  // the noise before it, while Get's view is valid
            const UCHAR* frame = DMF_PingPongBuffer_Consume(module_, static_cast<ULONG>(k), total);
            ++stats_.consumes;
            if (!frame) {
                fail("Consume(" + std::to_string(k) + ", " + std::to_string(total) + ") returned NULL");
                return 0;
            }
            sb_.delivered({frame, total}, hooks_.now());
            const double cost = cfg_.cost_per_packet + cfg_.cost_per_byte * total;
            if (cost > 0)
                hooks_.spend(cost);
            continue;
        }
        }
    }
    return 0;
}

}  // namespace ppb::tb
