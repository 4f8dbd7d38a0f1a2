// SPDX-License-Identifier: GPL-2.0-only
/*
 * message_slot: IPC through character devices that keep the last message
 * written to each channel until it is overwritten.
 *
 * Every minor of the driver's major is one slot of MSGSLOT_CHANNELS channels
 * of MSGSLOT_MSG_LEN bytes.  A slot is allocated on the first open of its
 * minor and lives until the module is removed, so messages outlive the files
 * that wrote them.  Each open file picks its channel with
 * MSGSLOT_IOC_SET_CHANNEL; read and write then move one whole message.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "compat.h"
#include "message_slot.h"

#define MSGSLOT_NAME	"message_slot"
#define MSGSLOT_MINORS	(MINORMASK + 1)

/*
 * Readers take no lock: they copy the message inside a seqcount read section,
 * so they never see a mix of two writes and never slow each other down.  A
 * reader that a writer got in the way of retries under the lock, so that a
 * stream of writers cannot starve it.  The seqlock's spinlock orders writers.
 */
struct msgslot_channel {
	seqlock_t lock;
	u8 msg[MSGSLOT_MSG_LEN];
};

struct msgslot {
	struct msgslot_channel channel[MSGSLOT_CHANNELS];
};

static unsigned int major;
module_param(major, uint, 0444);
MODULE_PARM_DESC(major, "Major number to register (default 0: allocate one)");

static dev_t msgslot_devt;
static struct cdev msgslot_cdev;
static struct class *msgslot_class;
static struct kmem_cache *msgslot_cache;

/* Slots by minor.  Nothing is erased before module exit. */
static DEFINE_XARRAY(msgslot_slots);

static struct msgslot *msgslot_alloc(void)
{
	struct msgslot *slot;
	int i;

	/* Zeroed: a channel never written reads as zeros. */
	slot = kmem_cache_zalloc(msgslot_cache, GFP_KERNEL);
	if (!slot)
		return NULL;
	for (i = 0; i < MSGSLOT_CHANNELS; i++)
		seqlock_init(&slot->channel[i].lock);
	return slot;
}

/* Find the slot of @minor, allocating it on the first open. */
static struct msgslot *msgslot_get(unsigned long minor)
{
	struct msgslot *slot, *old;

	slot = xa_load(&msgslot_slots, minor);
	if (slot)
		return slot;

	slot = msgslot_alloc();
	if (!slot)
		return ERR_PTR(-ENOMEM);

	/* First opens of one minor may race: the losers use the winner's. */
	old = xa_cmpxchg(&msgslot_slots, minor, NULL, slot, GFP_KERNEL);
	if (old) {
		kmem_cache_free(msgslot_cache, slot);
		if (xa_is_err(old))
			return ERR_PTR(xa_err(old));
		return old;
	}
	return slot;
}

static int msgslot_open(struct inode *inode, struct file *file)
{
	struct msgslot *slot = msgslot_get(iminor(inode));

	if (IS_ERR(slot))
		return PTR_ERR(slot);

	/* No channel until the file asks for one; private_data is the channel. */
	file->private_data = NULL;
	/* Messages are whole: no file position, so lseek and pread fail. */
	return stream_open(inode, file);
}

static long msgslot_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct msgslot *slot;

	if (cmd != MSGSLOT_IOC_SET_CHANNEL)
		return -ENOTTY;
	if (arg >= MSGSLOT_CHANNELS)
		return -EINVAL;

	/* open() allocated the slot and nothing frees it while a file is open. */
	slot = xa_load(&msgslot_slots, iminor(file_inode(file)));
	/* Paired with the READ_ONCE()s of read and write on this same file. */
	WRITE_ONCE(file->private_data, &slot->channel[arg]);
	return 0;
}

static ssize_t msgslot_read(struct file *file, char __user *buf, size_t count,
			    loff_t *ppos)
{
	struct msgslot_channel *ch = READ_ONCE(file->private_data);
	/* Every byte is written below before any is read. */
	u8 msg[MSGSLOT_MSG_LEN] __uninitialized;
	unsigned int seq;

	if (!ch)
		return -EINVAL;

	count = min_t(size_t, count, MSGSLOT_MSG_LEN);
	/*
	 * Snapshot first: copy_to_user() may fault and sleep.  The snapshot is
	 * always the whole message, a copy of fixed size that the compiler can
	 * make a few moves rather than a call to memcpy(); the buffer is not
	 * zeroed beforehand.
	 */
	seq = read_seqbegin(&ch->lock);
	memcpy(msg, ch->msg, sizeof(msg));
	if (read_seqretry(&ch->lock, seq)) {
		read_seqlock_excl(&ch->lock);
		memcpy(msg, ch->msg, sizeof(msg));
		read_sequnlock_excl(&ch->lock);
	}

	if (copy_to_user(buf, msg, count))
		return -EFAULT;
	return count;
}

static ssize_t msgslot_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct msgslot_channel *ch = READ_ONCE(file->private_data);
	u8 msg[MSGSLOT_MSG_LEN] = {};

	if (!ch)
		return -EINVAL;

	count = min_t(size_t, count, MSGSLOT_MSG_LEN);
	/*
	 * Take the whole message from user space before touching the stored
	 * one, so that a bad buffer leaves it exactly as it was.
	 */
	if (copy_from_user(msg, buf, count))
		return -EFAULT;

	write_seqlock(&ch->lock);
	memcpy(ch->msg, msg, sizeof(msg));
	write_sequnlock(&ch->lock);
	return count;
}

static const struct file_operations msgslot_fops = {
	.owner		= THIS_MODULE,
	.open		= msgslot_open,
	.read		= msgslot_read,
	.write		= msgslot_write,
	.unlocked_ioctl	= msgslot_ioctl,
	/* The argument is a number, not a pointer: no compat_ptr(). */
	.compat_ioctl	= msgslot_ioctl,
};

static int __init msgslot_init(void)
{
	struct device *dev;
	int ret;

	msgslot_cache = kmem_cache_create(MSGSLOT_NAME, sizeof(struct msgslot),
					  0, SLAB_NO_MERGE, NULL);
	if (!msgslot_cache)
		return -ENOMEM;

	if (major) {
		msgslot_devt = MKDEV(major, 0);
		ret = register_chrdev_region(msgslot_devt, MSGSLOT_MINORS,
					     MSGSLOT_NAME);
	} else {
		ret = alloc_chrdev_region(&msgslot_devt, 0, MSGSLOT_MINORS,
					  MSGSLOT_NAME);
	}
	if (ret) {
		if (major)
			pr_err("cannot register major %u: %d\n", major, ret);
		else
			pr_err("cannot allocate a major: %d\n", ret);
		goto err_destroy_cache;
	}
	/* /sys/module/message_slot/parameters/major tells the one in use. */
	major = MAJOR(msgslot_devt);

	cdev_init(&msgslot_cdev, &msgslot_fops);
	msgslot_cdev.owner = THIS_MODULE;
	ret = cdev_add(&msgslot_cdev, msgslot_devt, MSGSLOT_MINORS);
	if (ret)
		goto err_unregister_region;

	msgslot_class = msgslot_class_create(MSGSLOT_NAME);
	if (IS_ERR(msgslot_class)) {
		ret = PTR_ERR(msgslot_class);
		goto err_del_cdev;
	}

	dev = device_create(msgslot_class, NULL, msgslot_devt, NULL,
			    "msgslot%u", MINOR(msgslot_devt));
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_destroy_class;
	}

	pr_info("major %u, minors 0-%u, /dev/msgslot0 is minor 0\n",
		MAJOR(msgslot_devt), MSGSLOT_MINORS - 1);
	return 0;

err_destroy_class:
	class_destroy(msgslot_class);
err_del_cdev:
	cdev_del(&msgslot_cdev);
err_unregister_region:
	unregister_chrdev_region(msgslot_devt, MSGSLOT_MINORS);
err_destroy_cache:
	kmem_cache_destroy(msgslot_cache);
	return ret;
}

static void __exit msgslot_exit(void)
{
	struct msgslot *slot;
	unsigned long minor;

	device_destroy(msgslot_class, msgslot_devt);
	class_destroy(msgslot_class);
	cdev_del(&msgslot_cdev);
	unregister_chrdev_region(msgslot_devt, MSGSLOT_MINORS);

	/* No file is open, so no open() can be adding a slot any more. */
	xa_for_each(&msgslot_slots, minor, slot)
		kmem_cache_free(msgslot_cache, slot);
	xa_destroy(&msgslot_slots);
	kmem_cache_destroy(msgslot_cache);
}

module_init(msgslot_init);
module_exit(msgslot_exit);

MODULE_DESCRIPTION("Message slots: channels that keep the last message written");
MODULE_LICENSE("GPL");
MODULE_VERSION(MSGSLOT_VERSION);
