/* checklist.h - --format=checklist and --format=inventory from the command line. */
#ifndef SL_CLI_CHECKLIST_H
#define SL_CLI_CHECKLIST_H

#include <stddef.h>
#include <stdio.h>
#include "diag.h"
#include "report.h"

/* The review checklist of l on out, with links relative to the repository
 * root of the current directory (else the directory itself) and the TSan
 * question answered from that repository's build files.  scope: what the
 * findings cover (NULL: "this run").  Returns 0, or -1 on a write error. */
int sl_cli_checklist(FILE *out, const struct sl_diag_list *l, const struct sl_rule *const *rules,
                     size_t n_rules, const char *scope);

/* The inventory on out, links relative to the same root.  Returns 0, or -1. */
int sl_cli_inventory(FILE *out, const struct sl_inventory *inv);

#endif
