# sanitizer_test.cmake - ctest driver: build the project with one sanitizer
# in a sub-build and run the runtime tests there; any report fails.
# Inputs: SRC, BIN (sub-build dir), SAN (thread|address|undefined), CC, CTEST;
# optional EXTRA: more -D cache settings for the sub-build (a list).
foreach(v SRC BIN SAN CC CTEST)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "sanitizer_test.cmake: ${v} not set")
  endif()
endforeach()

execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN}
          -DCMAKE_C_COMPILER=${CC} -DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DSL_SANITIZE=${SAN} -DSL_BUILD_LINTER=OFF -DSL_SANITIZER_TESTS=OFF
          -DSL_COMPILER_MATRIX=OFF ${EXTRA}
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cannot configure the ${SAN} sub-build in '${BIN}'")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} -j2 RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cannot build the ${SAN} sub-build in '${BIN}'")
endif()

set(ENV{TSAN_OPTIONS} "halt_on_error=1:exitcode=66:second_deadlock_stack=1")
set(ENV{ASAN_OPTIONS} "detect_leaks=1:halt_on_error=1:exitcode=66")
set(ENV{UBSAN_OPTIONS} "halt_on_error=1:exitcode=66:print_stacktrace=1")
execute_process(
  COMMAND ${CTEST} --test-dir ${BIN} -L runtime -E "runtime\\.(tsan|asan|install|bench_smoke|bench_table)"
          --output-on-failure
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(rc OR out MATCHES "(WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:)")
  message(FATAL_ERROR "runtime tests failed or reported under -fsanitize=${SAN}")
endif()
