/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * poll_test: the rules of waiting for a message (poll, select, epoll), of
 * generations and of MSGSLOT_IOC_GET_MESSAGE, one case each, in three files:
 * readiness.c (what poll reports, and who wakes), wakers.c (many waiters,
 * closing, preemption, the module's life) and get_message.c.  It runs in
 * the test guest with message_slot loaded and /dev/msgslot0 present.  Every
 * case works on minors of its own, so no case sees another's messages.
 */
#ifndef POLL_TEST_H
#define POLL_TEST_H

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

#include "device.h"
#include "harness.h"

/* How long a waiter may take to wake: generous, TCG is slow. */
#define WAKE_MS		10000
/* How long a waiter that must not wake is watched. */
#define QUIET_MS	300

/* A node for a minor that no case of this program has used. */
#define poll_node()	fresh_node(MINORS_POLL_TEST)

/* The events poll() reports for @fd right now. */
short events_now(int fd);
bool readable(int fd);
/* Milliseconds on the monotonic clock. */
double now_ms(void);
/* Whether a waiter that started at @start_ms was woken, not timed out. */
bool woken_in_time(double start_ms, int timeout_ms);
/* A child that writes @text to @channel of @path after @delay_ms. */
pid_t write_later(const char *path, unsigned long channel, const char *text,
		  int delay_ms);

#endif /* POLL_TEST_H */
