// The tests' fake device is the package's emulated device (driver/emulated_device.hpp).
#pragma once

#include "driver/emulated_device.hpp"

namespace ppb::driver::test {
using fake_device = ppb::driver::emulated_device;
}  // namespace ppb::driver::test
