"""The analytic prediction of where consumption becomes slower than collection (docs/exploration.md
derives it).

Per frame of B bytes the client (one thread: it parses, consumes and processes) spends

    C = cost_per_packet + cost_per_byte * B                 its processing, in simulated time
      + a * 2 * T                                           a register accesses, 2 cycles each (APB)
      + (B/4 + 0.75 * g) * 2 * T                            reading the frame's bytes out of Ping: 2 cycles
                                                            per 32-bit word, g reads per frame
      + max(0, busy - (cost_per_packet + cost_per_byte*B))  the copy engine's BUSY time per swap, as far
                                                            as it outlasts the processing it overlaps

while the link delivers a frame in B / R, R = min(link rate, 1 / T) (the port takes one byte per cycle).
The consumer keeps up while C < B / R: its capacity is B / C bytes per second, and delivered throughput
is min(R, B / C). On the native backend (DMF in host memory) the bus terms are 0.
"""
from ppbkit.scenarios import frame_overhead

def overhead(flat) -> int:
    """Frame bytes besides the payload, for the run's frame check (CRC-16 unless it says otherwise)."""
    return frame_overhead(str(flat.get("config_frame_check") or "crc16"))


def _f(flat, key, default=0.0):
    v = flat.get(key, default)
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def mean_frame_bytes(flat):
    """Mean size of the frames the client processed: as delivered, or (nothing delivered) from the
    payload range for uniform and two-valued sizes."""
    delivered = _f(flat, "frames_delivered")
    if delivered:
        return _f(flat, "bytes_delivered") / delivered
    sizes = str(flat.get("config_payload_dist", flat.get("config_sizes", "uniform")) or "uniform")
    if sizes in ("uniform", "bimodal"):
        return overhead(flat) + (_f(flat, "config_payload_min", 16) + _f(flat, "config_payload_max", 512)) / 2
    sent = _f(flat, "frames_sent")
    return _f(flat, "bytes_in") / sent if sent else overhead(flat)


def consumer_seconds(cost_per_packet, cost_per_byte, frame_bytes, clock, reg_per_frame, gets_per_frame,
                     busy_per_swap, bus=True):
    """C: the client's time per frame (seconds)."""
    cost = cost_per_packet + cost_per_byte * frame_bytes
    if not bus:
        return cost
    regs = reg_per_frame * 2 * clock
    read = (frame_bytes / 4 + 0.75 * gets_per_frame) * 2 * clock
    return cost + regs + read + max(0.0, busy_per_swap - cost)


def derive(flat):
    """Derived columns for one point from its flattened JSON."""
    out = {}
    b_in = _f(flat, "bytes_in")
    t = _f(flat, "time_simulated_s")
    intact = _f(flat, "frames_intact")
    delivered = _f(flat, "frames_delivered")
    clock = _f(flat, "config_clock_period", 10e-9) or 10e-9
    link = min(_f(flat, "config_link_rate", 50e6), 1.0 / clock)
    out["drop_rate"] = _f(flat, "bytes_dropped") / b_in if b_in else 0.0
    out["frame_loss_rate"] = (intact - delivered) / intact if intact else 0.0
    out["link_MBps"] = link / 1e6
    out["offered_MBps"] = b_in / t / 1e6 if t else 0.0
    B = mean_frame_bytes(flat)
    swaps = _f(flat, "client_consumes") + _f(flat, "client_shifts")
    bus = str(flat.get("config_backend", "tlm")) != "native"
    C = consumer_seconds(_f(flat, "config_cost_per_packet"), _f(flat, "config_cost_per_byte"), B, clock,
                         _f(flat, "bus_reg_accesses_per_frame"),
                         _f(flat, "client_gets") / delivered if delivered else 1.0,
                         _f(flat, "time_busy_s") / swaps if swaps else 0.0, bus)
    cap = B / C if C > 0 else float("inf")
    out["mean_frame_bytes"] = round(B, 3)
    out["analytic_consumer_ns"] = C * 1e9
    out["analytic_capacity_MBps"] = cap / 1e6
    out["analytic_throughput_MBps"] = min(link, cap) / 1e6
    out["load"] = link / cap if cap else 0.0
    return out
