/*
 * kern.proc.args, .env, .auxv and .vmmap (spec-kern_proc.md §7, §8.1):
 * ps_proc_getargv, ps_proc_getenvv, ps_proc_getauxv and ps_proc_vmmap.
 *
 * Goal: the kernel reads a process's arguments through its memory, the
 * way get_ps_strings does, so what a program has written over its own
 * argv shows; the lookups and permission checks are the sysctls' own
 * (p_cansee for args, p_candebug and not exiting for the rest); buffers
 * behave as a sysctl's old buffer; the memory map reports each entry with
 * its protections, backing and resident pages.
 *
 * Method: programs are spawned with known argv and envp, so every address
 * of the initial stack (docs/memory.md §1.2) is known and asserted; some
 * programs store into their own argument strings or arrays, or touch and
 * map memory, and run until they pause; the debugger's write
 * (ps_mem_write) damages ps_strings for the error paths.  Every test runs
 * with the invariant checker after each operation and ends with no lock
 * held.
 */
#include "testlib.h"

#include "kern/internal_api.h"
#include "kern/kern.h"

#include <string.h>

#define PS_STRINGS_VA 0x7fffffffdfc0ull
#define STACK_TOP 0x7fffffffe000ull
#define STACK_BASE (STACK_TOP - 64 * 4096ull)
#define SHARED_END 0x7ffffffff000ull
#define TEXT_BASE 0x400000ull
#define MMAP_BASE 0x800000000ull

static const char *const argv2[] = { "first", "second", NULL };
static const char *const envp2[] = { "HOME=/", "TERM=vt100", NULL };

/* --- helpers --- */

static void
add(const char *name, const char *text)
{
	struct ps_asm_error err;
	int rc = ps_program_add(t_sim, name, text, &err);

	ck_assert_msg(rc == 0, "%s: %d:%d: %s", name, err.line, err.column, err.message);
}

static void
add_programs(void)
{
	add("idle", "start: sys pause\n"
	            "       b start\n");
	/* Overwrites the first two bytes of its argv[0] string. */
	add("scribble", "start: ld r3, [r1]\n"
	                "       li r4, 'X'\n"
	                "       stb r4, [r3]\n"
	                "       stb r4, [r3+1]\n"
	                "idle:  sys pause\n"
	                "       b idle\n");
	/* Overwrites the NUL that ends argv[0] ("first"). */
	add("joiner", "start: ld r3, [r1]\n"
	              "       li r4, '-'\n"
	              "       stb r4, [r3+5]\n"
	              "idle:  sys pause\n"
	              "       b idle\n");
	/* Stores NULL into argv[1]. */
	add("cutter", "start: li r4, 0\n"
	              "       st r4, [r1+8]\n"
	              "idle:  sys pause\n"
	              "       b idle\n");
	/* Touches its data, maps two pages and touches the first. */
	add("toucher", "start: li r2, 7\n"
	               "       st r2, [buf]\n"
	               "       sys mmap 0, 8192, 3, 0\n"
	               "       li r2, 9\n"
	               "       st r2, [r0]\n"
	               "idle:  sys pause\n"
	               "       b idle\n"
	               "       .data\n"
	               "       .align 8\n"
	               "buf:   .quad 0\n");
	add("forker", "start: sys fork\n"
	              "idle:  sys pause\n"
	              "       b idle\n");
	add("quitter", "start: sys exit 3\n");
}

static void
setup(void)
{
	t_setup();
	add_programs();
}

/* see_other_uids off: other users' processes are invisible. */
static void
setup_hidden(void)
{
	struct ps_config cfg = t_config();

	cfg.see_other_uids = 0;
	t_sim = t_new_sim(&cfg);
	add_programs();
}

static int32_t
spawn(int32_t parent, const char *prog, const char *const *argv, const char *const *envp)
{
	int32_t pid = -1;
	int rc = ps_spawn(t_sim, parent, prog, argv, envp, &pid);

	ck_assert_msg(rc == 0, "spawn %s: %s", prog, ps_err_name(rc));
	ck_assert_int_gt(pid, 1);
	return pid;
}

/* Run until nothing can happen any more (every program paused or gone). */
static void
run_idle(void)
{
	uint64_t steps = 0;

	ck_assert_int_eq(ps_sim_run_until(t_sim, PS_TIME_NEVER, 1000000, &steps), 0);
	ck_assert_uint_gt(steps, 0);
	ck_assert_uint_eq(ps_sim_next_time(t_sim), PS_TIME_NEVER);
}

/* A puppet (runs no program) forked from init, named comm, with uid. */
static int32_t
puppet(const char *comm, int32_t uid)
{
	int32_t pid = t_fork(t_sim, 1);

	ck_assert_int_eq(ps_exec(t_sim, pid, comm), 0);
	if (uid != 0)
		ck_assert_int_eq(ps_setuid(t_sim, pid, uid), 0);
	return pid;
}

static void
no_locks(void)
{
	ck_assert_uint_eq(ps__kernel(t_sim)->nheld, 0);
	ck_assert_ptr_null(ps__kernel(t_sim)->curproc);
}

/* The whole args (or env) answer by caller, which must succeed. */
static size_t
strings_of(int env, int32_t caller, int32_t pid, char *buf, size_t cap)
{
	size_t len = 12345;
	int rc;

	memset(buf, 0x55, cap);
	rc = env ? ps_proc_getenvv(t_sim, caller, pid, buf, cap, &len)
	         : ps_proc_getargv(t_sim, caller, pid, buf, cap, &len);
	ck_assert_msg(rc == 0, "%s of %d by %d: %s", env ? "env" : "args", pid, caller,
	              ps_err_name(rc));
	ck_assert_uint_le(len, cap);
	no_locks();
	return len;
}

static void
assert_bytes(const char *got, size_t len, const char *want, size_t wantlen)
{
	ck_assert_uint_eq(len, wantlen);
	ck_assert_msg(memcmp(got, want, wantlen) == 0, "bytes differ: got \"%.*s\"", (int)len, got);
}

static size_t
vmmap_of(int32_t caller, int32_t pid, struct ps_kinfo_vmentry *kve, size_t cap)
{
	size_t n = 12345;
	int rc = ps_proc_vmmap(t_sim, caller, pid, kve, cap, &n);

	ck_assert_msg(rc == 0, "vmmap of %d: %s", pid, ps_err_name(rc));
	no_locks();
	return n;
}

static void
assert_entry(const struct ps_kinfo_vmentry *e, uint64_t start, uint64_t end, uint32_t prot,
             uint32_t maxprot, int32_t type, const char *label, const char *path,
             uint32_t resident)
{
	ck_assert_int_eq(e->kve_structsize, (int32_t)sizeof(*e));
	ck_assert_uint_eq(e->kve_start, start);
	ck_assert_uint_eq(e->kve_end, end);
	ck_assert_uint_eq(e->kve_offset, 0);
	ck_assert_uint_eq(e->kve_protection, prot);
	ck_assert_uint_eq(e->kve_max_protection, maxprot);
	ck_assert_int_eq(e->kve_type, type);
	ck_assert_str_eq(e->kve_label, label);
	ck_assert_str_eq(e->kve_path, path);
	ck_assert_uint_eq(e->kve_resident, resident);
	ck_assert_uint_eq(e->kve_flags, type == PS_KVME_TYPE_PHYS ? 0 : PS_KVME_FLAG_COW);
}

#define RX (PS_KVME_PROT_READ | PS_KVME_PROT_EXEC)
#define RW (PS_KVME_PROT_READ | PS_KVME_PROT_WRITE)
#define RWX (PS_KVME_PROT_READ | PS_KVME_PROT_WRITE | PS_KVME_PROT_EXEC)

/* --- a spawned program: exact values --- */

START_TEST(args_env_auxv_of_a_spawned_program)
{
	int32_t pid = spawn(1, "idle", argv2, envp2);
	struct ps_thread_info ti;
	struct ps_auxinfo aux[8];
	uint64_t entry = 0;
	int32_t tid;
	size_t n, count;
	char buf[256], path[16];

	n = strings_of(0, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first\0second", 13);
	n = strings_of(1, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "HOME=/\0TERM=vt100", 18);

	/* The stack as docs/memory.md §1.2 lays it out: the path ends at
	 * ps_strings, the strings end at the path, then argv[], envp[] and
	 * the auxv, 16-aligned, and sp 16 below. */
	ck_assert_int_eq(ps_program_symbol(t_sim, "idle", "start", &entry), 0);
	ck_assert_uint_eq(entry, TEXT_BASE);
	count = 99;
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, pid, aux, 8, &count), 0);
	ck_assert_uint_eq(count, 4);
	ck_assert_int_eq(aux[0].a_type, PS_AT_PAGESZ);
	ck_assert_uint_eq(aux[0].a_val, 4096);
	ck_assert_int_eq(aux[1].a_type, PS_AT_ENTRY);
	ck_assert_uint_eq(aux[1].a_val, entry);
	ck_assert_int_eq(aux[2].a_type, PS_AT_EXECPATH);
	ck_assert_uint_eq(aux[2].a_val, PS_STRINGS_VA - sizeof("/bin/idle"));
	ck_assert_int_eq(aux[3].a_type, PS_AT_NULL);
	ck_assert_uint_eq(aux[3].a_val, 0);
	memset(path, 0, sizeof(path));
	ck_assert_int_eq(ps_mem_read(t_sim, pid, aux[2].a_val, path, sizeof("/bin/idle"), NULL), 0);
	ck_assert_str_eq(path, "/bin/idle");

	ck_assert_int_eq(ps_proc_threads(t_sim, pid, &tid, 1, &n), 0);
	ck_assert_int_eq(ps_thread_info(t_sim, tid, &ti), 0);
	/* 31 bytes of strings below the 10 of the path: 0x7fffffffdf97;
	 * 6 array words and 8 auxv words below that, 16-aligned. */
	ck_assert_uint_eq(ti.regs.r[0], 2);
	ck_assert_uint_eq(ti.regs.r[1], 0x7fffffffdf20ull);
	ck_assert_uint_eq(ti.regs.r[2], 0x7fffffffdf38ull);
	ck_assert_uint_eq(ti.regs.sp, 0x7fffffffdf10ull);
	ck_assert_uint_eq(ti.regs.pc, entry);

	/* A thread id above pid_max names its process, as in pget. */
	ck_assert_int_gt(tid, 99999);
	n = strings_of(0, 1, tid, buf, sizeof(buf));
	assert_bytes(buf, n, "first\0second", 13);
	t_check(t_sim);
}
END_TEST

START_TEST(a_process_may_read_its_own)
{
	int32_t pid = spawn(1, "idle", argv2, envp2);
	char buf[64];
	size_t n;

	n = strings_of(0, pid, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first\0second", 13);
	n = strings_of(1, pid, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "HOME=/\0TERM=vt100", 18);
}
END_TEST

/* --- what the program wrote is what is read --- */

START_TEST(overwritten_argv_string_shows)
{
	int32_t pid = spawn(1, "scribble", argv2, envp2);
	char buf[64];
	size_t n;

	n = strings_of(0, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first\0second", 13);
	run_idle();
	n = strings_of(0, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "XXrst\0second", 13);
	/* The environment, next to it on the stack, is untouched. */
	n = strings_of(1, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "HOME=/\0TERM=vt100", 18);
}
END_TEST

START_TEST(overwritten_nul_joins_two_arguments)
{
	int32_t pid = spawn(1, "joiner", argv2, envp2);
	char buf[64];
	size_t n;

	run_idle();
	/* argv[0] now runs on into argv[1]; argv[1] still points at "second". */
	n = strings_of(0, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first-second\0second", 20);
}
END_TEST

START_TEST(null_in_argv_ends_the_list)
{
	int32_t pid = spawn(1, "cutter", argv2, envp2);
	char buf[64];
	size_t n;

	run_idle();
	n = strings_of(0, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first", 6);
}
END_TEST

START_TEST(debugger_writes_show_too)
{
	int32_t pid = spawn(1, "idle", argv2, envp2);
	uint64_t argv1;
	char buf[64];
	size_t n;

	/* Point argv[1] at the environment's second string. */
	ck_assert_int_eq(ps_mem_read(t_sim, pid, 0x7fffffffdf38ull + 8, &argv1, 8, NULL), 0);
	ck_assert_int_eq(ps_mem_write(t_sim, pid, 0x7fffffffdf20ull + 8, &argv1, 8, NULL), 0);
	n = strings_of(0, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first\0TERM=vt100", 17);
	/* And argc down to 1. */
	n = 1;
	ck_assert_int_eq(ps_mem_write(t_sim, pid, PS_STRINGS_VA + 8, &n, 8, NULL), 0);
	n = strings_of(0, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first", 6);
}
END_TEST

/* --- memory read errors, as get_proc_vector gives them --- */

START_TEST(empty_vectors_are_enomem)
{
	int32_t pid = spawn(1, "idle", NULL, NULL);
	struct ps_auxinfo aux[4];
	char buf[16];
	size_t n = 7;

	/* argc 0: the vector read has 0 bytes, which proc_readmem fails. */
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, sizeof(buf), &n), PS_ENOMEM);
	ck_assert_uint_eq(n, 0);
	n = 7;
	ck_assert_int_eq(ps_proc_getenvv(t_sim, 1, pid, buf, sizeof(buf), &n), PS_ENOMEM);
	ck_assert_uint_eq(n, 0);
	n = 7;
	ck_assert_int_eq(ps_proc_getenvv(t_sim, 1, pid, NULL, 0, &n), PS_ENOMEM);
	ck_assert_uint_eq(n, 0);
	/* The auxv is still found: just past envp's NULL. */
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, pid, aux, 4, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(aux[0].a_type, PS_AT_PAGESZ);
	ck_assert_int_eq(aux[3].a_type, PS_AT_NULL);
	no_locks();
}
END_TEST

START_TEST(damaged_ps_strings_errors)
{
	int32_t pid = spawn(1, "idle", argv2, envp2);
	struct ps_auxinfo aux[4];
	uint64_t v;
	char buf[64];
	size_t n;

	/* argc above ARG_MAX: ENOEXEC. */
	v = PS_ARG_MAX + 1;
	ck_assert_int_eq(ps_mem_write(t_sim, pid, PS_STRINGS_VA + 8, &v, 8, NULL), 0);
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, sizeof(buf), &n), PS_ENOEXEC);
	ck_assert_uint_eq(n, 0);
	v = 2;
	ck_assert_int_eq(ps_mem_write(t_sim, pid, PS_STRINGS_VA + 8, &v, 8, NULL), 0);

	/* argv[] moved to an unmapped page: the vector read fails, ENOMEM. */
	v = 0x2000;
	ck_assert_int_eq(ps_mem_write(t_sim, pid, PS_STRINGS_VA, &v, 8, NULL), 0);
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, sizeof(buf), &n), PS_ENOMEM);
	ck_assert_uint_eq(n, 0);
	v = 0x7fffffffdf20ull;
	ck_assert_int_eq(ps_mem_write(t_sim, pid, PS_STRINGS_VA, &v, 8, NULL), 0);

	/* argv[1] pointing nowhere: argv[0] is kept, then ENOMEM. */
	v = 0x10;
	ck_assert_int_eq(ps_mem_write(t_sim, pid, 0x7fffffffdf28ull, &v, 8, NULL), 0);
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, sizeof(buf), &n), PS_ENOMEM);
	assert_bytes(buf, n, "first", 6);

	/* envp[] at an odd address: the auxv after it is misaligned. */
	v = 0x7fffffffdf38ull + 1;
	ck_assert_int_eq(ps_mem_write(t_sim, pid, PS_STRINGS_VA + 16, &v, 8, NULL), 0);
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, pid, aux, 4, &n), PS_ENOEXEC);
	ck_assert_uint_eq(n, 0);
	no_locks();
}
END_TEST

/* --- buffers: a sysctl's old buffer --- */

START_TEST(size_probe_and_short_buffer)
{
	int32_t pid = spawn(1, "idle", argv2, envp2);
	struct ps_auxinfo aux[4];
	char buf[32];
	size_t n;

	n = 0;
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 13);
	n = 0;
	ck_assert_int_eq(ps_proc_getenvv(t_sim, 1, pid, NULL, 99, &n), 0);
	ck_assert_uint_eq(n, 18);
	n = 0;
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, pid, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 4);

	/* Exactly the size: all of it. */
	n = 0;
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, 13, &n), 0);
	assert_bytes(buf, n, "first\0second", 13);
	/* One short: what fits, and ENOMEM. */
	memset(buf, 0x55, sizeof(buf));
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, 12, &n), PS_ENOMEM);
	assert_bytes(buf, n, "first\0second", 12);
	ck_assert_int_eq((unsigned char)buf[12], 0x55);
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, 0, &n), PS_ENOMEM);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ps_proc_getenvv(t_sim, 1, pid, buf, 4, &n), PS_ENOMEM);
	assert_bytes(buf, n, "HOME", 4);
	memset(aux, 0, sizeof(aux));
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, pid, aux, 2, &n), PS_ENOMEM);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(aux[0].a_type, PS_AT_PAGESZ);
	ck_assert_int_eq(aux[1].a_type, PS_AT_ENTRY);
	ck_assert_int_eq(aux[2].a_type, 0);
	no_locks();
}
END_TEST

START_TEST(bad_arguments)
{
	static const int32_t odd[] = { -2, INT32_MIN, PS_PID_MAX_DEFAULT, INT32_MAX, 4242 };
	int32_t pid = spawn(1, "idle", argv2, envp2);
	struct ps_kinfo_vmentry kve[2];
	struct ps_auxinfo aux[2];
	char buf[8];
	size_t n;

	ck_assert_int_eq(ps_proc_getargv(NULL, 1, pid, buf, 8, &n), PS_EINVAL);
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, 8, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_proc_getenvv(NULL, 1, pid, buf, 8, &n), PS_EINVAL);
	ck_assert_int_eq(ps_proc_getenvv(t_sim, 1, pid, buf, 8, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_proc_getauxv(NULL, 1, pid, aux, 2, &n), PS_EINVAL);
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, pid, aux, 2, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_proc_vmmap(NULL, 1, pid, kve, 2, &n), PS_EINVAL);
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, pid, kve, 2, NULL), PS_EINVAL);
	/* The caller must be a live process. */
	n = 5;
	ck_assert_int_eq(ps_proc_getargv(t_sim, 4242, pid, buf, 8, &n), PS_ESRCH);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ps_proc_getargv(t_sim, -1, pid, buf, 8, &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 4242, pid, aux, 2, &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 4242, pid, kve, 2, &n), PS_ESRCH);
	/* Odd pids, as target and as caller: ESRCH, never a crash. */
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		ck_assert_int_eq(ps_proc_getargv(t_sim, 1, odd[i], buf, 8, &n), PS_ESRCH);
		ck_assert_int_eq(ps_proc_getenvv(t_sim, 1, odd[i], NULL, 0, &n), PS_ESRCH);
		ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, odd[i], aux, 2, &n), PS_ESRCH);
		ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, odd[i], NULL, 0, &n), PS_ESRCH);
		ck_assert_int_eq(ps_proc_getargv(t_sim, odd[i], pid, buf, 8, &n), PS_ESRCH);
		ck_assert_int_eq(ps_proc_vmmap(t_sim, odd[i], pid, kve, 2, &n), PS_ESRCH);
	}
	no_locks();
}
END_TEST

/* --- lookups: nonexistent, zombie, puppet, system process --- */

START_TEST(no_such_process)
{
	struct ps_kinfo_vmentry kve[2];
	struct ps_auxinfo aux[2];
	char buf[8];
	size_t n;

	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, 4242, buf, 8, &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, -7, buf, 8, &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_getenvv(t_sim, 1, 4242, buf, 8, &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, 4242, aux, 2, &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, 4242, kve, 2, &n), PS_ESRCH);
	ck_assert_uint_eq(n, 0);
	no_locks();
}
END_TEST

START_TEST(zombie)
{
	int32_t sh = puppet("sh", 0), pid = spawn(sh, "quitter", argv2, envp2);
	struct ps_kinfo_vmentry kve[2];
	struct ps_auxinfo aux[2];
	char buf[8];
	size_t n;
	int status;

	run_idle();
	ck_assert_int_eq(t_state(t_sim, pid), PS_PRS_ZOMBIE);
	/* args finds zombies (no PGET_NOTWEXIT): nothing to read, no error. */
	n = 99;
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, sizeof(buf), &n), 0);
	ck_assert_uint_eq(n, 0);
	n = 99;
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* The others want a process that is not exiting. */
	ck_assert_int_eq(ps_proc_getenvv(t_sim, 1, pid, buf, sizeof(buf), &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, pid, aux, 2, &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, pid, kve, 2, &n), PS_ESRCH);
	/* A zombie cannot ask. */
	ck_assert_int_eq(ps_proc_getargv(t_sim, pid, 1, buf, sizeof(buf), &n), PS_ESRCH);
	ck_assert_int_eq(ps_wait(t_sim, sh, pid, PS_WNOHANG, &status), pid);
	ck_assert_int_eq(ps_proc_getargv(t_sim, 1, pid, buf, sizeof(buf), &n), PS_ESRCH);
	no_locks();
}
END_TEST

START_TEST(puppet_answers_with_its_command_name)
{
	int32_t sh = puppet("sh", 0), kid;
	struct ps_kinfo_vmentry kve[2];
	struct ps_auxinfo aux[2];
	char buf[16];
	size_t n;
	int status;

	n = strings_of(0, 1, sh, buf, sizeof(buf));
	assert_bytes(buf, n, "sh", 3);
	n = strings_of(0, 1, 1, buf, sizeof(buf));
	assert_bytes(buf, n, "init", 5);
	/* No address space: no environment, no auxv, no map. */
	n = strings_of(1, 1, sh, buf, sizeof(buf));
	ck_assert_uint_eq(n, 0);
	n = 99;
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, sh, aux, 2, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, sh, kve, 2, &n), PS_ESRCH);
	/* Like p_args, the name stays with a zombie until it is reaped. */
	kid = t_fork(t_sim, sh);
	ck_assert_int_eq(ps_exec(t_sim, kid, "job"), 0);
	ck_assert_int_eq(ps_exit(t_sim, kid, 0), 0);
	ck_assert_int_eq(t_state(t_sim, kid), PS_PRS_ZOMBIE);
	n = strings_of(0, 1, kid, buf, sizeof(buf));
	assert_bytes(buf, n, "job", 4);
	ck_assert_int_eq(ps_wait(t_sim, sh, kid, PS_WNOHANG, &status), kid);
	no_locks();
}
END_TEST

START_TEST(system_processes_answer_nothing)
{
	struct ps_kinfo_vmentry kve[2];
	struct ps_auxinfo aux[2];
	int32_t kp;
	char buf[16];
	size_t n;

	ck_assert_int_eq(ps_kproc_new(t_sim, "pagedaemon", &kp), 0);
	n = strings_of(0, 1, kp, buf, sizeof(buf));
	ck_assert_uint_eq(n, 0);
	n = strings_of(0, 1, 0, buf, sizeof(buf));
	ck_assert_uint_eq(n, 0);
	n = strings_of(1, 1, kp, buf, sizeof(buf));
	ck_assert_uint_eq(n, 0);
	n = 99;
	ck_assert_int_eq(ps_proc_getauxv(t_sim, 1, kp, aux, 2, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* No address space of its own here. */
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, kp, kve, 2, &n), PS_ESRCH);
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, 0, kve, 2, &n), PS_ESRCH);
	no_locks();
}
END_TEST

/* --- permissions --- */

START_TEST(other_user_sees_args_but_not_env_auxv_vmmap)
{
	int32_t pid = spawn(1, "idle", argv2, envp2), user = puppet("user", 1000);
	int32_t mine = spawn(user, "idle", argv2, envp2);
	struct ps_kinfo_vmentry kve[8];
	struct ps_auxinfo aux[4];
	char buf[64];
	size_t n;

	/* p_cansee is enough for args (see_other_uids on by default). */
	n = strings_of(0, user, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first\0second", 13);
	/* p_candebug: another uid without privilege is EPERM. */
	n = 99;
	ck_assert_int_eq(ps_proc_getenvv(t_sim, user, pid, buf, sizeof(buf), &n), PS_EPERM);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ps_proc_getenvv(t_sim, user, pid, NULL, 0, &n), PS_EPERM);
	ck_assert_int_eq(ps_proc_getauxv(t_sim, user, pid, aux, 4, &n), PS_EPERM);
	ck_assert_int_eq(ps_proc_vmmap(t_sim, user, pid, kve, 8, &n), PS_EPERM);
	/* Its own user's program: everything. */
	n = strings_of(1, user, mine, buf, sizeof(buf));
	assert_bytes(buf, n, "HOME=/\0TERM=vt100", 18);
	ck_assert_int_eq(ps_proc_getauxv(t_sim, user, mine, aux, 4, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(vmmap_of(user, mine, kve, 8), 3);
	/* And root may read the user's. */
	n = strings_of(1, 1, mine, buf, sizeof(buf));
	assert_bytes(buf, n, "HOME=/\0TERM=vt100", 18);
	no_locks();
}
END_TEST

START_TEST(unseen_process_is_esrch_even_for_args)
{
	int32_t pid = spawn(1, "idle", argv2, envp2), user = puppet("user", 1000);
	char buf[64];
	size_t n;

	ck_assert_int_eq(ps_proc_getargv(t_sim, user, pid, buf, sizeof(buf), &n), PS_ESRCH);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ps_proc_getenvv(t_sim, user, pid, buf, sizeof(buf), &n), PS_ESRCH);
	/* A puppet's command name is no exception. */
	ck_assert_int_eq(ps_proc_getargv(t_sim, user, 1, buf, sizeof(buf), &n), PS_ESRCH);
	n = strings_of(0, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "first\0second", 13);
	no_locks();
}
END_TEST

/* --- vmmap --- */

START_TEST(vmmap_of_a_program_and_its_resident_pages)
{
	int32_t pid = spawn(1, "toucher", argv2, envp2);
	struct ps_kinfo_vmentry kve[8];
	uint64_t data = 0;
	size_t n;

	ck_assert_int_eq(ps_program_symbol(t_sim, "toucher", "buf", &data), 0);
	ck_assert_uint_eq(data, TEXT_BASE + 4096);
	/* Right after exec: only the stack's top page is in memory (exec
	 * wrote the arguments there). */
	n = vmmap_of(1, pid, kve, 8);
	ck_assert_uint_eq(n, 4);
	assert_entry(&kve[0], TEXT_BASE, TEXT_BASE + 4096, RX, RWX, PS_KVME_TYPE_VNODE, "text",
	             "/bin/toucher", 0);
	assert_entry(&kve[1], TEXT_BASE + 4096, TEXT_BASE + 8192, RW, RWX, PS_KVME_TYPE_VNODE,
	             "data", "/bin/toucher", 0);
	assert_entry(&kve[2], STACK_BASE, STACK_TOP, RW, RWX, PS_KVME_TYPE_DEFAULT, "stack", "", 1);
	assert_entry(&kve[3], STACK_TOP, SHARED_END, RX, RX, PS_KVME_TYPE_PHYS, "shared", "", 0);
	ck_assert_uint_eq(kve[2].kve_private_resident, 1);
	ck_assert_uint_eq(kve[0].kve_obj_id, 1);
	ck_assert_uint_eq(kve[1].kve_obj_id, 2);
	ck_assert_uint_eq(kve[2].kve_obj_id, 3);
	ck_assert_uint_eq(kve[3].kve_obj_id, 4);

	/* It runs: the text page is fetched, the data page written, two
	 * pages mapped and the first of them written. */
	run_idle();
	n = vmmap_of(1, pid, kve, 8);
	ck_assert_uint_eq(n, 5);
	assert_entry(&kve[0], TEXT_BASE, TEXT_BASE + 4096, RX, RWX, PS_KVME_TYPE_VNODE, "text",
	             "/bin/toucher", 1);
	assert_entry(&kve[1], TEXT_BASE + 4096, TEXT_BASE + 8192, RW, RWX, PS_KVME_TYPE_VNODE,
	             "data", "/bin/toucher", 1);
	assert_entry(&kve[2], MMAP_BASE, MMAP_BASE + 8192, RW, RWX, PS_KVME_TYPE_DEFAULT, "mmap", "",
	             1);
	assert_entry(&kve[3], STACK_BASE, STACK_TOP, RW, RWX, PS_KVME_TYPE_DEFAULT, "stack", "", 1);
	assert_entry(&kve[4], STACK_TOP, SHARED_END, RX, RX, PS_KVME_TYPE_PHYS, "shared", "", 0);
	for (size_t i = 0; i < 4; i++)
		ck_assert_uint_eq(kve[i].kve_private_resident, kve[i].kve_resident);
	ck_assert_uint_eq(kve[2].kve_obj_id, 5);
}
END_TEST

START_TEST(vmmap_after_fork_shares_frames)
{
	int32_t pid = spawn(1, "forker", argv2, envp2), kid = 0;
	struct ps_kinfo_vmentry a[4], b[4];
	size_t n;

	run_idle();
	ck_assert_int_eq(ps_proc_children(t_sim, pid, &kid, 1, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(vmmap_of(1, pid, a, 4), 3);
	ck_assert_uint_eq(vmmap_of(1, kid, b, 4), 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_uint_eq(a[i].kve_start, b[i].kve_start);
		ck_assert_uint_eq(a[i].kve_end, b[i].kve_end);
		ck_assert_uint_eq(a[i].kve_obj_id, b[i].kve_obj_id);
		ck_assert_str_eq(a[i].kve_path, b[i].kve_path);
		ck_assert_uint_eq(a[i].kve_resident, b[i].kve_resident);
	}
	/* The text page and the stack page are in both, shared: no page is
	 * private to either. */
	assert_entry(&b[0], TEXT_BASE, TEXT_BASE + 4096, RX, RWX, PS_KVME_TYPE_VNODE, "text",
	             "/bin/forker", 1);
	assert_entry(&b[1], STACK_BASE, STACK_TOP, RW, RWX, PS_KVME_TYPE_DEFAULT, "stack", "", 1);
	ck_assert_uint_eq(a[0].kve_private_resident, 0);
	ck_assert_uint_eq(a[1].kve_private_resident, 0);
	ck_assert_uint_eq(b[0].kve_private_resident, 0);
	ck_assert_uint_eq(b[1].kve_private_resident, 0);
	/* The child's arguments are its parent's: the stack was copied. */
	{
		char buf[32];

		n = strings_of(0, 1, kid, buf, sizeof(buf));
		assert_bytes(buf, n, "first\0second", 13);
	}
}
END_TEST

START_TEST(vmmap_buffer_and_reading_faults_pages)
{
	int32_t pid = spawn(1, "idle", argv2, envp2);
	struct ps_kinfo_vmentry kve[4];
	char buf[64];
	size_t n;

	n = 0;
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, pid, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 3);
	memset(kve, 0, sizeof(kve));
	ck_assert_int_eq(ps_proc_vmmap(t_sim, 1, pid, kve, 2, &n), PS_ENOMEM);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(kve[0].kve_start, TEXT_BASE);
	ck_assert_uint_eq(kve[1].kve_start, STACK_BASE);
	ck_assert_uint_eq(kve[2].kve_start, 0);
	ck_assert_uint_eq(vmmap_of(1, pid, kve, 4), 3);
	ck_assert_uint_eq(kve[2].kve_resident, 0);
	/*
	 * The strings are read in 256-byte chunks, as FreeBSD reads them: the
	 * last one reaches past the top of the stack into the shared page,
	 * which the read faults in, as proc_rwmem does.
	 */
	n = strings_of(1, 1, pid, buf, sizeof(buf));
	assert_bytes(buf, n, "HOME=/\0TERM=vt100", 18);
	ck_assert_uint_eq(vmmap_of(1, pid, kve, 4), 3);
	ck_assert_uint_eq(kve[2].kve_resident, 1);
	/* Never private: the pool keeps the shared frame for every exec. */
	ck_assert_uint_eq(kve[2].kve_private_resident, 0);
	no_locks();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("procargs");
	TCase *tc;

	tc = tcase_create("read_through_memory");
	tcase_add_checked_fixture(tc, setup, t_teardown);
	tcase_add_test(tc, args_env_auxv_of_a_spawned_program);
	tcase_add_test(tc, a_process_may_read_its_own);
	tcase_add_test(tc, overwritten_argv_string_shows);
	tcase_add_test(tc, overwritten_nul_joins_two_arguments);
	tcase_add_test(tc, null_in_argv_ends_the_list);
	tcase_add_test(tc, debugger_writes_show_too);
	tcase_add_test(tc, empty_vectors_are_enomem);
	tcase_add_test(tc, damaged_ps_strings_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("buffers_and_lookups");
	tcase_add_checked_fixture(tc, setup, t_teardown);
	tcase_add_test(tc, size_probe_and_short_buffer);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, no_such_process);
	tcase_add_test(tc, zombie);
	tcase_add_test(tc, puppet_answers_with_its_command_name);
	tcase_add_test(tc, system_processes_answer_nothing);
	tcase_add_test(tc, other_user_sees_args_but_not_env_auxv_vmmap);
	suite_add_tcase(s, tc);

	tc = tcase_create("visibility");
	tcase_add_checked_fixture(tc, setup_hidden, t_teardown);
	tcase_add_test(tc, unseen_process_is_esrch_even_for_args);
	suite_add_tcase(s, tc);

	tc = tcase_create("vmmap");
	tcase_add_checked_fixture(tc, setup, t_teardown);
	tcase_add_test(tc, vmmap_of_a_program_and_its_resident_pages);
	tcase_add_test(tc, vmmap_after_fork_shares_frames);
	tcase_add_test(tc, vmmap_buffer_and_reading_faults_pages);
	suite_add_tcase(s, tc);
	return t_run(s);
}
