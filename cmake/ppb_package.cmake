# The installed package: `cmake --install` puts the libraries, their headers, the generated register
# header, the DMF C headers, the RTL sources (for CAPACITY values verilated on first use), the tools
# and a CMake package (ppbConfig.cmake, version file, exported targets ppb::<component>) and a
# pkg-config file for the C driver (ppb-driver.pc) under the prefix; CPack makes a .deb of it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# In-tree target -> exported component name.
set(ppb_exported
  ppb_regs:regs ppb_warnings:warnings ppb_core:core ppb_device:device ppb_model:model
  ppb_driver:driver ppb_bus_mmio:driver_mmio ppb_emulated_device:emulated_device ppb_bus_tlm:driver_tlm
  ppb_check:check ppb_devices:devices)
if(TARGET ppb_rtl_sim)
  list(APPEND ppb_exported ppb_rtl_sim:rtl)
  set(PPB_PACKAGE_HAVE_RTL TRUE)
else()
  set(PPB_PACKAGE_HAVE_RTL FALSE)
endif()
set(ppb_install_targets "")
foreach(pair IN LISTS ppb_exported)
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 target)
  list(GET pair 1 name)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  add_library(ppb::${name} ALIAS ${target})  # the same names inside the tree
  list(APPEND ppb_install_targets ${target})
endforeach()

install(TARGETS ${ppb_install_targets} EXPORT ppbTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ppb)
install(EXPORT ppbTargets NAMESPACE ppb:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ppb)

# Headers, under include/ppb with the tree's layout (#include "model/ppb_model.hpp"), and the DMF
# C headers also on their own (#include "DmfModules.Library.h" with -I include/ppb/driver/dmf).
foreach(dir model device driver check)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ppb/${dir}
          FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h" PATTERN "test" EXCLUDE)
endforeach()
install(FILES ${PPB_GENERATED_DIR}/ppb_regs.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ppb)
if(TARGET ppb_rtl_sim)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/rtl/sim/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ppb/rtl/sim
          FILES_MATCHING PATTERN "*.hpp")
  # What a CAPACITY verilated on first use is made of (rtl/sim/rtl_builder.hpp).
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/rtl/ DESTINATION ${CMAKE_INSTALL_DATADIR}/ppb/rtl
          FILES_MATCHING PATTERN "*.sv" PATTERN "*.svh" PATTERN "*.vlt" PATTERN "*.f"
          PATTERN "sim" EXCLUDE PATTERN "test" EXCLUDE PATTERN "tb" EXCLUDE PATTERN "bench" EXCLUDE
          PATTERN "formal" EXCLUDE)
  install(FILES ${PROJECT_SOURCE_DIR}/rtl/sim/rtl_plugin.cpp DESTINATION ${CMAKE_INSTALL_DATADIR}/ppb/rtl/sim)
endif()

# Tools.
install(TARGETS ppb-cosim ppb-model-demo RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/testbench/ppb-cosim.gtkw DESTINATION ${CMAKE_INSTALL_DATADIR}/ppb)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/driver/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME driver.md)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/package/ppbConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/ppbConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ppb)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/ppbConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/ppbConfig.cmake ${PROJECT_BINARY_DIR}/package/ppbConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ppb)
configure_file(${PROJECT_SOURCE_DIR}/cmake/package/ppb-driver.pc.in ${PROJECT_BINARY_DIR}/package/ppb-driver.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/ppb-driver.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# A .deb of all of it: `cpack -G DEB` in the build directory (installed at /usr).
set(CPACK_PACKAGE_NAME ppb)
set(CPACK_PACKAGE_VENDOR "PPB")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "PPB ping-pong buffer peripheral: TLM-2.0 model, Verilated RTL, DMF driver, co-simulation")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "ppb@localhost")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsystemc-dev (>= 2.3.3), pkg-config, zlib1g-dev")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cmake (>= 3.25), g++, verilator")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "A ping-pong buffer peripheral three times over: a SystemC/TLM-2.0 model,
 a synthesizable Verilog implementation run through Verilator behind the same sockets, and a driver
 that implements DMF_PingPongBuffer over its registers. find_package(ppb) and pkg-config ppb-driver.")
include(CPack)

# ------------------------------------------------------------------------------ tests
# The package as a user outside the tree meets it: installed into a prefix in the build tree, each
# example built out of tree against it and run; the .deb made, installed with apt-get and used.
if(PPB_BUILD_TESTS)
  set(ppb_prefix ${PROJECT_BINARY_DIR}/package-prefix)
  add_test(NAME package.install COMMAND ${CMAKE_COMMAND} --install ${PROJECT_BINARY_DIR} --prefix ${ppb_prefix})
  set_tests_properties(package.install PROPERTIES FIXTURES_SETUP ppb_prefix LABELS "package" TIMEOUT 300)
  set(ppb_check ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/example-check --c-compiler ${CMAKE_C_COMPILER}
      --cxx-compiler ${CMAKE_CXX_COMPILER})
  set(ppb_examples ${PROJECT_SOURCE_DIR}/examples)
  set(ppb_example_build ${PROJECT_BINARY_DIR}/examples)
  add_test(NAME package.example.c_native_cmake
           COMMAND ${ppb_check} --prefix ${ppb_prefix} ${ppb_examples}/c-native ${ppb_example_build}/c-native c-native)
  add_test(NAME package.example.c_native_pkg_config
           COMMAND ${ppb_check} --pkg-config ${ppb_prefix} ${ppb_examples}/c-native/main.c
                   ${ppb_example_build}/c-native-pc c-native)
  add_test(NAME package.example.systemc_platform
           COMMAND ${ppb_check} --prefix ${ppb_prefix} ${ppb_examples}/systemc-platform ${ppb_example_build}/platform platform)
  add_test(NAME package.example.mmio_driver
           COMMAND ${ppb_check} --prefix ${ppb_prefix} ${ppb_examples}/mmio-driver ${ppb_example_build}/mmio mmio-driver)
  set(ppb_example_tests package.example.c_native_cmake package.example.c_native_pkg_config
      package.example.systemc_platform package.example.mmio_driver)
  if(TARGET ppb_rtl_sim)
    add_test(NAME package.example.systemc_platform_rtl
             COMMAND ${ppb_check} --prefix ${ppb_prefix} ${ppb_examples}/systemc-platform-rtl
                     ${ppb_example_build}/platform-rtl platform-rtl)
    list(APPEND ppb_example_tests package.example.systemc_platform_rtl)
  endif()
  set_tests_properties(${ppb_example_tests} PROPERTIES FIXTURES_REQUIRED ppb_prefix LABELS "package" TIMEOUT 600)
  add_test(NAME package.deb_installs_with_apt_and_builds_the_examples
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/deb-check ${PROJECT_BINARY_DIR})
  set_tests_properties(package.deb_installs_with_apt_and_builds_the_examples PROPERTIES
                       LABELS "package" TIMEOUT 900 SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
endif()
