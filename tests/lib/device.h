/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the guest test programs share about the device: its nodes, the
 * minors each program may use (minors.h), opening a channel, the module's
 * slab cache, bad user buffers; and a clock, a CPU pin and a random number
 * generator.  Failures to set up (no device, no node) end the case through
 * the harness.
 */
#ifndef MSGSLOT_DEVICE_H
#define MSGSLOT_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "message_slot.h"
#include "minors.h"

#define MSG_LEN		MSGSLOT_MSG_LEN

/* The node the module's class creates for minor 0. */
#define PRIMARY_NODE	"/dev/msgslot0"
#define MAX_MINOR	((1U << 20) - 1)
#define MODULE_PATH	"/lib/message_slot.ko"

/* The module's own slab cache: one object a slot. */
#define SLAB_DIR	"/sys/kernel/slab/message_slot"
#define SLAB_OBJECTS	SLAB_DIR "/objects"

/* The module's major, from PRIMARY_NODE. */
unsigned int primary_major(void);
/* The node of the @i-th minor of @range (made if need be): a path of its own. */
char *range_node(enum minor_range range, unsigned int i);
/* The first minor of @range that no case of this boot has used yet. */
unsigned int fresh_index(enum minor_range range);
/* range_node(range, fresh_index(range)) */
char *fresh_node(enum minor_range range);
/* A node named @tag for @minor, which must lie in @range. */
char *tagged_node(enum minor_range range, unsigned int minor, const char *tag);
/* @range's first minor plus @i, ending the case if it is out of @range. */
unsigned int range_minor(enum minor_range range, unsigned int i);

/* The row of minors.h that begins at @first, or -1. */
int row_starting_at(unsigned int first);

/* @path opened with @flags, on @channel; -1 with errno on failure. */
int open_channel(const char *path, int flags, unsigned long channel);
/* The same, or the case ends: for what a case needs rather than tests. */
int open_channel_or_end(const char *path, int flags, unsigned long channel);
ssize_t write_text(int fd, const char *text);
/* @a and @b are the same write: every field and every byte of the data. */
bool same_message(const struct msgslot_message *a,
		  const struct msgslot_message *b);

/* Whether message_slot is loaded. */
bool module_loaded(void);

/* Slots in use in the module's slab cache, or -1 if it cannot be told. */
long slab_objects(void);

/* A user buffer the driver must refuse with EFAULT, and its name. */
struct bad_buffer {
	const char *what;
	void *addr;
	size_t count;
};

/* NULL, hidden from the compiler, which would warn about passing it. */
extern void *volatile null_buffer;

#define MAX_BAD_BUFFERS	8
/*
 * Fill @bad with bad buffers for a copy of MSG_LEN bytes; with @to_user, a
 * read-only one too (bad where the driver copies to the user).  Returns how
 * many.  Names of those the copy may partly reach begin "partly mapped".
 */
int bad_buffers(struct bad_buffer *bad, bool to_user);

/* Print @usage on stderr and exit 2: a program's options are wrong. */
void usage_exit(const char *usage) __attribute__((noreturn));
/* The option @s as a number from @min to @max, or usage_exit(@usage). */
uint64_t option_number(const char *s, uint64_t min, uint64_t max,
		       const char *usage);
/*
 * The row of minors.h that begins at the minor the option @s names and has
 * @need minors at least, or usage_exit(@usage).
 */
enum minor_range option_row(const char *s, unsigned int need,
			    const char *usage);
/* The exit status of child @pid, 128 + the signal that killed it, or -1. */
int reap(pid_t pid);
/* Wait for @n children: how many did not exit with status 0. */
unsigned int children_failed(unsigned int n);

/* The decimal number @s, from @min to @max, into *@value: or false. */
bool parse_number(const char *s, uint64_t min, uint64_t max, uint64_t *value);
/* Run the calling thread on @cpu only. */
void pin_to_cpu(int cpu);
/* Seconds on the monotonic clock. */
double now(void);
/* xorshift64*: fast, and good enough to pick operations and lengths. */
uint64_t next_random(uint64_t *state);
/* A random number below @n. */
uint64_t below(uint64_t *state, uint64_t n);

#endif /* MSGSLOT_DEVICE_H */
