/*
 * Memory objects: what a map entry maps.  An object here describes how a
 * page is filled the first time it is touched (zeros, or the bytes of a
 * program segment); the filled frames themselves live in each vmspace's
 * page table, so fork shares them copy-on-write without the object's
 * help.  The one exception is the shared page, whose single frame belongs
 * to the object and is mapped by every process, as the kernel maps its
 * shared page.
 *
 * An object has no id until it is first mapped: vm_map_fixed gives it the
 * next id of the vmspace's frame pool, so ids follow the order in which a
 * simulator maps objects and never depend on anything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "vm/vm_internal.h"

static struct vm_object *
object_new(uint8_t type, const void *bytes, size_t len, const char *name)
{
	struct vm_object *obj;

	obj = calloc(1, sizeof(*obj));
	if (obj == NULL)
		return NULL;
	obj->ref = 1;
	obj->type = type;
	obj->frame = VM_FRAME_NONE;
	if (len > 0) {
		obj->bytes = malloc(len);
		if (obj->bytes == NULL) {
			free(obj);
			return NULL;
		}
		memcpy(obj->bytes, bytes, len);
		obj->len = len;
	}
	if (name != NULL)
		snprintf(obj->name, sizeof(obj->name), "%s", name);
	return obj;
}

struct vm_object *
vm_object_image(const void *bytes, size_t len, const char *name)
{
	if (bytes == NULL && len > 0)
		return NULL;
	return object_new(OBJT_IMAGE, bytes, len, name);
}

struct vm_object *
vm_object_anon(void)
{
	return object_new(OBJT_DEFAULT, NULL, 0, "anon");
}

struct vm_object *
vm_object_shared(const void *bytes, size_t len)
{
	PS_ASSERT(len <= PAGE_SIZE);
	return object_new(OBJT_SHARED, bytes, len, "shared");
}

void
vm_object_reference(struct vm_object *obj)
{
	PS_ASSERT(obj->ref > 0);
	obj->ref++;
}

void
vm_object_deallocate(struct vm_object *obj)
{
	if (obj == NULL)
		return;
	PS_ASSERT(obj->ref > 0);
	if (--obj->ref > 0)
		return;
	if (obj->frame != VM_FRAME_NONE)
		vm_phys_unref(obj->phys, obj->frame);
	free(obj->bytes);
	free(obj);
}

void
vm_object_fill(const struct vm_object *obj, uint64_t off, uint8_t *page)
{
	size_t n = 0;

	/* Bytes past the end of the object read as zeros, like a file's tail. */
	if (off < obj->len) {
		n = obj->len - off;
		if (n > PAGE_SIZE)
			n = PAGE_SIZE;
		memcpy(page, obj->bytes + off, n);
	}
	memset(page + n, 0, PAGE_SIZE - n);
}
