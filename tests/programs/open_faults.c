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
 * exists (F, the first of a row of minors.h, by default open_faults' row;
 * with a message in it), then a new minor each
 * time.  Each open must succeed or fail with ENOMEM; a failed one must leave
 * no slot allocated, and the same minor must open afterwards as a new, empty
 * slot; a successful one must give a file that works.  The budgets at which
 * a new minor fails but an existing one opens are those where the driver's
 * own allocations (the slot, the XArray's nodes) failed: there must be some.
 * Last, the message written first must be intact.  Without fault
 * injection, the case skips.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "device.h"
#include "harness.h"

#define SPACE		"/sys/kernel/debug/failslab/space"
#define MAKE_IT_FAIL	"/proc/thread-self/make-it-fail"
/* The budget grows by this much each time, up to this much. */
#define STEP		16
#define MAX_SPACE	65536
/* Done once this many budgets in a row let the open succeed. */
#define ENOUGH		64
/* New minors are this far apart: each needs new XArray nodes. */
#define MINOR_STRIDE	64

static const char kept[] = "kept while opens failed";
/* The row of minors.h, and the index in it of the next new minor. */
static enum minor_range range = MINORS_OPEN_FAULTS;
static unsigned int next_minor = MINOR_STRIDE;
static int space_fd, fail_fd;

#define FAIL(...)	th_abort(__VA_ARGS__)

static char *node(unsigned int index)
{
	return range_node(range, index);
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
	char got[MSG_LEN], zeros[MSG_LEN] = { 0 };
	unsigned long ch;

	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch) != 0)
			FAIL("%s: ioctl channel %lu: %s", path, ch,
			     strerror(errno));
		if (read(fd, got, MSG_LEN) != MSG_LEN)
			FAIL("%s: read channel %lu: %s", path, ch,
			     strerror(errno));
		if (memcmp(got, zeros, MSG_LEN) != 0)
			FAIL("%s: channel %lu of a new slot is not empty",
			     path, ch);
	}
	if (write(fd, path, strlen(path)) != (ssize_t)strlen(path) ||
	    read(fd, got, MSG_LEN) != MSG_LEN || strcmp(got, path) != 0)
		FAIL("%s: message round trip failed: %s", path,
		     strerror(errno));
}

/* Sweep the budget over opens of @new minors, or of the existing one. */
static long sweep(bool new, unsigned long *enomem, unsigned long *opened)
{
	long space, last_failure = -1, run = 0;

	for (space = 0; space <= MAX_SPACE && run < ENOUGH; space += STEP) {
		unsigned int index = new ? next_minor : 0;
		unsigned int minor = range_minor(range, index);
		char *path = node(index);
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
		}
		close(fd);
	}
	if (run < ENOUGH)
		FAIL("open of %s minor still fails at a budget of %d bytes",
		     new ? "a new" : "an existing", MAX_SPACE);
	return last_failure;
}

#define USAGE	"usage: open_faults [--first-minor F]"

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "first-minor", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (c != 'm')
			usage_exit(USAGE);
		range = option_row(optarg, MINOR_STRIDE, USAGE);
	}
	if (optind != argc)
		usage_exit(USAGE);
}

TEST(failslab_open_of_new_minor_enomem)
{
	unsigned long existing_enomem = 0, existing_opened = 0;
	unsigned long new_enomem = 0, new_opened = 0;
	long existing_limit, new_limit;
	char got[MSG_LEN];
	int fd;

	space_fd = open(SPACE, O_WRONLY);
	fail_fd = open(MAKE_IT_FAIL, O_WRONLY);
	if (space_fd < 0 || fail_fd < 0)
		SKIP(return, "no fault injection: %s or %s: %s", SPACE,
		     MAKE_IT_FAIL, strerror(errno));

	/* A slot with a message, before any failure. */
	fd = open(node(0), O_RDWR);
	ASSERT_MSG(fd >= 0 && ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 1UL) == 0 &&
		   write(fd, kept, sizeof(kept)) == sizeof(kept),
		   "writing the message to keep: %s", strerror(errno));
	close(fd);

	existing_limit = sweep(false, &existing_enomem, &existing_opened);
	new_limit = sweep(true, &new_enomem, &new_opened);
	TH_LOG("open of an existing slot: %lu failed with ENOMEM, the last at "
	       "a budget of %ld bytes, %lu opened", existing_enomem,
	       existing_limit, existing_opened);
	TH_LOG("open of a new minor: %lu failed with ENOMEM, the last at a "
	       "budget of %ld bytes, %lu opened; each failed one left no slot "
	       "and opened afterwards", new_enomem, new_limit, new_opened);
	ASSERT_MSG(new_limit > existing_limit,
		   "no failure fell on the driver's own allocations");

	fd = open(node(0), O_RDONLY);
	memset(got, 0, sizeof(got));
	ASSERT_MSG(fd >= 0 && ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 1UL) == 0 &&
		   read(fd, got, MSG_LEN) == MSG_LEN,
		   "reading the kept message: %s", strerror(errno));
	ASSERT_MSG(strcmp(got, kept) == 0, "the kept message is now \"%.*s\"",
		   MSG_LEN, got);
	TH_LOG("the message written before is intact");
}

TEST_HARNESS_MAIN_OPTIONS(parse)
