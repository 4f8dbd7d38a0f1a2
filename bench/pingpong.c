// SPDX-License-Identifier: GPL-2.0-only
/*
 * Wake-up latency: a ping-pong between two processes, this one (A) pinned to
 * the first CPU and a partner (B) to the second.  A sends on the first
 * channel and waits on the second; B waits on the first, takes the message
 * and answers on the second.  One round is two wake-ups.  The same over a
 * message slot (channels 0 and 1 of one slot), two pipes, two eventfds and
 * a futex pair, waiting in poll, in epoll_wait or in the call itself.
 */
#include "bench.h"

#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

enum transport { T_MSGSLOT, T_PIPE, T_EVENTFD, T_FUTEX };
enum waiting { W_POLL, W_EPOLL, W_BLOCK };

struct pingpong {
	enum transport transport;
	enum waiting waiting;
	bool get_message;	/* msgslot: MSGSLOT_IOC_GET_MESSAGE, not read */
	int slot;		/* msgslot: which of the ping-pong minors */
};

const struct pingpong pp_msgslot_poll = { T_MSGSLOT, W_POLL, false, 0 };
const struct pingpong pp_msgslot_epoll = { T_MSGSLOT, W_EPOLL, false, 1 };
const struct pingpong pp_msgslot_poll_get = { T_MSGSLOT, W_POLL, true, 2 };
const struct pingpong pp_pipe_poll = { T_PIPE, W_POLL, false, 0 };
const struct pingpong pp_pipe_epoll = { T_PIPE, W_EPOLL, false, 0 };
const struct pingpong pp_eventfd_poll = { T_EVENTFD, W_POLL, false, 0 };
const struct pingpong pp_eventfd_read = { T_EVENTFD, W_BLOCK, false, 0 };
const struct pingpong pp_futex = { T_FUTEX, W_BLOCK, false, 0 };

/* One side of a ping-pong: send on wr, wait on wait, take from rd. */
struct side {
	int wr, rd, wait;
	char buf[LEN];
};

static void wait_readable(const struct pingpong *pp, const struct side *s)
{
	struct pollfd p = { .fd = s->wait, .events = POLLIN };
	struct epoll_event ev;
	int n;

	switch (pp->waiting) {
	case W_POLL:
		do
			n = poll(&p, 1, -1);
		while (n < 0 && errno == EINTR);
		if (n != 1 || !(p.revents & POLLIN))
			die("ping-pong poll: %d, revents %#x: %s", n,
			    (unsigned int)p.revents,
			    n < 0 ? strerror(errno) : "not readable");
		break;
	case W_EPOLL:
		do
			n = epoll_wait(s->wait, &ev, 1, -1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			die("ping-pong epoll_wait: %d: %s", n,
			    n < 0 ? strerror(errno) : "no event");
		break;
	case W_BLOCK:
		break;
	}
}

static void take(const struct pingpong *pp, struct side *s)
{
	struct msgslot_message m;
	uint64_t count;

	switch (pp->transport) {
	case T_MSGSLOT:
		if (!pp->get_message) {
			check_io(read(s->rd, s->buf, LEN), LEN, "msgslot read");
		} else if (ioctl(s->rd, MSGSLOT_IOC_GET_MESSAGE, &m) < 0) {
			die("MSGSLOT_IOC_GET_MESSAGE: %s", strerror(errno));
		} else if (m.length != LEN) {
			die("MSGSLOT_IOC_GET_MESSAGE: length %u", m.length);
		}
		break;
	case T_PIPE:
		check_io(read(s->rd, s->buf, LEN), LEN, "pipe read");
		break;
	case T_EVENTFD:
		check_io(read(s->rd, &count, sizeof(count)), sizeof(count),
			 "eventfd read");
		break;
	case T_FUTEX:
		break;
	}
}

static void send_one(const struct pingpong *pp, struct side *s)
{
	uint64_t one = 1;

	if (pp->transport == T_EVENTFD)
		check_io(write(s->wr, &one, sizeof(one)), sizeof(one),
			 "eventfd write");
	else
		check_io(write(s->wr, s->buf, LEN), LEN, "ping-pong write");
}

static long futex(unsigned int *word, int op, unsigned int val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* Set @word to @val and wake its waiter: the futex's send. */
static void futex_post(unsigned int *word, unsigned int val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	futex(word, FUTEX_WAKE, 1);
}

/* Wait until @word is no longer @old; returns its new value. */
static unsigned int futex_await(unsigned int *word, unsigned int old)
{
	unsigned int v;

	while ((v = __atomic_load_n(word, __ATOMIC_ACQUIRE)) == old)
		if (futex(word, FUTEX_WAIT, old) < 0 && errno != EAGAIN &&
		    errno != EINTR)
			die("FUTEX_WAIT: %s", strerror(errno));
	return v;
}

/* The waiting of @pp on @fd: @fd itself, or an epoll set holding it. */
static int waiter_of(const struct pingpong *pp, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep;

	if (pp->waiting != W_EPOLL)
		return fd;
	ep = epoll_create1(0);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll: %s", strerror(errno));
	return ep;
}

/* Read what a fresh msgslot file would report as new, so it waits. */
static void drain(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[LEN];

	if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN))
		check_io(read(fd, buf, LEN), LEN, "msgslot read");
}

/* B: answer every message, for ever; the measuring side kills it. */
static void __attribute__((noreturn))
partner(struct bench *b, const struct pingpong *pp, struct side *s,
	unsigned int *futex_pair, const char *slot)
{
	unsigned int last = 0;

	pin(b->cpus[b->ncpus > 1 ? 1 : 0]);
	if (pp->transport == T_FUTEX) {
		for (;;) {
			last = futex_await(&futex_pair[0], last);
			futex_post(&futex_pair[1], last);
		}
	}
	if (pp->transport == T_MSGSLOT) {
		s->rd = open_channel(slot, 0);
		s->wr = open_channel(slot, 1);
		/* Channel 0's message of an earlier run is not one to answer. */
		drain(s->rd);
		/* A waits for this one before it starts: B is ready. */
		send_one(pp, s);
	}
	s->wait = waiter_of(pp, s->rd);
	for (;;) {
		wait_readable(pp, s);
		take(pp, s);
		send_one(pp, s);
	}
}

static void partner_died(int sig)
{
	static const char msg[] = "bench: a ping-pong partner died\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

/* A's ends in @f; B, forked, keeps the others. */
void setup_pingpong(struct bench *b, struct fixture *f, int thread)
{
	const struct pingpong *pp = f->arg;
	const char *slot = NULL;
	struct side s = { -1, -1, -1, { 0 } };
	int to_b[2] = { -1, -1 }, to_a[2] = { -1, -1 };

	(void)thread;
	memset(s.buf, 'p', sizeof(s.buf));
	switch (pp->transport) {
	case T_MSGSLOT:
		slot = node(b, NODE_PINGPONG(pp->slot));
		f->wr = open_channel(slot, 0);
		f->rd = open_channel(slot, 1);
		drain(f->rd);
		break;
	case T_PIPE:
		if (pipe(to_b) < 0 || pipe(to_a) < 0)
			die("pipe: %s", strerror(errno));
		f->wr = to_b[1];
		f->rd = to_a[0];
		s.rd = to_b[0];
		s.wr = to_a[1];
		break;
	case T_EVENTFD:
		f->wr = s.rd = eventfd(0, 0);
		f->rd = s.wr = eventfd(0, 0);
		if (f->wr < 0 || f->rd < 0)
			die("eventfd: %s", strerror(errno));
		break;
	case T_FUTEX:
		f->map_len = 2 * sizeof(unsigned int);
		f->map = mmap(NULL, f->map_len, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (f->map == MAP_FAILED)
			die("mmap: %s", strerror(errno));
		break;
	}

	signal(SIGCHLD, partner_died);
	fflush(NULL);
	f->partner = fork();
	if (f->partner < 0)
		die("fork: %s", strerror(errno));
	if (f->partner == 0)
		partner(b, pp, &s, f->map, slot);
	if (pp->transport == T_PIPE) {
		close(s.rd);
		close(s.wr);
	}
	f->wait = waiter_of(pp, f->rd);
	if (pp->transport == T_MSGSLOT) {
		struct side a = { f->wr, f->rd, f->wait, { 0 } };

		wait_readable(pp, &a);
		take(pp, &a);
	}
}

void loop_pingpong(struct fixture *f, long n)
{
	const struct pingpong *pp = f->arg;
	struct side a = { f->wr, f->rd, f->wait, { 0 } };
	unsigned int *futex_pair = f->map, seq;

	memcpy(a.buf, f->buf, LEN);
	for (long i = 0; i < n; i++) {
		if (pp->transport == T_FUTEX) {
			seq = __atomic_load_n(&futex_pair[0],
					      __ATOMIC_RELAXED);
			futex_post(&futex_pair[0], seq + 1);
			futex_await(&futex_pair[1], seq);
			continue;
		}
		send_one(pp, &a);
		wait_readable(pp, &a);
		take(pp, &a);
	}
}
