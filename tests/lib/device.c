// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device helpers of device.h.  Nodes live under NODE_DIR, named after
 * their row of minors.h, so that a node's name says who owns its minor.
 */
#define _GNU_SOURCE
#include "device.h"
#include "harness.h"

#include <ctype.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NODE_DIR	"/tmp/msgslot-nodes"
#define SLAB_SHRINK	SLAB_DIR "/shrink"

void *volatile null_buffer;

unsigned int primary_major(void)
{
	static unsigned int major_number;
	struct stat st;

	if (major_number)
		return major_number;
	if (stat(PRIMARY_NODE, &st) < 0 || !S_ISCHR(st.st_mode))
		th_abort("%s is not a character device", PRIMARY_NODE);
	major_number = major(st.st_rdev);
	return major_number;
}

unsigned int range_minor(enum minor_range range, unsigned int i)
{
	const struct minor_row *row = &minor_table[range];

	if (i >= row->count)
		th_abort("minor %u of %u of row %s in minors.h: out of its "
			 "range (%s)", i, row->count, row->name, row->who);
	return row->first + i;
}

int row_starting_at(unsigned int first)
{
	int row;

	for (row = 0; row < MINOR_RANGE_COUNT; row++)
		if (minor_table[row].first == first)
			return row;
	return -1;
}

char *tagged_node(enum minor_range range, unsigned int minor, const char *tag)
{
	const struct minor_row *row = &minor_table[range];
	char *path;

	if (minor < row->first || minor - row->first >= row->count)
		th_abort("minor %u is not in row %s of minors.h", minor,
			 row->name);
	if (asprintf(&path, NODE_DIR "/%s-%s%u", row->name, tag, minor) < 0)
		abort();
	if (mkdir(NODE_DIR, 0700) < 0 && errno != EEXIST)
		th_abort("mkdir %s: %s", NODE_DIR, strerror(errno));
	if (mknod(path, S_IFCHR | 0600, makedev(primary_major(), minor)) < 0 &&
	    errno != EEXIST)
		th_abort("mknod %s: %s", path, strerror(errno));
	return path;
}

char *range_node(enum minor_range range, unsigned int i)
{
	return tagged_node(range, range_minor(range, i), "");
}

unsigned int fresh_index(enum minor_range range)
{
	unsigned int i = 0;
	char *counter;
	FILE *f;

	if (mkdir(NODE_DIR, 0700) < 0 && errno != EEXIST)
		th_abort("mkdir %s: %s", NODE_DIR, strerror(errno));
	if (asprintf(&counter, NODE_DIR "/%s.next",
		     minor_table[range].name) < 0)
		abort();
	f = fopen(counter, "r+");
	if (!f)
		f = fopen(counter, "w+");
	if (!f)
		th_abort("%s: %s", counter, strerror(errno));
	if (fscanf(f, "%u", &i) != 1)
		i = 0;
	rewind(f);
	fprintf(f, "%u\n", i + 1);
	fclose(f);
	free(counter);
	return i;
}

char *fresh_node(enum minor_range range)
{
	return range_node(range, fresh_index(range));
}

int open_channel(const char *path, int flags, unsigned long channel)
{
	int fd = open(path, flags), err;

	if (fd >= 0 && ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, channel) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int open_channel_or_end(const char *path, int flags, unsigned long channel)
{
	int fd = open_channel(path, flags, channel);

	if (fd < 0)
		th_abort("open %s, channel %lu: %s", path, channel,
			 strerror(errno));
	return fd;
}

ssize_t write_text(int fd, const char *text)
{
	return write(fd, text, strlen(text));
}

bool same_message(const struct msgslot_message *a,
		  const struct msgslot_message *b)
{
	return a->generation == b->generation && a->time_ns == b->time_ns &&
	       a->channel == b->channel && a->length == b->length &&
	       !memcmp(a->data, b->data, sizeof(a->data));
}

bool module_loaded(void)
{
	return access("/sys/module/message_slot", F_OK) == 0;
}

/*
 * Shrinking the cache first empties KASAN's quarantine, where freed slots
 * would otherwise still count as in use.
 */
long slab_objects(void)
{
	long objects = -1;
	int fd = open(SLAB_SHRINK, O_WRONLY);
	FILE *f;

	if (fd < 0)
		return -1;
	if (write(fd, "1", 1) != 1) {
		close(fd);
		return -1;
	}
	close(fd);
	f = fopen(SLAB_OBJECTS, "r");
	if (f) {
		if (fscanf(f, "%ld", &objects) != 1)
			objects = -1;
		fclose(f);
	}
	return objects;
}

int bad_buffers(struct bad_buffer *bad, bool to_user)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map;
	int n = 0;

	map = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		th_abort("mmap: %s", strerror(errno));
	memset(map, 'X', 3 * page);
	munmap(map + page, page);		/* a hole */
	mprotect(map + 2 * page, page, PROT_READ);

	bad[n++] = (struct bad_buffer){ "NULL", null_buffer, MSG_LEN };
	bad[n++] = (struct bad_buffer){ "unmapped", map + page, MSG_LEN };
	bad[n++] = (struct bad_buffer){ "partly mapped", map + page - 64,
					MSG_LEN };
	bad[n++] = (struct bad_buffer){ "partly mapped, short count",
					map + page - 16, 32 };
	bad[n++] = (struct bad_buffer){ "kernel address",
		(void *)(sizeof(void *) == 8 ? (uintptr_t)0xffffffff81000000ULL
					     : (uintptr_t)0xc0000000UL),
		MSG_LEN };
	if (to_user)
		bad[n++] = (struct bad_buffer){ "read-only", map + 2 * page,
						MSG_LEN };
	return n;
}

void usage_exit(const char *usage)
{
	fprintf(stderr, "%s\n", usage);
	exit(2);
}

uint64_t option_number(const char *s, uint64_t min, uint64_t max,
		       const char *usage)
{
	uint64_t v;

	if (!parse_number(s, min, max, &v))
		usage_exit(usage);
	return v;
}

enum minor_range option_row(const char *s, unsigned int need,
			    const char *usage)
{
	int row = row_starting_at((unsigned int)option_number(s, 0, MAX_MINOR,
							      usage));

	if (row < 0 || minor_table[row].count < need)
		usage_exit(usage);
	return (enum minor_range)row;
}

int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

unsigned int children_failed(unsigned int n)
{
	unsigned int failed = 0;
	int status;

	while (n--)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			failed++;
	return failed;
}

bool parse_number(const char *s, uint64_t min, uint64_t max, uint64_t *value)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*value = v;
	return true;
}

void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

uint64_t below(uint64_t *state, uint64_t n)
{
	return next_random(state) % n;
}
