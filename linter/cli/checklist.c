/* checklist.c - --format=checklist and inventory: the repository facts the reporters need (its root, where the build enables TSan), then the report. */
#include "checklist.h"

#include <limits.h>

#include "tsan_scan.h"

int sl_cli_checklist(FILE *out, const struct sl_diag_list *l, const struct sl_rule *const *rules,
                     size_t n_rules, const char *scope)
{
    char root[PATH_MAX];
    bool have_root = sl_repo_root(root, sizeof root) == 0;
    struct sl_tsan_scan scan = {0};
    if (have_root) sl_tsan_scan(root, &scan);
    struct sl_checklist_input in = {
        .enabled = rules, .n_enabled = n_rules, .root = have_root ? root : NULL, .scope = scope,
        .tsan = (const char *const *)scan.places, .n_tsan = scan.n_places, .tsan_more = scan.more,
        .tsan_files = scan.files, .tsan_truncated = scan.truncated,
    };
    int rc = sl_report_checklist(out, l, &in);
    sl_tsan_scan_free(&scan);
    return rc;
}

int sl_cli_inventory(FILE *out, const struct sl_inventory *inv)
{
    char root[PATH_MAX];
    bool have_root = sl_repo_root(root, sizeof root) == 0;
    return sl_report_inventory(out, inv, have_root ? root : NULL);
}
