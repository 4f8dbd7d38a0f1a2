// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: the operations of waiting, checked against the model's generations
 * and what each file has seen: poll() is readable exactly when the file's
 * channel holds a later generation than the file last read (a read or
 * GET_MESSAGE that copied; SET_CHANNEL starts again from 0), and
 * MSGSLOT_IOC_GET_MESSAGE copies message, length, generation and channel
 * of one write, or fails with nothing marked seen.
 */
#include <poll.h>

#include "fuzz.h"

/* The message struct @got of minor @m's channel @ch: as the model has it? */
static void compare_message(const struct msgslot_message *got, unsigned int m,
			    unsigned int ch)
{
	size_t i;

	if (got->generation != generation[m][ch] || got->length != length[m][ch] ||
	    got->channel != ch)
		diverged("%s: generation %llu, length %u, channel %u; the model "
			 "has generation %llu, length %u, channel %u", op,
			 (unsigned long long)got->generation, got->length,
			 got->channel, (unsigned long long)generation[m][ch],
			 length[m][ch], ch);
	if ((got->time_ns != 0) != (got->generation != 0))
		diverged("%s: time %lld with generation %llu", op,
			 (long long)got->time_ns,
			 (unsigned long long)got->generation);
	for (i = 0; i < MSG_LEN; i++)
		if (got->data[i] != model[m][ch][i])
			diverged("%s: byte %zu of the message is %#x, the model "
				 "has %#x", op, i, got->data[i], model[m][ch][i]);
}

/* Through @fd, set to channel @ch of minor @m: a file the model ignores. */
void check_get_message(int fd, unsigned int m, unsigned int ch)
{
	struct msgslot_message got;

	if (ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &got) != 0)
		diverged("%s: GET_MESSAGE on minor %u channel %u: %s", op,
			 range_minor(opt.range, m), ch, errname(errno));
	compare_message(&got, m, ch);
}

/*
 * The channels were written before this run (earlier runs, the clearing
 * 0-byte writes): their generations are learnt once, then predicted.
 */
void learn_generations(void)
{
	struct msgslot_message got;
	unsigned int m, ch;
	int fd;

	for (m = 0; m < MINORS; m++) {
		fd = open(paths[m], O_RDONLY);
		if (fd < 0)
			broken(paths[m]);
		for (ch = 0; ch < CHANNELS; ch++) {
			if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, (unsigned long)ch) ||
			    ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &got))
				broken("learning the generations");
			generation[m][ch] = got.generation;
			length[m][ch] = got.length;
		}
		close(fd);
	}
}

void do_get_message(void)
{
	const size_t size = sizeof(struct msgslot_message);
	struct msgslot_message got;
	struct outcome want;
	struct buffer b;
	struct file *f = NULL;
	size_t off, i;
	int d;

	describe("ioctl(");
	d = pick_fd(-1);
	describe(", GET_MESSAGE, ");
	b = pick_buffer(size);
	describe(")");
	if (d >= 0)
		f = &files[fds[d].file];
	/* No channel is refused before the pointer is looked at. */
	if (d < 0)
		want = failure(EBADF);
	else if (f->channel < 0)
		want = failure(EINVAL);
	else if (!range_ok(b, size, true))
		want = failure(EFAULT);
	else
		want = success(0);
	expect(CALL(ioctl(fd_of(d), MSGSLOT_IOC_GET_MESSAGE, (void *)b.addr)),
	       want);
	tally.get_messages++;
	count_outcome(want);
	if (b.kind != ARENA)
		return;
	off = b.addr - (uintptr_t)arena;
	if (want.ret == 0) {
		memcpy(&got, arena + off, size);
		compare_message(&got, node_table[f->node].minor,
				(unsigned int)f->channel);
		f->seen = *generation_of(f);
		memcpy(shadow + off, &got, size);
		tally.got++;
	} else if (want.err == EFAULT) {
		/* A failed copy may have written a prefix of the struct. */
		for (i = off; i < off + size && layout[i / page] == RW; i++)
			shadow[i] = arena[i];
	}
	compare_arena();
}

/* A pollfd array that poll() cannot read or write back. */
static uintptr_t bad_pollfds(void)
{
	static const enum page_kind unfit[] = { RO, NONE, HOLE };
	enum page_kind kind;
	size_t i;

	switch (pick(6)) {
	case 0:
		describe("NULL");
		return 0;
	case 1:
		describe("low");
		return 0x1000 + pick(0xf000);
	case 2:
		describe("kernel");
		return not_for_user(0xffffffff81000000ULL + pick(1 << 24));
	case 3:
		describe("non-canonical");
		return not_for_user(0x8000000000000000ULL +
				    (random_u64() & ((1ULL << 40) - 1)));
	default:
		kind = unfit[pick(3)];
		do
			i = pick(ARENA_PAGES);
		while (layout[i] != kind);
		describe("arena page %zu (%s)", i, kind_name[kind]);
		return (uintptr_t)arena + i * page + pick(page / 8) * 8;
	}
}

/*
 * poll() without waiting on a descriptor of the model (or one not open:
 * POLLNVAL), or now and then on a pollfd it cannot copy: EFAULT.
 */
void do_poll(void)
{
	struct pollfd p = { .events = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM };
	short want_events;
	struct outcome want;
	struct file *f;
	int d;

	describe("poll(");
	if (one_in(5)) {
		uintptr_t bad = bad_pollfds();

		describe(", 1, 0)");
		expect(CALL(poll((struct pollfd *)bad, 1, 0)), failure(EFAULT));
		tally.bad_polls++;
		count_outcome(failure(EFAULT));
		return;
	}
	describe("{");
	d = pick_fd(-1);
	describe("}, 1, 0)");
	p.fd = fd_of(d);
	want = success(1);
	if (d < 0) {
		want_events = POLLNVAL;
	} else {
		f = &files[fds[d].file];
		want_events = POLLOUT | POLLWRNORM;
		if (f->channel < 0)
			want_events |= POLLERR;
		else if (*generation_of(f) > f->seen)
			want_events |= POLLIN | POLLRDNORM;
	}
	expect(CALL(poll(&p, 1, 0)), want);
	describe(" revents %#x", p.revents);
	if (p.revents != want_events)
		diverged("%s: expected revents %#x", op, want_events);
	tally.polls++;
	if (p.revents & POLLIN)
		tally.readable++;
}
