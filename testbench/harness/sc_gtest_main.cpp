// main() for SystemC tests: gtest parses its flags, then SystemC elaborates and sc_main runs the
// tests. SystemC allows one elaboration per process, so when more than one test is selected the
// binary re-runs itself once per test (CTest already does this through PRE_TEST discovery).
#include "testbench/sanitizer_stacks.hpp"

#include <gtest/gtest.h>
#include <systemc>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

void report_to_gtest(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
    if (rep.get_severity() >= sc_core::SC_WARNING) {
        ADD_FAILURE() << "SystemC " << (rep.get_severity() == sc_core::SC_WARNING ? "warning" : "error") << " ["
                      << rep.get_msg_type() << "] " << rep.get_msg() << " (" << rep.get_file_name() << ":"
                      << rep.get_line_number() << ")";
    }
    // Keep SystemC's own behaviour (throw on error, abort on fatal) but never print twice.
    sc_core::sc_report_handler::default_handler(rep, actions & ~(sc_core::SC_DISPLAY | sc_core::SC_LOG));
}

std::vector<std::string> selected_tests(const char* self) {
    std::string cmd = std::string("'") + self + "' --gtest_list_tests";
    const std::string filter = GTEST_FLAG_GET(filter);
    if (!filter.empty())
        cmd += " '--gtest_filter=" + filter + "'";
    std::vector<std::string> names;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return names;
    char line[1024];
    std::string suite;
    while (fgets(line, sizeof line, p)) {
        std::string s(line);
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
            s.pop_back();
        if (s.empty())
            continue;
        if (s[0] != ' ') {
            suite = s.substr(0, s.find(' '));
        } else {
            const auto b = s.find_first_not_of(' ');
            names.push_back(suite + s.substr(b, s.find(' ', b) - b));
        }
    }
    pclose(p);
    return names;
}

// Runs each test in a child process and prints one summary line.
int run_each_in_own_process(const char* self, const std::vector<std::string>& tests) {
    int passed = 0;
    std::vector<std::string> failed;
    for (const auto& t : tests) {
        std::fflush(stdout);
        const pid_t pid = fork();
        if (pid == 0) {
            const std::string f = "--gtest_filter=" + t;
            execl(self, self, f.c_str(), static_cast<char*>(nullptr));
            std::perror("exec");
            std::_Exit(127);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            ++passed;
        else
            failed.push_back(t);
    }
    std::printf("\n%d passed, %zu failed\n", passed, failed.size());
    for (const auto& t : failed)
        std::printf("FAILED: %s\n", t.c_str());
    return failed.empty() ? 0 : 1;
}

}  // namespace

int sc_main(int, char*[]) {
    return RUN_ALL_TESTS();
}

int main(int argc, char** argv) {
    ppb::tool::main_stack_for_leak_check();
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    testing::InitGoogleTest(&argc, argv);
    if (!GTEST_FLAG_GET(list_tests) && !std::getenv("PPB_SC_ONE_PROCESS")) {
        const auto tests = selected_tests(argv[0]);
        if (tests.size() > 1)
            return run_each_in_own_process(argv[0], tests);
    }
    sc_core::sc_report_handler::set_handler(report_to_gtest);
    // SystemC's deprecation notes are not errors of the code under test.
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    return sc_core::sc_elab_and_sim(argc, argv);
}
