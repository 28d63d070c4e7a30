/*
 * The simulated MMU: physical frames, memory objects, address spaces
 * (vmspace: a sorted map of entries plus a page table), copy-on-write, and
 * the accessors the CPU, the system calls and the debugger use.
 *
 * Everything here is deterministic: frames are handed out lowest-free-first,
 * lists are kept sorted by address, nothing depends on host pointer values.
 * Errors are negative PS_E* values from <procsim/error.h>.
 *
 * Locking: a vmspace is touched only by the kernel while it holds the big
 * simulator context (one host thread); the map timestamp (vm_timestamp)
 * changes on every change to the map's entries, as FreeBSD's map->timestamp.
 */
#ifndef PS_VM_VM_H
#define PS_VM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1)
#define trunc_page(x) ((uint64_t)(x) & ~PAGE_MASK)
#define round_page(x) (((uint64_t)(x) + PAGE_MASK) & ~PAGE_MASK)

/* Protections (FreeBSD's VM_PROT_*). */
#define VM_PROT_NONE 0x00
#define VM_PROT_READ 0x01
#define VM_PROT_WRITE 0x02
#define VM_PROT_EXECUTE 0x04
#define VM_PROT_ALL (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)
#define VM_PROT_COPY 0x08 /* Debugger write: force copy-on-write (proc_rwmem). */

/*
 * The user address space layout (docs/memory.md).  The image is placed at
 * fixed addresses so that every run prints the same numbers.
 */
#define VM_MIN_ADDRESS 0x0000000000001000ull  /* Page 0 is never mapped. */
#define VM_TEXT_BASE 0x0000000000400000ull     /* Program text (r-x, max rwx). */
#define VM_MMAP_BASE 0x0000000800000000ull     /* First address mmap picks. */
#define VM_MAXUSER_ADDRESS 0x00007ffffffff000ull
#define VM_SHARED_PAGE 0x00007fffffffe000ull   /* sigcode page (r-x, max r-x). */
#define VM_USRSTACK VM_SHARED_PAGE             /* Stack grows down from here. */
#define VM_STACK_SIZE (64 * PAGE_SIZE)         /* Stack mapping (rw-, max rwx). */
#define VM_PS_STRINGS (VM_USRSTACK - 64)        /* struct ps_strings_user. */

/* What the kernel finds at VM_PS_STRINGS (FreeBSD's struct ps_strings). */
struct ps_strings_user {
	uint64_t ps_argvstr;   /* Address of argv[] (array of addresses, NULL-ended). */
	uint64_t ps_nargvstr;  /* argc */
	uint64_t ps_envstr;    /* Address of envp[]. */
	uint64_t ps_nenvstr;   /* envc */
};

/* Physical frames: a bounded pool, refcounted (copy-on-write sharing). */
struct vm_phys;

/*
 * A memory object: what a map entry maps (FreeBSD's vm_object).  Anonymous
 * objects are zero-filled on first touch; image objects hold the initial
 * bytes of a program segment (shared by every process running it) and are
 * copied into a frame on first touch.  Refcounted by the entries that map
 * it and by the program that owns the bytes.
 */
enum vm_obj_type {
	OBJT_DEFAULT = 0, /* Anonymous, zero-fill. */
	OBJT_IMAGE = 1,   /* Initialised from bytes (program text and data). */
	OBJT_SHARED = 2,  /* The shared page (sigcode). */
};

struct vm_object;

/* A map entry as reported (PT_VM_ENTRY, kinfo, tests). */
struct vm_entry_info {
	uint64_t start, end;     /* [start, end), page aligned. */
	uint8_t prot, max_prot;  /* VM_PROT_* */
	uint8_t obj_type;        /* enum vm_obj_type */
	uint64_t offset;         /* Offset of start in the object. */
	uint32_t obj_id;         /* Stable object id (creation order), for printing. */
	uint32_t resident;       /* Pages present in the page table. */
	uint32_t private_count;  /* Of those, frames with refcount 1. */
	char name[24];           /* "text", "data", "stack", "mmap", "shared". */
};

struct vmspace;

/* Frame pool: nframes frames of PAGE_SIZE bytes; memory allocated lazily. */
int vm_phys_new(uint32_t nframes, struct vm_phys **out);  /* PS_EINVAL (0), PS_ENOMEM */
void vm_phys_free(struct vm_phys *phys);  /* Every vmspace must be gone. */
uint32_t vm_phys_total(const struct vm_phys *phys);
uint32_t vm_phys_used(const struct vm_phys *phys);  /* Frames with refcount > 0. */

/*
 * What the pool has done since vm_phys_new (for tests and procsim bench).
 * Every frame handed out is one of zero_fills, image_fills, cow_copies or
 * shared_fills; alloc_failures counts the faults that found no free frame.
 */
struct vm_phys_stats {
	uint64_t allocs, frees;
	uint64_t zero_fills, image_fills, cow_copies, shared_fills;
	uint64_t alloc_failures;
};
void vm_phys_get_stats(const struct vm_phys *phys, struct vm_phys_stats *out);

/* Objects. */
struct vm_object *vm_object_image(const void *bytes, size_t len, const char *name);  /* NULL: ENOMEM */
void vm_object_deallocate(struct vm_object *obj);  /* Drop one reference (NULL ok). */

/* Address spaces. */
struct vmspace *vmspace_alloc(struct vm_phys *phys);  /* Empty; NULL on ENOMEM. */
void vmspace_free(struct vmspace *vm);  /* Releases every frame and object. NULL ok. */
/* fork: a copy of src's map; every present page shared copy-on-write. */
int vmspace_fork(struct vmspace *src, struct vmspace **out);  /* PS_ENOMEM */
uint32_t vm_timestamp(const struct vmspace *vm);
uint32_t vm_resident(const struct vmspace *vm);  /* Pages in the page table. */

/*
 * proc_rwmem's I-cache synchronisation (spec-sys_process.md §1.5): after a
 * debugger write chunk lands in a page covered by an entry whose current
 * prot has VM_PROT_EXECUTE, the hook (if any) is called with the chunk's
 * address and length and vm_icache_syncs counts it.  fork does not copy the
 * hook (it names the process) and the child's count starts at 0.
 */
typedef void vm_icache_sync_fn(void *arg, uint64_t va, size_t len);
void vmspace_set_icache_hook(struct vmspace *vm, vm_icache_sync_fn *fn, void *arg);
uint64_t vm_icache_syncs(const struct vmspace *vm);

/*
 * Map obj (NULL: anonymous, zero-fill) at [start, start + len) with prot
 * and max_prot; start and len page aligned, the range must be free.
 * name labels the entry.  PS_EINVAL, PS_ENOMEM (no room: range in use or
 * out of [VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS)).
 */
int vm_map_fixed(struct vmspace *vm, uint64_t start, uint64_t len, uint8_t prot, uint8_t max_prot,
                 struct vm_object *obj, uint64_t offset, const char *name);

/* The syscalls.  mmap is anonymous only; flags: VM_MAP_FIXED. */
#define VM_MAP_FIXED 0x0010
int vm_mmap(struct vmspace *vm, uint64_t addr, uint64_t len, uint8_t prot, int flags,
            uint64_t *out);  /* PS_EINVAL, PS_ENOMEM */
int vm_munmap(struct vmspace *vm, uint64_t addr, uint64_t len);  /* PS_EINVAL */
int vm_mprotect(struct vmspace *vm, uint64_t addr, uint64_t len, uint8_t prot);  /* PS_EINVAL, PS_ENOMEM (unmapped hole), PS_EACCES (> max_prot) */

/*
 * A user access to the page holding addr, as the CPU makes it (access is
 * VM_PROT_READ, VM_PROT_WRITE or VM_PROT_EXECUTE).  Returns the host address
 * of the byte at addr (valid until the next call into vm for this vmspace;
 * the rest of the page follows it), faulting the page in: zero-fill, image
 * copy, or copy-on-write for a write to a shared frame.
 * Errors: VM_FAULT_SEGV (no entry, or the entry's prot forbids access),
 * VM_FAULT_NOMEM (no free frame).  *err gets the error, the result is NULL.
 */
#define VM_FAULT_SEGV (-1)
#define VM_FAULT_NOMEM (-2)
uint8_t *vm_fault_page(struct vmspace *vm, uint64_t addr, uint8_t access, int *err);

/*
 * copyin/copyout for system calls: user protections apply.  PS_EFAULT when
 * any byte is not accessible, PS_ENOMEM when a frame was needed and none
 * was free.  copyinstr stops at NUL: PS_ENAMETOOLONG if none within max.
 */
int vm_copyin(struct vmspace *vm, uint64_t uaddr, void *buf, size_t len);
int vm_copyout(struct vmspace *vm, const void *buf, uint64_t uaddr, size_t len);
int vm_copyinstr(struct vmspace *vm, uint64_t uaddr, char *buf, size_t max, size_t *done);

/*
 * proc_rwmem: the debugger's access (spec-sys_process.md §1.4).  Page by
 * page; a write to a page whose entry lacks VM_PROT_WRITE is done
 * copy-on-write (the page becomes private, the entry keeps its prot: the
 * VM_PROT_COPY path).  Reads and writes both need an entry whose current
 * prot has VM_PROT_READ (a PROT_NONE or execute-only page is EFAULT, §1.9
 * R5); a write also needs max_prot WRITE or a private (copy-on-write) entry,
 * which every entry is except the shared page's (W5, W5b).  A zero-length
 * transfer still faults the page at addr.  A transfer that faults part way
 * returns PS_EFAULT (PS_ENOMEM when no frame was free) with *done holding
 * the bytes moved before the faulting page; done may be NULL.
 */
int vm_rwmem(struct vmspace *vm, uint64_t addr, void *buf, size_t len, bool write, size_t *done);

/*
 * The pieces of proc_rwmem that live in the VM (the algorithm itself is
 * the kernel's, sys_process.c).  vm_fault_debug is FAULT_AND_HOLD of
 * spec-sys_process.md §1.4 for the page holding va: READ, plus COPY for a
 * write (the rules of vm_rwmem above); *page gets the host address of the
 * page's first byte.  0, PS_EFAULT, or PS_ENOMEM (no frame, or an injected
 * shortage).  vm_map_check_protection: is all of [start, end) covered,
 * without holes, by entries whose current prot includes prot?
 * vm_sync_icache records one instruction cache sync (the hook and count of
 * vmspace_set_icache_hook).  vm_phys_inject_nomem: the next n debugger
 * writes that need a new frame fail as a resource shortage (0: none).
 */
int vm_fault_debug(struct vmspace *vm, uint64_t va, bool write, uint8_t **page);
bool vm_map_check_protection(const struct vmspace *vm, uint64_t start, uint64_t end,
                             uint8_t prot);
void vm_sync_icache(struct vmspace *vm, uint64_t va, size_t len);
void vm_phys_inject_nomem(struct vm_phys *phys, uint32_t n);

/* Entries in address order: the first whose end is above addr.  PS_ESRCH if none. */
int vm_entry_lookup(const struct vmspace *vm, uint64_t addr, struct vm_entry_info *out);
uint32_t vm_entry_count(const struct vmspace *vm);

/*
 * Executable images (docs/memory.md).  vm_exec_image builds a fresh
 * vmspace: text object at VM_TEXT_BASE (r-x, max rwx), data object right
 * after the text, page aligned (rw-, max rwx), the shared page with the
 * sigcode bytes at VM_SHARED_PAGE (r-x), and the stack below VM_USRSTACK
 * (rw-) holding, from the top: struct ps_strings_user at VM_PS_STRINGS, the
 * program's path (AT_EXECPATH), the argument and environment strings, the
 * argv[] and envp[] arrays and, after envp's NULL, the auxiliary vector
 * (AT_PAGESZ, AT_ENTRY, AT_EXECPATH, AT_NULL); *sp gets
 * the initial stack pointer (16-byte aligned, below the arrays), where two
 * words hold argc and the address of argv[].  The shared page's object is
 * kept by the pool and reused by every exec with the same sigcode, so its
 * one frame stays in use (vm_phys_used) until vm_phys_free.
 * PS_E2BIG when the strings do not fit in one page of the stack (argv and
 * env together up to PAGE_SIZE - 256 bytes), PS_ENOMEM.
 */
struct vm_image_args {
	struct vm_object *text;   /* Holds its bytes; a reference is taken. */
	uint64_t text_len;
	struct vm_object *data;   /* NULL if there is no data segment. */
	uint64_t data_len;
	const void *sigcode;
	size_t sigcode_len;
	const char *const *argv;  /* NULL-terminated, may be NULL. */
	const char *const *envp;
	uint64_t entry;           /* The entry point, for auxv's AT_ENTRY. */
	const char *execpath;     /* The program's path (AT_EXECPATH); NULL: none. */
};
int vm_exec_image(struct vm_phys *phys, const struct vm_image_args *args, struct vmspace **out,
                  uint64_t *sp);
/* Where data starts for a text of text_len bytes. */
#define VM_DATA_BASE(text_len) round_page(VM_TEXT_BASE + (text_len))

#endif /* PS_VM_VM_H */
