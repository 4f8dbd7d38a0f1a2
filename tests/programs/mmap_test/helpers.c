// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the cases of mmap_test share: sending, mapping, comparing.
 */
#include "mmap_test.h"

bool send_text(const char *path, unsigned long channel,
		      const char *text)
{
	int fd = open_channel(path, O_WRONLY, channel);
	bool ok = fd >= 0 && write_text(fd, text) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

const struct msgslot_map *map_path(const char *path)
{
	const struct msgslot_map *map;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	map = msgslot_map(fd);
	close(fd);
	return map;
}

void *map_raw(const char *path, int oflags, size_t len, int prot,
		     int flags, off_t offset)
{
	int fd = open(path, oflags);
	void *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, len, prot, flags, fd, offset);
	close(fd);
	return p;
}
