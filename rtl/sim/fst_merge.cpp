// rtl/sim/fst_merge.hpp: the RTL's FST copied (hierarchy, attributes, every value change) into a
// new FST with the VCD's variables added, the two streams of changes merged in time order. Uses the
// FST reader and writer that Verilator bundles (gtkwave/fstapi.c, compiled into the Verilated
// runtime of this library).
#include "rtl/sim/fst_merge.hpp"

#include <gtkwave/fstapi.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ppb::rtl {

namespace {

[[noreturn]] void fail(const std::string& why) {
    throw std::runtime_error(why);
}

struct vcd_var {
    fstHandle handle = 0;
    std::uint32_t width = 1;
    bool real = false;
};

// A SystemC VCD, read as the writer makes it: its declarations become variables of the FST
// writer; then its value changes are read one at a time, in time order.
class vcd_reader {
public:
    vcd_reader(const std::string& path, void* writer, int fst_timescale) : path_(path), in_(path), w_(writer) {
        if (!in_)
            fail("cannot read " + path);
        declarations(fst_timescale);
        next();
    }

    bool more() const { return have_; }
    std::uint64_t time() const { return time_; }
    // Emits the current change (the writer's time is already set) and reads the next.
    void emit() {
        if (value_real_)
            fstWriterEmitValueChange(w_, handle_, &real_);
        else
            fstWriterEmitValueChange(w_, handle_, bits_.c_str());
        next();
    }

private:
    std::string token() {
        std::string t;
        if (!(in_ >> t))
            fail(path_ + ": the VCD ends inside its declarations");
        return t;
    }
    // The words up to $end.
    std::vector<std::string> until_end() {
        std::vector<std::string> words;
        for (std::string t = token(); t != "$end"; t = token())
            words.push_back(t);
        return words;
    }

    void declarations(int fst_timescale) {
        for (;;) {
            const std::string t = token();
            if (t == "$enddefinitions") {
                until_end();
                break;
            }
            if (t == "$timescale") {
                std::string text;
                for (const auto& w : until_end())
                    text += w;
                timescale(text, fst_timescale);
            } else if (t == "$scope") {
                const auto w = until_end();
                if (w.size() != 2)
                    fail(path_ + ": a $scope that is not 'TYPE NAME'");
                fstWriterSetScope(w_, FST_ST_VCD_MODULE, w[1].c_str(), nullptr);
            } else if (t == "$upscope") {
                until_end();
                fstWriterSetUpscope(w_);
            } else if (t == "$var") {
                var(until_end());
            } else if (!t.empty() && t[0] == '$') {
                until_end();  // $date, $version, $comment
            } else {
                fail(path_ + ": unexpected '" + t + "' in the declarations");
            }
        }
    }

    // "1ps", "10 ns", ...: as a multiple of the FST's unit (10^fst_timescale s).
    void timescale(const std::string& text, int fst_timescale) {
        std::size_t n = 0;
        const double count = std::stod(text, &n);
        const std::string unit = text.substr(n);
        static const std::map<std::string, int> exponents{{"s", 0},   {"ms", -3},  {"us", -6},
                                                          {"ns", -9}, {"ps", -12}, {"fs", -15}};
        const auto it = exponents.find(unit);
        if (it == exponents.end() || !(count > 0))
            fail(path_ + ": timescale '" + text + "' not understood");
        scale_ = count * std::pow(10.0, it->second - fst_timescale);
    }

    void var(const std::vector<std::string>& w) {
        // TYPE WIDTH ID NAME [RANGE]
        if (w.size() < 4)
            fail(path_ + ": a $var that is not 'TYPE WIDTH ID NAME'");
        vcd_var v;
        v.width = static_cast<std::uint32_t>(std::stoul(w[1]));
        v.real = w[0] == "real";
        std::string name = w[3];
        for (std::size_t i = 4; i < w.size(); ++i)
            name += " " + w[i];
        const fstVarType type = v.real ? FST_VT_VCD_REAL : w[0] == "reg" ? FST_VT_VCD_REG : FST_VT_VCD_WIRE;
        const auto alias = vars_.find(w[2]);
        const fstHandle h = fstWriterCreateVar(w_, type, FST_VD_IMPLICIT, v.real ? 64 : v.width, name.c_str(),
                                               alias == vars_.end() ? 0 : alias->second.handle);
        if (alias == vars_.end()) {
            v.handle = h;
            vars_.emplace(w[2], v);
        }
    }

    // Reads up to the next value change; have_ false at the end of the file.
    void next() {
        have_ = false;
        std::string line;
        while (std::getline(in_, line)) {
            if (line.empty())
                continue;
            if (in_comment_) {
                in_comment_ = line.find("$end") == std::string::npos;
                continue;
            }
            const char c = line[0];
            if (c == '#') {
                const std::uint64_t raw = std::stoull(line.substr(1));
                time_ = scale_ == 1 ? raw : static_cast<std::uint64_t>(std::llround(static_cast<double>(raw) * scale_));
                continue;
            }
            if (c == '$') {
                in_comment_ = line.rfind("$comment", 0) == 0 && line.find("$end") == std::string::npos;
                continue;  // $dumpvars, $end, $dumpall, ...
            }
            std::string value, id;
            if (c == 'b' || c == 'B' || c == 'r' || c == 'R') {
                std::istringstream words(line.substr(1));
                words >> value >> id;
            } else {
                value = line.substr(0, 1);
                id = line.substr(1);
            }
            const auto it = vars_.find(id);
            if (it == vars_.end())
                fail(path_ + ": a value change of an undeclared variable '" + id + "'");
            const vcd_var& v = it->second;
            handle_ = v.handle;
            value_real_ = v.real;
            if (v.real) {
                real_ = std::strtod(value.c_str(), nullptr);
            } else {
                // Left-extended as VCD says: with 0, or with x or z when the value starts with one.
                const char pad = value.empty() || value[0] == '1' ? '0' : value[0];
                bits_ = value.size() >= v.width ? value.substr(value.size() - v.width)
                                                : std::string(v.width - value.size(), pad) + value;
            }
            have_ = true;
            return;
        }
    }

    std::string path_;
    std::ifstream in_;
    void* w_;
    double scale_ = 1;
    std::map<std::string, vcd_var> vars_;
    bool in_comment_ = false;
    bool have_ = false;
    std::uint64_t time_ = 0;
    fstHandle handle_ = 0;
    bool value_real_ = false;
    double real_ = 0;
    std::string bits_;
};

struct merge_state {
    void* w = nullptr;
    std::vector<fstHandle> handles;  // the reader's handle -> the writer's
    vcd_reader* vcd = nullptr;
    std::uint64_t now = 0;
    bool started = false;

    void at(std::uint64_t t) {
        if (!started || t > now) {
            fstWriterEmitTimeChange(w, t);
            now = t;
            started = true;
        }
    }
    // The VCD's changes up to and including time t, before the FST's changes at t.
    void vcd_until(std::uint64_t t) {
        while (vcd->more() && vcd->time() <= t) {
            at(vcd->time());
            vcd->emit();
        }
    }
};

void on_change(void* user, std::uint64_t time, fstHandle fac, const unsigned char* value) {
    auto& m = *static_cast<merge_state*>(user);
    m.vcd_until(time);
    m.at(time);
    fstWriterEmitValueChange(m.w, m.handles.at(fac), value);
}

void on_varlen_change(void* user, std::uint64_t time, fstHandle fac, const unsigned char* value, std::uint32_t len) {
    auto& m = *static_cast<merge_state*>(user);
    m.vcd_until(time);
    m.at(time);
    fstWriterEmitVariableLengthValueChange(m.w, m.handles.at(fac), value, len);
}

struct reader_closer {
    void operator()(void* r) const { fstReaderClose(r); }
};
struct writer_closer {
    void operator()(void* w) const { fstWriterClose(w); }
};

}  // namespace

void merge_vcd_into_fst(const std::string& fst, const std::string& vcd, const std::string& out) {
    const std::unique_ptr<void, reader_closer> r(fstReaderOpen(fst.c_str()));
    if (!r)
        fail("cannot read the RTL waveform " + fst);
    const std::unique_ptr<void, writer_closer> w(fstWriterCreate(out.c_str(), 1));
    if (!w)
        fail("cannot write " + out);
    const int timescale = fstReaderGetTimescale(r.get());
    fstWriterSetPackType(w.get(), FST_WR_PT_LZ4);
    fstWriterSetTimescale(w.get(), timescale);

    merge_state m;
    m.w = w.get();
    m.handles.assign(static_cast<std::size_t>(fstReaderGetMaxHandle(r.get())) + 1, 0);
    fstReaderIterateHierRewind(r.get());
    while (const fstHier* h = fstReaderIterateHier(r.get())) {
        switch (h->htyp) {
        case FST_HT_SCOPE:
            fstWriterSetScope(w.get(), static_cast<fstScopeType>(h->u.scope.typ), h->u.scope.name,
                              h->u.scope.component);
            break;
        case FST_HT_UPSCOPE:
            fstWriterSetUpscope(w.get());
            break;
        case FST_HT_VAR: {
            const fstHandle alias = h->u.var.is_alias ? m.handles.at(h->u.var.handle) : 0;
            const fstHandle mine =
                fstWriterCreateVar(w.get(), static_cast<fstVarType>(h->u.var.typ),
                                   static_cast<fstVarDir>(h->u.var.direction), h->u.var.length, h->u.var.name, alias);
            if (!h->u.var.is_alias)
                m.handles.at(h->u.var.handle) = mine;
            break;
        }
        case FST_HT_ATTRBEGIN:
            fstWriterSetAttrBegin(w.get(), static_cast<fstAttrType>(h->u.attr.typ), h->u.attr.subtype, h->u.attr.name,
                                  h->u.attr.arg);
            break;
        case FST_HT_ATTREND:
            fstWriterSetAttrEnd(w.get());
            break;
        default:
            break;
        }
    }
    vcd_reader v(vcd, w.get(), timescale);
    m.vcd = &v;
    fstReaderSetFacProcessMaskAll(r.get());
    fstReaderIterBlocksSetNativeDoublesOnCallback(r.get(), 1);
    if (!fstReaderIterBlocks2(r.get(), &on_change, &on_varlen_change, &m, nullptr))
        fail("cannot read the value changes of " + fst);
    m.vcd_until(~std::uint64_t{0});
}

}  // namespace ppb::rtl
