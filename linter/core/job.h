/* job.h - one translation unit to analyse: the file and the compiler
 * arguments it is parsed with (already sanitised). */
#ifndef SL_JOB_H
#define SL_JOB_H

#include <stddef.h>

struct sl_job {
    const char *file;          /* absolute or cwd-relative path of the TU */
    const char *directory;     /* working directory for relative paths in args */
    const char **args;         /* compiler arguments, without the compiler and
                                  without the source file itself */
    size_t n_args;
};

#endif
