// SPDX-License-Identifier: GPL-2.0-only
/*
 * usercopy_faults: read, write and MSGSLOT_IOC_GET_MESSAGE when their copy
 * between the driver and user space fails, made to fail by the kernel's
 * fail_usercopy (CONFIG_FAULT_INJECTION_USERCOPY, the debug kernel) through
 * /proc/thread-self/fail-nth: aimed at this thread's next copy only.  Each
 * such call must return EFAULT, leave the stored message and its metadata
 * exactly as they were and mark nothing seen, and the same call without
 * injection must then work.  Each case prints how many calls it failed.
 * Runs in the test guest with message_slot loaded; SKIPs on a kernel
 * without fail_usercopy.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "harness.h"
#include "device.h"
#include "message_slot.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define VERBOSE		"/sys/kernel/debug/fail_usercopy/verbose"


static int channel_file(const char *path, unsigned long channel)
{
	return open_channel(path, O_RDWR, channel);
}

static bool write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

/*
 * fail_usercopy present, and quiet: at its default verbosity every
 * injected failure dumps a stack, which the suite counts as a kernel
 * error.  Returns why not, or NULL.
 */
static const char *fail_usercopy_ready(void)
{
	if (access(FAIL_NTH, W_OK) != 0)
		return "no " FAIL_NTH " (needs CONFIG_FAULT_INJECTION: the debug kernel)";
	if (access(VERBOSE, W_OK) != 0)
		return "no fail_usercopy (needs CONFIG_FAULT_INJECTION_USERCOPY: the debug kernel)";
	if (!write_file(VERBOSE, "0"))
		return "cannot quiet fail_usercopy";
	return NULL;
}

/*
 * This thread's fail-nth, open for good: opening and closing it between
 * arming and the call tested could reach another injection point first.
 */
static int fail_nth = -1;

static bool set_fail_nth(const char *value)
{
	if (fail_nth < 0)
		fail_nth = open(FAIL_NTH, O_RDWR);
	return fail_nth >= 0 &&
	       pwrite(fail_nth, value, strlen(value), 0) ==
	       (ssize_t)strlen(value);
}

/*
 * Make this thread's next fault injection point fail: in the calls tested
 * that is the user copy, as none of them allocates.
 */
static bool arm(void)
{
	return set_fail_nth("1");
}

/* Whether the failure armed last was injected (fail-nth reads 0). */
static bool injected(void)
{
	char buf[32] = "";

	if (pread(fail_nth, buf, sizeof(buf) - 1, 0) <= 0)
		return false;
	return strtol(buf, NULL, 10) == 0;
}

/* Disarm, in case the call never reached an injection point. */
static void disarm(void)
{
	set_fail_nth("0");
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static int get_message(int fd, struct msgslot_message *m)
{
	return ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, m);
}

/* Read: EFAULT, nothing seen, the message as it was; then it works. */
TEST(read_copy_fault_efault_nothing_seen)
{
	static const size_t counts[] = { 1, 5, 64, MSGSLOT_MSG_LEN, 300 };
	const char *why = fail_usercopy_ready();
	struct msgslot_message before, after;
	char buf[400];
	unsigned int i, failed = 0;
	char *path;
	int writer, reader, checker;

	if (why)
		SKIP(return, "%s", why);
	path = fresh_node(MINORS_USERCOPY_FAULTS);
	writer = channel_file(path, 1);
	reader = channel_file(path, 1);
	checker = channel_file(path, 1);
	ASSERT_GE(writer, 0);
	ASSERT_GE(reader, 0);
	ASSERT_GE(checker, 0);
	ASSERT_RET(write(writer, "hello", 5), 5);
	ASSERT_RET(get_message(checker, &before), 0);
	ASSERT_TRUE(readable(reader));

	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		memset(buf, 0x5a, sizeof(buf));
		ASSERT_TRUE(arm());
		EXPECT_ERRNO(read(reader, buf, counts[i]), EFAULT);
		if (!injected()) {
			disarm();
			TH_LOG("read of %zu: no failure was injected", counts[i]);
			_metadata->failed = true;
			continue;
		}
		failed++;
		/* Nothing copied, nothing marked seen, nothing changed. */
		EXPECT_EQ(buf[0], 0x5a);
		EXPECT_TRUE(readable(reader));
		ASSERT_RET(get_message(checker, &after), 0);
		EXPECT_TRUE(same_message(&before, &after));
	}
	/* Without injection, the same read works and marks it seen. */
	EXPECT_RET(read(reader, buf, sizeof(buf)), MSGSLOT_MSG_LEN);
	EXPECT_EQ(memcmp(buf, "hello", 6), 0);
	EXPECT_FALSE(readable(reader));
	TH_LOG("usercopy_faults: %u reads failed by fail_usercopy", failed);
	EXPECT_EQ(failed, sizeof(counts) / sizeof(counts[0]));
	close(writer);
	close(reader);
	close(checker);
}

/* GET_MESSAGE: EFAULT, nothing seen, nothing copied; then it works. */
TEST(get_message_copy_fault_efault_nothing_seen)
{
	const char *why = fail_usercopy_ready();
	struct msgslot_message before, after, m;
	unsigned int i, failed = 0;
	char *path;
	int writer, reader, checker;

	if (why)
		SKIP(return, "%s", why);
	path = fresh_node(MINORS_USERCOPY_FAULTS);
	writer = channel_file(path, 2);
	reader = channel_file(path, 2);
	checker = channel_file(path, 2);
	ASSERT_GE(writer, 0);
	ASSERT_GE(reader, 0);
	ASSERT_GE(checker, 0);
	ASSERT_RET(write(writer, "one", 3), 3);
	ASSERT_RET(write(writer, "two!", 4), 4);
	ASSERT_RET(get_message(checker, &before), 0);
	ASSERT_EQ(before.generation, 2);
	ASSERT_TRUE(readable(reader));

	for (i = 0; i < 4; i++) {
		memset(&m, 0x5a, sizeof(m));
		ASSERT_TRUE(arm());
		EXPECT_ERRNO(get_message(reader, &m), EFAULT);
		if (!injected()) {
			disarm();
			TH_LOG("GET_MESSAGE: no failure was injected");
			_metadata->failed = true;
			continue;
		}
		failed++;
		EXPECT_EQ(m.data[0], 0x5a);
		EXPECT_TRUE(readable(reader));
		ASSERT_RET(get_message(checker, &after), 0);
		EXPECT_TRUE(same_message(&before, &after));
	}
	EXPECT_RET(get_message(reader, &m), 0);
	EXPECT_TRUE(same_message(&before, &m));
	EXPECT_EQ(memcmp(m.data, "two!", 5), 0);
	EXPECT_FALSE(readable(reader));
	TH_LOG("usercopy_faults: %u GET_MESSAGE calls failed by fail_usercopy",
	       failed);
	EXPECT_EQ(failed, 4);
	close(writer);
	close(reader);
	close(checker);
}

/* Write: EFAULT, the stored message and its metadata as they were. */
TEST(write_copy_fault_efault_message_unchanged)
{
	static const size_t counts[] = { 1, 6, 100, MSGSLOT_MSG_LEN, 200 };
	const char *why = fail_usercopy_ready();
	struct msgslot_message before, after;
	char msg[200];
	unsigned int i, failed = 0;
	char *path;
	int writer, reader, checker;

	if (why)
		SKIP(return, "%s", why);
	path = fresh_node(MINORS_USERCOPY_FAULTS);
	writer = channel_file(path, 3);
	reader = channel_file(path, 3);
	checker = channel_file(path, 3);
	ASSERT_GE(writer, 0);
	ASSERT_GE(reader, 0);
	ASSERT_GE(checker, 0);
	ASSERT_RET(write(writer, "kept", 4), 4);
	ASSERT_RET(get_message(checker, &before), 0);
	/* The reader has seen it: a write that stored nothing must not wake. */
	ASSERT_RET(read(reader, msg, sizeof(msg)), MSGSLOT_MSG_LEN);
	ASSERT_FALSE(readable(reader));
	memset(msg, 'x', sizeof(msg));

	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		ASSERT_TRUE(arm());
		EXPECT_ERRNO(write(writer, msg, counts[i]), EFAULT);
		if (!injected()) {
			disarm();
			TH_LOG("write of %zu: no failure was injected", counts[i]);
			_metadata->failed = true;
			continue;
		}
		failed++;
		EXPECT_FALSE(readable(reader));
		ASSERT_RET(get_message(checker, &after), 0);
		EXPECT_TRUE(same_message(&before, &after));
	}
	/* Without injection, the write works: a new generation. */
	EXPECT_RET(write(writer, msg, 6), 6);
	EXPECT_TRUE(readable(reader));
	ASSERT_RET(get_message(checker, &after), 0);
	EXPECT_EQ(after.generation, before.generation + 1);
	EXPECT_EQ(after.length, 6);
	TH_LOG("usercopy_faults: %u writes failed by fail_usercopy", failed);
	EXPECT_EQ(failed, sizeof(counts) / sizeof(counts[0]));
	close(writer);
	close(reader);
	close(checker);
}

TEST_HARNESS_MAIN
