#!/usr/bin/env bash
# compile_commands.json handling (command and arguments forms, relative
# directory, plugin flags removed, named files) and bad input: every problem
# is a clear error naming the file, never a crash, hang or silent skip.
source "$(dirname "$0")/lib.bash"
mkdir -p "$WORK/proj/src" "$WORK/proj/include" "$WORK/proj/build"
cat > "$WORK/proj/include/cfg.h" <<'C'
#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)
C
cat > "$WORK/proj/src/a.c" <<'C'
#include <pthread.h>
#include <unistd.h>
#include "cfg.h"
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int state;
#ifdef WITH_SLEEP
void slow(void) { LOCK(&mu); state++; sleep(1); UNLOCK(&mu); }
#endif
void quick(void) { LOCK(&mu); state = 2 * state; UNLOCK(&mu); }
C
cp "$WORK/proj/src/a.c" "$WORK/proj/src/b.c"
cat > "$WORK/proj/build/compile_commands.json" <<J
[
 {"directory": "..", "command": "cc -c -o build/a.o -Iinclude -DWITH_SLEEP -MD -MF build/a.d -fplugin=/nonexistent/evil.so src/a.c", "file": "src/a.c"},
 {"directory": "$WORK/proj", "arguments": ["cc", "-c", "-I", "include", "-Xclang", "-load", "-Xclang", "/nonexistent/evil.so", "-DWITH_SLEEP", "-o", "build/b.o", "src/b.c"], "file": "src/b.c"}
]
J
cd "$WORK"
expect_rc 1 "$SYNC_LINT" -p proj/build
has out "a.c:7:.*'sleep' may block while 'mu' is held"
has out "b.c:7:.*'sleep' may block while 'mu' is held"
has err "removed '-fplugin=/nonexistent/evil.so'"
has err "removed '-Xclang -load'"
expect_rc 1 "$SYNC_LINT" -p proj/build proj/src/b.c
lacks out "a.c"
has out "b.c:7"
# a file not in the database falls back to defaults, with a note
cp proj/src/a.c proj/src/c.c
expect_rc 0 "$SYNC_LINT" -p proj/build proj/src/c.c
has err "not in"
# without a database, include/ next to the file is found
expect_rc 0 "$SYNC_LINT" proj/src/a.c
expect_rc 1 "$SYNC_LINT" proj/src/a.c -- -Iproj/include -DWITH_SLEEP

# response files are expanded and sanitised too; launchers, --config files
# and -mllvm pass-throughs never reach the analyser
printf -- '-Iinclude -DWITH_SLEEP -fplugin=/nonexistent/rsp-evil.so\n' > "$WORK/proj/build/flags.rsp"
mkdir -p "$WORK/rsp"
cat > "$WORK/rsp/compile_commands.json" <<J
[{"directory": "$WORK/proj", "command": "ccache cc -c @build/flags.rsp --config=/nonexistent/evil.cfg -mllvm -load=/nonexistent/evil2.so -Xclang=-load -Xclang=/nonexistent/evil3.so src/a.c", "file": "src/a.c"}]
J
expect_rc 1 "$SYNC_LINT" -p rsp
has out "a.c:7:.*'sleep' may block while 'mu' is held"
has err "removed '-fplugin=/nonexistent/rsp-evil.so'"
has err "removed '--config=/nonexistent/evil.cfg'"
has err "removed '-mllvm -load=/nonexistent/evil2.so'"
has err "removed '-Xclang -load'"
lacks err "ccache"
lacks out "ccache"

# broken databases
mkdir -p empty broken shape noargs
expect_rc 2 "$SYNC_LINT" -p empty; has err "cannot read 'empty/compile_commands.json'"
printf '[{"file": "x.c",' > broken/compile_commands.json
expect_rc 2 "$SYNC_LINT" -p broken; has err "cannot parse 'broken/compile_commands.json': invalid JSON"
printf '{"file": "x.c"}' > shape/compile_commands.json
expect_rc 2 "$SYNC_LINT" -p shape; has err "expected a JSON array"
printf '[{"directory": ".", "file": "x.c"}]' > noargs/compile_commands.json
expect_rc 2 "$SYNC_LINT" -p noargs; has err "has neither \"arguments\" nor \"command\""
mkdir -p nofile; printf '[{"directory": ".", "command": "cc -c x.c"}]' > nofile/compile_commands.json
expect_rc 2 "$SYNC_LINT" -p nofile; has err "cannot use 'nofile/compile_commands.json': entry 1 has no \"file\""
mkdir -p unreadable; echo '[]' > unreadable/compile_commands.json; chmod 000 unreadable/compile_commands.json
if [ "$(id -u)" -ne 0 ]; then expect_rc 2 "$SYNC_LINT" -p unreadable; has err "cannot read 'unreadable/compile_commands.json': Permission denied"; fi
chmod 644 unreadable/compile_commands.json
expect_rc 2 "$SYNC_LINT" -p unreadable; has err "'unreadable/compile_commands.json' lists no C source file"

# bad files: missing, directory, unreadable, not C, binary, missing header,
# syntax errors; the good file is still reported
cat > good.c <<'C'
#include <pthread.h>
#include <stdbool.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static bool r;
void w(void) { pthread_mutex_lock(&m); if (!r) pthread_cond_wait(&c, &m); pthread_mutex_unlock(&m); }
C
expect_rc 2 "$SYNC_LINT" missing.c good.c
has out "cannot read 'missing.c': No such file or directory"
has out "good.c:6:.*cond-wait-not-in-loop"
expect_rc 2 "$SYNC_LINT" proj good.c; has out "'proj': is a directory"
echo 'print("hi")' > script.py
expect_rc 2 "$SYNC_LINT" script.py; has out "'script.py': not a C source file"
head -c 2048 /bin/true > bin.c
expect_rc 2 "$SYNC_LINT" bin.c; has out "'bin.c': binary file"
printf '#include "no_such_header.h"\nint x;\n' > hdr.c
expect_rc 2 "$SYNC_LINT" hdr.c; has out "cannot parse 'hdr.c': 'no_such_header.h' file not found"
printf 'int main( {\n' > syntax.c
expect_rc 2 "$SYNC_LINT" syntax.c good.c; has out "cannot parse 'syntax.c'"; has out "good.c:6"
if [ "$(id -u)" -ne 0 ]; then
  cp good.c noperm.c; chmod 000 noperm.c
  expect_rc 2 "$SYNC_LINT" noperm.c; has out "cannot read 'noperm.c'"
fi
# a large generated file is parsed, not skipped, and does not hang
python3 - > big.c <<'PY'
print("#include <pthread.h>")
print("static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;")
print("static long n;")
for i in range(20000):
    print(f"void f{i}(void) {{ pthread_mutex_lock(&m); n = n * 3 + {i}; pthread_mutex_unlock(&m); }}")
PY
expect_rc 0 timeout 120 "$SYNC_LINT" big.c
finish
