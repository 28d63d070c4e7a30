/*
 * The simulated MMU's private structures, shared by the files of src/vm.
 * Nothing outside src/vm includes this header: the rest of the simulator
 * sees only vm.h.
 */
#ifndef PS_VM_VM_INTERNAL_H
#define PS_VM_VM_INTERNAL_H

#include <procsim/error.h>

#include "vm/vm.h"

/* No frame: a value no pool reaches (vm_phys_new caps nframes below it). */
#define VM_FRAME_NONE UINT32_MAX

/*
 * The frame pool.  A frame is free when its refcount is 0; the free set is a
 * hierarchical bitmap (64 ways per level) so that the lowest free frame is
 * found in O(log64 nframes) and every run hands out the same frames.  A
 * frame's bytes exist only while it is in use.
 */
#define VM_PHYS_MAXLEVELS 6

struct vm_phys {
	uint32_t nframes;
	uint32_t used;
	uint32_t cap;                         /* Frames ref and data have room for. */
	uint32_t *ref;                        /* Per frame below cap; 0 beyond. */
	uint8_t **data;                       /* Per frame below cap; NULL while free. */
	uint64_t *lvl[VM_PHYS_MAXLEVELS];     /* lvl[0] bit i: frame i free. */
	uint32_t nwords[VM_PHYS_MAXLEVELS];
	int nlevels;                          /* lvl[nlevels - 1] is one word. */
	uint32_t next_obj_id;                 /* Object ids, in order of first mapping. */
	struct vm_object *shared_obj;         /* The shared page every exec maps. */
	struct vm_phys_stats stats;
	uint32_t inject_nomem;                /* Debugger writes still to fail (ENOMEM). */
};

/* Frames (vm_phys.c).  vm_phys_alloc gives a frame with refcount 1 and
 * uninitialised bytes; the caller fills it. */
int vm_phys_alloc(struct vm_phys *phys, uint32_t *frame);
void vm_phys_ref(struct vm_phys *phys, uint32_t frame);
void vm_phys_unref(struct vm_phys *phys, uint32_t frame);
uint32_t vm_phys_refcount(const struct vm_phys *phys, uint32_t frame);
uint8_t *vm_phys_data(const struct vm_phys *phys, uint32_t frame);

struct vm_object {
	uint32_t ref;
	uint32_t id;             /* 0 until first mapped. */
	uint8_t type;            /* enum vm_obj_type */
	uint8_t *bytes;          /* IMAGE, SHARED: the initial contents. */
	size_t len;
	char name[24];
	/* SHARED: the one frame every mapping uses, allocated on first touch. */
	struct vm_phys *phys;
	uint32_t frame;
};

/* Objects (vm_object.c). */
struct vm_object *vm_object_anon(void);
struct vm_object *vm_object_shared(const void *bytes, size_t len);
void vm_object_reference(struct vm_object *obj);
/* Fill a new frame with the object's page at byte offset off. */
void vm_object_fill(const struct vm_object *obj, uint64_t off, uint8_t *page);

struct vm_map_entry {
	uint64_t start, end;     /* [start, end), page aligned. */
	uint64_t offset;         /* Offset of start in obj. */
	struct vm_object *obj;   /* One reference per entry. */
	uint8_t prot, max_prot;
	char name[24];
};

/*
 * The page table: virtual page number -> frame, an open-addressing hash with
 * linear probing (vpn 0 marks an empty slot: page 0 is never mapped).  Its
 * layout depends only on the order of insertions, never on host pointers.
 */
struct vm_pte {
	uint64_t vpn;
	uint32_t frame;
};

struct vm_pmap {
	struct vm_pte *slots;
	uint32_t cap;            /* 0 or a power of two. */
	uint32_t count;
};

struct vmspace {
	struct vm_phys *phys;
	struct vm_map_entry *ents;   /* Sorted by start, disjoint. */
	uint32_t nents, capents;
	uint32_t timestamp;
	struct vm_pmap pmap;
	uint64_t icache_syncs;
	vm_icache_sync_fn *icache_fn;
	void *icache_arg;
};

/* Map internals (vm_map.c), used by the fault code. */
struct vm_map_entry *vm_map_entry_containing(const struct vmspace *vm, uint64_t addr);
struct vm_pte *vm_pmap_find(const struct vmspace *vm, uint64_t vpn);
int vm_pmap_reserve(struct vmspace *vm);  /* Room for one more insertion. */
void vm_pmap_insert(struct vmspace *vm, uint64_t vpn, uint32_t frame);

/*
 * The fault handler (vm_fault.c).  debugger selects proc_rwmem's rules
 * instead of the user's.  Returns 0 or VM_FAULT_SEGV / VM_FAULT_NOMEM; *page
 * gets the host address of the page.
 */
int vm_fault(struct vmspace *vm, uint64_t va, uint8_t access, bool debugger, uint8_t **page);

#endif /* PS_VM_VM_INTERNAL_H */
