// The client: a frame parser written only against DMF's PingPongBuffer Methods. Get to look, Shift
// to drop noise and bad frames, Consume to take a good frame (its StartOffset skips the noise before
// it in the same command). Waiting for data and spending processing time are the platform's, through
// hooks, so the same parser runs over the TLM model, the RTL and the native reference.
#pragma once

#include "testbench/scoreboard.hpp"

#include "DmfModules.Library.h"

#include <cstdint>
#include <functional>
#include <string>

namespace ppb::tb {

struct client_hooks {
    // Returns when Ping may hold at least `fill` bytes, or when the platform gives up waiting.
    std::function<void(std::uint32_t fill)> wait_for_data;
    // Spends `seconds` of simulated time processing.
    std::function<void(double seconds)> spend;
    // Simulated time now, in seconds.
    std::function<double()> now;
};

struct client_config {
    std::uint32_t buffer_size = 0;  // the BufferSize the module was created with
    frame_crc crc = frame_crc::crc16;
    double cost_per_packet = 0;  // seconds
    double cost_per_byte = 0;    // seconds
};

struct client_stats {
    std::uint64_t gets = 0, consumes = 0, shifts = 0, resets = 0;
    std::uint64_t bad_crc = 0, bad_length = 0, oversize = 0;  // candidates rejected
    std::uint64_t waits = 0;
};

class frame_client {
public:
    frame_client(DMFMODULE module, scoreboard& sb, const client_config& cfg, client_hooks hooks);

    // Parses what Ping holds until no more progress can be made. Returns the FILL needed before the
    // next pass can make progress. Sets error() on a Method failure.
    //   end_of_stream: no byte will arrive any more, so a candidate whose length runs past what Ping
    //   holds can never complete. When an intact frame waits behind it, the candidate is rejected
    //   (counted as a bad length) and parsing goes on after its sync; otherwise its bytes stay
    //   buffered (a stream cut in mid-frame leaves the frame's head in Ping).
    std::uint32_t pass(bool end_of_stream = false);

    // Reset in mid-stream: everything in Ping is thrown away (and counted as discarded).
    void reset();

    // Bytes in Ping now (Get's Size).
    std::uint32_t buffered();
    // What Ping holds now (Get); valid until the next Method.
    std::span<const std::uint8_t> contents();

    const client_stats& stats() const { return stats_; }
    const std::string& error() const { return error_; }
    client_hooks& hooks() { return hooks_; }

private:
    // Shift(n), after telling the scoreboard which bytes it throws away (ping: Get's view).
    void shift(std::span<const std::uint8_t> ping, std::uint32_t n);
    void fail(const std::string& what);

    DMFMODULE module_;
    scoreboard& sb_;
    client_config cfg_;
    client_hooks hooks_;
    std::uint32_t buffer_size_;
    client_stats stats_;
    std::string error_;
};

}  // namespace ppb::tb
