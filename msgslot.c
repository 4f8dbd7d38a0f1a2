// SPDX-License-Identifier: GPL-2.0-only
/*
 * msgslot: send, read and watch messages through message slot devices.
 *
 * One binary, several commands, all in the table commands[]: each row is a
 * command's name, the link that also runs it, its options, its operands,
 * its help and its handler, and usage, help and option parsing are made
 * from the rows.  A new command is one row and its function.  The command
 * is chosen by the name the binary was called by first (a link such as
 * message_reader), then by its first argument.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "module/message_slot.h"
#include <msgslot_map.h>

#ifndef MSGSLOT_VERSION
#error "MSGSLOT_VERSION is not set: build through the top-level Makefile"
#endif

#define DEFAULT_DEVICE	"/dev/msgslot0"
#define EXIT_USAGE	2
#define MAX_OPTIONS	16	/* of one command, --help and --version included */
#define HELP_COLUMN	23	/* where an option's help text starts */

/* What the options of the command line set; each command reads its own. */
struct options {
	const char *device;
	bool quiet;
	bool raw;
	bool syscall;		/* read with system calls, not the map */
	unsigned long count;	/* watch: stop after this many; 0: never */
	double timeout;		/* watch: seconds without news; 0: none */
};

/* Option keys: a short option's letter, or a long-only option past 255. */
enum { OPT_RAW = 256, OPT_SYSCALL };

struct option_spec {
	int key;
	const char *name;	/* --NAME */
	const char *arg;	/* its argument, as help shows it; NULL: none */
	const char *help;	/* one line or more, each ending in '\n' */
};

struct command {
	const char *name;	/* msgslot NAME ... */
	const char *link;	/* or a link of this name; NULL: none */
	const char *summary;	/* one line, for msgslot --help */
	const struct option_spec *options;	/* ends with key 0 */
	bool options_first;	/* options end at the first operand */
	const char *operands;	/* as usage shows them */
	int min_operands, max_operands;	/* max -1: no limit */
	const char *help;	/* what it does, above its options */
	int (*run)(const struct command *cmd, const struct options *opts,
		   int argc, char **argv);
};

#define OPTION_DEVICE { 'd', "device", "DEVICE", \
	"the message slot device (default: $MSGSLOT_DEVICE,\n" \
	"or " DEFAULT_DEVICE ")\n" }
#define OPTION_QUIET { 'q', "quiet", NULL, \
	"print no status line on standard error\n" }
#define OPTION_SYSCALL { OPT_SYSCALL, "syscall", NULL, \
	"read with system calls, not through a read-only\n" \
	"mapping of the slot\n" }

/* Every command takes these, after its own. */
static const struct option_spec common_options[] = {
	{ 'h', "help", NULL, "display this help and exit\n" },
	{ 'V', "version", NULL, "display version and exit\n" },
	{ 0 },
};

static int send_main(const struct command *cmd, const struct options *opts,
		     int argc, char **argv);
static int read_main(const struct command *cmd, const struct options *opts,
		     int argc, char **argv);
static int watch_main(const struct command *cmd, const struct options *opts,
		      int argc, char **argv);
static int stat_main(const struct command *cmd, const struct options *opts,
		     int argc, char **argv);

static const struct command commands[] = {
	{
		.name = "send", .link = "message_sender", .run = send_main,
		.summary = "store a message on a channel",
		.options = (const struct option_spec[]){
			OPTION_DEVICE, OPTION_QUIET, { 0 },
		},
		/* So that a message may begin with '-'. */
		.options_first = true,
		.operands = "CHANNEL MESSAGE...",
		.min_operands = 2, .max_operands = -1,
		.help =
"Store MESSAGE on channel CHANNEL (0-3) of a message slot device, replacing\n"
"the message stored there.  The words of MESSAGE are joined by single\n"
"spaces; a MESSAGE of - alone is read from standard input.  Past 128 bytes\n"
"a message is truncated, and the status line says so.\n",
	},
	{
		.name = "read", .link = "message_reader", .run = read_main,
		.summary = "print the message of a channel",
		.options = (const struct option_spec[]){
			OPTION_DEVICE, OPTION_QUIET, OPTION_SYSCALL,
			{ OPT_RAW, "raw", NULL,
			  "write all 128 bytes as stored, without a newline\n" },
			{ 0 },
		},
		.operands = "CHANNEL",
		.min_operands = 1, .max_operands = 1,
		.help =
"Print the message stored on channel CHANNEL (0-3) of a message slot device,\n"
"up to its first NUL byte, and a newline.  Reading does not consume it.\n",
	},
	{
		.name = "watch", .link = "message_watcher", .run = watch_main,
		.summary = "print each new message of channels as it comes",
		.options = (const struct option_spec[]){
			OPTION_DEVICE, OPTION_QUIET, OPTION_SYSCALL,
			{ 'n', "count", "COUNT",
			  "exit after COUNT messages\n" },
			{ 't', "timeout", "SECONDS",
			  "exit with status 1 if no new message comes\n"
			  "for SECONDS\n" },
			{ 0 },
		},
		.operands = "CHANNEL...",
		.min_operands = 1, .max_operands = -1,
		.help =
"Print the message of each CHANNEL (0-3) that has one, then each new message\n"
"as it is written, a line each, up to its first NUL byte; with more than one\n"
"CHANNEL, each line begins with the channel and ': '.  A channel keeps only\n"
"its last message: the status line counts the messages written while watch\n"
"was not looking, which it skipped.  Ends on SIGINT, SIGTERM, or when\n"
"standard output is a pipe that nobody reads any more.\n",
	},
	{
		.name = "stat", .run = stat_main,
		.summary = "print what is known of the last write of channels",
		.options = (const struct option_spec[]){
			OPTION_DEVICE, OPTION_SYSCALL, { 0 },
		},
		.operands = "[CHANNEL...]",
		.min_operands = 0, .max_operands = -1,
		.help =
"Print a line for each CHANNEL (default: every channel) of a message slot\n"
"device: its generation (writes so far), the length of its message, and the\n"
"time of its last write with its age, or that it was never written:\n"
"\n"
"  channel 2 generation 5 length 11 written 2026-12-02T05:20:01+00:00 age 3s\n"
"  channel 3 never written\n",
	},
};

#define N_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

/*
 * stdout is where the messages go: a failed write of them is an error.  A
 * closed stdout with nothing written to it is not (send prints nothing).
 */
static void close_stdout(void)
{
	bool pending = __fpending(stdout) != 0;
	bool failed = ferror(stdout);

	if (fclose(stdout) != 0 && (pending || errno != EBADF))
		failed = true;
	if (failed) {
		warnx("write error on standard output");
		_exit(EXIT_FAILURE);
	}
}

static void __attribute__((noreturn)) print_version(void)
{
	printf("msgslot %s\n", MSGSLOT_VERSION);
	exit(EXIT_SUCCESS);
}

/* Option @i of @cmd: its own options, then the common ones; NULL past them. */
static const struct option_spec *option_at(const struct command *cmd, int i)
{
	int own = 0;

	while (cmd->options[own].key)
		own++;
	if (i < own)
		return &cmd->options[i];
	i -= own;
	return common_options[i].key ? &common_options[i] : NULL;
}

static void print_synopsis(FILE *out, const char *prefix, const char *name,
			   const struct command *cmd)
{
	const struct option_spec *o;

	fprintf(out, "%s%s", prefix, name);
	for (o = cmd->options; o->key; o++) {
		if (o->key > UCHAR_MAX)
			fprintf(out, " [--%s]", o->name);
		else if (o->arg)
			fprintf(out, " [-%c %s]", o->key, o->arg);
		else
			fprintf(out, " [-%c]", o->key);
	}
	fprintf(out, " %s\n", cmd->operands);
}

/* "  -d, --device=DEVICE  the ..." with the help's lines aligned. */
static void print_option_help(FILE *out, const struct option_spec *o)
{
	const char *line = o->help, *end;
	int width;

	if (o->key > UCHAR_MAX)
		width = fprintf(out, "      --%s", o->name);
	else
		width = fprintf(out, "  -%c, --%s", o->key, o->name);
	if (o->arg)
		width += fprintf(out, "=%s", o->arg);
	if (width > HELP_COLUMN - 2) {
		fputc('\n', out);
		width = 0;
	}
	for (; *line; line = end + 1) {
		end = strchr(line, '\n');
		fprintf(out, "%*s%.*s\n", HELP_COLUMN - width, "",
			(int)(end - line), line);
		width = 0;
	}
}

static void __attribute__((noreturn))
command_usage(const struct command *cmd, int status)
{
	FILE *out = status == EXIT_SUCCESS ? stdout : stderr;
	const struct option_spec *o;
	int i;

	print_synopsis(out, "Usage: msgslot ", cmd->name, cmd);
	if (cmd->link)
		print_synopsis(out, "       ", cmd->link, cmd);
	if (status != EXIT_SUCCESS) {
		if (cmd->link &&
		    strcmp(program_invocation_short_name, cmd->link) == 0)
			fprintf(out, "Try '%s --help' for more information.\n",
				cmd->link);
		else
			fprintf(out, "Try 'msgslot %s --help' for more "
				"information.\n", cmd->name);
		exit(status);
	}
	fprintf(out, "\n%s\nOptions:\n", cmd->help);
	for (i = 0; (o = option_at(cmd, i)); i++)
		print_option_help(out, o);
	/* The completion reads this line: keep the words. */
	if (cmd->options_first)
		fputs("\nOptions come before the operands: the first operand "
		      "ends them.\n", out);
	fputs("\nExit status: 0 on success, 1 if the device failed, 2 on a usage "
	      "error.\n", out);
	exit(status);
}

static void __attribute__((noreturn)) usage(int status)
{
	FILE *out = status == EXIT_SUCCESS ? stdout : stderr;
	const struct command *cmd;

	fputs("Usage: msgslot COMMAND [OPTION]... ARGUMENT...\n", out);
	for (cmd = commands; cmd < commands + N_COMMANDS; cmd++)
		print_synopsis(out, "       msgslot ", cmd->name, cmd);
	if (status != EXIT_SUCCESS) {
		fputs("Try 'msgslot --help' for more information.\n", out);
		exit(status);
	}
	fputs("\nSend, read and watch messages through message slot devices:\n"
	      "each channel keeps the last message written to it until it is\n"
	      "overwritten.\n\nCommands:\n", out);
	for (cmd = commands; cmd < commands + N_COMMANDS; cmd++) {
		fprintf(out, "  %-7s %s", cmd->name, cmd->summary);
		if (cmd->link)
			fprintf(out, " (also: %s)", cmd->link);
		fputc('\n', out);
	}
	fputs("\nRun 'msgslot COMMAND --help' for a command's options.\n", out);
	exit(status);
}

/* A channel is a plain decimal number; the driver says which are valid. */
static unsigned long parse_channel(const struct command *cmd, const char *arg)
{
	unsigned long channel;
	char *end;

	if (*arg < '0' || *arg > '9')
		goto invalid;
	errno = 0;
	channel = strtoul(arg, &end, 10);
	if (errno || *end)
		goto invalid;
	return channel;

invalid:
	warnx("invalid channel '%s': expected a number from 0 to %d",
	      arg, MSGSLOT_CHANNELS - 1);
	command_usage(cmd, EXIT_USAGE);
}

/* One open file of the device, set to one channel. */
struct channel {
	unsigned long number;
	int fd;
	__u64 generation;	/* of the message this file fetched last */
	const struct msgslot_map *map;	/* the slot mapped, or NULL */
};

/*
 * Open @opts->device and point the new file at @ch->number.  The file never
 * takes descriptor 0, 1 or 2: with standard output closed, a message meant
 * for it must not land on the device.
 */
static void open_channel(const struct options *opts, struct channel *ch)
{
	int fd = open(opts->device, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		err(EXIT_FAILURE, "%s", opts->device);
	if (fd <= STDERR_FILENO) {
		ch->fd = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		if (ch->fd < 0)
			err(EXIT_FAILURE, "%s", opts->device);
		close(fd);
	} else {
		ch->fd = fd;
	}
	if (ioctl(ch->fd, MSGSLOT_IOC_SET_CHANNEL, ch->number) < 0)
		err(EXIT_FAILURE, "%s: channel %lu", opts->device, ch->number);
	ch->generation = 0;
	/*
	 * Read through the map where the driver offers one, with system
	 * calls where it does not (a module without mmap: ENODEV).
	 */
	ch->map = opts->syscall ? NULL : msgslot_map(ch->fd);
}

static void set_channel(const struct options *opts, struct channel *ch,
			unsigned long number)
{
	ch->number = number;
	if (ioctl(ch->fd, MSGSLOT_IOC_SET_CHANNEL, number) < 0)
		err(EXIT_FAILURE, "%s: channel %lu", opts->device, number);
	ch->generation = 0;
}

static void close_channel(const struct options *opts, struct channel *ch)
{
	if (ch->map)
		msgslot_unmap(ch->map);
	if (close(ch->fd) < 0)
		err(EXIT_FAILURE, "%s: channel %lu", opts->device, ch->number);
}

/*
 * The message of @ch and the metadata of the write that stored it, all of
 * one write, marked seen by @ch's file (so poll() waits for the next one).
 * read, watch and stat all fetch messages here and only here: through the
 * map, with no system call but the empty read() that marks what the channel
 * holds seen, before the look at the map so that no write between the two
 * is missed (msgslot_map_wait() does the same); or, without a map, with
 * MSGSLOT_IOC_GET_MESSAGE, which copies and marks in one.
 */
static void get_message(const struct options *opts, struct channel *ch,
			struct msgslot_message *m)
{
	if (ch->map) {
		if (read(ch->fd, NULL, 0) < 0 ||
		    msgslot_map_read(ch->map, (unsigned int)ch->number, m) < 0)
			err(EXIT_FAILURE, "%s: channel %lu: read",
			    opts->device, ch->number);
		return;
	}
	if (ioctl(ch->fd, MSGSLOT_IOC_GET_MESSAGE, m) < 0)
		err(EXIT_FAILURE, "%s: channel %lu: read", opts->device,
		    ch->number);
}

/*
 * The message from the operands: their words joined by single spaces, as
 * echo joins them.  Keep the first MSGSLOT_MSG_LEN bytes in @msg and return
 * how many there were in all, so the status line can say what was cut off.
 */
static size_t join_words(char *msg, int argc, char **argv)
{
	size_t total = 0, len;
	int i;

	for (i = 0; i < argc; i++) {
		len = strlen(argv[i]) + (i > 0);
		if (total < MSGSLOT_MSG_LEN) {
			snprintf(msg + total, MSGSLOT_MSG_LEN + 1 - total,
				 "%s%s", i > 0 ? " " : "", argv[i]);
		}
		total += len;
	}
	return total;
}

/* The message from standard input, kept and counted as join_words() does. */
static size_t read_stdin(char *msg)
{
	char scratch[4096];
	size_t kept = 0, total = 0;
	ssize_t n;

	for (;;) {
		if (kept < MSGSLOT_MSG_LEN)
			n = read(STDIN_FILENO, msg + kept, MSGSLOT_MSG_LEN - kept);
		else
			n = read(STDIN_FILENO, scratch, sizeof(scratch));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(EXIT_FAILURE, "standard input");
		if (n == 0)
			return total;
		if (kept < MSGSLOT_MSG_LEN)
			kept += (size_t)n;
		total += (size_t)n;
	}
}

static int send_main(const struct command *cmd, const struct options *opts,
		     int argc, char **argv)
{
	struct channel ch = { .number = parse_channel(cmd, argv[0]) };
	char msg[MSGSLOT_MSG_LEN + 1];	/* + 1: room for snprintf's NUL */
	size_t len, total;
	ssize_t n;
	int fd;

	if (argc == 2 && strcmp(argv[1], "-") == 0)
		total = read_stdin(msg);
	else
		total = join_words(msg, argc - 1, argv + 1);
	len = total < MSGSLOT_MSG_LEN ? total : MSGSLOT_MSG_LEN;

	fd = open(opts->device, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		err(EXIT_FAILURE, "%s", opts->device);
	ch.fd = fd;
	set_channel(opts, &ch, ch.number);
	n = write(fd, msg, len);
	if (n < 0)
		err(EXIT_FAILURE, "%s: channel %lu: write", opts->device,
		    ch.number);
	if ((size_t)n != len)
		errx(EXIT_FAILURE, "%s: channel %lu: stored %zd of %zu bytes",
		     opts->device, ch.number, n, len);
	close_channel(opts, &ch);

	if (opts->quiet)
		return EXIT_SUCCESS;
	if (len < total)
		fprintf(stderr, "%s: sent %zu of %zu bytes to channel %lu of %s "
			"(truncated to %d)\n", program_invocation_short_name,
			len, total, ch.number, opts->device, MSGSLOT_MSG_LEN);
	else
		fprintf(stderr, "%s: sent %zu bytes to channel %lu of %s\n",
			program_invocation_short_name, len, ch.number,
			opts->device);
	return EXIT_SUCCESS;
}

static int read_main(const struct command *cmd, const struct options *opts,
		     int argc, char **argv)
{
	struct channel ch = { .number = parse_channel(cmd, argv[0]) };
	struct msgslot_message m;
	size_t len;

	(void)argc;
	open_channel(opts, &ch);
	get_message(opts, &ch, &m);
	close_channel(opts, &ch);

	len = opts->raw ? sizeof(m.data) : strnlen((char *)m.data, m.length);
	fwrite(m.data, 1, len, stdout);
	if (!opts->raw)
		putchar('\n');

	if (!opts->quiet)
		fprintf(stderr, "%s: read %zu bytes from channel %lu of %s\n",
			program_invocation_short_name, len, ch.number,
			opts->device);
	return EXIT_SUCCESS;
}

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/*
 * SIGINT and SIGTERM stop watch between two messages: they stay blocked but
 * while watch waits in ppoll(), which returns EINTR when one comes.  With
 * SIGPIPE ignored, a write to a pipe nobody reads fails with EPIPE.
 */
static void catch_stop_signals(sigset_t *waiting)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, waiting);
	sigdelset(waiting, SIGINT);
	sigdelset(waiting, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The rest of @deadline, for ppoll(); NULL for no deadline. */
static struct timespec *time_left(double deadline, struct timespec *ts)
{
	double left;

	if (deadline == 0)
		return NULL;
	left = deadline - now_seconds();
	if (left < 0)
		left = 0;
	ts->tv_sec = (time_t)left;
	ts->tv_nsec = (long)((left - (double)ts->tv_sec) * 1e9);
	return ts;
}

/*
 * Print one message of @ch, prefixed with its channel when several are
 * watched.  Returns false when standard output is a pipe nobody reads.
 */
static bool print_message(const struct channel *ch,
			  const struct msgslot_message *m, bool prefix)
{
	if (prefix)
		printf("%lu: ", ch->number);
	fwrite(m->data, 1, strnlen((const char *)m->data, m->length), stdout);
	putchar('\n');
	if (fflush(stdout) == 0)
		return true;
	if (errno != EPIPE)
		err(EXIT_FAILURE, "write error on standard output");
	/* The reader is gone: not an error, and nothing more to flush. */
	clearerr(stdout);
	__fpurge(stdout);
	return false;
}

static int watch_main(const struct command *cmd, const struct options *opts,
		      int argc, char **argv)
{
	struct channel *chs = calloc((size_t)argc, sizeof(*chs));
	struct pollfd *pfds = calloc((size_t)argc + 1, sizeof(*pfds));
	struct pollfd *out = &pfds[argc];
	unsigned long printed = 0;
	__u64 skipped = 0;
	struct msgslot_message m;
	struct timespec ts;
	double deadline = 0;
	sigset_t waiting;
	int status = EXIT_SUCCESS;
	int i, n;

	if (!chs || !pfds)
		err(EXIT_FAILURE, "watch");
	for (i = 0; i < argc; i++)
		chs[i].number = parse_channel(cmd, argv[i]);
	for (i = 0; i < argc; i++) {
		open_channel(opts, &chs[i]);
		pfds[i] = (struct pollfd){ .fd = chs[i].fd, .events = POLLIN };
	}
	/*
	 * Standard output too, for no event: poll() reports POLLERR on a
	 * pipe whose reader has gone, so watch ends at once rather than at
	 * the next message (msgslot watch 2 | head -1).
	 */
	*out = (struct pollfd){ .fd = STDOUT_FILENO };
	catch_stop_signals(&waiting);

	while (!opts->count || printed < opts->count) {
		if (opts->timeout && !deadline)
			deadline = now_seconds() + opts->timeout;
		n = ppoll(pfds, (nfds_t)argc + 1, time_left(deadline, &ts),
			  &waiting);
		if (n < 0 && errno == EINTR && stop_signal)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(EXIT_FAILURE, "%s: poll", opts->device);
		if (n == 0) {
			status = EXIT_FAILURE;
			break;
		}
		if (out->revents & (POLLERR | POLLHUP))
			break;
		for (i = 0; i < argc; i++) {
			if (pfds[i].revents & (POLLERR | POLLNVAL))
				errx(EXIT_FAILURE, "%s: channel %lu: poll "
				     "error", opts->device, chs[i].number);
			if (!(pfds[i].revents & POLLIN))
				continue;
			get_message(opts, &chs[i], &m);
			/* The first message is current, not news of a skip. */
			if (chs[i].generation && m.generation > chs[i].generation)
				skipped += m.generation - chs[i].generation - 1;
			chs[i].generation = m.generation;
			if (!print_message(&chs[i], &m, argc > 1))
				goto done;
			deadline = 0;
			if (++printed == opts->count)
				break;
		}
	}
done:
	for (i = 0; i < argc; i++)
		close_channel(opts, &chs[i]);
	if (!opts->quiet) {
		fprintf(stderr, "%s: printed %lu message%s from %s %s",
			program_invocation_short_name, printed,
			printed == 1 ? "" : "s",
			argc > 1 ? "channels" : "channel", argv[0]);
		for (i = 1; i < argc; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, " of %s, skipped %" PRIu64 "\n", opts->device,
			(uint64_t)skipped);
	}
	if (status != EXIT_SUCCESS)
		warnx("no new message in %g seconds", opts->timeout);
	free(chs);
	free(pfds);
	return status;
}

/* "2026-12-02T05:20:01+00:00": ISO 8601 in local time, with the offset. */
static void format_time(char *buf, size_t size, time_t t)
{
	struct tm tm;
	size_t n;

	if (!localtime_r(&t, &tm) ||
	    !(n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm)) || n < 2) {
		snprintf(buf, size, "@%jd", (intmax_t)t);
		return;
	}
	/* strftime's %z is +hhmm; ISO 8601's extended form is +hh:mm. */
	memmove(buf + n - 1, buf + n - 2, 3);
	buf[n - 2] = ':';
}

static int stat_main(const struct command *cmd, const struct options *opts,
		     int argc, char **argv)
{
	unsigned long numbers[MSGSLOT_CHANNELS], *number = numbers;
	struct channel ch = { .number = 0 };
	struct msgslot_message m;
	struct timespec now;
	char when[64];
	int i, n = argc ? argc : MSGSLOT_CHANNELS;

	if (argc) {
		number = calloc((size_t)argc, sizeof(*number));
		if (!number)
			err(EXIT_FAILURE, "stat");
	}
	for (i = 0; i < n; i++)
		number[i] = argc ? parse_channel(cmd, argv[i]) : (unsigned long)i;

	open_channel(opts, &ch);
	for (i = 0; i < n; i++) {
		set_channel(opts, &ch, number[i]);
		get_message(opts, &ch, &m);
		if (m.generation == 0) {
			printf("channel %lu never written\n", ch.number);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &now);
		format_time(when, sizeof(when),
			    (time_t)(m.time_ns / 1000000000));
		printf("channel %lu generation %" PRIu64 " length %u written %s "
		       "age %llds\n", ch.number, (uint64_t)m.generation,
		       m.length, when,
		       (long long)((now.tv_sec * 1000000000LL + now.tv_nsec -
				    m.time_ns) / 1000000000LL));
	}
	close_channel(opts, &ch);
	if (number != numbers)
		free(number);
	return EXIT_SUCCESS;
}

/* A positive number for -n or -t, in decimal digits, at most @max. */
static double parse_positive(const struct command *cmd, const char *opt,
			     const char *arg, double max, bool integer)
{
	const char *digits = integer ? "0123456789" : "0123456789.";
	double value;
	char *end;

	value = strtod(arg, &end);
	if (!*arg || arg[strspn(arg, digits)] || *end || value <= 0 ||
	    value > max) {
		warnx("invalid %s '%s': expected a %s greater than 0, at most "
		      "%.0f", opt, arg, integer ? "whole number" : "number", max);
		command_usage(cmd, EXIT_USAGE);
	}
	return value;
}

/* Set what option @key of @cmd says; getopt has checked @cmd takes it. */
static void set_option(const struct command *cmd, struct options *opts,
		       int key, const char *arg)
{
	switch (key) {
	case 'd':
		if (!*arg) {
			warnx("the device name is empty");
			command_usage(cmd, EXIT_USAGE);
		}
		opts->device = arg;
		break;
	case 'q':
		opts->quiet = true;
		break;
	case OPT_RAW:
		opts->raw = true;
		break;
	case OPT_SYSCALL:
		opts->syscall = true;
		break;
	case 'n':
		opts->count = (unsigned long)parse_positive(cmd, "count", arg,
							   1e9, true);
		break;
	case 't':
		opts->timeout = parse_positive(cmd, "timeout", arg, 1e6, false);
		break;
	case 'h':
		command_usage(cmd, EXIT_SUCCESS);
	case 'V':
		print_version();
	}
}

static int run_command(const struct command *cmd, int argc, char **argv)
{
	struct option longopts[MAX_OPTIONS + 1] = { { 0 } };
	char shortopts[2 * MAX_OPTIONS + 3];
	const struct option_spec *o;
	struct options opts = { .device = getenv("MSGSLOT_DEVICE") };
	size_t nlong = 0, nshort = 0;
	int c, i, operands;

	if (!opts.device || !*opts.device)
		opts.device = DEFAULT_DEVICE;

	/*
	 * '+': options end at the first operand.  ':': report errors here,
	 * under the program's name.
	 */
	if (cmd->options_first)
		shortopts[nshort++] = '+';
	shortopts[nshort++] = ':';
	for (i = 0; (o = option_at(cmd, i)); i++) {
		if (nlong == MAX_OPTIONS)
			errx(EXIT_FAILURE, "%s: more than %d options: raise "
			     "MAX_OPTIONS", cmd->name, MAX_OPTIONS);
		longopts[nlong++] = (struct option){
			o->name, o->arg ? required_argument : no_argument,
			NULL, o->key };
		if (o->key > UCHAR_MAX)
			continue;
		shortopts[nshort++] = (char)o->key;
		if (o->arg)
			shortopts[nshort++] = ':';
	}
	shortopts[nshort] = '\0';

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == ':') {
			warnx("option '%s' needs an argument", argv[optind - 1]);
			command_usage(cmd, EXIT_USAGE);
		}
		if (c != '?') {
			set_option(cmd, &opts, c, optarg);
			continue;
		}
		/*
		 * getopt_long() sets optopt to 0 for an unknown long option, to
		 * the option's key for a long option given an argument it does
		 * not take, and to the character of an unknown short option.
		 */
		for (i = 0; optopt && (o = option_at(cmd, i)); i++)
			if (o->key == optopt)
				break;
		if (optopt == 0)
			warnx("unrecognized option '%s'", argv[optind - 1]);
		else if (o)
			warnx("option '%s' doesn't allow an argument",
			      argv[optind - 1]);
		else
			warnx("invalid option -- '%c'", optopt);
		command_usage(cmd, EXIT_USAGE);
	}

	operands = argc - optind;
	if (operands < cmd->min_operands) {
		warnx("missing operand");
		command_usage(cmd, EXIT_USAGE);
	}
	if (cmd->max_operands >= 0 && operands > cmd->max_operands) {
		warnx("extra operand '%s'", argv[optind + cmd->max_operands]);
		command_usage(cmd, EXIT_USAGE);
	}
	return cmd->run(cmd, &opts, operands, argv + optind);
}

int main(int argc, char **argv)
{
	const char *name = program_invocation_short_name;
	const struct command *cmd;

	atexit(close_stdout);

	for (cmd = commands; cmd < commands + N_COMMANDS; cmd++)
		if (cmd->link && strcmp(name, cmd->link) == 0)
			return run_command(cmd, argc, argv);

	if (argc < 2)
		usage(EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage(EXIT_SUCCESS);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		print_version();

	for (cmd = commands; cmd < commands + N_COMMANDS; cmd++)
		if (strcmp(argv[1], cmd->name) == 0)
			return run_command(cmd, argc - 1, argv + 1);

	warnx("unknown command '%s'", argv[1]);
	usage(EXIT_USAGE);
}
