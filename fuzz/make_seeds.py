#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz corpora (fuzz/corpus/<target>/seed-*).

Each seed is a short program in the target's input encoding (see the target's .cpp): a
configuration, then operations. libFuzzer grows the corpora from these; scripts/fuzz --merge
adds what it finds. Re-running this script rewrites the seeds only, byte for byte the same.
"""
import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent

# dmf_differential: capacity index (16 20 32 64 128 256), BufferSize - 1, flags (1 stream,
# 2 drop when full, 4 zero-copy); then per operation a selector byte (mod 16: 0-4 fill, 5 the
# other fill, 6-7 Get, 8-11 Consume, 12-14 Shift, 15 Reset) and its operands. A pick byte
# (mod 8: 0 zero, 1 edge, 2 below edge, 3 BufferSize, 4 2^32-1, 5 u32, 6-7 uniform) precedes
# each length or offset; a fill is followed by the pattern seed.
def dmf(flags, ops, cap=3, size=63):
    return bytes([cap, size, flags]) + bytes(ops)

FILL, OTHER, GET, CONSUME, SHIFT, RESET = 0, 5, 6, 8, 12, 15
EDGE, BELOW, ZERO, SIZE, HUGE = 1, 2, 0, 3, 4
dmf_ops = [
    FILL, 6, 20, 0x11,        # fill 20 bytes (uniform pick 20 of room)
    GET,
    CONSUME, 6, 4, 6, 8,      # Consume(4, 8)
    FILL, EDGE, 0x22,         # fill exactly the room
    FILL, 1 | 8, 0x33,        # room + 1: refused / dropped
    SHIFT, 6, 3,              # Shift(3)
    CONSUME, EDGE, EDGE,      # Consume(FILL, 0)
    CONSUME, HUGE, 6, 1,      # Consume(2^32 - 1, ...)
    SHIFT, SIZE,              # Shift(BufferSize)
    RESET,
    FILL, 6, 40, 0x44,
    CONSUME, ZERO, EDGE,      # Consume(0, FILL)
    OTHER, 6, 5, 0x55,
]
# A selector of 0xFF is a handle operation, then a byte (mod 4: 0 new modules, 1 new devices and
# modules, the old handles kept as stale; 2-3 a forged handle: mod 6 of the next byte 0 any u64,
# 1 a live handle one bit off, 2-3 the old layout's module and device tags, 4 a heap address,
# 5 a stale handle; bit 2 of the first byte picks which live device is also tried as a module).
HANDLE = 0xFF
dmf_handle_ops = [
    FILL, 6, 20, 0x11, GET,
    HANDLE, 0,                # new modules: the first two handles are stale
    FILL, 6, 12, 0x22, GET,
    HANDLE, 2, 2,             # the old module tag at some address
    HANDLE, 6, 3,             # the old device tag; the DUT's device as a module
    HANDLE, 1,                # new devices: their modules and the devices are stale
    CONSUME, 6, 2, 6, 4,
    HANDLE, 3, 5, 1,          # a stale handle
    HANDLE, 2, 1, 0, 3,       # the DUT module's handle with bit 3 flipped
    HANDLE, 2, 1, 1, 32,      # the reference module's with bit 32 flipped
    HANDLE, 2, 0, 9, 0, 0, 0, 0, 0, 0, 0,  # any value
    HANDLE, 2, 4, 3,          # an address inside a live object
    SHIFT, 6, 1, RESET,
]
DMF = {
    "handles": dmf(0, dmf_handle_ops),
    "handles-stream": dmf(1, dmf_handle_ops),
    "host-mirror": dmf(0, dmf_ops),
    "host-zero-copy": dmf(4, dmf_ops),
    "stream-backpressure": dmf(1, dmf_ops),
    "stream-drop": dmf(3, dmf_ops),
    "stream-drop-zero-copy": dmf(7, dmf_ops),
    "tiny-buffer": dmf(0, dmf_ops, cap=0, size=0),
    "big-buffer": dmf(5, dmf_ops, cap=5, size=255),
}

# model_bus: per operation a selector (mod 16: 0-5 register, 6-9 bank, 10-11 anywhere, 12 stream
# push, 13 refused stream transaction, 14 DMI request, 15 synchronise) and its operands.
REG, BANK, RAW, PUSH, SREF, DMI, SYNC = 0, 6, 10, 12, 13, 14, 15
# register index into the generated table: ID 0 ... CTRL 3, STATUS 4, FILL 5, LIMIT 6, ARG0 7,
# ARG1 8, CMD 9, IRQ_STATUS 10, IRQ_ENABLE 11, THRESHOLD 12, DROPPED 13, SWAPS 14, INGRESS 15, IRQ_TEST 16
def wr(reg, small):
    return [REG, reg, 1, 3, small]          # write, value kind "small" (u8 % (CAPACITY + 4))
def rd(reg):
    return [REG, reg, 0, 3, 0]
def cmd(opcode):
    return [REG, 9, 1, 1, opcode - 1]       # value kind "opcode": 1 + u8 % 5
# A bank access: bank, offset, length - 1, command (0 read, 1 write, 2 ignore), streaming width
# (how % 4 != 0: none; else 1 + how / 4 % 8), 1 (not 4 bytes below the window), byte enables
# (how % 4 != 0: none), then the data's seed.
def bank(b, off, length, command, width=1, be=1):
    return [BANK, b, off, length - 1, command, width, 1, be, 0x11, 0x22, 0x33, 0x44]
MODEL = {
    "registers": bytes(sum((rd(i) for i in range(17)), [])),
    "host-commands": bytes(bank(0, 0, 16, 1) + wr(8, 16) + cmd(4) + rd(5) + wr(7, 4) + wr(8, 4) + cmd(3) +
                           [SYNC] + rd(4) + rd(5) + wr(7, 2) + cmd(2) + [SYNC] + cmd(1) + rd(10) + wr(10, 31) +
                           cmd(7) + rd(4)),
    "stream": bytes(wr(3, 1) + wr(12, 8) + wr(11, 31) + [PUSH, 20] + rd(5) + wr(7, 5) + wr(8, 5) + cmd(3) +
                    [PUSH, 30] + wr(3, 3) + [PUSH, 60] + rd(13) + wr(13, 0) + cmd(4) + [SYNC] + rd(10)),
    "limit": bytes(wr(6, 0) + wr(6, 67) + wr(6, 32) + bank(0, 0, 40, 1) + wr(8, 32) + cmd(4) + wr(6, 16) +
                   wr(6, 40) + rd(6)),
    "bank-edges": bytes(bank(0, 60, 8, 1) + bank(1, 63, 1, 0) + bank(1, 64, 1, 0) + bank(0, 0, 16, 1, width=3 * 4) +
                        [BANK, 0, 8, 7, 1, 1, 1, 0, 3, 1, 0, 1, 1, 9, 9, 9, 9] + [RAW, 6, 0xFC, 3, 0, 1, 1] +
                        [RAW, 2, 0xFE, 3, 1, 1, 1, 5, 6, 7, 8] +
                        [SREF, 0, SREF, 1, DMI, 1, 5, 0, DMI, 0, 7, 1]),
    "irq-test": bytes(wr(11, 31) + [REG, 16, 1, 3, 0x1F] + rd(10) + wr(10, 31) + [SYNC]),
}

# driver_hostile: per step a byte (0xFF: open again) then, after an open byte (mod 4 == 0: u32
# BufferSize, else 1 + u8 % 300; bit 2 stream, bit 3 drop, bit 4 zero-copy, bit 5 through DMF's
# C API, whose handles the next open makes stale), every bus access
# takes one decision byte (mod 8: 0 error, 1 raw u32, else a plausible value from the next byte).
def calm(n, value=0):
    return [2, value] * n
# An open that succeeds: BufferSize 1 + 64; ID, VERSION, CAPACITY (4096), CTRL written, STATUS not
# BUSY, then the writes and reads of the open's reset, each access one decision byte (a read two).
def dmf_open(how):
    return [how, 64, 0] + [2, 0, 2, 0, 2, 3, 2, 2, 0, 2, 2, 2, 2, 2, 2, 0, 2, 0]
HOSTILE = {
    "open-host-mirror": bytes([1, 64] + calm(24) + [0, 1] + calm(8) + [0, 0] + calm(4) + [0, 2, 6] + calm(12)),
    "open-stream-zero-copy": bytes([1, 64 | 4 | 16] + calm(24) + [5, 4] + calm(10) + [0, 0] + calm(8)),
    "open-fails": bytes([1, 0] + [0, 0] + [0xFF, 1, 9, 1, 0]),
    "bad-capacity": bytes([1, 17] + [2, 0, 2, 0, 2, 4]),
    # Opened through DMF (BufferSize 65: u16 64 + 1), closed at once by a second open through DMF,
    # which takes the same handle slot with a new generation; calls; then an open of the driver
    # itself: the stale handles are probed at every step.
    "dmf-handles": bytes(dmf_open(1 | 32) + [0xFF] + dmf_open(1 | 32) + [0, 0] + calm(6) + [0, 2, 6] + calm(6) +
                         [0xFF] + dmf_open(1) + [0, 0] + calm(6)),
}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=pathlib.Path, default=HERE / "corpus", help="corpus root (fuzz/corpus)")
    args = ap.parse_args()
    for target, seeds in (("dmf_differential", DMF), ("model_bus", MODEL), ("driver_hostile", HOSTILE)):
        d = args.corpus / target
        d.mkdir(parents=True, exist_ok=True)
        for name, data in seeds.items():
            (d / f"seed-{name}").write_bytes(data)
        print(f"{target}: {len(seeds)} seeds in {d}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
