/* Compiled as C11: DMF client code, unchanged, against the DMF-compatible header. */
#include "driver_dmf_c_client.h"
#include "DmfModules.Library.h"

#include <string.h>

static int cleanups;

static VOID on_cleanup(WDFOBJECT object) {
    (void)object;
    ++cleanups;
}

void ppb_c_client_run(WDFDEVICE device, ppb_c_client_result* result) {
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    WDF_OBJECT_ATTRIBUTES object_attributes;
    DMFMODULE module = NULL;
    DMFMODULE refused = NULL;
    UCHAR data[80];
    UCHAR* ping;
    UCHAR* packet;
    UCHAR* first_ping;
    ULONG i;

    memset(result, 0, sizeof(*result));
    for (i = 0; i < sizeof(data); ++i)
        data[i] = (UCHAR)(i * 3 + 1);

    DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
    config.BufferSize = 0;
    result->create_zero_size = DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &refused);
    config.BufferSize = 64;
    config.PoolType = PagedPool;
    result->create_paged_at_dispatch =
        DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &refused);
    config.PoolType = NonPagedPoolNx;
    WDF_OBJECT_ATTRIBUTES_INIT(&object_attributes);
    object_attributes.EvtCleanupCallback = on_cleanup;
    cleanups = 0;
    result->create = DMF_PingPongBuffer_Create(device, &attributes, &object_attributes, &module);
    if (!NT_SUCCESS(result->create))
        return;

    result->write_fits = DMF_PingPongBuffer_Write(module, data, 40, &result->size_after_write);
    result->write_too_big = DMF_PingPongBuffer_Write(module, data + 40, 30, &result->size_after_refusal);

    first_ping = DMF_PingPongBuffer_Get(module, &result->get_size);
    result->get_bytes_match = first_ping != NULL && memcmp(first_ping, data, 40) == 0;

    packet = DMF_PingPongBuffer_Consume(module, 5, 10);
    result->consume_bytes_match = packet != NULL && memcmp(packet, data + 5, 10) == 0;
    result->consume_is_pong_plus_offset = packet == first_ping + 5;
    result->consume_past_fill_is_null = DMF_PingPongBuffer_Consume(module, 20, 10) == NULL;
    ping = DMF_PingPongBuffer_Get(module, &result->size_after_consume);
    result->consume_residual_matches = ping != NULL && memcmp(ping, data + 15, 25) == 0;

    DMF_PingPongBuffer_Shift(module, 5);
    ping = DMF_PingPongBuffer_Get(module, &result->size_after_shift);
    result->shift_bytes_match = ping != NULL && memcmp(ping, data + 20, 20) == 0;

    DMF_PingPongBuffer_Reset(module);
    ping = DMF_PingPongBuffer_Get(module, &result->size_after_reset);
    (void)ping;

    WdfObjectDelete(module);
    result->cleanup_called = cleanups;
}
