// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: the model of the slots and files, the buffer arena whose every page
 * the model knows, the random sequence and the report of a divergence.
 */
#include <stdarg.h>

#include "fuzz.h"

const enum page_kind layout[ARENA_PAGES] = {
	RW, RW, HOLE, RO, RW, NONE, RW, RO, HOLE,
};

/* Device nodes: one per minor, and a second one for two of them. */
const struct node node_table[NODES] = {
	{ "a0", 0 }, { "a1", 1 }, { "a2", 2 }, { "a3", 3 }, { "b0", 0 },
	{ "b1", 1 },
};

struct options opt = { .iterations = 1000000, .seconds = 12,
		       .range = MINORS_FUZZ };
uint64_t rng;
unsigned long iteration;
unsigned long reproduce_with;
char *paths[NODES];

/* The model. */
unsigned char model[MINORS][CHANNELS][MSG_LEN];
unsigned int length[MINORS][CHANNELS];
uint64_t generation[MINORS][CHANNELS];
struct file files[MAX_FILES];
struct descriptor fds[MAX_FDS];
int nfds;

unsigned char *arena, *shadow;
size_t page;

char history[HISTORY][DESCRIPTION];
char *op;

struct counts tally;


/* splitmix64: the whole sequence follows from the seed. */
uint64_t random_u64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

unsigned long pick(unsigned long bound)
{
	return (unsigned long)(random_u64() % bound);
}

bool one_in(unsigned long chance)
{
	return pick(chance) == 0;
}

void describe(const char *fmt, ...)
{
	size_t used = strlen(op);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(op + used, DESCRIPTION - used, fmt, ap);
	va_end(ap);
}

const char *errname(int err)
{
	return err ? strerrorname_np(err) : "no error";
}

static void print_history(void)
{
	unsigned long first = iteration > HISTORY ? iteration - HISTORY + 1 : 1;
	unsigned long i;

	printf("# fuzz: the last %lu operations:\n", iteration - first + 1);
	for (i = first; i <= iteration; i++)
		printf("#   %s\n", history[i % HISTORY]);
}

void reproduce_line(unsigned long iterations)
{
	printf("# fuzz seed %" PRIu64 ": reproduce with: fuzz --seed %" PRIu64
	       " --iterations %lu\n", opt.seed, opt.seed, iterations);
}

void diverged(const char *fmt, ...)
{
	char what[2 * DESCRIPTION];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	print_history();
	reproduce_line(reproduce_with);
	th_abort("divergence from the model at iteration %lu: %s", iteration,
		 what);
}

/* The test's own trouble, not the driver's. */
void broken(const char *what)
{
	th_abort("%s: %s", what, strerror(errno));
}

/* Compare one call's outcome with the model's. */
void expect(struct outcome got, struct outcome want)
{
	if (got.ret < 0)
		describe(" = -1 %s", errname(got.err));
	else
		describe(" = %ld", got.ret);
	if (got.ret == want.ret && (want.ret >= 0 || got.err == want.err))
		return;
	if (want.ret < 0)
		diverged("%s: expected -1 %s", op, errname(want.err));
	if (got.ret < 0 && want.ret == 0)
		diverged("%s: expected success", op);
	diverged("%s: expected %ld", op, want.ret);
}

static /* ---- the buffer arena ---------------------------------------------- */

void fill_random(unsigned char *p, size_t len)
{
	while (len--)
		*p++ = (unsigned char)random_u64();
}

void setup_arena(void)
{
	size_t i, size;

	page = (size_t)sysconf(_SC_PAGESIZE);
	size = ARENA_PAGES * page;
	arena = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shadow = malloc(size);
	if (arena == MAP_FAILED || !shadow)
		broken("arena");
	memset(shadow, 0, size);
	for (i = 0; i < ARENA_PAGES; i++) {
		unsigned char *p = arena + i * page;

		switch (layout[i]) {
		case RW:
		case RO:
			fill_random(p, page);
			memcpy(shadow + i * page, p, page);
			if (layout[i] == RO && mprotect(p, page, PROT_READ) < 0)
				broken("mprotect");
			break;
		case NONE:
			if (mprotect(p, page, PROT_NONE) < 0)
				broken("mprotect");
			break;
		case HOLE:
			if (munmap(p, page) < 0)
				broken("munmap");
			break;
		}
	}
}

/* A hole that something else mapped would make the model wrong. */
void check_holes(void)
{
	size_t i;

	for (i = 0; i < ARENA_PAGES; i++) {
		if (layout[i] != HOLE)
			continue;
		if (msync(arena + i * page, page, MS_ASYNC) == 0 ||
		    errno != ENOMEM)
			th_abort("the arena's hole at page %zu is mapped now: "
				 "the test's fault, not the driver's", i);
	}
}

/* Whether the kernel may copy @len bytes from (or, @to_user, to) @b. */
bool range_ok(struct buffer b, size_t len, bool to_user)
{
	size_t off, first, last, i;

	if (len == 0)
		return true;
	if (b.kind != ARENA)
		return false;
	off = b.addr - (uintptr_t)arena;
	first = off / page;
	last = (off + len - 1) / page;
	for (i = first; i <= last; i++)
		if (layout[i] != RW && (to_user || layout[i] != RO))
			return false;
	return true;
}

/* Beyond the user address space, the VFS refuses before the driver sees it. */
bool access_ok(struct buffer b)
{
	return b.kind != KERNEL && b.kind != NONCANONICAL;
}

const char *const kind_name[] = { "RW", "RO", "none", "hole" };

struct buffer pick_buffer(size_t size)
{
	size_t span = ARENA_PAGES * page - size, off;
	unsigned long dice = pick(100);
	struct buffer b = { ARENA, 0 };

	if (dice < 40) {
		/* Valid: a read-write page, and the next if it is one too. */
		do
			off = pick(span);
		while (layout[off / page] != RW ||
		       layout[(off + size - 1) / page] != RW);
	} else if (dice < 70) {
		off = pick(span);
	} else if (dice < 85) {
		/* Just before a page boundary: partly mapped, often. */
		off = (1 + pick(ARENA_PAGES - 1)) * page - 1 - pick(size);
	} else if (dice < 89) {
		b.kind = NULL_POINTER;
	} else if (dice < 93) {
		b.kind = LOW;
		b.addr = 0x1000 + pick(0xf000);
	} else if (dice < 97) {
		b.kind = KERNEL;
		b.addr = one_in(2) ? 0xffffffff81000000ULL + pick(1 << 24)
				   : 0xffff888000000000ULL + pick(1 << 24);
	} else {
		b.kind = NONCANONICAL;
		b.addr = 0x8000000000000000ULL +
			 (random_u64() & ((1ULL << 40) - 1));
	}
	if (b.kind == KERNEL || b.kind == NONCANONICAL)
		b.addr = not_for_user(b.addr);
	if (b.kind == ARENA) {
		b.addr = (uintptr_t)arena + off;
		describe("arena+%#zx (%s", off, kind_name[layout[off / page]]);
		if ((off + size - 1) / page != off / page)
			describe("|%s", kind_name[layout[off / page + 1]]);
		describe(")");
	} else {
		static const char *const names[] = {
			"", "NULL", "low", "kernel", "non-canonical",
		};

		describe("%s %#" PRIxPTR, names[b.kind], b.addr);
	}
	return b;
}

size_t pick_count(void)
{
	unsigned long dice = pick(100);

	if (dice < 5)
		return 0;
	if (dice < 20)
		return MSG_LEN;
	if (dice < 65)
		return 1 + pick(MSG_LEN);
	if (dice < 90)
		return MSG_LEN + 1 + pick(200);
	return 1 + pick(65536);
}

/* The arena must equal the shadow wherever it can be read. */
void compare_arena(void)
{
	size_t i, j;

	for (i = 0; i < ARENA_PAGES; i++) {
		if (layout[i] != RW && layout[i] != RO)
			continue;
		if (memcmp(arena + i * page, shadow + i * page, page) == 0)
			continue;
		for (j = i * page; arena[j] == shadow[j]; j++)
			;
		diverged("%s: the buffer arena changed at +%#zx, outside "
			 "what the call may write", op, j);
	}
}

/* ---- the model's files --------------------------------------------- */

const char *const accmode_name[] = { "O_RDONLY", "O_WRONLY", "O_RDWR" };

void describe_fd(int d)
{
	struct file *f = &files[fds[d].file];

	describe("fd %d (file %d: %s, minor %u, %s, ", fds[d].fd, fds[d].file,
		 node_table[f->node].name,
		 range_minor(opt.range, node_table[f->node].minor),
		 accmode_name[f->accmode]);
	if (f->channel < 0)
		describe("no channel)");
	else
		describe("channel %d)", f->channel);
}

unsigned char *message_of(struct file *f)
{
	return model[node_table[f->node].minor][f->channel];
}

uint64_t *generation_of(struct file *f)
{
	return &generation[node_table[f->node].minor][f->channel];
}

int new_descriptor(int fd, int file)
{
	fds[nfds] = (struct descriptor){ fd, file };
	files[file].refs++;
	return nfds++;
}

int pick_fd(int accmode)
{
	int d = (int)pick((unsigned long)nfds), tries;

	if (one_in(50)) {
		describe("fd %d (not open)", STALE_FD);
		return -1;
	}
	for (tries = 0; accmode >= 0 && tries < 8 && pick(4); tries++) {
		struct file *f = &files[fds[d].file];

		if (f->channel >= 0 && f->accmode != (accmode ^ 1))
			break;
		d = (int)pick((unsigned long)nfds);
	}
	describe_fd(d);
	return d;
}

int fd_of(int d)
{
	return d < 0 ? STALE_FD : fds[d].fd;
}

