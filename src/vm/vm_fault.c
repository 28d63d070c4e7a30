/*
 * The fault handler and the accessors built on it: the CPU's translation
 * (vm_fault_page), copyin/copyout for system calls, and proc_rwmem for the
 * debugger (spec-sys_process.md §1).
 *
 * A fault finds the entry, checks the access against it, and makes the
 * page resident: a new frame filled with zeros or the object's bytes, or
 * the shared page's one frame.  A write to a frame that another page table
 * also maps (refcount above 1) copies it first, unless the entry maps the
 * shared object, which is never copied.
 */
#include <string.h>

#include "base/assert.h"
#include "vm/vm_internal.h"

static bool
entry_is_cow(const struct vm_map_entry *e)
{
	return e->obj->type != OBJT_SHARED;
}

/* The shared object's frame, allocated and filled on its first mapping. */
static int
shared_frame(struct vmspace *vm, struct vm_object *obj, uint32_t *frame)
{
	struct vm_phys *phys = vm->phys;

	if (obj->frame == VM_FRAME_NONE) {
		if (vm_phys_alloc(phys, &obj->frame) != 0)
			return VM_FAULT_NOMEM;
		obj->phys = phys;
		vm_object_fill(obj, 0, vm_phys_data(phys, obj->frame));
		phys->stats.shared_fills++;
	}
	PS_ASSERT(obj->phys == phys);
	vm_phys_ref(phys, obj->frame);
	*frame = obj->frame;
	return 0;
}

int
vm_fault(struct vmspace *vm, uint64_t va, uint8_t access, bool debugger, uint8_t **page)
{
	struct vm_phys *phys = vm->phys;
	struct vm_map_entry *e;
	struct vm_pte *pte;
	uint64_t vpn = va >> PAGE_SHIFT;
	uint32_t frame, copy;
	bool write = (access & VM_PROT_WRITE) != 0;

	e = vm_map_entry_containing(vm, va);
	if (e == NULL)
		return VM_FAULT_SEGV;
	if (!debugger) {
		if ((e->prot & access) != access)
			return VM_FAULT_SEGV;
	} else {
		/*
		 * proc_rwmem asks for READ (plus COPY to write): the current
		 * prot must allow reading, and a write needs max_prot WRITE
		 * or a private entry (FreeBSD-SA-13:06).  The entry's prot is
		 * never raised.
		 */
		if ((e->prot & VM_PROT_READ) == 0)
			return VM_FAULT_SEGV;
		if (write && (e->max_prot & VM_PROT_WRITE) == 0 && !entry_is_cow(e))
			return VM_FAULT_SEGV;
	}
	pte = vm_pmap_find(vm, vpn);
	if (pte == NULL) {
		if (vm_pmap_reserve(vm) != 0)
			return VM_FAULT_NOMEM;
		if (e->obj->type == OBJT_SHARED) {
			if (shared_frame(vm, e->obj, &frame) != 0)
				return VM_FAULT_NOMEM;
		} else {
			if (vm_phys_alloc(phys, &frame) != 0)
				return VM_FAULT_NOMEM;
			vm_object_fill(e->obj, e->offset + ((vpn << PAGE_SHIFT) - e->start),
			    vm_phys_data(phys, frame));
			if (e->obj->type == OBJT_IMAGE)
				phys->stats.image_fills++;
			else
				phys->stats.zero_fills++;
		}
		vm_pmap_insert(vm, vpn, frame);
		pte = vm_pmap_find(vm, vpn);
	} else if (write && entry_is_cow(e) && vm_phys_refcount(phys, pte->frame) > 1) {
		/* Copy-on-write: this page table gets its own copy. */
		if (vm_phys_alloc(phys, &copy) != 0)
			return VM_FAULT_NOMEM;
		memcpy(vm_phys_data(phys, copy), vm_phys_data(phys, pte->frame), PAGE_SIZE);
		vm_phys_unref(phys, pte->frame);
		pte->frame = copy;
		phys->stats.cow_copies++;
	}
	*page = vm_phys_data(phys, pte->frame);
	return 0;
}

uint8_t *
vm_fault_page(struct vmspace *vm, uint64_t addr, uint8_t access, int *err)
{
	uint8_t *page;
	int error;

	PS_ASSERT(access == VM_PROT_READ || access == VM_PROT_WRITE || access == VM_PROT_EXECUTE);
	error = vm_fault(vm, addr, access, false, &page);
	*err = error;
	if (error != 0)
		return NULL;
	return page + (addr & PAGE_MASK);
}

static int
fault_errno(int fault)
{
	return fault == VM_FAULT_NOMEM ? PS_ENOMEM : PS_EFAULT;
}

/* Move len bytes between buf and user memory at uaddr with user rights. */
static int
copy_user(struct vmspace *vm, uint64_t uaddr, uint8_t *buf, size_t len, bool out)
{
	uint8_t *page;
	size_t off, n;
	int error;

	while (len > 0) {
		error = vm_fault(vm, uaddr, out ? VM_PROT_WRITE : VM_PROT_READ, false, &page);
		if (error != 0)
			return fault_errno(error);
		off = (size_t)(uaddr & PAGE_MASK);
		n = PAGE_SIZE - off;
		if (n > len)
			n = len;
		if (out)
			memcpy(page + off, buf, n);
		else
			memcpy(buf, page + off, n);
		buf += n;
		uaddr += n;
		len -= n;
	}
	return 0;
}

int
vm_copyin(struct vmspace *vm, uint64_t uaddr, void *buf, size_t len)
{
	return copy_user(vm, uaddr, buf, len, false);
}

int
vm_copyout(struct vmspace *vm, const void *buf, uint64_t uaddr, size_t len)
{
	/* copy_user only reads buf when copying out. */
	return copy_user(vm, uaddr, (uint8_t *)(uintptr_t)buf, len, true);
}

int
vm_copyinstr(struct vmspace *vm, uint64_t uaddr, char *buf, size_t max, size_t *done)
{
	const uint8_t *page, *nul;
	uint8_t *p;
	size_t copied = 0, off, n;
	int error;

	/* As FreeBSD's copyinstr: *done counts the NUL when one was found. */
	while (copied < max) {
		error = vm_fault(vm, uaddr, VM_PROT_READ, false, &p);
		if (error != 0) {
			if (done != NULL)
				*done = copied;
			return fault_errno(error);
		}
		page = p;
		off = (size_t)(uaddr & PAGE_MASK);
		n = PAGE_SIZE - off;
		if (n > max - copied)
			n = max - copied;
		nul = memchr(page + off, 0, n);
		if (nul != NULL)
			n = (size_t)(nul - (page + off)) + 1;
		memcpy(buf + copied, page + off, n);
		copied += n;
		uaddr += n;
		if (nul != NULL) {
			if (done != NULL)
				*done = copied;
			return 0;
		}
	}
	if (done != NULL)
		*done = copied;
	return PS_ENAMETOOLONG;
}

int
vm_fault_debug(struct vmspace *vm, uint64_t va, bool write, uint8_t **page)
{
	struct vm_phys *phys = vm->phys;
	int fault;

	if (write && phys->inject_nomem > 0) {
		/* A shortage is only felt by a fault that needs a new frame. */
		struct vm_map_entry *e = vm_map_entry_containing(vm, va);
		struct vm_pte *pte = vm_pmap_find(vm, va >> PAGE_SHIFT);

		if (e != NULL && (e->prot & VM_PROT_READ) != 0 &&
		    (pte == NULL || (entry_is_cow(e) && vm_phys_refcount(phys, pte->frame) > 1))) {
			phys->inject_nomem--;
			return PS_ENOMEM;
		}
	}
	fault = vm_fault(vm, va,
	    write ? VM_PROT_READ | VM_PROT_WRITE | VM_PROT_COPY : VM_PROT_READ, true, page);
	return fault == 0 ? 0 : fault_errno(fault);
}

bool
vm_map_check_protection(const struct vmspace *vm, uint64_t start, uint64_t end, uint8_t prot)
{
	const struct vm_map_entry *e;

	while (start < end) {
		e = vm_map_entry_containing(vm, start);
		if (e == NULL || (e->prot & prot) != prot)
			return false;
		start = e->end;
	}
	return true;
}

void
vm_sync_icache(struct vmspace *vm, uint64_t va, size_t len)
{
	vm->icache_syncs++;
	if (vm->icache_fn != NULL)
		vm->icache_fn(vm->icache_arg, va, len);
}

void
vm_phys_inject_nomem(struct vm_phys *phys, uint32_t n)
{
	phys->inject_nomem = n;
}

int
vm_rwmem(struct vmspace *vm, uint64_t addr, void *buf, size_t len, bool write, size_t *done)
{
	uint8_t *page, *ubuf = buf;
	uint64_t va = addr, base;
	size_t resid = len, moved = 0, off;
	uint32_t n;
	int error = 0;

	/* The body runs at least once: a zero-length transfer faults its page. */
	do {
		base = trunc_page(va);
		off = (size_t)(va - base);
		/*
		 * The kernel computes the chunk with a 32-bit min.  A residual
		 * that is a non-zero multiple of 2^32 gives a zero chunk and
		 * FreeBSD would spin; we fail with EFAULT instead (the
		 * divergence spec-sys_process.md §1.8 asks for).
		 */
		n = (uint32_t)(PAGE_SIZE - off);
		if ((uint32_t)resid < n)
			n = (uint32_t)resid;
		if (n == 0 && resid > 0) {
			error = PS_EFAULT;
			break;
		}
		error = vm_fault_debug(vm, base, write, &page);
		if (error != 0)
			break;
		if (write)
			memcpy(page + off, ubuf, n);
		else
			memcpy(ubuf, page + off, n);
		ubuf += n;
		/* A breakpoint written into code must reach the instruction cache. */
		if (write && vm_map_check_protection(vm, base, base + PAGE_SIZE, VM_PROT_EXECUTE))
			vm_sync_icache(vm, va, n);
		va += n;
		resid -= n;
		moved += n;
	} while (resid > 0);
	if (done != NULL)
		*done = moved;
	return error;
}
