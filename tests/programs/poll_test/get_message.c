// SPDX-License-Identifier: GPL-2.0-only
/*
 * poll_test: MSGSLOT_IOC_GET_MESSAGE and generations.
 */
#include "poll_test.h"


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
	int fd = open(poll_node(), O_RDONLY);
	struct msgslot_message m;

	ASSERT_GE(fd, 0);
	EXPECT_ERRNO(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), EINVAL);
}

TEST32(get_message_never_written_is_generation_0)
{
	int fd = open_channel(poll_node(), O_RDONLY, 2);
	struct msgslot_message m, zero = { .channel = 2 };

	ASSERT_GE(fd, 0);
	memset(&m, 0xa5, sizeof(m));
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(memcmp(&m, &zero, sizeof(m)), 0);
}

TEST32(get_message_returns_message_and_metadata)
{
	int fd = open_channel(poll_node(), O_RDWR, 1);
	struct msgslot_message m;
	struct timespec before, after;
	long long t0, t1;
	size_t i;

	ASSERT_GE(fd, 0);
	/* The driver reads the coarse clock, at most the fine one's time. */
	clock_gettime(CLOCK_REALTIME_COARSE, &before);
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
	int fd = open_channel(poll_node(), O_RDWR, 0), i;
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
	char *path = poll_node();
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
	int fd = open_channel(poll_node(), O_RDWR, 3);
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
	int fd = open_channel(poll_node(), O_RDWR, 0);
	char big[300];
	struct msgslot_message m;

	ASSERT_GE(fd, 0);
	memset(big, 'x', sizeof(big));
	ASSERT_RET(write(fd, big, sizeof(big)), MSGSLOT_MSG_LEN);
	ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m), 0);
	EXPECT_EQ(m.length, MSGSLOT_MSG_LEN);
}

TEST32(get_message_bad_pointer_efault_nothing_seen)
{
	int fd = open_channel(poll_node(), O_RDWR, 1), n, i;
	struct bad_buffer bad[MAX_BAD_BUFFERS];

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "unseen"), 6);
	n = bad_buffers(bad, true);
	for (i = 0; i < n; i++) {
		TH_LOG("%s", bad[i].what);
		EXPECT_ERRNO(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, bad[i].addr),
			     EFAULT);
		EXPECT_TRUE(readable(fd));
	}
}

TEST32(read_bad_buffer_efault_nothing_seen)
{
	int fd = open_channel(poll_node(), O_RDWR, 2), n, i;
	struct bad_buffer bad[MAX_BAD_BUFFERS];

	ASSERT_GE(fd, 0);
	ASSERT_RET(write_text(fd, "unseen"), 6);
	n = bad_buffers(bad, true);
	for (i = 0; i < n; i++) {
		if (!strncmp(bad[i].what, "partly mapped", 13))
			continue;	/* read() may copy the mapped part */
		TH_LOG("%s", bad[i].what);
		EXPECT_ERRNO(read(fd, bad[i].addr, MSGSLOT_MSG_LEN), EFAULT);
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
	char *path = poll_node();
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
	char *path = poll_node();
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
