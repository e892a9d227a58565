#include "rtl/sim/rtl_builder.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

// Set by rtl/CMakeLists.txt.
#ifndef PPB_RTL_BUILD_SOURCE_DIR
#error "PPB_RTL_BUILD_SOURCE_DIR must name the source tree's rtl/ directory"
#endif

namespace ppb::rtl::detail {

namespace {

namespace fs = std::filesystem;

#if !defined(PPB_RTL_VERILATOR_FLAGS_CHECKED) || !defined(PPB_RTL_VERILATOR_FLAGS_FAST)
#error "PPB_RTL_VERILATOR_FLAGS_CHECKED and _FAST must be the Verilator flags of each build (rtl/CMakeLists.txt)"
#endif

// The Verilator flags of a build: the ones rtl/CMakeLists.txt verilates the built-in models with.
const char* verilator_flags(rtl_build b) {
    return b == rtl_build::fast ? PPB_RTL_VERILATOR_FLAGS_FAST : PPB_RTL_VERILATOR_FLAGS_CHECKED;
}

// How build() compiles a plugin's C++, and part of its recipe. Without semantic interposition GCC
// may inline one Verilated function into another of its file, as in rtl/CMakeLists.txt.
constexpr std::array<const char*, 4> codegen_flags{"-std=c++20", "-O2", "-fPIC", "-fno-semantic-interposition"};

// Changes whenever build() below changes what goes into a plugin, so old cached ones are not used
// (the Verilator flags of the build and the compiler's code-generation flags are part of the key).
std::string recipe(rtl_build b) {
    std::string r = std::string("verilator --cc ") + verilator_flags(b) + ";";
    for (const char* flag : codegen_flags)
        r += std::string(" ") + flag;
    return r + "; verilated, fst, threads; 3";
}

// Where the sources and headers of a plugin are: the installed package's layout or the source tree's.
struct layout {
    fs::path rtl;                    // *.sv, ppb.vlt, ppb_rtl.f, sim/rtl_plugin.cpp
    std::vector<fs::path> includes;  // for the project's headers and ppb_regs.hpp
};

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

bool usable(const layout& l) {
    return fs::exists(l.rtl / "ppb_rtl.f") && fs::exists(l.rtl / "ppb.vlt") &&
           fs::exists(l.rtl / "sim" / "rtl_plugin.cpp");
}

std::vector<layout> candidates() {
    std::vector<layout> out;
    if (const std::string s = env("PPB_RTL_SOURCES"); !s.empty())
        out.push_back({s, {fs::path(s).parent_path(), fs::path(s).parent_path() / "include"}});
    // The package as installed at the prefix this library was configured for, or at the usual ones
    // (a .deb installs at /usr whatever the build's prefix was).
    out.push_back({PPB_RTL_INSTALL_DATA_DIR, {PPB_RTL_INSTALL_INCLUDE_DIR}});
    for (const char* prefix : {"/usr/local", "/usr"})
        out.push_back({fs::path(prefix) / "share/ppb/rtl", {fs::path(prefix) / "include/ppb"}});
    out.push_back({PPB_RTL_BUILD_SOURCE_DIR, {PPB_RTL_BUILD_INCLUDE_DIR, PPB_RTL_BUILD_GENERATED_DIR}});
    return out;
}

// Runs a command (argv), capturing its output; returns the exit status (-1 when it cannot start).
int run(const std::vector<std::string>& argv, std::string& output) {
    int pipefd[2];
    if (::pipe(pipefd) != 0)
        return -1;
    const pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        ::dup2(pipefd[1], 1);
        ::dup2(pipefd[1], 2);
        ::close(pipefd[0]);
        ::close(pipefd[1]);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        std::fprintf(stderr, "cannot run %s\n", args[0]);
        ::_exit(127);
    }
    ::close(pipefd[1]);
    std::array<char, 4096> buf;
    for (ssize_t n; (n = ::read(pipefd[0], buf.data(), buf.size())) > 0;)
        output.append(buf.data(), static_cast<std::size_t>(n));
    ::close(pipefd[0]);
    int status = 0;
    if (::waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string tail(const std::string& s, std::size_t lines = 12) {
    std::size_t pos = s.size();
    for (std::size_t k = 0; k <= lines && pos != std::string::npos && pos > 0; ++k)
        pos = s.rfind('\n', pos - 1);
    return pos == std::string::npos ? s : s.substr(pos + 1);
}

std::string verilator_program() {
    if (const std::string v = env("PPB_VERILATOR"); !v.empty())
        return v;
    if (fs::exists(PPB_RTL_VERILATOR))
        return PPB_RTL_VERILATOR;
    return "verilator";
}

std::string compiler() {
    if (const std::string c = env("PPB_CXX"); !c.empty())
        return c;
    return PPB_RTL_CXX_COMPILER;
}

fs::path cache_dir() {
    if (const std::string c = env("PPB_RTL_CACHE"); !c.empty())
        return c;
    if (const std::string x = env("XDG_CACHE_HOME"); !x.empty())
        return fs::path(x) / "ppb" / "rtl";
    if (const std::string h = env("HOME"); !h.empty())
        return fs::path(h) / ".cache" / "ppb" / "rtl";
    return fs::temp_directory_path() / "ppb-rtl-cache";
}

struct fnv {
    std::uint64_t h = 0xCBF29CE484222325ull;
    void add(const std::string& s) {
        for (const unsigned char c : s)
            h = (h ^ c) * 0x100000001B3ull;
        h = (h ^ 0xFF) * 0x100000001B3ull;  // a separator, so that "ab"+"c" differs from "a"+"bc"
    }
    void add_file(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        add(p.filename().string());
        add(s.str());
    }
};

struct found {
    layout where;
    std::string verilator, verilator_version, verilator_root, cxx;
};

// Finds sources and tools; throws std::runtime_error naming what is missing.
found find_tools() {
    found f;
    bool have = false;
    for (const layout& l : candidates()) {
        if (usable(l)) {
            f.where = l;
            have = true;
            break;
        }
    }
    if (!have)
        throw std::runtime_error(
            "the RTL sources are not where this library looks (set PPB_RTL_SOURCES to a "
            "directory with ppb_rtl.f, ppb.vlt, the .sv files and sim/rtl_plugin.cpp)");
    f.verilator = verilator_program();
    std::string out;
    if (run({f.verilator, "--version"}, out) != 0)
        throw std::runtime_error("verilator is not installed or does not run (" + f.verilator +
                                 "; install it, e.g. apt-get install verilator, or set PPB_VERILATOR)");
    f.verilator_version = out;
    out.clear();
    if (run({f.verilator, "--getenv", "VERILATOR_ROOT"}, out) != 0)
        throw std::runtime_error("verilator --getenv VERILATOR_ROOT failed: " + tail(out));
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    f.verilator_root = out;
    f.cxx = compiler();
    out.clear();
    if (run({f.cxx, "--version"}, out) != 0)
        throw std::runtime_error("the C++ compiler " + f.cxx + " does not run (set PPB_CXX)");
    return f;
}

std::vector<std::string> rtl_files(const layout& l) {
    std::vector<std::string> files;
    std::ifstream list(l.rtl / "ppb_rtl.f");
    for (std::string line; std::getline(list, line);) {
        if (line.empty() || line[0] == '#')
            continue;
        files.push_back((l.rtl / line).string());
    }
    return files;
}

std::uint64_t key_of(std::uint32_t capacity, rtl_build b, const found& f) {
    fnv h;
    h.add(std::to_string(capacity));
    h.add(to_string(b));
    h.add(std::to_string(plugin_abi));
    h.add(recipe(b));
    h.add(f.verilator_version);
    h.add(f.cxx);
    std::vector<fs::path> inputs;  // every RTL file, in a stable order
    for (const auto& e : fs::directory_iterator(f.where.rtl)) {
        const std::string ext = e.path().extension().string();
        if (ext == ".sv" || ext == ".svh" || ext == ".vlt" || ext == ".f")
            inputs.push_back(e.path());
    }
    std::sort(inputs.begin(), inputs.end());
    inputs.push_back(f.where.rtl / "sim" / "rtl_plugin.cpp");
    for (const auto& file : inputs)
        h.add_file(file);
    for (const char* header : {"rtl/sim/rtl_engine.hpp", "rtl/sim/rtl_engine_impl.hpp", "rtl/sim/verilated_access.hpp",
                               "rtl/sim/apb4_checker.hpp", "rtl/sim/rtl_build.hpp", "ppb_regs.hpp"}) {
        for (const auto& dir : f.where.includes) {
            if (fs::exists(dir / header)) {
                h.add_file(dir / header);
                break;
            }
        }
    }
    return h.h;
}

// Compiles the commands two at a time (this machine's builds are small; the tests' machine has two
// cores); returns the first failure's output, or an empty string.
std::string run_all(const std::vector<std::vector<std::string>>& commands) {
    std::mutex m;
    std::string failure;
    std::size_t next = 0;
    const auto worker = [&] {
        for (;;) {
            std::size_t i;
            {
                const std::lock_guard g(m);
                if (next == commands.size() || !failure.empty())
                    return;
                i = next++;
            }
            std::string out;
            if (run(commands[i], out) != 0) {
                const std::lock_guard g(m);
                if (failure.empty())
                    failure = commands[i].back() + ":\n" + tail(out);
            }
        }
    };
    std::thread a(worker), b(worker);
    a.join();
    b.join();
    return failure;
}

void build(std::uint32_t capacity, rtl_build b, const found& f, const fs::path& target) {
    const auto t0 = std::chrono::steady_clock::now();
    std::fprintf(stderr, "ppb_rtl: verilating CAPACITY %u (%s build) on first use (cached in %s)\n", capacity,
                 to_string(b), target.parent_path().c_str());
    const fs::path work = target.parent_path() / (target.stem().string() + ".tmp" + std::to_string(::getpid()));
    fs::remove_all(work);
    fs::create_directories(work / "obj");
    const std::string prefix = "Vppb_top_" + std::to_string(capacity) + (b == rtl_build::fast ? "_fast" : "");
    std::vector<std::string> v{f.verilator,
                               "--cc",
                               "--Mdir",
                               (work / "obj").string(),
                               "--prefix",
                               prefix,
                               "--top-module",
                               "ppb_top",
                               "-GCAPACITY=" + std::to_string(capacity),
                               "-I" + f.where.rtl.string()};
    std::istringstream flags(verilator_flags(b));
    for (std::string w; flags >> w;)
        v.push_back(w);
    v.push_back((f.where.rtl / "ppb.vlt").string());
    for (const auto& file : rtl_files(f.where))
        v.push_back(file);
    std::string out;
    if (run(v, out) != 0) {
        fs::remove_all(work);
        throw std::runtime_error("verilator failed for CAPACITY " + std::to_string(capacity) + ":\n" + tail(out));
    }
    const fs::path inc = fs::path(f.verilator_root) / "include";
    std::vector<std::string> common{f.cxx};
    common.insert(common.end(), codegen_flags.begin(), codegen_flags.end());
    common.insert(common.end(),
                  {"-w", "-DVM_TRACE=1", "-DVM_TRACE_FST=1", "-DVM_COVERAGE=0", "-DVM_SC=0",
                   "-I" + (work / "obj").string(), "-I" + inc.string(), "-I" + (inc / "vltstd").string()});
    for (const auto& dir : f.where.includes)
        common.push_back("-I" + dir.string());
    std::vector<fs::path> sources;
    for (const auto& e : fs::directory_iterator(work / "obj"))
        if (e.path().extension() == ".cpp")
            sources.push_back(e.path());
    sources.push_back(inc / "verilated.cpp");
    sources.push_back(inc / "verilated_fst_c.cpp");
    sources.push_back(inc / "verilated_threads.cpp");
    std::vector<std::vector<std::string>> compiles;
    std::vector<std::string> objects;
    for (const auto& s : sources) {
        const std::string o = (work / (s.stem().string() + ".o")).string();
        auto c = common;
        c.insert(c.end(), {"-c", "-o", o, s.string()});
        compiles.push_back(c);
        objects.push_back(o);
    }
    {
        const std::string o = (work / "rtl_plugin.o").string();
        auto c = common;
        c.insert(c.end(), {"-DPPB_RTL_PLUGIN_CAPACITY=" + std::to_string(capacity),
                           std::string("-DPPB_RTL_PLUGIN_BUILD=") + (b == rtl_build::fast ? "1" : "0"),
                           "-DPPB_RTL_PLUGIN_MODEL=" + prefix, "-DPPB_RTL_PLUGIN_MODEL_HEADER=\"" + prefix + ".h\"",
                           "-DPPB_RTL_PLUGIN_MODEL_ROOT_HEADER=\"" + prefix + "___024root.h\"", "-c", "-o", o,
                           (f.where.rtl / "sim" / "rtl_plugin.cpp").string()});
        compiles.push_back(c);
        objects.push_back(o);
    }
    if (const std::string failed = run_all(compiles); !failed.empty()) {
        fs::remove_all(work);
        throw std::runtime_error("compiling the verilated CAPACITY " + std::to_string(capacity) + " failed: " + failed);
    }
    const fs::path so = work / "plugin.so";
    std::vector<std::string> link{f.cxx, "-shared", "-o", so.string()};
    link.insert(link.end(), objects.begin(), objects.end());
    link.insert(link.end(), {"-lz", "-lpthread"});
    out.clear();
    if (run(link, out) != 0) {
        fs::remove_all(work);
        throw std::runtime_error("linking the verilated CAPACITY " + std::to_string(capacity) + " failed:\n" +
                                 tail(out));
    }
    fs::rename(so, target);  // atomic: a reader sees no half-written library
    fs::remove_all(work);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
    std::fprintf(stderr, "ppb_rtl: CAPACITY %u (%s build) ready (%.1f s)\n", capacity, to_string(b), took.count());
}

template <class F>
F symbol(void* lib, const char* name, const fs::path& path) {
    void* p = ::dlsym(lib, name);
    if (!p)
        throw std::runtime_error(path.string() + " has no " + name + ": not a PPB RTL plugin");
    return reinterpret_cast<F>(p);
}

}  // namespace

std::string plugin_problem() {
    try {
        (void)find_tools();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

const plugin& load_plugin(std::uint32_t capacity, rtl_build b) {
    static std::mutex m;
    static std::map<std::pair<std::uint32_t, rtl_build>, plugin> loaded;
    const std::lock_guard guard(m);
    if (const auto it = loaded.find({capacity, b}); it != loaded.end())
        return it->second;
    const found f = find_tools();
    const fs::path dir = cache_dir();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error("cannot create the RTL cache " + dir.string() + ": " + ec.message() +
                                 " (set PPB_RTL_CACHE)");
    char name[80];
    std::snprintf(name, sizeof name, "ppb_rtl_%u_%s_%016llx.so", capacity, to_string(b),
                  static_cast<unsigned long long>(key_of(capacity, b, f)));
    const fs::path path = dir / name;
    if (!fs::exists(path)) {
        // One builder at a time per model: the others wait, then find it built.
        const fs::path lock = fs::path(path).replace_extension(".lock");
        const int fd = ::open(lock.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
        if (fd < 0)
            throw std::runtime_error("cannot open " + lock.string());
        ::flock(fd, LOCK_EX);
        try {
            if (!fs::exists(path))
                build(capacity, b, f, path);
        } catch (...) {
            ::flock(fd, LOCK_UN);
            ::close(fd);
            throw;
        }
        ::flock(fd, LOCK_UN);
        ::close(fd);
    }
    void* lib = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        throw std::runtime_error(std::string("cannot load ") + path.string() + ": " + ::dlerror());
    const auto abi = symbol<unsigned (*)()>(lib, "ppb_rtl_plugin_abi", path);
    const auto cap = symbol<std::uint32_t (*)()>(lib, "ppb_rtl_plugin_capacity", path);
    const auto fast = symbol<unsigned (*)()>(lib, "ppb_rtl_plugin_fast", path);
    if (abi() != plugin_abi || cap() != capacity || (fast() != 0) != (b == rtl_build::fast))
        throw std::runtime_error(path.string() + " is a plugin for another interface, CAPACITY or build: delete it");
    plugin p;
    p.make = symbol<decltype(p.make)>(lib, "ppb_rtl_plugin_make_engine", path);
    p.raw_cycles_per_second =
        symbol<decltype(p.raw_cycles_per_second)>(lib, "ppb_rtl_plugin_raw_cycles_per_second", path);
    return loaded.emplace(std::pair{capacity, b}, p).first->second;
}

}  // namespace ppb::rtl::detail
