/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The benchmark's shared pieces.  A figure comes from a row of the one
 * table in rows.c: a workload (a setup and a loop) in a section, whose
 * columns say what each row is compared with.  Measuring fills a struct
 * bench; the report prints the same rows as a table, JSON and plot data.
 */
#ifndef BENCH_H
#define BENCH_H

#define _GNU_SOURCE
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "message_slot.h"

#define LEN		MSGSLOT_MSG_LEN
#define MINOR_COUNT	(1U << 20)	/* minors per major: MINORMASK + 1 */
#define MAX_RUNS	51
#define MAX_THREADS	256
/* Levels of a section: thread counts (powers of 2 and one more), slots. */
#define MAX_LEVELS	10
#define MAX_COLUMNS	2
#define MAX_ROWS	64

/*
 * Minors of the device's major, by their index after the device's own:
 * 0 the device, 1 the single-thread workloads' slot, then one a thread,
 * then one a ping-pong row.
 */
#define NODE_SHARED	1
#define NODE_THREAD(i)	(2 + (i))
#define NODE_PINGPONG(i) (NODE_THREAD(MAX_THREADS) + (i))
#define MAX_NODES	NODE_PINGPONG(MAX_ROWS)

/* ---- the table: sections, rows, goals (rows.c) ------------------------ */

enum section_id { SEC_ROUND_TRIP, SEC_CALLS, SEC_WAKEUP, SEC_SCALING,
		  SEC_MAP, SEC_OPEN, SECTIONS };

enum level_kind {
	LEVEL_ONE,		/* one figure a row */
	LEVEL_THREADS,		/* one per thread count, 1 .. -j */
	LEVEL_SLOTS,		/* one per slot count, measured as they grow */
};

enum column_kind {
	VS_ROW,			/* this row over row @ref, at the same level */
	VS_FIRST_LEVEL,		/* this row's level over its first level */
	VS_ROW_VS_FIRST,	/* VS_ROW at this level over VS_ROW at the first */
};

struct column {
	const char *key;	/* in the JSON; NULL ends the list */
	const char *header;	/* in the table */
	enum column_kind kind;
	const char *ref;	/* the row compared with, by name */
};

struct section {
	const char *name, *title;
	bool per_second;	/* figures are calls per second, else ns */
	enum level_kind levels;
	struct column columns[MAX_COLUMNS + 1];
	const char *note;	/* printed under it in the table, or NULL */
	int run_factor;		/* its runs are this many -m long (0: one) */
};

struct fixture;
struct bench;

/*
 * A row's workload: setup opens what @loop uses (for one thread, the
 * @thread-th of the scaling section); @loop runs @n iterations.  What setup
 * opened, teardown_fixture() closes.
 */
struct row {
	enum section_id section;
	const char *name;	/* in the JSON, unique */
	const char *title;	/* in the table */
	const char *plot;	/* in the plot, or NULL */
	void (*setup)(struct bench *b, struct fixture *f, int thread);
	void (*loop)(struct fixture *f, long n);
	const void *arg;	/* for setup: what kind of row this is */
};

/* A goal: a figure of a row (or a value function) against a limit. */
struct goal {
	const char *name, *text;
	const char *row, *column;	/* column NULL: the row's own figure */
	int level;		/* 0 the first, -1 the last, else that count */
	bool inverse;		/* the goal is on 1 / the figure */
	double (*value)(const struct bench *b);	/* instead of a row */
	double limit;
	bool at_least;		/* value >= limit, else value <= limit */
	const char *unit;
};

extern const struct section sections[SECTIONS];
extern const struct row rows[];
extern const int row_count;
extern const struct goal goals[];
extern const int goal_count;

int row_index(const char *name);

/* ---- what was measured ------------------------------------------------ */

struct stat3 {
	double median, min, max;
};

struct figure {
	struct stat3 s;		/* ns an iteration, or calls per second */
	double runs[MAX_RUNS];	/* each run's, for paired ratios */
};

struct memory {
	long slots;
	double per_slot;		/* cache + XArray: the goal's, or -1 */
	double cache_per_slot;		/* from the cache's own slabs, or -1 */
	double xarray_per_slot;		/* from radix_tree_node's slabs, or -1 */
	double slab_per_slot;		/* from Slab: of /proc/meminfo, or -1 */
	long object_size, slab_size, objs_per_slab, order;
	char cache[256];		/* what the cache is in /sys */
	bool merged;
};

struct bench {
	/* options */
	const char *device;
	const char *label;		/* names this run's output, or NULL */
	int runs;
	long run_ms;
	long total_slots;
	int max_threads;
	bool run_section[SECTIONS];
	bool run_memory;

	/* the machine and the device */
	unsigned int major, minor;
	char node_dir[64];
	cpu_set_t all_cpus;
	int cpus[MAX_THREADS];
	int ncpus;
	unsigned long allocated;	/* slots of minors 0 .. allocated - 1 */

	/* results */
	bool measured[SECTIONS];
	int levels[SECTIONS];
	long level_value[SECTIONS][MAX_LEVELS];
	struct figure fig[MAX_ROWS][MAX_LEVELS];
	struct memory mem;
};

/* ---- device.c: errors, time, nodes, CPUs ------------------------------ */

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
long long now_ns(void);
void sleep_ms(long ms);
const char *node(struct bench *b, unsigned long i);
int open_channel(const char *path, unsigned long channel);
void allocate_slots(struct bench *b, unsigned long upto);
void open_device(struct bench *b);
void pin(int cpu);
void unpin(const struct bench *b);
void check_io(ssize_t got, size_t want, const char *what);

/* ---- stats.c: medians, ratios, interleaved runs ----------------------- */

long section_run_ms(const struct bench *b, enum section_id id);
struct stat3 summarize(const double *values, int n);
double paired_ratio(const double *a, const double *b, int runs);
void measure_section(struct bench *b, enum section_id id, int level);
double column_value(const struct bench *b, int row, const struct column *c,
		    int level);
double goal_value(const struct bench *b, const struct goal *g);
const char *goal_status(const struct bench *b, const struct goal *g);

/* ---- the workloads ---------------------------------------------------- */

/* What a row's setup opened; every descriptor -1 when unused. */
struct fixture {
	int wr, rd;		/* write to wr, read from rd (may be one file) */
	int wait;		/* what the ping-pong waits on: rd, or epoll */
	int mq;			/* a POSIX message queue */
	pid_t partner;		/* the ping-pong's other process */
	void *map;		/* a mapping (the futex pair), or NULL */
	size_t map_len;
	const char *path;	/* opened and closed by the open loops */
	const void *arg;	/* the row's */
	char buf[LEN];
};

void init_fixture(struct fixture *f, const struct row *row);
void teardown_fixture(struct fixture *f);

/* workloads.c: one thread, one process */
void setup_slot(struct bench *b, struct fixture *f, int thread);
void setup_pipe(struct bench *b, struct fixture *f, int thread);
void setup_mq(struct bench *b, struct fixture *f, int thread);
void setup_unix(struct bench *b, struct fixture *f, int thread);
void setup_null_zero(struct bench *b, struct fixture *f, int thread);
void setup_open_device(struct bench *b, struct fixture *f, int thread);
void setup_open_null(struct bench *b, struct fixture *f, int thread);
void loop_write_read(struct fixture *f, long n);
void loop_mq(struct fixture *f, long n);
void loop_send_recv(struct fixture *f, long n);
void loop_write(struct fixture *f, long n);
void loop_read(struct fixture *f, long n);
void loop_getppid(struct fixture *f, long n);
void loop_open_close(struct fixture *f, long n);

/* pingpong.c: two processes on two CPUs */
struct pingpong;
extern const struct pingpong pp_msgslot_poll, pp_msgslot_epoll,
	pp_msgslot_poll_get, pp_pipe_poll, pp_pipe_epoll, pp_eventfd_poll,
	pp_eventfd_read, pp_futex;
void setup_pingpong(struct bench *b, struct fixture *f, int thread);
void loop_pingpong(struct fixture *f, long n);

/* scaling.c: the same loop on 1 .. -j threads, for LEVEL_THREADS */
void setup_own_minor(struct bench *b, struct fixture *f, int thread);
void setup_one_slot(struct bench *b, struct fixture *f, int thread);
void setup_dev_zero(struct bench *b, struct fixture *f, int thread);
void loop_read_3_write_1(struct fixture *f, long n);
void measure_threads(struct bench *b, enum section_id id);

/* mapread.c: reading through the mapping, LEVEL_THREADS */
void setup_map(struct bench *b, struct fixture *f, int thread);
void setup_map_writer(struct bench *b, struct fixture *f, int thread);
void setup_slot_writer(struct bench *b, struct fixture *f, int thread);
void setup_map_limit(struct bench *b, struct fixture *f, int thread);
void loop_map_read(struct fixture *f, long n);
void loop_get_message(struct fixture *f, long n);
double map_scaling_vs_limit(const struct bench *b);

/* memory.c */
void measure_memory(struct bench *b, unsigned long upto);
double memory_per_slot(const struct bench *b);

/* report.c */
void print_report(const struct bench *b);
void print_names(FILE *f);

#endif
