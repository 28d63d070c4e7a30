/*
 * The simulated MMU (src/vm, DESIGN.md §4, spec-sys_process.md §1).
 *
 * Goal: frames are handed out lowest-free-first and counted exactly; fork
 * shares frames copy-on-write and each side's writes stay its own; the map
 * splits and protects as FreeBSD's does, with POSIX's errors; faults
 * enforce the entries' protections; proc_rwmem writes into text through a
 * private copy and stops at the first bad page; exec lays the stack out as
 * docs/memory.md says.  Method: the tests call src/vm directly, with no
 * simulator around it, and look inside (vm_internal.h) where the public
 * view is not enough (frame numbers, refcounts, an object's bytes).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/error.h>

#include "vm/vm_internal.h"

#define RW (VM_PROT_READ | VM_PROT_WRITE)
#define RX (VM_PROT_READ | VM_PROT_EXECUTE)

static struct vm_phys *
new_phys(uint32_t n)
{
	struct vm_phys *phys;

	ck_assert_int_eq(vm_phys_new(n, &phys), 0);
	return phys;
}

static uint8_t *
touch(struct vmspace *vm, uint64_t addr, uint8_t access)
{
	int err = 12345;
	uint8_t *p = vm_fault_page(vm, addr, access, &err);

	ck_assert_msg(p != NULL, "fault at %#llx access %u: %d", (unsigned long long)addr, access,
	    err);
	ck_assert_int_eq(err, 0);
	return p;
}

static int
fault_err(struct vmspace *vm, uint64_t addr, uint8_t access)
{
	int err = 0;

	ck_assert_ptr_null(vm_fault_page(vm, addr, access, &err));
	return err;
}

static uint8_t
peek(struct vmspace *vm, uint64_t addr)
{
	uint8_t b;

	ck_assert_int_eq(vm_copyin(vm, addr, &b, 1), 0);
	return b;
}

static void
poke(struct vmspace *vm, uint64_t addr, uint8_t b)
{
	ck_assert_int_eq(vm_copyout(vm, &b, addr, 1), 0);
}

static struct vm_entry_info
entry(struct vmspace *vm, uint64_t addr)
{
	struct vm_entry_info ei;

	ck_assert_int_eq(vm_entry_lookup(vm, addr, &ei), 0);
	return ei;
}

static uint64_t
mmap_ok(struct vmspace *vm, uint64_t addr, uint64_t len, uint8_t prot, int flags)
{
	uint64_t out = 0;

	ck_assert_int_eq(vm_mmap(vm, addr, len, prot, flags, &out), 0);
	return out;
}

/* A tiny program: text "TEXT..." of text_len bytes, data "DATA" (4 bytes). */
static const char sigcode[] = "SIGCODE";

struct image {
	struct vm_object *text, *data;
	struct vm_image_args args;
};

static void
image_init(struct image *im, uint64_t text_len, const char *const *argv,
           const char *const *envp)
{
	uint8_t *bytes = malloc(text_len);
	uint64_t i;

	for (i = 0; i < text_len; i++)
		bytes[i] = (uint8_t)(0x40 + i % 32);
	memcpy(bytes, "TEXT", 4);
	im->text = vm_object_image(bytes, text_len, "text");
	im->data = vm_object_image("DATA", 4, "data");
	free(bytes);
	ck_assert_ptr_nonnull(im->text);
	ck_assert_ptr_nonnull(im->data);
	memset(&im->args, 0, sizeof(im->args));
	im->args.text = im->text;
	im->args.text_len = text_len;
	im->args.data = im->data;
	im->args.data_len = 4;
	im->args.sigcode = sigcode;
	im->args.sigcode_len = sizeof(sigcode);
	im->args.argv = argv;
	im->args.envp = envp;
}

static void
image_fini(struct image *im)
{
	vm_object_deallocate(im->text);
	vm_object_deallocate(im->data);
}

static struct vmspace *
exec_ok(struct vm_phys *phys, const struct image *im, uint64_t *sp)
{
	struct vmspace *vm;
	uint64_t dummy;

	ck_assert_int_eq(vm_exec_image(phys, &im->args, &vm, sp != NULL ? sp : &dummy), 0);
	return vm;
}

/* Frames: lowest free first, refcounts, errors of vm_phys_new. */
START_TEST(phys_lowest_free_first)
{
	struct vm_phys *phys;
	uint32_t f[8], g, i;

	ck_assert_int_eq(vm_phys_new(0, &phys), PS_EINVAL);
	ck_assert_ptr_null(phys);
	phys = new_phys(5);
	ck_assert_uint_eq(vm_phys_total(phys), 5);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(vm_phys_alloc(phys, &f[i]), 0);
		ck_assert_uint_eq(f[i], i);
	}
	ck_assert_uint_eq(vm_phys_used(phys), 5);
	ck_assert_int_eq(vm_phys_alloc(phys, &g), PS_ENOMEM);
	/* A shared frame stays in use until its last reference goes. */
	vm_phys_ref(phys, f[1]);
	ck_assert_uint_eq(vm_phys_refcount(phys, f[1]), 2);
	vm_phys_unref(phys, f[1]);
	ck_assert_uint_eq(vm_phys_used(phys), 5);
	vm_phys_unref(phys, f[3]);
	vm_phys_unref(phys, f[1]);
	ck_assert_uint_eq(vm_phys_used(phys), 3);
	ck_assert_uint_eq(vm_phys_refcount(phys, f[1]), 0);
	/* The lower of the two freed frames comes back first. */
	ck_assert_int_eq(vm_phys_alloc(phys, &g), 0);
	ck_assert_uint_eq(g, 1);
	ck_assert_int_eq(vm_phys_alloc(phys, &g), 0);
	ck_assert_uint_eq(g, 3);
	for (i = 0; i < 5; i++)
		vm_phys_unref(phys, i);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	vm_phys_free(phys);
}
END_TEST

/* A four-level bitmap: the lowest free frame is found across words. */
START_TEST(phys_large_pool)
{
	static const uint32_t freed[] = {8999, 4097, 4160, 63};
	static const uint32_t want[] = {63, 4097, 4160, 8999, 9000};
	struct vm_phys *phys = new_phys(300000);
	uint32_t f, i;

	ck_assert_int_eq(phys->nlevels, 4);
	for (i = 0; i < 9000; i++) {
		ck_assert_int_eq(vm_phys_alloc(phys, &f), 0);
		ck_assert_uint_eq(f, i);
	}
	for (i = 0; i < 4; i++)
		vm_phys_unref(phys, freed[i]);
	ck_assert_uint_eq(vm_phys_used(phys), 8996);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(vm_phys_alloc(phys, &f), 0);
		ck_assert_uint_eq(f, want[i]);
	}
	for (i = 0; i <= 9000; i++)
		vm_phys_unref(phys, i);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	/* The last frame of the pool is reachable. */
	vm_phys_free(phys);
	phys = new_phys(65);
	for (i = 0; i < 65; i++)
		ck_assert_int_eq(vm_phys_alloc(phys, &f), 0);
	ck_assert_uint_eq(f, 64);
	ck_assert_int_eq(vm_phys_alloc(phys, &f), PS_ENOMEM);
	vm_phys_unref(phys, 64);
	ck_assert_int_eq(vm_phys_alloc(phys, &f), 0);
	ck_assert_uint_eq(f, 64);
	for (i = 0; i < 65; i++)
		vm_phys_unref(phys, i);
	vm_phys_free(phys);
}
END_TEST

/* Out of frames: the fault says NOMEM, copyout ENOMEM; freeing recovers. */
START_TEST(nomem_and_recovery)
{
	struct vm_phys *phys = new_phys(4);
	struct vmspace *vm = vmspace_alloc(phys);
	struct vm_phys_stats st;
	uint64_t a = mmap_ok(vm, 0, 8 * PAGE_SIZE, RW, 0);
	uint8_t b = 7;
	int i;

	for (i = 0; i < 4; i++)
		touch(vm, a + (uint64_t)i * PAGE_SIZE, VM_PROT_WRITE)[0] = (uint8_t)i;
	ck_assert_uint_eq(vm_phys_used(phys), 4);
	ck_assert_int_eq(fault_err(vm, a + 4 * PAGE_SIZE, VM_PROT_READ), VM_FAULT_NOMEM);
	ck_assert_int_eq(vm_copyout(vm, &b, a + 5 * PAGE_SIZE, 1), PS_ENOMEM);
	ck_assert_int_eq(vm_copyin(vm, a + 6 * PAGE_SIZE, &b, 1), PS_ENOMEM);
	/* A resident page still works. */
	ck_assert_int_eq(vm_copyout(vm, &b, a + 3 * PAGE_SIZE, 1), 0);
	vm_phys_get_stats(phys, &st);
	ck_assert_uint_eq(st.alloc_failures, 3);
	ck_assert_uint_eq(vm_resident(vm), 4);
	ck_assert_int_eq(vm_munmap(vm, a + PAGE_SIZE, PAGE_SIZE), 0);
	ck_assert_uint_eq(vm_phys_used(phys), 3);
	ck_assert_uint_eq(vm_resident(vm), 3);
	/* The freed frame (1) is the one the next fault gets. */
	touch(vm, a + 4 * PAGE_SIZE, VM_PROT_WRITE)[0] = 44;
	ck_assert_uint_eq(vm_pmap_find(vm, (a + 4 * PAGE_SIZE) >> PAGE_SHIFT)->frame, 1);
	ck_assert_uint_eq(peek(vm, a + 4 * PAGE_SIZE), 44);
	ck_assert_uint_eq(peek(vm, a + 2 * PAGE_SIZE), 2);
	vmspace_free(vm);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	vm_phys_free(phys);
}
END_TEST

/* fork: frames shared until written; each side's writes are its own. */
START_TEST(cow_after_fork)
{
	struct vm_phys *phys = new_phys(64);
	struct vmspace *parent = vmspace_alloc(phys), *child;
	struct vm_phys_stats st;
	struct vm_entry_info ei;
	uint64_t a = mmap_ok(parent, 0, 4 * PAGE_SIZE, RW, 0);
	uint32_t ts;
	int i;

	for (i = 0; i < 4; i++)
		poke(parent, a + (uint64_t)i * PAGE_SIZE, (uint8_t)(10 + i));
	ck_assert_uint_eq(vm_phys_used(phys), 4);
	ts = vm_timestamp(parent);
	ck_assert_int_eq(vmspace_fork(parent, &child), 0);
	ck_assert_uint_eq(vm_timestamp(parent), ts);
	ck_assert_uint_eq(vm_phys_used(phys), 4);
	ck_assert_uint_eq(vm_resident(child), 4);
	ck_assert_uint_eq(vm_entry_count(child), 1);
	ei = entry(child, a);
	ck_assert_uint_eq(ei.resident, 4);
	ck_assert_uint_eq(ei.private_count, 0);
	ck_assert_uint_eq(ei.obj_id, entry(parent, a).obj_id);
	/* Reads share. */
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(peek(child, a + (uint64_t)i * PAGE_SIZE), 10 + i);
	ck_assert_uint_eq(vm_phys_used(phys), 4);
	/* The child's write copies page 0; the parent does not see it. */
	poke(child, a, 99);
	ck_assert_uint_eq(vm_phys_used(phys), 5);
	ck_assert_uint_eq(peek(parent, a), 10);
	ck_assert_uint_eq(peek(child, a), 99);
	/* And the other way round on page 1. */
	poke(parent, a + PAGE_SIZE, 77);
	ck_assert_uint_eq(vm_phys_used(phys), 6);
	ck_assert_uint_eq(peek(child, a + PAGE_SIZE), 11);
	ck_assert_uint_eq(peek(parent, a + PAGE_SIZE), 77);
	/* Page 0 is the parent's alone now: no copy on its next write. */
	poke(parent, a, 55);
	ck_assert_uint_eq(vm_phys_used(phys), 6);
	ck_assert_uint_eq(peek(child, a), 99);
	vm_phys_get_stats(phys, &st);
	ck_assert_uint_eq(st.cow_copies, 2);
	ck_assert_uint_eq(st.zero_fills, 4);
	ei = entry(parent, a);
	ck_assert_uint_eq(ei.resident, 4);
	ck_assert_uint_eq(ei.private_count, 2);
	/* Writing to a page never touched before fork: no sharing involved. */
	vmspace_free(child);
	ck_assert_uint_eq(vm_phys_used(phys), 4);
	ck_assert_uint_eq(entry(parent, a).private_count, 4);
	vmspace_free(parent);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	vm_phys_free(phys);
}
END_TEST

/* A fork of a fork, freed in either order, and a bigger table. */
/*
 * A forked map holds exactly its parent's entries, no spare room (a
 * million idle children would carry it); it grows on demand: new
 * mappings, a split by munmap and by mprotect, and the fork of an empty
 * map.  The parent's map never changes.
 */
START_TEST(fork_map_grows_on_demand)
{
	struct vm_phys *phys = new_phys(64);
	struct vmspace *parent = vmspace_alloc(phys), *child, *empty, *ec;
	uint64_t a = mmap_ok(parent, 0, 3 * PAGE_SIZE, RW, 0), m[12];

	poke(parent, a + PAGE_SIZE, 42);
	ck_assert_int_eq(vmspace_fork(parent, &child), 0);
	ck_assert_uint_eq(vm_entry_count(child), 1);
	for (int i = 0; i < 12; i++) {
		m[i] = mmap_ok(child, 0, PAGE_SIZE, RW, 0);
		poke(child, m[i], (uint8_t)i);
	}
	ck_assert_uint_eq(vm_entry_count(child), 13);
	/* Punch out a's middle page, then make the last page read-only. */
	ck_assert_int_eq(vm_munmap(child, a + PAGE_SIZE, PAGE_SIZE), 0);
	ck_assert_uint_eq(vm_entry_count(child), 14);
	ck_assert_int_eq(vm_mprotect(child, m[5], PAGE_SIZE, VM_PROT_READ), 0);
	ck_assert_uint_eq(entry(child, m[5]).prot, VM_PROT_READ);
	for (int i = 0; i < 12; i++)
		ck_assert_uint_eq(peek(child, m[i]), i);
	ck_assert_int_eq(fault_err(child, a + PAGE_SIZE, VM_PROT_READ), VM_FAULT_SEGV);
	/* The parent kept its one entry and its page. */
	ck_assert_uint_eq(vm_entry_count(parent), 1);
	ck_assert_uint_eq(peek(parent, a + PAGE_SIZE), 42);
	/* An empty map forks into an empty map that can map. */
	empty = vmspace_alloc(phys);
	ck_assert_int_eq(vmspace_fork(empty, &ec), 0);
	ck_assert_uint_eq(vm_entry_count(ec), 0);
	poke(ec, mmap_ok(ec, 0, PAGE_SIZE, RW, 0), 7);
	ck_assert_uint_eq(vm_entry_count(empty), 0);
	vmspace_free(ec);
	vmspace_free(empty);
	vmspace_free(child);
	vmspace_free(parent);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	vm_phys_free(phys);
}
END_TEST

START_TEST(cow_many_pages)
{
	struct vm_phys *phys = new_phys(1024);
	struct vmspace *p = vmspace_alloc(phys), *c1, *c2;
	uint64_t a = mmap_ok(p, 0, 200 * PAGE_SIZE, RW, 0), i;

	for (i = 0; i < 150; i++)
		poke(p, a + i * PAGE_SIZE, (uint8_t)i);
	ck_assert_int_eq(vmspace_fork(p, &c1), 0);
	ck_assert_int_eq(vmspace_fork(c1, &c2), 0);
	ck_assert_uint_eq(vm_phys_used(phys), 150);
	for (i = 0; i < 150; i += 2)
		poke(c2, a + i * PAGE_SIZE, 0xee);
	ck_assert_uint_eq(vm_phys_used(phys), 225);
	for (i = 0; i < 150; i++) {
		ck_assert_uint_eq(peek(p, a + i * PAGE_SIZE), (uint8_t)i);
		ck_assert_uint_eq(peek(c1, a + i * PAGE_SIZE), (uint8_t)i);
		ck_assert_uint_eq(peek(c2, a + i * PAGE_SIZE), i % 2 == 0 ? 0xee : (uint8_t)i);
	}
	/* Unmapping half the range in the middle child frees nothing shared. */
	ck_assert_int_eq(vm_munmap(c1, a, 100 * PAGE_SIZE), 0);
	ck_assert_uint_eq(vm_resident(c1), 50);
	ck_assert_uint_eq(vm_phys_used(phys), 225);
	vmspace_free(p);
	ck_assert_uint_eq(vm_phys_used(phys), 175);
	vmspace_free(c2);
	ck_assert_uint_eq(vm_phys_used(phys), 50);
	vmspace_free(c1);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	vm_phys_free(phys);
}
END_TEST

/* mmap first fit, munmap splits and holes, MAP_FIXED replaces. */
START_TEST(mmap_munmap)
{
	struct vm_phys *phys = new_phys(64);
	struct vmspace *vm = vmspace_alloc(phys);
	struct vm_entry_info ei;
	uint64_t a, b, c, out;
	uint32_t ts;

	a = mmap_ok(vm, 0, 3 * PAGE_SIZE, RW, 0);
	ck_assert_uint_eq(a, VM_MMAP_BASE);
	b = mmap_ok(vm, 0, 100, RW, 0); /* Rounded up to a page. */
	ck_assert_uint_eq(b, VM_MMAP_BASE + 3 * PAGE_SIZE);
	ck_assert_uint_eq(entry(vm, b).end, b + PAGE_SIZE);
	ck_assert_uint_eq(vm_entry_count(vm), 2);
	poke(vm, a, 1);
	poke(vm, a + PAGE_SIZE, 2);
	poke(vm, a + 2 * PAGE_SIZE, 3);
	/* Punch out the middle page: the entry splits in two. */
	ts = vm_timestamp(vm);
	ck_assert_int_eq(vm_munmap(vm, a + PAGE_SIZE, PAGE_SIZE), 0);
	ck_assert_uint_gt(vm_timestamp(vm), ts);
	ck_assert_uint_eq(vm_entry_count(vm), 3);
	ei = entry(vm, a);
	ck_assert_uint_eq(ei.start, a);
	ck_assert_uint_eq(ei.end, a + PAGE_SIZE);
	ck_assert_uint_eq(ei.resident, 1);
	ei = entry(vm, a + PAGE_SIZE); /* The first entry above: the tail. */
	ck_assert_uint_eq(ei.start, a + 2 * PAGE_SIZE);
	ck_assert_uint_eq(ei.offset, 2 * PAGE_SIZE);
	ck_assert_str_eq(ei.name, "mmap");
	ck_assert_uint_eq(peek(vm, a + 2 * PAGE_SIZE), 3);
	ck_assert_uint_eq(vm_phys_used(phys), 2);
	ck_assert_int_eq(vm_copyin(vm, a + PAGE_SIZE, &out, 1), PS_EFAULT);
	/* The hole is the lowest free range: first fit takes it. */
	c = mmap_ok(vm, 0, PAGE_SIZE, RW, 0);
	ck_assert_uint_eq(c, a + PAGE_SIZE);
	ck_assert_uint_eq(peek(vm, c), 0);
	/* Two pages do not fit there. */
	c = mmap_ok(vm, 0, 2 * PAGE_SIZE, RW, 0);
	ck_assert_uint_eq(c, b + PAGE_SIZE);
	/* A hint above the base is where the search starts. */
	c = mmap_ok(vm, VM_MMAP_BASE + 0x100000, PAGE_SIZE, RW, 0);
	ck_assert_uint_eq(c, VM_MMAP_BASE + 0x100000);
	/* Unmapping what is not mapped is fine, and changes nothing. */
	ts = vm_timestamp(vm);
	ck_assert_int_eq(vm_munmap(vm, VM_MMAP_BASE + 0x200000, PAGE_SIZE), 0);
	ck_assert_uint_eq(vm_timestamp(vm), ts);
	/* Errors. */
	ck_assert_int_eq(vm_munmap(vm, a + 1, PAGE_SIZE), PS_EINVAL);
	ck_assert_int_eq(vm_munmap(vm, a, 0), PS_EINVAL);
	ck_assert_int_eq(vm_munmap(vm, VM_MAXUSER_ADDRESS, PAGE_SIZE), PS_EINVAL);
	ck_assert_int_eq(vm_mmap(vm, 0, 0, RW, 0, &out), PS_EINVAL);
	ck_assert_int_eq(vm_mmap(vm, 0, PAGE_SIZE, 0x10, 0, &out), PS_EINVAL);
	ck_assert_int_eq(vm_mmap(vm, 0, PAGE_SIZE, RW, 0x1, &out), PS_EINVAL);
	ck_assert_int_eq(vm_mmap(vm, a + 5, PAGE_SIZE, RW, VM_MAP_FIXED, &out), PS_EINVAL);
	ck_assert_int_eq(vm_mmap(vm, 0, PAGE_SIZE, RW, VM_MAP_FIXED, &out), PS_EINVAL);
	ck_assert_int_eq(vm_mmap(vm, VM_MAXUSER_ADDRESS - PAGE_SIZE, 2 * PAGE_SIZE, RW,
	    VM_MAP_FIXED, &out), PS_EINVAL);
	ck_assert_uint_eq(vm_timestamp(vm), ts);
	/* MAP_FIXED over a written page: a fresh zero-filled mapping replaces it. */
	poke(vm, a, 42);
	out = mmap_ok(vm, a, PAGE_SIZE, VM_PROT_READ, VM_MAP_FIXED);
	ck_assert_uint_eq(out, a);
	ck_assert_uint_eq(peek(vm, a), 0);
	ck_assert_uint_eq(entry(vm, a).prot, VM_PROT_READ);
	ck_assert_uint_eq(entry(vm, a).max_prot, VM_PROT_ALL);
	vmspace_free(vm);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	vm_phys_free(phys);
}
END_TEST

/* vm_map_fixed refuses a range in use or outside the user range. */
START_TEST(map_fixed_errors)
{
	struct vm_phys *phys = new_phys(8);
	struct vmspace *vm = vmspace_alloc(phys);
	uint64_t base = 0x10000000;

	ck_assert_int_eq(vm_map_fixed(vm, base, 4 * PAGE_SIZE, RW, RW, NULL, 0, "x"), 0);
	ck_assert_int_eq(vm_map_fixed(vm, base + 3 * PAGE_SIZE, 2 * PAGE_SIZE, RW, RW, NULL, 0, "y"),
	    PS_ENOMEM);
	ck_assert_int_eq(vm_map_fixed(vm, base - PAGE_SIZE, 2 * PAGE_SIZE, RW, RW, NULL, 0, "y"),
	    PS_ENOMEM);
	ck_assert_int_eq(vm_map_fixed(vm, 0, PAGE_SIZE, RW, RW, NULL, 0, "y"), PS_ENOMEM);
	ck_assert_int_eq(vm_map_fixed(vm, VM_MAXUSER_ADDRESS, PAGE_SIZE, RW, RW, NULL, 0, "y"),
	    PS_ENOMEM);
	ck_assert_int_eq(vm_map_fixed(vm, base + 1, PAGE_SIZE, RW, RW, NULL, 0, "y"), PS_EINVAL);
	ck_assert_int_eq(vm_map_fixed(vm, base + 8 * PAGE_SIZE, PAGE_SIZE, RW, VM_PROT_READ, NULL,
	    0, "y"), PS_EINVAL); /* prot above max_prot */
	ck_assert_int_eq(vm_map_fixed(vm, base - PAGE_SIZE, PAGE_SIZE, RW, RW, NULL, 0, "y"), 0);
	ck_assert_uint_eq(vm_entry_count(vm), 2);
	ck_assert_str_eq(entry(vm, 0).name, "y");
	ck_assert_int_eq(vm_entry_lookup(vm, base + 4 * PAGE_SIZE, &(struct vm_entry_info){0}),
	    PS_ESRCH);
	vmspace_free(vm);
	vm_phys_free(phys);
}
END_TEST

/* mprotect: splits, EACCES, ENOMEM for a hole, enforcement on resident pages. */
START_TEST(mprotect_rules)
{
	struct vm_phys *phys = new_phys(64);
	struct vmspace *vm = vmspace_alloc(phys);
	uint64_t a = mmap_ok(vm, 0, 4 * PAGE_SIZE, RW, 0), r = 0x20000000;
	uint32_t ts;
	uint8_t b = 1;

	poke(vm, a + PAGE_SIZE, 5);
	ts = vm_timestamp(vm);
	ck_assert_int_eq(vm_mprotect(vm, a + PAGE_SIZE, 2 * PAGE_SIZE, VM_PROT_READ), 0);
	ck_assert_uint_gt(vm_timestamp(vm), ts);
	ck_assert_uint_eq(vm_entry_count(vm), 3);
	ck_assert_uint_eq(entry(vm, a).prot, RW);
	ck_assert_uint_eq(entry(vm, a).end, a + PAGE_SIZE);
	ck_assert_uint_eq(entry(vm, a + PAGE_SIZE).prot, VM_PROT_READ);
	ck_assert_uint_eq(entry(vm, a + PAGE_SIZE).end, a + 3 * PAGE_SIZE);
	ck_assert_uint_eq(entry(vm, a + 3 * PAGE_SIZE).prot, RW);
	/* The resident page obeys the lower prot at once. */
	ck_assert_int_eq(fault_err(vm, a + PAGE_SIZE, VM_PROT_WRITE), VM_FAULT_SEGV);
	ck_assert_int_eq(vm_copyout(vm, &b, a + PAGE_SIZE, 1), PS_EFAULT);
	ck_assert_uint_eq(peek(vm, a + PAGE_SIZE), 5);
	ck_assert_int_eq(vm_mprotect(vm, a + PAGE_SIZE, PAGE_SIZE, VM_PROT_NONE), 0);
	ck_assert_int_eq(fault_err(vm, a + PAGE_SIZE, VM_PROT_READ), VM_FAULT_SEGV);
	ck_assert_uint_eq(vm_entry_count(vm), 4);
	/* And back up: the page kept its contents. */
	ck_assert_int_eq(vm_mprotect(vm, a, 4 * PAGE_SIZE, RW), 0);
	ck_assert_uint_eq(peek(vm, a + PAGE_SIZE), 5);
	poke(vm, a + PAGE_SIZE, 6);
	/* Beyond max_prot: EACCES, nothing changed. */
	ck_assert_int_eq(vm_map_fixed(vm, r, 2 * PAGE_SIZE, VM_PROT_READ, VM_PROT_READ, NULL, 0, "ro"),
	    0);
	ts = vm_timestamp(vm);
	ck_assert_int_eq(vm_mprotect(vm, r, PAGE_SIZE, RW), PS_EACCES);
	ck_assert_uint_eq(vm_timestamp(vm), ts);
	ck_assert_uint_eq(vm_entry_count(vm), 5);
	/* A hole anywhere in the range: ENOMEM, nothing changed. */
	ck_assert_int_eq(vm_mprotect(vm, r, 3 * PAGE_SIZE, VM_PROT_READ), PS_ENOMEM);
	ck_assert_int_eq(vm_mprotect(vm, a - PAGE_SIZE, 2 * PAGE_SIZE, VM_PROT_READ), PS_ENOMEM);
	ck_assert_uint_eq(entry(vm, a).prot, RW);
	ck_assert_uint_eq(vm_timestamp(vm), ts);
	/* Bad arguments. */
	ck_assert_int_eq(vm_mprotect(vm, a + 8, PAGE_SIZE, VM_PROT_READ), PS_EINVAL);
	ck_assert_int_eq(vm_mprotect(vm, a, PAGE_SIZE, 0x40), PS_EINVAL);
	ck_assert_int_eq(vm_mprotect(vm, a, 0, VM_PROT_READ), 0);
	ck_assert_uint_eq(vm_timestamp(vm), ts);
	/* An entry may be raised up to its max_prot. */
	ck_assert_int_eq(vm_mprotect(vm, a, PAGE_SIZE, VM_PROT_ALL), 0);
	vmspace_free(vm);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	vm_phys_free(phys);
}
END_TEST

/* The timestamp moves on map changes only. */
START_TEST(timestamp_changes)
{
	struct vm_phys *phys = new_phys(64);
	struct vmspace *vm = vmspace_alloc(phys);
	uint64_t a;
	uint32_t ts = vm_timestamp(vm);
	uint8_t buf[8] = {0};
	size_t done;

	a = mmap_ok(vm, 0, 2 * PAGE_SIZE, RW, 0);
	ck_assert_uint_gt(vm_timestamp(vm), ts);
	ts = vm_timestamp(vm);
	touch(vm, a, VM_PROT_WRITE);
	touch(vm, a + PAGE_SIZE, VM_PROT_READ);
	ck_assert_int_eq(vm_copyout(vm, buf, a, 8), 0);
	ck_assert_int_eq(vm_rwmem(vm, a, buf, 8, true, &done), 0);
	ck_assert_int_eq(vm_rwmem(vm, a, buf, 8, false, &done), 0);
	ck_assert_uint_eq(vm_timestamp(vm), ts);
	ck_assert_int_eq(vm_mprotect(vm, a, PAGE_SIZE, VM_PROT_READ), 0);
	ck_assert_uint_gt(vm_timestamp(vm), ts);
	ts = vm_timestamp(vm);
	ck_assert_int_eq(vm_mprotect(vm, a, 2 * PAGE_SIZE, VM_PROT_READ), 0); /* Same prot: still a change. */
	ck_assert_uint_gt(vm_timestamp(vm), ts);
	ts = vm_timestamp(vm);
	ck_assert_int_eq(vm_munmap(vm, a, PAGE_SIZE), 0);
	ck_assert_uint_gt(vm_timestamp(vm), ts);
	ts = vm_timestamp(vm);
	ck_assert_int_eq(vm_map_fixed(vm, a, PAGE_SIZE, RW, RW, NULL, 0, "z"), 0);
	ck_assert_uint_gt(vm_timestamp(vm), ts);
	vmspace_free(vm);
	vm_phys_free(phys);
}
END_TEST

/* User faults: text is not writable, data not executable, holes are SEGV. */
START_TEST(protection_faults)
{
	static const char *const argv[] = {"prog", NULL};
	struct vm_phys *phys = new_phys(64);
	struct image im;
	struct vmspace *vm;
	uint64_t data;
	uint8_t *p;

	image_init(&im, 100, argv, NULL);
	vm = exec_ok(phys, &im, NULL);
	data = VM_DATA_BASE(100);
	ck_assert_uint_eq(data, VM_TEXT_BASE + PAGE_SIZE);
	p = touch(vm, VM_TEXT_BASE, VM_PROT_EXECUTE);
	ck_assert_mem_eq(p, "TEXT", 4);
	touch(vm, VM_TEXT_BASE + 50, VM_PROT_READ);
	ck_assert_int_eq(fault_err(vm, VM_TEXT_BASE, VM_PROT_WRITE), VM_FAULT_SEGV);
	ck_assert_int_eq(fault_err(vm, data, VM_PROT_EXECUTE), VM_FAULT_SEGV);
	ck_assert_int_eq(fault_err(vm, VM_USRSTACK - 8, VM_PROT_EXECUTE), VM_FAULT_SEGV);
	ck_assert_int_eq(fault_err(vm, 0, VM_PROT_READ), VM_FAULT_SEGV);
	ck_assert_int_eq(fault_err(vm, data + PAGE_SIZE, VM_PROT_READ), VM_FAULT_SEGV);
	ck_assert_int_eq(fault_err(vm, VM_MMAP_BASE, VM_PROT_READ), VM_FAULT_SEGV);
	ck_assert_int_eq(fault_err(vm, VM_SHARED_PAGE, VM_PROT_WRITE), VM_FAULT_SEGV);
	ck_assert_int_eq(fault_err(vm, VM_USRSTACK - VM_STACK_SIZE - 1, VM_PROT_READ),
	    VM_FAULT_SEGV);
	/* Data: its bytes, then zeros to the end of the page; writable. */
	p = touch(vm, data, VM_PROT_WRITE);
	ck_assert_mem_eq(p, "DATA", 4);
	ck_assert_uint_eq(p[4], 0);
	ck_assert_uint_eq(p[PAGE_SIZE - 1], 0);
	/* The text past the program's bytes reads as zeros too. */
	p = touch(vm, VM_TEXT_BASE, VM_PROT_READ);
	ck_assert_uint_eq(p[99], 0x40 + 99 % 32);
	ck_assert_uint_eq(p[100], 0);
	/* The sigcode is in the shared page. */
	p = touch(vm, VM_SHARED_PAGE, VM_PROT_EXECUTE);
	ck_assert_str_eq((const char *)p, sigcode);
	vmspace_free(vm);
	image_fini(&im);
	vm_phys_free(phys);
}
END_TEST

static uint64_t hook_va;
static size_t hook_len;
static int hook_calls;

static void
icache_hook(void *arg, uint64_t va, size_t len)
{
	ck_assert_ptr_eq(arg, &hook_calls);
	hook_va = va;
	hook_len = len;
	hook_calls++;
}

/*
 * A breakpoint: the debugger writes into r-x text through a private copy.
 * The target still cannot write there, another process running the same
 * program and a fork sibling still see the original, and so does the
 * object (spec-sys_process.md §1.9 W2).
 */
START_TEST(rwmem_cow_into_text)
{
	static const char *const argv[] = {"prog", NULL};
	struct vm_phys *phys = new_phys(64);
	struct vmspace *a, *b, *sib;
	struct vm_entry_info ei;
	struct image im;
	uint8_t bp[4] = {0xcc, 0xcc, 0xcc, 0xcc}, buf[8];
	uint32_t used, ts;
	size_t done = 99;

	image_init(&im, 3 * PAGE_SIZE, argv, NULL);
	a = exec_ok(phys, &im, NULL);
	b = exec_ok(phys, &im, NULL);
	touch(a, VM_TEXT_BASE + PAGE_SIZE, VM_PROT_EXECUTE);
	ck_assert_int_eq(vmspace_fork(a, &sib), 0);
	vmspace_set_icache_hook(a, icache_hook, &hook_calls);
	used = vm_phys_used(phys);
	ts = vm_timestamp(a);
	ck_assert_int_eq(vm_rwmem(a, VM_TEXT_BASE + PAGE_SIZE + 8, bp, 4, true, &done), 0);
	ck_assert_uint_eq(done, 4);
	/* The shared frame was copied: one more frame. */
	ck_assert_uint_eq(vm_phys_used(phys), used + 1);
	ck_assert_uint_eq(vm_timestamp(a), ts);
	ei = entry(a, VM_TEXT_BASE);
	ck_assert_uint_eq(ei.prot, RX);
	ck_assert_uint_eq(ei.private_count, 1);
	ck_assert_mem_eq(touch(a, VM_TEXT_BASE + PAGE_SIZE + 8, VM_PROT_EXECUTE), bp, 4);
	ck_assert_int_eq(fault_err(a, VM_TEXT_BASE + PAGE_SIZE, VM_PROT_WRITE), VM_FAULT_SEGV);
	ck_assert_int_eq(vm_rwmem(a, VM_TEXT_BASE + PAGE_SIZE + 6, buf, 8, false, &done), 0);
	ck_assert_uint_eq(buf[1], 0x40 + (PAGE_SIZE + 7) % 32);
	ck_assert_mem_eq(buf + 2, bp, 4);
	/* Others see the program's bytes. */
	ck_assert_uint_eq(peek(sib, VM_TEXT_BASE + PAGE_SIZE + 8), 0x40 + (PAGE_SIZE + 8) % 32);
	ck_assert_uint_eq(peek(b, VM_TEXT_BASE + PAGE_SIZE + 8), 0x40 + (PAGE_SIZE + 8) % 32);
	ck_assert_uint_eq(im.text->bytes[PAGE_SIZE + 8], 0x40 + (PAGE_SIZE + 8) % 32);
	/* The write into executable text was synchronised, the chunk only. */
	ck_assert_int_eq(hook_calls, 1);
	ck_assert_uint_eq(hook_va, VM_TEXT_BASE + PAGE_SIZE + 8);
	ck_assert_uint_eq(hook_len, 4);
	ck_assert_uint_eq(vm_icache_syncs(a), 1);
	/* A write to a never-touched text page: filled, then written. */
	ck_assert_int_eq(vm_rwmem(a, VM_TEXT_BASE + 2 * PAGE_SIZE, bp, 1, true, &done), 0);
	ck_assert_uint_eq(peek(a, VM_TEXT_BASE + 2 * PAGE_SIZE), 0xcc);
	ck_assert_uint_eq(peek(a, VM_TEXT_BASE + 2 * PAGE_SIZE + 1), 0x40 + 1);
	ck_assert_int_eq(hook_calls, 2);
	/* Data is not executable: no sync. */
	ck_assert_int_eq(vm_rwmem(a, VM_DATA_BASE(3 * PAGE_SIZE), bp, 4, true, &done), 0);
	ck_assert_int_eq(hook_calls, 2);
	ck_assert_uint_eq(vm_icache_syncs(sib), 0);
	vmspace_free(a);
	vmspace_free(b);
	vmspace_free(sib);
	image_fini(&im);
	vm_phys_free(phys);
}
END_TEST

/* proc_rwmem's refusals, partial transfers and zero-length transfers. */
START_TEST(rwmem_rules)
{
	static const char *const argv[] = {"prog", NULL};
	struct vm_phys *phys = new_phys(64);
	struct vmspace *vm;
	struct image im;
	uint8_t buf[256], src[256];
	uint64_t m, ro;
	size_t done;
	int i;

	for (i = 0; i < 256; i++)
		src[i] = (uint8_t)i;
	image_init(&im, 100, argv, NULL);
	vm = exec_ok(phys, &im, NULL);
	/* Two pages; the second is then unmapped. */
	m = mmap_ok(vm, 0, 2 * PAGE_SIZE, RW, 0);
	ck_assert_int_eq(vm_munmap(vm, m + PAGE_SIZE, PAGE_SIZE), 0);
	/* W7: the bytes before the bad page are written and stay written. */
	done = 99;
	ck_assert_int_eq(vm_rwmem(vm, m + PAGE_SIZE - 40, src, 100, true, &done), PS_EFAULT);
	ck_assert_uint_eq(done, 40);
	ck_assert_int_eq(vm_copyin(vm, m + PAGE_SIZE - 40, buf, 40), 0);
	ck_assert_mem_eq(buf, src, 40);
	/* R3: a read stops the same way, with the earlier part delivered. */
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(vm_rwmem(vm, m + PAGE_SIZE - 40, buf, 100, false, &done), PS_EFAULT);
	ck_assert_uint_eq(done, 40);
	ck_assert_mem_eq(buf, src, 40);
	/* R4, Z1, Z2. */
	ck_assert_int_eq(vm_rwmem(vm, m + PAGE_SIZE, buf, 4, false, &done), PS_EFAULT);
	ck_assert_uint_eq(done, 0);
	ck_assert_int_eq(vm_rwmem(vm, m + PAGE_SIZE, buf, 0, false, &done), PS_EFAULT);
	ck_assert_int_eq(vm_rwmem(vm, m, buf, 0, false, &done), 0);
	ck_assert_uint_eq(done, 0);
	ck_assert_int_eq(vm_rwmem(vm, m, buf, 0, true, NULL), 0);
	/* R5/W6: a PROT_NONE page refuses both; its max_prot does not matter. */
	ck_assert_int_eq(vm_mprotect(vm, m, PAGE_SIZE, VM_PROT_NONE), 0);
	ck_assert_int_eq(vm_rwmem(vm, m, buf, 4, false, &done), PS_EFAULT);
	ck_assert_int_eq(vm_rwmem(vm, m, src, 4, true, &done), PS_EFAULT);
	/* W3: read-only private data is written through a private copy. */
	ck_assert_int_eq(vm_mprotect(vm, m, PAGE_SIZE, VM_PROT_READ), 0);
	ck_assert_int_eq(vm_rwmem(vm, m, src, 4, true, &done), 0);
	ck_assert_uint_eq(peek(vm, m + 3), 3);
	ck_assert_uint_eq(entry(vm, m).prot, VM_PROT_READ);
	/* W5b: a private entry whose max_prot lacks WRITE is still writable. */
	ro = 0x30000000;
	ck_assert_int_eq(vm_map_fixed(vm, ro, PAGE_SIZE, VM_PROT_READ, VM_PROT_READ, im.text, 0,
	    "ro"), 0);
	ck_assert_int_eq(vm_rwmem(vm, ro, src, 2, true, &done), 0);
	ck_assert_uint_eq(peek(vm, ro + 1), 1);
	ck_assert_uint_eq(im.text->bytes[1], 'E');
	/* W5: the shared page (not copy-on-write, max r-x) is refused. */
	ck_assert_int_eq(vm_rwmem(vm, VM_SHARED_PAGE, src, 4, true, &done), PS_EFAULT);
	ck_assert_uint_eq(done, 0);
	ck_assert_int_eq(vm_rwmem(vm, VM_SHARED_PAGE, buf, 4, false, &done), 0);
	ck_assert_mem_eq(buf, sigcode, 4);
	vmspace_free(vm);
	image_fini(&im);
	vm_phys_free(phys);
}
END_TEST

/* E1: no frame for the copy: ENOMEM, earlier chunks stay written. */
START_TEST(rwmem_nomem)
{
	struct vm_phys *phys = new_phys(3);
	struct vmspace *vm = vmspace_alloc(phys), *child;
	uint8_t src[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	uint64_t a = mmap_ok(vm, 0, 4 * PAGE_SIZE, RW, 0);
	size_t done;

	poke(vm, a, 9);
	poke(vm, a + PAGE_SIZE, 9);
	ck_assert_int_eq(vmspace_fork(vm, &child), 0);
	/* Frame 2 goes to the child's copy of page 0; page 1 has no room. */
	ck_assert_int_eq(vm_rwmem(child, a + PAGE_SIZE - 4, src, 8, true, &done), PS_ENOMEM);
	ck_assert_uint_eq(done, 4);
	ck_assert_uint_eq(peek(child, a + PAGE_SIZE - 1), 4);
	ck_assert_uint_eq(peek(vm, a + PAGE_SIZE - 1), 0);
	ck_assert_uint_eq(peek(child, a + PAGE_SIZE), 9);
	vmspace_free(vm);
	/* The parent's frames are gone: the child's page 1 is its own now. */
	ck_assert_int_eq(vm_rwmem(child, a + PAGE_SIZE - 4, src, 8, true, &done), 0);
	ck_assert_uint_eq(peek(child, a + PAGE_SIZE + 3), 8);
	vmspace_free(child);
	ck_assert_uint_eq(vm_phys_used(phys), 0);
	vm_phys_free(phys);
}
END_TEST

/* copyin, copyout and copyinstr across pages and at the edges. */
START_TEST(copy_and_copyinstr)
{
	struct vm_phys *phys = new_phys(16);
	struct vmspace *vm = vmspace_alloc(phys);
	uint64_t a = mmap_ok(vm, 0, 2 * PAGE_SIZE, RW, 0), s;
	char buf[64];
	uint8_t big[PAGE_SIZE + 100];
	size_t done = 0, i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(vm_copyout(vm, big, a + 50, sizeof(big)), 0);
	memset(big, 0, sizeof(big));
	ck_assert_int_eq(vm_copyin(vm, a + 50, big, sizeof(big)), 0);
	for (i = 0; i < sizeof(big); i++)
		ck_assert_uint_eq(big[i], (uint8_t)(i * 7));
	ck_assert_int_eq(vm_copyin(vm, a + 2 * PAGE_SIZE - 4, buf, 8), PS_EFAULT);
	ck_assert_int_eq(vm_copyin(vm, a, buf, 0), 0);
	/* A string that crosses into the second page. */
	s = a + PAGE_SIZE - 3;
	ck_assert_int_eq(vm_copyout(vm, "hello", s, 6), 0);
	ck_assert_int_eq(vm_copyinstr(vm, s, buf, sizeof(buf), &done), 0);
	ck_assert_str_eq(buf, "hello");
	ck_assert_uint_eq(done, 6);
	ck_assert_int_eq(vm_copyinstr(vm, s, buf, 6, &done), 0);
	ck_assert_uint_eq(done, 6);
	ck_assert_int_eq(vm_copyinstr(vm, s, buf, 5, &done), PS_ENAMETOOLONG);
	ck_assert_uint_eq(done, 5);
	ck_assert_int_eq(vm_copyinstr(vm, s, buf, 0, &done), PS_ENAMETOOLONG);
	ck_assert_uint_eq(done, 0);
	/* No NUL before the end of the mapping: the fault wins. */
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(vm_copyout(vm, big, a + 2 * PAGE_SIZE - 10, 10), 0);
	ck_assert_int_eq(vm_copyinstr(vm, a + 2 * PAGE_SIZE - 10, buf, sizeof(buf), &done),
	    PS_EFAULT);
	ck_assert_uint_eq(done, 10);
	ck_assert_int_eq(vm_copyinstr(vm, VM_MMAP_BASE - PAGE_SIZE, buf, 8, NULL), PS_EFAULT);
	vmspace_free(vm);
	vm_phys_free(phys);
}
END_TEST

/* exec: the entries, ps_strings, argv and envp, sp. */
START_TEST(exec_layout)
{
	static const char *const argv[] = {"prog", "-x", "some argument", NULL};
	static const char *const envp[] = {"HOME=/", "TERM=vt100", NULL};
	struct vm_phys *phys = new_phys(64);
	struct ps_strings_user ps;
	struct vm_entry_info ei;
	struct vmspace *vm;
	struct image im;
	uint64_t sp, ptrs[4], words[2];
	char buf[64];
	size_t i;

	image_init(&im, PAGE_SIZE + 10, argv, envp);
	vm = exec_ok(phys, &im, &sp);
	ck_assert_uint_eq(vm_entry_count(vm), 4);
	ei = entry(vm, 0);
	ck_assert_uint_eq(ei.start, VM_TEXT_BASE);
	ck_assert_uint_eq(ei.end, VM_TEXT_BASE + 2 * PAGE_SIZE);
	ck_assert_uint_eq(ei.prot, RX);
	ck_assert_uint_eq(ei.max_prot, VM_PROT_ALL);
	ck_assert_uint_eq(ei.obj_type, OBJT_IMAGE);
	ck_assert_uint_eq(ei.obj_id, 1);
	ck_assert_str_eq(ei.name, "text");
	ei = entry(vm, ei.end);
	ck_assert_uint_eq(ei.start, VM_DATA_BASE(PAGE_SIZE + 10));
	ck_assert_uint_eq(ei.start, VM_TEXT_BASE + 2 * PAGE_SIZE);
	ck_assert_uint_eq(ei.end, ei.start + PAGE_SIZE);
	ck_assert_uint_eq(ei.prot, RW);
	ck_assert_uint_eq(ei.max_prot, VM_PROT_ALL);
	ck_assert_uint_eq(ei.obj_id, 2);
	ck_assert_str_eq(ei.name, "data");
	ei = entry(vm, ei.end);
	ck_assert_uint_eq(ei.start, VM_USRSTACK - VM_STACK_SIZE);
	ck_assert_uint_eq(ei.end, VM_USRSTACK);
	ck_assert_uint_eq(ei.prot, RW);
	ck_assert_uint_eq(ei.obj_type, OBJT_DEFAULT);
	ck_assert_uint_eq(ei.obj_id, 3);
	ck_assert_str_eq(ei.name, "stack");
	ck_assert_uint_eq(ei.resident, 1); /* Only the top page holds anything. */
	ei = entry(vm, ei.end);
	ck_assert_uint_eq(ei.start, VM_SHARED_PAGE);
	ck_assert_uint_eq(ei.end, VM_SHARED_PAGE + PAGE_SIZE);
	ck_assert_uint_eq(ei.prot, RX);
	ck_assert_uint_eq(ei.max_prot, RX);
	ck_assert_uint_eq(ei.obj_type, OBJT_SHARED);
	ck_assert_uint_eq(ei.obj_id, 4);
	ck_assert_str_eq(ei.name, "shared");
	/* The stack. */
	ck_assert_uint_eq(sp % 16, 0);
	ck_assert_int_eq(vm_copyin(vm, VM_PS_STRINGS, &ps, sizeof(ps)), 0);
	ck_assert_uint_eq(ps.ps_nargvstr, 3);
	ck_assert_uint_eq(ps.ps_nenvstr, 2);
	ck_assert_uint_eq(ps.ps_argvstr, sp + 16);
	ck_assert_uint_eq(ps.ps_envstr, ps.ps_argvstr + 4 * 8);
	ck_assert_int_eq(vm_copyin(vm, sp, words, sizeof(words)), 0);
	ck_assert_uint_eq(words[0], 3);
	ck_assert_uint_eq(words[1], ps.ps_argvstr);
	ck_assert_int_eq(vm_copyin(vm, ps.ps_argvstr, ptrs, sizeof(ptrs)), 0);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_gt(ptrs[i], ps.ps_envstr);
		ck_assert_uint_lt(ptrs[i], VM_PS_STRINGS);
		ck_assert_int_eq(vm_copyinstr(vm, ptrs[i], buf, sizeof(buf), NULL), 0);
		ck_assert_str_eq(buf, argv[i]);
	}
	ck_assert_uint_eq(ptrs[3], 0);
	ck_assert_int_eq(vm_copyin(vm, ps.ps_envstr, ptrs, 3 * 8), 0);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(vm_copyinstr(vm, ptrs[i], buf, sizeof(buf), NULL), 0);
		ck_assert_str_eq(buf, envp[i]);
	}
	ck_assert_uint_eq(ptrs[2], 0);
	/* The last string ends right below ps_strings. */
	ck_assert_uint_eq(ptrs[1] + strlen(envp[1]) + 1, VM_PS_STRINGS);
	vmspace_free(vm);
	image_fini(&im);
	vm_phys_free(phys);
}
END_TEST

/* No arguments at all, E2BIG at the limit, EINVAL. */
START_TEST(exec_args_limits)
{
	struct vm_phys *phys = new_phys(64);
	struct ps_strings_user ps;
	struct vmspace *vm;
	struct image im;
	const char *big[3] = {NULL, NULL, NULL};
	char *s = malloc(PAGE_SIZE);
	uint64_t sp;

	image_init(&im, 8, NULL, NULL);
	vm = exec_ok(phys, &im, &sp);
	ck_assert_int_eq(vm_copyin(vm, VM_PS_STRINGS, &ps, sizeof(ps)), 0);
	ck_assert_uint_eq(ps.ps_nargvstr, 0);
	ck_assert_uint_eq(ps.ps_nenvstr, 0);
	ck_assert_uint_eq(sp % 16, 0);
	ck_assert_uint_lt(sp, VM_PS_STRINGS);
	vmspace_free(vm);
	/* Exactly PAGE_SIZE - 256 bytes of strings fit, one more does not. */
	memset(s, 'a', PAGE_SIZE);
	s[PAGE_SIZE - 256 - 1] = '\0';
	big[0] = s;
	im.args.argv = big;
	vm = exec_ok(phys, &im, &sp);
	ck_assert_uint_eq(sp % 16, 0);
	vmspace_free(vm);
	big[1] = "";
	ck_assert_int_eq(vm_exec_image(phys, &im.args, &vm, &sp), PS_E2BIG);
	ck_assert_ptr_null(vm);
	im.args.argv = NULL;
	im.args.envp = big;
	ck_assert_int_eq(vm_exec_image(phys, &im.args, &vm, &sp), PS_E2BIG);
	im.args.envp = NULL;
	im.args.text_len = 0;
	ck_assert_int_eq(vm_exec_image(phys, &im.args, &vm, &sp), PS_EINVAL);
	im.args.text_len = 8;
	im.args.sigcode_len = PAGE_SIZE + 1;
	ck_assert_int_eq(vm_exec_image(phys, &im.args, &vm, &sp), PS_EINVAL);
	/* Out of frames for the stack: ENOMEM and nothing left behind. */
	im.args.sigcode_len = sizeof(sigcode);
	vm_phys_free(phys);
	phys = new_phys(1);
	{
		uint32_t f;

		ck_assert_int_eq(vm_phys_alloc(phys, &f), 0);
		ck_assert_int_eq(vm_exec_image(phys, &im.args, &vm, &sp), PS_ENOMEM);
		ck_assert_ptr_null(vm);
		vm_phys_unref(phys, f);
	}
	free(s);
	image_fini(&im);
	vm_phys_free(phys);
}
END_TEST

/* One shared page for every process; object ids follow first mapping. */
START_TEST(shared_page_and_ids)
{
	static const char *const argv[] = {"prog", NULL};
	struct vm_phys *phys = new_phys(64);
	struct vmspace *a, *b, *c;
	struct image im;
	uint32_t used;

	image_init(&im, 16, argv, NULL);
	a = exec_ok(phys, &im, NULL);
	b = exec_ok(phys, &im, NULL);
	ck_assert_uint_eq(entry(b, 0).obj_id, 1);          /* text */
	ck_assert_uint_eq(entry(b, VM_USRSTACK - 1).obj_id, 5); /* a new stack */
	ck_assert_uint_eq(entry(b, VM_SHARED_PAGE).obj_id, 4);  /* the same page */
	used = vm_phys_used(phys);
	touch(a, VM_SHARED_PAGE, VM_PROT_READ);
	ck_assert_uint_eq(vm_phys_used(phys), used + 1);
	touch(b, VM_SHARED_PAGE, VM_PROT_EXECUTE);
	ck_assert_uint_eq(vm_phys_used(phys), used + 1);
	ck_assert_uint_eq(vm_pmap_find(a, VM_SHARED_PAGE >> PAGE_SHIFT)->frame,
	    vm_pmap_find(b, VM_SHARED_PAGE >> PAGE_SHIFT)->frame);
	ck_assert_int_eq(vmspace_fork(b, &c), 0);
	vmspace_free(a);
	vmspace_free(b);
	vmspace_free(c);
	/* The pool keeps the shared page's frame for the next exec. */
	ck_assert_uint_eq(vm_phys_used(phys), 1);
	image_fini(&im);
	vm_phys_free(phys);
}
END_TEST

/* The same calls give the same frames and the same page table, always. */
START_TEST(deterministic_layout)
{
	uint32_t frames[2][64];
	int run, i;

	for (run = 0; run < 2; run++) {
		struct vm_phys *phys = new_phys(256);
		struct vmspace *vm = vmspace_alloc(phys), *child;
		uint64_t a = mmap_ok(vm, 0, 64 * PAGE_SIZE, RW, 0);

		for (i = 0; i < 64; i++)
			poke(vm, a + (uint64_t)((i * 37) % 64) * PAGE_SIZE, 1);
		ck_assert_int_eq(vmspace_fork(vm, &child), 0);
		for (i = 63; i >= 0; i -= 3)
			poke(child, a + (uint64_t)i * PAGE_SIZE, 2);
		for (i = 0; i < 64; i++)
			frames[run][i] = vm_pmap_find(child, (a >> PAGE_SHIFT) + (uint64_t)i)->frame;
		vmspace_free(child);
		vmspace_free(vm);
		vm_phys_free(phys);
	}
	ck_assert_mem_eq(frames[0], frames[1], sizeof(frames[0]));
	/* Child copies come in the order of the writes, lowest frame first. */
	ck_assert_uint_eq(frames[0][63], 64);
	ck_assert_uint_eq(frames[0][60], 65);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vm");
	TCase *phys = tcase_create("phys");
	TCase *map = tcase_create("map");
	TCase *fault = tcase_create("fault");
	TCase *exec = tcase_create("exec");
	SRunner *sr;
	int failed;

	tcase_add_test(phys, phys_lowest_free_first);
	tcase_add_test(phys, phys_large_pool);
	tcase_add_test(phys, nomem_and_recovery);
	tcase_add_test(phys, cow_after_fork);
	tcase_add_test(phys, fork_map_grows_on_demand);
	tcase_add_test(phys, cow_many_pages);
	tcase_add_test(phys, deterministic_layout);
	suite_add_tcase(s, phys);
	tcase_add_test(map, mmap_munmap);
	tcase_add_test(map, map_fixed_errors);
	tcase_add_test(map, mprotect_rules);
	tcase_add_test(map, timestamp_changes);
	suite_add_tcase(s, map);
	tcase_add_test(fault, protection_faults);
	tcase_add_test(fault, rwmem_cow_into_text);
	tcase_add_test(fault, rwmem_rules);
	tcase_add_test(fault, rwmem_nomem);
	tcase_add_test(fault, copy_and_copyinstr);
	suite_add_tcase(s, fault);
	tcase_add_test(exec, exec_layout);
	tcase_add_test(exec, exec_args_limits);
	tcase_add_test(exec, shared_page_and_ids);
	suite_add_tcase(s, exec);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
