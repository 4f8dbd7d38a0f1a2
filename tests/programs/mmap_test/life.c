// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap_test: a mapping through fork, rmmod and reloads, and waiting for a
 * message through the map.
 */
#include "mmap_test.h"

TEST(fork_shares_the_mapping)
{
	char *path = mmap_node();
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
	char *path = mmap_node();
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

