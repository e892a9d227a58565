#include "testbench/fault_injector.hpp"

#include "ppb_regs.hpp"

#include <cstring>

namespace ppb::tb {

fault_injector::fault_injector(const sc_core::sc_module_name& n, std::uint64_t fail_commit,
                               const sc_core::sc_time& clock)
    : sc_core::sc_module(n),
      fail_commit_(fail_commit),
      transfer_(clock * static_cast<double>(regs::bus_cycles_per_word)) {
    target.register_b_transport(this, &fault_injector::b_transport);
    target.register_get_direct_mem_ptr(this, &fault_injector::get_direct_mem_ptr);
    target.register_transport_dbg(this, &fault_injector::transport_dbg);
    initiator.register_invalidate_direct_mem_ptr(this, &fault_injector::invalidate);
}

void fault_injector::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    if (fail_commit_ && tx.is_write() && tx.get_address() == regs::cmd::offset && tx.get_data_length() == 4) {
        std::uint32_t v = 0;
        std::memcpy(&v, tx.get_data_ptr(), 4);
        if (v == static_cast<std::uint32_t>(regs::opcode::commit) && ++commits_ == fail_commit_) {
            ++injected_;
            delay += transfer_;  // the refused transfer still took the bus
            tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
    }
    initiator->b_transport(tx, delay);
}

bool fault_injector::get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    return initiator->get_direct_mem_ptr(tx, dmi);
}

unsigned fault_injector::transport_dbg(tlm::tlm_generic_payload& tx) {
    return initiator->transport_dbg(tx);
}

void fault_injector::invalidate(sc_dt::uint64 start, sc_dt::uint64 end) {
    target->invalidate_direct_mem_ptr(start, end);
}

}  // namespace ppb::tb
