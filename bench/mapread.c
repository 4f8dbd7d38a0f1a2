// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading a slot through its read-only mapping (msgslot_map.h) against the
 * system calls that read the same message, read() and GET_MESSAGE, and
 * against the limit: the same seqcount-checked copy from a private buffer
 * that nobody writes.  On 1 .. -j threads, and with a writer on another
 * CPU rewriting the message all the while.
 */
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <msgslot_map.h>

/* Where the loops put what they read, so that no read is optimized out. */
static volatile uint64_t sink;

static void map_slot(struct bench *b, struct fixture *f)
{
	f->rd = open_channel(node(b, NODE_SHARED), 0);
	f->map = (void *)msgslot_map(f->rd);
	if (!f->map)
		die("mmap %s: %s", node(b, NODE_SHARED), strerror(errno));
	f->map_len = sizeof(struct msgslot_map);
}

/*
 * A writer on the CPU after @thread's, rewriting channel 0 until the
 * fixture's teardown kills it; only for the first thread, so that one
 * writer runs whatever the thread count.
 */
static void start_writer(struct bench *b, struct fixture *f, int thread)
{
	int fd;

	if (thread != 0)
		return;
	fd = open_channel(node(b, NODE_SHARED), 0);
	f->partner = fork();
	if (f->partner < 0)
		die("fork: %s", strerror(errno));
	if (f->partner == 0) {
		pin(b->cpus[1 % b->ncpus]);
		for (;;)
			check_io(write(fd, f->buf, LEN), LEN, "msgslot write");
	}
	close(fd);
}

void setup_map(struct bench *b, struct fixture *f, int thread)
{
	(void)thread;
	map_slot(b, f);
	check_io(write(f->rd, f->buf, LEN), LEN, "msgslot write");
}

void setup_map_writer(struct bench *b, struct fixture *f, int thread)
{
	setup_map(b, f, thread);
	start_writer(b, f, thread);
}

void setup_slot_writer(struct bench *b, struct fixture *f, int thread)
{
	setup_one_slot(b, f, thread);
	start_writer(b, f, thread);
}

/* A private copy of a written record: the limit nobody writes. */
void setup_map_limit(struct bench *b, struct fixture *f, int thread)
{
	struct msgslot_map *map;

	(void)b, (void)thread;
	f->map_len = sizeof(*map);
	map = mmap(NULL, f->map_len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	map->channel[0].seq = 2;
	map->channel[0].length = LEN;
	map->channel[0].generation = 1;
	memcpy(map->channel[0].data, f->buf, LEN);
	f->map = map;
}

void loop_map_read(struct fixture *f, long n)
{
	struct msgslot_message m;

	for (long i = 0; i < n; i++) {
		msgslot_map_read(f->map, 0, &m);
		sink = m.generation + m.data[LEN - 1];
	}
}

void loop_get_message(struct fixture *f, long n)
{
	struct msgslot_message m;

	for (long i = 0; i < n; i++) {
		if (ioctl(f->rd, MSGSLOT_IOC_GET_MESSAGE, &m) < 0)
			die("MSGSLOT_IOC_GET_MESSAGE: %s", strerror(errno));
		sink = m.generation;
	}
}

/*
 * Readers through the map scale like the limit, which shares nothing:
 * their 2-thread speedup over the limit's (1: as well as can be).
 */
double map_scaling_vs_limit(const struct bench *b)
{
	int map = row_index("map"), limit = row_index("map-limit");

	if (map < 0 || limit < 0 || !b->measured[SEC_MAP] ||
	    b->levels[SEC_MAP] < 2)
		return NAN;
	return (b->fig[map][1].s.median / b->fig[map][0].s.median) /
	       (b->fig[limit][1].s.median / b->fig[limit][0].s.median);
}
