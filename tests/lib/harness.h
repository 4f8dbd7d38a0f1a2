/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The harness of every guest test program, in the spirit of the kernel's
 * tools/testing/selftests/kselftest_harness.h (written here, not copied):
 * a program is a list of TEST(name) { ... } bodies, one per rule.
 *
 *   PROG --list        the names of its cases, one a line
 *   PROG --list32      those that also run as the 32-bit build (TEST32)
 *   PROG CASE [OPT]... run one case: "# " diagnostics, then exit 0 passed,
 *                      1 failed, 4 skipped (tests/guest/check.sh's KTAP line)
 *   PROG [OPT]...      run every case, each in a child, and print KTAP
 *
 * OPT are the program's own options, for a program that has some
 * (TEST_HARNESS_MAIN_OPTIONS): such a program is run by a case file of
 * tests/guest/ with its options, the others by check.sh, case by case
 * (tests/lib/manifest tells check.sh which).  In a case body:
 *   EXPECT_*(...)  report a failure and go on; ASSERT_*(...) end the case;
 *   EXPECT_ERRNO(call, E) / ASSERT_ERRNO: call returns -1 with errno E;
 *   EXPECT_RET(call, N) / ASSERT_RET: call returns N;
 *   EXPECT_MSG(cond, fmt, ...) / ASSERT_MSG: a condition with its own words;
 *   SKIP(statement, fmt, ...): the case cannot run here, and why;
 *   TH_LOG(fmt, ...): a "# " diagnostic line.
 * Code outside a case body (helpers, worker threads) reports with
 * th_fail() (the case fails, and goes on) or th_abort() (the case ends).
 */
#ifndef MSGSLOT_HARNESS_H
#define MSGSLOT_HARNESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The exit status of a case that was skipped (and of check.sh's cases). */
#define EXIT_SKIP	4

struct harness_case {
	const char *name;
	void (*fn)(struct harness_case *c);
	bool compat;		/* also runs as the 32-bit build */
	volatile bool failed;	/* set by worker threads too */
	bool skipped;
};

void harness_register(struct harness_case *c);
int harness_main(int argc, char **argv, void (*options)(int, char **));
/* The name of errno value @err ("EBADF"), or "no error" for 0. */
const char *th_errname(int err);
void th_log(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void th_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void th_abort_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#define th_fail(...)	th_fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define th_abort(...)	th_abort_at(__FILE__, __LINE__, __VA_ARGS__)

#define HARNESS_TEST(name, compat_)					\
	static void test_##name(struct harness_case *_metadata);	\
	static struct harness_case case_##name = {			\
		#name, test_##name, compat_, false, false };		\
	static void __attribute__((constructor)) register_##name(void) \
	{ harness_register(&case_##name); }				\
	static void test_##name(struct harness_case				\
				*_metadata __attribute__((unused)))

#define TEST(name)	HARNESS_TEST(name, false)
#define TEST32(name)	HARNESS_TEST(name, true)

#define TH_LOG(...)	th_log(__FILE__, __LINE__, __VA_ARGS__)

#define HARNESS_FAIL(on_fail, ...) do {					\
		TH_LOG(__VA_ARGS__);					\
		_metadata->failed = true;				\
		on_fail;						\
	} while (0)

#define HARNESS_CMP(a, op, b, on_fail) do {				\
		long long a_ = (long long)(a), b_ = (long long)(b);	\
		if (!(a_ op b_))					\
			HARNESS_FAIL(on_fail, "expected %s %s %s: %lld vs %lld", \
				     #a, #op, #b, a_, b_);		\
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

/* A condition, and the words that say what went wrong when it fails. */
#define EXPECT_MSG(cond, ...) \
	do { if (!(cond)) HARNESS_FAIL((void)0, __VA_ARGS__); } while (0)
#define ASSERT_MSG(cond, ...) \
	do { if (!(cond)) HARNESS_FAIL(return, __VA_ARGS__); } while (0)

#define HARNESS_ERRNO(call, err, on_fail) do {				\
		errno = 0;						\
		long r_ = (long)(call);					\
		int e_ = errno;						\
		if (r_ != -1 || e_ != (err))				\
			HARNESS_FAIL(on_fail, "%s: expected %s, got %ld (%s)", \
				     #call, th_errname(err), r_,	\
				     th_errname(e_));			\
	} while (0)
#define EXPECT_ERRNO(call, err)	HARNESS_ERRNO(call, err, (void)0)
#define ASSERT_ERRNO(call, err)	HARNESS_ERRNO(call, err, return)

#define HARNESS_RET(call, want, on_fail) do {				\
		errno = 0;						\
		long r_ = (long)(call);					\
		if (r_ != (long)(want))					\
			HARNESS_FAIL(on_fail, "%s: expected %ld, got %ld (%s)", \
				     #call, (long)(want), r_,		\
				     th_errname(r_ < 0 ? errno : 0));	\
	} while (0)
#define EXPECT_RET(call, want)	HARNESS_RET(call, want, (void)0)
#define ASSERT_RET(call, want)	HARNESS_RET(call, want, return)

#define SKIP(statement, fmt, ...) do {					\
		printf("# SKIP " fmt "\n", ##__VA_ARGS__);		\
		fflush(stdout);						\
		_metadata->skipped = true;				\
		statement;						\
	} while (0)

#define TEST_HARNESS_MAIN \
	int main(int argc, char **argv) { return harness_main(argc, argv, NULL); }
/* @parse(argc, argv) reads the program's options with getopt. */
#define TEST_HARNESS_MAIN_OPTIONS(parse) \
	int main(int argc, char **argv) { return harness_main(argc, argv, parse); }

#endif /* MSGSLOT_HARNESS_H */
