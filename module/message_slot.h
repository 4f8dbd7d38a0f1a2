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

#endif /* _UAPI_LINUX_MESSAGE_SLOT_H */
