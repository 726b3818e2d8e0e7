# Locate libclang (LLVM >= 17) and cJSON, failing with the Debian package
# to install when either is missing.
set(SL_LLVM_CANDIDATES 21 20 19 18 17)
set(_sl_llvm_hints "")
foreach(v ${SL_LLVM_CANDIDATES})
  list(APPEND _sl_llvm_hints /usr/lib/llvm-${v})
endforeach()

find_path(LIBCLANG_INCLUDE_DIR clang-c/Index.h
  HINTS ${LIBCLANG_ROOT} ${_sl_llvm_hints} PATH_SUFFIXES include NO_DEFAULT_PATH)
find_library(LIBCLANG_LIBRARY NAMES clang libclang
  HINTS ${LIBCLANG_ROOT} ${_sl_llvm_hints} PATH_SUFFIXES lib NO_DEFAULT_PATH)
if(NOT LIBCLANG_INCLUDE_DIR OR NOT LIBCLANG_LIBRARY)
  message(FATAL_ERROR
    "sync-lint needs libclang (LLVM >= 17) and it was not found.\n"
    "On Debian 12: apt-get install libclang-19-dev clang-19\n"
    "Or point -DLIBCLANG_ROOT=/path/to/llvm at an LLVM install.")
endif()
get_filename_component(LIBCLANG_ROOT_DIR "${LIBCLANG_INCLUDE_DIR}" DIRECTORY)
# The clang resource directory (stddef.h, stdatomic.h...) that libclang
# needs at run time; recorded so the binary works without clang on PATH.
file(GLOB _sl_resource_dirs "${LIBCLANG_ROOT_DIR}/lib/clang/*")
list(SORT _sl_resource_dirs)
list(REVERSE _sl_resource_dirs)
list(GET _sl_resource_dirs 0 SL_CLANG_RESOURCE_DIR)
message(STATUS "libclang: ${LIBCLANG_LIBRARY} (resource dir ${SL_CLANG_RESOURCE_DIR})")

find_path(CJSON_INCLUDE_DIR cJSON.h PATH_SUFFIXES cjson)
find_library(CJSON_LIBRARY NAMES cjson)
if(NOT CJSON_INCLUDE_DIR OR NOT CJSON_LIBRARY)
  message(FATAL_ERROR
    "sync-lint needs cJSON and it was not found.\n"
    "On Debian 12: apt-get install libcjson-dev")
endif()
