// The RTL engine's bus side: each TLM transaction, classified by the device shell (SPEC.md
// section 2), becomes APB4 transfers on the Verilated model, and the RTL's PSLVERR is held to the
// shell's rules (see ppb_rtl.hpp).
#include "rtl/sim/ppb_rtl.hpp"
#include "rtl/sim/rtl_engine.hpp"

#include <cstring>

namespace ppb::rtl {

namespace {

bool byte_enabled(const tlm::tlm_generic_payload& tx, std::size_t i) {
    const unsigned char* be = tx.get_byte_enable_ptr();
    if (!be)
        return true;
    const unsigned len = tx.get_byte_enable_length();
    return len != 0 && be[i % len] == TLM_BYTE_ENABLED;
}

// Whether the first word's address alone is one the RTL's decode must refuse (unmapped or
// misaligned register, outside every window), so that an APB transfer to it must end in PSLVERR.
bool rtl_must_refuse(std::uint64_t addr, std::uint32_t capacity) {
    if (addr >= (std::uint64_t{1} << regs::addr_bits))
        return false;  // APB cannot carry the address at all
    const bool in_regs = addr < std::uint64_t{regs::regs_base} + regs::regs_size;
    decoded_access d{};
    return decode(addr, in_regs ? 4 : 1, capacity, d) == bus_result::address_error;
}

}  // namespace

// An error costs one APB transfer. Where the RTL can be asked, it is: the access itself when the
// RTL's decode must refuse it, or a register write with its partial PSTRB; the RTL must answer
// PSLVERR and change nothing. Errors APB cannot express take two idle cycles.
void ppb_rtl::error_transfer(const tlm::tlm_generic_payload& tx, const bus_access& a) {
    const std::uint64_t addr = tx.get_address();
    const bool write = tx.is_write();
    const unsigned char* data = tx.get_data_ptr();
    std::uint32_t wdata = 0;
    if (write && data && tx.get_data_length() >= 4)
        std::memcpy(&wdata, data, 4);
    bool drive = false;
    unsigned strb = 0xF;
    if (a.address_decides && rtl_must_refuse(addr, capacity())) {
        drive = true;
    } else if (a.status == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE && write && a.window == window::regs) {
        drive = true;
        strb = 0;
        for (unsigned k = 0; k < 4; ++k)
            strb |= byte_enabled(tx, k) ? 1u << k : 0u;
    }
    if (drive) {
        std::uint32_t rdata = 0;
        if (!eng_->transfer(static_cast<std::uint32_t>(addr), write, wdata, strb, rdata))
            SC_REPORT_ERROR(name(), "the RTL did not answer PSLVERR to an access it must refuse");
    } else {
        eng_->run(eng_->cycle + regs::bus_cycles_per_word, false);
    }
}

tlm::tlm_response_status ppb_rtl::bank_transfers(tlm::tlm_generic_payload& tx, std::size_t span) {
    const std::uint64_t addr = tx.get_address();
    const std::size_t len = tx.get_data_length();
    unsigned char* data = tx.get_data_ptr();
    const bool write = tx.is_write();
    const std::size_t beats = (len + span - 1) / span;
    for (std::size_t beat = 0; beat < beats; ++beat) {
        for (std::uint64_t word = addr & ~std::uint64_t{3}; word < addr + span; word += 4) {
            unsigned strb = 0;
            std::uint32_t wdata = 0;
            for (unsigned k = 0; k < 4; ++k) {
                const std::uint64_t b = word + k;
                const std::size_t i = beat * span + static_cast<std::size_t>(b - addr);
                if (b < addr || b >= addr + span || i >= len || !byte_enabled(tx, i))
                    continue;
                strb |= 1u << k;
                if (write)
                    wdata |= std::uint32_t{data[i]} << (8 * k);
            }
            std::uint32_t rdata = 0;
            if (beat != 0 || word != (addr & ~std::uint64_t{3}))
                await_stream(eng_->cycle, regs::bus_cycles_per_word);
            if (eng_->transfer(static_cast<std::uint32_t>(word), write, wdata, strb, rdata)) {
                SC_REPORT_ERROR(name(), "the RTL answered PSLVERR to a bank access SPEC.md allows");
                return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            }
            if (!write) {
                for (unsigned k = 0; k < 4; ++k) {
                    if (strb & (1u << k)) {
                        const std::size_t i = beat * span + static_cast<std::size_t>(word + k - addr);
                        data[i] = static_cast<unsigned char>(rdata >> (8 * k));
                    }
                }
            }
        }
    }
    return tlm::TLM_OK_RESPONSE;
}

void ppb_rtl::bus_transaction(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay, const bus_access& a) {
    const std::uint64_t setup = std::max(cycle_of(sc_core::sc_time_stamp() + delay), eng_->cycle);
    await_stream(setup, regs::bus_cycles_per_word);
    run_to(setup);
    tlm::tlm_response_status r = a.status;
    if (r != tlm::TLM_OK_RESPONSE) {
        error_transfer(tx, a);
    } else if (a.window == window::regs) {
        const auto addr = static_cast<std::uint32_t>(tx.get_address());
        std::uint32_t v = 0;
        bool err = false;
        if (tx.is_read()) {
            err = eng_->transfer(addr, false, 0, 0, v);
            if (!err)  // an error response leaves the initiator's buffer alone, as the model does
                std::memcpy(tx.get_data_ptr(), &v, 4);
        } else {
            std::memcpy(&v, tx.get_data_ptr(), 4);
            err = eng_->transfer(addr, true, v, 0xF, v);
            stream_wake_.notify(sc_core::SC_ZERO_TIME);  // any write may unstall the stream
        }
        if (err) {
            SC_REPORT_ERROR(name(), "the RTL answered PSLVERR to a register access SPEC.md allows");
            ++counters_.bus_errors;
            r = tlm::TLM_ADDRESS_ERROR_RESPONSE;
        }
    } else {
        r = bank_transfers(tx, a.span);
        if (r != tlm::TLM_OK_RESPONSE)
            ++counters_.bus_errors;
        tx.set_dmi_allowed(false);
    }
    after_steps();
    tx.set_response_status(r);
    delay = until(eng_->cycle);
}

bool ppb_rtl::direct_memory(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    // Denied for the whole address space, so the initiator does not ask again.
    dmi.allow_none();
    dmi.set_start_address(0);
    dmi.set_end_address(~sc_dt::uint64{0});
    return false;
}

bool ppb_rtl::debug_read_register(std::uint32_t offset, std::uint32_t& value) {
    return !eng_->probe(regs::regs_base + offset, value);
}

void ppb_rtl::debug_bank(unsigned bank, std::uint32_t offset, unsigned char* data, std::size_t len, bool write) {
    for (std::size_t i = 0; i < len; ++i) {
        const auto at = offset + static_cast<std::uint32_t>(i);
        if (write)
            eng_->poke(bank, at, data[i]);
        else
            data[i] = eng_->peek(bank, at);
    }
}

}  // namespace ppb::rtl
