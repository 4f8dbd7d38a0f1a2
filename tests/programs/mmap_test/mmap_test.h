/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmap_test: the rules of the read-only mapping of a slot (mmap, the record
 * protocol, msgslot_map.h's reader), one case each, in three files:
 * mapping.c (the layout, what the map shows, what is refused, faults),
 * life.c (fork, rmmod and reloads with mappings, waiting through the map)
 * and concurrency.c (whole records under writers).  It runs in the test
 * guest with message_slot loaded; every case works on minors of its own.
 */
#ifndef MMAP_TEST_H
#define MMAP_TEST_H

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

#include "device.h"
#include "harness.h"
#include "msgslot_map.h"

#define RUN_SECONDS	3

/* A node for a minor that no case of this program has used. */
#define mmap_node()	fresh_node(MINORS_MMAP_TEST)

/* Write @text to @channel of @path through a file of its own. */
bool send_text(const char *path, unsigned long channel, const char *text);
/* The mapping of @path's slot, through a file that is closed again. */
const struct msgslot_map *map_path(const char *path);
/* mmap() of @path opened with @oflags, through a file closed again. */
void *map_raw(const char *path, int oflags, size_t len, int prot, int flags,
	      off_t offset);

#endif /* MMAP_TEST_H */
