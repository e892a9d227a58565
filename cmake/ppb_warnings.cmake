# Warnings and sanitizers for the project's own targets (not for generated or third-party code).
add_library(ppb_warnings INTERFACE)
target_compile_options(ppb_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                       -Wno-sign-conversion)

option(PPB_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(PPB_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Coverage (preset `coverage`): gcov instrumentation of the project's own code only (every project
# target links ppb_warnings; generated Verilated C++ and third-party code stay uninstrumented).
option(PPB_COVERAGE "Build with gcov line coverage and Verilator coverage" OFF)
if(PPB_COVERAGE)
  target_compile_options(ppb_warnings INTERFACE --coverage)
  add_link_options(--coverage)
endif()
