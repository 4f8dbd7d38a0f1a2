/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interim harness for poll_test until tests/lib gets the shared one: the same
 * API (TEST, TEST32, EXPECT_*, ASSERT_*, SKIP, TH_LOG, TEST_HARNESS_MAIN).
 */
#ifndef MSGSLOT_HARNESS_H
#define MSGSLOT_HARNESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct harness_case {
	const char *name;
	void (*fn)(struct harness_case *c);
	bool compat;
	bool failed;
	bool skipped;
};

#define HARNESS_MAX_CASES	256
static struct harness_case *harness_cases[HARNESS_MAX_CASES];
static int harness_ncases;

static inline void harness_register(struct harness_case *c)
{
	if (harness_ncases == HARNESS_MAX_CASES)
		abort();
	harness_cases[harness_ncases++] = c;
}

#define HARNESS_TEST(name, compat_)					\
	static void test_##name(struct harness_case *_metadata);	\
	static struct harness_case case_##name = {			\
		#name, test_##name, compat_, false, false };		\
	static void __attribute__((constructor)) register_##name(void) \
	{ harness_register(&case_##name); }				\
	static void test_##name(struct harness_case *_metadata)

#define TEST(name)	HARNESS_TEST(name, false)
#define TEST32(name)	HARNESS_TEST(name, true)

#define TH_LOG(fmt, ...) do {						\
		printf("# %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
		fflush(stdout);						\
	} while (0)

#define HARNESS_CMP(a, op, b, on_fail) do {				\
		long long a_ = (long long)(a), b_ = (long long)(b);	\
		if (!(a_ op b_)) {					\
			TH_LOG("expected %s %s %s: %lld vs %lld",	\
			       #a, #op, #b, a_, b_);			\
			_metadata->failed = true;			\
			on_fail;					\
		}							\
	} while (0)

#define EXPECT_EQ(a, b)	HARNESS_CMP(a, ==, b, (void)0)
#define EXPECT_NE(a, b)	HARNESS_CMP(a, !=, b, (void)0)
#define EXPECT_LT(a, b)	HARNESS_CMP(a, <, b, (void)0)
#define EXPECT_LE(a, b)	HARNESS_CMP(a, <=, b, (void)0)
#define EXPECT_GT(a, b)	HARNESS_CMP(a, >, b, (void)0)
#define EXPECT_GE(a, b)	HARNESS_CMP(a, >=, b, (void)0)
#define EXPECT_TRUE(x)	HARNESS_CMP(!!(x), ==, 1, (void)0)
#define EXPECT_FALSE(x)	HARNESS_CMP(!!(x), ==, 0, (void)0)
#define ASSERT_EQ(a, b)	HARNESS_CMP(a, ==, b, return)
#define ASSERT_NE(a, b)	HARNESS_CMP(a, !=, b, return)
#define ASSERT_LT(a, b)	HARNESS_CMP(a, <, b, return)
#define ASSERT_LE(a, b)	HARNESS_CMP(a, <=, b, return)
#define ASSERT_GT(a, b)	HARNESS_CMP(a, >, b, return)
#define ASSERT_GE(a, b)	HARNESS_CMP(a, >=, b, return)
#define ASSERT_TRUE(x)	HARNESS_CMP(!!(x), ==, 1, return)
#define ASSERT_FALSE(x)	HARNESS_CMP(!!(x), ==, 0, return)

#define HARNESS_ERRNO(call, err, on_fail) do {				\
		errno = 0;						\
		long r_ = (long)(call);					\
		int e_ = errno;						\
		if (r_ != -1 || e_ != (err)) {				\
			TH_LOG("%s: expected %s, got %ld (%s)", #call,	\
			       strerrorname_np(err), r_,		\
			       e_ ? strerrorname_np(e_) : "no error");	\
			_metadata->failed = true;			\
			on_fail;					\
		}							\
	} while (0)
#define EXPECT_ERRNO(call, err)	HARNESS_ERRNO(call, err, (void)0)
#define ASSERT_ERRNO(call, err)	HARNESS_ERRNO(call, err, return)

#define HARNESS_RET(call, want, on_fail) do {				\
		errno = 0;						\
		long r_ = (long)(call);					\
		if (r_ != (long)(want)) {				\
			TH_LOG("%s: expected %ld, got %ld (%s)", #call,	\
			       (long)(want), r_,			\
			       r_ < 0 ? strerrorname_np(errno) : "no error"); \
			_metadata->failed = true;			\
			on_fail;					\
		}							\
	} while (0)
#define EXPECT_RET(call, want)	HARNESS_RET(call, want, (void)0)
#define ASSERT_RET(call, want)	HARNESS_RET(call, want, return)

#define SKIP(statement, fmt, ...) do {					\
		printf("# SKIP " fmt "\n", ##__VA_ARGS__);		\
		_metadata->skipped = true;				\
		statement;						\
	} while (0)

static inline int harness_main(int argc, char **argv)
{
	int i;

	if (argc == 2 && (!strcmp(argv[1], "--list") ||
			  !strcmp(argv[1], "--list32"))) {
		for (i = 0; i < harness_ncases; i++)
			if (argv[1][6] != '3' || harness_cases[i]->compat)
				puts(harness_cases[i]->name);
		return 0;
	}
	if (argc != 2)
		return 2;
	for (i = 0; i < harness_ncases; i++) {
		struct harness_case *c = harness_cases[i];

		if (strcmp(c->name, argv[1]))
			continue;
		c->fn(c);
		fflush(stdout);
		return c->failed ? 1 : c->skipped ? 4 : 0;
	}
	return 2;
}

#define TEST_HARNESS_MAIN \
	int main(int argc, char **argv) { return harness_main(argc, argv); }

#endif /* MSGSLOT_HARNESS_H */
