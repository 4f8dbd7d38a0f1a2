// SPDX-License-Identifier: GPL-2.0-only
/*
 * Statistics: interleaved runs of a section's rows, medians, the ratios of
 * runs made back to back, and the goals' figures.
 */
#include "bench.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, minimum and maximum of @n values, left in their order. */
struct stat3 summarize(const double *values, int n)
{
	double v[MAX_RUNS];
	struct stat3 s;

	memcpy(v, values, (size_t)n * sizeof(*v));
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

/*
 * The median over the runs of a[r] / b[r], each pair measured back to back:
 * steadier than a ratio of medians when the machine's speed drifts.
 */
double paired_ratio(const double *a, const double *b, int runs)
{
	double v[MAX_RUNS];

	for (int r = 0; r < runs; r++)
		v[r] = a[r] / b[r];
	return summarize(v, runs).median;
}

/* How long a run of section @id is. */
long section_run_ms(const struct bench *b, enum section_id id)
{
	int factor = sections[id].run_factor;

	return b->run_ms * (factor > 0 ? factor : 1);
}

static double run_loop(const struct row *row, struct fixture *f, long n)
{
	long long t0 = now_ns();

	row->loop(f, n);
	return (double)(now_ns() - t0);
}

/* Iterations of @row for one run of its section; calibrating warms it up. */
static long calibrate(const struct bench *b, const struct row *row,
		      struct fixture *f)
{
	double t, target = section_run_ms(b, row->section) * 1e6;
	long n = 16;

	for (;;) {
		t = run_loop(row, f, n);
		if (t >= target / 8 || n >= LONG_MAX / 16)
			break;
		n *= t < target / 64 ? 8 : 2;
	}
	n = (long)(n * target / (t > 1 ? t : 1));
	return n < 1 ? 1 : n;
}

static void setup_row(struct bench *b, int i, struct fixture *f)
{
	init_fixture(f, &rows[i]);
	if (rows[i].setup)
		rows[i].setup(b, f, 0);
}

/*
 * One run of @n iterations of row @i, in ns an iteration, with a fixture of
 * its own: no other row's files, processes or waiters are there meanwhile
 * (an idle ping-pong partner's epoll entry on a shared wait queue would be
 * woken by this row's writes).  A twentieth of the run first warms it up.
 */
static double one_run(struct bench *b, int i, long n)
{
	struct fixture f;
	double t;

	setup_row(b, i, &f);
	run_loop(&rows[i], &f, n / 20 + 1);
	t = run_loop(&rows[i], &f, n) / (double)n;
	teardown_fixture(&f);
	return t;
}

/*
 * Measure every row of section @id at @level, pinned to the first CPU: each
 * the median of @runs runs of section_run_ms(), ns an iteration.  The runs are
 * interleaved, run r of every row before run r + 1 of any, so that a change
 * in the machine's speed (other guests, the host's load) touches all of them
 * alike and their ratios stay fair.
 */
void measure_section(struct bench *b, enum section_id id, int level)
{
	struct fixture f;
	long n[MAX_ROWS];
	int i, r;

	pin(b->cpus[0]);
	for (i = 0; i < row_count; i++) {
		if (rows[i].section != id)
			continue;
		setup_row(b, i, &f);
		n[i] = calibrate(b, &rows[i], &f);
		teardown_fixture(&f);
	}
	for (r = 0; r < b->runs; r++)
		for (i = 0; i < row_count; i++)
			if (rows[i].section == id)
				b->fig[i][level].runs[r] = one_run(b, i, n[i]);
	for (i = 0; i < row_count; i++)
		if (rows[i].section == id)
			b->fig[i][level].s = summarize(b->fig[i][level].runs,
						       b->runs);
	unpin(b);
	if (b->levels[id] < level + 1)
		b->levels[id] = level + 1;
	b->measured[id] = true;
}

/* The value of column @c of @row at @level, or NAN if not measured. */
double column_value(const struct bench *b, int row, const struct column *c,
		    int level)
{
	const struct section *s = &sections[rows[row].section];
	int ref = c->ref ? row_index(c->ref) : row;
	double here, first;

	if (!b->measured[rows[row].section] || level >= b->levels[s - sections])
		return NAN;
	if (ref < 0 || rows[ref].section != rows[row].section)
		die("internal: column %s of %s", c->key, rows[row].name);
	switch (c->kind) {
	case VS_ROW:
		return paired_ratio(b->fig[row][level].runs,
				    b->fig[ref][level].runs, b->runs);
	case VS_FIRST_LEVEL:
		return paired_ratio(b->fig[row][level].runs,
				    b->fig[row][0].runs, b->runs);
	case VS_ROW_VS_FIRST:
		here = paired_ratio(b->fig[row][level].runs,
				    b->fig[ref][level].runs, b->runs);
		first = paired_ratio(b->fig[row][0].runs,
				     b->fig[ref][0].runs, b->runs);
		return here / first;
	}
	return NAN;
}

static const struct column *find_column(const struct section *s,
					const char *key)
{
	for (const struct column *c = s->columns; c->key; c++)
		if (!strcmp(c->key, key))
			return c;
	return NULL;
}

/* The level of section @id a goal names: first, last, or by its count. */
static int goal_level(const struct bench *b, enum section_id id, int level)
{
	if (level == 0)
		return 0;
	if (level < 0)
		return b->levels[id] - 1;
	for (int i = 0; i < b->levels[id]; i++)
		if (b->level_value[id][i] == level)
			return i;
	return -1;
}

/* The figure @g judges, or NAN when its section did not run. */
double goal_value(const struct bench *b, const struct goal *g)
{
	const struct column *c = NULL;
	int row, level;
	double v;

	if (g->value)
		return g->value(b);
	row = row_index(g->row);
	if (row < 0)
		die("internal: goal %s: no row %s", g->name, g->row);
	if (g->column) {
		c = find_column(&sections[rows[row].section], g->column);
		if (!c)
			die("internal: goal %s: no column %s", g->name,
			    g->column);
	}
	if (!b->measured[rows[row].section])
		return NAN;
	level = goal_level(b, rows[row].section, g->level);
	if (level < 0)
		return NAN;
	v = c ? column_value(b, row, c, level) : b->fig[row][level].s.median;
	return g->inverse ? 1 / v : v;
}

const char *goal_status(const struct bench *b, const struct goal *g)
{
	double v = goal_value(b, g);

	if (!isfinite(v) || v < 0)
		return "SKIPPED";
	if (g->at_least ? v >= g->limit : v <= g->limit)
		return "MET";
	return "MISSED";
}
