// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress: the workers, their operations on messages, and the case (see
 * stress.h).
 */
#include "stress.h"

#include <getopt.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* Read buffers are longer than a message, to catch a read past 128 bytes. */
#define GUARD		32
#define GUARD_BYTE	0xa5
/* Half of the minors picked come from the first few: channels are shared. */
#define HOT_MINORS	4

/* What the threads of all processes found, in memory shared by them all. */
struct shared {
	/* The barrier before each racing first open. */
	unsigned int arrived, generation, workers, raced;
	int barrier_broken, racing_over;
	struct counts n;
	int first_violation;			/* set by the first to report */
	char violation[1024];
};

struct options opt = {
	.seconds = 12, .minors = 32, .range = MINORS_STRESS, .per_cpu = 2,
	.threads = 2,
};
static struct shared *shared;
char **nodes;
static double until, race_until;

unsigned int pick(struct worker *w, unsigned int n)
{
	return (unsigned int)below(&w->rng, n);
}

void violation(const char *fmt, ...)
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
	if (pick(w, 2) && opt.minors > HOT_MINORS)
		return pick(w, HOT_MINORS);
	return pick(w, opt.minors);
}

static void do_close(struct worker *w)
{
	int i = (int)pick(w, (unsigned int)w->nfiles);

	w->n.closes++;
	if (close(w->files[i].fd) < 0) {
		w->n.errors++;
		violation("close: %s", strerrorname_np(errno));
	}
	w->files[i] = w->files[--w->nfiles];
}

static void do_ioctl(struct worker *w, struct open_file *f)
{
	unsigned long channel = pick(w, MSGSLOT_CHANNELS);
	bool bad = pick(w, 10) == 0;
	long ret;

	if (bad)	/* out of range: refused, and the channel stays */
		channel += MSGSLOT_CHANNELS + pick(w, 1000);
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
	if (!bad) {
		f->channel = (int)channel;
		f->seen = 0;	/* even the same channel: nothing seen */
	}
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
	w->files[w->nfiles++] = (struct open_file){ fd, minor, -1, 0 };
	/* Mostly straight to work; now and then a file with no channel. */
	if (pick(w, 8))
		do_ioctl(w, &w->files[w->nfiles - 1]);
}

void expect_einval(struct worker *w, struct open_file *f, ssize_t ret,
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
	unsigned char msg[MSG_LEN + 100];
	size_t len = MIN_MSG + pick(w, MSG_LEN - MIN_MSG + 1), count = len;
	ssize_t ret;

	make_message(msg, len, range_minor(opt.range, f->minor),
		     f->channel < 0 ? 0 : (unsigned int)f->channel, w->id, seq);
	if (len == MSG_LEN && pick(w, 2)) {
		/* Past 128 bytes a write is cut: the stored message is whole. */
		count = MSG_LEN + 1 + pick(w, 99);
		memset(msg + MSG_LEN, 0xee, count - MSG_LEN);
	}
	w->n.writes++;
	errno = 0;
	ret = write(f->fd, msg, count);
	if (f->channel < 0) {
		expect_einval(w, f, ret, "write");
		return;
	}
	if (ret != (ssize_t)(count < MSG_LEN ? count : MSG_LEN)) {
		w->n.errors++;
		violation("write of %zu bytes to %s channel %d: returned %zd (%s)",
			  count, nodes[f->minor], f->channel, ret,
			  ret < 0 ? strerrorname_np(errno) : "short");
	}
}

static void do_read(struct worker *w, struct open_file *f)
{
	unsigned char buf[MSG_LEN + GUARD];
	size_t count = pick(w, 4) ? sizeof(buf) : 1 + pick(w, MSG_LEN - 1);
	size_t want = count < MSG_LEN ? count : MSG_LEN, i;
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
	if (want < MSG_LEN)		/* a prefix: nothing more to check */
		return;
	w->n.whole_reads++;
	fault = message_fault(buf, range_minor(opt.range, f->minor),
			      (unsigned int)f->channel);
	if (fault) {
		w->n.torn++;
		hexdump(dump, sizeof(dump), buf, MSG_LEN);
		violation("torn message from %s channel %d: %s:%s",
			  nodes[f->minor], f->channel, fault, dump);
	} else if (buf[0] == 0) {
		w->n.zero_reads++;
	} else if ((unsigned int)(buf[6] | buf[7] << 8) != w->id) {
		w->n.foreign_reads++;
	}
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
	int fd;

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
		unsigned int dice = pick(w, 100);

		if (w->nfiles == 0 || (dice < 4 && w->nfiles < MAX_FDS)) {
			do_open(w);
			continue;
		}
		if (dice < 8) {
			do_close(w);
			continue;
		}
		f = &w->files[pick(w, (unsigned int)w->nfiles)];
		if (dice < 20)
			do_ioctl(w, f);
		else if (dice < 45)
			do_write(w, f, (uint32_t)op);
		else if (dice < 70)
			do_read(w, f);
		else if (dice < 85)
			do_get_message(w, f);
		else
			do_poll(w, f);
	}
	while (w->nfiles)
		do_close(w);
	return NULL;
}

void add_counts(const struct counts *n)
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
	ADD(polls);
	ADD(readable);
	ADD(get_messages);
	ADD(new_generations);
#undef ADD
}

static void run_process(unsigned int process, int cpu, int go)
{
	struct worker workers[MAX_THREADS];
	pthread_t threads[MAX_THREADS];
	unsigned int t;
	char c;

	pin_to_cpu(cpu);
	/* All processes start at once, when the parent closes the pipe. */
	if (read(go, &c, 1) != 0)
		_exit(1);
	for (t = 0; t < opt.threads; t++) {
		workers[t] = (struct worker){
			.id = process * MAX_THREADS + t,
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
	unsigned int i;

	nodes = calloc(STRESS_NODES, sizeof(*nodes));
	if (!nodes)
		abort();
	for (i = 0; i < STRESS_NODES; i++)
		nodes[i] = range_node(opt.range, i);
}

#define USAGE	"usage: stress [--seconds S] [--minors N] [--first-minor M] " \
		"[--processes-per-cpu P] [--threads T]"

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
		case 's':
			opt.seconds = (double)option_number(optarg, 1, 3600, USAGE);
			break;
		case 'n':
			opt.minors = (unsigned int)option_number(optarg, 1, 4096,
								 USAGE);
			break;
		case 'm':
			opt.range = option_row(optarg, 0, USAGE);
			break;
		case 'p':
			opt.per_cpu = (unsigned int)option_number(optarg, 1, 16,
								  USAGE);
			break;
		case 't':
			opt.threads = (unsigned int)option_number(optarg, 1,
								  MAX_THREADS,
								  USAGE);
			break;
		default:
			usage_exit(USAGE);
		}
	}
	if (optind != argc ||
	    STRESS_NODES > minor_table[opt.range].count)
		usage_exit(USAGE);
}

void stress_begin(void)
{
	make_nodes();
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("stress: mmap");
		exit(1);
	}
}

const char *stress_first_violation(void)
{
	return shared->violation;
}

const struct counts *stress_counts(void)
{
	return &shared->n;
}

TEST(stress_many_minors_no_torn_messages)
{
	long cpus, before, after;
	unsigned int p, processes, used, first = range_minor(opt.range, 0);
	struct counts *n;
	int go[2], bad_exit;

	stress_begin();
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	processes = opt.per_cpu * (unsigned int)cpus;
	ASSERT_MSG(pipe(go) == 0, "pipe: %s", strerror(errno));

	shared->workers = processes * opt.threads;
	before = slab_objects();
	until = now() + opt.seconds;
	race_until = now() + opt.seconds / 4;
	for (p = 0; p < processes; p++) {
		pid_t pid = fork();

		ASSERT_MSG(pid >= 0, "fork: %s", strerror(errno));
		if (pid == 0) {
			close(go[1]);
			run_process(p, (int)(p % (unsigned int)cpus), go[0]);
		}
	}
	close(go[0]);
	close(go[1]);
	bad_exit = (int)children_failed(processes);
	after = slab_objects();

	n = &shared->n;
	TH_LOG("%u processes x %u threads on %ld CPUs, racing first opens of "
	       "%u minors from %u, then traffic on minors %u-%u until %.0f s: "
	       "%lu operations (%lu opens, %lu closes, %lu ioctls, %lu writes, "
	       "%lu reads, %lu GET_MESSAGE, %lu polls; %lu calls without a "
	       "channel)", processes, opt.threads, cpus, shared->raced, first,
	       first, first + opt.minors - 1, opt.seconds,
	       n->opens + n->closes + n->ioctls + n->writes + n->reads +
	       n->get_messages + n->polls, n->opens, n->closes, n->ioctls,
	       n->writes, n->reads, n->get_messages, n->polls, n->einval);
	TH_LOG("reads: %lu whole messages, %lu of another writer, %lu empty; "
	       "polls: %lu readable; GET_MESSAGE (also after each readable "
	       "poll): %lu gave a generation the file had not seen",
	       n->whole_reads, n->foreign_reads, n->zero_reads, n->readable,
	       n->new_generations);
	EXPECT_MSG(!n->torn && !n->errors && !bad_exit, "violations: %lu torn "
		   "messages, %lu wrong results, %d workers died; the first: %s",
		   n->torn, n->errors, bad_exit, shared->violation);
	if (shared->barrier_broken)
		TH_LOG("a worker never reached the start of a racing first open");
	if (before >= 0 && after >= 0) {
		TH_LOG("slots allocated: %ld before, %ld after", before, after);
		/* Racing first opens must leave one slot per minor, at most. */
		used = shared->raced > opt.minors ? shared->raced : opt.minors;
		EXPECT_MSG(after - before <= (long)used, "%ld new slots for %u "
			   "minors: racing first opens leaked slots",
			   after - before, used);
	} else {
		TH_LOG("slots per minor not checked: %s unreadable",
		       SLAB_OBJECTS);
	}
	EXPECT_MSG(_metadata->failed || n->foreign_reads, "no read saw another "
		   "writer's message: the run did not exercise concurrency");
	EXPECT_MSG(_metadata->failed || (n->readable && n->new_generations),
		   "no poll found a file readable, or no GET_MESSAGE a new "
		   "generation: waiting was not exercised");
}

TEST_HARNESS_MAIN_OPTIONS(parse)

