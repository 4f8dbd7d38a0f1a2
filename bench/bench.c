// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench: msgslot against the kernel's own IPC, with 128-byte messages.
 *
 *   bench [-d DEVICE] [-r RUNS] [-m MILLISECONDS] [-s SLOTS] [-j THREADS]
 *
 * Runs as root with message_slot loaded, in the QEMU guest of make bench or
 * on any machine, best on a freshly loaded module: it writes to channel 0
 * of the minors after DEVICE's own and allocates SLOTS slots (default
 * 100,000), which stay until rmmod.  It measures, in this order:
 *
 *   - open + close of DEVICE with 1 slot allocated;
 *   - open + close with 1,000 slots allocated;
 *   - round trips of one 128-byte message on one thread: msgslot (write +
 *     read on one open file), a pipe, a POSIX message queue, a UNIX datagram
 *     socketpair, and the floor, write(/dev/null) + read(/dev/zero); then
 *     the single calls they are made of;
 *   - thread scaling from 1 to the CPU count: readers each on its own minor,
 *     readers all on one channel of one slot, and all on that channel with
 *     one write in every four calls; and, as a control that shares nothing,
 *     readers of /dev/zero, which shows how far the machine lets any
 *     system call scale;
 *   - memory per slot: the growth of the kernel's slab memory while the
 *     slots from 1,000 to SLOTS are allocated;
 *   - open + close with SLOTS slots allocated.
 *
 * Every figure is the median of RUNS runs (default 11) of about MILLISECONDS
 * (default 100; twice that for the thread scaling) each.  The runs of the
 * workloads compared with each other are interleaved, and a ratio is the
 * median of the ratios of runs made back to back, so that other load on the
 * machine skews them less; open + close is compared across slot counts
 * relative to /dev/null's, measured alongside.  The output is a table, then
 * the same figures as JSON between the lines msgslot-bench-json-begin and
 * msgslot-bench-json-end, then gnuplot data between msgslot-bench-data-begin
 * and msgslot-bench-data-end (bench/run cuts them out).  Under software
 * emulation only the ratios mean anything.  Exit status: 0 when every
 * workload ran (whether or not the goals were met), 1 on an error, 2 on a
 * usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <mqueue.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "message_slot.h"

#define LEN		MSGSLOT_MSG_LEN
#define MINOR_COUNT	(1U << 20)	/* minors per major: MINORMASK + 1 */
#define MAX_RUNS	51
#define MAX_THREADS	256
/* Thread counts measured: the powers of 2 up to MAX_THREADS, and one more. */
#define MAX_LEVELS	10
#define OPS_PER_CHECK	16		/* thread loop: calls between stop checks */

/* ---- options and the device ---------------------------------------- */

static const char *device = "/dev/msgslot0";
static int runs = 11;
static long run_ms = 100;
static long total_slots = 100000;
static int max_threads;

static unsigned int dev_major, dev_minor;
static char node_dir[] = "/tmp/msgslot-bench.XXXXXX";

static cpu_set_t all_cpus;
static int cpus[MAX_THREADS];
static int ncpus;

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The i-th minor after the device's own, wrapping round the minor space. */
static unsigned int minor_at(unsigned long i)
{
	return (unsigned int)((dev_minor + i) % MINOR_COUNT);
}

static void make_node(const char *path, unsigned long i)
{
	if (mknod(path, S_IFCHR | 0600, makedev(dev_major, minor_at(i))) < 0)
		die("mknod %s (minor %u): %s", path, minor_at(i),
		    strerror(errno));
}

/* A node for the i-th minor, kept until the end; returns its path. */
static const char *node(unsigned long i)
{
	static char paths[MAX_THREADS + 2][sizeof(node_dir) + 16];
	char *path;

	if (i >= MAX_THREADS + 2)
		die("internal: node %lu", i);
	path = paths[i];
	if (!path[0]) {
		snprintf(path, sizeof(paths[i]), "%s/m%lu", node_dir, i);
		make_node(path, i);
	}
	return path;
}

static int open_channel(const char *path, unsigned long channel)
{
	int fd = open(path, O_RDWR);

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, channel) < 0)
		die("ioctl %s, channel %lu: %s", path, channel,
		    strerror(errno));
	return fd;
}

/* Slots this program knows to be allocated: minors 0 .. allocated - 1. */
static unsigned long allocated;

/*
 * Allocate the slots of minors allocated .. upto - 1: one node at a time,
 * opened, closed and unlinked, for slots outlive their files.
 */
static void allocate_slots(unsigned long upto)
{
	char path[sizeof(node_dir) + 8];
	int fd;

	snprintf(path, sizeof(path), "%s/a", node_dir);
	for (; allocated < upto; allocated++) {
		make_node(path, allocated);
		fd = open(path, O_RDWR);
		if (fd < 0)
			die("open minor %u: %s", minor_at(allocated),
			    strerror(errno));
		close(fd);
		unlink(path);
	}
}

static void cleanup(void)
{
	char path[sizeof(node_dir) + 16];
	unsigned long i;

	for (i = 0; i < MAX_THREADS + 2; i++) {
		snprintf(path, sizeof(path), "%s/m%lu", node_dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/a", node_dir);
	unlink(path);
	rmdir(node_dir);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		die("sched_setaffinity cpu %d: %s", cpu, strerror(errno));
}

static void unpin(void)
{
	if (sched_setaffinity(0, sizeof(all_cpus), &all_cpus) < 0)
		die("sched_setaffinity: %s", strerror(errno));
}

/* ---- statistics ------------------------------------------------------ */

struct stat3 {
	double median, min, max;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, minimum and maximum of @n values, left in their order. */
static struct stat3 summarize(const double *values, int n)
{
	double v[MAX_RUNS];
	struct stat3 s;

	memcpy(v, values, (size_t)n * sizeof(*v));
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

/* ---- single-thread workloads ----------------------------------------- */

struct ctx {
	int a, b;		/* file descriptors */
	mqd_t q;
	char buf[LEN];
};

typedef void (*loop_fn)(struct ctx *c, long n);

static void check_io(ssize_t got, const char *what)
{
	if (got != LEN)
		die("%s returned %zd: %s", what, got,
		    got < 0 ? strerror(errno) : "short");
}

static void loop_msgslot(struct ctx *c, long n)
{
	for (long i = 0; i < n; i++) {
		check_io(write(c->a, c->buf, LEN), "msgslot write");
		check_io(read(c->a, c->buf, LEN), "msgslot read");
	}
}

/* A pipe, a socketpair, /dev/null and /dev/zero: write to a, read from b. */
static void loop_write_read(struct ctx *c, long n)
{
	for (long i = 0; i < n; i++) {
		check_io(write(c->a, c->buf, LEN), "write");
		check_io(read(c->b, c->buf, LEN), "read");
	}
}

static void loop_mq(struct ctx *c, long n)
{
	for (long i = 0; i < n; i++) {
		if (mq_send(c->q, c->buf, LEN, 0) < 0)
			die("mq_send: %s", strerror(errno));
		check_io(mq_receive(c->q, c->buf, LEN, NULL), "mq_receive");
	}
}

static void loop_unix(struct ctx *c, long n)
{
	for (long i = 0; i < n; i++) {
		check_io(send(c->a, c->buf, LEN, 0), "send");
		check_io(recv(c->b, c->buf, LEN, 0), "recv");
	}
}

static void loop_write(struct ctx *c, long n)
{
	for (long i = 0; i < n; i++)
		check_io(write(c->a, c->buf, LEN), "write");
}

static void loop_read(struct ctx *c, long n)
{
	for (long i = 0; i < n; i++)
		check_io(read(c->a, c->buf, LEN), "read");
}

static void loop_getppid(struct ctx *c, long n)
{
	(void)c;
	for (long i = 0; i < n; i++)
		getppid();
}

static void loop_open_close(struct ctx *c, long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open(c->buf, O_RDWR);

		if (fd < 0)
			die("open %s: %s", c->buf, strerror(errno));
		close(fd);
	}
}

static double run_loop(loop_fn fn, struct ctx *c, long n)
{
	long long t0 = now_ns();

	fn(c, n);
	return (double)(now_ns() - t0);
}

/* Iterations of @fn that take about @run_ms; calibrating warms it up. */
static long calibrate(loop_fn fn, struct ctx *c)
{
	double t, target = run_ms * 1e6;
	long n = 16;

	for (;;) {
		t = run_loop(fn, c, n);
		if (t >= target / 8 || n >= LONG_MAX / 16)
			break;
		n *= t < target / 64 ? 8 : 2;
	}
	n = (long)(n * target / (t > 1 ? t : 1));
	return n < 1 ? 1 : n;
}

struct workload {
	loop_fn fn;
	struct ctx *c;
	struct stat3 *result;	/* nanoseconds per iteration */
};

/* The most workloads measure_all() compares at once. */
#define MAX_WORKLOADS	8

/* The runs of the last measure_all(), ns per iteration, for paired ratios. */
static double last_runs[MAX_WORKLOADS][MAX_RUNS];

/*
 * Measure @count workloads, each the median of @runs runs of about @run_ms.
 * The runs are interleaved, run r of every workload before run r + 1 of
 * any, so that a change in the machine's speed (other guests, the host's
 * load) touches all of them alike and their ratios stay fair.
 */
static void measure_all(const struct workload *w, int count)
{
	double (*v)[MAX_RUNS] = last_runs;
	long n[MAX_WORKLOADS];
	int i, r;

	if (count > MAX_WORKLOADS)
		die("internal: %d workloads", count);
	for (i = 0; i < count; i++)
		n[i] = calibrate(w[i].fn, w[i].c);
	for (r = 0; r < runs; r++)
		for (i = 0; i < count; i++)
			v[i][r] = run_loop(w[i].fn, w[i].c, n[i]) / (double)n[i];
	for (i = 0; i < count; i++)
		*w[i].result = summarize(v[i], runs);
}

/*
 * The median over the runs of a[r] / b[r], each pair measured back to back:
 * steadier than a ratio of medians when the machine's speed drifts.
 */
static double paired_ratio(const double *a, const double *b)
{
	double v[MAX_RUNS];

	for (int r = 0; r < runs; r++)
		v[r] = a[r] / b[r];
	return summarize(v, runs).median;
}

/* ---- thread scaling -------------------------------------------------- */

/*
 * CONTROL shares nothing in any driver: it shows how far the machine itself
 * (the vCPUs, the emulator, the host's other work) lets a system call scale.
 */
enum scale_kind { SEPARATE, SHARED_READ, SHARED_MIXED, CONTROL, SCALE_KINDS };

/*
 * What a workload is called: its name in the JSON, its title in the table
 * and, for the round trips, its label in the plot.
 */
struct label {
	const char *name, *title, *plot;
};

static const struct label scale_label[SCALE_KINDS] = {
	[SEPARATE] = { "separate-minors", "readers, each on its own minor" },
	[SHARED_READ] = { "one-slot-readers",
			  "readers, all on one channel of one slot" },
	[SHARED_MIXED] = { "one-slot-mixed",
			   "one channel, each thread 3 reads : 1 write" },
	[CONTROL] = { "control-dev-zero",
		      "control: readers of /dev/zero, own files" },
};

struct worker {
	pthread_t tid;
	int cpu, fd;
	bool mixed;
	long long ops, ns;
};

static pthread_barrier_t start_barrier;
static atomic_int stop_flag;

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char buf[LEN];
	long long ops = 0, t0;

	memset(buf, 'w', sizeof(buf));
	pin(w->cpu);
	pthread_barrier_wait(&start_barrier);
	t0 = now_ns();
	while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
		for (int j = 0; j < OPS_PER_CHECK; j++) {
			ssize_t got;

			if (w->mixed && (j & 3) == 3)
				got = write(w->fd, buf, LEN);
			else
				got = read(w->fd, buf, LEN);
			check_io(got, w->mixed ? "msgslot read/write" : "read");
		}
		ops += OPS_PER_CHECK;
	}
	w->ns = now_ns() - t0;
	w->ops = ops;
	return NULL;
}

/* ---- memory ---------------------------------------------------------- */

/* A "Name: N kB" line of /proc/meminfo, in kB, or -1. */
static long meminfo_kb(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/* The first number in a file (of /sys), or -1. */
static long read_number(const char *path)
{
	long n = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/*
 * Objects in the slabs of cache @name, in use or not, and their size, from
 * /proc/slabinfo.
 */
static bool slabinfo(const char *name, long *num_objs, long *objsize)
{
	char line[512], cache[128];
	long active, num, size;
	bool found = false;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %ld %ld %ld", cache, &active, &num,
			   &size) == 4 && !strcmp(cache, name)) {
			*num_objs = num;
			*objsize = size;
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

#define SLAB_DIR	"/sys/kernel/slab/message_slot"

struct slab_state {
	long slab_kb;		/* Slab: of /proc/meminfo */
	long cache_slabs;	/* slabs of the module's cache, or -1 */
	long xa_objs;		/* radix_tree_node objects, or -1 */
	long xa_size;		/* and the size of one */
};

static void slab_state(struct slab_state *s)
{
	/*
	 * Let RCU free the inodes the node churn left behind, and the
	 * machine settle before the next figures.
	 */
	sleep_ms(1000);
	s->slab_kb = meminfo_kb("Slab");
	s->cache_slabs = read_number(SLAB_DIR "/slabs");
	if (!slabinfo("radix_tree_node", &s->xa_objs, &s->xa_size))
		s->xa_objs = -1;
}

struct memory {
	long slots;
	double per_slot;		/* from Slab: of /proc/meminfo */
	bool per_slot_from_caches;	/* or, when that shrank, the caches */
	double cache_per_slot;		/* from the cache's own slabs, or -1 */
	double xarray_per_slot;		/* from radix_tree_node, or -1 */
	long object_size, slab_size, objs_per_slab, order;
	char cache[256];		/* what the cache is in /sys */
	bool merged;
};

static void describe_cache(struct memory *m)
{
	char target[160];
	const char *name;
	ssize_t len;
	long aliases;

	m->object_size = read_number(SLAB_DIR "/object_size");
	m->slab_size = read_number(SLAB_DIR "/slab_size");
	m->objs_per_slab = read_number(SLAB_DIR "/objs_per_slab");
	m->order = read_number(SLAB_DIR "/order");
	aliases = read_number(SLAB_DIR "/aliases");
	m->merged = aliases > 0;
	len = readlink(SLAB_DIR, target, sizeof(target) - 1);
	if (len > 0) {
		/*
		 * A mergeable cache is a link to one named by its size, such
		 * as :0000544; aliases counts the caches merged into it.
		 */
		target[len] = '\0';
		name = strrchr(target, '/');
		name = name ? name + 1 : target;
		snprintf(m->cache, sizeof(m->cache),
			 "mergeable, %s (%s, %ld aliases)",
			 m->merged ? "shared with other caches" : "not shared",
			 name, aliases);
	} else if (m->object_size > 0) {
		snprintf(m->cache, sizeof(m->cache),
			 "not mergeable, its own cache");
	} else {
		snprintf(m->cache, sizeof(m->cache), "not in %s", SLAB_DIR);
	}
}

static void measure_memory(struct memory *m, unsigned long upto)
{
	struct slab_state before, after;
	long long page = sysconf(_SC_PAGESIZE);

	describe_cache(m);
	slab_state(&before);
	m->slots = (long)(upto - allocated);
	allocate_slots(upto);
	slab_state(&after);

	m->per_slot = m->cache_per_slot = m->xarray_per_slot = -1;
	if (m->slots <= 0)
		return;
	if (before.slab_kb >= 0 && after.slab_kb >= 0)
		m->per_slot = (after.slab_kb - before.slab_kb) * 1024.0 /
			      m->slots;
	if (before.cache_slabs >= 0 && after.cache_slabs >= 0 && m->order >= 0)
		m->cache_per_slot = (double)(after.cache_slabs -
					     before.cache_slabs) *
				    (page << m->order) / m->slots;
	if (before.xa_objs >= 0 && after.xa_objs >= 0)
		m->xarray_per_slot = (double)(after.xa_objs - before.xa_objs) *
				     after.xa_size / m->slots;
	/*
	 * Slab: counts the whole machine.  When it shrank while the slots
	 * were allocated (KASAN's quarantine draining the frees of earlier
	 * workloads does that on the debug kernel), count what the module's
	 * own cache and the XArray grew by instead.
	 */
	if (m->per_slot < 0 && m->cache_per_slot >= 0 &&
	    m->xarray_per_slot >= 0) {
		m->per_slot = m->cache_per_slot + m->xarray_per_slot;
		m->per_slot_from_caches = true;
	}
}

/* ---- output ---------------------------------------------------------- */

/* A JSON number, or null for what was not measured. */
static void json_num(FILE *f, double x)
{
	if (isfinite(x) && x >= 0)
		fprintf(f, "%.6g", x);
	else
		fputs("null", f);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void cpu_model(char *out, size_t size)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(out, size, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			colon += 1 + (colon[1] == ' ');
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(out, size, "%s", colon);
			break;
		}
	}
	fclose(f);
}

static void usage(FILE *f)
{
	fputs("usage: bench [-d DEVICE] [-r RUNS] [-m MILLISECONDS] [-s SLOTS] "
	      "[-j THREADS]\n"
	      "Benchmark msgslot (module loaded, as root) against a pipe, a "
	      "POSIX message\nqueue, a UNIX socketpair and /dev/null + "
	      "/dev/zero, with 128-byte messages.\n"
	      "  -d DEVICE   the slot device (default $MSGSLOT_DEVICE, else "
	      "/dev/msgslot0)\n"
	      "  -r RUNS     runs per figure, the median is kept (default 11)\n"
	      "  -m MS       length of one run (default 100; threads: twice)\n"
	      "  -s SLOTS    slots to allocate for the memory and open figures "
	      "(default 100000)\n"
	      "  -j THREADS  most threads for the scaling figures (default: "
	      "the CPU count)\n"
	      "It writes to the minors after DEVICE's and allocates SLOTS "
	      "slots, which stay\nuntil rmmod: run it on a freshly loaded "
	      "module, not on one in use.\n", f);
}

static long number_arg(const char *arg, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || end == arg || *end || n < lo || n > hi) {
		fprintf(stderr, "bench: '%s' is not a number in %ld..%ld\n",
			arg, lo, hi);
		usage(stderr);
		exit(2);
	}
	return n;
}

/* ---- the benchmark --------------------------------------------------- */

enum rt { RT_MSGSLOT, RT_PIPE, RT_MQ, RT_UNIX, RT_FLOOR, RTS };

static const struct label rt_label[RTS] = {
	[RT_MSGSLOT] = { "msgslot", "msgslot: write + read, one open file",
			 "msgslot" },
	[RT_PIPE] = { "pipe", "pipe: write + read", "pipe" },
	[RT_MQ] = { "mq", "POSIX mq: mq_send + mq_receive", "POSIX mq" },
	[RT_UNIX] = { "unix", "UNIX dgram socketpair: send + recv",
		      "UNIX dgram" },
	[RT_FLOOR] = { "floor", "floor: write /dev/null + read /dev/zero",
		       "floor" },
};

enum call { CALL_MS_WRITE, CALL_MS_READ, CALL_NULL, CALL_ZERO, CALL_GETPPID,
	    CALLS };

static const struct label call_label[CALLS] = {
	[CALL_MS_WRITE] = { "msgslot-write", "msgslot write of 128 bytes" },
	[CALL_MS_READ] = { "msgslot-read", "msgslot read of 128 bytes" },
	[CALL_NULL] = { "null-write", "write of 128 bytes to /dev/null" },
	[CALL_ZERO] = { "zero-read", "read of 128 bytes from /dev/zero" },
	[CALL_GETPPID] = { "getppid", "getppid (the bare system call)" },
};

#define OPEN_LEVELS	3

struct results {
	/* Ratios are paired_ratio()s: medians of per-run ratios. */
	struct stat3 rt[RTS];
	double rt_vs_pipe[RTS], rt_vs_floor[RTS];
	struct stat3 call[CALLS];
	double call_vs_bare[CALLS];
	int levels, threads[MAX_LEVELS];
	struct stat3 scale[SCALE_KINDS][MAX_LEVELS];	/* calls per second */
	double speedup[SCALE_KINDS][MAX_LEVELS];
	long open_slots[OPEN_LEVELS];
	struct stat3 open[OPEN_LEVELS], open_null[OPEN_LEVELS];
	double open_vs_null[OPEN_LEVELS];	/* the device's over /dev/null's */
	struct memory mem;
};

static struct results res;

/*
 * open + close with @level's slots against with 1 slot, each relative to
 * /dev/null's open + close measured alongside: what the slots cost, without
 * the drift of the machine's speed in the minutes between the two.
 */
static double open_vs_1_slot(int level)
{
	return res.open_vs_null[level] / res.open_vs_null[0];
}

static void measure_open(int level, long slots)
{
	struct ctx dev, null;

	allocate_slots((unsigned long)slots);
	res.open_slots[level] = slots;
	snprintf(dev.buf, sizeof(dev.buf), "%s", device);
	snprintf(null.buf, sizeof(null.buf), "/dev/null");
	pin(cpus[0]);
	measure_all((struct workload[]){
		{ loop_open_close, &dev, &res.open[level] },
		{ loop_open_close, &null, &res.open_null[level] },
	}, 2);
	res.open_vs_null[level] = paired_ratio(last_runs[0], last_runs[1]);
	unpin();
}

static void measure_round_trips(void)
{
	struct ctx slot, pipe_c, mq, sock, floor_c, zero;
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = LEN };
	char name[64];
	int fds[2];

	memset(&slot, 0, sizeof(slot));
	memset(slot.buf, 'r', sizeof(slot.buf));
	pipe_c = mq = sock = floor_c = zero = slot;

	slot.a = open_channel(node(1), 0);
	if (pipe(fds) < 0)
		die("pipe: %s", strerror(errno));
	pipe_c.a = fds[1];
	pipe_c.b = fds[0];
	snprintf(name, sizeof(name), "/msgslot-bench.%d", (int)getpid());
	mq.q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (mq.q == (mqd_t)-1)
		die("mq_open %s: %s", name, strerror(errno));
	mq_unlink(name);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) < 0)
		die("socketpair: %s", strerror(errno));
	sock.a = fds[0];
	sock.b = fds[1];
	floor_c.a = open("/dev/null", O_WRONLY);
	floor_c.b = zero.a = open("/dev/zero", O_RDONLY);
	if (floor_c.a < 0 || floor_c.b < 0)
		die("open /dev/null, /dev/zero: %s", strerror(errno));

	pin(cpus[0]);
	measure_all((struct workload[]){
		{ loop_msgslot, &slot, &res.rt[RT_MSGSLOT] },
		{ loop_write_read, &pipe_c, &res.rt[RT_PIPE] },
		{ loop_mq, &mq, &res.rt[RT_MQ] },
		{ loop_unix, &sock, &res.rt[RT_UNIX] },
		{ loop_write_read, &floor_c, &res.rt[RT_FLOOR] },
	}, RTS);
	for (int i = 0; i < RTS; i++) {
		res.rt_vs_pipe[i] = paired_ratio(last_runs[i],
						 last_runs[RT_PIPE]);
		res.rt_vs_floor[i] = paired_ratio(last_runs[i],
						  last_runs[RT_FLOOR]);
	}
	measure_all((struct workload[]){
		{ loop_write, &slot, &res.call[CALL_MS_WRITE] },
		{ loop_read, &slot, &res.call[CALL_MS_READ] },
		{ loop_write, &floor_c, &res.call[CALL_NULL] },
		{ loop_read, &zero, &res.call[CALL_ZERO] },
		{ loop_getppid, &slot, &res.call[CALL_GETPPID] },
	}, CALLS);
	for (int i = 0; i < CALLS; i++)
		res.call_vs_bare[i] = paired_ratio(last_runs[i],
						   last_runs[CALL_GETPPID]);
	unpin();

	close(slot.a);
	close(pipe_c.a);
	close(pipe_c.b);
	mq_close(mq.q);
	close(sock.a);
	close(sock.b);
	close(floor_c.a);
	close(floor_c.b);
}

/* Calls per second of @nthreads threads of @kind, in one run of 2 @run_ms. */
static double run_threads(enum scale_kind kind, int nthreads)
{
	static struct worker w[MAX_THREADS];
	char msg[LEN];
	double rate = 0;
	int i, err;

	memset(msg, 'm', sizeof(msg));
	for (i = 0; i < nthreads; i++) {
		w[i].cpu = cpus[i % ncpus];
		w[i].mixed = kind == SHARED_MIXED;
		if (kind == CONTROL) {
			w[i].fd = open("/dev/zero", O_RDONLY);
			if (w[i].fd < 0)
				die("open /dev/zero: %s", strerror(errno));
			continue;
		}
		/* Minor 1 is the shared slot; 2 .. are one per thread. */
		w[i].fd = open_channel(node(kind == SEPARATE ? 2 + i : 1), 0);
		check_io(write(w[i].fd, msg, LEN), "msgslot write");
	}
	atomic_store(&stop_flag, 0);
	pthread_barrier_init(&start_barrier, NULL, (unsigned)nthreads + 1);
	for (i = 0; i < nthreads; i++) {
		err = pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
		if (err)
			die("pthread_create: %s", strerror(err));
	}
	pthread_barrier_wait(&start_barrier);
	sleep_ms(2 * run_ms);
	atomic_store(&stop_flag, 1);
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].tid, NULL);
		rate += w[i].ops * 1e9 / (double)(w[i].ns ? w[i].ns : 1);
		close(w[i].fd);
	}
	pthread_barrier_destroy(&start_barrier);
	return rate;
}

static void measure_scaling(void)
{
	static double v[SCALE_KINDS][MAX_LEVELS][MAX_RUNS];
	int n, k, r;

	_Static_assert(MAX_THREADS <= 1 << (MAX_LEVELS - 2),
		       "MAX_LEVELS holds every power of 2 to MAX_THREADS");
	res.levels = 0;
	for (n = 1; n <= max_threads; n *= 2)
		res.threads[res.levels++] = n;
	if (res.threads[res.levels - 1] != max_threads)
		res.threads[res.levels++] = max_threads;
	/*
	 * Interleaved like measure_all(); a first round warms up and is not
	 * counted.
	 */
	for (r = -1; r < runs; r++)
		for (k = 0; k < SCALE_KINDS; k++)
			for (n = 0; n < res.levels; n++) {
				double rate = run_threads(k, res.threads[n]);

				if (r >= 0)
					v[k][n][r] = rate;
			}
	for (k = 0; k < SCALE_KINDS; k++)
		for (n = 0; n < res.levels; n++) {
			res.speedup[k][n] = paired_ratio(v[k][n], v[k][0]);
			res.scale[k][n] = summarize(v[k][n], runs);
		}
}

/* ---- goals ----------------------------------------------------------- */

struct goal {
	const char *name, *text;
	double value, limit;
	bool at_least;			/* value >= limit, else value <= limit */
	const char *unit;
};

#define GOALS	6
static struct goal goals[GOALS];

static int scale_level(int threads)
{
	for (int n = 0; n < res.levels; n++)
		if (res.threads[n] == threads)
			return n;
	return -1;
}

static void evaluate_goals(void)
{
	int two = scale_level(2);

	goals[0] = (struct goal){ "rt-vs-pipe",
		"msgslot round trip faster than the pipe's by",
		1 / res.rt_vs_pipe[RT_MSGSLOT], 1.5, true, "x" };
	goals[1] = (struct goal){ "rt-vs-floor",
		"msgslot round trip within the floor's",
		res.rt_vs_floor[RT_MSGSLOT], 1.3, false, "x" };
	goals[2] = (struct goal){ "memory-per-slot",
		"memory per slot, allocator and XArray included",
		res.mem.per_slot, 640, false, " bytes" };
	goals[3] = (struct goal){ "open-at-scale",
		"open + close with the most slots, vs with 1 slot",
		open_vs_1_slot(OPEN_LEVELS - 1), 1.2, false, "x" };
	goals[4] = (struct goal){ "scale-separate",
		"readers on separate minors, 2 threads vs 1",
		two < 0 ? NAN : res.speedup[SEPARATE][two], 1.6, true, "x" };
	goals[5] = (struct goal){ "scale-one-slot",
		"readers on one slot, 2 threads vs 1 (no collapse)",
		two < 0 ? NAN : res.speedup[SHARED_READ][two], 1.0, true,
		"x" };
}

static const char *goal_status(const struct goal *g)
{
	if (!isfinite(g->value) || g->value < 0)
		return "SKIPPED";
	if (g->at_least ? g->value >= g->limit : g->value <= g->limit)
		return "MET";
	return "MISSED";
}

/* @n with thousands separators, in @buf. */
static const char *grouped(char *buf, size_t size, long n)
{
	if (n >= 1000000)
		snprintf(buf, size, "%ld,%03ld,%03ld", n / 1000000,
			 n / 1000 % 1000, n % 1000);
	else if (n >= 1000)
		snprintf(buf, size, "%ld,%03ld", n / 1000, n % 1000);
	else
		snprintf(buf, size, "%ld", n);
	return buf;
}

/* ---- printing -------------------------------------------------------- */

static struct utsname uts;
static char model[256];

static void print_table(void)
{
	char num[32], num2[32];
	int i, n, k;

	printf("msgslot-bench-table-begin\n");
	printf("msgslot benchmark: 128-byte messages; each figure the median "
	       "of %d runs of ~%ld ms (threads ~%ld)\n", runs, run_ms,
	       2 * run_ms);
	printf("kernel %s %s, %d CPUs (%s), device %s (major %u)\n",
	       uts.release, uts.machine, ncpus, model, device, dev_major);
	printf("Runs of all the workloads of a section are interleaved; a ratio "
	       "is the median of\nthe ratios of runs made back to back.  Under "
	       "software emulation (QEMU TCG)\nonly the ratios mean anything.\n\n");

	printf("%-44s %10s %9s %9s\n", "Round trip, one thread", "ns",
	       "vs pipe", "vs floor");
	for (i = 0; i < RTS; i++)
		printf("  %-42s %10.0f %8.2fx %8.2fx\n", rt_label[i].title,
		       res.rt[i].median, res.rt_vs_pipe[i],
		       res.rt_vs_floor[i]);
	printf("  (vs: time relative to the pipe's and to the floor's; "
	       "below 1 is faster)\n\n");

	printf("%-44s %10s %9s\n", "Single calls, one thread", "ns",
	       "vs bare");
	for (i = 0; i < CALLS; i++)
		printf("  %-42s %10.0f %8.2fx\n", call_label[i].title,
		       res.call[i].median, res.call_vs_bare[i]);
	printf("\n");

	printf("Thread scaling, 128-byte calls per second (k/s) and speedup "
	       "vs 1 thread\n");
	printf("  %-44s", "threads:");
	for (n = 0; n < res.levels; n++)
		printf(" %17d", res.threads[n]);
	printf("\n");
	for (k = 0; k < SCALE_KINDS; k++) {
		printf("  %-44s", scale_label[k].title);
		for (n = 0; n < res.levels; n++)
			printf(" %9.0f (%4.2fx)", res.scale[k][n].median / 1e3,
			       res.speedup[k][n]);
		printf("\n");
	}
	printf("\n");

	printf("%-44s %10s %12s %9s %9s\n", "open + close of the device",
	       "ns", "/dev/null ns", "vs 1 slot", "(raw)");
	for (i = 0; i < OPEN_LEVELS; i++) {
		char level[64];

		snprintf(level, sizeof(level), "with %s slot%s allocated",
			 grouped(num, sizeof(num), res.open_slots[i]),
			 res.open_slots[i] == 1 ? "" : "s");
		printf("  %-42s %10.0f %12.0f %8.2fx %8.2fx\n", level,
		       res.open[i].median, res.open_null[i].median,
		       open_vs_1_slot(i),
		       res.open[i].median / res.open[0].median);
	}
	printf("  (vs 1 slot: each relative to /dev/null's open + close "
	       "measured alongside;\n  raw: the plain ratio, which the "
	       "machine's drift between the sections skews)\n\n");

	printf("Memory per slot, %s slots allocated (%s in all)\n",
	       grouped(num, sizeof(num), res.mem.slots),
	       grouped(num2, sizeof(num2), (long)allocated));
	printf("  %-42s %10.1f bytes\n", res.mem.per_slot_from_caches ?
	       "cache + XArray (Slab: shrank meanwhile)" :
	       "growth of Slab: in /proc/meminfo", res.mem.per_slot);
	if (res.mem.cache_per_slot >= 0)
		printf("  %-42s %10.1f bytes\n", "of which the cache's own slabs",
		       res.mem.cache_per_slot);
	if (res.mem.xarray_per_slot >= 0)
		printf("  %-42s %10.1f bytes\n", "of which XArray nodes",
		       res.mem.xarray_per_slot);
	printf("  %-42s %10ld bytes (payload %d)\n", "object size",
	       res.mem.object_size, MSGSLOT_CHANNELS * LEN);
	printf("  %-42s %10ld bytes, %ld a slab of order %ld\n",
	       "slab size", res.mem.slab_size, res.mem.objs_per_slab,
	       res.mem.order);
	printf("  %-42s %s\n", "cache", res.mem.cache);
	printf("\n");

	printf("Goals\n");
	for (i = 0; i < GOALS; i++)
		printf("  %-7s %-52s %7.2f%s (goal %s %g%s)\n",
		       goal_status(&goals[i]), goals[i].text, goals[i].value,
		       goals[i].unit, goals[i].at_least ? ">=" : "<=",
		       goals[i].limit, goals[i].unit);
	n = scale_level(2);
	if (n >= 0)
		printf("  (the control, readers of /dev/zero that share "
		       "nothing, went %.2fx from 1 to 2\n  threads: what this "
		       "machine gave any system call in this run)\n",
		       res.speedup[CONTROL][n]);
	printf("msgslot-bench-table-end\n");
}

static void json_stat(FILE *f, const char *key, struct stat3 s)
{
	fprintf(f, "\"%s\": ", key);
	json_num(f, s.median);
	fprintf(f, ", \"%s_min\": ", key);
	json_num(f, s.min);
	fprintf(f, ", \"%s_max\": ", key);
	json_num(f, s.max);
}

static void print_json(FILE *f)
{
	int i, n, k;

	fprintf(f, "{\n  \"benchmark\": \"msgslot\",\n  \"kernel\": ");
	json_str(f, uts.release);
	fprintf(f, ",\n  \"machine\": ");
	json_str(f, uts.machine);
	fprintf(f, ",\n  \"cpu_model\": ");
	json_str(f, model);
	fprintf(f, ",\n  \"cpus\": %d,\n  \"device\": ", ncpus);
	json_str(f, device);
	fprintf(f, ",\n  \"major\": %u,\n  \"message_bytes\": %d,\n"
		"  \"runs\": %d,\n  \"run_ms\": %ld,\n", dev_major, LEN, runs,
		run_ms);

	fprintf(f, "  \"round_trip\": [\n");
	for (i = 0; i < RTS; i++) {
		fprintf(f, "    {\"name\": \"%s\", ", rt_label[i].name);
		json_stat(f, "ns", res.rt[i]);
		fprintf(f, ", \"vs_pipe\": ");
		json_num(f, res.rt_vs_pipe[i]);
		fprintf(f, ", \"vs_floor\": ");
		json_num(f, res.rt_vs_floor[i]);
		fprintf(f, "}%s\n", i + 1 < RTS ? "," : "");
	}
	fprintf(f, "  ],\n  \"calls\": [\n");
	for (i = 0; i < CALLS; i++) {
		fprintf(f, "    {\"name\": \"%s\", ", call_label[i].name);
		json_stat(f, "ns", res.call[i]);
		fprintf(f, ", \"vs_bare\": ");
		json_num(f, res.call_vs_bare[i]);
		fprintf(f, "}%s\n", i + 1 < CALLS ? "," : "");
	}
	fprintf(f, "  ],\n  \"scaling\": [\n");
	for (k = 0; k < SCALE_KINDS; k++) {
		fprintf(f, "    {\"name\": \"%s\", \"runs\": [\n",
			scale_label[k].name);
		for (n = 0; n < res.levels; n++) {
			fprintf(f, "      {\"threads\": %d, ", res.threads[n]);
			json_stat(f, "ops_per_s", res.scale[k][n]);
			fprintf(f, ", \"speedup\": ");
			json_num(f, res.speedup[k][n]);
			fprintf(f, "}%s\n", n + 1 < res.levels ? "," : "");
		}
		fprintf(f, "    ]}%s\n", k + 1 < SCALE_KINDS ? "," : "");
	}
	fprintf(f, "  ],\n  \"open_close\": [\n");
	for (i = 0; i < OPEN_LEVELS; i++) {
		fprintf(f, "    {\"slots\": %ld, ", res.open_slots[i]);
		json_stat(f, "ns", res.open[i]);
		fprintf(f, ", \"vs_1_slot\": ");
		json_num(f, open_vs_1_slot(i));
		fprintf(f, ", \"vs_1_slot_raw\": ");
		json_num(f, res.open[i].median / res.open[0].median);
		fprintf(f, ", \"devnull_ns\": ");
		json_num(f, res.open_null[i].median);
		fprintf(f, "}%s\n", i + 1 < OPEN_LEVELS ? "," : "");
	}
	fprintf(f, "  ],\n  \"memory\": {\"slots\": %ld, \"bytes_per_slot\": ",
		res.mem.slots);
	json_num(f, res.mem.per_slot);
	fprintf(f, ", \"cache_bytes_per_slot\": ");
	json_num(f, res.mem.cache_per_slot);
	fprintf(f, ", \"xarray_bytes_per_slot\": ");
	json_num(f, res.mem.xarray_per_slot);
	fprintf(f, ", \"payload_bytes\": %d, \"object_size\": ",
		MSGSLOT_CHANNELS * LEN);
	json_num(f, (double)res.mem.object_size);
	fprintf(f, ", \"slab_size\": ");
	json_num(f, (double)res.mem.slab_size);
	fprintf(f, ", \"objs_per_slab\": ");
	json_num(f, (double)res.mem.objs_per_slab);
	fprintf(f, ", \"order\": ");
	json_num(f, (double)res.mem.order);
	fprintf(f, ", \"merged\": %s, \"cache\": ",
		res.mem.merged ? "true" : "false");
	json_str(f, res.mem.cache);
	fprintf(f, "},\n  \"goals\": [\n");
	for (i = 0; i < GOALS; i++) {
		fprintf(f, "    {\"name\": \"%s\", \"text\": ", goals[i].name);
		json_str(f, goals[i].text);
		fprintf(f, ", \"value\": ");
		json_num(f, goals[i].value);
		fprintf(f, ", \"limit\": %g, \"at_least\": %s, \"status\": "
			"\"%s\"}%s\n", goals[i].limit,
			goals[i].at_least ? "true" : "false",
			goal_status(&goals[i]), i + 1 < GOALS ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
}

/*
 * gnuplot data, four blocks (index 0 to 3): the round trips relative to
 * the floor; the scaling speedups by thread count; open + close relative
 * to 1 slot; the memory per slot.
 */
static void print_data(FILE *f)
{
	char buf[32];
	int i, n, k;

	fprintf(f, "# round trip: label ns vs_floor vs_pipe\n");
	for (i = 0; i < RTS; i++)
		fprintf(f, "\"%s\" %.1f %.4f %.4f\n", rt_label[i].plot,
			res.rt[i].median,
			res.rt_vs_floor[i], res.rt_vs_pipe[i]);
	fprintf(f, "\n\n# scaling: threads");
	for (k = 0; k < SCALE_KINDS; k++)
		fprintf(f, " %s", scale_label[k].name);
	fprintf(f, " (speedup vs 1 thread)\n");
	for (n = 0; n < res.levels; n++) {
		fprintf(f, "%d", res.threads[n]);
		for (k = 0; k < SCALE_KINDS; k++)
			fprintf(f, " %.4f", res.speedup[k][n]);
		fprintf(f, "\n");
	}
	fprintf(f, "\n\n# open+close: label slots ns vs_1_slot\n");
	for (i = 0; i < OPEN_LEVELS; i++)
		fprintf(f, "\"%s\" %ld %.1f %.4f\n",
			grouped(buf, sizeof(buf), res.open_slots[i]),
			res.open_slots[i], res.open[i].median,
			open_vs_1_slot(i));
	fprintf(f, "\n\n# memory: bytes_per_slot payload_bytes slots\n");
	fprintf(f, "%.1f %d %ld\n", res.mem.per_slot, MSGSLOT_CHANNELS * LEN,
		res.mem.slots);
}

int main(int argc, char **argv)
{
	const char *env = getenv("MSGSLOT_DEVICE");
	struct stat st;
	long long t0 = now_ns();
	int opt;

	if (env && *env)
		device = env;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	}
	while ((opt = getopt(argc, argv, "d:r:m:s:j:")) != -1) {
		switch (opt) {
		case 'd':
			device = optarg;
			break;
		case 'r':
			runs = (int)number_arg(optarg, 1, MAX_RUNS);
			break;
		case 'm':
			run_ms = number_arg(optarg, 1, 60000);
			break;
		case 's':
			total_slots = number_arg(optarg, 2000, MINOR_COUNT);
			break;
		case 'j':
			max_threads = (int)number_arg(optarg, 1, MAX_THREADS);
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (stat(device, &st) < 0)
		die("%s: %s (is message_slot loaded?)", device, strerror(errno));
	if (!S_ISCHR(st.st_mode))
		die("%s is not a character device", device);
	dev_major = major(st.st_rdev);
	dev_minor = minor(st.st_rdev);

	if (sched_getaffinity(0, sizeof(all_cpus), &all_cpus) < 0)
		die("sched_getaffinity: %s", strerror(errno));
	for (int cpu = 0; cpu < CPU_SETSIZE && ncpus < MAX_THREADS; cpu++)
		if (CPU_ISSET(cpu, &all_cpus))
			cpus[ncpus++] = cpu;
	if (!max_threads)
		max_threads = ncpus;
	uname(&uts);
	cpu_model(model, sizeof(model));

	if (!mkdtemp(node_dir))
		die("mkdtemp %s: %s", node_dir, strerror(errno));
	atexit(cleanup);

	printf("bench: %s (major %u), %d CPUs, %d runs of ~%ld ms per "
	       "figure\n", device, dev_major, ncpus, runs, run_ms);

	printf("bench: open + close with 1 slot\n");
	measure_open(0, 1);
	printf("bench: open + close with 1,000 slots\n");
	measure_open(1, 1000);
	printf("bench: round trips\n");
	measure_round_trips();
	printf("bench: thread scaling\n");
	measure_scaling();
	printf("bench: memory, allocating slots up to %ld\n", total_slots);
	measure_memory(&res.mem, (unsigned long)total_slots);
	printf("bench: open + close with %ld slots\n", total_slots);
	measure_open(2, total_slots);
	evaluate_goals();
	printf("bench: done in %.0f s\n\n", (now_ns() - t0) / 1e9);

	print_table();
	printf("msgslot-bench-json-begin\n");
	print_json(stdout);
	printf("msgslot-bench-json-end\n");
	printf("msgslot-bench-data-begin\n");
	print_data(stdout);
	printf("msgslot-bench-data-end\n");
	return 0;
}
