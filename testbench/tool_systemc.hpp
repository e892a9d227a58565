// SystemC in a command-line tool: no banner, and every report on stderr as one line
// ("<tool>: SystemC error: <message> [<type>]"), never on stdout, which is the tool's own output.
// Informational reports are dropped; what a report does besides being shown (throw, stop, abort)
// is SystemC's default.
#pragma once

#include "testbench/sanitizer_stacks.hpp"

#include <systemc>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace ppb::tool {

namespace detail {

inline std::string& report_tool() {
    static std::string name = "tool";
    return name;
}

inline void report_to_stderr(const sc_core::sc_report& r, const sc_core::sc_actions& actions) {
    if (actions & sc_core::SC_DISPLAY) {
        static const char* const severity[] = {"info", "warning", "error", "fatal error"};
        std::string msg = r.get_msg();
        for (char& ch : msg)
            if (ch == '\n')
                ch = ' ';
        const int s = r.get_severity();
        std::fprintf(stderr, "%s: SystemC %s: %s [%s]\n", report_tool().c_str(),
                     s >= 0 && s < 4 ? severity[s] : "report", msg.c_str(), r.get_msg_type());
    }
    sc_core::sc_report_handler::default_handler(r, actions & ~(sc_core::SC_DISPLAY | sc_core::SC_LOG));
}

}  // namespace detail

// Call first thing in main(), before sc_elab_and_sim(): the banner is decided when the kernel starts.
// Under AddressSanitizer it also readies the leak check at exit (testbench/sanitizer_stacks.hpp).
inline void quiet_systemc(const std::string& tool) {
    main_stack_for_leak_check();
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    detail::report_tool() = tool;
}

// Call in sc_main(), before anything can report.
inline void systemc_reports_to_stderr() {
    sc_core::sc_report_handler::set_handler(&detail::report_to_stderr);
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
}

}  // namespace ppb::tool
