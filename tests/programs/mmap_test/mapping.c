// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap_test: the layout, what the map shows, what mmap and mprotect
 * refuse, and the faults of a read-only mapping.
 */
#include "mmap_test.h"

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
	char *path = mmap_node();
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
	char *path = mmap_node();
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
	char *path = mmap_node();
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
	const struct msgslot_map *map = map_path(mmap_node());
	struct msgslot_message m;

	ASSERT_TRUE(map != NULL);
	EXPECT_ERRNO(msgslot_map_read(map, MSGSLOT_CHANNELS, &m), EINVAL);
}

TEST32(fresh_page_holds_only_zeros_and_records)
{
	char *path = mmap_node();
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
	char *a = mmap_node(), *b = mmap_node();
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
	unsigned int minor = range_minor(MINORS_MMAP_TEST,
					  fresh_index(MINORS_MMAP_TEST));
	char *first = tagged_node(MINORS_MMAP_TEST, minor, "a"), *second = tagged_node(MINORS_MMAP_TEST, minor, "b");
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
	char *path = mmap_node();

	EXPECT_ERRNO(map_raw(path, O_RDWR, 4096, PROT_READ | PROT_WRITE,
			     MAP_SHARED, 0), EPERM);
	EXPECT_ERRNO(map_raw(path, O_RDWR, 4096, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE, 0), EPERM);
}

TEST32(map_writable_of_read_only_file_eacces)
{
	EXPECT_ERRNO(map_raw(mmap_node(), O_RDONLY, 4096,
			     PROT_READ | PROT_WRITE, MAP_SHARED, 0), EACCES);
}

TEST32(map_executable_refused_eperm)
{
	EXPECT_ERRNO(map_raw(mmap_node(), O_RDONLY, 4096,
			     PROT_READ | PROT_EXEC, MAP_SHARED, 0), EPERM);
}

TEST32(map_offset_or_oversize_einval)
{
	char *path = mmap_node();
	long size = sysconf(_SC_PAGESIZE);

	EXPECT_ERRNO(map_raw(path, O_RDONLY, size, PROT_READ, MAP_SHARED,
			     size), EINVAL);
	EXPECT_ERRNO(map_raw(path, O_RDONLY, 2 * size, PROT_READ, MAP_SHARED,
			     0), EINVAL);
}

TEST32(mprotect_to_writable_or_executable_eacces)
{
	char *path = mmap_node();
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
	char *path = mmap_node();
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
	int fd = open(mmap_node(), O_RDONLY);

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
	char *path = mmap_node();
	const struct msgslot_map *map = map_path(path);	/* file closed */
	struct msgslot_message m;

	ASSERT_TRUE(map != NULL);
	ASSERT_TRUE(send_text(path, 2, "after close"));
	ASSERT_RET(msgslot_map_read(map, 2, &m), 0);
	EXPECT_EQ(memcmp(m.data, "after close", 12), 0);
}

