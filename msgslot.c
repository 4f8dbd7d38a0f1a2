// SPDX-License-Identifier: GPL-2.0-only
/*
 * msgslot: send and read messages through message slot devices.
 *
 * One binary, several commands: "msgslot send" and "msgslot read", also
 * reached through links named message_sender and message_reader, which take
 * the same options and arguments.  The command is chosen by the name the
 * binary was called by first, then by its first argument.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "module/message_slot.h"

#ifndef MSGSLOT_VERSION
#error "MSGSLOT_VERSION is not set: build through the top-level Makefile"
#endif

#define DEFAULT_DEVICE	"/dev/msgslot0"
#define EXIT_USAGE	2

struct options {
	const char *device;
	bool quiet;
	bool raw;
};

struct command {
	const char *name;	/* msgslot NAME ... */
	const char *link;	/* or a link of this name to the binary */
	int (*run)(const struct options *opts, int argc, char **argv);
	int nargs;		/* operands after the options */
	const char *synopsis;	/* options and operands */
	const char *help;	/* what it does, and its own options */
};

static int send_main(const struct options *opts, int argc, char **argv);
static int read_main(const struct options *opts, int argc, char **argv);

static const struct command commands[] = {
	{
		.name = "send", .link = "message_sender", .run = send_main,
		.nargs = 2,
		.synopsis = "[-q] [-d DEVICE] CHANNEL MESSAGE",
		.help =
"Store MESSAGE on channel CHANNEL (0-3) of a message slot device, replacing\n"
"the message stored there.  A MESSAGE of - is read from standard input.\n"
"Past 128 bytes a message is truncated, and the status line says so.\n",
	},
	{
		.name = "read", .link = "message_reader", .run = read_main,
		.nargs = 1,
		.synopsis = "[-q] [-d DEVICE] [--raw] CHANNEL",
		.help =
"Print the message stored on channel CHANNEL (0-3) of a message slot device,\n"
"up to its first NUL byte, and a newline.  Reading does not consume it.\n"
"\n"
"      --raw            write all 128 bytes as stored, without a newline\n",
	},
};

static const char common_help[] =
"  -d, --device=DEVICE  the message slot device (default: $MSGSLOT_DEVICE,\n"
"                       or " DEFAULT_DEVICE ")\n"
"  -q, --quiet          print no status line on standard error\n"
"  -h, --help           display this help and exit\n"
"  -V, --version        display version and exit\n"
"\n"
"Exit status: 0 on success, 1 if the device failed, 2 on a usage error.\n";

/* stdout is where the message goes: a failed write of it is an error. */
static void close_stdout(void)
{
	if (ferror(stdout) || fclose(stdout) != 0) {
		warnx("write error on standard output");
		_exit(EXIT_FAILURE);
	}
}

static void __attribute__((noreturn)) print_version(void)
{
	printf("msgslot %s\n", MSGSLOT_VERSION);
	exit(EXIT_SUCCESS);
}

static void __attribute__((noreturn))
command_usage(const struct command *cmd, int status)
{
	FILE *out = status == EXIT_SUCCESS ? stdout : stderr;

	fprintf(out, "Usage: msgslot %s %s\n", cmd->name, cmd->synopsis);
	fprintf(out, "       %s %s\n", cmd->link, cmd->synopsis);
	if (status != EXIT_SUCCESS) {
		if (strcmp(program_invocation_short_name, cmd->link) == 0)
			fprintf(out, "Try '%s --help' for more information.\n",
				cmd->link);
		else
			fprintf(out, "Try 'msgslot %s --help' for more "
				"information.\n", cmd->name);
		exit(status);
	}
	fprintf(out, "\n%s\nOptions:\n%s", cmd->help, common_help);
	exit(status);
}

static void __attribute__((noreturn)) usage(int status)
{
	FILE *out = status == EXIT_SUCCESS ? stdout : stderr;
	size_t i;

	fputs("Usage: msgslot COMMAND [OPTION]... ARGUMENT...\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "       msgslot %s %s\n", commands[i].name,
			commands[i].synopsis);
	if (status != EXIT_SUCCESS) {
		fputs("Try 'msgslot --help' for more information.\n", out);
		exit(status);
	}
	fputs("\nSend and read messages through message slot devices: each\n"
	      "channel keeps the last message written to it until it is\n"
	      "overwritten.\n\n"
	      "Commands:\n"
	      "  send    store a message on a channel (also: message_sender)\n"
	      "  read    print the message of a channel (also: message_reader)\n\n"
	      "Run 'msgslot COMMAND --help' for a command's options.\n", out);
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

/* Open @opts->device and point the new file at @channel. */
static int open_channel(const struct options *opts, unsigned long channel,
			int flags)
{
	int fd = open(opts->device, flags | O_CLOEXEC);

	if (fd < 0)
		err(EXIT_FAILURE, "%s", opts->device);
	if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, channel) < 0)
		err(EXIT_FAILURE, "%s: channel %lu", opts->device, channel);
	return fd;
}

static void close_channel(const struct options *opts, unsigned long channel,
			  int fd)
{
	if (close(fd) < 0)
		err(EXIT_FAILURE, "%s: channel %lu", opts->device, channel);
}

/*
 * Read a message from standard input: keep the first MSGSLOT_MSG_LEN bytes,
 * count the rest so that the status line can say what was cut off.
 */
static size_t read_stdin(char *msg, size_t *total)
{
	char scratch[4096];
	size_t kept = 0;
	ssize_t n;

	*total = 0;
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
			return kept;
		if (kept < MSGSLOT_MSG_LEN)
			kept += (size_t)n;
		*total += (size_t)n;
	}
}

static int send_main(const struct options *opts, int argc, char **argv)
{
	unsigned long channel = parse_channel(&commands[0], argv[0]);
	char stdin_msg[MSGSLOT_MSG_LEN];
	const char *msg = argv[1];
	size_t len, total;
	ssize_t n;
	int fd;

	(void)argc;
	if (strcmp(msg, "-") == 0) {
		len = read_stdin(stdin_msg, &total);
		msg = stdin_msg;
	} else {
		total = strlen(msg);
		len = total < MSGSLOT_MSG_LEN ? total : MSGSLOT_MSG_LEN;
	}

	fd = open_channel(opts, channel, O_WRONLY);
	n = write(fd, msg, len);
	if (n < 0)
		err(EXIT_FAILURE, "%s: channel %lu: write", opts->device,
		    channel);
	if ((size_t)n != len)
		errx(EXIT_FAILURE, "%s: channel %lu: stored %zd of %zu bytes",
		     opts->device, channel, n, len);
	close_channel(opts, channel, fd);

	if (opts->quiet)
		return EXIT_SUCCESS;
	if (len < total)
		fprintf(stderr, "%s: sent %zu of %zu bytes to channel %lu of %s "
			"(truncated to %d)\n", program_invocation_short_name,
			len, total, channel, opts->device, MSGSLOT_MSG_LEN);
	else
		fprintf(stderr, "%s: sent %zu bytes to channel %lu of %s\n",
			program_invocation_short_name, len, channel,
			opts->device);
	return EXIT_SUCCESS;
}

static int read_main(const struct options *opts, int argc, char **argv)
{
	unsigned long channel = parse_channel(&commands[1], argv[0]);
	char msg[MSGSLOT_MSG_LEN];
	size_t len;
	ssize_t n;
	int fd;

	(void)argc;
	fd = open_channel(opts, channel, O_RDONLY);
	n = read(fd, msg, sizeof(msg));
	if (n < 0)
		err(EXIT_FAILURE, "%s: channel %lu: read", opts->device,
		    channel);
	close_channel(opts, channel, fd);

	len = opts->raw ? (size_t)n : strnlen(msg, (size_t)n);
	fwrite(msg, 1, len, stdout);
	if (!opts->raw)
		putchar('\n');

	if (!opts->quiet)
		fprintf(stderr, "%s: read %zu bytes from channel %lu of %s\n",
			program_invocation_short_name, len, channel,
			opts->device);
	return EXIT_SUCCESS;
}

static int run_command(const struct command *cmd, int argc, char **argv)
{
	enum { OPT_RAW = 256 };
	static const struct option longopts[] = {
		{ "device",  required_argument, NULL, 'd' },
		{ "quiet",   no_argument,       NULL, 'q' },
		{ "raw",     no_argument,       NULL, OPT_RAW },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options opts = { .device = getenv("MSGSLOT_DEVICE") };
	int c;

	if (!opts.device || !*opts.device)
		opts.device = DEFAULT_DEVICE;

	/*
	 * '+': options end at the first operand, so a message may begin
	 * with '-'.  ':': report errors here, under the program's name.
	 */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:d:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg) {
				warnx("the device name is empty");
				command_usage(cmd, EXIT_USAGE);
			}
			opts.device = optarg;
			break;
		case 'q':
			opts.quiet = true;
			break;
		case OPT_RAW:
			if (cmd->run != read_main) {
				warnx("unrecognized option '--raw'");
				command_usage(cmd, EXIT_USAGE);
			}
			opts.raw = true;
			break;
		case 'h':
			command_usage(cmd, EXIT_SUCCESS);
		case 'V':
			print_version();
		case ':':
			warnx("option '%s' needs an argument", argv[optind - 1]);
			command_usage(cmd, EXIT_USAGE);
		default:
			/*
			 * getopt_long() sets optopt to 0 for an unknown long
			 * option, to the option's value for a long option
			 * given an argument it does not take, and to the
			 * character of an unknown short option.
			 */
			if (optopt == 0)
				warnx("unrecognized option '%s'",
				      argv[optind - 1]);
			else if (optopt == OPT_RAW || strchr("dqhV", optopt))
				warnx("option '%s' doesn't allow an argument",
				      argv[optind - 1]);
			else
				warnx("invalid option -- '%c'", optopt);
			command_usage(cmd, EXIT_USAGE);
		}
	}

	if (argc - optind < cmd->nargs) {
		warnx("missing operand");
		command_usage(cmd, EXIT_USAGE);
	}
	if (argc - optind > cmd->nargs) {
		warnx("extra operand '%s'", argv[optind + cmd->nargs]);
		command_usage(cmd, EXIT_USAGE);
	}
	return cmd->run(&opts, argc - optind, argv + optind);
}

int main(int argc, char **argv)
{
	const char *name = program_invocation_short_name;
	size_t i;

	atexit(close_stdout);

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].link) == 0)
			return run_command(&commands[i], argc, argv);

	if (argc < 2)
		usage(EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage(EXIT_SUCCESS);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		print_version();

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return run_command(&commands[i], argc - 1, argv + 1);

	warnx("unknown command '%s'", argv[1]);
	usage(EXIT_USAGE);
}
