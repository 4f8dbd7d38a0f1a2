// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: the options, and the case: a run of the sequence from a seed.
 */
#include <getopt.h>
#include <sys/random.h>
#include <time.h>

#include "fuzz.h"

/* ---- setup ---------------------------------------------------------- */

static void make_nodes(void)
{
	size_t i;

	for (i = 0; i < NODES; i++)
		paths[i] = tagged_node(opt.range,
				       range_minor(opt.range,
						   node_table[i].minor),
				       node_table[i].name);
}

/* Start from a known state: every channel empty (a 0-byte write). */
static void clear_channels(void)
{
	unsigned int m;
	unsigned long ch;

	for (m = 0; m < MINORS; m++) {
		int fd = open(paths[m], O_WRONLY);

		if (fd < 0)
			broken(paths[m]);
		for (ch = 0; ch < CHANNELS; ch++)
			if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, ch) < 0 ||
			    write(fd, "", 0) != 0)
				broken("clearing the channels");
		close(fd);
	}
}

/* The seed goes to the kernel log too, in case the guest dies mid-run. */
static void log_seed(void)
{
	char line[160];
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0)
		return;
	snprintf(line, sizeof(line), "msgslot fuzz: seed %" PRIu64 ", up to "
		 "%lu iterations: fuzz --seed %" PRIu64 " --iterations %lu\n",
		 opt.seed, opt.iterations, opt.seed, opt.iterations);
	if (write(fd, line, strlen(line)) < 0)
		perror("/dev/kmsg");
	close(fd);
}

#define USAGE	"usage: fuzz [--seed N] [--iterations M] [--seconds S] " \
		"[--first-minor F]"

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 't' },
		{ "first-minor", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	bool seeded = false, counted = false, timed = false;
	int c;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.seed = option_number(optarg, 0, UINT64_MAX, USAGE);
			seeded = true;
			break;
		case 'i':
			opt.iterations = (unsigned long)option_number(optarg, 0,
				(unsigned long)-1 < 1ULL << 40 ?
				(unsigned long)-1 : 1ULL << 40, USAGE);
			counted = true;
			break;
		case 't':
			opt.seconds = (double)option_number(optarg, 0, 86400,
							      USAGE);
			timed = true;
			break;
		case 'm':
			opt.range = option_row(optarg, MINORS, USAGE);
			break;
		default:
			usage_exit(USAGE);
		}
	}
	if (optind != argc)
		usage_exit(USAGE);
	/* A given number of iterations runs to the end unless told otherwise. */
	if (counted && !timed)
		opt.seconds = 0;
	if (!seeded && getrandom(&opt.seed, sizeof(opt.seed), 0) !=
	    sizeof(opt.seed))
		opt.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
}

TEST(fuzz_against_model)
{
	double start, until;

	rng = opt.seed;
	printf("# fuzz seed %" PRIu64 ": up to %lu iterations", opt.seed,
	       opt.iterations);
	if (opt.seconds > 0)
		printf(" or %.0f s", opt.seconds);
	printf(" on minors %u-%u\n", range_minor(opt.range, 0),
	       range_minor(opt.range, MINORS - 1));
	log_seed();
	make_nodes();
	clear_channels();
	learn_generations();
	setup_arena();

	start = now();
	until = start + opt.seconds;
	for (iteration = 1; iteration <= opt.iterations; iteration++) {
		if (iteration % 64 == 0) {
			check_holes();
			if (opt.seconds > 0 && now() >= until)
				break;
		}
		step();
	}
	/* Last, everything the model holds, after the iterations done. */
	op = history[iteration % HISTORY];
	snprintf(op, DESCRIPTION, "#%lu (after the last) ", iteration);
	reproduce_with = --iteration;
	iteration++;
	verify_all();
	iteration--;

	printf("# fuzz: %lu iterations in %.1f s: %lu opens, %lu dups, "
	       "%lu closes; channel set %lu, refused %lu; %lu other ioctls "
	       "(ENOTTY); %lu writes (%lu stored), %lu reads (%lu read "
	       "back and compared); %lu GET_MESSAGE (%lu copied and "
	       "compared); %lu polls (%lu readable), %lu on bad pollfds; "
	       "failures as the model predicted: %lu EFAULT, %lu EINVAL, "
	       "%lu EBADF, %lu ESPIPE; %lu pages replaced, %lu full "
	       "comparisons; 0 divergences\n", iteration, now() - start,
	       tally.opens, tally.dups, tally.closes, tally.channel_set,
	       tally.channel_refused, tally.enotty, tally.writes, tally.stored,
	       tally.reads, tally.read_ok, tally.get_messages, tally.got,
	       tally.polls, tally.readable, tally.bad_polls, tally.efault,
	       tally.einval, tally.ebadf, tally.espipe, tally.discards,
	       tally.verifies);
	reproduce_line(iteration);
}

TEST_HARNESS_MAIN_OPTIONS(parse)
