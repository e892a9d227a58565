// wait(timeout, event) without the queue growing: SystemC keeps a cancelled timed notification in
// its queue until its time comes, so a thread that waits every few hundred nanoseconds with a 1 ms
// timeout keeps thousands of them queued, and every timed notification of the whole simulation then
// pays a heap operation over all of them. One timer per waiting thread, re-armed only once it has
// fired, ends every wait at the same simulated time with at most one entry queued.
#pragma once

#include <systemc>

#include <map>
#include <memory>

namespace ppb::driver {

class timeout_waiter {
public:
    explicit timeout_waiter(const char* name) : timer_(name) {}

    // As sc_core::wait(timeout, e): returns when `e` is notified or `timeout` has passed, whichever
    // comes first. Returns whether `e` ended the wait. Several threads may wait at once: a timer
    // that fires before a thread's deadline only makes it wait on.
    bool wait(const sc_core::sc_time& timeout, const sc_core::sc_event& e) {
        const sc_core::sc_time deadline = sc_core::sc_time_stamp() + timeout;
        for (;;) {
            const sc_core::sc_time now = sc_core::sc_time_stamp();
            if (now >= deadline)
                return false;
            // The timer is queued until its time has come (a timed notification fires at the start
            // of its time step, before any thread runs in it).
            const bool queued = armed_ && armed_until_ > now;
            if (!queued || armed_until_ > deadline) {
                timer_.cancel();
                timer_.notify(deadline - now);
                armed_ = true;
                armed_until_ = deadline;
            }
            sc_core::wait(either(e));
            if (e.triggered())
                return true;
            // The timer of an earlier wait, whose deadline was before ours: wait on.
        }
    }

private:
    // `timer_ | e` built once per event: a list made per wait costs an allocation and its release.
    const sc_core::sc_event_or_list& either(const sc_core::sc_event& e) {
        auto& list = lists_[&e];
        if (!list) {
            list = std::make_unique<sc_core::sc_event_or_list>();
            *list |= timer_;
            *list |= e;
        }
        return *list;
    }

    sc_core::sc_event timer_;
    std::map<const sc_core::sc_event*, std::unique_ptr<sc_core::sc_event_or_list>> lists_;
    bool armed_ = false;
    sc_core::sc_time armed_until_;
};

}  // namespace ppb::driver
