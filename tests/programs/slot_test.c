// SPDX-License-Identifier: GPL-2.0-only
/*
 * slot_test: the device cases of the guest test suite, one per rule of the
 * message slot interface (module/message_slot.h).  It runs in the test guest
 * with message_slot loaded and /dev/msgslot0 present; TEST32 cases also run
 * as the 32-bit build.  Each case opens minors of slot_test's row of
 * minors.h that no earlier case has used, so cases do not see each other's
 * messages.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "device.h"
#include "harness.h"

/* The 128-byte image of @text as the driver stores it: zero-filled. */
static void image(char *buf, const char *text)
{
	memset(buf, 0, MSG_LEN);
	memcpy(buf, text, strnlen(text, MSG_LEN));
}

/* Whether the whole message of @fd is the image of @text; if not, why. */
static bool message_is(int fd, const char *text)
{
	char want[MSG_LEN], got[MSG_LEN + 16];
	ssize_t n;

	image(want, text);
	memset(got, 0xa5, sizeof(got));
	n = read(fd, got, sizeof(got));
	if (n != MSG_LEN) {
		TH_LOG("read returned %zd (%s), expected %d", n,
		       n < 0 ? strerror(errno) : "short", MSG_LEN);
		return false;
	}
	if (memcmp(got, want, MSG_LEN) != 0) {
		TH_LOG("message is \"%.*s\", expected \"%s\" zero-filled",
		       MSG_LEN, got, text);
		return false;
	}
	return true;
}

#define ASSERT_MESSAGE(fd, text) \
	ASSERT_MSG(message_is(fd, text), "fd %d: not the message \"%s\"", \
		   fd, text)

/* ---- ioctl ---------------------------------------------------------- */

TEST32(ioctl_accepts_every_channel)
{
	char *path = fresh_node(MINORS_SLOT_TEST);
	int fd = open(path, O_RDWR);
	unsigned long ch;

	ASSERT_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++)
		ASSERT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch), 0);
}

TEST32(ioctl_unknown_command_enotty)
{
	const unsigned long cmds[] = {
		_IO(MSGSLOT_IOC_MAGIC, 0x02),
		_IO(MSGSLOT_IOC_MAGIC + 1, 0x01),
		_IOW(MSGSLOT_IOC_MAGIC, 0x01, unsigned int),
		_IOR(MSGSLOT_IOC_MAGIC, 0x01, unsigned int),
		0,
		0x5401,			/* TCGETS */
	};
	char *path = fresh_node(MINORS_SLOT_TEST);
	int fd = open(path, O_RDWR);
	size_t i;

	ASSERT_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ASSERT_ERRNO(ioctl(fd, cmds[i], 1UL), ENOTTY);
	/* ... and none of them set a channel. */
	ASSERT_ERRNO(write(fd, "x", 1), EINVAL);
}

TEST32(ioctl_channel_out_of_range_einval)
{
	const unsigned long bad[] = {
		MSGSLOT_CHANNELS, MSGSLOT_CHANNELS + 1, 255, 256,
		(unsigned long)-1, (unsigned long)-4,
#if ULONG_MAX > 0xffffffffUL
		1UL << 32, (1UL << 32) | 1,	/* not truncated to 32 bits */
#endif
	};
	char *path = fresh_node(MINORS_SLOT_TEST);
	int fd = open(path, O_RDWR);
	size_t i;

	ASSERT_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ASSERT_ERRNO(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, bad[i]), EINVAL);
}

TEST32(ioctl_failure_keeps_channel)
{
	char *path = fresh_node(MINORS_SLOT_TEST);
	int fd = open_channel_or_end(path, O_RDWR, 2), other;

	ASSERT_ERRNO(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 7UL), EINVAL);
	ASSERT_ERRNO(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, (unsigned long)-1),
		     EINVAL);
	ASSERT_RET(write_text(fd, "still two"), 9);

	other = open_channel_or_end(path, O_RDONLY, 2);
	ASSERT_MESSAGE(other, "still two");
	close(other);
	other = open_channel_or_end(path, O_RDONLY, 0);
	ASSERT_MESSAGE(other, "");
}

/* ---- read and write without a channel ------------------------------- */

TEST(write_without_channel_einval)
{
	char *path = fresh_node(MINORS_SLOT_TEST);
	int fd = open(path, O_RDWR);

	ASSERT_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	ASSERT_ERRNO(write(fd, "hello", 5), EINVAL);
	ASSERT_ERRNO(write(fd, null_buffer, 5), EINVAL);	/* channel checked first */
	ASSERT_ERRNO(write(fd, "", 0), EINVAL);
}

TEST(read_without_channel_einval)
{
	char *path = fresh_node(MINORS_SLOT_TEST);
	char buf[MSG_LEN];
	int fd = open(path, O_RDWR);

	ASSERT_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	ASSERT_ERRNO(read(fd, buf, sizeof(buf)), EINVAL);
	ASSERT_ERRNO(read(fd, null_buffer, sizeof(buf)), EINVAL);
}

/* ---- message semantics ---------------------------------------------- */

TEST32(write_stores_message_returns_count)
{
	int fd = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 1);

	ASSERT_RET(write_text(fd, "hello"), 5);
	ASSERT_MESSAGE(fd, "hello");
}

TEST(write_truncates_to_128_bytes)
{
	char msg[300], got[300];
	int fd = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 3);
	size_t i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('!' + i % 90);
	ASSERT_RET(write(fd, msg, sizeof(msg)), MSG_LEN);
	ASSERT_RET(read(fd, got, sizeof(got)), MSG_LEN);
	ASSERT_MSG(memcmp(got, msg, MSG_LEN) == 0, "stored message differs from the "
	       "first %d bytes written", MSG_LEN);
}

TEST(write_zero_fills_rest)
{
	char full[MSG_LEN];
	int fd = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 0);

	memset(full, 'A', sizeof(full));
	ASSERT_RET(write(fd, full, sizeof(full)), MSG_LEN);
	ASSERT_RET(write_text(fd, "hi"), 2);
	ASSERT_MESSAGE(fd, "hi");
}

TEST(empty_write_stores_zero_message)
{
	int fd = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 2);

	ASSERT_RET(write_text(fd, "not for long"), 12);
	ASSERT_RET(write(fd, "ignored", 0), 0);
	ASSERT_MESSAGE(fd, "");
}

TEST32(read_copies_min_count)
{
	char buf[1000];
	int fd = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 1);

	ASSERT_RET(write_text(fd, "hello world"), 11);
	memset(buf, 'Z', sizeof(buf));
	ASSERT_RET(read(fd, buf, 5), 5);
	ASSERT_MSG(memcmp(buf, "helloZ", 6) == 0, "read 5 gave \"%.6s\"", buf);
	ASSERT_RET(read(fd, buf, 0), 0);
	ASSERT_RET(read(fd, buf, sizeof(buf)), MSG_LEN);
	ASSERT_MSG(buf[MSG_LEN] == 'Z', "read wrote past %d bytes", MSG_LEN);
}

TEST(fresh_channel_reads_zeros)
{
	char *path = fresh_node(MINORS_SLOT_TEST);
	unsigned long ch;
	int fd;

	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		fd = open_channel_or_end(path, O_RDONLY, ch);
		ASSERT_MESSAGE(fd, "");
		close(fd);
	}
	/* Writing one channel leaves the others as they were. */
	fd = open_channel_or_end(path, O_WRONLY, 1);
	ASSERT_RET(write_text(fd, "one"), 3);
	close(fd);
	fd = open_channel_or_end(path, O_RDONLY, 2);
	ASSERT_MESSAGE(fd, "");
}

TEST(read_does_not_consume)
{
	char *path = fresh_node(MINORS_SLOT_TEST);
	int fd = open_channel_or_end(path, O_RDWR, 0), other;

	ASSERT_RET(write_text(fd, "stays"), 5);
	ASSERT_MESSAGE(fd, "stays");
	ASSERT_MESSAGE(fd, "stays");
	other = open_channel_or_end(path, O_RDONLY, 0);
	ASSERT_MESSAGE(other, "stays");
}

TEST(no_file_position_espipe)
{
	char buf[MSG_LEN];
	int fd = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 0);

	ASSERT_ERRNO(lseek(fd, 0, SEEK_SET), ESPIPE);
	ASSERT_ERRNO(pread(fd, buf, sizeof(buf), 0), ESPIPE);
	ASSERT_ERRNO(pwrite(fd, "x", 1, 0), ESPIPE);
}

TEST(channels_hold_separate_messages)
{
	const char *text[MSGSLOT_CHANNELS] = { "zero", "one", "two", "three" };
	int fd = open(fresh_node(MINORS_SLOT_TEST), O_RDWR);
	unsigned long ch;

	ASSERT_MSG(fd >= 0, "open: %s", strerror(errno));
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		ASSERT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch), 0);
		ASSERT_RET(write_text(fd, text[ch]), strlen(text[ch]));
	}
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		ASSERT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch), 0);
		ASSERT_MESSAGE(fd, text[ch]);
	}
}

TEST32(channel_is_per_open_file)
{
	char *path = fresh_node(MINORS_SLOT_TEST);
	int one = open_channel_or_end(path, O_RDWR, 1);
	int three = open_channel_or_end(path, O_RDWR, 3);
	int unset = open(path, O_RDWR);

	ASSERT_RET(write_text(one, "one"), 3);
	ASSERT_RET(write_text(three, "three"), 5);
	ASSERT_MESSAGE(one, "one");
	ASSERT_MESSAGE(three, "three");
	/* A new open has no channel, whatever the other files chose. */
	ASSERT_ERRNO(write(unset, "x", 1), EINVAL);
}

TEST(minors_are_isolated)
{
	int a = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 0);
	int b = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 0);
	int c = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 0);

	ASSERT_RET(write_text(a, "alpha"), 5);
	ASSERT_RET(write_text(b, "beta"), 4);
	ASSERT_MESSAGE(a, "alpha");
	ASSERT_MESSAGE(b, "beta");
	ASSERT_MESSAGE(c, "");
}

TEST(nodes_of_one_minor_share_slot)
{
	unsigned int minor = range_minor(MINORS_SLOT_TEST, fresh_index(MINORS_SLOT_TEST));
	int w = open_channel_or_end(tagged_node(MINORS_SLOT_TEST, minor, "first-"), O_WRONLY, 2);
	int r = open_channel_or_end(tagged_node(MINORS_SLOT_TEST, minor, "second-"), O_RDONLY, 2);

	ASSERT_RET(write_text(w, "shared"), 6);
	ASSERT_MESSAGE(r, "shared");
}

TEST(message_outlives_close)
{
	char *path = fresh_node(MINORS_SLOT_TEST);
	int fd = open_channel_or_end(path, O_WRONLY, 3);

	ASSERT_RET(write_text(fd, "persistent"), 10);
	ASSERT_RET(close(fd), 0);
	fd = open_channel_or_end(path, O_RDONLY, 3);
	ASSERT_MESSAGE(fd, "persistent");
}

TEST(highest_minor_works)
{
	char *path = range_node(MINORS_HIGHEST, 0);
	int fd = open_channel_or_end(path, O_RDWR, 3);

	ASSERT_RET(write_text(fd, "top"), 3);
	close(fd);
	fd = open_channel_or_end(path, O_RDONLY, 3);
	ASSERT_MESSAGE(fd, "top");
}

/* ---- bad user buffers ----------------------------------------------- */

TEST32(write_bad_buffer_efault_unchanged)
{
	struct bad_buffer bad[MAX_BAD_BUFFERS];
	int fd = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 1);
	int i, n = bad_buffers(bad, false);

	ASSERT_RET(write_text(fd, "original"), 8);
	for (i = 0; i < n; i++) {
		errno = 0;
		ASSERT_MSG(write(fd, bad[i].addr, bad[i].count) == -1 &&
		       errno == EFAULT, "write from %s buffer: expected "
		       "EFAULT, got %s", bad[i].what, strerror(errno));
		ASSERT_MSG(message_is(fd, "original"), "message changed by "
			   "write from %s buffer", bad[i].what);
	}
}

TEST32(read_bad_buffer_efault)
{
	struct bad_buffer bad[MAX_BAD_BUFFERS];
	int fd = open_channel_or_end(fresh_node(MINORS_SLOT_TEST), O_RDWR, 2);
	int i, n = bad_buffers(bad, true);

	ASSERT_RET(write_text(fd, "intact"), 6);
	for (i = 0; i < n; i++) {
		errno = 0;
		ASSERT_MSG(read(fd, bad[i].addr, bad[i].count) == -1 &&
		       errno == EFAULT, "read into %s buffer: expected "
		       "EFAULT, got %s", bad[i].what, strerror(errno));
	}
	ASSERT_MESSAGE(fd, "intact");
}

/* ---- concurrency ---------------------------------------------------- */

/*
 * Self-checking messages: a message is one byte value repeated over a length
 * that the byte value determines, then zeros.  Any mix of two messages, or
 * of a message and the zero fill of another, breaks the rule.
 */
static size_t torn_len(unsigned char c)
{
	return 1 + (c * 37u) % MSG_LEN;
}

static bool message_whole(const unsigned char *msg)
{
	size_t i, len;

	if (msg[0] == 0)	/* nothing written yet: all zeros */
		len = 0;
	else
		len = torn_len(msg[0]);
	for (i = 0; i < MSG_LEN; i++)
		if (msg[i] != (i < len ? msg[0] : 0))
			return false;
	return true;
}

struct torn_stats {
	unsigned long writes, reads, changes, torn;
	unsigned char torn_sample[MSG_LEN];
};

static void torn_writer(const char *path, int id, double until,
			struct torn_stats *st)
{
	unsigned char msg[MSG_LEN];
	unsigned long seq;
	int fd = open_channel_or_end(path, O_WRONLY, 0);

	for (seq = 0; (seq & 255) || now() < until; seq++) {
		/* Writer 0 uses 'A'..'Z', writer 1 'a'..'z'. */
		unsigned char c = (unsigned char)((id ? 'a' : 'A') + seq % 26);

		memset(msg, c, torn_len(c));
		if (write(fd, msg, torn_len(c)) != (ssize_t)torn_len(c))
			_exit(1);
		__atomic_add_fetch(&st->writes, 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

static void torn_reader(const char *path, double until, struct torn_stats *st)
{
	unsigned char msg[MSG_LEN], last = 0;
	unsigned long n;
	int fd = open_channel_or_end(path, O_RDONLY, 0);

	for (n = 0; (n & 255) || now() < until; n++) {
		if (read(fd, msg, MSG_LEN) != MSG_LEN)
			_exit(1);
		__atomic_add_fetch(&st->reads, 1, __ATOMIC_RELAXED);
		if (!message_whole(msg)) {
			if (__atomic_fetch_add(&st->torn, 1, __ATOMIC_RELAXED) == 0)
				memcpy(st->torn_sample, msg, MSG_LEN);
		} else if (msg[0] != last) {
			__atomic_add_fetch(&st->changes, 1, __ATOMIC_RELAXED);
			last = msg[0];
		}
	}
	_exit(0);
}

TEST(concurrent_writers_readers_not_torn)
{
	const double seconds = 3;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char *path = fresh_node(MINORS_SLOT_TEST);
	struct torn_stats *st;
	double until;
	int i, bad_exit;

	if (cpus < 2)
		SKIP(return, "needs 2 CPUs to run writers and readers in "
		     "parallel, the guest has %ld", cpus);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_MSG(st != MAP_FAILED, "mmap: %s", strerror(errno));

	until = now() + seconds;
	/* Two writers and two readers, one of each on each of two CPUs. */
	for (i = 0; i < 4; i++) {
		pid_t pid = fork();

		ASSERT_MSG(pid >= 0, "fork: %s", strerror(errno));
		if (pid == 0) {
			pin_to_cpu(i % 2);
			if (i < 2)
				torn_writer(path, i, until, st);
			torn_reader(path, until, st);
		}
	}
	bad_exit = (int)children_failed(4);

	TH_LOG("2 writers, 2 readers on 2 CPUs for %.0f s: %lu writes, "
	     "%lu reads, %lu changes seen, %lu torn", seconds, st->writes,
	     st->reads, st->changes, st->torn);
	ASSERT_MSG(bad_exit == 0, "%d workers failed a read or write", bad_exit);
	ASSERT_MSG(st->torn == 0, "torn message read: \"%.*s\"", MSG_LEN,
	       st->torn_sample);
	ASSERT_MSG(st->changes >= 100, "readers saw only %lu changes: the test did "
	       "not exercise concurrency", st->changes);
}

/* ---- slot allocation ------------------------------------------------ */

TEST(slot_allocated_on_first_open_only)
{
	unsigned int minor = range_minor(MINORS_SLOT_TEST, fresh_index(MINORS_SLOT_TEST));
	long before = slab_objects(), after;
	int a, b, c, d;

	if (before < 0) {
		SKIP(return, "%s unreadable: slab statistics need slub_debug",
		     SLAB_OBJECTS);
	}
	a = open_channel_or_end(tagged_node(MINORS_SLOT_TEST, minor, "first-"), O_RDWR, 0);
	ASSERT_MSG((after = slab_objects()) == before + 1,
	       "first open: %ld slots in use, expected %ld", after, before + 1);
	b = open_channel_or_end(tagged_node(MINORS_SLOT_TEST, minor, "first-"), O_RDWR, 1);
	c = open_channel_or_end(tagged_node(MINORS_SLOT_TEST, minor, "second-"), O_RDWR, 2);
	ASSERT_RET(write_text(a, "no new slot"), 11);
	ASSERT_MESSAGE(a, "no new slot");
	ASSERT_MSG((after = slab_objects()) == before + 1,
	       "more opens of one minor: %ld slots in use, expected %ld",
	       after, before + 1);
	d = open(fresh_node(MINORS_SLOT_TEST), O_RDWR);
	ASSERT_MSG((after = slab_objects()) == before + 2,
	       "open of a second minor: %ld slots in use, expected %ld",
	       after, before + 2);
	close(a);
	close(b);
	close(c);
	close(d);
	ASSERT_MSG((after = slab_objects()) == before + 2,
	       "after close: %ld slots in use, expected %ld (slots live "
	       "until rmmod)", after, before + 2);
}

TEST(first_open_race_allocates_one_slot)
{
	enum { RACERS = 8 };
	char *path = fresh_node(MINORS_SLOT_TEST);
	long before = slab_objects(), after;
	int go[2], i, failed;
	char text[32];

	ASSERT_MSG(pipe(go) == 0, "pipe: %s", strerror(errno));
	for (i = 0; i < RACERS; i++) {
		pid_t pid = fork();

		ASSERT_MSG(pid >= 0, "fork: %s", strerror(errno));
		if (pid == 0) {
			char c;
			int fd;

			close(go[1]);
			pin_to_cpu(i % 2);
			/* All racers open at once, when the pipe closes. */
			if (read(go[0], &c, 1) != 0)
				_exit(1);
			fd = open(path, O_RDWR);
			if (fd < 0)
				_exit(1);
			if (i < MSGSLOT_CHANNELS) {
				snprintf(text, sizeof(text), "racer %d", i);
				if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL,
					  (unsigned long)i) < 0 ||
				    write_text(fd, text) != (int)strlen(text))
					_exit(1);
			}
			_exit(0);
		}
	}
	close(go[0]);
	close(go[1]);
	failed = (int)children_failed(RACERS);
	ASSERT_MSG(failed == 0, "%d racers failed to open, set or write", failed);

	/* Every racer used the one slot: all their messages are there. */
	for (i = 0; i < MSGSLOT_CHANNELS; i++) {
		int fd = open_channel_or_end(path, O_RDONLY, (unsigned long)i);

		snprintf(text, sizeof(text), "racer %d", i);
		ASSERT_MESSAGE(fd, text);
		close(fd);
	}
	if (before < 0) {
		SKIP(return, "%s unreadable: slab statistics need slub_debug",
		     SLAB_OBJECTS);
	}
	after = slab_objects();
	ASSERT_MSG(after == before + 1, "%d racing first opens left %ld slots "
	       "allocated, expected 1 (the losers' must be freed)", RACERS,
	       after - before);
}

TEST_HARNESS_MAIN
