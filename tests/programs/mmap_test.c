// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap_test: the rules of the read-only mapping of a slot (mmap, the record
 * protocol, msgslot_map.h's reader), one case each.  It runs in the test
 * guest with message_slot loaded; every case works on minors of its own.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "guest.h"
#include "msgslot_map.h"

#define NODE_DIR	"/tmp/mmap_test"
#define FIRST_MINOR	800000
#define MINOR_COUNTER	NODE_DIR "/next-minor"
#define MODULE_PATH	"/lib/message_slot.ko"
#define RUN_SECONDS	3

static unsigned int next_minor(void)
{
	unsigned int minor = FIRST_MINOR;
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
	return minor;
}

/* A node @name for @minor. */
static char *node_for(unsigned int minor, const char *name)
{
	char *path;

	if (asprintf(&path, NODE_DIR "/%s%u", name, minor) < 0)
		abort();
	make_node("mmap_test", NODE_DIR, path, primary_major("mmap_test"),
		  minor);
	return path;
}

/* A node for a minor that no case of this program has used. */
static char *fresh_node(void)
{
	return node_for(next_minor(), "m");
}

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

/* Write @text to @channel of @path through a file of its own. */
static bool send_text(const char *path, unsigned long channel,
		      const char *text)
{
	int fd = open_channel(path, O_WRONLY, channel);
	bool ok = fd >= 0 && write_text(fd, text) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

/* The mapping of @path's slot, through a file that is closed again. */
static const struct msgslot_map *map_path(const char *path)
{
	const struct msgslot_map *map;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	map = msgslot_map(fd);
	close(fd);
	return map;
}

static void *map_raw(const char *path, int oflags, size_t len, int prot,
		     int flags, off_t offset)
{
	int fd = open(path, oflags);
	void *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, len, prot, flags, fd, offset);
	close(fd);
	return p;
}

static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static bool module_loaded(void)
{
	return access("/sys/module/message_slot", F_OK) == 0;
}

static bool same_message(const struct msgslot_message *a,
			 const struct msgslot_message *b)
{
	return a->generation == b->generation && a->time_ns == b->time_ns &&
	       a->channel == b->channel && a->length == b->length &&
	       !memcmp(a->data, b->data, MSGSLOT_MSG_LEN);
}

/* ---- layout ----------------------------------------------------------- */

TEST32(map_layout_same_for_32_and_64_bit)
{
	EXPECT_EQ(sizeof(struct msgslot_map_channel), 152);
	EXPECT_EQ(offsetof(struct msgslot_map_channel, seq), 0);
	EXPECT_EQ(offsetof(struct msgslot_map_channel, length), 4);
	EXPECT_EQ(offsetof(struct msgslot_map_channel, generation), 8);
	EXPECT_EQ(offsetof(struct msgslot_map_channel, time_ns), 16);
	EXPECT_EQ(offsetof(struct msgslot_map_channel, data), 24);
	EXPECT_EQ(sizeof(struct msgslot_map), 4 * 152);
	EXPECT_EQ(offsetof(struct msgslot_map, channel[3]), 3 * 152);
}

/* ---- what the map shows ----------------------------------------------- */

TEST32(map_read_matches_get_message_every_channel)
{
	char *path = fresh_node();
	const struct msgslot_map *map;
	struct msgslot_message via_map, via_ioctl;
	unsigned int ch;

	ASSERT_TRUE(send_text(path, 0, "zero"));
	ASSERT_TRUE(send_text(path, 2, "two, first"));
	ASSERT_TRUE(send_text(path, 2, "two"));
	map = map_path(path);
	ASSERT_TRUE(map != NULL);
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		int fd = open_channel(path, O_RDONLY, ch);

		ASSERT_GE(fd, 0);
		ASSERT_RET(ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &via_ioctl), 0);
		ASSERT_RET(msgslot_map_read(map, ch, &via_map), 0);
		TH_LOG("channel %u: generation %llu, length %u", ch,
		       (unsigned long long)via_map.generation, via_map.length);
		EXPECT_TRUE(same_message(&via_map, &via_ioctl));
		close(fd);
	}
	EXPECT_EQ(map->channel[2].generation, 2);
	EXPECT_EQ(map->channel[1].generation, 0);
	EXPECT_EQ(memcmp(map->channel[2].data, "two\0", 4), 0);
}

TEST32(map_shows_write_made_after_mapping)
{
	char *path = fresh_node();
	const struct msgslot_map *map = map_path(path);
	struct msgslot_message m;

	ASSERT_TRUE(map != NULL);
	ASSERT_RET(msgslot_map_read(map, 1, &m), 0);
	EXPECT_EQ(m.generation, 0);
	ASSERT_TRUE(send_text(path, 1, "later"));
	ASSERT_RET(msgslot_map_read(map, 1, &m), 0);
	EXPECT_EQ(m.generation, 1);
	EXPECT_EQ(m.length, 5);
	EXPECT_EQ(memcmp(m.data, "later", 6), 0);
	EXPECT_GT(m.time_ns, 0);
}

TEST32(map_needs_no_channel)
{
	char *path = fresh_node();
	int fd = open(path, O_RDONLY);
	const struct msgslot_map *map;

	ASSERT_GE(fd, 0);
	map = msgslot_map(fd);
	EXPECT_TRUE(map != NULL);
	if (map)
		EXPECT_EQ(msgslot_unmap(map), 0);
	close(fd);
}

TEST32(map_read_channel_out_of_range_einval)
{
	const struct msgslot_map *map = map_path(fresh_node());
	struct msgslot_message m;

	ASSERT_TRUE(map != NULL);
	EXPECT_ERRNO(msgslot_map_read(map, MSGSLOT_CHANNELS, &m), EINVAL);
}

TEST32(fresh_page_holds_only_zeros_and_records)
{
	char *path = fresh_node();
	const unsigned char *page;
	long size = sysconf(_SC_PAGESIZE), i, nonzero = 0;

	ASSERT_TRUE(send_text(path, 1, "one"));
	page = map_raw(path, O_RDONLY, size, PROT_READ, MAP_SHARED, 0);
	ASSERT_TRUE(page != MAP_FAILED && page != NULL);
	/* Past the four records, and in the three never written. */
	for (i = sizeof(struct msgslot_map); i < size; i++)
		nonzero += page[i] != 0;
	for (i = 0; i < (long)sizeof(struct msgslot_map_channel); i++) {
		nonzero += page[i] != 0;
		nonzero += page[2 * 152 + i] != 0;
		nonzero += page[3 * 152 + i] != 0;
	}
	TH_LOG("%ld nonzero bytes outside channel 1's record", nonzero);
	EXPECT_EQ(nonzero, 0);
	EXPECT_EQ(memcmp(page + 152 + 24, "one", 4), 0);
}

TEST32(map_shows_nothing_of_other_minor)
{
	char *a = fresh_node(), *b = fresh_node();
	const struct msgslot_map *map = map_path(a);
	const char *secret = "only-for-minor-b";
	struct msgslot_message m;
	unsigned int ch;

	ASSERT_TRUE(map != NULL);
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++)
		ASSERT_TRUE(send_text(b, ch, secret));
	for (ch = 0; ch < MSGSLOT_CHANNELS; ch++) {
		ASSERT_RET(msgslot_map_read(map, ch, &m), 0);
		EXPECT_EQ(m.generation, 0);
	}
	EXPECT_TRUE(memmem(map, sysconf(_SC_PAGESIZE), secret,
			   strlen(secret)) == NULL);
}

TEST32(two_nodes_of_one_minor_map_the_same_page)
{
	unsigned int minor = next_minor();
	char *first = node_for(minor, "a"), *second = node_for(minor, "b");
	const struct msgslot_map *one = map_path(first);
	const struct msgslot_map *two = map_path(second);
	struct msgslot_message m1, m2;

	ASSERT_TRUE(one != NULL && two != NULL);
	ASSERT_TRUE(send_text(first, 3, "shared"));
	ASSERT_RET(msgslot_map_read(one, 3, &m1), 0);
	ASSERT_RET(msgslot_map_read(two, 3, &m2), 0);
	EXPECT_EQ(m2.generation, 1);
	EXPECT_TRUE(same_message(&m1, &m2));
}

/* ---- what mmap refuses ----------------------------------------------- */

TEST32(map_writable_refused_eperm)
{
	char *path = fresh_node();

	EXPECT_ERRNO(map_raw(path, O_RDWR, 4096, PROT_READ | PROT_WRITE,
			     MAP_SHARED, 0), EPERM);
	EXPECT_ERRNO(map_raw(path, O_RDWR, 4096, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE, 0), EPERM);
}

TEST32(map_writable_of_read_only_file_eacces)
{
	EXPECT_ERRNO(map_raw(fresh_node(), O_RDONLY, 4096,
			     PROT_READ | PROT_WRITE, MAP_SHARED, 0), EACCES);
}

TEST32(map_executable_refused_eperm)
{
	EXPECT_ERRNO(map_raw(fresh_node(), O_RDONLY, 4096,
			     PROT_READ | PROT_EXEC, MAP_SHARED, 0), EPERM);
}

TEST32(map_offset_or_oversize_einval)
{
	char *path = fresh_node();
	long size = sysconf(_SC_PAGESIZE);

	EXPECT_ERRNO(map_raw(path, O_RDONLY, size, PROT_READ, MAP_SHARED,
			     size), EINVAL);
	EXPECT_ERRNO(map_raw(path, O_RDONLY, 2 * size, PROT_READ, MAP_SHARED,
			     0), EINVAL);
}

TEST32(mprotect_to_writable_or_executable_eacces)
{
	char *path = fresh_node();
	long size = sysconf(_SC_PAGESIZE);
	void *shared = map_raw(path, O_RDWR, size, PROT_READ, MAP_SHARED, 0);
	void *private = map_raw(path, O_RDWR, size, PROT_READ, MAP_PRIVATE, 0);

	ASSERT_TRUE(shared != MAP_FAILED && private != MAP_FAILED);
	EXPECT_ERRNO(mprotect(shared, size, PROT_READ | PROT_WRITE), EACCES);
	EXPECT_ERRNO(mprotect(shared, size, PROT_READ | PROT_EXEC), EACCES);
	EXPECT_ERRNO(mprotect(private, size, PROT_READ | PROT_WRITE), EACCES);
}

/* The signal a child that touches @addr dies of: 0 if it lives. */
static int touch_in_child(volatile unsigned char *addr, bool write)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		_exit(0);
	}
	status = reap(pid);
	return status >= 128 ? status - 128 : -status;
}

TEST32(write_through_map_is_sigsegv)
{
	char *path = fresh_node();
	unsigned char *map = (unsigned char *)map_path(path);
	struct msgslot_message m;

	ASSERT_TRUE(map != NULL);
	ASSERT_TRUE(send_text(path, 0, "kept"));
	EXPECT_EQ(touch_in_child(map + 24, true), SIGSEGV);
	ASSERT_RET(msgslot_map_read((void *)map, 0, &m), 0);
	EXPECT_EQ(memcmp(m.data, "kept", 5), 0);
}

TEST32(read_past_mapping_is_sigsegv)
{
	long size = sysconf(_SC_PAGESIZE);
	unsigned char *area, *map;
	int fd = open(fresh_node(), O_RDONLY);

	ASSERT_GE(fd, 0);
	/* Two pages of nothing, the slot mapped over the first. */
	area = mmap(NULL, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_TRUE(area != MAP_FAILED);
	map = mmap(area, sizeof(struct msgslot_map), PROT_READ,
		   MAP_SHARED | MAP_FIXED, fd, 0);
	ASSERT_TRUE(map == area);
	EXPECT_EQ(touch_in_child(map + size - 1, false), 0);
	EXPECT_EQ(touch_in_child(map + size, false), SIGSEGV);
	close(fd);
}

/* ---- how long a mapping lives ----------------------------------------- */

TEST32(map_outlives_close)
{
	char *path = fresh_node();
	const struct msgslot_map *map = map_path(path);	/* file closed */
	struct msgslot_message m;

	ASSERT_TRUE(map != NULL);
	ASSERT_TRUE(send_text(path, 2, "after close"));
	ASSERT_RET(msgslot_map_read(map, 2, &m), 0);
	EXPECT_EQ(memcmp(m.data, "after close", 12), 0);
}

TEST(fork_shares_the_mapping)
{
	char *path = fresh_node();
	const struct msgslot_map *map = map_path(path);
	int go[2];
	pid_t pid;

	ASSERT_TRUE(map != NULL);
	ASSERT_EQ(pipe(go), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct msgslot_message m;
		char c;

		/* The parent writes after the fork: the child sees it. */
		if (read(go[0], &c, 1) != 1 || msgslot_map_read(map, 0, &m))
			_exit(2);
		_exit(m.generation == 1 && !strcmp((char *)m.data, "parent") ?
		      0 : 1);
	}
	ASSERT_TRUE(send_text(path, 0, "parent"));
	ASSERT_RET(write(go[1], "g", 1), 1);
	EXPECT_EQ(reap(pid), 0);
}

TEST(rmmod_refused_while_mapped_accepted_after_munmap)
{
	const struct msgslot_map *map = map_path(PRIMARY_NODE);

	ASSERT_TRUE(map != NULL);
	/* No file open, only the mapping. */
	EXPECT_NE(system("rmmod message_slot 2>/dev/null"), 0);
	EXPECT_TRUE(module_loaded());
	ASSERT_EQ(msgslot_unmap(map), 0);
	EXPECT_EQ(system("rmmod message_slot"), 0);
	EXPECT_FALSE(module_loaded());
	if (!module_loaded())
		ASSERT_EQ(system("insmod " MODULE_PATH), 0);
}

TEST(load_unload_cycles_with_mappings)
{
	struct msgslot_message m;
	int cycle;

	for (cycle = 1; cycle <= 5; cycle++) {
		const struct msgslot_map *map;

		if (!module_loaded())
			ASSERT_EQ(system("insmod " MODULE_PATH), 0);
		map = map_path(PRIMARY_NODE);
		ASSERT_TRUE(map != NULL);
		ASSERT_RET(msgslot_map_read(map, 1, &m), 0);
		/* rmmod took the last cycle's slot and page with it. */
		EXPECT_EQ(m.generation, 0);
		ASSERT_TRUE(send_text(PRIMARY_NODE, 1, "cycle"));
		ASSERT_RET(msgslot_map_read(map, 1, &m), 0);
		EXPECT_EQ(m.generation, 1);
		ASSERT_EQ(msgslot_unmap(map), 0);
		ASSERT_EQ(system("rmmod message_slot"), 0);
	}
	ASSERT_EQ(system("insmod " MODULE_PATH), 0);
	TH_LOG("%d cycles of insmod, mmap, write, munmap, rmmod", cycle - 1);
}

/* ---- waiting through the map ------------------------------------------ */

TEST(map_wait_returns_the_next_write)
{
	char *path = fresh_node();
	int fd = open_channel(path, O_RDONLY, 1);
	const struct msgslot_map *map;
	struct msgslot_message m;
	pid_t pid;

	ASSERT_GE(fd, 0);
	map = msgslot_map(fd);
	ASSERT_TRUE(map != NULL);
	ASSERT_TRUE(send_text(path, 1, "first"));
	/* What the channel holds already counts. */
	ASSERT_RET(msgslot_map_wait(fd, map, 1, 0, &m, 0), 1);
	EXPECT_EQ(m.generation, 1);
	/* Nothing newer: a timeout. */
	EXPECT_RET(msgslot_map_wait(fd, map, 1, 1, &m, 200), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pin_to_cpu(1);
		usleep(200 * 1000);
		_exit(!send_text(path, 1, "second"));
	}
	ASSERT_RET(msgslot_map_wait(fd, map, 1, 1, &m, 10000), 1);
	EXPECT_EQ(m.generation, 2);
	EXPECT_EQ(memcmp(m.data, "second", 7), 0);
	EXPECT_EQ(reap(pid), 0);
}

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
	ASSERT_TRUE(mix(fresh_node(), RUN_SECONDS, 0, &c, &generation));
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
		ASSERT_TRUE(mix(fresh_node(), 0.4, 0.2, &c, &generation));
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
