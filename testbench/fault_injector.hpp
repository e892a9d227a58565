// A bus wrapper that answers the Nth COMMIT (a write of the COMMIT opcode to CMD) with an error
// response instead of passing it on: a bus error in the middle of DMF's Write, after its bytes went
// into Ping and before FILL counted them. Everything else passes unchanged (DMI and debug too).
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>

namespace ppb::tb {

class fault_injector : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<fault_injector, 32> target{"target"};
    tlm_utils::simple_initiator_socket<fault_injector, 32> initiator{"initiator"};

    // fail_commit: the COMMIT to refuse, counted from 1 (0: none). clock: the device's, for the
    // time the refused transfer still takes.
    fault_injector(const sc_core::sc_module_name& n, std::uint64_t fail_commit, const sc_core::sc_time& clock);
    std::uint64_t injected() const { return injected_; }

private:
    void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& tx);
    void invalidate(sc_dt::uint64 start, sc_dt::uint64 end);

    std::uint64_t fail_commit_;
    sc_core::sc_time transfer_;
    std::uint64_t commits_ = 0;
    std::uint64_t injected_ = 0;
};

}  // namespace ppb::tb
