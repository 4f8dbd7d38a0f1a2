// SPDX-License-Identifier: GPL-2.0-only
/*
 * The harness's running part: the table of cases the TEST macros fill in,
 * the command line (see harness.h), and KTAP for a run of every case.
 */
#include "harness.h"

#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CASES	256

static struct harness_case *cases[MAX_CASES];
static int ncases;
/* The case running in this process, for th_fail() and th_abort(). */
static struct harness_case *current;

void harness_register(struct harness_case *c)
{
	if (ncases == MAX_CASES) {
		fprintf(stderr, "harness: more than %d cases\n", MAX_CASES);
		abort();
	}
	cases[ncases++] = c;
}

const char *th_errname(int err)
{
	return err ? strerrorname_np(err) : "no error";
}

static void vlog(const char *file, int line, const char *fmt, va_list ap)
{
	flockfile(stdout);
	printf("# %s:%d: ", file, line);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	funlockfile(stdout);
}

void th_log(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(file, line, fmt, ap);
	va_end(ap);
}

void th_fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(file, line, fmt, ap);
	va_end(ap);
	if (current)
		current->failed = true;
}

void th_abort_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(file, line, fmt, ap);
	va_end(ap);
	exit(1);
}

static struct harness_case *find(const char *name)
{
	int i;

	for (i = 0; i < ncases; i++)
		if (!strcmp(cases[i]->name, name))
			return cases[i];
	return NULL;
}

/* Run @c in this process; its exit status as harness.h tells. */
static int run_here(struct harness_case *c)
{
	current = c;
	c->fn(c);
	fflush(stdout);
	return c->failed ? 1 : c->skipped ? EXIT_SKIP : 0;
}

/* Run @c in a child, so that an exit or a crash ends that case only. */
static int run_child(struct harness_case *c)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0)
		exit(run_here(c));
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	if (WIFSIGNALED(status)) {
		printf("# %s: killed by signal %d\n", c->name, WTERMSIG(status));
		return 1;
	}
	return WEXITSTATUS(status);
}

static int run_all(void)
{
	int i, failed = 0, skipped = 0;

	printf("KTAP version 1\n1..%d\n", ncases);
	for (i = 0; i < ncases; i++) {
		int status = run_child(cases[i]);

		if (status == 0) {
			printf("ok %d - %s\n", i + 1, cases[i]->name);
		} else if (status == EXIT_SKIP) {
			printf("ok %d - %s # SKIP\n", i + 1, cases[i]->name);
			skipped++;
		} else {
			printf("not ok %d - %s\n", i + 1, cases[i]->name);
			failed++;
		}
	}
	printf("# %d passed, %d failed, %d skipped\n",
	       ncases - failed - skipped, failed, skipped);
	fflush(stdout);
	if (failed)
		return 1;
	return ncases && skipped == ncases ? EXIT_SKIP : 0;
}

int harness_main(int argc, char **argv, void (*options)(int, char **))
{
	struct harness_case *c;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && (!strcmp(argv[1], "--list") ||
			  !strcmp(argv[1], "--list32"))) {
		for (i = 0; i < ncases; i++)
			if (!strcmp(argv[1], "--list") || cases[i]->compat)
				puts(cases[i]->name);
		return 0;
	}
	c = argc >= 2 ? find(argv[1]) : NULL;
	if (c) {
		argc--;
		argv++;
	}
	if (options)
		options(argc, argv);
	else if (argc > 1) {
		fprintf(stderr, "usage: %s [--list | --list32 | CASE]\n",
			argv[0]);
		return 2;
	}
	return c ? run_here(c) : run_all();
}
