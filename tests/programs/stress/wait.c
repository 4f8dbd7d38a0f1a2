// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress: the operations of waiting.  MSGSLOT_IOC_GET_MESSAGE must give one
 * write's message with its own length (a stress message's first byte), a
 * time once written, the file's channel, and a generation that never goes
 * back on one file; poll() must say writable always, an error without a
 * channel, and readable only when a GET_MESSAGE right after gives a later
 * generation than any the file has seen.
 */
#include "stress.h"

#include <poll.h>
#include <sys/ioctl.h>

/* Why @m, got through @f, breaks the rules above, or NULL. */
static const char *metadata_fault(const struct msgslot_message *m,
				  const struct open_file *f)
{
	const char *fault = message_fault(m->data,
					  range_minor(opt.range, f->minor),
					  (unsigned int)f->channel);

	if (fault)
		return fault;
	if (m->channel != (unsigned int)f->channel)
		return "the message of another channel";
	if (m->generation == 0)
		return m->length || m->time_ns || m->data[0] ?
		       "never written, yet a length, time or data" : NULL;
	if (m->length != m->data[0])
		return "a length other than the message's own";
	if (m->time_ns == 0)
		return "written, but no time";
	if (m->generation < f->seen)
		return "a generation older than one the file has seen";
	return NULL;
}

/* GET_MESSAGE on @f, which has a channel: checked, and @f's seen moved on. */
static bool get_checked(struct worker *w, struct open_file *f,
			struct msgslot_message *m, const char *why)
{
	const char *fault;
	char dump[512];

	errno = 0;
	if (ioctl(f->fd, MSGSLOT_IOC_GET_MESSAGE, m) != 0) {
		w->n.errors++;
		violation("GET_MESSAGE%s on %s channel %d: %s", why,
			  nodes[f->minor], f->channel, strerrorname_np(errno));
		return false;
	}
	fault = metadata_fault(m, f);
	if (fault) {
		w->n.torn++;
		hexdump(dump, sizeof(dump), m->data, MSG_LEN);
		violation("GET_MESSAGE%s from %s channel %d: %s (generation "
			  "%llu, length %u, seen %llu):%s", why,
			  nodes[f->minor], f->channel, fault,
			  (unsigned long long)m->generation, m->length,
			  (unsigned long long)f->seen, dump);
		return false;
	}
	if (m->generation > f->seen)
		w->n.new_generations++;
	f->seen = m->generation;
	return true;
}

void do_get_message(struct worker *w, struct open_file *f)
{
	struct msgslot_message m;
	long ret;

	w->n.get_messages++;
	if (f->channel >= 0) {
		get_checked(w, f, &m, "");
		return;
	}
	errno = 0;
	ret = ioctl(f->fd, MSGSLOT_IOC_GET_MESSAGE, &m);
	expect_einval(w, f, ret, "GET_MESSAGE");
}

void do_poll(struct worker *w, struct open_file *f)
{
	/* Now and then wait for a new message alone: others' writes wake. */
	short events = pick(w, 2) ? POLLIN | POLLOUT : POLLIN;
	int timeout = events == POLLIN && !pick(w, 4) ? 1 + (int)pick(w, 3) : 0;
	struct pollfd p = { .fd = f->fd, .events = events };
	short want = events & POLLOUT;
	struct msgslot_message m;
	uint64_t seen = f->seen;
	int ret;

	w->n.polls++;
	ret = poll(&p, 1, timeout);
	if (f->channel < 0)
		want |= POLLERR;
	else
		want |= p.revents & POLLIN;
	if (ret != (want ? 1 : 0) || p.revents != want) {
		w->n.errors++;
		violation("poll(%#x, %d ms) on %s channel %d: returned %d, "
			  "revents %#x", events, timeout, nodes[f->minor],
			  f->channel, ret, p.revents);
		return;
	}
	if (!(p.revents & POLLIN))
		return;
	w->n.readable++;
	if (get_checked(w, f, &m, " after poll") && m.generation <= seen) {
		w->n.errors++;
		violation("poll said %s channel %d readable, but GET_MESSAGE "
			  "gave generation %llu, seen already", nodes[f->minor],
			  f->channel, (unsigned long long)m.generation);
	}
}
