// SPDX-License-Identifier: GPL-2.0-only
/*
 * Thread scaling: each row of a section of LEVEL_THREADS runs its loop on
 * 1 .. -j threads at once, one a CPU, in calls per second.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define OPS_PER_CHECK	16		/* calls between stop checks */

/* Readers each on a minor of their own. */
void setup_own_minor(struct bench *b, struct fixture *f, int thread)
{
	f->wr = f->rd = open_channel(node(b, NODE_THREAD(thread)), 0);
	check_io(write(f->wr, f->buf, LEN), LEN, "msgslot write");
}

/* All threads on channel 0 of one slot. */
void setup_one_slot(struct bench *b, struct fixture *f, int thread)
{
	(void)thread;
	f->wr = f->rd = open_channel(node(b, NODE_SHARED), 0);
	check_io(write(f->wr, f->buf, LEN), LEN, "msgslot write");
}

/* The control: shares nothing in any driver. */
void setup_dev_zero(struct bench *b, struct fixture *f, int thread)
{
	(void)b, (void)thread;
	f->rd = open("/dev/zero", O_RDONLY);
	if (f->rd < 0)
		die("open /dev/zero: %s", strerror(errno));
}

void loop_read_3_write_1(struct fixture *f, long n)
{
	for (long i = 0; i < n; i++) {
		if ((i & 3) == 3)
			check_io(write(f->wr, f->buf, LEN), LEN,
				 "msgslot write");
		else
			check_io(read(f->rd, f->buf, LEN), LEN,
				 "msgslot read");
	}
}

struct worker {
	pthread_t tid;
	int cpu;
	const struct row *row;
	struct fixture f;
	pthread_barrier_t *start;
	atomic_int *stop;
	long long ops, ns;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	long long ops = 0, t0;

	pin(w->cpu);
	pthread_barrier_wait(w->start);
	t0 = now_ns();
	while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
		w->row->loop(&w->f, OPS_PER_CHECK);
		ops += OPS_PER_CHECK;
	}
	w->ns = now_ns() - t0;
	w->ops = ops;
	return NULL;
}

/* Calls per second of @nthreads threads of @row, in one run. */
static double run_threads(struct bench *b, const struct row *row,
			  int nthreads)
{
	long run_ms = section_run_ms(b, row->section);
	static struct worker w[MAX_THREADS];
	pthread_barrier_t start;
	atomic_int stop = 0;
	double rate = 0;
	int i, err;

	pthread_barrier_init(&start, NULL, (unsigned int)nthreads + 1);
	for (i = 0; i < nthreads; i++) {
		w[i].cpu = b->cpus[i % b->ncpus];
		w[i].row = row;
		w[i].start = &start;
		w[i].stop = &stop;
		init_fixture(&w[i].f, row);
		row->setup(b, &w[i].f, i);
	}
	for (i = 0; i < nthreads; i++) {
		err = pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
		if (err)
			die("pthread_create: %s", strerror(err));
	}
	pthread_barrier_wait(&start);
	sleep_ms(run_ms);
	atomic_store(&stop, 1);
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].tid, NULL);
		rate += w[i].ops * 1e9 / (double)(w[i].ns ? w[i].ns : 1);
		teardown_fixture(&w[i].f);
	}
	pthread_barrier_destroy(&start);
	return rate;
}

/*
 * The thread counts are the powers of 2 up to -j, and -j.  The runs are
 * interleaved like measure_section()'s; a first round warms up and is not
 * counted.
 */
void measure_threads(struct bench *b, enum section_id id)
{
	int i, n, r, levels = 0;

	_Static_assert(MAX_THREADS <= 1 << (MAX_LEVELS - 2),
		       "MAX_LEVELS holds every power of 2 to MAX_THREADS");
	for (n = 1; n <= b->max_threads; n *= 2)
		b->level_value[id][levels++] = n;
	if (b->level_value[id][levels - 1] != b->max_threads)
		b->level_value[id][levels++] = b->max_threads;
	for (r = -1; r < b->runs; r++)
		for (i = 0; i < row_count; i++)
			for (n = 0; n < levels && rows[i].section == id; n++) {
				double rate = run_threads(b, &rows[i],
					(int)b->level_value[id][n]);

				if (r >= 0)
					b->fig[i][n].runs[r] = rate;
			}
	for (i = 0; i < row_count; i++)
		for (n = 0; n < levels && rows[i].section == id; n++)
			b->fig[i][n].s = summarize(b->fig[i][n].runs, b->runs);
	b->levels[id] = levels;
	b->measured[id] = true;
}
