// Runs one co-simulation scenario (testbench/bench.cpp): elaborates the bench and its platform,
// simulates to the end, and returns what the scoreboard and the platform saw. One per process.
#pragma once

#include "testbench/cosim.hpp"

namespace ppb::tb {

cosim_result run_bench(const cosim_config& c);

}  // namespace ppb::tb
