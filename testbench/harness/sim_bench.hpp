// A bench for one simulation test: its body runs in one SC_THREAD and ends the simulation.
//
//   TEST(model, something) {
//       my_bench tb("tb");                  // derives from ppb::test::sim_bench
//       tb.run([&] { ...body, may wait()... });
//   }
//
// One elaboration per process (SystemC's rule); the harness runs every test in its own process.
#pragma once

#include <gtest/gtest.h>
#include <systemc>

#include <functional>
#include <string>

namespace ppb::test {

class sim_bench : public sc_core::sc_module {
public:
    explicit sim_bench(const sc_core::sc_module_name& name) : sc_core::sc_module(name) {
        SC_HAS_PROCESS(sim_bench);
        SC_THREAD(body_thread);
    }

    ~sim_bench() override {
        if (ran_ && !finished_) {
            ADD_FAILURE() << name() << ": the body did not finish (simulation stopped at " << sc_core::sc_time_stamp()
                          << " with the body still waiting)";
        }
    }

    // Runs the body to its end, then stops the simulation. `limit` bounds simulated time so that a
    // body waiting for an event that never comes fails instead of hanging.
    void run(std::function<void()> body, const sc_core::sc_time& limit = sc_core::sc_time(1, sc_core::SC_SEC)) {
        body_ = std::move(body);
        ran_ = true;
        sc_core::sc_start(limit);
        if (!finished_)
            ADD_FAILURE() << name() << ": simulated-time limit " << limit << " reached before the body ended";
        if (sc_core::sc_get_status() != sc_core::SC_STOPPED && sc_core::sc_get_status() != sc_core::SC_PAUSED)
            ADD_FAILURE() << name() << ": simulation in unexpected state after run()";
    }

    bool finished() const { return finished_; }

private:
    void body_thread() {
        if (body_)
            body_();
        finished_ = true;
        sc_core::sc_stop();
    }

    std::function<void()> body_;
    bool ran_ = false;
    bool finished_ = false;
};

}  // namespace ppb::test
