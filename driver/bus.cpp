#include "driver/bus.hpp"

namespace ppb::driver {

bus_status bus::read32(std::uint32_t offset, std::uint32_t& value) {
    ++counters_.reg_reads;
    const bus_status s = do_read32(offset, value);
    if (s != bus_status::ok)
        ++counters_.errors;
    return s;
}

bus_status bus::write32(std::uint32_t offset, std::uint32_t value) {
    ++counters_.reg_writes;
    const bus_status s = do_write32(offset, value);
    if (s != bus_status::ok)
        ++counters_.errors;
    return s;
}

bus_status bus::read_bytes(std::uint32_t address, std::span<std::uint8_t> out) {
    ++counters_.burst_reads;
    const bus_status s = do_read_bytes(address, out);
    if (s != bus_status::ok)
        ++counters_.errors;
    else
        counters_.bytes_read += out.size();
    return s;
}

bus_status bus::write_bytes(std::uint32_t address, std::span<const std::uint8_t> in) {
    ++counters_.burst_writes;
    const bus_status s = do_write_bytes(address, in);
    if (s != bus_status::ok)
        ++counters_.errors;
    else
        counters_.bytes_written += in.size();
    return s;
}

bus_status bus::direct(std::uint32_t address, std::uint32_t length, direct_window& out) {
    return do_direct(address, length, out);
}

void bus::touch_direct(std::uint32_t address, std::uint32_t length, bool write) {
    if (length == 0)
        return;
    if (write) {
        counters_.bytes_written += length;
        counters_.direct_bytes_written += length;
    } else {
        counters_.bytes_read += length;
        counters_.direct_bytes_read += length;
    }
    do_touch_direct(address, length, write);
}

bus_status bus::wait_irq(std::chrono::nanoseconds timeout) {
    ++counters_.irq_waits;
    const bus_status s = do_wait_irq(timeout);
    if (s == bus_status::timeout)
        ++counters_.irq_timeouts;
    return s;
}

void bus::idle(std::uint64_t cycles) {
    if (cycles == 0)
        return;
    counters_.idle_cycles += cycles;
    do_idle(cycles);
}

}  // namespace ppb::driver
