/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz: a seeded random sequence of system calls on message slots, each
 * result checked against a model of what the interface promises
 * (module/message_slot.h, the README's "The device interface").  It runs
 * in the test guest with message_slot loaded and /dev/msgslot0 present:
 *
 *   fuzz [--seed N] [--iterations M] [--seconds S] [--first-minor F]
 *
 * (and the harness's --list and case name: harness.h).  F must be the
 * first minor of a row of minors.h; by default, fuzz's row.
 *
 * One iteration is one operation: open (of several nodes of several minors,
 * two nodes sharing a minor), dup, close, the channel ioctl with channels in
 * and out of range, random other ioctl commands, read and write of random
 * sizes to and from valid, read-only, PROT_NONE, unmapped and partly mapped
 * buffers, NULL, kernel and non-canonical addresses, lseek, pread and pwrite,
 * and replacing buffer pages so that the next copy faults them in.  The model
 * holds every channel's 128 bytes and every open file's channel, and
 * predicts each return value, errno, stored message and byte read.
 *
 * The sequence depends on the seed alone, so a failure reproduces with the
 * command that the last "# " line prints; the time limit (default 12 s
 * unless --iterations is given) only cuts it short.  The first divergence
 * from the model is printed with the operations before it.
 *
 * model.c holds the model, the buffer arena and the reporting; ops.c the
 * operations, each checked against the model; wait.c those of waiting
 * (poll, MSGSLOT_IOC_GET_MESSAGE and the generations each file has seen);
 * main.c the options and the case.
 */
#ifndef FUZZ_H
#define FUZZ_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "device.h"
#include "harness.h"

#define CHANNELS	MSGSLOT_CHANNELS
#define MINORS		4
#define MAX_FDS		16
#define MAX_FILES	MAX_FDS
#define HISTORY		16
#define DESCRIPTION	240
/* The whole model is read back and compared this often. */
#define VERIFY_EVERY	512
/* Never open: a descriptor that read, write and ioctl must call bad. */
#define STALE_FD	900

/* The pages of the buffer arena, as mapped. */
enum page_kind { RW, RO, NONE, HOLE };
#define ARENA_PAGES	9
extern const enum page_kind layout[ARENA_PAGES];

/* Device nodes: one per minor, and a second one for two of them. */
struct node {
	const char *name;
	unsigned int minor;		/* index into the fuzzed minors */
};

#define NODES	6
extern const struct node node_table[NODES];

struct options {
	uint64_t seed;
	unsigned long iterations;
	double seconds;
	enum minor_range range;
};

/* An open file description; several descriptors may share one (dup). */
struct file {
	unsigned int node;
	int accmode;			/* O_RDONLY, O_WRONLY or O_RDWR */
	int channel;			/* -1: none set */
	int refs;
	uint64_t seen;			/* the generation it last read */
};

struct descriptor {
	int fd;
	int file;
};

/* A user buffer: where it points and what kind of address that is. */
enum buffer_kind { ARENA, NULL_POINTER, LOW, KERNEL, NONCANONICAL };

struct buffer {
	enum buffer_kind kind;
	uintptr_t addr;
};

struct outcome {
	long ret;
	int err;
};


/* What was done, and what failed as the model predicted. */
struct counts {
	unsigned long opens, dups, closes, channel_set, channel_refused;
	unsigned long enotty, writes, reads, stored, read_ok, efault;
	unsigned long einval, ebadf, espipe, discards, verifies;
	unsigned long polls, readable, get_messages, got, bad_polls;
};

extern struct options opt;
extern uint64_t rng;
extern unsigned long iteration;
/* The iterations that reproduce what happens now (not so in the last check). */
extern unsigned long reproduce_with;
extern char *paths[NODES];

/*
 * The model: each channel's message, its length and generation (writes so
 * far), each file's channel and the generation it has seen.
 */
extern unsigned char model[MINORS][CHANNELS][MSG_LEN];
extern unsigned int length[MINORS][CHANNELS];
extern uint64_t generation[MINORS][CHANNELS];
extern struct file files[MAX_FILES];
extern struct descriptor fds[MAX_FDS];
extern int nfds;

extern unsigned char *arena, *shadow;
extern size_t page;

extern char history[HISTORY][DESCRIPTION];
extern char *op;			/* this iteration's history entry */
extern struct counts tally;

extern const char *const kind_name[];
extern const char *const accmode_name[];

static inline struct outcome success(long ret)
{
	return (struct outcome){ ret, 0 };
}

static inline struct outcome failure(int err)
{
	return (struct outcome){ -1, err };
}

#define CALL(call) ({						\
		errno = 0;					\
		long ret_ = (long)(call);			\
		(struct outcome){ ret_, ret_ < 0 ? errno : 0 };	\
	})

/* model.c: the random sequence, the history, the reports */
uint64_t random_u64(void);

/*
 * @addr, an address no user buffer may have, as this program's pointers
 * hold it: a 32-bit pointer keeps the low half only, a user address, so on
 * a 32-bit kernel (3G/1G split) it goes to the kernel's top gigabyte.
 */
static inline uint64_t not_for_user(uint64_t addr)
{
	return sizeof(void *) < 8 ? 0xc0000000 | (addr & 0x3fffffff) : addr;
}
unsigned long pick(unsigned long bound);
bool one_in(unsigned long chance);
void describe(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *errname(int err);
void reproduce_line(unsigned long iterations);
void diverged(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void broken(const char *what) __attribute__((noreturn));
/* Compare one call's outcome with the model's. */
void expect(struct outcome got, struct outcome want);

/* model.c: the buffer arena */
void setup_arena(void);
void check_holes(void);
bool range_ok(struct buffer b, size_t len, bool to_user);
bool access_ok(struct buffer b);
/* A user buffer for a copy of @size bytes, good or bad. */
struct buffer pick_buffer(size_t size);
size_t pick_count(void);
void compare_arena(void);

/* model.c: the model's files */
void describe_fd(int d);
unsigned char *message_of(struct file *f);
uint64_t *generation_of(struct file *f);
int new_descriptor(int fd, int file);
int pick_fd(int accmode);
int fd_of(int d);

/* ops.c */
/* Count a failure the model predicted, by its errno. */
void count_outcome(struct outcome o);
void verify_all(void);

/* wait.c */
void learn_generations(void);
void check_get_message(int fd, unsigned int m, unsigned int ch);
void do_get_message(void);
void do_poll(void);
void step(void);

#endif /* FUZZ_H */
