// SPDX-License-Identifier: GPL-2.0-only
/*
 * poll_test: the rules of waiting for a message (poll, select, epoll), of
 * generations and of MSGSLOT_IOC_GET_MESSAGE, one case each.  It runs in the
 * test guest with message_slot loaded and /dev/msgslot0 present.  Every case
 * works on minors of its own, so no case sees another's messages.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "guest.h"
#include "message_slot.h"

#define NODE_DIR	"/tmp/poll_test"
#define FIRST_MINOR	700000
#define MINOR_COUNTER	NODE_DIR "/next-minor"
#define MODULE_PATH	"/lib/message_slot.ko"

/* How long a waiter may take to wake: generous, TCG is slow. */
#define WAKE_MS		10000
/* How long a waiter that must not wake is watched. */
#define QUIET_MS	300

/* A node for a minor that no case of this program has used. */
static char *fresh_node(void)
{
	unsigned int minor = FIRST_MINOR;
	char *path;
	FILE *f;

	if (mkdir(NODE_DIR, 0700) < 0 && errno != EEXIST)
		abort();
	f = fopen(MINOR_COUNTER, "r+");
	if (!f)
		f = fopen(MINOR_COUNTER, "w+");
	if (!f)
		abort();
	if (fscanf(f, "%u", &minor) != 1)
		minor = FIRST_MINOR;
	rewind(f);
	fprintf(f, "%u\n", minor + 1);
	fclose(f);
	if (asprintf(&path, NODE_DIR "/m%u", minor) < 0)
		abort();
	make_node("poll_test", NODE_DIR, path, primary_major("poll_test"),
		  minor);
	return path;
}

/* @path opened with @flags on @channel, or -1. */
static int open_channel(const char *path, int flags, unsigned long channel)
{
	int fd = open(path, flags);

	if (fd >= 0 && ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, channel) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static ssize_t write_text(int fd, const char *text)
{
	return write(fd, text, strlen(text));
}

/* The events poll() reports for @fd right now. */
static short events_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static bool readable(int fd)
{
	return events_now(fd) & POLLIN;
}

/* Milliseconds on the monotonic clock. */
static double now_ms(void)
{
	return now() * 1000;
}

/*
 * poll() and select() look once more when their timeout expires, so a
 * waiter that was never woken still returns the right answer, only late:
 * being woken means returning well before the timeout.
 */
static bool woken_in_time(double start_ms, int timeout_ms)
{
	return now_ms() - start_ms < timeout_ms - 1000;
}

/*
 * In a child pinned to the other CPU: sleep @delay_ms, then write @text to
 * channel @channel of @path.  Returns the child's pid.
 */
static pid_t write_later(const char *path, unsigned long channel,
			 const char *text, int delay_ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open_channel(path, O_WRONLY, channel);

		pin_to_cpu(1);
		usleep(delay_ms * 1000);
		_exit(fd < 0 || write_text(fd, text) < 0);
	}
	return pid;
}

static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ---- what poll() reports -------------------------------------------- */

TEST32(poll_never_written_channel_not_readable)
{
	int fd = open_channel(fresh_node(), O_RDWR, 0);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(events_now(fd), POLLOUT);
}

TEST32(poll_retained_message_readable_at_once)
{
	char *path = fresh_node();
	int w = open_channel(path, O_WRONLY, 1), r;

	ASSERT_GE(w, 0);
	ASSERT_RET(write_text(w, "retained"), 8);
	r = open_channel(path, O_RDONLY, 1);
	ASSERT_GE(r, 0);
	EXPECT_EQ(events_now(r), POLLIN | POLLOUT);
}

TEST32(poll_not_readable_after_read)
{
	int fd = open_channel(fresh_node(), O_RDWR, 2);
	char buf[MSGSLOT_MSG_LEN];

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "once"), 4);
	ASSERT_TRUE(readable(fd));
	ASSERT_RET(read(fd, buf, sizeof(buf)), sizeof(buf));
	EXPECT_FALSE(readable(fd));
}

TEST32(poll_not_readable_after_short_read)
{
	int fd = open_channel(fresh_node(), O_RDWR, 2);
	char c;

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "once"), 4);
	/* Any successful read marks the whole message seen. */
	ASSERT_RET(read(fd, &c, 1), 1);
	EXPECT_FALSE(readable(fd));
}

TEST32(poll_not_readable_after_get_message)
{
	int fd = open_channel(fresh_node(), O_RDWR, 3);
	struct msgslot_message m;

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "once"), 4);
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_FALSE(readable(fd));
}

TEST32(poll_readable_again_after_set_channel_same)
{
	int fd = open_channel(fresh_node(), O_RDWR, 0);
	char buf[MSGSLOT_MSG_LEN];

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "kept"), 4);
	ASSERT_RET(read(fd, buf, sizeof(buf)), sizeof(buf));
	ASSERT_FALSE(readable(fd));
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 0), 0);
	EXPECT_TRUE(readable(fd));
}

TEST32(poll_set_channel_other_follows_new_channel)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDWR, 0);
	char buf[MSGSLOT_MSG_LEN];

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "zero"), 4);
	ASSERT_RET(read(fd, buf, sizeof(buf)), sizeof(buf));
	/* Channel 1 was never written: not readable. */
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 1), 0);
	EXPECT_FALSE(readable(fd));
	/* Back on channel 0, its message is unseen again. */
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, 0), 0);
	EXPECT_TRUE(readable(fd));
}

TEST32(poll_readable_after_own_write)
{
	int fd = open_channel(fresh_node(), O_RDWR, 1);

	ASSERT_GE(fd, 0);
	ASSERT_FALSE(readable(fd));
	ASSERT_RET(write_text(fd, "mine"), 4);
	EXPECT_TRUE(readable(fd));
}

TEST32(poll_without_channel_reports_error)
{
	int fd = open(fresh_node(), O_RDWR);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	ASSERT_GE(fd, 0);
	/* POLLERR is reported whatever was asked for, and at once. */
	ASSERT_RET(poll(&p, 1, WAKE_MS), 1);
	EXPECT_EQ(p.revents, POLLERR);
	EXPECT_EQ(events_now(fd), POLLERR | POLLOUT);
}

TEST32(poll_always_writable)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_WRONLY, 2), i;

	ASSERT_GE(fd, 0);
	for (i = 0; i < 3; i++) {
		EXPECT_TRUE(events_now(fd) & POLLOUT);
		ASSERT_RET(write_text(fd, "again"), 5);
	}
	EXPECT_TRUE(events_now(fd) & POLLOUT);
}

TEST32(read_never_blocks_on_never_written_channel)
{
	char buf[MSGSLOT_MSG_LEN], zeros[MSGSLOT_MSG_LEN] = {};
	int fd = open_channel(fresh_node(), O_RDONLY, 0);

	ASSERT_GE(fd, 0);
	/* Without O_NONBLOCK, an empty channel still reads at once. */
	ASSERT_RET(read(fd, buf, sizeof(buf)), sizeof(buf));
	EXPECT_EQ(memcmp(buf, zeros, sizeof(buf)), 0);
}

/* ---- waking ------------------------------------------------------------ */

TEST(poll_wakes_on_write_from_other_cpu)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDONLY, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	double start;
	pid_t writer;

	ASSERT_GE(fd, 0);
	pin_to_cpu(0);
	writer = write_later(path, 0, "wake up", 100);
	start = now_ms();
	EXPECT_RET(poll(&p, 1, WAKE_MS), 1);
	TH_LOG("woke after %.0f ms", now_ms() - start);
	EXPECT_TRUE(woken_in_time(start, WAKE_MS));
	EXPECT_EQ(p.revents, POLLIN);
	EXPECT_EQ(reap(writer), 0);
}

TEST(select_wakes_on_write_from_other_cpu)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDONLY, 1);
	struct timeval tv = { .tv_sec = WAKE_MS / 1000 };
	fd_set in;
	pid_t writer;
	double start;

	ASSERT_GE(fd, 0);
	pin_to_cpu(0);
	FD_ZERO(&in);
	FD_SET(fd, &in);
	writer = write_later(path, 1, "wake up", 100);
	start = now_ms();
	EXPECT_RET(select(fd + 1, &in, NULL, NULL, &tv), 1);
	EXPECT_TRUE(woken_in_time(start, WAKE_MS));
	EXPECT_TRUE(FD_ISSET(fd, &in));
	EXPECT_EQ(reap(writer), 0);
}

TEST(epoll_level_triggered_wakes_on_write)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDONLY, 2), ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct msgslot_message m;
	pid_t writer;

	ASSERT_GE(fd, 0);
	ASSERT_GE(ep, 0);
	ASSERT_RET(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	pin_to_cpu(0);
	writer = write_later(path, 2, "wake up", 100);
	EXPECT_RET(epoll_wait(ep, &out, 1, WAKE_MS), 1);
	EXPECT_EQ(reap(writer), 0);
	/* Level-triggered: still reported until read. */
	EXPECT_RET(epoll_wait(ep, &out, 1, 0), 1);
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_RET(epoll_wait(ep, &out, 1, 0), 0);
}

TEST(epoll_edge_triggered_reports_every_write)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDONLY, 3), ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;
	struct msgslot_message m;
	int i;

	ASSERT_GE(fd, 0);
	ASSERT_GE(ep, 0);
	ASSERT_RET(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	for (i = 1; i <= 3; i++) {
		pid_t writer = write_later(path, 3, "edge", 50);

		EXPECT_RET(epoll_wait(ep, &out, 1, WAKE_MS), 1);
		EXPECT_EQ(reap(writer), 0);
		/* Reported once per edge. */
		EXPECT_RET(epoll_wait(ep, &out, 1, 0), 0);
	}
	/* Writes after the last read are reported, each of them. */
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(m.generation, 3);
	EXPECT_EQ(reap(write_later(path, 3, "after", 0)), 0);
	EXPECT_RET(epoll_wait(ep, &out, 1, WAKE_MS), 1);
}

TEST(poll_timeout_expires_without_write)
{
	int fd = open_channel(fresh_node(), O_RDONLY, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	double start = now_ms();

	ASSERT_GE(fd, 0);
	EXPECT_RET(poll(&p, 1, QUIET_MS), 0);
	EXPECT_GE(now_ms() - start, QUIET_MS - 10);
}

TEST(write_to_other_minor_wakes_nobody)
{
	int fd = open_channel(fresh_node(), O_RDONLY, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	pid_t writer;

	ASSERT_GE(fd, 0);
	writer = write_later(fresh_node(), 0, "elsewhere", 50);
	EXPECT_RET(poll(&p, 1, QUIET_MS), 0);
	EXPECT_EQ(reap(writer), 0);
}

TEST(write_to_other_channel_leaves_waiter_unreadable)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDONLY, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	pid_t writer;

	ASSERT_GE(fd, 0);
	writer = write_later(path, 1, "next door", 50);
	EXPECT_RET(poll(&p, 1, QUIET_MS), 0);
	EXPECT_EQ(reap(writer), 0);
	EXPECT_FALSE(readable(fd));
}

#define POLLERS	200

struct poller {
	int fd;
	short revents;
	bool in_time;
	pthread_barrier_t *ready;
};

static void *poller_run(void *arg)
{
	struct poller *w = arg;
	struct pollfd p = { .fd = w->fd, .events = POLLIN };
	double start;

	pthread_barrier_wait(w->ready);
	start = now_ms();
	if (poll(&p, 1, 4 * WAKE_MS) == 1)
		w->revents = p.revents;
	w->in_time = woken_in_time(start, 4 * WAKE_MS);
	return NULL;
}

TEST(poll_200_pollers_all_wake_on_one_write)
{
	static struct poller pollers[POLLERS];
	static pthread_t threads[POLLERS];
	char *path = fresh_node();
	pthread_barrier_t ready;
	int i, woken = 0, w;

	pthread_barrier_init(&ready, NULL, POLLERS + 1);
	for (i = 0; i < POLLERS; i++) {
		pollers[i].fd = open_channel(path, O_RDONLY, 1);
		ASSERT_GE(pollers[i].fd, 0);
		pollers[i].ready = &ready;
		ASSERT_EQ(pthread_create(&threads[i], NULL, poller_run,
					 &pollers[i]), 0);
	}
	pthread_barrier_wait(&ready);
	/* Let them all reach poll() and sleep. */
	usleep(500 * 1000);
	w = open_channel(path, O_WRONLY, 1);
	ASSERT_GE(w, 0);
	ASSERT_RET(write_text(w, "all of you"), 10);
	for (i = 0; i < POLLERS; i++) {
		pthread_join(threads[i], NULL);
		woken += pollers[i].revents == POLLIN && pollers[i].in_time;
	}
	TH_LOG("%d of %d pollers woke readable", woken, POLLERS);
	EXPECT_EQ(woken, POLLERS);
}

struct closer {
	int fd;
	int ret;
	short revents;
	bool in_time;
};

static void *poll_until_woken(void *arg)
{
	struct closer *c = arg;
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	double start = now_ms();

	c->ret = poll(&p, 1, WAKE_MS);
	c->revents = p.revents;
	c->in_time = woken_in_time(start, WAKE_MS);
	return NULL;
}

TEST(close_while_other_thread_polls)
{
	char *path = fresh_node();
	struct closer c = { .fd = open_channel(path, O_RDONLY, 0) };
	pthread_t thread;
	int w = open_channel(path, O_WRONLY, 0);

	ASSERT_GE(c.fd, 0);
	ASSERT_GE(w, 0);
	ASSERT_EQ(pthread_create(&thread, NULL, poll_until_woken, &c), 0);
	usleep(200 * 1000);
	/* poll() holds the file; closing the descriptor does not end it. */
	ASSERT_RET(close(c.fd), 0);
	ASSERT_RET(write_text(w, "after close"), 11);
	pthread_join(thread, NULL);
	TH_LOG("poll returned %d, revents %#x", c.ret, c.revents);
	/* Woken by the write, it finds the descriptor closed. */
	EXPECT_TRUE(c.in_time);
	EXPECT_EQ(c.ret, 1);
	EXPECT_EQ(c.revents, POLLNVAL);
}

TEST(set_channel_wakes_poller_of_same_file)
{
	char *path = fresh_node();
	struct closer c = { .fd = open_channel(path, O_RDONLY, 0) };
	int w = open_channel(path, O_WRONLY, 1);
	pthread_t thread;

	ASSERT_GE(c.fd, 0);
	ASSERT_GE(w, 0);
	/* Channel 1 holds a message; the poller waits on empty channel 0. */
	ASSERT_RET(write_text(w, "retained"), 8);
	ASSERT_EQ(pthread_create(&thread, NULL, poll_until_woken, &c), 0);
	usleep(200 * 1000);
	ASSERT_RET(ioctl(c.fd, MSGSLOT_IOC_SET_CHANNEL, 1), 0);
	pthread_join(thread, NULL);
	EXPECT_TRUE(c.in_time);
	EXPECT_EQ(c.ret, 1);
	EXPECT_EQ(c.revents, POLLIN);
}

/*
 * Switch the scheduler to full preemption where the kernel lets us (a
 * PREEMPT_DYNAMIC kernel, through debugfs): then a woken real-time task
 * runs the moment the waker lets go of the queue's lock.  Returns what to
 * restore, an empty string if nothing, or NULL if the kernel cannot preempt.
 */
#define PREEMPT_CONTROL	"/sys/kernel/debug/sched/preempt"

static const char *full_preemption(void)
{
	static char was[32];
	char line[128];
	FILE *f = fopen(PREEMPT_CONTROL, "r");
	struct utsname u;

	if (!f) {
		uname(&u);
		/* Without the control, only a fully preemptible kernel will do. */
		return strstr(u.version, "PREEMPT_RT") ||
		       strstr(u.version, "PREEMPT ") ? "" : NULL;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	/* "none voluntary (full)": the mode in parentheses is in force. */
	if (strstr(line, "(full)"))
		return "";
	if (strstr(line, "(voluntary)"))
		strcpy(was, "voluntary");
	else
		strcpy(was, "none");
	f = fopen(PREEMPT_CONTROL, "w");
	if (!f || fputs("full", f) < 0 || fclose(f) != 0)
		return NULL;
	return was;
}

static void restore_preemption(const char *was)
{
	FILE *f;

	if (!was || !*was)
		return;
	f = fopen(PREEMPT_CONTROL, "w");
	if (f) {
		fputs(was, f);
		fclose(f);
	}
}

struct rt_waiter {
	int fd;
	int rounds;
	int woken;
};

static void *rt_wait_rounds(void *arg)
{
	struct rt_waiter *w = arg;
	struct sched_param sp = { .sched_priority = 50 };
	struct msgslot_message m;
	struct pollfd p = { .fd = w->fd, .events = POLLIN };

	pin_to_cpu(0);
	pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	while (w->woken < w->rounds) {
		double start = now_ms();

		if (poll(&p, 1, WAKE_MS) != 1 ||
		    !woken_in_time(start, WAKE_MS) ||
		    ioctl(w->fd, MSGSLOT_IOC_GET_MESSAGE, &m) < 0 ||
		    m.generation != (uint64_t)w->woken + 1)
			break;
		__atomic_store_n(&w->woken, w->woken + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

TEST(poll_wakes_to_the_new_message)
{
	char *path = fresh_node();
	struct rt_waiter w = { .fd = open_channel(path, O_RDONLY, 0),
			       .rounds = 20 };
	const char *was = full_preemption();
	int fd = open_channel(path, O_WRONLY, 0), i;
	pthread_t thread;
	double start;

	if (!was)
		SKIP(return, "the kernel cannot preempt a waker at once");
	ASSERT_GE(w.fd, 0);
	ASSERT_GE(fd, 0);
	/*
	 * The waiter is real-time and on the writer's CPU: woken, it runs
	 * before the write returns.  If the wake-up came before the new
	 * message was visible, it would find nothing new, sleep again and
	 * never be woken for this write.
	 */
	pin_to_cpu(0);
	ASSERT_EQ(pthread_create(&thread, NULL, rt_wait_rounds, &w), 0);
	usleep(20 * 1000);
	for (i = 0; i < w.rounds; i++) {
		ASSERT_RET(write_text(fd, "fresh"), 5);
		/* One write at a time: the waiter must take each. */
		start = now_ms();
		while (__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE) <= i &&
		       now_ms() - start < WAKE_MS)
			usleep(1000);
		if (__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE) <= i)
			break;
	}
	pthread_join(thread, NULL);
	restore_preemption(was);
	TH_LOG("%d of %d writes woke the waiter to the new message", w.woken,
	       w.rounds);
	EXPECT_EQ(w.woken, w.rounds);
}

/* A child that blocks in poll() on /dev/msgslot0 until killed. */
static pid_t start_poller(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int fd = open_channel(PRIMARY_NODE, O_RDONLY, 3);
		struct pollfd p = { .fd = fd, .events = POLLIN };

		close(ready[0]);
		if (fd < 0)
			_exit(1);
		while (readable(fd))
			ioctl(fd, MSGSLOT_IOC_GET_MESSAGE,
			      &(struct msgslot_message){});
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			poll(&p, 1, -1);
	}
	close(ready[1]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static bool module_loaded(void)
{
	return access("/sys/module/message_slot", F_OK) == 0;
}

TEST(rmmod_refused_while_poller_holds_device)
{
	pid_t poller = start_poller();

	ASSERT_GT(poller, 0);
	usleep(100 * 1000);
	EXPECT_NE(system("rmmod message_slot 2>/dev/null"), 0);
	EXPECT_TRUE(module_loaded());
	stop(poller);
	/* Leave the module loaded, as every case must. */
	if (!module_loaded())
		EXPECT_EQ(system("insmod " MODULE_PATH), 0);
}

TEST(load_unload_cycles_with_pollers)
{
	int cycle, i;

	for (cycle = 1; cycle <= 5; cycle++) {
		pid_t pollers[4];
		int w;

		if (!module_loaded())
			ASSERT_EQ(system("insmod " MODULE_PATH), 0);
		for (i = 0; i < 4; i++) {
			pollers[i] = start_poller();
			ASSERT_GT(pollers[i], 0);
		}
		w = open_channel(PRIMARY_NODE, O_WRONLY, 3);
		ASSERT_GE(w, 0);
		ASSERT_RET(write_text(w, "cycle"), 5);
		close(w);
		for (i = 0; i < 4; i++)
			stop(pollers[i]);
		ASSERT_EQ(system("rmmod message_slot"), 0);
	}
	ASSERT_EQ(system("insmod " MODULE_PATH), 0);
	TH_LOG("%d cycles of insmod, pollers, write, rmmod", cycle - 1);
}

/* ---- MSGSLOT_IOC_GET_MESSAGE and generations -------------------------- */

TEST32(message_struct_layout_same_for_32_and_64_bit)
{
	EXPECT_EQ(sizeof(struct msgslot_message), 152);
	EXPECT_EQ(offsetof(struct msgslot_message, generation), 0);
	EXPECT_EQ(offsetof(struct msgslot_message, time_ns), 8);
	EXPECT_EQ(offsetof(struct msgslot_message, channel), 16);
	EXPECT_EQ(offsetof(struct msgslot_message, length), 20);
	EXPECT_EQ(offsetof(struct msgslot_message, data), 24);
	EXPECT_EQ(_IOC_SIZE(MSGSLOT_IOC_GET_MESSAGE), 152);
}

TEST32(get_message_without_channel_einval)
{
	int fd = open(fresh_node(), O_RDONLY);
	struct msgslot_message m;

	ASSERT_GE(fd, 0);
	EXPECT_ERRNO(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), EINVAL);
}

TEST32(get_message_never_written_is_generation_0)
{
	int fd = open_channel(fresh_node(), O_RDONLY, 2);
	struct msgslot_message m, zero = { .channel = 2 };

	ASSERT_GE(fd, 0);
	memset(&m, 0xa5, sizeof(m));
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(memcmp(&m, &zero, sizeof(m)), 0);
}

TEST32(get_message_returns_message_and_metadata)
{
	int fd = open_channel(fresh_node(), O_RDWR, 1);
	struct msgslot_message m;
	struct timespec before, after;
	long long t0, t1;
	size_t i;

	ASSERT_GE(fd, 0);
	clock_gettime(CLOCK_REALTIME, &before);
	ASSERT_RET(write_text(fd, "hello"), 5);
	clock_gettime(CLOCK_REALTIME, &after);
	memset(&m, 0xa5, sizeof(m));
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(m.generation, 1);
	EXPECT_EQ(m.channel, 1);
	EXPECT_EQ(m.length, 5);
	EXPECT_EQ(memcmp(m.data, "hello", 5), 0);
	for (i = 5; i < MSGSLOT_MSG_LEN; i++)
		EXPECT_EQ(m.data[i], 0);
	/* The time is that of the write: between the clock before and after. */
	t0 = before.tv_sec * 1000000000LL + before.tv_nsec;
	t1 = after.tv_sec * 1000000000LL + after.tv_nsec;
	EXPECT_GE(m.time_ns, t0);
	EXPECT_LE(m.time_ns, t1);
}

TEST32(generation_counts_every_write)
{
	int fd = open_channel(fresh_node(), O_RDWR, 0), i;
	struct msgslot_message m;

	ASSERT_GE(fd, 0);
	for (i = 0; i < 1000; i++)
		ASSERT_RET(write(fd, &i, sizeof(i)), sizeof(i));
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(m.generation, 1000);
	EXPECT_EQ(m.length, sizeof(i));
}

TEST32(generation_is_per_channel)
{
	char *path = fresh_node();
	int a = open_channel(path, O_RDWR, 0), b = open_channel(path, O_RDWR, 3);
	struct msgslot_message m;

	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	ASSERT_RET(write_text(a, "a1"), 2);
	ASSERT_RET(write_text(a, "a2"), 2);
	ASSERT_RET(write_text(b, "b1"), 2);
	ASSERT_RET(ioctl(a, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(m.generation, 2);
	ASSERT_RET(ioctl(b, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(m.generation, 1);
}

TEST32(empty_write_is_length_0_and_counts)
{
	int fd = open_channel(fresh_node(), O_RDWR, 3);
	struct msgslot_message m;

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "something"), 9);
	ASSERT_RET(write(fd, "", 0), 0);
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(m.generation, 2);
	EXPECT_EQ(m.length, 0);
	EXPECT_EQ(m.data[0], 0);
	EXPECT_GT(m.time_ns, 0);
}

TEST32(long_write_stores_length_128)
{
	int fd = open_channel(fresh_node(), O_RDWR, 0);
	char big[300];
	struct msgslot_message m;

	ASSERT_GE(fd, 0);
	memset(big, 'x', sizeof(big));
	ASSERT_RET(write(fd, big, sizeof(big)), MSGSLOT_MSG_LEN);
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(m.length, MSGSLOT_MSG_LEN);
}

/* Addresses that copy_to_user() must refuse, each with its name. */
struct bad_pointer {
	const char *what;
	void *ptr;
};

static int bad_pointers(struct bad_pointer *bad)
{
	long page = sysconf(_SC_PAGESIZE);
	char *ro, *two;
	int n = 0;

	bad[n++] = (struct bad_pointer){ "NULL", NULL };
	two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (two == MAP_FAILED || ro == MAP_FAILED)
		abort();
	munmap(two + page, page);
	bad[n++] = (struct bad_pointer){ "unmapped", two + page };
	bad[n++] = (struct bad_pointer){ "read-only", ro };
	/* The struct's first bytes fit in the page, the rest do not. */
	bad[n++] = (struct bad_pointer){ "partly mapped", two + page - 64 };
	bad[n++] = (struct bad_pointer){ "kernel address",
		(void *)(sizeof(void *) == 8 ? (uintptr_t)0xffff888000000000ULL
					     : (uintptr_t)0xc0000000UL) };
	return n;
}

TEST32(get_message_bad_pointer_efault_nothing_seen)
{
	int fd = open_channel(fresh_node(), O_RDWR, 1), n, i;
	struct bad_pointer bad[8];

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "unseen"), 6);
	n = bad_pointers(bad);
	for (i = 0; i < n; i++) {
		TH_LOG("%s", bad[i].what);
		EXPECT_ERRNO(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, bad[i].ptr),
			     EFAULT);
		EXPECT_TRUE(readable(fd));
	}
}

TEST32(read_bad_buffer_efault_nothing_seen)
{
	int fd = open_channel(fresh_node(), O_RDWR, 2), n, i;
	struct bad_pointer bad[8];

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "unseen"), 6);
	n = bad_pointers(bad);
	for (i = 0; i < n; i++) {
		if (!strcmp(bad[i].what, "partly mapped"))
			continue;	/* read() may copy the mapped part */
		TH_LOG("%s", bad[i].what);
		EXPECT_ERRNO(read(fd, bad[i].ptr, MSGSLOT_MSG_LEN), EFAULT);
		EXPECT_TRUE(readable(fd));
	}
}

/*
 * Self-checking messages for the consistency case: a message of length L
 * (8..128) starts with the generation it is written as, 8 bytes, and goes
 * on with bytes of value L; so a message mixed from two writes, or with the
 * metadata of another write, shows as bytes that disagree with the length
 * or the generation the driver reports.  The writers take turns through a
 * lock they share, so that each knows the generation its write gets; they
 * still run on both CPUs against lockless readers.
 */
#define RUN_SECONDS	3

struct writers {
	pthread_mutex_t lock;
	uint64_t generation;	/* of the last write, under lock */
	uint64_t writes[2];
};

static bool message_consistent(const struct msgslot_message *m)
{
	uint64_t written_as;
	size_t i;

	if (m->generation == 0)
		return m->length == 0;
	if (m->length < sizeof(written_as) || m->length > MSGSLOT_MSG_LEN)
		return false;
	memcpy(&written_as, m->data, sizeof(written_as));
	if (written_as != m->generation)
		return false;
	for (i = sizeof(written_as); i < MSGSLOT_MSG_LEN; i++)
		if (m->data[i] != (i < m->length ? m->length : 0))
			return false;
	return true;
}

static void consistency_writer(const char *path, int id, struct writers *w)
{
	int fd = open_channel(path, O_WRONLY, 0);
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (id + 1);
	unsigned char buf[MSGSLOT_MSG_LEN];
	double until = now() + RUN_SECONDS;

	pin_to_cpu(id);
	if (fd < 0)
		_exit(1);
	while (now() < until) {
		size_t len = 8 + next_random(&seed) % (MSGSLOT_MSG_LEN - 7);
		uint64_t generation;

		pthread_mutex_lock(&w->lock);
		generation = w->generation + 1;
		memcpy(buf, &generation, sizeof(generation));
		memset(buf + sizeof(generation), (int)len,
		       len - sizeof(generation));
		if (write(fd, buf, len) != (ssize_t)len)
			_exit(1);
		w->generation = generation;
		w->writes[id]++;
		pthread_mutex_unlock(&w->lock);
	}
	_exit(0);
}

static void consistency_reader(const char *path, int cpu, int result)
{
	int fd = open_channel(path, O_RDONLY, 0);
	double until = now() + RUN_SECONDS;
	uint64_t counts[2] = { 0, 0 }, last = 0;	/* inconsistent, reads */
	struct msgslot_message m;

	pin_to_cpu(cpu);
	if (fd < 0)
		_exit(1);
	while (now() < until) {
		if (ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m) < 0)
			_exit(1);
		/* A later read never sees an earlier write. */
		if (!message_consistent(&m) || m.generation < last ||
		    m.channel != 0)
			counts[0]++;
		last = m.generation;
		counts[1]++;
	}
	/* One write of 16 bytes: whole, whatever the other reader does. */
	if (write(result, counts, sizeof(counts)) != sizeof(counts))
		_exit(1);
	_exit(0);
}

TEST32(get_message_consistent_under_2_writers_2_readers)
{
	char *path = fresh_node();
	uint64_t bad = 0, reads = 0, counts[2];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_mutexattr_t shared;
	struct msgslot_message m;
	struct writers *w;
	int result[2], i, fd;
	pid_t pids[4];

	if (cpus < 2)
		SKIP(return, "needs 2 CPUs, the guest has %ld", cpus);
	w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(w != MAP_FAILED);
	pthread_mutexattr_init(&shared);
	pthread_mutexattr_setpshared(&shared, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&w->lock, &shared);
	ASSERT_EQ(pipe(result), 0);
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (pids[i] == 0) {
			if (i < 2)
				consistency_writer(path, i, w);
			consistency_reader(path, i - 2, result[1]);
		}
	}
	for (i = 0; i < 4; i++)
		EXPECT_EQ(reap(pids[i]), 0);
	for (i = 0; i < 2; i++) {
		ASSERT_RET(read(result[0], counts, sizeof(counts)),
			   sizeof(counts));
		bad += counts[0];
		reads += counts[1];
	}
	fd = open_channel(path, O_RDONLY, 0);
	ASSERT_GE(fd, 0);
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	TH_LOG("%llu + %llu writes, %llu GET_MESSAGE reads, %llu inconsistent",
	       (unsigned long long)w->writes[0],
	       (unsigned long long)w->writes[1], (unsigned long long)reads,
	       (unsigned long long)bad);
	EXPECT_GT(w->writes[0], 0);
	EXPECT_GT(w->writes[1], 0);
	EXPECT_GT(reads, 0);
	EXPECT_EQ(bad, 0);
	/* Every write counted exactly once. */
	EXPECT_EQ(m.generation, w->writes[0] + w->writes[1]);
}

/*
 * Writers that do not take turns: the driver alone orders them, and the
 * generation must still count each write once.
 */
static void racing_writer(const char *path, int cpu, int result)
{
	int fd = open_channel(path, O_WRONLY, 1);
	double until = now() + RUN_SECONDS;
	uint64_t writes = 0;

	pin_to_cpu(cpu);
	if (fd < 0)
		_exit(1);
	while (now() < until) {
		if (write(fd, &writes, sizeof(writes)) != sizeof(writes))
			_exit(1);
		writes++;
	}
	if (write(result, &writes, sizeof(writes)) != sizeof(writes))
		_exit(1);
	_exit(0);
}

TEST32(generation_counts_racing_writes_exactly)
{
	char *path = fresh_node();
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t writes = 0, v;
	struct msgslot_message m;
	int result[2], i, fd;
	pid_t pids[2];

	if (cpus < 2)
		SKIP(return, "needs 2 CPUs, the guest has %ld", cpus);
	ASSERT_EQ(pipe(result), 0);
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (pids[i] == 0)
			racing_writer(path, i, result[1]);
	}
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(reap(pids[i]), 0);
		ASSERT_RET(read(result[0], &v, sizeof(v)), sizeof(v));
		writes += v;
	}
	fd = open_channel(path, O_RDONLY, 1);
	ASSERT_GE(fd, 0);
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	TH_LOG("%llu writes from 2 CPUs, generation %llu",
	       (unsigned long long)writes, (unsigned long long)m.generation);
	EXPECT_EQ(m.generation, writes);
}

TEST_HARNESS_MAIN
