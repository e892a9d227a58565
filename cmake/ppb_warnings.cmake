# Warnings and sanitizers for the project's own targets (not for generated or third-party code).
add_library(ppb_warnings INTERFACE)
target_compile_options(ppb_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                       -Wno-sign-conversion)

option(PPB_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(PPB_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
