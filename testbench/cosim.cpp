#include "testbench/cosim.hpp"

#include "check/tlm_lt_checker.hpp"
#include "driver/dmf_device.hpp"
#include "driver/native_ping_pong.hpp"
#include "driver/tlm_bus.hpp"
#include "model/ppb_model.hpp"
#ifdef PPB_HAVE_RTL
#include "rtl/sim/ppb_rtl.hpp"
#endif

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>

namespace ppb::tb {

namespace {

using namespace sc_core;
using clock_type = std::chrono::steady_clock;

sc_time seconds(double s) {
    return sc_time(s, SC_SEC);
}

// What a DMF client does to get its module: a config with BufferSize, then Create on the device.
NTSTATUS create_module(WDFDEVICE device, std::uint32_t buffer_size, DMFMODULE& module) {
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
    config.BufferSize = buffer_size;
    return DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module);
}

// A bus wrapper that answers the Nth COMMIT (a write of the COMMIT opcode to CMD) with an error
// response instead of passing it on: a bus error in the middle of DMF's Write, after its bytes went
// into Ping and before FILL counted them. Everything else passes unchanged.
class fault_injector : public sc_module {
public:
    tlm_utils::simple_target_socket<fault_injector, 32> target{"target"};
    tlm_utils::simple_initiator_socket<fault_injector, 32> initiator{"initiator"};

    fault_injector(const sc_module_name& n, std::uint64_t fail_commit, const sc_time& clock)
        : sc_module(n), fail_commit_(fail_commit), transfer_(clock * static_cast<double>(regs::bus_cycles_per_word)) {
        target.register_b_transport(this, &fault_injector::b_transport);
        target.register_get_direct_mem_ptr(this, &fault_injector::get_direct_mem_ptr);
        target.register_transport_dbg(this, &fault_injector::transport_dbg);
        initiator.register_invalidate_direct_mem_ptr(this, &fault_injector::invalidate);
    }
    std::uint64_t injected() const { return injected_; }

private:
    void b_transport(tlm::tlm_generic_payload& tx, sc_time& delay) {
        if (fail_commit_ && tx.is_write() && tx.get_address() == regs::cmd::offset && tx.get_data_length() == 4) {
            std::uint32_t v = 0;
            std::memcpy(&v, tx.get_data_ptr(), 4);
            if (v == static_cast<std::uint32_t>(regs::opcode::commit) && ++commits_ == fail_commit_) {
                ++injected_;
                delay += transfer_;  // the refused transfer still took the bus
                tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
                return;
            }
        }
        initiator->b_transport(tx, delay);
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) { return initiator->get_direct_mem_ptr(tx, dmi); }
    unsigned transport_dbg(tlm::tlm_generic_payload& tx) { return initiator->transport_dbg(tx); }
    void invalidate(sc_dt::uint64 s, sc_dt::uint64 e) { target->invalidate_direct_mem_ptr(s, e); }

    std::uint64_t fail_commit_;
    sc_time transfer_;
    std::uint64_t commits_ = 0;
    std::uint64_t injected_ = 0;
};

// The platform under the client: how bytes get into the buffer, how time passes, how data is
// awaited. One implementation per backend family.
class platform {
public:
    virtual ~platform() = default;
    virtual DMFMODULE module() = 0;
    // Stream mode: offers bytes to the device's stream port; returns when all are accepted or dropped.
    virtual void stream_bytes(const std::uint8_t* data, std::size_t n) = 0;
    // The client's clock and waits.
    virtual double now() = 0;
    virtual void spend(double s) = 0;
    virtual void wait_for_data(std::uint32_t fill, double timeout) = 0;
    virtual void producer_wrote() = 0;  // host mode: wakes a waiting client
    virtual void wait_for_space(double timeout) = 0;
    // End-of-run figures.
    virtual std::uint64_t dropped() = 0;
    virtual void collect(cosim_result& r) = 0;
    virtual void trace(sc_trace_file* tf) = 0;
};

// The driver over a device with the model's interface (the TLM model or the RTL wrapper).
template <class device_type>
class device_platform final : public sc_module, public platform {
public:
    device_platform(const sc_module_name& n, const cosim_config& c)
        : sc_module(n), cfg_(c), dut_("ppb", c.capacity, seconds(c.clock_period)),
          cpu_("cpu", seconds(c.clock_period)), src_("src"), faults_("faults", c.fail_commit, seconds(c.clock_period)) {
        // cpu -> [bus checker] -> fault injector -> bus; src -> [stream checker] -> stream. The
        // checkers only count here: a violation becomes one of the run's errors (collect()).
        faults_.initiator.bind(dut_.bus);
        if (c.check) {
            bus_check_ = std::make_unique<ppb::check::tlm_lt_checker>("bus_check");
            stream_check_ = std::make_unique<ppb::check::tlm_lt_checker>("stream_check");
            bus_check_->set_reporting(false);
            stream_check_->set_reporting(false);
            cpu_.initiator.bind(bus_check_->target);
            bus_check_->initiator.bind(faults_.target);
            src_.bind(stream_check_->target);
            stream_check_->initiator.bind(dut_.stream);
        } else {
            cpu_.initiator.bind(faults_.target);
            src_.bind(dut_.stream);
        }
        dut_.irq.bind(irq_);
        cpu_.irq.bind(irq_);
        dut_.set_dmi_allowed(c.dmi);
        ppb::driver::device_options o;
        o.mode = c.mode == source_kind::stream ? ppb::driver::source_mode::stream : ppb::driver::source_mode::host;
        o.drop_when_full = c.drop_when_full;
        device_.reset(ppb::driver::make_device(cpu_, o));
    }
    ~device_platform() override {
        if (module_)
            WdfObjectDelete(module_);
    }

    // Called from the client's SC_THREAD: DMF's Create talks to the device.
    NTSTATUS create() { return create_module(device_.get(), cfg_.buffer_size, module_); }

    DMFMODULE module() override { return module_; }

    void stream_bytes(const std::uint8_t* data, std::size_t n) override {
        tlm::tlm_generic_payload& tx = src_tx_;  // one source thread: reused, not built per chunk
        sc_time d = SC_ZERO_TIME;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_data_ptr(const_cast<unsigned char*>(data));
        tx.set_data_length(static_cast<unsigned>(n));
        tx.set_streaming_width(static_cast<unsigned>(n));
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        // Unpaced (link rate 0) the source is decoupled like the CPU: it runs ahead of SystemC's time
        // by up to a global quantum instead of switching context at every chunk.
        const bool decoupled = cfg_.link_rate <= 0;
        if (decoupled)
            d = src_local_;
        src_->b_transport(tx, d);
        if (tx.is_response_error())
            SC_REPORT_ERROR("ppb-cosim", ("stream port: " + tx.get_response_string()).c_str());
        if (decoupled && d < tlm::tlm_global_quantum::instance().get()) {
            src_local_ = d;
            return;
        }
        src_local_ = SC_ZERO_TIME;
        wait(d);
    }

    double now() override { return cpu_.current_time().to_seconds(); }
    void spend(double s) override { cpu_.advance(seconds(s)); }

    void wait_for_data(std::uint32_t fill, double timeout) override {
        if (cfg_.mode == source_kind::host || cfg_.wait == wait_kind::poll) {
            cpu_.advance(seconds(cfg_.wait == wait_kind::poll ? cfg_.poll_interval : 0));
            cpu_.sync();
            if (cfg_.mode == source_kind::host && cfg_.wait == wait_kind::irq)
                wait(seconds(timeout), written_);  // the producer's Write is this mode's interrupt
            return;
        }
        std::uint32_t now_fill = 0;
        auto* drv = ppb::driver::driver_of(module_);
        const auto t = std::chrono::nanoseconds(static_cast<std::int64_t>(timeout * 1e9));
        // A timeout only means: look again (the caller passes again and asks anew).
        (void)drv->wait_for_data(std::min(fill, cfg_.buffer_size), t, now_fill);
    }

    void producer_wrote() override { written_.notify(SC_ZERO_TIME); }
    void wait_for_space(double timeout) override {
        cpu_.sync();
        wait(seconds(timeout));
    }

    std::uint64_t dropped() override {
        std::uint32_t v = 0;
        if (cpu_.read32(regs::dropped::offset, v) != ppb::driver::bus_status::ok)
            SC_REPORT_ERROR("ppb-cosim", "DROPPED could not be read");
        return v;
    }

    void collect(cosim_result& r) override {
        std::uint32_t swaps = 0;
        if (cpu_.read32(regs::swaps::offset, swaps) != ppb::driver::bus_status::ok)
            SC_REPORT_ERROR("ppb-cosim", "SWAPS could not be read");
        r.swaps = swaps;
        const auto& k = cpu_.counters();
        r.reg_reads = k.reg_reads;
        r.reg_writes = k.reg_writes;
        r.bursts = k.burst_reads + k.burst_writes;
        r.irq_waits = k.irq_waits;
        r.irq_timeouts = k.irq_timeouts;
        const auto s = dut_.stats();
        r.peak_fill = s.peak_fill;
        r.busy_seconds = static_cast<double>(s.busy_cycles) * cfg_.clock_period;
        r.injected_errors = faults_.injected();
        for (const auto* chk : {bus_check_.get(), stream_check_.get()}) {
            if (!chk)
                continue;
            r.checked += chk->transactions();
            if (chk->violations())
                r.errors.push_back(std::string(chk->name()) + ": " + std::to_string(chk->violations()) +
                                   " protocol violation(s), the last: " + chk->last_violation());
        }
    }

    void trace(sc_trace_file* tf) override { dut_.trace(tf); }

    ppb::driver::tlm_bus& cpu() { return cpu_; }

private:
    cosim_config cfg_;
    device_type dut_;
    ppb::driver::tlm_bus cpu_;
    tlm_utils::simple_initiator_socket<device_platform, 32> src_;
    fault_injector faults_;
    std::unique_ptr<ppb::check::tlm_lt_checker> bus_check_, stream_check_;
    sc_signal<bool> irq_{"irq"};
    sc_time src_local_ = SC_ZERO_TIME;  // unpaced: the source's time ahead of SystemC's
    tlm::tlm_generic_payload src_tx_;
    ppb::driver::unique_device device_;
    DMFMODULE module_ = nullptr;
    sc_event written_;
};

// DMF's semantics in host memory: the stream port is emulated in front of it (appending what fits,
// waiting or dropping the rest), with no cycle timing of its own.
class native_platform final : public sc_module, public platform {
public:
    native_platform(const sc_module_name& n, const cosim_config& c) : sc_module(n), cfg_(c) {
        device_.reset(ppb::driver::make_native_device());
    }
    ~native_platform() override {
        if (module_)
            WdfObjectDelete(module_);
    }

    NTSTATUS create() {
        const NTSTATUS s = create_module(device_.get(), cfg_.buffer_size, module_);
        impl_ = ppb::driver::implementation_of(module_);
        return s;
    }

    DMFMODULE module() override { return module_; }

    void stream_bytes(const std::uint8_t* data, std::size_t n) override {
        while (n) {
            std::span<const std::uint8_t> ping;
            (void)impl_->get(ping);
            const std::size_t room = cfg_.buffer_size - ping.size();
            const std::size_t k = std::min(n, room);
            if (k) {
                std::uint32_t size = 0;
                if (impl_->write({data, k}, size) != ppb::driver::status::ok)
                    SC_REPORT_ERROR("ppb-cosim", "native Write refused bytes that fit");
                peak_fill_ = std::max(peak_fill_, size);
                data += k;
                n -= k;
                written_.notify(SC_ZERO_TIME);
            } else if (cfg_.drop_when_full) {
                dropped_ += n;
                n = 0;
            } else {
                wait(seconds(cfg_.poll_interval));  // back-pressure: wait for the client
            }
        }
    }

    // The client is decoupled as it is over the driver (a quantum keeper, not a wait per frame),
    // so that native measures DMF's semantics, not the cost of SystemC context switches.
    double now() override { return keeper_.get_current_time().to_seconds(); }
    void spend(double s) override {
        keeper_.inc(seconds(s));
        if (keeper_.need_sync())
            keeper_.sync();
    }
    void wait_for_data(std::uint32_t, double timeout) override {
        keeper_.sync();
        if (cfg_.wait == wait_kind::poll)
            wait(seconds(cfg_.poll_interval));
        else
            wait(seconds(timeout), written_);
        keeper_.reset();
    }
    void producer_wrote() override { written_.notify(SC_ZERO_TIME); }
    void wait_for_space(double timeout) override { wait(seconds(timeout)); }
    std::uint64_t dropped() override { return dropped_; }
    void collect(cosim_result& r) override {
        r.peak_fill = peak_fill_;
        r.swaps = r.client.consumes + r.client.shifts;
    }
    void trace(sc_trace_file*) override {}

private:
    cosim_config cfg_;
    ppb::driver::unique_device device_;
    DMFMODULE module_ = nullptr;
    ppb::driver::ping_pong* impl_ = nullptr;
    std::uint64_t dropped_ = 0;
    std::uint32_t peak_fill_ = 0;
    sc_event written_;
    tlm_utils::tlm_quantumkeeper keeper_;  // the client thread's local time
};

// The scenario: a source thread and a client thread around a platform.
template <class platform_type>
class bench final : public sc_module {
public:
    bench(const sc_module_name& n, const cosim_config& c, cosim_result& r)
        : sc_module(n), cfg_(c), result_(r), plat_("platform", c), sb_(c.traffic, c.mode == source_kind::stream && c.drop_when_full ? c.buffer_size : 0), gen_(c.traffic) {
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

    // Generates frames until at least `n` bytes are queued (or the frames run out).
    void fill_queue(std::size_t n) {
        while (queue_.size() < n && more_frames()) {
            std::vector<std::uint8_t> bytes;
            const frame_record rec = gen_.next(bytes);
            records_.push_back(rec);
            queue_.insert(queue_.end(), bytes.begin(), bytes.end());
        }
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
        const double line_rate = 1.0 / cfg_.clock_period;  // one byte per cycle
        const double rate = std::min(cfg_.link_rate, line_rate);  // 0: unpaced, as fast as the port accepts
        sc_time next = sc_time_stamp();
        sc_time burst_start = next;
        std::uint64_t burst_bytes = 0;
        std::vector<std::uint8_t> chunk;
        for (;;) {
            fill_queue(cfg_.chunk);
            if (queue_.empty())
                break;
            std::size_t k = std::min<std::size_t>(cfg_.chunk, queue_.size());
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
            chunk.assign(queue_.begin(), queue_.begin() + static_cast<long>(k));
            announce(offered_ + k, start.to_seconds());
            sb_.bytes_offered(chunk);  // before the device can take them: the client may see them at once
            if (cfg_.mode == source_kind::stream) {
                plat_.stream_bytes(chunk.data(), k);
            } else {
                host_write(chunk);
            }
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(k));
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
    void host_write(const std::vector<std::uint8_t>& chunk) {
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
            std::snprintf(buf, sizeof buf, "DMF_PingPongBuffer_Create failed with status 0x%08X", static_cast<unsigned>(s));
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
        sb_.finish(dropped, client.contents(), cfg_.drop_when_full || cfg_.reset_after || cfg_.cut_after_bytes);
        plat_.collect(result_);
        finish(wall0);
    }

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
    platform_type plat_;
    scoreboard sb_;
    traffic_generator gen_;
    std::deque<std::uint8_t> queue_;
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

template <class platform_type>
cosim_result run_with(const cosim_config& c) {
    cosim_result r;
    tlm::tlm_global_quantum::instance().set(seconds(c.quantum));
    bench<platform_type> b("tb", c, r);
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

}  // namespace

const char* to_string(backend_kind b) {
    switch (b) {
    case backend_kind::tlm:
        return "tlm";
    case backend_kind::rtl:
        return "rtl";
    case backend_kind::native:
        return "native";
    }
    return "?";
}
const char* to_string(source_kind s) {
    return s == source_kind::stream ? "stream" : "host";
}
const char* to_string(wait_kind w) {
    return w == wait_kind::irq ? "irq" : "poll";
}

std::string validate(const cosim_config& c) {
    if (auto why = ppb::model::check_capacity(c.capacity))
        return *why;
    const std::uint32_t bs = c.buffer_size ? c.buffer_size : c.capacity;
    if (bs > c.capacity)
        return "buffer size " + std::to_string(bs) + " exceeds the capacity " + std::to_string(c.capacity);
    if (auto t = validate(c.traffic); !t.empty())
        return t;
    const std::size_t biggest = overhead_bytes(c.traffic.crc) + c.traffic.payload_max;
    if (bs < biggest)
        return "buffer size " + std::to_string(bs) + " cannot hold the largest frame (" + std::to_string(biggest) +
               " bytes for a " + std::to_string(c.traffic.payload_max) + "-byte payload)";
    if (!(c.link_rate >= 0))
        return "link rate must not be negative (0: as fast as the port accepts)";
    if (c.chunk == 0)
        return "chunk must be at least 1 byte";
    if (c.packets == 0 && c.bytes == 0)
        return "nothing to send: give packets or bytes";
    if (!(c.clock_period > 0))
        return "clock period must be positive";
    if (c.fail_commit && (c.mode != source_kind::host || c.backend == backend_kind::native))
        return "a bus error in COMMIT (fail_commit) needs host mode on the tlm or rtl backend";
    if (!(c.quantum >= 0) || !(c.poll_interval > 0) || !(c.cost_per_packet >= 0) || !(c.cost_per_byte >= 0))
        return "quantum, poll interval and costs must not be negative (poll interval positive)";
#ifndef PPB_HAVE_RTL
    if (c.backend == backend_kind::rtl)
        return "the rtl backend was not built (Verilator was not found at configure time)";
#endif
    return {};
}

cosim_result run_cosim(const cosim_config& in) {
    cosim_config c = in;
    if (!c.buffer_size)
        c.buffer_size = c.capacity;
    switch (c.backend) {
    case backend_kind::tlm:
        return run_with<device_platform<ppb::model::ppb_model>>(c);
    case backend_kind::rtl:
#ifdef PPB_HAVE_RTL
        return run_with<device_platform<ppb::rtl::ppb_rtl>>(c);
#else
        break;
#endif
    case backend_kind::native:
        return run_with<native_platform>(c);
    }
    cosim_result r;
    r.errors.push_back(validate(c));
    return r;
}

}  // namespace ppb::tb
