// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench: msgslot against the kernel's own IPC, with 128-byte messages.
 *
 *   bench [-d DEVICE] [-r RUNS] [-m MILLISECONDS] [-s SLOTS] [-j THREADS]
 *         [-S SECTION,...] [-l LABEL]
 *   bench --list
 *
 * Runs as root with message_slot loaded, in the QEMU guest of make bench or
 * on any machine, best on a freshly loaded module: it writes to the minors
 * after DEVICE's own and allocates SLOTS slots (default 100,000), which stay
 * until rmmod.  It measures, in this order, the sections of rows.c:
 *
 *   - open + close of DEVICE, and of /dev/null, with 1 and 1,000 slots;
 *   - round trips of one 128-byte message on one thread, then the single
 *     calls they are made of;
 *   - wake-up ping-pongs between two processes on two CPUs;
 *   - thread scaling from 1 to the CPU count;
 *   - memory per slot: what the slabs of the module's cache and of the
 *     XArray grow by while the slots from 1,000 to SLOTS are allocated;
 *   - open + close with SLOTS slots allocated.
 *
 * Every figure is the median of RUNS runs (default 11) of about MILLISECONDS
 * (default 100; longer for some sections, rows.c) each.  The runs of a
 * section's rows are interleaved, and a ratio is the median of the ratios of
 * runs made back to back, so that other load on the machine skews them less.
 * The report (report.c) is a table, then JSON, then gnuplot data.  Under
 * software emulation only the ratios mean anything.  Exit status: 0 when
 * every workload ran (whether or not the goals were met), 1 on an error, 2
 * on a usage error.
 */
#include "bench.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("usage: bench [-d DEVICE] [-r RUNS] [-m MILLISECONDS] [-s SLOTS] "
	      "[-j THREADS]\n"
	      "             [-S SECTION,...] [-l LABEL]\n"
	      "       bench --list\n"
	      "Benchmark msgslot (module loaded, as root) against a pipe, a "
	      "POSIX message\nqueue, a UNIX socketpair, eventfds, a futex and "
	      "/dev/null + /dev/zero, with\n128-byte messages.\n"
	      "  -d DEVICE   the slot device (default $MSGSLOT_DEVICE, else "
	      "/dev/msgslot0)\n"
	      "  -r RUNS     runs per figure, the median is kept (default 11)\n"
	      "  -m MS       length of one run (default 100; threads: 2x, "
	      "wake-ups: 4x)\n"
	      "  -s SLOTS    slots to allocate for the memory and open figures "
	      "(default 100000)\n"
	      "  -j THREADS  most threads for the scaling figures (default: "
	      "the CPU count)\n"
	      "  -S SECTIONS only these, comma-separated (default all):\n"
	      "             ", f);
	for (int id = 0; id < SECTIONS; id++)
		fprintf(f, " %s", sections[id].name);
	fputs(" memory\n"
	      "  -l LABEL    name this run in its output's marker lines\n"
	      "  --list      print the sections, rows and goals, and exit\n"
	      "It writes to the minors after DEVICE's and allocates SLOTS "
	      "slots, which stay\nuntil rmmod: run it on a freshly loaded "
	      "module, not on one in use.\n", f);
}

static long number_arg(const char *arg, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || end == arg || *end || n < lo || n > hi) {
		fprintf(stderr, "bench: '%s' is not a number in %ld..%ld\n",
			arg, lo, hi);
		usage(stderr);
		exit(2);
	}
	return n;
}

/* -S: a comma-separated list of section names, and memory. */
static void choose_sections(struct bench *b, char *list)
{
	char *name, *save = NULL;
	int id;

	memset(b->run_section, 0, sizeof(b->run_section));
	b->run_memory = false;
	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		if (!strcmp(name, "memory")) {
			b->run_memory = true;
			continue;
		}
		for (id = 0; id < SECTIONS; id++)
			if (!strcmp(name, sections[id].name))
				break;
		if (id == SECTIONS) {
			fprintf(stderr, "bench: no section '%s'\n", name);
			usage(stderr);
			exit(2);
		}
		b->run_section[id] = true;
	}
}

static void label_arg(struct bench *b, const char *arg)
{
	if (!*arg || strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789") !=
	    strlen(arg)) {
		fprintf(stderr, "bench: a label is lower-case letters and "
			"digits, not '%s'\n", arg);
		exit(2);
	}
	b->label = arg;
}

static void parse_options(struct bench *b, int argc, char **argv)
{
	const char *env = getenv("MSGSLOT_DEVICE");
	int opt;

	b->device = env && *env ? env : "/dev/msgslot0";
	b->runs = 11;
	b->run_ms = 100;
	b->total_slots = 100000;
	for (int id = 0; id < SECTIONS; id++)
		b->run_section[id] = true;
	b->run_memory = true;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(argv[i], "--list")) {
			print_names(stdout);
			exit(0);
		}
	}
	while ((opt = getopt(argc, argv, "d:r:m:s:j:S:l:")) != -1) {
		switch (opt) {
		case 'd':
			b->device = optarg;
			break;
		case 'r':
			b->runs = (int)number_arg(optarg, 1, MAX_RUNS);
			break;
		case 'm':
			b->run_ms = number_arg(optarg, 1, 60000);
			break;
		case 's':
			b->total_slots = number_arg(optarg, 2000, MINOR_COUNT);
			break;
		case 'j':
			b->max_threads = (int)number_arg(optarg, 1,
							 MAX_THREADS);
			break;
		case 'S':
			choose_sections(b, optarg);
			break;
		case 'l':
			label_arg(b, optarg);
			break;
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(2);
	}
}

/* open + close at the @level-th slot count: @slots allocated. */
static void measure_open(struct bench *b, int level, long slots)
{
	printf("bench: open + close with %ld slot%s\n", slots,
	       slots == 1 ? "" : "s");
	allocate_slots(b, (unsigned long)slots);
	b->level_value[SEC_OPEN][level] = slots;
	measure_section(b, SEC_OPEN, level);
}

int main(int argc, char **argv)
{
	static struct bench b;
	long long t0 = now_ns();

	parse_options(&b, argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	open_device(&b);
	printf("bench: %s (major %u), %d CPUs, %d runs of ~%ld ms per "
	       "figure\n", b.device, b.major, b.ncpus, b.runs, b.run_ms);

	if (b.run_section[SEC_OPEN]) {
		measure_open(&b, 0, 1);
		measure_open(&b, 1, 1000);
	}
	/* The sections in the table's order; open + close as the slots grow. */
	for (int id = 0; id < SECTIONS; id++) {
		if (!b.run_section[id] || sections[id].levels == LEVEL_SLOTS)
			continue;
		printf("bench: %s\n", sections[id].name);
		if (sections[id].levels == LEVEL_THREADS)
			measure_threads(&b, id);
		else
			measure_section(&b, id, 0);
	}
	if (b.run_memory) {
		/* The growth from 1,000 slots on, as open + close leaves it. */
		allocate_slots(&b, 1000);
		printf("bench: memory, allocating slots up to %ld\n",
		       b.total_slots);
		measure_memory(&b, (unsigned long)b.total_slots);
	}
	if (b.run_section[SEC_OPEN])
		measure_open(&b, 2, b.total_slots);
	printf("bench: done in %.0f s\n\n", (now_ns() - t0) / 1e9);

	print_report(&b);
	return 0;
}
