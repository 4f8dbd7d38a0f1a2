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
 *
 * Besides the message, a channel keeps its length, its generation (writes so
 * far) and the time of the write, and each open file the generation it last
 * read, so that poll() can say when there is a message the file has not seen.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/compat.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/kcsan-checks.h>
#include <linux/kdev_t.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "compat.h"
#include "message_slot.h"

#define MSGSLOT_NAME	"message_slot"
#define MSGSLOT_MINORS	(MINORMASK + 1)

/*
 * One channel is a struct msgslot_map_channel of the uapi header: its
 * message and the write that stored it, as a record under a sequence count.
 * A writer makes seq odd, changes the fields, makes it even again; a reader
 * copies the record and keeps the copy if seq was the same even number
 * before and after.  Readers take no lock, so they never slow each other or
 * a writer down; one that a writer got in the way of copies once more under
 * the slot's lock, so a stream of writers cannot starve it.  The record
 * holds no pointer and no lock: user space may map it as it is.
 *
 * What a slot costs, on 64-bit: 4 records of 152 bytes, a 4-byte lock, the
 * polled flag in the hole after it, and the map pointer: 624 bytes.  The
 * slot's cache packs 13 of them in an order-1 slab (8192 bytes, 80 left
 * over), 630 bytes a slot, and the XArray adds a 576-byte node per 64
 * minors, 9 bytes a slot: 639 bytes in all, within the 640 that make bench
 * measures against.  That leaves no room for a wait queue head (24 bytes)
 * per channel or even per slot: pollers wait on a small table of queues
 * shared by all slots (msgslot_waitqueues), as the kernel does for page and
 * bit waits, and may wake for another slot's write.  A slot that is mapped
 * gets a page of its own on the first mmap (msgslot_map_page()), and its
 * records live there from then on.
 */
struct msgslot {
	spinlock_t lock;	/* orders the writers of all four channels */
	bool polled;		/* a poller has come: writes must wake; locked */
	struct msgslot_map *map;	/* the records' page once mapped */
	struct msgslot_map_channel channel[MSGSLOT_CHANNELS];
};

/*
 * An open file's channel and the generation of the last message it read, in
 * one word so that a SET_CHANNEL racing with a read on the same file cannot
 * leave one channel paired with another's generation: bits 0-2 hold the
 * channel + 1 (0: no channel yet), the rest the generation seen.
 */
#define MSGSLOT_STATE_CHANNEL_BITS	3
#define MSGSLOT_STATE_CHANNEL_MASK	((1 << MSGSLOT_STATE_CHANNEL_BITS) - 1)

struct msgslot_file {
	struct msgslot *slot;
	atomic64_t state;
	bool waited;		/* has been on the wait queue: see SET_CHANNEL */
};

static inline u64 msgslot_state(unsigned int channel, u64 seen)
{
	return seen << MSGSLOT_STATE_CHANNEL_BITS | (channel + 1);
}

static inline bool msgslot_state_has_channel(u64 state)
{
	return state & MSGSLOT_STATE_CHANNEL_MASK;
}

static inline unsigned int msgslot_state_channel(u64 state)
{
	return (state & MSGSLOT_STATE_CHANNEL_MASK) - 1;
}

static inline u64 msgslot_state_seen(u64 state)
{
	return state >> MSGSLOT_STATE_CHANNEL_BITS;
}

#define MSGSLOT_WAITQUEUE_BITS	6

static unsigned int major;
module_param(major, uint, 0444);
MODULE_PARM_DESC(major, "Major number to register (default 0: allocate one)");

/* Nodes made at load, as v4l2loopback's devices=N; mknod makes the others. */
#define MSGSLOT_MAX_NODES	256
static unsigned int nodes = 1;
module_param(nodes, uint, 0444);
MODULE_PARM_DESC(nodes, "Nodes /dev/msgslot0.. to create (default 1, at most "
		 __stringify(MSGSLOT_MAX_NODES) ")");

static dev_t msgslot_devt;
static struct cdev msgslot_cdev;
static struct class *msgslot_class;
static struct kmem_cache *msgslot_cache;

/* Slots by minor.  Nothing is erased before module exit. */
static DEFINE_XARRAY(msgslot_slots);

/* Where pollers wait, chosen by slot; see struct msgslot. */
static wait_queue_head_t msgslot_waitqueues[1 << MSGSLOT_WAITQUEUE_BITS];

static wait_queue_head_t *msgslot_waitqueue(const struct msgslot *slot)
{
	return &msgslot_waitqueues[hash_ptr(slot, MSGSLOT_WAITQUEUE_BITS)];
}

/*
 * Wake the pollers of @slot.  The full barrier in wq_has_sleeper() orders
 * the new record before the look at the queue, and pairs with the one in
 * msgslot_poll() between joining the queue and reading the record: either
 * the poller sees the new record, or the writer sees the poller and wakes
 * it.  A write calls it only for a slot that has been polled (see
 * msgslot_write()): a slot nobody waits on costs a write no barrier.
 */
static void msgslot_wake(struct msgslot *slot)
{
	wait_queue_head_t *wq = msgslot_waitqueue(slot);

	if (wq_has_sleeper(wq))
		wake_up_interruptible_poll(wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * The records of @slot: in the slot, or in its page once it has been mapped.
 * The acquire pairs with the release in msgslot_map_page(): whoever sees the
 * page sees the records copied into it.
 */
static struct msgslot_map_channel *msgslot_records(struct msgslot *slot)
{
	/* Pairs with the release in msgslot_map_page(). */
	struct msgslot_map *map = smp_load_acquire(&slot->map);

	return map ? map->channel : slot->channel;
}

/* Store @len bytes of @data (zero-filled to MSGSLOT_MSG_LEN); lock held. */
static void msgslot_record_write(struct msgslot_map_channel *rec, const u8 *data,
				 u32 len)
{
	u32 seq = rec->seq;

	WRITE_ONCE(rec->seq, seq + 1);
	smp_wmb();	/* seq odd before any field changes */
	kcsan_nestable_atomic_begin();
	memcpy(rec->data, data, MSGSLOT_MSG_LEN);
	rec->length = len;
	rec->generation++;
	/*
	 * The coarse clock: a load, where the fine one can cost a device
	 * read (HPET under emulation); the tick is fine enough to age a
	 * value, and generations, not times, tell writes apart.
	 */
	rec->time_ns = ktime_get_coarse_real_ns();
	kcsan_nestable_atomic_end();
	smp_wmb();	/* every field changed before seq is even again */
	WRITE_ONCE(rec->seq, seq + 2);
}

static u32 msgslot_record_read_begin(const struct msgslot_map_channel *rec)
{
	u32 seq = READ_ONCE(rec->seq);

	smp_rmb();	/* seq before the fields */
	/* The copy that follows races with writers on purpose. */
	kcsan_atomic_next(KCSAN_SEQLOCK_REGION_MAX);
	return seq;
}

static bool msgslot_record_read_retry(const struct msgslot_map_channel *rec,
				      u32 seq)
{
	smp_rmb();	/* the fields before seq */
	kcsan_atomic_next(0);
	return unlikely((seq & 1) || READ_ONCE(rec->seq) != seq);
}

static void msgslot_record_copy(const struct msgslot_map_channel *rec,
				struct msgslot_message *msg)
{
	/* Of fixed size: a few moves, not a call to memcpy(). */
	memcpy(msg->data, rec->data, MSGSLOT_MSG_LEN);
	msg->length = rec->length;
	msg->generation = rec->generation;
	msg->time_ns = rec->time_ns;
}

/* Copy one whole write of @channel of @slot into @msg. */
static void msgslot_snapshot(struct msgslot *slot, unsigned int channel,
			     struct msgslot_message *msg)
{
	const struct msgslot_map_channel *rec = &msgslot_records(slot)[channel];
	u32 seq = msgslot_record_read_begin(rec);

	msgslot_record_copy(rec, msg);
	if (msgslot_record_read_retry(rec, seq)) {
		spin_lock(&slot->lock);
		msgslot_record_copy(&msgslot_records(slot)[channel], msg);
		spin_unlock(&slot->lock);
	}
	msg->channel = channel;
}

/*
 * The generation of @channel, whole even where a u64 takes two loads.  Like
 * the snapshot, it retries under the lock rather than spin: on PREEMPT_RT a
 * writer can be preempted mid-write by the very task that would spin.
 */
static u64 msgslot_generation(struct msgslot *slot, unsigned int channel)
{
	const struct msgslot_map_channel *rec = &msgslot_records(slot)[channel];
	u32 seq = msgslot_record_read_begin(rec);
	u64 generation = rec->generation;

	if (msgslot_record_read_retry(rec, seq)) {
		spin_lock(&slot->lock);
		generation = msgslot_records(slot)[channel].generation;
		spin_unlock(&slot->lock);
	}
	return generation;
}

/*
 * Mark @generation of the channel in @state seen by @mf, unless the file
 * has moved to another channel since @state or has seen a later one.
 */
static void msgslot_mark_seen(struct msgslot_file *mf, u64 state,
			      u64 generation)
{
	unsigned int channel = msgslot_state_channel(state);
	s64 old = state;

	do {
		if (msgslot_state_channel(old) != channel ||
		    msgslot_state_seen(old) >= generation)
			return;
	} while (!atomic64_try_cmpxchg(&mf->state, &old,
				       msgslot_state(channel, generation)));
}

static struct msgslot *msgslot_alloc(void)
{
	struct msgslot *slot;

	/* Zeroed: a channel never written reads as zeros, generation 0. */
	slot = kmem_cache_zalloc(msgslot_cache, GFP_KERNEL);
	if (!slot)
		return NULL;
	spin_lock_init(&slot->lock);
	return slot;
}

static void msgslot_free(struct msgslot *slot)
{
	free_page((unsigned long)slot->map);
	kmem_cache_free(msgslot_cache, slot);
}

/*
 * Give @slot its page, once: the first mmap of a slot moves its records
 * there, and from then on they live in the page, where every mapping of the
 * slot shows them.  The move happens under the slot's lock, so no writer is
 * half-way through a record: the copy has every seq even, and each record
 * whole.  Once the page is published, writers (who look under the lock)
 * write only there.  A lockless reader that loaded the old pointer just
 * before finishes its copy from the records in the slot, which nobody
 * writes any more and which live as long as the slot: it gets a whole
 * write, the latest at the time it looked, never a torn or freed one.
 */
static int msgslot_map_page(struct msgslot *slot)
{
	struct msgslot_map *map;

	/* Mapped before: nothing to move (the lock below rechecks). */
	if (smp_load_acquire(&slot->map))
		return 0;
	/* Zeroed: the page shows the records and nothing else. */
	map = (struct msgslot_map *)get_zeroed_page(GFP_KERNEL);
	if (!map)
		return -ENOMEM;

	spin_lock(&slot->lock);
	if (slot->map) {
		/* Another first mmap got there first. */
		spin_unlock(&slot->lock);
		free_page((unsigned long)map);
		return 0;
	}
	memcpy(map->channel, slot->channel, sizeof(slot->channel));
	/* The copy before the pointer: see msgslot_records(). */
	smp_store_release(&slot->map, map);
	spin_unlock(&slot->lock);
	return 0;
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
	struct msgslot_file *mf;

	/*
	 * The file first: an open that fails must not leave a slot behind,
	 * and a slot, once allocated, stays until module exit.  No channel
	 * until the file asks for one: state 0.
	 */
	mf = kzalloc(sizeof(*mf), GFP_KERNEL);
	if (!mf)
		return -ENOMEM;
	mf->slot = msgslot_get(iminor(inode));
	if (IS_ERR(mf->slot)) {
		int ret = PTR_ERR(mf->slot);

		kfree(mf);
		return ret;
	}
	file->private_data = mf;
	/* Messages are whole: no file position, so lseek and pread fail. */
	return stream_open(inode, file);
}

static int msgslot_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static long msgslot_get_message(struct msgslot_file *mf,
				struct msgslot_message __user *umsg)
{
	u64 state = atomic64_read(&mf->state);
	struct msgslot_message msg;

	if (!msgslot_state_has_channel(state))
		return -EINVAL;

	/* Every field is written: no padding, no stack bytes leak out. */
	msgslot_snapshot(mf->slot, msgslot_state_channel(state), &msg);
	if (copy_to_user(umsg, &msg, sizeof(msg)))
		return -EFAULT;
	msgslot_mark_seen(mf, state, msg.generation);
	return 0;
}

static long msgslot_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct msgslot_file *mf = file->private_data;

	switch (cmd) {
	case MSGSLOT_IOC_SET_CHANNEL:
		if (arg >= MSGSLOT_CHANNELS)
			return -EINVAL;
		/*
		 * Nothing seen on the new channel, even if it is the same one:
		 * its message is readable at once.  A poller already asleep on
		 * this file must look again; the queue is shared, so wake it
		 * only for a file that has waited, not for every open + set of
		 * a sender, which would wake every watcher of the slot.
		 */
		/* Fully ordered, to pair with the barrier of msgslot_poll(). */
		atomic64_xchg(&mf->state, msgslot_state(arg, 0));
		if (READ_ONCE(mf->waited))
			msgslot_wake(mf->slot);
		return 0;
	case MSGSLOT_IOC_GET_MESSAGE:
		return msgslot_get_message(mf, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

#ifdef CONFIG_COMPAT
/* SET_CHANNEL's argument is a number, the others' a pointer. */
static long msgslot_compat_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	if (cmd != MSGSLOT_IOC_SET_CHANNEL)
		arg = (unsigned long)compat_ptr(arg);
	return msgslot_ioctl(file, cmd, arg);
}
#else
#define msgslot_compat_ioctl	NULL
#endif

static ssize_t msgslot_read(struct file *file, char __user *buf, size_t count,
			    loff_t *ppos)
{
	struct msgslot_file *mf = file->private_data;
	u64 state = atomic64_read(&mf->state);
	/* Every byte is written by the snapshot before any is read. */
	struct msgslot_message msg __uninitialized;

	if (!msgslot_state_has_channel(state))
		return -EINVAL;

	/* Snapshot first: copy_to_user() may fault and sleep. */
	msgslot_snapshot(mf->slot, msgslot_state_channel(state), &msg);
	count = min_t(size_t, count, MSGSLOT_MSG_LEN);
	if (copy_to_user(buf, msg.data, count))
		return -EFAULT;
	msgslot_mark_seen(mf, state, msg.generation);
	return count;
}

static ssize_t msgslot_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct msgslot_file *mf = file->private_data;
	u64 state = atomic64_read(&mf->state);
	struct msgslot *slot = mf->slot;
	/* Every byte is written below before any is read. */
	u8 msg[MSGSLOT_MSG_LEN] __uninitialized;
	bool polled;

	if (!msgslot_state_has_channel(state))
		return -EINVAL;

	count = min_t(size_t, count, MSGSLOT_MSG_LEN);
	/*
	 * Take the whole message from user space before touching the stored
	 * one, so that a bad buffer leaves it exactly as it was.
	 */
	if (copy_from_user(msg, buf, count))
		return -EFAULT;
	memset(msg + count, 0, MSGSLOT_MSG_LEN - count);

	spin_lock(&slot->lock);
	msgslot_record_write(&msgslot_records(slot)[msgslot_state_channel(state)],
			     msg, count);
	/*
	 * Read under the lock that msgslot_poll() sets it under: if this write
	 * came first, the poller's look at the record comes after it and sees
	 * it; if the poller came first, this write sees the flag and wakes.
	 */
	polled = slot->polled;
	spin_unlock(&slot->lock);
	if (polled)
		msgslot_wake(slot);
	return count;
}

/*
 * Writable always: a write never blocks.  Readable when the file's channel
 * holds a later generation than the file last read.  An error without a
 * channel, as read and write would fail.
 */
static __poll_t msgslot_poll(struct file *file, poll_table *wait)
{
	struct msgslot_file *mf = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;
	u64 state;

	/*
	 * One queue for the file's whole life, whatever channel it moves to:
	 * epoll joins it once, when the file is added.
	 */
	poll_wait(file, msgslot_waitqueue(mf->slot), wait);
	/*
	 * Any poll counts as waiting, even one that does not join the queue
	 * (select with a zero timeout): at worst SET_CHANNEL wakes the queue
	 * once for nobody.  (poll_does_not_wait(), which could tell, is gone
	 * from newer kernels.)
	 */
	if (!READ_ONCE(mf->waited))
		WRITE_ONCE(mf->waited, true);
	/* From now on every write to the slot looks at the queue. */
	if (!READ_ONCE(mf->slot->polled)) {
		spin_lock(&mf->slot->lock);
		WRITE_ONCE(mf->slot->polled, true);
		spin_unlock(&mf->slot->lock);
	}
	/*
	 * Joined the queue before reading the record (and the state, which
	 * SET_CHANNEL changes before it looks at waited); see msgslot_wake().
	 */
	smp_mb();

	state = atomic64_read(&mf->state);
	if (!msgslot_state_has_channel(state))
		return mask | EPOLLERR;
	if (msgslot_generation(mf->slot, msgslot_state_channel(state)) >
	    msgslot_state_seen(state))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

/*
 * Each page fault of a mapping maps the slot's page, which lives until
 * module exit, and the mapping holds the file, the file the module.
 */
static vm_fault_t msgslot_vm_fault(struct vm_fault *vmf)
{
	struct msgslot *slot = vmf->vma->vm_private_data;
	struct page *page;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	page = virt_to_page(slot->map);
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct msgslot_vm_ops = {
	.fault = msgslot_vm_fault,
};

/*
 * A read-only mapping of the slot's records, one page at offset 0.  Not
 * writable nor executable, now or by a later mprotect().
 */
static int msgslot_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct msgslot_file *mf = file->private_data;
	int ret;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start > PAGE_SIZE)
		return -EINVAL;
	if (vma->vm_flags & (VM_WRITE | VM_EXEC))
		return -EPERM;
	ret = msgslot_map_page(mf->slot);
	if (ret)
		return ret;
	msgslot_vm_flags_change(vma, VM_DONTEXPAND | VM_DONTDUMP,
				VM_MAYWRITE | VM_MAYEXEC);
	vma->vm_private_data = mf->slot;
	vma->vm_ops = &msgslot_vm_ops;
	return 0;
}

static const struct file_operations msgslot_fops = {
	.owner		= THIS_MODULE,
	.open		= msgslot_open,
	.release	= msgslot_release,
	.read		= msgslot_read,
	.write		= msgslot_write,
	.poll		= msgslot_poll,
	.mmap		= msgslot_mmap,
	.unlocked_ioctl	= msgslot_ioctl,
	.compat_ioctl	= msgslot_compat_ioctl,
};

static int __init msgslot_init(void)
{
	struct device *dev;
	unsigned int made;
	int ret, i;

	if (nodes > MSGSLOT_MAX_NODES) {
		pr_err("nodes=%u: at most %u\n", nodes, MSGSLOT_MAX_NODES);
		return -EINVAL;
	}

	/* The uapi struct has no padding: every byte copied out is written. */
	BUILD_BUG_ON(sizeof(struct msgslot_message) != 24 + MSGSLOT_MSG_LEN);
	BUILD_BUG_ON(sizeof(struct msgslot_map_channel) !=
		     24 + MSGSLOT_MSG_LEN);
	BUILD_BUG_ON(sizeof(struct msgslot_map) > PAGE_SIZE);

	for (i = 0; i < ARRAY_SIZE(msgslot_waitqueues); i++)
		init_waitqueue_head(&msgslot_waitqueues[i]);

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

	for (made = 0; made < nodes; made++) {
		dev = device_create(msgslot_class, NULL,
				    MKDEV(major, made), NULL, "msgslot%u", made);
		if (IS_ERR(dev)) {
			ret = PTR_ERR(dev);
			goto err_destroy_devices;
		}
	}

	pr_info("major %u, minors 0-%u, /dev/msgslot0 is minor 0\n",
		MAJOR(msgslot_devt), MSGSLOT_MINORS - 1);
	return 0;

err_destroy_devices:
	while (made--)
		device_destroy(msgslot_class, MKDEV(major, made));
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
	unsigned int made;

	for (made = 0; made < nodes; made++)
		device_destroy(msgslot_class, MKDEV(major, made));
	class_destroy(msgslot_class);
	cdev_del(&msgslot_cdev);
	unregister_chrdev_region(msgslot_devt, MSGSLOT_MINORS);

	/* No file is open, so no open() can be adding a slot any more. */
	xa_for_each(&msgslot_slots, minor, slot)
		msgslot_free(slot);
	xa_destroy(&msgslot_slots);
	kmem_cache_destroy(msgslot_cache);
}

module_init(msgslot_init);
module_exit(msgslot_exit);

MODULE_DESCRIPTION("Message slots: channels that keep the last message written");
MODULE_LICENSE("GPL");
MODULE_VERSION(MSGSLOT_VERSION);
