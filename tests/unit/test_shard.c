/* test_shard.c - --shard's partition (K/N parsing, FNV-1a-64, the shard of
 * a path, path resolution) and the raw diagnostic JSON a shard report
 * carries to --merge (every field survives the round trip). */
#include <cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "report.h"
#include "shard.h"

static void test_parse(void)
{
    unsigned k = 0, n = 0;
    CHECK(sl_shard_parse("1/1", &k, &n) == 0 && k == 1 && n == 1, "1/1");
    CHECK(sl_shard_parse("3/4", &k, &n) == 0 && k == 3 && n == 4, "3/4");
    CHECK(sl_shard_parse("12/100", &k, &n) == 0 && k == 12 && n == 100, "12/100");
    static const char *bad[] = { "", "0/3", "4/3", "3", "/3", "3/", "a/b", "1/0", "-1/3", "1/-3",
                                 "1/3x", "1 /3", "+1/3", "1/+3", "1/100001", "99999999999999999999/1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(sl_shard_parse(bad[i], &k, &n) == -1, "'%s' rejected", bad[i]);
    CHECK(sl_shard_parse(NULL, &k, &n) == -1, "NULL rejected");
}

static void test_hash(void)
{
    /* the published FNV-1a 64-bit test vectors */
    CHECK(sl_fnv1a64("") == 0xcbf29ce484222325ull, "empty: %" PRIx64, sl_fnv1a64(""));
    CHECK(sl_fnv1a64("a") == 0xaf63dc4c8601ec8cull, "'a': %" PRIx64, sl_fnv1a64("a"));
    CHECK(sl_fnv1a64("foobar") == 0x85944171f73967e8ull, "'foobar': %" PRIx64, sl_fnv1a64("foobar"));
    CHECK(sl_shard_of("/src/a.c", 1) == 0, "one shard takes everything");
    CHECK(sl_shard_of("/src/a.c", 7) == (unsigned)(sl_fnv1a64("/src/a.c") % 7), "hash mod n");
    /* 3000 paths over 4 shards: each gets a fair part */
    unsigned count[4] = {0}, out_of_range = 0;
    char path[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(path, sizeof path, "/home/ci/repo/src/module%d/file%d.c", i / 50, i);
        unsigned s = sl_shard_of(path, 4);
        if (s < 4) count[s]++;
        else out_of_range++;
    }
    CHECK(out_of_range == 0, "%u shards out of range", out_of_range);
    for (int s = 0; s < 4; s++) CHECK(count[s] > 600 && count[s] < 900, "shard %d: %u of 3000", s, count[s]);
}

static void test_resolve(void)
{
    char dir[] = "/tmp/sl_test_shard_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char cwd[4096], real[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd");
    CHECK(chdir(dir) == 0, "chdir");
    CHECK(getcwd(real, sizeof real) != NULL, "getcwd in the temporary directory");
    mkdir("src", 0700);
    FILE *f = fopen("src/a.c", "w");
    if (f) fclose(f);
    CHECK(symlink("src", "link") == 0, "symlink");
    char want[4200];
    snprintf(want, sizeof want, "%s/src/a.c", real);
    char *r1 = sl_shard_resolve("src/a.c"), *r2 = sl_shard_resolve("./link/../src/a.c"),
         *r3 = sl_shard_resolve("link/a.c"), *r4 = sl_shard_resolve(want);
    CHECK(!strcmp(r1, want), "relative: %s", r1);
    CHECK(!strcmp(r2, want), "dots: %s", r2);
    CHECK(!strcmp(r3, want), "through a symlink: %s", r3);
    CHECK(!strcmp(r4, want), "absolute: %s", r4);
    char *r5 = sl_shard_resolve("gone/../x.c");
    snprintf(want, sizeof want, "%s/x.c", real);
    CHECK(!strcmp(r5, want), "a missing file, normalised: %s", r5);
    free(r1); free(r2); free(r3); free(r4); free(r5);
    unlink("link");
    unlink("src/a.c");
    rmdir("src");
    CHECK(chdir(cwd) == 0, "chdir back");
    rmdir(dir);
}

static bool same_range(struct sl_range a, struct sl_range b)
{
    return ((!a.file && !b.file) || (a.file && b.file && !strcmp(a.file, b.file))) &&
           a.line == b.line && a.col == b.col && a.end_line == b.end_line && a.end_col == b.end_col;
}

static void test_raw_diag(void)
{
    struct sl_diag_list l, back;
    sl_diag_list_init(&l);
    sl_diag_list_init(&back);
    struct sl_range where = { "src/a.c", 3, 5, 4, 9 };
    struct sl_diag *d = sl_diag_add(&l, "lock-order-inversion", SL_SEV_WARNING, where, "a \"quoted\" message\n");
    sl_diag_note(&l, d, (struct sl_range){ "inc/b.h", 7, 1, 7, 2 }, "taken here");
    sl_diag_note(&l, d, (struct sl_range){0}, "use: a note with no place");
    sl_diag_set_fix(&l, d, "replace if with while", (struct sl_range){ "src/a.c", 2, 5, 2, 7 }, "while");
    d->function = sl_arena_strdup(&l.arena, "transfer");
    d->identity = sl_arena_strdup(&l.arena, "bank_lock|audit_lock");
    struct sl_diag *t = sl_diag_tool(&l, SL_SEV_ERROR, (struct sl_range){ "src/c.c", 1, 11, 1, 12 },
                                     "cannot parse 'src/c.c': expected ')'");
    (void)t;
    sl_diag_tool(&l, SL_SEV_NOTE, (struct sl_range){0}, "no place at all");
    char err[256] = "";
    for (size_t i = 0; i < l.n; i++) {
        cJSON *j = sl_diag_raw_to_json(&l.items[i]);
        char *text = cJSON_PrintUnformatted(j);
        cJSON_Delete(j);
        cJSON *parsed = cJSON_Parse(text);
        CHECK(sl_diag_raw_from_json(&back, parsed, err, sizeof err) == 0, "parse back %zu: %s", i, err);
        cJSON_Delete(parsed);
        cJSON_free(text);
    }
    CHECK(back.n == l.n, "%zu of %zu back", back.n, l.n);
    for (size_t i = 0; i < l.n && i < back.n; i++) {
        const struct sl_diag *a = &l.items[i], *b = &back.items[i];
        bool same = !strcmp(a->rule, b->rule) && a->kind == b->kind && a->severity == b->severity &&
                    same_range(a->where, b->where) && !strcmp(a->message, b->message) &&
                    a->n_notes == b->n_notes && !a->fix == !b->fix &&
                    !a->function == !b->function && !a->identity == !b->identity;
        for (size_t k = 0; same && k < a->n_notes; k++)
            same = same_range(a->notes[k].where, b->notes[k].where) &&
                   !strcmp(a->notes[k].message, b->notes[k].message);
        if (same && a->fix)
        {
            same = !strcmp(a->fix->description, b->fix->description) &&
                   a->fix->n_edits == b->fix->n_edits && a->fix->n_edits > 0;
            for (size_t k = 0; same && k < a->fix->n_edits; k++)
                same = !strcmp(a->fix->edits[k].replacement, b->fix->edits[k].replacement) &&
                       same_range(a->fix->edits[k].where, b->fix->edits[k].where);
        }
        if (same && a->function) same = !strcmp(a->function, b->function);
        if (same && a->identity) same = !strcmp(a->identity, b->identity);
        CHECK(same, "diagnostic %zu the same after the round trip", i);
    }
    /* bad input: the member named, nothing added */
    static const char *bad[][2] = {
        { "[]", "not an object" },
        { "{\"kind\":\"finding\",\"severity\":\"warning\"}", "'rule'" },
        { "{\"rule\":\"r\",\"kind\":\"other\",\"severity\":\"warning\",\"file\":null,\"line\":1,\"column\":1,"
          "\"end_line\":1,\"end_column\":1,\"message\":\"m\",\"notes\":[],\"fix\":null,\"function\":null,"
          "\"identity\":null}", "'kind'" },
        { "{\"rule\":\"r\",\"kind\":\"tool\",\"severity\":\"loud\",\"file\":null,\"line\":1,\"column\":1,"
          "\"end_line\":1,\"end_column\":1,\"message\":\"m\",\"notes\":[],\"fix\":null,\"function\":null,"
          "\"identity\":null}", "'severity'" },
        { "{\"rule\":\"r\",\"kind\":\"tool\",\"severity\":\"note\",\"file\":null,\"line\":-1,\"column\":1,"
          "\"end_line\":1,\"end_column\":1,\"message\":\"m\",\"notes\":[],\"fix\":null,\"function\":null,"
          "\"identity\":null}", "'line'" },
        { "{\"rule\":\"r\",\"kind\":\"tool\",\"severity\":\"note\",\"file\":null,\"line\":1,\"column\":1,"
          "\"end_line\":1,\"end_column\":1,\"message\":\"m\",\"notes\":[{\"message\":3}],\"fix\":null,"
          "\"function\":null,\"identity\":null}", "note or fix" },
    };
    size_t before = back.n;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *j = cJSON_Parse(bad[i][0]);
        err[0] = 0;
        CHECK(j && sl_diag_raw_from_json(&back, j, err, sizeof err) == -1 && strstr(err, bad[i][1]),
              "bad diagnostic %zu: '%s'", i, err);
        cJSON_Delete(j);
    }
    CHECK(back.n == before, "nothing added from bad input");
    sl_diag_list_free(&l);
    sl_diag_list_free(&back);
}

int main(void)
{
    test_parse();
    test_hash();
    test_resolve();
    test_raw_diag();
    return CHECK_DONE();
}
