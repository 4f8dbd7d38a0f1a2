// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress: threads of one process on every CPU sharing a few open files.
 *
 * The per-file state of the driver (the channel and the generation the file
 * last read) is changed by MSGSLOT_IOC_SET_CHANNEL and read by every read,
 * write, GET_MESSAGE and poll of the same file.  The main case gives each
 * thread files of its own; here every thread works on the same few files,
 * one thread pinned to each CPU and one more, so that SET_CHANNEL on a file
 * really runs at the same moment as another CPU's read of that file: the
 * race the race lane's KCSAN must see checked.
 *
 * A thread cannot know which channel a shared file is on when its call
 * runs, so the channel a message names is not always the one it lands on
 * (hence minors of its own, after stress's others): a message is checked
 * for being whole and of its minor, and GET_MESSAGE for a channel in range
 * and a length that is the message's own.  A file's channel is set before
 * the threads start, so no call may fail with EINVAL, and poll never
 * reports an error.
 */
#include "stress.h"

#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>

#define SHARED_FILES	4

struct shared_file {
	int fd;
	unsigned int minor;	/* index into nodes */
};

static struct shared_file files[SHARED_FILES];
static double shared_until;

/* Why @msg, read from minor index @minor on some channel, is not whole. */
static const char *shared_fault(const unsigned char *msg, unsigned int minor)
{
	if (msg[1] >= MSGSLOT_CHANNELS)
		return "channel byte out of range";
	return message_fault(msg, range_minor(opt.range, minor), msg[1]);
}

static void shared_ioctl(struct worker *w, struct shared_file *f)
{
	unsigned long channel = pick(w, MSGSLOT_CHANNELS);

	w->n.ioctls++;
	if (ioctl(f->fd, MSGSLOT_IOC_SET_CHANNEL, channel) != 0) {
		w->n.errors++;
		violation("SET_CHANNEL %lu on a shared file of %s: %s", channel,
			  nodes[f->minor], strerrorname_np(errno));
	}
}

static void shared_write(struct worker *w, struct shared_file *f,
			 uint32_t seq)
{
	unsigned char msg[MSG_LEN];
	size_t len = MIN_MSG + pick(w, MSG_LEN - MIN_MSG + 1);
	ssize_t ret;

	/* The channel byte names a channel, not the one it will land on. */
	make_message(msg, len, range_minor(opt.range, f->minor),
		     pick(w, MSGSLOT_CHANNELS), w->id, seq);
	w->n.writes++;
	ret = write(f->fd, msg, len);
	if (ret != (ssize_t)len) {
		w->n.errors++;
		violation("write of %zu bytes to a shared file of %s: returned "
			  "%zd (%s)", len, nodes[f->minor], ret,
			  ret < 0 ? strerrorname_np(errno) : "short");
	}
}

static void shared_read(struct worker *w, struct shared_file *f)
{
	unsigned char buf[MSG_LEN];
	const char *fault;
	char dump[512];
	ssize_t ret;

	w->n.reads++;
	ret = read(f->fd, buf, sizeof(buf));
	if (ret != MSG_LEN) {
		w->n.errors++;
		violation("read from a shared file of %s: returned %zd (%s)",
			  nodes[f->minor], ret,
			  ret < 0 ? strerrorname_np(errno) : "short");
		return;
	}
	w->n.whole_reads++;
	fault = shared_fault(buf, f->minor);
	if (fault) {
		w->n.torn++;
		hexdump(dump, sizeof(dump), buf, MSG_LEN);
		violation("torn message from a shared file of %s: %s:%s",
			  nodes[f->minor], fault, dump);
	}
}

static void shared_get_message(struct worker *w, struct shared_file *f)
{
	struct msgslot_message m;
	const char *fault;
	char dump[512];

	w->n.get_messages++;
	if (ioctl(f->fd, MSGSLOT_IOC_GET_MESSAGE, &m) != 0) {
		w->n.errors++;
		violation("GET_MESSAGE on a shared file of %s: %s",
			  nodes[f->minor], strerrorname_np(errno));
		return;
	}
	if (m.channel >= MSGSLOT_CHANNELS)
		fault = "channel out of range";
	else if (m.generation == 0)
		fault = m.length || m.time_ns || m.data[0] ?
			"never written, yet a length, time or data" : NULL;
	else if (m.length != m.data[0])
		fault = "a length other than the message's own";
	else
		fault = shared_fault(m.data, f->minor);
	if (fault) {
		w->n.torn++;
		hexdump(dump, sizeof(dump), m.data, MSG_LEN);
		violation("GET_MESSAGE from a shared file of %s: %s (channel %u,"
			  " generation %llu, length %u):%s", nodes[f->minor],
			  fault, m.channel, (unsigned long long)m.generation,
			  m.length, dump);
	}
}

static void shared_poll(struct worker *w, struct shared_file *f)
{
	struct pollfd p = { .fd = f->fd, .events = POLLIN | POLLOUT };
	int ret;

	w->n.polls++;
	ret = poll(&p, 1, 0);
	if (p.revents & POLLIN)
		w->n.readable++;
	if (ret != 1 || (p.revents & ~POLLIN) != POLLOUT) {
		w->n.errors++;
		violation("poll on a shared file of %s: returned %d, revents "
			  "%#x", nodes[f->minor], ret, p.revents);
	}
}

static void *shared_work(void *arg)
{
	struct worker *w = arg;
	unsigned long op;

	pin_to_cpu((int)(w->id % (unsigned int)sysconf(_SC_NPROCESSORS_ONLN)));
	for (op = 0; (op & 63) || now() < shared_until; op++) {
		struct shared_file *f = &files[pick(w, SHARED_FILES)];
		unsigned int dice = pick(w, 100);

		if (dice < 25)
			shared_ioctl(w, f);
		else if (dice < 45)
			shared_write(w, f, (uint32_t)op);
		else if (dice < 70)
			shared_read(w, f);
		else if (dice < 85)
			shared_get_message(w, f);
		else
			shared_poll(w, f);
	}
	return NULL;
}

/* Half of stress's time, one thread per CPU and one more. */
TEST(stress_threads_share_files)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct worker workers[MAX_THREADS];
	pthread_t threads[MAX_THREADS];
	unsigned int t, nthreads, i;
	const struct counts *n;

	stress_begin();
	if (cpus < 1)
		cpus = 1;
	nthreads = cpus + 1 < MAX_THREADS ? (unsigned int)cpus + 1 : MAX_THREADS;
	for (i = 0; i < SHARED_FILES; i++) {
		files[i].minor = opt.minors + RACE_MINORS + i % SHARED_MINORS;
		files[i].fd = open_channel(nodes[files[i].minor], O_RDWR,
					   i % MSGSLOT_CHANNELS);
		ASSERT_MSG(files[i].fd >= 0, "open %s: %s", nodes[files[i].minor],
			   strerror(errno));
	}
	shared_until = now() + opt.seconds / 2;
	for (t = 0; t < nthreads; t++) {
		workers[t] = (struct worker){
			.id = t,
			.rng = ((uint64_t)getpid() << 32 | t) * 0x9e3779b97f4a7c15ULL | 1,
		};
		ASSERT_MSG(pthread_create(&threads[t], NULL, shared_work,
					  &workers[t]) == 0, "pthread_create");
	}
	for (t = 0; t < nthreads; t++) {
		pthread_join(threads[t], NULL);
		add_counts(&workers[t].n);
	}
	n = stress_counts();
	for (i = 0; i < SHARED_FILES; i++)
		close(files[i].fd);

	TH_LOG("%u threads on %ld CPUs sharing %d files of minors %u-%u for "
	       "%.0f s: %lu operations (%lu SET_CHANNEL, %lu writes, %lu reads,"
	       " %lu GET_MESSAGE, %lu polls, %lu of them readable)", nthreads,
	       cpus, SHARED_FILES, range_minor(opt.range, files[0].minor),
	       range_minor(opt.range, files[0].minor + SHARED_MINORS - 1),
	       opt.seconds / 2,
	       n->ioctls + n->writes + n->reads + n->get_messages + n->polls,
	       n->ioctls, n->writes, n->reads, n->get_messages, n->polls,
	       n->readable);
	EXPECT_MSG(!n->torn && !n->errors, "violations: %lu torn messages, %lu "
		   "wrong results; the first: %s", n->torn, n->errors,
		   stress_first_violation());
}
