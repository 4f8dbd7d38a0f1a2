// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one table of the benchmark: its sections, their rows and the goals.
 * The table, the JSON and the plot data are all printed from here, so a
 * new row is one entry below (and, if it is a new kind of work, a setup and
 * a loop function).  Row names are unique: the JSON and the tests find a
 * row by its name.  A new section is an entry of enum section_id (its
 * place there is when it runs) and one below: LEVEL_ONE, one thread, ns an
 * iteration; LEVEL_THREADS, 1 .. -j threads each running the loop, calls
 * per second.
 */
#include "bench.h"

#include <string.h>

const struct section sections[SECTIONS] = {
	[SEC_ROUND_TRIP] = {
		"round_trip", "Round trip of one message, one thread", false,
		LEVEL_ONE, {
			{ "vs_pipe", "vs pipe", VS_ROW, "pipe" },
			{ "vs_floor", "vs floor", VS_ROW, "floor" },
		},
		"(vs: time relative to the pipe's and to the floor's; "
		"below 1 is faster)",
	},
	[SEC_CALLS] = {
		"calls", "Single calls, one thread", false, LEVEL_ONE, {
			{ "vs_bare", "vs bare", VS_ROW, "getppid" },
		},
		NULL,
	},
	[SEC_WAKEUP] = {
		"wakeup", "Wake-up ping-pong, one process on each of 2 CPUs: "
		"a round is 2 wake-ups", false, LEVEL_ONE, {
			{ "vs_pipe_poll", "vs pipe", VS_ROW, "pipe-poll" },
			{ "vs_pipe_epoll", "vs epipe", VS_ROW, "pipe-epoll" },
		},
		"(ns a round; vs pipe: relative to the pipe's with poll, "
		"vs epipe: with epoll)",
		/* A round takes milliseconds under QEMU: more of them a run. */
		4,
	},
	[SEC_SCALING] = {
		"scaling", "Thread scaling, 128-byte calls per second (k/s) "
		"and speedup vs 1 thread", true, LEVEL_THREADS, {
			{ "speedup", "speedup", VS_FIRST_LEVEL, NULL },
		},
		"(the control shares nothing in any driver: it shows how far "
		"this machine let\n  any system call scale in this run)",
		2,
	},
	[SEC_MAP] = {
		"mapping", "Reading 128 bytes through the map vs system calls, "
		"calls per second (k/s)", true, LEVEL_THREADS, {
			{ "vs_read", "vs read()", VS_ROW, "map-syscall-read" },
			{ "vs_limit", "vs limit", VS_ROW, "map-limit" },
		},
		"(vs: rate relative to read()'s and to the limit's, at the same "
		"thread count;\n  the writer rows have a writer on another CPU "
		"rewriting the message)",
		2,
	},
	[SEC_OPEN] = {
		"open_close", "open + close, ns, and vs 1 slot", false,
		LEVEL_SLOTS, {
			{ "vs_1_slot", "vs 1 slot", VS_ROW_VS_FIRST, "devnull" },
		},
		"(vs 1 slot: each relative to /dev/null's open + close "
		"measured alongside,\n  which the machine's drift between the "
		"sections does not skew)",
	},
};

const struct row rows[] = {
	{ SEC_ROUND_TRIP, "msgslot", "msgslot: write + read, one open file",
	  "msgslot", setup_slot, loop_write_read, NULL },
	{ SEC_ROUND_TRIP, "pipe", "pipe: write + read", "pipe", setup_pipe,
	  loop_write_read, NULL },
	{ SEC_ROUND_TRIP, "mq", "POSIX mq: mq_send + mq_receive", "POSIX mq",
	  setup_mq, loop_mq, NULL },
	{ SEC_ROUND_TRIP, "unix", "UNIX dgram socketpair: send + recv",
	  "UNIX dgram", setup_unix, loop_send_recv, NULL },
	{ SEC_ROUND_TRIP, "floor", "floor: write /dev/null + read /dev/zero",
	  "floor", setup_null_zero, loop_write_read, NULL },

	{ SEC_CALLS, "msgslot-write", "msgslot write of 128 bytes", NULL,
	  setup_slot, loop_write, NULL },
	{ SEC_CALLS, "msgslot-read", "msgslot read of 128 bytes", NULL,
	  setup_slot, loop_read, NULL },
	{ SEC_CALLS, "null-write", "write of 128 bytes to /dev/null", NULL,
	  setup_null_zero, loop_write, NULL },
	{ SEC_CALLS, "zero-read", "read of 128 bytes from /dev/zero", NULL,
	  setup_null_zero, loop_read, NULL },
	{ SEC_CALLS, "getppid", "getppid (the bare system call)", NULL,
	  NULL, loop_getppid, NULL },

	{ SEC_WAKEUP, "msgslot-poll", "msgslot: poll + read", "msgslot poll",
	  setup_pingpong, loop_pingpong, &pp_msgslot_poll },
	{ SEC_WAKEUP, "msgslot-epoll", "msgslot: epoll_wait + read",
	  "msgslot epoll", setup_pingpong, loop_pingpong, &pp_msgslot_epoll },
	{ SEC_WAKEUP, "msgslot-poll-get-message",
	  "msgslot: poll + GET_MESSAGE", "msgslot ioctl", setup_pingpong,
	  loop_pingpong, &pp_msgslot_poll_get },
	{ SEC_WAKEUP, "pipe-poll", "pipe: poll + read", "pipe poll",
	  setup_pingpong, loop_pingpong, &pp_pipe_poll },
	{ SEC_WAKEUP, "pipe-epoll", "pipe: epoll_wait + read", "pipe epoll",
	  setup_pingpong, loop_pingpong, &pp_pipe_epoll },
	{ SEC_WAKEUP, "eventfd-poll", "eventfd: poll + read", "eventfd poll",
	  setup_pingpong, loop_pingpong, &pp_eventfd_poll },
	{ SEC_WAKEUP, "eventfd-read", "eventfd: blocking read",
	  "eventfd read", setup_pingpong, loop_pingpong, &pp_eventfd_read },
	{ SEC_WAKEUP, "futex", "futex pair: FUTEX_WAIT + FUTEX_WAKE", "futex",
	  setup_pingpong, loop_pingpong, &pp_futex },

	{ SEC_SCALING, "separate-minors", "readers, each on its own minor",
	  "readers, own minors", setup_own_minor, loop_read, NULL },
	{ SEC_SCALING, "one-slot-readers",
	  "readers, all on one channel of one slot", "readers, one slot",
	  setup_one_slot, loop_read, NULL },
	{ SEC_SCALING, "one-slot-mixed",
	  "one channel, each thread 3 reads : 1 write",
	  "one slot, 1 write : 3 reads", setup_one_slot, loop_read_3_write_1,
	  NULL },
	{ SEC_SCALING, "control-dev-zero",
	  "control: readers of /dev/zero, own files",
	  "control: /dev/zero readers", setup_dev_zero, loop_read, NULL },

	{ SEC_MAP, "map", "msgslot_map_read() through the map",
	  "map read", setup_map, loop_map_read, NULL },
	{ SEC_MAP, "map-syscall-read", "read() of the same message",
	  "read()", setup_one_slot, loop_read, NULL },
	{ SEC_MAP, "map-get-message", "MSGSLOT_IOC_GET_MESSAGE",
	  "GET_MESSAGE", setup_one_slot, loop_get_message, NULL },
	{ SEC_MAP, "map-limit", "limit: the same copy from a private buffer",
	  "limit", setup_map_limit, loop_map_read, NULL },
	{ SEC_MAP, "map-writer", "through the map, with a writer",
	  "map read, writer", setup_map_writer, loop_map_read, NULL },
	{ SEC_MAP, "map-syscall-read-writer", "read(), with a writer",
	  "read(), writer", setup_slot_writer, loop_read, NULL },

	{ SEC_OPEN, "device", "open + close of the device", NULL,
	  setup_open_device, loop_open_close, NULL },
	{ SEC_OPEN, "devnull", "open + close of /dev/null", NULL,
	  setup_open_null, loop_open_close, NULL },
};

const int row_count = sizeof(rows) / sizeof(rows[0]);
_Static_assert(sizeof(rows) / sizeof(rows[0]) <= MAX_ROWS, "MAX_ROWS rows");

const struct goal goals[] = {
	{ "rt-vs-pipe", "msgslot round trip faster than the pipe's by",
	  "msgslot", "vs_pipe", 0, true, NULL, 1.5, true, "x" },
	{ "rt-vs-floor", "msgslot round trip within the floor's",
	  "msgslot", "vs_floor", 0, false, NULL, 1.3, false, "x" },
	{ "memory-per-slot", "memory per slot, allocator and XArray included",
	  NULL, NULL, 0, false, memory_per_slot, 640, false, " bytes" },
	{ "open-at-scale", "open + close with the most slots, vs with 1 slot",
	  "device", "vs_1_slot", -1, false, NULL, 1.2, false, "x" },
	{ "scale-separate", "readers on separate minors, 2 threads vs 1",
	  "separate-minors", "speedup", 2, false, NULL, 1.6, true, "x" },
	{ "scale-one-slot", "readers on one slot, 2 threads vs 1 (no collapse)",
	  "one-slot-readers", "speedup", 2, false, NULL, 1.0, true, "x" },
	{ "map-vs-read", "a read through the map faster than read() by",
	  "map", "vs_read", 0, false, NULL, 5, true, "x" },
	{ "map-vs-limit", "a read through the map within the limit's",
	  "map", "vs_limit", 0, true, NULL, 1.5, false, "x" },
	{ "map-scaling", "map readers' 2-thread speedup, vs the limit's",
	  NULL, NULL, 0, false, map_scaling_vs_limit, 0.9, true, "x" },
	{ "wakeup-poll-vs-pipe", "msgslot ping-pong with poll, vs the pipe's",
	  "msgslot-poll", "vs_pipe_poll", 0, false, NULL, 1.1, false, "x" },
	{ "wakeup-epoll-vs-pipe", "msgslot ping-pong with epoll, vs the pipe's",
	  "msgslot-epoll", "vs_pipe_epoll", 0, false, NULL, 1.1, false, "x" },
};

const int goal_count = sizeof(goals) / sizeof(goals[0]);

/* The index of the row named @name, or -1. */
int row_index(const char *name)
{
	for (int i = 0; i < row_count; i++)
		if (!strcmp(rows[i].name, name))
			return i;
	return -1;
}
