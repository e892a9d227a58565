// The platform of the tlm and rtl backends: the driver over a PPB device through the DMF API, the
// device's engine picked at run time (device/make_device.hpp). The CPU reaches it through the
// TLM protocol checker and the fault injector, the packet source through a checker of its own.
#include "testbench/fault_injector.hpp"
#include "testbench/platform.hpp"

#include "check/tlm_lt_checker.hpp"
#include "device/make_device.hpp"
#include "driver/dmf_device.hpp"
#include "driver/timeout_waiter.hpp"
#include "driver/tlm_bus.hpp"

#include <tlm_utils/simple_initiator_socket.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace ppb::tb {

namespace {

using namespace sc_core;

sc_time seconds(double s) {
    return sc_time(s, SC_SEC);
}

// The driver over a PPB device, the engine picked by the backend.
class device_platform final : public platform {
public:
    device_platform(const sc_module_name& n, const cosim_config& c)
        : platform(n),
          cfg_(c),
          dut_(make_device(c.backend == backend_kind::rtl ? engine_kind::rtl : engine_kind::tlm, "ppb", c.capacity,
                           seconds(c.clock_period))),
          cpu_("cpu", seconds(c.clock_period)),
          src_("src"),
          faults_("faults", c.fail_commit, seconds(c.clock_period)) {
        if (!c.trace_rtl.empty())
            dut_->trace_engine(c.trace_rtl);  // every engine signal from the start (rtl: FST)
        // cpu -> [bus checker] -> fault injector -> bus; src -> [stream checker] -> stream. The
        // checkers only count here: a violation becomes one of the run's errors (collect()).
        faults_.initiator.bind(dut_->bus);
        if (c.check) {
            bus_check_ = std::make_unique<ppb::check::tlm_lt_checker>("bus_check");
            stream_check_ = std::make_unique<ppb::check::tlm_lt_checker>("stream_check");
            bus_check_->set_reporting(false);
            stream_check_->set_reporting(false);
            cpu_.initiator.bind(bus_check_->target);
            bus_check_->initiator.bind(faults_.target);
            src_.bind(stream_check_->target);
            stream_check_->initiator.bind(dut_->stream);
        } else {
            cpu_.initiator.bind(faults_.target);
            src_.bind(dut_->stream);
        }
        dut_->irq.bind(irq_);
        cpu_.irq.bind(irq_);
        dut_->set_dmi_allowed(c.dmi);
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
    NTSTATUS create() override { return create_module(device_.get(), cfg_.buffer_size, module_); }

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
                written_wait_.wait(seconds(timeout), written_);  // the producer's Write is this mode's interrupt
            return;
        }
        // A timeout only means: look again (the caller passes again and asks anew).
        ULONG size = 0;
        const auto us = static_cast<ULONG>(std::max(1.0, std::ceil(timeout * 1e6)));
        const NTSTATUS waited = PpbModuleWaitForData(module_, std::min(fill, cfg_.buffer_size), us, &size);
        static_cast<void>(waited);  // data or STATUS_TIMEOUT: either way the caller looks at FILL
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
        const auto s = dut_->stats();
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

    void trace(sc_trace_file* tf) override { dut_->trace(tf); }

private:
    cosim_config cfg_;
    std::unique_ptr<ppb_device> dut_;
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
    ppb::driver::timeout_waiter written_wait_{"written_wait"};  // the client's timeout, not requeued per wait
};

}  // namespace

std::unique_ptr<platform> make_device_platform(const sc_module_name& name, const cosim_config& c) {
    return std::make_unique<device_platform>(name, c);
}

}  // namespace ppb::tb
