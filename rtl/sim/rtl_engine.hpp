// The RTL engine's view of one Verilated ppb_top: run cycles, make APB transfers, look at its state.
// Implemented once per verilated CAPACITY (rtl/sim/rtl_engine_impl.hpp); the SystemC side
// (ppb_rtl.cpp, apb_transactor.cpp) sees only this interface and includes no Verilated header.
#pragma once

#include "rtl/sim/apb4_checker.hpp"
#include "rtl/sim/rtl_build.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ppb::rtl::detail {

class engine {
public:
    struct observed {
        std::uint32_t fill, limit, cmd;
        bool ping_bank, busy, irq;
        unsigned busy_left;  // BUSY cycles left including the current one
    };
    virtual ~engine() = default;

    // Runs cycles [cycle, until) with the APB idle, offering the stream bytes. for_stream stops
    // once every byte has moved, and early (returning true) when a byte is offered that cannot move
    // while no command runs: only a register write can end such a stall.
    virtual bool run(std::uint64_t until, bool for_stream) = 0;
    // One APB transfer (setup and access cycles). Returns PSLVERR; rdata is PRDATA.
    virtual bool transfer(std::uint32_t addr, bool write, std::uint32_t wdata, unsigned strb, std::uint32_t& rdata) = 0;
    // The access phase of a read, evaluated without a clock edge: no state changes.
    virtual bool probe(std::uint32_t addr, std::uint32_t& rdata) = 0;
    virtual void reset() = 0;
    virtual std::uint8_t peek(unsigned bank, std::uint32_t offset) const = 0;
    virtual void poke(unsigned bank, std::uint32_t offset, std::uint8_t value) = 0;
    virtual observed observe() const = 0;
    virtual void open_fst(const std::string& path) = 0;
    virtual bool failed() const = 0;

    std::uint64_t cycle = 0;  // the next cycle to run; the RTL's state is that of its start

    // Stream bytes offered on s_axis, in order.
    const std::uint8_t* s_data = nullptr;
    std::size_t s_left = 0;
    std::uint64_t s_end = 0;  // the cycle after the last byte that moved

    // Changes a SystemC process must show: irq always, everything traced when tracing.
    bool tracing = false;
    bool irq_level = false;
    std::vector<std::pair<std::uint64_t, observed>> changes;

    std::uint64_t busy_cycles = 0;
    std::uint32_t peak_fill = 0;
    std::uint64_t transfers = 0;

    // Quiescent cycles are counted, not evaluated (see run()).
    bool skip_idle = true;
    std::uint64_t skipped = 0;

    // The APB4 pins of every evaluated cycle, checked (skipped cycles are idle on the bus).
    apb4_checker apb;
    std::uint64_t apb_reported = 0;
};

// Bumped whenever the engine interface changes: a plugin built against another one is rebuilt.
inline constexpr unsigned plugin_abi = 2;

// The CAPACITY values verilated into this build (PPB_RTL_CAPACITIES at configure time).
const std::vector<std::uint32_t>& verilated_capacities();

// A Verilated model for `capacity` in `build`: one verilated into this build, or else one
// verilated, compiled and cached on first use (rtl/sim/rtl_builder.hpp). Throws
// std::runtime_error, with the reason and what to do, when neither can be had.
std::unique_ptr<engine> make_engine(std::uint32_t capacity, rtl_build build, const std::vector<std::string>& plusargs,
                                    std::uint64_t period_ps);

// Cycles per second of plain Verilator on this RTL: the C++ loop alone (no SystemC, no
// transactor), for any CAPACITY and build as make_engine() has them.
double raw_cycles_per_second(std::uint32_t capacity, rtl_build build, std::uint64_t cycles);

}  // namespace ppb::rtl::detail
