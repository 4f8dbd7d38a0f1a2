// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: the operations, one a step, each predicted by the model and
 * checked against it, and the full comparison of every channel.
 */
#include "fuzz.h"

static void do_open(void)
{
	static const int accmodes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
	unsigned int node = (unsigned int)pick(NODES);
	int flags = accmodes[pick(4)], accmode = flags, file;
	struct outcome got;

	if (one_in(4))
		flags |= O_NONBLOCK;
	if (one_in(4))
		flags |= O_CLOEXEC;
	for (file = 0; files[file].refs; file++)
		;
	describe("open(%s, %s%s%s)", node_table[node].name,
		 accmode_name[accmode], flags & O_NONBLOCK ? "|O_NONBLOCK" : "",
		 flags & O_CLOEXEC ? "|O_CLOEXEC" : "");
	got = CALL(open(paths[node], flags));
	tally.opens++;
	if (got.ret < 0)
		expect(got, success(0));
	describe(" = %ld", got.ret);
	files[file] = (struct file){ node, accmode, -1, 0, 0 };
	new_descriptor((int)got.ret, file);
}

static void do_dup(void)
{
	int d = (int)pick((unsigned long)nfds);
	struct outcome got;

	describe("dup(");
	describe_fd(d);
	describe(")");
	got = CALL(dup(fds[d].fd));
	tally.dups++;
	if (got.ret < 0)
		expect(got, success(0));
	describe(" = %ld", got.ret);
	new_descriptor((int)got.ret, fds[d].file);
}

static void do_close(void)
{
	int d = (int)pick((unsigned long)nfds);

	describe("close(");
	describe_fd(d);
	describe(")");
	expect(CALL(close(fds[d].fd)), success(0));
	tally.closes++;
	files[fds[d].file].refs--;
	fds[d] = fds[--nfds];
}

/*
 * A descriptor of the model, or now and then one that is not open.  For
 * read and write (@accmode O_RDONLY or O_WRONLY), mostly one that can do it.
 */
/* ---- the operations ------------------------------------------------ */

static void do_set_channel(void)
{
	unsigned long channel, dice = pick(100);
	struct outcome want;
	int d;

	if (dice < 60)
		channel = pick(CHANNELS);
	else if (dice < 75)
		channel = CHANNELS + pick(252);
	else if (dice < 85)
		channel = (unsigned long)random_u64() | CHANNELS;
	else if (dice < 92)
		/* Not cut to 32 bits (on 32-bit: bit 31, still out of range). */
		channel = (unsigned long)(1ULL << (sizeof(long) > 4 ? 32 : 31)) |
			  pick(CHANNELS);
	else
		channel = (unsigned long)-1 - pick(CHANNELS);
	describe("ioctl(");
	d = pick_fd(-1);
	describe(", SET_CHANNEL, %#lx)", channel);
	if (d < 0)
		want = failure(EBADF);
	else if (channel >= CHANNELS)
		want = failure(EINVAL);		/* and the channel stays */
	else
		want = success(0);
	expect(CALL(ioctl(fd_of(d), MSGSLOT_IOC_SET_CHANNEL, channel)), want);
	if (want.ret == 0) {
		/* Even the same channel again: nothing seen on it yet. */
		files[fds[d].file].channel = (int)channel;
		files[fds[d].file].seen = 0;
		tally.channel_set++;
	} else if (want.err == EINVAL) {
		tally.channel_refused++;
	}
}

/* A command the VFS handles itself, before the driver sees it. */
static bool vfs_command(unsigned int cmd)
{
	unsigned int type = _IOC_TYPE(cmd);

	return type == 0 || type == 'f' || type == 'X' || type == 'T' ||
	       type == 0x94;
}

static void do_other_ioctl(void)
{
	unsigned int cmd;
	unsigned long arg = (unsigned long)random_u64();
	int d;

	do {
		switch (pick(4)) {
		case 0:
			cmd = (unsigned int)random_u64();
			break;
		case 1:		/* the driver's magic, another number */
			cmd = _IOC((unsigned int)pick(4), MSGSLOT_IOC_MAGIC,
				   (unsigned int)pick(256),
				   (unsigned int)pick(16));
			break;
		case 2:		/* the driver's number, another magic */
			cmd = _IO((unsigned int)pick(256), 0x01);
			break;
		default:	/* the channel command with a direction and size */
			cmd = _IOC(1 + (unsigned int)pick(3), MSGSLOT_IOC_MAGIC,
				   0x01, (unsigned int)pick(16));
			break;
		}
	} while (cmd == MSGSLOT_IOC_SET_CHANNEL || vfs_command(cmd));
	if (one_in(4))
		arg = pick(CHANNELS);
	describe("ioctl(");
	d = pick_fd(-1);
	describe(", %#x, %#lx)", cmd, arg);
	expect(CALL(ioctl(fd_of(d), cmd, arg)),
	       failure(d < 0 ? EBADF : ENOTTY));
	tally.enotty++;
}

/* What read or write must return, before any byte is copied. */
static struct outcome early_outcome(int d, struct buffer b, bool for_read)
{
	int mode;

	if (d < 0)
		return failure(EBADF);
	mode = files[fds[d].file].accmode;
	if (mode == (for_read ? O_WRONLY : O_RDONLY))
		return failure(EBADF);
	if (!access_ok(b))
		return failure(EFAULT);
	if (files[fds[d].file].channel < 0)
		return failure(EINVAL);
	return success(0);
}

void count_outcome(struct outcome o)
{
	if (o.ret >= 0)
		return;
	switch (o.err) {
	case EFAULT: tally.efault++; break;
	case EINVAL: tally.einval++; break;
	case EBADF: tally.ebadf++; break;
	case ESPIPE: tally.espipe++; break;
	}
}

static void do_write(void)
{
	struct outcome want;
	struct buffer b;
	size_t count, len;
	int d;

	describe("write(");
	d = pick_fd(O_WRONLY);
	describe(", ");
	b = pick_buffer(MSG_LEN);
	count = pick_count();
	len = count < MSG_LEN ? count : MSG_LEN;
	describe(", %zu)", count);
	/* Most of the time, new bytes in the source where it can be written. */
	if (b.kind == ARENA && one_in(2)) {
		size_t off = b.addr - (uintptr_t)arena, i;

		for (i = off; i < off + len; i++) {
			if (layout[i / page] == RW) {
				arena[i] = (unsigned char)random_u64();
				shadow[i] = arena[i];
			}
		}
	}
	want = early_outcome(d, b, false);
	if (want.ret == 0)
		want = range_ok(b, len, false) ? success((long)len)
					       : failure(EFAULT);
	expect(CALL(write(fd_of(d), (const void *)b.addr, count)), want);
	tally.writes++;
	count_outcome(want);
	if (want.ret >= 0) {
		struct file *f = &files[fds[d].file];
		unsigned char *msg = message_of(f);

		memset(msg, 0, MSG_LEN);
		if (len)
			memcpy(msg, shadow + (b.addr - (uintptr_t)arena), len);
		length[node_table[f->node].minor][f->channel] = (unsigned int)len;
		(*generation_of(f))++;
		tally.stored++;
	}
}

static void do_read(void)
{
	const unsigned char *msg;
	struct outcome want, got;
	struct buffer b;
	size_t count, len, off, i;
	int d;

	describe("read(");
	d = pick_fd(O_RDONLY);
	describe(", ");
	b = pick_buffer(MSG_LEN);
	count = pick_count();
	len = count < MSG_LEN ? count : MSG_LEN;
	describe(", %zu)", count);
	want = early_outcome(d, b, true);
	if (want.ret == 0)
		want = range_ok(b, len, true) ? success((long)len)
					      : failure(EFAULT);
	got = CALL(read(fd_of(d), (void *)b.addr, count));
	expect(got, want);
	tally.reads++;
	count_outcome(want);
	/* A read that copied (even 0 bytes) saw the message; a failed one not. */
	if (want.ret >= 0)
		files[fds[d].file].seen = *generation_of(&files[fds[d].file]);
	if (b.kind != ARENA)
		return;
	off = b.addr - (uintptr_t)arena;
	if (want.ret == -1 && want.err == EFAULT && d >= 0 &&
	    files[fds[d].file].channel >= 0) {
		/* A failed copy may have written a prefix of the message. */
		msg = message_of(&files[fds[d].file]);
		for (i = off; i < off + len && layout[i / page] == RW; i++) {
			if (arena[i] != shadow[i] && arena[i] != msg[i - off])
				diverged("%s: byte %zu of the buffer is %#x, "
					 "neither what it was nor the "
					 "message's", op, i - off, arena[i]);
			shadow[i] = arena[i];
		}
	} else if (want.ret > 0) {
		msg = message_of(&files[fds[d].file]);
		for (i = 0; i < len; i++)
			if (arena[off + i] != msg[i])
				diverged("%s: byte %zu read is %#x, the model "
					 "has %#x", op, i, arena[off + i],
					 msg[i]);
		memcpy(shadow + off, msg, len);
		tally.read_ok++;
	}
	compare_arena();
}

static void do_no_position(void)
{
	struct outcome want;
	off_t pos = (off_t)pick(1 << 20);
	int d, whence;

	if (one_in(4))
		pos = -1 - pos;
	switch (pick(3)) {
	case 0:
		whence = (int)pick(3);
		describe("lseek(");
		d = pick_fd(-1);
		describe(", %lld, %d)", (long long)pos, whence);
		want = failure(d < 0 ? EBADF : ESPIPE);
		expect(CALL(lseek(fd_of(d), pos, whence)), want);
		break;
	case 1:
		describe("pread(");
		d = pick_fd(-1);
		describe(", arena, %d, %lld)", MSG_LEN, (long long)pos);
		/* A negative position is refused before the file is looked at. */
		want = failure(pos < 0 ? EINVAL : d < 0 ? EBADF : ESPIPE);
		expect(CALL(pread(fd_of(d), arena, MSG_LEN, pos)), want);
		break;
	default:
		describe("pwrite(");
		d = pick_fd(-1);
		describe(", arena, %d, %lld)", MSG_LEN, (long long)pos);
		want = failure(pos < 0 ? EINVAL : d < 0 ? EBADF : ESPIPE);
		expect(CALL(pwrite(fd_of(d), arena, MSG_LEN, pos)), want);
		break;
	}
	count_outcome(want);
}

/*
 * Replace a page of the arena by a new one, zero and not yet there: the
 * next copy to or from it faults it in.  (mmap rather than madvise, which
 * small kernels leave out.)
 */
static void do_discard(void)
{
	size_t i;

	do
		i = pick(ARENA_PAGES);
	while (layout[i] != RW && layout[i] != RO);
	describe("mmap(arena page %zu (%s), MAP_FIXED): a new page", i,
		 kind_name[layout[i]]);
	if (mmap(arena + i * page, page,
		 layout[i] == RW ? PROT_READ | PROT_WRITE : PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		broken("mmap");
	memset(shadow + i * page, 0, page);
	tally.discards++;
}

/* Read every channel of every minor through a file of its own. */
void verify_all(void)
{
	unsigned char got[MSG_LEN + 1];
	unsigned int m, ch;
	size_t i;
	int fd;

	describe("verify every channel of minors %u-%u",
		 range_minor(opt.range, 0), range_minor(opt.range, MINORS - 1));
	for (m = 0; m < MINORS; m++) {
		fd = open(paths[m], O_RDONLY);
		if (fd < 0)
			diverged("%s: open %s: %s", op, paths[m],
				 errname(errno));
		for (ch = 0; ch < CHANNELS; ch++) {
			ssize_t ret;

			if (ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, (unsigned long)ch))
				diverged("%s: ioctl: %s", op, errname(errno));
			check_get_message(fd, m, ch);
			ret = read(fd, got, sizeof(got));
			if (ret != MSG_LEN)
				diverged("%s: read of minor %u channel %u "
					 "returned %zd (%s)", op,
					 range_minor(opt.range, m), ch, ret,
					 errname(ret < 0 ? errno : 0));
			for (i = 0; i < MSG_LEN; i++)
				if (got[i] != model[m][ch][i])
					diverged("%s: minor %u channel %u byte "
						 "%zu is %#x, the model has %#x",
						 op, range_minor(opt.range, m), ch, i,
						 got[i], model[m][ch][i]);
		}
		close(fd);
	}
	tally.verifies++;
}

void step(void)
{
	unsigned long dice = pick(100);

	op = history[iteration % HISTORY];
	snprintf(op, DESCRIPTION, "#%lu ", iteration);
	reproduce_with = iteration;
	if (iteration % VERIFY_EVERY == 0)
		verify_all();
	else if (nfds == 0 || (dice < 8 && nfds < MAX_FDS))
		do_open();
	else if (dice < 10 && nfds < MAX_FDS)
		do_dup();
	else if (dice < 17 || nfds == MAX_FDS)
		do_close();
	else if (dice < 30)
		do_set_channel();
	else if (dice < 34)
		do_other_ioctl();
	else if (dice < 58)
		do_write();
	else if (dice < 78)
		do_read();
	else if (dice < 88)
		do_get_message();
	else if (dice < 93)
		do_poll();
	else if (dice < 97)
		do_no_position();
	else
		do_discard();
}

