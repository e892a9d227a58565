// What the command-line tools share (ppb-cosim, ppb-model-demo, the RTL benches): numbers are
// taken whole or refused (a sign, a fraction, an exponent, trailing text, infinity or a value that
// does not fit is never wrapped, rounded or clamped), every range is printed as people write it,
// and every refusal is one line on stderr that names the option and what it accepts, with exit
// status 2, before anything runs.
#pragma once

#include <CLI/CLI.hpp>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include <unistd.h>

namespace ppb::tool {

inline constexpr int exit_refused = 2;  // bad input: nothing ran

// An integer exactly ("18446744073709551615"), anything else as %g ("0.001", "1e+06").
inline std::string number_text(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return std::to_string(static_cast<long long>(v));
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
}
inline std::string number_text(std::uint64_t v) {
    return std::to_string(v);
}

template <class T>
std::string range_text(T lo, T hi) {
    return "[" + number_text(lo) + ", " + number_text(hi) + "]";
}

// `text` as a whole number in [lo, hi]: decimal digits only. Returns "" or what is wrong.
inline std::string parse_count(const std::string& text, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out) {
    const char* b = text.data();
    const char* e = b + text.size();
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    const auto [end, ec] = std::from_chars(b, e, out);
    if (!digits || ec != std::errc() || end != e || out < lo || out > hi)
        return "'" + text + "' is not a whole number in " + range_text(lo, hi);
    return {};
}

// `text` as a finite number in [lo, hi]. Returns "" or what is wrong.
inline std::string parse_real(const std::string& text, double lo, double hi, double& out,
                              const std::string& unit = "") {
    char* end = nullptr;
    errno = 0;
    out = text.empty() ? 0 : std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(out) || out < lo ||
        out > hi || std::isspace(static_cast<unsigned char>(text.front())))
        return "'" + text + "' is not a number in " + range_text(lo, hi) + (unit.empty() ? "" : " " + unit);
    return {};
}

// Validators, described in --help as CLI11 describes its ranges ("UINT in [1 - 100]"; scripts/sweep
// reads them from there).
inline CLI::Validator count_in(std::uint64_t lo, std::uint64_t hi) {
    return CLI::Validator(
        [lo, hi](std::string& in) {
            std::uint64_t v = 0;
            return parse_count(in, lo, hi, v);
        },
        "UINT in [" + number_text(lo) + " - " + number_text(hi) + "]");
}
inline CLI::Validator real_in(double lo, double hi, const std::string& unit = "") {
    return CLI::Validator(
        [lo, hi, unit](std::string& in) {
            double v = 0;
            return parse_real(in, lo, hi, v, unit);
        },
        "FLOAT in [" + number_text(lo) + " - " + number_text(hi) + "]");
}
// A path that is not empty (which would silently mean "none") and does not start with '-' (an option
// that lost its value took the next option as one).
inline CLI::Validator output_path() {
    return CLI::Validator(
        [](std::string& in) -> std::string {
            if (in.empty())
                return "an empty path names no file";
            if (in[0] == '-')
                return "'" + in + "' looks like an option, not a file (write ./" + in + " for such a file)";
            return {};
        },
        "");
}

template <class T>
CLI::Option* add_count(CLI::App& app, const std::string& name, T& target, std::uint64_t lo, std::uint64_t hi,
                       const std::string& help) {
    static_assert(std::is_unsigned_v<T>);
    hi = std::min<std::uint64_t>(hi, std::numeric_limits<T>::max());
    return app.add_option(name, target, help)->type_name("UINT")->check(count_in(lo, hi));
}
// `unit` (ns, MB/s) follows the range in a refusal.
inline CLI::Option* add_real(CLI::App& app, const std::string& name, double& target, double lo, double hi,
                             const std::string& help, const std::string& unit = "") {
    return app.add_option(name, target, help)->type_name("FLOAT")->check(real_in(lo, hi, unit));
}

// Every parse error becomes one line: "<tool>: <what> (see --help)".
inline void one_line_errors(CLI::App& app, const std::string& tool) {
    app.failure_message([tool](const CLI::App*, const CLI::Error& e) {
        std::string what = e.what();
        for (char& ch : what)
            if (ch == '\n')
                ch = ' ';
        return tool + ": " + what + " (see --help)\n";
    });
}

// Parses; returns -1 to go on, else the exit status (0 after --help, 2 for bad input).
inline int parse(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
        return -1;
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : exit_refused;
    }
}

// One line on stderr; returns exit_refused.
inline int refuse(const std::string& tool, const std::string& why) {
    std::fprintf(stderr, "%s: %s\n", tool.c_str(), why.c_str());
    return exit_refused;
}

// An output a tool opens before it runs anything, so that a run whose results could not be written
// is never started. Opened for appending: a tool that refuses its input after opening it leaves a
// file that existed as it was (abandon() removes one that did not); write() replaces the content.
class output_file {
public:
    output_file() = default;
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    ~output_file() {
        if (f_)
            std::fclose(f_);
    }

    // "" or why the file cannot be written.
    std::string open(const std::string& path) {
        if (path.empty())
            return "an empty path names no file";
        created_ = ::access(path.c_str(), F_OK) != 0;
        f_ = std::fopen(path.c_str(), "a");
        if (!f_)
            return "cannot write " + path + ": " + std::strerror(errno);
        path_ = path;
        return {};
    }
    bool is_open() const { return f_ != nullptr; }
    const std::string& path() const { return path_; }

    // Replaces the file's content with `text`; false if that failed (a full disk, say).
    bool write(const std::string& text) {
        if (!f_ || ::ftruncate(::fileno(f_), 0) != 0)
            return false;
        const bool ok = std::fwrite(text.data(), 1, text.size(), f_) == text.size() && std::fflush(f_) == 0;
        const bool closed = std::fclose(f_) == 0;
        f_ = nullptr;
        return ok && closed;
    }
    // Closes it, removing it if open() created it.
    void abandon() {
        if (!f_)
            return;
        std::fclose(f_);
        f_ = nullptr;
        if (created_)
            std::remove(path_.c_str());
    }

private:
    std::FILE* f_ = nullptr;
    bool created_ = false;
    std::string path_;
};

// Whether a file can be written at `path` (its directory exists and lets us, and `path` is not a
// directory), found by opening it as output_file does: a file that exists is left as it is, one
// that did not is removed again. Returns "" or why not.
inline std::string writable(const std::string& path) {
    output_file f;
    std::string why = f.open(path);
    f.abandon();
    return why;
}

}  // namespace ppb::tool
