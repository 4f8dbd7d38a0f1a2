/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The self-checking messages of stress: a header (length, channel, minor,
 * writer, sequence number), a body that follows from the header, and a
 * checksum; then the driver's zero fill.
 */
#ifndef STRESS_MESSAGE_H
#define STRESS_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

/* Header: length, channel, minor (4), writer (2), sequence (4); then body. */
#define HEADER		12
#define CHECKSUM	4
#define MIN_MSG		(HEADER + CHECKSUM)

/* Write into @msg (MSG_LEN bytes) the message of @len bytes; returns @len. */
size_t make_message(unsigned char *msg, size_t len, unsigned int minor,
		    unsigned int channel, unsigned int writer, uint32_t seq);
/*
 * Why the 128 bytes read from @minor's @channel are not a whole message of
 * that channel, or NULL if they are one (or are all zeros, never written).
 */
const char *message_fault(const unsigned char *msg, unsigned int minor,
			  unsigned int channel);
/* The @n bytes at @p in hex, as "# " lines, into @out. */
void hexdump(char *out, size_t size, const unsigned char *p, size_t n);

#endif /* STRESS_MESSAGE_H */
