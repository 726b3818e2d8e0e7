# CompilerMatrix.cmake - the whole project again with the other C compiler.
#
# Included from the top-level CMakeLists.txt after include(CTest).  With
# BUILD_TESTING on, outside the sanitizer and compiler sub-builds, it adds one
# ctest (label "build"):
#   build.clang   top-level compiler is not clang: sub-build with clang
#   build.gcc     top-level compiler is clang: sub-build with gcc
# in ${CMAKE_BINARY_DIR}/cc-<compiler>: configure with -DCMAKE_C_FLAGS=-Werror,
# SL_SANITIZE=address (the analyser, its tests and the runtime under
# AddressSanitizer and LeakSanitizer: every testdata case and end-to-end run
# is then also a memory check), SL_SANITIZER_TESTS=OFF and
# SL_COMPILER_MATRIX=OFF (no recursion), build -j2, run all of its tests
# (cmake/compiler_test.cmake).  Skipped only when the
# other compiler is not installed; SL_MATRIX_CC names it explicitly.
option(SL_COMPILER_MATRIX "add the build.clang / build.gcc ctest (the project built with the other compiler, -Werror)" ON)

if(BUILD_TESTING AND SL_COMPILER_MATRIX AND NOT SL_SANITIZE)
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(_sl_other gcc)
    set(_sl_names gcc)
  else()
    set(_sl_other clang)
    set(_sl_names clang-19 clang)   # the supported clang first
  endif()
  find_program(SL_MATRIX_CC NAMES ${_sl_names}
               DOC "the C compiler of the build.${_sl_other} sub-build")
  if(SL_MATRIX_CC)
    set(_sl_cc ${SL_MATRIX_CC})
  else()
    set(_sl_cc "")                   # compiler_test.cmake skips
  endif()
  add_test(NAME build.${_sl_other}
    COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR} -DBIN=${CMAKE_BINARY_DIR}/cc-${_sl_other}
            -DCC=${_sl_cc} -DCTEST=${CMAKE_CTEST_COMMAND} -DNAME=build.${_sl_other}
            "-DGENERATOR=${CMAKE_GENERATOR}" -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
            "-DEXTRA=-DSL_BUILD_LINTER=${SL_BUILD_LINTER};-DSL_SANITIZE=address"
            -P ${CMAKE_CURRENT_LIST_DIR}/compiler_test.cmake)
  # 77 needs CMake >= 3.29 in a script; the marker covers older ones.
  set_tests_properties(build.${_sl_other} PROPERTIES LABELS build TIMEOUT 1500
    SKIP_RETURN_CODE 77 SKIP_REGULAR_EXPRESSION "SL_COMPILER_MATRIX_SKIP:")
  unset(_sl_other)
  unset(_sl_names)
  unset(_sl_cc)
endif()
