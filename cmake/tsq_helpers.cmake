# Shared compile flags live in one INTERFACE target that every tsq target links.
add_library(tsq_flags INTERFACE)
target_compile_features(tsq_flags INTERFACE cxx_std_20)
target_include_directories(tsq_flags INTERFACE ${PROJECT_SOURCE_DIR}/src)
target_compile_options(tsq_flags INTERFACE -Wall -Wextra -Wpedantic -Wimplicit-fallthrough
                                           -Wno-missing-field-initializers)
# GCC 12 at -O2/-O3 reports false -Wrestrict warnings inside std::string's operator+
# (GCC bug 105329); the code it points at is standard-library internals.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(tsq_flags INTERFACE -Wno-restrict)
endif()
if(TSQ_WERROR)
  target_compile_options(tsq_flags INTERFACE -Werror)
endif()
if(TSQ_SANITIZE)
  target_compile_options(tsq_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
  # Not position-independent: a sanitized tsq has over two million relocations, which cost a
  # third of a second at every start, and the end-to-end tests start it hundreds of times.
  target_link_options(tsq_flags INTERFACE -fsanitize=address,undefined -no-pie)
endif()
target_link_libraries(tsq_flags INTERFACE Threads::Threads)

# tsq_add_library(<layer> SOURCES ... DEPS ...): one static library per layer, named tsq_<layer>.
function(tsq_add_library layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tsq_${layer} STATIC ${ARG_SOURCES})
  target_link_libraries(tsq_${layer} PUBLIC tsq_flags ${ARG_DEPS})
endfunction()

# tsq_add_tests(<layer> SOURCES ... DEPS ...): one GoogleTest binary per layer, registered with
# ctest as tsq_<layer>_tests under the label "unit".
function(tsq_add_tests layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT TSQ_BUILD_TESTS)
    return()
  endif()
  add_executable(tsq_${layer}_tests ${ARG_SOURCES})
  target_link_libraries(tsq_${layer}_tests PRIVATE tsq_${layer} ${ARG_DEPS} GTest::gtest
                                                   GTest::gtest_main)
  target_compile_definitions(tsq_${layer}_tests
                             PRIVATE TSQ_TESTDATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
  # One ctest per binary, not per case: under the sanitizers a process start costs more than most
  # cases, and listing the cases at build time ran each binary once more. Pick cases with
  # --gtest_filter.
  add_test(NAME tsq_${layer}_tests COMMAND tsq_${layer}_tests)
  set_tests_properties(tsq_${layer}_tests PROPERTIES LABELS unit TIMEOUT 900)
endfunction()

# tsq_embed_text(<out.cpp> INPUT <file> SYMBOL <name>): at build time, a C++ file defining
# `const std::string_view tsq::<name>` with the file's bytes (cmake/embed_text.cmake), so tsq
# needs no data files next to it. Rebuilt when the file changes.
function(tsq_embed_text out)
  cmake_parse_arguments(ARG "" "INPUT;SYMBOL" "" ${ARGN})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${ARG_INPUT} -DOUTPUT=${out} -DSYMBOL=${ARG_SYMBOL}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake
    DEPENDS ${ARG_INPUT} ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake
    COMMENT "Embedding ${ARG_INPUT}")
endfunction()
