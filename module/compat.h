/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The differences between the kernels message_slot builds against, kept here
 * so that message_slot.c reads as if written for the newest kernel.  Each is
 * detected by the feature itself where the kernel offers a way to tell.
 */
#ifndef MSGSLOT_COMPAT_H
#define MSGSLOT_COMPAT_H

#include <linux/device.h>
#include <linux/slab.h>
#include <linux/version.h>

/*
 * Before 6.4, class_create() was a macro that took the owning module as well
 * as the name; since then it is a function of the name alone.
 */
#ifdef class_create
#define msgslot_class_create(name)	class_create(THIS_MODULE, name)
#else
#define msgslot_class_create(name)	class_create(name)
#endif

/*
 * SLAB_NO_MERGE (6.5) keeps a cache from being merged into another of the
 * same size, so that kmem_cache_destroy() of it reports any object left
 * behind.  Older kernels merge unless slab debugging is on, which the test
 * guests turn on (slub_debug=FZPU); the benchmark's guest does not, so as
 * not to distort its times and sizes, and there the cache may be merged.
 */
#ifndef SLAB_NO_MERGE
#define SLAB_NO_MERGE	0
#endif

/*
 * __uninitialized keeps CONFIG_INIT_STACK_ALL_ZERO from zeroing a buffer
 * that the code fills completely before reading it.  Where the kernel does
 * not name it, use the compiler's attribute if it has one; without that,
 * such a kernel zeroes the buffer, which is only slower.
 */
#ifndef __uninitialized
#if __has_attribute(__uninitialized__)
#define __uninitialized	__attribute__((__uninitialized__))
#else
#define __uninitialized
#endif
#endif

/*
 * Since 6.3, vma->vm_flags is changed only through vm_flags_mod() and its
 * kin, which also take the locks that per-VMA locking wants.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define msgslot_vm_flags_change(vma, set, clear) \
	vm_flags_mod(vma, set, clear)
#else
#define msgslot_vm_flags_change(vma, set, clear) \
	((vma)->vm_flags = ((vma)->vm_flags | (set)) & ~(clear))
#endif

#endif /* MSGSLOT_COMPAT_H */
