// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap_test: whole records for readers of the map under writers.
 */
#include "mmap_test.h"

/* ---- concurrency ----------------------------------------------------- */

/*
 * Self-checking writes: a message of length L (1..128) is L bytes of value
 * L; a record mixed from two writes, or whose length is another write's,
 * shows bytes that disagree with its length.
 */
static bool record_whole(const struct msgslot_message *m)
{
	size_t i;

	if (m->generation == 0)
		return m->length == 0;
	if (m->length < 1 || m->length > MSGSLOT_MSG_LEN)
		return false;
	for (i = 0; i < MSGSLOT_MSG_LEN; i++)
		if (m->data[i] != (i < m->length ? m->length : 0))
			return false;
	return true;
}

struct counts {
	uint64_t writes, reads, torn, backwards;
};

/* Write self-checking messages to channel 0 of @path until @until. */
static void writer(const char *path, int cpu, double until, int result)
{
	int fd = open_channel(path, O_WRONLY, 0);
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (cpu + 7 + getpid());
	unsigned char buf[MSGSLOT_MSG_LEN];
	struct counts c = { 0 };

	pin_to_cpu(cpu);
	if (fd < 0)
		_exit(1);
	while (now() < until) {
		size_t len = 1 + next_random(&seed) % MSGSLOT_MSG_LEN;

		memset(buf, (int)len, len);
		if (write(fd, buf, len) != (ssize_t)len)
			_exit(1);
		c.writes++;
	}
	_exit(write(result, &c, sizeof(c)) != sizeof(c));
}

/*
 * Read channel 0 of @path until @until: through the map, or with read()
 * until @map_at, then through a mapping made then.
 */
static void reader(const char *path, int cpu, double until, double map_at,
		   int result)
{
	int fd = open_channel(path, O_RDONLY, 0);
	const struct msgslot_map *map = NULL;
	struct msgslot_message m;
	struct counts c = { 0 };
	uint64_t last = 0;

	pin_to_cpu(cpu);
	if (fd < 0)
		_exit(1);
	while (now() < until) {
		if (!map && now() >= map_at) {
			map = msgslot_map(fd);
			if (!map)
				_exit(1);
		}
		if (map) {
			msgslot_map_read(map, 0, &m);
			if (m.generation < last)
				c.backwards++;
			last = m.generation;
		} else {
			memset(&m, 0, sizeof(m));
			if (read(fd, m.data, MSGSLOT_MSG_LEN) < 0)
				_exit(1);
			m.length = strnlen((char *)m.data, MSGSLOT_MSG_LEN);
			m.generation = m.length != 0;
		}
		c.torn += !record_whole(&m);
		c.reads++;
	}
	_exit(write(result, &c, sizeof(c)) != sizeof(c));
}

/*
 * Writers on CPU 0 (2 of them), readers on CPU 1: through the map from the
 * start, or by read() until the slot is mapped for the first time half-way.
 */
static bool mix(const char *path, double seconds, double map_after,
		struct counts *total, uint64_t *generation)
{
	double start = now(), until = start + seconds;
	struct msgslot_message m;
	struct counts c;
	int result[2], i, fd, failed = 0;
	pid_t pids[4];

	memset(total, 0, sizeof(*total));
	if (pipe(result) < 0)
		return false;
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return false;
		if (pids[i] == 0) {
			if (i < 2)
				writer(path, 0, until, result[1]);
			reader(path, 1, until, start + map_after, result[1]);
		}
	}
	for (i = 0; i < 4; i++) {
		failed += reap(pids[i]) != 0;
		if (read(result[0], &c, sizeof(c)) != sizeof(c))
			return false;
		total->writes += c.writes;
		total->reads += c.reads;
		total->torn += c.torn;
		total->backwards += c.backwards;
	}
	close(result[0]);
	close(result[1]);
	fd = open_channel(path, O_RDONLY, 0);
	if (fd < 0 || ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &m) < 0)
		return false;
	close(fd);
	*generation = m.generation;
	return !failed;
}

TEST32(map_readers_see_whole_writes_under_2_writers)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct counts c;
	uint64_t generation;

	if (cpus < 2)
		SKIP(return, "needs 2 CPUs, the guest has %ld", cpus);
	ASSERT_TRUE(mix(mmap_node(), RUN_SECONDS, 0, &c, &generation));
	TH_LOG("%llu writes on CPU 0, %llu reads through the map on CPU 1: "
	       "%llu torn, %llu going back",
	       (unsigned long long)c.writes, (unsigned long long)c.reads,
	       (unsigned long long)c.torn, (unsigned long long)c.backwards);
	EXPECT_GT(c.writes, 0);
	EXPECT_GT(c.reads, 0);
	EXPECT_EQ(c.torn, 0);
	EXPECT_EQ(c.backwards, 0);
	EXPECT_EQ(generation, c.writes);
}

/*
 * The move of a slot's records into its page happens once per slot: many
 * short rounds, each on a fresh slot mapped for the first time half-way,
 * give a write many chances to fall into it.
 */
#define MOVE_ROUNDS	12

TEST32(first_map_mid_stress_tears_and_loses_nothing)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct counts c, all = { 0 };
	uint64_t generation;
	int round, lost_in = 0;

	if (cpus < 2)
		SKIP(return, "needs 2 CPUs, the guest has %ld", cpus);
	for (round = 0; round < MOVE_ROUNDS; round++) {
		/* read() first, the slot's first mapping half-way through. */
		ASSERT_TRUE(mix(mmap_node(), 0.4, 0.2, &c, &generation));
		/* Every write counted, none lost in the move to the page. */
		lost_in += generation != c.writes;
		all.writes += c.writes;
		all.reads += c.reads;
		all.torn += c.torn;
		all.backwards += c.backwards;
	}
	TH_LOG("%d slots mapped mid-stress: %llu writes, %llu reads (read() "
	       "then the map), %llu torn, %llu going back; %d lost a write",
	       MOVE_ROUNDS, (unsigned long long)all.writes,
	       (unsigned long long)all.reads, (unsigned long long)all.torn,
	       (unsigned long long)all.backwards, lost_in);
	EXPECT_GT(all.writes, 0);
	EXPECT_EQ(all.torn, 0);
	EXPECT_EQ(all.backwards, 0);
	EXPECT_EQ(lost_in, 0);
}

TEST_HARNESS_MAIN
