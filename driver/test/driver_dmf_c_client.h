/* A DMF client written in C against DMF_PingPongBuffer's API, run by driver_dmf_test.cpp. */
#ifndef PPB_DRIVER_DMF_C_CLIENT_H
#define PPB_DRIVER_DMF_C_CLIENT_H

#include "DmfModules.Library.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    NTSTATUS create;
    NTSTATUS create_zero_size;
    NTSTATUS create_paged_at_dispatch;
    NTSTATUS write_fits;
    ULONG size_after_write;
    NTSTATUS write_too_big;
    ULONG size_after_refusal;
    ULONG get_size;
    int get_bytes_match;
    int consume_bytes_match;
    int consume_is_pong_plus_offset;
    int consume_past_fill_is_null;
    ULONG size_after_consume;
    int consume_residual_matches;
    ULONG size_after_shift;
    int shift_bytes_match;
    ULONG size_after_reset;
    int cleanup_called;
} ppb_c_client_result;

/* Creates a module on `device`, calls every Method, records what came back, deletes the module. */
void ppb_c_client_run(WDFDEVICE device, ppb_c_client_result* result);

#ifdef __cplusplus
}
#endif

#endif
