# The register header is generated from regmap/ppb.toml at build time and never committed.
find_package(Python3 3.11 REQUIRED COMPONENTS Interpreter)  # tomllib
set(PPB_REGMAP ${PROJECT_SOURCE_DIR}/regmap/ppb.toml)
set(PPB_REGTOOL ${PROJECT_SOURCE_DIR}/scripts/regtool.py)
set(PPB_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
add_custom_command(
  OUTPUT ${PPB_GENERATED_DIR}/ppb_regs.hpp
  COMMAND ${Python3_EXECUTABLE} ${PPB_REGTOOL} --desc ${PPB_REGMAP} cpp ${PPB_GENERATED_DIR}/ppb_regs.hpp
  DEPENDS ${PPB_REGMAP} ${PPB_REGTOOL}
  COMMENT "Generating ppb_regs.hpp from regmap/ppb.toml"
  VERBATIM)
add_custom_target(ppb_regs_gen DEPENDS ${PPB_GENERATED_DIR}/ppb_regs.hpp)
add_library(ppb_regs INTERFACE)
add_dependencies(ppb_regs ppb_regs_gen)
target_include_directories(ppb_regs INTERFACE $<BUILD_INTERFACE:${PPB_GENERATED_DIR}> $<INSTALL_INTERFACE:include/ppb>)
