/* test_gitdiff.c - reading `git diff -U0` into changed lines: hunks, new and
 * deleted files, quoted names, content lines that look like headers. */
#include <string.h>

#include "check.h"
#include "diffrange.h"
#include "gitdiff.h"

static const char diff[] =
    "diff --git a/src/a.c b/src/a.c\n"
    "index 1111111..2222222 100644\n"
    "--- a/src/a.c\n"
    "+++ b/src/a.c\n"
    "@@ -3 +3 @@ void f(void)\n"
    "-    old();\n"
    "+    new();\n"
    "@@ -10,0 +11,2 @@\n"
    "+++ not a header: an added line starting with '++'\n"
    "+diff --git a/x b/x\n"
    "@@ -20,3 +22,0 @@\n"
    "-gone1\n"
    "-gone2\n"
    "--- also gone, looks like a header\n"
    "diff --git a/gone.c b/gone.c\n"
    "deleted file mode 100644\n"
    "--- a/gone.c\n"
    "+++ /dev/null\n"
    "@@ -1,2 +0,0 @@\n"
    "-int a;\n"
    "-int b;\n"
    "diff --git a/new.c b/new.c\n"
    "new file mode 100644\n"
    "--- /dev/null\n"
    "+++ b/new.c\n"
    "@@ -0,0 +1,3 @@\n"
    "+int a;\n"
    "+int b;\n"
    "+int c;\n"
    "\\ No newline at end of file\n"
    "diff --git \"a/we ird\\\"\\tname.c\" \"b/we ird\\\"\\tname.c\"\n"
    "--- \"a/we ird\\\"\\tname.c\"\n"
    "+++ \"b/we ird\\\"\\tname.c\"\n"
    "@@ -5,0 +6 @@\n"
    "+x\n"
    "diff --git a/old name.c b/new name.c\n"
    "similarity index 90%\n"
    "rename from old name.c\n"
    "rename to new name.c\n"
    "--- a/old name.c\n"
    "+++ b/new name.c\n"
    "@@ -7 +7 @@\n"
    "-a\n"
    "+b\n";

int main(void)
{
    struct sl_changes *c = sl_changes_new();
    sl_git_parse_diff(diff, strlen(diff), "/r", c);
    CHECK(sl_changes_has(c, "/r/src/a.c", 3), "a modified line");
    CHECK(!sl_changes_has(c, "/r/src/a.c", 2) && !sl_changes_has(c, "/r/src/a.c", 4), "its neighbours");
    CHECK(sl_changes_has(c, "/r/src/a.c", 11) && sl_changes_has(c, "/r/src/a.c", 12), "added lines");
    CHECK(!sl_changes_has(c, "/r/src/a.c", 13), "after the added lines");
    CHECK(!sl_changes_has(c, "/r/src/a.c", 22), "a pure deletion adds no line");
    CHECK(!sl_changes_has(c, "/r/x", 1), "'+diff --git' inside a hunk is content");
    CHECK(!sl_changes_has(c, "/r/gone.c", 1), "a deleted file");
    CHECK(sl_changes_has(c, "/r/new.c", 1) && sl_changes_has(c, "/r/new.c", 3), "a new file");
    CHECK(!sl_changes_has(c, "/r/new.c", 4), "past the new file's end");
    CHECK(sl_changes_has(c, "/r/we ird\"\tname.c", 6), "a quoted name");
    CHECK(sl_changes_has(c, "/r/new name.c", 7) && !sl_changes_has(c, "/r/old name.c", 7),
          "a rename: the new name");
    sl_changes_add_file(c, "/r/untracked.c");
    CHECK(sl_changes_has(c, "/r/untracked.c", 123456), "a whole file");
    sl_changes_free(c);
    return CHECK_DONE();
}
