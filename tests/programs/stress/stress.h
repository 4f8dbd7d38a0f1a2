/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stress: hammer message slots from many processes and threads at once and
 * check every message read for tearing.  It runs in the test guest with
 * message_slot loaded and /dev/msgslot0 present:
 *
 *   stress [--seconds S] [--minors N] [--first-minor M]
 *          [--processes-per-cpu P] [--threads T]
 *
 * (and the harness's --list and case name: harness.h).
 *
 * P processes per online CPU (default 2), each of T threads (default 2),
 * first open all the minors together, one at a time, so that first opens
 * race: N minors from M (default 32 from the first of stress's row of
 * minors.h; M must be the first of a row) and 128 more after them.  Then
 * they open, set channels, write, read, poll and get messages with their
 * metadata (MSGSLOT_IOC_GET_MESSAGE) and close on the N minors until S
 * seconds (default 12) have passed since the start.  Each minor must have
 * cost one slot at most.  Every message written checks itself: it names
 * its length, minor, channel, writer and sequence number, carries a body
 * derived from them and ends in a checksum, then the driver's zero fill.
 * Every whole read must be such a message for that very minor and channel,
 * or all zeros; GET_MESSAGE's length must be the message's own, its
 * generation never go back on one file; a file that poll() calls readable
 * must get a later generation than it has seen; every call must return
 * what the interface promises.  "# " lines tell the operations done, path
 * by path, and the violations found.
 *
 * A second case, stress_threads_share_files, runs for half the time with
 * one thread per CPU (and one more) all working on the same four files (of
 * the 2 minors after the 128), so that SET_CHANNEL on a file meets another
 * CPU's read, write, GET_MESSAGE and poll of that very file.
 *
 * stress.c has the workers and the main case, shared.c the second case,
 * wait.c the operations of waiting (poll, GET_MESSAGE), message.c the
 * self-checking messages.
 */
#ifndef STRESS_H
#define STRESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "harness.h"
#include "message.h"

#define MAX_FDS		4
#define MAX_THREADS	16
/* Minors after those of the traffic, only for racing first opens. */
#define RACE_MINORS	128
/* Minors after those, for stress_threads_share_files alone. */
#define SHARED_MINORS	2
/* The nodes of the minors stress uses, nodes[0] to nodes[STRESS_NODES - 1]. */
#define STRESS_NODES	(opt.minors + RACE_MINORS + SHARED_MINORS)

struct options {
	double seconds;
	unsigned int minors, per_cpu, threads;
	enum minor_range range;
};

/* The operations done, path by path, and what they found. */
struct counts {
	unsigned long opens, closes, ioctls, writes, reads;
	unsigned long whole_reads, zero_reads, foreign_reads, einval;
	unsigned long polls, readable, get_messages, new_generations;
	unsigned long torn, errors;
};

struct open_file {
	int fd;
	unsigned int minor;		/* index into nodes */
	int channel;			/* -1: none set */
	/* Seen by the file at least: the last generation GET_MESSAGE gave. */
	uint64_t seen;
};

struct worker {
	unsigned int id;		/* writer id: process * MAX_THREADS + thread */
	uint64_t rng;
	struct open_file files[MAX_FDS];
	int nfiles;
	struct counts n;
};

extern struct options opt;
extern char **nodes;			/* the node of each minor */

/* A random number below @n. */
unsigned int pick(struct worker *w, unsigned int n);
/* Keep the first violation found, of all workers, to report it. */
void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Without a channel, read, write and GET_MESSAGE fail with EINVAL. */
void expect_einval(struct worker *w, struct open_file *f, ssize_t ret,
		   const char *call);

/* The nodes and the memory the workers share: each case calls it first. */
void stress_begin(void);
/* The first violation found by any worker, or "". */
const char *stress_first_violation(void);
/* Add a worker's @n to the totals of all, stress_counts(). */
void add_counts(const struct counts *n);
const struct counts *stress_counts(void);

/* wait.c */
void do_get_message(struct worker *w, struct open_file *f);
void do_poll(struct worker *w, struct open_file *f);

#endif /* STRESS_H */
