// SPDX-License-Identifier: GPL-2.0-only
/*
 * poll_test: what poll(), select() and epoll report, and whom a write wakes.
 */
#include "poll_test.h"

/* ---- what poll() reports -------------------------------------------- */

TEST32(poll_never_written_channel_not_readable)
{
	int fd = open_channel(poll_node(), O_RDWR, 0);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(events_now(fd), POLLOUT);
}

TEST32(poll_retained_message_readable_at_once)
{
	char *path = poll_node();
	int w = open_channel(path, O_WRONLY, 1), r;

	ASSERT_GE(w, 0);
	ASSERT_RET(write_text(w, "retained"), 8);
	r = open_channel(path, O_RDONLY, 1);
	ASSERT_GE(r, 0);
	EXPECT_EQ(events_now(r), POLLIN | POLLOUT);
}

TEST32(poll_not_readable_after_read)
{
	int fd = open_channel(poll_node(), O_RDWR, 2);
	char buf[MSGSLOT_MSG_LEN];

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "once"), 4);
	ASSERT_TRUE(readable(fd));
	ASSERT_RET(read(fd, buf, sizeof(buf)), sizeof(buf));
	EXPECT_FALSE(readable(fd));
}

TEST32(poll_not_readable_after_short_read)
{
	int fd = open_channel(poll_node(), O_RDWR, 2);
	char c;

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "once"), 4);
	/* Any successful read marks the whole message seen. */
	ASSERT_RET(read(fd, &c, 1), 1);
	EXPECT_FALSE(readable(fd));
}

TEST32(poll_not_readable_after_get_message)
{
	int fd = open_channel(poll_node(), O_RDWR, 3);
	struct msgslot_message m;

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "once"), 4);
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_FALSE(readable(fd));
}

TEST32(poll_readable_again_after_set_channel_same)
{
	int fd = open_channel(poll_node(), O_RDWR, 0);
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
	char *path = poll_node();
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
	int fd = open_channel(poll_node(), O_RDWR, 1);

	ASSERT_GE(fd, 0);
	ASSERT_FALSE(readable(fd));
	ASSERT_RET(write_text(fd, "mine"), 4);
	EXPECT_TRUE(readable(fd));
}

TEST32(poll_without_channel_reports_error)
{
	int fd = open(poll_node(), O_RDWR);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	ASSERT_GE(fd, 0);
	/* POLLERR is reported whatever was asked for, and at once. */
	ASSERT_RET(poll(&p, 1, WAKE_MS), 1);
	EXPECT_EQ(p.revents, POLLERR);
	EXPECT_EQ(events_now(fd), POLLERR | POLLOUT);
}

TEST32(poll_always_writable)
{
	char *path = poll_node();
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
	int fd = open_channel(poll_node(), O_RDONLY, 0);

	ASSERT_GE(fd, 0);
	/* Without O_NONBLOCK, an empty channel still reads at once. */
	ASSERT_RET(read(fd, buf, sizeof(buf)), sizeof(buf));
	EXPECT_EQ(memcmp(buf, zeros, sizeof(buf)), 0);
}

/* ---- waking ------------------------------------------------------------ */

TEST(poll_wakes_on_write_from_other_cpu)
{
	char *path = poll_node();
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
	char *path = poll_node();
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
	char *path = poll_node();
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
	char *path = poll_node();
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
	int fd = open_channel(poll_node(), O_RDONLY, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	double start = now_ms();

	ASSERT_GE(fd, 0);
	EXPECT_RET(poll(&p, 1, QUIET_MS), 0);
	EXPECT_GE(now_ms() - start, QUIET_MS - 10);
}

TEST(write_to_other_minor_wakes_nobody)
{
	int fd = open_channel(poll_node(), O_RDONLY, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	pid_t writer;

	ASSERT_GE(fd, 0);
	writer = write_later(poll_node(), 0, "elsewhere", 50);
	EXPECT_RET(poll(&p, 1, QUIET_MS), 0);
	EXPECT_EQ(reap(writer), 0);
}

TEST(write_to_other_channel_leaves_waiter_unreadable)
{
	char *path = poll_node();
	int fd = open_channel(path, O_RDONLY, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	pid_t writer;

	ASSERT_GE(fd, 0);
	writer = write_later(path, 1, "next door", 50);
	EXPECT_RET(poll(&p, 1, QUIET_MS), 0);
	EXPECT_EQ(reap(writer), 0);
	EXPECT_FALSE(readable(fd));
}

