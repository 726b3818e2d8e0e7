# compiler_test.cmake - ctest driver: configure the whole project with another
# C compiler and -Werror in a sub-build, build it, run all of its tests; any
# failing step fails.  The one skip: the other compiler is not installed.
# Inputs: SRC, BIN (sub-build dir), CC (the compiler: a path, or empty when
# none was found), CTEST, NAME (the test's name, for messages);
# optional GENERATOR, BUILD_TYPE, EXTRA: more -D cache settings (a list).
cmake_minimum_required(VERSION 3.20)   # --test-dir; policies NEW
foreach(v SRC BIN CTEST NAME)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "compiler_test.cmake: ${v} not set")
  endif()
endforeach()

# Skip = exit code 77 (SKIP_RETURN_CODE).  A script can only choose its exit
# code from CMake 3.29 on; before that the marker line below is what ctest's
# SKIP_REGULAR_EXPRESSION sees, and FATAL_ERROR exits 1.
if(NOT CC OR NOT EXISTS "${CC}")
  message("SL_COMPILER_MATRIX_SKIP: ${NAME}: compiler '${CC}' not installed")
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.29)
    cmake_language(EXIT 77)
  endif()
  message(FATAL_ERROR "skipped")
endif()

# A sub-build first configured with another compiler (a different path)
# cannot be switched over: start it afresh.
if(EXISTS ${BIN}/CMakeCache.txt)
  file(STRINGS ${BIN}/CMakeCache.txt cached REGEX "^CMAKE_C_COMPILER:[A-Z]*=")
  string(REGEX REPLACE "^CMAKE_C_COMPILER:[A-Z]*=" "" cached "${cached}")
  if(NOT cached STREQUAL "" AND NOT cached STREQUAL "${CC}")
    file(REMOVE_RECURSE ${BIN})
  endif()
endif()

set(gen "")
if(GENERATOR)
  set(gen -G "${GENERATOR}")
endif()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE RelWithDebInfo)
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN} ${gen}
          -DCMAKE_C_COMPILER=${CC} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
          -DCMAKE_C_FLAGS=-Werror
          -DSL_SANITIZER_TESTS=OFF -DSL_COMPILER_MATRIX=OFF ${EXTRA}
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "${NAME}: cannot configure the sub-build with '${CC}' in '${BIN}'")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} -j2 RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "${NAME}: the sub-build with '${CC}' -Werror failed in '${BIN}'")
endif()
execute_process(COMMAND ${CTEST} --test-dir ${BIN} -j2 --output-on-failure
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "${NAME}: tests failed in the sub-build with '${CC}' in '${BIN}'")
endif()
