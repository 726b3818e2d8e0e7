/* shard.h - sharded runs: --shard K/N picks a stable part of the job list
 * and writes, with its report, what --merge needs to give the result an
 * unsharded run gives (merge.c reads it back).
 *
 * Partition: a job belongs to shard (FNV-1a-64 of its file's absolute,
 * resolved path) % N + 1.  It depends on the file alone, so reordering the
 * compile database moves no job between shards, and every configuration of
 * one file (two database entries) lands in the same shard.
 *
 * The shard object (JSON report: top-level "shard"; SARIF:
 * runs[0].properties["sync-lint/shard"]):
 *   {"index":K, "count":N, "total_jobs":T, "settings":{...},
 *    "wrappers_used":[names], "stats":{"functions":F, "lines":L},
 *    "jobs":[{"index":i, "file":"...", "diagnostics":[raw], "summary":{...}|null}]}
 * where i is the job's index in the whole (unsharded, post-exclude) job
 * list and "diagnostics" what the workers produced for it before any filter.
 */
#ifndef SL_SHARD_H
#define SL_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;
struct sl_options;
struct sl_rule;
struct sl_session;

/* Parse "K/N" (decimal, 1 <= K <= N <= 100000).  Returns 0, or -1. */
int sl_shard_parse(const char *spec, unsigned *k, unsigned *n);

uint64_t sl_fnv1a64(const char *s);

/* The 0-based shard of a file among n, from its absolute resolved path. */
unsigned sl_shard_of(const char *abs_path, unsigned n);

/* file made absolute (against the current directory) and resolved
 * (symlinks, "..") when it exists, else normalised; malloc'd. */
char *sl_shard_resolve(const char *file);

/* The settings that change per-TU results or the whole-program pass, in a
 * canonical form both a shard and the merge compute from their options:
 * {"version", "checks":[ids], "wrappers":[specs], "blocking":[...],
 *  "io_locks":[...], "rule_options":["rule.option=JSON value", ...]}.
 * The caller owns the object. */
struct cJSON *sl_shard_settings(const struct sl_options *o, const struct sl_rule *const *rules,
                                size_t n_rules);

/* The shard object of a session run with .keep_jobs over its part of the
 * job list: job j of the session is job index[j] of the whole list of
 * total.  The caller owns the object (the reporters take it). */
struct cJSON *sl_shard_object(const struct sl_session *s, const struct sl_options *o,
                              const struct sl_rule *const *rules, size_t n_rules,
                              const size_t *index, size_t n, size_t total);

/* --merge: read every shard report named in o->files, check that they are
 * the N shards of one run with this run's settings, and add their jobs to
 * s (sl_session_add_analysed) in job order, with the wrappers they used and
 * their counts.  Returns 0, or -1 with err naming the file and the problem
 * ("shard 3/4 missing", "'b.json': not a sync-lint shard report", "'b.json':
 * run with different settings (checks) than this merge"). */
int sl_merge_load(struct sl_session *s, const struct sl_options *o,
                  const struct sl_rule *const *rules, size_t n_rules, char *err, size_t errsz);

#endif
