// The platform of the native backend: DMF's semantics in host memory, the reference and the speed
// limit. The stream port is emulated in front of it.
#include "testbench/platform.hpp"

#include "driver/dmf_device.hpp"
#include "driver/native_ping_pong.hpp"
#include "driver/timeout_waiter.hpp"

#include <tlm_utils/tlm_quantumkeeper.h>

#include <algorithm>
#include <memory>

namespace ppb::tb {

namespace {

using namespace sc_core;

sc_time seconds(double s) {
    return sc_time(s, SC_SEC);
}

// DMF's semantics in host memory: the stream port is emulated in front of it (appending what fits,
// waiting or dropping the rest), with no cycle timing of its own.
class native_platform final : public platform {
public:
    native_platform(const sc_module_name& n, const cosim_config& c) : platform(n), cfg_(c) {
        device_.reset(ppb::driver::make_native_device());
    }
    ~native_platform() override {
        if (module_)
            WdfObjectDelete(module_);
    }

    NTSTATUS create() override {
        const NTSTATUS s = create_module(device_.get(), cfg_.buffer_size, module_);
        impl_ = ppb::driver::implementation_of(module_);
        return s;
    }

    DMFMODULE module() override { return module_; }

    // Offers the bytes in one Write when they fit (the common case: one Method call per chunk);
    // otherwise Write's ResultSize says how full Ping is, and what fits goes in, the rest waits or
    // is dropped, as the device's stream port would.
    void stream_bytes(const std::uint8_t* data, std::size_t n) override {
        while (n) {
            std::uint32_t size = 0;
            const ppb::driver::status s = impl_->write({data, n}, size);
            if (s == ppb::driver::status::ok) {
                peak_fill_ = std::max(peak_fill_, size);
                wrote();
                return;
            }
            if (s != ppb::driver::status::insufficient_resources)
                SC_REPORT_ERROR("ppb-cosim", "native Write failed");
            const std::size_t k = std::min<std::size_t>(n, cfg_.buffer_size - size);
            if (k) {
                if (impl_->write({data, k}, size) != ppb::driver::status::ok)
                    SC_REPORT_ERROR("ppb-cosim", "native Write refused bytes that fit");
                peak_fill_ = std::max(peak_fill_, size);
                data += k;
                n -= k;
                wrote();
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
        if (cfg_.wait == wait_kind::poll) {
            wait(seconds(cfg_.poll_interval));
        } else {
            client_waits_ = true;
            written_wait_.wait(seconds(timeout), written_);
            client_waits_ = false;
        }
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
    void wrote() {
        if (client_waits_)
            written_.notify(SC_ZERO_TIME);
    }

private:
    cosim_config cfg_;
    ppb::driver::unique_device device_;
    DMFMODULE module_ = nullptr;
    ppb::driver::ping_pong* impl_ = nullptr;
    std::uint64_t dropped_ = 0;
    std::uint32_t peak_fill_ = 0;
    sc_event written_;
    ppb::driver::timeout_waiter written_wait_{"written_wait"};  // the client's timeout, not requeued per wait
    bool client_waits_ = false;                                 // written_ is notified only when someone waits for it
    tlm_utils::tlm_quantumkeeper keeper_;                       // the client thread's local time
};

}  // namespace

std::unique_ptr<platform> make_native_platform(const sc_module_name& name, const cosim_config& c) {
    return std::make_unique<native_platform>(name, c);
}

}  // namespace ppb::tb
