/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the guest test programs share: the device node the module creates,
 * the module's slab cache, a clock and a random number generator.  Every
 * program is one .c file built statically on its own, so the helpers are
 * static inline here rather than in a library.
 */
#ifndef MSGSLOT_GUEST_H
#define MSGSLOT_GUEST_H

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* The node the module's class creates for minor 0. */
#define PRIMARY_NODE	"/dev/msgslot0"
#define MAX_MINOR	((1U << 20) - 1)

/* The module's own slab cache: one object a slot. */
#define SLAB_DIR	"/sys/kernel/slab/message_slot"
#define SLAB_OBJECTS	SLAB_DIR "/objects"
#define SLAB_SHRINK	SLAB_DIR "/shrink"

/* The exit status of a program that had to skip its case. */
#define EXIT_SKIP	4

/*
 * The decimal number @s, if it is one from @min to @max: then true, with the
 * number in *@value.  No sign, no blanks, nothing after the digits.
 */
static inline bool parse_number(const char *s, uint64_t min, uint64_t max,
				uint64_t *value)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*value = v;
	return true;
}

/* Run the calling thread on @cpu only. */
static inline void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Seconds on the monotonic clock. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: fast, and good enough to pick operations and lengths. */
static inline uint64_t next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/*
 * Slots in use in the module's slab cache, or -1 if it cannot be told.
 * Shrinking the cache first empties KASAN's quarantine, where freed slots
 * would otherwise still count as in use.
 */
static inline long slab_objects(void)
{
	long objects = -1;
	int fd = open(SLAB_SHRINK, O_WRONLY);
	FILE *f;

	if (fd < 0)
		return -1;
	if (write(fd, "1", 1) != 1) {
		close(fd);
		return -1;
	}
	close(fd);
	f = fopen(SLAB_OBJECTS, "r");
	if (f) {
		if (fscanf(f, "%ld", &objects) != 1)
			objects = -1;
		fclose(f);
	}
	return objects;
}

/*
 * The module's major, from PRIMARY_NODE; @prog names the program in the
 * message and exit status 1 when the node is not there.
 */
static inline unsigned int primary_major(const char *prog)
{
	struct stat st;

	if (stat(PRIMARY_NODE, &st) < 0 || !S_ISCHR(st.st_mode)) {
		printf("# %s: %s is not a character device\n", prog,
		       PRIMARY_NODE);
		exit(1);
	}
	return major(st.st_rdev);
}

/*
 * The node @path for minor @minor of @major (an existing one is fine), in
 * directory @dir, made if need be; on failure, a "# " line naming @prog and
 * exit status 1.
 */
static inline void make_node(const char *prog, const char *dir,
			     const char *path, unsigned int major,
			     unsigned int minor)
{
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		printf("# %s: mkdir %s: %s\n", prog, dir, strerror(errno));
		exit(1);
	}
	if (mknod(path, S_IFCHR | 0600, makedev(major, minor)) < 0 &&
	    errno != EEXIST) {
		printf("# %s: mknod %s: %s\n", prog, path, strerror(errno));
		exit(1);
	}
}

#endif /* MSGSLOT_GUEST_H */
