# ppb_add_gtest(<target> LABELS <label>... [TIMEOUT <s>] SOURCES <src>... LIBS <lib>... [SYSTEMC])
#
# SystemC allows one elaboration per process, so every test runs as its own process: discovery runs
# before each test (PRE_TEST), and CTest starts the binary once per test. SYSTEMC tests link the
# harness whose main() hands control to sc_main (testbench/harness).
function(ppb_add_gtest target)
  if(NOT PPB_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "SYSTEMC" "TIMEOUT" "LABELS;SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_LIBS} ppb_warnings GTest::gtest GTest::gmock)
  if(ARG_SYSTEMC)
    target_link_libraries(${target} PRIVATE ppb_sc_gtest_main)
  else()
    target_link_libraries(${target} PRIVATE GTest::gtest_main)
  endif()
  # A list handed on through PROPERTIES must keep its separators escaped, or only its first
  # element reaches set_tests_properties.
  string(REPLACE ";" "\\;" labels "${ARG_LABELS}")
  gtest_discover_tests(${target}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${labels}" TIMEOUT ${ARG_TIMEOUT})
endfunction()
