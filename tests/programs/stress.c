// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress: hammer message slots from many processes and threads at once and
 * check every message read for tearing.  It runs in the test guest with
 * message_slot loaded and /dev/msgslot0 present:
 *
 *   stress [--seconds S] [--minors N] [--first-minor M]
 *          [--processes-per-cpu P] [--threads T]
 *
 * P processes per online CPU (default 2), each of T threads (default 2),
 * first open all the minors together, one at a time, so that first opens
 * race: N minors from M (default 32 from 500000, a range no other case
 * uses) and 128 more after them.  Then they open, set channels, write, read
 * and close on the N minors until S seconds (default 12) have passed since
 * the start.  Each minor must have cost one slot at most.  Every message
 * written checks itself: it names its length, minor, channel, writer and
 * sequence number, carries a body derived from them and ends in a checksum,
 * then the driver's zero fill.  Every whole read must be such a message for
 * that very minor and channel, or all zeros; every call must return what
 * the interface promises.  Workers also take MSGSLOT_IOC_GET_MESSAGE (its
 * metadata must match its message) and poll, and the threads of a process
 * share one file of a minor of its own, on which they set the channel,
 * write, read, GET_MESSAGE and poll at once; in the last third of the run
 * they do nothing else, one thread setting and writing, the other reading.  "# " lines tell the operations done and the
 * violations found; exit 0 if there were none, 1 otherwise, 2 on a usage
 * error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
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
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "message_slot.h"

#define NODE_DIR	"/tmp/stress"
#define LEN		MSGSLOT_MSG_LEN
/* Header: length, channel, minor (4), writer (2), sequence (4); then body. */
#define HEADER		12
#define CHECKSUM	4
#define MIN_MSG		(HEADER + CHECKSUM)
/* Read buffers are longer than a message, to catch a read past 128 bytes. */
#define GUARD		32
#define GUARD_BYTE	0xa5
#define MAX_FDS		4
#define MAX_THREADS	16
/* Half of the minors picked come from the first few: channels are shared. */
#define HOT_MINORS	4
/* Minors after those of the traffic, only for racing first opens. */
#define RACE_MINORS	128

struct options {
	double seconds;
	unsigned int minors, first_minor, per_cpu, threads;
};

struct counts {
	unsigned long opens, closes, ioctls, writes, reads;
	unsigned long whole_reads, zero_reads, foreign_reads, einval;
	unsigned long torn, errors;
	/* The paths added for waiting, and the file shared by threads. */
	unsigned long get_messages, polls, poll_waits;
	unsigned long shared_ioctls, shared_writes, shared_reads, shared_gets,
		shared_polls, duels;
};

/* What the threads of all processes found, in memory shared by them all. */
struct shared {
	/* The barrier before each racing first open. */
	unsigned int arrived, generation, workers, raced;
	int barrier_broken, racing_over;
	struct counts n;
	int first_violation;			/* set by the first to report */
	char violation[1024];
};

static struct options opt = {
	.seconds = 12, .minors = 32, .first_minor = 500000, .per_cpu = 2,
	.threads = 2,
};
static struct shared *shared;
static char **nodes;			/* the node of each minor */
static double until, race_until, duel_from;
/* The file the threads of a process share, on nodes[shared_minor]. */
static int shared_file = -1;
static unsigned int shared_minor;

struct open_file {
	int fd;
	unsigned int minor;		/* index into nodes */
	int channel;			/* -1: none set */
};

struct worker {
	unsigned int id;		/* writer id: process * MAX_THREADS + thread */
	int cpu;			/* where it runs */
	uint64_t rng;
	struct open_file files[MAX_FDS];
	int nfiles;
	struct counts n;
};

static unsigned int below(struct worker *w, unsigned int n)
{
	return (unsigned int)(next_random(&w->rng) % n);
}

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The body of a message follows from its header alone. */
static void fill_body(unsigned char *msg, size_t len)
{
	uint64_t state = fnv1a(msg, HEADER) | (uint64_t)get32(msg + 8) << 32;
	size_t i;

	state |= 1;
	for (i = HEADER; i < len - CHECKSUM; i++)
		msg[i] = (unsigned char)next_random(&state);
}

static size_t make_message(unsigned char *msg, size_t len, unsigned int minor,
			   unsigned int channel, unsigned int writer,
			   uint32_t seq)
{
	memset(msg, 0, LEN);
	msg[0] = (unsigned char)len;
	msg[1] = (unsigned char)channel;
	put32(msg + 2, minor);
	msg[6] = (unsigned char)writer;
	msg[7] = (unsigned char)(writer >> 8);
	put32(msg + 8, seq);
	fill_body(msg, len);
	put32(msg + len - CHECKSUM, fnv1a(msg, len - CHECKSUM));
	return len;
}

/*
 * Why the 128 bytes read from @minor's @channel are not a whole message of
 * that channel, or NULL if they are one (or are all zeros, never written).
 */
static const char *message_fault(const unsigned char *msg, unsigned int minor,
				 unsigned int channel)
{
	unsigned char body[LEN];
	size_t i, len = msg[0];

	if (len == 0) {
		for (i = 0; i < LEN; i++)
			if (msg[i])
				return "zero length byte but not all zeros";
		return NULL;
	}
	if (len < MIN_MSG || len > LEN)
		return "length byte out of range";
	for (i = len; i < LEN; i++)
		if (msg[i])
			return "bytes past the length are not zero";
	if (get32(msg + len - CHECKSUM) != fnv1a(msg, len - CHECKSUM))
		return "checksum mismatch";
	memcpy(body, msg, len);
	fill_body(body, len);
	if (memcmp(body, msg, len - CHECKSUM) != 0)
		return "body does not follow from the header";
	if (get32(msg + 2) != minor || msg[1] != channel)
		return "message of another minor or channel";
	return NULL;
}

static void hexdump(char *out, size_t size, const unsigned char *p, size_t n)
{
	size_t i, used = 0;

	for (i = 0; i < n && used + 4 < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%02x",
					 i % 32 ? "" : "\n#   ", p[i]);
}

static void violation(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&shared->first_violation, 1, __ATOMIC_ACQ_REL))
		return;
	va_start(ap, fmt);
	vsnprintf(shared->violation, sizeof(shared->violation), fmt, ap);
	va_end(ap);
}

static unsigned int pick_minor(struct worker *w)
{
	if (below(w, 2) && opt.minors > HOT_MINORS)
		return below(w, HOT_MINORS);
	return below(w, opt.minors);
}

static void do_close(struct worker *w)
{
	int i = (int)below(w, (unsigned int)w->nfiles);

	w->n.closes++;
	if (close(w->files[i].fd) < 0) {
		w->n.errors++;
		violation("close: %s", strerrorname_np(errno));
	}
	w->files[i] = w->files[--w->nfiles];
}

static void do_ioctl(struct worker *w, struct open_file *f)
{
	unsigned long channel = below(w, MSGSLOT_CHANNELS);
	bool bad = below(w, 10) == 0;
	long ret;

	if (bad)	/* out of range: refused, and the channel stays */
		channel += MSGSLOT_CHANNELS + below(w, 1000);
	w->n.ioctls++;
	errno = 0;
	ret = ioctl(f->fd, MSGSLOT_IOC_SET_CHANNEL, channel);
	if (bad ? ret != -1 || errno != EINVAL : ret != 0) {
		w->n.errors++;
		violation("ioctl(SET_CHANNEL, %lu) on %s: returned %ld (%s)",
			  channel, nodes[f->minor], ret,
			  ret < 0 ? strerrorname_np(errno) : "no error");
		return;
	}
	if (!bad)
		f->channel = (int)channel;
}

static void do_open(struct worker *w)
{
	unsigned int minor = pick_minor(w);
	int fd = open(nodes[minor], O_RDWR);

	w->n.opens++;
	if (fd < 0) {
		w->n.errors++;
		violation("open %s: %s", nodes[minor], strerrorname_np(errno));
		return;
	}
	w->files[w->nfiles++] = (struct open_file){ fd, minor, -1 };
	/* Mostly straight to work; now and then a file with no channel. */
	if (below(w, 8))
		do_ioctl(w, &w->files[w->nfiles - 1]);
}

/* Without a channel, read and write fail with EINVAL. */
static void expect_einval(struct worker *w, struct open_file *f, ssize_t ret,
			  const char *call)
{
	w->n.einval++;
	if (ret != -1 || errno != EINVAL) {
		w->n.errors++;
		violation("%s on %s without a channel: returned %zd (%s)", call,
			  nodes[f->minor], ret,
			  ret < 0 ? strerrorname_np(errno) : "no error");
	}
}

static void do_write(struct worker *w, struct open_file *f, uint32_t seq)
{
	unsigned char msg[LEN + 100];
	size_t len = MIN_MSG + below(w, LEN - MIN_MSG + 1), count = len;
	ssize_t ret;

	make_message(msg, len, opt.first_minor + f->minor,
		     f->channel < 0 ? 0 : (unsigned int)f->channel, w->id, seq);
	if (len == LEN && below(w, 2)) {
		/* Past 128 bytes a write is cut: the stored message is whole. */
		count = LEN + 1 + below(w, 99);
		memset(msg + LEN, 0xee, count - LEN);
	}
	w->n.writes++;
	errno = 0;
	ret = write(f->fd, msg, count);
	if (f->channel < 0) {
		expect_einval(w, f, ret, "write");
		return;
	}
	if (ret != (ssize_t)(count < LEN ? count : LEN)) {
		w->n.errors++;
		violation("write of %zu bytes to %s channel %d: returned %zd (%s)",
			  count, nodes[f->minor], f->channel, ret,
			  ret < 0 ? strerrorname_np(errno) : "short");
	}
}

static void do_read(struct worker *w, struct open_file *f)
{
	unsigned char buf[LEN + GUARD];
	size_t count = below(w, 4) ? sizeof(buf) : 1 + below(w, LEN - 1);
	size_t want = count < LEN ? count : LEN, i;
	const char *fault;
	char dump[512];
	ssize_t ret;

	memset(buf, GUARD_BYTE, sizeof(buf));
	w->n.reads++;
	errno = 0;
	ret = read(f->fd, buf, count);
	if (f->channel < 0) {
		expect_einval(w, f, ret, "read");
		return;
	}
	if (ret != (ssize_t)want) {
		w->n.errors++;
		violation("read of %zu bytes from %s channel %d: returned %zd (%s)",
			  count, nodes[f->minor], f->channel, ret,
			  ret < 0 ? strerrorname_np(errno) : "short");
		return;
	}
	for (i = want; i < sizeof(buf); i++) {
		if (buf[i] != GUARD_BYTE) {
			w->n.errors++;
			violation("read of %zu bytes from %s wrote byte %zu",
				  count, nodes[f->minor], i);
			return;
		}
	}
	if (want < LEN)		/* a prefix: nothing more to check */
		return;
	w->n.whole_reads++;
	fault = message_fault(buf, opt.first_minor + f->minor,
			      (unsigned int)f->channel);
	if (fault) {
		w->n.torn++;
		hexdump(dump, sizeof(dump), buf, LEN);
		violation("torn message from %s channel %d: %s:%s",
			  nodes[f->minor], f->channel, fault, dump);
	} else if (buf[0] == 0) {
		w->n.zero_reads++;
	} else if ((unsigned int)(buf[6] | buf[7] << 8) != w->id) {
		w->n.foreign_reads++;
	}
}

/*
 * Why the result of GET_MESSAGE on @minor does not hold one whole write,
 * its metadata included, or NULL.  @channel < 0: any channel.
 */
static const char *get_message_fault(const struct msgslot_message *m,
				     unsigned int minor, int channel)
{
	const char *fault;

	if (channel >= 0 ? m->channel != (unsigned int)channel :
	    m->channel >= MSGSLOT_CHANNELS)
		return "the metadata names another channel";
	fault = message_fault(m->data, minor,
			      channel >= 0 ? m->channel : m->data[1]);
	if (fault)
		return fault;
	if (m->generation == 0)
		return m->length || m->time_ns || m->data[0] ?
			"generation 0 with a message" : NULL;
	if (m->length != m->data[0])
		return "length is not that of the message";
	if (m->time_ns == 0)
		return "a message without a time";
	return NULL;
}

static void check_get_message(struct worker *w, int fd, unsigned int minor,
			      int channel, bool shared_fd)
{
	struct msgslot_message m;
	const char *fault;
	char dump[512];
	long ret;

	errno = 0;
	ret = ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m);
	if (!shared_fd && channel < 0) {
		expect_einval(w, &(struct open_file){ fd, minor, -1 }, ret,
			      "GET_MESSAGE");
		return;
	}
	if (ret != 0) {
		w->n.errors++;
		violation("GET_MESSAGE on %s: returned %ld (%s)", nodes[minor],
			  ret, strerrorname_np(errno));
		return;
	}
	fault = get_message_fault(&m, opt.first_minor + minor, channel);
	if (fault) {
		w->n.torn++;
		hexdump(dump, sizeof(dump), m.data, LEN);
		violation("GET_MESSAGE from %s channel %u generation %llu "
			  "length %u: %s:%s", nodes[minor], m.channel,
			  (unsigned long long)m.generation, m.length, fault,
			  dump);
	}
}

static void do_get_message(struct worker *w, struct open_file *f)
{
	w->n.get_messages++;
	check_get_message(w, f->fd, f->minor, f->channel, false);
}

/*
 * poll(): writable always, an error without a channel.  Now and then it
 * waits a millisecond, so that writers find someone on the queue to wake.
 */
static void check_poll(struct worker *w, int fd, unsigned int minor,
		       bool has_channel)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	int timeout = below(w, 4) ? 0 : 1, ret;

	w->n.poll_waits += timeout;
	ret = poll(&p, 1, timeout);
	if (ret != 1 || !(p.revents & POLLOUT) ||
	    !(p.revents & POLLERR) != has_channel) {
		w->n.errors++;
		violation("poll on %s %s a channel: returned %d, revents %#x",
			  nodes[minor], has_channel ? "with" : "without", ret,
			  p.revents);
	}
}

static void do_poll(struct worker *w, struct open_file *f)
{
	w->n.polls++;
	check_poll(w, f->fd, f->minor, f->channel >= 0);
}

/*
 * One operation on the file this worker's process shares between its
 * threads: its channel changes under the others' reads, writes and waits.
 * Nobody knows the channel at any moment, so a message read must only be
 * whole, and GET_MESSAGE's metadata must match its message.
 */
static void do_shared(struct worker *w, unsigned int dice, uint32_t seq)
{
	unsigned char buf[LEN + GUARD];
	unsigned int channel;
	const char *fault;
	size_t len;
	ssize_t ret;

	if (dice < 25) {
		w->n.shared_ioctls++;
		channel = below(w, MSGSLOT_CHANNELS);
		if (ioctl(shared_file, MSGSLOT_IOC_SET_CHANNEL, channel) != 0) {
			w->n.errors++;
			violation("ioctl(SET_CHANNEL, %u) on a shared file: %s",
				  channel, strerrorname_np(errno));
		}
	} else if (dice < 50) {
		w->n.shared_writes++;
		len = make_message(buf, MIN_MSG + below(w, LEN - MIN_MSG + 1),
				   opt.first_minor + shared_minor,
				   below(w, MSGSLOT_CHANNELS), w->id, seq);
		ret = write(shared_file, buf, len);
		if (ret != (ssize_t)len) {
			w->n.errors++;
			violation("write of %zu bytes to a shared file: "
				  "returned %zd (%s)", len, ret,
				  ret < 0 ? strerrorname_np(errno) : "short");
		}
	} else if (dice < 70) {
		w->n.shared_reads++;
		ret = read(shared_file, buf, sizeof(buf));
		if (ret != LEN) {
			w->n.errors++;
			violation("read from a shared file: returned %zd (%s)",
				  ret, ret < 0 ? strerrorname_np(errno) : "short");
			return;
		}
		fault = message_fault(buf, opt.first_minor + shared_minor,
				      buf[1]);
		if (fault) {
			w->n.torn++;
			violation("torn message from a shared file of %s: %s",
				  nodes[shared_minor], fault);
		}
	} else if (dice < 90) {
		w->n.shared_gets++;
		check_get_message(w, shared_file, shared_minor, -1, true);
	} else {
		w->n.shared_polls++;
		check_poll(w, shared_file, shared_minor, true);
	}
}

/*
 * The duel, the last third of the run: the threads of a process take turns
 * on nothing but their shared file, the even ones setting its channel and
 * writing, the odd ones reading, taking GET_MESSAGE and polling, so that
 * those paths overlap often enough for a race detector that samples.
 */
static void do_duel(struct worker *w, uint32_t seq)
{
	w->n.duels++;
	if (w->id % 2 == 0 || opt.threads == 1)
		do_shared(w, below(w, 50), seq);
	else
		do_shared(w, 50 + below(w, 50), seq);
}

/*
 * Wait until every worker of every process is here, then wake them all at
 * once.  The last to come decides, for all, whether racing is over: a
 * quarter of the time at most.  A worker that never comes (it died) breaks
 * the barrier for good after a few seconds.  Returns whether to race on.
 */
static bool barrier(void)
{
	unsigned int gen = __atomic_load_n(&shared->generation, __ATOMIC_ACQUIRE);
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	double give_up;

	if (__atomic_load_n(&shared->barrier_broken, __ATOMIC_RELAXED))
		return false;
	if (__atomic_add_fetch(&shared->arrived, 1, __ATOMIC_ACQ_REL) ==
	    shared->workers) {
		__atomic_store_n(&shared->arrived, 0, __ATOMIC_RELAXED);
		if (now() > race_until)
			__atomic_store_n(&shared->racing_over, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&shared->generation, gen + 1, __ATOMIC_RELEASE);
		syscall(SYS_futex, &shared->generation, FUTEX_WAKE, INT_MAX,
			NULL, NULL, 0);
	} else {
		give_up = now() + 5;
		while (__atomic_load_n(&shared->generation, __ATOMIC_ACQUIRE) ==
		       gen) {
			if (__atomic_load_n(&shared->barrier_broken,
					    __ATOMIC_RELAXED) || now() > give_up) {
				__atomic_store_n(&shared->barrier_broken, 1,
						 __ATOMIC_RELAXED);
				return false;
			}
			syscall(SYS_futex, &shared->generation, FUTEX_WAIT, gen,
				&tick, NULL, 0);
		}
	}
	return !__atomic_load_n(&shared->racing_over, __ATOMIC_RELAXED);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned long op;
	unsigned int i;
	bool duel = false;
	int fd;

	/*
	 * The threads of a process on different CPUs: their shared file's
	 * paths overlap for real, not only where the scheduler switches.
	 */
	pin_to_cpu(w->cpu);

	/* Every worker opens each minor at the same moment: first opens race. */
	for (i = 0; i < opt.minors + RACE_MINORS && barrier(); i++) {
		fd = open(nodes[i], O_RDWR);
		w->n.opens++;
		if (fd < 0) {
			w->n.errors++;
			violation("first open of %s: %s", nodes[i],
				  strerrorname_np(errno));
			continue;
		}
		w->n.closes++;
		close(fd);
	}
	/* Minors that all workers opened together: the same for each. */
	if (w->id == 0)
		shared->raced = i;

	for (op = 0; (op & 63) || now() < until; op++) {
		struct open_file *f;
		unsigned int dice = below(w, 100);

		if (!(op & 63))
			duel = now() >= duel_from;
		if (duel) {
			do_duel(w, (uint32_t)op);
			continue;
		}

		if (w->nfiles == 0 || (dice < 4 && w->nfiles < MAX_FDS)) {
			do_open(w);
			continue;
		}
		if (dice < 8) {
			do_close(w);
			continue;
		}
		if (dice >= 85) {
			do_shared(w, below(w, 100), (uint32_t)op);
			continue;
		}
		f = &w->files[below(w, (unsigned int)w->nfiles)];
		if (dice < 18)
			do_ioctl(w, f);
		else if (dice < 45)
			do_write(w, f, (uint32_t)op);
		else if (dice < 65)
			do_read(w, f);
		else if (dice < 77)
			do_get_message(w, f);
		else
			do_poll(w, f);
	}
	while (w->nfiles)
		do_close(w);
	return NULL;
}

static void add_counts(const struct counts *n)
{
#define ADD(field) __atomic_add_fetch(&shared->n.field, n->field, __ATOMIC_RELAXED)
	ADD(opens);
	ADD(closes);
	ADD(ioctls);
	ADD(writes);
	ADD(reads);
	ADD(whole_reads);
	ADD(zero_reads);
	ADD(foreign_reads);
	ADD(einval);
	ADD(torn);
	ADD(errors);
	ADD(get_messages);
	ADD(polls);
	ADD(poll_waits);
	ADD(shared_ioctls);
	ADD(shared_writes);
	ADD(shared_reads);
	ADD(shared_gets);
	ADD(shared_polls);
	ADD(duels);
#undef ADD
}

/* Processes share the minors after the traffic's, one each if they can. */
static unsigned int shared_minors(unsigned int processes)
{
	return processes < RACE_MINORS ? processes : RACE_MINORS;
}

static void open_shared_file(unsigned int process)
{
	shared_minor = opt.minors + process % RACE_MINORS;
	shared_file = open(nodes[shared_minor], O_RDWR);
	if (shared_file < 0 ||
	    ioctl(shared_file, MSGSLOT_IOC_SET_CHANNEL, 0UL) != 0) {
		violation("open %s for a shared file: %s", nodes[shared_minor],
			  strerrorname_np(errno));
		_exit(1);
	}
}

/* How many operations each path did, for the log. */
static void print_paths(const struct counts *n)
{
	printf("# stress: operations per path: open %lu, close %lu, "
	       "SET_CHANNEL %lu, write %lu, read %lu, GET_MESSAGE %lu, "
	       "poll %lu; on files shared by two threads: SET_CHANNEL %lu, "
	       "write %lu, read %lu, GET_MESSAGE %lu, poll %lu (%lu of those "
	       "in the last third, the duel); %lu polls waited 1 ms\n",
	       n->opens, n->closes, n->ioctls, n->writes,
	       n->reads, n->get_messages, n->polls,
	       n->shared_ioctls, n->shared_writes, n->shared_reads,
	       n->shared_gets, n->shared_polls, n->duels, n->poll_waits);
}

static void run_process(unsigned int process, int cpu, int go)
{
	struct worker workers[MAX_THREADS];
	pthread_t threads[MAX_THREADS];
	unsigned int t, cpus = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	char c;

	pin_to_cpu(cpu);
	/* All processes start at once, when the parent closes the pipe. */
	if (read(go, &c, 1) != 0)
		_exit(1);
	open_shared_file(process);
	for (t = 0; t < opt.threads; t++) {
		workers[t] = (struct worker){
			.id = process * MAX_THREADS + t,
			.cpu = (int)((cpu + t) % cpus),
			.rng = ((uint64_t)getpid() << 32 | t) * 0x9e3779b97f4a7c15ULL | 1,
		};
		if (pthread_create(&threads[t], NULL, work, &workers[t]) != 0)
			_exit(1);
	}
	for (t = 0; t < opt.threads; t++) {
		pthread_join(threads[t], NULL);
		add_counts(&workers[t].n);
	}
	_exit(0);
}

static void make_nodes(void)
{
	unsigned int i, major = primary_major("stress");

	nodes = calloc(opt.minors + RACE_MINORS, sizeof(*nodes));
	if (!nodes)
		abort();
	for (i = 0; i < opt.minors + RACE_MINORS; i++) {
		unsigned int minor = opt.first_minor + i;

		if (asprintf(&nodes[i], NODE_DIR "/m%u", minor) < 0)
			abort();
		make_node("stress", NODE_DIR, nodes[i], major, minor);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: stress [--seconds S] [--minors N] "
		"[--first-minor M] [--processes-per-cpu P] [--threads T]\n");
	exit(2);
}

static unsigned long number(const char *s, unsigned long min, unsigned long max)
{
	uint64_t v;

	if (!parse_number(s, min, max, &v))
		usage();
	return (unsigned long)v;
}

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "minors", required_argument, NULL, 'n' },
		{ "first-minor", required_argument, NULL, 'm' },
		{ "processes-per-cpu", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 's': opt.seconds = (double)number(optarg, 1, 3600); break;
		case 'n': opt.minors = (unsigned int)number(optarg, 1, 4096); break;
		case 'm': opt.first_minor = (unsigned int)number(optarg, 0, MAX_MINOR); break;
		case 'p': opt.per_cpu = (unsigned int)number(optarg, 1, 16); break;
		case 't': opt.threads = (unsigned int)number(optarg, 1, MAX_THREADS); break;
		default: usage();
		}
	}
	if (optind != argc ||
	    opt.first_minor + opt.minors + RACE_MINORS - 1 > MAX_MINOR)
		usage();
}

int main(int argc, char **argv)
{
	long cpus, before, after;
	unsigned int p, processes, used;
	struct counts *n;
	int go[2], status, bad_exit = 0;
	bool failed;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(argc, argv);
	make_nodes();
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	processes = opt.per_cpu * (unsigned int)cpus;
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || pipe(go) < 0) {
		printf("# stress: %s\n", strerror(errno));
		return 1;
	}

	shared->workers = processes * opt.threads;
	before = slab_objects();
	until = now() + opt.seconds;
	race_until = now() + opt.seconds / 4;
	duel_from = until - opt.seconds / 3;
	for (p = 0; p < processes; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			printf("# stress: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid == 0) {
			close(go[1]);
			run_process(p, (int)(p % (unsigned int)cpus), go[0]);
		}
	}
	close(go[0]);
	close(go[1]);
	for (p = 0; p < processes; p++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad_exit++;
	after = slab_objects();

	n = &shared->n;
	printf("# stress: %u processes x %u threads on %ld CPUs, racing "
	       "first opens of %u minors from %u, then traffic on minors "
	       "%u-%u until %.0f s: %lu operations (%lu opens, %lu closes, "
	       "%lu ioctls, %lu writes, %lu reads; %lu whole messages read: "
	       "%lu of another writer, %lu empty; %lu calls without a "
	       "channel)\n", processes, opt.threads, cpus, shared->raced,
	       opt.first_minor, opt.first_minor,
	       opt.first_minor + opt.minors - 1, opt.seconds,
	       n->opens + n->closes + n->ioctls + n->writes + n->reads,
	       n->opens, n->closes, n->ioctls, n->writes, n->reads,
	       n->whole_reads, n->foreign_reads, n->zero_reads, n->einval);
	print_paths(n);
	printf("# stress: violations: %lu torn messages, %lu wrong results, "
	       "%d workers died\n", n->torn, n->errors, bad_exit);
	if (shared->first_violation)
		printf("# stress: first violation: %s\n", shared->violation);
	failed = n->torn || n->errors || bad_exit;

	if (shared->barrier_broken)
		printf("# stress: a worker never reached the start of a racing "
		       "first open\n");
	if (before >= 0 && after >= 0) {
		printf("# stress: slots allocated: %ld before, %ld after\n",
		       before, after);
		/* Racing first opens must leave one slot per minor, at most. */
		used = opt.minors + shared_minors(processes);
		if (shared->raced > used)
			used = shared->raced;
		if (after - before > (long)used) {
			printf("# stress: %ld new slots for %u minors: racing "
			       "first opens leaked slots\n", after - before,
			       used);
			failed = true;
		}
	} else {
		printf("# stress: slots per minor not checked: %s unreadable\n",
		       SLAB_OBJECTS);
	}
	if (!failed && n->foreign_reads == 0) {
		printf("# stress: no read saw another writer's message: the "
		       "run did not exercise concurrency\n");
		failed = true;
	}
	return failed;
}
