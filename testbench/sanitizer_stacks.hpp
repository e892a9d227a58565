// SystemC under AddressSanitizer: the main thread's stack, as LeakSanitizer sees it at exit.
//
// Debian's SystemC 2.3.4 tells ASan of every coroutine switch (weak references to
// __sanitizer_start_switch_fiber/__sanitizer_finish_switch_fiber in sc_cor_qt), but when the
// simulation ends the main thread is left with the bounds of the last coroutine's stack, a 256 KB
// block that SystemC then frees. LeakSanitizer's exit check scans "the main thread's stack", that
// is the freed block; when its pages are no longer mapped the scan faults and the process dies
// with "Tracer caught signal 11 ... LeakSanitizer has encountered a fatal error", after every test
// in it passed. Whether the pages are still mapped depends on the memory layout: on one machine
// no test failed, on another 127 of 769 did, a different random subset each run.
//
//   int main(int argc, char** argv) {
//       ppb::tool::main_stack_for_leak_check();  // first thing, before sc_elab_and_sim()
//       return sc_core::sc_elab_and_sim(argc, argv);
//   }
//
// registers an atexit handler (run before LeakSanitizer's own, which ASan installs at start-up)
// that, when exit happens on the main stack, tells ASan the thread is back on that stack. Every
// leak is still found: the check then scans the real stack instead of faulting on a freed one.
// Without AddressSanitizer it does nothing.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define PPB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PPB_ASAN 1
#endif
#endif

#if defined(PPB_ASAN)
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>

#include <cstddef>
#include <cstdlib>
#endif

namespace ppb::tool {

#if defined(PPB_ASAN)
namespace detail {

inline void back_on_the_main_stack() {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    void* bottom = nullptr;
    std::size_t size = 0;
    const bool known = pthread_attr_getstack(&attr, &bottom, &size) == 0;
    pthread_attr_destroy(&attr);
    const char here = 0;
    const auto* lo = static_cast<const char*>(bottom);
    if (!known || &here < lo || &here >= lo + size)
        return;  // exit from a coroutine's stack: ASan's bounds are that stack's, and right
    void* fake_stack = nullptr;
    __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
    __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
}

}  // namespace detail
#endif

inline void main_stack_for_leak_check() {
#if defined(PPB_ASAN)
    std::atexit(&detail::back_on_the_main_stack);
#endif
}

}  // namespace ppb::tool
