// One waveform of the RTL and of what the SystemC side traced: the FST that ppb_rtl::trace_fst()
// wrote (every RTL signal) with the signals of a SystemC VCD (sc_trace: the device's state as the
// shell shows it, a bench's own signals) merged in, under the VCD's own scopes (SystemC.tb...), on
// one time axis. GTKWave opens one file at a time; this is how both are seen together.
#pragma once

#include <string>

namespace ppb::rtl {

// Writes `out` (FST) from the closed FST `fst` and the closed VCD `vcd`. Throws std::runtime_error
// saying which file could not be read or written, or what in the VCD was not understood.
void merge_vcd_into_fst(const std::string& fst, const std::string& vcd, const std::string& out);

}  // namespace ppb::rtl
