// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory per slot: what the kernel's slab memory grows by while slots are
 * allocated, and what the module's own cache is.
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
 * Objects in the slabs of cache @name, in use or not, and their size, from
 * /proc/slabinfo.
 */
static bool slabinfo(const char *name, long *num_objs, long *objsize)
{
	char line[512], cache[128];
	long active, num, size;
	bool found = false;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %ld %ld %ld", cache, &active, &num,
			   &size) == 4 && !strcmp(cache, name)) {
			*num_objs = num;
			*objsize = size;
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

struct slab_state {
	long slab_kb;		/* Slab: of /proc/meminfo */
	long cache_slabs;	/* slabs of the module's cache, or -1 */
	long xa_objs;		/* radix_tree_node objects, or -1 */
	long xa_size;		/* and the size of one */
};

static void slab_state(struct slab_state *s)
{
	/*
	 * Let RCU free the inodes the node churn left behind, and the
	 * machine settle before the next figures.
	 */
	sleep_ms(1000);
	s->slab_kb = meminfo_kb("Slab");
	s->cache_slabs = read_number(SLAB_DIR "/slabs");
	if (!slabinfo("radix_tree_node", &s->xa_objs, &s->xa_size))
		s->xa_objs = -1;
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
	if (m->slots <= 0)
		return;
	if (before.slab_kb >= 0 && after.slab_kb >= 0)
		m->per_slot = (after.slab_kb - before.slab_kb) * 1024.0 /
			      m->slots;
	if (before.cache_slabs >= 0 && after.cache_slabs >= 0 && m->order >= 0)
		m->cache_per_slot = (double)(after.cache_slabs -
					     before.cache_slabs) *
				    (page << m->order) / m->slots;
	if (before.xa_objs >= 0 && after.xa_objs >= 0)
		m->xarray_per_slot = (double)(after.xa_objs - before.xa_objs) *
				     after.xa_size / m->slots;
	/*
	 * Slab: counts the whole machine.  When it shrank while the slots
	 * were allocated (KASAN's quarantine draining the frees of earlier
	 * workloads does that on the debug kernel), count what the module's
	 * own cache and the XArray grew by instead.
	 */
	if (m->per_slot < 0 && m->cache_per_slot >= 0 &&
	    m->xarray_per_slot >= 0) {
		m->per_slot = m->cache_per_slot + m->xarray_per_slot;
		m->per_slot_from_caches = true;
	}
}

double memory_per_slot(const struct bench *b)
{
	return b->run_memory ? b->mem.per_slot : NAN;
}
