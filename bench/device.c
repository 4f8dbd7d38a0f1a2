// SPDX-License-Identifier: GPL-2.0-only
/*
 * Errors, time, the device's nodes and slots, and CPU pinning.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

void die(const char *fmt, ...)
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

long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void check_io(ssize_t got, size_t want, const char *what)
{
	if (got < 0 || (size_t)got != want)
		die("%s returned %zd: %s", what, got,
		    got < 0 ? strerror(errno) : "short");
}

/* The i-th minor after the device's own, wrapping round the minor space. */
static unsigned int minor_at(const struct bench *b, unsigned long i)
{
	return (unsigned int)((b->minor + i) % MINOR_COUNT);
}

static void make_node(const struct bench *b, const char *path,
		      unsigned long i)
{
	if (mknod(path, S_IFCHR | 0600, makedev(b->major, minor_at(b, i))) < 0)
		die("mknod %s (minor %u): %s", path, minor_at(b, i),
		    strerror(errno));
}

static char node_paths[MAX_NODES][80];
static pid_t cleanup_pid;
static const struct bench *cleanup_bench;

/* A node for the i-th minor, kept until the end; returns its path. */
const char *node(struct bench *b, unsigned long i)
{
	char *path;

	if (i >= MAX_NODES)
		die("internal: node %lu", i);
	path = node_paths[i];
	if (!path[0]) {
		snprintf(path, sizeof(node_paths[i]), "%s/m%lu", b->node_dir,
			 i);
		make_node(b, path, i);
	}
	return path;
}

int open_channel(const char *path, unsigned long channel)
{
	int fd = open(path, O_RDWR);

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, channel) < 0)
		die("ioctl %s, channel %lu: %s", path, channel,
		    strerror(errno));
	return fd;
}

/*
 * Allocate the slots of minors allocated .. upto - 1: one node at a time,
 * opened, closed and unlinked, for slots outlive their files.
 */
void allocate_slots(struct bench *b, unsigned long upto)
{
	char path[80];
	int fd;

	snprintf(path, sizeof(path), "%s/a", b->node_dir);
	for (; b->allocated < upto; b->allocated++) {
		make_node(b, path, b->allocated);
		fd = open(path, O_RDWR);
		if (fd < 0)
			die("open minor %u: %s", minor_at(b, b->allocated),
			    strerror(errno));
		close(fd);
		unlink(path);
	}
}

/* Only the process that made them removes the nodes: not a ping-pong's. */
static void cleanup(void)
{
	char path[80];

	if (getpid() != cleanup_pid)
		return;
	for (int i = 0; i < MAX_NODES; i++)
		if (node_paths[i][0])
			unlink(node_paths[i]);
	snprintf(path, sizeof(path), "%s/a", cleanup_bench->node_dir);
	unlink(path);
	rmdir(cleanup_bench->node_dir);
}

/*
 * Check the device, learn its major and minor and the CPUs to run on, and
 * make the directory for the nodes of the other minors.  The path is used
 * as given, whatever its length: a path the kernel refuses ends the run
 * with the kernel's reason.
 */
void open_device(struct bench *b)
{
	struct stat st;

	if (stat(b->device, &st) < 0)
		die("%s: %s%s", b->device, strerror(errno),
		    errno == ENOENT ? " (is message_slot loaded?)" : "");
	if (!S_ISCHR(st.st_mode))
		die("%s is not a character device", b->device);
	b->major = major(st.st_rdev);
	b->minor = minor(st.st_rdev);

	if (sched_getaffinity(0, sizeof(b->all_cpus), &b->all_cpus) < 0)
		die("sched_getaffinity: %s", strerror(errno));
	for (int cpu = 0; cpu < CPU_SETSIZE && b->ncpus < MAX_THREADS; cpu++)
		if (CPU_ISSET(cpu, &b->all_cpus))
			b->cpus[b->ncpus++] = cpu;
	if (!b->max_threads)
		b->max_threads = b->ncpus;

	snprintf(b->node_dir, sizeof(b->node_dir), "/tmp/msgslot-bench.XXXXXX");
	if (!mkdtemp(b->node_dir))
		die("mkdtemp %s: %s", b->node_dir, strerror(errno));
	cleanup_pid = getpid();
	cleanup_bench = b;
	atexit(cleanup);
}

void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		die("sched_setaffinity cpu %d: %s", cpu, strerror(errno));
}

void unpin(const struct bench *b)
{
	if (sched_setaffinity(0, sizeof(b->all_cpus), &b->all_cpus) < 0)
		die("sched_setaffinity: %s", strerror(errno));
}
