// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory per slot: what the slabs of the module's cache and of the XArray's
 * nodes grow by while slots are allocated (and, to cross-check, the
 * kernel's whole slab memory), and what the module's own cache is.
 */
#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLAB_DIR	"/sys/kernel/slab/message_slot"

/* A "Name: N kB" line of /proc/meminfo, in kB, or -1. */
static long meminfo_kb(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/* The first number in a file (of /sys), or -1. */
static long read_number(const char *path)
{
	long n = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/*
 * The slabs of cache @name and their order, from SLUB's sysfs; false if
 * none.  The cache is shrunk first: its empty slabs go back, and on a KASAN
 * kernel so do the objects its quarantine still holds, freed long before
 * (which, released while the slots are allocated, could make the count of
 * the XArray's nodes go down as the slots' nodes push it up).
 */
static bool cache_slabs(const char *name, long *slabs, long *order)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", name);
	f = fopen(path, "w");
	if (f) {
		fputs("1", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/slabs", name);
	*slabs = read_number(path);
	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/order", name);
	*order = read_number(path);
	return *slabs >= 0 && *order >= 0;
}

struct slab_state {
	long slab_kb;		/* Slab: of /proc/meminfo */
	long slabs, order;	/* the module's cache: slabs, or -1 */
	long xa_slabs, xa_order;	/* radix_tree_node: slabs, or -1 */
};

static void slab_state(struct slab_state *s)
{
	/*
	 * Let RCU free the inodes the node churn left behind, and the
	 * machine settle before the next figures.
	 */
	sleep_ms(1000);
	s->slab_kb = meminfo_kb("Slab");
	if (!cache_slabs("message_slot", &s->slabs, &s->order))
		s->slabs = -1;
	if (!cache_slabs("radix_tree_node", &s->xa_slabs, &s->xa_order))
		s->xa_slabs = -1;
}

static void describe_cache(struct memory *m)
{
	char target[160];
	const char *name;
	ssize_t len;
	long aliases;

	m->object_size = read_number(SLAB_DIR "/object_size");
	m->slab_size = read_number(SLAB_DIR "/slab_size");
	m->objs_per_slab = read_number(SLAB_DIR "/objs_per_slab");
	m->order = read_number(SLAB_DIR "/order");
	aliases = read_number(SLAB_DIR "/aliases");
	m->merged = aliases > 0;
	len = readlink(SLAB_DIR, target, sizeof(target) - 1);
	if (len > 0) {
		/*
		 * A mergeable cache is a link to one named by its size, such
		 * as :0000544; aliases counts the caches merged into it.
		 */
		target[len] = '\0';
		name = strrchr(target, '/');
		name = name ? name + 1 : target;
		snprintf(m->cache, sizeof(m->cache),
			 "mergeable, %s (%s, %ld aliases)",
			 m->merged ? "shared with other caches" : "not shared",
			 name, aliases);
	} else if (m->object_size > 0) {
		snprintf(m->cache, sizeof(m->cache),
			 "not mergeable, its own cache");
	} else {
		snprintf(m->cache, sizeof(m->cache), "not in %s", SLAB_DIR);
	}
}

void measure_memory(struct bench *b, unsigned long upto)
{
	struct memory *m = &b->mem;
	struct slab_state before, after;
	long long page = sysconf(_SC_PAGESIZE);

	describe_cache(m);
	slab_state(&before);
	m->slots = (long)(upto - b->allocated);
	allocate_slots(b, upto);
	slab_state(&after);

	b->run_memory = true;
	m->per_slot = m->cache_per_slot = m->xarray_per_slot = -1;
	m->slab_per_slot = -1;
	if (m->slots <= 0)
		return;
	/*
	 * What the slots cost: the slabs that the module's cache and the
	 * XArray's nodes (radix_tree_node) grew by, whole slabs, so that
	 * what the allocator rounds up and leaves over counts too.
	 */
	if (before.slabs >= 0 && after.slabs >= 0)
		m->cache_per_slot = (double)(after.slabs - before.slabs) *
				    (page << after.order) / m->slots;
	if (before.xa_slabs >= 0 && after.xa_slabs >= 0)
		m->xarray_per_slot = (double)(after.xa_slabs -
					      before.xa_slabs) *
				     (page << after.xa_order) / m->slots;
	if (m->cache_per_slot >= 0 && m->xarray_per_slot >= 0)
		m->per_slot = m->cache_per_slot + m->xarray_per_slot;
	/*
	 * And, to cross-check, what the whole machine's slab memory grew by:
	 * the same, give or take what else the kernel allocated or freed
	 * meanwhile (the node churn's inodes and dentries, or on the debug
	 * kernel KASAN's quarantine draining, which can make it shrink).
	 */
	if (before.slab_kb >= 0 && after.slab_kb >= 0)
		m->slab_per_slot = (after.slab_kb - before.slab_kb) * 1024.0 /
				   m->slots;
}

double memory_per_slot(const struct bench *b)
{
	return b->run_memory && b->mem.per_slot >= 0 ? b->mem.per_slot : NAN;
}
