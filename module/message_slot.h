/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Message slot: a character device that keeps the last message written to
 * each of its channels until it is overwritten.
 *
 * This header is shared by the kernel module and user space, so it includes
 * nothing but the kernel's own uapi headers.
 */
#ifndef _UAPI_LINUX_MESSAGE_SLOT_H
#define _UAPI_LINUX_MESSAGE_SLOT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Channels per slot (per device minor) and the size of one message. */
#define MSGSLOT_CHANNELS	4
#define MSGSLOT_MSG_LEN		128

/*
 * 0xBC is unclaimed in Documentation/userspace-api/ioctl/ioctl-number.rst.
 * The channel index travels by value in the ioctl argument, not through a
 * pointer, so the command is encoded with _IO: no data is copied.
 */
#define MSGSLOT_IOC_MAGIC	0xBC

/* ioctl(fd, MSGSLOT_IOC_SET_CHANNEL, index): index in [0, MSGSLOT_CHANNELS) */
#define MSGSLOT_IOC_SET_CHANNEL	_IO(MSGSLOT_IOC_MAGIC, 0x01)

/*
 * The message of the file's channel with what the driver knows of the write
 * that stored it, all from that one write.  Every field is of fixed size and
 * naturally aligned, with no padding: 32- and 64-bit programs share the
 * layout (152 bytes), so compat_ioctl needs no translation.
 */
struct msgslot_message {
	__u64 generation;	/* writes to the channel so far; 0: never written */
	__s64 time_ns;		/* CLOCK_REALTIME of that write; 0: never written */
	__u32 channel;		/* the file's channel */
	__u32 length;		/* bytes that write stored, 0..MSGSLOT_MSG_LEN */
	__u8 data[MSGSLOT_MSG_LEN];	/* the message; zeros past length */
};

/*
 * ioctl(fd, MSGSLOT_IOC_GET_MESSAGE, &message): copy the message and its
 * metadata, and mark that generation seen by this file (see poll).
 */
#define MSGSLOT_IOC_GET_MESSAGE	_IOR(MSGSLOT_IOC_MAGIC, 0x02, struct msgslot_message)

/*
 * mmap(NULL, sizeof(struct msgslot_map), PROT_READ, MAP_SHARED, fd, 0) maps
 * the slot of fd's minor read-only: its four channels, each a record under
 * a sequence count that the driver updates in place.  A write makes seq
 * odd, changes the fields, and makes seq even again.  A reader that sees
 * the same even seq before and after copying a record has copied one whole
 * write: data, length, generation and time together.  <msgslot_map.h> has
 * the reader.  32- and 64-bit programs share the layout: 152 bytes a
 * channel, 608 for the map, in the first page of the mapping.
 */
struct msgslot_map_channel {
	__u32 seq;		/* even: stable; odd: a write is in progress */
	__u32 length;		/* as in struct msgslot_message */
	__u64 generation;
	__s64 time_ns;
	__u8 data[MSGSLOT_MSG_LEN];
};

struct msgslot_map {
	struct msgslot_map_channel channel[MSGSLOT_CHANNELS];
};

#endif /* _UAPI_LINUX_MESSAGE_SLOT_H */
