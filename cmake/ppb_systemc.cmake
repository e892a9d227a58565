# SystemC 2.3.4 from Debian: pkg-config only. Debian built it as C++17; every translation unit that
# includes SystemC must say so, or linking fails on sc_api_version_2_3_4_cxx202002L. This target is
# the one place that sets it: link SystemC::systemc and nothing else.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET GLOBAL systemc>=2.3.3)
add_library(SystemC::systemc ALIAS PkgConfig::SYSTEMC)
set_property(TARGET PkgConfig::SYSTEMC APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS SC_CPLUSPLUS=201703L)
find_package(Threads REQUIRED)
set_property(TARGET PkgConfig::SYSTEMC APPEND PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)

# Verilator's verilate() reads these; set them here, not in the user's shell.
pkg_get_variable(SYSTEMC_PREFIX systemc prefix)
set(SYSTEMC_INCLUDE "${SYSTEMC_INCLUDEDIR}" CACHE PATH "SystemC include dir for Verilator")
set(SYSTEMC_LIBDIR "${SYSTEMC_LIBDIR}" CACHE PATH "SystemC library dir for Verilator")
if(NOT SYSTEMC_INCLUDE)
  set(SYSTEMC_INCLUDE "${SYSTEMC_PREFIX}/include" CACHE PATH "" FORCE)
endif()
