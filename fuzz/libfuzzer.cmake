# Included by the top CMakeLists before any target: with PPB_LIBFUZZER every target is compiled
# with libFuzzer's coverage instrumentation (fuzzer-no-link) and ASan/UBSan, so the model and the
# driver the fuzzers exercise are instrumented too; fuzz/CMakeLists.txt links the fuzz targets
# with -fsanitize=fuzzer (libFuzzer's main).
option(PPB_LIBFUZZER "Build the fuzz targets as libFuzzer binaries (clang only)" OFF)
if(PPB_LIBFUZZER)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PPB_LIBFUZZER needs clang (the fuzz preset uses clang++-14), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
