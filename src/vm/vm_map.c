/*
 * Address spaces: the map (sorted, disjoint entries) and the page table,
 * fork, and the mmap, munmap and mprotect system calls.
 *
 * The map is an array kept sorted by address: lookups are binary searches,
 * and a change moves the tail of the array, which is cheap for the handful
 * of entries a simulated process has.  A partial munmap or mprotect splits
 * entries at the range's ends as FreeBSD's vm_map_clip_start and
 * vm_map_clip_end do; entries are never merged back.  Every change to the
 * entries (insertion, removal, split, protection) advances the map
 * timestamp; faults do not, since they change only the page table.
 *
 * The page table maps a virtual page number to a frame.  Whether a write
 * needs a copy is not stored in it: a frame whose refcount is above 1 is
 * shared and is copied on write, one with refcount 1 is private.  Entry
 * protections are checked on every fault, so lowering an entry's prot
 * takes effect for resident pages at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "vm/vm_internal.h"

/* The page table. */

static uint32_t
pmap_slot(uint64_t vpn, uint32_t cap)
{
	/* Fibonacci hashing: neighbouring pages land far apart. */
	return (uint32_t)((vpn * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

static uint32_t
pmap_index(const struct vm_pmap *pm, uint64_t vpn)
{
	uint32_t i;

	if (pm->cap == 0)
		return UINT32_MAX;
	for (i = pmap_slot(vpn, pm->cap); pm->slots[i].vpn != 0; i = (i + 1) & (pm->cap - 1))
		if (pm->slots[i].vpn == vpn)
			return i;
	return UINT32_MAX;
}

struct vm_pte *
vm_pmap_find(const struct vmspace *vm, uint64_t vpn)
{
	uint32_t i = pmap_index(&vm->pmap, vpn);

	return i == UINT32_MAX ? NULL : &vm->pmap.slots[i];
}

static void
pmap_put(struct vm_pte *slots, uint32_t cap, uint64_t vpn, uint32_t frame)
{
	uint32_t i;

	for (i = pmap_slot(vpn, cap); slots[i].vpn != 0; i = (i + 1) & (cap - 1))
		PS_ASSERT(slots[i].vpn != vpn);
	slots[i].vpn = vpn;
	slots[i].frame = frame;
}

int
vm_pmap_reserve(struct vmspace *vm)
{
	struct vm_pmap *pm = &vm->pmap;
	struct vm_pte *slots;
	uint32_t cap, i;

	/* Keep the load at most one half so that probe runs stay short. */
	if ((uint64_t)(pm->count + 1) * 2 <= pm->cap)
		return 0;
	cap = pm->cap == 0 ? 16 : pm->cap * 2;
	if (cap == 0)
		return PS_ENOMEM;
	slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return PS_ENOMEM;
	/* Reinsert in slot order: the new layout depends only on the old one. */
	for (i = 0; i < pm->cap; i++)
		if (pm->slots[i].vpn != 0)
			pmap_put(slots, cap, pm->slots[i].vpn, pm->slots[i].frame);
	free(pm->slots);
	pm->slots = slots;
	pm->cap = cap;
	return 0;
}

void
vm_pmap_insert(struct vmspace *vm, uint64_t vpn, uint32_t frame)
{
	PS_ASSERT(vpn != 0);
	PS_ASSERT((uint64_t)(vm->pmap.count + 1) * 2 <= vm->pmap.cap);
	pmap_put(vm->pmap.slots, vm->pmap.cap, vpn, frame);
	vm->pmap.count++;
}

/*
 * Remove slot i (linear probing's backward-shift deletion: no tombstones,
 * so lookups never slow down).  Only slots at or after i in probe order
 * move, and they move towards i.
 */
static void
pmap_delete_at(struct vmspace *vm, uint32_t i)
{
	struct vm_pmap *pm = &vm->pmap;
	uint32_t mask = pm->cap - 1, j = i, k;

	vm_phys_unref(vm->phys, pm->slots[i].frame);
	for (;;) {
		j = (j + 1) & mask;
		if (pm->slots[j].vpn == 0)
			break;
		k = pmap_slot(pm->slots[j].vpn, pm->cap);
		/* Leave slot j alone when its home k lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		pm->slots[i] = pm->slots[j];
		i = j;
	}
	pm->slots[i].vpn = 0;
	pm->slots[i].frame = 0;
	pm->count--;
}

/* Drop every page of [start, end) from the page table, releasing frames. */
static void
pmap_remove_range(struct vmspace *vm, uint64_t start, uint64_t end)
{
	struct vm_pmap *pm = &vm->pmap;
	uint64_t svpn = start >> PAGE_SHIFT, evpn = end >> PAGE_SHIFT, vpn;
	uint32_t i;

	if (pm->count == 0)
		return;
	if (evpn - svpn <= pm->count) {
		for (vpn = svpn; vpn < evpn; vpn++) {
			i = pmap_index(pm, vpn);
			if (i != UINT32_MAX)
				pmap_delete_at(vm, i);
		}
		return;
	}
	/*
	 * A range larger than the table: scan the slots.  A deletion may pull
	 * a later slot into slot i, so slot i is looked at again; slots that
	 * wrap around to the front were kept, and moving them is harmless.
	 */
	for (i = 0; i < pm->cap;) {
		vpn = pm->slots[i].vpn;
		if (vpn != 0 && vpn >= svpn && vpn < evpn)
			pmap_delete_at(vm, i);
		else
			i++;
	}
}

/* Resident pages of [start, end), and how many of them are private. */
static void
pmap_count_range(const struct vmspace *vm, uint64_t start, uint64_t end, uint32_t *resident,
                 uint32_t *private_count)
{
	const struct vm_pmap *pm = &vm->pmap;
	uint64_t svpn = start >> PAGE_SHIFT, evpn = end >> PAGE_SHIFT, vpn;
	uint32_t i, f;

	*resident = 0;
	*private_count = 0;
	if (pm->count == 0)
		return;
	if (evpn - svpn <= pm->count) {
		for (vpn = svpn; vpn < evpn; vpn++) {
			i = pmap_index(pm, vpn);
			if (i == UINT32_MAX)
				continue;
			f = pm->slots[i].frame;
			(*resident)++;
			if (vm_phys_refcount(vm->phys, f) == 1)
				(*private_count)++;
		}
		return;
	}
	for (i = 0; i < pm->cap; i++) {
		vpn = pm->slots[i].vpn;
		if (vpn == 0 || vpn < svpn || vpn >= evpn)
			continue;
		(*resident)++;
		if (vm_phys_refcount(vm->phys, pm->slots[i].frame) == 1)
			(*private_count)++;
	}
}

/* The map. */

static void
map_changed(struct vmspace *vm)
{
	vm->timestamp++;
}

/* Index of the first entry whose end is above addr (nents if none). */
static uint32_t
ents_lower(const struct vmspace *vm, uint64_t addr)
{
	uint32_t lo = 0, hi = vm->nents, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (vm->ents[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vm_map_entry *
vm_map_entry_containing(const struct vmspace *vm, uint64_t addr)
{
	uint32_t i = ents_lower(vm, addr);

	if (i == vm->nents || vm->ents[i].start > addr)
		return NULL;
	return &vm->ents[i];
}

/* Room for extra more entries, so that a change cannot fail half way. */
static int
ents_reserve(struct vmspace *vm, uint32_t extra)
{
	struct vm_map_entry *ents;
	uint32_t cap;

	if (vm->nents + extra <= vm->capents)
		return 0;
	cap = vm->capents == 0 ? 8 : vm->capents * 2;
	while (cap < vm->nents + extra)
		cap *= 2;
	ents = realloc(vm->ents, (size_t)cap * sizeof(*ents));
	if (ents == NULL)
		return PS_ENOMEM;
	vm->ents = ents;
	vm->capents = cap;
	return 0;
}

static void
ents_insert_at(struct vmspace *vm, uint32_t i, const struct vm_map_entry *e)
{
	PS_ASSERT(vm->nents < vm->capents && i <= vm->nents);
	memmove(&vm->ents[i + 1], &vm->ents[i], (size_t)(vm->nents - i) * sizeof(*e));
	vm->ents[i] = *e;
	vm->nents++;
	map_changed(vm);
}

/* Split the entry holding addr so that an entry starts at addr (clip_start). */
static void
map_clip(struct vmspace *vm, uint64_t addr)
{
	uint32_t i = ents_lower(vm, addr);
	struct vm_map_entry tail;

	if (i == vm->nents || vm->ents[i].start >= addr)
		return;
	tail = vm->ents[i];
	tail.offset += addr - tail.start;
	tail.start = addr;
	vm_object_reference(tail.obj);
	vm->ents[i].end = addr;
	ents_insert_at(vm, i + 1, &tail);
}

/* Remove every mapping in [start, end); a hole is fine. */
static int
map_delete(struct vmspace *vm, uint64_t start, uint64_t end)
{
	uint32_t i, j, k;
	int error;

	/* Clipping both ends of one entry adds two entries. */
	error = ents_reserve(vm, 2);
	if (error != 0)
		return error;
	map_clip(vm, start);
	map_clip(vm, end);
	i = ents_lower(vm, start);
	for (j = i; j < vm->nents && vm->ents[j].start < end; j++)
		PS_ASSERT(vm->ents[j].end <= end);
	if (i == j)
		return 0;
	pmap_remove_range(vm, vm->ents[i].start, vm->ents[j - 1].end);
	for (k = i; k < j; k++)
		vm_object_deallocate(vm->ents[k].obj);
	memmove(&vm->ents[i], &vm->ents[j], (size_t)(vm->nents - j) * sizeof(vm->ents[0]));
	vm->nents -= j - i;
	map_changed(vm);
	return 0;
}

/* Address spaces. */

struct vmspace *
vmspace_alloc(struct vm_phys *phys)
{
	struct vmspace *vm;

	PS_ASSERT(phys != NULL);
	vm = calloc(1, sizeof(*vm));
	if (vm == NULL)
		return NULL;
	vm->phys = phys;
	return vm;
}

void
vmspace_free(struct vmspace *vm)
{
	uint32_t i;

	if (vm == NULL)
		return;
	for (i = 0; i < vm->pmap.cap; i++)
		if (vm->pmap.slots[i].vpn != 0)
			vm_phys_unref(vm->phys, vm->pmap.slots[i].frame);
	for (i = 0; i < vm->nents; i++)
		vm_object_deallocate(vm->ents[i].obj);
	free(vm->pmap.slots);
	free(vm->ents);
	free(vm);
}

int
vmspace_fork(struct vmspace *src, struct vmspace **out)
{
	struct vm_map_entry *ents = NULL;
	struct vm_pte *slots = NULL;
	struct vmspace *vm;
	uint32_t i;

	*out = NULL;
	vm = vmspace_alloc(src->phys);
	/*
	 * The child's entry array is exactly as long as the map: most
	 * children never map anything more, and a million of them would
	 * otherwise carry the parent's spare room.  It grows on demand.
	 */
	if (src->nents > 0)
		ents = malloc((size_t)src->nents * sizeof(*ents));
	if (src->pmap.cap > 0)
		slots = malloc((size_t)src->pmap.cap * sizeof(*slots));
	if (vm == NULL || (src->nents > 0 && ents == NULL) || (src->pmap.cap > 0 && slots == NULL)) {
		free(vm);
		free(ents);
		free(slots);
		return PS_ENOMEM;
	}
	vm->ents = ents;
	vm->capents = src->nents;
	for (i = 0; i < src->nents; i++) {
		vm->ents[i] = src->ents[i];
		vm_object_reference(vm->ents[i].obj);
	}
	vm->nents = src->nents;
	/*
	 * Every present page is shared: one more reference on its frame.  The
	 * next write on either side sees refcount > 1 and copies.  The table
	 * is copied slot for slot, so the child probes exactly as the parent.
	 */
	vm->pmap.slots = slots;
	vm->pmap.cap = src->pmap.cap;
	vm->pmap.count = src->pmap.count;
	if (slots != NULL)
		memcpy(slots, src->pmap.slots, (size_t)src->pmap.cap * sizeof(*slots));
	for (i = 0; i < vm->pmap.cap; i++)
		if (slots[i].vpn != 0)
			vm_phys_ref(vm->phys, slots[i].frame);
	/* The child's map starts where the parent's is, as FreeBSD copies it. */
	vm->timestamp = src->timestamp;
	*out = vm;
	return 0;
}

uint32_t
vm_timestamp(const struct vmspace *vm)
{
	return vm->timestamp;
}

uint32_t
vm_resident(const struct vmspace *vm)
{
	return vm->pmap.count;
}

void
vmspace_set_icache_hook(struct vmspace *vm, vm_icache_sync_fn *fn, void *arg)
{
	vm->icache_fn = fn;
	vm->icache_arg = arg;
}

uint64_t
vm_icache_syncs(const struct vmspace *vm)
{
	return vm->icache_syncs;
}

static bool
prot_valid(uint8_t prot)
{
	return (prot & ~VM_PROT_ALL) == 0;
}

int
vm_map_fixed(struct vmspace *vm, uint64_t start, uint64_t len, uint8_t prot, uint8_t max_prot,
             struct vm_object *obj, uint64_t offset, const char *name)
{
	struct vm_map_entry e;
	uint64_t end;
	uint32_t i;
	int error;

	if ((start & PAGE_MASK) != 0 || (len & PAGE_MASK) != 0 || (offset & PAGE_MASK) != 0 ||
	    len == 0 || !prot_valid(prot) || !prot_valid(max_prot) || (prot & ~max_prot) != 0)
		return PS_EINVAL;
	end = start + len;
	if (end < start || start < VM_MIN_ADDRESS || end > VM_MAXUSER_ADDRESS)
		return PS_ENOMEM;
	i = ents_lower(vm, start);
	if (i < vm->nents && vm->ents[i].start < end)
		return PS_ENOMEM;
	error = ents_reserve(vm, 1);
	if (error != 0)
		return error;
	if (obj == NULL) {
		obj = vm_object_anon();
		if (obj == NULL)
			return PS_ENOMEM;
	} else
		vm_object_reference(obj);
	if (obj->id == 0)
		obj->id = vm->phys->next_obj_id++;
	memset(&e, 0, sizeof(e));
	e.start = start;
	e.end = end;
	e.offset = offset;
	e.obj = obj;
	e.prot = prot;
	e.max_prot = max_prot;
	snprintf(e.name, sizeof(e.name), "%s", name != NULL ? name : "");
	ents_insert_at(vm, i, &e);
	return 0;
}

/* First fit: the lowest free range of len bytes at or above from. */
static int
map_findspace(const struct vmspace *vm, uint64_t from, uint64_t len, uint64_t *out)
{
	uint64_t cur = from;
	uint32_t i;

	for (i = ents_lower(vm, cur); i < vm->nents; i++) {
		if (vm->ents[i].start >= cur && vm->ents[i].start - cur >= len)
			break;
		if (vm->ents[i].end > cur)
			cur = vm->ents[i].end;
	}
	if (cur > VM_MAXUSER_ADDRESS || VM_MAXUSER_ADDRESS - cur < len)
		return PS_ENOMEM;
	*out = cur;
	return 0;
}

int
vm_mmap(struct vmspace *vm, uint64_t addr, uint64_t len, uint8_t prot, int flags, uint64_t *out)
{
	uint64_t size, start;
	int error;

	if (len == 0 || !prot_valid(prot) || (flags & ~VM_MAP_FIXED) != 0 ||
	    len > UINT64_MAX - PAGE_MASK)
		return PS_EINVAL;
	size = round_page(len);
	if ((flags & VM_MAP_FIXED) != 0) {
		if ((addr & PAGE_MASK) != 0 || addr < VM_MIN_ADDRESS ||
		    addr > VM_MAXUSER_ADDRESS || VM_MAXUSER_ADDRESS - addr < size)
			return PS_EINVAL;
		/* MAP_FIXED replaces whatever the range held (POSIX). */
		error = map_delete(vm, addr, addr + size);
		if (error != 0)
			return error;
		start = addr;
	} else {
		/* A hint above the mmap base is where the search starts. */
		uint64_t from = VM_MMAP_BASE;

		if (addr > VM_MMAP_BASE && addr <= VM_MAXUSER_ADDRESS)
			from = round_page(addr);
		error = map_findspace(vm, from, size, &start);
		if (error != 0)
			return error;
	}
	error = vm_map_fixed(vm, start, size, prot, VM_PROT_ALL, NULL, 0, "mmap");
	if (error != 0)
		return error;
	if (out != NULL)
		*out = start;
	return 0;
}

int
vm_munmap(struct vmspace *vm, uint64_t addr, uint64_t len)
{
	uint64_t size;

	if ((addr & PAGE_MASK) != 0 || len == 0 || len > UINT64_MAX - PAGE_MASK)
		return PS_EINVAL;
	size = round_page(len);
	if (addr < VM_MIN_ADDRESS || addr > VM_MAXUSER_ADDRESS || VM_MAXUSER_ADDRESS - addr < size)
		return PS_EINVAL;
	return map_delete(vm, addr, addr + size);
}

int
vm_mprotect(struct vmspace *vm, uint64_t addr, uint64_t len, uint8_t prot)
{
	uint64_t size, end, cur;
	uint32_t i;
	int error;

	if ((addr & PAGE_MASK) != 0 || !prot_valid(prot) || len > UINT64_MAX - PAGE_MASK)
		return PS_EINVAL;
	size = round_page(len);
	end = addr + size;
	if (end < addr)
		return PS_EINVAL;
	if (size == 0)
		return 0;
	/* Check the whole range before changing anything: no holes, and the
	 * new prot within every entry's max_prot. */
	cur = addr;
	for (i = ents_lower(vm, addr); cur < end; i++) {
		if (i == vm->nents || vm->ents[i].start > cur)
			return PS_ENOMEM;
		if ((prot & ~vm->ents[i].max_prot) != 0)
			return PS_EACCES;
		cur = vm->ents[i].end;
	}
	error = ents_reserve(vm, 2);
	if (error != 0)
		return error;
	map_clip(vm, addr);
	map_clip(vm, end);
	for (i = ents_lower(vm, addr); i < vm->nents && vm->ents[i].start < end; i++)
		vm->ents[i].prot = prot;
	map_changed(vm);
	return 0;
}

int
vm_entry_lookup(const struct vmspace *vm, uint64_t addr, struct vm_entry_info *out)
{
	const struct vm_map_entry *e;
	uint32_t i = ents_lower(vm, addr);

	if (i == vm->nents)
		return PS_ESRCH;
	e = &vm->ents[i];
	memset(out, 0, sizeof(*out));
	out->start = e->start;
	out->end = e->end;
	out->prot = e->prot;
	out->max_prot = e->max_prot;
	out->obj_type = e->obj->type;
	out->offset = e->offset;
	out->obj_id = e->obj->id;
	pmap_count_range(vm, e->start, e->end, &out->resident, &out->private_count);
	memcpy(out->name, e->name, sizeof(out->name));
	return 0;
}

uint32_t
vm_entry_count(const struct vmspace *vm)
{
	return vm->nents;
}
