/* test_tsan_scan.c - which build-file lines and names the TSan search accepts. */
#include <string.h>

#include "check.h"
#include "tsan_scan.h"

static bool enables(const char *line) { return sl_tsan_line_enables(line, strlen(line)); }

int main(void)
{
    CHECK(enables("add_compile_options(-fsanitize=thread)"), "plain");
    CHECK(enables("CFLAGS += -g -fsanitize=address,thread -O1"), "in a list");
    CHECK(enables("  - run: cmake -DCMAKE_C_FLAGS=\"-fsanitize=undefined,thread\""), "last of a list");
    CHECK(enables("meson setup b -Db_sanitize=thread"), "meson option");
    CHECK(enables("default_options: ['b_sanitize=thread']"), "meson default_options");
    CHECK(!enables("add_compile_options(-fsanitize=address)"), "asan only");
    CHECK(!enables("-fsanitize=threads"), "not a sanitizer name");
    CHECK(!enables("-fsanitize-thread-memory-access"), "a tsan sub-option alone");
    CHECK(!enables("# thread sanitizer some day"), "prose");
    CHECK(!enables("b_sanitize=address"), "meson asan");
    CHECK(!enables(""), "empty");

    CHECK(sl_tsan_is_build_file("CMakeLists.txt", false), "CMakeLists");
    CHECK(sl_tsan_is_build_file("Sanitizers.cmake", false), ".cmake");
    CHECK(sl_tsan_is_build_file("CMakePresets.json", false), "presets");
    CHECK(sl_tsan_is_build_file("Makefile", false) && sl_tsan_is_build_file("Makefile.am", false) &&
          sl_tsan_is_build_file("GNUmakefile", false) && sl_tsan_is_build_file("rules.mk", false),
          "makefiles");
    CHECK(sl_tsan_is_build_file("meson.build", false) && sl_tsan_is_build_file("meson_options.txt", false),
          "meson");
    CHECK(sl_tsan_is_build_file(".gitlab-ci.yml", false), "gitlab");
    CHECK(sl_tsan_is_build_file("ci.yaml", true) && !sl_tsan_is_build_file("ci.yaml", false),
          "workflows only under .github/workflows");
    CHECK(!sl_tsan_is_build_file("main.c", false) && !sl_tsan_is_build_file("README.md", true),
          "sources and docs");
    return CHECK_DONE();
}
