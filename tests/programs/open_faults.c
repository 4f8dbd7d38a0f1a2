// SPDX-License-Identifier: GPL-2.0-only
/*
 * open_faults: make the slab allocations of open() fail, at every point in
 * turn, and check that opening a slot fails cleanly.  It runs in the test
 * guest on a kernel with failslab (CONFIG_FAILSLAB, debugfs), with
 * message_slot loaded, after the caller has set failslab up for this task
 * alone (probability 100, interval 1, times -1, verbose 0, task-filter Y,
 * ignore-gfp-wait N: see robust.sh):
 *
 *   open_faults [--first-minor F]
 *
 * failslab's "space" is a budget of bytes that allocations may take before
 * every later one fails.  For budgets from 0 up, in steps of 16 bytes, this
 * task marks itself (make-it-fail) and opens a minor: first one whose slot
 * exists (F, default 540000, with a message in it), then a new minor each
 * time.  Each open must succeed or fail with ENOMEM; a failed one must leave
 * no slot allocated, and the same minor must open afterwards as a new, empty
 * slot; a successful one must give a file that works.  The budgets at which
 * a new minor fails but an existing one opens are those where the driver's
 * own allocations (the slot, the XArray's nodes) failed: there must be some.
 * Last, the message written first must be intact.  Exit 0 if all held,
 * 1 otherwise, 4 (skip) without fault injection, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "guest.h"
#include "message_slot.h"

#define NODE_DIR	"/tmp/open_faults"
#define SPACE		"/sys/kernel/debug/failslab/space"
#define MAKE_IT_FAIL	"/proc/thread-self/make-it-fail"
#define LEN		MSGSLOT_MSG_LEN
/* The budget grows by this much each time, up to this much. */
#define STEP		16
#define MAX_SPACE	65536
/* Done once this many budgets in a row let the open succeed. */
#define ENOUGH		64
/* New minors are this far apart: each needs new XArray nodes. */
#define MINOR_STRIDE	64

static const char kept[] = "kept while opens failed";
static unsigned int first_minor = 540000, next_minor;
static unsigned int major_number;
static int space_fd, fail_fd;

#define FAIL(...)	do { printf("# open_faults: " __VA_ARGS__);	\
			     putchar('\n'); exit(1); } while (0)

static char *node(unsigned int minor)
{
	static char path[64];

	snprintf(path, sizeof(path), NODE_DIR "/m%u", minor);
	make_node("open_faults", NODE_DIR, path, major_number, minor);
	return path;
}

static long slots_in_use(void)
{
	long objects = slab_objects();

	if (objects < 0)
		FAIL("cannot shrink or read %s", SLAB_OBJECTS);
	return objects;
}

static void write_number(int fd, const char *name, long value)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%ld", value);

	if (write(fd, text, (size_t)len) != len)
		FAIL("write %ld to %s: %s", value, name, strerror(errno));
}

/*
 * Open @path with a budget of @space bytes of slab for this task; the
 * descriptors to the budget and the mark are open already, so nothing but
 * the open itself allocates.  Returns the descriptor, or -errno.
 */
static int open_with_budget(const char *path, long space)
{
	int fd, err;

	write_number(space_fd, SPACE, space);
	write_number(fail_fd, MAKE_IT_FAIL, 1);
	fd = open(path, O_RDWR);
	err = errno;
	write_number(fail_fd, MAKE_IT_FAIL, 0);
	return fd < 0 ? -err : fd;
}

/* The file of a new slot: every channel empty, and a message round trip. */
static void check_new_slot(int fd, const char *path)
{
	char got[LEN], zeros[LEN] = { 0 };
	unsigned long ch;

	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch) != 0)
			FAIL("%s: ioctl channel %lu: %s", path, ch,
			     strerror(errno));
		if (read(fd, got, LEN) != LEN)
			FAIL("%s: read channel %lu: %s", path, ch,
			     strerror(errno));
		if (memcmp(got, zeros, LEN) != 0)
			FAIL("%s: channel %lu of a new slot is not empty",
			     path, ch);
	}
	if (write(fd, path, strlen(path)) != (ssize_t)strlen(path) ||
	    read(fd, got, LEN) != LEN || strcmp(got, path) != 0)
		FAIL("%s: message round trip failed: %s", path,
		     strerror(errno));
}

/* Sweep the budget over opens of @new minors, or of the existing one. */
static long sweep(bool new, unsigned long *enomem, unsigned long *opened)
{
	long space, last_failure = -1, run = 0;

	for (space = 0; space <= MAX_SPACE && run < ENOUGH; space += STEP) {
		unsigned int minor = new ? next_minor : first_minor;
		char *path = node(minor);
		long before = slots_in_use(), after;
		int fd = open_with_budget(path, space);

		after = slots_in_use();
		if (fd == -ENOMEM) {
			(*enomem)++;
			last_failure = space;
			run = 0;
			if (after != before)
				FAIL("open of minor %u failed with ENOMEM at a "
				     "budget of %ld bytes but left %ld slots "
				     "allocated", minor, space, after - before);
			if (!new)
				continue;
			/* Without injection, the same minor opens, empty. */
			fd = open(path, O_RDWR);
			if (fd < 0)
				FAIL("open of minor %u after a failed one: %s",
				     minor, strerror(errno));
		} else if (fd < 0) {
			FAIL("open of minor %u at a budget of %ld bytes: %s, "
			     "expected success or ENOMEM", minor, space,
			     strerror(-fd));
		} else {
			(*opened)++;
			run++;
		}
		if (new) {
			check_new_slot(fd, path);
			after = slots_in_use();
			if (after != before + 1)
				FAIL("a new minor left %ld slots allocated, "
				     "expected 1", after - before);
			next_minor += MINOR_STRIDE;
			if (next_minor > MAX_MINOR)
				FAIL("out of minors");
		}
		close(fd);
	}
	if (run < ENOUGH)
		FAIL("open of %s minor still fails at a budget of %d bytes",
		     new ? "a new" : "an existing", MAX_SPACE);
	return last_failure;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "first-minor", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long existing_enomem = 0, existing_opened = 0;
	unsigned long new_enomem = 0, new_opened = 0;
	long existing_limit, new_limit;
	char got[LEN];
	uint64_t minor;
	int c, fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (c != 'm')
			return 2;
		if (!parse_number(optarg, 0, MAX_MINOR - 65536, &minor))
			return 2;
		first_minor = (unsigned int)minor;
	}
	if (optind != argc)
		return 2;
	next_minor = first_minor + MINOR_STRIDE;

	space_fd = open(SPACE, O_WRONLY);
	fail_fd = open(MAKE_IT_FAIL, O_WRONLY);
	if (space_fd < 0 || fail_fd < 0) {
		printf("# SKIP no fault injection: %s or %s: %s\n", SPACE,
		       MAKE_IT_FAIL, strerror(errno));
		return EXIT_SKIP;
	}
	major_number = primary_major("open_faults");

	/* A slot with a message, before any failure. */
	fd = open(node(first_minor), O_RDWR);
	if (fd < 0 || ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 1UL) != 0 ||
	    write(fd, kept, sizeof(kept)) != sizeof(kept))
		FAIL("writing the message to keep: %s", strerror(errno));
	close(fd);

	existing_limit = sweep(false, &existing_enomem, &existing_opened);
	new_limit = sweep(true, &new_enomem, &new_opened);
	printf("# open_faults: open of an existing slot: %lu failed with "
	       "ENOMEM, the last at a budget of %ld bytes, %lu opened\n",
	       existing_enomem, existing_limit, existing_opened);
	printf("# open_faults: open of a new minor: %lu failed with ENOMEM, "
	       "the last at a budget of %ld bytes, %lu opened; each failed "
	       "one left no slot and opened afterwards\n", new_enomem,
	       new_limit, new_opened);
	if (new_limit <= existing_limit)
		FAIL("no failure fell on the driver's own allocations");

	fd = open(node(first_minor), O_RDONLY);
	memset(got, 0, sizeof(got));
	if (fd < 0 || ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 1UL) != 0 ||
	    read(fd, got, LEN) != LEN)
		FAIL("reading the kept message: %s", strerror(errno));
	if (strcmp(got, kept) != 0)
		FAIL("the kept message is now \"%.*s\"", LEN, got);
	printf("# open_faults: the message written before is intact\n");
	return 0;
}
