/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * msgslot_map.h: read a message slot through a read-only mapping, without a
 * system call, as the vDSO reads the time.
 *
 *	int fd = open("/dev/msgslot0", O_RDONLY);
 *	const struct msgslot_map *map = msgslot_map(fd);
 *	struct msgslot_message msg;
 *
 *	msgslot_map_read(map, 2, &msg);		(channel 2's latest write)
 *
 * The driver updates each channel's record in place under a sequence count
 * (see message_slot(4)); msgslot_map_read() copies a record and keeps the
 * copy only if the count was the same even number before and after, so the
 * data, length, generation and time it returns are of one write.
 */
#ifndef MSGSLOT_MAP_H
#define MSGSLOT_MAP_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/message_slot.h>

/* Map the slot of @fd's minor, read-only; NULL with errno set on failure. */
static inline const struct msgslot_map *msgslot_map(int fd)
{
	void *p = mmap(NULL, sizeof(struct msgslot_map), PROT_READ, MAP_SHARED,
		       fd, 0);

	return p == MAP_FAILED ? NULL : (const struct msgslot_map *)p;
}

static inline int msgslot_unmap(const struct msgslot_map *map)
{
	return munmap((void *)map, sizeof(*map));
}

/*
 * Copy @channel's latest write into @msg (channel, generation, time, length,
 * data); 0, or -1 with errno EINVAL for a channel out of range.  Retries
 * while a write is in progress; after many tries it sleeps a little between
 * them, so that a writer it preempted (a sleeping lock on PREEMPT_RT) gets
 * to finish.
 */
static inline int msgslot_map_read(const struct msgslot_map *map,
				   unsigned int channel,
				   struct msgslot_message *msg)
{
	/* The record as 32-bit words, and the copy of them. */
	enum { WORDS = sizeof(struct msgslot_map_channel) / 4 };
	const uint32_t *rec;
	uint32_t copy[WORDS];
	struct msgslot_map_channel whole;
	unsigned int tries = 0, i;
	uint32_t seq;

	if (channel >= MSGSLOT_CHANNELS) {
		errno = EINVAL;
		return -1;
	}
	rec = (const uint32_t *)&map->channel[channel];
	for (;;) {
		/* seq is the record's first word. */
		seq = __atomic_load_n(&rec[0], __ATOMIC_ACQUIRE);
		if (!(seq & 1)) {
			/*
			 * Relaxed atomic loads, so that the race with a writer
			 * is one the language defines; the second look at seq
			 * throws away a copy that a writer got in the middle of.
			 */
			for (i = 0; i < WORDS; i++)
				copy[i] = __atomic_load_n(&rec[i],
							  __ATOMIC_RELAXED);
			/* The copy before the second look at seq. */
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			if (__atomic_load_n(&rec[0], __ATOMIC_RELAXED) == seq)
				break;
		}
		if (++tries > 100) {
			struct timespec pause = { 0, 1000 };

			nanosleep(&pause, NULL);
		}
	}
	memcpy(&whole, copy, sizeof(whole));
	msg->generation = whole.generation;
	msg->time_ns = whole.time_ns;
	msg->channel = channel;
	msg->length = whole.length;
	memcpy(msg->data, whole.data, sizeof(msg->data));
	return 0;
}

/*
 * Wait until @channel holds a write later than generation @after, up to
 * @timeout_ms (-1: no limit), and copy it into @msg: 1, 0 on timeout, -1
 * with errno set (EINTR from a signal, say).  @fd must be an open file of
 * the mapped slot with @channel set (MSGSLOT_IOC_SET_CHANNEL): poll() on
 * it wakes on a write.  The empty read() marks what the channel holds seen
 * by @fd, so that poll() waits only for what comes after; it comes before
 * the look at the map, so no write between the two is missed.
 */
static inline int msgslot_map_wait(int fd, const struct msgslot_map *map,
				   unsigned int channel, uint64_t after,
				   struct msgslot_message *msg, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ready;

	for (;;) {
		if (read(fd, NULL, 0) < 0)
			return -1;
		if (msgslot_map_read(map, channel, msg) < 0)
			return -1;
		if (msg->generation > after)
			return 1;
		ready = poll(&pfd, 1, timeout_ms);
		if (ready <= 0)
			return ready;
		if (pfd.revents & (POLLERR | POLLNVAL)) {
			errno = EINVAL;
			return -1;
		}
	}
}

#endif /* MSGSLOT_MAP_H */
