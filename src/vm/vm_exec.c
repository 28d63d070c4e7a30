/*
 * Executable images: the fresh address space exec builds (docs/memory.md).
 *
 * The layout is fixed so that every run prints the same addresses:
 *
 *	VM_TEXT_BASE		text, r-x (max rwx), the text object
 *	VM_DATA_BASE(text_len)	data, rw- (max rwx), the data object
 *	VM_USRSTACK - VM_STACK_SIZE .. VM_USRSTACK
 *				stack, rw- (max rwx), anonymous
 *	VM_SHARED_PAGE		shared page, r-x (max r-x), the sigcode
 *
 * The top of the stack, from high addresses down (FreeBSD's order, from
 * exec_copyout_strings and the ELF auxiliary vector):
 *
 *	VM_PS_STRINGS		struct ps_strings_user (the rest of the 64
 *				bytes up to VM_USRSTACK are zero)
 *	below it		the program's path (AT_EXECPATH), if given,
 *				NUL-terminated, ending at VM_PS_STRINGS
 *	below that		the argument strings, then the environment
 *				strings, each NUL-terminated, packed so that
 *				the last one ends where the path starts
 *	below, 16-aligned	argv[argc + 1] then envp[envc + 1]: addresses,
 *				each array NULL-terminated; then, right after
 *				envp's NULL, the auxiliary vector: pairs of
 *				words (type, value) ending with AT_NULL
 *	sp = arrays - 16	two words: argc, then the address of argv[]
 *
 * The kernel finds everything again from ps_strings alone, as FreeBSD's
 * get_proc_vector does: the auxiliary vector starts one word past envp's
 * NULL (kern_procargs.c).
 */
#include <stdlib.h>
#include <string.h>

#include <procsim/kinfo.h>

#include "base/assert.h"
#include "vm/vm_internal.h"

/* Entries of the auxiliary vector exec writes, AT_NULL included. */
#define EXEC_AUXV_MAX 4
/* The longest program path, its NUL included (FreeBSD's PATH_MAX). */
#define EXEC_PATH_MAX 1024

static size_t
vec_count(const char *const *v)
{
	size_t n = 0;

	if (v != NULL)
		while (v[n] != NULL)
			n++;
	return n;
}

static size_t
vec_bytes(const char *const *v, size_t n)
{
	size_t total = 0, i;

	for (i = 0; i < n; i++)
		total += strlen(v[i]) + 1;
	return total;
}

static void
put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* The shared page object: one per pool while the sigcode stays the same. */
static struct vm_object *
shared_object(struct vm_phys *phys, const void *sigcode, size_t len)
{
	struct vm_object *obj = phys->shared_obj;

	if (obj != NULL && obj->len == len && (len == 0 || memcmp(obj->bytes, sigcode, len) == 0)) {
		vm_object_reference(obj);
		return obj;
	}
	obj = vm_object_shared(sigcode, len);
	if (obj != NULL && phys->shared_obj == NULL) {
		/* The pool keeps the first one for the execs that follow. */
		vm_object_reference(obj);
		phys->shared_obj = obj;
	}
	return obj;
}

/*
 * The auxiliary vector of args, as (type, value) pairs, AT_NULL last;
 * execpath_va is where the path string went.  Returns the pair count.
 */
static size_t
auxv_build(const struct vm_image_args *args, uint64_t execpath_va, uint64_t *aux)
{
	size_t n = 0;

	aux[2 * n] = PS_AT_PAGESZ;
	aux[2 * n + 1] = PAGE_SIZE;
	n++;
	aux[2 * n] = PS_AT_ENTRY;
	aux[2 * n + 1] = args->entry;
	n++;
	if (args->execpath != NULL) {
		aux[2 * n] = PS_AT_EXECPATH;
		aux[2 * n + 1] = execpath_va;
		n++;
	}
	aux[2 * n] = PS_AT_NULL;
	aux[2 * n + 1] = 0;
	n++;
	PS_ASSERT(n <= EXEC_AUXV_MAX);
	return n;
}

/* Build the top of the stack in a host buffer and copy it out at once. */
static int
stack_init(struct vmspace *vm, const struct vm_image_args *args, size_t argc, size_t envc,
           size_t strbytes, uint64_t *sp)
{
	uint64_t strbase, pathbase, arrbase, auxbase, top, a;
	uint64_t aux[2 * EXEC_AUXV_MAX];
	struct ps_strings_user ps;
	size_t size, i, len, naux, pathlen;
	uint8_t *img;
	int error;

	pathlen = args->execpath != NULL ? strlen(args->execpath) + 1 : 0;
	pathbase = VM_PS_STRINGS - pathlen;
	strbase = pathbase - strbytes;
	naux = auxv_build(args, pathbase, aux);
	arrbase = (strbase - (uint64_t)(argc + 1 + envc + 1 + 2 * naux) * 8) & ~(uint64_t)15;
	auxbase = arrbase + (uint64_t)(argc + 1 + envc + 1) * 8;
	PS_ASSERT(auxbase % 8 == 0);
	PS_ASSERT(auxbase + naux * 16 <= strbase);
	top = arrbase - 16;
	size = (size_t)(VM_USRSTACK - top);
	PS_ASSERT(size <= VM_STACK_SIZE);
	img = calloc(1, size);
	if (img == NULL)
		return PS_ENOMEM;
#define AT(addr) (img + ((addr) - top))
	a = strbase;
	for (i = 0; i < argc; i++) {
		len = strlen(args->argv[i]) + 1;
		memcpy(AT(a), args->argv[i], len);
		put64(AT(arrbase + i * 8), a);
		a += len;
	}
	for (i = 0; i < envc; i++) {
		len = strlen(args->envp[i]) + 1;
		memcpy(AT(a), args->envp[i], len);
		put64(AT(arrbase + (argc + 1 + i) * 8), a);
		a += len;
	}
	PS_ASSERT(a == pathbase);
	if (pathlen > 0)
		memcpy(AT(pathbase), args->execpath, pathlen);
	for (i = 0; i < 2 * naux; i++)
		put64(AT(auxbase + i * 8), aux[i]);
	ps.ps_argvstr = arrbase;
	ps.ps_nargvstr = argc;
	ps.ps_envstr = arrbase + (argc + 1) * 8;
	ps.ps_nenvstr = envc;
	memcpy(AT(VM_PS_STRINGS), &ps, sizeof(ps));
	put64(AT(top), argc);
	put64(AT(top + 8), arrbase);
#undef AT
	error = vm_copyout(vm, img, top, size);
	free(img);
	if (error != 0)
		return error;
	*sp = top;
	return 0;
}

int
vm_exec_image(struct vm_phys *phys, const struct vm_image_args *args, struct vmspace **out,
              uint64_t *sp)
{
	struct vm_object *shared;
	struct vmspace *vm;
	size_t argc, envc, strbytes;
	uint64_t data_base;
	int error;

	*out = NULL;
	if (phys == NULL || args == NULL || args->text == NULL || args->text_len == 0 ||
	    args->sigcode_len > PAGE_SIZE || (args->sigcode == NULL && args->sigcode_len > 0))
		return PS_EINVAL;
	argc = vec_count(args->argv);
	envc = vec_count(args->envp);
	strbytes = vec_bytes(args->argv, argc) + vec_bytes(args->envp, envc);
	if (strbytes > PAGE_SIZE - 256)
		return PS_E2BIG;
	if (args->execpath != NULL && strlen(args->execpath) >= EXEC_PATH_MAX)
		return PS_ENAMETOOLONG;
	/* Text and data must end below the first address mmap hands out. */
	if (args->text_len > VM_MMAP_BASE - VM_TEXT_BASE)
		return PS_ENOMEM;
	data_base = VM_DATA_BASE(args->text_len);
	if (args->data != NULL && args->data_len > VM_MMAP_BASE - data_base)
		return PS_ENOMEM;

	vm = vmspace_alloc(phys);
	if (vm == NULL)
		return PS_ENOMEM;
	error = vm_map_fixed(vm, VM_TEXT_BASE, round_page(args->text_len),
	    VM_PROT_READ | VM_PROT_EXECUTE, VM_PROT_ALL, args->text, 0, "text");
	if (error == 0 && args->data != NULL && args->data_len > 0)
		error = vm_map_fixed(vm, data_base, round_page(args->data_len),
		    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, args->data, 0, "data");
	if (error == 0)
		error = vm_map_fixed(vm, VM_USRSTACK - VM_STACK_SIZE, VM_STACK_SIZE,
		    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, NULL, 0, "stack");
	if (error == 0) {
		shared = shared_object(phys, args->sigcode, args->sigcode_len);
		if (shared == NULL)
			error = PS_ENOMEM;
		else {
			error = vm_map_fixed(vm, VM_SHARED_PAGE, PAGE_SIZE,
			    VM_PROT_READ | VM_PROT_EXECUTE, VM_PROT_READ | VM_PROT_EXECUTE, shared, 0,
			    "shared");
			vm_object_deallocate(shared);
		}
	}
	if (error == 0)
		error = stack_init(vm, args, argc, envc, strbytes, sp);
	if (error != 0) {
		vmspace_free(vm);
		return error;
	}
	*out = vm;
	return 0;
}
