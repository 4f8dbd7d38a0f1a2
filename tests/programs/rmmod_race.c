// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmmod_race: try to remove message_slot over and over while other
 * processes open and use the device.  It runs in the test guest with
 * message_slot loaded and leaves it loaded:
 *
 *   rmmod_race [--seconds S] [--users U] [--module FILE]
 *
 * U user processes (default 3) open /dev/msgslot0 or a node of a minor of
 * their own (rmmod_race's row of minors.h), set a channel, write, read the message back and
 * close, for S seconds (default 8).  Meanwhile this process calls
 * delete_module(2) again and again: it must fail with EAGAIN or EBUSY while
 * a file is open, and may succeed only when none is; after a success the
 * module is loaded again from FILE (default /lib/message_slot.ko) with
 * finit_module(2).  While the module is out, opens fail with ENXIO (and
 * /dev/msgslot0 is gone: ENOENT); a file that did open works in full.
 * A "# " line tells the counts.  Every successful removal frees every slot:
 * a leak is the kernel's to report (slub_debug, kmemleak).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "device.h"
#include "harness.h"

#define MODULE_NAME	"message_slot"
#define MAX_USERS	MSGSLOT_CHANNELS	/* one channel of minor 0 each */

struct user_state {
	/* Odd while the user holds an open file: bumped after open, before close. */
	unsigned long session;
	unsigned long sessions, enxio, enoent, violations;
	char violation[256];
};

struct shared {
	int stop;
	struct user_state user[MAX_USERS];
};

static struct {
	double seconds;
	unsigned int users;
	const char *module;
} opt = { 8, 3, MODULE_PATH };

static struct shared *shared;
/* The node of each user's own minor. */
static char *nodes[MAX_USERS];

/* Sleep up to @max_us microseconds, or not at all. */
static void pause_up_to(uint64_t *rng, unsigned int max_us)
{
	unsigned int us = (unsigned int)(next_random(rng) % (max_us + 1));

	if (us > max_us / 2)
		usleep(us);
}

static void user_violation(struct user_state *u, const char *fmt, ...)
{
	va_list ap;

	if (u->violations++)
		return;
	va_start(ap, fmt);
	vsnprintf(u->violation, sizeof(u->violation), fmt, ap);
	va_end(ap);
}

/* One session: open, set the channel, write, read back, close. */
static void session(struct user_state *u, unsigned int id, const char *path,
		    unsigned long channel, uint64_t *rng)
{
	char msg[MSG_LEN], got[MSG_LEN];
	int fd, len;

	fd = open(path, O_RDWR);
	if (fd < 0) {
		/* The module is out: no driver, or no /dev node either. */
		if (errno == ENXIO)
			u->enxio++;
		else if (errno == ENOENT && strcmp(path, PRIMARY_NODE) == 0)
			u->enoent++;
		else
			user_violation(u, "open %s: %s", path,
				       strerrorname_np(errno));
		return;
	}
	__atomic_add_fetch(&u->session, 1, __ATOMIC_SEQ_CST);
	u->sessions++;
	memset(msg, 0, sizeof(msg));
	len = snprintf(msg, sizeof(msg), "user %u session %lu", id,
		       u->sessions);
	memset(got, 0xa5, sizeof(got));
	/* The file is open, so the module stays: every call must work. */
	if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, channel) != 0)
		user_violation(u, "ioctl on open %s: %s", path,
			       strerrorname_np(errno));
	else if (write(fd, msg, (size_t)len) != len)
		user_violation(u, "write on open %s: %s", path,
			       strerrorname_np(errno));
	else if (read(fd, got, sizeof(got)) != MSG_LEN)
		user_violation(u, "read on open %s: %s", path,
			       strerrorname_np(errno));
	else if (memcmp(got, msg, MSG_LEN) != 0)
		user_violation(u, "read back \"%.*s\" from %s, wrote \"%s\"",
			       MSG_LEN, got, path, msg);
	pause_up_to(rng, 4000);
	__atomic_add_fetch(&u->session, 1, __ATOMIC_SEQ_CST);
	close(fd);
}

static void user(unsigned int id)
{
	struct user_state *u = &shared->user[id];
	uint64_t rng = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL | 1;
	const char *path = nodes[id];

	while (!__atomic_load_n(&shared->stop, __ATOMIC_RELAXED)) {
		/* Each user has a channel of minor 0 and a minor to itself. */
		if (next_random(&rng) % 2)
			session(u, id, PRIMARY_NODE, id % MSGSLOT_CHANNELS, &rng);
		else
			session(u, id, path, next_random(&rng) % MSGSLOT_CHANNELS,
				&rng);
		pause_up_to(&rng, 4000);
	}
	_exit(0);
}

static int load_module(void)
{
	int fd = open(opt.module, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = (int)syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

/* The device node comes back with the module; give devtmpfs a moment. */
static bool wait_for_node(void)
{
	double until = now() + 5;
	struct stat st;

	while (stat(PRIMARY_NODE, &st) < 0 || !S_ISCHR(st.st_mode)) {
		if (now() > until)
			return false;
		usleep(10000);
	}
	return true;
}

static void make_nodes(void)
{
	unsigned int i;

	for (i = 0; i < opt.users; i++)
		nodes[i] = range_node(MINORS_RMMOD_RACE, i);
}

#define USAGE	"usage: rmmod_race [--seconds S] [--users U] [--module FILE]"

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "users", required_argument, NULL, 'u' },
		{ "module", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.seconds = strtod(optarg, &end);
			if (*end || opt.seconds <= 0 || opt.seconds > 3600)
				usage_exit(USAGE);
			break;
		case 'u':
			opt.users = (unsigned int)option_number(optarg, 1,
								MAX_USERS,
								USAGE);
			break;
		case 'm':
			opt.module = optarg;
			break;
		default:
			usage_exit(USAGE);
		}
	}
	if (optind != argc)
		usage_exit(USAGE);
}

TEST(rmmod_races_with_users)
{
	unsigned long removed = 0, eagain = 0, ebusy = 0, errors = 0;
	unsigned long sessions = 0, enxio = 0, enoent = 0, violations = 0;
	unsigned long before[MAX_USERS];
	uint64_t rng = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL | 1;
	char error[256] = "";
	unsigned int i;
	double until;

	make_nodes();
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_MSG(shared != MAP_FAILED, "mmap: %s", strerror(errno));
	for (i = 0; i < opt.users; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			/* The users already started must not outlive the case. */
			__atomic_store_n(&shared->stop, 1, __ATOMIC_RELAXED);
			while (wait(NULL) > 0)
				;
			ASSERT_MSG(false, "fork: %s", strerror(errno));
		}
		if (pid == 0)
			user(i);
	}

	until = now() + opt.seconds;
	while (now() < until && !errors) {
		for (i = 0; i < opt.users; i++)
			before[i] = __atomic_load_n(&shared->user[i].session,
						    __ATOMIC_SEQ_CST);
		if (syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) == 0) {
			removed++;
			/* A file open all along would have kept the module. */
			for (i = 0; i < opt.users; i++) {
				if (before[i] % 2 && before[i] ==
				    __atomic_load_n(&shared->user[i].session,
						    __ATOMIC_SEQ_CST)) {
					snprintf(error, sizeof(error), "rmmod "
						 "succeeded while user %u had "
						 "a file open", i);
					errors++;
				}
			}
			if (access(SLAB_DIR, F_OK) == 0) {
				snprintf(error, sizeof(error), "%s outlived "
					 "the module", SLAB_DIR);
				errors++;
			}
			pause_up_to(&rng, 20000);
			if (load_module() != 0) {
				snprintf(error, sizeof(error), "finit_module "
					 "%s: %s", opt.module,
					 strerrorname_np(errno));
				errors++;
			}
		} else if (errno == EAGAIN) {
			eagain++;
		} else if (errno == EBUSY) {
			ebusy++;
		} else {
			snprintf(error, sizeof(error), "delete_module: %s",
				 strerrorname_np(errno));
			errors++;
		}
		pause_up_to(&rng, 2000);
	}

	__atomic_store_n(&shared->stop, 1, __ATOMIC_RELAXED);
	violations = children_failed(opt.users);
	for (i = 0; i < opt.users; i++) {
		struct user_state *u = &shared->user[i];

		sessions += u->sessions;
		enxio += u->enxio;
		enoent += u->enoent;
		violations += u->violations;
		if (u->violations)
			TH_LOG("user %u: %s", i, u->violation);
	}
	EXPECT_MSG(module_loaded() || load_module() == 0,
		   "cannot load %s again: %s", opt.module, strerror(errno));
	EXPECT_MSG(wait_for_node(), "%s did not come back", PRIMARY_NODE);

	TH_LOG("%.0f s, %u users: rmmod succeeded %lu times, refused %lu "
	       "(EAGAIN %lu, EBUSY %lu); users: %lu sessions, %lu opens "
	       "refused while unloaded (ENXIO %lu, ENOENT %lu), %lu violations",
	       opt.seconds, opt.users, removed,
	       eagain + ebusy, eagain, ebusy, sessions, enxio + enoent, enxio,
	       enoent, violations);
	EXPECT_MSG(!errors, "%lu wrong results of rmmod; the last: %s", errors,
		   error);
	EXPECT_MSG(!violations, "%lu violations in the users", violations);
	EXPECT_MSG(_metadata->failed ||
		   (removed && eagain + ebusy && sessions),
		   "the race was not exercised: it needs removals, refusals "
		   "and sessions");
}

TEST_HARNESS_MAIN_OPTIONS(parse)
