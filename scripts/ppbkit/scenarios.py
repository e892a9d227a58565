"""The scenario families of the co-simulation runs, in one table.

Each family has a fixed command line that scripts/cosim-seeds runs over many seeds, the ones that lose
no intact frame a shorter one that scripts/cosim-compare-backends runs on two backends, and scripts/soak
draws random parameters around each (draw()). The table's order is the soak's: a soak seed replays the
same scenarios only while the families and their draws stay in this order.
"""
from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

CRC_BITS = {"crc16": 16, "crc32": 32}
FRAME_HEADER = 6  # sync 2, length 2, sequence 2; the CRC follows


def frame_overhead(crc: str = "crc16") -> int:
    """Bytes of a frame besides its payload."""
    return FRAME_HEADER + CRC_BITS[crc] // 8


@dataclasses.dataclass(frozen=True)
class Family:
    name: str
    lossless: bool  # every intact frame is delivered, so every backend delivers the same frames
    soak: Callable[[random.Random], list[str]]  # its own options, drawn after the common ones
    seeds: str = ""  # scripts/cosim-seeds' command line ('' for none)
    compare: str = ""  # scripts/cosim-compare-backends' ('' for none; lossless families only)


def _noisy(rng: random.Random) -> list[str]:
    return ["--noise", f"{rng.uniform(0.05, 0.4):.2f}", "--corrupt", f"{rng.uniform(0.0, 0.2):.2f}"]


def _host(rng: random.Random) -> list[str]:
    return ["--mode", "host", "--chunk", str(rng.randint(1, 600))]


def _drop(rng: random.Random) -> list[str]:
    return ["--cost-per-packet", str(rng.choice([5000, 10000])), "--drop-when-full"]


FAMILIES = (
    Family("clean", True, lambda rng: [],
           seeds="--packets 2000", compare="--packets 800"),
    Family("noisy", True, _noisy,
           seeds="--packets 2000 --noise 0.3 --corrupt 0.1 --payload-min 0 --payload-max 1500",
           compare="--packets 800 --noise 0.3 --corrupt 0.1"),
    Family("slow_client", True, lambda rng: ["--cost-per-packet", str(rng.choice([2000, 5000, 10000]))],
           seeds="--packets 1000 --capacity 1024 --link-rate 100 --cost-per-packet 5000",
           compare="--packets 500 --capacity 1024 --link-rate 100 --cost-per-packet 5000"),
    Family("drop", False, _drop,
           seeds="--packets 1000 --capacity 1024 --link-rate 100 --cost-per-packet 5000 --drop-when-full"),
    Family("host", True, _host,
           seeds="--packets 2000 --mode host --chunk 500 --noise 0.2",
           compare="--packets 600 --mode host --chunk 300 --noise 0.2"),
    # The producer drops a Write that does not fit.
    Family("host_drop", False, lambda rng: _host(rng) + _drop(rng)),
    Family("poll", True, lambda rng: ["--wait", "poll", "--poll-interval", str(rng.choice([50, 200, 1000])),
                                      "--burst", str(rng.choice([1, 64, 4000]))],
           seeds="--packets 1000 --wait poll --burst 4000",
           compare="--packets 500 --wait poll --payload-max 1500"),
    Family("reset", False, lambda rng: _noisy(rng) + ["--reset-after", str(rng.randint(10, 140))],
           seeds="--packets 1500 --reset-after 500"),
    Family("no_dmi", True, lambda rng: ["--no-dmi"],
           seeds="--packets 1000 --no-dmi --quantum 0"),
)
NAMES = [f.name for f in FAMILIES]
BY_NAME = {f.name: f for f in FAMILIES}


def seeds_scenarios() -> list[tuple[str, list[str]]]:
    """(family, arguments) of scripts/cosim-seeds, in table order."""
    return [(f.name, f.seeds.split()) for f in FAMILIES if f.seeds]


def compare_scenarios() -> list[tuple[str, list[str]]]:
    """(family, arguments) of scripts/cosim-compare-backends, in table order."""
    return [(f.name, f.compare.split()) for f in FAMILIES if f.compare]


def draw(rng: random.Random, family: str, rtl: bool) -> tuple[list[str], bool]:
    """The soak's ppb-cosim command line (without --backend) for a family, its parameters drawn from rng,
    and whether it must lose no intact frame. rtl: capacities an RTL run can afford (each one the build
    did not verilate costs a Verilator run once, then comes from the cache)."""
    f = BY_NAME[family]
    capacity = rng.choice([256, 1024, 4096, 16384] if rtl else [256, 1024, 4096, 16384, 65536])
    buffer_size = capacity if rng.random() < 0.6 else rng.randint(max(64, capacity // 4), capacity)
    # A quarter of the runs frame with CRC-32, which makes framing false accepts negligible.
    crc = "crc32" if rng.random() < 0.25 else "crc16"
    # ppb-cosim refuses a BufferSize that cannot hold the largest frame.
    payload_max = min(rng.choice([64, 256, 1000, 1500]), buffer_size - frame_overhead(crc))
    a = ["--packets", str(rng.randint(150, 900)), "--capacity", str(capacity),
         "--buffer-size", str(buffer_size), "--payload-min", str(rng.randint(0, 16)),
         "--payload-max", str(max(16, payload_max)),
         "--link-rate", str(rng.choice([10, 25, 50, 100, 200])),
         "--quantum", str(rng.choice([0, 10, 1000, 100000])), "--frame-check", crc]
    a += f.soak(rng)
    a += ["--seed", str(rng.randint(1, 2**31 - 1))]
    return a, f.lossless
