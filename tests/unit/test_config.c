/* test_config.c - the configuration parser: values as the engine sees them
 * (joined checks, resolved baseline, typed rule options, moved lists), the
 * precedence of the command line, discovery upwards, exclude globs and the
 * edit distance behind "did you mean". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "rule.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(2); }
    fputs(text, f);
    fclose(f);
}

int main(void)
{
    char dir[] = "/tmp/sl-test-config-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    char path[512], sub[512], err[512];

    CHECK(sl_edit_distance("wrapers", "wrappers") == 1, "insert");
    CHECK(sl_edit_distance("io_lock", "io_locks") == 1, "append");
    CHECK(sl_edit_distance("", "abc") == 3 && sl_edit_distance("abc", "") == 3, "empty");
    CHECK(sl_edit_distance("kitten", "sitting") == 3, "kitten");
    CHECK(sl_is_c_name("net_send_all") && !sl_is_c_name("9x") && !sl_is_c_name("a-b") &&
          !sl_is_c_name(""), "identifiers");

    snprintf(path, sizeof path, "%s/.sync-lint.json", dir);
    write_file(path,
        "{\"checks\": [\"tier1\", \"-busy-wait\"], \"baseline\": \"ci/base.json\",\n"
        " \"wrappers\": [\"my_lock:lock:@mu\", \"api.lock:lock\"], \"blocking\": [\"flush_all\"],\n"
        " \"io_locks\": [\"log_mu\"], \"exclude\": [\"vendor\"],\n"
        " \"rules\": {\"lock-held-across-blocking-call\": {\"report_cold_diagnostics\": true}}}");
    struct sl_config c;
    CHECK(sl_config_load(&c, path, err, sizeof err) == 0, "%s", err);
    CHECK(c.checks && !strcmp(c.checks, "tier1,-busy-wait"), "checks joined: %s", c.checks);
    char want[600];
    snprintf(want, sizeof want, "%s/ci/base.json", dir);
    CHECK(c.baseline && !strcmp(c.baseline, want), "baseline resolved: %s", c.baseline);
    CHECK(c.n_wrappers == 2 && !strcmp(c.wrappers[1].name, "api.lock"), "wrappers");
    CHECK(c.n_values == 1 && c.values[0].b && !strcmp(c.values[0].opt->name, "report_cold_diagnostics"),
          "rule option");
    sl_config_free(&c);

    /* discovery from a nested directory, and the command line on top */
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    snprintf(want, sizeof want, "%s/a", dir);
    mkdir(want, 0700);
    mkdir(sub, 0700);
    char *found = sl_config_find(sub);
    CHECK(found && !strcmp(found, path), "found upwards: %s", found ? found : "(none)");
    free(found);

    char file[600];
    snprintf(file, sizeof file, "%s/x.c", sub);
    char *argv[] = { "sync-lint", "--checks=busy-wait", "--io-lock=other", file, NULL };
    struct sl_options o;
    CHECK(sl_cli_parse(4, argv, &o, err, sizeof err) == 0, "%s", err);
    CHECK(sl_config_setup(&c, &o, err, sizeof err) == 0, "%s", err);
    CHECK(!strcmp(o.checks, "busy-wait"), "--checks wins: %s", o.checks);
    CHECK(o.n_io_locks == 1 && !strcmp(o.io_locks[0], "other"), "--io-lock replaces the list");
    CHECK(o.n_blocking == 1 && !strcmp(o.blocking[0], "flush_all") && !o.blocking[1], "blocking from the file");
    CHECK(o.n_wrappers == 2, "wrappers from the file");
    CHECK(o.baseline && strstr(o.baseline, "/ci/base.json"), "baseline in the options");
    CHECK(o.n_rule_values == 1, "rule values in the options");
    snprintf(want, sizeof want, "%s/vendor/z/z.c", dir);
    CHECK(sl_config_excluded(&o, want), "a directory glob excludes what is under it");
    CHECK(!sl_config_excluded(&o, file), "other files are not excluded");
    sl_cli_free(&o);
    sl_config_free(&c);

    /* --no-config reads nothing */
    char *argv2[] = { "sync-lint", "--no-config", file, NULL };
    CHECK(sl_cli_parse(3, argv2, &o, err, sizeof err) == 0, "%s", err);
    CHECK(sl_config_setup(&c, &o, err, sizeof err) == 0 && !c.path && !o.checks, "--no-config");
    sl_cli_free(&o);
    sl_config_free(&c);

    /* an error leaves nothing behind but what sl_config_free releases */
    write_file(path, "{\"wrappers\": [\"ok:lock\", \"bad:nope\"]}");
    CHECK(sl_config_load(&c, path, err, sizeof err) == -1 && strstr(err, "'wrappers'[1]"), "%s", err);
    sl_config_free(&c);
    write_file(path, "{\"rules\": {\"lock-held-across-blocking-call\": {\"report_cold_diagnostics\": true,"
                     " \"nope\": 1}}}");
    CHECK(sl_config_load(&c, path, err, sizeof err) == -1 && strstr(err, "unknown option 'nope'"), "%s", err);
    sl_config_free(&c);

    unlink(path);
    rmdir(sub);
    snprintf(want, sizeof want, "%s/a", dir);
    rmdir(want);
    rmdir(dir);
    return CHECK_DONE();
}
