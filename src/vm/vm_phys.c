/*
 * Physical frames: a bounded pool of PAGE_SIZE frames with refcounts.
 *
 * Allocation is lowest-free-first so that the same calls always get the same
 * frames.  The free set is a hierarchical bitmap: bit i of level 0 says frame
 * i is free, bit j of level k says word j of level k - 1 is not zero.  Finding
 * the lowest free frame walks down from the single top word, one count of
 * trailing zeros per level, and allocating or freeing fixes at most one word
 * per level: O(log64 nframes) either way, whatever the pool's size.
 *
 * A frame's bytes are allocated when it is handed out and released when its
 * last reference goes, and the per-frame bookkeeping (12 bytes) exists only
 * up to the highest frame handed out so far (lowest-free-first keeps that
 * at the peak number in use): a pool of a million frames costs its 1/8 bit
 * per frame until it is used.  A sweep builds a pool for every run.
 */
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "vm/vm_internal.h"

static void
bit_set(struct vm_phys *phys, uint32_t idx)
{
	int k;

	for (k = 0; k < phys->nlevels; k++) {
		uint64_t *w = &phys->lvl[k][idx / 64];
		bool was_zero = *w == 0;

		*w |= (uint64_t)1 << (idx % 64);
		if (!was_zero)
			break;
		idx /= 64;
	}
}

static void
bit_clear(struct vm_phys *phys, uint32_t idx)
{
	int k;

	for (k = 0; k < phys->nlevels; k++) {
		uint64_t *w = &phys->lvl[k][idx / 64];

		*w &= ~((uint64_t)1 << (idx % 64));
		if (*w != 0)
			break;
		idx /= 64;
	}
}

int
vm_phys_new(uint32_t nframes, struct vm_phys **out)
{
	struct vm_phys *phys;
	uint32_t n, i;
	int k;

	*out = NULL;
	/* VM_FRAME_NONE must stay out of reach of a frame index. */
	if (nframes == 0 || nframes == VM_FRAME_NONE)
		return PS_EINVAL;
	phys = calloc(1, sizeof(*phys));
	if (phys == NULL)
		return PS_ENOMEM;
	phys->nframes = nframes;
	phys->next_obj_id = 1;
	n = nframes;
	for (k = 0;; k++) {
		PS_ASSERT(k < VM_PHYS_MAXLEVELS);
		phys->nwords[k] = (n + 63) / 64;
		phys->lvl[k] = calloc(phys->nwords[k], sizeof(uint64_t));
		if (phys->lvl[k] == NULL)
			goto nomem;
		phys->nlevels = k + 1;
		if (phys->nwords[k] == 1)
			break;
		n = phys->nwords[k];
	}
	/*
	 * Every frame starts free: the first nframes bits of level 0 are set,
	 * and so, one level up, is the bit of every word below (none is zero).
	 * Word by word, not bit by bit: a simulator is built for every run of
	 * a sweep, and its pool is 65536 frames by default.
	 */
	n = nframes;
	for (k = 0; k < phys->nlevels; k++) {
		for (i = 0; i < n / 64; i++)
			phys->lvl[k][i] = ~(uint64_t)0;
		if (n % 64 != 0)
			phys->lvl[k][n / 64] = ((uint64_t)1 << (n % 64)) - 1;
		n = phys->nwords[k];
	}
	*out = phys;
	return 0;
nomem:
	vm_phys_free(phys);
	return PS_ENOMEM;
}

void
vm_phys_free(struct vm_phys *phys)
{
	int k;

	if (phys == NULL)
		return;
	/* The cached shared page object holds the shared frame. */
	if (phys->shared_obj != NULL) {
		struct vm_object *obj = phys->shared_obj;

		phys->shared_obj = NULL;
		vm_object_deallocate(obj);
	}
	PS_ASSERT_MSG(phys->used == 0, "%u frames still in use", phys->used);
	for (k = 0; k < phys->nlevels; k++)
		free(phys->lvl[k]);
	free(phys->data);
	free(phys->ref);
	free(phys);
}

uint32_t
vm_phys_total(const struct vm_phys *phys)
{
	return phys->nframes;
}

uint32_t
vm_phys_used(const struct vm_phys *phys)
{
	return phys->used;
}

void
vm_phys_get_stats(const struct vm_phys *phys, struct vm_phys_stats *out)
{
	*out = phys->stats;
}

/* Room in ref and data for frame idx; PS_ENOMEM. */
static int
phys_grow(struct vm_phys *phys, uint32_t idx)
{
	uint32_t cap = phys->cap < 64 ? 64 : phys->cap;
	uint32_t *ref;
	uint8_t **data;

	while (cap <= idx)
		cap = cap > UINT32_MAX / 2 ? UINT32_MAX : cap * 2;
	if (cap > phys->nframes)
		cap = phys->nframes;
	ref = realloc(phys->ref, (size_t)cap * sizeof(*ref));
	if (ref == NULL)
		return PS_ENOMEM;
	phys->ref = ref;
	data = realloc(phys->data, (size_t)cap * sizeof(*data));
	if (data == NULL)
		return PS_ENOMEM;
	phys->data = data;
	memset(ref + phys->cap, 0, (size_t)(cap - phys->cap) * sizeof(*ref));
	memset(data + phys->cap, 0, (size_t)(cap - phys->cap) * sizeof(*data));
	phys->cap = cap;
	return 0;
}

int
vm_phys_alloc(struct vm_phys *phys, uint32_t *frame)
{
	uint32_t idx = 0;
	uint8_t *bytes;
	int k;

	if (phys->lvl[phys->nlevels - 1][0] == 0) {
		phys->stats.alloc_failures++;
		return PS_ENOMEM;
	}
	for (k = phys->nlevels - 1; k >= 0; k--) {
		uint64_t w = phys->lvl[k][idx];

		PS_ASSERT(w != 0);
		idx = idx * 64 + (uint32_t)__builtin_ctzll(w);
	}
	PS_ASSERT(idx < phys->nframes);
	if (idx >= phys->cap && phys_grow(phys, idx) != 0) {
		phys->stats.alloc_failures++;
		return PS_ENOMEM;
	}
	PS_ASSERT(phys->ref[idx] == 0);
	bytes = malloc(PAGE_SIZE);
	if (bytes == NULL) {
		phys->stats.alloc_failures++;
		return PS_ENOMEM;
	}
	bit_clear(phys, idx);
	phys->data[idx] = bytes;
	phys->ref[idx] = 1;
	phys->used++;
	phys->stats.allocs++;
	*frame = idx;
	return 0;
}

void
vm_phys_ref(struct vm_phys *phys, uint32_t frame)
{
	PS_ASSERT(frame < phys->cap && phys->ref[frame] > 0);
	phys->ref[frame]++;
}

void
vm_phys_unref(struct vm_phys *phys, uint32_t frame)
{
	PS_ASSERT(frame < phys->cap && phys->ref[frame] > 0);
	if (--phys->ref[frame] > 0)
		return;
	free(phys->data[frame]);
	phys->data[frame] = NULL;
	bit_set(phys, frame);
	phys->used--;
	phys->stats.frees++;
}

uint32_t
vm_phys_refcount(const struct vm_phys *phys, uint32_t frame)
{
	PS_ASSERT(frame < phys->nframes);
	return frame < phys->cap ? phys->ref[frame] : 0;
}

uint8_t *
vm_phys_data(const struct vm_phys *phys, uint32_t frame)
{
	PS_ASSERT(frame < phys->cap && phys->ref[frame] > 0);
	return phys->data[frame];
}
