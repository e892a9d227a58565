/* A C program over DMF's PingPongBuffer Methods on the native device (DMF's semantics in host
 * memory, no PPB): what a DMF client looks like in C, built against the installed package.
 * The stream holds noise, a packet and the start of the next one; the client takes the packet with
 * one Consume (its StartOffset skips the noise), drops a byte with Shift and empties with Reset. */
#include "DmfModules.Library.h"
#include "ppb_device.h"

#include <stdio.h>
#include <string.h>

static int failures = 0;

static void expect(int ok, const char* what) {
    if (!ok) {
        fprintf(stderr, "c-native: FAIL: %s\n", what);
        ++failures;
    }
}

int main(void) {
    WDFDEVICE device = NULL;
    DMFMODULE module = NULL;
    DMF_CONFIG_PingPongBuffer config;
    DMF_MODULE_ATTRIBUTES attributes;
    ULONG size = 0;
    UCHAR stream[] = "~~PACKET-1next";

    if (PpbNativeDeviceCreate(&device) != STATUS_SUCCESS) {
        fprintf(stderr, "c-native: PpbNativeDeviceCreate failed\n");
        return 1;
    }
    DMF_CONFIG_PingPongBuffer_AND_ATTRIBUTES_INIT(&config, &attributes);
    config.BufferSize = 64;
    if (DMF_PingPongBuffer_Create(device, &attributes, WDF_NO_OBJECT_ATTRIBUTES, &module) != STATUS_SUCCESS) {
        fprintf(stderr, "c-native: DMF_PingPongBuffer_Create failed\n");
        WdfObjectDelete(device);
        return 1;
    }

    expect(DMF_PingPongBuffer_Write(module, stream, 14, &size) == STATUS_SUCCESS && size == 14, "Write 14 bytes");
    UCHAR* ping = DMF_PingPongBuffer_Get(module, &size);
    expect(ping != NULL && size == 14 && memcmp(ping, stream, 14) == 0, "Get returns the 14 bytes");

    /* The packet is at offset 2 and 8 bytes long: Consume returns it (in the Pong buffer). */
    UCHAR* packet = DMF_PingPongBuffer_Consume(module, 2, 8);
    expect(packet != NULL && memcmp(packet, "PACKET-1", 8) == 0, "Consume(2, 8) returns the packet");
    ping = DMF_PingPongBuffer_Get(module, &size);
    expect(ping != NULL && size == 4 && memcmp(ping, "next", 4) == 0, "Ping holds what followed it");

    DMF_PingPongBuffer_Shift(module, 1);
    expect(PpbModuleLastStatus(module) == STATUS_SUCCESS, "Shift(1)");
    ping = DMF_PingPongBuffer_Get(module, &size);
    expect(ping != NULL && size == 3 && memcmp(ping, "ext", 3) == 0, "Shift dropped one byte");

    /* Write is all or nothing: 62 more bytes do not fit in a BufferSize of 64. */
    UCHAR big[62];
    memset(big, 'x', sizeof big);
    expect(DMF_PingPongBuffer_Write(module, big, 62, &size) == STATUS_INSUFFICIENT_RESOURCES && size == 3,
           "a Write that does not fit is refused and changes nothing");

    DMF_PingPongBuffer_Reset(module);
    ping = DMF_PingPongBuffer_Get(module, &size);
    expect(ping != NULL && size == 0, "Reset empties Ping");

    WdfObjectDelete(device); /* deletes the module too */
    if (failures)
        return 1;
    printf("c-native: PASS (Write, Get, Consume, Shift, Reset over the native device)\n");
    return 0;
}
