// The co-simulation: a packet source streams framed packets into the peripheral (stream mode) or
// writes them through DMF's Write in random chunks (host mode), while a client parses them out
// through DMF's Methods; the scoreboard accounts for every byte.
//
// Backends: `tlm` (the driver over the TLM model), `rtl` (the driver over the Verilated RTL, when
// built), `native` (DMF's semantics in host memory: the reference and the speed limit).
#pragma once

#include "testbench/frame_client.hpp"
#include "testbench/scoreboard.hpp"
#include "testbench/traffic.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace ppb::tb {

enum class backend_kind : std::uint8_t { tlm, rtl, native };
enum class source_kind : std::uint8_t { stream, host };
enum class wait_kind : std::uint8_t { irq, poll };

struct cosim_config {
    backend_kind backend = backend_kind::tlm;
    source_kind mode = source_kind::stream;
    std::uint32_t capacity = 4096;  // bytes per bank
    std::uint32_t buffer_size = 0;  // DMF's BufferSize (LIMIT); 0 = capacity
    std::uint64_t packets = 10000;  // frames to send (ignored when bytes != 0)
    std::uint64_t bytes = 0;        // stop after the frame that reaches this many stream bytes
    traffic_config traffic;
    double link_rate = 50e6;          // bytes per second offered by the link; 0: as fast as the port accepts
    std::uint32_t burst = 0;          // bytes sent back to back at line rate, then idle; 0 = even pacing
    std::uint32_t chunk = 16;         // stream bytes per transaction; host mode: largest Write
    double cost_per_packet = 200e-9;  // client's processing time per frame (seconds)
    double cost_per_byte = 1e-9;      // ... and per frame byte
    bool drop_when_full = false;      // stream: DROP_WHEN_FULL; host: a refused Write drops its chunk
    wait_kind wait = wait_kind::irq;
    double poll_interval = 1e-6;    // seconds between polls
    double clock_period = 10e-9;    // seconds
    double quantum = 1e-6;          // TLM global quantum (seconds)
    bool dmi = true;                // let the model grant DMI
    std::uint64_t reset_after = 0;  // the client calls Reset once after this many frames (0: never)
    std::string trace;              // VCD file for the device's state and the client's activity
    // rtl backend: an FST file of every RTL signal from the start, with the signals of `trace`
    // merged in (one file for GTKWave: testbench/ppb-cosim-rtl.gtkw).
    std::string trace_rtl;
    bool progress = false;  // a progress bar on stderr
    bool check = true;      // base-protocol checkers in line on both sockets (tlm, rtl)
    // Set to a signal's number (by a tool's SIGINT/SIGTERM handler; only a store, async-signal-safe)
    // to end the run early: the source stops at its next chunk, the client takes what was sent, and
    // the result says `interrupted`. nullptr: never.
    const std::atomic<int>* interrupt = nullptr;
    // Faults (tests of what the device and the driver do when things go wrong):
    std::uint64_t cut_after_bytes = 0;  // the link stops after this many bytes, even in mid-frame (0: never)
    std::uint64_t fail_commit = 0;      // the bus answers the Nth COMMIT with an error (host mode; 0: never)
};

// Checks a configuration; returns what is wrong, or an empty string. The message names the
// settings as ppb-cosim's options do (--buffer-size, --capacity, ...) and what they accept.
std::string validate(const cosim_config& c);

struct cosim_result {
    accounting totals;
    latency_summary latency;
    client_stats client;
    std::vector<std::string> errors;  // scoreboard and Method failures; empty when the run passed
    std::vector<std::string> notes;   // what the scoreboard explained (each framing false accept)
    double sim_seconds = 0;
    double wall_seconds = 0;
    std::uint32_t peak_fill = 0;
    std::uint64_t swaps = 0;
    double busy_seconds = 0;
    std::uint64_t reg_reads = 0, reg_writes = 0, bursts = 0;
    std::uint64_t checked = 0;                      // transactions the protocol checkers saw (both sockets)
    std::uint64_t injected_errors = 0;              // error responses the fault injector gave
    std::uint64_t write_retries = 0;                // Writes the producer repeated after a failure
    std::uint64_t irq_waits = 0, irq_timeouts = 0;  // the driver's interrupt waits, and those that timed out
    std::uint64_t host_writes = 0;                  // host mode: DMF Write calls (refused ones too)
    int interrupted = 0;  // the signal that ended the run early (cosim_config::interrupt), or 0
    // No error, and the run went to its end.
    bool ok() const { return errors.empty() && interrupted == 0; }
};

// The file SystemC writes for `trace` (cosim_config::trace): `trace`, with ".vcd" added unless it
// ends in it.
std::string vcd_file(const std::string& trace);

// Runs one co-simulation. SystemC allows one per process.
cosim_result run_cosim(const cosim_config& c);

const char* to_string(backend_kind b);
const char* to_string(source_kind s);
const char* to_string(wait_kind w);

}  // namespace ppb::tb
