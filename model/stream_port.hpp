// What the stream socket takes (docs/spec-notes.md): write transactions with data and no byte
// enables. Shared by the TLM model and the RTL wrapper so both refuse the same things the same way.
#pragma once

#include <tlm>

namespace ppb::model {

// TLM_OK_RESPONSE when the stream port can take `tx`, else the error response it gets.
inline tlm::tlm_response_status stream_admission(const tlm::tlm_generic_payload& tx) {
    if (!tx.is_write())
        return tlm::TLM_COMMAND_ERROR_RESPONSE;
    if (tx.get_byte_enable_ptr())
        return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    if (tx.get_data_length() == 0 || !tx.get_data_ptr())
        return tlm::TLM_BURST_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

}  // namespace ppb::model
