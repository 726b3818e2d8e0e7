/* harness.c - sl-bench measurement: spin-gated threads, calibration,
 * interference detection per repetition, re-runs within a time budget,
 * min/median/max, the load mode, and the machine/stat/pair output lines. */
#define _GNU_SOURCE
#include "harness.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "synclint/pad.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t clock_ns(clockid_t clk)
{
    struct timespec ts;
    if (clock_gettime(clk, &ts) != 0) return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void *sl_bench_zalloc(size_t size)
{
    void *p = NULL;
    if (posix_memalign(&p, SL_CACHELINE, size) != 0) return NULL;
    memset(p, 0, size);
    return p;
}

/* An environment switch: set, non-empty and not "0". */
static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

/* A non-negative number from the environment, or def when unset/invalid. */
static double env_num(const char *name, double def)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') return def;
    char *end;
    double d = strtod(v, &end);
    return (*end == '\0' && d >= 0) ? d : def;
}

bool sl_bench_quick(void)
{
    return env_flag("SL_BENCH_QUICK");
}

bool sl_bench_verbose(void)
{
    return env_flag("SL_BENCH_VERBOSE");
}

unsigned sl_bench_ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

unsigned sl_bench_load(void)
{
    double n = env_num("SL_BENCH_LOAD", 0);
    return n > SL_BENCH_MAX_LOAD ? SL_BENCH_MAX_LOAD : (unsigned)n;
}

double sl_bench_spread_limit(void)
{
    /* Under load the scheduler's choices vary from run to run by design. */
    double s = env_num("SL_BENCH_SPREAD", sl_bench_load() > 0 ? 1.50 : 1.30);
    return s < 1.0 ? 1.0 : s;
}

/* Wall time of one measurement. */
static int64_t target_ns(void)
{
    return sl_bench_quick() ? 2 * 1000000 : 100 * 1000000;
}

/* Time allowed for one pair at one thread count, re-runs included. */
static int64_t budget_ns(void)
{
    double ms = env_num("SL_BENCH_BUDGET_MS", sl_bench_quick() ? 100 : 4000);
    return (int64_t)(ms * 1e6);
}

/* --- the machine: /proc/stat, /proc/loadavg, per-thread schedstat --- */

struct cpu_times {
    uint64_t busy, idle, steal;    /* jiffies summed over every cpu */
    unsigned running;              /* procs_running, this reader included */
    bool ok;
};

static struct cpu_times read_cpu_times(void)
{
    struct cpu_times t = { 0 };
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return t;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long long v[8] = { 0 };
        if (!strncmp(line, "cpu ", 4) &&
            sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                   &v[3], &v[4], &v[5], &v[6], &v[7]) >= 4) {
            /* user nice system idle iowait irq softirq steal (guest is in user) */
            t.busy = v[0] + v[1] + v[2] + v[5] + v[6];
            t.idle = v[3] + v[4];
            t.steal = v[7];
            t.ok = true;
        } else if (!strncmp(line, "procs_running ", 14)) {
            t.running = (unsigned)strtoul(line + 14, NULL, 10);
        }
    }
    fclose(f);
    return t;
}

static double tick_ns(void)
{
    static double ns;
    if (ns == 0) {
        long hz = sysconf(_SC_CLK_TCK);
        ns = 1e9 / (double)(hz > 0 ? hz : 100);
    }
    return ns;
}

/* Time this thread spent runnable but waiting for a cpu (schedstat's second
 * field), or -1 where the kernel does not report it. */
static int64_t run_delay_ns(void)
{
    char buf[128];
    int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    unsigned long long run, delay;
    if (sscanf(buf, "%llu %llu", &run, &delay) != 2) return -1;
    return (int64_t)delay;
}

struct csw { long inv, vol; };

static struct csw thread_csw(void)
{
    struct csw c = { 0, 0 };
#ifdef RUSAGE_THREAD
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) == 0) {
        c.inv = ru.ru_nivcsw;
        c.vol = ru.ru_nvcsw;
    }
#endif
    return c;
}

double sl_bench_worker_lost(int64_t own, int64_t cpu, int64_t delay, int64_t window, long inv,
                            long vol, int64_t *waited)
{
    double l = 0;
    int64_t w = 0;
    if (delay >= 0 && window > 0) {
        w = delay;
        l = (double)delay / (double)window;
    }
    /* CPU time against wall time: a worker that never slept on its own (no
     * voluntary switch) but was switched out and got less cpu than wall time
     * was descheduled, or its vcpu was.  This also covers kernels without
     * schedstat. */
    if (vol == 0 && inv > 0 && own > 0 && cpu < own) {
        double c = 1.0 - (double)cpu / (double)own;
        if (c > l) l = c;
        if (own - cpu > w) w = own - cpu;
    }
    if (waited) *waited = w > own ? own : w;
    return l > 1 ? 1 : l;
}

/* --- load threads (SL_BENCH_LOAD=N) --- */

static struct {
    pthread_t t[SL_BENCH_MAX_LOAD];
    clockid_t clk[SL_BENCH_MAX_LOAD];
    unsigned n;
    _Atomic int stop;
} load;

static void *load_spin(void *arg)
{
    (void)arg;
    uint64_t x = 0;
    while (!atomic_load_explicit(&load.stop, memory_order_relaxed))
        for (int i = 0; i < 4096; i++) sl_bench_sink(++x);
    return NULL;
}

/* CPU time the load threads have used so far. */
static int64_t load_cpu_ns(void)
{
    int64_t sum = 0;
    for (unsigned i = 0; i < load.n; i++) sum += clock_ns(load.clk[i]);
    return sum;
}

/* --- one timed run --- */

struct sample {
    int64_t start, end, cpu, delay;
    int64_t window;     /* wall time between the two schedstat reads */
    struct csw csw;
    uint64_t ops;
};

struct run {
    sl_bench_fn fn;
    void *state;
    unsigned nthreads;
    uint64_t iters;
    bool pin;
    _Atomic unsigned ready;
    _Atomic int go;
    struct sample *s;
};

struct worker_arg {
    struct run *r;
    unsigned tid;
};

/* One repetition of one variant. */
struct rep {
    double ns;          /* wall ns per op: (last end - first start) / ops */
    double cpu_ns;      /* CPU ns per op, every thread of the process but load */
    double lost;        /* the most any worker lost: share of its time waiting for a cpu */
    double stagger;     /* last worker's start after the first's, share of wall */
    int64_t eff;        /* the longest worker's time minus its wait for a cpu */
    double load_cpus;   /* cpus the load threads got meanwhile (CPU time / wall time) */
    double steal;       /* share of all cpus' time the hypervisor took */
    double others;      /* share of all cpus' time other processes used */
    long inv, vol;      /* context switches of the workers */
    int64_t wall;
    bool disturbed;
};

static bool have_schedstat = true;   /* cleared the first time a read fails */

/* Thread i runs on online CPU i (mod ncpu), so "2 threads" always means two
 * cores contending, not whatever placement the scheduler picked this time
 * (two threads on one CPU measure time slicing, not contention).  Set
 * SL_BENCH_NOPIN=1 to leave placement to the scheduler. */
static void pin_to_cpu(unsigned tid)
{
#ifdef __linux__
    cpu_set_t online;
    if (sched_getaffinity(0, sizeof online, &online) != 0) return;
    int n = CPU_COUNT(&online);
    if (n <= 0) return;
    int want = (int)(tid % (unsigned)n), seen = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &online)) continue;
        if (seen++ == want) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            pthread_setaffinity_np(pthread_self(), sizeof one, &one);
            return;
        }
    }
#else
    (void)tid;
#endif
}

static void *worker(void *p)
{
    struct worker_arg *a = p;
    struct run *r = a->r;
    struct sample *s = &r->s[a->tid];
    if (r->pin) pin_to_cpu(a->tid);
    atomic_fetch_add(&r->ready, 1);
    /* Yield while waiting: a pinned spinner would keep the main thread (and
     * the other workers) off its cpu. */
    while (!atomic_load_explicit(&r->go, memory_order_acquire)) sched_yield();
    int64_t w0 = now_ns();
    int64_t d0 = run_delay_ns();   /* after the gate: its yields are not the run's */
    struct csw c0 = thread_csw();
    s->start = now_ns();
    int64_t cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    s->ops = r->fn(r->state, a->tid, r->nthreads, r->iters);
    s->end = now_ns();
    s->cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    struct csw c1 = thread_csw();
    int64_t d1 = run_delay_ns();
    s->window = now_ns() - w0;
    s->csw.inv = c1.inv - c0.inv;
    s->csw.vol = c1.vol - c0.vol;
    s->delay = (d0 < 0 || d1 < 0) ? -1 : d1 - d0;
    return NULL;
}

/* Whether a repetition may share its cpus: oversubscribed or loaded runs
 * measure exactly that, so only the hypervisor's steal disturbs them. */
static bool shares_cpus(unsigned nthreads)
{
    return load.n > 0 || nthreads > sl_bench_ncpu();
}

static bool pinned(const sl_bench_pair *p, unsigned nthreads)
{
    return !shares_cpus(nthreads) && !p->helpers && !env_flag("SL_BENCH_NOPIN");
}

/* One timed run; returns 0 and fills *out, or -1. */
static int measure(const sl_bench_pair *p, sl_bench_fn fn, unsigned nthreads, uint64_t iters,
                   struct rep *out)
{
    struct run r = { .fn = fn, .nthreads = nthreads, .iters = iters };
    r.pin = pinned(p, nthreads);
    atomic_init(&r.ready, 0);
    atomic_init(&r.go, 0);
    r.state = p->setup ? p->setup(nthreads) : NULL;
    if (p->setup && r.state == NULL) return -1;

    pthread_t *t = calloc(nthreads, sizeof *t);
    struct worker_arg *a = calloc(nthreads, sizeof *a);
    r.s = calloc(nthreads, sizeof *r.s);
    if (!t || !a || !r.s) abort();
    for (unsigned i = 0; i < nthreads; i++) {
        a[i].r = &r;
        a[i].tid = i;
        if (pthread_create(&t[i], NULL, worker, &a[i]) != 0) abort();
    }
    while (atomic_load(&r.ready) < nthreads) sched_yield();
    struct cpu_times m0 = read_cpu_times();
    int64_t pcpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), lcpu0 = load_cpu_ns(), tw0 = now_ns();
    atomic_store_explicit(&r.go, 1, memory_order_release);
    for (unsigned i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
    int64_t pcpu1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), lcpu1 = load_cpu_ns(), tw1 = now_ns();
    struct cpu_times m1 = read_cpu_times();

    int64_t first = INT64_MAX, last = 0, last_start = 0, eff = 0;
    uint64_t ops = 0;
    long inv = 0, vol = 0;
    double lost = 0;
    for (unsigned i = 0; i < nthreads; i++) {
        struct sample *s = &r.s[i];
        if (s->start < first) first = s->start;
        if (s->start > last_start) last_start = s->start;
        if (s->end > last) last = s->end;
        ops += s->ops;
        inv += s->csw.inv;
        vol += s->csw.vol;
        int64_t own = s->end - s->start, waited;
        if (s->delay < 0) have_schedstat = false;
        double l = sl_bench_worker_lost(own, s->cpu, s->delay, s->window, s->csw.inv,
                                        s->csw.vol, &waited);
        if (l > lost) lost = l;
        if (own - waited > eff) eff = own - waited;
    }
    int64_t cpu = (pcpu1 - pcpu0) - (lcpu1 - lcpu0), ours = pcpu1 - pcpu0;
    free(t);
    free(a);
    free(r.s);
    if (p->teardown) p->teardown(r.state);
    if (ops == 0) return -1;

    int64_t wall = last - first;
    if (wall <= 0) wall = 1;
    out->wall = wall;
    out->ns = (double)wall / (double)ops;
    out->cpu_ns = (double)cpu / (double)ops;
    out->inv = inv;
    out->vol = vol;
    out->lost = lost;
    out->eff = eff > 0 ? eff : 1;
    out->stagger = (double)(last_start - first) / (double)wall;
    out->load_cpus = tw1 > tw0 ? (double)(lcpu1 - lcpu0) / (double)(tw1 - tw0) : 0;
    out->steal = out->others = 0;
    if (m0.ok && m1.ok) {
        /* ticks (10 ms at USER_HZ 100): one stolen tick in a 100 ms run shows */
        double all = (double)((m1.busy + m1.idle + m1.steal) - (m0.busy + m0.idle + m0.steal));
        if (all > 0) {
            out->steal = (double)(m1.steal - m0.steal) / all;
            double others = (double)(m1.busy - m0.busy) * tick_ns() - (double)ours;
            out->others = others > 0 ? others / (all * tick_ns()) : 0;
        }
    }
    /* Others may use the cpus this run leaves free (a 1-thread run on 2 cpus
     * is not disturbed by a process on the second one). */
    unsigned ncpu = sl_bench_ncpu(), busy = nthreads + load.n;
    double free_share = busy < ncpu ? (double)(ncpu - busy) / ncpu : 0;
    out->disturbed = out->steal > SL_BENCH_MAX_STEAL ||
                     out->others > free_share + SL_BENCH_MAX_OTHERS ||
                     (!shares_cpus(nthreads) && !p->helpers &&
                      (out->lost > SL_BENCH_MAX_LOST || out->stagger > SL_BENCH_MAX_STAGGER));
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

uint64_t sl_bench_calib_grow(uint64_t iters, int64_t wall, int64_t eff, int64_t target)
{
    if ((wall >= target / 10 && eff >= target / 40) || iters >= (1ull << 40)) return 0;
    return iters * ((wall < target / 100 || eff < target / 400) ? 8 : 2);
}

uint64_t sl_bench_calib_scale(uint64_t iters, const int64_t wall[3], int64_t target)
{
    double w[3] = { (double)wall[0], (double)wall[1], (double)wall[2] };
    double took = median_of(w, 3);
    uint64_t n = (uint64_t)((double)iters * (double)target / (took > 0 ? took : 1));
    return n < 1 ? 1 : n;
}

static uint64_t calibrate(const sl_bench_pair *p, sl_bench_fn fn, unsigned nthreads)
{
    uint64_t iters = 16;
    int64_t target = target_ns();
    for (;;) {
        struct rep r;
        if (measure(p, fn, nthreads, iters, &r) != 0) return 0;
        uint64_t next = sl_bench_calib_grow(iters, r.wall, r.eff, target);
        if (next == 0) {
            int64_t w[3] = { r.wall, r.wall, r.wall };
            for (int i = 1; i < 3; i++)
                if (measure(p, fn, nthreads, iters, &r) == 0) w[i] = r.wall;
            return sl_bench_calib_scale(iters, w, target);
        }
        iters = next;
    }
}

/* Every repetition of one variant at one thread count. */
struct variant {
    struct rep runs[SL_BENCH_MAX_RUNS];
    int nruns, kept;
};

struct vstats {
    double min, med, max, spread, cpu_med, load_med;
    int used;           /* repetitions the figures come from */
    bool from_kept;     /* false: too few undisturbed ones, all were used */
};


static struct vstats stats_of(const struct variant *v)
{
    struct vstats st = { 0 };
    double ns[SL_BENCH_MAX_RUNS], cpu[SL_BENCH_MAX_RUNS], ld[SL_BENCH_MAX_RUNS];
    st.from_kept = v->kept >= SL_BENCH_MIN_KEPT;
    for (int i = 0; i < v->nruns; i++) {
        if (st.from_kept && v->runs[i].disturbed) continue;
        ns[st.used] = v->runs[i].ns;
        cpu[st.used] = v->runs[i].cpu_ns;
        ld[st.used] = v->runs[i].load_cpus;
        st.used++;
    }
    if (st.used == 0) return st;
    st.med = median_of(ns, st.used);
    st.min = ns[0];
    st.max = ns[st.used - 1];
    st.spread = st.min > 0 ? st.max / st.min : 0;
    st.cpu_med = median_of(cpu, st.used);
    st.load_med = median_of(ld, st.used);
    return st;
}

static void print_variant(FILE *out, const sl_bench_pair *p, unsigned nthreads, bool pinned,
                          const char *which, const struct variant *v, const struct vstats *st)
{
    fprintf(out, "stat pair=%s threads=%u pinned=%d load=%u variant=%s runs=%d kept=%d"
                 " min_ns=%.3f med_ns=%.3f max_ns=%.3f spread=%.2f cpu_ns=%.3f"
                 " wall_mops=%.3f cpu_mops=%.3f load_cpus=%.2f\n",
            p->name, nthreads, pinned, load.n, which, v->nruns, v->kept, st->min, st->med,
            st->max, st->spread, st->cpu_med, st->med > 0 ? 1e3 / st->med : 0.0,
            st->cpu_med > 0 ? 1e3 / st->cpu_med : 0.0, st->load_med);
}

static void print_reps(const sl_bench_pair *p, unsigned nthreads, const char *which,
                       const struct variant *v)
{
    fprintf(stderr, "# %s threads=%u %s:", p->name, nthreads, which);
    for (int i = 0; i < v->nruns; i++) {
        const struct rep *r = &v->runs[i];
        fprintf(stderr, " %.3f%s(cpu %.3f lost %.1f%% steal %.1f%% others %.0f%% stagger %.1f%%"
                        " inv %ld vol %ld wall %.1fms load %.2f cpus)",
                r->ns, r->disturbed ? "!" : "", r->cpu_ns, 100 * r->lost, 100 * r->steal,
                100 * r->others, 100 * r->stagger, r->inv, r->vol, (double)r->wall / 1e6,
                r->load_cpus);
    }
    fprintf(stderr, "\n");
}

static struct {
    unsigned lines, unstable, runs, discarded;
} totals;

static int run_threads(const sl_bench_pair *p, unsigned nthreads, FILE *out)
{
    uint64_t ib = calibrate(p, p->before, nthreads);
    uint64_t ia = calibrate(p, p->after, nthreads);
    if (ib == 0 || ia == 0) {
        fprintf(stderr, "sl-bench: cannot set up pair '%s' with %u threads\n", p->name, nthreads);
        return -1;
    }
    static struct variant b, a;   /* large; one pair at a time */
    memset(&b, 0, sizeof b);
    memset(&a, 0, sizeof a);
    int64_t deadline = now_ns() + budget_ns();
    for (int rep = 0; rep < SL_BENCH_MAX_RUNS; rep++) {
        /* Interleaved, alternating which goes first. */
        struct variant *first = rep % 2 ? &a : &b, *second = rep % 2 ? &b : &a;
        struct rep *rf = &first->runs[first->nruns], *rs = &second->runs[second->nruns];
        if (measure(p, first == &b ? p->before : p->after, nthreads, first == &b ? ib : ia, rf) != 0 ||
            measure(p, second == &b ? p->before : p->after, nthreads, second == &b ? ib : ia, rs) != 0) {
            fprintf(stderr, "sl-bench: pair '%s' failed with %u threads\n", p->name, nthreads);
            return -1;
        }
        first->nruns++;
        second->nruns++;
        first->kept += !rf->disturbed;
        second->kept += !rs->disturbed;
        if (b.kept >= SL_BENCH_REPS && a.kept >= SL_BENCH_REPS) break;
        if (rep + 1 >= SL_BENCH_REPS && now_ns() >= deadline) break;
    }
    if (sl_bench_verbose()) {
        fprintf(stderr, "# %s threads=%u ops per thread: before %llu, after %llu\n", p->name,
                nthreads, (unsigned long long)ib, (unsigned long long)ia);
        print_reps(p, nthreads, "before", &b);
        print_reps(p, nthreads, "after", &a);
    }
    struct vstats sb = stats_of(&b), sa = stats_of(&a);
    print_variant(out, p, nthreads, pinned(p, nthreads), "before", &b, &sb);
    print_variant(out, p, nthreads, pinned(p, nthreads), "after", &a, &sa);
    double limit = sl_bench_spread_limit();
    bool unstable = false;
    if (!sb.from_kept || !sa.from_kept) {
        fprintf(out, "# unstable: %s threads=%u: too few undisturbed repetitions (before %d of %d,"
                     " after %d of %d; need %d)\n", p->name, nthreads, b.kept, b.nruns, a.kept,
                a.nruns, SL_BENCH_MIN_KEPT);
        unstable = true;
    }
    if (sb.spread > limit || sa.spread > limit) {
        fprintf(out, "# unstable: %s threads=%u: repetitions span %.2fx (before) and %.2fx (after),"
                     " over %.2fx\n", p->name, nthreads, sb.spread, sa.spread, limit);
        unstable = true;
    }
    /* Sharing cpus, the question is whether the replacement still moves at
     * least as many ops per wall- and per CPU-second as the shape it replaces. */
    if (shares_cpus(nthreads) && (sa.med > sb.med || sa.cpu_med > sb.cpu_med))
        fprintf(out, "# slower: %s threads=%u: after moves %.2fx the ops per wall-second and %.2fx"
                     " per CPU-second of before (load threads got %.2f cpus beside after, %.2f"
                     " beside before)\n", p->name, nthreads,
                sa.med > 0 ? sb.med / sa.med : 0.0, sa.cpu_med > 0 ? sb.cpu_med / sa.cpu_med : 0.0,
                sa.load_med, sb.load_med);
    fprintf(out, "pair=%s threads=%u before_ns=%.3f after_ns=%.3f speedup=%.2f%s\n", p->name,
            nthreads, sb.med, sa.med, sa.med > 0 ? sb.med / sa.med : 0.0,
            unstable ? " unstable=1" : "");
    fflush(out);
    totals.lines++;
    totals.unstable += unstable;
    totals.runs += (unsigned)(b.nruns + a.nruns);
    totals.discarded += (unsigned)(b.nruns - b.kept + a.nruns - a.kept);
    return 0;
}

/* Thread counts: SL_BENCH_THREADS=N[,N...] if set; else under load twice
 * the cores (oversubscribed); else 1 and every core. */
static unsigned thread_counts(const sl_bench_pair *p, unsigned *counts)
{
    unsigned n = sl_bench_ncpu(), k = 0;
    const char *env = getenv("SL_BENCH_THREADS");
    if (env && *env) {
        const char *s = env;
        while (*s && k < 8) {
            char *end;
            unsigned long v = strtoul(s, &end, 10);
            if (end == s) break;
            if (v >= 1 && v <= 256) counts[k++] = (unsigned)v;
            s = *end == ',' ? end + 1 : end;
        }
        if (k > 0) {
            /* a pair driven by one thread stays at one */
            if (p->threads == 1) { counts[0] = 1; return 1; }
            return k;
        }
    }
    if (p->threads == 1) { counts[0] = 1; return 1; }
    if (load.n > 0) { counts[0] = 2 * n; return 1; }
    if (p->threads != 0) { counts[0] = p->threads; return 1; }
    counts[k++] = 1;
    if (n > 1) counts[k++] = n;
    return k;
}

int sl_bench_run_pair(const sl_bench_pair *p, FILE *out)
{
    int rc = 0;
    unsigned counts[8];
    unsigned k = thread_counts(p, counts);
    for (unsigned i = 0; i < k; i++)
        if (run_threads(p, counts[i], out) != 0) rc = -1;
    return rc;
}

int sl_bench_begin(FILE *out)
{
    unsigned ncpu = sl_bench_ncpu();
    fprintf(out, "# sl-bench: %u online cpus; per variant and thread count, repetitions until %d are"
                 " undisturbed (at most %d, %.1f s budget), each ~%.0f ms%s\n",
            ncpu, SL_BENCH_REPS, SL_BENCH_MAX_RUNS, (double)budget_ns() / 1e9,
            (double)target_ns() / 1e6, sl_bench_quick() ? " (SL_BENCH_QUICK)" : "");
    fprintf(out, "# a repetition is disturbed when its threads waited for a cpu over %.0f%% of"
                 " their time (schedstat) or the hypervisor stole over %.0f%% (/proc/stat);"
                 " unstable: fewer than %d undisturbed, or min..max over %.2fx\n",
            100 * SL_BENCH_MAX_LOST, 100 * SL_BENCH_MAX_STEAL, SL_BENCH_MIN_KEPT,
            sl_bench_spread_limit());
    char model[128] = "unknown";
    FILE *ci = fopen("/proc/cpuinfo", "r");
    if (ci) {
        char line[256];
        while (fgets(line, sizeof line, ci))
            if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
                snprintf(model, sizeof model, "%s", strchr(line, ':') + 2);
                model[strcspn(model, "\n")] = '\0';
                break;
            }
        fclose(ci);
    }
    fprintf(out, "# cpu: %s\n", model);
    /* The machine before the run: what others use, over a short window. */
    double load1 = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &load1) != 1) load1 = -1;
        fclose(f);
    }
    struct cpu_times t0 = read_cpu_times();
    unsigned running = t0.running;
    int64_t window = sl_bench_quick() ? 50 : 300;
    struct timespec ts = { 0, (long)window * 1000000 };
    nanosleep(&ts, NULL);
    struct cpu_times t1 = read_cpu_times();
    if (t1.running > running) running = t1.running;
    double busy = 0, steal = 0;
    bool known = t0.ok && t1.ok;
    if (known) {
        double all = (double)((t1.busy + t1.idle + t1.steal) - (t0.busy + t0.idle + t0.steal));
        if (all > 0) {
            busy = (double)(t1.busy - t0.busy) / all;
            steal = (double)(t1.steal - t0.steal) / all;
        }
    }
    unsigned others = running > 0 ? running - 1 : 0;   /* minus this reader */
    bool idle = known && busy < 0.05 && steal < 0.01 && others == 0;
    fprintf(out, "machine idle=%d loadavg=%.2f runnable=%u busy_pct=%.1f steal_pct=%.1f"
                 " window_ms=%lld\n", idle, load1, others, 100 * busy, 100 * steal,
            (long long)window);
    if (!idle)
        fprintf(out, "# the machine is not idle: pinned figures from repetitions that lost a cpu"
                     " are discarded; what is left may be marked unstable\n");

    unsigned n = sl_bench_load();
    atomic_init(&load.stop, 0);
    for (unsigned i = 0; i < n; i++) {
        if (pthread_create(&load.t[i], NULL, load_spin, NULL) != 0) break;
        if (pthread_getcpuclockid(load.t[i], &load.clk[i]) != 0) {
            atomic_store(&load.stop, 1);
            pthread_join(load.t[i], NULL);
            break;
        }
        load.n++;
    }
    if (n > 0) {
        fprintf(out, "load threads=%u\n", load.n);
        fprintf(out, "# load mode: %u spinning threads run beside the benchmark; threads unpinned,"
                     " %u per pair (2x the cores); no repetition is discarded for sharing a cpu;"
                     " wall_mops and cpu_mops are millions of ops per wall- and per CPU-second\n",
                load.n, 2 * ncpu);
    }
    fflush(out);
    return load.n == n ? 0 : -1;
}

int sl_bench_end(FILE *out)
{
    int64_t lcpu = load_cpu_ns();
    atomic_store(&load.stop, 1);
    for (unsigned i = 0; i < load.n; i++) pthread_join(load.t[i], NULL);
    fprintf(out, "summary lines=%u unstable=%u runs=%u discarded=%u", totals.lines,
            totals.unstable, totals.runs, totals.discarded);
    if (load.n > 0) fprintf(out, " load_cpu_s=%.2f", (double)lcpu / 1e9);
    fprintf(out, "\n");
    load.n = 0;
    return 0;
}
