// SPDX-License-Identifier: GPL-2.0-only
/*
 * poll_test: many waiters, a file closed while polled, a waker preempted
 * by its waiter, and the module's life with pollers.
 */
#include "poll_test.h"

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
	char *path = poll_node();
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
	char *path = poll_node();
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
	char *path = poll_node();
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
	char *path = poll_node();
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
