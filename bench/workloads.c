// SPDX-License-Identifier: GPL-2.0-only
/*
 * The workloads of one thread in one process: what each row's setup opens,
 * and the loops the rows time.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

void init_fixture(struct fixture *f, const struct row *row)
{
	memset(f, 0, sizeof(*f));
	f->wr = f->rd = f->wait = f->mq = -1;
	f->arg = row->arg;
	memset(f->buf, 'r', sizeof(f->buf));
}

void teardown_fixture(struct fixture *f)
{
	if (f->partner > 0) {
		/* The partner's end is no error now. */
		signal(SIGCHLD, SIG_DFL);
		kill(f->partner, SIGKILL);
		waitpid(f->partner, NULL, 0);
	}
	if (f->wait >= 0 && f->wait != f->rd)
		close(f->wait);
	if (f->rd >= 0 && f->rd != f->wr)
		close(f->rd);
	if (f->wr >= 0)
		close(f->wr);
	if (f->mq >= 0)
		mq_close(f->mq);
	if (f->map)
		munmap(f->map, f->map_len);
	f->partner = 0;
	f->wr = f->rd = f->wait = f->mq = -1;
	f->map = NULL;
}

/* Channel 0 of the single-thread slot, read and written through one file. */
void setup_slot(struct bench *b, struct fixture *f, int thread)
{
	(void)thread;
	f->wr = f->rd = open_channel(node(b, NODE_SHARED), 0);
	check_io(write(f->wr, f->buf, LEN), LEN, "msgslot write");
}

void setup_pipe(struct bench *b, struct fixture *f, int thread)
{
	int fds[2];

	(void)b, (void)thread;
	if (pipe(fds) < 0)
		die("pipe: %s", strerror(errno));
	f->rd = fds[0];
	f->wr = fds[1];
}

void setup_mq(struct bench *b, struct fixture *f, int thread)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = LEN };
	char name[64];

	(void)b, (void)thread;
	snprintf(name, sizeof(name), "/msgslot-bench.%d", (int)getpid());
	f->mq = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (f->mq < 0)
		die("mq_open %s: %s", name, strerror(errno));
	mq_unlink(name);
}

void setup_unix(struct bench *b, struct fixture *f, int thread)
{
	int fds[2];

	(void)b, (void)thread;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) < 0)
		die("socketpair: %s", strerror(errno));
	f->wr = fds[0];
	f->rd = fds[1];
}

/* The floor: the cheapest write and read of 128 bytes there are. */
void setup_null_zero(struct bench *b, struct fixture *f, int thread)
{
	(void)b, (void)thread;
	f->wr = open("/dev/null", O_WRONLY);
	f->rd = open("/dev/zero", O_RDONLY);
	if (f->wr < 0 || f->rd < 0)
		die("open /dev/null, /dev/zero: %s", strerror(errno));
}

void setup_open_device(struct bench *b, struct fixture *f, int thread)
{
	(void)thread;
	f->path = b->device;
}

void setup_open_null(struct bench *b, struct fixture *f, int thread)
{
	(void)b, (void)thread;
	f->path = "/dev/null";
}

void loop_write_read(struct fixture *f, long n)
{
	for (long i = 0; i < n; i++) {
		check_io(write(f->wr, f->buf, LEN), LEN, "write");
		check_io(read(f->rd, f->buf, LEN), LEN, "read");
	}
}

void loop_mq(struct fixture *f, long n)
{
	for (long i = 0; i < n; i++) {
		if (mq_send(f->mq, f->buf, LEN, 0) < 0)
			die("mq_send: %s", strerror(errno));
		check_io(mq_receive(f->mq, f->buf, LEN, NULL), LEN,
			 "mq_receive");
	}
}

void loop_send_recv(struct fixture *f, long n)
{
	for (long i = 0; i < n; i++) {
		check_io(send(f->wr, f->buf, LEN, 0), LEN, "send");
		check_io(recv(f->rd, f->buf, LEN, 0), LEN, "recv");
	}
}

void loop_write(struct fixture *f, long n)
{
	for (long i = 0; i < n; i++)
		check_io(write(f->wr, f->buf, LEN), LEN, "write");
}

void loop_read(struct fixture *f, long n)
{
	for (long i = 0; i < n; i++)
		check_io(read(f->rd, f->buf, LEN), LEN, "read");
}

void loop_getppid(struct fixture *f, long n)
{
	(void)f;
	for (long i = 0; i < n; i++)
		getppid();
}

void loop_open_close(struct fixture *f, long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open(f->path, O_RDWR);

		if (fd < 0)
			die("open %s: %s", f->path, strerror(errno));
		close(fd);
	}
}
