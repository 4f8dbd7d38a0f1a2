// SPDX-License-Identifier: GPL-2.0-only
/*
 * The self-checking messages of stress (message.h).
 */
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "message.h"

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The body of a message follows from its header alone. */
static void fill_body(unsigned char *msg, size_t len)
{
	uint64_t state = fnv1a(msg, HEADER) | (uint64_t)get32(msg + 8) << 32;
	size_t i;

	state |= 1;
	for (i = HEADER; i < len - CHECKSUM; i++)
		msg[i] = (unsigned char)next_random(&state);
}

size_t make_message(unsigned char *msg, size_t len, unsigned int minor,
			   unsigned int channel, unsigned int writer,
			   uint32_t seq)
{
	memset(msg, 0, MSG_LEN);
	msg[0] = (unsigned char)len;
	msg[1] = (unsigned char)channel;
	put32(msg + 2, minor);
	msg[6] = (unsigned char)writer;
	msg[7] = (unsigned char)(writer >> 8);
	put32(msg + 8, seq);
	fill_body(msg, len);
	put32(msg + len - CHECKSUM, fnv1a(msg, len - CHECKSUM));
	return len;
}

/*
 * Why the 128 bytes read from @minor's @channel are not a whole message of
 * that channel, or NULL if they are one (or are all zeros, never written).
 */
const char *message_fault(const unsigned char *msg, unsigned int minor,
				 unsigned int channel)
{
	unsigned char body[MSG_LEN];
	size_t i, len = msg[0];

	if (len == 0) {
		for (i = 0; i < MSG_LEN; i++)
			if (msg[i])
				return "zero length byte but not all zeros";
		return NULL;
	}
	if (len < MIN_MSG || len > MSG_LEN)
		return "length byte out of range";
	for (i = len; i < MSG_LEN; i++)
		if (msg[i])
			return "bytes past the length are not zero";
	if (get32(msg + len - CHECKSUM) != fnv1a(msg, len - CHECKSUM))
		return "checksum mismatch";
	memcpy(body, msg, len);
	fill_body(body, len);
	if (memcmp(body, msg, len - CHECKSUM) != 0)
		return "body does not follow from the header";
	if (get32(msg + 2) != minor || msg[1] != channel)
		return "message of another minor or channel";
	return NULL;
}

void hexdump(char *out, size_t size, const unsigned char *p, size_t n)
{
	size_t i, used = 0;

	for (i = 0; i < n && used + 4 < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%02x",
					 i % 32 ? "" : "\n#   ", p[i]);
}

