// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the cases of poll_test share: looking at poll(), the clock, writers
 * in children.
 */
#include "poll_test.h"

/* The events poll() reports for @fd right now. */
short events_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

bool readable(int fd)
{
	return events_now(fd) & POLLIN;
}

/* Milliseconds on the monotonic clock. */
double now_ms(void)
{
	return now() * 1000;
}

/*
 * poll() and select() look once more when their timeout expires, so a
 * waiter that was never woken still returns the right answer, only late:
 * being woken means returning well before the timeout.
 */
bool woken_in_time(double start_ms, int timeout_ms)
{
	return now_ms() - start_ms < timeout_ms - 1000;
}

/*
 * In a child pinned to the other CPU: sleep @delay_ms, then write @text to
 * channel @channel of @path.  Returns the child's pid.
 */
pid_t write_later(const char *path, unsigned long channel,
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

