# install_test.cmake - ctest driver: install libsynclint to a scratch prefix,
# build a user program with `pkg-config --cflags --libs synclint`, run it
# (shared and static).  Inputs: BIN, PREFIX, CC, LIBDIR, EXAMPLE.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BIN} --prefix ${PREFIX} --component synclint
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install into '${PREFIX}' failed")
endif()
foreach(f include/synclint/event.h include/synclint/ctx.h include/synclint/counter.h
          ${LIBDIR}/libsynclint.a ${LIBDIR}/libsynclint.so ${LIBDIR}/pkgconfig/synclint.pc)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: '${PREFIX}/${f}'")
  endif()
endforeach()

set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
foreach(mode shared static)
  if(mode STREQUAL "static")
    set(pcargs --static --cflags --libs synclint)
    set(ldextra -static-libgcc)
  else()
    set(pcargs --cflags --libs synclint)
    set(ldextra "")
  endif()
  execute_process(COMMAND pkg-config ${pcargs} RESULT_VARIABLE rc OUTPUT_VARIABLE flags
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc)
    message(FATAL_ERROR "pkg-config cannot find synclint under '${PREFIX}'")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  if(mode STREQUAL "static")
    # Prefer the archive: name it explicitly instead of -lsynclint.
    list(TRANSFORM flags REPLACE "^-lsynclint$" "${PREFIX}/${LIBDIR}/libsynclint.a")
  endif()
  set(exe ${PREFIX}/example-${mode})
  execute_process(COMMAND ${CC} -std=c11 -Wall -Werror ${EXAMPLE} ${flags} ${ldextra} -o ${exe}
                  RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "cannot build '${EXAMPLE}' with: ${flags}")
  endif()
  set(ENV{LD_LIBRARY_PATH} ${PREFIX}/${LIBDIR})
  execute_process(COMMAND ${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(rc OR NOT out MATCHES "ok")
    message(FATAL_ERROR "installed example (${mode}) failed: ${rc} ${out}")
  endif()
endforeach()
