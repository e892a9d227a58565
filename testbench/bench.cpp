// The scenario of a co-simulation: a packet source thread and a DMF client thread around a
// platform, with the scoreboard between them.
#include "testbench/bench.hpp"
#include "testbench/platform.hpp"

#include <tlm>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <span>
#include <vector>

namespace ppb::tb {

namespace {

using namespace sc_core;
using clock_type = std::chrono::steady_clock;

sc_time seconds(double s) {
    return sc_time(s, SC_SEC);
}

// The scenario: a source thread and a client thread around a platform.
class bench final : public sc_module {
public:
    bench(const sc_module_name& n, const cosim_config& c, cosim_result& r)
        : sc_module(n),
          cfg_(c),
          result_(r),
          platform_(make_platform("platform", c)),
          plat_(*platform_),
          sb_(c.traffic, c.mode == source_kind::stream && c.drop_when_full ? c.buffer_size : 0),
          gen_(c.traffic) {
        SC_HAS_PROCESS(bench);
        SC_THREAD(client_thread);
        SC_THREAD(source_thread);
    }

    void trace(sc_trace_file* tf) {
        plat_.trace(tf);
        const std::string n = name();
        sc_trace(tf, client_state_, n + ".client.state");  // 0 waiting, 1 parsing, 2 processing, 3 done
        sc_trace(tf, delivered_, n + ".client.frames_delivered");
        sc_trace(tf, sent_, n + ".source.frames_sent");
    }

    bool finished() const { return finished_; }

private:
    bool more_frames() const {
        return cfg_.bytes ? gen_.bytes_generated() < cfg_.bytes : gen_.frames_generated() < cfg_.packets;
    }

    std::size_t queued() const { return queue_.size() - head_; }

    // Generates frames, straight into the queue, until at least `n` bytes are queued (or the frames
    // run out). The bytes offered are dropped from the front only now and then, in one move.
    void fill_queue(std::size_t n) {
        if (head_ >= (std::size_t{1} << 16) && head_ * 2 >= queue_.size()) {
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(head_));
            head_ = 0;
        }
        while (queued() < n && more_frames())
            records_.push_back(gen_.next(queue_));
    }

    // Registers every frame whose first byte lies before stream offset `end`.
    void announce(std::uint64_t end, double t) {
        while (!records_.empty() && records_.front().stream_offset < end) {
            sb_.sent(records_.front(), t);
            records_.pop_front();
            ++sent_;
        }
    }

    void source_thread() {
        wait(created_);
        if (!module_ready_)
            return;
        std::mt19937_64 rng(cfg_.traffic.seed ^ 0x5EEDu);
        const double line_rate = 1.0 / cfg_.clock_period;         // one byte per cycle
        const double rate = std::min(cfg_.link_rate, line_rate);  // 0: unpaced, as fast as the port accepts
        sc_time next = sc_time_stamp();
        sc_time burst_start = next;
        std::uint64_t burst_bytes = 0;
        for (;;) {
            if (interrupted_at_safe_point())
                break;  // the link goes quiet, wherever it is in a frame (as cut_after_bytes)
            fill_queue(cfg_.chunk);
            if (queued() == 0)
                break;
            std::size_t k = std::min<std::size_t>(cfg_.chunk, queued());
            if (cfg_.mode == source_kind::host)
                k = 1 + rng() % k;  // a DMF client fed by a UART writes what it has
            if (cfg_.cut_after_bytes) {
                if (offered_ >= cfg_.cut_after_bytes)
                    break;  // the link goes quiet, wherever it is in a frame
                k = std::min<std::size_t>(k, cfg_.cut_after_bytes - offered_);
            }
            if (next > sc_time_stamp())
                wait(next - sc_time_stamp());
            park_while_paused();
            const sc_time start = sc_time_stamp();
            // Only this thread touches the queue: the chunk stays put while the device takes it.
            const std::span<const std::uint8_t> chunk(queue_.data() + head_, k);
            announce(offered_ + k, start.to_seconds());
            sb_.bytes_offered(chunk);  // before the device can take them: the client may see them at once
            if (cfg_.mode == source_kind::stream) {
                plat_.stream_bytes(chunk.data(), k);
            } else {
                host_write(chunk);
            }
            head_ += k;
            offered_ += k;
            // Pacing: evenly at the link rate, or bursts at line rate with idle gaps between.
            if (rate <= 0) {
                next = sc_time_stamp();
            } else if (cfg_.burst) {
                burst_bytes += k;
                if (burst_bytes >= cfg_.burst) {
                    next = burst_start + seconds(static_cast<double>(burst_bytes) / rate);
                    burst_start = std::max(next, sc_time_stamp());
                    burst_bytes = 0;
                } else {
                    next = sc_time_stamp();
                }
            } else {
                next = std::max(start + seconds(static_cast<double>(k) / rate), sc_time_stamp());
            }
        }
        source_done_ = true;
        plat_.producer_wrote();
    }

    // Write is all or nothing. A producer that retried the whole chunk could wait forever: Ping
    // holding the start of a frame with less room left than the chunk, the client waiting for the
    // frame's end. So, like a UART driver, it writes the part that fits (Write's ResultSize tells
    // how full Ping is) and waits only when nothing fits.
    void host_write(std::span<const std::uint8_t> chunk) {
        std::size_t done = 0;
        while (done < chunk.size()) {
            const std::size_t want = chunk.size() - done;
            ULONG size = 0;
            NTSTATUS s = DMF_PingPongBuffer_Write(module_, const_cast<UCHAR*>(chunk.data() + done),
                                                  static_cast<ULONG>(want), &size);
            ++result_.host_writes;
            std::size_t wrote = want;
            if (s == STATUS_INSUFFICIENT_RESOURCES && !cfg_.drop_when_full && size < cfg_.buffer_size) {
                wrote = std::min<std::size_t>(want, cfg_.buffer_size - size);
                s = DMF_PingPongBuffer_Write(module_, const_cast<UCHAR*>(chunk.data() + done),
                                             static_cast<ULONG>(wrote), &size);
                ++result_.host_writes;
            }
            if (NT_SUCCESS(s)) {
                done += wrote;
                plat_.producer_wrote();
                continue;
            }
            if (s != STATUS_INSUFFICIENT_RESOURCES) {
                // A bus error in the middle of Write (fault injection): nothing was committed, so
                // the same bytes are written again; the driver resynchronises with the device first.
                if (cfg_.fail_commit && s == STATUS_DEVICE_HARDWARE_ERROR && retries_left_-- > 0) {
                    ++result_.write_retries;
                    continue;
                }
                method_error("Write failed with status " + std::to_string(static_cast<unsigned>(s)));
                return;
            }
            if (cfg_.drop_when_full) {
                host_dropped_ += want;
                sb_.source_dropped(want);  // the rest of this chunk: the last bytes offered
                return;
            }
            plat_.wait_for_space(cfg_.poll_interval);
            park_while_paused();
        }
    }

    // The Reset scenario parks the source so that the bytes Reset throws away are exactly the ones
    // the client saw: a byte arriving between its Get and the RESET would be lost uncounted.
    void park_while_paused() {
        while (paused_) {
            parked_ = true;
            wait(resume_);
        }
        parked_ = false;
    }

    void reset_exactly(frame_client& client) {
        paused_ = true;
        // Wait until the source is parked, or Ping is full (then no byte can enter either).
        while (!parked_ && !source_done_ && client.buffered() < cfg_.buffer_size)
            plat_.wait_for_space(cfg_.poll_interval / 4);
        client.reset();
        paused_ = false;
        resume_.notify(SC_ZERO_TIME);
    }

    void method_error(const std::string& what) {
        if (result_.errors.size() < 20)
            result_.errors.push_back(what);
    }

    void client_thread() {
        const auto wall0 = clock_type::now();
        if (const NTSTATUS s = plat_.create(); !NT_SUCCESS(s)) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "DMF_PingPongBuffer_Create failed with status 0x%08X",
                          static_cast<unsigned>(s));
            method_error(buf);
            created_.notify(SC_ZERO_TIME);
            finish(wall0);
            return;
        }
        module_ = plat_.module();
        module_ready_ = true;
        created_.notify(SC_ZERO_TIME);
        client_config cc;
        cc.buffer_size = cfg_.buffer_size;
        cc.crc = cfg_.traffic.crc;
        cc.cost_per_packet = cfg_.cost_per_packet;
        cc.cost_per_byte = cfg_.cost_per_byte;
        client_hooks hooks;
        hooks.now = [this] { return plat_.now(); };
        hooks.spend = [this](double s) {
            client_state_ = 2;
            plat_.spend(s);
        };
        hooks.wait_for_data = [this](std::uint32_t f) { plat_.wait_for_data(f, source_done_ ? 20e-6 : 1e-3); };
        frame_client client(module_, sb_, cc, hooks);
        bool did_reset = false;
        auto last_progress = clock_type::now();
        for (;;) {
            client_state_ = 1;
            const bool done_before = source_done_;
            const std::uint32_t need = client.pass();
            delivered_ = sb_.totals().frames_delivered;
            if (!client.error().empty()) {
                method_error(client.error());
                break;
            }
            if (cfg_.reset_after && !did_reset && delivered_ >= cfg_.reset_after) {
                reset_exactly(client);
                did_reset = true;
                continue;
            }
            if (done_before && need > client.buffered()) {
                // The source had finished before this pass: what waits for more bytes never gets
                // them. One last pass rejects truncated candidates, which may hide intact frames.
                client.pass(true);
                delivered_ = sb_.totals().frames_delivered;
                if (!client.error().empty())
                    method_error(client.error());
                break;
            }
            if (cfg_.progress && clock_type::now() - last_progress > std::chrono::milliseconds(200)) {
                last_progress = clock_type::now();
                progress();
            }
            client_state_ = 0;
            plat_.wait_for_data(need, source_done_ ? 20e-6 : 1e-3);
        }
        client_state_ = 3;
        result_.client = client.stats();
        const std::uint64_t dropped = cfg_.mode == source_kind::host ? host_dropped_ : plat_.dropped();
        sb_.finish(dropped, client.contents(),
                   cfg_.drop_when_full || cfg_.reset_after || cfg_.cut_after_bytes || result_.interrupted);
        plat_.collect(result_);
        finish(wall0);
    }

    // ---- interruption (cosim_config::interrupt) ---------------------------------------------------
    // Looked at by the source between chunks only: once it stops, the client takes what was sent
    // (a cut frame is rejected as truncated) and the run ends the usual way, its losses allowed.
    bool interrupted_at_safe_point() {
        if (cfg_.interrupt && !result_.interrupted)
            result_.interrupted = cfg_.interrupt->load(std::memory_order_relaxed);
        return result_.interrupted != 0;
    }
    // ------------------------------------------------------------------------------------------------

    void progress() {
        const double total = cfg_.bytes ? static_cast<double>(cfg_.bytes) : static_cast<double>(cfg_.packets);
        const double done = cfg_.bytes ? static_cast<double>(offered_) : static_cast<double>(sent_);
        const double f = std::clamp(done / total, 0.0, 1.0);
        const int width = 40;
        const int filled = static_cast<int>(f * width);
        std::fprintf(stderr, "\r[%.*s%*s] %3.0f%%  %llu frames delivered  sim %.3f ms", filled,
                     "########################################", width - filled, "", f * 100,
                     static_cast<unsigned long long>(delivered_), sc_time_stamp().to_seconds() * 1e3);
        std::fflush(stderr);
    }

    void finish(clock_type::time_point wall0) {
        if (cfg_.progress)
            std::fprintf(stderr, "\r%*s\r", 100, "");
        result_.totals = sb_.totals();
        result_.latency = sb_.latency();
        for (const auto& e : sb_.errors())
            result_.errors.push_back(e);
        result_.notes = sb_.notes();
        result_.sim_seconds = std::max(sc_time_stamp().to_seconds(), plat_.now());
        result_.wall_seconds = std::chrono::duration<double>(clock_type::now() - wall0).count();
        finished_ = true;
        sc_stop();
    }

    cosim_config cfg_;
    cosim_result& result_;
    std::unique_ptr<platform> platform_;
    platform& plat_;
    scoreboard sb_;
    traffic_generator gen_;
    std::vector<std::uint8_t> queue_;  // generated; [head_, end) not yet offered
    std::size_t head_ = 0;
    std::deque<frame_record> records_;
    std::uint64_t offered_ = 0;
    std::uint64_t host_dropped_ = 0;
    int retries_left_ = 3;
    DMFMODULE module_ = nullptr;
    bool module_ready_ = false;
    bool source_done_ = false;
    bool finished_ = false;
    sc_event created_;
    sc_event resume_;
    bool paused_ = false;
    bool parked_ = false;
    int client_state_ = 0;
    std::uint64_t delivered_ = 0;
    std::uint64_t sent_ = 0;
};

}  // namespace

cosim_result run_bench(const cosim_config& c) {
    cosim_result r;
    tlm::tlm_global_quantum::instance().set(seconds(c.quantum));
    bench b("tb", c, r);
    sc_trace_file* tf = nullptr;
    if (!c.trace.empty()) {
        std::string base = c.trace;
        if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
            base.resize(base.size() - 4);
        tf = sc_create_vcd_trace_file(base.c_str());
        b.trace(tf);
    }
    sc_start();
    if (tf)
        sc_close_vcd_trace_file(tf);
    if (!b.finished())
        r.errors.push_back("the simulation ended before the client finished (deadlock?) at " +
                           sc_time_stamp().to_string());
    return r;
}

}  // namespace ppb::tb
