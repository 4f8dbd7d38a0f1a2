// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: a seeded random sequence of system calls on message slots, each
 * result checked against a model of what the interface promises
 * (module/message_slot.h, the README's "The device interface").  It runs
 * in the test guest with message_slot loaded and /dev/msgslot0 present:
 *
 *   fuzz [--seed N] [--iterations M] [--seconds S] [--first-minor F]
 *
 * One iteration is one operation: open (of several nodes of several minors,
 * two nodes sharing a minor), dup, close, the channel ioctl with channels in
 * and out of range, random other ioctl commands, read and write of random
 * sizes to and from valid, read-only, PROT_NONE, unmapped and partly mapped
 * buffers, NULL, kernel and non-canonical addresses, lseek, pread and pwrite,
 * and replacing buffer pages so that the next copy faults them in.  The model
 * holds every channel's 128 bytes and every open file's channel, and
 * predicts each return value, errno, stored message and byte read.
 *
 * The sequence depends on the seed alone, so a failure reproduces with the
 * command that the last "# " line prints; the time limit (default 12 s
 * unless --iterations is given) only cuts it short.  The first divergence
 * from the model is printed with the operations before it; exit 0 if there
 * was none, 1 otherwise, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "message_slot.h"

#define NODE_DIR	"/tmp/fuzz"
#define LEN		MSGSLOT_MSG_LEN
#define CHANNELS	MSGSLOT_CHANNELS
#define MINORS		4
#define MAX_FDS		16
#define MAX_FILES	MAX_FDS
#define HISTORY		16
#define DESCRIPTION	240
/* The whole model is read back and compared this often. */
#define VERIFY_EVERY	512
/* Never open: a descriptor that read, write and ioctl must call bad. */
#define STALE_FD	900

/* The pages of the buffer arena, as mapped. */
enum page_kind { RW, RO, NONE, HOLE };
static const enum page_kind layout[] = {
	RW, RW, HOLE, RO, RW, NONE, RW, RO, HOLE,
};
#define ARENA_PAGES	(sizeof(layout) / sizeof(layout[0]))

/* Device nodes: one per minor, and a second one for two of them. */
static const struct {
	const char *name;
	unsigned int minor;		/* index into the fuzzed minors */
} node_table[] = {
	{ "a0", 0 }, { "a1", 1 }, { "a2", 2 }, { "a3", 3 }, { "b0", 0 },
	{ "b1", 1 },
};
#define NODES	(sizeof(node_table) / sizeof(node_table[0]))

struct options {
	uint64_t seed;
	unsigned long iterations;
	double seconds;
	unsigned int first_minor;
};

/* An open file description; several descriptors may share one (dup). */
struct file {
	unsigned int node;
	int accmode;			/* O_RDONLY, O_WRONLY or O_RDWR */
	int channel;			/* -1: none set */
	int refs;
};

struct descriptor {
	int fd;
	int file;
};

/* A user buffer: where it points and what kind of address that is. */
enum buffer_kind { ARENA, NULL_POINTER, LOW, KERNEL, NONCANONICAL };

struct buffer {
	enum buffer_kind kind;
	uintptr_t addr;
};

struct outcome {
	long ret;
	int err;
};

static struct options opt = { .iterations = 1000000, .seconds = 12,
			      .first_minor = 510000 };
static uint64_t rng;
static unsigned long iteration;
/* The iterations that reproduce what happens now (not so in the last check). */
static unsigned long reproduce_with;
static char paths[NODES][64];

/* The model. */
static unsigned char model[MINORS][CHANNELS][LEN];
static struct file files[MAX_FILES];
static struct descriptor fds[MAX_FDS];
static int nfds;

static unsigned char *arena, *shadow;
static size_t page;

static char history[HISTORY][DESCRIPTION];
static char *op;			/* this iteration's history entry */

static struct {
	unsigned long opens, dups, closes, channel_set, channel_refused;
	unsigned long enotty, writes, reads, stored, read_ok, efault;
	unsigned long einval, ebadf, espipe, discards, verifies;
} n;

/* splitmix64: the whole sequence follows from the seed. */
static uint64_t random_u64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long below(unsigned long bound)
{
	return (unsigned long)(random_u64() % bound);
}

static bool one_in(unsigned long chance)
{
	return below(chance) == 0;
}

static void describe(const char *fmt, ...)
{
	size_t used = strlen(op);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(op + used, DESCRIPTION - used, fmt, ap);
	va_end(ap);
}

static const char *errname(int err)
{
	return err ? strerrorname_np(err) : "no error";
}

static void print_history(void)
{
	unsigned long first = iteration > HISTORY ? iteration - HISTORY + 1 : 1;
	unsigned long i;

	printf("# fuzz: the last %lu operations:\n", iteration - first + 1);
	for (i = first; i <= iteration; i++)
		printf("#   %s\n", history[i % HISTORY]);
}

static void reproduce_line(unsigned long iterations)
{
	printf("# fuzz seed %" PRIu64 ": reproduce with: fuzz --seed %" PRIu64
	       " --iterations %lu\n", opt.seed, opt.seed, iterations);
}

static void diverged(const char *fmt, ...)
{
	va_list ap;

	printf("# fuzz: divergence from the model at iteration %lu: ",
	       iteration);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	print_history();
	reproduce_line(reproduce_with);
	exit(1);
}

/* The test's own trouble, not the driver's. */
static void broken(const char *what)
{
	printf("# fuzz: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Compare one call's outcome with the model's. */
static void expect(struct outcome got, struct outcome want)
{
	if (got.ret < 0)
		describe(" = -1 %s", errname(got.err));
	else
		describe(" = %ld", got.ret);
	if (got.ret == want.ret && (want.ret >= 0 || got.err == want.err))
		return;
	if (want.ret < 0)
		diverged("%s: expected -1 %s", op, errname(want.err));
	if (got.ret < 0 && want.ret == 0)
		diverged("%s: expected success", op);
	diverged("%s: expected %ld", op, want.ret);
}

static struct outcome success(long ret)
{
	return (struct outcome){ ret, 0 };
}

static struct outcome failure(int err)
{
	return (struct outcome){ -1, err };
}

#define CALL(call) ({						\
		errno = 0;					\
		long ret_ = (long)(call);			\
		(struct outcome){ ret_, ret_ < 0 ? errno : 0 };	\
	})

/* ---- the buffer arena ---------------------------------------------- */

static void fill_random(unsigned char *p, size_t len)
{
	while (len--)
		*p++ = (unsigned char)random_u64();
}

static void setup_arena(void)
{
	size_t i, size;

	page = (size_t)sysconf(_SC_PAGESIZE);
	size = ARENA_PAGES * page;
	arena = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shadow = malloc(size);
	if (arena == MAP_FAILED || !shadow)
		broken("arena");
	memset(shadow, 0, size);
	for (i = 0; i < ARENA_PAGES; i++) {
		unsigned char *p = arena + i * page;

		switch (layout[i]) {
		case RW:
		case RO:
			fill_random(p, page);
			memcpy(shadow + i * page, p, page);
			if (layout[i] == RO && mprotect(p, page, PROT_READ) < 0)
				broken("mprotect");
			break;
		case NONE:
			if (mprotect(p, page, PROT_NONE) < 0)
				broken("mprotect");
			break;
		case HOLE:
			if (munmap(p, page) < 0)
				broken("munmap");
			break;
		}
	}
}

/* A hole that something else mapped would make the model wrong. */
static void check_holes(void)
{
	size_t i;

	for (i = 0; i < ARENA_PAGES; i++) {
		if (layout[i] != HOLE)
			continue;
		if (msync(arena + i * page, page, MS_ASYNC) == 0 ||
		    errno != ENOMEM) {
			printf("# fuzz: the arena's hole at page %zu is mapped "
			       "now: the test's fault, not the driver's\n", i);
			exit(1);
		}
	}
}

/* Whether the kernel may copy @len bytes from (or, @to_user, to) @b. */
static bool range_ok(struct buffer b, size_t len, bool to_user)
{
	size_t off, first, last, i;

	if (len == 0)
		return true;
	if (b.kind != ARENA)
		return false;
	off = b.addr - (uintptr_t)arena;
	first = off / page;
	last = (off + len - 1) / page;
	for (i = first; i <= last; i++)
		if (layout[i] != RW && (to_user || layout[i] != RO))
			return false;
	return true;
}

/* Beyond the user address space, the VFS refuses before the driver sees it. */
static bool access_ok(struct buffer b)
{
	return b.kind != KERNEL && b.kind != NONCANONICAL;
}

static const char *const kind_name[] = { "RW", "RO", "none", "hole" };

static struct buffer pick_buffer(void)
{
	size_t span = ARENA_PAGES * page - LEN, off;
	unsigned long dice = below(100);
	struct buffer b = { ARENA, 0 };

	if (dice < 40) {
		/* Valid: a read-write page, and the next if it is one too. */
		do
			off = below(span);
		while (layout[off / page] != RW ||
		       layout[(off + LEN - 1) / page] != RW);
	} else if (dice < 70) {
		off = below(span);
	} else if (dice < 85) {
		/* Just before a page boundary: partly mapped, often. */
		off = (1 + below(ARENA_PAGES - 1)) * page - 1 - below(LEN);
	} else if (dice < 89) {
		b.kind = NULL_POINTER;
	} else if (dice < 93) {
		b.kind = LOW;
		b.addr = 0x1000 + below(0xf000);
	} else if (dice < 97) {
		b.kind = KERNEL;
		b.addr = one_in(2) ? 0xffffffff81000000ULL + below(1 << 24)
				   : 0xffff888000000000ULL + below(1 << 24);
	} else {
		b.kind = NONCANONICAL;
		b.addr = 0x8000000000000000ULL +
			 (random_u64() & ((1ULL << 40) - 1));
	}
	/*
	 * A 32-bit pointer keeps the low half only, a user address: on a
	 * 32-bit kernel (3G/1G split) these lie in its top gigabyte instead.
	 */
	if (sizeof(void *) < 8 && (b.kind == KERNEL || b.kind == NONCANONICAL))
		b.addr = 0xc0000000 | (b.addr & 0x3fffffff);
	if (b.kind == ARENA) {
		b.addr = (uintptr_t)arena + off;
		describe("arena+%#zx (%s", off, kind_name[layout[off / page]]);
		if ((off + LEN - 1) / page != off / page)
			describe("|%s", kind_name[layout[off / page + 1]]);
		describe(")");
	} else {
		static const char *const names[] = {
			"", "NULL", "low", "kernel", "non-canonical",
		};

		describe("%s %#" PRIxPTR, names[b.kind], b.addr);
	}
	return b;
}

static size_t pick_count(void)
{
	unsigned long dice = below(100);

	if (dice < 5)
		return 0;
	if (dice < 20)
		return LEN;
	if (dice < 65)
		return 1 + below(LEN);
	if (dice < 90)
		return LEN + 1 + below(200);
	return 1 + below(65536);
}

/* The arena must equal the shadow wherever it can be read. */
static void compare_arena(void)
{
	size_t i, j;

	for (i = 0; i < ARENA_PAGES; i++) {
		if (layout[i] != RW && layout[i] != RO)
			continue;
		if (memcmp(arena + i * page, shadow + i * page, page) == 0)
			continue;
		for (j = i * page; arena[j] == shadow[j]; j++)
			;
		diverged("%s: the buffer arena changed at +%#zx, outside "
			 "what the call may write", op, j);
	}
}

/* ---- the model's files --------------------------------------------- */

static const char *const accmode_name[] = { "O_RDONLY", "O_WRONLY", "O_RDWR" };

static void describe_fd(int d)
{
	struct file *f = &files[fds[d].file];

	describe("fd %d (file %d: %s, minor %u, %s, ", fds[d].fd, fds[d].file,
		 node_table[f->node].name,
		 opt.first_minor + node_table[f->node].minor,
		 accmode_name[f->accmode]);
	if (f->channel < 0)
		describe("no channel)");
	else
		describe("channel %d)", f->channel);
}

static unsigned char *message_of(struct file *f)
{
	return model[node_table[f->node].minor][f->channel];
}

static int new_descriptor(int fd, int file)
{
	fds[nfds] = (struct descriptor){ fd, file };
	files[file].refs++;
	return nfds++;
}

static void do_open(void)
{
	static const int accmodes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
	unsigned int node = (unsigned int)below(NODES);
	int flags = accmodes[below(4)], accmode = flags, file;
	struct outcome got;

	if (one_in(4))
		flags |= O_NONBLOCK;
	if (one_in(4))
		flags |= O_CLOEXEC;
	for (file = 0; files[file].refs; file++)
		;
	describe("open(%s, %s%s%s)", node_table[node].name,
		 accmode_name[accmode], flags & O_NONBLOCK ? "|O_NONBLOCK" : "",
		 flags & O_CLOEXEC ? "|O_CLOEXEC" : "");
	got = CALL(open(paths[node], flags));
	n.opens++;
	if (got.ret < 0)
		expect(got, success(0));
	describe(" = %ld", got.ret);
	files[file] = (struct file){ node, accmode, -1, 0 };
	new_descriptor((int)got.ret, file);
}

static void do_dup(void)
{
	int d = (int)below((unsigned long)nfds);
	struct outcome got;

	describe("dup(");
	describe_fd(d);
	describe(")");
	got = CALL(dup(fds[d].fd));
	n.dups++;
	if (got.ret < 0)
		expect(got, success(0));
	describe(" = %ld", got.ret);
	new_descriptor((int)got.ret, fds[d].file);
}

static void do_close(void)
{
	int d = (int)below((unsigned long)nfds);

	describe("close(");
	describe_fd(d);
	describe(")");
	expect(CALL(close(fds[d].fd)), success(0));
	n.closes++;
	files[fds[d].file].refs--;
	fds[d] = fds[--nfds];
}

/*
 * A descriptor of the model, or now and then one that is not open.  For
 * read and write (@accmode O_RDONLY or O_WRONLY), mostly one that can do it.
 */
static int pick_fd(int accmode)
{
	int d = (int)below((unsigned long)nfds), tries;

	if (one_in(50)) {
		describe("fd %d (not open)", STALE_FD);
		return -1;
	}
	for (tries = 0; accmode >= 0 && tries < 8 && below(4); tries++) {
		struct file *f = &files[fds[d].file];

		if (f->channel >= 0 && f->accmode != (accmode ^ 1))
			break;
		d = (int)below((unsigned long)nfds);
	}
	describe_fd(d);
	return d;
}

static int fd_of(int d)
{
	return d < 0 ? STALE_FD : fds[d].fd;
}

/* ---- the operations ------------------------------------------------ */

static void do_set_channel(void)
{
	unsigned long channel, dice = below(100);
	struct outcome want;
	int d;

	if (dice < 60)
		channel = below(CHANNELS);
	else if (dice < 75)
		channel = CHANNELS + below(252);
	else if (dice < 85)
		channel = (unsigned long)random_u64() | CHANNELS;
	else if (dice < 92)
		/* Not cut to 32 bits (on 32-bit: bit 31, still out of range). */
		channel = (unsigned long)(1ULL << (sizeof(long) > 4 ? 32 : 31)) |
			  below(CHANNELS);
	else
		channel = (unsigned long)-1 - below(CHANNELS);
	describe("ioctl(");
	d = pick_fd(-1);
	describe(", SET_CHANNEL, %#lx)", channel);
	if (d < 0)
		want = failure(EBADF);
	else if (channel >= CHANNELS)
		want = failure(EINVAL);		/* and the channel stays */
	else
		want = success(0);
	expect(CALL(ioctl(fd_of(d), MSGSLOT_IOC_SET_CHANNEL, channel)), want);
	if (want.ret == 0) {
		files[fds[d].file].channel = (int)channel;
		n.channel_set++;
	} else if (want.err == EINVAL) {
		n.channel_refused++;
	}
}

/* A command the VFS handles itself, before the driver sees it. */
static bool vfs_command(unsigned int cmd)
{
	unsigned int type = _IOC_TYPE(cmd);

	return type == 0 || type == 'f' || type == 'X' || type == 'T' ||
	       type == 0x94;
}

static void do_other_ioctl(void)
{
	unsigned int cmd;
	unsigned long arg = (unsigned long)random_u64();
	int d;

	do {
		switch (below(4)) {
		case 0:
			cmd = (unsigned int)random_u64();
			break;
		case 1:		/* the driver's magic, another number */
			cmd = _IOC((unsigned int)below(4), MSGSLOT_IOC_MAGIC,
				   (unsigned int)below(256),
				   (unsigned int)below(16));
			break;
		case 2:		/* the driver's number, another magic */
			cmd = _IO((unsigned int)below(256), 0x01);
			break;
		default:	/* the channel command with a direction and size */
			cmd = _IOC(1 + (unsigned int)below(3), MSGSLOT_IOC_MAGIC,
				   0x01, (unsigned int)below(16));
			break;
		}
	} while (cmd == MSGSLOT_IOC_SET_CHANNEL || vfs_command(cmd));
	if (one_in(4))
		arg = below(CHANNELS);
	describe("ioctl(");
	d = pick_fd(-1);
	describe(", %#x, %#lx)", cmd, arg);
	expect(CALL(ioctl(fd_of(d), cmd, arg)),
	       failure(d < 0 ? EBADF : ENOTTY));
	n.enotty++;
}

/* What read or write must return, before any byte is copied. */
static struct outcome early_outcome(int d, struct buffer b, bool for_read)
{
	int mode;

	if (d < 0)
		return failure(EBADF);
	mode = files[fds[d].file].accmode;
	if (mode == (for_read ? O_WRONLY : O_RDONLY))
		return failure(EBADF);
	if (!access_ok(b))
		return failure(EFAULT);
	if (files[fds[d].file].channel < 0)
		return failure(EINVAL);
	return success(0);
}

static void count_outcome(struct outcome o)
{
	if (o.ret >= 0)
		return;
	switch (o.err) {
	case EFAULT: n.efault++; break;
	case EINVAL: n.einval++; break;
	case EBADF: n.ebadf++; break;
	case ESPIPE: n.espipe++; break;
	}
}

static void do_write(void)
{
	struct outcome want;
	struct buffer b;
	size_t count, len;
	int d;

	describe("write(");
	d = pick_fd(O_WRONLY);
	describe(", ");
	b = pick_buffer();
	count = pick_count();
	len = count < LEN ? count : LEN;
	describe(", %zu)", count);
	/* Most of the time, new bytes in the source where it can be written. */
	if (b.kind == ARENA && one_in(2)) {
		size_t off = b.addr - (uintptr_t)arena, i;

		for (i = off; i < off + len; i++) {
			if (layout[i / page] == RW) {
				arena[i] = (unsigned char)random_u64();
				shadow[i] = arena[i];
			}
		}
	}
	want = early_outcome(d, b, false);
	if (want.ret == 0)
		want = range_ok(b, len, false) ? success((long)len)
					       : failure(EFAULT);
	expect(CALL(write(fd_of(d), (const void *)b.addr, count)), want);
	n.writes++;
	count_outcome(want);
	if (want.ret >= 0) {
		unsigned char *msg = message_of(&files[fds[d].file]);

		memset(msg, 0, LEN);
		if (len)
			memcpy(msg, shadow + (b.addr - (uintptr_t)arena), len);
		n.stored++;
	}
}

static void do_read(void)
{
	const unsigned char *msg;
	struct outcome want, got;
	struct buffer b;
	size_t count, len, off, i;
	int d;

	describe("read(");
	d = pick_fd(O_RDONLY);
	describe(", ");
	b = pick_buffer();
	count = pick_count();
	len = count < LEN ? count : LEN;
	describe(", %zu)", count);
	want = early_outcome(d, b, true);
	if (want.ret == 0)
		want = range_ok(b, len, true) ? success((long)len)
					      : failure(EFAULT);
	got = CALL(read(fd_of(d), (void *)b.addr, count));
	expect(got, want);
	n.reads++;
	count_outcome(want);
	if (b.kind != ARENA)
		return;
	off = b.addr - (uintptr_t)arena;
	if (want.ret == -1 && want.err == EFAULT && d >= 0 &&
	    files[fds[d].file].channel >= 0) {
		/* A failed copy may have written a prefix of the message. */
		msg = message_of(&files[fds[d].file]);
		for (i = off; i < off + len && layout[i / page] == RW; i++) {
			if (arena[i] != shadow[i] && arena[i] != msg[i - off])
				diverged("%s: byte %zu of the buffer is %#x, "
					 "neither what it was nor the "
					 "message's", op, i - off, arena[i]);
			shadow[i] = arena[i];
		}
	} else if (want.ret > 0) {
		msg = message_of(&files[fds[d].file]);
		for (i = 0; i < len; i++)
			if (arena[off + i] != msg[i])
				diverged("%s: byte %zu read is %#x, the model "
					 "has %#x", op, i, arena[off + i],
					 msg[i]);
		memcpy(shadow + off, msg, len);
		n.read_ok++;
	}
	compare_arena();
}

static void do_no_position(void)
{
	struct outcome want;
	off_t pos = (off_t)below(1 << 20);
	int d, whence;

	if (one_in(4))
		pos = -1 - pos;
	switch (below(3)) {
	case 0:
		whence = (int)below(3);
		describe("lseek(");
		d = pick_fd(-1);
		describe(", %lld, %d)", (long long)pos, whence);
		want = failure(d < 0 ? EBADF : ESPIPE);
		expect(CALL(lseek(fd_of(d), pos, whence)), want);
		break;
	case 1:
		describe("pread(");
		d = pick_fd(-1);
		describe(", arena, %d, %lld)", LEN, (long long)pos);
		/* A negative position is refused before the file is looked at. */
		want = failure(pos < 0 ? EINVAL : d < 0 ? EBADF : ESPIPE);
		expect(CALL(pread(fd_of(d), arena, LEN, pos)), want);
		break;
	default:
		describe("pwrite(");
		d = pick_fd(-1);
		describe(", arena, %d, %lld)", LEN, (long long)pos);
		want = failure(pos < 0 ? EINVAL : d < 0 ? EBADF : ESPIPE);
		expect(CALL(pwrite(fd_of(d), arena, LEN, pos)), want);
		break;
	}
	count_outcome(want);
}

/*
 * Replace a page of the arena by a new one, zero and not yet there: the
 * next copy to or from it faults it in.  (mmap rather than madvise, which
 * small kernels leave out.)
 */
static void do_discard(void)
{
	size_t i;

	do
		i = below(ARENA_PAGES);
	while (layout[i] != RW && layout[i] != RO);
	describe("mmap(arena page %zu (%s), MAP_FIXED): a new page", i,
		 kind_name[layout[i]]);
	if (mmap(arena + i * page, page,
		 layout[i] == RW ? PROT_READ | PROT_WRITE : PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		broken("mmap");
	memset(shadow + i * page, 0, page);
	n.discards++;
}

/* Read every channel of every minor through a file of its own. */
static void verify_all(void)
{
	unsigned char got[LEN + 1];
	unsigned int m, ch;
	size_t i;
	int fd;

	describe("verify every channel of minors %u-%u", opt.first_minor,
		 opt.first_minor + MINORS - 1);
	for (m = 0; m < MINORS; m++) {
		fd = open(paths[m], O_RDONLY);
		if (fd < 0)
			diverged("%s: open %s: %s", op, paths[m],
				 errname(errno));
		for (ch = 0; ch < CHANNELS; ch++) {
			ssize_t ret;

			if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, (unsigned long)ch))
				diverged("%s: ioctl: %s", op, errname(errno));
			ret = read(fd, got, sizeof(got));
			if (ret != LEN)
				diverged("%s: read of minor %u channel %u "
					 "returned %zd (%s)", op,
					 opt.first_minor + m, ch, ret,
					 errname(ret < 0 ? errno : 0));
			for (i = 0; i < LEN; i++)
				if (got[i] != model[m][ch][i])
					diverged("%s: minor %u channel %u byte "
						 "%zu is %#x, the model has %#x",
						 op, opt.first_minor + m, ch, i,
						 got[i], model[m][ch][i]);
		}
		close(fd);
	}
	n.verifies++;
}

static void step(void)
{
	unsigned long dice = below(100);

	op = history[iteration % HISTORY];
	snprintf(op, DESCRIPTION, "#%lu ", iteration);
	reproduce_with = iteration;
	if (iteration % VERIFY_EVERY == 0)
		verify_all();
	else if (nfds == 0 || (dice < 8 && nfds < MAX_FDS))
		do_open();
	else if (dice < 10 && nfds < MAX_FDS)
		do_dup();
	else if (dice < 17 || nfds == MAX_FDS)
		do_close();
	else if (dice < 32)
		do_set_channel();
	else if (dice < 37)
		do_other_ioctl();
	else if (dice < 65)
		do_write();
	else if (dice < 93)
		do_read();
	else if (dice < 97)
		do_no_position();
	else
		do_discard();
}

/* ---- setup ---------------------------------------------------------- */

static void make_nodes(void)
{
	unsigned int major = primary_major("fuzz");
	size_t i;

	for (i = 0; i < NODES; i++) {
		snprintf(paths[i], sizeof(paths[i]), NODE_DIR "/%s-%u",
			 node_table[i].name, opt.first_minor);
		make_node("fuzz", NODE_DIR, paths[i], major,
			  opt.first_minor + node_table[i].minor);
	}
}

/* Start from a known state: every channel empty (a 0-byte write). */
static void clear_channels(void)
{
	unsigned int m;
	unsigned long ch;

	for (m = 0; m < MINORS; m++) {
		int fd = open(paths[m], O_WRONLY);

		if (fd < 0)
			broken(paths[m]);
		for (ch = 0; ch < CHANNELS; ch++)
			if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch) < 0 ||
			    write(fd, "", 0) != 0)
				broken("clearing the channels");
		close(fd);
	}
}

/* The seed goes to the kernel log too, in case the guest dies mid-run. */
static void log_seed(void)
{
	char line[160];
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0)
		return;
	snprintf(line, sizeof(line), "msgslot fuzz: seed %" PRIu64 ", up to "
		 "%lu iterations: fuzz --seed %" PRIu64 " --iterations %lu\n",
		 opt.seed, opt.iterations, opt.seed, opt.iterations);
	if (write(fd, line, strlen(line)) < 0)
		perror("/dev/kmsg");
	close(fd);
}

static void usage(void)
{
	fprintf(stderr, "usage: fuzz [--seed N] [--iterations M] "
		"[--seconds S] [--first-minor F]\n");
	exit(2);
}

static uint64_t number(const char *s, uint64_t max)
{
	uint64_t v;

	if (!parse_number(s, 0, max, &v))
		usage();
	return v;
}

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 't' },
		{ "first-minor", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	bool seeded = false, counted = false, timed = false;
	int c;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.seed = number(optarg, UINT64_MAX);
			seeded = true;
			break;
		case 'i':
			opt.iterations = (unsigned long)number(optarg,
				(unsigned long)-1 < 1ULL << 40 ?
				(unsigned long)-1 : 1ULL << 40);
			counted = true;
			break;
		case 't':
			opt.seconds = (double)number(optarg, 86400);
			timed = true;
			break;
		case 'm':
			opt.first_minor = (unsigned int)number(optarg,
							MAX_MINOR - MINORS + 1);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	/* A given number of iterations runs to the end unless told otherwise. */
	if (counted && !timed)
		opt.seconds = 0;
	if (!seeded && getrandom(&opt.seed, sizeof(opt.seed), 0) !=
	    sizeof(opt.seed))
		opt.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
}

int main(int argc, char **argv)
{
	double start, until;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(argc, argv);
	rng = opt.seed;
	printf("# fuzz seed %" PRIu64 ": up to %lu iterations", opt.seed,
	       opt.iterations);
	if (opt.seconds > 0)
		printf(" or %.0f s", opt.seconds);
	printf(" on minors %u-%u\n", opt.first_minor,
	       opt.first_minor + MINORS - 1);
	log_seed();
	make_nodes();
	clear_channels();
	setup_arena();

	start = now();
	until = start + opt.seconds;
	for (iteration = 1; iteration <= opt.iterations; iteration++) {
		if (iteration % 64 == 0) {
			check_holes();
			if (opt.seconds > 0 && now() >= until)
				break;
		}
		step();
	}
	/* Last, everything the model holds, after the iterations done. */
	op = history[iteration % HISTORY];
	snprintf(op, DESCRIPTION, "#%lu (after the last) ", iteration);
	reproduce_with = --iteration;
	iteration++;
	verify_all();
	iteration--;

	printf("# fuzz: %lu iterations in %.1f s: %lu opens, %lu dups, "
	       "%lu closes; channel set %lu, refused %lu; %lu other ioctls "
	       "(ENOTTY); %lu writes (%lu stored), %lu reads (%lu read "
	       "back and compared); failures as the model predicted: "
	       "%lu EFAULT, %lu EINVAL, %lu EBADF, %lu ESPIPE; %lu pages "
	       "replaced, %lu full comparisons; 0 divergences\n", iteration,
	       now() - start, n.opens, n.dups, n.closes, n.channel_set,
	       n.channel_refused, n.enotty, n.writes, n.stored, n.reads,
	       n.read_ok, n.efault, n.einval, n.ebadf, n.espipe, n.discards,
	       n.verifies);
	reproduce_line(iteration);
	return 0;
}
