/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which minors each user of the guest suite may touch: ONE table, so that no
 * two programs (or case files, or the benchmark) share a slot by accident
 * and see each other's messages.  A new user takes a new row.  The host test
 * tests/host/testlib.sh fails when two rows overlap, when a row leaves the
 * minor space, or when a case file of tests/guest/ names a minor outside
 * the rows whose user is that file ("FILE.sh: ...").  Programs ask for
 * minors through device.h, which ends the case if one is asked for outside
 * the program's row.
 *
 * X(ROW, first minor, number of minors, who uses it)
 */
#ifndef MSGSLOT_MINORS_H
#define MSGSLOT_MINORS_H

#define MINOR_RANGES(X)							\
	X(SLOT_TEST,	1,	 99999,	"slot_test: a fresh minor a case") \
	X(STRESS,	500000,	 10000,	"stress: traffic and racing first opens") \
	X(FUZZ,		510000,	 10000,	"fuzz: the minors of the model") \
	X(RMMOD_RACE,	520000,	 10000,	"rmmod_race: one minor a user") \
	X(KMEMLEAK,	530000,	 10000,	"robust.sh: stress before kmemleak's scan") \
	X(OPEN_FAULTS,	540000,	 60000,	"open_faults: a new minor each budget") \
	X(BENCH,	600000,	100000,	"bench.sh: the benchmark's slots") \
	X(USERCOPY_FAULTS, 400000, 10000, "usercopy_faults: a fresh minor a case") \
	X(POLL_TEST,	700000,	100000,	"poll_test: a fresh minor a case") \
	X(MMAP_TEST,	800000,	100000,	"mmap_test: a fresh minor a case") \
	X(EXAMPLES,	900000,	 10000,	"examples.sh: the man page's programs") \
	X(TOOL,		950000,	 10000,	"tool.sh: a fresh slot a watch or stat case") \
	X(HIGHEST,	1048575,     1,	"slot_test: the highest minor")

enum minor_range {
#define MINOR_ROW_ENUM(row, first, count, who) MINORS_##row,
	MINOR_RANGES(MINOR_ROW_ENUM)
#undef MINOR_ROW_ENUM
	MINOR_RANGE_COUNT
};

struct minor_row {
	const char *name;
	unsigned int first, count;
	const char *who;
};

static const struct minor_row minor_table[] = {
#define MINOR_ROW(row, first_, count_, who_) \
	[MINORS_##row] = { #row, first_, count_, who_ },
	MINOR_RANGES(MINOR_ROW)
#undef MINOR_ROW
};

#endif /* MSGSLOT_MINORS_H */
