// SPDX-License-Identifier: GPL-2.0-only
/*
 * slot_test: the device cases of the guest test suite, one per rule of the
 * message slot interface (module/message_slot.h).  It runs in the test guest
 * with message_slot loaded and /dev/msgslot0 present:
 *
 *   slot_test --list    the names of the cases, one a line
 *   slot_test CASE      run one case: exit 0 passed, 1 failed, 4 skipped
 *
 * Diagnostics are KTAP "# " lines on stdout.  Each case makes its own device
 * nodes under /tmp/slot_test, on minors no earlier case has used, so cases
 * do not see each other's messages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "message_slot.h"

#define NODE_DIR	"/tmp/slot_test"
#define MINOR_COUNTER	NODE_DIR "/next-minor"
#define LEN		MSGSLOT_MSG_LEN

static const char *case_name;
/* NULL, hidden from the compiler, which would warn about passing it. */
static void *volatile null_buffer;

static void diag(int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", case_name, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

#define FAIL(...)	do { diag(__LINE__, __VA_ARGS__); return 1; } while (0)
#define EXPECT(cond, ...)	do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)
/* A call that must fail with @err. */
#define EXPECT_ERRNO(call, err) do {					\
		errno = 0;						\
		long ret_ = (long)(call);				\
		int errno_ = errno;					\
		EXPECT(ret_ == -1 && errno_ == (err),			\
		       "%s: expected %s, got %ld (%s)", #call,		\
		       strerrorname_np(err), ret_,			\
		       errno_ ? strerrorname_np(errno_) : "no error");	\
	} while (0)
/* A call that must succeed with @want. */
#define EXPECT_RET(call, want) do {					\
		errno = 0;						\
		long ret_ = (long)(call);				\
		EXPECT(ret_ == (long)(want), "%s: expected %ld, got %ld (%s)", \
		       #call, (long)(want), ret_,			\
		       ret_ < 0 ? strerrorname_np(errno) : "no error");	\
	} while (0)

/* The path of a device node for @minor, made on first use. */
static char *node(unsigned int minor, const char *tag)
{
	char *path;

	if (asprintf(&path, NODE_DIR "/%s%u", tag, minor) < 0)
		abort();
	make_node(case_name, NODE_DIR, path, primary_major(case_name), minor);
	return path;
}

/* A minor that no case has opened since the guest booted. */
static unsigned int fresh_minor(void)
{
	unsigned int minor = 1;
	FILE *f = fopen(MINOR_COUNTER, "r+");

	if (!f)
		f = fopen(MINOR_COUNTER, "w+");
	if (!f)
		abort();
	if (fscanf(f, "%u", &minor) != 1)
		minor = 1;
	rewind(f);
	fprintf(f, "%u\n", minor + 1);
	fclose(f);
	return minor;
}

static char *fresh_node(void)
{
	return node(fresh_minor(), "m");
}

/* Open @path and set @channel; exits the case on failure. */
static int open_channel(const char *path, int flags, unsigned long channel)
{
	int fd = open(path, flags);

	if (fd < 0 || ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, channel) < 0) {
		printf("# %s: open %s, channel %lu: %s\n", case_name, path,
		       channel, strerror(errno));
		exit(1);
	}
	return fd;
}

/* The 128-byte image of @text as the driver stores it: zero-filled. */
static void image(char *buf, const char *text)
{
	memset(buf, 0, LEN);
	memcpy(buf, text, strnlen(text, LEN));
}

/* Read the whole message of @fd and compare it with the image of @text. */
static int expect_message(int fd, const char *text, int line)
{
	char want[LEN], got[LEN + 16];
	ssize_t n;

	image(want, text);
	memset(got, 0xa5, sizeof(got));
	n = read(fd, got, sizeof(got));
	if (n != LEN) {
		diag(line, "read returned %zd (%s), expected %d", n,
		     n < 0 ? strerror(errno) : "short", LEN);
		return 1;
	}
	if (memcmp(got, want, LEN) != 0) {
		diag(line, "message is \"%.*s\", expected \"%s\" zero-filled",
		     LEN, got, text);
		return 1;
	}
	return 0;
}

#define EXPECT_MESSAGE(fd, text) \
	do { if (expect_message(fd, text, __LINE__)) return 1; } while (0)

static int write_text(int fd, const char *text)
{
	return (int)write(fd, text, strlen(text));
}

/*
 * Bad user buffers: each must fail with EFAULT.  @prot is the protection
 * of the mapped page of the partly mapped buffer: read and write for write,
 * read only for read, where a read-only buffer is bad as well.
 */
struct bad_buffer {
	const char *what;
	void *addr;
	size_t count;
};

static int bad_buffers(struct bad_buffer *bad, bool for_read)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map;
	int n = 0;

	map = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		abort();
	memset(map, 'X', 3 * page);
	munmap(map + page, page);		/* a hole */
	if (for_read)
		mprotect(map + 2 * page, page, PROT_READ);

	bad[n++] = (struct bad_buffer){ "NULL", null_buffer, LEN };
	bad[n++] = (struct bad_buffer){ "unmapped", map + page, LEN };
	bad[n++] = (struct bad_buffer){ "partly mapped", map + page - 64, LEN };
	bad[n++] = (struct bad_buffer){ "partly mapped, short count",
					map + page - 16, 32 };
	if (sizeof(void *) == 8)
		bad[n++] = (struct bad_buffer){ "kernel address",
			(void *)(uintptr_t)0xffffffff81000000ULL, LEN };
	if (for_read)
		bad[n++] = (struct bad_buffer){ "read-only",
						map + 2 * page, LEN };
	return n;
}

/* ---- ioctl ---------------------------------------------------------- */

static int ioctl_accepts_every_channel(void)
{
	char *path = fresh_node();
	int fd = open(path, O_RDWR);
	unsigned long ch;

	EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++)
		EXPECT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch), 0);
	return 0;
}

static int ioctl_unknown_command_enotty(void)
{
	const unsigned long cmds[] = {
		_IO(MSGSLOT_IOC_MAGIC, 0x02),
		_IO(MSGSLOT_IOC_MAGIC + 1, 0x01),
		_IOW(MSGSLOT_IOC_MAGIC, 0x01, unsigned int),
		_IOR(MSGSLOT_IOC_MAGIC, 0x01, unsigned int),
		0,
		0x5401,			/* TCGETS */
	};
	char *path = fresh_node();
	int fd = open(path, O_RDWR);
	size_t i;

	EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		EXPECT_ERRNO(ioctl(fd, cmds[i], 1UL), ENOTTY);
	/* ... and none of them set a channel. */
	EXPECT_ERRNO(write(fd, "x", 1), EINVAL);
	return 0;
}

static int ioctl_channel_out_of_range_einval(void)
{
	const unsigned long bad[] = {
		MSGSLOT_CHANNELS, MSGSLOT_CHANNELS + 1, 255, 256,
		(unsigned long)-1, (unsigned long)-4,
#if ULONG_MAX > 0xffffffffUL
		1UL << 32, (1UL << 32) | 1,	/* not truncated to 32 bits */
#endif
	};
	char *path = fresh_node();
	int fd = open(path, O_RDWR);
	size_t i;

	EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_ERRNO(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, bad[i]), EINVAL);
	return 0;
}

static int ioctl_failure_keeps_channel(void)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDWR, 2), other;

	EXPECT_ERRNO(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 7UL), EINVAL);
	EXPECT_ERRNO(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, (unsigned long)-1),
		     EINVAL);
	EXPECT_RET(write_text(fd, "still two"), 9);

	other = open_channel(path, O_RDONLY, 2);
	EXPECT_MESSAGE(other, "still two");
	close(other);
	other = open_channel(path, O_RDONLY, 0);
	EXPECT_MESSAGE(other, "");
	return 0;
}

/* ---- read and write without a channel ------------------------------- */

static int write_without_channel_einval(void)
{
	char *path = fresh_node();
	int fd = open(path, O_RDWR);

	EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
	EXPECT_ERRNO(write(fd, "hello", 5), EINVAL);
	EXPECT_ERRNO(write(fd, null_buffer, 5), EINVAL);	/* channel checked first */
	EXPECT_ERRNO(write(fd, "", 0), EINVAL);
	return 0;
}

static int read_without_channel_einval(void)
{
	char *path = fresh_node();
	char buf[LEN];
	int fd = open(path, O_RDWR);

	EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
	EXPECT_ERRNO(read(fd, buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(read(fd, null_buffer, sizeof(buf)), EINVAL);
	return 0;
}

/* ---- message semantics ---------------------------------------------- */

static int write_stores_message_returns_count(void)
{
	int fd = open_channel(fresh_node(), O_RDWR, 1);

	EXPECT_RET(write_text(fd, "hello"), 5);
	EXPECT_MESSAGE(fd, "hello");
	return 0;
}

static int write_truncates_to_128_bytes(void)
{
	char msg[300], got[300];
	int fd = open_channel(fresh_node(), O_RDWR, 3);
	size_t i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('!' + i % 90);
	EXPECT_RET(write(fd, msg, sizeof(msg)), LEN);
	EXPECT_RET(read(fd, got, sizeof(got)), LEN);
	EXPECT(memcmp(got, msg, LEN) == 0, "stored message differs from the "
	       "first %d bytes written", LEN);
	return 0;
}

static int write_zero_fills_rest(void)
{
	char full[LEN];
	int fd = open_channel(fresh_node(), O_RDWR, 0);

	memset(full, 'A', sizeof(full));
	EXPECT_RET(write(fd, full, sizeof(full)), LEN);
	EXPECT_RET(write_text(fd, "hi"), 2);
	EXPECT_MESSAGE(fd, "hi");
	return 0;
}

static int empty_write_stores_zero_message(void)
{
	int fd = open_channel(fresh_node(), O_RDWR, 2);

	EXPECT_RET(write_text(fd, "not for long"), 12);
	EXPECT_RET(write(fd, "ignored", 0), 0);
	EXPECT_MESSAGE(fd, "");
	return 0;
}

static int read_copies_min_count(void)
{
	char buf[1000];
	int fd = open_channel(fresh_node(), O_RDWR, 1);

	EXPECT_RET(write_text(fd, "hello world"), 11);
	memset(buf, 'Z', sizeof(buf));
	EXPECT_RET(read(fd, buf, 5), 5);
	EXPECT(memcmp(buf, "helloZ", 6) == 0, "read 5 gave \"%.6s\"", buf);
	EXPECT_RET(read(fd, buf, 0), 0);
	EXPECT_RET(read(fd, buf, sizeof(buf)), LEN);
	EXPECT(buf[LEN] == 'Z', "read wrote past %d bytes", LEN);
	return 0;
}

static int fresh_channel_reads_zeros(void)
{
	char *path = fresh_node();
	unsigned long ch;
	int fd;

	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		fd = open_channel(path, O_RDONLY, ch);
		EXPECT_MESSAGE(fd, "");
		close(fd);
	}
	/* Writing one channel leaves the others as they were. */
	fd = open_channel(path, O_WRONLY, 1);
	EXPECT_RET(write_text(fd, "one"), 3);
	close(fd);
	fd = open_channel(path, O_RDONLY, 2);
	EXPECT_MESSAGE(fd, "");
	return 0;
}

static int read_does_not_consume(void)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDWR, 0), other;

	EXPECT_RET(write_text(fd, "stays"), 5);
	EXPECT_MESSAGE(fd, "stays");
	EXPECT_MESSAGE(fd, "stays");
	other = open_channel(path, O_RDONLY, 0);
	EXPECT_MESSAGE(other, "stays");
	return 0;
}

static int no_file_position_espipe(void)
{
	char buf[LEN];
	int fd = open_channel(fresh_node(), O_RDWR, 0);

	EXPECT_ERRNO(lseek(fd, 0, SEEK_SET), ESPIPE);
	EXPECT_ERRNO(pread(fd, buf, sizeof(buf), 0), ESPIPE);
	EXPECT_ERRNO(pwrite(fd, "x", 1, 0), ESPIPE);
	return 0;
}

static int channels_hold_separate_messages(void)
{
	const char *text[MSGSLOT_CHANNELS] = { "zero", "one", "two", "three" };
	int fd = open(fresh_node(), O_RDWR);
	unsigned long ch;

	EXPECT(fd >= 0, "open: %s", strerror(errno));
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		EXPECT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch), 0);
		EXPECT_RET(write_text(fd, text[ch]), strlen(text[ch]));
	}
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		EXPECT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch), 0);
		EXPECT_MESSAGE(fd, text[ch]);
	}
	return 0;
}

static int channel_is_per_open_file(void)
{
	char *path = fresh_node();
	int one = open_channel(path, O_RDWR, 1);
	int three = open_channel(path, O_RDWR, 3);
	int unset = open(path, O_RDWR);

	EXPECT_RET(write_text(one, "one"), 3);
	EXPECT_RET(write_text(three, "three"), 5);
	EXPECT_MESSAGE(one, "one");
	EXPECT_MESSAGE(three, "three");
	/* A new open has no channel, whatever the other files chose. */
	EXPECT_ERRNO(write(unset, "x", 1), EINVAL);
	return 0;
}

static int minors_are_isolated(void)
{
	int a = open_channel(fresh_node(), O_RDWR, 0);
	int b = open_channel(fresh_node(), O_RDWR, 0);
	int c = open_channel(fresh_node(), O_RDWR, 0);

	EXPECT_RET(write_text(a, "alpha"), 5);
	EXPECT_RET(write_text(b, "beta"), 4);
	EXPECT_MESSAGE(a, "alpha");
	EXPECT_MESSAGE(b, "beta");
	EXPECT_MESSAGE(c, "");
	return 0;
}

static int nodes_of_one_minor_share_slot(void)
{
	unsigned int minor = fresh_minor();
	int w = open_channel(node(minor, "first-"), O_WRONLY, 2);
	int r = open_channel(node(minor, "second-"), O_RDONLY, 2);

	EXPECT_RET(write_text(w, "shared"), 6);
	EXPECT_MESSAGE(r, "shared");
	return 0;
}

static int message_outlives_close(void)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_WRONLY, 3);

	EXPECT_RET(write_text(fd, "persistent"), 10);
	EXPECT_RET(close(fd), 0);
	fd = open_channel(path, O_RDONLY, 3);
	EXPECT_MESSAGE(fd, "persistent");
	return 0;
}

static int highest_minor_works(void)
{
	char *path = node(MAX_MINOR, "max");
	int fd = open_channel(path, O_RDWR, 3);

	EXPECT_RET(write_text(fd, "top"), 3);
	close(fd);
	fd = open_channel(path, O_RDONLY, 3);
	EXPECT_MESSAGE(fd, "top");
	return 0;
}

/* ---- bad user buffers ----------------------------------------------- */

static int write_bad_buffer_efault_unchanged(void)
{
	struct bad_buffer bad[8];
	int fd = open_channel(fresh_node(), O_RDWR, 1);
	int i, n = bad_buffers(bad, false);

	EXPECT_RET(write_text(fd, "original"), 8);
	for (i = 0; i < n; i++) {
		errno = 0;
		EXPECT(write(fd, bad[i].addr, bad[i].count) == -1 &&
		       errno == EFAULT, "write from %s buffer: expected "
		       "EFAULT, got %s", bad[i].what, strerror(errno));
		if (expect_message(fd, "original", __LINE__))
			FAIL("message changed by write from %s buffer",
			     bad[i].what);
	}
	return 0;
}

static int read_bad_buffer_efault(void)
{
	struct bad_buffer bad[8];
	int fd = open_channel(fresh_node(), O_RDWR, 2);
	int i, n = bad_buffers(bad, true);

	EXPECT_RET(write_text(fd, "intact"), 6);
	for (i = 0; i < n; i++) {
		errno = 0;
		EXPECT(read(fd, bad[i].addr, bad[i].count) == -1 &&
		       errno == EFAULT, "read into %s buffer: expected "
		       "EFAULT, got %s", bad[i].what, strerror(errno));
	}
	EXPECT_MESSAGE(fd, "intact");
	return 0;
}

/* ---- concurrency ---------------------------------------------------- */

/*
 * Self-checking messages: a message is one byte value repeated over a length
 * that the byte value determines, then zeros.  Any mix of two messages, or
 * of a message and the zero fill of another, breaks the rule.
 */
static size_t torn_len(unsigned char c)
{
	return 1 + (c * 37u) % LEN;
}

static bool message_whole(const unsigned char *msg)
{
	size_t i, len;

	if (msg[0] == 0)	/* nothing written yet: all zeros */
		len = 0;
	else
		len = torn_len(msg[0]);
	for (i = 0; i < LEN; i++)
		if (msg[i] != (i < len ? msg[0] : 0))
			return false;
	return true;
}

struct torn_stats {
	unsigned long writes, reads, changes, torn;
	unsigned char torn_sample[LEN];
};

static void torn_writer(const char *path, int id, double until,
			struct torn_stats *st)
{
	unsigned char msg[LEN];
	unsigned long seq;
	int fd = open_channel(path, O_WRONLY, 0);

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
	unsigned char msg[LEN], last = 0;
	unsigned long n;
	int fd = open_channel(path, O_RDONLY, 0);

	for (n = 0; (n & 255) || now() < until; n++) {
		if (read(fd, msg, LEN) != LEN)
			_exit(1);
		__atomic_add_fetch(&st->reads, 1, __ATOMIC_RELAXED);
		if (!message_whole(msg)) {
			if (__atomic_fetch_add(&st->torn, 1, __ATOMIC_RELAXED) == 0)
				memcpy(st->torn_sample, msg, LEN);
		} else if (msg[0] != last) {
			__atomic_add_fetch(&st->changes, 1, __ATOMIC_RELAXED);
			last = msg[0];
		}
	}
	_exit(0);
}

static int concurrent_writers_readers_not_torn(void)
{
	const double seconds = 3;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char *path = fresh_node();
	struct torn_stats *st;
	double until;
	int i, status, bad_exit = 0;

	EXPECT(cpus >= 2, "needs 2 CPUs to run writers and readers in "
	       "parallel, the guest has %ld", cpus);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	EXPECT(st != MAP_FAILED, "mmap: %s", strerror(errno));

	until = now() + seconds;
	/* Two writers and two readers, one of each on each of two CPUs. */
	for (i = 0; i < 4; i++) {
		pid_t pid = fork();

		EXPECT(pid >= 0, "fork: %s", strerror(errno));
		if (pid == 0) {
			pin_to_cpu(i % 2);
			if (i < 2)
				torn_writer(path, i, until, st);
			torn_reader(path, until, st);
		}
	}
	for (i = 0; i < 4; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad_exit++;

	diag(__LINE__, "2 writers, 2 readers on 2 CPUs for %.0f s: %lu writes, "
	     "%lu reads, %lu changes seen, %lu torn", seconds, st->writes,
	     st->reads, st->changes, st->torn);
	EXPECT(bad_exit == 0, "%d workers failed a read or write", bad_exit);
	EXPECT(st->torn == 0, "torn message read: \"%.*s\"", LEN,
	       st->torn_sample);
	EXPECT(st->changes >= 100, "readers saw only %lu changes: the test did "
	       "not exercise concurrency", st->changes);
	return 0;
}

/* ---- slot allocation ------------------------------------------------ */

static int slot_allocated_on_first_open_only(void)
{
	unsigned int minor = fresh_minor();
	long before = slab_objects(), after;
	int a, b, c, d;

	if (before < 0) {
		printf("# SKIP %s unreadable: slab statistics need "
		       "slub_debug\n", SLAB_OBJECTS);
		return EXIT_SKIP;
	}
	a = open_channel(node(minor, "first-"), O_RDWR, 0);
	EXPECT((after = slab_objects()) == before + 1,
	       "first open: %ld slots in use, expected %ld", after, before + 1);
	b = open_channel(node(minor, "first-"), O_RDWR, 1);
	c = open_channel(node(minor, "second-"), O_RDWR, 2);
	EXPECT_RET(write_text(a, "no new slot"), 11);
	EXPECT_MESSAGE(a, "no new slot");
	EXPECT((after = slab_objects()) == before + 1,
	       "more opens of one minor: %ld slots in use, expected %ld",
	       after, before + 1);
	d = open(fresh_node(), O_RDWR);
	EXPECT((after = slab_objects()) == before + 2,
	       "open of a second minor: %ld slots in use, expected %ld",
	       after, before + 2);
	close(a);
	close(b);
	close(c);
	close(d);
	EXPECT((after = slab_objects()) == before + 2,
	       "after close: %ld slots in use, expected %ld (slots live "
	       "until rmmod)", after, before + 2);
	return 0;
}

static int first_open_race_allocates_one_slot(void)
{
	enum { RACERS = 8 };
	char *path = fresh_node();
	long before = slab_objects(), after;
	int go[2], i, status, failed = 0;
	char text[32];

	EXPECT(pipe(go) == 0, "pipe: %s", strerror(errno));
	for (i = 0; i < RACERS; i++) {
		pid_t pid = fork();

		EXPECT(pid >= 0, "fork: %s", strerror(errno));
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
	for (i = 0; i < RACERS; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			failed++;
	EXPECT(failed == 0, "%d racers failed to open, set or write", failed);

	/* Every racer used the one slot: all their messages are there. */
	for (i = 0; i < MSGSLOT_CHANNELS; i++) {
		int fd = open_channel(path, O_RDONLY, (unsigned long)i);

		snprintf(text, sizeof(text), "racer %d", i);
		EXPECT_MESSAGE(fd, text);
		close(fd);
	}
	if (before < 0) {
		printf("# SKIP %s unreadable: slab statistics need "
		       "slub_debug\n", SLAB_OBJECTS);
		return EXIT_SKIP;
	}
	after = slab_objects();
	EXPECT(after == before + 1, "%d racing first opens left %ld slots "
	       "allocated, expected 1 (the losers' must be freed)", RACERS,
	       after - before);
	return 0;
}

struct test_case {
	const char *name;
	int (*run)(void);
};

#define CASE(fn) { #fn, fn }
static const struct test_case cases[] = {
	CASE(ioctl_accepts_every_channel),
	CASE(ioctl_unknown_command_enotty),
	CASE(ioctl_channel_out_of_range_einval),
	CASE(ioctl_failure_keeps_channel),
	CASE(write_without_channel_einval),
	CASE(read_without_channel_einval),
	CASE(write_stores_message_returns_count),
	CASE(write_truncates_to_128_bytes),
	CASE(write_zero_fills_rest),
	CASE(empty_write_stores_zero_message),
	CASE(read_copies_min_count),
	CASE(fresh_channel_reads_zeros),
	CASE(read_does_not_consume),
	CASE(no_file_position_espipe),
	CASE(channels_hold_separate_messages),
	CASE(channel_is_per_open_file),
	CASE(minors_are_isolated),
	CASE(nodes_of_one_minor_share_slot),
	CASE(message_outlives_close),
	CASE(highest_minor_works),
	CASE(write_bad_buffer_efault_unchanged),
	CASE(read_bad_buffer_efault),
	CASE(concurrent_writers_readers_not_torn),
	CASE(slot_allocated_on_first_open_only),
	CASE(first_open_race_allocates_one_slot),
};

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			puts(cases[i].name);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: slot_test --list | slot_test CASE\n");
		return 2;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(argv[1], cases[i].name) == 0) {
			case_name = cases[i].name;
			if (mkdir(NODE_DIR, 0700) < 0 && errno != EEXIST) {
				printf("# mkdir %s: %s\n", NODE_DIR,
				       strerror(errno));
				return 1;
			}
			return cases[i].run();
		}
	}
	fprintf(stderr, "slot_test: no case '%s'\n", argv[1]);
	return 2;
}
